// Several apps in one page (e2e/multi-app.spec.ts): each has its own memory, Rust instance,
// OCaml program and panic recovery; dispose() unloads one and loading it again works. A
// FinalizationRegistry counts the disposed apps the garbage collector has reclaimed.
import { loadInterop, T } from "ocaml-interop-web";
import conformance from "virtual:ocaml-interop/conformance";
import demo from "virtual:ocaml-interop/demo";

let collected = 0;
const registry = new FinalizationRegistry<string>(() => {
  collected++;
});

const multi = {
  T,
  load: async (name: "demo" | "conformance") => {
    const app = await loadInterop(name === "demo" ? demo : conformance);
    registry.register(app, name);
    return app;
  },
  collected: () => collected,
};
(window as unknown as { multi: typeof multi }).multi = multi;
document.querySelector("#status")!.textContent = "ready";
