//! Test-only exports for the adversarial suite (`e2e/adversarial/*.spec.ts`, issue 9): values
//! nested deeper than the nesting limit on every path, faults in every place (wasm-bindgen
//! functions with and without `with_domain_lock`, panic hooks, panics while panicking, stack
//! overflows and running out of memory on either side of a Rust -> OCaml call), forged and
//! stale handles, memory past 2 GiB. Nothing here is an example to follow: it exists to break
//! things.

use ocaml_interop::*;
use std::cell::RefCell;
use wasm_bindgen::prelude::wasm_bindgen;

// ---- deep values: a recursive type nested through a field other than the last ----------------
// (the encoders iterate along a block's last field, so depth costs stack only through the
// others: this is the shape a nesting limit is about)

#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, Clone, PartialEq)]
pub enum Nest {
    Leaf,
    Node(Box<Nest>, #[ocaml(as_ = "OCamlInt")] i64),
}

// dropped iteratively, so that only the bridge's own conversions can run out of stack
impl Drop for Nest {
    fn drop(&mut self) {
        let mut next = match self {
            Nest::Node(inner, _) => std::mem::replace(&mut **inner, Nest::Leaf),
            Nest::Leaf => return,
        };
        loop {
            let following = match &mut next {
                Nest::Node(inner, _) => std::mem::replace(&mut **inner, Nest::Leaf),
                Nest::Leaf => return,
            };
            next = following;
        }
    }
}

fn nest_of_depth(depth: i64) -> Nest {
    let mut n = Nest::Leaf;
    for i in 0..depth {
        n = Nest::Node(Box::new(n), i);
    }
    n
}

fn depth_of(n: &Nest) -> i64 {
    let mut d = 0;
    let mut cur = n;
    while let Nest::Node(inner, _) = cur {
        d += 1;
        cur = inner;
    }
    d
}

/// The nest back (Rust's decoder, then its encoder).
#[ocaml_interop::export]
pub fn id_nest(cr: &mut OCamlRuntime, n: OCaml<Nest>) -> OCaml<Nest> {
    let v: Nest = n.to_rust();
    v.to_ocaml(cr)
}

/// A nest `depth` levels deep, made in Rust (Rust's encoder).
#[ocaml_interop::export]
pub fn nest_make(cr: &mut OCamlRuntime, depth: OCaml<OCamlInt>) -> OCaml<Nest> {
    nest_of_depth(depth.to_i64()).to_ocaml(cr)
}

/// The depth of a nest (Rust's decoder).
#[ocaml_interop::export]
pub fn nest_depth(cr: &mut OCamlRuntime, n: OCaml<Nest>) -> OCaml<OCamlInt> {
    let v: Nest = n.to_rust();
    depth_of(&v).to_ocaml(cr)
}

/// A chain nested through its last field: OCaml's encoder and decoder iterate along it (no
/// nesting in OCaml's count), Rust's conversions and the TS host count every block, so Rust's
/// own limit is what refuses a long one coming from OCaml.
#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, Clone, PartialEq)]
pub enum Chain {
    End,
    Link(#[ocaml(as_ = "OCamlInt")] i64, Box<Chain>),
}

impl Drop for Chain {
    fn drop(&mut self) {
        let mut next = match self {
            Chain::Link(_, rest) => std::mem::replace(&mut **rest, Chain::End),
            Chain::End => return,
        };
        while let Chain::Link(_, rest) = &mut next {
            let following = std::mem::replace(&mut **rest, Chain::End);
            next = following;
        }
    }
}

/// The length of a chain (Rust's decoder).
#[ocaml_interop::export]
pub fn chain_len(cr: &mut OCamlRuntime, c: OCaml<Chain>) -> OCaml<OCamlInt> {
    let mut c: &Chain = &c.to_rust();
    let mut n = 0i64;
    while let Chain::Link(_, rest) = c {
        n += 1;
        c = rest;
    }
    n.to_ocaml(cr)
}

/// A chain of `len` links, made in Rust (Rust's encoder).
#[ocaml_interop::export]
pub fn chain_make(cr: &mut OCamlRuntime, len: OCaml<OCamlInt>) -> OCaml<Chain> {
    let c = (0..len.to_i64()).fold(Chain::End, |c, i| Chain::Link(i, Box::new(c)));
    c.to_ocaml(cr)
}

ocaml! {
    fn ocaml_nest_depth(n: Nest) -> OCamlInt;
    fn ocaml_make_nest(depth: OCamlInt) -> Nest;
}

/// Rust -> OCaml with a nest `depth` deep each way: Rust's encoder and OCaml's decoder, then
/// OCaml's encoder and Rust's decoder. "ok <depth seen by OCaml> <depth seen by Rust>", or the
/// first error as "err <exception name> <message>".
#[ocaml_interop::export]
pub fn rust_nest_through_ocaml(cr: &mut OCamlRuntime, depth: OCaml<OCamlInt>) -> OCaml<String> {
    let d = depth.to_i64();
    let n = nest_of_depth(d);
    let seen_by_ocaml: i64 = match try_ocaml_nest_depth(cr, &n) {
        Ok(r) => r.to_rust(cr),
        Err(e) => {
            return format!(
                "err {} {}",
                e.name().unwrap_or_default(),
                e.message().unwrap_or_default()
            )
            .to_ocaml(cr)
        }
    };
    let seen_by_rust = match try_ocaml_make_nest(cr, &d) {
        Ok(r) => depth_of(&r.to_rust::<Nest>(cr)),
        Err(e) => {
            return format!(
                "err {} {}",
                e.name().unwrap_or_default(),
                e.message().unwrap_or_default()
            )
            .to_ocaml(cr)
        }
    };
    format!("ok {seen_by_ocaml} {seen_by_rust}").to_ocaml(cr)
}

// ---- wasm-bindgen functions that TS calls directly --------------------------------------------

/// Panics outside `with_domain_lock`.
#[wasm_bindgen]
pub fn wb_panic_plain(msg: &str) -> i32 {
    panic!("{msg}")
}

/// Traps (no unwinding) outside `with_domain_lock`.
#[wasm_bindgen]
pub fn wb_trap_plain() -> i32 {
    core::arch::wasm32::unreachable()
}

/// Traps inside `with_domain_lock` (its guard never runs).
#[wasm_bindgen]
pub fn wb_trap_in_lock() -> i32 {
    OCamlRuntime::with_domain_lock(|_cr| core::arch::wasm32::unreachable())
}

/// `with_domain_lock` inside `with_domain_lock`: the documented panic.
#[wasm_bindgen]
pub fn wb_nested_lock() -> i32 {
    OCamlRuntime::with_domain_lock(|_cr| OCamlRuntime::with_domain_lock(|_cr2| 1))
}

/// Leaves a conversion error pending inside `with_domain_lock` (an int out of OCaml's range)
/// and returns normally.
#[wasm_bindgen]
pub fn wb_pending_leak() -> i32 {
    OCamlRuntime::with_domain_lock(|cr| {
        let _v: OCaml<OCamlInt> = (1i64 << 40).to_ocaml(cr);
        0
    })
}

/// Calls OCaml's `ocaml_may_fail` inside `with_domain_lock` (the plain form: an OCaml
/// exception panics).
#[wasm_bindgen]
pub fn wb_call_ocaml(s: String) -> String {
    OCamlRuntime::with_domain_lock(|cr| super::ocaml_may_fail(cr, &s).to_rust(cr))
}

/// Recurses until the engine's stack runs out (no `with_domain_lock`).
#[wasm_bindgen]
pub fn wb_stack_overflow(n: u32) -> u32 {
    (super::depth_forever(n as u64) & 0xffff) as u32
}

// ---- panic hooks and panics while panicking ------------------------------------------------------

/// Installs a user panic hook: 0 a silent one, 1 one that panics itself, 2 one that chains
/// to the hook it replaced (as well-behaved user code does).
#[ocaml_interop::export]
pub fn install_user_hook(_cr: &mut OCamlRuntime, kind: OCaml<OCamlInt>) {
    match kind.to_i64() {
        0 => std::panic::set_hook(Box::new(|_| {})),
        1 => std::panic::set_hook(Box::new(|_| panic!("the user's panic hook panicked"))),
        _ => {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| previous(info)));
        }
    }
}

