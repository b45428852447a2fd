//! Rust panics at the boundary.
//!
//! With `panic = "unwind"` (what the build uses when it can), every export catches its panic
//! (`internal::run_export_with`): the message comes from the panic's payload, the call fails
//! with `RustPanic`, and the instance and its state survive. What still traps (an `unreachable`,
//! a stack overflow, running out of memory, a panic while unwinding another, a panic in an
//! `#[export(no_panic_catch)]`, or any panic with `panic = "abort"`) ends the instance: the
//! panic hook records the message first, and the host reads it (`oiw_last_panic`) before it
//! re-creates the instance.

use std::any::Any;
use std::cell::UnsafeCell;

/// The text of a panic's payload (the model's text when it is not a string).
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

struct Cell<T>(UnsafeCell<T>);
// SAFETY: wasm32 without threads.
unsafe impl<T> Sync for Cell<T> {}
static LAST: Cell<Vec<String>> = Cell(UnsafeCell::new(Vec::new()));
static REPORT: Cell<Vec<u8>> = Cell(UnsafeCell::new(Vec::new()));

fn last() -> &'static mut Vec<String> {
    unsafe { &mut *LAST.0.get() }
}

/// Forgets the messages of panics that were caught.
#[cfg_attr(not(panic = "unwind"), allow(dead_code))]
pub(crate) fn clear_last() {
    last().clear();
}

/// Installs the hook that records each panic's message (for the host, should a trap follow).
pub(crate) fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = message(info.payload());
        let l = last();
        // keep the first and the latest: a panic while unwinding another shows both
        if l.len() >= 2 {
            l.truncate(1);
        }
        l.push(msg);
    }));
}

/// The message of the panic behind a trap: `[len: u32][utf-8]`, or 0 if no panic was recorded.
pub(crate) fn last_panic_report() -> u32 {
    let l = last();
    let text = match l.as_slice() {
        [] => return 0,
        [one] => one.clone(),
        [first, .., latest] => format!("{latest} (panicked while unwinding the panic \"{first}\")"),
    };
    let buf = unsafe { &mut *REPORT.0.get() };
    buf.clear();
    buf.extend_from_slice(&(text.len() as u32).to_le_bytes());
    buf.extend_from_slice(text.as_bytes());
    l.clear();
    buf.as_ptr() as usize as u32
}
