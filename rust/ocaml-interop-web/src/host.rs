//! What Rust asks of the host (the TS bridge): calls into OCaml and panic reports.
//!
//! In a page (wasm32-unknown-unknown) these are wasm-bindgen imports of methods of `__oiw_host`,
//! which is the parameter of the factory the build makes of wasm-bindgen's glue
//! (src/build/wasm-bindgen.ts): each instance calls its own app's host, and no global is used;
//! the calls into OCaml themselves are plain imports (`calls`, below).
//! In a WASI app (wasm32-wasip1, where wasm-bindgen generates nothing) they are plain imports of
//! the module `oiw_host`, which the host fills (src/host/wasi.ts). Elsewhere (the wasm32-wasip1
//! unit tests) `test_host` stands in for OCaml.

use crate::wire::RawOCaml;

/// An OCaml value Rust holds by handle (a closure): its slot in the OCaml side's table and the
/// generation it was made with (the wire's `[handle; 0; generation low; generation high]`), so a
/// stale or made-up handle never reaches the value that reuses the slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Handle {
    pub id: u32,
    pub gen_lo: u32,
    pub gen_hi: u32,
}

#[cfg(all(oiw_page, target_os = "unknown"))]
mod imp {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(js_namespace = __oiw_host)]
    extern "C" {
        #[wasm_bindgen(js_name = ocamlLookup)]
        pub fn ocaml_lookup(name_ptr: u32, name_len: u32) -> i32;
        #[wasm_bindgen(js_name = ocamlRetain)]
        pub fn ocaml_retain(handle: u32, gen_lo: u32, gen_hi: u32);
        #[wasm_bindgen(js_name = ocamlRelease)]
        pub fn ocaml_release(handle: u32, gen_lo: u32, gen_hi: u32);
        #[wasm_bindgen(js_name = reservedHeapStart)]
        pub fn reserved_heap_start() -> u32;
        #[wasm_bindgen(js_name = dropPanicked)]
        pub fn drop_panicked(msg: &str);
        #[wasm_bindgen(js_name = scheduleTask)]
        pub fn schedule_task(id: u32);
        #[wasm_bindgen(js_name = panicThrow)]
        pub fn panic_throw();
    }
}

#[cfg(all(oiw_page, target_os = "wasi"))]
mod imp {
    #[link(wasm_import_module = "oiw_host")]
    extern "C" {
        #[link_name = "ocamlLookup"]
        fn ocaml_lookup_raw(name_ptr: u32, name_len: u32) -> i32;
        #[link_name = "ocamlRetain"]
        fn ocaml_retain_raw(handle: u32, gen_lo: u32, gen_hi: u32);
        #[link_name = "ocamlRelease"]
        fn ocaml_release_raw(handle: u32, gen_lo: u32, gen_hi: u32);
        #[link_name = "dropPanicked"]
        fn drop_panicked_raw(msg_ptr: u32, msg_len: u32);
        #[link_name = "scheduleTask"]
        fn schedule_task_raw(id: u32);
        #[link_name = "panicThrow"]
        fn panic_throw_raw();
    }

    // the same functions as the wasm-bindgen imports above, over the plain imports
    pub fn ocaml_lookup(name_ptr: u32, name_len: u32) -> i32 {
        unsafe { ocaml_lookup_raw(name_ptr, name_len) }
    }
    pub fn ocaml_retain(handle: u32, gen_lo: u32, gen_hi: u32) {
        unsafe { ocaml_retain_raw(handle, gen_lo, gen_hi) }
    }
    pub fn ocaml_release(handle: u32, gen_lo: u32, gen_hi: u32) {
        unsafe { ocaml_release_raw(handle, gen_lo, gen_hi) }
    }
    pub fn drop_panicked(msg: &str) {
        unsafe { drop_panicked_raw(msg.as_ptr() as usize as u32, msg.len() as u32) }
    }
    pub fn schedule_task(id: u32) {
        unsafe { schedule_task_raw(id) }
    }
    pub fn panic_throw() {
        unsafe { panic_throw_raw() }
    }
}

