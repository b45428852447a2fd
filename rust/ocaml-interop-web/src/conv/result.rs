//! OCaml `('a, 'e) result` (`Ok` a block of tag 0, `Error` of tag 1): its conversions,
//! `OCaml<Result<T, E>>` methods, `alloc_ok`, `alloc_error` and its description.

use super::{shape_error, wrap, FromOCaml, ToOCaml};
use crate::alloc;
use crate::describe::OCamlDescriber;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, mem};

unsafe impl<T, E, A: ToOCaml<T>, B: ToOCaml<E>> ToOCaml<Result<T, E>> for Result<A, B> {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, Result<T, E>> {
        let Some(_level) = super::nesting::enter_to_ocaml() else {
            return wrap(cr, wire::UNIT);
        };
        let t = if self.is_ok() { 0 } else { 1 };
        let Some(b) = alloc::block(t, 1) else {
            return wrap(cr, wire::UNIT);
        };
        let w = unsafe {
            match self {
                Ok(x) => x.to_ocaml(cr).raw(),
                Err(e) => e.to_ocaml(cr).raw(),
            }
        };
        unsafe { mem::set_field(b, 0, w) };
        wrap(cr, b)
    }
}

unsafe impl<T, E, A: FromOCaml<T>, B: FromOCaml<E>> FromOCaml<Result<T, E>> for Result<A, B> {
    fn from_ocaml(v: OCaml<Result<T, E>>) -> Self {
        let _level = super::nesting::enter_from_ocaml(v.raw);
        match v.to_result() {
            Ok(x) => Ok(A::from_ocaml(x)),
            Err(e) => Err(B::from_ocaml(e)),
        }
    }
}

impl<'gc, T, E> OCaml<'gc, Result<T, E>> {
    pub fn is_ok(&self) -> bool {
        self.is_block() && self.tag_value() == 0
    }
    pub fn is_error(&self) -> bool {
        self.is_block() && self.tag_value() == 1
    }
    pub fn to_result(&self) -> Result<OCaml<'gc, T>, OCaml<'gc, E>> {
        if !self.is_block() || self.size() != 1 || self.tag_value() > 1 {
            shape_error("Ok _ or Error _", self.raw);
        }
        unsafe {
            if self.tag_value() == 0 {
                Ok(self.field(0))
            } else {
                Err(self.field(0))
            }
        }
    }
}

/// `Ok v`, as the model's `alloc_ok`.
pub fn alloc_ok<'a, T, E>(cr: &'a mut OCamlRuntime, v: impl ToOCaml<T>) -> OCaml<'a, Result<T, E>> {
    let Some(b) = alloc::block(0, 1) else {
        return wrap(cr, wire::UNIT);
    };
    let w = unsafe { v.to_ocaml(cr).raw() };
    unsafe { mem::set_field(b, 0, w) };
    wrap(cr, b)
}

/// `Error e`, as the model's `alloc_error`.
pub fn alloc_error<'a, T, E>(cr: &'a mut OCamlRuntime, e: impl ToOCaml<E>) -> OCaml<'a, Result<T, E>> {
    let Some(b) = alloc::block(1, 1) else {
        return wrap(cr, wire::UNIT);
    };
    let w = unsafe { e.to_ocaml(cr).raw() };
    unsafe { mem::set_field(b, 0, w) };
    wrap(cr, b)
}

impl<T: OCamlDescriber, E: OCamlDescriber> OCamlDescriber for Result<T, E> {
    fn describe(out: &mut String) {
        out.push_str("{\"result\":[");
        T::describe(out);
        out.push(',');
        E::describe(out);
        out.push_str("]}");
    }
}
