//! Support for the code `#[export]` and `ocaml!` generate. Not a public API.

pub use crate::arena;
use crate::boxroot::BoxRoot;
use crate::error::{self, pending, ErrorKind};
use crate::host;
use crate::runtime::{self, OCamlRuntime};
use crate::value::OCaml;
use crate::wire::{self, RawOCaml, ERROR_SENTINEL};
use std::cell::Cell;

pub use crate::alloc;
pub use crate::closure::call_closure;
pub use crate::conv::compound::shape_error;
pub use crate::conv::nesting::{enter_from_ocaml as nesting_from_ocaml, enter_to_ocaml as nesting_to_ocaml};
pub use crate::derive_support::describe_named;
pub use crate::runtime::{recover_runtime_handle, recover_runtime_handle_mut};

/// `()` as the value of a failed allocation (the pending error then fails the call).
#[inline]
pub fn unit_value(_cr: &mut OCamlRuntime) -> RawOCaml {
    wire::UNIT
}

/// The floats of a tag-254 block.
pub unsafe fn read_f64s<'a>(raw: RawOCaml) -> &'a [f64] {
    std::slice::from_raw_parts((raw + 8) as usize as *const f64, wire::mem::size(raw) as usize)
}

/// Reads and clears the error slot (tests, hosts).
pub fn take_error() -> Option<(ErrorKind, String)> {
    error::take()
}

/// Runs an export's body; turns a pending conversion error into a failed call, and (with
/// panics that unwind) a panic into a failed call whose error is `RustPanic`: the instance and
/// its state survive.
#[inline]
pub fn run_export(name: &'static str, body: impl FnOnce(&'static mut OCamlRuntime) -> RawOCaml) -> RawOCaml {
    run_export_with(name, true, body)
}

/// `run_export`, where `catch` is false for `#[export(no_panic_catch)]`: as in the model, the
/// panic is not caught (it aborts; the host then re-creates the Rust instance).
#[inline]
pub fn run_export_with(
    name: &'static str,
    catch: bool,
    body: impl FnOnce(&'static mut OCamlRuntime) -> RawOCaml,
) -> RawOCaml {
    if runtime::current_export().is_empty() && crate::dynbox::has_unclaimed() {
        crate::dynbox::sweep_unclaimed();
    }
    // a panic recorded by the hook but caught elsewhere (by wasm-bindgen, or catch_unwind in
    // user code) must not be mistaken for the cause of a later trap
    crate::panic::clear_last();
    let guard = runtime::ExportGuard::enter(name);
    let cr = unsafe { recover_runtime_handle_mut() };
    #[cfg(panic = "unwind")]
    let r = if catch {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(cr))) {
            Ok(r) => r,
            Err(payload) => {
                drop(guard);
                pending::take();
                let msg = crate::panic::message(&*payload);
                crate::panic::forget_payload(payload);
                crate::panic::clear_last();
                error::set(ErrorKind::RustPanic, &msg);
                return ERROR_SENTINEL;
            }
        }
    } else {
        // not caught (the model's no_panic_catch: the instance ends, as an abort would), but its
        // message is recorded for the host first: a user's panic hook may record nothing
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(cr))) {
            Ok(r) => r,
            Err(payload) => {
                if !crate::panic::recorded() {
                    crate::panic::record(&crate::panic::message(&*payload));
                }
                std::panic::resume_unwind(payload)
            }
        }
    };
    #[cfg(not(panic = "unwind"))]
    let r = {
        let _ = catch;
        body(cr)
    };
    drop(guard);
    if pending::is_set() {
        let msg = pending::take().unwrap_or_default();
        error::set(ErrorKind::Failure, &format!("{name}: {msg}"));
        return ERROR_SENTINEL;
    }
    r
}

/// Wraps an argument word of an export.
#[inline]
pub unsafe fn arg<'gc, T>(raw: RawOCaml) -> OCaml<'gc, T> {
    OCaml::from_raw_unchecked(raw)
}

