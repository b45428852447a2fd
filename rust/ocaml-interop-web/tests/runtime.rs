//! `OCamlRuntime` in a page: `init` records that Rust acts as the host (a second call is an
//! error, as in the model), `with_domain_lock` hands out the runtime and frees what was written
//! for the calls made inside it, `releasing_runtime` runs its closure as it is.
// `ocaml!` functions take their arguments by reference, as in ocaml-interop's own tests
#![allow(clippy::needless_borrows_for_generic_args)]
use ocaml_interop::internal::arena;
use ocaml_interop::test_host;
use ocaml_interop::wire;
use ocaml_interop::{ocaml, OCaml, OCamlInt, OCamlRuntime, ToOCaml};

ocaml! {
    fn plus_one(n: OCamlInt) -> OCamlInt;
}

#[test]
fn init_once_then_err() {
    let guard = OCamlRuntime::init();
    assert!(guard.is_ok());
    assert_eq!(
        OCamlRuntime::init().err().as_deref(),
        Some("OCaml runtime already initialized")
    );
}

#[test]
fn with_domain_lock_gives_the_runtime_and_frees_the_calls_values() {
    test_host::register("plus_one", |args| wire::val_int(wire::int_val(args[0]) + 1));
    let before = arena::mark();
    let r = OCamlRuntime::with_domain_lock(|cr| {
        let s: OCaml<String> = "written in the arena".to_ocaml(cr);
        assert_eq!(s.as_str(), "written in the arena");
        assert_ne!(arena::mark(), before, "values were written");
        let n: i64 = plus_one(cr, &41i64).to_rust(cr);
        n
    });
    assert_eq!(r, 42);
    assert_eq!(arena::mark(), before, "with_domain_lock released what it wrote");
    // and it can be taken again
    assert_eq!(
        OCamlRuntime::with_domain_lock(|cr| plus_one(cr, &1i64).to_rust::<i64>(cr)),
        2
    );
}

#[test]
fn releasing_runtime_runs_the_closure() {
    let v = OCamlRuntime::with_domain_lock(|cr| cr.releasing_runtime(|| 7) + 1);
    assert_eq!(v, 8);
}
