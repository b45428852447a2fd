//! `OCamlRuntime`: the handle that proves the boundary is held, as in the model.
//!
//! In a page there is one OCaml runtime (the wasm_of_ocaml module, started by the host before
//! Rust runs any code) and one thread, so the handle is a zero-sized value: what it carries
//! is the borrow rules. `&mut OCamlRuntime` is needed for anything that allocates a value or
//! calls OCaml; `&OCamlRuntime` for reading.

use crate::arena;
use crate::boxroot::OCamlCell;
use crate::value::OCaml;
use std::cell::Cell;
use std::marker::PhantomData;

pub struct OCamlRuntime {
    _not_send_sync: PhantomData<*const ()>,
}

static mut RUNTIME: OCamlRuntime = OCamlRuntime {
    _not_send_sync: PhantomData,
};

/// A name kept where the host can read it after a trap, with no call into the trapped instance:
/// `[ptr][len]` of a `&'static str` (two `u32` on wasm32), or zeros.
pub(crate) struct NameRecord(std::cell::UnsafeCell<[usize; 2]>);
// SAFETY: wasm32 without threads (a record the unit tests share across threads is thread-local).
unsafe impl Sync for NameRecord {}

impl NameRecord {
    pub(crate) const fn new() -> NameRecord {
        NameRecord(std::cell::UnsafeCell::new([0, 0]))
    }
    /// Its address (the host caches it at instantiation).
    pub(crate) fn addr(&self) -> u32 {
        self.0.get() as usize as u32
    }
    pub(crate) fn get(&self) -> &'static str {
        let [ptr, len] = unsafe { *self.0.get() };
        if len == 0 {
            return "";
        }
        // SAFETY: only `replace` writes it, with a `&'static str`
        unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(ptr as *const u8, len)) }
    }
    /// Sets the name; returns the previous one.
    pub(crate) fn replace(&self, name: &'static str) -> &'static str {
        let previous = self.get();
        unsafe { *self.0.get() = [name.as_ptr() as usize, name.len()] };
        previous
    }
}

/// The address of the current export's name record (`oiw_current_export`).
pub(crate) fn current_export_addr() -> u32 {
    CURRENT.with(|c| c.addr())
}

thread_local! {
    /// The export being run, innermost: the host names it when a trap skips the OCaml glue that
    /// called it directly (src/host/bridge/panic-recovery.ts). (Thread-local for the unit tests;
    /// on wasm32 a plain static, at a fixed address.)
    static CURRENT: NameRecord = const { NameRecord::new() };
    static HELD: Cell<u32> = const { Cell::new(0) };
    static INITIALIZED: Cell<bool> = const { Cell::new(false) };
}

/// Returned by `OCamlRuntime::init`; dereferences to the runtime.
pub struct OCamlRuntimeStartupGuard {
    _not_send_sync: PhantomData<*const ()>,
}

impl std::ops::Deref for OCamlRuntimeStartupGuard {
    type Target = OCamlRuntime;
    fn deref(&self) -> &OCamlRuntime {
        unsafe { &*std::ptr::addr_of!(RUNTIME) }
    }
}

impl std::ops::DerefMut for OCamlRuntimeStartupGuard {
    fn deref_mut(&mut self) -> &mut OCamlRuntime {
        unsafe { &mut *std::ptr::addr_of_mut!(RUNTIME) }
    }
}

impl OCamlRuntime {
    /// In the model this starts the OCaml runtime in a Rust-hosted program. In a page the
    /// host starts both modules, so `init` only records that Rust acts as the host: it
    /// returns `Err` when called twice, as the model does (and always with the
    /// `no-caml-startup` feature, as the model does).
    pub fn init() -> Result<OCamlRuntimeStartupGuard, String> {
        if cfg!(feature = "no-caml-startup") {
            return Err("Rust code called from OCaml should not try to initialize the runtime".to_string());
        }
        INITIALIZED.with(|i| {
            if i.replace(true) {
                Err("OCaml runtime already initialized".to_string())
            } else {
                Ok(OCamlRuntimeStartupGuard {
                    _not_send_sync: PhantomData,
                })
            }
        })
    }

