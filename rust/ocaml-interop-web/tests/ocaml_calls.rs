//! `ocaml!`: calls into functions OCaml registered (here a stand-in host plays OCaml).
// `ocaml!` functions take their arguments by reference, as in ocaml-interop's own tests
#![allow(clippy::needless_borrows_for_generic_args)]
use ocaml_interop::internal::{arena, call_mark, try_call_named, NamedFunction};
use ocaml_interop::test_host;
use ocaml_interop::wire::{self, mem, RawOCaml, ERROR_SENTINEL};
use ocaml_interop::{ocaml, BoxRoot, ErrorKind, OCamlInt, OCamlRuntime, ToOCaml};

ocaml! {
    fn add(a: OCamlInt, b: OCamlInt) -> OCamlInt;
    pub fn shout(s: String) -> String;
    fn side_effect(n: OCamlInt);
}

fn cr() -> &'static mut OCamlRuntime {
    unsafe { ocaml_interop::internal::recover_runtime_handle_mut() }
}

fn setup() {
    test_host::register("add", |args| {
        wire::val_int(wire::int_val(args[0]) + wire::int_val(args[1]))
    });
    test_host::register("shout", |args| {
        let s = unsafe { mem::bytes(args[0]) }.to_ascii_uppercase();
        ocaml_interop::internal::alloc::string(&s)
    });
    test_host::register("side_effect", |_| wire::UNIT);
    test_host::register("raises", |_| {
        ocaml_interop::internal::take_error();
        // what the OCaml dispatcher does when the function raises
        let m = "Not_found";
        let p = ocaml_interop::wire::ERROR_SENTINEL;
        set_slot(ErrorKind::OCamlException, m);
        p
    });
    test_host::register("raises_value", |_| {
        ocaml_interop::internal::take_error();
        // what the OCaml dispatcher does when the exception encodes: its value, no text
        use ocaml_interop::internal::alloc;
        let ctor = alloc::tuple(wire::tag::OBJECT, &[alloc::string(b"Stdlib.Exit"), wire::val_int(-2)]);
        extern "C" {
            fn oiw_error_slot() -> u32;
        }
        unsafe {
            let slot = oiw_error_slot() as usize as *mut u32;
            *slot = ErrorKind::OCamlException as u32;
            *slot.add(1) = 0;
            *slot.add(2) = 0;
            *slot.add(3) = ctor;
        }
        ERROR_SENTINEL
    });
}

fn set_slot(kind: ErrorKind, msg: &str) {
    // the host-side way of writing the slot (oiw_error_reserve / oiw_error_commit)
    extern "C" {
        fn oiw_error_reserve(len: u32) -> u32;
        fn oiw_error_commit(kind: u32, len: u32);
    }
    unsafe {
        let p = oiw_error_reserve(msg.len() as u32);
        std::ptr::copy_nonoverlapping(msg.as_ptr(), p as usize as *mut u8, msg.len());
        oiw_error_commit(kind as u32, msg.len() as u32);
    }
}

#[test]
fn arguments_may_be_roots_or_plain_rust_values() {
    setup();
    let a: BoxRoot<OCamlInt> = 20i64.to_boxroot(cr());
    let r: BoxRoot<OCamlInt> = add(cr(), &a, &22i64);
    assert_eq!(r.to_rust::<i64>(cr()), 42);
    let s: BoxRoot<String> = shout(cr(), &"hi");
    assert_eq!(s.to_rust::<String>(cr()), "HI");
    let r: BoxRoot<()> = side_effect(cr(), &1i64);
    r.to_rust::<()>(cr());
}

#[test]
fn a_call_leaves_the_arena_where_it_found_it() {
    setup();
    let m = arena::mark();
    // (a call made with the arena empty takes a chunk for its mark, and leaves it for the next
    // call: see arena::mark_in_chunk; the enclosing frame's release hands it back)
    let s: BoxRoot<String> = shout(cr(), &"call");
    assert_eq!(s.to_rust::<String>(cr()), "CALL");
    let after_one = arena::mark();
    let held = arena::held_bytes();
    for i in 0..1000i64 {
        let s: BoxRoot<String> = shout(cr(), &format!("call {i}"));
        assert_eq!(s.to_rust::<String>(cr()), format!("CALL {i}"));
        assert_eq!(arena::mark(), after_one, "call {i} released what it allocated");
    }
    assert_eq!(arena::held_bytes(), held, "1,000 calls held no more than one");
    arena::release(m);
    assert_eq!(arena::mark(), m);
}

#[test]
fn a_name_ocaml_never_registered_is_an_error_naming_it() {
    setup();
    static F: NamedFunction = NamedFunction::new("never_registered");
    let m = call_mark();
    let err = try_call_named::<OCamlInt>(cr(), &F, m, &[wire::val_int(1)])
        .err()
        .unwrap();
    assert_eq!(err.0, ErrorKind::Failure);
    assert!(
        err.1.contains("OCaml function 'never_registered' is not registered"),
        "{}",
        err.1
    );
    // registering it later works (a failed lookup is not cached)
    test_host::register("never_registered", |a: &[RawOCaml]| a[0]);
    let m = call_mark();
    let ok = try_call_named::<OCamlInt>(cr(), &F, m, &[wire::val_int(7)])
        .ok()
        .unwrap();
    assert_eq!(ok.to_rust::<i64>(cr()), 7);
}

