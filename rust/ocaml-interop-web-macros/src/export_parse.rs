//! Parsing and checking an `#[export]` function.

use proc_macro2::{Span, TokenStream};
#[cfg(test)]
use quote::ToTokens;
use syn::visit_mut::VisitMut;
use syn::{
    parse::Parser, punctuated::Punctuated, spanned::Spanned, Error, FnArg, GenericArgument, ItemFn, Lifetime, Meta,
    Pat, PathArguments, ReturnType, Token, Type,
};

/// How an argument or result crosses the boundary.
#[derive(Clone)]
pub enum Kind {
    /// `OCaml<T>`: a wire word, unrooted.
    OCaml(Type),
    /// `BoxRoot<T>`: a wire word, rooted before the body runs.
    BoxRoot(Type),
    /// A direct primitive: `f64`, `i64`, `i32`, `bool`, `isize`.
    Prim(&'static str),
    /// `()` / no result.
    Unit,
    /// `Result<OCaml<T>, E>` (result only): `Err` raises in OCaml; E is `OCaml<OCamlException>`
    /// (re-raised as it is) or `String` (`Failure`); the error type is checked by the
    /// `ExportResult` trait, so only the success type is kept.
    Fallible(Type),
}

pub struct Arg {
    pub name: syn::Ident,
    pub kind: Kind,
}

pub struct Export {
    pub func: ItemFn,
    pub name: syn::Ident,
    pub args: Vec<Arg>,
    pub ret: Kind,
    pub noalloc: bool,
    pub bytecode: Option<String>,
    pub no_panic_catch: bool,
}

pub const LIFETIME: &str = "'__oiw_gc";

pub fn parse(attr: TokenStream, item: TokenStream) -> syn::Result<Export> {
    let mut func: ItemFn = syn::parse2(item)?;
    let (noalloc, bytecode, no_panic_catch) = parse_attrs(attr)?;
    let sig = &func.sig;
    if let Some(a) = &sig.asyncness {
        return Err(Error::new(
            a.span(),
            "#[ocaml_interop::export] functions cannot be async",
        ));
    }
    if sig.generics.type_params().count() > 0 || sig.generics.const_params().count() > 0 {
        return Err(Error::new(
            sig.generics.span(),
            "#[ocaml_interop::export] functions cannot be generic",
        ));
    }
    if let Some(v) = &sig.variadic {
        return Err(Error::new(
            v.span(),
            "#[ocaml_interop::export] functions cannot be variadic",
        ));
    }
    let mut inputs = sig.inputs.iter();
    let first = inputs.next().ok_or_else(|| {
        Error::new(
            sig.span(),
            "the first argument must be the runtime handle: `cr: &mut OCamlRuntime`",
        )
    })?;
    check_runtime_arg(first, noalloc)?;
    let mut args = Vec::new();
    for input in inputs {
        let FnArg::Typed(pt) = input else {
            return Err(Error::new(
                input.span(),
                "`self` cannot be an argument of an exported function",
            ));
        };
        let Pat::Ident(pi) = &*pt.pat else {
            return Err(Error::new(
                pt.pat.span(),
                "arguments of exported functions must be plain identifiers",
            ));
        };
        let kind = classify(&pt.ty, false)?;
        if noalloc && matches!(kind, Kind::BoxRoot(_)) {
            return Err(Error::new(
                pt.ty.span(),
                "`noalloc` exports cannot take `BoxRoot` arguments (rooting allocates)",
            ));
        }
        args.push(Arg {
            name: pi.ident.clone(),
            kind,
        });
    }
    if args.is_empty() {
        return Err(Error::new(
            sig.inputs.span(),
            "an exported function needs at least one argument besides the runtime (OCaml functions take at least one; use `_unit: OCaml<()>`)",
        ));
    }
    let ret = match &sig.output {
        ReturnType::Default => Kind::Unit,
        ReturnType::Type(_, ty) => {
            let k = classify(ty, true)?;
            if let Kind::BoxRoot(_) = k {
                return Err(Error::new(
                    ty.span(),
                    "`BoxRoot<T>` cannot be returned: return `OCaml<T>` instead (e.g. `root.get(cr)`)",
                ));
            }
            k
        }
    };
    let name = sig.ident.clone();
    // make the elided `'gc` lifetimes explicit so the function stays callable from Rust
    add_lifetimes(&mut func);
    Ok(Export {
        func,
        name,
        args,
        ret,
        noalloc,
        bytecode,
        no_panic_catch,
    })
}

fn parse_attrs(attr: TokenStream) -> syn::Result<(bool, Option<String>, bool)> {
    let metas = Punctuated::<Meta, Token![,]>::parse_terminated.parse2(attr)?;
    let (mut noalloc, mut bytecode, mut no_panic_catch) = (false, None, false);
    let mut seen = std::collections::HashSet::new();
    for m in metas {
        let key = m.path().get_ident().map(|i| i.to_string()).unwrap_or_default();
        if !seen.insert(key.clone()) {
            return Err(Error::new(m.span(), format!("`{key}` given more than once")));
        }
        match (key.as_str(), &m) {
            ("noalloc", Meta::Path(_)) => noalloc = true,
            ("no_panic_catch", Meta::Path(_)) => no_panic_catch = true,
            ("bytecode", Meta::NameValue(nv)) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s), ..
                }) => bytecode = Some(s.value()),
                other => return Err(Error::new(other.span(), "expected `bytecode = \"name\"`")),
            },
            _ => {
                return Err(Error::new(
                    m.span(),
                    "unknown attribute: expected `noalloc`, `no_panic_catch` or `bytecode = \"name\"`",
                ))
            }
        }
    }
    Ok((noalloc, bytecode, no_panic_catch))
}

