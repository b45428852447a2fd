//! Benchmark workloads, Rust side. Each workload has a baseline measured in the same run
//! (see tools/bench/README.md): for strings, the same round trip through wasm-bindgen.

// `ocaml!` functions take their arguments by reference, as in ocaml-interop's own examples
// (`f(cr, &n)`); clippy would have plain values, which work too.
#![allow(clippy::needless_borrows_for_generic_args)]

use ocaml_interop::{ocaml, OCaml, OCamlFloat, OCamlInt, OCamlRuntime, ToOCaml};
use wasm_bindgen::prelude::*;

/// W1_ocaml_to_rust_int: `external bench_incr : int -> int = "bench_incr"`.
#[ocaml_interop::export]
pub fn bench_incr(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let n: i64 = n.to_rust();
    (n + 1).to_ocaml(cr)
}

/// W3_string_*_roundtrip: OCaml passes a string, Rust reads it as `&str` and returns it.
#[ocaml_interop::export]
pub fn bench_echo(cr: &mut OCamlRuntime, s: OCaml<String>) -> OCaml<String> {
    let s: &str = s.as_str();
    s.to_ocaml(cr)
}

ocaml! {
    fn bench_ocaml_incr(n: OCamlInt) -> OCamlInt;
}

/// W1_rust_to_ocaml_int: Rust calls the registered OCaml function `bench_ocaml_incr` n times.
#[ocaml_interop::export]
pub fn bench_rust_calls_ocaml(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let n: i64 = n.to_rust();
    let mut acc: i64 = 0;
    for _ in 0..n {
        acc = bench_ocaml_incr(cr, &acc).to_rust(cr);
    }
    acc.to_ocaml(cr)
}

/// Baseline for W3: the same round trip, JS -> Rust -> JS, through wasm-bindgen.
#[wasm_bindgen]
pub fn wb_echo(s: String) -> String {
    s
}

// ---- W4: an int list and a float array, each way ------------------------------------------------

/// W4_int_list_10k: the list becomes a `Vec<i64>` and comes back as a list.
#[ocaml_interop::export]
pub fn bench_int_list(cr: &mut OCamlRuntime, xs: OCaml<OCamlList<OCamlInt>>) -> OCaml<OCamlList<OCamlInt>> {
    let v: Vec<i64> = xs.to_rust();
    v.to_ocaml(cr)
}

/// W4_float_array_1m: the array becomes a `Vec<f64>` and comes back.
#[ocaml_interop::export]
pub fn bench_float_array(cr: &mut OCamlRuntime, xs: OCaml<OCamlFloatArray>) -> OCaml<OCamlFloatArray> {
    let v: Vec<f64> = xs.to_rust();
    v.to_ocaml(cr)
}

/// Baselines: the same data through wasm-bindgen as typed arrays.
#[wasm_bindgen]
pub fn wb_int_vec(v: Vec<i32>) -> Vec<i32> {
    v
}
#[wasm_bindgen]
pub fn wb_f64_vec(v: Vec<f64>) -> Vec<f64> {
    v
}

// ---- W5: records with a string, a nested variant and a polymorphic variant -----------------------

use ocaml_interop::{FromOCaml, OCamlDescriber, OCamlFloatArray, OCamlList};
use serde::{Deserialize, Serialize};

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Serialize, Deserialize)]
pub enum Shape {
    Circle(f64),
    Rect { w: f64, h: f64 },
}

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Serialize, Deserialize)]
#[ocaml(polymorphic_variant)]
pub enum Color {
    Red,
    Rgb(
        #[ocaml(as_ = "OCamlInt")] i64,
        #[ocaml(as_ = "OCamlInt")] i64,
        #[ocaml(as_ = "OCamlInt")] i64,
    ),
}

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Serialize, Deserialize)]
pub struct Item {
    pub name: String,
    pub shape: Shape,
    pub color: Color,
}

/// W5_records_1k: the records become `Vec<Item>` and come back.
#[ocaml_interop::export]
pub fn bench_records(cr: &mut OCamlRuntime, xs: OCaml<OCamlList<Item>>) -> OCaml<OCamlList<Item>> {
    let v: Vec<Item> = xs.to_rust();
    v.to_ocaml(cr)
}

/// Baseline: the same records as JS objects through wasm-bindgen and serde-wasm-bindgen.
#[wasm_bindgen]
pub fn wb_items(v: JsValue) -> Result<JsValue, JsValue> {
    let items: Vec<Item> = serde_wasm_bindgen::from_value(v)?;
    Ok(serde_wasm_bindgen::to_value(&items)?)
}

// ---- W8: a zero-copy bigarray shared with Rust ---------------------------------------------------

use ocaml_interop::bigarray::{Array1, SharedArray1};

