// An OCaml<'gc, T> cannot outlive the runtime borrow it came from.
use ocaml_interop::*;

fn keep(cr: &mut OCamlRuntime) -> OCaml<'static, String> {
    "a".to_ocaml(cr)
}

fn main() {}
