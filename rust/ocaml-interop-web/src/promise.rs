//! Promises: values that settle later, across the boundary.
//!
//! An export returns a Rust future as an `OCaml<OCamlPromise<T>>` with [`ocaml_async`]: OCaml
//! receives an `'a Ocaml_interop_web.Promise.t` (it waits on it with `Promise.await`, a
//! callback: the page is never blocked), TypeScript a `Promise`. Rust awaits a promise that
//! OCaml or TypeScript gave it (an OCaml function returning `'a Promise.t`, a JS `Promise`
//! passed as an argument) with [`OCaml::into_future`].
//!
//! ```ignore
//! #[ocaml_interop::export]
//! fn word_count(cr: &mut OCamlRuntime, fetch: OCaml<fn(String) -> OCamlPromise<String>>, url: OCaml<String>)
//!     -> OCaml<OCamlPromise<OCamlInt>> {
//!     // (rooted: the value try_call returns borrows `cr`, which into_future needs too)
//!     let text = fetch.try_call(cr, &url).unwrap().root().into_future::<String>(cr);
//!     ocaml_async(cr, async move { Ok::<i64, Rejection>(text.await?.split_whitespace().count() as i64) })
//! }
//! ```
//!
//! On the wire a promise is its *subscribe* function, an OCaml function value of type
//! `(('a, string * string) result -> unit) -> unit`: whoever holds the promise calls it with a
//! continuation, which is called once, with the value or with the rejection's class and message
//! (`Rejection`). So a promise crosses as a closure does (docs/wire-format.md), in any
//! direction, and the arena is never held across an await: a value is converted when the promise
//! settles, inside the call that settles it.
//!
//! The futures run on a small executor of the runtime's own: a task is polled when it is
//! spawned, then each time its waker is woken, in a microtask the host queues
//! (`oiw_task_poll`), each poll a Rust entry of its own (re-entrant calls work as in any
//! export). A panic in a task rejects its promise with the class "panic" (with `panic =
//! "abort"` it traps, as anywhere: the instance is re-created and the host rejects the
//! promises TypeScript awaits).

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use crate::boxroot::BoxRoot;
use crate::conv::{FromOCaml, ToOCaml};
use crate::describe::OCamlDescriber;
use crate::mlvalues::OCamlException;
use crate::runtime::OCamlRuntime;
use crate::rust_closure::rust_closure1;
use crate::value::OCaml;

/// The marker of a promise of `T`: OCaml's `'a Ocaml_interop_web.Promise.t`, TypeScript's
/// `Promise<T>`.
pub struct OCamlPromise<T>(PhantomData<T>);

/// How a promise settles, as its continuation receives it: the value, or the rejection's class
/// and message.
pub type OCamlSettled<T> = Result<T, (String, String)>;

impl<T: OCamlDescriber> OCamlDescriber for OCamlPromise<T> {
    fn describe(out: &mut String) {
        out.push_str("{\"promise\":");
        T::describe(out);
        out.push('}');
    }
}

/// Why a promise was rejected: its class and its message. The classes: `"panic"` (a Rust
/// panic: TypeScript gets a `RustPanic`, OCaml `Rust_panic`), `"failure"` (an error: OCaml gets
/// `Failure`, TypeScript a `BoundaryError`, as for an export's `Err(String)`), `"exception"`
/// (an OCaml exception, its message the exception as text: TypeScript gets an `OCamlException`)
/// and `"js"` (a JS error, its message `"<name>: <message>"`: TypeScript gets a
/// `JavaScriptError`, OCaml `Failure`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub kind: String,
    pub message: String,
}

