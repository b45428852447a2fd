//! `ToOCaml` and `FromOCaml`, the conversion traits of the model.

pub(crate) mod compound;
mod from_ocaml;
pub(crate) mod nesting;
mod to_ocaml;
mod tuples;

pub use compound::{alloc_error, alloc_ok, cons};

use crate::boxroot::BoxRoot;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;

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
