// BoxRoot::get gives an OCaml<'gc, T> tied to the runtime borrow, with the same rule.
use ocaml_interop::*;

fn f(cr: &mut OCamlRuntime) {
    let root: BoxRoot<String> = "a".to_boxroot(cr);
    let v = root.get(cr);
    let _other: OCaml<String> = "b".to_ocaml(cr);
    let _: String = v.to_rust();
}

fn main() {}
