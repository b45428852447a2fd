// Traps and re-created Rust instances (e2e/recovery.spec.ts): the abort-mode app, whose every
// panic traps, and the demo, whose panics unwind and whose abort traps.
import { loadInterop, T } from "ocaml-interop-web";
import abortMode from "virtual:ocaml-interop/abort-mode";
import demo from "virtual:ocaml-interop/demo";

const [abortApp, demoApp] = await Promise.all([loadInterop(abortMode), loadInterop(demo)]);
(window as unknown as { recovery: unknown }).recovery = { abortApp, demoApp, T };
document.querySelector("#status")!.textContent = "ready";
