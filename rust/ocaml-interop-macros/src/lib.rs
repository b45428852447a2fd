//! Procedural macros of ocaml-interop for the web.
//!
//! `#[export]` turns `fn f(cr: &mut OCamlRuntime, x: OCaml<T>, ...) -> OCaml<R>` into a wasm
//! export the OCaml glue calls, plus a describe function the build reads to generate that glue.
//! Parsing and checks live in `export_parse`, code generation in `export_codegen`.

mod export_codegen;
mod export_parse;

use proc_macro::TokenStream;

/// Exports a Rust function to OCaml, as `#[ocaml_interop::export]` does in the model.
///
/// Attributes: `noalloc`, `bytecode = "name"`, `no_panic_catch` (see the guide, Part 3).
#[proc_macro_attribute]
pub fn export(attr: TokenStream, item: TokenStream) -> TokenStream {
    match export_parse::parse(attr.into(), item.into()) {
        Ok(export) => export_codegen::generate(&export).into(),
        Err(e) => e.to_compile_error().into(),
    }
}
