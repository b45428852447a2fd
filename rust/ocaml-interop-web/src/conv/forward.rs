//! Conversions that pass a value on: through a reference or a `Box`, and the values that are
//! already OCaml values (`OCaml<T>`, a `BoxRoot<T>`, an `OCamlRef<T>`), passed as they are.

use super::{wrap, FromOCaml, ToOCaml};
use crate::boxroot::{BoxRoot, OCamlCell};
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;

unsafe impl<T, A: ToOCaml<T>> ToOCaml<T> for Box<A> {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, T> {
        self.as_ref().to_ocaml(cr)
    }
}

unsafe impl<T, A: ToOCaml<T> + ?Sized> ToOCaml<T> for &A {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, T> {
        (**self).to_ocaml(cr)
    }
}

/// A rooted value is passed as it is (no copy).
unsafe impl<T> ToOCaml<T> for BoxRoot<T> {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, T> {
        wrap(cr, unsafe { self.get_raw() })
    }
}

/// An OCaml value is passed as it is (as on the model's main branch; with `ToOCaml for &A`,
/// `&value` and `&OCaml::unit()` work as `ocaml!` arguments, as in 0.12).
unsafe impl<T> ToOCaml<T> for OCaml<'_, T> {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, T> {
        wrap(cr, self.raw)
    }
}

unsafe impl<T> ToOCaml<T> for OCamlCell<T> {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, T> {
        wrap(cr, unsafe { self.get_raw() })
    }
}

unsafe impl<T, R: FromOCaml<T>> FromOCaml<T> for Box<R> {
    fn from_ocaml(v: OCaml<T>) -> Self {
        Box::new(R::from_ocaml(v))
    }
}
