//! `#[derive(ToOCaml, FromOCaml, OCamlDescriber)]`: records, flat float records, tuples,
//! variants (constant, tuple and inline-record constructors), polymorphic variants, recursion.
use ocaml_interop::internal::{arena, recover_runtime_handle_mut};
use ocaml_interop::wire::{self, mem};
use ocaml_interop::{
    describe::describe, FromOCaml, OCaml, OCamlDescriber, OCamlFloat, OCamlInt, OCamlRuntime, ToOCaml,
};

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, PartialEq, Clone)]
struct Person {
    name: String,
    #[ocaml(as_ = "OCamlInt")]
    age: i64,
    #[ocaml(as_ = "OCamlInt")]
    score: i32,
    tags: Vec<String>,
    nickname: Option<String>,
}

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, PartialEq, Clone, Copy)]
struct Point {
    x: f64,
    y: f64,
}

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, PartialEq)]
struct Pair(#[ocaml(as_ = "OCamlInt")] i64, String);

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, PartialEq)]
#[ocaml(name = "shape")]
enum Shape {
    Empty,
    Circle(Point, f64),
    Rect { w: f64, h: f64 },
    Unknown,
    Label(String),
}

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, PartialEq)]
#[ocaml(polymorphic_variant)]
enum Move {
    StepLeft,
    #[ocaml(tag = "rotate")]
    Rotate(f64),
    Jump(#[ocaml(as_ = "OCamlInt")] i64, #[ocaml(as_ = "OCamlInt")] i64),
}

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, PartialEq)]
enum Tree {
    Leaf,
    Node(Box<Tree>, #[ocaml(as_ = "OCamlInt")] i64, Box<Tree>),
}

fn cr() -> &'static mut OCamlRuntime {
    unsafe { recover_runtime_handle_mut() }
}

fn round_trip<T: ToOCaml<T> + FromOCaml<T> + PartialEq + std::fmt::Debug>(x: &T) -> T {
    let m = arena::mark();
    let v: OCaml<T> = x.to_ocaml(cr());
    let back = T::from_ocaml(v);
    arena::release(m);
    back
}

#[test]
fn records_are_blocks_with_fields_in_declaration_order() {
    let p = Person {
        name: "Ada".into(),
        age: 36,
        score: -3,
        tags: vec!["math".into(), "code".into()],
        nickname: None,
    };
    let m = arena::mark();
    let v: OCaml<Person> = p.to_ocaml(cr());
    assert_eq!((v.tag_value(), v.size()), (0, 5));
    unsafe {
        assert_eq!(mem::bytes(mem::field(v.raw(), 0)), b"Ada");
        assert_eq!(wire::int_val(mem::field(v.raw(), 1)), 36);
        assert_eq!(wire::int_val(mem::field(v.raw(), 2)), -3);
        assert_eq!(mem::field(v.raw(), 4), wire::val_int(0));
    }
    assert_eq!(Person::from_ocaml(v), p);
    arena::release(m);
}

#[test]
fn records_of_floats_are_flat_as_in_ocaml() {
    let m = arena::mark();
    let v: OCaml<Point> = Point { x: 1.5, y: -2.0 }.to_ocaml(cr());
    assert_eq!((v.tag_value(), v.size()), (254, 2));
    assert_eq!(Point::from_ocaml(v), Point { x: 1.5, y: -2.0 });
    arena::release(m);
}

#[test]
fn variants_number_constant_and_block_constructors_separately() {
    let m = arena::mark();
    let e: OCaml<Shape> = Shape::Empty.to_ocaml(cr());
    let u: OCaml<Shape> = Shape::Unknown.to_ocaml(cr());
    assert_eq!(unsafe { (e.raw(), u.raw()) }, (wire::val_int(0), wire::val_int(1)));
    let c: OCaml<Shape> = Shape::Circle(Point { x: 0.0, y: 1.0 }, 2.0).to_ocaml(cr());
    let r: OCaml<Shape> = Shape::Rect { w: 3.0, h: 4.0 }.to_ocaml(cr());
    let l: OCaml<Shape> = Shape::Label("x".into()).to_ocaml(cr());
    assert_eq!((c.tag_value(), c.size()), (0, 2));
    assert_eq!((r.tag_value(), r.size()), (1, 2));
    assert_eq!((l.tag_value(), l.size()), (2, 1));
    arena::release(m);
    for s in [
        Shape::Empty,
        Shape::Unknown,
        Shape::Circle(Point { x: 0.5, y: 1.0 }, 2.0),
        Shape::Rect { w: 3.0, h: 4.0 },
        Shape::Label("é".into()),
    ] {
        assert_eq!(round_trip(&s), s);
    }
}

