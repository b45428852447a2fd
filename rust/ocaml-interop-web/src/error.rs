//! Errors at the boundary: the error slot read by the OCaml glue and the TS host, and the
//! "pending" conversion errors that fail a call cleanly instead of wrapping a value.

use std::cell::UnsafeCell;
use std::fmt;

/// What kind of failure the error slot describes; the OCaml glue maps each to an exception.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A Rust panic: `RustPanic msg` if OCaml registered `"rust_panic_exn"`, else `Failure msg`.
    RustPanic = 1,
    /// `Failure msg` (a value that does not fit its OCaml type, a full arena, ...).
    Failure = 2,
    /// `Invalid_argument msg` (a wrong argument at the boundary).
    InvalidArgument = 3,
    /// An OCaml exception that escaped a call into OCaml; `msg` is `Printexc.to_string exn`.
    OCamlException = 4,
}

impl ErrorKind {
    pub fn from_u32(k: u32) -> Option<ErrorKind> {
        Some(match k {
            1 => ErrorKind::RustPanic,
            2 => ErrorKind::Failure,
            3 => ErrorKind::InvalidArgument,
            4 => ErrorKind::OCamlException,
            _ => return None,
        })
    }
}

/// The error slot (`#[repr(C)]`, six u32: kind, message address, message length, exception
/// word, and the arena mark to release to once the exception is read) at the address
/// `oiw_error_slot` returns (docs/wire-format.md, "The error slot").
#[repr(C)]
pub struct ErrorSlot {
    pub kind: u32,
    pub msg_ptr: u32,
    pub msg_len: u32,
    /// For kind 4: the wire word of the exception value, or 0 when it could not be encoded.
    pub exn: u32,
    /// For a Rust export's `Err(exn)`: the arena as it was when the export began, which the
    /// export could not go back to since the exception value lives above it; the reader
    /// releases to it once it has read the value (0, 0: nothing to release).
    pub release_top: u32,
    pub release_limit: u32,
}

// the protocol's kinds and layout (wire-format/protocol.json), checked at compile time
const _: () = {
    use crate::protocol::{error_kind as k, error_slot as f};
    assert!(ErrorKind::RustPanic as u32 == k::RUST_PANIC && ErrorKind::Failure as u32 == k::FAILURE);
    assert!(
        ErrorKind::InvalidArgument as u32 == k::INVALID_ARGUMENT
            && ErrorKind::OCamlException as u32 == k::OCAML_EXCEPTION
    );
    assert!(
        core::mem::offset_of!(ErrorSlot, kind) as u32 == f::KIND
            && core::mem::offset_of!(ErrorSlot, msg_ptr) as u32 == f::MSG_PTR
    );
    assert!(
        core::mem::offset_of!(ErrorSlot, msg_len) as u32 == f::MSG_LEN
            && core::mem::offset_of!(ErrorSlot, exn) as u32 == f::EXN
    );
    assert!(
        core::mem::offset_of!(ErrorSlot, release_top) as u32 == f::RELEASE_TOP
            && core::mem::offset_of!(ErrorSlot, release_limit) as u32 == f::RELEASE_LIMIT
    );
    assert!(core::mem::size_of::<ErrorSlot>() as u32 == f::BYTES);
};

struct SlotCell(UnsafeCell<(ErrorSlot, Vec<u8>)>);
// SAFETY: wasm32 without threads.
unsafe impl Sync for SlotCell {}
static SLOT: SlotCell = SlotCell(UnsafeCell::new((
    ErrorSlot {
        kind: 0,
        msg_ptr: 0,
        msg_len: 0,
        exn: 0,
        release_top: 0,
        release_limit: 0,
    },
    Vec::new(),
)));

fn slot() -> &'static mut (ErrorSlot, Vec<u8>) {
    unsafe { &mut *SLOT.0.get() }
}

pub fn slot_addr() -> u32 {
    &slot().0 as *const ErrorSlot as usize as u32
}

/// Fills the error slot.
pub fn set(kind: ErrorKind, msg: &str) {
    set_bytes(kind, msg.as_bytes())
}

/// Fills the error slot with a message given as bytes (an OCaml string's, which the readers
/// decode as UTF-8, replacing what is not).
pub fn set_bytes(kind: ErrorKind, msg: &[u8]) {
    let s = slot();
    s.1.clear();
    s.1.extend_from_slice(msg);
    s.0 = ErrorSlot {
        kind: kind as u32,
        msg_ptr: s.1.as_ptr() as usize as u32,
        msg_len: s.1.len() as u32,
        exn: 0,
        release_top: 0,
        release_limit: 0,
    };
}

/// An OCaml exception value to raise again (kind 4, with the value's wire word).
pub fn set_exception(msg: &[u8], exn: u32) {
    set_bytes(ErrorKind::OCamlException, msg);
    slot().0.exn = exn;
}

/// Whether the slot holds an exception value (whose words live in the arena).
#[inline]
pub(crate) fn holds_exception_value() -> bool {
    let s = &slot().0;
    s.kind == ErrorKind::OCamlException as u32 && s.exn != 0
}

