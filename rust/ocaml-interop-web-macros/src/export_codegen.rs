//! Code generation for `#[export]`.
//!
//! For `fn twice(cr, n: OCaml<OCamlInt>) -> OCaml<OCamlInt>` it emits:
//! - the function itself, with its `'gc` lifetimes made explicit (still callable from Rust);
//! - `oiw_export_twice`, the wasm export the OCaml glue calls, taking and returning wire words;
//! - `oiw_describe_twice`, which returns the export's signature as JSON for the build.

use crate::export_parse::{Export, Kind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

fn wasm_type(kind: &Kind) -> TokenStream {
    match kind {
        Kind::OCaml(_) | Kind::BoxRoot(_) | Kind::Unit | Kind::Fallible(..) => quote!(::ocaml_interop::RawOCaml),
        Kind::Prim("f64") => quote!(f64),
        Kind::Prim("i64") => quote!(i64),
        Kind::Prim(_) => quote!(i32),
    }
}

fn describe_kind(kind: &Kind) -> TokenStream {
    match kind {
        Kind::OCaml(t) | Kind::BoxRoot(t) => {
            let k = if matches!(kind, Kind::OCaml(_)) {
                "ocaml"
            } else {
                "boxroot"
            };
            let head = format!("\"kind\":\"{k}\",\"type\":");
            // a type without OCamlDescriber is described as unknown (see internal::Describe)
            quote! {
                __s.push_str(#head);
                {
                    #[allow(unused_imports)]
                    use ::ocaml_interop::internal::{DescribeKnown as _, DescribeUnknown as _};
                    (&&::ocaml_interop::internal::Describe::<#t>::new()).describe_into(&mut __s);
                }
            }
        }
        Kind::Prim(p) => {
            let s = format!("\"kind\":\"{p}\"");
            quote!(__s.push_str(#s);)
        }
        Kind::Unit => quote!(__s.push_str("\"kind\":\"unit\"");),
        Kind::Fallible(t) => describe_kind(&Kind::OCaml(t.clone())),
    }
}

pub fn generate(e: &Export) -> TokenStream {
    let func = &e.func;
    let name = &e.name;
    let name_str = name.to_string();
    let export_fn = format_ident!("__oiw_export_{}", name);
    let describe_fn = format_ident!("__oiw_describe_{}", name);
    let export_symbol = format!("oiw_export_{name}");
    let describe_symbol = format!("oiw_describe_{name}");

    let raw_params: Vec<_> = e
        .args
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let id = format_ident!("__a{}", i);
            let ty = wasm_type(&a.kind);
            quote!(#id: #ty)
        })
        .collect();
    let converted: Vec<_> = e
        .args
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let id = format_ident!("__a{}", i);
            match &a.kind {
                Kind::OCaml(t) => quote!(unsafe { ::ocaml_interop::internal::arg::<#t>(#id) }),
                Kind::BoxRoot(t) => quote!(unsafe { ::ocaml_interop::internal::arg_root::<#t>(#id) }),
                Kind::Prim("bool") => quote!(#id != 0),
                Kind::Prim("isize") => quote!(#id as isize),
                Kind::Prim(_) | Kind::Unit | Kind::Fallible(..) => quote!(#id),
            }
        })
        .collect();
    let ret_ty = wasm_type(&e.ret);
    let ret_conv = match &e.ret {
        Kind::OCaml(_) | Kind::BoxRoot(_) | Kind::Unit | Kind::Fallible(..) => {
            quote!(::ocaml_interop::internal::ExportResult::into_raw(__r))
        }
        Kind::Prim("f64") | Kind::Prim("i64") | Kind::Prim("i32") => quote!(__r),
        Kind::Prim("bool") => quote!(__r as i32),
        Kind::Prim(_) => quote!(__r as i32),
    };
    // a panic is caught (with panics that unwind) unless the export says no_panic_catch; a
    // catching export is "C-unwind" so that a JS exception thrown into Rust (by an import without
    // wasm-bindgen's `catch`) reaches the host as itself, after Rust's destructors ran; one that
    // does not catch is "C", so that a panic aborts there (the host re-creates the instance)
    let catch = !e.no_panic_catch;
    let abi = if catch {
        quote!(extern "C-unwind")
    } else {
        quote!(extern "C")
    };
    // primitive results cannot carry the error sentinel: a pending error is reported through
    // the error slot, which the glue checks after such calls
    let body = match &e.ret {
        Kind::Prim(_) => quote! {
            let mut __out = Default::default();
            let __w = ::ocaml_interop::internal::run_export_with(#name_str, #catch, |__cr| {
                let __r = #name(__cr, #(#converted),*);
                __out = #ret_conv;
                ::ocaml_interop::wire::UNIT
            });
            let _ = __w;
            __out
        },
        _ => quote! {
            ::ocaml_interop::internal::run_export_with(#name_str, #catch, |__cr| {
                let __r = #name(__cr, #(#converted),*);
                #ret_conv
            })
        },
    };

    let describe_args: Vec<_> = e
        .args
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let sep = if i == 0 { "{\"name\":" } else { ",{\"name\":" };
            let arg_name = a.name.to_string();
            let k = describe_kind(&a.kind);
            quote! {
                __s.push_str(#sep);
                __s.push_str(&::ocaml_interop::internal::json_string(#arg_name));
                __s.push(',');
                #k
                __s.push('}');
            }
        })
        .collect();
    let describe_ret = describe_kind(&e.ret);
    // every name goes through the runtime's one JSON escaper (json_string)
    let bytecode = match &e.bytecode {
        Some(b) => quote! { __s.push_str(&::ocaml_interop::internal::json_string(#b)); },
        None => quote! { __s.push_str("null"); },
    };
    let flags = format!(
        ",\"noalloc\":{},\"no_panic_catch\":{},\"bytecode\":",
        e.noalloc, e.no_panic_catch
    );

    quote! {
        #func

        #[doc(hidden)]
        #[allow(non_snake_case, clippy::unused_unit)]
        #[export_name = #export_symbol]
        pub #abi fn #export_fn(#(#raw_params),*) -> #ret_ty {
            #body
        }

        #[doc(hidden)]
        #[allow(non_snake_case)]
        #[export_name = #describe_symbol]
        pub extern "C" fn #describe_fn() -> u32 {
            let mut __s = ::std::string::String::new();
            __s.push_str("{\"v\":1,\"name\":");
            __s.push_str(&::ocaml_interop::internal::json_string(#name_str));
            __s.push_str(",\"symbol\":");
            __s.push_str(&::ocaml_interop::internal::json_string(#export_symbol));
            __s.push_str(",\"args\":[");
            #(#describe_args)*
            __s.push_str("],\"ret\":{");
            #describe_ret
            __s.push('}');
            __s.push_str(#flags);
            #bytecode
            __s.push('}');
            ::ocaml_interop::internal::describe_result(__s)
        }
    }
}
