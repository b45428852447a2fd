// An export must take the runtime handle first.
use ocaml_interop::*;

#[ocaml_interop::export]
pub fn no_runtime(x: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    x
}

fn main() {}
