//! The shared wire-format vectors (wire-format/vectors/v1.json), checked byte for byte.
mod common;

use common::*;
use ocaml_interop::internal::arena;
use ocaml_interop::{OCaml, OCamlBytes, OCamlFloat, OCamlInt, OCamlRuntime, ToOCaml};
use serde_json::Value;

/// Compares a decoded wire value with a vector value through the raw view of `OCaml<T>`.
fn same(v: OCaml<()>, want: &Value) -> bool {
    if let Some(n) = want.get("int") {
        return v.is_long() && unsafe { v.raw() as i32 >> 1 } as i64 == n.as_i64().unwrap();
    }
    if !v.is_block() {
        return false;
    }
    if let Some(s) = want.get("string") {
        let s = hex(s.as_str().unwrap());
        return v.tag_value() == 252 && v.size() == s.len() && unsafe { ocaml_interop::wire::mem::bytes(v.raw()) } == s.as_slice();
    }
    if let Some(x) = want.get("float") {
        let f: OCaml<OCamlFloat> = unsafe { OCaml::from_raw_unchecked(v.raw()) };
        return v.tag_value() == 253 && f.to_f64().to_bits() == x.as_f64().unwrap().to_bits();
    }
    if let Some(xs) = want.get("floats") {
        let xs = xs.as_array().unwrap();
        return v.tag_value() == 254
            && v.size() == xs.len()
            && xs.iter().enumerate().all(|(i, x)| unsafe {
                ocaml_interop::wire::mem::read_f64(v.raw() + 8 + 8 * i as u32) == x.as_f64().unwrap()
            });
    }
    let fields = want["fields"].as_array().unwrap();
    v.tag_value() as u64 == want["block"].as_u64().unwrap()
        && v.size() == fields.len()
        && fields.iter().enumerate().all(|(i, f)| same(unsafe { v.field::<()>(i) }, f))
}

#[test]
fn encodes_every_vector_byte_for_byte() {
    let (base, vectors) = vectors();
    assert!(vectors.len() > 15);
    for v in &vectors {
        let (m, start) = fresh_region(4096);
        let root = encode_raw(&v["value"]);
        let (want, want_root) = relocated(v, base, start);
        assert_eq!(root, want_root, "{}: root word", v["name"]);
        assert_eq!(arena::mark().top - start, want.len() as u32, "{}: encoded size", v["name"]);
        assert_eq!(region(start, want.len()), want, "{}: bytes", v["name"]);
        arena::release(m);
    }
}

#[test]
fn decodes_every_vector() {
    let (base, vectors) = vectors();
    for v in &vectors {
        let bytes = hex(v["bytes"].as_str().unwrap());
        let (m, start) = place(&bytes);
        let (bytes, root) = relocated(v, base, start);
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), start as usize as *mut u8, bytes.len()) };
        let value: OCaml<()> = unsafe { OCaml::from_raw_unchecked(root) };
        assert!(same(value, &v["value"]), "{}: decoded value differs", v["name"]);
        arena::release(m);
    }
}

/// The typed conversions (`ToOCaml`) write exactly the vectors' bytes.
#[test]
fn typed_conversions_match_the_vectors() {
    let (base, vectors) = vectors();
    let cr = unsafe { ocaml_interop::internal::recover_runtime_handle_mut() };
    let check = |name: &str, enc: &dyn Fn(&mut OCamlRuntime) -> u32| {
        let v = vectors.iter().find(|v| v["name"] == name).unwrap_or_else(|| panic!("no vector {name}"));
        let (m, start) = fresh_region(4096);
        let root = enc(unsafe { ocaml_interop::internal::recover_runtime_handle_mut() });
        let (want, want_root) = relocated(v, base, start);
        assert_eq!(root, want_root, "{name}: root");
        assert_eq!(region(start, want.len()), want, "{name}: bytes");
        arena::release(m);
    };
    let _ = cr;
    check("unit", &|cr| unsafe { ().to_ocaml(cr).raw() });
    check("int 42", &|cr| unsafe { ToOCaml::<OCamlInt>::to_ocaml(&42i64, cr).raw() });
    check("int -1", &|cr| unsafe { ToOCaml::<OCamlInt>::to_ocaml(&-1i32, cr).raw() });
    check("int max (2^30 - 1)", &|cr| unsafe { ToOCaml::<OCamlInt>::to_ocaml(&1073741823i64, cr).raw() });
    check("int min (-2^30)", &|cr| unsafe { ToOCaml::<OCamlInt>::to_ocaml(&-1073741824i64, cr).raw() });
    check("true", &|cr| unsafe { true.to_ocaml(cr).raw() });
    check("false", &|cr| unsafe { false.to_ocaml(cr).raw() });
    check("empty string", &|cr| unsafe { ToOCaml::<String>::to_ocaml("", cr).raw() });
    check("string hello", &|cr| unsafe { ToOCaml::<String>::to_ocaml(&"hello".to_string(), cr).raw() });
    check("string of 8 bytes (no padding)", &|cr| unsafe { ToOCaml::<String>::to_ocaml("01234567", cr).raw() });
    check("string with UTF-8 (é)", &|cr| unsafe { ToOCaml::<String>::to_ocaml("é", cr).raw() });
    check("string with invalid UTF-8", &|cr| unsafe { ToOCaml::<OCamlBytes>::to_ocaml(&vec![0xffu8, 0xfe], cr).raw() });
    check("float 1.5", &|cr| unsafe { ToOCaml::<OCamlFloat>::to_ocaml(&1.5f64, cr).raw() });
    check("float -0.0", &|cr| unsafe { ToOCaml::<OCamlFloat>::to_ocaml(&-0.0f64, cr).raw() });
    check("Some 7", &|cr| unsafe { ToOCaml::<Option<OCamlInt>>::to_ocaml(&Some(7i64), cr).raw() });
    check("None", &|cr| unsafe { ToOCaml::<Option<OCamlInt>>::to_ocaml(&None::<i64>, cr).raw() });
    check("Some \"ab\"", &|cr| unsafe { ToOCaml::<Option<String>>::to_ocaml(&Some("ab"), cr).raw() });
}