/// Records where the arena goes back to once the slot's exception value has been read.
pub(crate) fn set_release(m: crate::arena::Mark) {
    let s = &mut slot().0;
    s.release_top = m.top;
    s.release_limit = m.limit;
}

/// Reads and clears the error slot (its message is wherever the slot says: the slot's own
/// buffer, or the host's after a trap).
pub fn take() -> Option<(ErrorKind, String)> {
    let s = slot();
    let kind = ErrorKind::from_u32(s.0.kind)?;
    // (the OCaml dispatcher gives an exception's value without its text: length 0, address 0)
    let msg = match s.0.msg_len {
        0 => String::new(),
        n => String::from_utf8_lossy(unsafe {
            std::slice::from_raw_parts(s.0.msg_ptr as usize as *const u8, n as usize)
        })
        .into_owned(),
    };
    s.0.kind = 0;
    Some((kind, msg))
}

/// Takes the error of a call into OCaml that returned the error sentinel: an OCaml exception
/// that came with its value gives the value's wire word and no message (its text is not read);
/// any other error its kind, its message and 0. `unknown` is the message of an empty slot.
#[cold]
pub fn take_call_error(unknown: impl FnOnce() -> String) -> (ErrorKind, String, u32) {
    let s = slot();
    if s.0.kind == ErrorKind::OCamlException as u32 && s.0.exn != 0 {
        s.0.kind = 0;
        return (ErrorKind::OCamlException, String::new(), s.0.exn);
    }
    let (kind, msg) = take().unwrap_or_else(|| (ErrorKind::Failure, unknown()));
    (kind, msg, 0)
}

/// Where the host writes the message of an error it sets itself after a trap, without calling
/// into the trapped instance (it then fills the slot's fields directly).
pub const HOST_MESSAGE_BYTES: usize = 4096;
struct HostBuffer(UnsafeCell<[u8; HOST_MESSAGE_BYTES]>);
// SAFETY: wasm32 without threads.
unsafe impl Sync for HostBuffer {}
static HOST_MESSAGE: HostBuffer = HostBuffer(UnsafeCell::new([0; HOST_MESSAGE_BYTES]));

pub fn host_message_addr() -> u32 {
    HOST_MESSAGE.0.get() as usize as u32
}

/// Buffer of `len` bytes in the slot, for a host that writes a message itself (after a trap).
pub fn reserve_message(len: u32) -> u32 {
    let s = slot();
    s.1.clear();
    s.1.resize(len as usize, 0);
    s.1.as_ptr() as usize as u32
}

pub fn set_reserved(kind: u32, len: u32) {
    let s = slot();
    s.1.truncate(len as usize);
    s.0 = ErrorSlot {
        kind,
        msg_ptr: s.1.as_ptr() as usize as u32,
        msg_len: s.1.len() as u32,
        exn: 0,
        release_top: 0,
        release_limit: 0,
    };
}

/// An integer that does not fit OCaml's 31-bit `int`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OCamlIntRangeError {
    pub value: i64,
}

impl fmt::Display for OCamlIntRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "integer {} does not fit OCaml's int, which is 31-bit under wasm_of_ocaml ({}..={})",
            self.value,
            crate::wire::MIN_INT,
            crate::wire::MAX_INT
        )
    }
}
impl std::error::Error for OCamlIntRangeError {}

/// What `OCaml::of_i64` returns for an integer outside OCaml's `int`, with the model's variants
/// (the range is 31 bits here: wasm_of_ocaml's `int`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OCamlFixnumConversionError {
    InputTooBig(i64),
    InputTooSmall(i64),
}

impl fmt::Display for OCamlFixnumConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (OCamlFixnumConversionError::InputTooBig(n) | OCamlFixnumConversionError::InputTooSmall(n)) = self;
        OCamlIntRangeError { value: *n }.fmt(f)
    }
}
impl std::error::Error for OCamlFixnumConversionError {}

/// Conversion errors raised while a call builds its result. `ToOCaml` cannot return an
/// error (its signature is the model's), so the first error is kept here and the call fails
/// with it when the body returns: the caller gets an exception, never a wrapped value.
pub mod pending {
    use std::cell::{Cell, RefCell};

    thread_local! {
        static PENDING: RefCell<Option<String>> = const { RefCell::new(None) };
        /// whether PENDING holds an error (what every call tests: one load)
        static IS_SET: Cell<bool> = const { Cell::new(false) };
    }

    pub fn set(msg: String) {
        PENDING.with(|p| {
            let mut p = p.borrow_mut();
            if p.is_none() {
                *p = Some(msg);
                IS_SET.with(|s| s.set(true));
            }
        });
    }

    pub fn int_out_of_range(value: i64) {
        set(super::OCamlIntRangeError { value }.to_string());
    }

    /// The pending error, if any (a closure call asks on every call: one byte tested).
    #[inline]
    pub fn take() -> Option<String> {
        if !is_set() {
            return None;
        }
        IS_SET.with(|s| s.set(false));
        PENDING.with(|p| p.borrow_mut().take())
    }

    #[inline]
    pub fn is_set() -> bool {
        IS_SET.with(|s| s.get())
    }
}
