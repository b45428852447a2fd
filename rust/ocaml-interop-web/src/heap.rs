//! The global allocator of an app's Rust module (feature `reuse-memory`, on by default; only
//! on wasm32-unknown-unknown): dlmalloc, as std's own allocator, over pages that may be reused.
//!
//! After a trap the host re-creates the Rust instance on the same memory (the OCaml module
//! imports it, so it cannot be replaced). std's allocator only ever grows the memory, so a new
//! instance would leave the pages its predecessor grew unused and grow past them: memory grew by
//! the working set at each re-creation, and the host had to zero all of it. This allocator's
//! first request is answered with the pages the memory already has beyond the static data and
//! the stack (`__heap_base` to its end), so a re-created instance reuses them, and the host only
//! zeroes what lies below `__heap_base` (`oiw_heap_base`). Those pages are not zero, so
//! `allocates_zeros` is false: dlmalloc zeroes what `alloc_zeroed` hands out itself.
//!
//! An app that wants its own `#[global_allocator]` turns the feature off
//! (`default-features = false`); the host then zeroes the whole memory at a re-creation.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;
use dlmalloc::Dlmalloc;

const PAGE: usize = 64 * 1024;

extern "C" {
    /// Where the linker put the end of the static data (the heap starts there).
    static __heap_base: u8;
}

/// The first address the allocator may hand out.
pub(crate) fn heap_base() -> usize {
    (core::ptr::addr_of!(__heap_base) as usize + 15) & !15
}

/// Whether the pages above `__heap_base` were handed to dlmalloc yet (zero after a re-creation,
/// which zeroes this static with the rest of the memory below `__heap_base`).
struct Once(UnsafeCell<bool>);
// SAFETY: wasm32 without threads.
unsafe impl Sync for Once {}
static REUSED: Once = Once(UnsafeCell::new(false));

struct Pages;

unsafe impl dlmalloc::Allocator for Pages {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        let reused = unsafe { &mut *REUSED.0.get() };
        if !*reused {
            *reused = true;
            // the end of what OCaml views of a previous instance still hold (shared bigarrays):
            // the new instance never hands that memory out
            let reserved = (crate::host::reserved_heap_start() as usize + 15) & !15;
            let (base, end) = (heap_base().max(reserved), wasm32::memory_size(0) * PAGE);
            if end > base {
                if end - base >= size {
                    return (base as *mut u8, end - base, 0);
                }
                // not enough already: grow the memory and hand out one contiguous region
                let more = (size - (end - base)).div_ceil(PAGE);
                if wasm32::memory_grow(0, more) == usize::MAX {
                    return (core::ptr::null_mut(), 0, 0);
                }
                return (base as *mut u8, end - base + more * PAGE, 0);
            }
        }
        let pages = size.div_ceil(PAGE);
        let prev = wasm32::memory_grow(0, pages);
        if prev == usize::MAX {
            return (core::ptr::null_mut(), 0, 0);
        }
        ((prev * PAGE) as *mut u8, pages * PAGE, 0)
    }
    fn remap(&self, _ptr: *mut u8, _old: usize, _new: usize, _can_move: bool) -> *mut u8 {
        core::ptr::null_mut()
    }
    fn free_part(&self, _ptr: *mut u8, _old: usize, _new: usize) -> bool {
        false
    }
    fn free(&self, _ptr: *mut u8, _size: usize) -> bool {
        false
    }
    fn can_release_part(&self, _flags: u32) -> bool {
        false
    }
    fn allocates_zeros(&self) -> bool {
        // reused pages hold what the previous instance left there
        false
    }
    fn page_size(&self) -> usize {
        PAGE
    }
}

struct Heap(UnsafeCell<Dlmalloc<Pages>>);
// SAFETY: wasm32 without threads.
unsafe impl Sync for Heap {}

unsafe impl GlobalAlloc for Heap {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).malloc(layout.size(), layout.align())
    }
    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).calloc(layout.size(), layout.align())
    }
    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        (*self.0.get()).free(ptr, layout.size(), layout.align())
    }
    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        (*self.0.get()).realloc(ptr, layout.size(), layout.align(), new_size)
    }
}

#[global_allocator]
static HEAP: Heap = Heap(UnsafeCell::new(Dlmalloc::new_with_allocator(Pages)));
