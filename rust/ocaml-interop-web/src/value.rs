//! `OCaml<'gc, T>`: a value in the wire format, typed by its OCaml marker, and the raw view of
//! it every type shares. The methods of one type (`to_i64`, `as_str`, `to_option` ...) are with
//! that type's conversions (`conv/`).

use crate::conv::FromOCaml;
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
