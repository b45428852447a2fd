// A BoxRoot is a Rust-side root: the result goes back as OCaml<T>.
use ocaml_interop::*;

#[ocaml_interop::export]
pub fn rooted(cr: &mut OCamlRuntime, x: BoxRoot<OCamlInt>) -> BoxRoot<OCamlInt> {
    let _ = cr;
    x
}

fn main() {}
