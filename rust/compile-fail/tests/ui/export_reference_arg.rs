// Arguments are OCaml<T> (or BoxRoot<T>, or the direct primitives), not Rust references.
use ocaml_interop::*;

#[ocaml_interop::export]
pub fn by_ref(cr: &mut OCamlRuntime, s: &str) -> OCaml<OCamlInt> {
    (s.len() as i64).to_ocaml(cr)
}

fn main() {}
