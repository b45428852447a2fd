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

/** Runs `body` in the page with the demo's app object (`app`) and the OCaml type descriptors (`T`). */
export function inPage<R>(page: Page, body: string): Promise<R> {
  return page.evaluate((src) => {
    const { app, T } = (window as unknown as { demo: { app: unknown; T: unknown } }).demo;
    return new Function("app", "T", src)(app, T);
  }, body) as Promise<R>;
}

/** Types `value` into the demo's number field, replacing what it holds. (Playwright 1.64's
 *  fill() through WebDriver BiDi appends to an <input type="number"> in Firefox instead of
 *  replacing its value, "21" + "12" = "2112"; clear() first gives the same result everywhere.) */
export async function fillNumber(page: Page, value: string): Promise<void> {
  const field = page.getByTestId("number");
  await field.clear();
  await field.fill(value);
}
