//! `#[ocaml_interop::export]`: the wasm export it generates, its describe function, and how a
//! failed conversion fails the call (error sentinel + error slot) instead of wrapping.
use ocaml_interop::internal::{arena, take_error};
use ocaml_interop::wire::{self, mem, ERROR_SENTINEL};
use ocaml_interop::{ErrorKind, OCaml, OCamlFloat, OCamlInt, OCamlRuntime, ToOCaml};

#[ocaml_interop::export]
pub fn twice(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let n: i64 = n.to_rust();
    (2 * n).to_ocaml(cr)
}

#[ocaml_interop::export]
pub fn greet(cr: &mut OCamlRuntime, name: OCaml<String>, excited: OCaml<bool>) -> OCaml<String> {
    let mark = if excited.to_rust() { "!" } else { "." };
    format!("hello {}{}", name.as_str(), mark).to_ocaml(cr)
}

#[ocaml_interop::export]
pub fn rooted(cr: &mut OCamlRuntime, s: ocaml_interop::BoxRoot<String>) -> OCaml<OCamlInt> {
    let n = s.to_rust::<String>(cr).len() as i64;
    n.to_ocaml(cr)
}

#[ocaml_interop::export]
pub fn nothing(_cr: &mut OCamlRuntime, _unit: OCaml<()>) {}

#[ocaml_interop::export(noalloc)]
pub fn hyp(_cr: &OCamlRuntime, x: f64, y: f64) -> f64 {
    x.hypot(y)
}

#[ocaml_interop::export(bytecode = "half_byte")]
pub fn half(cr: &mut OCamlRuntime, x: OCaml<OCamlFloat>) -> OCaml<OCamlFloat> {
    (x.to_rust::<f64>() / 2.0).to_ocaml(cr)
}

/// Names with quotes, backslashes and control characters: every one reaches the description
/// intact, through the runtime's one JSON escaper.
#[derive(ocaml_interop::ToOCaml, ocaml_interop::FromOCaml, ocaml_interop::OCamlDescriber)]
#[ocaml(name = "we\"ird\\type\u{1}")]
pub struct Weird {
    #[ocaml(name = "f\"\\\n")]
    x: i64,
}

#[derive(ocaml_interop::ToOCaml, ocaml_interop::FromOCaml, ocaml_interop::OCamlDescriber)]
pub enum WeirdCtor {
    #[ocaml(name = "C\"\u{1f}")]
    C(i64),
}

#[ocaml_interop::export(bytecode = "by\"te\\code\u{7f}\t")]
pub fn escaped(cr: &mut OCamlRuntime, w: OCaml<Weird>, c: OCaml<WeirdCtor>) -> OCaml<OCamlInt> {
    let (w, c): (Weird, WeirdCtor) = (w.to_rust(), c.to_rust());
    let WeirdCtor::C(n) = c;
    (w.x + n).to_ocaml(cr)
}

fn cr() -> &'static mut OCamlRuntime {
    unsafe { ocaml_interop::internal::recover_runtime_handle_mut() }
}

fn describe(f: extern "C" fn() -> u32) -> serde_json::Value {
    let p = f();
    let len = unsafe { mem::read_u32(p) } as usize;
    let bytes = unsafe { std::slice::from_raw_parts((p + 4) as usize as *const u8, len) };
    serde_json::from_slice(bytes).unwrap()
}

#[test]
fn the_wasm_export_takes_and_returns_wire_words() {
    let r = __oiw_export_twice(wire::val_int(21));
    assert_eq!(wire::int_val(r), 42);
    // the function itself stays callable from Rust
    let n: OCaml<OCamlInt> = 5i64.to_ocaml(cr());
    assert_eq!(twice(cr(), n).to_i64(), 10);
}

#[test]
fn a_result_outside_31_bits_fails_the_call_with_a_message_naming_the_function() {
    let r = __oiw_export_twice(wire::val_int((1 << 30) - 1));
    assert_eq!(r, ERROR_SENTINEL);
    let (kind, msg) = take_error().expect("an error in the slot");
    assert_eq!(kind, ErrorKind::Failure);
    assert!(
        msg.starts_with("twice: integer 2147483646 does not fit OCaml's int"),
        "{msg}"
    );
    // the next call is clean
    assert_eq!(wire::int_val(__oiw_export_twice(wire::val_int(1))), 2);
    assert!(take_error().is_none());
}

