// What the build tells the host about an application (src/generated/<app>.ts).

/** An OCaml type, as the Rust side describes it: "int", "string", {"option": "int"}, ... */
export type TypeDesc = string | { readonly [k: string]: unknown };

export interface ArgSpec { name: string; kind: "ocaml" | "boxroot" | "f64" | "i64" | "i32" | "bool" | "isize"; type?: TypeDesc }
export interface RetSpec { kind: "ocaml" | "unit" | "f64" | "i64" | "i32" | "bool" | "isize"; type?: TypeDesc }

/** One #[ocaml_interop::export] function. */
export interface ExportSpec {
  v: number;
  name: string;
  /** the wasm export of the Rust module */
  symbol: string;
  args: ArgSpec[];
  ret: RetSpec;
  noalloc: boolean;
  no_panic_catch: boolean;
  bytecode: string | null;
}

export interface AppSpec {
  name: string;
  /** wasm-bindgen's ES module (relative to the page's base URL) */
  rustGlue: string;
  rustWasm: string;
  /** wasm_of_ocaml's loader script */
  ocamlScript: string;
  /** limits of the memory the Rust module imports */
  memory: { initial: number; maximum?: number };
  exports: ExportSpec[];
}
