//! The 0.12 declarative macros: same layouts as the derives (checked against each other).
use ocaml_interop::internal::{arena, recover_runtime_handle_mut};
use ocaml_interop::*;

#[derive(Debug, PartialEq, Clone)]
struct Person {
    name: String,
    age: i32,
}
impl_conv_ocaml_record! { Person { name: String, age: OCamlInt => { *age as i64 } } }

#[derive(Debug, PartialEq, Clone, Copy)]
struct Point {
    x: f64,
    y: f64,
}
impl_conv_ocaml_record! { Point { x: OCamlFloat, y: OCamlFloat } }

#[derive(Debug, PartialEq)]
struct Pair(i64, String);
impl_from_ocaml_record! { Pair => Pair ( a: OCamlInt, b: String ) }

#[derive(Debug, PartialEq)]
enum Shape {
    Empty,
    Circle(f64),
    Rect(f64, f64),
    Unknown,
}
impl_conv_ocaml_variant! { Shape { Shape::Empty, Shape::Circle(r: OCamlFloat), Shape::Rect(w: OCamlFloat, h: OCamlFloat), Shape::Unknown } }

#[derive(Debug, PartialEq)]
enum Move {
    StepLeft,
    Rotate(f64),
    Jump(i64, i64),
}
impl_to_ocaml_polymorphic_variant! { Move { Move::StepLeft, Move::Rotate(r: OCamlFloat), Move::Jump(a: OCamlInt, b: OCamlInt) } }
impl_from_ocaml_polymorphic_variant! { Move {
    StepLeft => Move::StepLeft,
    Rotate(r: OCamlFloat) => Move::Rotate(r),
    Jump(a: OCamlInt, b: OCamlInt) => Move::Jump(a, b),
} }

// the same types derived, to compare layouts
#[derive(ToOCaml, FromOCaml, Debug, PartialEq)]
enum DShape {
    Empty,
    Circle(f64),
    Rect(f64, f64),
    Unknown,
}
#[derive(ToOCaml, FromOCaml, Debug, PartialEq)]
#[ocaml(polymorphic_variant)]
enum DMove {
    StepLeft,
    Rotate(f64),
    Jump(#[ocaml(as_ = "OCamlInt")] i64, #[ocaml(as_ = "OCamlInt")] i64),
}
#[derive(ToOCaml, FromOCaml, Debug, PartialEq)]
struct DPoint {
    x: f64,
    y: f64,
}

fn cr() -> &'static mut OCamlRuntime {
    unsafe { recover_runtime_handle_mut() }
}

fn bytes<T>(v: OCaml<T>) -> Vec<u8> {
    // the encoding, with addresses made relative so two encodings can be compared
    let buf = ocaml_interop::BoxRoot::new(v);
    let w = unsafe { buf.get_raw() };
    if wire::is_immediate(w) {
        return w.to_le_bytes().to_vec();
    }
    let n = unsafe { wire::block_bytes(wire::mem::tag(w), wire::mem::size(w)) } as usize;
    let mut out = unsafe { std::slice::from_raw_parts(w as usize as *const u8, n) }.to_vec();
    // hide nested addresses (fields that are blocks)
    if unsafe { wire::mem::tag(w) } < 251 {
        for i in 0..unsafe { wire::mem::size(w) } as usize {
            let f = u32::from_le_bytes(out[8 + 4 * i..12 + 4 * i].try_into().unwrap());
            if wire::is_block(f) {
                out[8 + 4 * i..12 + 4 * i].copy_from_slice(&[0xAA; 4]);
            }
        }
    }
    out
}

#[test]
fn records_round_trip_and_match_the_derive_layout() {
    let m = arena::mark();
    let p = Person {
        name: "Ada".into(),
        age: 36,
    };
    let v: OCaml<Person> = p.to_ocaml(cr());
    assert_eq!((v.tag_value(), v.size()), (0, 2));
    assert_eq!(Person::from_ocaml(v), p);
    let pt: OCaml<Point> = Point { x: 1.0, y: 2.0 }.to_ocaml(cr());
    assert_eq!(pt.tag_value(), 254, "all-float records are flat");
    assert_eq!(Point::from_ocaml(pt), Point { x: 1.0, y: 2.0 });
    let dpt: OCaml<DPoint> = DPoint { x: 1.0, y: 2.0 }.to_ocaml(cr());
    assert_eq!(bytes(pt), bytes(dpt));
    let t: OCaml<(OCamlInt, String)> = (1i64, "x").to_ocaml(cr());
    let pair: OCaml<Pair> = unsafe { OCaml::from_raw_unchecked(t.raw()) };
    assert_eq!(Pair::from_ocaml(pair), Pair(1, "x".into()));
    arena::release(m);
}

#[test]
fn variants_match_the_derive_layout() {
    let m = arena::mark();
    let pairs: [(Shape, DShape); 4] = [
        (Shape::Empty, DShape::Empty),
        (Shape::Circle(1.5), DShape::Circle(1.5)),
        (Shape::Rect(2.0, 3.0), DShape::Rect(2.0, 3.0)),
        (Shape::Unknown, DShape::Unknown),
    ];
    for (a, b) in pairs {
        let va: OCaml<Shape> = a.to_ocaml(cr());
        let vb: OCaml<DShape> = b.to_ocaml(cr());
        assert_eq!(bytes(va), bytes(vb), "{a:?}");
        assert_eq!(Shape::from_ocaml(va), a);
    }
    let moves: [(Move, DMove); 3] = [
        (Move::StepLeft, DMove::StepLeft),
        (Move::Rotate(0.5), DMove::Rotate(0.5)),
        (Move::Jump(1, 2), DMove::Jump(1, 2)),
    ];
    for (a, b) in moves {
        let va: OCaml<Move> = a.to_ocaml(cr());
        let vb: OCaml<DMove> = b.to_ocaml(cr());
        assert_eq!(bytes(va), bytes(vb), "{a:?}");
        assert_eq!(Move::from_ocaml(va), a);
    }
    arena::release(m);
}
