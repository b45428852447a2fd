// W10_startup's baseline: the demo app's two modules loaded without the bridge, as their own
// tools would: wasm-bindgen's init (fetch, compile, instantiate with the memory) and
// wasm_of_ocaml's loader (which fetches, compiles and starts the OCaml program). The host they
// are given holds only what their imports read at start-up (the memory, globals, the direct
// table, a tag) and ignores the dispatcher the OCaml program registers.
import type { App } from "ocaml-interop-web";
import demo from "virtual:ocaml-interop/demo";
import { describe, fetched, publish } from "./startup-sample.ts";

async function main() {
  const app = demo as unknown as App;
  const parts: Record<string, number> = {};
  const t0 = performance.now();
  const memory = new WebAssembly.Memory({ initial: app.memory.initial, maximum: app.memory.maximum });
  const host = {
    memory,
    resetPending: new WebAssembly.Global({ value: "i32", mutable: true }, 0),
    rustPoisoned: new WebAssembly.Global({ value: "i32", mutable: true }, 0),
    rustInstance: new WebAssembly.Global({ value: "i32", mutable: true }, 0),
    // (the OCaml glue's imports: the table of the Rust exports, left empty, as no Rust runs at
    // the demo's start-up; the tag it catches; the loader's callbacks, unguarded)
    directTable: (entries: unknown[]) => new WebAssembly.Table({ element: "anyfunc", initial: entries.length }),
    wrappedJsTag: new (WebAssembly as unknown as { Tag: new (t: { parameters: string[] }) => object }).Tag({ parameters: ["externref"] }),
    guardEntry: <F>(f: F) => f,
    // (the runtime crate's plain imports: no Rust runs at start-up, so nothing calls them)
    oiwHost: { ocamlCall: () => 0, ocamlCallHandle: () => 0 },
    registered: 0,
    registerOCaml() {
      this.registered++;
    },
    ocamlReady() {},
  };
  const response = await fetch(app.rustWasm);
  const module =
    typeof WebAssembly.compileStreaming === "function" && response.headers.get("Content-Type")?.startsWith("application/wasm")
      ? await WebAssembly.compileStreaming(response)
      : await WebAssembly.compile(await response.arrayBuffer());
  const t1 = performance.now();
  app.createRustGlue(host).initSync({ module, memory });
  const t2 = performance.now();
  await app.loadOCaml(host, (type, listener) => addEventListener(type, listener));
  const t3 = performance.now();
  if (host.registered !== 1) throw new Error("the OCaml program did not start");
  Object.assign(parts, { rust_fetch_compile_ms: t1 - t0, rust_init_ms: t2 - t1, ocaml_ms: t3 - t2, rust_instances: 1 });
  publish({ mode: "alone", ready_ms: t3 - t0, since_navigation_ms: t3, parts, resources: fetched() });
}

main().catch((e) => publish({ error: describe(e) }));
