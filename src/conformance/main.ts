// The conformance page: loads the app and exposes it to the browser tests.
import { loadInterop, T } from "../host/index.ts";
import { conformanceApp, type ConformanceRustExports } from "../generated/conformance.ts";

const status = document.querySelector("#status")!;
loadInterop<ConformanceRustExports>(conformanceApp).then(
  (app) => {
    (window as unknown as { conformance: unknown }).conformance = { app, T };
    status.textContent = "ready";
  },
  (e) => { status.textContent = `failed: ${e}`; },
);
