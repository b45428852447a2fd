// Exports are called by name from OCaml: they cannot be generic.
use ocaml_interop::*;

#[ocaml_interop::export]
pub fn generic<T>(cr: &mut OCamlRuntime, x: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let _ = cr;
    x
}

fn main() {}
