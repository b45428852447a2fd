//! `#[export] async fn`: an async function of Rust values, exported as a function that returns
//! a promise.
//!
//! ```ignore
//! #[ocaml_interop::export]
//! async fn greet(name: String) -> Result<String, String> { ... }
//! ```
//! becomes the async function under a hidden name, and a plain export
//! `fn greet(cr, name: OCaml<<String as DefaultOCamlMapping>::OCamlType>)
//!  -> OCaml<OCamlPromise<<String as DefaultOCamlMapping>::OCamlType>>` that converts its
//! arguments to Rust values (the runtime handle cannot be held across an `await`) and returns
//! `ocaml_async` of the future. Each type crosses as its default OCaml type (the model's
//! `DefaultOCamlMapping`: `String` as `string`, `i64` as `int64`, `f64` as `float`, `Vec<T>` as a
//! list, a type deriving `OCamlDescriber` as itself). A `Result<T, E>` result rejects the promise
//! with `E` (a `String`, or an `ocaml_interop::Rejection` that keeps its class); any other result
//! fulfils it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{spanned::Spanned, Error, FnArg, GenericArgument, ItemFn, Pat, PathArguments, ReturnType, Type};

pub fn expand(attr: TokenStream, func: ItemFn) -> syn::Result<TokenStream> {
    if !attr.is_empty() {
        return Err(Error::new(
            attr.span(),
            "#[ocaml_interop::export] async functions take no attributes (noalloc, bytecode and no_panic_catch are for plain exports)",
        ));
    }
    let sig = &func.sig;
    if sig.generics.params.iter().next().is_some() {
        return Err(Error::new(
            sig.generics.span(),
            "#[ocaml_interop::export] functions cannot be generic",
        ));
    }
    let mut names = Vec::new();
    let mut types = Vec::new();
    for input in &sig.inputs {
        let FnArg::Typed(pt) = input else {
            return Err(Error::new(
                input.span(),
                "#[ocaml_interop::export] functions cannot take self",
            ));
        };
        let Pat::Ident(id) = &*pt.pat else {
            return Err(Error::new(
                pt.pat.span(),
                "an argument of an exported async function must be a plain name",
            ));
        };
        if let Type::Reference(_) = &*pt.ty {
            return Err(Error::new(
                pt.ty.span(),
                "an exported async function takes its arguments by value (Rust values it owns across its awaits; \
                 the runtime handle `cr` cannot be held across an await: take it inside with OCamlRuntime::with_domain_lock)",
            ));
        }
        names.push(id.ident.clone());
        types.push((*pt.ty).clone());
    }
    let name = &sig.ident;
    let vis = &func.vis;
    let inner = format_ident!("__oiw_async_{}", name);
    let docs: Vec<_> = func.attrs.iter().filter(|a| a.path().is_ident("doc")).collect();
    let mut inner_fn = func.clone();
    inner_fn.sig.ident = inner.clone();
    inner_fn.vis = syn::Visibility::Inherited;
    inner_fn.attrs.retain(|a| !a.path().is_ident("doc"));

    let mapped = |t: &Type| quote!(<#t as ::ocaml_interop::DefaultOCamlMapping>::OCamlType);
    let params: Vec<TokenStream> = names
        .iter()
        .zip(&types)
        .map(|(n, t)| {
            let m = mapped(t);
            quote!(#n: ::ocaml_interop::OCaml<#m>)
        })
        .collect();
    let converts: Vec<TokenStream> = names
        .iter()
        .zip(&types)
        .map(|(n, t)| quote!(let #n: #t = #n.to_rust();))
        .collect();
    // an OCaml external takes at least one argument
    let unit = names.is_empty().then(|| quote!(_unit: ::ocaml_interop::OCaml<()>));

    let (marker, future) = match &sig.output {
        ReturnType::Default => (
            quote!(()),
            quote!(async move { ::core::result::Result::Ok::<(), ::ocaml_interop::Rejection>(#inner(#(#names),*).await) }),
        ),
        ReturnType::Type(_, t) => match result_ok_type(t) {
            Some(ok) => (mapped(ok), quote!(#inner(#(#names),*))),
            None => (
                mapped(t),
                quote!(async move { ::core::result::Result::Ok::<#t, ::ocaml_interop::Rejection>(#inner(#(#names),*).await) }),
            ),
        },
    };
    Ok(quote! {
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        #inner_fn

        #(#docs)*
        #[::ocaml_interop::export]
        #vis fn #name(cr: &mut ::ocaml_interop::OCamlRuntime, #unit #(#params),*) -> ::ocaml_interop::OCaml<::ocaml_interop::OCamlPromise<#marker>> {
            #(#converts)*
            ::ocaml_interop::ocaml_async(cr, #future)
        }
    })
}

/// `T` when the type is `Result<T, E>`.
fn result_ok_type(t: &Type) -> Option<&Type> {
    let Type::Path(p) = t else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let PathArguments::AngleBracketed(a) = &last.arguments else {
        return None;
    };
    match a.args.first()? {
        GenericArgument::Type(ok) if a.args.len() == 2 => Some(ok),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_str(attr: TokenStream, item: TokenStream) -> Result<String, String> {
        let f: ItemFn = syn::parse2(item).unwrap();
        expand(attr, f).map(|t| t.to_string()).map_err(|e| e.to_string())
    }

    #[test]
    fn an_async_fn_becomes_an_export_of_its_promise() {
        let out = expand_str(
            quote!(),
            quote!(
                pub async fn greet(name: String) -> Result<String, String> {
                    Ok(name)
                }
            ),
        )
        .unwrap();
        assert!(out.contains("async fn __oiw_async_greet"), "{out}");
        assert!(out.contains("# [:: ocaml_interop :: export] pub fn greet"), "{out}");
        assert!(
            out.contains("OCamlPromise < < String as :: ocaml_interop :: DefaultOCamlMapping > :: OCamlType >"),
            "{out}"
        );
        assert!(out.contains("let name : String = name . to_rust ()"), "{out}");
        // no argument: the unit an OCaml external needs
        let out = expand_str(
            quote!(),
            quote!(
                async fn tick() -> i32 {
                    1
                }
            ),
        )
        .unwrap();
        assert!(out.contains("_unit : :: ocaml_interop :: OCaml < () >"), "{out}");
        assert!(out.contains("Ok :: < i32 , :: ocaml_interop :: Rejection >"), "{out}");
    }

    #[test]
    fn refuses_the_runtime_handle_references_self_and_attributes() {
        let e = expand_str(
            quote!(),
            quote!(
                async fn f(cr: &mut OCamlRuntime) {}
            ),
        )
        .unwrap_err();
        assert!(e.contains("takes its arguments by value"), "{e}");
        let e = expand_str(
            quote!(noalloc),
            quote!(
                async fn f(x: String) {}
            ),
        )
        .unwrap_err();
        assert!(e.contains("take no attributes"), "{e}");
        let e = expand_str(
            quote!(),
            quote!(
                async fn f<T>(x: T) {}
            ),
        )
        .unwrap_err();
        assert!(e.contains("cannot be generic"), "{e}");
        let e = expand_str(
            quote!(),
            quote!(
                async fn f((a, b): (i32, i32)) {}
            ),
        )
        .unwrap_err();
        assert!(e.contains("must be a plain name"), "{e}");
    }
}
