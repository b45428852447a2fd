//! The functions `ocaml!` declares for each entry: `name` (an exception panics, as in the
//! model) and `try_name` (an exception comes back as `Err`). macro_rules cannot build the
//! `try_` identifier, so `ocaml!` hands each declaration to this proc macro.
//!
//! Input (from `ocaml!`): `vis fn name(a: A, b: B) -> (R)`, with `()` for no result.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{parenthesized, Ident, Token, Type, Visibility};

pub struct Decl {
    vis: Visibility,
    name: Ident,
    args: Vec<(Ident, Type)>,
    ret: Type,
}

struct Arg(Ident, Type);

impl Parse for Arg {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let id: Ident = input.parse()?;
        input.parse::<Token![:]>()?;
        Ok(Arg(id, input.parse()?))
    }
}

impl Parse for Decl {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let vis: Visibility = input.parse()?;
        input.parse::<Token![fn]>()?;
        let name: Ident = input.parse()?;
        let content;
        parenthesized!(content in input);
        let args: Punctuated<Arg, Token![,]> = content.parse_terminated(Arg::parse, Token![,])?;
        input.parse::<Token![->]>()?;
        let ret_content;
        parenthesized!(ret_content in input);
        // `-> ()` when the declaration has no result
        let ret: Type = if ret_content.is_empty() {
            syn::parse_quote!(())
        } else {
            ret_content.parse()?
        };
        Ok(Decl {
            vis,
            name,
            args: args.into_iter().map(|Arg(i, t)| (i, t)).collect(),
            ret,
        })
    }
}

pub fn generate(d: &Decl) -> TokenStream {
    let Decl { vis, name, args, ret } = d;
    let try_name = format_ident!("try_{}", name);
    let name_str = name.to_string();
    let ids: Vec<_> = args.iter().map(|(i, _)| i).collect();
    let tys: Vec<_> = args.iter().map(|(_, t)| t).collect();
    // by value, as on the model's main branch: `f(cr, 42)`, `f(cr, "s")`, `f(cr, ())`, `f(cr, record)`,
    // `f(cr, OCaml::unit())`; references go through `ToOCaml for &A`, so the 0.12 forms
    // (`&root`, `&value`, `root.as_ref()`, `&OCaml::unit()`) work too
    let params = quote!(cr: &'a mut ::ocaml_interop::OCamlRuntime, #( #ids: impl ::ocaml_interop::ToOCaml<#tys> ),*);
    // both forms: the registered function (looked up once), the arguments written for the call
    let prologue = quote! {
        static F: ::ocaml_interop::internal::NamedFunction = ::ocaml_interop::internal::NamedFunction::new(#name_str);
        let mark = ::ocaml_interop::internal::call_mark();
        let args = [ #( unsafe { ::ocaml_interop::ToOCaml::<#tys>::to_ocaml(&#ids, cr).raw() } ),* ];
    };
    let doc =
        format!("Calls the OCaml function registered as `\"{name_str}\"`; an OCaml exception panics, as in the model.");
    let try_doc = format!(
        "Calls the OCaml function registered as `\"{name_str}\"`; an OCaml exception comes back as `Err` \
         (valid until the enclosing call returns), as does a missing registration (`Failure`)."
    );
    quote! {
        #[doc = #doc]
        #[allow(clippy::unused_unit, clippy::too_many_arguments)]
        #vis fn #name<'a>(#params) -> ::ocaml_interop::BoxRoot<#ret> {
            #prologue
            ::ocaml_interop::internal::call_named(cr, &F, mark, &args)
        }

        #[doc = #try_doc]
        #[allow(clippy::unused_unit, clippy::too_many_arguments, dead_code)]
        #vis fn #try_name<'a>(#params) -> ::core::result::Result<::ocaml_interop::BoxRoot<#ret>, ::ocaml_interop::OCaml<'a, ::ocaml_interop::OCamlException>> {
            #prologue
            ::ocaml_interop::internal::try_call_named_exn(cr, &F, mark, &args)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declares_both_forms() {
        let d: Decl = syn::parse2(quote!(pub fn ocaml_len(s: String, n: OCamlInt) -> (OCamlInt))).unwrap();
        let out = generate(&d).to_string();
        assert!(out.contains("pub fn ocaml_len"), "{out}");
        assert!(out.contains("call_named (cr"), "{out}");
        assert!(out.contains("fn try_ocaml_len"), "{out}");
        assert!(out.contains("\"ocaml_len\""), "{out}");
        assert!(out.contains("try_call_named_exn"), "{out}");
        let d: Decl = syn::parse2(quote!(fn unit_fn(u: ()) -> ())).unwrap();
        assert!(generate(&d).to_string().contains("fn try_unit_fn"));
    }
}
