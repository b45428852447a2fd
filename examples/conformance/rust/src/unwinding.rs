//! Panics that unwind (the default `rustPanic: "unwind"`): destructors run on the way out,
//! `std::panic::catch_unwind` catches, and the instance's state (statics, the heap) survives a
//! panic that escapes an export. `e2e/values.spec.ts` checks each from TS.

use ocaml_interop::*;
use std::cell::RefCell;
use std::sync::atomic::{AtomicI64, Ordering};

/// How many `Guard`s were dropped, by a normal return or by unwinding.
static DROPS: AtomicI64 = AtomicI64::new(0);

thread_local! {
    /// Heap state kept across calls (and across panics, which unwind).
    static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        DROPS.fetch_add(1, Ordering::SeqCst);
    }
}

/// Holds a `Guard` and panics when `n > 0`: the guard's destructor runs either way.
#[ocaml_interop::export]
pub fn unwind_guarded(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let n = n.to_i64();
    let _guard = Guard;
    LOG.with(|l| l.borrow_mut().push(format!("guarded {n}")));
    if n > 0 {
        panic!("guarded {n}");
    }
    n.to_ocaml(cr)
}

/// The destructors run so far, and the log kept on the heap.
#[ocaml_interop::export]
pub fn unwind_state(cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<(OCamlInt, String)> {
    let log = LOG.with(|l| l.borrow().join(","));
    (DROPS.load(Ordering::SeqCst), log).to_ocaml(cr)
}

/// `catch_unwind` inside an export: the panic is caught there, with its message, and the
/// export returns normally.
#[ocaml_interop::export]
pub fn unwind_catch(cr: &mut OCamlRuntime, msg: OCaml<String>) -> OCaml<String> {
    let msg: String = msg.to_rust();
    let caught = std::panic::catch_unwind(|| -> i64 {
        let _guard = Guard;
        panic!("{msg}")
    });
    let text = match caught {
        Ok(v) => format!("returned {v}"),
        Err(payload) => match payload.downcast::<String>() {
            Ok(s) => format!("caught: {s}"),
            Err(_) => "caught a payload that is not a String".to_owned(),
        },
    };
    text.to_ocaml(cr)
}
