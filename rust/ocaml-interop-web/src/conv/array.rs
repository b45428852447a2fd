//! OCaml `'a array` of boxed elements (`OCamlUniformArray`, tag 0): its conversions and its
//! description. Float arrays are in `float_array.rs`.

use super::{shape_error, wrap, FromOCaml, ToOCaml};
use crate::alloc;
use crate::describe::OCamlDescriber;
use crate::mlvalues::OCamlUniformArray;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, mem, tag};

unsafe impl<T, A: ToOCaml<T>> ToOCaml<OCamlUniformArray<T>> for Vec<A> {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, OCamlUniformArray<T>> {
        let Some(_level) = super::nesting::enter_to_ocaml() else {
            return wrap(cr, wire::UNIT);
        };
        if self.is_empty() {
            return wrap(cr, alloc::tuple(0, &[]));
        }
        let Some(b) = alloc::block(0, self.len() as u32) else {
            return wrap(cr, wire::UNIT);
        };
        for (i, x) in self.iter().enumerate() {
            let w = unsafe { x.to_ocaml(cr).raw() };
            unsafe { mem::set_field(b, i as u32, w) };
        }
        wrap(cr, b)
    }
}

unsafe impl<T, R: FromOCaml<T>> FromOCaml<OCamlUniformArray<T>> for Vec<R> {
    fn from_ocaml(v: OCaml<OCamlUniformArray<T>>) -> Self {
        if !v.is_block() || unsafe { mem::tag(v.raw) } >= tag::NO_SCAN {
            shape_error("an array of boxed values (tag 0)", v.raw);
        }
        let _level = super::nesting::enter_from_ocaml(v.raw);
        (0..v.size())
            .map(|i| R::from_ocaml(unsafe { v.field::<T>(i) }))
            .collect()
    }
}

impl<T: OCamlDescriber> OCamlDescriber for OCamlUniformArray<T> {
    fn describe(out: &mut String) {
        out.push_str("{\"array\":");
        T::describe(out);
        out.push('}');
    }
}