/// Roots an argument word of an export (`BoxRoot<T>` parameters).
#[inline]
pub unsafe fn arg_root<T>(raw: RawOCaml) -> BoxRoot<T> {
    BoxRoot::new(OCaml::<T>::from_raw_unchecked(raw))
}

/// What an export may return.
pub trait ExportResult {
    fn into_raw(self) -> RawOCaml;
}
impl ExportResult for () {
    #[inline]
    fn into_raw(self) -> RawOCaml {
        wire::UNIT
    }
}
impl<T> ExportResult for OCaml<'_, T> {
    #[inline]
    fn into_raw(self) -> RawOCaml {
        self.raw
    }
}

/// `Err(exn)`: OCaml raises that exception value again (the same constructor, so
/// `with Not_found ->` still matches after crossing Rust).
impl<T> ExportResult for Result<OCaml<'_, T>, OCaml<'_, crate::OCamlException>> {
    #[inline]
    fn into_raw(self) -> RawOCaml {
        match self {
            Ok(v) => v.raw,
            Err(e) => {
                let msg = e
                    .message()
                    .or_else(|| e.name())
                    .unwrap_or_else(|| "an OCaml exception".into());
                error::set_exception(&msg, e.raw);
                ERROR_SENTINEL
            }
        }
    }
}

/// `Err(msg)`: OCaml raises `Failure msg`.
impl<T> ExportResult for Result<OCaml<'_, T>, String> {
    #[inline]
    fn into_raw(self) -> RawOCaml {
        match self {
            Ok(v) => v.raw,
            Err(msg) => {
                error::set(ErrorKind::Failure, &msg);
                ERROR_SENTINEL
            }
        }
    }
}

/// Packs a describe string for the build: `[len: u32][utf-8 bytes]`, leaked (called once).
pub fn describe_result(json: String) -> u32 {
    let mut buf = Vec::with_capacity(4 + json.len());
    buf.extend_from_slice(&(json.len() as u32).to_le_bytes());
    buf.extend_from_slice(json.as_bytes());
    Box::leak(buf.into_boxed_slice()).as_ptr() as usize as u32
}

pub use crate::describe::{describe, json_string};

/// How `#[export]` describes each type of its signature: with its `OCamlDescriber` when it has
/// one, else as `{"unknown": "<Rust type>"}` (ocaml-interop does not require a describer; the
/// build then warns that it cannot check that argument). Autoref specialization: the export's
/// types are concrete, so `(&&Describe::<T>::new()).describe_into(..)` picks `DescribeKnown`
/// when `T: OCamlDescriber` and `DescribeUnknown` otherwise.
pub struct Describe<T: ?Sized>(std::marker::PhantomData<*const T>);
impl<T: ?Sized> Describe<T> {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Describe(std::marker::PhantomData)
    }
}
impl<T: ?Sized> Default for Describe<T> {
    fn default() -> Self {
        Self::new()
    }
}
pub trait DescribeKnown {
    fn describe_into(&self, out: &mut String);
}
impl<T: crate::describe::OCamlDescriber + ?Sized> DescribeKnown for &Describe<T> {
    fn describe_into(&self, out: &mut String) {
        T::describe(out)
    }
}
pub trait DescribeUnknown {
    fn describe_into(&self, out: &mut String);
}
impl<T: ?Sized> DescribeUnknown for Describe<T> {
    fn describe_into(&self, out: &mut String) {
        out.push_str("{\"unknown\":");
        out.push_str(&json_string(std::any::type_name::<T>()));
        out.push('}');
    }
}

