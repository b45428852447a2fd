//! OCaml `float` (a boxed double, tag 253): its conversions, `to_f64` and its description.

use super::{shape_error, wrap, FromOCaml, ToOCaml};
use crate::alloc;
use crate::describe::OCamlDescriber;
use crate::mlvalues::OCamlFloat;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, mem, tag};

unsafe impl ToOCaml<OCamlFloat> for f64 {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, OCamlFloat> {
        wrap(cr, alloc::float(*self))
    }
}

unsafe impl ToOCaml<OCamlFloat> for f32 {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, OCamlFloat> {
        wrap(cr, alloc::float(*self as f64))
    }
}

unsafe impl FromOCaml<OCamlFloat> for f64 {
    fn from_ocaml(v: OCaml<OCamlFloat>) -> Self {
        v.to_f64()
    }
}

impl<'gc> OCaml<'gc, OCamlFloat> {
    pub fn to_f64(&self) -> f64 {
        if !wire::is_block(self.raw) || unsafe { mem::tag(self.raw) != tag::DOUBLE || mem::size(self.raw) != 1 } {
            shape_error("a float (tag 253)", self.raw);
        }
        unsafe { mem::read_f64(self.raw + wire::HEADER_BYTES) }
    }
}

impl OCamlDescriber for OCamlFloat {
    fn describe(out: &mut String) {
        out.push_str("\"float\"");
    }
}
