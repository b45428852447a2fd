//! Identity functions for every supported type: each converts the OCaml value to a Rust value
//! and back (`to_rust` then `to_ocaml`), so a value that comes back equal crossed both ways.
//! `e2e/values.spec.ts` sends random values through them from TS and from OCaml.

// `ocaml!` functions take their arguments by reference, as in ocaml-interop's own examples
// (`f(cr, &n)`); clippy would have plain values, which work too.
#![allow(clippy::needless_borrows_for_generic_args)]
// the conformance tests spell out the model's nested types (closures of tuples of options...)
#![allow(clippy::type_complexity)]

use ocaml_interop::BoxRoot;
use ocaml_interop::*;

mod async_calls;
mod bare_calls;
mod unwinding;

macro_rules! identity {
    ($($name:ident: $marker:ty => $rust:ty),* $(,)?) => {$(
        #[ocaml_interop::export]
        pub fn $name(cr: &mut OCamlRuntime, x: OCaml<$marker>) -> OCaml<$marker> {
            let r: $rust = x.to_rust();
            r.to_ocaml(cr)
        }
    )*};
}

identity! {
    id_unit: () => (),
    id_int: OCamlInt => i64,
    id_bool: bool => bool,
    id_float: OCamlFloat => f64,
    id_string: String => Vec<u8>,
    id_bytes: OCamlBytes => Vec<u8>,
    id_char: OCamlChar => u8,
    id_int32: OCamlInt32 => i32,
    id_int64: OCamlInt64 => i64,
    id_nativeint: OCamlNativeInt => isize,
    id_int_option: Option<OCamlInt> => Option<i64>,
    id_int_list: OCamlList<OCamlInt> => Vec<i64>,
    id_string_list: OCamlList<String> => Vec<Vec<u8>>,
    id_float_array: OCamlFloatArray => Vec<f64>,
    id_option_array: OCamlUniformArray<Option<OCamlInt>> => Vec<Option<i64>>,
    id_tuple3: (OCamlInt, String, OCamlFloat) => (i64, String, f64),
    id_result: Result<OCamlInt, String> => Result<i64, String>,
    id_nested: Option<OCamlList<(OCamlInt64, OCamlList<String>)>> => Option<Vec<(i64, Vec<String>)>>,
    id_tuple10: (OCamlInt, OCamlInt, OCamlInt, OCamlInt, OCamlInt, OCamlInt, OCamlInt, OCamlInt, OCamlInt, String)
        => (i64, i64, i64, i64, i64, i64, i64, i64, i64, String),
}

/// The raw view: the sum of a list's ints, walking it with `uncons` (no conversion).
#[ocaml_interop::export]
pub fn sum_list_raw(cr: &mut OCamlRuntime, xs: OCaml<OCamlList<OCamlInt>>) -> OCaml<OCamlInt> {
    let mut total = 0i64;
    let mut cur = xs;
    while let Some((h, t)) = cur.uncons() {
        total += h.to_i64();
        cur = t;
    }
    total.to_ocaml(cr)
}

/// The exception's name and message (`OCamlException::message`).
#[ocaml_interop::export]
pub fn describe_exn(cr: &mut OCamlRuntime, e: OCaml<OCamlException>) -> OCaml<(Option<String>, Option<String>)> {
    (e.name(), e.message()).to_ocaml(cr)
}

ocaml! {
    fn ocaml_id_int_list(xs: OCamlList<OCamlInt>) -> OCamlList<OCamlInt>;
    fn ocaml_id_nested(x: Option<OCamlList<(OCamlInt64, OCamlList<String>)>>) -> Option<OCamlList<(OCamlInt64, OCamlList<String>)>>;
    fn ocaml_id_tuple3(x: (OCamlInt, String, OCamlFloat)) -> (OCamlInt, String, OCamlFloat);
    fn ocaml_id_float_array(x: OCamlFloatArray) -> OCamlFloatArray;
    fn ocaml_id_result(x: Result<OCamlInt, String>) -> Result<OCamlInt, String>;
}

/// Rust -> OCaml -> Rust: `n` pseudo-random values of several types go through identity
/// functions registered in OCaml and must come back equal. Returns "ok <count>" or the first
/// mismatch.
#[ocaml_interop::export]
pub fn rust_round_trips(cr: &mut OCamlRuntime, seed: OCaml<OCamlInt>, n: OCaml<OCamlInt>) -> OCaml<String> {
    let mut rng = seed.to_i64() as u64 | 1;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let n = n.to_i64();
    let mut checked = 0;
    for i in 0..n {
        let len = (next() % 20) as usize;
        let ints: Vec<i64> = (0..len).map(|_| (next() % 2_000_000) as i64 - 1_000_000).collect();
        let back: Vec<i64> = ocaml_id_int_list(cr, &ints).to_rust(cr);
        if back != ints {
            return format!("mismatch at {i}: int list {ints:?} came back as {back:?}").to_ocaml(cr);
        }
        let nested: Option<Vec<(i64, Vec<String>)>> = if next() % 4 == 0 {
            None
        } else {
            Some(
                (0..(next() % 5))
                    .map(|k| {
                        (
                            next() as i64,
                            (0..k).map(|j| format!("s{j}é{}", next() % 100)).collect(),
                        )
                    })
                    .collect(),
            )
        };
        let back: Option<Vec<(i64, Vec<String>)>> = ocaml_id_nested(cr, &nested).to_rust(cr);
        if back != nested {
            return format!("mismatch at {i}: nested {nested:?} came back as {back:?}").to_ocaml(cr);
        }
        let t = (
            (next() % 1000) as i64,
            format!("t{}", next()),
            f64::from_bits(next() >> 2),
        );
        let back: (i64, String, f64) = ocaml_id_tuple3(cr, &t).to_rust(cr);
        if back.0 != t.0 || back.1 != t.1 || back.2.to_bits() != t.2.to_bits() {
            return format!("mismatch at {i}: tuple {t:?} came back as {back:?}").to_ocaml(cr);
        }
        let fa: Vec<f64> = (0..(next() % 50)).map(|_| f64::from_bits(next() >> 1)).collect();
        let back: Vec<f64> = ocaml_id_float_array(cr, &fa).to_rust(cr);
        if back.iter().map(|x| x.to_bits()).ne(fa.iter().map(|x| x.to_bits())) {
            return format!("mismatch at {i}: float array came back different").to_ocaml(cr);
        }
        let r: Result<i64, String> = if next() % 2 == 0 {
            Ok(next() as i64 % 1000)
        } else {
            Err(format!("e{}", next()))
        };
        let back: Result<i64, String> = ocaml_id_result(cr, &r).to_rust(cr);
        if back != r {
            return format!("mismatch at {i}: result {r:?} came back as {back:?}").to_ocaml(cr);
        }
        checked += 5;
    }
    format!("ok {checked}").to_ocaml(cr)
}

