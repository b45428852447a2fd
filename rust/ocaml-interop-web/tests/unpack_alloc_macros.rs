//! The 0.12 macros `ocaml_unpack_record!`, `ocaml_alloc_record!`, `ocaml_unpack_variant!`,
//! `ocaml_alloc_variant!`, `ocaml_unpack_polymorphic_variant!`,
//! `ocaml_alloc_polymorphic_variant!` and `ocaml_alloc_tagged_block!`, with the model's own
//! cases: the examples of their documentation (src/macros.rs of ocaml-interop 0.12, written as
//! they are there) and `rust_string_of_movement` / `rust_string_of_polymorphic_movement` of its
//! testing/ocaml-caller, with the OCaml values its OCaml side passes, built here by hand.
// `ocaml!` functions take their arguments by reference, as in ocaml-interop's own tests
#![allow(clippy::needless_borrows_for_generic_args)]
use ocaml_interop::internal::{alloc, arena, recover_runtime_handle_mut};
use ocaml_interop::test_host;
use ocaml_interop::wire::{self, mem};
use ocaml_interop::*;

fn cr() -> &'static mut OCamlRuntime {
    unsafe { recover_runtime_handle_mut() }
}

fn hash(tag: &str) -> u32 {
    wire::val_int(hash_variant(tag))
}

ocaml! {
    fn make_mystruct(unit: ()) -> MyStruct;
    fn make_ocaml_movement(unit: ()) -> Movement;
    fn make_ocaml_polymorphic_movement(unit: ()) -> Movement;
}

// ---- the documentation's examples ----------------------------------------------------------

#[derive(Debug, PartialEq)]
struct MyStruct {
    int_field: i64,
    string_field: String,
}

#[derive(Debug, PartialEq)]
enum Movement {
    StepLeft,
    StepRight,
    Rotate(f64),
}

#[test]
fn unpack_record_example() {
    test_host::register("make_mystruct", |_| {
        alloc::tuple(0, &[wire::val_int(42), alloc::string(b"blah")])
    });
    let cr = cr();
    let m = arena::mark();
    let ocaml_struct_root = make_mystruct(cr, &OCaml::unit());
    let ocaml_struct = cr.get(&ocaml_struct_root);
    let my_struct = ocaml_unpack_record! {
        //  value    => RustConstructor { field: OCamlType, ... }
        ocaml_struct => MyStruct {
            int_field: OCamlInt,
            string_field: String,
        }
    };
    assert_eq!(
        my_struct,
        MyStruct {
            int_field: 42,
            string_field: "blah".into()
        }
    );
    arena::release(m);
}

#[test]
fn alloc_record_example() {
    struct MyStruct {
        int_field: u8,
        string_field: String,
    }
    let cr = cr();
    let m = arena::mark();
    let ms = MyStruct {
        int_field: 132,
        string_field: "blah".to_owned(),
    };
    let ocaml_ms: OCaml<MyStruct> = ocaml_alloc_record! {
        //  value { field: OCamlType, ... }
        cr, ms {  // cr: &mut OCamlRuntime
            // optionally `=> expr` can be used to pre-process the field value
            // before the conversion into OCaml takes place.
            // Inside the expression, a variable with the same name as the field
            // is bound to a reference to the field value.
            int_field: OCamlInt => { *int_field as i64 },
            string_field: String,
        }
    };
    assert_eq!((ocaml_ms.tag_value(), ocaml_ms.size()), (0, 2));
    let (n, s): (i64, String) = unsafe {
        (
            ocaml_ms.field::<OCamlInt>(0).to_rust(),
            ocaml_ms.field::<String>(1).to_rust(),
        )
    };
    assert_eq!((n, s.as_str()), (132, "blah"));
    arena::release(m);
}

#[test]
fn unpack_variant_example() {
    test_host::register("make_ocaml_movement", |_| alloc::tuple(0, &[alloc::float(180.0)]));
    let cr = cr();
    let m = arena::mark();
    let ocaml_variant_root = make_ocaml_movement(cr, &OCaml::unit());
    let ocaml_variant = cr.get(&ocaml_variant_root);
    let result = ocaml_unpack_variant! {
        ocaml_variant => {
            // Alternative: StepLeft  => Movement::StepLeft
            //              <anyname> => <build-expr>
            Movement::StepLeft,
            Movement::StepRight,
            // Tag field names are mandatory
            Movement::Rotate(rotation: OCamlFloat),
        }
    }
    .unwrap();
    assert_eq!(result, Movement::Rotate(180.0));
    // the constant constructors are the immediates 0 and 1
    for (w, want) in [
        (wire::val_int(0), Movement::StepLeft),
        (wire::val_int(1), Movement::StepRight),
    ] {
        let v: OCaml<Movement> = unsafe { OCaml::from_raw_unchecked(w) };
        let r = ocaml_unpack_variant! { v => { Movement::StepLeft, Movement::StepRight, Movement::Rotate(rotation: OCamlFloat) } };
        assert_eq!(r, Ok(want));
    }
    arena::release(m);
}