#[test]
fn an_ocaml_exception_comes_back_as_err_from_the_try_form() {
    setup();
    static F: NamedFunction = NamedFunction::new("raises");
    let m = call_mark();
    let err = try_call_named::<()>(cr(), &F, m, &[wire::UNIT]).err().unwrap();
    assert_eq!(err, (ErrorKind::OCamlException, "Not_found".to_string()));
    assert_ne!(ERROR_SENTINEL, wire::UNIT);
}

#[test]
fn an_ocaml_exception_given_as_its_value_alone_comes_back_with_its_name_as_text() {
    setup();
    static F: NamedFunction = NamedFunction::new("raises_value");
    let err = try_call_named::<()>(cr(), &F, call_mark(), &[wire::UNIT])
        .err()
        .unwrap();
    assert_eq!(err, (ErrorKind::OCamlException, "Stdlib.Exit".to_string()));
    assert_eq!(ocaml_interop::internal::take_error(), None, "the slot was cleared");
    // the try_ form of ocaml! gives the value itself
    ocaml! {
        fn raises_value(u: ());
    }
    let m = arena::mark();
    let e = try_raises_value(cr(), &())
        .err()
        .unwrap_or_else(|| panic!("raises_value returned"));
    assert_eq!(e.name().as_deref(), Some("Stdlib.Exit"));
    assert_eq!(e.message(), None);
    arena::release(m);
}

#[test]
fn an_argument_that_does_not_fit_is_reported_before_calling() {
    setup();
    static F: NamedFunction = NamedFunction::new("add");
    let m = call_mark();
    let big = ToOCaml::<OCamlInt>::to_ocaml(&(1i64 << 35), cr());
    let err = try_call_named::<OCamlInt>(cr(), &F, m, &[unsafe { big.raw() }, wire::val_int(1)])
        .err()
        .unwrap();
    assert_eq!(err.0, ErrorKind::InvalidArgument);
    assert!(err.1.starts_with("add: integer 34359738368 does not fit"), "{}", err.1);
}

#[test]
fn an_argument_error_with_the_id_cached_fails_that_call_only() {
    setup();
    static F: NamedFunction = NamedFunction::new("add");
    let call =
        |args: &[RawOCaml]| try_call_named::<OCamlInt>(cr(), &F, call_mark(), args).map(|r| r.to_rust::<i64>(cr()));
    // the first call looks the id up; the next ones take the cached id
    assert_eq!(call(&[wire::val_int(1), wire::val_int(2)]), Ok(3));
    let big = ToOCaml::<OCamlInt>::to_ocaml(&(1i64 << 40), cr());
    let err = call(&[unsafe { big.raw() }, wire::val_int(1)]).err().unwrap();
    assert_eq!(err.0, ErrorKind::InvalidArgument);
    assert!(
        err.1.starts_with("add: integer 1099511627776 does not fit"),
        "{}",
        err.1
    );
    // the error was that call's: the next one runs
    assert_eq!(call(&[wire::val_int(40), wire::val_int(2)]), Ok(42));
}

/// The model's panic text for an OCaml exception in an `ocaml!` call (its
/// testing/rust-caller asserts these three), and the nested case passed on as it is.
#[test]
fn the_panic_text_of_an_exception_is_the_models() {
    use ocaml_interop::internal::{alloc, exception_panic_text};
    use ocaml_interop::OCamlException;
    let m = arena::mark();
    let ctor = |name: &str| alloc::tuple(wire::tag::OBJECT, &[alloc::string(name.as_bytes()), wire::val_int(-7)]);
    let exn = |w: RawOCaml| Some(unsafe { ocaml_interop::OCaml::<OCamlException>::from_raw_unchecked(w) });
    let failure = |msg: &str| alloc::tuple(0, &[ctor("Failure"), alloc::string(msg.as_bytes())]);
    assert_eq!(
        exception_panic_text(exn(failure("my-error-message"))),
        "OCaml exception, message: Some(\"my-error-message\")"
    );
    // exception WithInt of int: raise (WithInt 10)
    let with_int = alloc::tuple(0, &[ctor("WithInt"), wire::val_int(10)]);
    assert_eq!(exception_panic_text(exn(with_int)), "OCaml exception, message: None");
    // Not_found: the constructor itself
    assert_eq!(
        exception_panic_text(exn(ctor("Not_found"))),
        "OCaml exception, message: None"
    );
    // {:?} escapes, as the model's
    assert_eq!(
        exception_panic_text(exn(failure("a \"b\" \\ c\n"))),
        r#"OCaml exception, message: Some("a \"b\" \\ c\n")"#
    );
    // a value that could not cross
    assert_eq!(exception_panic_text(None), "OCaml exception, message: None");
    // nested: the text of a deeper panic, raised again as Failure, is passed on unchanged
    let inner = exception_panic_text(exn(failure("bottom \"x\"")));
    let mut text = inner.clone();
    for _ in 0..100 {
        text = exception_panic_text(exn(failure(&text)));
    }
    assert_eq!(text, inner);
    arena::release(m);
}
