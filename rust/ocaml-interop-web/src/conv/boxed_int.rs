//! OCaml's boxed integers, `int32`, `int64` and `nativeint` (custom blocks): their conversions
//! and descriptions.

use super::{shape_error, wrap, FromOCaml, ToOCaml};
use crate::alloc;
use crate::describe::OCamlDescriber;
use crate::mlvalues::*;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, custom, mem, tag, RawOCaml};

macro_rules! boxed_int {
    ($marker:ty, $kind:expr, $name:literal: $($t:ty),*) => {$(
        unsafe impl ToOCaml<$marker> for $t {
            fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, $marker> {
                wrap(cr, alloc::boxed_int($kind, *self as i64))
            }
        }
        unsafe impl FromOCaml<$marker> for $t {
            fn from_ocaml(v: OCaml<$marker>) -> Self {
                boxed_value(v.raw, $kind, $name) as $t
            }
        }
    )*};
}
boxed_int!(OCamlInt64, custom::INT64, "an int64": i64);
boxed_int!(OCamlInt32, custom::INT32, "an int32": i32);
boxed_int!(OCamlNativeInt, custom::NATIVEINT, "a nativeint": isize, i32);

fn boxed_value(raw: RawOCaml, kind: u32, what: &str) -> i64 {
    unsafe {
        if !wire::is_block(raw) || mem::tag(raw) != tag::CUSTOM || mem::read_u32(raw + 8) != kind {
            shape_error(what, raw);
        }
        core::ptr::read((raw + 16) as usize as *const i64)
    }
}

macro_rules! describe_boxed_int {
    ($($marker:ty => $name:literal),*) => {$(
        impl OCamlDescriber for $marker {
            fn describe(out: &mut String) {
                out.push_str(concat!("\"", $name, "\""));
            }
        }
    )*};
}
describe_boxed_int!(OCamlInt32 => "int32", OCamlInt64 => "int64", OCamlNativeInt => "nativeint");
