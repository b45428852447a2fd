//! `Bigarray.Array1` (`bigarray::Array1<T>`), as in the model: Rust slices are copied into a
//! new bigarray, and `OCaml<Array1<T>>::as_slice` reads the data where it is (no copy). As in
//! the model, a rooted bigarray (`slice.to_boxroot(cr)`) and OCaml share its data: passed to
//! OCaml it is a view of the same memory, so what OCaml writes Rust reads through the root,
//! and the data lives as long as the root or any OCaml value viewing it (a reference count
//! that OCaml's GC decrements through the host). Beyond the model: [`SharedArray1`] is a buffer
//! Rust owns that OCaml sees as a Bigarray without copying; `Vec<T>: FromOCaml<Array1<T>>`
//! copies out.
//!
//! Element kinds: `f32`, `f64`, `i8`, `u8`, `i16`, `u16`, `i32`, `i64`, `isize` (`nativeint`,
//! 32-bit here), as in the model. OCaml's `char` bigarrays cross as `u8` data; `int` (31-bit)
//! and the complex kinds are not supported. `int64` and `nativeint` bigarrays are always copied
//! into OCaml (wasm_of_ocaml stores them in `Int32Array`s of its own).

use crate::conv::{FromOCaml, ToOCaml};
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, custom, mem, tag, RawOCaml};
use std::marker::PhantomData;

/// The marker of `('a, 'b, c_layout) Bigarray.Array1.t`.
pub struct Array1<T>(PhantomData<T>);

/// Element types of bigarrays that cross the boundary.
///
/// # Safety
/// `KIND` must be the OCaml `Bigarray.kind` whose elements have this type's size and layout.
pub unsafe trait BigarrayElt: Copy + 'static {
    /// OCaml's `Bigarray.kind` number.
    const KIND: u32;
    /// The name in type descriptions.
    const NAME: &'static str;
}

macro_rules! elt {
    ($($t:ty => $k:ident $n:ident),*) => {$(
        unsafe impl BigarrayElt for $t {
            const KIND: u32 = crate::protocol::bigarray::$k;
            const NAME: &'static str = crate::protocol::bigarray::$n;
        }
    )*};
}
// the kinds and names are the protocol's (wire-format/protocol.json)
elt!(f32 => FLOAT32 FLOAT32_NAME, f64 => FLOAT64 FLOAT64_NAME, i8 => INT8_SIGNED INT8_SIGNED_NAME,
     u8 => INT8_UNSIGNED INT8_UNSIGNED_NAME, i16 => INT16_SIGNED INT16_SIGNED_NAME,
     u16 => INT16_UNSIGNED INT16_UNSIGNED_NAME, i32 => INT32 INT32_NAME, i64 => INT64 INT64_NAME,
     isize => NATIVEINT NATIVEINT_NAME);

/// Flag in the element-kind word: the data is a buffer Rust shares (OCaml gets a view).
pub(crate) const SHARED: u32 = crate::protocol::bigarray::SHARED;
/// Flag in the element-kind word (with SHARED): the data is a managed buffer (below): a view
/// of it holds a reference.
pub(crate) const MANAGED: u32 = crate::protocol::bigarray::MANAGED;

/// The data of rooted bigarrays: buffers counted by the roots and the OCaml views that hold
/// them, freed when the count drops to 0 (the model's bigarrays are owned by OCaml's GC).
pub(crate) mod managed {
    use std::cell::RefCell;
    use std::collections::HashMap;

    /// A buffer's data and its count, by address.
    type Buffers = HashMap<u32, (Box<[u64]>, u32)>;

    thread_local! {
        static BUFFERS: RefCell<Buffers> = RefCell::new(HashMap::new());
    }

    /// A new buffer holding a copy of `bytes` bytes at `src`, counted once (for the caller).
    pub(crate) fn copy_of(src: u32, bytes: u32) -> u32 {
        let mut data = vec![0u64; (bytes as usize).div_ceil(8).max(1)].into_boxed_slice();
        unsafe {
            std::ptr::copy_nonoverlapping(src as usize as *const u8, data.as_mut_ptr() as *mut u8, bytes as usize)
        };
        let p = data.as_ptr() as usize as u32;
        BUFFERS.with(|b| b.borrow_mut().insert(p, (data, 1)));
        p
    }

