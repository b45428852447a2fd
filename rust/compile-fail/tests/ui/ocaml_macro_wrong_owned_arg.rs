// Owned arguments are typed too: a Rust value without a conversion to the declared OCaml type
// does not compile (here a float for a string, and a string for an int).
use ocaml_interop::*;

ocaml! {
    fn ocaml_len(s: String) -> OCamlInt;
    fn twice(n: OCamlInt) -> OCamlInt;
}

fn f(cr: &mut OCamlRuntime) {
    let _ = ocaml_len(cr, 1.5f64);
    let _ = twice(cr, "2");
}

fn main() {}