/// Panics without catching (as in the model, `no_panic_catch` aborts: a trap).
#[ocaml_interop::export(no_panic_catch)]
pub fn panic_uncaught(_cr: &mut OCamlRuntime, msg: OCaml<String>) -> OCaml<()> {
    panic!("{}", msg.as_str())
}

/// Panics with `msg`; a value whose `Drop` panics with "second" is on the stack (a panic while
/// panicking: a trap).
#[ocaml_interop::export]
pub fn panic_while_panicking(_cr: &mut OCamlRuntime, msg: OCaml<String>) -> OCaml<()> {
    struct PanicOnDrop;
    impl Drop for PanicOnDrop {
        fn drop(&mut self) {
            panic!("second: a Drop panicked while unwinding");
        }
    }
    let _bomb = PanicOnDrop;
    panic!("{}", msg.as_str())
}

// ---- Rust -> OCaml where OCaml faults: stack overflow, out of memory, a value of the wrong type

ocaml! {
    fn ocaml_recurse_forever(n: OCamlInt) -> OCamlInt;
    fn adv_ocaml_oom(n: OCamlInt) -> OCamlInt;
}

mod wrong {
    use ocaml_interop::*;
    ocaml! {
        // OCaml registered ocaml_may_fail as string -> string: this declaration is wrong
        pub fn ocaml_may_fail(n: OCamlInt) -> OCamlInt;
    }
}