#[test]
fn polymorphic_variants_use_the_tag_hash() {
    // the values OCaml gives (Obj.magic `Tag : int)
    for (tag, h) in [
        ("StepLeft", -192254573),
        ("rotate", -887077285),
        ("Jump", 826470670),
        ("A", 65),
        ("some_long_tag_name_xyz", 251852674),
    ] {
        assert_eq!(ocaml_interop::hash_variant(tag), h, "hash of `{tag}");
    }
    let m = arena::mark();
    let s: OCaml<Move> = Move::StepLeft.to_ocaml(cr());
    assert_eq!(
        unsafe { s.raw() },
        wire::val_int(ocaml_interop::hash_variant("StepLeft"))
    );
    let r: OCaml<Move> = Move::Rotate(0.5).to_ocaml(cr());
    assert_eq!((r.tag_value(), r.size()), (0, 2));
    assert_eq!(
        unsafe { wire::int_val(mem::field(r.raw(), 0)) },
        ocaml_interop::hash_variant("rotate")
    );
    let j: OCaml<Move> = Move::Jump(1, 2).to_ocaml(cr());
    let payload: OCaml<(OCamlInt, OCamlInt)> = unsafe { OCaml::from_raw_unchecked(mem::field(j.raw(), 1)) };
    assert_eq!(payload.to_rust::<(i64, i64)>(), (1, 2));
    arena::release(m);
    for mv in [Move::StepLeft, Move::Rotate(-1.0), Move::Jump(3, -4)] {
        assert_eq!(round_trip(&mv), mv);
    }
}

#[test]
fn tuples_and_recursive_types() {
    assert_eq!(round_trip(&Pair(7, "seven".into())), Pair(7, "seven".into()));
    let t = Tree::Node(
        Box::new(Tree::Node(Box::new(Tree::Leaf), 1, Box::new(Tree::Leaf))),
        2,
        Box::new(Tree::Leaf),
    );
    assert_eq!(round_trip(&t), t);
}

#[test]
fn descriptions_name_fields_and_constructors() {
    let d: serde_json::Value = serde_json::from_str(&describe::<Person>()).unwrap();
    assert_eq!(d["record"]["name"], "person");
    assert_eq!(
        d["record"]["fields"][2],
        serde_json::json!({"name": "score", "type": "int"})
    );
    assert_eq!(d["record"]["fields"][3]["type"], serde_json::json!({"list": "string"}));
    assert_eq!(d["record"]["flat_floats"], false);
    let d: serde_json::Value = serde_json::from_str(&describe::<Point>()).unwrap();
    assert_eq!(d["record"]["flat_floats"], true);
    let d: serde_json::Value = serde_json::from_str(&describe::<Shape>()).unwrap();
    assert_eq!(d["variant"]["name"], "shape");
    let ctors = d["variant"]["ctors"].as_array().unwrap();
    assert_eq!(
        ctors.iter().map(|c| c["name"].as_str().unwrap()).collect::<Vec<_>>(),
        ["Empty", "Circle", "Rect", "Unknown", "Label"]
    );
    assert_eq!(ctors[2]["record"][1], serde_json::json!({"name": "h", "type": "float"}));
    assert_eq!(ctors[1]["args"][0]["record"]["name"], "point");
    let d: serde_json::Value = serde_json::from_str(&describe::<Move>()).unwrap();
    assert_eq!(d["polyvar"]["ctors"][1]["name"], "rotate");
    assert_eq!(d["polyvar"]["ctors"][1]["hash"], ocaml_interop::hash_variant("rotate"));
    // a recursive type refers to itself by name
    let d: serde_json::Value = serde_json::from_str(&describe::<Tree>()).unwrap();
    assert_eq!(d["variant"]["ctors"][1]["args"][0], serde_json::json!({"ref": "tree"}));
    let _ = <Tree as OCamlDescriber>::describe;
}

