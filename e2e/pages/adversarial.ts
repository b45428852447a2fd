// The page of the adversarial suite (e2e/adversarial/*.spec.ts): the conformance app (panics
// unwind) and the abort-mode app (every panic traps), with helpers that describe what a call
// threw (its class as the host exports it, so minification cannot rename it).
//
//   ?private   loads both apps, uses them (values both ways, DynBoxes, Rust closures, a shared
//              bigarray, a panic, a trap, a wasm-bindgen function) and exposes NOTHING: the
//              page-script tests then look for the bridge from outside
//   otherwise  window.adv = { conf, abortApp, T, attempt, describe, load, hook, classes }
import {
  BoundaryError,
  InteropError,
  JavaScriptError,
  loadInterop,
  OCamlException,
  RustPanic,
  T,
  type LoadOptions,
} from "ocaml-interop-web";
import abortMode from "virtual:ocaml-interop/abort-mode";
import conformance from "virtual:ocaml-interop/conformance";

const status = document.querySelector("#status")!;
const params = new URLSearchParams(location.search);

const WasmException = (WebAssembly as unknown as { Exception?: new (...a: never[]) => unknown }).Exception;

/** What a thrown value is: its class among the host's errors (or what else it is). */
function describe(e: unknown) {
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
              : typeof WasmException === "function" && e instanceof WasmException
                ? "WebAssembly.Exception"
                : e instanceof WebAssembly.RuntimeError
                  ? "WebAssembly.RuntimeError"
                  : e instanceof Error
                    ? `raw ${e.name}`
                    : `thrown ${typeof e}`;
  const err = e as { message?: unknown; functionName?: unknown; exceptionName?: unknown };
  return {
    cls,
    interop: e instanceof InteropError,
    message: typeof err?.message === "string" ? err.message : String(e),
    functionName: typeof err?.functionName === "string" ? err.functionName : undefined,
    exceptionName: typeof err?.exceptionName === "string" ? err.exceptionName : undefined,
  };
}

type Outcome = { ok: true; value: unknown } | ({ ok: false } & ReturnType<typeof describe>);
/** Runs f: its value, or what it threw. */
function attempt(f: () => unknown): Outcome {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    return { ok: false, ...describe(e) };
  }
}

// the page function Rust calls through wasm-bindgen (`conformanceJsHook`, as on the conformance
// page); a test may replace its behaviour with adv.hook = ...
const adv: Record<string, unknown> & { hook: (s: string) => string } = {
  hook: (s: string) => {
    if (s.startsWith("throw")) throw new TypeError(`hook refused ${JSON.stringify(s)}`);
    return `hook: ${s}`;
  },
};
const notes: string[] = [];
(globalThis as unknown as { conformanceJsHook(s: string): string }).conformanceJsHook = (s: string) => {
  if (s.startsWith("drop ")) {
    notes.push(s);
    return "noted";
  }
  return adv.hook(s);
};

async function main() {
  const [conf, abortApp] = await Promise.all([loadInterop(conformance), loadInterop(abortMode)]);
  if (params.has("private")) {
    // a page that uses the bridge in every way, then keeps nothing reachable
    const rust = conf.rust as unknown as Record<string, (...a: unknown[]) => unknown>;
    const ok: unknown[] = [rust.id_string("é private"), rust.id_int_list([1, 2, 3])];
    ok.push(conf.ocaml.fn("bigarray_tests", [T.unit], T.string)(undefined));
    ok.push(conf.ocaml.fn("dynbox_tests", [T.unit], T.string)(undefined));
    ok.push(conf.ocaml.fn("rust_closure_tests", [T.unit], T.string)(undefined));
    ok.push(conf.ocaml.fn("closure_tests", [T.unit], T.string)(undefined));
    ok.push((conf.wasmBindgen as unknown as { wb_sum_through_ocaml(x: Int32Array): number }).wb_sum_through_ocaml(new Int32Array([1, 2])));
    ok.push(attempt(() => rust.rust_reenter(0, "!")).ok, attempt(() => rust.rust_trap(0)).ok);
    ok.push(attempt(() => (abortApp.rust as unknown as Record<string, (...a: unknown[]) => unknown>).fail("x")).ok);
    status.textContent = `ready (private; ${ok.length} steps)`;
    return;
  }
  Object.assign(adv, {
    conf,
    abortApp,
    T,
    attempt,
    describe,
    notes,
    classes: { InteropError, RustPanic, OCamlException, BoundaryError, JavaScriptError },
    load: (name: "conformance" | "abort-mode", opts?: LoadOptions) => loadInterop(name === "conformance" ? conformance : abortMode, opts),
  });
  (window as unknown as { adv: typeof adv }).adv = adv;
  status.textContent = "ready";
}

main().catch((e) => {
  status.textContent = `failed: ${(e as Error)?.stack ?? e}`;
});