// ---- records, variants, polymorphic variants (derived) -----------------------------------------

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, Clone, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, Clone, PartialEq)]
pub enum Shape {
    Empty,
    Circle(Point, f64),
    Rect { w: f64, h: f64 },
    Poly(Vec<(f64, f64)>),
    Nothing,
}

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, Clone, PartialEq)]
#[ocaml(polymorphic_variant)]
pub enum Color {
    Red,
    Green,
    #[ocaml(tag = "rgb")]
    Rgb(
        #[ocaml(as_ = "OCamlInt")] i64,
        #[ocaml(as_ = "OCamlInt")] i64,
        #[ocaml(as_ = "OCamlInt")] i64,
    ),
    Named(String),
}

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, Clone, PartialEq)]
pub struct Item {
    #[ocaml(as_ = "OCamlInt")]
    pub id: i64,
    pub name: String,
    pub shape: Shape,
    pub color: Color,
    pub tags: Vec<String>,
    #[ocaml(as_ = "Option<OCamlInt>")]
    pub parent: Option<i64>,
}

identity! {
    id_point: Point => Point,
    id_shape: Shape => Shape,
    id_color: Color => Color,
    id_item: Item => Item,
    id_items: OCamlList<Item> => Vec<Item>,
}

// ---- values that are awkward in JS (e2e/hostile.spec.ts) ----------------------------------------

/// Field names that mean something to JS objects.
#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, Clone, PartialEq)]
pub struct Odd {
    #[ocaml(as_ = "OCamlInt")]
    pub __proto__: i64,
    pub constructor: String,
    pub tag: String,
    #[ocaml(as_ = "Option<Option<OCamlInt>>")]
    pub some: Option<Option<i64>>,
}

/// An inline record whose fields are named like the keys of the variant encoding.
#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, Clone, PartialEq)]
pub enum Tagged {
    Plain,
    Labeled {
        tag: String,
        #[ocaml(as_ = "OCamlInt")]
        args: i64,
        fields: Vec<String>,
    },
    Wrapped(Odd),
}