// ---- the model's defaults and forms (testing/*/src/lib.rs of ocaml-interop's main branch) ------

/// The model's TestRecord: `i32` is an OCaml `int32` and `Box<i64>` an `int64` without
/// annotations; OCaml: `{ i: int; f: float; i32: int32; i64: int64; s: string; t: int * float }`.
#[derive(ToOCaml, FromOCaml, Debug, PartialEq)]
pub struct TestRecord {
    #[ocaml(as_ = "OCamlInt")]
    pub i: i64,
    pub f: f64,
    pub i32: i32,
    pub i64: Box<i64>,
    pub s: String,
    #[ocaml(as_ = "(OCamlInt, OCamlFloat)")]
    pub t: (i64, f64),
}

#[test]
fn the_default_ocaml_types_are_the_models() {
    let m = arena::mark();
    let r = TestRecord {
        i: 10,
        f: 5.0,
        i32: 10,
        i64: Box::new(10),
        s: "string".into(),
        t: (10, 5.0),
    };
    let v: OCaml<TestRecord> = r.to_ocaml(cr());
    unsafe {
        assert!(wire::is_immediate(mem::field(v.raw(), 0)), "i: int");
        let boxed = |i: u32| {
            (
                mem::tag(mem::field(v.raw(), i)),
                mem::read_u32(mem::field(v.raw(), i) + 8),
            )
        };
        assert_eq!(boxed(2), (255, wire::custom::INT32), "i32: int32");
        assert_eq!(boxed(3), (255, wire::custom::INT64), "i64: int64");
    }
    assert_eq!(TestRecord::from_ocaml(v), r);
    arena::release(m);
    // a plain i64 field is an OCaml int64, as in the model
    #[derive(ToOCaml, FromOCaml, OCamlDescriber)]
    struct Plain {
        n: i64,
        m: i32,
        opt: Option<Vec<i64>>,
    }
    let d: serde_json::Value = serde_json::from_str(&describe::<Plain>()).unwrap();
    assert_eq!(
        d["record"]["fields"],
        serde_json::json!([
        {"name": "n", "type": "int64"}, {"name": "m", "type": "int32"}, {"name": "opt", "type": {"option": {"list": "int64"}}}])
    );
}

/// Struct-like variants of a polymorphic variant, as in the model: `Step { count }` is
/// `` `Step of int ``, `Expand { width, height }` is `` `Expand of int * int ``.
#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, PartialEq)]
#[ocaml(polymorphic_variant)]
enum PolymorphicMovement {
    Step {
        #[ocaml(as_ = "OCamlInt")]
        count: i32,
    },
    Expand {
        #[ocaml(as_ = "OCamlInt")]
        width: i64,
        #[ocaml(as_ = "OCamlInt")]
        height: i64,
    },
    RotateLeft,
    RotateRight,
}