/// Calls OCaml functions that fault, through the try_ form (0: OCaml's stack overflows, 1: OCaml
/// runs out of memory, 2: OCaml gets an int where it takes a string). "ok <n>" or
/// "err <exception name> <message>".
#[ocaml_interop::export]
pub fn ocaml_fault_try(cr: &mut OCamlRuntime, which: OCaml<OCamlInt>) -> OCaml<String> {
    let r = match which.to_i64() {
        0 => try_ocaml_recurse_forever(cr, &0i64),
        1 => try_adv_ocaml_oom(cr, &8i64),
        _ => wrong::try_ocaml_may_fail(cr, &5i64),
    };
    match r {
        Ok(v) => format!("ok {}", v.to_rust::<i64>(cr)),
        Err(e) => format!("err {} {:?}", e.name().unwrap_or_default(), e.message()),
    }
    .to_ocaml(cr)
}

/// The same through the plain form: the OCaml exception panics (the panic unwinds: the Rust
/// instance survives).
#[ocaml_interop::export]
pub fn ocaml_fault_plain(cr: &mut OCamlRuntime, which: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let r: i64 = match which.to_i64() {
        0 => ocaml_recurse_forever(cr, &0i64).to_rust(cr),
        1 => adv_ocaml_oom(cr, &8i64).to_rust(cr),
        _ => wrong::ocaml_may_fail(cr, &5i64).to_rust(cr),
    };
    r.to_ocaml(cr)
}

// ---- Rust running out of memory (a trap even with panics that unwind) --------------------------------

