//! `#[derive(ToOCaml, FromOCaml, OCamlDescriber)]`: records, flat float records, tuples,
//! variants (constant, tuple and inline-record constructors), polymorphic variants, recursion.
use ocaml_interop::internal::{arena, recover_runtime_handle_mut};
use ocaml_interop::wire::{self, mem};
use ocaml_interop::{describe::describe, FromOCaml, OCaml, OCamlDescriber, OCamlInt, OCamlRuntime, ToOCaml};

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, PartialEq, Clone)]
struct Person {
    name: String,
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
struct Pair(i64, String);

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
    Jump(i64, i64),
}

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, PartialEq)]
enum Tree {
    Leaf,
    Node(Box<Tree>, i64, Box<Tree>),
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
    let p = Person { name: "Ada".into(), age: 36, score: -3, tags: vec!["math".into(), "code".into()], nickname: None };
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
    for s in [Shape::Empty, Shape::Unknown, Shape::Circle(Point { x: 0.5, y: 1.0 }, 2.0), Shape::Rect { w: 3.0, h: 4.0 }, Shape::Label("é".into())] {
        assert_eq!(round_trip(&s), s);
    }
}

#[test]
fn polymorphic_variants_use_the_tag_hash() {
    // the values OCaml gives (Obj.magic `Tag : int)
    for (tag, h) in [("StepLeft", -192254573), ("rotate", -887077285), ("Jump", 826470670), ("A", 65), ("some_long_tag_name_xyz", 251852674)] {
        assert_eq!(ocaml_interop::hash_variant(tag), h, "hash of `{tag}");
    }
    let m = arena::mark();
    let s: OCaml<Move> = Move::StepLeft.to_ocaml(cr());
    assert_eq!(unsafe { s.raw() }, wire::val_int(ocaml_interop::hash_variant("StepLeft")));
    let r: OCaml<Move> = Move::Rotate(0.5).to_ocaml(cr());
    assert_eq!((r.tag_value(), r.size()), (0, 2));
    assert_eq!(unsafe { wire::int_val(mem::field(r.raw(), 0)) }, ocaml_interop::hash_variant("rotate"));
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
    let t = Tree::Node(Box::new(Tree::Node(Box::new(Tree::Leaf), 1, Box::new(Tree::Leaf))), 2, Box::new(Tree::Leaf));
    assert_eq!(round_trip(&t), t);
}

#[test]
fn descriptions_name_fields_and_constructors() {
    let d: serde_json::Value = serde_json::from_str(&describe::<Person>()).unwrap();
    assert_eq!(d["record"]["name"], "person");
    assert_eq!(d["record"]["fields"][2], serde_json::json!({"name": "score", "type": "int"}));
    assert_eq!(d["record"]["fields"][3]["type"], serde_json::json!({"list": "string"}));
    assert_eq!(d["record"]["flat_floats"], false);
    let d: serde_json::Value = serde_json::from_str(&describe::<Point>()).unwrap();
    assert_eq!(d["record"]["flat_floats"], true);
    let d: serde_json::Value = serde_json::from_str(&describe::<Shape>()).unwrap();
    assert_eq!(d["variant"]["name"], "shape");
    let ctors = d["variant"]["ctors"].as_array().unwrap();
    assert_eq!(ctors.iter().map(|c| c["name"].as_str().unwrap()).collect::<Vec<_>>(), ["Empty", "Circle", "Rect", "Unknown", "Label"]);
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
