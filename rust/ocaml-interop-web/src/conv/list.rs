//! OCaml `'a list` (cells of tag 0 and two fields, `[]` the immediate 0): its conversions,
//! `OCaml<OCamlList<T>>` methods, `cons` and its description. Encoders write blocks in pre-order
//! (docs/wire-format.md): a block before its fields.

use super::{shape_error, wrap, FromOCaml, ToOCaml};
use crate::alloc;
use crate::describe::OCamlDescriber;
use crate::mlvalues::OCamlList;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, mem, RawOCaml};

unsafe impl<T, A: ToOCaml<T>> ToOCaml<OCamlList<T>> for Vec<A> {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, OCamlList<T>> {
        to_list(self.as_slice(), cr)
    }
}
unsafe impl<T, A: ToOCaml<T>> ToOCaml<OCamlList<T>> for [A] {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, OCamlList<T>> {
        to_list(self, cr)
    }
}

fn to_list<'a, T, A: ToOCaml<T>>(xs: &[A], cr: &'a mut OCamlRuntime) -> OCaml<'a, OCamlList<T>> {
    // the list as a whole is one level (its cells are not)
    let Some(_level) = super::nesting::enter_to_ocaml() else {
        return wrap(cr, wire::UNIT);
    };
    let mut root = wire::val_int(0);
    let mut slot: Option<RawOCaml> = None; // the tail field of the previous cell
    for x in xs {
        let Some(cell) = alloc::block(0, 2) else { break };
        unsafe { mem::set_field(cell, 1, wire::val_int(0)) };
        match slot {
            None => root = cell,
            Some(prev) => unsafe { mem::set_field(prev, 1, cell) },
        }
        let h = unsafe { x.to_ocaml(cr).raw() };
        unsafe { mem::set_field(cell, 0, h) };
        slot = Some(cell);
    }
    wrap(cr, root)
}

unsafe impl<T, R: FromOCaml<T>> FromOCaml<OCamlList<T>> for Vec<R> {
    fn from_ocaml(v: OCaml<OCamlList<T>>) -> Self {
        let _level = super::nesting::enter_from_ocaml(v.raw);
        let mut out = Vec::new();
        let mut cur = v.raw;
        while wire::is_block(cur) {
            unsafe {
                if mem::tag(cur) != 0 || mem::size(cur) != 2 {
                    shape_error("a list cell (tag 0, size 2)", cur);
                }
                out.push(R::from_ocaml(OCaml::from_raw_unchecked(mem::field(cur, 0))));
                cur = mem::field(cur, 1);
            }
        }
        if cur != wire::val_int(0) {
            shape_error("the end of a list ([])", cur);
        }
        out
    }
}

impl<'gc, T> OCaml<'gc, OCamlList<T>> {
    /// The empty list.
    pub fn nil(_cr: &'gc OCamlRuntime) -> OCaml<'gc, OCamlList<T>> {
        unsafe { OCaml::from_raw_unchecked(wire::val_int(0)) }
    }
    pub fn is_empty(&self) -> bool {
        self.raw == wire::val_int(0)
    }
    /// The head, or `None` for `[]`.
    pub fn hd(&self) -> Option<OCaml<'gc, T>> {
        self.uncons().map(|(h, _)| h)
    }
    /// The tail, or `None` for `[]`.
    pub fn tl(&self) -> Option<OCaml<'gc, OCamlList<T>>> {
        self.uncons().map(|(_, t)| t)
    }
    /// `Some((head, tail))`, or `None` for `[]`.
    pub fn uncons(&self) -> Option<(OCaml<'gc, T>, OCaml<'gc, OCamlList<T>>)> {
        if self.is_empty() {
            return None;
        }
        if !self.is_block() || unsafe { mem::tag(self.raw) != 0 || mem::size(self.raw) != 2 } {
            shape_error("a list", self.raw);
        }
        unsafe {
            Some((
                OCaml::from_raw_unchecked(mem::field(self.raw, 0)),
                OCaml::from_raw_unchecked(mem::field(self.raw, 1)),
            ))
        }
    }
}

/// `hd :: tl`, as the model's `cons`.
pub fn cons<'a, T>(
    cr: &'a mut OCamlRuntime,
    hd: impl ToOCaml<T>,
    tl: impl ToOCaml<OCamlList<T>>,
) -> OCaml<'a, OCamlList<T>> {
    let Some(cell) = alloc::block(0, 2) else {
        return wrap(cr, wire::val_int(0));
    };
    let h = unsafe { hd.to_ocaml(cr).raw() };
    let t = unsafe { tl.to_ocaml(cr).raw() };
    unsafe {
        mem::set_field(cell, 0, h);
        mem::set_field(cell, 1, t);
    }
    wrap(cr, cell)
}

impl<T: OCamlDescriber> OCamlDescriber for OCamlList<T> {
    fn describe(out: &mut String) {
        out.push_str("{\"list\":");
        T::describe(out);
        out.push('}');
    }
}
