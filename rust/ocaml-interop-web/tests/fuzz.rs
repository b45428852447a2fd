//! Property tests and fuzzing of the Rust side of the wire format (proptest, on wasm32).
//! The number of inputs each property ran is printed (`fuzz: <name>: <n> inputs`).
mod common;

use ocaml_interop::internal::{arena, recover_runtime_handle_mut};
use ocaml_interop::wire::{self, validate, WireError};
use ocaml_interop::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const CASES: u32 = 4000;

fn cr() -> &'static mut OCamlRuntime {
    unsafe { recover_runtime_handle_mut() }
}

fn report(name: &str, n: u32) {
    println!("fuzz: {name}: {n} inputs");
}

/// Random bytes as a wire graph: validation terminates, never reads outside the region (its
/// result is the same whatever the bytes around it), and counts exactly the blocks it visited
/// (the count it returns is the least limit that accepts the graph), whatever the bytes
/// (lengths, tags, addresses, cycles).
#[test]
fn validation_of_random_bytes_never_panics_or_hangs() {
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let (region, guard) = (4096u32, 512u32);
    let (_m, base) = common::fresh_region(region + 2 * guard);
    let start = base + guard;
    let strategy = (
        proptest::collection::vec(any::<u32>(), (region / 4) as usize),
        0u32..region / 8,
        0u8..3,
        (any::<u32>(), any::<u32>()),
    );
    let accepted = std::cell::Cell::new(0u32);
    runner
        .run(&strategy, |(words, root_index, mode, (seed_a, seed_b))| {
            let root_index = match mode {
                // 0: random words; 1: about half of them plausible addresses in or near the region
                0 | 1 => {
                    for (i, w) in words.iter().enumerate() {
                        // (the addresses reach into the bytes around the region too)
                        let w = if mode == 1 && i % 2 == 1 {
                            (base + (w % (region + 2 * guard))) & !7
                        } else {
                            *w
                        };
                        unsafe { wire::mem::write_u32(start + 4 * i as u32, w) };
                    }
                    root_index
                }
                // 2: a well-formed graph of small blocks (immediates and pointers to any block of
                // it, so shared and cyclic ones too), then up to two words overwritten at random
                _ => {
                    let mut next = words.iter().copied().cycle();
                    let mut rnd = || next.next().unwrap();
                    let (mut blocks, mut o) = (Vec::new(), 0u32);
                    while o + 8 + 16 <= region {
                        let size = rnd() % 4;
                        blocks.push((o, rnd() % 6, size));
                        o += 8 + (4 * size).div_ceil(8) * 8;
                    }
                    for &(o, tag, size) in &blocks {
                        unsafe { wire::mem::write_header(start + o, tag as u8, size) };
                        for f in 0..size {
                            let r = rnd();
                            let v = match r % 30 {
                                // now and then an address just outside the region, before or after it
                                0 => (base + (r / 30) % guard) & !7,
                                1 => (start + region + (r / 30) % guard) & !7,
                                n if n % 3 == 0 => start + blocks[(r / 3) as usize % blocks.len()].0,
                                _ => r | 1,
                            };
                            unsafe { wire::mem::write_u32(start + o + 8 + 4 * f, v) };
                        }
                    }
                    for _ in 0..rnd() % 3 {
                        let (at, w) = (rnd() % (region / 4), rnd());
                        unsafe { wire::mem::write_u32(start + 4 * at, w) };
                    }
                    blocks[root_index as usize % blocks.len()].0 / 8
                }
            };
            // the bytes around the region: two different fillings must give the same result
            let fill = |seed: u32| {
                let mut x = seed | 1;
                for a in (base..start).chain(start + region..start + region + guard).step_by(4) {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    // plausible headers and addresses, so that a read there would change the outcome
                    let w = if x % 3 == 0 {
                        x & 0xff
                    } else {
                        (start + x % region) & !7
                    };
                    unsafe { wire::mem::write_u32(a, w) };
                }
            };
            let root = start + root_index * 8;
            fill(seed_a);
            let first = validate(root, start, start + region, 10_000);
            fill(seed_b ^ 0x9e37_79b9);
            prop_assert_eq!(&validate(root, start, start + region, 10_000), &first);
            match first {
                Ok(n) => {
                    accepted.set(accepted.get() + 1);
                    prop_assert!(n >= 1, "the root is a block inside the region");
                    prop_assert_eq!(validate(root, start, start + region, n), Ok(n));
                    prop_assert_eq!(validate(root, start, start + region, n - 1), Err(WireError::TooLarge));
                }
                Err(
                    WireError::BadWord(_)
                    | WireError::OutOfBounds(_)
                    | WireError::BadHeader(_)
                    | WireError::BadCustom(_)
                    | WireError::TooLarge,
                ) => {}
            }
            Ok(())
        })
        .unwrap();
    report("validate(random bytes)", CASES);
    // some random graphs must be accepted, or the properties of accepted ones checked nothing
    let accepted = accepted.get();
    assert!(
        accepted >= CASES / 10,
        "only {accepted} of {CASES} random graphs were accepted"
    );
    println!("fuzz: validate(random bytes): {accepted} accepted");
}

