//! Shared helpers of the integration tests (run on wasm32-wasip1: a real 32-bit target).
#![allow(dead_code)]

use ocaml_interop::internal::{alloc, arena};
use ocaml_interop::wire::{self, mem, RawOCaml};
use serde_json::Value;

pub const VECTORS: &str = include_str!("../../../../wire-format/vectors/v1.json");

pub fn vectors() -> (u32, Vec<Value>) {
    let v: Value = serde_json::from_str(VECTORS).unwrap();
    assert_eq!(v["version"], 1);
    (
        v["base"].as_u64().unwrap() as u32,
        v["vectors"].as_array().unwrap().clone(),
    )
}

pub fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

/// The vector's bytes and root word for an arena that starts at `start`.
pub fn relocated(v: &Value, base: u32, start: u32) -> (Vec<u8>, RawOCaml) {
    let mut bytes = hex(v["bytes"].as_str().unwrap());
    for off in v["relocs"].as_array().unwrap() {
        let off = off.as_u64().unwrap() as usize;
        let w = u32::from_le_bytes(bytes[off..off + 4].try_into().unwrap()).wrapping_add(start.wrapping_sub(base));
        bytes[off..off + 4].copy_from_slice(&w.to_le_bytes());
    }
    let root = v["root"].as_u64().unwrap() as u32;
    let root = if root & 1 == 1 {
        root
    } else {
        root.wrapping_add(start.wrapping_sub(base))
    };
    (bytes, root)
}

/// Whether implementation `side` ("rust", "ocaml", "ts") encodes / decodes the vector (a
/// vector without `sides`: every one, both ways; a rejected vector is never encoded).
pub fn encodes(v: &Value, side: &str) -> bool {
    v.get("rejected").is_none()
        && v.get("sides")
            .is_none_or(|s| s["encode"].as_array().unwrap().iter().any(|x| x == side))
}
pub fn decodes(v: &Value, side: &str) -> bool {
    v.get("sides")
        .is_none_or(|s| s["decode"].as_array().unwrap().iter().any(|x| x == side))
}

/// A bigarray vector's (kind id, element bytes) from protocol.json's table.
pub fn bigarray_kind(name: &str) -> (u32, u32) {
    let p: Value = serde_json::from_str(include_str!("../../../../wire-format/protocol.json")).unwrap();
    let k = p["bigarray"]["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == name)
        .unwrap_or_else(|| panic!("no bigarray kind {name}"));
    (k["id"].as_u64().unwrap() as u32, k["bytes"].as_u64().unwrap() as u32)
}

/// A closure vector's words: [handle; 0; low; high] (OCaml's) or [id; 1; low; arity; high] (Rust's).
pub fn closure_words(v: &Value) -> Vec<i64> {
    let g = |i: usize| v["generation"][i].as_i64().unwrap();
    if v["closure"] == "ocaml" {
        vec![v["handle"].as_i64().unwrap(), 0, g(0), g(1)]
    } else {
        vec![v["id"].as_i64().unwrap(), 1, g(0), v["arity"].as_i64().unwrap(), g(1)]
    }
}

/// Encodes an untyped vector value in pre-order, as the spec requires (a copied bigarray's data
/// before its header, as `Vec<T>: ToOCaml<Array1<T>>` writes it).
pub fn encode_raw(v: &Value) -> RawOCaml {
    if let Some(name) = v.get("bigarray") {
        let data = hex(v["data"].as_str().unwrap());
        let (kind, size) = bigarray_kind(name.as_str().unwrap());
        let flags = v.get("flags").map_or(0, |f| f.as_u64().unwrap() as u32);
        assert_eq!(flags, 0, "only copied bigarrays are written into the arena");
        let p = arena::alloc_bytes((data.len() as u32).max(8)).unwrap();
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), p as usize as *mut u8, data.len()) };
        let b = alloc::block(wire::tag::CUSTOM, 16).unwrap();
        unsafe {
            mem::write_u32(b + 8, wire::custom::BIGARRAY);
            mem::write_u32(b + 12, kind);
            mem::write_u32(b + 16, data.len() as u32 / size);
            mem::write_u32(b + 20, p);
        }
        return b;
    }
    if let Some(words) = v.get("dynbox") {
        let b = alloc::block(wire::tag::CUSTOM, 16).unwrap();
        unsafe { mem::write_u32(b + 8, wire::custom::DYNBOX) };
        for i in 0..3 {
            unsafe { mem::write_u32(b + 12 + 4 * i as u32, words[i].as_u64().unwrap() as u32) };
        }
        return b;
    }
    if v.get("closure").is_some() {
        let words = closure_words(v);
        let b = alloc::block(wire::tag::CLOSURE, words.len() as u32).unwrap();
        for (i, w) in words.iter().enumerate() {
            unsafe { mem::set_field(b, i as u32, wire::val_int_checked(*w).unwrap()) };
        }
        return b;
    }
    if let Some(n) = v.get("int") {
        return ocaml_interop::wire::val_int_checked(n.as_i64().unwrap()).unwrap();
    }
    if let Some(s) = v.get("string") {
        return alloc::string(&hex(s.as_str().unwrap()));
    }
    if let Some(x) = v.get("float") {
        return alloc::float(x.as_f64().unwrap());
    }
    for (k, kind) in [
        ("int32", wire::custom::INT32),
        ("int64", wire::custom::INT64),
        ("nativeint", wire::custom::NATIVEINT),
    ] {
        if let Some(x) = v.get(k) {
            return alloc::boxed_int(kind, x.as_str().unwrap().parse().unwrap());
        }
    }
    if let Some(xs) = v.get("floats") {
        let xs = xs.as_array().unwrap();
        let b = alloc::block(254, xs.len() as u32).unwrap();
        for (i, x) in xs.iter().enumerate() {
            unsafe { mem::write_f64(b + 8 + 8 * i as u32, x.as_f64().unwrap()) };
        }
        return b;
    }
    let fields = v["fields"].as_array().unwrap();
    let b = alloc::block(v["block"].as_u64().unwrap() as u8, fields.len() as u32).unwrap();
    for (i, f) in fields.iter().enumerate() {
        let w = encode_raw(f);
        unsafe { mem::set_field(b, i as u32, w) };
    }
    b
}

/// Starts a fresh, empty region of the arena with room for `bytes` (so encodings are contiguous).
pub fn fresh_region(bytes: u32) -> (arena::Mark, u32) {
    let m = arena::mark();
    let start = arena::grow(bytes.max(64)).unwrap();
    (m, start)
}

/// Copies `bytes` into a fresh arena region, returns its start.
pub fn place(bytes: &[u8]) -> (arena::Mark, u32) {
    let (m, start) = fresh_region(bytes.len() as u32 + 8);
    if !bytes.is_empty() {
        let p = arena::alloc_bytes(bytes.len() as u32).unwrap();
        assert_eq!(p, start);
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), p as usize as *mut u8, bytes.len()) };
    }
    (m, start)
}

pub fn region(start: u32, len: usize) -> Vec<u8> {
    unsafe { std::slice::from_raw_parts(start as usize as *const u8, len).to_vec() }
}