/// The calls into OCaml, in both kinds of app: plain imports of the module `oiw_host`, the
/// host's functions themselves. In a page they pass no wasm-bindgen shim (which, with panics
/// that unwind, makes a closure and an `arguments` object per call to wrap a JS exception the
/// host never throws: its functions return the error sentinel instead); the build hands the
/// module to wasm-bindgen's glue (src/build/wasm-bindgen.ts).
///
/// An app loaded with `ocamlCalls: "direct"` has the host put the OCaml dispatcher's own entries
/// in two slots of Rust's function table (those of `via_host`, `via_host_handle`, whose indices
/// `oiw_ocaml_call_slot` tells; src/host/bridge/direct-ocaml.ts) and turn `DIRECT` on: Rust
/// then calls through the slots, and the call reaches OCaml with no JS frame. The slot is read
/// with a volatile load, so that the compiler, which sees no store to it, cannot turn the
/// indirect call back into a direct one.
#[cfg(oiw_page)]
mod calls {
    #[link(wasm_import_module = "oiw_host")]
    extern "C" {
        #[link_name = "ocamlCall"]
        fn ocaml_call_raw(id: i32, args_ptr: u32, nargs: u32) -> u32;
        #[link_name = "ocamlCallHandle"]
        fn ocaml_call_handle_raw(handle: u32, gen_lo: u32, gen_hi: u32, args_ptr: u32, nargs: u32) -> u32;
    }
    type CallFn = unsafe extern "C" fn(i32, u32, u32) -> u32;
    type CallHandleFn = unsafe extern "C" fn(u32, u32, u32, u32, u32) -> u32;

    unsafe extern "C" fn via_host(id: i32, args_ptr: u32, nargs: u32) -> u32 {
        ocaml_call_raw(id, args_ptr, nargs)
    }
    unsafe extern "C" fn via_host_handle(handle: u32, gen_lo: u32, gen_hi: u32, args_ptr: u32, nargs: u32) -> u32 {
        ocaml_call_handle_raw(handle, gen_lo, gen_hi, args_ptr, nargs)
    }
    static CALL: CallFn = via_host;
    static CALL_HANDLE: CallHandleFn = via_host_handle;

    /// The calls into OCaml under way on the direct route and the innermost one's function id
    /// (-1: a closure), for the host after a trap (`oiw_ocaml_calling`): there a fault of OCaml
    /// code skips Rust's frames, and the host tells it from a trap of Rust's own by the count.
    #[repr(C)]
    pub struct Calling {
        depth: AtomicU32,
        id: AtomicI32,
    }
    pub static CALLING: Calling = Calling {
        depth: AtomicU32::new(0),
        id: AtomicI32::new(-1),
    };
    use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, Ordering::Relaxed};

    #[inline(always)]
    fn calling<R>(id: i32, f: impl FnOnce() -> R) -> R {
        let outer = CALLING.id.load(Relaxed);
        CALLING.depth.store(CALLING.depth.load(Relaxed) + 1, Relaxed);
        CALLING.id.store(id, Relaxed);
        let r = f();
        CALLING.id.store(outer, Relaxed);
        CALLING.depth.store(CALLING.depth.load(Relaxed) - 1, Relaxed);
        r
    }

    /// Whether the host put the dispatcher's entries in the slots (`oiw_ocaml_calls_direct`):
    /// the default route calls the imports themselves, with nothing more per call than this test.
    pub static DIRECT: AtomicBool = AtomicBool::new(false);

    pub fn ocaml_call(id: i32, args_ptr: u32, nargs: u32) -> u32 {
        if !DIRECT.load(Relaxed) {
            return unsafe { ocaml_call_raw(id, args_ptr, nargs) };
        }
        // SAFETY: CALL is a valid function pointer (never written); the host replaces its table
        // slot only with a function of the same wasm type (the dispatcher's $call_direct)
        calling(id, || unsafe { core::ptr::read_volatile(&CALL)(id, args_ptr, nargs) })
    }
    pub fn ocaml_call_handle(handle: u32, gen_lo: u32, gen_hi: u32, args_ptr: u32, nargs: u32) -> u32 {
        if !DIRECT.load(Relaxed) {
            return unsafe { ocaml_call_handle_raw(handle, gen_lo, gen_hi, args_ptr, nargs) };
        }
        // SAFETY: as for ocaml_call
        calling(-1, || unsafe {
            core::ptr::read_volatile(&CALL_HANDLE)(handle, gen_lo, gen_hi, args_ptr, nargs)
        })
    }

    /// The table slots of the two calls into OCaml (`[call, call_handle]`), for the host's
    /// direct route.
    pub fn slots() -> [u32; 2] {
        [CALL as usize as u32, CALL_HANDLE as usize as u32]
    }
}

