//! OCaml `'a option` (`None` the immediate 0, `Some` a block of one field): its conversions,
//! `OCaml<Option<T>>` methods and its description.

use super::{check_immediate, shape_error, wrap, FromOCaml, ToOCaml};
use crate::alloc;
use crate::describe::OCamlDescriber;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, mem};
use std::marker::PhantomData;

unsafe impl<T, A: ToOCaml<T>> ToOCaml<Option<T>> for Option<A> {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, Option<T>> {
        match self {
            None => wrap(cr, wire::val_int(0)),
            Some(x) => {
                let Some(_level) = super::nesting::enter_to_ocaml() else {
                    return wrap(cr, wire::UNIT);
                };
                // pre-order, as the wire format specifies: the block before its field
                let Some(b) = alloc::block(0, 1) else {
                    return wrap(cr, wire::UNIT);
                };
                let v = unsafe { x.to_ocaml(cr).raw() };
                unsafe { crate::wire::mem::set_field(b, 0, v) };
                wrap(cr, b)
            }
        }
    }
}

unsafe impl<T, R: FromOCaml<T>> FromOCaml<Option<T>> for Option<R> {
    fn from_ocaml(v: OCaml<Option<T>>) -> Self {
        if v.is_long() {
            check_immediate(v.raw, "None or Some _");
            if v.raw != wire::val_int(0) {
                shape_error("None or Some _", v.raw);
            }
            None
        } else {
            if v.tag_value() != 0 || v.size() != 1 {
                shape_error("None or Some _", v.raw);
            }
            let _level = super::nesting::enter_from_ocaml(v.raw);
            Some(R::from_ocaml(unsafe { v.field::<T>(0) }))
        }
    }
}

impl<T> OCaml<'static, Option<T>> {
    /// OCaml's `None`.
    pub fn none() -> Self {
        OCaml {
            raw: wire::val_int(0),
            _marker: PhantomData,
        }
    }
}

impl<'gc, T> OCaml<'gc, Option<T>> {
    pub fn is_none(&self) -> bool {
        self.raw == wire::val_int(0)
    }
    pub fn is_some(&self) -> bool {
        self.is_block()
    }
    /// `Some(value)` or `None`, as in the model.
    pub fn to_option(&self) -> Option<OCaml<'gc, T>> {
        if self.is_none() {
            None
        } else {
            if !self.is_block() || unsafe { mem::tag(self.raw) != 0 || mem::size(self.raw) != 1 } {
                shape_error("None or Some _", self.raw);
            }
            Some(unsafe { self.field(0) })
        }
    }
}

impl<T: OCamlDescriber> OCamlDescriber for Option<T> {
    fn describe(out: &mut String) {
        out.push_str("{\"option\":");
        T::describe(out);
        out.push('}');
    }
}