#[test]
fn alloc_variant_example() {
    let cr = cr();
    let m = arena::mark();
    let movement = Movement::Rotate(180.0);
    let ocaml_movement: OCaml<Movement> = ocaml_alloc_variant! {
        cr, movement => {
            Movement::StepLeft,
            Movement::StepRight,
            // Tag field names are mandatory
            Movement::Rotate(rotation: OCamlFloat),
        }
    };
    assert_eq!((ocaml_movement.tag_value(), ocaml_movement.size()), (0, 1));
    assert_eq!(unsafe { ocaml_movement.field::<OCamlFloat>(0) }.to_f64(), 180.0);
    let movement = Movement::StepRight;
    let v: OCaml<Movement> = ocaml_alloc_variant! { cr, movement => { Movement::StepLeft, Movement::StepRight, Movement::Rotate(rotation: OCamlFloat) } };
    assert_eq!(unsafe { v.raw() }, wire::val_int(1));
    arena::release(m);
}

#[test]
fn unpack_polymorphic_variant_example() {
    test_host::register("make_ocaml_polymorphic_movement", |_| {
        alloc::tuple(0, &[hash("Rotate"), alloc::float(90.0)])
    });
    let cr = cr();
    let m = arena::mark();
    let ocaml_polymorphic_variant_root = make_ocaml_polymorphic_movement(cr, &OCaml::unit());
    let ocaml_polymorphic_variant = cr.get(&ocaml_polymorphic_variant_root);
    let result = ocaml_unpack_polymorphic_variant! {
        ocaml_polymorphic_variant => {
            StepLeft  => Movement::StepLeft,
            StepRight => Movement::StepRight,
            // Tag field names are mandatory
            Rotate(rotation: OCamlFloat)
                      => Movement::Rotate(rotation),
        }
    }
    .unwrap();
    assert_eq!(result, Movement::Rotate(90.0));
    arena::release(m);
}

#[test]
fn alloc_polymorphic_variant_example() {
    let cr = cr();
    let m = arena::mark();
    let movement = Movement::Rotate(180.0);
    let ocaml_movement: OCaml<Movement> = ocaml_alloc_polymorphic_variant! {
        cr, movement => {
            Movement::StepLeft,
            Movement::StepRight,
            // Tag field names are mandatory
            Movement::Rotate(rotation: OCamlFloat),
        }
    };
    let raw = unsafe { ocaml_movement.raw() };
    unsafe {
        assert_eq!((mem::tag(raw), mem::size(raw)), (0, 2));
        assert_eq!(mem::field(raw, 0), hash("Rotate"));
        assert_eq!(mem::read_f64(mem::field(raw, 1) + 8), 180.0);
    }
    let movement = Movement::StepLeft;
    let v: OCaml<Movement> = ocaml_alloc_polymorphic_variant! { cr, movement => { Movement::StepLeft, Movement::StepRight, Movement::Rotate(rotation: OCamlFloat) } };
    assert_eq!(unsafe { v.raw() }, hash("StepLeft"));
    arena::release(m);
}

// ---- testing/ocaml-caller of the model (0.12) -----------------------------------------------

enum MovementS {
    Step { count: i32 },
    RotateLeft,
    RotateRight,
}

enum PolymorphicMovement {
    Step { count: i32 },
    RotateLeft,
    RotateRight,
}

fn rust_string_of_movement<'a>(
    cr: &'a mut OCamlRuntime,
    movement: OCaml<'a, PolymorphicMovement>,
) -> OCaml<'a, String> {
    let movement_ocaml = cr.get(&movement);
    let pm = ocaml_unpack_variant! {
        movement_ocaml => {
            Step(count: OCamlInt) => { MovementS::Step {count} },
            RotateLeft => MovementS::RotateLeft,
            RotateRight => MovementS::RotateRight,
        }
    };
    let s = match pm {
        Err(_) => "Error unpacking".to_owned(),
        Ok(MovementS::Step { count }) => format!("Step({})", count),
        Ok(MovementS::RotateLeft) => "RotateLeft".to_owned(),
        Ok(MovementS::RotateRight) => "RotateRight".to_owned(),
    };
    s.to_ocaml(cr)
}

fn rust_string_of_polymorphic_movement<'a>(
    cr: &'a mut OCamlRuntime,
    polymorphic_movement: OCaml<'a, PolymorphicMovement>,
) -> OCaml<'a, String> {
    let polymorphic_movement_ocaml = cr.get(&polymorphic_movement);
    let pm = ocaml_unpack_polymorphic_variant! {
        polymorphic_movement_ocaml => {
            Step(count: OCamlInt) => { PolymorphicMovement::Step {count} },
            RotateLeft => PolymorphicMovement::RotateLeft,
            RotateRight => PolymorphicMovement::RotateRight,
        }
    };
    let s = match pm {
        Err(_) => "Error unpacking".to_owned(),
        Ok(PolymorphicMovement::Step { count }) => format!("`Step({})", count),
        Ok(PolymorphicMovement::RotateLeft) => "`RotateLeft".to_owned(),
        Ok(PolymorphicMovement::RotateRight) => "`RotateRight".to_owned(),
    };
    s.to_ocaml(cr)
}

