// noalloc exports get the runtime shared (`&OCamlRuntime`): they may not allocate.
use ocaml_interop::*;

#[ocaml_interop::export(noalloc)]
pub fn no_alloc(cr: &mut OCamlRuntime, x: f64) -> f64 {
    let _ = cr;
    x
}

fn main() {}
