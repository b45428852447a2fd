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
    ///
    /// # Safety
    /// The word is only meaningful while the root holds its value.
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
    /// (held in place: an `OCamlRef` borrows the root, which cannot move while it is borrowed,
    /// and the word points into `storage`'s buffer, which moves with nothing; a box would cost an
    /// allocation per `ocaml!` call)
    cell: OCamlCell<T>,
    storage: Vec<u64>,
    /// the closures and bigarray buffers it holds, if any, released when it is dropped (most
    /// roots hold neither: an immediate root is then a word and an empty vector, and dropping it
    /// costs two tests)
    _held: Option<Box<Held>>,
}

/// The closure handles and bigarray buffers a root holds, released when it is dropped.
struct Held {
    handles: Vec<crate::host::Handle>,
    /// (shared with OCaml's views of them)
    buffers: Vec<u32>,
}

impl Drop for Held {
    fn drop(&mut self) {
        for h in self.handles.drain(..) {
            crate::host::release(h);
        }
        for b in self.buffers.drain(..) {
            crate::bigarray::managed::release(b);
        }
    }
}

impl Held {
    #[inline]
    fn of(handles: Vec<crate::host::Handle>, buffers: Vec<u32>) -> Option<Box<Held>> {
        if handles.is_empty() && buffers.is_empty() {
            None
        } else {
            Some(Box::new(Held { handles, buffers }))
        }
    }
}

impl<T> BoxRoot<T> {
    /// Roots `v` (copies its blocks into storage owned by the root). An immediate is only the
    /// word: rooting it allocates nothing and costs a test (the result of most `ocaml!` calls).
    #[inline]
    pub fn new(v: OCaml<T>) -> BoxRoot<T> {
        if !wire::is_block(v.raw) {
            return BoxRoot::of(v.raw, Vec::new(), None);
        }
        BoxRoot::of_block(v.raw)
    }

    #[inline(always)]
    fn of(raw: RawOCaml, storage: Vec<u64>, held: Option<Box<Held>>) -> BoxRoot<T> {
        BoxRoot {
            cell: OCamlCell {
                raw: Cell::new(raw),
                _marker: PhantomData,
            },
            storage,
            _held: held,
        }
    }

    #[inline(never)]
    fn of_block(v: RawOCaml) -> BoxRoot<T> {
        let Copied {
            storage,
            raw,
            handles,
            buffers,
        } = copy_blocks(v);
        BoxRoot::of(raw, storage, Held::of(handles, buffers))
    }

    /// The value, valid while `cr` is borrowed.
    pub fn get<'a>(&self, _cr: &'a OCamlRuntime) -> OCaml<'a, T> {
        unsafe { OCaml::from_raw_unchecked(self.cell.raw.get()) }
    }

    /// Roots another value in the same root (what it held before is released after the copy:
    /// `v` may be part of it).
    pub fn keep<'tmp>(&'tmp mut self, v: OCaml<T>) -> OCamlRef<'tmp, T> {
        *self = BoxRoot::new(v);
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

/// What rooting a value made: its blocks, the new word, the closure handles and the bigarray
/// buffers it holds.
struct Copied {
    storage: Vec<u64>,
    raw: RawOCaml,
    handles: Vec<crate::host::Handle>,
    buffers: Vec<u32>,
}

/// Copies the blocks reachable from block `v` into a fresh buffer. Closures are retained (by
/// handle: `closure::root_handle`); a bigarray's data is held as `bigarray::root_data` says.
/// Iterative (long lists do not deepen the Rust stack).
fn copy_blocks(v: RawOCaml) -> Copied {
    let mut handles = Vec::new();
    let mut buffers = Vec::new();
    // pass 1: size
    let mut total: u64 = 0;
    let mut stack = vec![v];
    while let Some(b) = stack.pop() {
        unsafe {
            let (t, n) = (mem::tag(b), mem::size(b));
            total += wire::block_bytes(t, n) as u64;
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
            if let Some(p) = crate::bigarray::root_data(src, dst) {
                buffers.push(p);
            }
            if let Some(h) = crate::closure::root_handle(src) {
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
    Copied {
        storage,
        raw: root_slot.get(),
        handles,
        buffers,
    }
}