/// A cyclic list ends with TooLarge.
#[test]
fn validation_stops_on_cycles() {
    let m = arena::mark();
    let cell = ocaml_interop::internal::alloc::block(0, 2).unwrap();
    unsafe {
        wire::mem::set_field(cell, 0, wire::val_int(1));
        wire::mem::set_field(cell, 1, cell);
    }
    assert_eq!(validate(cell, 0, u32::MAX, 1000), Err(WireError::TooLarge));
    arena::release(m);
}

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, Clone, PartialEq)]
enum Shape {
    Empty,
    Circle(f64),
    Label { text: String, size: i64 },
}

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, Clone, PartialEq)]
struct Item {
    id: i64,
    name: String,
    tags: Vec<String>,
    shape: Shape,
    parent: Option<i64>,
}

fn ocaml_int() -> impl Strategy<Value = i64> {
    wire::MIN_INT..=wire::MAX_INT
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Empty),
        any::<f64>()
            .prop_filter("not NaN", |x| !x.is_nan())
            .prop_map(Shape::Circle),
        (".{0,20}", ocaml_int()).prop_map(|(text, size)| Shape::Label { text, size }),
    ]
}

fn item() -> impl Strategy<Value = Item> {
    (
        ocaml_int(),
        ".{0,30}",
        proptest::collection::vec(".{0,8}", 0..6),
        shape(),
        proptest::option::of(ocaml_int()),
    )
        .prop_map(|(id, name, tags, shape, parent)| Item {
            id,
            name,
            tags,
            shape,
            parent,
        })
}

/// Typed values written by ToOCaml are well formed, read back equal, and survive rooting.
#[test]
fn typed_values_round_trip() {
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(item(), 0..8), |items| {
            let m = arena::mark();
            let v: OCaml<OCamlList<Item>> = items.to_ocaml(cr());
            let raw = unsafe { v.raw() };
            prop_assert!(validate(raw, 0, u32::MAX, 100_000).is_ok());
            prop_assert_eq!(&Vec::<Item>::from_ocaml(v), &items);
            let root = v.root();
            arena::release(m);
            prop_assert_eq!(root.to_rust::<Vec<Item>>(cr()), items);
            Ok(())
        })
        .unwrap();
    report("typed round trip (lists of records with variants)", CASES);

    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let scalars = (
        any::<i64>(),
        any::<i32>(),
        proptest::collection::vec(any::<u8>(), 0..64),
        proptest::collection::vec(any::<f64>(), 0..32),
    );
    runner
        .run(&scalars, |(a, b, bytes, floats)| {
            let m = arena::mark();
            let t: OCaml<(OCamlInt64, OCamlInt32, OCamlBytes, OCamlFloatArray)> =
                (a, b, bytes.clone(), floats.clone()).to_ocaml(cr());
            let raw = unsafe { t.raw() };
            prop_assert!(validate(raw, 0, u32::MAX, 100).is_ok());
            let (a2, b2, bytes2, floats2): (i64, i32, Vec<u8>, Vec<f64>) = t.to_rust();
            prop_assert_eq!((a2, b2, bytes2), (a, b, bytes));
            prop_assert!(floats2
                .iter()
                .map(|x| x.to_bits())
                .eq(floats.iter().map(|x| x.to_bits())));
            arena::release(m);
            Ok(())
        })
        .unwrap();
    report("typed round trip (int64, int32, bytes, float arrays)", CASES);
}

/// Ints outside OCaml's 31 bits fail the call instead of wrapping, for any value.
#[test]
fn out_of_range_ints_never_wrap() {
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&any::<i64>(), |n| {
            let fits = (wire::MIN_INT..=wire::MAX_INT).contains(&n);
            prop_assert_eq!(OCaml::<OCamlInt>::of_i64(n).is_ok(), fits);
            if fits {
                prop_assert_eq!(OCaml::<OCamlInt>::of_i64(n).ok().unwrap().to_i64(), n);
            }
            Ok(())
        })
        .unwrap();
    report("int range", CASES);
}