fn last_ident(ty: &Type) -> Option<(&syn::PathSegment, String)> {
    if let Type::Path(tp) = ty {
        let seg = tp.path.segments.last()?;
        return Some((seg, seg.ident.to_string()));
    }
    None
}

fn check_runtime_arg(arg: &FnArg, noalloc: bool) -> syn::Result<()> {
    let err = |s: Span| {
        Err(Error::new(
            s,
            if noalloc {
                "with `noalloc` the first argument must be `cr: &OCamlRuntime` (not `&mut`)"
            } else {
                "the first argument must be the runtime handle: `cr: &mut OCamlRuntime` (`&OCamlRuntime` only with `noalloc`)"
            },
        ))
    };
    let FnArg::Typed(pt) = arg else { return err(arg.span()) };
    let Type::Reference(r) = &*pt.ty else {
        return err(pt.ty.span());
    };
    match last_ident(&r.elem) {
        Some((_, n)) if n == "OCamlRuntime" => {}
        _ => return err(pt.ty.span()),
    }
    if r.mutability.is_some() == noalloc {
        return err(pt.ty.span());
    }
    Ok(())
}

fn single_type_arg(seg: &syn::PathSegment) -> Option<Type> {
    if let PathArguments::AngleBracketed(ab) = &seg.arguments {
        let tys: Vec<&Type> = ab
            .args
            .iter()
            .filter_map(|a| {
                if let GenericArgument::Type(t) = a {
                    Some(t)
                } else {
                    None
                }
            })
            .collect();
        if tys.len() == 1 {
            return Some(tys[0].clone());
        }
    }
    None
}

