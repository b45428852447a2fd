//! The demo's Rust side. OCaml declares these with `external` (ocaml/examples/demo/demo.ml)
//! and registers the functions `ocaml!` declares below with `Callback.register`.

// `ocaml!` functions take their arguments by reference, as in ocaml-interop's own examples
// (`f(cr, &n)`); clippy would have plain values, which work too.
#![allow(clippy::needless_borrows_for_generic_args)]

use ocaml_interop::{
    ocaml, ocaml_async, BoxRoot, OCaml, OCamlDescriber, OCamlFloat, OCamlInt, OCamlList, OCamlPromise, OCamlRuntime,
    Rejection, ToOCaml,
};

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

// ---- Fetch and process: the page fetches, Rust processes, OCaml reports -------------------

/// What Rust found in a text: OCaml's `text_stats` record (ocaml/demo.ml).
#[derive(ToOCaml, OCamlDescriber)]
pub struct TextStats {
    #[ocaml(as_ = "OCamlInt")]
    pub lines: i64,
    #[ocaml(as_ = "OCamlInt")]
    pub words: i64,
    #[ocaml(as_ = "OCamlInt")]
    pub bytes: i64,
    /// the 3 most frequent words (lowercased) and their counts, most frequent first, ties in
    /// alphabetical order
    #[ocaml(as_ = "OCamlList<(String, OCamlInt)>")]
    pub top_words: Vec<(String, i64)>,
    /// CRC-32 (as zlib and gzip compute it), in hex: it does not fit OCaml's 31-bit int
    pub crc32: String,
}

/// `external rust_fetch_stats : (string -> string Promise.t) -> string -> text_stats Promise.t`:
/// calls `fetch url` (OCaml passes the function the page gave it), waits for the text, and
/// processes it. The future has no `cr`: what it needs from OCaml is taken before it starts.
#[ocaml_interop::export]
pub fn rust_fetch_stats(
    cr: &mut OCamlRuntime,
    fetch: OCaml<fn(String) -> OCamlPromise<String>>,
    url: OCaml<String>,
) -> OCaml<OCamlPromise<TextStats>> {
    let text = match fetch.try_call(cr, &url) {
        // subscribed now, awaited in the future (rooted first: `p` borrows `cr`, which
        // `into_future` needs too)
        Ok(p) => p.root().into_future::<String>(cr),
        // the function raised instead of returning a promise: the promise is rejected with it
        Err(e) => {
            let why = Rejection::from(e);
            return ocaml_async(cr, async move { Err::<TextStats, Rejection>(why) });
        }
    };
    // a rejection (the page's "HTTP 404") goes on unchanged, with its class and message
    ocaml_async(cr, async move { Ok::<TextStats, Rejection>(text_stats(&text.await?)) })
}

/// The statistics of `text`. Words are runs of letters and digits.
fn text_stats(text: &str) -> TextStats {
    let mut counts = std::collections::HashMap::<String, i64>::new();
    let mut words = 0;
    for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        *counts.entry(w.to_lowercase()).or_default() += 1;
        words += 1;
    }
    let mut top: Vec<(String, i64)> = counts.into_iter().collect();
    top.sort_by(|(a, m), (b, n)| n.cmp(m).then_with(|| a.cmp(b)));
    top.truncate(3);
    TextStats {
        lines: text.lines().count() as i64,
        words,
        bytes: text.len() as i64,
        top_words: top,
        crc32: format!("{:08x}", crc32(text.as_bytes())),
    }
}

/// CRC-32 (IEEE 802.3, reflected), bit by bit: small rather than fast.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
