//! The demo's Rust side. OCaml declares these with `external` (ocaml/examples/demo/demo.ml)
//! and registers the functions `ocaml!` declares below with `Callback.register`.

// `ocaml!` functions take their arguments by reference, as in ocaml-interop's own examples
// (`f(cr, &n)`); clippy would have plain values, which work too.
#![allow(clippy::needless_borrows_for_generic_args)]

use ocaml_interop::{ocaml, BoxRoot, OCaml, OCamlFloat, OCamlInt, OCamlRuntime, ToOCaml};

// ---- OCaml calls Rust ---------------------------------------------------------------------

/// `external rust_twice : int -> int = "rust_twice"`
#[ocaml_interop::export]
pub fn rust_twice(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let n: i64 = n.to_rust();
    (2 * n).to_ocaml(cr)
}

/// `external rust_add : int -> int -> int = "rust_add"`: the sum must fit OCaml's 31-bit int.
#[ocaml_interop::export]
pub fn rust_add(cr: &mut OCamlRuntime, a: OCaml<OCamlInt>, b: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let (a, b): (i64, i64) = (a.to_rust(), b.to_rust());
    (a + b).to_ocaml(cr)
}

/// Returns an int that OCaml cannot represent: the call fails with a clear error.
#[ocaml_interop::export]
pub fn rust_big_int(cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<OCamlInt> {
    (1i64 << 40).to_ocaml(cr)
}

/// `external rust_negate : bool -> bool = "rust_negate"`
#[ocaml_interop::export]
pub fn rust_negate(cr: &mut OCamlRuntime, b: OCaml<bool>) -> OCaml<bool> {
    let b: bool = b.to_rust();
    (!b).to_ocaml(cr)
}

/// `external rust_hypot : float -> float -> float = "rust_hypot"`
#[ocaml_interop::export]
pub fn rust_hypot(cr: &mut OCamlRuntime, x: OCaml<OCamlFloat>, y: OCaml<OCamlFloat>) -> OCaml<OCamlFloat> {
    let (x, y): (f64, f64) = (x.to_rust(), y.to_rust());
    x.hypot(y).to_ocaml(cr)
}

/// `external rust_describe : string -> string = "rust_describe"`: statistics of a text.
#[ocaml_interop::export]
pub fn rust_describe(cr: &mut OCamlRuntime, s: OCaml<String>) -> OCaml<String> {
    let bytes = s.as_bytes();
    let text = String::from_utf8_lossy(bytes);
    let summary = format!(
        "{} bytes, {} chars, {} words, valid UTF-8: {}",
        bytes.len(),
        text.chars().count(),
        text.split_whitespace().count(),
        std::str::from_utf8(bytes).is_ok()
    );
    summary.to_ocaml(cr)
}

/// `external rust_reverse : string -> string = "rust_reverse"` (by Unicode scalar values;
/// invalid UTF-8 is replaced by U+FFFD first, as `to_rust::<String>()` does).
#[ocaml_interop::export]
pub fn rust_reverse(cr: &mut OCamlRuntime, s: OCaml<String>) -> OCaml<String> {
    let s: String = s.to_rust();
    s.chars().rev().collect::<String>().to_ocaml(cr)
}

/// `external rust_strict_len : string -> int = "rust_strict_len"`: uses `as_str`, which
/// panics on invalid UTF-8 as in the model; OCaml gets `RustPanic`/`Failure`.
#[ocaml_interop::export]
pub fn rust_strict_len(cr: &mut OCamlRuntime, s: OCaml<String>) -> OCaml<OCamlInt> {
    let n = s.as_str().chars().count() as i64;
    n.to_ocaml(cr)
}

/// `external rust_echo : string -> string = "rust_echo"`: returns its argument (a round trip).
#[ocaml_interop::export]
pub fn rust_echo(_cr: &mut OCamlRuntime, s: OCaml<String>) -> OCaml<String> {
    s
}

/// `external rust_log : string -> unit = "rust_log"`: keeps a message (read back by `rust_log_count`).
#[ocaml_interop::export]
pub fn rust_log(_cr: &mut OCamlRuntime, s: OCaml<String>) {
    LOG.with(|l| l.borrow_mut().push(s.to_rust()));
}

#[ocaml_interop::export]
pub fn rust_log_count(cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<OCamlInt> {
    LOG.with(|l| l.borrow().len() as i64).to_ocaml(cr)
}

thread_local! {
    static LOG: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Panics on purpose: OCaml receives `RustPanic "..."` (or `Failure`), and the next call works.
/// The panic unwinds: the Rust instance and its state (the log below) survive it.
#[ocaml_interop::export]
pub fn rust_panic(_cr: &mut OCamlRuntime, msg: OCaml<String>) -> OCaml<()> {
    panic!("{}", msg.as_str());
}

/// Aborts on purpose: a trap, which nothing unwinds. OCaml still receives `RustPanic`, the host
/// re-creates the Rust instance (its state starts afresh), and the next call works.
#[ocaml_interop::export]
pub fn rust_abort(_cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<()> {
    std::process::abort()
}

// ---- Rust calls OCaml -----------------------------------------------------------------------

ocaml! {
    fn ocaml_shout(s: String) -> String;
    fn ocaml_square(n: OCamlInt) -> OCamlInt;
    fn ocaml_is_even(n: OCamlInt) -> bool;
    fn ocaml_half(x: OCamlFloat) -> OCamlFloat;
    fn ocaml_fail(s: String) -> String;
    fn ocaml_never_registered(n: OCamlInt) -> OCamlInt;
}

/// OCaml → Rust → OCaml: Rust asks OCaml to shout the text, then describes the result.
#[ocaml_interop::export]
pub fn rust_shout_and_describe(cr: &mut OCamlRuntime, s: OCaml<String>) -> OCaml<String> {
    let s: BoxRoot<String> = s.root();
    let shouted: BoxRoot<String> = ocaml_shout(cr, &s);
    let shouted: String = shouted.to_rust(cr);
    format!("OCaml shouted {:?} ({} bytes)", shouted, shouted.len()).to_ocaml(cr)
}

/// Rust calls each registered OCaml function once, with plain Rust values as arguments.
#[ocaml_interop::export]
pub fn rust_calls_ocaml(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<String> {
    let n: i64 = n.to_rust();
    let sq: i64 = ocaml_square(cr, &n).to_rust(cr);
    let even: bool = ocaml_is_even(cr, &n).to_rust(cr);
    let half: f64 = ocaml_half(cr, &(n as f64)).to_rust(cr);
    format!("square={sq} even={even} half={half}").to_ocaml(cr)
}

/// Calls an OCaml function that raises: the plain form panics with the exception's message.
#[ocaml_interop::export]
pub fn rust_calls_failing_ocaml(cr: &mut OCamlRuntime, s: OCaml<String>) -> OCaml<String> {
    let s: BoxRoot<String> = s.root();
    let r = ocaml_fail(cr, &s);
    r.get(cr)
}

/// Calls a name OCaml never registered: panics with a message naming it.
#[ocaml_interop::export]
pub fn rust_calls_unregistered(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let n: i64 = n.to_rust();
    let r = ocaml_never_registered(cr, &n);
    r.get(cr)
}
