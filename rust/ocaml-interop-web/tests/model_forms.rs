//! The argument forms the model accepts (ocaml-interop 0.12 and its main branch), each compiled
//! and run here: `ocaml!` functions and `try_call` take owned values, `&str`, `()`, `OCaml<T>`,
//! and every reference form of 0.12 (`&root`, `OCamlRef`, `&value`, `&OCaml::unit()`,
//! `x.as_ref()`); `OCaml<T>` is `ToOCaml<T>` and derefs to `OCamlCell<T>` (`cr.get(&value)`).
//! The cases follow testing/rust-caller/src/lib.rs of the model (both versions).
// `ocaml!` functions take their arguments by reference, as in ocaml-interop's own tests
#![allow(clippy::needless_borrows_for_generic_args)]
use ocaml_interop::internal::{alloc, arena, recover_runtime_handle_mut};
use ocaml_interop::test_host;
use ocaml_interop::wire::{self, mem, RawOCaml};
use ocaml_interop::*;

fn cr() -> &'static mut OCamlRuntime {
    unsafe { recover_runtime_handle_mut() }
}

mod ocaml {
    use ocaml_interop::*;
    ocaml! {
        pub fn twice(num: OCamlInt) -> OCamlInt;
        pub fn make_tuple(fst: String, snd: OCamlInt) -> (String, OCamlInt);
        pub fn make_some(value: String) -> Option<String>;
        pub fn gc_compact(unit: ());
        pub fn sum_list(l: OCamlList<OCamlInt>) -> OCamlInt;
        pub fn add4(a: OCamlInt, b: OCamlInt, c: OCamlInt, d: OCamlInt) -> OCamlInt;
        pub fn record_len(r: super::Rec) -> OCamlInt;
    }
}

#[derive(ToOCaml)]
pub struct Rec {
    s: String,
    #[ocaml(as_ = "OCamlInt")]
    n: i64,
}

fn int(w: RawOCaml) -> i32 {
    assert!(wire::is_immediate(w), "expected an int, got {w:#x}");
    wire::int_val(w)
}

fn setup() {
    test_host::register("twice", |a| wire::val_int(2 * int(a[0])));
    test_host::register("make_tuple", |a| alloc::tuple(0, &[a[0], a[1]]));
    test_host::register("make_some", |a| alloc::tuple(0, &[a[0]]));
    test_host::register("gc_compact", |a| {
        assert_eq!(a[0], wire::UNIT);
        wire::UNIT
    });
    test_host::register("sum_list", |a| {
        let (mut cur, mut n) = (a[0], 0);
        while wire::is_block(cur) {
            unsafe {
                n += int(mem::field(cur, 0));
                cur = mem::field(cur, 1);
            }
        }
        wire::val_int(n)
    });
    test_host::register("add4", |a| wire::val_int(a.iter().map(|w| int(*w)).sum()));
    test_host::register("record_len", |a| unsafe {
        wire::val_int(mem::bytes(mem::field(a[0], 0)).len() as i32 + int(mem::field(a[0], 1)))
    });
}

fn twice_of(r: BoxRoot<OCamlInt>) -> i64 {
    r.to_rust(cr())
}

/// An export's argument, as `#[export]` hands it to the body.
fn arg<'gc, T>(raw: RawOCaml) -> OCaml<'gc, T> {
    unsafe { ocaml_interop::internal::arg(raw) }
}

#[test]
fn owned_values_as_on_the_models_main_branch() {
    setup();
    let m = arena::mark();
    assert_eq!(twice_of(ocaml::twice(cr(), 21)), 42);
    assert_eq!(twice_of(ocaml::twice(cr(), 21i64)), 42);
    assert_eq!(twice_of(ocaml::twice(cr(), 21i32)), 42);
    let t = ocaml::make_tuple(cr(), "hello", 123);
    assert_eq!(t.to_rust::<(String, i64)>(cr()), ("hello".to_string(), 123));
    let s = String::from("owned");
    let t = ocaml::make_tuple(cr(), s, 654);
    assert_eq!(t.to_rust::<(String, i64)>(cr()), ("owned".to_string(), 654));
    let (fst, snd) = (String::from("borrowed"), 7i64);
    let t = ocaml::make_tuple(cr(), &fst, snd);
    assert_eq!(t.to_rust::<(String, i64)>(cr()), ("borrowed".to_string(), 7));
    assert_eq!(
        ocaml::make_some(cr(), "option_test").to_rust::<Option<String>>(cr()),
        Some("option_test".into())
    );
    ocaml::gc_compact(cr(), ());
    ocaml::gc_compact(cr(), &());
    ocaml::gc_compact(cr(), OCaml::unit());
    let v = vec![1i64, 2, 3];
    assert_eq!(twice_of(ocaml::sum_list(cr(), &v)), 6);
    assert_eq!(twice_of(ocaml::sum_list(cr(), v)), 6);
    assert_eq!(twice_of(ocaml::record_len(cr(), Rec { s: "abc".into(), n: 10 })), 13);
    assert_eq!(twice_of(ocaml::add4(cr(), 1, 2, 3, 4)), 10);
    arena::release(m);
}

