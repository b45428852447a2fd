//! The call arena: where values in the wire format live while a call crosses the boundary.
//!
//! One arena is shared by the OCaml glue, the TS host and Rust. Its bump state (`top`, `limit`)
//! sits at a fixed address (`oiw_arena_state`) that all three read and write directly, so the
//! common case (allocation in the current chunk, release back to a mark) never crosses a call.
//! When a chunk is full, `oiw_arena_grow` adds a new one; `oiw_arena_release` frees the chunks
//! allocated after a mark. Frames nest like a stack: every crossing saves `(top, limit)` before
//! it writes and restores it when its result has been read.

use crate::wire::{round_up, BLOCK_ALIGN};
use std::alloc::{alloc, dealloc, Layout};
use std::cell::UnsafeCell;

/// The bump state read and written by the OCaml glue and the TS host (`#[repr(C)]`, two u32).
#[repr(C)]
pub struct ArenaState {
    pub top: u32,
    pub limit: u32,
}

// the protocol's layout (wire-format/protocol.json), checked at compile time
const _: () = {
    use crate::protocol::arena_state as f;
    assert!(
        core::mem::offset_of!(ArenaState, top) as u32 == f::TOP
            && core::mem::offset_of!(ArenaState, limit) as u32 == f::LIMIT
    );
    assert!(core::mem::size_of::<ArenaState>() as u32 == f::BYTES);
};

const FIRST_CHUNK: u32 = 64 * 1024;
/// The arena never holds more than this (a value larger than it, or a cyclic one, fails cleanly).
pub const MAX_ARENA_BYTES: u64 = 1 << 30;

struct Chunk {
    start: u32,
    size: u32,
}

struct Arena {
    state: ArenaState,
    chunks: Vec<Chunk>,
    /// One freed chunk kept for reuse, so a large value sent on every call does not
    /// allocate and free a chunk each time.
    spare: Option<Chunk>,
    total: u64,
}

struct ArenaCell(UnsafeCell<Arena>);
// SAFETY: wasm32 without threads: a single thread ever touches the arena.
unsafe impl Sync for ArenaCell {}

static ARENA: ArenaCell = ArenaCell(UnsafeCell::new(Arena {
    state: ArenaState { top: 0, limit: 0 },
    chunks: Vec::new(),
    spare: None,
    total: 0,
}));

#[inline]
fn arena() -> &'static mut Arena {
    // SAFETY: single-threaded; no reference to the arena outlives one of these functions.
    unsafe { &mut *ARENA.0.get() }
}

fn new_chunk(size: u32) -> Chunk {
    let layout = Layout::from_size_align(size as usize, BLOCK_ALIGN as usize).expect("arena chunk layout");
    // SAFETY: size is non-zero.
    let p = unsafe { alloc(layout) };
    if p.is_null() {
        std::alloc::handle_alloc_error(layout);
    }
    Chunk {
        start: p as usize as u32,
        size,
    }
}

fn free_chunk(c: Chunk) {
    let layout = Layout::from_size_align(c.size as usize, BLOCK_ALIGN as usize).unwrap();
    // SAFETY: allocated by new_chunk with the same layout.
    unsafe { dealloc(c.start as usize as *mut u8, layout) }
}

/// Address of the shared bump state.
pub fn state_addr() -> u32 {
    &arena().state as *const ArenaState as usize as u32
}

/// Error returned when the arena would exceed `MAX_ARENA_BYTES`.
#[derive(Debug)]
pub struct ArenaFull {
    pub requested: u64,
}

/// Makes room for `bytes` more bytes: starts a new chunk, or fails past `MAX_ARENA_BYTES`.
/// Returns the new `top` (the start of the room).
pub fn grow(bytes: u32) -> Result<u32, ArenaFull> {
    let a = arena();
    let need = round_up(bytes.max(1));
    if a.total + need as u64 > MAX_ARENA_BYTES {
        return Err(ArenaFull {
            requested: a.total + need as u64,
        });
    }
    let last = a.chunks.last().map(|c| c.size).unwrap_or(FIRST_CHUNK / 2);
    let size = need.max(last.saturating_mul(2).min(64 << 20)).max(FIRST_CHUNK);
    let chunk = match a.spare.take() {
        Some(c) if c.size >= need => c,
        other => {
            if let Some(c) = other {
                free_chunk(c);
            }
            new_chunk(size)
        }
    };
    a.total += chunk.size as u64;
    a.state.top = chunk.start;
    a.state.limit = chunk.start + chunk.size;
    a.chunks.push(chunk);
    Ok(a.state.top)
}

