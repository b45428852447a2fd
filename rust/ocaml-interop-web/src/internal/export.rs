//! What `#[export]` generates calls to: running an export's body (errors, panics, the pending
//! conversion error), its argument words, what it may return, and packing its description.

use crate::arena;
use crate::boxroot::BoxRoot;
use crate::error::{self, pending, ErrorKind};
use crate::runtime::{self, OCamlRuntime};
use crate::value::OCaml;
use crate::wire::{self, RawOCaml, ERROR_SENTINEL};

use super::recover_runtime_handle_mut;

/// Reads and clears the error slot (tests, hosts).
pub fn take_error() -> Option<(ErrorKind, String)> {
    error::take()
}

/// Runs an export's body; turns a pending conversion error into a failed call, and (with
/// panics that unwind) a panic into a failed call whose error is `RustPanic`: the instance and
/// its state survive.
#[inline]
pub fn run_export(name: &'static str, body: impl FnOnce(&'static mut OCamlRuntime) -> RawOCaml) -> RawOCaml {
    run_export_with(name, true, body)
}

/// `run_export`, where `catch` is false for `#[export(no_panic_catch)]`: as in the model, the
/// panic is not caught (it aborts; the host then re-creates the Rust instance).
#[inline]
pub fn run_export_with(
    name: &'static str,
    catch: bool,
    body: impl FnOnce(&'static mut OCamlRuntime) -> RawOCaml,
) -> RawOCaml {
    if runtime::current_export().is_empty() && crate::dynbox::has_unclaimed() {
        crate::dynbox::sweep_unclaimed();
    }
    // a panic recorded by the hook but caught elsewhere (by wasm-bindgen, or catch_unwind in
    // user code) must not be mistaken for the cause of a later trap
    crate::panic::clear_last();
    // what the export puts in the arena it takes back when it returns (see `settle`); an
    // exception (a JS one Rust let through) takes it back on its way out
    let arena = ArenaBack(arena::mark_in_chunk());
    let guard = runtime::ExportGuard::enter(name);
    let cr = unsafe { recover_runtime_handle_mut() };
    #[cfg(panic = "unwind")]
    let r = if catch {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(cr))) {
            Ok(r) => r,
            Err(payload) => {
                drop(guard);
                pending::take();
                let msg = crate::panic::message(&*payload);
                crate::panic::forget_payload(payload);
                crate::panic::clear_last();
                error::set(ErrorKind::RustPanic, &msg);
                return arena.settle(ERROR_SENTINEL);
            }
        }
    } else {
        // not caught (the model's no_panic_catch: the instance ends, as an abort would), but its
        // message is recorded for the host first: a user's panic hook may record nothing
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(cr))) {
            Ok(r) => r,
            Err(payload) => {
                if !crate::panic::recorded() {
                    crate::panic::record(&crate::panic::message(&*payload));
                }
                std::panic::resume_unwind(payload)
            }
        }
    };
    #[cfg(not(panic = "unwind"))]
    let r = {
        let _ = catch;
        body(cr)
    };
    drop(guard);
    if pending::is_set() {
        let msg = pending::take().unwrap_or_default();
        error::set(ErrorKind::Failure, &format!("{name}: {msg}"));
        return arena.settle(ERROR_SENTINEL);
    }
    arena.settle(r)
}

/// The arena as an export found it. The export gives back what it allocated there when nothing
/// it returns lives in it: an immediate result, an error that is only a message (kept in the
/// error slot's own buffer). A block result is read by the caller, whose frame releases it;
/// an `Err(exn)` leaves the mark in the error slot, for the reader to release to once it has
/// read the exception. So a caller's frame needs no mark of its own for a call whose arguments
/// and result are immediates (the OCaml glue's bare frame, src/build/glue/wat.ts). Frames
/// nest: the mark is above whatever the caller put in the arena, its arguments included.
struct ArenaBack(arena::Mark);

impl ArenaBack {
    #[inline(always)]
    fn settle(self, r: RawOCaml) -> RawOCaml {
        let m = self.0;
        core::mem::forget(self);
        if wire::is_immediate(r) {
            arena::release(m);
        } else if r == ERROR_SENTINEL {
            if error::holds_exception_value() {
                error::set_release(m);
            } else {
                arena::release(m);
            }
        }
        r
    }
}

impl Drop for ArenaBack {
    // (an exception passing through the export: what it allocated is garbage)
    fn drop(&mut self) {
        arena::release(self.0);
    }
}

/// Wraps an argument word of an export.
#[inline]
pub unsafe fn arg<'gc, T>(raw: RawOCaml) -> OCaml<'gc, T> {
    OCaml::from_raw_unchecked(raw)
}

/// Roots an argument word of an export (`BoxRoot<T>` parameters).
#[inline]
pub unsafe fn arg_root<T>(raw: RawOCaml) -> BoxRoot<T> {
    BoxRoot::new(OCaml::<T>::from_raw_unchecked(raw))
}

/// What an export may return.
pub trait ExportResult {
    fn into_raw(self) -> RawOCaml;
}
impl ExportResult for () {
    #[inline]
    fn into_raw(self) -> RawOCaml {
        wire::UNIT
    }
}
impl<T> ExportResult for OCaml<'_, T> {
    #[inline]
    fn into_raw(self) -> RawOCaml {
        self.raw
    }
}

/// `Err(exn)`: OCaml raises that exception value again (the same constructor, so
/// `with Not_found ->` still matches after crossing Rust).
impl<T> ExportResult for Result<OCaml<'_, T>, OCaml<'_, crate::OCamlException>> {
    #[inline]
    fn into_raw(self) -> RawOCaml {
        match self {
            Ok(v) => v.raw,
            Err(e) => {
                error::set_exception(e.text_bytes(), e.raw);
                ERROR_SENTINEL
            }
        }
    }
}

/// `Err(msg)`: OCaml raises `Failure msg`.
impl<T> ExportResult for Result<OCaml<'_, T>, String> {
    #[inline]
    fn into_raw(self) -> RawOCaml {
        match self {
            Ok(v) => v.raw,
            Err(msg) => {
                error::set(ErrorKind::Failure, &msg);
                ERROR_SENTINEL
            }
        }
    }
}

/// Packs a describe string for the build: `[len: u32][utf-8 bytes]`, leaked (called once).
pub fn describe_result(json: String) -> u32 {
    let mut buf = Vec::with_capacity(4 + json.len());
    buf.extend_from_slice(&(json.len() as u32).to_le_bytes());
    buf.extend_from_slice(json.as_bytes());
    Box::leak(buf.into_boxed_slice()).as_ptr() as usize as u32
}