#[test]
fn the_reference_forms_of_0_12() {
    setup();
    let m = arena::mark();
    let n: BoxRoot<OCamlInt> = 5i64.to_boxroot(cr());
    assert_eq!(twice_of(ocaml::twice(cr(), &n)), 10);
    assert_eq!(twice_of(ocaml::twice(cr(), &*n)), 10);
    let r: OCamlRef<OCamlInt> = &n;
    assert_eq!(twice_of(ocaml::twice(cr(), r)), 10);
    // ambiguous (E0283) on the model's main branch, accepted by 0.12 and here
    assert_eq!(twice_of(ocaml::twice(cr(), &r)), 10);
    ocaml::gc_compact(cr(), &OCaml::unit());
    ocaml::gc_compact(cr(), OCaml::unit().as_ref());
    assert_eq!(twice_of(ocaml::twice(cr(), &unsafe { OCaml::of_i64_unchecked(4) })), 8);
    assert_eq!(twice_of(ocaml::twice(cr(), &OCaml::of_i64(4).unwrap())), 8);
    // four or more arguments: OCamlRef forms, as the model's general arm requires
    let (a, b) = (1i64.to_boxroot(cr()), 2i64.to_boxroot(cr()));
    let ar: OCamlRef<OCamlInt> = &a;
    assert_eq!(twice_of(ocaml::add4(cr(), &a, &b, &*a, ar)), 5);
    arena::release(m);
}

/// An export's body: its `OCaml<T>` arguments go to `ocaml!` functions as `&value` (0.12),
/// `value` (main), `value.as_ref()`, and to `cr.get(&value)` (0.12's `Deref` to `OCamlCell`).
fn export_body(cr: &mut OCamlRuntime, num: OCaml<OCamlInt>, s: OCaml<String>) -> String {
    let a: i64 = ocaml::twice(cr, &num).to_rust(cr);
    let b: i64 = ocaml::twice(cr, num).to_rust(cr);
    let c: i64 = ocaml::twice(cr, num.as_ref()).to_rust(cr);
    let t: (String, i64) = ocaml::make_tuple(cr, &s, &num).to_rust(cr);
    let got: OCaml<String> = cr.get(&s);
    let cell: OCamlRef<String> = &s;
    let via_cell: String = cell.to_rust(cr);
    format!("{a} {b} {c} {t:?} {} {via_cell}", got.as_str())
}

#[test]
fn ocaml_values_are_to_ocaml_and_deref_to_ocaml_cell() {
    setup();
    let m = arena::mark();
    let (n, s) = (wire::val_int(3), alloc::string(b"x"));
    assert_eq!(export_body(cr(), arg(n), arg(s)), r#"6 6 6 ("x", 3) x x"#);
    // ToOCaml<T> for OCaml<T>: the same word, no copy
    let v: OCaml<String> = arg(s);
    assert_eq!(unsafe { ToOCaml::<String>::to_ocaml(&v, cr()).raw() }, s);
    let root = ToOCaml::<String>::to_boxroot(&v, cr());
    assert_eq!(root.to_rust::<String>(cr()), "x");
    arena::release(m);
}

#[test]
fn try_call_takes_the_same_forms() {
    let m = arena::mark();
    let raw = test_host::closure(|a| wire::val_int(int(a[0]) + 1));
    let f: BoxRoot<fn(OCamlInt) -> OCamlInt> =
        OCaml::<fn(OCamlInt) -> OCamlInt>::root(unsafe { OCaml::from_raw_unchecked(raw) });
    assert_eq!(f.try_call(cr(), &0i64).ok().unwrap().to_i64(), 1); // the 0.12 test
    assert_eq!(f.try_call(cr(), 1).ok().unwrap().to_i64(), 2);
    let n = 5i64.to_boxroot(cr());
    assert_eq!(f.try_call(cr(), &n).ok().unwrap().to_i64(), 6);
    assert_eq!(f.try_call(cr(), OCaml::of_i64(9).unwrap()).ok().unwrap().to_i64(), 10);
    // alloc_ok / alloc_error / cons: references (0.12) and values
    let ok: OCaml<Result<OCamlInt, String>> = alloc_ok(cr(), &n);
    assert_eq!(ok.to_rust::<Result<i64, String>>(), Ok(5));
    let err: OCaml<Result<OCamlInt, String>> = alloc_error(cr(), "bad");
    assert_eq!(err.to_rust::<Result<i64, String>>(), Err("bad".into()));
    let nil: BoxRoot<OCamlList<OCamlInt>> = OCaml::nil(cr()).root();
    let l = cons(cr(), 1i64, &nil);
    assert_eq!(l.to_rust::<Vec<i64>>(), vec![1]);
    arena::release(m);
}

#[test]
fn the_models_smaller_accessors() {
    let m = arena::mark();
    let none: OCaml<Option<OCamlInt>> = OCaml::none();
    assert!(none.is_none() && !none.is_some() && none.to_option().is_none());
    let some: OCaml<Option<OCamlInt>> = Some(3i64).to_ocaml(cr());
    assert_eq!(some.to_option().map(|v| v.to_i64()), Some(3));
    let b: OCaml<OCamlBytes> = "bytes".to_ocaml(cr());
    assert_eq!(b.as_str(), "bytes");
    match OCaml::<OCamlInt>::of_i64(1 << 40) {
        Err(OCamlFixnumConversionError::InputTooBig(n)) => assert_eq!(n, 1 << 40),
        _ => panic!("expected InputTooBig"),
    }
    assert!(matches!(
        OCaml::<OCamlInt>::of_i64(-(1 << 40)),
        Err(OCamlFixnumConversionError::InputTooSmall(_))
    ));
    arena::release(m);
}
