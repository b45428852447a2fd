//! What `ocaml!` generates calls to: the cached id of a registered OCaml function, the call
//! through the host, and the model's panic text for an OCaml exception.

use crate::arena;
use crate::boxroot::BoxRoot;
use crate::error::{self, pending, ErrorKind};
use crate::host;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, RawOCaml, ERROR_SENTINEL};
use std::cell::Cell;

/// Start of an `ocaml!` call: the arena position its arguments are written after.
#[inline]
pub fn call_mark() -> arena::Mark {
    arena::mark_in_chunk()
}

/// Cache of a registered OCaml function's id, per `ocaml!` function (as the model caches
/// `caml_named_value`). A failed lookup is not cached, so registering later works.
pub struct NamedFunction {
    pub name: &'static str,
    id: Cell<i32>,
}
// SAFETY: wasm32 without threads.
unsafe impl Sync for NamedFunction {}

impl NamedFunction {
    pub const fn new(name: &'static str) -> NamedFunction {
        NamedFunction {
            name,
            id: Cell::new(-1),
        }
    }
    pub fn id(&self) -> Result<i32, String> {
        let id = self.id.get();
        if id >= 0 {
            return Ok(id);
        }
        match host::lookup(self.name) {
            Some(id) => {
                self.id.set(id);
                Ok(id)
            }
            None => Err(format!(
                "OCaml function '{}' is not registered (OCaml must call Callback.register \"{}\" f first)",
                self.name, self.name
            )),
        }
    }
}

/// One call of a registered OCaml function: the result word, or the error kind, message and
/// (for an OCaml exception) the exception's word in the arena. The common case (the id cached,
/// no argument error pending, the call returning) is written in the caller; the rest is not.
#[inline(always)]
fn call_named_raw(f: &NamedFunction, args: &[RawOCaml]) -> Result<RawOCaml, (ErrorKind, String, RawOCaml)> {
    let id = f.id.get();
    if id < 0 || pending::is_set() {
        return call_named_unready(f, args);
    }
    call_id(f, id, args)
}

#[inline(always)]
fn call_id(f: &NamedFunction, id: i32, args: &[RawOCaml]) -> Result<RawOCaml, (ErrorKind, String, RawOCaml)> {
    // the argument words are read where the caller keeps them (its frame, in linear memory),
    // during the call only
    let r = host::call(id, wire::words_ptr(args), args.len() as u32);
    if r == ERROR_SENTINEL {
        return Err(call_error(f));
    }
    Ok(r)
}

/// A call whose argument could not be converted (the error is pending), or of a function not
/// looked up yet.
#[cold]
#[inline(never)]
fn call_named_unready(f: &NamedFunction, args: &[RawOCaml]) -> Result<RawOCaml, (ErrorKind, String, RawOCaml)> {
    if let Some(msg) = pending::take() {
        return Err((ErrorKind::InvalidArgument, format!("{}: {}", f.name, msg), 0));
    }
    let id = f.id().map_err(|m| (ErrorKind::Failure, m, 0))?;
    call_id(f, id, args)
}

/// The error of a call that returned the error sentinel, from the error slot.
#[cold]
#[inline(never)]
fn call_error(f: &NamedFunction) -> (ErrorKind, String, RawOCaml) {
    error::take_call_error(|| format!("{}: unknown error", f.name))
}

/// Calls a registered OCaml function; `Err` carries the error kind and message.
pub fn try_call_named<R>(
    _cr: &mut OCamlRuntime,
    f: &NamedFunction,
    mark: arena::Mark,
    args: &[RawOCaml],
) -> Result<BoxRoot<R>, (ErrorKind, String)> {
    let result = call_named_raw(f, args)
        .map(|r| BoxRoot::new(unsafe { OCaml::<R>::from_raw_unchecked(r) }))
        .map_err(|(k, m, exn)| match exn {
            0 => (k, m),
            // (an exception with its value comes without its text: the value's)
            exn => {
                let e = unsafe { OCaml::<crate::OCamlException>::from_raw_unchecked(exn) };
                (k, String::from_utf8_lossy(e.text_bytes()).into_owned())
            }
        });
    arena::release(mark);
    result
}

/// The `try_` form of `ocaml!` functions: an OCaml exception comes back as `Err` holding the
/// exception (it stays valid until the enclosing call returns); a missing registration or an
/// argument that could not be converted comes back as `Err(Failure msg)`.
pub fn try_call_named_exn<'a, R>(
    _cr: &'a mut OCamlRuntime,
    f: &NamedFunction,
    mark: arena::Mark,
    args: &[RawOCaml],
) -> Result<BoxRoot<R>, OCaml<'a, crate::OCamlException>> {
    match call_named_raw(f, args) {
        Ok(r) => {
            let root = BoxRoot::new(unsafe { OCaml::<R>::from_raw_unchecked(r) });
            arena::release(mark);
            Ok(root)
        }
        // the exception value lives in the arena: it is released with the enclosing call
        Err((_, _, exn)) if exn != 0 => Err(unsafe { OCaml::from_raw_unchecked(exn) }),
        Err((_, msg, _)) => Err(unsafe { OCaml::from_raw_unchecked(crate::exception::failure(&msg)) }),
    }
}

/// The model's start of the panic text of an OCaml exception in an `ocaml!` call.
pub const EXCEPTION_PANIC_PREFIX: &str = "OCaml exception, message: ";

/// The panic text of an OCaml exception in an `ocaml!` call: the model's
/// `format!("OCaml exception, message: {:?}", exn.message())`, so `Some("boom")` for
/// `Failure "boom"` and `None` for `Not_found` or `E 10`. `None` too when the exception value
/// could not cross (`exn` is `None`: it held a value that cannot be encoded).
///
/// One difference, for nested crossings: when the message is itself such a panic text (an
/// exception that a deeper `ocaml!` call turned into a panic, which the export raised again in
/// OCaml as `Failure`/`RustPanic`), it is passed on as it is. The model wraps it again, and
/// `{:?}` doubles its backslashes at every level: a panic unwinding 100 levels would need
/// 2^100 bytes.
pub fn exception_panic_text(exn: Option<OCaml<'_, crate::OCamlException>>) -> String {
    let message = exn.and_then(|e| e.message());
    match message {
        Some(m) if m.starts_with(EXCEPTION_PANIC_PREFIX) => m,
        m => format!("{EXCEPTION_PANIC_PREFIX}{m:?}"),
    }
}

/// Calls a registered OCaml function; an exception panics with the model's text
/// (`OCaml exception, message: Some("...")`, see [`exception_panic_text`]), a missing
/// registration with a message naming the function.
pub fn call_named<R>(_cr: &mut OCamlRuntime, f: &NamedFunction, mark: arena::Mark, args: &[RawOCaml]) -> BoxRoot<R> {
    match call_named_raw(f, args) {
        Ok(r) => {
            let root = BoxRoot::new(unsafe { OCaml::<R>::from_raw_unchecked(r) });
            arena::release(mark);
            root
        }
        Err((ErrorKind::OCamlException, _, exn)) => {
            let text = exception_panic_text((exn != 0).then(|| unsafe { OCaml::from_raw_unchecked(exn) }));
            arena::release(mark);
            panic!("{}", text)
        }
        Err((_, msg, _)) => {
            arena::release(mark);
            panic!("{}", msg)
        }
    }
}
