//! ToOCaml / FromOCaml and the raw view, on wasm32 (where `isize` is 32-bit, as in a page).
use ocaml_interop::internal::{arena, recover_runtime_handle_mut};
use ocaml_interop::{BoxRoot, OCaml, OCamlBytes, OCamlFloat, OCamlInt, OCamlRuntime, ToOCaml};

fn cr() -> &'static mut OCamlRuntime {
    unsafe { recover_runtime_handle_mut() }
}

#[test]
fn ints_round_trip_across_the_whole_31_bit_range() {
    for n in [0i64, 1, -1, 42, 1 << 29, -(1 << 29), (1 << 30) - 1, -(1 << 30)] {
        let v: OCaml<OCamlInt> = n.to_ocaml(cr());
        assert_eq!(v.to_rust::<i64>(), n);
        assert_eq!(v.to_i64(), n);
        assert!(v.is_long() && !v.is_block());
    }
    assert!(ocaml_interop::internal::take_error().is_none());
}

#[test]
fn an_int_outside_31_bits_is_an_error_never_a_wrapped_value() {
    assert!(OCaml::<OCamlInt>::of_i64(1 << 30).is_err());
    assert!(OCaml::<OCamlInt>::of_i64(-(1 << 30) - 1).is_err());
    let err = OCaml::<OCamlInt>::of_i64(1 << 40).err().unwrap();
    assert!(
        err.to_string().contains("1099511627776 does not fit OCaml's int"),
        "{err}"
    );
    assert_eq!(OCaml::<OCamlInt>::of_i64(-5).unwrap().to_i64(), -5);
}

#[test]
fn bools_floats_and_unit() {
    assert!(true.to_ocaml(cr()).to_rust::<bool>());
    assert!(!false.to_ocaml(cr()).to_bool());
    for x in [0.0f64, -0.0, 1.5, f64::MAX, f64::MIN_POSITIVE, f64::INFINITY] {
        let v: OCaml<OCamlFloat> = x.to_ocaml(cr());
        assert_eq!(v.to_rust::<f64>().to_bits(), x.to_bits());
        assert_eq!(v.tag_value(), 253);
    }
    let nan: OCaml<OCamlFloat> = f64::NAN.to_ocaml(cr());
    assert!(nan.to_f64().is_nan());
    ().to_ocaml(cr()).to_rust::<()>();
}

#[test]
fn strings_follow_the_models_utf8_rules() {
    let s: OCaml<String> = "héllo".to_ocaml(cr());
    assert_eq!(s.as_str(), "héllo");
    assert_eq!(s.as_bytes(), "héllo".as_bytes());
    assert_eq!(s.to_rust::<String>(), "héllo");
    assert_eq!(s.tag_value(), 252);
    assert_eq!(s.size(), 6);

    // invalid UTF-8: lossy String, failing try_as_str (as_str panics, as in the model)
    let bad: OCaml<String> = [0x61u8, 0xff, 0x62][..].to_ocaml(cr());
    assert_eq!(bad.to_rust::<String>(), "a\u{FFFD}b");
    assert!(bad.try_as_str().is_err());
    assert_eq!(bad.to_rust::<Vec<u8>>(), vec![0x61, 0xff, 0x62]);
    assert_eq!(unsafe { bad.as_str_unchecked() }.len(), 3);
}

#[test]
fn bytes_and_options() {
    let b: OCaml<OCamlBytes> = vec![0u8, 1, 255].to_ocaml(cr());
    assert_eq!(b.to_rust::<Vec<u8>>(), vec![0, 1, 255]);
    assert_eq!(b.to_rust::<Box<[u8]>>().len(), 3);
    let some: OCaml<Option<String>> = Some("x").to_ocaml(cr());
    assert_eq!(some.to_rust::<Option<String>>(), Some("x".to_string()));
    let none: OCaml<Option<String>> = None::<&str>.to_ocaml(cr());
    assert_eq!(none.to_rust::<Option<String>>(), None);
}

#[test]
fn a_root_outlives_the_arena_frame_it_was_made_in() {
    let m = arena::mark();
    let v: OCaml<Option<String>> = Some("kept").to_ocaml(cr());
    let root: BoxRoot<Option<String>> = v.root();
    // overwrite the arena where `v` was
    arena::release(m);
    let _junk: OCaml<String> = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".to_ocaml(cr());
    assert_eq!(root.to_rust::<Option<String>>(cr()), Some("kept".to_string()));
    assert!(root.held_bytes() >= 32);
    let mut root = root;
    let w: OCaml<Option<String>> = Some("again").to_ocaml(cr());
    root.keep(w);
    assert_eq!(root.get(cr()).to_rust::<Option<String>>(), Some("again".to_string()));
    arena::release(m);
}

#[test]
fn the_arena_returns_to_its_mark() {
    let m = arena::mark();
    for _ in 0..1000 {
        let _: OCaml<String> = "some text".repeat(100).to_ocaml(cr());
    }
    arena::release(m);
    assert_eq!(arena::mark(), m);
    let held = ocaml_interop::arena_held_bytes();
    for _ in 0..10 {
        let m = arena::mark();
        let _: OCaml<String> = vec![b'x'; 1 << 20].to_ocaml(cr());
        arena::release(m);
    }
    // one spare chunk may be kept for reuse; nothing grows per call
    assert!(
        ocaml_interop::arena_held_bytes() <= held + (4 << 20),
        "arena keeps growing"
    );
}
