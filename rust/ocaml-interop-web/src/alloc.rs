//! Writing blocks of the wire format into the call arena.

use crate::arena;
use crate::error::pending;
use crate::wire::{self, mem, tag, RawOCaml};

/// Allocates a block in the arena with its header written and its payload zeroed.
/// On a full arena, records a pending error and returns `None`.
pub fn block(t: u8, size: u32) -> Option<RawOCaml> {
    let bytes = wire::block_bytes(t, size);
    match arena::alloc_bytes(bytes) {
        Ok(p) => unsafe {
            mem::write_header(p, t, size);
            std::ptr::write_bytes(mem::payload(p), 0, (bytes - wire::HEADER_BYTES) as usize);
            Some(p)
        },
        Err(e) => {
            pending::set(format!(
                "the values of one call need more than the call arena's limit of {} MiB ({} bytes requested)",
                arena::MAX_ARENA_BYTES >> 20,
                e.requested
            ));
            None
        }
    }
}

pub fn string(bytes: &[u8]) -> RawOCaml {
    let Ok(len) = u32::try_from(bytes.len()) else {
        pending::set(format!("a string of {} bytes is too long for wasm32", bytes.len()));
        return wire::UNIT;
    };
    match block(tag::STRING, len) {
        Some(p) => unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), mem::payload(p), bytes.len());
            p
        },
        None => wire::UNIT,
    }
}

pub fn float(x: f64) -> RawOCaml {
    match block(tag::DOUBLE, 1) {
        Some(p) => unsafe {
            mem::write_f64(p + wire::HEADER_BYTES, x);
            p
        },
        None => wire::UNIT,
    }
}

/// A block with `fields` value words.
pub fn tuple(t: u8, fields: &[RawOCaml]) -> RawOCaml {
    match block(t, fields.len() as u32) {
        Some(p) => {
            for (i, f) in fields.iter().enumerate() {
                unsafe { mem::set_field(p, i as u32, *f) };
            }
            p
        }
        None => wire::UNIT,
    }
}

/// A boxed integer (`int32`, `int64`, `nativeint`): a custom block.
pub fn boxed_int(kind: u32, value: i64) -> RawOCaml {
    match block(tag::CUSTOM, wire::custom::INT_PAYLOAD) {
        Some(p) => unsafe {
            mem::write_u32(p + 8, kind);
            core::ptr::write((p + 16) as usize as *mut i64, value);
            p
        },
        None => wire::UNIT,
    }
}

/// A block of `n` f64 (the empty array is OCaml's atom: tag 0, size 0, whatever the type).
pub fn float_array(xs: &[f64]) -> RawOCaml {
    if xs.is_empty() {
        return tuple(0, &[]);
    }
    match block(tag::DOUBLE_ARRAY, xs.len() as u32) {
        Some(p) => unsafe {
            core::ptr::copy_nonoverlapping(xs.as_ptr(), (p + 8) as usize as *mut f64, xs.len());
            p
        },
        None => wire::UNIT,
    }
}
