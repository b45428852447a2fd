//! Benchmark workloads, Rust side. Each workload has a baseline measured in the same run
//! (see tools/bench/README.md): for strings, the same round trip through wasm-bindgen.

use ocaml_interop::{ocaml, OCaml, OCamlInt, OCamlRuntime, ToOCaml};
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
