//! `#[derive(FromOCaml)]`: reads the value from the wire format, checking its shape (tag and
//! size) first; a value of another shape panics with a message naming the type.

use crate::derive_model::{CtorFields, Field, Model, Shape};
use proc_macro2::TokenStream;
use quote::quote;

/// `Field0 { ... }` / `(...)` construction from the fields of block `__v`.
fn read_fields(fields: &[Field], base: usize) -> Vec<TokenStream> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (ty, marker, i) = (&f.ty, &f.marker, (i + base) as u32);
            quote!(<#ty as ::ocaml_interop::FromOCaml<#marker>>::from_ocaml(unsafe {
                ::ocaml_interop::OCaml::from_raw_unchecked(::ocaml_interop::wire::mem::field(__v, #i))
            }))
        })
        .collect()
}

fn build(path: TokenStream, fields: &[Field], named: bool, base: usize) -> TokenStream {
    let values = read_fields(fields, base);
    if named {
        let ids = fields.iter().map(|f| f.ident.as_ref().unwrap());
        quote!(#path { #(#ids: #values),* })
    } else {
        quote!(#path(#(#values),*))
    }
}

pub fn generate(m: &Model) -> TokenStream {
    let ident = &m.ident;
    let marker = &m.marker;
    let name = &m.ocaml_name;
    let body = match &m.shape {
        Shape::Record {
            fields,
            flat_floats: true,
        } => {
            let n = fields.len() as u32;
            let ids = fields.iter().map(|f| f.ident.as_ref().unwrap());
            let idx = 0..fields.len();
            let what = format!("the record {name} ({n} floats, stored flat: tag 254)");
            quote! {
                if !::ocaml_interop::wire::is_block(__v) || unsafe { ::ocaml_interop::wire::mem::tag(__v) } != 254 || unsafe { ::ocaml_interop::wire::mem::size(__v) } != #n {
                    ::ocaml_interop::internal::shape_error(#what, __v);
                }
                let __xs = unsafe { ::ocaml_interop::internal::read_f64s(__v) };
                #ident { #(#ids: __xs[#idx]),* }
            }
        }
        Shape::Record { fields, .. } | Shape::Tuple { fields } => {
            let n = fields.len() as u32;
            let named = matches!(m.shape, Shape::Record { .. });
            let what = format!(
                "the {} {name} (tag 0, {n} fields)",
                if named { "record" } else { "tuple" }
            );
            let b = build(quote!(#ident), fields, named, 0);
            quote! {
                if !::ocaml_interop::wire::is_block(__v) || unsafe { ::ocaml_interop::wire::mem::tag(__v) } != 0 || unsafe { ::ocaml_interop::wire::mem::size(__v) } != #n {
                    ::ocaml_interop::internal::shape_error(#what, __v);
                }
                #b
            }
        }
        Shape::Variant { ctors } => {
            let what = format!("a constructor of {name}");
            let constants = ctors.iter().filter(|c| matches!(c.fields, CtorFields::Unit)).map(|c| {
                let (cid, n) = (&c.ident, c.index as i32);
                quote!(#n => #ident::#cid,)
            });
            let blocks = ctors.iter().filter(|c| !matches!(c.fields, CtorFields::Unit)).map(|c| {
                let (cid, t) = (&c.ident, c.index);
                let (fs, named) = match &c.fields {
                    CtorFields::Tuple(fs) => (fs, false),
                    CtorFields::Named(fs) => (fs, true),
                    CtorFields::Unit => unreachable!(),
                };
                let n = fs.len() as u32;
                let b = build(quote!(#ident::#cid), fs, named, 0);
                quote!((#t, #n) => #b,)
            });
            quote! {
                if ::ocaml_interop::wire::is_immediate(__v) {
                    match ::ocaml_interop::wire::int_val(__v) {
                        #(#constants)*
                        _ => ::ocaml_interop::internal::shape_error(#what, __v),
                    }
                } else if ::ocaml_interop::wire::is_block(__v) {
                    match unsafe { (::ocaml_interop::wire::mem::tag(__v), ::ocaml_interop::wire::mem::size(__v)) } {
                        #(#blocks)*
                        _ => ::ocaml_interop::internal::shape_error(#what, __v),
                    }
                } else {
                    ::ocaml_interop::internal::shape_error(#what, __v)
                }
            }
        }
        Shape::PolyVariant { ctors } => {
            let what = format!("a tag of the polymorphic variant {name}");
            let constants = ctors.iter().filter(|c| matches!(c.fields, CtorFields::Unit)).map(|c| {
                let (cid, tag) = (&c.ident, &c.tag_name);
                quote!(__h if __h == ::ocaml_interop::hash_variant(#tag) => #ident::#cid,)
            });
            let blocks = ctors.iter().filter_map(|c| match &c.fields {
                CtorFields::Tuple(fs) => Some((c, fs, false)),
                CtorFields::Named(fs) => Some((c, fs, true)),
                CtorFields::Unit => None,
            }).map(|(c, fs, named)| {
                let (cid, tag) = (&c.ident, &c.tag_name);
                // one argument is field 1; several are a tuple in field 1 (OCaml's layout). The
                // model's FromOCaml reads a tuple variant's arguments from fields 1, 2, ... of the
                // outer block instead, which fails on what OCaml (and its own ToOCaml) makes.
                let read = if fs.len() == 1 {
                    let b = build(quote!(#ident::#cid), fs, named, 1);
                    quote!(#b)
                } else {
                    let n = fs.len() as u32;
                    let tuple_what = format!("the payload of `{tag} (a {n}-tuple)");
                    let b = build(quote!(#ident::#cid), fs, named, 0);
                    quote!({
                        let __v = unsafe { ::ocaml_interop::wire::mem::field(__v, 1) };
                        if !::ocaml_interop::wire::is_block(__v) || unsafe { ::ocaml_interop::wire::mem::tag(__v) } != 0 || unsafe { ::ocaml_interop::wire::mem::size(__v) } != #n {
                            ::ocaml_interop::internal::shape_error(#tuple_what, __v);
                        }
                        #b
                    })
                };
                quote!(__h if __h == ::ocaml_interop::hash_variant(#tag) => #read,)
            });
            quote! {
                if ::ocaml_interop::wire::is_immediate(__v) {
                    match ::ocaml_interop::wire::int_val(__v) {
                        #(#constants)*
                        _ => ::ocaml_interop::internal::shape_error(#what, __v),
                    }
                } else if ::ocaml_interop::wire::is_block(__v) && unsafe { ::ocaml_interop::wire::mem::size(__v) } == 2 {
                    let __hw = unsafe { ::ocaml_interop::wire::mem::field(__v, 0) };
                    match ::ocaml_interop::wire::int_val(__hw) {
                        #(#blocks)*
                        _ => ::ocaml_interop::internal::shape_error(#what, __v),
                    }
                } else {
                    ::ocaml_interop::internal::shape_error(#what, __v)
                }
            }
        }
    };
    quote! {
        unsafe impl ::ocaml_interop::FromOCaml<#marker> for #ident {
            #[allow(unreachable_patterns, clippy::match_single_binding)]
            fn from_ocaml(v: ::ocaml_interop::OCaml<#marker>) -> Self {
                let __v: ::ocaml_interop::RawOCaml = unsafe { v.raw() };
                // one level of the wire format's nesting limit (past it a panic naming the export)
                let __level = ::ocaml_interop::internal::nesting_from_ocaml(__v);
                #body
            }
        }
    }
}
