//! Promises across the bridge (`e2e/async.spec.ts` checks each from TS and OCaml): exports
//! that return a Rust future as a promise (`ocaml_async`), Rust awaiting a promise that TS
//! passed or an OCaml function returned (`into_future`), rejections of every class, and calls
//! made from inside a future while other promises are pending.

use ocaml_interop::*;
use std::cell::Cell;

thread_local! {
    /// How many futures of `async_counted` ran to their end.
    static FINISHED: Cell<i64> = const { Cell::new(0) };
}

// (ocaml/async_calls.ml) ocaml_async_square n: the promise of n * n, which OCaml settles later;
// ocaml_async_fail msg: a promise OCaml rejects with Failure msg; ocaml_async_label: a plain
// function, called from inside a future
ocaml! {
    fn ocaml_async_square(n: OCamlInt) -> OCamlPromise<OCamlInt>;
    fn ocaml_async_fail(msg: String) -> OCamlPromise<OCamlInt>;
    fn ocaml_async_label(n: OCamlInt) -> String;
}

/// The promise of `n * 2`, once the promise `p` (from TS or OCaml) gives `n`.
#[ocaml_interop::export]
pub fn async_double(cr: &mut OCamlRuntime, p: OCaml<OCamlPromise<OCamlInt>>) -> OCaml<OCamlPromise<OCamlInt>> {
    let n = p.into_future::<i64>(cr);
    ocaml_async(cr, async move { Ok::<i64, Rejection>(n.await? * 2) })
}

/// A future that is ready at once: its promise is fulfilled before anyone awaits it.
#[ocaml_interop::export]
pub fn async_ready(cr: &mut OCamlRuntime, s: OCaml<String>) -> OCaml<OCamlPromise<String>> {
    let s: String = s.to_rust();
    ocaml_async(cr, async move { Ok::<String, String>(format!("ready: {s}")) })
}

/// Rust awaits OCaml's promise of `n * n`, then calls OCaml again from inside the future (with
/// `OCamlRuntime::with_domain_lock`, as ocaml-interop code does where it has no handle).
#[ocaml_interop::export]
pub fn async_via_ocaml(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<OCamlPromise<String>> {
    let n: i64 = n.to_rust();
    let squared = ocaml_async_square(cr, &n).into_future::<i64>(cr);
    ocaml_async(cr, async move {
        let sq = squared.await?;
        let label: String = OCamlRuntime::with_domain_lock(|cr| {
            let label = ocaml_async_label(cr, &sq);
            label.to_rust(cr)
        });
        Ok::<String, Rejection>(format!("{n}^2 = {label}"))
    })
}

/// The rejection of an OCaml promise goes on through Rust with its class and message.
#[ocaml_interop::export]
pub fn async_ocaml_fails(cr: &mut OCamlRuntime, msg: OCaml<String>) -> OCaml<OCamlPromise<OCamlInt>> {
    let msg: String = msg.to_rust();
    let p = ocaml_async_fail(cr, &msg).into_future::<i64>(cr);
    ocaml_async(cr, async move { p.await.map(|n| n + 1) })
}

/// A future that ends with `Err(String)`: a rejection of the class "failure".
#[ocaml_interop::export]
pub fn async_err(cr: &mut OCamlRuntime, p: OCaml<OCamlPromise<String>>) -> OCaml<OCamlPromise<OCamlInt>> {
    let s = p.into_future::<String>(cr);
    ocaml_async(cr, async move {
        let s = s.await?;
        Err::<i64, String>(format!("async_err: {s} is not a number"))
    })
}

/// A future that panics after its first await: a rejection of the class "panic" (with panics
/// that abort, a trap: the instance is re-created and the promise rejected).
#[ocaml_interop::export]
pub fn async_panic(cr: &mut OCamlRuntime, p: OCaml<OCamlPromise<String>>) -> OCaml<OCamlPromise<OCamlInt>> {
    let s = p.into_future::<String>(cr);
    ocaml_async(cr, async move {
        let s = s.await?;
        if !s.is_empty() {
            panic!("async_panic: {s}");
        }
        Ok::<i64, Rejection>(0)
    })
}

/// Awaits `p` and counts the futures that finished (the tests read the count: many at once).
#[ocaml_interop::export]
pub fn async_counted(cr: &mut OCamlRuntime, p: OCaml<OCamlPromise<OCamlInt>>) -> OCaml<OCamlPromise<OCamlInt>> {
    let n = p.into_future::<i64>(cr);
    ocaml_async(cr, async move {
        let n = n.await?;
        FINISHED.with(|f| f.set(f.get() + 1));
        Ok::<i64, Rejection>(n + 1)
    })
}

/// How many `async_counted` futures finished, and how many tasks are still pending.
#[ocaml_interop::export]
pub fn async_stats(cr: &mut OCamlRuntime, _u: OCaml<()>) -> OCaml<(OCamlInt, OCamlInt)> {
    extern "C" {
        fn oiw_live_tasks() -> u32;
    }
    let live = unsafe { oiw_live_tasks() } as i64;
    (FINISHED.with(|f| f.get()), live).to_ocaml(cr)
}

/// `#[export] async fn`: Rust values in (each crosses as its default OCaml type: `string`,
/// `int32`), a promise out; `Err` rejects it.
#[ocaml_interop::export]
pub async fn async_greet(name: String, times: i32) -> Result<String, String> {
    if times < 0 {
        return Err(format!("async_greet: {times} is negative"));
    }
    Ok(vec![format!("hello {name}"); times as usize].join(", "))
}

/// An `async fn` that awaits nothing and cannot fail.
#[ocaml_interop::export]
pub async fn async_length(s: String) -> i32 {
    s.chars().count() as i32
}
