//! The shared linear-memory wire format (version 1), as specified in `docs/wire-format.md`.
//!
//! A value is one 32-bit word:
//! - odd: an immediate (`int`, `char`, `bool`, `unit`, constant constructors), `(n << 1) | 1`,
//!   so exactly OCaml's 31-bit `int` range under wasm_of_ocaml;
//! - a non-zero multiple of 8: the address of a block in linear memory;
//! - anything else is invalid (`ERROR_SENTINEL` is reserved for "the call failed").
//!
//! A block is 8-byte aligned: `u32 header` (low 8 bits: the OCaml tag), `u32 size`, then the
//! payload (`size` value words, or `size` bytes for strings, or `size` f64 for float arrays).
//! Everything is little-endian, which wasm32 linear memory always is.

/// A value word of the wire format (the model's `RawOCaml`).
pub type RawOCaml = u32;

/// The address of a call's argument words in linear memory, where the receiving side reads
/// them (`[word; n]`; wasm32 addresses are 32 bits).
#[inline]
pub fn words_ptr(words: &[RawOCaml]) -> u32 {
    words.as_ptr() as usize as u32
}

// The constants are the protocol's (wire-format/protocol.json, generated into protocol.rs).
pub use crate::protocol::{bigarray as bigarray_kind, custom, tag};
pub use crate::protocol::{BLOCK_ALIGN, HEADER_BYTES, HEADER_TAG_MASK, MAX_INT, MIN_INT};

/// The element size of a bigarray kind that crosses (protocol.json's table), None for another.
pub fn bigarray_elt_bytes(kind: u32) -> Option<u32> {
    bigarray_kind::KINDS.iter().find(|k| k.0 == kind).map(|k| k.2)
}

/// Version of the wire format; the OCaml glue and the TS host check it at load.
pub const WIRE_VERSION: u32 = crate::protocol::VERSION;

/// The nesting limit of the wire format, the same on every side (docs/wire-format.md): a value
/// whose blocks nest deeper is refused with an error naming the function, never a stack
/// overflow. TS and Rust's conversions count every block but a list's own cells; OCaml's
/// encoder and decoder count nesting through fields other than a block's last (they iterate
/// along the last), so a value within this limit in Rust or TS is within it in OCaml.
pub const MAX_NESTING: u32 = crate::protocol::MAX_NESTING;

/// Returned by a call in place of a value when it failed; details are in the error slot.
pub const ERROR_SENTINEL: RawOCaml = crate::protocol::ERROR_SENTINEL;

pub const UNIT: RawOCaml = crate::protocol::UNIT; // Val_int(0)
pub const FALSE: RawOCaml = crate::protocol::FALSE;
pub const TRUE: RawOCaml = crate::protocol::TRUE;

#[inline]
pub const fn is_immediate(v: RawOCaml) -> bool {
    v & 1 == 1
}

#[inline]
pub const fn is_block(v: RawOCaml) -> bool {
    v != 0 && v & 7 == 0
}

#[inline]
pub const fn int_val(v: RawOCaml) -> i32 {
    (v as i32) >> 1
}

/// `Val_long` for a value already known to be in range.
#[inline]
pub const fn val_int(n: i32) -> RawOCaml {
    ((n << 1) | 1) as u32
}

/// Checked `Val_long`: `None` when `n` is outside OCaml's 31-bit `int` range.
#[inline]
pub const fn val_int_checked(n: i64) -> Option<RawOCaml> {
    if n < MIN_INT || n > MAX_INT {
        None
    } else {
        Some(val_int(n as i32))
    }
}

#[inline]
pub const fn round_up(n: u32) -> u32 {
    (n + (BLOCK_ALIGN - 1)) & !(BLOCK_ALIGN - 1)
}

/// Bytes a block with this tag and size occupies, header included.
pub const fn block_bytes(tag: u8, size: u32) -> u32 {
    HEADER_BYTES
        + match tag {
            tag::STRING => round_up(size),
            tag::DOUBLE | tag::DOUBLE_ARRAY => size * 8,
            tag::CUSTOM => round_up(size),
            _ => round_up(size * 4),
        }
}

/// Reading and writing blocks. All addresses are wasm32 linear-memory addresses.
///
/// Every function here is unsafe for the same reason: its address (or block `b`) must point to
/// memory that holds what is read or written (a block of the wire format, with the field index
/// within its size), aligned as the type requires.
pub mod mem {
    use super::RawOCaml;