/// The function table slots Rust calls OCaml through (see `calls`), for the host:
/// `[call, call_handle]`.
#[cfg(oiw_page)]
pub(crate) fn ocaml_call_slots() -> [u32; 2] {
    calls::slots()
}

/// Turns the direct route on or off (the host filled the slots, or put them back).
#[cfg(oiw_page)]
pub(crate) fn set_ocaml_calls_direct(on: bool) {
    calls::DIRECT.store(on, core::sync::atomic::Ordering::Relaxed);
}

/// Where Rust counts its calls into OCaml under way (`[depth: u32][innermost id: i32]`).
#[cfg(oiw_page)]
pub(crate) fn ocaml_calling() -> u32 {
    &calls::CALLING as *const calls::Calling as usize as u32
}

/// With panics that abort: the host throws the panic the hook recorded as a JS exception, which
/// unwinds through Rust's frames (no destructor runs) to the OCaml glue or the host, which makes
/// it the call's error and re-creates the instance. Without it the panic would trap, which no
/// wasm code can catch (src/panic.rs).
#[cfg(all(oiw_page, not(panic = "unwind")))]
pub(crate) fn panic_throw() {
    imp::panic_throw();
}

/// Where a re-created instance's heap may start, at the least (src/heap.rs).
#[cfg(all(target_arch = "wasm32", target_os = "unknown", feature = "reuse-memory"))]
pub(crate) fn reserved_heap_start() -> u32 {
    imp::reserved_heap_start()
}

/// The Drop of a value OCaml released or collected panicked (caught; the host tells the console).
#[cfg_attr(not(panic = "unwind"), allow(dead_code))]
pub(crate) fn drop_panicked(msg: &str) {
    #[cfg(oiw_page)]
    imp::drop_panicked(msg);
    #[cfg(not(oiw_page))]
    eprintln!("ocaml-interop: a Drop panicked: {msg}");
}

/// Looks up a function OCaml registered with `Callback.register`; `None` if it did not.
pub(crate) fn lookup(name: &str) -> Option<i32> {
    #[cfg(oiw_page)]
    let id = imp::ocaml_lookup(name.as_ptr() as usize as u32, name.len() as u32);
    #[cfg(not(oiw_page))]
    let id = test_host::lookup(name);
    (id >= 0).then_some(id)
}

/// Calls a registered OCaml function with `nargs` argument words stored at `args_ptr`.
pub(crate) fn call(id: i32, args_ptr: u32, nargs: u32) -> RawOCaml {
    #[cfg(oiw_page)]
    return calls::ocaml_call(id, args_ptr, nargs);
    #[cfg(not(oiw_page))]
    return test_host::call(id, args_ptr, nargs);
}

/// Calls the OCaml closure behind `handle` (a closure Rust received).
pub(crate) fn call_handle(h: Handle, args_ptr: u32, nargs: u32) -> RawOCaml {
    #[cfg(oiw_page)]
    return calls::ocaml_call_handle(h.id, h.gen_lo, h.gen_hi, args_ptr, nargs);
    #[cfg(not(oiw_page))]
    return test_host::call_handle(h.id, args_ptr, nargs);
}

/// Keeps the OCaml value behind `handle` alive past the current call (a BoxRoot holds it).
pub(crate) fn retain(h: Handle) {
    #[cfg(oiw_page)]
    imp::ocaml_retain(h.id, h.gen_lo, h.gen_hi);
    #[cfg(not(oiw_page))]
    test_host::retain(h.id);
}

/// Asks the host to poll async task `id` (src/promise.rs) in a microtask.
pub(crate) fn schedule_task(id: u32) {
    #[cfg(oiw_page)]
    imp::schedule_task(id);
    #[cfg(not(oiw_page))]
    test_host::schedule_task(id);
}

