//! OCaml closures in Rust (`try_call`), with the stand-in host playing OCaml.
// `ocaml!` functions take their arguments by reference, as in ocaml-interop's own tests
#![allow(clippy::needless_borrows_for_generic_args)]
use ocaml_interop::internal::{arena, recover_runtime_handle_mut};
use ocaml_interop::test_host;
use ocaml_interop::wire::{self, mem};
use ocaml_interop::*;

fn cr() -> &'static mut OCamlRuntime {
    unsafe { recover_runtime_handle_mut() }
}

#[test]
fn try_call_applies_the_closure_with_rust_values() {
    let m = arena::mark();
    let raw = test_host::closure(|a| wire::val_int(wire::int_val(a[0]) + 10 * wire::int_val(a[1])));
    let f: OCaml<fn(OCamlInt, OCamlInt) -> OCamlInt> = unsafe { OCaml::from_raw_unchecked(raw) };
    let r = f.try_call(cr(), &1i64, &2i64).ok().unwrap();
    assert_eq!(r.to_i64(), 21);
    arena::release(m);
}

#[test]
fn seven_arguments() {
    let m = arena::mark();
    let raw = test_host::closure(|a| wire::val_int(a.iter().map(|w| wire::int_val(*w)).sum()));
    type F7 = fn(OCamlInt, OCamlInt, OCamlInt, OCamlInt, OCamlInt, OCamlInt, OCamlInt) -> OCamlInt;
    let f: OCaml<F7> = unsafe { OCaml::from_raw_unchecked(raw) };
    assert_eq!(
        f.try_call(cr(), &1i64, &2i64, &3i64, &4i64, &5i64, &6i64, &7i64)
            .ok()
            .unwrap()
            .to_i64(),
        28
    );
    arena::release(m);
}

#[test]
fn a_root_keeps_the_closure_and_releases_it_when_dropped() {
    let m = arena::mark();
    let raw = test_host::closure(|a| {
        let s = unsafe { mem::bytes(a[0]) }.to_ascii_uppercase();
        ocaml_interop::internal::alloc::string(&s)
    });
    let h = unsafe { wire::int_val(mem::field(raw, 0)) } as u32;
    let f: OCaml<fn(String) -> String> = unsafe { OCaml::from_raw_unchecked(raw) };
    let root: BoxRoot<fn(String) -> String> = f.root();
    assert_eq!(test_host::refs(h), 2, "the call's reference and the root's");
    arena::release(m);
    let r = root.try_call(cr(), &"later").ok().unwrap();
    assert_eq!(r.as_str(), "LATER");
    drop(root);
    assert_eq!(test_host::refs(h), 1, "the root released its reference");
}

#[test]
fn an_error_comes_back_as_an_exception_value() {
    let m = arena::mark();
    let raw = test_host::closure(|_| {
        // what the OCaml dispatcher reports for an exception it could not encode
        extern "C" {
            fn oiw_error_reserve(len: u32) -> u32;
            fn oiw_error_commit(kind: u32, len: u32);
        }
        let msg = "Not_found";
        unsafe {
            let p = oiw_error_reserve(msg.len() as u32);
            std::ptr::copy_nonoverlapping(msg.as_ptr(), p as usize as *mut u8, msg.len());
            oiw_error_commit(4, msg.len() as u32);
        }
        wire::ERROR_SENTINEL
    });
    let f: OCaml<fn(()) -> ()> = unsafe { OCaml::from_raw_unchecked(raw) };
    let e = f.try_call(cr(), &()).err().unwrap();
    assert_eq!(e.name().as_deref(), Some("Failure"));
    assert_eq!(e.message().as_deref(), Some("Not_found"));
    arena::release(m);
}