fn strings(
    f: for<'a> fn(&'a mut OCamlRuntime, OCaml<'a, PolymorphicMovement>) -> OCaml<'a, String>,
    values: &[u32],
) -> Vec<String> {
    values
        .iter()
        .map(|w| f(cr(), unsafe { OCaml::from_raw_unchecked(*w) }).to_rust())
        .collect()
}

#[test]
fn the_models_interpret_movement_tests() {
    let m = arena::mark();
    // type movement = Step of int | Expand of (int * int) | RotateLeft | RotateRight | Unknown | UnkownBlock of int
    let values = [
        wire::val_int(0),
        alloc::tuple(0, &[wire::val_int(10)]),
        wire::val_int(2),
        alloc::tuple(2, &[wire::val_int(0)]),
    ];
    assert_eq!(
        strings(rust_string_of_movement, &values),
        ["RotateLeft", "Step(10)", "Error unpacking", "Error unpacking"]
    );
    let values = [
        hash("RotateLeft"),
        alloc::tuple(0, &[hash("Step"), wire::val_int(10)]),
        hash("Unknown"),
        alloc::tuple(0, &[hash("UnkownBlock"), wire::val_int(0)]),
    ];
    assert_eq!(
        strings(rust_string_of_polymorphic_movement, &values),
        ["`RotateLeft", "`Step(10)", "Error unpacking", "Error unpacking"]
    );
    arena::release(m);
}

#[test]
fn the_error_strings_are_the_models() {
    let m = arena::mark();
    let v: OCaml<()> = unsafe { OCaml::from_raw_unchecked(wire::val_int(5)) };
    let r: Result<MovementS, &str> = ocaml_unpack_variant! { v => { MovementS::RotateLeft } };
    assert_eq!(
        r.err(),
        Some("Invalid tag value found when converting from an OCaml variant")
    );
    let r: Result<MovementS, &str> = ocaml_unpack_polymorphic_variant! { v => { RotateLeft => MovementS::RotateLeft } };
    assert_eq!(
        r.err(),
        Some("Invalid tag value found when converting from an OCaml polymorphic variant")
    );
    arena::release(m);
}

// ---- the other forms: braces, several arguments, tuple structs, tagged blocks, flat floats -----

#[derive(Debug, PartialEq)]
enum Shape {
    Empty,
    Rect { w: f64, h: f64 },
}

#[derive(Debug, PartialEq)]
enum Poly {
    Unit,
    Single(f64),
    Multiple(i64, String),
}

#[test]
fn braces_several_arguments_tuples_and_tagged_blocks() {
    let cr = cr();
    let m = arena::mark();
    // Rect { w; h } is a block tagged 0 with its fields in order
    let v: OCaml<Shape> =
        unsafe { OCaml::from_raw_unchecked(alloc::tuple(0, &[alloc::float(2.0), alloc::float(3.0)])) };
    let r = ocaml_unpack_variant! { v => { Shape::Empty, Shape::Rect { w: OCamlFloat, h: OCamlFloat } } };
    assert_eq!(r, Ok(Shape::Rect { w: 2.0, h: 3.0 }));
    // `Multiple of (int * string)`: the arguments are a tuple in field 1, both ways
    let p = Poly::Multiple(10, "text".into());
    let v: OCaml<Poly> = ocaml_alloc_polymorphic_variant! { cr, p => { Poly::Unit, Poly::Single(x: OCamlFloat), Poly::Multiple(i: OCamlInt, s: String) } };
    let r = ocaml_unpack_polymorphic_variant! { v => {
        Unit => Poly::Unit,
        Single(x: OCamlFloat) => Poly::Single(x),
        Multiple(i: OCamlInt, s: String) => Poly::Multiple(i, s),
    } };
    assert_eq!(r, Ok(Poly::Multiple(10, "text".into())));
    // a tuple struct
    struct Pair(i64, String);
    let t: OCaml<(OCamlInt, String)> = (7i64, "seven").to_ocaml(cr);
    let Pair(a, b) = ocaml_unpack_record! { t => Pair ( a: OCamlInt, b: String ) };
    assert_eq!((a, b.as_str()), (7, "seven"));
    // a tagged block of the variables in scope
    let (x, label) = (1.5f64, String::from("l"));
    let b: OCaml<()> = ocaml_alloc_tagged_block!(cr, 3, x: OCamlFloat, label: String);
    assert_eq!((b.tag_value(), b.size()), (3, 2));
    // all-float records are flat, as OCaml stores them
    struct P {
        x: f64,
        y: f64,
    }
    let p = P { x: 1.0, y: -2.0 };
    let v: OCaml<P> = ocaml_alloc_record! { cr, p { x: OCamlFloat, y: OCamlFloat } };
    assert_eq!(v.tag_value(), 254);
    let back = ocaml_unpack_record! { v => P { x: OCamlFloat, y: OCamlFloat } };
    assert_eq!((back.x, back.y), (1.0, -2.0));
    arena::release(m);
}
