//! What a `#[derive(ToOCaml | FromOCaml | OCamlDescriber)]` input means in OCaml: a record, a
//! tuple, a variant or a polymorphic variant, with the OCaml marker of every field.
//!
//! Attributes (as in ocaml-interop's own derive):
//! - on the type: `#[ocaml(name = "point")]` (the OCaml type name, default: snake_case),
//!   `#[ocaml(polymorphic_variant)]` (an enum is a polymorphic variant), `#[ocaml(as_ = "M")]`
//!   (the marker the conversions use: `ToOCaml<M> for T`; default: the type itself);
//! - on a field: `#[ocaml(as_ = "OCamlInt")]` (its OCaml marker, default
//!   `<T as DefaultOCamlMapping>::OCamlType`, the model's defaults), `#[ocaml(name = "x")]`
//!   (OCaml field name);
//! - on a variant: `#[ocaml(name = "Circle")]` (constructor name), `#[ocaml(tag = "circle")]`
//!   (polymorphic variant tag, default: the Rust name).

use proc_macro2::Span;
use quote::quote;
use syn::{punctuated::Punctuated, spanned::Spanned, Attribute, Data, DeriveInput, Error, Fields, Meta, Token, Type};

#[derive(Default)]
pub struct Attrs {
    pub name: Option<String>,
    pub as_: Option<Type>,
    pub tag: Option<String>,
    pub polymorphic_variant: bool,
}

pub fn attrs(list: &[Attribute], allowed: &[&str]) -> syn::Result<Attrs> {
    let mut out = Attrs::default();
    for attr in list.iter().filter(|a| a.path().is_ident("ocaml")) {
        for meta in attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)? {
            let key = meta.path().get_ident().map(|i| i.to_string()).unwrap_or_default();
            if !allowed.contains(&key.as_str()) {
                return Err(Error::new(
                    meta.span(),
                    format!("`{key}` is not allowed here; expected one of: {}", allowed.join(", ")),
                ));
            }
            let string = |m: &Meta| -> syn::Result<String> {
                match m {
                    Meta::NameValue(nv) => match &nv.value {
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s), ..
                        }) => Ok(s.value()),
                        v => Err(Error::new(v.span(), format!("expected `{key} = \"...\"`"))),
                    },
                    _ => Err(Error::new(m.span(), format!("expected `{key} = \"...\"`"))),
                }
            };
            match key.as_str() {
                "name" => out.name = Some(string(&meta)?),
                "tag" => out.tag = Some(string(&meta)?),
                "as_" => out.as_ = Some(syn::parse_str(&string(&meta)?)?),
                "polymorphic_variant" => match meta {
                    Meta::Path(_) => out.polymorphic_variant = true,
                    m => return Err(Error::new(m.span(), "expected `polymorphic_variant` without a value")),
                },
                _ => unreachable!(),
            }
        }
    }
    Ok(out)
}

pub struct Field {
    /// `self.x` or `self.0`
    pub access: proc_macro2::TokenStream,
    /// the binding in patterns
    pub binding: syn::Ident,
    pub ident: Option<syn::Ident>,
    pub ty: Type,
    pub marker: proc_macro2::TokenStream,
    pub ocaml_name: String,
}

pub enum CtorFields {
    Unit,
    Tuple(Vec<Field>),
    Named(Vec<Field>),
}

pub struct Ctor {
    pub ident: syn::Ident,
    pub ocaml_name: String,
    pub tag_name: String,
    pub fields: CtorFields,
    /// for variants: the immediate (constant constructors) or block tag (the others)
    pub index: u8,
}

pub enum Shape {
    Record { fields: Vec<Field>, flat_floats: bool },
    Tuple { fields: Vec<Field> },
    Variant { ctors: Vec<Ctor> },
    PolyVariant { ctors: Vec<Ctor> },
}

pub struct Model {
    pub ident: syn::Ident,
    /// the marker of `ToOCaml<marker>` / `FromOCaml<marker>`: `#[ocaml(as_ = "...")]` or the type
    pub marker: Type,
    pub ocaml_name: String,
    pub shape: Shape,
}

