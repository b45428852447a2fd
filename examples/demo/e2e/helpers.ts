import { expect, type Page } from "@playwright/test";

/** Opens the demo and waits until both modules are loaded; fails on any page error. */
export async function openDemo(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("./");
  // (read in the page rather than through a locator: the slice tests run in WebKitGTK through WebDriver too)
  await expect
    .poll(() => page.evaluate(() => document.querySelector("[data-testid=status]")?.textContent), { timeout: 30_000 })
    .toBe("ready: OCaml and Rust are loaded");
  return errors;
}

/** What a test body running in the page gets: the demo's app and the OCaml type descriptors
 *  (typed loosely: the page's objects are not the test's). */
export interface InPage {
  app: any;
  T: any;
  /** Runs `f`: "no error", or the error's `name: message`. */
  attempt(f: () => unknown): string;
}

const ATTEMPT = `(f) => { try { f(); return "no error"; } catch (e) { return e.name + ": " + e.message; } }`;

/** Runs `f` in the page with the demo's app object and type descriptors (`window.demo`). `f` is
 *  type-checked with the test; it is sent as source, so it cannot use the test's variables. */
export function inPage<R>(page: Page, f: (demo: InPage) => R): Promise<R> {
  return page.evaluate(`(${f.toString()})({ ...window.demo, attempt: ${ATTEMPT} })`) as Promise<R>;
}

/** Types `value` into the demo's number field, replacing what it holds. (Playwright 1.64's
 *  fill() through WebDriver BiDi appends to an <input type="number"> in Firefox instead of
 *  replacing its value, "21" + "12" = "2112"; clear() first gives the same result everywhere.) */
export async function fillNumber(page: Page, value: string): Promise<void> {
  const field = page.getByTestId("number");
  await field.clear();
  await field.fill(value);
}
