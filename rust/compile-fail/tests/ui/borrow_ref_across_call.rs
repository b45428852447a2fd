// OCamlRef<T> borrows its root: the root cannot be dropped while the reference lives.
use ocaml_interop::*;

fn f(cr: &mut OCamlRuntime) {
    let root: BoxRoot<String> = "a".to_boxroot(cr);
    let r: OCamlRef<String> = &root;
    drop(root);
    let _: String = r.to_rust(cr);
}

fn main() {}
