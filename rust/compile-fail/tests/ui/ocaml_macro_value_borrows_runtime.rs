// As in the model (E0499/E0502 there too): a value made with `cr` borrows it, so it cannot be
// passed to an ocaml! function together with `cr`; root it first (`let r = v.root(); f(cr, &r)`).
use ocaml_interop::*;

ocaml! {
    fn ocaml_len(s: String) -> OCamlInt;
}

fn f(cr: &mut OCamlRuntime) {
    let v: OCaml<String> = "abc".to_ocaml(cr);
    let _ = ocaml_len(cr, &v);
}

fn main() {}