/// Start of an `ocaml!` call: the arena position its arguments are written after.
#[inline]
pub fn call_mark() -> arena::Mark {
    arena::mark()
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
/// (for an OCaml exception) the exception's word in the arena.
fn call_named_raw(f: &NamedFunction, args: &[RawOCaml]) -> Result<RawOCaml, (ErrorKind, String, RawOCaml)> {
    if let Some(msg) = pending::take() {
        return Err((ErrorKind::InvalidArgument, format!("{}: {}", f.name, msg), 0));
    }
    let id = f.id().map_err(|m| (ErrorKind::Failure, m, 0))?;
    let (words, n) = if args.is_empty() {
        (0, 0)
    } else {
        let p = arena::alloc_bytes(4 * args.len() as u32)
            .map_err(|_| (ErrorKind::Failure, format!("{}: arena full", f.name), 0))?;
        for (i, a) in args.iter().enumerate() {
            unsafe { wire::mem::write_u32(p + 4 * i as u32, *a) };
        }
        (p, args.len() as u32)
    };
    let r = host::call(id, words, n);
    if r == ERROR_SENTINEL {
        let exn = error::exn_word();
        let (kind, msg) = error::take().unwrap_or((ErrorKind::Failure, format!("{}: unknown error", f.name)));
        return Err((kind, msg, if kind == ErrorKind::OCamlException { exn } else { 0 }));
    }
    Ok(r)
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
        .map_err(|(k, m, _)| (k, m));
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
        Err((_, msg, _)) => Err(unsafe { OCaml::from_raw_unchecked(crate::closure::failure(&msg)) }),
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

/// Whether `M` is `OCamlFloat` (records whose fields are all floats are stored flat).
pub fn is_float_marker<M: 'static>() -> bool {
    std::any::TypeId::of::<M>() == std::any::TypeId::of::<crate::OCamlFloat>()
}

/// Writes field `i` of a record; in a flat float record the field's boxed float is unboxed.
pub unsafe fn set_record_field(b: RawOCaml, i: u32, w: RawOCaml, flat: bool) {
    if flat {
        let x = crate::wire::mem::read_f64(w + 8);
        crate::wire::mem::write_f64(b + 8 + 8 * i, x);
    } else {
        crate::wire::mem::set_field(b, i, w);
    }
}

/// Checks a record's block: tag 0 (or 254 when flat) with `n` fields.
pub fn check_record(raw: RawOCaml, n: u32, flat: bool, what: &'static str) {
    let tag = if flat { 254 } else { 0 };
    if !wire::is_block(raw) || unsafe { wire::mem::tag(raw) != tag || wire::mem::size(raw) != n } {
        shape_error(&format!("the record {what} (tag {tag}, {n} fields)"), raw);
    }
}

/// Field `i` of a record; a flat float record's field is boxed into the arena first.
pub unsafe fn record_field<'a, T>(raw: RawOCaml, i: u32, flat: bool) -> OCaml<'a, T> {
    if flat {
        OCaml::from_raw_unchecked(crate::alloc::float(crate::wire::mem::read_f64(raw + 8 + 8 * i)))
    } else {
        OCaml::from_raw_unchecked(crate::wire::mem::field(raw, i))
    }
}

/// Field `i` of a record, for `ocaml_unpack_record!` (a flat float record's field is boxed).
pub fn unpack_field<T, R: crate::FromOCaml<T>>(record: OCaml<'_, impl Sized>, i: usize, flat: bool) -> R {
    if flat {
        let n = record.size();
        assert!(
            i < n,
            "ocaml_unpack_record!: field {i} out of bounds (the record has {n} fields)"
        );
        R::from_ocaml(unsafe { record_field(record.raw, i as u32, true) })
    } else {
        R::from_ocaml(unsafe { record.field::<T>(i) })
    }
}

/// The tag hash of a polymorphic variant with arguments (a block `(hash, payload)`).
pub fn polyvar_hash(raw: RawOCaml) -> Option<i32> {
    if wire::is_block(raw) && unsafe { wire::mem::tag(raw) == 0 && wire::mem::size(raw) == 2 } {
        let h = unsafe { wire::mem::field(raw, 0) };
        if wire::is_immediate(h) {
            return Some(wire::int_val(h));
        }
    }
    None
}