#[test]
fn strings_bools_units_and_roots_cross() {
    let m = arena::mark();
    let name: OCaml<String> = "wörld".to_ocaml(cr());
    let r = __oiw_export_greet(unsafe { name.raw() }, wire::TRUE);
    assert_eq!(unsafe { mem::bytes(r) }, "hello wörld!".as_bytes());
    let s: OCaml<String> = "four".to_ocaml(cr());
    assert_eq!(wire::int_val(__oiw_export_rooted(unsafe { s.raw() })), 4);
    assert_eq!(__oiw_export_nothing(wire::UNIT), wire::UNIT);
    arena::release(m);
}

#[test]
fn direct_primitives_and_bytecode_names() {
    assert_eq!(__oiw_export_hyp(3.0, 4.0), 5.0);
    let x: OCaml<OCamlFloat> = 3.0f64.to_ocaml(cr());
    let r = __oiw_export_half(unsafe { x.raw() });
    assert_eq!(unsafe { mem::read_f64(r + 8) }, 1.5);
}

#[test]
fn describe_functions_give_the_signature() {
    let d = describe(__oiw_describe_greet);
    assert_eq!(d["v"], 1);
    assert_eq!(d["name"], "greet");
    assert_eq!(d["symbol"], "oiw_export_greet");
    assert_eq!(
        d["args"][0],
        serde_json::json!({"name": "name", "kind": "ocaml", "type": "string"})
    );
    assert_eq!(d["args"][1]["type"], "bool");
    assert_eq!(d["ret"], serde_json::json!({"kind": "ocaml", "type": "string"}));
    let h = describe(__oiw_describe_hyp);
    assert_eq!(h["noalloc"], true);
    assert_eq!(h["args"][0], serde_json::json!({"name": "x", "kind": "f64"}));
    assert_eq!(h["ret"], serde_json::json!({"kind": "f64"}));
    assert_eq!(describe(__oiw_describe_half)["bytecode"], "half_byte");
    assert_eq!(describe(__oiw_describe_nothing)["ret"]["kind"], "unit");
    assert_eq!(describe(__oiw_describe_rooted)["args"][0]["kind"], "boxroot");
}

#[test]
fn names_with_quotes_backslashes_and_control_characters_are_escaped() {
    let d = describe(__oiw_describe_escaped);
    assert_eq!(d["bytecode"], "by\"te\\code\u{7f}\t");
    assert_eq!(d["args"][0]["type"]["record"]["name"], "we\"ird\\type\u{1}");
    assert_eq!(d["args"][0]["type"]["record"]["fields"][0]["name"], "f\"\\\n");
    assert_eq!(d["args"][1]["type"]["variant"]["ctors"][0]["name"], "C\"\u{1f}");
}

/// A marker without OCamlDescriber, as ocaml-interop allows (its testing/ocaml-caller passes
/// `OCaml<PolymorphicMovement>` where the enum implements nothing).
pub enum PolymorphicMovement {
    Step { count: i32 },
    RotateLeft,
}

#[ocaml_interop::export]
pub fn undescribed(
    cr: &mut OCamlRuntime,
    m: OCaml<PolymorphicMovement>,
    n: OCaml<Option<PolymorphicMovement>>,
    k: OCaml<OCamlInt>,
) -> OCaml<String> {
    let _ = (
        n,
        PolymorphicMovement::Step { count: 0 },
        PolymorphicMovement::RotateLeft,
    );
    format!("{} {}", m.is_long(), k.to_i64()).to_ocaml(cr)
}

#[ocaml_interop::export]
pub fn undescribed_result(_cr: &mut OCamlRuntime, m: OCaml<PolymorphicMovement>) -> OCaml<PolymorphicMovement> {
    m
}

#[test]
fn a_type_without_ocaml_describer_still_exports_and_is_described_as_unknown() {
    let d = describe(__oiw_describe_undescribed);
    assert_eq!(
        d["args"][0],
        serde_json::json!({"name": "m", "kind": "ocaml", "type": {"unknown": "exports::PolymorphicMovement"}})
    );
    assert_eq!(
        d["args"][1]["type"],
        serde_json::json!({"unknown": "core::option::Option<exports::PolymorphicMovement>"})
    );
    assert_eq!(d["args"][2]["type"], "int");
    assert_eq!(
        describe(__oiw_describe_undescribed_result)["ret"]["type"],
        serde_json::json!({"unknown": "exports::PolymorphicMovement"})
    );
    let m = arena::mark();
    let r = __oiw_export_undescribed(wire::val_int(0), wire::val_int(0), wire::val_int(4));
    assert_eq!(unsafe { mem::bytes(r) }, b"true 4");
    arena::release(m);
}