pub(crate) fn release(h: Handle) {
    #[cfg(oiw_page)]
    imp::ocaml_release(h.id, h.gen_lo, h.gen_hi);
    #[cfg(not(oiw_page))]
    test_host::release(h.id);
}

/// A stand-in for the OCaml side in Rust unit tests: "registered OCaml functions" are Rust
/// closures over raw wire words.
#[cfg(not(oiw_page))]
pub mod test_host {
    use crate::wire::{mem, RawOCaml};
    use std::cell::RefCell;

    type Fun = Box<dyn Fn(&[RawOCaml]) -> RawOCaml>;
    thread_local! {
        static FUNS: RefCell<Vec<(String, std::rc::Rc<Fun>)>> = RefCell::new(Vec::new());
        static SCHEDULED: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
    }

    pub(crate) fn schedule_task(id: u32) {
        SCHEDULED.with(|s| s.borrow_mut().push(id));
    }

    /// The host's microtasks: polls the async tasks woken so far, and those they wake, until
    /// none is left; returns how many polls ran.
    pub fn run_tasks() -> usize {
        let mut n = 0;
        while let Some(id) = SCHEDULED.with(|s| {
            let mut s = s.borrow_mut();
            (!s.is_empty()).then(|| s.remove(0))
        }) {
            crate::exports::oiw_task_poll(id);
            n += 1;
        }
        n
    }

    /// `Callback.register name f`, with `f` written in Rust.
    pub fn register(name: &str, f: impl Fn(&[RawOCaml]) -> RawOCaml + 'static) {
        FUNS.with(|fs| fs.borrow_mut().push((name.to_string(), std::rc::Rc::new(Box::new(f)))));
    }

    pub(crate) fn lookup(name: &str) -> i32 {
        FUNS.with(|fs| {
            fs.borrow()
                .iter()
                .rposition(|(n, _)| n == name)
                .map(|i| i as i32)
                .unwrap_or(-1)
        })
    }

    thread_local! {
        static HANDLES: RefCell<Vec<(std::rc::Rc<Fun>, i32)>> = RefCell::new(Vec::new());
    }

    /// A closure as OCaml would pass it to Rust: returns the wire word of a closure block.
    pub fn closure(f: impl Fn(&[RawOCaml]) -> RawOCaml + 'static) -> RawOCaml {
        let id = HANDLES.with(|h| {
            let mut h = h.borrow_mut();
            h.push((std::rc::Rc::new(Box::new(f)), 1));
            h.len() as u32 - 1
        });
        let b = crate::alloc::block(crate::wire::tag::CLOSURE, 4).unwrap();
        unsafe {
            mem::set_field(b, 0, crate::wire::val_int(id as i32));
            mem::set_field(b, 1, crate::wire::val_int(0));
            mem::set_field(b, 2, crate::wire::val_int(0));
            mem::set_field(b, 3, crate::wire::val_int(0));
        }
        b
    }

    /// The reference count of handle `h` (1 while only the call holds it).
    pub fn refs(h: u32) -> i32 {
        HANDLES.with(|hs| hs.borrow()[h as usize].1)
    }

    pub(crate) fn call_handle(h: u32, args_ptr: u32, nargs: u32) -> RawOCaml {
        let f = HANDLES.with(|hs| hs.borrow()[h as usize].0.clone());
        let args: Vec<RawOCaml> = (0..nargs).map(|i| unsafe { mem::read_u32(args_ptr + 4 * i) }).collect();
        f(&args)
    }
    pub(crate) fn retain(h: u32) {
        HANDLES.with(|hs| hs.borrow_mut()[h as usize].1 += 1);
    }
    pub(crate) fn release(h: u32) {
        HANDLES.with(|hs| hs.borrow_mut()[h as usize].1 -= 1);
    }

    pub(crate) fn call(id: i32, args_ptr: u32, nargs: u32) -> RawOCaml {
        let f = FUNS.with(|fs| fs.borrow()[id as usize].1.clone());
        let args: Vec<RawOCaml> = (0..nargs).map(|i| unsafe { mem::read_u32(args_ptr + 4 * i) }).collect();
        f(&args)
    }
}
