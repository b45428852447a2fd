//! Promises (src/promise.rs): a Rust future as a promise (`ocaml_async`), a promise Rust awaits
//! (`into_future`), and the executor, with the stand-in host playing OCaml and the host's
//! microtasks (`test_host::run_tasks`).
use std::cell::RefCell;
use std::rc::Rc;

use ocaml_interop::internal::{arena, recover_runtime_handle_mut};
use ocaml_interop::test_host;
use ocaml_interop::wire::{self, mem, RawOCaml};
use ocaml_interop::*;

fn cr() -> &'static mut OCamlRuntime {
    unsafe { recover_runtime_handle_mut() }
}

extern "C" {
    fn oiw_rust_closure_call(id: u32, gen_lo: u32, gen_hi: u32, args_ptr: u32, nargs: u32) -> u32;
    fn oiw_live_tasks() -> u32;
    fn oiw_box_claim(id: u32, gen_lo: u32, gen_hi: u32) -> u32;
}

/// What OCaml's decoder does with a Rust closure it receives: claims its box (else the next
/// export sweeps it as a value nobody took).
fn claim(f: RawOCaml) -> RawOCaml {
    let field = |i| wire::int_val(unsafe { mem::field(f, i) }) as u32;
    assert_eq!(unsafe { oiw_box_claim(field(0), field(2), field(4)) }, 1);
    f
}

/// Calls a Rust closure (a block of Rust origin) with one argument, as OCaml would.
fn call_rust_closure(f: RawOCaml, arg: RawOCaml) -> RawOCaml {
    let field = |i| wire::int_val(unsafe { mem::field(f, i) }) as u32;
    let argv = arena::alloc_bytes(4).unwrap();
    unsafe { mem::write_u32(argv, arg) };
    unsafe { oiw_rust_closure_call(field(0), field(2), field(4), argv, 1) }
}

/// What a continuation received: `Ok(int)` or `Err((class, message))`.
type Got = Rc<RefCell<Vec<Result<i64, (String, String)>>>>;

/// An "OCaml" continuation that records what it is called with.
fn continuation(got: &Got) -> RawOCaml {
    let got = got.clone();
    test_host::closure(move |a| {
        let v: OCaml<OCamlSettled<OCamlInt>> = unsafe { OCaml::from_raw_unchecked(a[0]) };
        got.borrow_mut().push(match v.to_result() {
            Ok(n) => Ok(n.to_i64()),
            Err(e) => Err(e.to_rust()),
        });
        wire::UNIT
    })
}

/// A promise OCaml made and settles when the test says: its subscribe function, and a way to
/// settle it (the continuations it was given are Rust closures).
struct OCamlSide {
    subscribe: RawOCaml,
    waiting: Rc<RefCell<Vec<RawOCaml>>>,
}

impl OCamlSide {
    fn new() -> OCamlSide {
        let waiting: Rc<RefCell<Vec<RawOCaml>>> = Rc::default();
        let w = waiting.clone();
        let subscribe = test_host::closure(move |a| {
            w.borrow_mut().push(claim(a[0]));
            wire::UNIT
        });
        OCamlSide { subscribe, waiting }
    }
    fn promise(&self) -> OCaml<'static, OCamlPromise<OCamlInt>> {
        unsafe { OCaml::from_raw_unchecked(self.subscribe) }
    }
    fn resolve(&self, n: i64) {
        for k in self.waiting.borrow_mut().drain(..) {
            let v = alloc_ok::<OCamlInt, (String, String)>(cr(), n);
            call_rust_closure(k, unsafe { v.raw() });
        }
    }
    fn reject(&self, kind: &str, msg: &str) {
        for k in self.waiting.borrow_mut().drain(..) {
            let e = (kind.to_string(), msg.to_string());
            let v = alloc_error::<OCamlInt, (String, String)>(cr(), &e);
            call_rust_closure(k, unsafe { v.raw() });
        }
    }
}

fn subscribe(p: &OCaml<OCamlPromise<OCamlInt>>, got: &Got) {
    call_rust_closure(claim(unsafe { p.raw() }), continuation(got));
}

