//! The immediates: `unit`, `int` (31-bit, range-checked), `bool` and `char` (a byte): their
//! conversions, their `OCaml<T>` methods and their descriptions.

use super::{check_immediate, shape_error, wrap, FromOCaml, ToOCaml};
use crate::describe::OCamlDescriber;
use crate::error::pending;
use crate::mlvalues::*;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, RawOCaml};
use std::marker::PhantomData;

// ---- unit ------------------------------------------------------------------------------------

unsafe impl ToOCaml<()> for () {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, ()> {
        wrap(cr, wire::UNIT)
    }
}

unsafe impl FromOCaml<()> for () {
    fn from_ocaml(v: OCaml<()>) -> Self {
        check_immediate(unsafe { v.raw() }, "unit");
    }
}

impl<'gc> OCaml<'gc, ()> {
    pub fn unit() -> OCaml<'static, ()> {
        OCaml {
            raw: wire::UNIT,
            _marker: PhantomData,
        }
    }
}

impl OCamlDescriber for () {
    fn describe(out: &mut String) {
        out.push_str("\"unit\"");
    }
}

// ---- int -------------------------------------------------------------------------------------

/// Range-checked: a value outside OCaml's 31-bit `int` fails the call (never wraps). Inlined
/// (a list of ints converts one per cell), its error out of line.
#[inline]
fn int_word(n: i64) -> RawOCaml {
    match wire::val_int_checked(n) {
        Some(w) => w,
        None => int_out_of_range(n),
    }
}

#[cold]
#[inline(never)]
fn int_out_of_range(n: i64) -> RawOCaml {
    pending::int_out_of_range(n);
    wire::val_int(0)
}

macro_rules! to_ocaml_int {
    ($($t:ty),*) => {$(
        unsafe impl ToOCaml<OCamlInt> for $t {
            #[inline]
            fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, OCamlInt> {
                wrap(cr, int_word(*self as i64))
            }
        }
    )*};
}
to_ocaml_int!(i64, i32, isize, i16, i8, u8, u16, u32);

unsafe impl ToOCaml<OCamlInt> for u64 {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, OCamlInt> {
        let n = i64::try_from(*self).unwrap_or(i64::MAX);
        wrap(cr, int_word(n))
    }
}

unsafe impl FromOCaml<OCamlInt> for i64 {
    fn from_ocaml(v: OCaml<OCamlInt>) -> Self {
        check_immediate(v.raw, "an int");
        wire::int_val(v.raw) as i64
    }
}
unsafe impl FromOCaml<OCamlInt> for i32 {
    fn from_ocaml(v: OCaml<OCamlInt>) -> Self {
        check_immediate(v.raw, "an int");
        wire::int_val(v.raw)
    }
}
unsafe impl FromOCaml<OCamlInt> for isize {
    fn from_ocaml(v: OCaml<OCamlInt>) -> Self {
        check_immediate(v.raw, "an int");
        wire::int_val(v.raw) as isize
    }
}

impl<'gc> OCaml<'gc, OCamlInt> {
    /// The integer (always in OCaml's 31-bit range).
    pub fn to_i64(&self) -> i64 {
        check_immediate(self.raw, "an int");
        wire::int_val(self.raw) as i64
    }
    /// Checked constructor: `Err` when `n` does not fit OCaml's 31-bit `int`.
    pub fn of_i64(n: i64) -> Result<OCaml<'static, OCamlInt>, crate::error::OCamlFixnumConversionError> {
        use crate::error::OCamlFixnumConversionError::{InputTooBig, InputTooSmall};
        wire::val_int_checked(n)
            .map(|raw| OCaml {
                raw,
                _marker: PhantomData,
            })
            .ok_or(if n > 0 { InputTooBig(n) } else { InputTooSmall(n) })
    }
    /// Unchecked constructor: keeps the low 31 bits, as the model's does on 64-bit OCaml.
    ///
    /// # Safety
    /// `n` must fit OCaml's 31-bit int, or the value is silently another number.
    pub unsafe fn of_i64_unchecked(n: i64) -> OCaml<'static, OCamlInt> {
        OCaml {
            raw: wire::val_int(n as i32),
            _marker: PhantomData,
        }
    }
    pub fn of_i32(n: i32) -> OCaml<'static, OCamlInt> {
        match wire::val_int_checked(n as i64) {
            Some(raw) => OCaml {
                raw,
                _marker: PhantomData,
            },
            None => {
                pending::int_out_of_range(n as i64);
                OCaml {
                    raw: wire::val_int(0),
                    _marker: PhantomData,
                }
            }
        }
    }
}

impl OCamlDescriber for OCamlInt {
    fn describe(out: &mut String) {
        out.push_str("\"int\"");
    }
}

// ---- bool ------------------------------------------------------------------------------------

unsafe impl ToOCaml<bool> for bool {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, bool> {
        wrap(cr, if *self { wire::TRUE } else { wire::FALSE })
    }
}

unsafe impl FromOCaml<bool> for bool {
    fn from_ocaml(v: OCaml<bool>) -> Self {
        check_immediate(v.raw, "a bool");
        wire::int_val(v.raw) != 0
    }
}

impl<'gc> OCaml<'gc, bool> {
    pub fn to_bool(&self) -> bool {
        check_immediate(self.raw, "a bool");
        wire::int_val(self.raw) != 0
    }
    pub fn of_bool(b: bool) -> OCaml<'static, bool> {
        OCaml {
            raw: if b { wire::TRUE } else { wire::FALSE },
            _marker: PhantomData,
        }
    }
}

impl OCamlDescriber for bool {
    fn describe(out: &mut String) {
        out.push_str("\"bool\"");
    }
}

// ---- char ------------------------------------------------------------------------------------

unsafe impl ToOCaml<OCamlChar> for u8 {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, OCamlChar> {
        wrap(cr, wire::val_int(*self as i32))
    }
}
/// Range-checked: OCaml's `char` is a byte (0..=255).
unsafe impl ToOCaml<OCamlChar> for char {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, OCamlChar> {
        let c = *self as u32;
        if c > u8::MAX as u32 {
            pending::set(format!(
                "the character {self:?} (U+{c:04X}) does not fit OCaml's char (a byte, 0..=255)"
            ));
            return wrap(cr, wire::val_int(0));
        }
        wrap(cr, wire::val_int(c as i32))
    }
}
unsafe impl FromOCaml<OCamlChar> for u8 {
    fn from_ocaml(v: OCaml<OCamlChar>) -> Self {
        let n = wire::int_val(v.raw);
        if !wire::is_immediate(v.raw) || !(0..=u8::MAX as i32).contains(&n) {
            shape_error("a char (0..=255)", v.raw);
        }
        n as u8
    }
}
unsafe impl FromOCaml<OCamlChar> for char {
    fn from_ocaml(v: OCaml<OCamlChar>) -> Self {
        u8::from_ocaml(v) as char
    }
}

impl OCamlDescriber for OCamlChar {
    fn describe(out: &mut String) {
        out.push_str("\"char\"");
    }
}
