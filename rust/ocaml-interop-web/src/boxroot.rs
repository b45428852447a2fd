//! `BoxRoot<T>` (a value kept past the call that produced it) and `OCamlRef<T>`.
//!
//! Rooting copies the value's blocks out of the call arena into memory the root owns, so the
//! root stays valid across later calls, re-entry and arena resets, until it is dropped.

use crate::conv::FromOCaml;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, mem, tag, RawOCaml};
use std::cell::Cell;
use std::marker::PhantomData;

/// A cell holding a value word; `OCamlRef<'a, T>` is a reference to one, as in the model.
#[repr(transparent)]
pub struct OCamlCell<T> {
    raw: Cell<RawOCaml>,
    _marker: PhantomData<*const T>,
}

pub type OCamlRef<'a, T> = &'a OCamlCell<T>;

impl<T> OCamlCell<T> {
    pub(crate) fn from_ocaml<'a>(v: &'a OCaml<'_, T>) -> &'a OCamlCell<T> {
        // SAFETY: OCamlCell is repr(transparent) over Cell<u32>, which has u32's layout.
        unsafe { &*(&v.raw as *const RawOCaml as *const OCamlCell<T>) }
    }
    /// The raw word (unsafe as in the model).
    pub unsafe fn get_raw(&self) -> RawOCaml {
        self.raw.get()
    }
    /// Converts the referenced value to Rust.
    pub fn to_rust<R: FromOCaml<T>>(&self, cr: &OCamlRuntime) -> R {
        R::from_ocaml(cr.get(self))
    }
}

/// A rooted value. `!Send`/`!Sync` as in the model. Closures inside it stay alive on the
/// OCaml side until it is dropped.
pub struct BoxRoot<T> {
    cell: Box<OCamlCell<T>>,
    storage: Vec<u64>,
    handles: Vec<u32>,
}

impl<T> Drop for BoxRoot<T> {
    fn drop(&mut self) {
        for h in self.handles.drain(..) {
            crate::host::release(h);
        }
    }
}

impl<T> BoxRoot<T> {
    /// Roots `v` (copies its blocks into storage owned by the root).
    pub fn new(v: OCaml<T>) -> BoxRoot<T> {
        let (storage, raw, handles) = deep_copy(v.raw);
        BoxRoot { cell: Box::new(OCamlCell { raw: Cell::new(raw), _marker: PhantomData }), storage, handles }
    }

    /// The value, valid while `cr` is borrowed.
    pub fn get<'a>(&self, _cr: &'a OCamlRuntime) -> OCaml<'a, T> {
        unsafe { OCaml::from_raw_unchecked(self.cell.raw.get()) }
    }

    /// Roots another value in the same root.
    pub fn keep<'tmp>(&'tmp mut self, v: OCaml<T>) -> OCamlRef<'tmp, T> {
        let (storage, raw, handles) = deep_copy(v.raw);
        for h in std::mem::replace(&mut self.handles, handles) {
            crate::host::release(h);
        }
        self.storage = storage;
        self.cell.raw.set(raw);
        &self.cell
    }

    pub fn to_rust<R: FromOCaml<T>>(&self, cr: &OCamlRuntime) -> R {
        R::from_ocaml(self.get(cr))
    }

    /// Bytes of linear memory this root holds (for the memory-flatness checks).
    pub fn held_bytes(&self) -> usize {
        self.storage.len() * 8
    }
}

impl<T> std::ops::Deref for BoxRoot<T> {
    type Target = OCamlCell<T>;
    fn deref(&self) -> &OCamlCell<T> {
        &self.cell
    }
}

/// Copies the blocks reachable from `v` into a fresh buffer; returns it, the new word, and the
/// closure handles it holds (retained). Iterative (long lists do not deepen the Rust stack).
pub(crate) fn deep_copy(v: RawOCaml) -> (Vec<u64>, RawOCaml, Vec<u32>) {
    if !wire::is_block(v) {
        return (Vec::new(), v, Vec::new());
    }
    let mut handles = Vec::new();
    // pass 1: size
    let mut total: u64 = 0;
    let mut stack = vec![v];
    while let Some(b) = stack.pop() {
        unsafe {
            let (t, n) = (mem::tag(b), mem::size(b));
            total += wire::block_bytes(t, n) as u64;
            total += bigarray_data(b).map(|(_, bytes)| wire::round_up(bytes.max(8)) as u64).unwrap_or(0);
            if t < tag::NO_SCAN {
                for i in 0..n {
                    let f = mem::field(b, i);
                    if wire::is_block(f) {
                        stack.push(f);
                    }
                }
            }
        }
    }
    let mut storage = vec![0u64; (total / 8) as usize];
    let base = storage.as_mut_ptr() as usize as u32;
    let mut next = base;
    // pass 2: copy; each work item is (source block, slot to patch with the copy's address)
    let mut work: Vec<(RawOCaml, u32)> = Vec::new();
    let root_slot: Cell<RawOCaml> = Cell::new(0);
    work.push((v, root_slot.as_ptr() as usize as u32));
    while let Some((src, slot)) = work.pop() {
        unsafe {
            let (t, n) = (mem::tag(src), mem::size(src));
            let bytes = wire::block_bytes(t, n);
            std::ptr::copy_nonoverlapping(src as usize as *const u8, next as usize as *mut u8, bytes as usize);
            mem::write_u32(slot, next);
            let dst = next;
            next += bytes;
            // a bigarray's data is copied too (unless Rust shares the buffer: then it stays put)
            if let Some((ptr, bytes)) = bigarray_data(src) {
                std::ptr::copy_nonoverlapping(ptr as usize as *const u8, next as usize as *mut u8, bytes as usize);
                mem::write_u32(dst + 20, next);
                next += wire::round_up(bytes.max(8));
            }
            if t == tag::CLOSURE && n == 2 {
                let h = wire::int_val(mem::field(src, 0)) as u32;
                crate::host::retain(h);
                handles.push(h);
            }
            if t < tag::NO_SCAN {
                for i in 0..n {
                    let f = mem::field(src, i);
                    if wire::is_block(f) {
                        work.push((f, dst + wire::HEADER_BYTES + 4 * i));
                    }
                }
            }
        }
    }
    debug_assert_eq!(next - base, total as u32);
    (storage, root_slot.get(), handles)
}

/// The data of a bigarray block that lives in the arena: (address, bytes).
unsafe fn bigarray_data(b: RawOCaml) -> Option<(u32, u32)> {
    if mem::tag(b) != tag::CUSTOM || mem::read_u32(b + 8) != wire::custom::BIGARRAY {
        return None;
    }
    let elt = mem::read_u32(b + 12);
    if elt & 0x100 != 0 {
        return None;
    }
    let size = match elt & 0xff {
        1 | 7 => 8,
        0 | 6 | 9 => 4,
        4 | 5 => 2,
        _ => 1,
    };
    Some((mem::read_u32(b + 20), size * mem::read_u32(b + 16)))
}