#[test]
fn a_ready_future_fulfils_its_promise_and_later_subscribers_get_the_value() {
    let m = arena::mark();
    let p: OCaml<OCamlPromise<OCamlInt>> = ocaml_async(cr(), async { Ok::<i64, String>(42) });
    let got: Got = Rc::default();
    subscribe(&p, &got);
    subscribe(&p, &got);
    assert_eq!(*got.borrow(), vec![Ok(42), Ok(42)]);
    assert_eq!(test_host::run_tasks(), 0, "nothing was waiting");
    arena::release(m);
}

#[test]
fn a_future_awaiting_an_ocaml_promise_goes_on_when_it_settles() {
    let m = arena::mark();
    let ocaml = OCamlSide::new();
    let awaited = ocaml.promise().into_future::<i64>(cr());
    assert_eq!(ocaml.waiting.borrow().len(), 1, "into_future subscribed at once");
    let p: OCaml<OCamlPromise<OCamlInt>> = ocaml_async(cr(), async move {
        let n = awaited.await?;
        Ok::<i64, Rejection>(n * 2)
    });
    let got: Got = Rc::default();
    subscribe(&p, &got);
    assert!(got.borrow().is_empty(), "pending until OCaml settles");
    let live = unsafe { oiw_live_tasks() };
    assert!(live >= 1);
    ocaml.resolve(21);
    assert!(
        got.borrow().is_empty(),
        "the task goes on in the host's next microtask, not inside OCaml's call"
    );
    assert_eq!(test_host::run_tasks(), 1);
    assert_eq!(*got.borrow(), vec![Ok(42)]);
    assert_eq!(
        unsafe { oiw_live_tasks() },
        live - 1,
        "the finished task left the table"
    );
    arena::release(m);
}

#[test]
fn a_rejection_keeps_its_class_and_message_through_question_mark() {
    let m = arena::mark();
    let ocaml = OCamlSide::new();
    let awaited = ocaml.promise().into_future::<i64>(cr());
    let p: OCaml<OCamlPromise<OCamlInt>> = ocaml_async(cr(), async move { awaited.await.map(|n| n + 1) });
    let got: Got = Rc::default();
    subscribe(&p, &got);
    ocaml.reject("js", "TypeError: failed to fetch");
    test_host::run_tasks();
    assert_eq!(
        *got.borrow(),
        vec![Err(("js".into(), "TypeError: failed to fetch".into()))]
    );
    arena::release(m);
}

#[test]
fn an_error_string_rejects_with_the_class_failure() {
    let m = arena::mark();
    let p: OCaml<OCamlPromise<OCamlInt>> =
        ocaml_async(cr(), async { Err::<i64, String>("no such file: a.txt".into()) });
    let got: Got = Rc::default();
    subscribe(&p, &got);
    assert_eq!(
        *got.borrow(),
        vec![Err(("failure".into(), "no such file: a.txt".into()))]
    );
    arena::release(m);
}

#[test]
fn many_tasks_wake_in_any_order_and_the_table_is_reused() {
    let m = arena::mark();
    let live0 = unsafe { oiw_live_tasks() };
    let sides: Vec<OCamlSide> = (0..50).map(|_| OCamlSide::new()).collect();
    let got: Got = Rc::default();
    for (i, s) in sides.iter().enumerate() {
        let awaited = s.promise().into_future::<i64>(cr());
        let p: OCaml<OCamlPromise<OCamlInt>> =
            ocaml_async(
                cr(),
                async move { Ok::<i64, Rejection>(awaited.await? + i as i64 * 1000) },
            );
        subscribe(&p, &got);
    }
    assert_eq!(unsafe { oiw_live_tasks() }, live0 + 50);
    for (i, s) in sides.iter().enumerate().rev() {
        s.resolve(i as i64);
    }
    assert_eq!(test_host::run_tasks(), 50, "one poll per task, however many wakes");
    let mut v: Vec<i64> = got.borrow().iter().map(|r| *r.as_ref().unwrap()).collect();
    v.sort();
    assert_eq!(v, (0..50).map(|i| i * 1001).collect::<Vec<_>>());
    assert_eq!(unsafe { oiw_live_tasks() }, live0);
    arena::release(m);
}
