// A fallible export's Ok side is an OCaml value.
use ocaml_interop::*;

#[ocaml_interop::export]
pub fn fallible(cr: &mut OCamlRuntime, x: OCaml<OCamlInt>) -> Result<i64, String> {
    let _ = cr;
    Ok(x.to_rust())
}

fn main() {}
