// Shared by the adversarial suite (issue 9, deliverable 4). Each test opens e2e/pages/adversarial.html,
// which loads the conformance app (panics unwind) and the abort-mode app (every panic traps)
// and exposes them as window.adv, with `attempt(f)`: f's value, or what it threw, described by
// its class as the host exports it (RustPanic, OCamlException, BoundaryError, JavaScriptError),
// or "raw <name>" / "WebAssembly.RuntimeError" / "WebAssembly.Exception" for anything else.
//
// The specified behaviour these tests hold the bridge to (issue 9): no raw engine error reaches
// a caller; every failure is an InteropError subclass in TS, an OCaml exception (RustPanic,
// Failure, Invalid_argument, Stack_overflow, Out_of_memory, as the fault really was) in OCaml,
// an Err or a panic in Rust, and names the function, the argument path and what was wrong; no
// silent wrong value, no memory corruption, no leak; the page keeps working after every fault.
import { expect, type Page } from "@playwright/test";

export type Outcome =
  | { ok: true; value: unknown }
  | { ok: false; cls: string; interop: boolean; message: string; functionName?: string; exceptionName?: string };

/** Opens the adversarial page (query: "?private" hides the apps); returns the page errors, as
 *  they come. */
export async function open(page: Page, query = ""): Promise<string[]> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`e2e/pages/adversarial.html${query}`);
  await expect(page.getByTestId("status")).toHaveText(/^ready/, { timeout: 60_000 });
  return errors;
}

/** Expects a failed call of the given class, naming `fn` (functionName), whose message starts
 *  with `prefix` (a string or a pattern). */
export function expectFailure(o: Outcome, cls: string, fn: string | undefined, prefix?: string | RegExp) {
  expect(o, `expected ${cls} from ${fn ?? "?"}, got ${JSON.stringify(o)}`).toMatchObject({ ok: false, cls });
  if (o.ok) return;
  if (fn !== undefined) expect(o.functionName).toBe(fn);
  if (typeof prefix === "string")
    expect(o.message.startsWith(prefix), `message ${JSON.stringify(o.message)} should start with ${JSON.stringify(prefix)}`).toBe(true);
  else if (prefix) expect(o.message).toMatch(prefix);
}

/** The JS heap after a full GC (Chromium only; undefined elsewhere). */
export async function jsHeap(page: Page, browserName: string): Promise<number | undefined> {
  if (browserName !== "chromium") return undefined;
  const cdp = await page.context().newCDPSession(page);
  for (let i = 0; i < 3; i++) await cdp.send("HeapProfiler.collectGarbage");
  const u = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
  await cdp.detach();
  return u.usedSize;
}

/** Runs `f(window.adv)` in the page (f is sent as source: it may use no closure). */
export function run<R>(page: Page, f: (adv: any) => R | Promise<R>): Promise<R> {
  return page.evaluate(`(${f.toString()})(window.adv)`) as Promise<R>;
}

/** Runs `f(window.adv, arg)` in the page; `arg` crosses as JSON. */
export function runWith<R, A>(page: Page, f: (adv: any, arg: A) => R | Promise<R>, arg: A): Promise<R> {
  return page.evaluate(`(${f.toString()})(window.adv, ${JSON.stringify(arg)})`) as Promise<R>;
}