    /// Counts one more holder of the buffer at `p`; false if `p` is not a managed buffer.
    pub(crate) fn retain(p: u32) -> bool {
        BUFFERS.with(|b| match b.borrow_mut().get_mut(&p) {
            Some(e) => {
                e.1 += 1;
                true
            }
            None => false,
        })
    }

    /// One holder fewer; the buffer is freed with the last.
    pub(crate) fn release(p: u32) {
        BUFFERS.with(|b| {
            let mut b = b.borrow_mut();
            if let Some(e) = b.get_mut(&p) {
                e.1 -= 1;
                if e.1 == 0 {
                    b.remove(&p);
                }
            }
        })
    }

    pub(crate) fn live() -> u32 {
        BUFFERS.with(|b| b.borrow().len() as u32)
    }
}

/// Rooting a bigarray block (`boxroot::copy_blocks`), `dst` being the root's copy of `src`: data
/// in the call arena moves to a managed buffer that the root holds and OCaml's views of it share
/// (the model's bigarray is one OCaml value both sides see); a managed buffer again is held once
/// more; data elsewhere in Rust's memory (a `SharedArray1`) stays where it is. Returns the
/// buffer the root now holds, if any.
///
/// # Safety
/// `src` and `dst` must be blocks of the wire format, `dst` a copy of `src`.
pub(crate) unsafe fn root_data(src: RawOCaml, dst: RawOCaml) -> Option<u32> {
    let (elt, ptr, len) = data(src)?;
    let kind = elt & crate::protocol::bigarray::KIND_MASK;
    if elt & SHARED == 0 && crate::arena::contains(ptr) {
        // the call's data: a buffer of its own, which OCaml will view
        let p = managed::copy_of(ptr, len);
        mem::write_u32(dst + 20, p);
        mem::write_u32(dst + 12, kind | SHARED | MANAGED);
        Some(p)
    } else if managed::retain(ptr) {
        // a view of such a buffer (OCaml passed it back): hold it too
        mem::write_u32(dst + 12, kind | SHARED | MANAGED);
        Some(ptr)
    } else {
        // Rust's own memory (a SharedArray1 or a view of one): viewed, not copied
        mem::write_u32(dst + 12, kind | SHARED);
        None
    }
}

/// A bigarray block's element word, data address and data size in bytes.
unsafe fn data(b: RawOCaml) -> Option<(u32, u32, u32)> {
    if mem::tag(b) != tag::CUSTOM || mem::read_u32(b + 8) != custom::BIGARRAY {
        return None;
    }
    let elt = mem::read_u32(b + 12);
    // a bigarray of another kind never gets here (validation refuses it)
    let size = wire::bigarray_elt_bytes(elt & crate::protocol::bigarray::KIND_MASK)?;
    Some((elt, mem::read_u32(b + 20), size * mem::read_u32(b + 16)))
}

/// How many bigarray buffers roots and OCaml views hold (for leak checks).
pub fn live_buffers() -> u32 {
    managed::live()
}

fn header(kind: u32, flags: u32, len: usize, ptr: u32) -> RawOCaml {
    match crate::alloc::block(tag::CUSTOM, custom::INT_PAYLOAD) {
        Some(b) => unsafe {
            mem::write_u32(b + 8, custom::BIGARRAY);
            mem::write_u32(b + 12, kind | flags);
            mem::write_u32(b + 16, len as u32);
            mem::write_u32(b + 20, ptr);
            b
        },
        None => wire::UNIT,
    }
}

fn copy_in<T: BigarrayElt>(xs: &[T]) -> RawOCaml {
    let bytes = std::mem::size_of_val(xs) as u32;
    let Ok(data) = crate::arena::alloc_bytes(bytes.max(8)) else {
        crate::error::pending::set(format!("a bigarray of {bytes} bytes does not fit the call arena"));
        return wire::UNIT;
    };
    unsafe { std::ptr::copy_nonoverlapping(xs.as_ptr() as *const u8, data as usize as *mut u8, bytes as usize) };
    header(T::KIND, 0, xs.len(), data)
}

