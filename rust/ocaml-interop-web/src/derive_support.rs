//! What `#[derive(ToOCaml, FromOCaml, OCamlDescriber)]` and the record/variant macros build on.

use crate::mlvalues::*;

/// The OCaml marker a Rust type converts to when a derived field does not name one with
/// `#[ocaml(as_ = "...")]`: `i64` is `OCamlInt`, `f64` is `OCamlFloat`, `Vec<T>` is a list...
pub trait DefaultOCamlMarker {
    type Marker;
}

macro_rules! default_marker {
    ($($t:ty => $m:ty),* $(,)?) => {$( impl DefaultOCamlMarker for $t { type Marker = $m; } )*};
}
default_marker! {
    () => (), bool => bool, char => OCamlChar,
    i64 => OCamlInt, i32 => OCamlInt, isize => OCamlInt, i16 => OCamlInt, i8 => OCamlInt,
    u32 => OCamlInt, u16 => OCamlInt, u8 => OCamlInt,
    f64 => OCamlFloat, f32 => OCamlFloat,
    String => String, &str => String, Box<[u8]> => OCamlBytes,
}

impl<T: DefaultOCamlMarker> DefaultOCamlMarker for Vec<T> {
    type Marker = OCamlList<T::Marker>;
}
impl<T: DefaultOCamlMarker> DefaultOCamlMarker for Option<T> {
    type Marker = Option<T::Marker>;
}
impl<T: DefaultOCamlMarker, E: DefaultOCamlMarker> DefaultOCamlMarker for Result<T, E> {
    type Marker = Result<T::Marker, E::Marker>;
}
impl<T: DefaultOCamlMarker> DefaultOCamlMarker for Box<T> {
    type Marker = T::Marker;
}

macro_rules! default_marker_tuple {
    ($($T:ident),+) => {
        impl<$($T: DefaultOCamlMarker),+> DefaultOCamlMarker for ($($T,)+) {
            type Marker = ($($T::Marker,)+);
        }
    };
}
default_marker_tuple!(A, B);
default_marker_tuple!(A, B, C);
default_marker_tuple!(A, B, C, D);
default_marker_tuple!(A, B, C, D, E);
default_marker_tuple!(A, B, C, D, E, F);
default_marker_tuple!(A, B, C, D, E, F, G);
default_marker_tuple!(A, B, C, D, E, F, G, H);
default_marker_tuple!(A, B, C, D, E, F, G, H, I);
default_marker_tuple!(A, B, C, D, E, F, G, H, I, J);

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
        out.push_str("{\"ref\":\"");
        out.push_str(name);
        out.push_str("\"}");
        return;
    }
    DESCRIBING.with(|d| d.borrow_mut().push(name));
    body(out);
    DESCRIBING.with(|d| d.borrow_mut().pop());
}
