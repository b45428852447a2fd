// noalloc exports cannot root (rooting allocates).
use ocaml_interop::*;

#[ocaml_interop::export(noalloc)]
pub fn no_alloc(cr: &OCamlRuntime, x: BoxRoot<OCamlInt>) -> f64 {
    let _ = (cr, x);
    0.0
}

fn main() {}