/// Allocates `bytes` (rounded up to 8) in the arena.
#[inline]
pub fn alloc_bytes(bytes: u32) -> Result<u32, ArenaFull> {
    let a = arena();
    let n = round_up(bytes);
    if a.state.top != 0 && a.state.limit - a.state.top >= n {
        let p = a.state.top;
        a.state.top += n;
        return Ok(p);
    }
    let p = grow(n)?;
    arena().state.top = p + n;
    Ok(p)
}

/// A saved position of the arena; `release` returns to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub top: u32,
    pub limit: u32,
}

#[inline]
pub fn mark() -> Mark {
    let s = &arena().state;
    Mark {
        top: s.top,
        limit: s.limit,
    }
}

/// `mark`, taken in a chunk: an empty arena first takes one (its spare, when it has one). An
/// `ocaml!` call made with the arena empty (a loop in an export that allocated nothing) then
/// releases to a mark in that chunk, which stays for the next call, instead of handing the
/// chunk back at every call; the chunk goes when the enclosing frame releases its own mark.
#[inline]
pub fn mark_in_chunk() -> Mark {
    if arena().state.top == 0 {
        // (an arena that cannot grow keeps its empty mark: the call's allocation then fails)
        let _ = grow(0);
    }
    mark()
}

/// Frees everything allocated since `m`.
#[inline]
pub fn release(m: Mark) {
    let a = arena();
    if a.state.limit == m.limit {
        a.state.top = m.top;
    } else {
        release_slow(m);
    }
}

fn release_slow(m: Mark) {
    let a = arena();
    while let Some(last) = a.chunks.last() {
        if last.start + last.size == m.limit {
            break;
        }
        let c = a.chunks.pop().unwrap();
        a.total -= c.size as u64;
        match &a.spare {
            Some(s) if s.size >= c.size => free_chunk(c),
            _ => {
                if let Some(old) = a.spare.replace(c) {
                    free_chunk(old);
                }
            }
        }
    }
    a.state.top = m.top;
    a.state.limit = m.limit;
}

/// Whether `addr` lies in one of the arena's chunks (data that lives only for a call).
pub fn contains(addr: u32) -> bool {
    let a = arena();
    a.chunks
        .iter()
        .chain(a.spare.iter())
        .any(|c| addr >= c.start && addr < c.start + c.size)
}

/// Bytes currently held by the arena's chunks (for the memory-flatness checks).
pub fn held_bytes() -> u64 {
    let a = arena();
    a.total + a.spare.as_ref().map(|c| c.size as u64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alloc_is_aligned_and_release_returns_to_mark() {
        let m0 = mark();
        let a = alloc_bytes(3).unwrap();
        let b = alloc_bytes(9).unwrap();
        assert_eq!(a % 8, 0);
        assert_eq!(b, a + 8);
        let m1 = mark();
        let big = alloc_bytes(1 << 20).unwrap();
        assert_eq!(big % 8, 0);
        assert_ne!(mark().limit, m1.limit, "a 1 MiB value needs a new chunk");
        release(m1);
        assert_eq!(mark(), m1);
        release(m0);
        assert_eq!(mark(), m0);
    }

    #[test]
    fn a_mark_in_chunk_outlives_the_release_to_it() {
        let m0 = mark();
        let m1 = mark_in_chunk();
        assert_ne!(m1.top, 0, "an empty arena takes a chunk");
        alloc_bytes(16).unwrap();
        release(m1);
        assert_eq!(mark(), m1, "the chunk stays for the next call");
        release(m0);
        assert_eq!(mark(), m0);
    }

    #[test]
    fn growth_past_the_limit_fails_cleanly() {
        let m = mark();
        let err = alloc_bytes(u32::MAX - 16).unwrap_err();
        assert!(err.requested > MAX_ARENA_BYTES);
        release(m);
    }
}