/// A recursive type, for deep and cyclic values.
#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, Clone, PartialEq)]
pub enum Tree {
    Leaf,
    Node(Box<Tree>, #[ocaml(as_ = "OCamlInt")] i64, Box<Tree>),
}

identity! {
    id_odd: Odd => Odd,
    id_tagged: Tagged => Tagged,
    id_tree: Tree => Tree,
    id_unit_option: Option<()> => Option<()>,
    id_opt_opt_int: Option<Option<OCamlInt>> => Option<Option<i64>>,
    id_opt3_int: Option<Option<Option<OCamlInt>>> => Option<Option<Option<i64>>>,
    id_opt_opt_unit: Option<Option<()>> => Option<Option<()>>,
    id_opt_opt_list: OCamlList<Option<Option<OCamlInt>>> => Vec<Option<Option<i64>>>,
}

macro_rules! debug_of {
    ($($name:ident: $marker:ty => $rust:ty),* $(,)?) => {$(
        /// What Rust received, as `{:?}` shows it.
        #[ocaml_interop::export]
        pub fn $name(cr: &mut OCamlRuntime, x: OCaml<$marker>) -> OCaml<String> {
            let r: $rust = x.to_rust();
            format!("{r:?}").to_ocaml(cr)
        }
    )*};
}

debug_of! {
    debug_point: Point => Point,
    debug_shape: Shape => Shape,
    debug_item: Item => Item,
    debug_odd: Odd => Odd,
    debug_tagged: Tagged => Tagged,
    debug_result: Result<OCamlInt, String> => Result<i64, String>,
    debug_opt3_int: Option<Option<Option<OCamlInt>>> => Option<Option<Option<i64>>>,
    debug_opt_opt_unit: Option<Option<()>> => Option<Option<()>>,
    debug_int_list: OCamlList<OCamlInt> => Vec<i64>,
    debug_float_array: OCamlFloatArray => Vec<f64>,
    debug_string: String => String,
}

/// `Some^k None` when k < depth, else `Some^depth (Some n)`: every value of an
/// `int option option option`, made by Rust.
#[ocaml_interop::export]
pub fn make_opt3_int(cr: &mut OCamlRuntime, k: OCaml<OCamlInt>) -> OCaml<Option<Option<Option<OCamlInt>>>> {
    let v: Option<Option<Option<i64>>> = match k.to_i64() {
        0 => None,
        1 => Some(None),
        2 => Some(Some(None)),
        n => Some(Some(Some(n))),
    };
    v.to_ocaml(cr)
}

/// A left-deep tree of `n` nodes (Node (Node (... Leaf ...), i, Leaf)).
#[ocaml_interop::export]
pub fn make_tree(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<Tree> {
    let mut t = Tree::Leaf;
    for i in 0..n.to_i64() {
        t = Tree::Node(Box::new(t), i, Box::new(Tree::Leaf));
    }
    t.to_ocaml(cr)
}

/// The depth of a tree (its longest path of nodes).
#[ocaml_interop::export]
pub fn tree_depth(cr: &mut OCamlRuntime, t: OCaml<Tree>) -> OCaml<OCamlInt> {
    fn depth(t: &Tree) -> i64 {
        match t {
            Tree::Leaf => 0,
            Tree::Node(l, _, r) => 1 + depth(l).max(depth(r)),
        }
    }
    depth(&t.to_rust::<Tree>()).to_ocaml(cr)
}

/// Area of a shape, computed in Rust from the OCaml variant.
#[ocaml_interop::export]
pub fn shape_area(cr: &mut OCamlRuntime, s: OCaml<Shape>) -> OCaml<OCamlFloat> {
    let area = match s.to_rust::<Shape>() {
        Shape::Empty | Shape::Nothing => 0.0,
        Shape::Circle(_, r) => std::f64::consts::PI * r * r,
        Shape::Rect { w, h } => w * h,
        Shape::Poly(pts) => {
            let n = pts.len();
            (0..n)
                .map(|i| {
                    let (a, b) = (pts[i], pts[(i + 1) % n]);
                    a.0 * b.1 - b.0 * a.1
                })
                .sum::<f64>()
                .abs()
                / 2.0
        }
    };
    area.to_ocaml(cr)
}

// ---- closures -------------------------------------------------------------------------------------

/// f (f x), with an OCaml closure.
#[ocaml_interop::export]
pub fn apply_twice(cr: &mut OCamlRuntime, f: OCaml<fn(OCamlInt) -> OCamlInt>, x: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let once: i64 = match f.try_call(cr, &x.to_i64()) {
        Ok(v) => v.to_i64(),
        Err(e) => panic!("OCaml raised {:?}", e.message()),
    };
    match f.try_call(cr, &once) {
        Ok(v) => v.to_i64().to_ocaml(cr),
        Err(e) => panic!("OCaml raised {:?}", e.message()),
    }
}

/// A closure of seven arguments, called with 1..7.
#[ocaml_interop::export]
pub fn apply7(
    cr: &mut OCamlRuntime,
    f: OCaml<fn(OCamlInt, OCamlInt, OCamlInt, OCamlInt, OCamlInt, OCamlInt, OCamlInt) -> String>,
) -> OCaml<String> {
    let r: String = f
        .try_call(cr, &1i64, &2i64, &3i64, &4i64, &5i64, &6i64, &7i64)
        .ok()
        .expect("no exception")
        .to_rust();
    r.to_ocaml(cr)
}

/// `Ok (f s)`, or `Error "<exception name>: <message>"` when the closure raises.
#[ocaml_interop::export]
pub fn try_apply(
    cr: &mut OCamlRuntime,
    f: OCaml<fn(String) -> String>,
    s: OCaml<String>,
) -> OCaml<Result<String, String>> {
    let s: String = s.to_rust();
    let r: Result<String, String> = match f.try_call(cr, &s) {
        Ok(v) => Ok(v.to_rust()),
        Err(e) => Err(format!(
            "{}: {}",
            e.name().unwrap_or_default(),
            e.message().unwrap_or_default()
        )),
    };
    r.to_ocaml(cr)
}

thread_local! {
    static KEPT: std::cell::RefCell<Vec<BoxRoot<fn(OCamlInt) -> OCamlInt>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Keeps the closure past this call (rooted); returns how many are kept.
#[ocaml_interop::export]
pub fn keep_closure(cr: &mut OCamlRuntime, f: BoxRoot<fn(OCamlInt) -> OCamlInt>) -> OCaml<OCamlInt> {
    KEPT.with(|k| {
        k.borrow_mut().push(f);
        (k.borrow().len() as i64).to_ocaml(cr)
    })
}

/// Calls every kept closure on x, in order, and sums the results.
#[ocaml_interop::export]
pub fn call_kept(cr: &mut OCamlRuntime, x: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let x = x.to_i64();
    let kept: Vec<BoxRoot<fn(OCamlInt) -> OCamlInt>> = KEPT.with(|k| std::mem::take(&mut *k.borrow_mut()));
    let mut sum = 0;
    for f in &kept {
        sum += f.try_call(cr, &x).ok().expect("no exception").to_i64();
    }
    KEPT.with(|k| *k.borrow_mut() = kept);
    sum.to_ocaml(cr)
}

/// Drops the kept closures (OCaml may then collect them).
#[ocaml_interop::export]
pub fn drop_kept(_cr: &mut OCamlRuntime, _unit: OCaml<()>) {
    KEPT.with(|k| k.borrow_mut().clear());
}

// ---- bigarrays -------------------------------------------------------------------------------------

use ocaml_interop::bigarray::{Array1, SharedArray1};

identity! {
    id_f64_bigarray: Array1<f64> => Vec<f64>,
    id_u8_bigarray: Array1<u8> => Vec<u8>,
    id_i32_bigarray: Array1<i32> => Vec<i32>,
    id_i64_bigarray: Array1<i64> => Vec<i64>,
    id_isize_bigarray: Array1<isize> => Vec<isize>,
    id_i16_bigarray: Array1<i16> => Vec<i16>,
    id_f32_bigarray: Array1<f32> => Vec<f32>,
}

thread_local! {
    static SHARED: std::cell::RefCell<Option<SharedArray1<f64>>> = const { std::cell::RefCell::new(None) };
    static GROWTH: std::cell::RefCell<Vec<Vec<u8>>> = const { std::cell::RefCell::new(Vec::new()) };
    static ROOTED_BA: std::cell::RefCell<Option<BoxRoot<Array1<f64>>>> = const { std::cell::RefCell::new(None) };
}

/// A buffer of n floats (0.5 * i) that Rust owns and OCaml gets as a Bigarray view (no copy).
#[ocaml_interop::export]
pub fn shared_make(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<Array1<f64>> {
    let buf = SharedArray1::from_vec((0..n.to_i64()).map(|i| i as f64 * 0.5).collect());
    SHARED.with(|s| {
        let mut s = s.borrow_mut();
        *s = Some(buf);
        s.as_ref().unwrap().to_ocaml(cr)
    })
}

/// Drops Rust's buffer (OCaml's view keeps it alive: its data is counted).
#[ocaml_interop::export]
pub fn shared_drop(_cr: &mut OCamlRuntime, _unit: OCaml<()>) {
    SHARED.with(|s| s.borrow_mut().take());
}

thread_local! {
    static FILLED: std::cell::RefCell<Vec<Vec<f64>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Allocates `count` vectors of n floats equal to x (kept), to land wherever the allocator
/// likes; returns the sum of everything kept. A freed or re-created buffer an OCaml view still
/// holds must never be one of them.
#[ocaml_interop::export]
pub fn alloc_fill(
    cr: &mut OCamlRuntime,
    n: OCaml<OCamlInt>,
    x: OCaml<OCamlFloat>,
    count: OCaml<OCamlInt>,
) -> OCaml<OCamlFloat> {
    let (n, x) = (n.to_i64() as usize, x.to_f64());
    FILLED
        .with(|f| {
            let mut f = f.borrow_mut();
            for _ in 0..count.to_i64() {
                f.push(vec![x; n]);
            }
            f.iter().flatten().sum::<f64>()
        })
        .to_ocaml(cr)
}

#[ocaml_interop::export]
pub fn shared_get(cr: &mut OCamlRuntime, i: OCaml<OCamlInt>) -> OCaml<OCamlFloat> {
    SHARED
        .with(|s| s.borrow().as_ref().unwrap().as_slice()[i.to_i64() as usize])
        .to_ocaml(cr)
}

#[ocaml_interop::export]
pub fn shared_set(_cr: &mut OCamlRuntime, i: OCaml<OCamlInt>, x: OCaml<OCamlFloat>) {
    SHARED.with(|s| s.borrow_mut().as_mut().unwrap().as_mut_slice()[i.to_i64() as usize] = x.to_f64());
}

/// The sum of a bigarray's elements, read where they are (a view on Rust's buffer is not copied).
#[ocaml_interop::export]
pub fn ba_sum(cr: &mut OCamlRuntime, ba: OCaml<Array1<f64>>) -> OCaml<OCamlFloat> {
    ba.as_slice().iter().sum::<f64>().to_ocaml(cr)
}

/// Only the length: the cost of passing the bigarray, whatever its size.
#[ocaml_interop::export]
pub fn ba_len(cr: &mut OCamlRuntime, ba: OCaml<Array1<f64>>) -> OCaml<OCamlInt> {
    (ba.len() as i64).to_ocaml(cr)
}

/// The sum of Rust's own shared buffer, with no bigarray crossing (the W8 baseline).
#[ocaml_interop::export]
pub fn shared_sum_native(cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<OCamlFloat> {
    SHARED
        .with(|s| {
            s.borrow()
                .as_ref()
                .map(|b| b.as_slice().iter().sum::<f64>())
                .unwrap_or(0.0)
        })
        .to_ocaml(cr)
}

/// Makes Rust's memory grow by about `mib` MiB; returns the memory size in MiB.
#[ocaml_interop::export]
pub fn grow_memory(cr: &mut OCamlRuntime, mib: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let bytes = (mib.to_i64() as usize) << 20;
    GROWTH.with(|g| g.borrow_mut().push(vec![1u8; bytes]));
    (((core::arch::wasm32::memory_size(0) * 65536) >> 20) as i64).to_ocaml(cr)
}

/// Keeps a copied bigarray past the call (its data is copied out of the arena).
#[ocaml_interop::export]
pub fn keep_bigarray(_cr: &mut OCamlRuntime, ba: BoxRoot<Array1<f64>>) {
    ROOTED_BA.with(|r| *r.borrow_mut() = Some(ba));
}

#[ocaml_interop::export]
pub fn kept_bigarray_sum(cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<OCamlFloat> {
    ROOTED_BA
        .with(|r| {
            r.borrow()
                .as_ref()
                .map(|b| b.get(cr).as_slice().iter().sum::<f64>())
                .unwrap_or(-1.0)
        })
        .to_ocaml(cr)
}

// ---- Rust values owned by OCaml (DynBox) ---------------------------------------------------------------

use std::borrow::Borrow;

pub struct Counter {
    pub count: std::cell::Cell<i64>,
}

thread_local! {
    static COUNTERS_DROPPED: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
}

impl Drop for Counter {
    fn drop(&mut self) {
        COUNTERS_DROPPED.with(|d| d.set(d.get() + 1));
    }
}

#[ocaml_interop::export]
pub fn counter_new(cr: &mut OCamlRuntime, start: OCaml<OCamlInt>) -> OCaml<DynBox<Counter>> {
    OCaml::box_value(
        cr,
        Counter {
            count: std::cell::Cell::new(start.to_i64()),
        },
    )
}

#[ocaml_interop::export]
pub fn counter_incr(cr: &mut OCamlRuntime, c: OCaml<DynBox<Counter>>) -> OCaml<OCamlInt> {
    let counter: &Counter = c.borrow();
    counter.count.set(counter.count.get() + 1);
    counter.count.get().to_ocaml(cr)
}

/// Borrows a box as the wrong type: panics with a message naming the type.
#[ocaml_interop::export]
pub fn box_as_string(cr: &mut OCamlRuntime, b: OCaml<DynBox<String>>) -> OCaml<String> {
    let s: &String = b.borrow();
    s.as_str().to_ocaml(cr)
}

/// (live boxes, counters dropped so far)
#[ocaml_interop::export]
pub fn box_stats(cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<(OCamlInt, OCamlInt)> {
    (ocaml_interop::live_boxes() as i64, COUNTERS_DROPPED.with(|d| d.get())).to_ocaml(cr)
}

/// Makes a box and does not give it to OCaml: it is dropped at the next top-level call.
#[ocaml_interop::export]
pub fn box_dropped_unclaimed(cr: &mut OCamlRuntime, _unit: OCaml<()>) {
    let _b: OCaml<DynBox<Counter>> = OCaml::box_value(
        cr,
        Counter {
            count: std::cell::Cell::new(0),
        },
    );
}

/// A value whose Drop panics: OCaml releasing it must not fail an unrelated call.
pub struct DropPanics(pub i64);

impl Drop for DropPanics {
    fn drop(&mut self) {
        panic!("DropPanics({}) dropped", self.0);
    }
}

#[ocaml_interop::export]
pub fn drop_panics_new(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<DynBox<DropPanics>> {
    OCaml::box_value(cr, DropPanics(n.to_i64()))
}

// ---- Rust closures as OCaml functions -------------------------------------------------------------

/// An OCaml function `int -> int -> int` made of a Rust closure that captured `offset`.
#[ocaml_interop::export]
pub fn make_adder(cr: &mut OCamlRuntime, offset: OCaml<OCamlInt>) -> OCaml<fn(OCamlInt, OCamlInt) -> OCamlInt> {
    let offset = offset.to_i64();
    ocaml_interop::rust_closure2(cr, move |cr, a: OCaml<OCamlInt>, b: OCaml<OCamlInt>| {
        (a.to_i64() + b.to_i64() + offset).to_ocaml(cr)
    })
}

/// An OCaml function `string -> string` that panics on "panic".
#[ocaml_interop::export]
pub fn make_shouter(cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<fn(String) -> String> {
    ocaml_interop::rust_closure1(cr, |cr, s: OCaml<String>| {
        if s.as_str() == "panic" {
            panic!("the Rust closure panics");
        }
        s.as_str().to_uppercase().to_ocaml(cr)
    })
}

// ---- exceptions through several boundaries ----------------------------------------------------

/// Calls the OCaml closure; its exception is passed back to OCaml as it is (`Err(exn)`), so
/// OCaml can catch it with its own handler: OCaml -> Rust -> OCaml (raise) -> Rust -> OCaml.
#[ocaml_interop::export]
pub fn call_and_reraise(
    cr: &mut OCamlRuntime,
    f: OCaml<fn(OCamlInt) -> OCamlInt>,
    x: OCaml<OCamlInt>,
) -> Result<OCaml<OCamlInt>, OCaml<OCamlException>> {
    let x = x.to_i64();
    f.try_call(cr, &x)
}

/// `Err(msg)` from an export raises `Failure msg`.
#[ocaml_interop::export]
pub fn checked_sqrt(cr: &mut OCamlRuntime, x: OCaml<OCamlFloat>) -> Result<OCaml<OCamlFloat>, String> {
    let x = x.to_f64();
    if x < 0.0 {
        return Err(format!("checked_sqrt: {x} is negative"));
    }
    Ok(x.sqrt().to_ocaml(cr))
}

// ---- many arguments and re-entrancy -----------------------------------------------------------

/// Seven arguments of mixed kinds (more than the 5 that native OCaml passes directly).
#[allow(clippy::too_many_arguments)] // seven OCaml arguments and the runtime: the point of the test
#[ocaml_interop::export]
pub fn mix7(
    cr: &mut OCamlRuntime,
    a: OCaml<OCamlInt>,
    b: OCaml<String>,
    c: OCaml<OCamlFloat>,
    d: OCaml<OCamlList<OCamlInt>>,
    e: OCaml<bool>,
    f: OCaml<Option<String>>,
    g: OCaml<OCamlInt64>,
) -> OCaml<String> {
    let d: Vec<i64> = d.to_rust();
    let f: Option<String> = f.to_rust();
    let s = format!(
        "{} {} {} {:?} {} {:?} {}",
        a.to_i64(),
        b.to_rust::<String>(),
        c.to_rust::<f64>(),
        d,
        e.to_bool(),
        f,
        g.to_rust::<i64>()
    );
    s.to_ocaml(cr)
}

ocaml! {
    fn ocaml_reenter(n: OCamlInt, trail: String) -> String;
}

/// One level of OCaml -> Rust -> OCaml -> ... recursion: while n > 0, calls OCaml's
/// `ocaml_reenter (n - 1) (trail ^ "r")`, which calls back here. A value rooted before the
/// nested call (a list unique to this level) must be intact after it, however deep the nesting.
#[ocaml_interop::export]
pub fn rust_reenter(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>, trail: OCaml<String>) -> OCaml<String> {
    let n = n.to_i64();
    if n <= 0 {
        let t: String = trail.to_rust();
        if t.starts_with('!') {
            panic!("bottom reached after {} crossings", t.len() - 1);
        }
        return format!("{t}.").to_ocaml(cr);
    }
    let mine: Vec<i64> = (0..(n % 7 + 1)).map(|k| n * 1000 + k).collect();
    let rooted: BoxRoot<OCamlList<OCamlInt>> = BoxRoot::new(mine.to_ocaml(cr));
    let trail_root: BoxRoot<String> = BoxRoot::new(trail);
    let mut t: String = trail_root.get(cr).to_rust();
    t.push('r');
    let back = ocaml_reenter(cr, &(n - 1), &t);
    let still: Vec<i64> = rooted.get(cr).to_rust();
    if still != mine {
        panic!("level {n}: rooted value changed across the nested call: {mine:?} became {still:?}");
    }
    let before: String = trail_root.get(cr).to_rust();
    if !t.starts_with(&before) {
        panic!("level {n}: rooted string changed across the nested call");
    }
    let back: String = back.to_rust(cr);
    back.to_ocaml(cr)
}

/// Memory growth in the middle of a call: reads nothing until Rust's memory has grown by
/// `mib` MiB (the buffer every view was made on is then detached), then converts its argument,
/// sends a list through OCaml and back, and returns both.
#[ocaml_interop::export]
pub fn grow_during_call(
    cr: &mut OCamlRuntime,
    s: OCaml<String>,
    mib: OCaml<OCamlInt>,
) -> OCaml<(String, OCamlList<OCamlInt>)> {
    // grown directly (the allocator may have room already); the allocator grows it the same way
    let pages = (mib.to_i64() as usize) << 4;
    assert!(
        core::arch::wasm32::memory_grow(0, pages) != usize::MAX,
        "memory did not grow"
    );
    // and through the allocator: a vector larger than any free block
    let big = vec![7u8; (core::arch::wasm32::memory_size(0) << 16) / 2];
    assert_eq!(big[big.len() - 1], 7);
    drop(big);
    let s: String = s.to_rust();
    let xs: Vec<i64> = (0..1000).collect();
    let back: Vec<i64> = ocaml_id_int_list(cr, &xs).to_rust(cr);
    assert_eq!(back, xs, "list changed through OCaml after growth");
    (s, back).to_ocaml(cr)
}

// ---- errors thrown by JS code that Rust calls -----------------------------------------------------

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// A page function (`globalThis.conformanceJsHook`); throws when its argument says so.
    #[wasm_bindgen(catch, js_name = conformanceJsHook)]
    fn js_hook_catching(arg: &str) -> Result<String, wasm_bindgen::JsValue>;
    #[wasm_bindgen(js_name = conformanceJsHook)]
    fn js_hook(arg: &str) -> String;
}

/// With wasm-bindgen's `catch`: a JS error is an `Err` that keeps its message, turned here into
/// OCaml's `Error msg`.
#[ocaml_interop::export]
pub fn call_js_catching(cr: &mut OCamlRuntime, arg: OCaml<String>) -> OCaml<Result<String, String>> {
    let arg: String = arg.to_rust();
    let r: Result<String, String> = js_hook_catching(&arg).map_err(|e| {
        let e: js_sys::Error = wasm_bindgen::JsCast::unchecked_into(e);
        format!("{}: {}", String::from(e.name()), String::from(e.message()))
    });
    r.to_ocaml(cr)
}

/// Without `catch`: the JS error is thrown through Rust's frames, and the bridge reports it
/// like a panic, with the JS message.
#[ocaml_interop::export]
pub fn call_js_plain(cr: &mut OCamlRuntime, arg: OCaml<String>) -> OCaml<String> {
    let arg: String = arg.to_rust();
    js_hook(&arg).to_ocaml(cr)
}

// ---- direct primitives ([@unboxed] / [@untagged]), noalloc, bytecode names -------------------------

/// Every direct primitive at once; noalloc, with a bytecode name (OCaml declares
/// `= "prim_mix_byte" "prim_mix" [@@noalloc]`).
#[ocaml_interop::export(noalloc, bytecode = "prim_mix_byte")]
pub fn prim_mix(_cr: &OCamlRuntime, a: i64, b: i32, x: f64, n: isize, negate: bool) -> i64 {
    let v = a.wrapping_add(b as i64).wrapping_add(n as i64).wrapping_add(x as i64);
    if negate {
        v.wrapping_neg()
    } else {
        v
    }
}

/// An int32 result from a direct i32 and a boxed OCaml int32.
#[ocaml_interop::export]
pub fn prim_i32(cr: &mut OCamlRuntime, a: i32, b: OCaml<OCamlInt32>) -> i32 {
    let _ = cr;
    a.wrapping_mul(b.to_rust::<i32>())
}

/// float -> float, unboxed both ways.
#[ocaml_interop::export(noalloc)]
pub fn prim_f64(_cr: &OCamlRuntime, x: f64) -> f64 {
    x * 2.0 + 0.5
}

/// Untagged int and bool; an isize result outside OCaml's 31-bit int is a clear error.
#[ocaml_interop::export]
pub fn prim_isize(cr: &mut OCamlRuntime, n: isize, twice: bool) -> isize {
    let _ = cr;
    if twice {
        n.wrapping_mul(2)
    } else {
        n
    }
}

// ---- the try_ form of ocaml! functions --------------------------------------------------------------

ocaml! {
    fn ocaml_may_fail(s: String) -> String;
    fn ocaml_never_registered(n: OCamlInt) -> OCamlInt;
}

/// `try_ocaml_may_fail` and `try_ocaml_never_registered`: each outcome as a line.
#[ocaml_interop::export]
pub fn try_forms(cr: &mut OCamlRuntime, s: OCaml<String>) -> OCaml<String> {
    let s: String = s.to_rust();
    let a = match try_ocaml_may_fail(cr, &s) {
        Ok(r) => format!("ok {}", r.to_rust::<String>(cr)),
        Err(e) => format!("err {} {:?}", e.name().unwrap_or_default(), e.message()),
    };
    let b = match try_ocaml_never_registered(cr, &1i64) {
        Ok(_) => "registered?".to_string(),
        Err(e) => format!("err {} {:?}", e.name().unwrap_or_default(), e.message()),
    };
    format!("{a} / {b}").to_ocaml(cr)
}

/// The plain form panics with the exception's text; the panic reaches OCaml as Failure.
#[ocaml_interop::export]
pub fn plain_form(cr: &mut OCamlRuntime, s: OCaml<String>) -> OCaml<String> {
    let s: String = s.to_rust();
    let r: String = ocaml_may_fail(cr, &s).to_rust(cr);
    r.to_ocaml(cr)
}

// ---- OCamlRuntime::with_domain_lock: Rust code that TS calls directly (wasm-bindgen) -------------

/// Not an export: a plain wasm-bindgen function. It takes the runtime with `with_domain_lock`
/// to call OCaml, sending the list through OCaml's identity function and summing it.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wb_sum_through_ocaml(xs: Vec<i32>) -> i32 {
    OCamlRuntime::with_domain_lock(|cr| {
        let v: Vec<i64> = xs.iter().map(|&x| x as i64).collect();
        let back: Vec<i64> = ocaml_id_int_list(cr, &v).to_rust(cr);
        cr.releasing_runtime(|| back.iter().sum::<i64>() as i32)
    })
}

ocaml! {
    // OCaml functions that fault: the engine's stack runs out; memory runs out
    fn ocaml_recurse_forever(n: OCamlInt) -> OCamlInt;
    fn ocaml_exhaust_memory(unit: ()) -> OCamlInt;
    fn ocaml_illegal_cast(unit: ()) -> OCamlInt;
}

/// Rust calls OCaml functions that fault: each is what it is in the try_ form's Err (OCaml's
/// Stack_overflow; the exception OCaml raised; a trap inside OCaml code as a Failure naming it),
/// and Rust carries on (its instance is not re-created).
#[ocaml_interop::export]
pub fn rust_calls_faulting_ocaml(cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<String> {
    let describe = |r: Result<ocaml_interop::BoxRoot<OCamlInt>, OCaml<ocaml_interop::OCamlException>>| match r {
        Ok(_) => "no error".to_string(),
        Err(e) => format!("Err({} {:?})", e.name().unwrap_or_else(|| "?".into()), e.message()),
    };
    let a = describe(try_ocaml_recurse_forever(cr, 0));
    let b = describe(try_ocaml_exhaust_memory(cr, ()));
    let c = describe(try_ocaml_illegal_cast(cr, ()));
    format!("{a} / {b} / {c}").to_ocaml(cr)
}

/// Panics inside `with_domain_lock`: TS gets a RustPanic (wasm-bindgen's PanicError, converted by
/// the host), the lock is released while the panic unwinds, and the next with_domain_lock works.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wb_panic_in_lock(msg: String) -> i32 {
    OCamlRuntime::with_domain_lock(|_cr| -> i32 { panic!("{msg}") })
}

ocaml! {
    // OCaml calls the Rust export rust_trap (a trap, not a panic), which OCaml cannot catch
    fn trap_rust_from_ocaml(unit: ()) -> String;
}

/// Holds the runtime and calls OCaml, which calls a Rust export that traps: the trap passes OCaml
/// by and comes back to this call as the try_ form's `Err`; the host must not re-create the
/// instance while this frame is live (it reads its own heap afterwards).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wb_trap_under_lock(tag: String) -> String {
    let kept = vec![tag; 100];
    OCamlRuntime::with_domain_lock(|cr| {
        let caught: String = match try_trap_rust_from_ocaml(cr, ()) {
            Ok(s) => s.to_rust(cr),
            Err(e) => format!(
                "caught {}",
                e.message().unwrap_or_default().split('(').next().unwrap_or_default()
            ),
        };
        format!("{caught} / {} {}", kept.len(), kept[99])
    })
}

// ---- the model's own tests (ocaml-interop 0.12 and its main branch), ported ----------------------
// The Rust side is written as it is there (ocaml/model_0_12.ml and ocaml/model_main.ml are the
// OCaml side); e2e/values.spec.ts checks the model's expected results.

/// testing/ocaml-caller of 0.12: `cr.get(&movement)` (OCaml derefs to OCamlCell) and the unpack
/// macros, over types that implement no OCamlDescriber (the build warns that it cannot check
/// OCaml's declarations of them).
mod model_0_12 {
    use ocaml_interop::{
        ocaml_unpack_polymorphic_variant, ocaml_unpack_variant, OCaml, OCamlInt, OCamlRuntime, ToOCaml,
    };

    enum Movement {
        Step { count: i32 },
        RotateLeft,
        RotateRight,
    }

    enum PolymorphicMovement {
        Step { count: i32 },
        RotateLeft,
        RotateRight,
    }

    #[ocaml_interop::export]
    fn rust_string_of_movement(cr: &mut OCamlRuntime, movement: OCaml<PolymorphicMovement>) -> OCaml<String> {
        let movement_ocaml = cr.get(&movement);
        let pm = ocaml_unpack_variant! {
            movement_ocaml => {
                Step(count: OCamlInt) => { Movement::Step {count} },
                RotateLeft => Movement::RotateLeft,
                RotateRight => Movement::RotateRight,
            }
        };
        let s = match pm {
            Err(_) => "Error unpacking".to_owned(),
            Ok(Movement::Step { count }) => format!("Step({})", count),
            Ok(Movement::RotateLeft) => "RotateLeft".to_owned(),
            Ok(Movement::RotateRight) => "RotateRight".to_owned(),
        };
        s.to_ocaml(cr)
    }

    #[ocaml_interop::export]
    fn rust_string_of_polymorphic_movement(
        cr: &mut OCamlRuntime,
        polymorphic_movement: OCaml<PolymorphicMovement>,
    ) -> OCaml<String> {
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
}

/// testing/ocaml-caller of the main branch: the derives, with struct-like variants (in a
/// polymorphic variant `Step { count }` is `` `Step of int ``). Described (named main_* here),
/// so the build checks them against ocaml/model_main.ml, `Step { count }` against `Step of int`.
mod model_main {
    use ocaml_interop::{FromOCaml, OCaml, OCamlDescriber, OCamlInt, OCamlRuntime, ToOCaml};

    #[derive(FromOCaml, OCamlDescriber)]
    #[ocaml(name = "main_movement")]
    pub enum Movement {
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

    #[derive(FromOCaml, OCamlDescriber)]
    #[ocaml(polymorphic_variant, name = "main_movement_polymorphic")]
    pub enum PolymorphicMovement {
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

    #[ocaml_interop::export]
    pub fn rust_string_of_movement_main(cr: &mut OCamlRuntime, movement: OCaml<Movement>) -> OCaml<String> {
        let m = movement.to_rust();
        let s = match m {
            Movement::Step { count } => format!("Step({})", count),
            Movement::Expand { width, height } => format!("Expand {{ width: {width}, height: {height} }}"),
            Movement::RotateLeft => "RotateLeft".to_owned(),
            Movement::RotateRight => "RotateRight".to_owned(),
        };
        s.to_ocaml(cr)
    }

    #[ocaml_interop::export]
    pub fn rust_string_of_polymorphic_movement_main(
        cr: &mut OCamlRuntime,
        polymorphic_movement: OCaml<PolymorphicMovement>,
    ) -> OCaml<String> {
        let pm = polymorphic_movement.to_rust();
        let s = match pm {
            PolymorphicMovement::Step { count } => format!("`Step({})", count),
            PolymorphicMovement::Expand { width, height } => format!("`Expand({width}, {height})"),
            PolymorphicMovement::RotateLeft => "`RotateLeft".to_owned(),
            PolymorphicMovement::RotateRight => "`RotateRight".to_owned(),
        };
        s.to_ocaml(cr)
    }
}

/// testing/rust-caller (both versions): Rust calls OCaml with main's argument forms (owned
/// values, `&str`, `()`, a derived record passed by value) and 0.12's (`&root`,
/// `&OCaml::unit()`), catching nothing: every call must succeed.
mod model_rust_caller {
    use ocaml_interop::*;

    #[derive(ToOCaml)]
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

    #[derive(ToOCaml)]
    pub enum Movement {
        Step(#[ocaml(as_ = "OCamlInt")] i64),
        RotateLeft,
        RotateRight,
    }

    #[derive(ToOCaml)]
    #[ocaml(polymorphic_variant)]
    pub enum PolymorphicEnum {
        Unit,
        Single(f64),
        Multiple(#[ocaml(as_ = "OCamlInt")] i64, String),
    }

    mod ocaml {
        use ocaml_interop::*;
        ocaml! {
            pub fn twice(num: OCamlInt) -> OCamlInt;
            pub fn make_tuple(fst: String, snd: OCamlInt) -> (String, OCamlInt);
            pub fn make_some(value: String) -> Option<String>;
            pub fn stringify_record(record: super::TestRecord) -> String;
            pub fn stringify_variant(variant: super::Movement) -> String;
            pub fn stringify_polymorphic_variant(pvariant: super::PolymorphicEnum) -> String;
            pub fn gc_compact(unit: ());
            pub fn double_u16_array(array: bigarray::Array1<u16>);
        }
    }

    /// Each line is one of the model's assertions, as "expected == got".
    #[ocaml_interop::export]
    pub fn model_rust_caller_tests(cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<String> {
        let mut out: Vec<String> = Vec::new();
        let mut check = |want: &str, got: String| {
            out.push(if want == got {
                format!("ok {want}")
            } else {
                format!("FAILED: want {want}, got {got}")
            })
        };
        let n: i64 = ocaml::twice(cr, 10).to_rust(cr);
        check("20", n.to_string());
        let num = 21i64.to_boxroot(cr);
        let n: i64 = ocaml::twice(cr, &num).to_rust(cr);
        check("42", n.to_string());
        let t: (String, i64) = ocaml::make_tuple(cr, "hello", 123).to_rust(cr);
        check("(\"hello\", 123)", format!("{t:?}"));
        let owned = "fst".to_string();
        let t: (String, i64) = ocaml::make_tuple(cr, &owned, 654).to_rust(cr);
        check("(\"fst\", 654)", format!("{t:?}"));
        let s: Option<String> = ocaml::make_some(cr, "option_test").to_rust(cr);
        check("Some(\"option_test\")", format!("{s:?}"));
        let record = TestRecord {
            i: 10,
            f: 5.0,
            i32: 10,
            i64: Box::new(10),
            s: "string".to_owned(),
            t: (10, 5.0),
        };
        let r = record.to_boxroot(cr);
        let s: String = ocaml::stringify_record(cr, &r).to_rust(cr);
        check("{ i=10; f=5.00; i32=10; i64=10; s=string; t=(10, 5.00) }", s);
        let record = TestRecord {
            i: 42,
            #[allow(clippy::approx_constant)] // the model's test value (testing/rust-caller), not π
            f: 3.14,
            i32: 123,
            i64: Box::new(456),
            s: "flexible".to_owned(),
            t: (789, 2.71),
        };
        let s: String = ocaml::stringify_record(cr, record).to_rust(cr);
        check("{ i=42; f=3.14; i32=123; i64=456; s=flexible; t=(789, 2.71) }", s);
        for (m, want) in [
            (Movement::RotateLeft, "RotateLeft"),
            (Movement::RotateRight, "RotateRight"),
            (Movement::Step(10), "Step(10)"),
        ] {
            let s: String = ocaml::stringify_variant(cr, m).to_rust(cr);
            check(want, s);
        }
        for (p, want) in [
            (PolymorphicEnum::Unit, "Unit"),
            (PolymorphicEnum::Single(10.0), "Single(10.00)"),
            (PolymorphicEnum::Multiple(10, "text".into()), "Multiple(10, text)"),
        ] {
            let s: String = ocaml::stringify_polymorphic_variant(cr, &p).to_rust(cr);
            check(want, s);
        }
        ocaml::gc_compact(cr, ());
        ocaml::gc_compact(cr, OCaml::unit());
        ocaml::gc_compact(cr, &OCaml::unit());
        ocaml::gc_compact(cr, OCaml::unit().as_ref());
        // test_bigarray: OCaml doubles the rooted bigarray in place; Rust sees it
        let arr: Vec<u16> = (0..16).collect();
        let arr_ocaml: BoxRoot<bigarray::Array1<_>> = arr.as_slice().to_boxroot(cr);
        ocaml::double_u16_array(cr, &arr_ocaml);
        let want: Vec<u16> = (0..16u16).map(|i| i * 2).collect();
        check(&format!("{want:?}"), format!("{:?}", cr.get(&arr_ocaml).as_slice()));
        out.join("\n").to_ocaml(cr)
    }
}

// ---- a rooted bigarray and OCaml share its data (as in the model) --------------------------------------

thread_local! {
    static SHARED_ROOT: std::cell::RefCell<Option<BoxRoot<Array1<f64>>>> = const { std::cell::RefCell::new(None) };
}

/// Roots a copy of [0, 1, ..., n-1] and returns it: OCaml gets a view of the root's data.
#[ocaml_interop::export]
pub fn rooted_ba_make(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<Array1<f64>> {
    let xs: Vec<f64> = (0..n.to_i64()).map(|i| i as f64).collect();
    let root: BoxRoot<Array1<f64>> = xs.as_slice().to_boxroot(cr);
    SHARED_ROOT.with(|r| {
        let mut r = r.borrow_mut();
        *r = Some(root);
        r.as_ref().unwrap().get(cr)
    })
}

/// The root's elements as Rust reads them now (-1 if the root was dropped).
#[ocaml_interop::export]
pub fn rooted_ba_read(cr: &mut OCamlRuntime, i: OCaml<OCamlInt>) -> OCaml<OCamlFloat> {
    SHARED_ROOT
        .with(|r| {
            r.borrow()
                .as_ref()
                .map(|b| b.get(cr).as_slice()[i.to_i64() as usize])
                .unwrap_or(-1.0)
        })
        .to_ocaml(cr)
}

/// Drops the root; OCaml's view keeps the data alive.
#[ocaml_interop::export]
pub fn rooted_ba_drop(cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<OCamlInt> {
    SHARED_ROOT.with(|r| r.borrow_mut().take());
    // allocate and fill memory, which would reuse a freed buffer
    let noise: Vec<Vec<f64>> = (0..64).map(|_| vec![-7.0; 4096]).collect();
    (noise.len() as i64).to_ocaml(cr)
}

/// How many bigarray buffers roots and OCaml views hold.
#[ocaml_interop::export]
pub fn live_bigarray_buffers(cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<OCamlInt> {
    (ocaml_interop::bigarray::live_buffers() as i64).to_ocaml(cr)
}

// ---- platform limits (docs/compatibility.md): no threads, no sleeping, under wasm32 ---------------------

/// `std::thread::spawn`, which the model's tests use (100 threads taking the domain lock).
#[ocaml_interop::export]
pub fn try_thread_spawn(cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<OCamlInt> {
    let h = std::thread::spawn(|| 1i64);
    h.join().unwrap_or(0).to_ocaml(cr)
}

/// `std::thread::sleep` inside `releasing_runtime`, as the model's `rust_sleep_releasing`.
#[ocaml_interop::export]
pub fn try_thread_sleep(cr: &mut OCamlRuntime, millis: OCaml<OCamlInt>) {
    let millis = millis.to_i64();
    cr.releasing_runtime(|| std::thread::sleep(std::time::Duration::from_millis(millis as u64)));
}

// ---- stack overflow: the engine's call stack runs out inside Rust ---------------------------------

/// Read through a volatile load, so the recursive call is indirect: LLVM can neither turn the
/// recursion into a loop nor inline it, and no frame needs Rust's shadow stack.
static RECURSE: fn(u64) -> u64 = depth_forever;

#[inline(never)]
fn depth_forever(n: u64) -> u64 {
    let next: fn(u64) -> u64 = unsafe { core::ptr::read_volatile(&RECURSE) };
    next(n + 1) ^ n
}

/// Recurses without bound: the engine's stack overflows in Rust (the engine aborts the call,
/// as a trap; the host names it the same in every browser).
#[ocaml_interop::export]
pub fn rust_recurse_forever(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    ((depth_forever(n.to_i64() as u64) & 0x3fff_ffff) as i64).to_ocaml(cr)
}

/// A trap without a panic (no message from the panic hook): the host names it by the trap's
/// kind, in the same words in every engine. 0: unreachable, 1: a load outside the memory.
#[ocaml_interop::export]
pub fn rust_trap(cr: &mut OCamlRuntime, kind: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    match kind.to_i64() {
        0 => core::arch::wasm32::unreachable(),
        _ => {
            let far = core::hint::black_box(0xffff_fff0usize) as *const u64;
            (unsafe { core::ptr::read_volatile(far) } as i64 & 0xff).to_ocaml(cr)
        }
    }
}

// ---- closures and Rust values from TypeScript (e2e/ts-values.spec.ts) ---------------------------

/// f 0 + f 1 + ... + f (n - 1): Rust calling a closure (a JS function, from TS) n times in one
/// call; an exception from it fails the call with its message (`Failure`).
#[ocaml_interop::export]
pub fn sum_calls(
    cr: &mut OCamlRuntime,
    f: OCaml<fn(OCamlInt) -> OCamlInt>,
    n: OCaml<OCamlInt>,
) -> Result<OCaml<OCamlInt>, String> {
    let mut sum = 0i64;
    for i in 0..n.to_i64() {
        match f.try_call(cr, &i) {
            Ok(v) => sum += v.to_i64(),
            Err(e) => {
                return Err(format!(
                    "sum_calls: the closure raised at {i}: {}",
                    e.message().unwrap_or_default()
                ))
            }
        }
    }
    Ok(sum.to_ocaml(cr))
}

/// A Rust closure that calls the closure it captured (rooted): `fun x -> f (f x)`.
#[ocaml_interop::export]
pub fn compose_twice(cr: &mut OCamlRuntime, f: BoxRoot<fn(OCamlInt) -> OCamlInt>) -> OCaml<fn(OCamlInt) -> OCamlInt> {
    ocaml_interop::rust_closure1(cr, move |cr, x: OCaml<OCamlInt>| {
        let x = x.to_i64();
        let once = f.try_call(cr, &x).ok().expect("no exception").to_i64();
        let twice = f.try_call(cr, &once).ok().expect("no exception").to_i64();
        twice.to_ocaml(cr)
    })
}

// ---- test-only exports of the adversarial suite (e2e/adversarial/) --------------------------------
mod adversarial;