/// The model's PolymorphicEnum (`` [ `Unit | `Single of float | `Multiple of (int * string) ] ``):
/// its FromOCaml upstream fails on `Multiple` (see docs/compatibility.md); here both ways work.
#[derive(ToOCaml, FromOCaml, Debug, PartialEq)]
#[ocaml(polymorphic_variant)]
pub enum PolymorphicEnum {
    Unit,
    Single(f64),
    Multiple(#[ocaml(as_ = "OCamlInt")] i64, String),
}

#[test]
fn struct_like_polymorphic_variants() {
    let m = arena::mark();
    // what OCaml makes of `Step 10 and `Expand (1, 2)
    let step = ocaml_interop::internal::alloc::tuple(
        0,
        &[wire::val_int(ocaml_interop::hash_variant("Step")), wire::val_int(10)],
    );
    let pair = ocaml_interop::internal::alloc::tuple(0, &[wire::val_int(1), wire::val_int(2)]);
    let expand =
        ocaml_interop::internal::alloc::tuple(0, &[wire::val_int(ocaml_interop::hash_variant("Expand")), pair]);
    let from = |w| PolymorphicMovement::from_ocaml(unsafe { OCaml::from_raw_unchecked(w) });
    assert_eq!(from(step), PolymorphicMovement::Step { count: 10 });
    assert_eq!(from(expand), PolymorphicMovement::Expand { width: 1, height: 2 });
    let v: OCaml<PolymorphicMovement> = PolymorphicMovement::Expand { width: 3, height: 4 }.to_ocaml(cr());
    unsafe {
        assert_eq!((v.tag_value(), v.size()), (0, 2));
        let t = mem::field(v.raw(), 1);
        assert_eq!(
            (
                mem::tag(t),
                mem::size(t),
                wire::int_val(mem::field(t, 0)),
                wire::int_val(mem::field(t, 1))
            ),
            (0, 2, 3, 4)
        );
    }
    arena::release(m);
    for x in [
        PolymorphicMovement::Step { count: -5 },
        PolymorphicMovement::Expand { width: 1, height: 2 },
        PolymorphicMovement::RotateLeft,
    ] {
        assert_eq!(round_trip(&x), x);
    }
    for x in [
        PolymorphicEnum::Unit,
        PolymorphicEnum::Single(10.0),
        PolymorphicEnum::Multiple(10, "text".into()),
    ] {
        assert_eq!(round_trip(&x), x);
    }
    // described as a tag with arguments (what the build checks `Step of int against)
    let d: serde_json::Value = serde_json::from_str(&describe::<PolymorphicMovement>()).unwrap();
    assert_eq!(
        d["polyvar"]["ctors"][0],
        serde_json::json!({"name": "Step", "hash": ocaml_interop::hash_variant("Step"), "args": ["int"]})
    );
    assert_eq!(d["polyvar"]["ctors"][1]["args"], serde_json::json!(["int", "int"]));
}

/// A regular variant's struct-like constructor is a block of its fields, as the model's derive
/// makes it: OCaml's `Step of int` and `Expand of { width : int; height : int }` alike.
#[derive(ToOCaml, FromOCaml, Debug, PartialEq)]
enum Movement {
    Step {
        #[ocaml(as_ = "OCamlInt")]
        count: i32,
    },
    Expand {
        #[ocaml(as_ = "OCamlInt")]
        width: i64,
        #[ocaml(as_ = "OCamlInt")]
        height: i64,
    },
    RotateLeft,
    RotateRight,
}

/// A type-level marker (the model's docs: `#[ocaml(as_ = "OCamlStatus")] pub enum Status`).
#[derive(Debug, PartialEq, Clone, FromOCaml, ToOCaml)]
#[ocaml(as_ = "OCamlStatus")]
pub enum Status {
    Ok,
    Error(String),
    Retrying(#[ocaml(as_ = "OCamlInt")] i64),
}
pub enum OCamlStatus {}

#[test]
fn struct_like_variants_and_type_level_markers() {
    let m = arena::mark();
    let step = ocaml_interop::internal::alloc::tuple(0, &[wire::val_int(10)]);
    let expand = ocaml_interop::internal::alloc::tuple(1, &[wire::val_int(1), wire::val_int(2)]);
    assert_eq!(
        Movement::from_ocaml(unsafe { OCaml::from_raw_unchecked(step) }),
        Movement::Step { count: 10 }
    );
    assert_eq!(
        Movement::from_ocaml(unsafe { OCaml::from_raw_unchecked(expand) }),
        Movement::Expand { width: 1, height: 2 }
    );
    assert_eq!(
        Movement::from_ocaml(unsafe { OCaml::from_raw_unchecked(wire::val_int(1)) }),
        Movement::RotateRight
    );
    let v: OCaml<OCamlStatus> = Status::Retrying(3).to_ocaml(cr());
    assert_eq!((v.tag_value(), v.size()), (1, 1));
    assert_eq!(Status::from_ocaml(v), Status::Retrying(3));
    let ok: OCaml<OCamlStatus> = Status::Ok.to_ocaml(cr());
    assert_eq!(ok.to_rust::<Status>(), Status::Ok);
    arena::release(m);
}