unsafe impl<T: BigarrayElt> ToOCaml<Array1<T>> for [T] {
    fn to_ocaml<'a>(&self, _cr: &'a mut OCamlRuntime) -> OCaml<'a, Array1<T>> {
        unsafe { OCaml::from_raw_unchecked(copy_in(self)) }
    }
}
unsafe impl<T: BigarrayElt> ToOCaml<Array1<T>> for Vec<T> {
    fn to_ocaml<'a>(&self, _cr: &'a mut OCamlRuntime) -> OCaml<'a, Array1<T>> {
        unsafe { OCaml::from_raw_unchecked(copy_in(self)) }
    }
}
unsafe impl<T: BigarrayElt> ToOCaml<Array1<T>> for Box<[T]> {
    fn to_ocaml<'a>(&self, _cr: &'a mut OCamlRuntime) -> OCaml<'a, Array1<T>> {
        unsafe { OCaml::from_raw_unchecked(copy_in(self)) }
    }
}

impl<'gc, T: BigarrayElt> OCaml<'gc, Array1<T>> {
    fn parts(&self) -> (u32, usize) {
        let raw = self.raw;
        unsafe {
            if !wire::is_block(raw) || mem::tag(raw) != tag::CUSTOM || mem::read_u32(raw + 8) != custom::BIGARRAY {
                crate::conv::shape_error("a Bigarray.Array1", raw);
            }
            let kind = mem::read_u32(raw + 12) & crate::protocol::bigarray::KIND_MASK;
            if kind != T::KIND {
                crate::conv::shape_error(&format!("a Bigarray.Array1 of {} (kind {})", T::NAME, T::KIND), raw);
            }
            (mem::read_u32(raw + 20), mem::read_u32(raw + 16) as usize)
        }
    }
    pub fn len(&self) -> usize {
        self.parts().1
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The elements, where they are: in the call arena, or in the Rust buffer OCaml viewed.
    pub fn as_slice(&self) -> &'gc [T] {
        let (ptr, len) = self.parts();
        if len == 0 {
            return &[];
        }
        unsafe { std::slice::from_raw_parts(ptr as usize as *const T, len) }
    }
}

unsafe impl<T: BigarrayElt> FromOCaml<Array1<T>> for Vec<T> {
    fn from_ocaml(v: OCaml<Array1<T>>) -> Self {
        v.as_slice().to_vec()
    }
}

impl<T: BigarrayElt> crate::describe::OCamlDescriber for Array1<T> {
    fn describe(out: &mut String) {
        out.push_str("{\"bigarray\":");
        out.push_str(&crate::describe::json_string(T::NAME));
        out.push('}');
    }
}

/// A buffer Rust owns and OCaml sees as a `Bigarray.Array1` without a copy: both sides read
/// and write the same memory. OCaml's view stays valid when the memory grows (the host uses a
/// resizable buffer; where the browser lacks one, OCaml gets a copy instead). The buffer is
/// counted: dropping the `SharedArray1` drops Rust's reference, and the data lives on while an
/// OCaml view of it does (the host releases a view's reference when OCaml's GC collects it), so
/// a view never reads or writes memory that became another value.
pub struct SharedArray1<T: BigarrayElt> {
    ptr: u32,
    len: usize,
    _elt: std::marker::PhantomData<T>,
}

impl<T: BigarrayElt> SharedArray1<T> {
    pub fn from_vec(v: Vec<T>) -> Self {
        let bytes = std::mem::size_of_val(v.as_slice()) as u32;
        let ptr = managed::copy_of(v.as_ptr() as usize as u32, bytes);
        SharedArray1 {
            ptr,
            len: v.len(),
            _elt: std::marker::PhantomData,
        }
    }
    pub fn as_slice(&self) -> &[T] {
        // SAFETY: the managed buffer holds `len` elements (8-aligned) while this reference counts
        unsafe { std::slice::from_raw_parts(self.ptr as usize as *const T, self.len) }
    }
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        unsafe { std::slice::from_raw_parts_mut(self.ptr as usize as *mut T, self.len) }
    }
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<T: BigarrayElt> Drop for SharedArray1<T> {
    fn drop(&mut self) {
        managed::release(self.ptr);
    }
}

unsafe impl<T: BigarrayElt> ToOCaml<Array1<T>> for SharedArray1<T> {
    fn to_ocaml<'a>(&self, _cr: &'a mut OCamlRuntime) -> OCaml<'a, Array1<T>> {
        unsafe { OCaml::from_raw_unchecked(header(T::KIND, SHARED | MANAGED, self.len, self.ptr)) }
    }
}
