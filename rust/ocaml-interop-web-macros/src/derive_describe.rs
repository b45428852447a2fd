//! `#[derive(OCamlDescriber)]`: the type's description for the build (which emits the OCaml
//! type definition and checks the user's against it) and the TS host (which converts JS
//! objects). Also gives the type its default marker: itself.

use crate::derive_model::{CtorFields, Field, Model, Shape};
use proc_macro2::TokenStream;
use quote::quote;

/// Code appending `s` as a JSON string: every name in a description goes through the runtime's
/// one escaper (`json_string`: quotes, backslashes and control characters), never through one of
/// the macro's own.
fn json(s: &str) -> TokenStream {
    quote! { __out.push_str(&::ocaml_interop::internal::json_string(#s)); }
}

/// `[{"name": "x", "type": T}, ...]`
fn field_list(fields: &[Field]) -> TokenStream {
    let parts = fields.iter().enumerate().map(|(i, f)| {
        let head = format!("{}{{\"name\":", if i == 0 { "" } else { "," });
        let name = json(&f.ocaml_name);
        let marker = &f.marker;
        quote! {
            __out.push_str(#head);
            #name
            __out.push_str(",\"type\":");
            <#marker as ::ocaml_interop::OCamlDescriber>::describe(__out);
            __out.push('}');
        }
    });
    quote! { __out.push('['); #(#parts)* __out.push(']'); }
}

pub fn generate(m: &Model) -> TokenStream {
    let ident = &m.ident;
    let marker = &m.marker;
    let name = &m.ocaml_name;
    let body = match &m.shape {
        Shape::Record { fields, flat_floats } => {
            let name = json(name);
            let rest = format!(",\"flat_floats\":{flat_floats},\"fields\":");
            let fl = field_list(fields);
            quote! { __out.push_str("{\"record\":{\"name\":"); #name __out.push_str(#rest); #fl __out.push_str("}}"); }
        }
        Shape::Tuple { fields } => {
            let parts = fields.iter().enumerate().map(|(i, f)| {
                let marker = &f.marker;
                let sep = if i == 0 { "" } else { "," };
                quote! { __out.push_str(#sep); <#marker as ::ocaml_interop::OCamlDescriber>::describe(__out); }
            });
            quote! { __out.push_str("{\"tuple\":["); #(#parts)* __out.push_str("]}"); }
        }
        Shape::Variant { ctors } | Shape::PolyVariant { ctors } => {
            let poly = matches!(m.shape, Shape::PolyVariant { .. });
            let key = if poly { "polyvar" } else { "variant" };
            let head = format!("{{\"{key}\":{{\"name\":");
            let type_name = json(name);
            let parts = ctors.iter().enumerate().map(|(i, c)| {
                let sep = if i == 0 { "" } else { "," };
                let ocaml = if poly { &c.tag_name } else { &c.ocaml_name };
                let extra = if poly { format!(",\"hash\":{}", hash_variant(&c.tag_name)) } else { format!(",\"index\":{}", c.index) };
                let start = format!("{sep}{{\"name\":");
                let ctor_name = json(ocaml);
                let args = match &c.fields {
                    CtorFields::Unit => quote! { __out.push_str(",\"args\":[]"); },
                    CtorFields::Tuple(fs) => {
                        let parts = fs.iter().enumerate().map(|(j, f)| {
                            let marker = &f.marker;
                            let sep = if j == 0 { "" } else { "," };
                            quote! { __out.push_str(#sep); <#marker as ::ocaml_interop::OCamlDescriber>::describe(__out); }
                        });
                        quote! { __out.push_str(",\"args\":["); #(#parts)* __out.push(']'); }
                    }
                    // a polymorphic variant's tag has arguments, not an inline record: `Step { count }`
                    // is `Step of int` (the field names stay Rust's)
                    CtorFields::Named(fs) if poly => {
                        let parts = fs.iter().enumerate().map(|(j, f)| {
                            let marker = &f.marker;
                            let sep = if j == 0 { "" } else { "," };
                            quote! { __out.push_str(#sep); <#marker as ::ocaml_interop::OCamlDescriber>::describe(__out); }
                        });
                        quote! { __out.push_str(",\"args\":["); #(#parts)* __out.push(']'); }
                    }
                    CtorFields::Named(fs) => {
                        let fl = field_list(fs);
                        quote! { __out.push_str(",\"record\":"); #fl }
                    }
                };
                quote! { __out.push_str(#start); #ctor_name __out.push_str(#extra); #args __out.push('}'); }
            });
            quote! { __out.push_str(#head); #type_name __out.push_str(",\"ctors\":["); #(#parts)* __out.push_str("]}}"); }
        }
    };
    quote! {
        impl ::ocaml_interop::OCamlDescriber for #marker {
            fn describe(out: &mut ::std::string::String) {
                ::ocaml_interop::internal::describe_named(out, #name, |__out: &mut ::std::string::String| { #body });
            }
        }
        impl ::ocaml_interop::DefaultOCamlMapping for #ident {
            type OCamlType = #marker;
        }
    }
}

/// Same as `ocaml_interop::hash_variant` (the build computes it once for the description).
fn hash_variant(tag: &str) -> i32 {
    let mut accu: u32 = 0;
    for b in tag.bytes() {
        accu = accu.wrapping_mul(223).wrapping_add(b as u32);
    }
    accu &= 0x7fff_ffff;
    if accu > 0x3fff_ffff {
        (accu as i64 - (1i64 << 31)) as i32
    } else {
        accu as i32
    }
}
