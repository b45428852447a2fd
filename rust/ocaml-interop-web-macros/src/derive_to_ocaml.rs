//! `#[derive(ToOCaml)]`: writes the value in the wire format, blocks in pre-order.

use crate::derive_model::{CtorFields, Field, Model, Shape};
use proc_macro2::TokenStream;
use quote::quote;

/// Allocates a block with `tag` and writes `fields` into it (pre-order: the block first).
/// `counted`: whether the block is a level of the nesting limit (a polymorphic variant's
/// payload tuple is not: the variant and its arguments are one level, as the TS host counts).
fn block(tag: u8, fields: &[Field], counted: bool) -> TokenStream {
    let n = fields.len() as u32;
    let writes = fields.iter().enumerate().map(|(i, f)| {
        let (access, marker, i) = (&f.access, &f.marker, i as u32);
        quote! {
            let __w = unsafe { ::ocaml_interop::ToOCaml::<#marker>::to_ocaml(&#access, cr).raw() };
            unsafe { ::ocaml_interop::wire::mem::set_field(__b, #i, __w) };
        }
    });
    let level = if counted {
        // one level of the wire format's nesting limit (past it the call fails, naming it)
        quote!(let Some(__level) = ::ocaml_interop::internal::nesting_to_ocaml() else { return ::ocaml_interop::internal::unit_value(cr) };)
    } else {
        quote!()
    };
    quote! {{
        #level
        let Some(__b) = ::ocaml_interop::internal::alloc::block(#tag, #n) else { return ::ocaml_interop::internal::unit_value(cr) };
        #(#writes)*
        __b
    }}
}

pub fn generate(m: &Model) -> TokenStream {
    let ident = &m.ident;
    let marker = &m.marker;
    let body = match &m.shape {
        Shape::Record {
            fields,
            flat_floats: true,
        } => {
            let xs = fields.iter().map(|f| &f.access);
            quote! {{
                let Some(__level) = ::ocaml_interop::internal::nesting_to_ocaml() else { return ::ocaml_interop::internal::unit_value(cr) };
                ::ocaml_interop::internal::alloc::float_array(&[#(#xs),*])
            }}
        }
        Shape::Record { fields, .. } | Shape::Tuple { fields } => block(0, fields, true),
        Shape::Variant { ctors } => {
            let arms = ctors.iter().map(|c| {
                let cid = &c.ident;
                match &c.fields {
                    CtorFields::Unit => {
                        let n = c.index as i32;
                        quote!(#ident::#cid => ::ocaml_interop::wire::val_int(#n),)
                    }
                    CtorFields::Tuple(fs) => {
                        let bs = fs.iter().map(|f| &f.binding);
                        let b = block(c.index, fs, true);
                        quote!(#ident::#cid(#(#bs),*) => #b,)
                    }
                    CtorFields::Named(fs) => {
                        let pats = fs.iter().map(|f| {
                            let (id, b) = (f.ident.as_ref().unwrap(), &f.binding);
                            quote!(#id: #b)
                        });
                        let b = block(c.index, fs, true);
                        quote!(#ident::#cid { #(#pats),* } => #b,)
                    }
                }
            });
            quote! { match self { #(#arms)* } }
        }
        Shape::PolyVariant { ctors } => {
            let arms = ctors.iter().map(|c| {
                let cid = &c.ident;
                let tag = &c.tag_name;
                let hash = quote!(::ocaml_interop::wire::val_int(::ocaml_interop::hash_variant(#tag)));
                match &c.fields {
                    CtorFields::Unit => quote!(#ident::#cid => #hash,),
                    CtorFields::Tuple(fs) | CtorFields::Named(fs) => {
                        let pat = match &c.fields {
                            CtorFields::Named(_) => {
                                let pats = fs.iter().map(|f| {
                                    let (id, b) = (f.ident.as_ref().unwrap(), &f.binding);
                                    quote!(#id: #b)
                                });
                                quote!(#ident::#cid { #(#pats),* })
                            }
                            _ => {
                                let bs = fs.iter().map(|f| &f.binding);
                                quote!(#ident::#cid(#(#bs),*))
                            }
                        };
                        // `Tag of a` is (hash, a); `Tag of a * b` is (hash, (a, b)), for tuple and
                        // struct variants alike (OCaml's layout, and the model's ToOCaml)
                        let payload = if fs.len() == 1 {
                            let (b, marker) = (&fs[0].binding, &fs[0].marker);
                            quote!(unsafe { ::ocaml_interop::ToOCaml::<#marker>::to_ocaml(#b, cr).raw() })
                        } else {
                            block(0, fs, false)
                        };
                        quote!(#pat => {
                            let Some(__level) = ::ocaml_interop::internal::nesting_to_ocaml() else { return ::ocaml_interop::internal::unit_value(cr) };
                            let Some(__p) = ::ocaml_interop::internal::alloc::block(0, 2) else { return ::ocaml_interop::internal::unit_value(cr) };
                            unsafe { ::ocaml_interop::wire::mem::set_field(__p, 0, #hash) };
                            let __v = #payload;
                            unsafe { ::ocaml_interop::wire::mem::set_field(__p, 1, __v) };
                            __p
                        })
                    }
                }
            });
            quote! { match self { #(#arms)* } }
        }
    };
    quote! {
        unsafe impl ::ocaml_interop::ToOCaml<#marker> for #ident {
            #[allow(unused_variables, clippy::needless_borrow)]
            fn to_ocaml<'a>(&self, cr: &'a mut ::ocaml_interop::OCamlRuntime) -> ::ocaml_interop::OCaml<'a, #marker> {
                #[allow(clippy::redundant_closure_call)]
                let __raw: ::ocaml_interop::RawOCaml = (|| -> ::ocaml_interop::RawOCaml { #body })();
                unsafe { ::ocaml_interop::OCaml::from_raw_unchecked(__raw) }
            }
        }
    }
}
