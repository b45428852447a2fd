// ocaml! functions are typed: an argument of the wrong OCaml type does not compile.
use ocaml_interop::*;

ocaml! {
    fn ocaml_len(s: String) -> OCamlInt;
}

fn f(cr: &mut OCamlRuntime) {
    let _ = ocaml_len(cr, &1.5f64);
}

fn main() {}
