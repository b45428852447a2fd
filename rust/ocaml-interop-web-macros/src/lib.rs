//! Procedural macros of ocaml-interop for the web.
//!
//! `#[export]` turns `fn f(cr: &mut OCamlRuntime, x: OCaml<T>, ...) -> OCaml<R>` into a wasm
//! export the OCaml glue calls, plus a describe function the build reads to generate that glue.
//! Parsing and checks live in `export_parse`, code generation in `export_codegen`.

mod derive_describe;
mod derive_from_ocaml;
mod derive_model;
mod derive_to_ocaml;
mod export_async;
mod export_codegen;
mod export_parse;
mod ocaml_fn;

use proc_macro::TokenStream;

/// Exports a Rust function to OCaml, as `#[ocaml_interop::export]` does in the model.
///
/// Attributes: `noalloc`, `bytecode = "name"`, `no_panic_catch` (see the guide, Part 3). An
/// `async fn` of Rust values is exported as a function returning a promise (guide, Part 10).
#[proc_macro_attribute]
pub fn export(attr: TokenStream, item: TokenStream) -> TokenStream {
    // `async fn`: a plain export returning the future's promise (export_async.rs)
    if let Ok(f) = syn::parse::<syn::ItemFn>(item.clone()) {
        if f.sig.asyncness.is_some() {
            return export_async::expand(attr.into(), f)
                .unwrap_or_else(|e| e.to_compile_error())
                .into();
        }
    }
    match export_parse::parse(attr.into(), item.into()) {
        Ok(export) => export_codegen::generate(&export).into(),
        Err(e) => e.to_compile_error().into(),
    }
}

fn derive(input: TokenStream, codegen: fn(&derive_model::Model) -> proc_macro2::TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    match derive_model::parse(&input) {
        Ok(model) => codegen(&model).into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// Converts a Rust struct (an OCaml record or tuple) or enum (a variant, or with
/// `#[ocaml(polymorphic_variant)]` a polymorphic variant) to OCaml. See the guide, Part 6.
#[proc_macro_derive(ToOCaml, attributes(ocaml))]
pub fn derive_to_ocaml(input: TokenStream) -> TokenStream {
    derive(input, derive_to_ocaml::generate)
}

/// Converts OCaml values back; a value of another shape panics with a message naming the type.
#[proc_macro_derive(FromOCaml, attributes(ocaml))]
pub fn derive_from_ocaml(input: TokenStream) -> TokenStream {
    derive(input, derive_from_ocaml::generate)
}

/// Describes the type (the build emits the OCaml type definition from it) and makes it its own
/// default marker.
#[proc_macro_derive(OCamlDescriber, attributes(ocaml))]
pub fn derive_describer(input: TokenStream) -> TokenStream {
    derive(input, derive_describe::generate)
}

/// Used by `ocaml!`: declares `name` and `try_name` for each OCaml function it declares.
#[doc(hidden)]
#[proc_macro]
pub fn __ocaml_fn(input: TokenStream) -> TokenStream {
    match syn::parse::<ocaml_fn::Decl>(input) {
        Ok(d) => ocaml_fn::generate(&d).into(),
        Err(e) => e.to_compile_error().into(),
    }
}
