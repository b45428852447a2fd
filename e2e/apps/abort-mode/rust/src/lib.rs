//! A small app for the tests of traps and re-created instances (e2e/recovery.spec.ts). The
//! package's own tests build it with `rustPanic: "abort"`, as a toolchain without the standard
//! library's sources would, and the same sources serve both strategies.

use ocaml_interop::{DynBox, OCaml, OCamlInt, OCamlRuntime, ToOCaml};
use std::cell::RefCell;

thread_local! {
    /// Rust state that lives until the instance is re-created.
    static KEPT: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// Keeps `kib` KiB more in Rust's heap; returns how many KiB it keeps.
#[ocaml_interop::export]
pub fn keep(cr: &mut OCamlRuntime, kib: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let kib = kib.to_i64() as usize;
    let total = KEPT.with(|k| {
        let mut k = k.borrow_mut();
        k.push(vec![0xa5; kib * 1024]);
        k.iter().map(|v| v.len()).sum::<usize>() / 1024
    });
    (total as i64).to_ocaml(cr)
}

/// How many KiB Rust keeps (0 after a re-creation).
#[ocaml_interop::export]
pub fn kept(cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<OCamlInt> {
    let total = KEPT.with(|k| k.borrow().iter().map(|v| v.len()).sum::<usize>() / 1024);
    (total as i64).to_ocaml(cr)
}

/// Panics (with panic = "abort" this traps).
#[ocaml_interop::export]
pub fn fail(_cr: &mut OCamlRuntime, why: OCaml<String>) -> OCaml<()> {
    panic!("{}", why.as_str())
}

/// Aborts: a trap under either strategy.
#[ocaml_interop::export]
pub fn abort(_cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<()> {
    std::process::abort()
}

/// Recurses until the stack overflows (a trap under either strategy).
#[ocaml_interop::export]
pub fn overflow(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    fn deep(n: u64, pad: &mut [u8; 512]) -> u64 {
        pad[0] = n as u8;
        let mut next = [n as u8; 512];
        if n == 0 {
            0
        } else {
            deep(n - 1, &mut next) + std::hint::black_box(pad[0]) as u64
        }
    }
    let mut pad = [0u8; 512];
    (deep(n.to_i64() as u64, &mut pad) as i64).to_ocaml(cr)
}

/// Allocates until memory runs out (an abort under either strategy). The allocations are not
/// written, so the engine commits no pages for them.
#[ocaml_interop::export]
pub fn exhaust(_cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<()> {
    let mut v: Vec<Vec<u8>> = Vec::new();
    loop {
        v.push(Vec::with_capacity(256 << 20));
        std::hint::black_box(&v);
    }
}

thread_local! {
    static RESERVED: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// Reserves `mib` MiB (not written, in allocations of at most 1 GiB: wasm32 allows no single
/// one of 2 GiB); returns where the highest one ends (in MiB).
#[ocaml_interop::export]
pub fn reserve(cr: &mut OCamlRuntime, mib: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let mut left = mib.to_i64() as usize;
    let mut end = 0;
    while left > 0 {
        let n = left.min(1024);
        let v: Vec<u8> = Vec::with_capacity(n << 20);
        end = end.max(v.as_ptr() as usize + v.capacity());
        RESERVED.with(|r| r.borrow_mut().push(v));
        left -= n;
    }
    ((end >> 20) as i64).to_ocaml(cr)
}

/// The string back, and the address its copy had in Rust's memory (in MiB).
#[ocaml_interop::export]
pub fn echo(cr: &mut OCamlRuntime, s: OCaml<String>) -> OCaml<(String, OCamlInt)> {
    let copy: String = s.to_rust();
    let at = (copy.as_ptr() as usize >> 20) as i64;
    (copy, at).to_ocaml(cr)
}

/// Holds the runtime with `with_domain_lock`, as code called from TS through wasm-bindgen does.
#[ocaml_interop::export]
pub fn twice(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    (2 * n.to_i64()).to_ocaml(cr)
}

/// A value whose Drop panics (with panic = "abort": a trap when OCaml releases it or the GC
/// collects its wrapper).
pub struct DropPanics(pub i64);

impl Drop for DropPanics {
    fn drop(&mut self) {
        panic!("DropPanics({}) dropped", self.0);
    }
}

#[ocaml_interop::export]
pub fn drop_panics_new(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<DynBox<DropPanics>> {
    OCaml::box_value(cr, DropPanics(n.to_i64()))
}

// ---- the adversarial suite (e2e/adversarial/): traps under a live outer frame, in closures ----

ocaml_interop::ocaml! {
    fn call_fail(why: String) -> String;
}

/// Rust -> OCaml -> Rust `fail` (a trap here) -> OCaml catches it -> back in this frame, which
/// is still on the stack of the trapped instance: the instance must not be re-created before
/// this frame has returned.
#[ocaml_interop::export]
pub fn outer_fail(cr: &mut OCamlRuntime, why: OCaml<String>) -> OCaml<String> {
    let why: String = why.to_rust();
    let r: String = match try_call_fail(cr, &why) {
        Ok(s) => s.to_rust(cr),
        Err(e) => format!("err {:?}", e.message()),
    };
    format!("outer got: {r}").to_ocaml(cr)
}

/// A Rust closure that panics (with panic = "abort": a trap inside a closure OCaml calls).
#[ocaml_interop::export]
pub fn make_failing(cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<fn(String) -> String> {
    ocaml_interop::rust_closure1(cr, |cr, s: OCaml<String>| {
        if s.as_str() == "never" {
            return "never".to_ocaml(cr);
        }
        panic!("the closure failed on {}", s.as_str())
    })
}

/// A future that waits for the promise `p` (from TS) and then panics when its text is not
/// empty: with panic = "abort" that traps in the task's poll, and the instance is re-created.
#[ocaml_interop::export]
pub fn panic_later(
    cr: &mut OCamlRuntime,
    p: OCaml<ocaml_interop::OCamlPromise<String>>,
) -> OCaml<ocaml_interop::OCamlPromise<OCamlInt>> {
    let s = p.into_future::<String>(cr);
    ocaml_interop::ocaml_async(cr, async move {
        let s = s.await?;
        if !s.is_empty() {
            panic!("panic_later: {s}");
        }
        Ok::<i64, ocaml_interop::Rejection>(0)
    })
}