thread_local! {
    static SHARED: std::cell::RefCell<Vec<SharedArray1<f64>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A buffer of n floats Rust owns, given to OCaml as a Bigarray view (kept alive here).
#[ocaml_interop::export]
pub fn bench_shared(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<Array1<f64>> {
    let buf = SharedArray1::from_vec((0..n.to_i64()).map(|i| (i % 7) as f64).collect());
    SHARED.with(|s| {
        let mut s = s.borrow_mut();
        s.push(buf);
        s.last().unwrap().to_ocaml(cr)
    })
}

/// Sums a bigarray where it is.
#[ocaml_interop::export]
pub fn bench_ba_sum(cr: &mut OCamlRuntime, ba: OCaml<Array1<f64>>) -> OCaml<OCamlFloat> {
    ba.as_slice().iter().sum::<f64>().to_ocaml(cr)
}

/// Reads only the length: the cost of passing the bigarray.
#[ocaml_interop::export]
pub fn bench_ba_len(cr: &mut OCamlRuntime, ba: OCaml<Array1<f64>>) -> OCaml<OCamlInt> {
    (ba.len() as i64).to_ocaml(cr)
}

/// The W8 baseline: Rust sums the same buffer with no bigarray crossing.
#[ocaml_interop::export]
pub fn bench_native_sum(cr: &mut OCamlRuntime, i: OCaml<OCamlInt>) -> OCaml<OCamlFloat> {
    SHARED
        .with(|s| s.borrow()[i.to_i64() as usize].as_slice().iter().sum::<f64>())
        .to_ocaml(cr)
}

// ---- W6, W7, W9 ------------------------------------------------------------------------------------

use ocaml_interop::{DynBox, OCamlException};

/// W6_closure_callback: Rust calls an OCaml closure n times.
#[ocaml_interop::export]
pub fn bench_closure_loop(
    cr: &mut OCamlRuntime,
    f: OCaml<fn(OCamlInt) -> OCamlInt>,
    n: OCaml<OCamlInt>,
) -> OCaml<OCamlInt> {
    let mut acc = 0i64;
    for _ in 0..n.to_i64() {
        acc = f.try_call(cr, &acc).ok().expect("no exception").to_i64();
    }
    acc.to_ocaml(cr)
}

/// W7_exception_roundtrip: the closure raises; Rust gets `Err` and passes the exception back.
#[ocaml_interop::export]
pub fn bench_reraise(cr: &mut OCamlRuntime, f: OCaml<fn(()) -> ()>) -> Result<OCaml<()>, OCaml<OCamlException>> {
    f.try_call(cr, &())
}

/// W16_rust_error: a Rust export that fails with `Err(msg)`; OCaml catches the `Failure msg`.
#[ocaml_interop::export]
pub fn bench_error(_cr: &mut OCamlRuntime, _n: OCaml<OCamlInt>) -> Result<OCaml<OCamlInt>, String> {
    Err("bench error".into())
}

/// W13_panic_roundtrip: a Rust export that panics; OCaml catches `RustPanic`.
#[ocaml_interop::export]
pub fn bench_panic(_cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    panic!("bench panic {}", n.to_i64())
}

/// W9_handle_churn: a Rust value owned by OCaml.
#[ocaml_interop::export]
pub fn bench_box_new(cr: &mut OCamlRuntime, i: OCaml<OCamlInt>) -> OCaml<DynBox<u64>> {
    OCaml::box_value(cr, i.to_i64() as u64)
}

// ---- soak: one million calls passing strings and records ----------------------------------------

/// The record becomes an `Item` (its strings copied into Rust), a new record comes back with
/// the string appended to its name: every call allocates on both sides and must free it all.
#[ocaml_interop::export]
pub fn bench_soak(cr: &mut OCamlRuntime, it: OCaml<Item>, s: OCaml<String>) -> OCaml<Item> {
    let mut item: Item = it.to_rust();
    let s: String = s.to_rust();
    item.name.push_str(&s);
    item.to_ocaml(cr)
}

// ---- W12: promises across the bridge ------------------------------------------------------------

use ocaml_interop::{ocaml_async, OCamlPromise, Rejection};

ocaml! {
    fn bench_resolved(n: OCamlInt) -> OCamlPromise<OCamlInt>;
}

/// W12_async_roundtrip: an async export (TS awaits its promise) that awaits the promise the
/// registered OCaml function `bench_resolved` returns (already resolved), and gives `n + 1`.
#[ocaml_interop::export]
pub fn bench_async_roundtrip(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<OCamlPromise<OCamlInt>> {
    let n: i64 = n.to_rust();
    let v = bench_resolved(cr, &n).into_future::<i64>(cr);
    ocaml_async(cr, async move { Ok::<i64, Rejection>(v.await? + 1) })
}
