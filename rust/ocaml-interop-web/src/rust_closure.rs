//! Rust closures handed to OCaml as OCaml function values.
//!
//! ```ignore
//! let add = ocaml_interop::rust_closure2(cr, |cr, a: OCaml<OCamlInt>, b: OCaml<OCamlInt>| {
//!     (a.to_i64() + b.to_i64()).to_ocaml(cr)
//! });   // OCaml<fn(OCamlInt, OCamlInt) -> OCamlInt>: OCaml sees an int -> int -> int
//! ```
//! The closure lives on the Rust side, like a `DynBox`, until OCaml's GC collects the function
//! value. OCaml applies it like any function (partially, too); a panic inside it raises in
//! OCaml, as for an export.

use crate::mlvalues::DynBox;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, mem, tag, RawOCaml};

type Body = Box<dyn Fn(&mut OCamlRuntime, &[RawOCaml]) -> RawOCaml>;

/// What the DynBox table holds for a Rust closure.
pub(crate) struct RustClosure {
    pub(crate) arity: u32,
    pub(crate) body: Body,
    /// The export that made it ("" outside exports), to name the closure in errors.
    pub(crate) made_by: &'static str,
}

/// The maker of the Rust closure running innermost (`[ptr: u32][len: u32]` of its name, or
/// zeros), which the host reads after a trap in a closure to name it, with no call into the
/// trapped instance.
static RUNNING: crate::runtime::NameRecord = crate::runtime::NameRecord::new();

/// The address of that record (the host caches it at instantiation).
pub(crate) fn running_addr() -> u32 {
    RUNNING.addr()
}

/// Sets the record while a closure runs; the previous one is back when dropped (a panic that
/// unwinds included).
struct RunningGuard(&'static str);
impl RunningGuard {
    fn enter(name: &'static str) -> RunningGuard {
        RunningGuard(RUNNING.replace(name))
    }
}
impl Drop for RunningGuard {
    fn drop(&mut self) {
        RUNNING.replace(self.0);
    }
}

fn make<'a, F>(cr: &'a mut OCamlRuntime, arity: u32, body: Body) -> OCaml<'a, F> {
    let made_by = crate::runtime::current_export();
    let boxed: OCaml<DynBox<RustClosure>> = OCaml::box_value(cr, RustClosure { arity, body, made_by });
    // the same block, retagged: a closure of Rust origin (1) holding the box's id and generation
    // [id; 1; generation's low half; arity; generation's high half], as immediates
    let raw = unsafe { boxed.raw() };
    let (id, lo, hi) = unsafe {
        (
            mem::read_u32(raw + 12),
            mem::read_u32(raw + 16),
            mem::read_u32(raw + 20),
        )
    };
    let b = match crate::alloc::block(tag::CLOSURE, 5) {
        Some(b) => unsafe {
            mem::set_field(b, 0, wire::val_int(id as i32));
            mem::set_field(b, 1, wire::val_int(1));
            mem::set_field(b, 2, wire::val_int(lo as i32));
            mem::set_field(b, 3, wire::val_int(arity as i32));
            mem::set_field(b, 4, wire::val_int(hi as i32));
            b
        },
        None => wire::UNIT,
    };
    unsafe { OCaml::from_raw_unchecked(b) }
}

macro_rules! rust_closure {
    ($name:ident, $n:literal; $($A:ident $a:ident $i:literal),+) => {
        /// Makes an OCaml function of this arity from a Rust closure.
        pub fn $name<'a, $($A: 'static,)+ R: 'static>(
            cr: &'a mut OCamlRuntime,
            f: impl for<'x> Fn(&'x mut OCamlRuntime, $(OCaml<'x, $A>),+) -> OCaml<'x, R> + 'static,
        ) -> OCaml<'a, fn($($A),+) -> R> {
            let body: Body = Box::new(move |cr: &mut OCamlRuntime, args: &[RawOCaml]| {
                $( let $a: OCaml<$A> = unsafe { OCaml::from_raw_unchecked(args[$i]) }; )+
                unsafe { f(cr, $($a),+).raw() }
            });
            make(cr, $n, body)
        }
    };
}
rust_closure!(rust_closure1, 1; A a 0);
rust_closure!(rust_closure2, 2; A a 0, B b 1);
rust_closure!(rust_closure3, 3; A a 0, B b 1, C c 2);

/// Calls Rust closure `id` (for the OCaml runtime file, through the host). Everything runs
/// inside the export frame, so a released closure or a wrong argument count is a caught panic.
pub(crate) fn call(id: u32, generation: crate::dynbox::Generation, args_ptr: u32, nargs: u32) -> RawOCaml {
    crate::internal::run_export("a Rust closure", |cr| {
        let args: Vec<RawOCaml> = (0..nargs).map(|i| unsafe { mem::read_u32(args_ptr + 4 * i) }).collect();
        let body: *const RustClosure = crate::dynbox::get::<RustClosure>(id, generation).unwrap_or_else(|| {
            if generation.of_earlier_instance() {
                panic!("ocaml-interop: this Rust closure belonged to a Rust instance that trapped and was re-created; its state is gone")
            }
            panic!("ocaml-interop: this Rust closure was collected or released")
        });
        // SAFETY: the closure is only dropped when OCaml releases it, not while it runs
        let c = unsafe { &*body };
        let _running = RunningGuard::enter(c.made_by);
        if args.len() as u32 != c.arity {
            panic!(
                "ocaml-interop: a Rust closure of {} argument(s) called with {}",
                c.arity,
                args.len()
            );
        }
        (c.body)(cr, &args)
    })
}
