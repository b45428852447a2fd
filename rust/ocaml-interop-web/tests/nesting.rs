//! The nesting limit of the wire format (`wire::MAX_NESTING`) in Rust's conversions: a value
//! nested up to the limit converts both ways; one level more fails the call with a pending
//! error naming the function and the limit, without descending further (no stack overflow,
//! whatever the depth).
use ocaml_interop::internal::{arena, take_error};
use ocaml_interop::wire::{self, MAX_NESTING};
use ocaml_interop::{ErrorKind, FromOCaml, OCaml, OCamlDescriber, OCamlInt, OCamlList, OCamlRuntime, ToOCaml};

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, PartialEq)]
pub enum Nest {
    Leaf,
    Node(Box<Nest>, #[ocaml(as_ = "OCamlInt")] i64),
}

// dropped iteratively (a deep Box chain would overflow the test's stack on drop)
impl Drop for Nest {
    fn drop(&mut self) {
        let mut next = match self {
            Nest::Node(inner, _) => std::mem::replace(&mut **inner, Nest::Leaf),
            Nest::Leaf => return,
        };
        while let Nest::Node(inner, _) = &mut next {
            let following = std::mem::replace(&mut **inner, Nest::Leaf);
            next = following;
        }
    }
}

fn nest(depth: u32) -> Nest {
    (0..depth).fold(Nest::Leaf, |n, i| Nest::Node(Box::new(n), i as i64))
}

fn depth_of(n: &Nest) -> u32 {
    let (mut d, mut cur) = (0, n);
    while let Nest::Node(inner, _) = cur {
        d += 1;
        cur = inner;
    }
    d
}

#[ocaml_interop::export]
pub fn nest_make(cr: &mut OCamlRuntime, depth: OCaml<OCamlInt>) -> OCaml<Nest> {
    nest(depth.to_i64() as u32).to_ocaml(cr)
}

#[ocaml_interop::export]
pub fn nests_in_options(cr: &mut OCamlRuntime, depth: OCaml<OCamlInt>) -> OCaml<OCamlList<Option<Nest>>> {
    // every level counts: the list, the Some, then the nest's nodes
    vec![Some(nest(depth.to_i64() as u32))].to_ocaml(cr)
}

fn cr() -> &'static mut OCamlRuntime {
    unsafe { ocaml_interop::internal::recover_runtime_handle_mut() }
}

#[test]
fn a_value_at_the_limit_crosses_both_ways() {
    let m = arena::mark();
    let r = __oiw_export_nest_make(wire::val_int(MAX_NESTING as i32));
    assert!(take_error().is_none());
    let back = Nest::from_ocaml(unsafe { OCaml::<Nest>::from_raw_unchecked(r) });
    assert_eq!(depth_of(&back), MAX_NESTING);
    arena::release(m);
}

#[test]
fn one_level_more_fails_the_call_naming_the_function_and_the_limit() {
    for depth in [MAX_NESTING + 1, 100_000] {
        let m = arena::mark();
        let r = __oiw_export_nest_make(wire::val_int(depth as i32));
        assert_eq!(r, wire::ERROR_SENTINEL);
        let (kind, msg) = take_error().expect("an error in the slot");
        assert_eq!(kind, ErrorKind::Failure);
        assert_eq!(
            msg,
            "nest_make: the value is nested deeper than 1000 levels (the nesting limit of the wire format)"
        );
        arena::release(m);
    }
    // the count is back to zero: the next call converts a value at the limit
    let m = arena::mark();
    __oiw_export_nest_make(wire::val_int(MAX_NESTING as i32));
    assert!(take_error().is_none());
    arena::release(m);
}

#[test]
fn lists_and_options_are_levels_too() {
    let m = arena::mark();
    // list + Some + (limit - 2) nodes: at the limit
    __oiw_export_nests_in_options(wire::val_int(MAX_NESTING as i32 - 2));
    assert!(take_error().is_none());
    let r = __oiw_export_nests_in_options(wire::val_int(MAX_NESTING as i32 - 1));
    assert_eq!(r, wire::ERROR_SENTINEL);
    assert!(take_error()
        .unwrap()
        .1
        .starts_with("nests_in_options: the value is nested deeper than 1000 levels"));
    // a long list is one level, however long
    let long: Vec<i64> = (0..200_000).collect();
    let v: OCaml<OCamlList<OCamlInt>> = long.to_ocaml(cr());
    assert_eq!(Vec::<i64>::from_ocaml(v).len(), 200_000);
    assert!(take_error().is_none());
    arena::release(m);
}
