//! The shared wire-format vectors (wire-format/vectors/v1.json), checked byte for byte.
mod common;

use common::*;
use ocaml_interop::internal::arena;
use ocaml_interop::wire::{mem, validate};
use ocaml_interop::{
    FromOCaml, OCaml, OCamlBytes, OCamlChar, OCamlException, OCamlFloat, OCamlFloatArray, OCamlInt, OCamlInt32,
    OCamlInt64, OCamlList, OCamlNativeInt, OCamlRuntime, OCamlUniformArray, ToOCaml,
};
use serde_json::Value;

/// Compares a decoded wire value with a vector value through the raw view of `OCaml<T>`.
fn same(v: OCaml<()>, want: &Value) -> bool {
    if let Some(name) = want.get("bigarray") {
        let data = hex(want["data"].as_str().unwrap());
        let (kind, size) = bigarray_kind(name.as_str().unwrap());
        let flags = want.get("flags").map_or(0, |f| f.as_u64().unwrap() as u32);
        return v.is_block()
            && v.tag_value() == 255
            && unsafe {
                let r = v.raw();
                mem::read_u32(r + 8) == 4
                    && mem::read_u32(r + 12) == kind | flags
                    && mem::read_u32(r + 16) == data.len() as u32 / size
                    && std::slice::from_raw_parts(mem::read_u32(r + 20) as usize as *const u8, data.len())
                        == data.as_slice()
            };
    }
    if let Some(words) = want.get("dynbox") {
        return v.is_block()
            && v.tag_value() == 255
            && (0..4).all(|i| unsafe { mem::read_u32(v.raw() + 8 + 4 * i) } == [5, words[0].as_u64().unwrap() as u32, words[1].as_u64().unwrap() as u32, words[2].as_u64().unwrap() as u32][i as usize]);
    }
    if want.get("closure").is_some() {
        let words = closure_words(want);
        return v.is_block()
            && v.tag_value() == 247
            && v.size() == words.len()
            && words.iter().enumerate().all(|(i, w)| {
                let f = unsafe { v.field::<()>(i) };
                f.is_long() && unsafe { f.raw() as i32 >> 1 } as i64 == *w
            });
    }
    if let Some(n) = want.get("int") {
        return v.is_long() && unsafe { v.raw() as i32 >> 1 } as i64 == n.as_i64().unwrap();
    }
    if !v.is_block() {
        return false;
    }
    if let Some(s) = want.get("string") {
        let s = hex(s.as_str().unwrap());
        return v.tag_value() == 252
            && v.size() == s.len()
            && unsafe { ocaml_interop::wire::mem::bytes(v.raw()) } == s.as_slice();
    }
    if let Some(x) = want.get("float") {
        let f: OCaml<OCamlFloat> = unsafe { OCaml::from_raw_unchecked(v.raw()) };
        return v.tag_value() == 253 && f.to_f64().to_bits() == x.as_f64().unwrap().to_bits();
    }
    for (k, kind) in [("int32", 1u32), ("int64", 2), ("nativeint", 3)] {
        if let Some(x) = want.get(k) {
            let want: i64 = x.as_str().unwrap().parse().unwrap();
            return v.tag_value() == 255
                && unsafe { ocaml_interop::wire::mem::read_u32(v.raw() + 8) } == kind
                && unsafe { std::ptr::read((v.raw() + 16) as usize as *const i64) } == want;
        }
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
        && fields
            .iter()
            .enumerate()
            .all(|(i, f)| same(unsafe { v.field::<()>(i) }, f))
}

#[test]
fn encodes_every_vector_byte_for_byte() {
    let (base, vectors) = vectors();
    assert!(vectors.len() > 15);
    let mut checked = 0;
    for v in vectors.iter().filter(|v| encodes(v, "rust")) {
        let (m, start) = fresh_region(4096);
        let root = encode_raw(&v["value"]);
        let (want, want_root) = relocated(v, base, start);
        assert_eq!(root, want_root, "{}: root word", v["name"]);
        assert_eq!(
            arena::mark().top - start,
            want.len() as u32,
            "{}: encoded size",
            v["name"]
        );
        assert_eq!(region(start, want.len()), want, "{}: bytes", v["name"]);
        arena::release(m);
        checked += 1;
    }
    // every vector Rust encodes was encoded (an unknown kind panics in encode_raw, never skips)
    assert_eq!(checked, vectors.iter().filter(|v| encodes(v, "rust")).count());
    assert!(checked >= 55, "{checked} vectors encoded");
}

#[test]
fn decodes_every_vector() {
    let (base, vectors) = vectors();
    let mut checked = 0;
    for v in vectors.iter().filter(|v| decodes(v, "rust")) {
        let bytes = hex(v["bytes"].as_str().unwrap());
        let (m, start) = place(&bytes);
        let (bytes, root) = relocated(v, base, start);
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), start as usize as *mut u8, bytes.len()) };
        if v.get("rejected").is_some() {
            // Rust's decoders check a graph with validate() before reading it
            assert!(
                validate(root, start, start + bytes.len() as u32, 100).is_err(),
                "{}: accepted",
                v["name"]
            );
        } else {
            assert!(
                validate(root, start, start + bytes.len() as u32, 100).is_ok(),
                "{}: refused",
                v["name"]
            );
            let value: OCaml<()> = unsafe { OCaml::from_raw_unchecked(root) };
            assert!(same(value, &v["value"]), "{}: decoded value differs", v["name"]);
        }
        arena::release(m);
        checked += 1;
    }
    assert_eq!(checked, vectors.iter().filter(|v| decodes(v, "rust")).count());
    assert!(checked >= 60, "{checked} vectors decoded");
}

