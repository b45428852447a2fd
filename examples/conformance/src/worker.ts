// A Web Worker that loads the conformance app on its own (its own memory, modules and
// runtime) and reports what a few calls return (e2e/worker.spec.ts).
import { loadInterop, T } from "ocaml-interop-web";
import conformance from "virtual:ocaml-interop/conformance";

self.onmessage = async () => {
  try {
    const app = await loadInterop(conformance);
    const rust = app.rust as unknown as Record<string, (...a: unknown[]) => unknown>;
    const itemT = app.bridge.app.exports.find((e) => e.name === "id_item")!.args[0].type!;
    const fromOCaml = app.ocaml.fn("via_rust_item", [itemT], itemT);
    let panic = "no error";
    try {
      rust.rust_reenter(0, "!");
    } catch (e) {
      panic = `${(e as Error).name}: ${(e as Error).message}`;
    }
    const result = {
      inWorker: typeof document === "undefined",
      echo: rust.id_string("from a worker ✓"),
      list: rust.id_int_list([1, 2, 3]),
      reentrant: app.ocaml.fn("reentrancy_tests", [T.int], T.string)(100),
      prims: app.ocaml.fn("prim_tests", [T.unit], T.string)(undefined),
      item: fromOCaml({ id: 7, name: "w", shape: { tag: "Empty" }, color: { tag: "Green" }, tags: [], parent: null }),
      panic,
      afterPanic: rust.id_string("still working"),
      resets: app.bridge.resets,
    };
    postMessage({ ok: true, result });
  } catch (e) {
    postMessage({ ok: false, error: String((e as Error)?.stack ?? e) });
  }
};