/// The OCaml name of a Rust type, as the model's derive makes it (heck's snake case):
/// `MySimpleStruct` -> `my_simple_struct`, `HTTPServer` -> `http_server`.
pub fn snake_case(s: &str) -> String {
    let cs: Vec<char> = s.chars().collect();
    let mut out = String::new();
    for (i, &c) in cs.iter().enumerate() {
        if c.is_uppercase() {
            let prev = if i > 0 { Some(cs[i - 1]) } else { None };
            let next_lower = cs.get(i + 1).is_some_and(|n| n.is_lowercase());
            let boundary = match prev {
                Some('_') => false,
                Some(p) => p.is_lowercase() || p.is_ascii_digit() || (p.is_uppercase() && next_lower),
                None => false,
            };
            if boundary {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn fields(fs: &Fields, in_enum: bool) -> syn::Result<Vec<Field>> {
    let mut out = Vec::new();
    for (i, f) in fs.iter().enumerate() {
        let a = attrs(&f.attrs, &["as_", "name"])?;
        let ty = f.ty.clone();
        let marker = match &a.as_ {
            Some(m) => quote!(#m),
            None => quote!(<#ty as ::ocaml_interop::DefaultOCamlMapping>::OCamlType),
        };
        let binding = syn::Ident::new(&format!("__f{i}"), Span::call_site());
        let access = match &f.ident {
            Some(id) if !in_enum => quote!(self.#id),
            None if !in_enum => {
                let idx = syn::Index::from(i);
                quote!(self.#idx)
            }
            _ => quote!(#binding),
        };
        let ocaml_name = a
            .name
            .clone()
            .unwrap_or_else(|| f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default());
        out.push(Field {
            access,
            binding,
            ident: f.ident.clone(),
            ty,
            marker,
            ocaml_name,
        });
    }
    Ok(out)
}

pub fn parse(input: &DeriveInput) -> syn::Result<Model> {
    if !input.generics.params.is_empty() {
        return Err(Error::new(
            input.generics.span(),
            "ocaml-interop derives do not support generic types yet",
        ));
    }
    let a = attrs(&input.attrs, &["name", "polymorphic_variant", "as_"])?;
    let ocaml_name = a.name.clone().unwrap_or_else(|| snake_case(&input.ident.to_string()));
    let shape = match &input.data {
        Data::Struct(s) => {
            if a.polymorphic_variant {
                return Err(Error::new(input.ident.span(), "`polymorphic_variant` applies to enums"));
            }
            match &s.fields {
                Fields::Named(_) => {
                    let fs = fields(&s.fields, false)?;
                    if fs.is_empty() {
                        return Err(Error::new(
                            input.ident.span(),
                            "an OCaml record needs at least one field",
                        ));
                    }
                    // OCaml stores records whose fields are all floats flat (tag 254)
                    let flat_floats = s.fields.iter().zip(&fs).all(|(f, m)| {
                        let is_f64 = matches!(&f.ty, Type::Path(p) if p.path.is_ident("f64"));
                        let as_float = attrs(&f.attrs, &["as_", "name"])
                            .ok()
                            .and_then(|a| a.as_)
                            .map(|t| quote!(#t).to_string());
                        let _ = m;
                        match as_float {
                            Some(t) => t.ends_with("OCamlFloat") && is_f64,
                            None => is_f64,
                        }
                    });
                    Shape::Record {
                        fields: fs,
                        flat_floats,
                    }
                }
                Fields::Unnamed(_) => Shape::Tuple {
                    fields: fields(&s.fields, false)?,
                },
                Fields::Unit => {
                    return Err(Error::new(
                        input.ident.span(),
                        "a unit struct has no OCaml counterpart: use `()`",
                    ))
                }
            }
        }
        Data::Enum(e) => {
            if e.variants.is_empty() {
                return Err(Error::new(
                    input.ident.span(),
                    "an enum without variants has no OCaml values",
                ));
            }
            let (mut constant, mut block) = (0u32, 0u32);
            let mut ctors = Vec::new();
            for v in &e.variants {
                if v.discriminant.is_some() {
                    return Err(Error::new(
                        v.span(),
                        "explicit discriminants are not used by OCaml: the order of the constructors is",
                    ));
                }
                let va = attrs(&v.attrs, &["name", "tag"])?;
                let fs = match &v.fields {
                    Fields::Unit => CtorFields::Unit,
                    Fields::Unnamed(_) => CtorFields::Tuple(fields(&v.fields, true)?),
                    // in a polymorphic variant, as in the model: `Step { count }` is `Step of int`,
                    // `Expand { width, height }` is `Expand of int * int`
                    Fields::Named(_) => CtorFields::Named(fields(&v.fields, true)?),
                };
                let index = match fs {
                    CtorFields::Unit => {
                        constant += 1;
                        constant - 1
                    }
                    _ => {
                        block += 1;
                        block - 1
                    }
                };
                if index > 245 {
                    return Err(Error::new(
                        v.span(),
                        "OCaml allows at most 246 non-constant constructors",
                    ));
                }
                ctors.push(Ctor {
                    ident: v.ident.clone(),
                    ocaml_name: va.name.unwrap_or_else(|| v.ident.to_string()),
                    tag_name: va.tag.unwrap_or_else(|| v.ident.to_string()),
                    fields: fs,
                    index: index as u8,
                });
            }
            if a.polymorphic_variant {
                Shape::PolyVariant { ctors }
            } else {
                Shape::Variant { ctors }
            }
        }
        Data::Union(_) => return Err(Error::new(input.ident.span(), "unions have no OCaml counterpart")),
    };
    let ident = input.ident.clone();
    let marker = a.as_.clone().unwrap_or_else(|| syn::parse_quote!(#ident));
    Ok(Model {
        ident,
        marker,
        ocaml_name,
        shape,
    })
}

#[cfg(test)]
mod tests {
    use super::snake_case;

    #[test]
    fn type_names_are_snake_case_as_the_models() {
        for (rust, ocaml) in [
            ("MySimpleStruct", "my_simple_struct"),
            ("HTTPServer", "http_server"),
            ("Point", "point"),
            ("TestRecord", "test_record"),
            ("Point3D", "point3_d"),
            ("already_snake", "already_snake"),
            ("ABC", "abc"),
        ] {
            assert_eq!(snake_case(rust), ocaml, "{rust}");
        }
    }
}
