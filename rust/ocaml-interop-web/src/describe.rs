//! Type descriptions: how the build learns each export's OCaml signature from the Rust side.
//!
//! Every marker type describes itself as JSON (`"int"`, `{"option":"int"}`, ...). The
//! `#[export]` macro emits, next to each export, an `oiw_describe_<name>` function that returns
//! the export's signature; the build runs those functions to generate the OCaml glue, the
//! OCaml `external` declarations and the TypeScript types. See `docs/wire-format.md`.

use crate::mlvalues::*;

pub trait OCamlDescriber {
    /// Appends this type's JSON description to `out`.
    fn describe(out: &mut String);
}

macro_rules! describe_simple {
    ($($t:ty => $s:literal),*) => {$(
        impl OCamlDescriber for $t {
            fn describe(out: &mut String) { out.push_str(concat!("\"", $s, "\"")); }
        }
    )*};
}
describe_simple!(() => "unit");
describe_simple!(OCamlInt => "int", bool => "bool", OCamlFloat => "float", String => "string",
    OCamlBytes => "bytes", OCamlInt32 => "int32", OCamlInt64 => "int64", OCamlException => "exn");

impl<T: OCamlDescriber> OCamlDescriber for Option<T> {
    fn describe(out: &mut String) {
        out.push_str("{\"option\":");
        T::describe(out);
        out.push('}');
    }
}

/// The JSON string of a type description.
pub fn describe<T: OCamlDescriber>() -> String {
    let mut s = String::new();
    T::describe(&mut s);
    s
}

/// Escapes a Rust string as a JSON string literal.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

describe_simple!(OCamlNativeInt => "nativeint", OCamlChar => "char", OCamlFloatArray => "floatarray");

macro_rules! describe_wrapped {
    ($($t:ident => $k:literal),*) => {$(
        impl<T: OCamlDescriber> OCamlDescriber for $t<T> {
            fn describe(out: &mut String) {
                out.push_str(concat!("{\"", $k, "\":"));
                T::describe(out);
                out.push('}');
            }
        }
    )*};
}
describe_wrapped!(OCamlList => "list", OCamlUniformArray => "array");

impl<T: OCamlDescriber, E: OCamlDescriber> OCamlDescriber for Result<T, E> {
    fn describe(out: &mut String) {
        out.push_str("{\"result\":[");
        T::describe(out);
        out.push(',');
        E::describe(out);
        out.push_str("]}");
    }
}

macro_rules! describe_tuple {
    ($($T:ident),+) => {
        impl<$($T: OCamlDescriber),+> OCamlDescriber for ($($T,)+) {
            fn describe(out: &mut String) {
                out.push_str("{\"tuple\":[");
                let mut first = true;
                $(
                    if !first { out.push(','); }
                    first = false;
                    $T::describe(out);
                )+
                let _ = first;
                out.push_str("]}");
            }
        }
    };
}
describe_tuple!(A, B);
describe_tuple!(A, B, C);
describe_tuple!(A, B, C, D);
describe_tuple!(A, B, C, D, E);
describe_tuple!(A, B, C, D, E, F);
describe_tuple!(A, B, C, D, E, F, G);
describe_tuple!(A, B, C, D, E, F, G, H);
describe_tuple!(A, B, C, D, E, F, G, H, I);
describe_tuple!(A, B, C, D, E, F, G, H, I, J);