    /// Runs `f` with the runtime handle. Values written for calls made inside `f` are freed
    /// when it returns. Calling it while the runtime is already held (inside an export, or
    /// inside another `with_domain_lock`) panics: use the `cr` you already have.
    pub fn with_domain_lock<F, T>(f: F) -> T
    where
        F: FnOnce(&mut OCamlRuntime) -> T,
    {
        if HELD.with(|h| h.get()) > 0 {
            panic!("OCamlRuntime::with_domain_lock called while the runtime is already held; use the `cr` you have");
        }
        let frame = Frame::enter();
        let cr = unsafe { recover_runtime_handle_mut() };
        let r = f(cr);
        drop(frame);
        // a conversion that failed inside (an int out of OCaml's range, a value nested past the
        // limit, a full arena) wrote a placeholder where its value should be: that is this
        // call's error, never a later one's (an export would fail with it instead)
        if let Some(msg) = crate::error::pending::take() {
            panic!("OCamlRuntime::with_domain_lock: {msg}");
        }
        r
    }

    /// Runs `f` without the runtime. A page has one thread, so nothing else can take the
    /// runtime meanwhile; kept so code written for the model compiles and reads the same.
    pub fn releasing_runtime<T, F: FnOnce() -> T>(&mut self, f: F) -> T {
        f()
    }

    /// Reads a rooted value.
    pub fn get<'tmp, T>(&'tmp self, reference: &OCamlCell<T>) -> OCaml<'tmp, T> {
        unsafe { OCaml::from_raw_unchecked(reference.get_raw()) }
    }
}

/// An arena frame plus the "runtime held" count, released on drop.
pub(crate) struct Frame {
    mark: arena::Mark,
}

impl Frame {
    pub(crate) fn enter() -> Frame {
        HELD.with(|h| h.set(h.get() + 1));
        Frame { mark: arena::mark() }
    }
}

impl Drop for Frame {
    fn drop(&mut self) {
        arena::release(self.mark);
        HELD.with(|h| h.set(h.get() - 1));
    }
}

/// An export in progress: the runtime is held and the export's name is current until it is
/// dropped, which also happens when a panic unwinds through the export.
pub(crate) struct ExportGuard {
    previous: &'static str,
}

impl ExportGuard {
    pub(crate) fn enter(name: &'static str) -> ExportGuard {
        HELD.with(|h| h.set(h.get() + 1));
        ExportGuard {
            previous: CURRENT.with(|c| c.replace(name)),
        }
    }
}

impl Drop for ExportGuard {
    fn drop(&mut self) {
        HELD.with(|h| h.set(h.get() - 1));
        CURRENT.with(|c| c.replace(self.previous));
    }
}

/// The export being run (for error messages), or "" outside exports.
pub(crate) fn current_export() -> &'static str {
    CURRENT.with(|c| c.get())
}

#[doc(hidden)]
pub unsafe fn recover_runtime_handle_mut() -> &'static mut OCamlRuntime {
    &mut *std::ptr::addr_of_mut!(RUNTIME)
}

#[doc(hidden)]
pub unsafe fn recover_runtime_handle() -> &'static OCamlRuntime {
    &*std::ptr::addr_of!(RUNTIME)
}

/// While an async task's future runs (src/promise.rs), the runtime is not held: the future has
/// no `cr` of its own and takes one with `OCamlRuntime::with_domain_lock`. Restored on drop
/// (a panic that unwinds included).
pub(crate) struct Unheld {
    held: u32,
}

impl Unheld {
    pub(crate) fn enter() -> Unheld {
        Unheld {
            held: HELD.with(|h| h.replace(0)),
        }
    }
}

impl Drop for Unheld {
    fn drop(&mut self) {
        HELD.with(|h| h.set(self.held));
    }
}
