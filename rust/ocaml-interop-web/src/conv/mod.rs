//! `ToOCaml` and `FromOCaml`, the conversion traits of the model, and their implementations: one
//! file per OCaml type family, holding its conversions, its `OCaml<T>` methods and its
//! description (`OCamlDescriber`). Bigarrays, DynBoxes, closures and exceptions have files of
//! their own at the crate's top (they hold tables and handles besides their conversions).

mod array;
mod boxed_int;
mod float;
mod float_array;
mod forward;
mod immediate;
mod list;
pub(crate) mod nesting;
mod option;
mod result;
mod shape;
mod string;
mod tuple;

pub use list::cons;
pub use result::{alloc_error, alloc_ok};
pub(crate) use shape::check_immediate;
pub use shape::shape_error;

use crate::boxroot::BoxRoot;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::RawOCaml;

/// Rust values that can become OCaml values of type `T`.
///
/// # Safety
/// As in the model: an implementation must produce a value of the shape `T` declares.
pub unsafe trait ToOCaml<T> {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, T>;

    fn to_boxroot(&self, cr: &mut OCamlRuntime) -> BoxRoot<T> {
        BoxRoot::new(self.to_ocaml(cr))
    }
}

/// Rust values that can be built from OCaml values of type `T`.
///
/// # Safety
/// As in the model: an implementation may assume the value has the shape `T` declares.
pub unsafe trait FromOCaml<T> {
    fn from_ocaml(v: OCaml<T>) -> Self;
}

/// A word just written, typed for the call that `cr` is borrowed for.
#[inline]
fn wrap<'a, T>(_cr: &'a mut OCamlRuntime, raw: RawOCaml) -> OCaml<'a, T> {
    unsafe { OCaml::from_raw_unchecked(raw) }
}