impl Rejection {
    pub fn failure(message: impl Into<String>) -> Rejection {
        Rejection {
            kind: "failure".into(),
            message: message.into(),
        }
    }
    pub fn panic(message: impl Into<String>) -> Rejection {
        Rejection {
            kind: "panic".into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rejection {}

impl From<String> for Rejection {
    fn from(message: String) -> Rejection {
        Rejection::failure(message)
    }
}

impl From<&str> for Rejection {
    fn from(message: &str) -> Rejection {
        Rejection::failure(message)
    }
}

/// A future that ends with `Err(String)` rejects with the class "failure", and `?` on an awaited
/// promise in it keeps the message.
impl From<Rejection> for String {
    fn from(r: Rejection) -> String {
        r.message
    }
}

impl From<OCaml<'_, OCamlException>> for Rejection {
    fn from(e: OCaml<'_, OCamlException>) -> Rejection {
        Rejection {
            kind: "exception".into(),
            message: match (e.name(), e.message()) {
                (Some(n), Some(m)) => format!("{n}(\"{m}\")"),
                (Some(n), None) => n,
                _ => "an OCaml exception".into(),
            },
        }
    }
}

/// The continuation a promise's subscribe function is called with.
type Continuation<T> = fn(OCamlSettled<T>) -> ();

enum State<T, R> {
    Pending(Vec<BoxRoot<Continuation<T>>>),
    /// (shared: a continuation may subscribe again while the others are called)
    Settled(Rc<Result<R, Rejection>>),
}

/// Calls a continuation with the settled value (converted now); its own exception is its
/// problem: the promise is settled.
fn deliver<T, R: ToOCaml<T>>(cr: &mut OCamlRuntime, k: &BoxRoot<Continuation<T>>, r: &Result<R, Rejection>) {
    let v: Result<&R, (&str, &str)> = match r {
        Ok(v) => Ok(v),
        Err(e) => Err((e.kind.as_str(), e.message.as_str())),
    };
    let _ = k.try_call(cr, v);
}

fn settle<T, R: ToOCaml<T>>(cr: &mut OCamlRuntime, state: &RefCell<State<T, R>>, r: Result<R, Rejection>) {
    let r = Rc::new(r);
    let waiting = match std::mem::replace(&mut *state.borrow_mut(), State::Settled(r.clone())) {
        State::Pending(ks) => ks,
        State::Settled(_) => return,
    };
    for k in &waiting {
        deliver(cr, k, &r);
    }
}

/// Runs a Rust future as a promise of `T`: it starts now (until its first `await` that is not
/// ready) and goes on when what it awaits settles. `Ok` fulfils the promise with the value
/// converted to `T`; `Err` rejects it (a `String` with the class "failure"; a [`Rejection`]
/// keeps its class).
pub fn ocaml_async<'a, T: 'static, R, E, F>(cr: &'a mut OCamlRuntime, fut: F) -> OCaml<'a, OCamlPromise<T>>
where
    R: ToOCaml<T> + 'static,
    E: Into<Rejection>,
    F: Future<Output = Result<R, E>> + 'static,
{
    let state: Rc<RefCell<State<T, R>>> = Rc::new(RefCell::new(State::Pending(Vec::new())));
    let (done, failed) = (state.clone(), state.clone());
    let task: Pin<Box<dyn Future<Output = Finish>>> = Box::pin(async move {
        let r = fut.await.map_err(Into::into);
        Box::new(move |cr: &mut OCamlRuntime| settle(cr, &done, r)) as Finish
    });
    let fail: Fail = Box::new(move |cr: &mut OCamlRuntime, why: Rejection| settle(cr, &failed, Err(why)));
    let subscribe = rust_closure1(cr, move |cr, k: OCaml<Continuation<T>>| {
        let k = BoxRoot::new(k);
        let settled = match &mut *state.borrow_mut() {
            State::Pending(ks) => {
                ks.push(k);
                return OCaml::unit();
            }
            State::Settled(r) => r.clone(),
        };
        deliver(cr, &k, &settled);
        OCaml::unit()
    });
    let raw = unsafe { subscribe.raw() };
    executor::spawn(cr, task, fail);
    unsafe { OCaml::from_raw_unchecked(raw) }
}

/// The future of a promise Rust awaits (see `OCaml::into_future`).
pub struct PromiseFuture<R> {
    slot: Rc<RefCell<Slot<R>>>,
}

struct Slot<R> {
    result: Option<Result<R, Rejection>>,
    waker: Option<Waker>,
}

impl<R> Future for PromiseFuture<R> {
    type Output = Result<R, Rejection>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut s = self.slot.borrow_mut();
        match s.result.take() {
            Some(r) => Poll::Ready(r),
            None => {
                s.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

fn fill<R>(slot: &RefCell<Slot<R>>, r: Result<R, Rejection>) {
    let waker = {
        let mut s = slot.borrow_mut();
        if s.result.is_some() {
            return;
        }
        s.result = Some(r);
        s.waker.take()
    };
    if let Some(w) = waker {
        w.wake();
    }
}

impl<T: 'static> OCaml<'_, OCamlPromise<T>> {
    /// Waits for the promise from a Rust future: subscribes now (the value is converted to `R`
    /// when it settles), and the future is ready once it has.
    pub fn into_future<R: FromOCaml<T> + 'static>(&self, cr: &mut OCamlRuntime) -> PromiseFuture<R> {
        let slot = Rc::new(RefCell::new(Slot {
            result: None,
            waker: None,
        }));
        let s2 = slot.clone();
        let k = rust_closure1(cr, move |_cr, v: OCaml<OCamlSettled<T>>| {
            let r = match v.to_result() {
                Ok(x) => Ok(R::from_ocaml(x)),
                Err(e) => {
                    let (kind, message): (String, String) = e.to_rust();
                    Err(Rejection { kind, message })
                }
            };
            fill(&s2, r);
            OCaml::unit()
        });
        let k: OCaml<'static, Continuation<T>> = unsafe { OCaml::from_raw_unchecked(k.raw()) };
        let subscribe: OCaml<fn(Continuation<T>) -> ()> = unsafe { OCaml::from_raw_unchecked(self.raw()) };
        if let Err(e) = subscribe.try_call(cr, k) {
            fill(&slot, Err(Rejection::from(e)));
        }
        PromiseFuture { slot }
    }
}

impl<T: 'static> BoxRoot<OCamlPromise<T>> {
    /// `into_future` of the rooted promise (what an `ocaml!` function returns).
    pub fn into_future<R: FromOCaml<T> + 'static>(&self, cr: &mut OCamlRuntime) -> PromiseFuture<R> {
        let p: OCaml<OCamlPromise<T>> = unsafe { OCaml::from_raw_unchecked(self.get_raw()) };
        p.into_future(cr)
    }
}

/// What a finished task does with its result (it needs the runtime, which a future has not).
type Finish = Box<dyn FnOnce(&mut OCamlRuntime)>;
/// What a task does when it panicked.
type Fail = Box<dyn FnOnce(&mut OCamlRuntime, Rejection)>;

pub(crate) mod executor {
    use super::*;

    struct Task {
        fut: Option<Pin<Box<dyn Future<Output = Finish>>>>,
        fail: Option<Fail>,
        /// a poll is queued (the host's microtask)
        scheduled: bool,
    }

    thread_local! {
        static TASKS: RefCell<Vec<Option<Task>>> = const { RefCell::new(Vec::new()) };
        static FREE: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
    }

    /// Tasks not finished (for leak checks).
    pub fn live() -> usize {
        TASKS.with(|t| t.borrow().iter().filter(|s| s.is_some()).count())
    }

    pub(crate) fn spawn(cr: &mut OCamlRuntime, fut: Pin<Box<dyn Future<Output = Finish>>>, fail: Fail) {
        let task = Task {
            fut: Some(fut),
            fail: Some(fail),
            scheduled: false,
        };
        let id = match FREE.with(|f| f.borrow_mut().pop()) {
            Some(id) => {
                TASKS.with(|t| t.borrow_mut()[id] = Some(task));
                id
            }
            None => TASKS.with(|t| {
                let mut t = t.borrow_mut();
                t.push(Some(task));
                t.len() - 1
            }),
        };
        poll(cr, id as u32);
    }

    fn finish(id: usize) -> Option<Fail> {
        let task = TASKS.with(|t| t.borrow_mut().get_mut(id).and_then(Option::take));
        FREE.with(|f| f.borrow_mut().push(id));
        task.and_then(|t| t.fail)
    }

    /// Polls task `id` (a stale id, of a finished task, is ignored: wakers may outlive it).
    /// No table is borrowed while the future runs, so it may spawn and wake others.
    pub(crate) fn poll(cr: &mut OCamlRuntime, id: u32) {
        let id = id as usize;
        let fut = TASKS.with(|t| {
            let mut t = t.borrow_mut();
            let task = t.get_mut(id)?.as_mut()?;
            task.scheduled = false;
            task.fut.take()
        });
        let Some(mut fut) = fut else { return };
        let waker = waker(id);
        let mut cx = Context::from_waker(&waker);
        let unheld = crate::runtime::Unheld::enter();
        #[cfg(panic = "unwind")]
        let polled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fut.as_mut().poll(&mut cx)));
        #[cfg(not(panic = "unwind"))]
        let polled: Result<_, Box<dyn std::any::Any + Send>> = Ok(fut.as_mut().poll(&mut cx));
        drop(unheld);
        match polled {
            Ok(Poll::Pending) => TASKS.with(|t| {
                if let Some(Some(task)) = t.borrow_mut().get_mut(id) {
                    task.fut = Some(fut);
                }
            }),
            Ok(Poll::Ready(done)) => {
                drop(finish(id));
                drop(fut);
                done(cr);
            }
            Err(payload) => {
                let msg = crate::panic::message(&*payload);
                crate::panic::forget_payload(payload);
                crate::panic::clear_last();
                crate::error::pending::take();
                // the future's state may be broken half-way: leaked rather than dropped
                std::mem::forget(fut);
                if let Some(fail) = finish(id) {
                    fail(cr, Rejection::panic(msg));
                }
            }
        }
    }

    /// Wakes task `id`: a poll is queued by the host, once however many wakes come first.
    fn wake(id: usize) {
        let queue = TASKS.with(|t| match t.borrow_mut().get_mut(id) {
            Some(Some(task)) if !task.scheduled => {
                task.scheduled = true;
                true
            }
            _ => false,
        });
        if queue {
            crate::host::schedule_task(id as u32);
        }
    }

    // a waker is the task's id (no allocation; a stale one wakes nothing, or a task that reused
    // the slot: a spurious poll, which futures allow)
    static VTABLE: RawWakerVTable = RawWakerVTable::new(
        |p| RawWaker::new(p, &VTABLE),
        |p| wake(p as usize),
        |p| wake(p as usize),
        |_| {},
    );

    fn waker(id: usize) -> Waker {
        unsafe { Waker::from_raw(RawWaker::new(id as *const (), &VTABLE)) }
    }
}