/// `Vec<T>: ToOCaml<Array1<T>>` writes the copied bigarray vectors, and `FromOCaml` reads every
/// bigarray vector of a kind Rust has a type for (char bigarrays have none).
#[test]
fn bigarray_conversions_match_the_vectors() {
    let (base, vectors) = vectors();
    let mut checked = 0;
    macro_rules! kinds {
        ($v:expr, $name:expr, $($n:literal => $t:ty),*) => {
            match $name {
                $($n => check::<$t>($v, base),)*
                "char" => return,
                other => panic!("no Rust type for the bigarray kind {other}"),
            }
        };
    }
    fn check<T: ocaml_interop::bigarray::BigarrayElt + PartialEq + std::fmt::Debug>(v: &Value, base: u32)
    where
        Vec<T>: ToOCaml<ocaml_interop::bigarray::Array1<T>> + FromOCaml<ocaml_interop::bigarray::Array1<T>>,
    {
        let data = hex(v["value"]["data"].as_str().unwrap());
        let n = data.len() / std::mem::size_of::<T>();
        let elts: Vec<T> = (0..n)
            .map(|i| unsafe { std::ptr::read_unaligned(data.as_ptr().add(i * std::mem::size_of::<T>()) as *const T) })
            .collect();
        if encodes(v, "rust") {
            let (m, start) = fresh_region(4096);
            let root = unsafe {
                elts.to_ocaml(ocaml_interop::internal::recover_runtime_handle_mut())
                    .raw()
            };
            let (want, want_root) = relocated(v, base, start);
            assert_eq!(root, want_root, "{}: root", v["name"]);
            assert_eq!(region(start, want.len()), want, "{}: bytes", v["name"]);
            arena::release(m);
        }
        let bytes = hex(v["bytes"].as_str().unwrap());
        let (m, start) = place(&bytes);
        let (bytes, root) = relocated(v, base, start);
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), start as usize as *mut u8, bytes.len()) };
        let back =
            Vec::<T>::from_ocaml(unsafe { OCaml::<ocaml_interop::bigarray::Array1<T>>::from_raw_unchecked(root) });
        assert_eq!(back, elts, "{}: decoded", v["name"]);
        arena::release(m);
    }
    for v in vectors
        .iter()
        .filter(|v| v["value"].get("bigarray").is_some() && decodes(v, "rust"))
    {
        kinds!(v, v["value"]["bigarray"].as_str().unwrap(),
            "float32" => f32, "float64" => f64, "int8_signed" => i8, "int8_unsigned" => u8,
            "int16_signed" => i16, "int16_unsigned" => u16, "int32" => i32, "int64" => i64, "nativeint" => isize);
        checked += 1;
    }
    assert_eq!(checked, 12, "the bigarray vectors of a kind Rust has a type for");
}

