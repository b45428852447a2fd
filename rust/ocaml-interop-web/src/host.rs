//! What Rust asks of the host (the TS bridge): calls into OCaml and panic reports.
//!
//! In a page (wasm32-unknown-unknown) these are wasm-bindgen imports of methods of `__oiw_host`,
//! which is the parameter of the factory the build makes of wasm-bindgen's glue
//! (src/build/wasm-bindgen.ts): each instance calls its own app's host, and no global is used.
//! Elsewhere (the wasm32-wasip1 unit tests) `test_host` stands in for OCaml.

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

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod imp {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(js_namespace = __oiw_host)]
    extern "C" {
        #[wasm_bindgen(js_name = ocamlLookup)]
        pub fn ocaml_lookup(name_ptr: u32, name_len: u32) -> i32;
        #[wasm_bindgen(js_name = ocamlCall)]
        pub fn ocaml_call(id: i32, args_ptr: u32, nargs: u32) -> u32;
        #[wasm_bindgen(js_name = ocamlCallHandle)]
        pub fn ocaml_call_handle(handle: u32, gen_lo: u32, gen_hi: u32, args_ptr: u32, nargs: u32) -> u32;
        #[wasm_bindgen(js_name = ocamlRetain)]
        pub fn ocaml_retain(handle: u32, gen_lo: u32, gen_hi: u32);
        #[wasm_bindgen(js_name = ocamlRelease)]
        pub fn ocaml_release(handle: u32, gen_lo: u32, gen_hi: u32);
        #[wasm_bindgen(js_name = reservedHeapStart)]
        pub fn reserved_heap_start() -> u32;
        #[wasm_bindgen(js_name = dropPanicked)]
        pub fn drop_panicked(msg: &str);
    }
}

/// Where a re-created instance's heap may start, at the least (src/heap.rs).
#[cfg(all(target_arch = "wasm32", target_os = "unknown", feature = "reuse-memory"))]
pub(crate) fn reserved_heap_start() -> u32 {
    imp::reserved_heap_start()
}

/// The Drop of a value OCaml released or collected panicked (caught; the host tells the console).
#[cfg_attr(not(panic = "unwind"), allow(dead_code))]
pub(crate) fn drop_panicked(msg: &str) {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    imp::drop_panicked(msg);
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    eprintln!("ocaml-interop: a Drop panicked: {msg}");
}

/// Looks up a function OCaml registered with `Callback.register`; `None` if it did not.
pub(crate) fn lookup(name: &str) -> Option<i32> {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    let id = imp::ocaml_lookup(name.as_ptr() as usize as u32, name.len() as u32);
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    let id = test_host::lookup(name);
    (id >= 0).then_some(id)
}

/// Calls a registered OCaml function with `nargs` argument words stored at `args_ptr`.
pub(crate) fn call(id: i32, args_ptr: u32, nargs: u32) -> RawOCaml {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    return imp::ocaml_call(id, args_ptr, nargs);
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    return test_host::call(id, args_ptr, nargs);
}

/// Calls the OCaml closure behind `handle` (a closure Rust received).
pub(crate) fn call_handle(h: Handle, args_ptr: u32, nargs: u32) -> RawOCaml {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    return imp::ocaml_call_handle(h.id, h.gen_lo, h.gen_hi, args_ptr, nargs);
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    return test_host::call_handle(h.id, args_ptr, nargs);
}

/// Keeps the OCaml value behind `handle` alive past the current call (a BoxRoot holds it).
pub(crate) fn retain(h: Handle) {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    imp::ocaml_retain(h.id, h.gen_lo, h.gen_hi);
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    test_host::retain(h.id);
}

pub(crate) fn release(h: Handle) {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    imp::ocaml_release(h.id, h.gen_lo, h.gen_hi);
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    test_host::release(h.id);
}

/// A stand-in for the OCaml side in Rust unit tests: "registered OCaml functions" are Rust
/// closures over raw wire words.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub mod test_host {
    use crate::wire::{mem, RawOCaml};
    use std::cell::RefCell;

    type Fun = Box<dyn Fn(&[RawOCaml]) -> RawOCaml>;
    thread_local! {
        static FUNS: RefCell<Vec<(String, std::rc::Rc<Fun>)>> = RefCell::new(Vec::new());
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
