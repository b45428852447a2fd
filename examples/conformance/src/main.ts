// The conformance page: loads the app and exposes it to the browser tests.
import { engineFeatures, engineName, loadInterop, T, type LoadOptions } from "ocaml-interop-web";
import conformance from "virtual:ocaml-interop/conformance";

// A page function that Rust (through wasm-bindgen) and OCaml (through js_of_ocaml's Js) call;
// it throws a TypeError when asked to, for the error-path tests.
(globalThis as unknown as { conformanceJsHook(s: string): string }).conformanceJsHook = (s: string) => {
  if (s.startsWith("throw")) throw new TypeError(`hook refused ${JSON.stringify(s)}`);
  return `hook: ${s}`;
};

// what the engine has (e2e/engine.spec.ts, and the WebKitGTK check, where loading fails)
(window as unknown as { conformanceEngine: unknown }).conformanceEngine = { engineFeatures, engineName };

// ?ocamlBuild=single-memory loads the OCaml module's single-memory build (the one engines
// without multi-memory load): the single-memory Playwright projects run the tests on it
const ocamlBuild = (new URLSearchParams(location.search).get("ocamlBuild") ?? undefined) as LoadOptions["ocamlBuild"];
// ?ocamlCalls=direct: Rust calls OCaml with no JS frame (the direct Playwright projects)
const ocamlCalls = (new URLSearchParams(location.search).get("ocamlCalls") ?? undefined) as LoadOptions["ocamlCalls"];

const status = document.querySelector("#status")!;
loadInterop(conformance, { ocamlBuild, ocamlCalls }).then(
  (app) => {
    // e2e/worker.spec.ts: the same app loaded again inside a Web Worker
    const startWorker = () => new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    // e2e/engine.spec.ts: what the engine has, and loading the app once more
    const loadAgain = (opts?: LoadOptions) => loadInterop(conformance, opts ?? { ocamlBuild, ocamlCalls });
    (window as unknown as { conformance: unknown }).conformance = { app, T, startWorker, loadAgain };
    status.textContent = "ready";
  },
  (e) => {
    status.textContent = `failed: ${e}`;
    (window as unknown as { conformanceError: unknown }).conformanceError = e;
  },
);
