import { defineConfig } from "vite";
import { resolve } from "node:path";

// The page loads the build's outputs from public/generated/ at run time (wasm-bindgen's ES
// module, wasm_of_ocaml's loader script and their .wasm files), so Vite serves them as they are.
export default defineConfig({
  base: "./",
  server: { host: "127.0.0.1", port: 5173, strictPort: false },
  preview: { host: "127.0.0.1", port: 4173 },
  build: {
    target: "es2022",
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, "index.html"),
        bench: resolve(import.meta.dirname, "bench.html"),
        conformance: resolve(import.meta.dirname, "conformance.html"),
      },
    },
  },
});