fn classify(ty: &Type, is_result: bool) -> syn::Result<Kind> {
    if let Type::Tuple(t) = ty {
        if t.elems.is_empty() {
            if is_result {
                return Ok(Kind::Unit);
            }
            return Err(Error::new(
                ty.span(),
                "`()` cannot be an argument: use `_unit: OCaml<()>`",
            ));
        }
        return Err(Error::new(
            ty.span(),
            "tuples cannot be arguments or results directly: use `OCaml<(A, B)>`",
        ));
    }
    if let Type::Reference(_) = ty {
        return Err(Error::new(
            ty.span(),
            "references cannot be arguments or results of an exported function: use `OCaml<T>`",
        ));
    }
    let unsupported = || {
        Error::new(
            ty.span(),
            "unsupported type: exported functions take and return `OCaml<T>` (or `BoxRoot<T>` arguments), or the direct primitives `f64`, `i64`, `i32`, `bool`, `isize`",
        )
    };
    let Some((seg, name)) = last_ident(ty) else {
        return Err(unsupported());
    };
    if name == "Result" && is_result {
        if let PathArguments::AngleBracketed(ab) = &seg.arguments {
            let tys: Vec<&Type> = ab
                .args
                .iter()
                .filter_map(|a| {
                    if let GenericArgument::Type(t) = a {
                        Some(t)
                    } else {
                        None
                    }
                })
                .collect();
            if tys.len() == 2 {
                if let Ok(Kind::OCaml(t)) = classify(tys[0], true) {
                    return Ok(Kind::Fallible(t));
                }
            }
        }
        return Err(Error::new(
            ty.span(),
            "a fallible export returns `Result<OCaml<T>, OCaml<OCamlException>>` or `Result<OCaml<T>, String>`",
        ));
    }
    match name.as_str() {
        "OCaml" => single_type_arg(seg).map(Kind::OCaml).ok_or_else(unsupported),
        "BoxRoot" => single_type_arg(seg).map(Kind::BoxRoot).ok_or_else(unsupported),
        "f64" => Ok(Kind::Prim("f64")),
        "bool" => Ok(Kind::Prim("bool")),
        "isize" => Ok(Kind::Prim("isize")),
        "i64" => Ok(Kind::Prim("i64")),
        "i32" => Ok(Kind::Prim("i32")),
        _ => Err(unsupported()),
    }
}

struct AddLifetime(Lifetime);

impl VisitMut for AddLifetime {
    fn visit_type_path_mut(&mut self, tp: &mut syn::TypePath) {
        if let Some(seg) = tp.path.segments.last_mut() {
            if seg.ident == "OCaml" {
                if let PathArguments::AngleBracketed(ab) = &mut seg.arguments {
                    match ab.args.first_mut() {
                        Some(GenericArgument::Lifetime(l)) if l.ident == "_" => *l = self.0.clone(),
                        Some(GenericArgument::Lifetime(_)) => {}
                        _ => ab.args.insert(0, GenericArgument::Lifetime(self.0.clone())),
                    }
                }
            }
        }
        syn::visit_mut::visit_type_path_mut(self, tp);
    }
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        if let Some((_, n)) = last_ident(&r.elem) {
            if n == "OCamlRuntime" && r.lifetime.as_ref().is_none_or(|l| l.ident == "_") {
                r.lifetime = Some(self.0.clone());
            }
        }
        syn::visit_mut::visit_type_reference_mut(self, r);
    }
}

