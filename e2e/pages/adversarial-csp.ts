// Many faults from every entry under a strict Content-Security-Policy (adversarial-csp.html: no
// eval, no inline script): panics that unwind, traps (each re-creates the Rust instance from
// the glue factory, without eval), stack overflows on both sides, faults in wasm-bindgen
// functions and in the abort-mode app. Each outcome is counted by its class and message, and
// the report is written to #result as JSON (e2e/adversarial/csp.spec.ts reads it; no test code
// runs in the page).
import { BoundaryError, InteropError, JavaScriptError, loadInterop, OCamlException, RustPanic, T } from "ocaml-interop-web";
import abortMode from "virtual:ocaml-interop/abort-mode";
import conformance from "virtual:ocaml-interop/conformance";

const violations: string[] = [];
document.addEventListener("securitypolicyviolation", (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
const status = document.querySelector("#status")!;
const result = document.querySelector("#result")!;

function outcome(f: () => unknown): string {
  try {
    return `ok ${JSON.stringify(f())}`;
  } catch (e) {
    const cls =
      e instanceof RustPanic
        ? "RustPanic"
        : e instanceof OCamlException
          ? "OCamlException"
          : e instanceof BoundaryError
            ? "BoundaryError"
            : e instanceof JavaScriptError
              ? "JavaScriptError"
              : e instanceof InteropError
                ? "InteropError"
                : e instanceof Error
                  ? `raw ${e.name}`
                  : `thrown ${typeof e}`;
    return `${cls}: ${e instanceof Error ? e.message : String(e)}`;
  }
}
/** Runs f n times; counts each distinct outcome. */
function counts(n: number, f: (i: number) => unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const o = outcome(() => f(i));
    out[o] = (out[o] ?? 0) + 1;
  }
  return out;
}

async function main() {
  const [conf, abortApp] = await Promise.all([loadInterop(conformance), loadInterop(abortMode)]);
  const rust = conf.rust as unknown as Record<string, (...a: unknown[]) => unknown>;
  const wb = conf.wasmBindgen as unknown as Record<string, (...a: unknown[]) => unknown>;
  const abortRust = abortApp.rust as unknown as Record<string, (...a: unknown[]) => unknown>;
  const t0 = performance.now();
  const report = {
    panicsFromTS: counts(200, () => rust.rust_reenter(0, "!")),
    panicsFromOCaml: counts(20, () => conf.ocaml.fn("reentrancy_tests", [T.int], T.string)(10)),
    trapsFromTS: counts(50, () => rust.rust_trap(0)),
    outOfBoundsFromTS: counts(20, () => rust.rust_trap(1)),
    rustStackOverflowFromTS: counts(20, () => rust.rust_recurse_forever(0)),
    rustStackOverflowFromOCaml: counts(10, () => conf.ocaml.fn("stack_overflow_tests", [T.unit], T.string)(undefined)),
    ocamlStackOverflowFromTS: counts(10, () => conf.ocaml.fn("ocaml_recurse_forever", [T.int], T.int)(0)),
    ocamlStackOverflowFromRust: counts(10, () => rust.ocaml_fault_try(0)),
    wasmBindgenPanics: counts(20, (i) => wb.wb_panic_in_lock(`wb panic ${i % 2}`)),
    wasmBindgenTraps: counts(10, () => wb.wb_trap_in_lock()),
    afterWasmBindgen: outcome(() => wb.wb_sum_through_ocaml(new Int32Array([1, 2, 3]))),
    abortTrapsFromTS: counts(50, () => abortRust.fail("abort mode")),
    abortTrapsFromOCaml: outcome(() => abortApp.ocaml.fn("rounds", [T.int, T.int], T.int)(100, 16)),
    after: [
      outcome(() => rust.id_string("after the faults")),
      outcome(() => conf.ocaml.fn("via_rust_string", [T.string], T.string)("both sides")),
      outcome(() => abortRust.twice(21)),
    ],
    resets: [conf.bridge.resets, abortApp.bridge.resets],
    ms: Math.round(performance.now() - t0),
    violations,
  };
  result.textContent = JSON.stringify(report);
  status.textContent = "ready";
}

main().catch((e) => {
  status.textContent = `failed: ${e}`;
  result.textContent = JSON.stringify({ error: String((e as Error)?.stack ?? e), violations });
});
