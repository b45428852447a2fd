//! `OCaml<'gc, T>`: a value in the wire format, typed by its OCaml marker.

use crate::conv::FromOCaml;
use crate::error::pending;
use crate::mlvalues::*;
use crate::runtime::OCamlRuntime;
use crate::wire::{self, mem, tag, RawOCaml};
use std::marker::PhantomData;

/// An OCaml value seen from Rust, valid while the runtime borrow `'gc` lasts (as in the model:
/// treat it as invalid after any call back into OCaml; root it with `root()` to keep it).
///
/// Here the value is a word of the shared wire format: an immediate, or the address of a block
/// that the boundary wrote into linear memory for this call.
pub struct OCaml<'gc, T: 'gc> {
    pub(crate) raw: RawOCaml,
    pub(crate) _marker: PhantomData<(&'gc OCamlRuntime, *const T)>,
}

impl<'gc, T> Clone for OCaml<'gc, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<'gc, T> Copy for OCaml<'gc, T> {}

impl<'gc, T> OCaml<'gc, T> {
    /// Wraps a raw wire word.
    ///
    /// # Safety
    /// `raw` must be a valid wire value of type `T`, alive for `'gc` (in the call arena).
    #[inline]
    pub unsafe fn new(_cr: &'gc OCamlRuntime, raw: RawOCaml) -> OCaml<'gc, T> {
        OCaml {
            raw,
            _marker: PhantomData,
        }
    }

    #[doc(hidden)]
    #[inline]
    pub unsafe fn from_raw_unchecked(raw: RawOCaml) -> OCaml<'gc, T> {
        OCaml {
            raw,
            _marker: PhantomData,
        }
    }

    /// The raw wire word (the model's `RawOCaml`).
    ///
    /// # Safety
    /// As in the model: the word is only meaningful while the value is alive (this call's arena).
    #[inline]
    pub unsafe fn raw(&self) -> RawOCaml {
        self.raw
    }

    /// Converts to a Rust value (`FromOCaml`).
    #[inline]
    pub fn to_rust<R: FromOCaml<T>>(&self) -> R {
        R::from_ocaml(*self)
    }

    /// A reference usable as an argument of `ocaml!` functions (`OCamlRef<T>`).
    #[inline]
    pub fn as_ref<'a>(&'a self) -> crate::OCamlRef<'a, T>
    where
        'gc: 'a,
    {
        crate::boxroot::OCamlCell::from_ocaml(self)
    }

    /// Roots the value so that it outlives this call (a `BoxRoot<T>`).
    pub fn root(self) -> crate::BoxRoot<T> {
        crate::BoxRoot::new(self)
    }

    // ---- the raw view of the model -------------------------------------------------------
    #[inline]
    pub fn is_block(&self) -> bool {
        wire::is_block(self.raw)
    }
    #[inline]
    pub fn is_long(&self) -> bool {
        wire::is_immediate(self.raw)
    }
    /// A block of `size` fields (the model's `is_block_sized`).
    #[inline]
    pub fn is_block_sized(&self, size: usize) -> bool {
        self.is_block() && unsafe { mem::size(self.raw) as usize == size }
    }
    /// The block's tag. Panics on an immediate.
    pub fn tag_value(&self) -> u8 {
        assert!(self.is_block(), "tag_value on an immediate value");
        unsafe { mem::tag(self.raw) }
    }
    /// Number of fields (bytes for strings, floats for float arrays). Panics on an immediate.
    pub fn size(&self) -> usize {
        assert!(self.is_block(), "size on an immediate value");
        unsafe { mem::size(self.raw) as usize }
    }
    /// Field `i` of a block.
    ///
    /// # Safety
    /// As in the model: the caller picks the field's type `F`, which must be the field's.
    pub unsafe fn field<F>(&self, i: usize) -> OCaml<'gc, F> {
        assert!(self.is_block(), "field on an immediate value");
        assert!(
            mem::tag(self.raw) < tag::NO_SCAN,
            "field on a block without fields (tag {})",
            mem::tag(self.raw)
        );
        assert!(
            i < mem::size(self.raw) as usize,
            "field {} out of bounds (size {})",
            i,
            mem::size(self.raw)
        );
        OCaml::from_raw_unchecked(mem::field(self.raw, i as u32))
    }
}