    /// # Safety
    /// See the module: the address must hold what is read or written.
    #[inline]
    pub unsafe fn read_u32(addr: u32) -> u32 {
        core::ptr::read(addr as usize as *const u32)
    }
    /// # Safety
    /// See the module: the address must hold what is read or written.
    #[inline]
    pub unsafe fn write_u32(addr: u32, v: u32) {
        core::ptr::write(addr as usize as *mut u32, v)
    }
    /// # Safety
    /// See the module: the address must hold what is read or written.
    #[inline]
    pub unsafe fn read_f64(addr: u32) -> f64 {
        core::ptr::read(addr as usize as *const f64)
    }
    /// # Safety
    /// See the module: the address must hold what is read or written.
    #[inline]
    pub unsafe fn write_f64(addr: u32, v: f64) {
        core::ptr::write(addr as usize as *mut f64, v)
    }
    /// # Safety
    /// See the module: the address must hold what is read or written.
    #[inline]
    pub unsafe fn tag(b: RawOCaml) -> u8 {
        (read_u32(b) & super::HEADER_TAG_MASK) as u8
    }
    /// # Safety
    /// See the module: the address must hold what is read or written.
    #[inline]
    pub unsafe fn size(b: RawOCaml) -> u32 {
        read_u32(b + 4)
    }
    /// # Safety
    /// See the module: the address must hold what is read or written.
    #[inline]
    pub unsafe fn field(b: RawOCaml, i: u32) -> RawOCaml {
        read_u32(b + super::HEADER_BYTES + 4 * i)
    }
    /// # Safety
    /// See the module: the address must hold what is read or written.
    #[inline]
    pub unsafe fn set_field(b: RawOCaml, i: u32, v: RawOCaml) {
        write_u32(b + super::HEADER_BYTES + 4 * i, v)
    }
    /// # Safety
    /// See the module: the address must hold what is read or written.
    #[inline]
    pub unsafe fn payload(b: RawOCaml) -> *mut u8 {
        (b + super::HEADER_BYTES) as usize as *mut u8
    }
    /// # Safety
    /// See the module: the address must hold what is read or written.
    #[inline]
    pub unsafe fn bytes<'a>(b: RawOCaml) -> &'a [u8] {
        core::slice::from_raw_parts(payload(b), size(b) as usize)
    }
    /// # Safety
    /// See the module: the address must hold what is read or written.
    #[inline]
    pub unsafe fn write_header(b: RawOCaml, tag: u8, size: u32) {
        write_u32(b, tag as u32);
        write_u32(b + 4, size);
    }
}

/// Why a wire value is not well formed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    /// a word that is neither an immediate nor an aligned, non-null address
    BadWord(RawOCaml),
    /// a block that does not lie within `[lo, hi)`
    OutOfBounds(RawOCaml),
    /// a header with reserved bits set, or a size that does not fit the block's kind
    BadHeader(RawOCaml),
    /// a custom block of an unknown kind
    BadCustom(RawOCaml),
    /// more blocks than the limit (a cyclic value, or a larger one than allowed)
    TooLarge,
}

/// Checks that `root` is a well-formed value whose blocks all lie in `[lo, hi)`, visiting at
/// most `max_blocks` blocks (so a cyclic graph ends with `TooLarge`). Never panics, never reads
/// outside `[lo, hi)`.
pub fn validate(root: RawOCaml, lo: u32, hi: u32, max_blocks: usize) -> Result<usize, WireError> {
    let mut stack = vec![root];
    let mut visited = 0usize;
    while let Some(w) = stack.pop() {
        if is_immediate(w) {
            continue;
        }
        if !is_block(w) {
            return Err(WireError::BadWord(w));
        }
        if w < lo || w.checked_add(HEADER_BYTES).is_none_or(|e| e > hi) {
            return Err(WireError::OutOfBounds(w));
        }
        visited += 1;
        if visited > max_blocks {
            return Err(WireError::TooLarge);
        }
        let (header, size) = unsafe { (mem::read_u32(w), mem::size(w)) };
        if header > HEADER_TAG_MASK {
            return Err(WireError::BadHeader(w));
        }
        let t = header as u8;
        let payload: u64 = match t {
            tag::STRING => size as u64,
            tag::DOUBLE => {
                if size != 1 {
                    return Err(WireError::BadHeader(w));
                }
                8
            }
            tag::DOUBLE_ARRAY => size as u64 * 8,
            tag::CUSTOM => {
                if size != custom::INT_PAYLOAD {
                    return Err(WireError::BadHeader(w));
                }
                16
            }
            tag::ABSTRACT => return Err(WireError::BadHeader(w)),
            _ => size as u64 * 4,
        };
        if w as u64 + HEADER_BYTES as u64 + payload > hi as u64 {
            return Err(WireError::OutOfBounds(w));
        }
        if t == tag::CUSTOM {
            let kind = unsafe { mem::read_u32(w + 8) };
            match kind {
                custom::INT32 | custom::INT64 | custom::NATIVEINT | custom::DYNBOX => {}
                custom::BIGARRAY => {
                    let (elt, len, ptr) =
                        unsafe { (mem::read_u32(w + 12), mem::read_u32(w + 16), mem::read_u32(w + 20)) };
                    let Some(size) = bigarray_elt_bytes(elt & bigarray_kind::KIND_MASK) else {
                        return Err(WireError::BadCustom(w));
                    };
                    let size = size as u64;
                    if elt & bigarray_kind::SHARED == 0 && (ptr < lo || ptr as u64 + size * len as u64 > hi as u64) {
                        return Err(WireError::OutOfBounds(w));
                    }
                }
                _ => return Err(WireError::BadCustom(w)),
            }
        } else if t < tag::NO_SCAN {
            for i in 0..size {
                stack.push(unsafe { mem::field(w, i) });
            }
        }
    }
    Ok(visited)
}
