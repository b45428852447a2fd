//! Conversions of compound values: lists, arrays, tuples, results, boxed integers, chars.
//! Encoders write blocks in pre-order (docs/wire-format.md): a block before its fields.

use super::{FromOCaml, ToOCaml};
use crate::alloc;
use crate::error::pending;
use crate::mlvalues::*;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, custom, mem, tag, RawOCaml};

#[inline]
fn wrap<'a, T>(_cr: &'a mut OCamlRuntime, raw: RawOCaml) -> OCaml<'a, T> {
    unsafe { OCaml::from_raw_unchecked(raw) }
}

/// Panics with a message naming the expected and the actual shape (a mismatch between the
/// declared OCaml type and the value is a bug on one side; the model panics too).
#[cold]
pub fn shape_error(expected: &str, raw: RawOCaml) -> ! {
    let got = if wire::is_immediate(raw) {
        format!("the immediate {}", wire::int_val(raw))
    } else if wire::is_block(raw) {
        unsafe { format!("a block with tag {} and size {}", mem::tag(raw), mem::size(raw)) }
    } else {
        format!("the invalid word {raw:#x}")
    };
    match crate::runtime::current_export() {
        "" => panic!("ocaml-interop: expected {expected}, got {got}"),
        f => panic!("ocaml-interop: {f}: expected {expected}, got {got}"),
    }
}

// ---- lists ---------------------------------------------------------------------------------

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

// ---- arrays ----------------------------------------------------------------------------------

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

// ---- results ----------------------------------------------------------------------------------

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

// ---- boxed integers and chars ----------------------------------------------------------------

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