/// As in the model: `&value` is an `OCamlRef<T>` (`cr.get(&value)`, `OCamlCell` methods).
impl<T> std::ops::Deref for OCaml<'_, T> {
    type Target = crate::OCamlCell<T>;
    #[inline]
    fn deref(&self) -> &crate::OCamlCell<T> {
        crate::boxroot::OCamlCell::from_ocaml(self)
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

impl<'gc> OCaml<'gc, String> {
    /// The string's bytes, borrowed from the wire buffer (no copy).
    pub fn as_bytes(&self) -> &'gc [u8] {
        check_string(self.raw);
        unsafe { mem::bytes(self.raw) }
    }
    /// The string as `&str`. Panics if it is not valid UTF-8, as in the model.
    pub fn as_str(&self) -> &'gc str {
        match std::str::from_utf8(self.as_bytes()) {
            Ok(s) => s,
            Err(e) => panic!("OCaml string is not valid UTF-8 ({e}); use as_bytes() or to_rust::<String>() (lossy)"),
        }
    }
    /// The string as `&str`, or the UTF-8 error (never panics).
    pub fn try_as_str(&self) -> Result<&'gc str, std::str::Utf8Error> {
        std::str::from_utf8(self.as_bytes())
    }
    /// The string as `&str` without a UTF-8 check.
    ///
    /// # Safety
    /// The string must be valid UTF-8.
    pub unsafe fn as_str_unchecked(&self) -> &'gc str {
        std::str::from_utf8_unchecked(self.as_bytes())
    }
}

impl<'gc> OCaml<'gc, OCamlBytes> {
    pub fn as_bytes(&self) -> &'gc [u8] {
        check_string(self.raw);
        unsafe { mem::bytes(self.raw) }
    }
    /// The bytes as `&str`. Panics if they are not valid UTF-8, as in the model.
    pub fn as_str(&self) -> &'gc str {
        match std::str::from_utf8(self.as_bytes()) {
            Ok(s) => s,
            Err(e) => panic!("OCaml bytes are not valid UTF-8 ({e}); use as_bytes()"),
        }
    }
    /// The bytes as `&str` without a UTF-8 check.
    ///
    /// # Safety
    /// The bytes must be valid UTF-8.
    pub unsafe fn as_str_unchecked(&self) -> &'gc str {
        std::str::from_utf8_unchecked(self.as_bytes())
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
                crate::conv::compound::shape_error("None or Some _", self.raw);
            }
            Some(unsafe { self.field(0) })
        }
    }
}

impl<'gc> OCaml<'gc, OCamlFloat> {
    pub fn to_f64(&self) -> f64 {
        if !wire::is_block(self.raw) || unsafe { mem::tag(self.raw) != tag::DOUBLE || mem::size(self.raw) != 1 } {
            crate::conv::compound::shape_error("a float (tag 253)", self.raw);
        }
        unsafe { mem::read_f64(self.raw + wire::HEADER_BYTES) }
    }
}

#[inline]
fn check_string(raw: RawOCaml) {
    if !wire::is_block(raw) || unsafe { mem::tag(raw) } != tag::STRING {
        crate::conv::compound::shape_error("a string (tag 252)", raw);
    }
}

/// Checks that a word is an immediate (`int`, `bool`, `char`, `unit`, constant constructors).
#[inline]
pub(crate) fn check_immediate(raw: RawOCaml, what: &str) {
    if !wire::is_immediate(raw) {
        crate::conv::compound::shape_error(what, raw);
    }
}
