//! OCaml `floatarray` and `float array` (`OCamlFloatArray`, flat doubles, tag 254): its
//! conversions, the borrowed `as_f64_slice` and its description.

use super::{shape_error, wrap, FromOCaml, ToOCaml};
use crate::alloc;
use crate::describe::OCamlDescriber;
use crate::mlvalues::OCamlFloatArray;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, mem, tag};

unsafe impl ToOCaml<OCamlFloatArray> for Vec<f64> {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, OCamlFloatArray> {
        self.as_slice().to_ocaml(cr)
    }
}
unsafe impl ToOCaml<OCamlFloatArray> for [f64] {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, OCamlFloatArray> {
        let Some(_level) = super::nesting::enter_to_ocaml() else {
            return wrap(cr, wire::UNIT);
        };
        wrap(cr, alloc::float_array(self))
    }
}

unsafe impl FromOCaml<OCamlFloatArray> for Vec<f64> {
    fn from_ocaml(v: OCaml<OCamlFloatArray>) -> Self {
        // an empty array is the empty block (tag 0) in OCaml, whatever its element type
        if v.is_block() && v.size() == 0 {
            return Vec::new();
        }
        if !v.is_block() || unsafe { mem::tag(v.raw) } != tag::DOUBLE_ARRAY {
            shape_error("a float array (tag 254)", v.raw);
        }
        v.as_f64_slice().to_vec()
    }
}

impl<'gc> OCaml<'gc, OCamlFloatArray> {
    /// The floats, borrowed from the wire buffer (no copy).
    pub fn as_f64_slice(&self) -> &'gc [f64] {
        if self.size() == 0 {
            return &[];
        }
        unsafe { std::slice::from_raw_parts((self.raw + 8) as usize as *const f64, self.size()) }
    }
}

impl OCamlDescriber for OCamlFloatArray {
    fn describe(out: &mut String) {
        out.push_str("\"floatarray\"");
    }
}
