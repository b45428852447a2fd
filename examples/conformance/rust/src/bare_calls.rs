//! Calls whose arguments and result are immediates, which the OCaml glue makes with a bare
//! frame (no arena mark of its own): each export here allocates in the arena and gives it back
//! itself, on every path. `e2e/values.spec.ts` loops over them from OCaml and checks that the
//! arena stays where it was.

use ocaml_interop::*;

ocaml! {
    fn bare_raise(n: OCamlInt);
}

/// Converts a string of `n` bytes to OCaml and drops it; returns `n`.
#[ocaml_interop::export]
pub fn bare_drops_string(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let n = n.to_i64();
    let s: OCaml<String> = "x".repeat(n as usize).to_ocaml(cr);
    (s.as_str().len() as i64).to_ocaml(cr)
}

/// Fails with `Err(msg)` after converting a string of `n` bytes.
#[ocaml_interop::export]
pub fn bare_fails(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> Result<OCaml<OCamlInt>, String> {
    let n = n.to_i64();
    let _s: OCaml<String> = "x".repeat(n as usize).to_ocaml(cr);
    Err(format!("bare_fails {n}"))
}

/// Calls the OCaml function `bare_raise`, which raises `Bare n` (after OCaml's own string of
/// `n` bytes crossed), and passes the exception back as it is: its value lives in the arena.
#[ocaml_interop::export]
pub fn bare_reraises(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> Result<OCaml<()>, OCaml<OCamlException>> {
    let n = n.to_i64();
    let _s: OCaml<String> = "x".repeat(n as usize).to_ocaml(cr);
    try_bare_raise(cr, &n).map(|_| OCaml::unit())
}
