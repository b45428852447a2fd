//! Rust panics at the boundary.
//!
//! With `panic = "unwind"` (what the build uses when it can), every export catches its panic
//! (`internal::run_export_with`): the message comes from the panic's payload, the call fails
//! with `RustPanic`, and the instance and its state survive. What still traps (an `unreachable`,
//! a stack overflow, running out of memory, a panic while unwinding another, a panic in an
//! `#[export(no_panic_catch)]`, or any panic with `panic = "abort"`) ends the instance: the
//! panic hook records the message first (in a static buffer, without allocating), and the host
//! reads it from memory (`oiw_panic_buffer`, no call into the trapped instance) before it
//! re-creates the instance. With `panic = "abort"` the hook then has the host throw it as a JS
//! exception, which the OCaml glue's direct call can catch where it could not catch a trap.

use std::any::Any;
use std::cell::UnsafeCell;

/// The text of a panic's payload (the model's text when it is not a string).
#[cfg_attr(not(panic = "unwind"), allow(dead_code))]
pub(crate) fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "Rust panic occurred, but unable to extract panic message.".to_string()
    }
}

/// Drops a caught payload, unless dropping it could run user code (a payload of another type
/// than a string may have a Drop that panics): that one is leaked.
#[cfg_attr(not(panic = "unwind"), allow(dead_code))]
pub(crate) fn forget_payload(payload: Box<dyn Any + Send>) {
    if payload.is::<&str>() || payload.is::<String>() {
        drop(payload);
    } else {
        std::mem::forget(payload);
    }
}

/// What the host reads after a trap, with no call into the trapped instance (whose stack or
/// heap may be broken): `[count: u32][len: u32][FIRST bytes][len: u32][PREVIOUS bytes][len:
/// u32][LATEST bytes]`, the messages of the first panic, of the one before the latest, and of the
/// latest since the last caught panic (a panic while unwinding another ends in a third one,
/// "panic in a destructor during cleanup": the second is the Drop's own). The hook copies the
/// payload's text here without allocating.
#[repr(C)]
pub(crate) struct PanicBuffer {
    count: u32,
    first_len: u32,
    first: [u8; MSG],
    previous_len: u32,
    previous: [u8; MSG],
    latest_len: u32,
    latest: [u8; MSG],
}

const MSG: usize = 2040;

struct Cell<T>(UnsafeCell<T>);
// SAFETY: wasm32 without threads.
unsafe impl<T> Sync for Cell<T> {}
static PANICS: Cell<PanicBuffer> = Cell(UnsafeCell::new(PanicBuffer {
    count: 0,
    first_len: 0,
    first: [0; MSG],
    previous_len: 0,
    previous: [0; MSG],
    latest_len: 0,
    latest: [0; MSG],
}));

#[cfg_attr(not(oiw_page), allow(dead_code))]
fn copy_text(dst: &mut [u8; MSG], text: &str) -> u32 {
    // at a char boundary: the host decodes the bytes as UTF-8
    let mut n = text.len().min(MSG);
    while !text.is_char_boundary(n) {
        n -= 1;
    }
    dst[..n].copy_from_slice(&text.as_bytes()[..n]);
    n as u32
}

/// Whether a panic was recorded since the last caught one.
#[cfg_attr(not(panic = "unwind"), allow(dead_code))]
pub(crate) fn recorded() -> bool {
    unsafe { (*PANICS.0.get()).count != 0 }
}

/// Forgets the messages of panics that were caught.
#[inline]
pub(crate) fn clear_last() {
    let b = unsafe { &mut *PANICS.0.get() };
    if b.count != 0 {
        b.count = 0;
    }
}

/// Installs the hook that records each panic's message (for the host, should a trap follow).
#[cfg_attr(not(oiw_page), allow(dead_code))]
pub(crate) fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let text: &str = if let Some(s) = payload.downcast_ref::<&str>() {
            s
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.as_str()
        } else {
            "Rust panic occurred, but unable to extract panic message."
        };
        record(text);
        // with panics that abort, the panic leaves Rust as a JS exception the caller can catch,
        // rather than as a trap (crate::host::panic_throw)
        #[cfg(all(oiw_page, not(panic = "unwind")))]
        crate::host::panic_throw();
    }));
}

/// Records a panic's message for the host (the hook does, for every panic; an export that
/// catches a panic only to let it go on, `no_panic_catch`, does too, so the message survives a
/// user's panic hook that records nothing).
#[cfg_attr(not(oiw_page), allow(dead_code))]
pub(crate) fn record(text: &str) {
    let b = unsafe { &mut *PANICS.0.get() };
    if b.count == 0 {
        b.first_len = copy_text(&mut b.first, text);
    } else {
        b.previous_len = b.latest_len;
        b.previous = b.latest;
    }
    b.latest_len = copy_text(&mut b.latest, text);
    b.count = b.count.saturating_add(1);
}

/// The address of the panic buffer (the host caches it at instantiation).
pub(crate) fn buffer_addr() -> u32 {
    PANICS.0.get() as usize as u32
}