fn add_lifetimes(func: &mut ItemFn) {
    let lt = Lifetime::new(LIFETIME, Span::call_site());
    let mut v = AddLifetime(lt.clone());
    for input in func.sig.inputs.iter_mut() {
        if let FnArg::Typed(pt) = input {
            v.visit_type_mut(&mut pt.ty);
        }
    }
    if let ReturnType::Type(_, ty) = &mut func.sig.output {
        v.visit_type_mut(ty);
    }
    func.sig
        .generics
        .params
        .insert(0, syn::GenericParam::Lifetime(syn::LifetimeParam::new(lt)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn err(attr: TokenStream, item: TokenStream) -> String {
        match parse(attr, item) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn accepts_the_models_forms() {
        let e = parse(
            quote!(),
            quote!(
                pub fn f(cr: &mut OCamlRuntime, x: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
                    x
                }
            ),
        )
        .unwrap();
        assert_eq!(e.args.len(), 1);
        assert!(matches!(e.ret, Kind::OCaml(_)));
        let e = parse(
            quote!(noalloc),
            quote!(
                fn g(cr: &OCamlRuntime, x: f64, b: bool, n: isize) -> f64 {
                    x
                }
            ),
        )
        .unwrap();
        assert!(e.noalloc);
        assert!(matches!(e.args[2].kind, Kind::Prim("isize")));
        let e = parse(
            quote!(noalloc),
            quote!(
                fn g(cr: &OCamlRuntime, x: i64, y: i32) -> i64 {
                    x
                }
            ),
        )
        .unwrap();
        assert!(matches!(
            (&e.args[0].kind, &e.args[1].kind, &e.ret),
            (Kind::Prim("i64"), Kind::Prim("i32"), Kind::Prim("i64"))
        ));
        let e = parse(
            quote!(bytecode = "h_byte", no_panic_catch),
            quote!(
                fn h(cr: &mut ocaml_interop::OCamlRuntime, r: BoxRoot<String>) {}
            ),
        )
        .unwrap();
        assert_eq!(e.bytecode.as_deref(), Some("h_byte"));
        assert!(e.no_panic_catch);
        assert!(matches!(e.ret, Kind::Unit));
    }

    #[test]
    fn makes_the_gc_lifetime_explicit() {
        let e = parse(
            quote!(),
            quote!(
                fn f(cr: &mut OCamlRuntime, x: OCaml<'_, OCamlInt>) -> OCaml<OCamlInt> {
                    x
                }
            ),
        )
        .unwrap();
        let sig = e.func.sig.to_token_stream().to_string();
        assert!(sig.contains("'__oiw_gc mut OCamlRuntime"), "{sig}");
        assert!(sig.contains("OCaml < '__oiw_gc , OCamlInt >"), "{sig}");
    }

    #[test]
    fn rejects_invalid_signatures_with_clear_messages() {
        assert!(err(
            quote!(),
            quote!(
                fn f(x: OCaml<OCamlInt>) {}
            )
        )
        .contains("runtime handle"));
        assert!(err(
            quote!(),
            quote!(
                fn f(cr: &OCamlRuntime, x: OCaml<OCamlInt>) {}
            )
        )
        .contains("`&OCamlRuntime` only with `noalloc`"));
        assert!(err(
            quote!(noalloc),
            quote!(
                fn f(cr: &mut OCamlRuntime, x: f64) {}
            )
        )
        .contains("not `&mut`"));
        assert!(err(
            quote!(noalloc),
            quote!(
                fn f(cr: &OCamlRuntime, x: BoxRoot<String>) {}
            )
        )
        .contains("cannot take `BoxRoot`"));
        assert!(err(
            quote!(),
            quote!(
                fn f(cr: &mut OCamlRuntime) {}
            )
        )
        .contains("at least one argument"));
        assert!(err(
            quote!(),
            quote!(
                fn f(cr: &mut OCamlRuntime, x: ()) {}
            )
        )
        .contains("`()` cannot be an argument"));
        assert!(err(
            quote!(),
            quote!(
                fn f(cr: &mut OCamlRuntime, x: &str) {}
            )
        )
        .contains("references cannot be"));
        assert!(err(
            quote!(),
            quote!(
                fn f(cr: &mut OCamlRuntime, x: String) {}
            )
        )
        .contains("unsupported type"));
        assert!(err(
            quote!(),
            quote!(
                fn f(cr: &mut OCamlRuntime, x: OCaml<OCamlInt>) -> BoxRoot<OCamlInt> {
                    todo!()
                }
            )
        )
        .contains("return `OCaml<T>` instead"));
        assert!(err(
            quote!(),
            quote!(
                async fn f(cr: &mut OCamlRuntime, x: OCaml<OCamlInt>) {}
            )
        )
        .contains("cannot be async"));
        assert!(err(
            quote!(),
            quote!(
                fn f<T>(cr: &mut OCamlRuntime, x: OCaml<T>) {}
            )
        )
        .contains("cannot be generic"));
        assert!(err(
            quote!(fast),
            quote!(
                fn f(cr: &mut OCamlRuntime, x: OCaml<OCamlInt>) {}
            )
        )
        .contains("unknown attribute"));
        assert!(err(
            quote!(noalloc, noalloc),
            quote!(
                fn f(cr: &OCamlRuntime, x: f64) {}
            )
        )
        .contains("more than once"));
        assert!(err(
            quote!(),
            quote!(
                fn f(cr: &mut OCamlRuntime, x: u64) {}
            )
        )
        .contains("unsupported type"));
    }
}
