// With `&OCamlRuntime`, a noalloc export cannot call anything that allocates OCaml values.
use ocaml_interop::*;

#[ocaml_interop::export(noalloc)]
pub fn no_alloc(cr: &OCamlRuntime, x: f64) -> f64 {
    let _s: OCaml<String> = "allocates".to_ocaml(cr);
    x
}

fn main() {}
