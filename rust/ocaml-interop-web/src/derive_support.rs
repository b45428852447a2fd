//! What `#[derive(ToOCaml, FromOCaml, OCamlDescriber)]` and the record/variant macros build on.

use crate::mlvalues::*;

/// The OCaml type (marker) a Rust type converts to when a derived field does not name one with
/// `#[ocaml(as_ = "...")]`, exactly as in the model (its `src/conv/mapping.rs`): `f64` is
/// `OCamlFloat`, `i64` is `OCamlInt64` (boxed `int64`), `i32` is `OCamlInt32`, `String`,
/// `bool`, `()`, `Box<[u8]>` is `OCamlBytes`, and `Vec<T>`, `Option<T>`, `Result<T, E>`,
/// `Box<T>`, `&T` and tuples follow their parts. An OCaml `int` needs `as_ = "OCamlInt"`.
/// Types that derive `OCamlDescriber` are their own default (beyond the model).
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no default OCaml type (as in ocaml-interop, only f64, i64, i32, String, bool, (), Box<[u8]> and lists, options, results, boxes, references and tuples of them have one)",
    label = "name its OCaml type: #[ocaml(as_ = \"OCamlInt\")] (int), \"OCamlInt64\" (int64), \"OCamlFloat\", \"String\", ...",
    note = "i64 is an OCaml int64 by default, i32 an int32; an OCaml int is #[ocaml(as_ = \"OCamlInt\")]"
)]
pub trait DefaultOCamlMapping {
    /// The default OCaml type that this Rust type maps to.
    type OCamlType;
}

/// The Rust type an OCaml type converts to by default (the model's reverse mapping).
pub trait DefaultRustMapping {
    /// The default Rust type that this OCaml type maps to.
    type RustType;
}

macro_rules! define_bidirectional_mapping {
    ($($rust_type:ty => $ocaml_type:ty),+ $(,)?) => {$(
        impl DefaultOCamlMapping for $rust_type { type OCamlType = $ocaml_type; }
        impl DefaultRustMapping for $ocaml_type { type RustType = $rust_type; }
    )+};
}
define_bidirectional_mapping! {
    f64 => OCamlFloat,
    i64 => OCamlInt64,
    i32 => OCamlInt32,
    String => String,
    bool => bool,
    () => (),
    Box<[u8]> => OCamlBytes,
}

impl<T: DefaultOCamlMapping + ?Sized> DefaultOCamlMapping for &T {
    type OCamlType = T::OCamlType;
}
impl<T: DefaultOCamlMapping> DefaultOCamlMapping for Box<T> {
    type OCamlType = T::OCamlType;
}
impl<T: DefaultOCamlMapping> DefaultOCamlMapping for Option<T> {
    type OCamlType = Option<T::OCamlType>;
}
impl<T: DefaultOCamlMapping, E: DefaultOCamlMapping> DefaultOCamlMapping for Result<T, E> {
    type OCamlType = Result<T::OCamlType, E::OCamlType>;
}
impl<T: DefaultOCamlMapping> DefaultOCamlMapping for Vec<T> {
    type OCamlType = OCamlList<T::OCamlType>;
}
impl<T: DefaultRustMapping> DefaultRustMapping for Option<T> {
    type RustType = Option<T::RustType>;
}
impl<T: DefaultRustMapping, E: DefaultRustMapping> DefaultRustMapping for Result<T, E> {
    type RustType = Result<T::RustType, E::RustType>;
}
impl<T: DefaultRustMapping> DefaultRustMapping for OCamlList<T> {
    type RustType = Vec<T::RustType>;
}

macro_rules! mapping_tuple {
    ($($T:ident),+) => {
        impl<$($T: DefaultOCamlMapping),+> DefaultOCamlMapping for ($($T,)+) {
            type OCamlType = ($($T::OCamlType,)+);
        }
        impl<$($T: DefaultRustMapping),+> DefaultRustMapping for ($($T,)+) {
            type RustType = ($($T::RustType,)+);
        }
    };
}
mapping_tuple!(A, B);
mapping_tuple!(A, B, C);
mapping_tuple!(A, B, C, D);
mapping_tuple!(A, B, C, D, E);
mapping_tuple!(A, B, C, D, E, F);
mapping_tuple!(A, B, C, D, E, F, G);
mapping_tuple!(A, B, C, D, E, F, G, H);
mapping_tuple!(A, B, C, D, E, F, G, H, I);

/// The hash OCaml gives a polymorphic variant tag (`caml_hash_variant`, 31 bits, signed).
pub const fn hash_variant(tag: &str) -> i32 {
    let b = tag.as_bytes();
    let mut accu: u32 = 0;
    let mut i = 0;
    while i < b.len() {
        accu = accu.wrapping_mul(223).wrapping_add(b[i] as u32);
        i += 1;
    }
    accu &= 0x7fff_ffff;
    if accu > 0x3fff_ffff {
        (accu as i64 - (1i64 << 31)) as i32
    } else {
        accu as i32
    }
}

thread_local! {
    static DESCRIBING: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Describes a named (derived) type, or refers to it by name when it is already being
/// described further up (recursive types).
pub fn describe_named(out: &mut String, name: &'static str, body: impl FnOnce(&mut String)) {
    let recursive = DESCRIBING.with(|d| d.borrow().contains(&name));
    if recursive {
        out.push_str("{\"ref\":");
        out.push_str(&crate::describe::json_string(name));
        out.push('}');
        return;
    }
    DESCRIBING.with(|d| d.borrow_mut().push(name));
    body(out);
    DESCRIBING.with(|d| d.borrow_mut().pop());
}
