// What the build gives the host about an app: the module `virtual:ocaml-interop/<name>`
// (written by the build to <outDir>/<name>/index.js) default-exports an App.

// an export's description, its schema and its one parser: type-desc.ts
import type { ExportSpec } from "./type-desc.ts";
export type { ArgSpec, ExportSpec, RetSpec, TypeDesc } from "./type-desc.ts";

/** wasm-bindgen's glue for the Rust module, one fresh copy per instance. */
export interface WasmBindgenGlue {
  initSync(opts: { module: WebAssembly.Module; memory: WebAssembly.Memory }): Record<string, unknown>;
  [name: string]: unknown;
}

/** An app: a Rust crate and an OCaml program, as the build made them. `R` types the Rust
 *  crate's #[export] functions, `W` its own #[wasm_bindgen] exports. */
export interface App<R = Record<string, (...args: never[]) => unknown>, W = Record<string, never>> {
  readonly name: string;
  /** the Rust crate's package name */
  readonly crate: string;
  /** how its panics behave: "unwind" (caught in Rust; the instance survives) or "abort" (a
   *  trap; the host re-creates the instance) */
  readonly panic: "unwind" | "abort";
  /** the Rust crate's target: a "wasm32-wasip1" app's module imports WASI (src/host/wasi.ts) */
  readonly rustTarget?: "wasm32-unknown-unknown" | "wasm32-wasip1";
  /** limits of the memory the Rust module imports */
  readonly memory: { initial: number; maximum?: number };
  readonly exports: readonly ExportSpec[];
  /** names of the crate's own #[wasm_bindgen] exports */
  readonly wasmBindgenExports: readonly string[];
  /** URL of the Rust module */
  readonly rustWasm: string;
  /** a fresh copy of wasm-bindgen's glue, whose imports call `host` */
  readonly createRustGlue: (host: object) => WasmBindgenGlue;
  /** starts a fresh copy of the OCaml program; resolves when its top level has run */
  readonly loadOCaml: (host: object, addListener: (type: string, listener: (ev: Event) => void) => void) => Promise<unknown>;
  /** the OCaml module's single-memory build, for engines without multi-memory (an app built
   *  with singleMemory has it): fetched only when used */
  readonly loadOCamlSingleMemory?: () => Promise<App["loadOCaml"]>;
  /** types only (never set): the Rust exports and the wasm-bindgen exports */
  readonly __types?: { rust: R; wasmBindgen: W };
}
