// W10_startup, ours: the demo app loaded with loadInterop(), timed from the call to ready. The
// app is wrapped (not changed) to time what the bridge does inside: each Rust instance it
// creates (a spare one would show as a second), the OCaml program's start, and the at_exit
// signal by which the OCaml program says its top level has run.
import { checkEngine, loadInterop, type App } from "ocaml-interop-web";
import demo from "virtual:ocaml-interop/demo";
import { describe, fetched, publish } from "./startup-sample.ts";

async function main() {
  const parts: Record<string, number> = { rust_instances: 0, rust_init_ms: 0, at_exit_signals: 0 };
  let atExit = 0;
  const app: App = {
    ...(demo as unknown as App),
    createRustGlue(host) {
      const glue = (demo as unknown as App).createRustGlue(host);
      const initSync = glue.initSync;
      return Object.assign(glue, {
        initSync(opts: Parameters<typeof initSync>[0]) {
          const t = performance.now();
          try {
            return initSync(opts);
          } finally {
            parts.rust_instances++;
            parts.rust_init_ms += performance.now() - t;
          }
        },
      });
    },
    async loadOCaml(host, addListener) {
      const h = host as { ocamlReady(): void };
      const signal = h.ocamlReady.bind(h);
      h.ocamlReady = () => {
        parts.at_exit_signals++;
        atExit = performance.now();
        signal();
      };
      const t = performance.now();
      parts.rust_fetch_compile_ms = t - t0; // the engine check, the fetch and compile, the instance
      try {
        return await (demo as unknown as App).loadOCaml(host, addListener);
      } finally {
        parts.ocaml_ms = performance.now() - t;
      }
    },
  };
  const t0 = performance.now();
  const loaded = await loadInterop(app as unknown as typeof demo);
  const t1 = performance.now();
  parts.rust_fetch_compile_ms -= parts.rust_init_ms;
  parts.at_exit_to_ready_ms = atExit ? t1 - atExit : -1;
  if (loaded.rust.rust_twice(21) !== 42) throw new Error("the demo app does not answer");
  // the engine check loadInterop() starts with, timed apart (after the load: its cold run is
  // inside ready_ms)
  const e0 = performance.now();
  for (let i = 0; i < 20; i++) checkEngine("demo");
  parts.engine_check_ms = (performance.now() - e0) / 20;
  // the glue's source is not fetched: wasm-bindgen's glue is a module of the bundle
  const resources = fetched();
  parts.script_fetches = resources.filter(
    (r) => (r.initiator === "fetch" || r.initiator === "xmlhttprequest") && !/\.wasm(\?|$)/.test(r.url),
  ).length;
  publish({ mode: "bridge", ready_ms: t1 - t0, since_navigation_ms: t1, parts, resources });
}

main().catch((e) => publish({ error: describe(e) }));