/// The polymorphic variants' hashes in the vectors are `hash_variant`'s (OCaml's caml_hash_variant).
#[test]
fn polymorphic_variant_hashes_are_ocamls() {
    let (_, vectors) = vectors();
    let mut checked = 0;
    for v in vectors.iter().filter(|v| v["type"].get("polyvar").is_some()) {
        for c in v["type"]["polyvar"]["ctors"].as_array().unwrap() {
            assert_eq!(
                ocaml_interop::hash_variant(c["name"].as_str().unwrap()) as i64,
                c["hash"].as_i64().unwrap(),
                "{}: {}",
                v["name"],
                c["name"]
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 3);
}

/// The typed conversions (`ToOCaml`) write exactly the vectors' bytes.
#[test]
fn typed_conversions_match_the_vectors() {
    let (base, vectors) = vectors();
    let cr = unsafe { ocaml_interop::internal::recover_runtime_handle_mut() };
    let check = |name: &str, enc: &dyn Fn(&mut OCamlRuntime) -> u32| {
        let v = vectors
            .iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("no vector {name}"));
        let (m, start) = fresh_region(4096);
        let root = enc(unsafe { ocaml_interop::internal::recover_runtime_handle_mut() });
        let (want, want_root) = relocated(v, base, start);
        assert_eq!(root, want_root, "{name}: root");
        assert_eq!(region(start, want.len()), want, "{name}: bytes");
        arena::release(m);
    };
    let _ = cr;
    check("unit", &|cr| unsafe { ().to_ocaml(cr).raw() });
    check("int 42", &|cr| unsafe {
        ToOCaml::<OCamlInt>::to_ocaml(&42i64, cr).raw()
    });
    check("int -1", &|cr| unsafe {
        ToOCaml::<OCamlInt>::to_ocaml(&-1i32, cr).raw()
    });
    check("int max (2^30 - 1)", &|cr| unsafe {
        ToOCaml::<OCamlInt>::to_ocaml(&1073741823i64, cr).raw()
    });
    check("int min (-2^30)", &|cr| unsafe {
        ToOCaml::<OCamlInt>::to_ocaml(&-1073741824i64, cr).raw()
    });
    check("true", &|cr| unsafe { true.to_ocaml(cr).raw() });
    check("false", &|cr| unsafe { false.to_ocaml(cr).raw() });
    check("empty string", &|cr| unsafe {
        ToOCaml::<String>::to_ocaml("", cr).raw()
    });
    check("string hello", &|cr| unsafe {
        ToOCaml::<String>::to_ocaml(&"hello".to_string(), cr).raw()
    });
    check("string of 8 bytes (no padding)", &|cr| unsafe {
        ToOCaml::<String>::to_ocaml("01234567", cr).raw()
    });
    check("string with UTF-8 (é)", &|cr| unsafe {
        ToOCaml::<String>::to_ocaml("é", cr).raw()
    });
    check("string with invalid UTF-8", &|cr| unsafe {
        ToOCaml::<OCamlBytes>::to_ocaml(&vec![0xffu8, 0xfe], cr).raw()
    });
    check("float 1.5", &|cr| unsafe {
        ToOCaml::<OCamlFloat>::to_ocaml(&1.5f64, cr).raw()
    });
    check("float -0.0", &|cr| unsafe {
        ToOCaml::<OCamlFloat>::to_ocaml(&-0.0f64, cr).raw()
    });
    check("Some 7", &|cr| unsafe {
        ToOCaml::<Option<OCamlInt>>::to_ocaml(&Some(7i64), cr).raw()
    });
    check("None", &|cr| unsafe {
        ToOCaml::<Option<OCamlInt>>::to_ocaml(&None::<i64>, cr).raw()
    });
    check("Some \"ab\"", &|cr| unsafe {
        ToOCaml::<Option<String>>::to_ocaml(&Some("ab"), cr).raw()
    });
    check("int32 -7", &|cr| unsafe {
        ToOCaml::<OCamlInt32>::to_ocaml(&-7i32, cr).raw()
    });
    check("int64 2^40 + 5", &|cr| unsafe {
        ToOCaml::<OCamlInt64>::to_ocaml(&((1i64 << 40) + 5), cr).raw()
    });
    check("int64 min", &|cr| unsafe {
        ToOCaml::<OCamlInt64>::to_ocaml(&i64::MIN, cr).raw()
    });
    check("nativeint 123", &|cr| unsafe {
        ToOCaml::<OCamlNativeInt>::to_ocaml(&123isize, cr).raw()
    });
    check("char 'A'", &|cr| unsafe {
        ToOCaml::<OCamlChar>::to_ocaml(&'A', cr).raw()
    });
    check("list [\"a\"; \"b\"]", &|cr| unsafe {
        ToOCaml::<OCamlList<String>>::to_ocaml(&vec!["a", "b"], cr).raw()
    });
    check("empty list", &|cr| unsafe {
        ToOCaml::<OCamlList<OCamlInt>>::to_ocaml(&Vec::<i64>::new(), cr).raw()
    });
    check("array [|1; 2; 3|]", &|cr| unsafe {
        ToOCaml::<OCamlUniformArray<OCamlInt>>::to_ocaml(&vec![1i64, 2, 3], cr).raw()
    });
    check("float array [1.0; -2.0]", &|cr| unsafe {
        ToOCaml::<OCamlFloatArray>::to_ocaml(&vec![1.0f64, -2.0], cr).raw()
    });
    check("Ok \"x\"", &|cr| unsafe {
        ToOCaml::<Result<String, OCamlInt>>::to_ocaml(&Ok::<&str, i64>("x"), cr).raw()
    });
    check("Error 5", &|cr| unsafe {
        ToOCaml::<Result<String, OCamlInt>>::to_ocaml(&Err::<&str, i64>(5), cr).raw()
    });
    check("tuple (1, \"x\", 2.5)", &|cr| unsafe {
        ToOCaml::<(OCamlInt, String, OCamlFloat)>::to_ocaml(&(1i64, "x", 2.5f64), cr).raw()
    });
    check("nested: Some [(1, 2.5)]", &|cr| unsafe {
        ToOCaml::<Option<OCamlList<(OCamlInt, OCamlFloat)>>>::to_ocaml(&Some(vec![(1i64, 2.5f64)]), cr).raw()
    });
}

/// The typed conversions (`FromOCaml`) read the vectors back into Rust values.
#[test]
fn typed_conversions_read_the_vectors() {
    let (base, vectors) = vectors();
    fn read<T, R: FromOCaml<T>>(vectors: &[Value], base: u32, name: &str) -> R {
        let v = vectors
            .iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("no vector {name}"));
        let bytes = hex(v["bytes"].as_str().unwrap());
        let (_m, start) = place(&bytes);
        let (bytes, root) = relocated(v, base, start);
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), start as usize as *mut u8, bytes.len()) };
        R::from_ocaml(unsafe { OCaml::<T>::from_raw_unchecked(root) })
    }
    let m = arena::mark();
    assert_eq!(read::<OCamlInt32, i32>(&vectors, base, "int32 -7"), -7);
    assert_eq!(read::<OCamlInt64, i64>(&vectors, base, "int64 2^40 + 5"), (1 << 40) + 5);
    assert_eq!(read::<OCamlInt64, i64>(&vectors, base, "int64 min"), i64::MIN);
    assert_eq!(read::<OCamlNativeInt, isize>(&vectors, base, "nativeint 123"), 123);
    assert_eq!(read::<OCamlChar, char>(&vectors, base, "char 'A'"), 'A');
    assert_eq!(
        read::<OCamlList<String>, Vec<String>>(&vectors, base, "list [\"a\"; \"b\"]"),
        vec!["a", "b"]
    );
    assert_eq!(
        read::<OCamlList<OCamlInt>, Vec<i64>>(&vectors, base, "empty list"),
        Vec::<i64>::new()
    );
    assert_eq!(
        read::<OCamlUniformArray<OCamlInt>, Vec<i64>>(&vectors, base, "array [|1; 2; 3|]"),
        vec![1, 2, 3]
    );
    assert_eq!(
        read::<OCamlFloatArray, Vec<f64>>(&vectors, base, "float array [1.0; -2.0]"),
        vec![1.0, -2.0]
    );
    assert_eq!(
        read::<Result<String, OCamlInt>, Result<String, i64>>(&vectors, base, "Ok \"x\""),
        Ok("x".to_string())
    );
    assert_eq!(
        read::<Result<String, OCamlInt>, Result<String, i64>>(&vectors, base, "Error 5"),
        Err(5)
    );
    assert_eq!(
        read::<(OCamlInt, String, OCamlFloat), (i64, String, f64)>(&vectors, base, "tuple (1, \"x\", 2.5)"),
        (1, "x".to_string(), 2.5)
    );
    assert_eq!(
        read::<Option<OCamlList<(OCamlInt, OCamlFloat)>>, Option<Vec<(i64, f64)>>>(
            &vectors,
            base,
            "nested: Some [(1, 2.5)]"
        ),
        Some(vec![(1, 2.5)])
    );
    arena::release(m);
}

#[test]
fn exception_values_give_their_name_and_message() {
    let (base, vectors) = vectors();
    let v = vectors
        .iter()
        .find(|v| v["name"] == "exception Failure \"boom\"")
        .unwrap();
    let bytes = hex(v["bytes"].as_str().unwrap());
    let (m, start) = place(&bytes);
    let (bytes, root) = relocated(v, base, start);
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), start as usize as *mut u8, bytes.len()) };
    let exn: OCaml<OCamlException> = unsafe { OCaml::from_raw_unchecked(root) };
    assert_eq!(exn.name().as_deref(), Some("Failure"));
    assert_eq!(exn.message().as_deref(), Some("boom"));
    arena::release(m);
}
