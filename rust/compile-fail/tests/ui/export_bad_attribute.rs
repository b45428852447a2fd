// Unknown export options are named in the error.
use ocaml_interop::*;

#[ocaml_interop::export(fast)]
pub fn f(cr: &mut OCamlRuntime, x: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let _ = cr;
    x
}

fn main() {}
