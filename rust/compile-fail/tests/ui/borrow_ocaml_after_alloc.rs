// An OCaml<'gc, T> borrows the runtime: it cannot be used after something that may allocate
// (and so move values) took the runtime mutably. Root it (BoxRoot) to keep it.
use ocaml_interop::*;

fn f(cr: &mut OCamlRuntime) {
    let s: OCaml<String> = "a".to_ocaml(cr);
    let t: OCaml<String> = "b".to_ocaml(cr);
    let _: String = s.to_rust();
    let _: String = t.to_rust();
}

fn main() {}
