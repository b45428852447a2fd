// Adversarial suite, category "CSP" (issue 9): under a strict Content-Security-Policy
// (e2e/pages/adversarial-csp.html: script-src 'self' 'wasm-unsafe-eval', no eval, no inline
// script), many panics and traps from every entry (TS -> Rust, OCaml -> Rust, Rust -> OCaml,
// wasm-bindgen functions, the abort-mode app) each reach their caller as the fault they were,
// every trap re-creates the Rust instance without eval, and the page keeps working. The page
// counts each distinct outcome ("<class>: <message>": count) and writes the report as JSON.
import { expect, test } from "@playwright/test";

test("under a strict CSP, 200 panics, 100 traps, stack overflows on both sides and faults in wasm-bindgen functions each reach their caller; every trap recovers without eval", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("e2e/pages/adversarial-csp.html");
  await expect(page.getByTestId("status")).toHaveText("ready", { timeout: 240_000 });
  const r = JSON.parse((await page.getByTestId("result").textContent())!);
  const trapped = (fn: string, what: string) => `RustPanic: Rust trapped in ${fn}: ${what}`;
  expect.soft(r.panicsFromTS, "TS -> Rust panics").toEqual({ "RustPanic: bottom reached after 0 crossings": 200 });
  expect
    .soft(r.panicsFromOCaml, "OCaml -> Rust panics (10 levels deep)")
    .toEqual({ 'ok "ok ok OCaml exception, message: Some(\\"bottom reached after 20 crossings\\")"': 20 });
  expect.soft(r.trapsFromTS, "TS -> Rust traps").toEqual({
    [`${trapped("rust_trap", "unreachable")} (an abort: out of memory, or core::arch::wasm32::unreachable); the Rust instance was re-created`]: 50,
  });
  expect.soft(r.outOfBoundsFromTS, "TS -> Rust out-of-bounds traps").toEqual({
    [`${trapped("rust_trap", "memory access out of bounds")} (an out-of-bounds access in unsafe code?); the Rust instance was re-created`]: 20,
  });
  expect
    .soft(r.rustStackOverflowFromTS, "Rust stack overflows from TS")
    .toEqual({ [`${trapped("rust_recurse_forever", "stack overflow")}; the Rust instance was re-created`]: 20 });
  expect
    .soft(r.rustStackOverflowFromOCaml, "Rust stack overflows from OCaml (a trap: it reaches the TS caller)")
    .toEqual({ [`${trapped("rust_recurse_forever", "stack overflow")}; the Rust instance was re-created`]: 10 });
  expect.soft(r.ocamlStackOverflowFromTS, "OCaml stack overflows from TS").toEqual({ "OCamlException: Stack_overflow": 10 });
  // the bug this guards against: "Rust trapped in ocaml_fault_try: stack overflow; ..." (and a re-created instance)
  expect.soft(r.ocamlStackOverflowFromRust, "OCaml stack overflows from Rust (try_ form)").toEqual({ 'ok "err Stack_overflow None"': 10 });
  // the bug this guards against: raw PanicErrors and RuntimeErrors, then "Module terminated"
  expect.soft(r.wasmBindgenPanics, "wasm-bindgen panics").toEqual({ "RustPanic: wb panic 0": 10, "RustPanic: wb panic 1": 10 });
  expect
    .soft(Object.keys(r.wasmBindgenTraps), "wasm-bindgen traps")
    .toEqual([expect.stringMatching(/^RustPanic: Rust trapped in wb_trap_in_lock: unreachable/)]);
  expect.soft(r.afterWasmBindgen, "a wasm-bindgen call afterwards").toBe("ok 6");
  expect.soft(r.abortTrapsFromTS, "abort mode: traps from TS").toEqual({ "RustPanic: abort mode": 50 });
  expect.soft(r.abortTrapsFromOCaml, "abort mode: traps from OCaml").toBe("ok 100");
  expect(r.after).toEqual(['ok "after the faults"', 'ok "both sides"', "ok 42"]);
  // re-created once per trap: 50 + 20 + 20 + 10 (+ 10 wasm-bindgen traps) in the unwind app
  expect.soft(r.resets, "re-creations [conformance, abort-mode]").toEqual([110, 150]);
  // nothing was blocked: no eval, no inline script, no other source
  expect(r.violations).toEqual([]);
  expect(errors).toEqual([]);
  test.info().annotations.push({ type: "measured", description: `all faults under the strict CSP in ${r.ms} ms` });
});
