import { defineConfig } from "vite";
import { resolve } from "node:path";
import { ocamlInterop } from "./src/vite/index.ts";

// This repository's site: each example's page, built by the plugin as a user's project is.
// `ocaml-interop-web` resolves to the host's sources, as it would to the installed package.
const here = import.meta.dirname;
const examples = ["demo", "conformance", "bench", "markdown", "wasi"];

function benchPanic(): "unwind" | "abort" | undefined {
  const v = process.env.OIW_BENCH_RUST_PANIC;
  if (v === undefined || v === "") return undefined;
  if (v !== "unwind" && v !== "abort") throw new Error(`OIW_BENCH_RUST_PANIC must be "unwind" or "abort" (got ${JSON.stringify(v)})`);
  return v;
}

export default defineConfig({
  base: "./",
  plugins: [
    ocamlInterop({
      apps: {
        ...Object.fromEntries(examples.map((name) => [name, { rust: `examples/${name}/rust`, ocaml: `examples/${name}/ocaml` }])),
        // `OIW_BENCH_RUST_PANIC=abort npm run bench` measures the bench app as built where panics abort
        bench: { rust: "examples/bench/rust", ocaml: "examples/bench/ocaml", rustPanic: benchPanic() },
        // a WASI app: its Rust side is built for wasm32-wasip1 (std::fs, println!, args, clocks in the page)
        wasi: { rust: "examples/wasi/rust", ocaml: "examples/wasi/ocaml", rustTarget: "wasm32-wasip1" },
        // the package's own tests: an app built as on a toolchain whose panics abort
        "abort-mode": { rust: "e2e/apps/abort-mode/rust", ocaml: "e2e/apps/abort-mode/ocaml", rustPanic: "abort" },
      },
    }),
  ],
  resolve: { alias: { "ocaml-interop-web": resolve(here, "src/host/index.ts") } },
  server: { host: "127.0.0.1", port: 5173, strictPort: false },
  preview: { host: "127.0.0.1", port: 4173 },
  worker: { format: "es" },
  build: {
    target: "es2022",
    outDir: "dist-site",
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        index: resolve(here, "index.html"),
        ...Object.fromEntries(examples.map((name) => [name, resolve(here, `examples/${name}/index.html`)])),
        // the benchmarks' chart (bench/results.json) and the start-up pages of W10 (tools/bench/startup.ts)
        "bench-chart": resolve(here, "examples/bench/bench.html"),
        "startup-bridge": resolve(here, "examples/bench/startup/bridge.html"),
        "startup-alone": resolve(here, "examples/bench/startup/alone.html"),
        // test pages of the package itself (e2e/)
        multi: resolve(here, "e2e/pages/multi.html"),
        recovery: resolve(here, "e2e/pages/recovery.html"),
        // the adversarial suite (e2e/adversarial/): its page, and the same apps under a strict CSP
        adversarial: resolve(here, "e2e/pages/adversarial.html"),
        "adversarial-csp": resolve(here, "e2e/pages/adversarial-csp.html"),
        // the conformance app under a strict Content-Security-Policy (examples/conformance/e2e/csp.spec.ts)
        "conformance-csp": resolve(here, "examples/conformance/csp.html"),
      },
    },
  },
});
