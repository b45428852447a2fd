// A tuple crosses as one OCaml value: OCaml<(A, B)>.
use ocaml_interop::*;

#[ocaml_interop::export]
pub fn pair(cr: &mut OCamlRuntime, p: (OCaml<OCamlInt>, OCaml<OCamlInt>)) -> OCaml<OCamlInt> {
    let _ = (cr, p);
    todo!()
}

fn main() {}