/// Allocates until memory runs out; the allocations are not written (no pages committed).
#[ocaml_interop::export]
pub fn rust_exhaust(_cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<()> {
    let mut v: Vec<Vec<u8>> = Vec::new();
    loop {
        v.push(Vec::with_capacity(256 << 20));
        std::hint::black_box(&v);
    }
}

/// A Rust closure that recurses until the engine's stack runs out.
#[ocaml_interop::export]
pub fn make_recurser(cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<fn(OCamlInt) -> OCamlInt> {
    ocaml_interop::rust_closure1(cr, |cr, n: OCaml<OCamlInt>| {
        ((super::depth_forever(n.to_i64() as u64) & 0xffff) as i64).to_ocaml(cr)
    })
}

// ---- forged and stale handles --------------------------------------------------------------------

/// Calls an OCaml closure whose handle Rust made up (`[handle; 0; 0; 0]`, tag 247), with 1.
#[ocaml_interop::export]
pub fn forged_closure_call(cr: &mut OCamlRuntime, handle: OCaml<OCamlInt>) -> OCaml<String> {
    let h = handle.to_i64() as i32;
    let raw = alloc::tuple(
        wire::tag::CLOSURE,
        &[wire::val_int(h), wire::val_int(0), wire::val_int(0), wire::val_int(0)],
    );
    let r = internal::call_closure::<OCamlInt>(cr, raw, &[wire::val_int(1)]);
    match r {
        Ok(v) => format!("ok {}", v.to_i64()),
        Err(e) => format!("err {} {:?}", e.name().unwrap_or_default(), e.message()),
    }
    .to_ocaml(cr)
}

/// The handle of the OCaml closure this call received (not rooted: released when it returns):
/// its slot and generation, as the wire carries them.
#[ocaml_interop::export]
pub fn closure_handle(
    cr: &mut OCamlRuntime,
    f: OCaml<fn(OCamlInt) -> OCamlInt>,
) -> OCaml<(OCamlInt, OCamlInt, OCamlInt)> {
    let field = |i| unsafe { wire::int_val(wire::mem::field(f.raw(), i)) } as i64;
    (field(0), field(2), field(3)).to_ocaml(cr)
}

/// Calls `g` once (so it holds a handle for this call), then the closure behind a handle
/// remembered from an earlier call, `stale` (slot, generation), with `x`.
#[ocaml_interop::export]
pub fn call_stale_handle(
    cr: &mut OCamlRuntime,
    g: OCaml<fn(OCamlInt) -> OCamlInt>,
    stale: OCaml<(OCamlInt, OCamlInt, OCamlInt)>,
    x: OCaml<OCamlInt>,
) -> OCaml<String> {
    let mine = unsafe { wire::int_val(wire::mem::field(g.raw(), 0)) } as i64;
    let (h, lo, hi): (i64, i64, i64) = stale.to_rust();
    let x = x.to_i64() as i32;
    let raw = alloc::tuple(
        wire::tag::CLOSURE,
        &[
            wire::val_int(h as i32),
            wire::val_int(0),
            wire::val_int(lo as i32),
            wire::val_int(hi as i32),
        ],
    );
    let r = internal::call_closure::<OCamlInt>(cr, raw, &[wire::val_int(x)]);
    match r {
        Ok(v) => format!("ok {} (slots: g {mine}, stale {h})", v.to_i64()),
        Err(e) => format!(
            "err {} {:?} (slots: g {mine}, stale {h})",
            e.name().unwrap_or_default(),
            e.message()
        ),
    }
    .to_ocaml(cr)
}

/// A DynBox of `Counter` with a made-up id and generation.
#[ocaml_interop::export]
pub fn forged_counter(
    cr: &mut OCamlRuntime,
    id: OCaml<OCamlInt>,
    generation: OCaml<OCamlInt>,
) -> OCaml<DynBox<super::Counter>> {
    let _ = &cr;
    let b = alloc::block(wire::tag::CUSTOM, wire::custom::INT_PAYLOAD).unwrap();
    unsafe {
        wire::mem::write_u32(b + 8, wire::custom::DYNBOX);
        wire::mem::write_u32(b + 12, id.to_i64() as u32);
        wire::mem::write_u32(b + 16, generation.to_i64() as u32);
        OCaml::from_raw_unchecked(b)
    }
}

/// A Rust closure value with a made-up box id and arity (`[id; 1; generation low; arity;
/// generation high]`, generation 1).
#[ocaml_interop::export]
pub fn forged_rust_closure(
    cr: &mut OCamlRuntime,
    id: OCaml<OCamlInt>,
    arity: OCaml<OCamlInt>,
) -> OCaml<fn(OCamlInt) -> OCamlInt> {
    let _ = &cr;
    let raw = alloc::tuple(
        wire::tag::CLOSURE,
        &[
            wire::val_int(id.to_i64() as i32),
            wire::val_int(1),
            wire::val_int(1),
            wire::val_int(arity.to_i64() as i32),
            wire::val_int(0),
        ],
    );
    unsafe { OCaml::from_raw_unchecked(raw) }
}

// ---- memory past 2 GiB ------------------------------------------------------------------------------

thread_local! {
    static RESERVED: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// Reserves `mib` MiB, not written (no pages committed), in allocations of at most 1 GiB;
/// returns where the highest one ends (in MiB). What Rust allocates next lies above.
#[ocaml_interop::export]
pub fn reserve_mib(cr: &mut OCamlRuntime, mib: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let mut left = mib.to_i64() as usize;
    let mut end = 0;
    while left > 0 {
        let n = left.min(1024);
        let v: Vec<u8> = Vec::with_capacity(n << 20);
        end = end.max(v.as_ptr() as usize + v.capacity());
        RESERVED.with(|r| r.borrow_mut().push(v));
        left -= n;
    }
    ((end >> 20) as i64).to_ocaml(cr)
}

/// The string back, with the address (in MiB) of Rust's copy of it and of the arena block the
/// argument was in.
#[ocaml_interop::export]
pub fn string_at(cr: &mut OCamlRuntime, s: OCaml<String>) -> OCaml<(String, OCamlInt, OCamlInt)> {
    let arg_at = (unsafe { s.raw() } as usize >> 20) as i64;
    let copy: String = s.to_rust();
    let at = (copy.as_ptr() as usize >> 20) as i64;
    (copy, at, arg_at).to_ocaml(cr)
}
