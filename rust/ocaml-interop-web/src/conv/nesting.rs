//! The nesting limit in Rust's conversions (`wire::MAX_NESTING`, docs/wire-format.md): every
//! block a conversion writes or reads (a record, a constructor with arguments, `Some`, a result,
//! a tuple, an array, a list as a whole) is one level deeper than the block holding it, as the TS
//! host counts. Past the limit `ToOCaml` stops descending and fails the call with a pending error
//! (`<function>: ...`), and `FromOCaml` panics naming the export: never a stack overflow.

use crate::error::pending;
use crate::wire::MAX_NESTING;
use std::cell::Cell;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// One level of nesting, left when dropped (also while a panic unwinds).
pub struct Level(());

impl Drop for Level {
    #[inline]
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get() - 1));
    }
}

#[inline]
fn try_enter() -> Option<Level> {
    DEPTH.with(|d| {
        let n = d.get() + 1;
        if n > MAX_NESTING {
            return None;
        }
        d.set(n);
        Some(Level(()))
    })
}

/// The text of the limit's error (after the function's name).
pub fn too_deep_message() -> String {
    format!("the value is nested deeper than {MAX_NESTING} levels (the nesting limit of the wire format)")
}

/// Entering a block `ToOCaml` writes: `None` past the limit, with the call's pending error set
/// (the caller then writes `()` in place of the block and does not descend).
#[inline]
pub fn enter_to_ocaml() -> Option<Level> {
    let l = try_enter();
    if l.is_none() {
        pending::set(too_deep_message());
    }
    l
}

/// Entering a block `FromOCaml` reads (immediates are no level): past the limit, a panic naming
/// the export, as for a value of the wrong shape.
#[inline]
pub fn enter_from_ocaml(raw: crate::wire::RawOCaml) -> Option<Level> {
    if !crate::wire::is_block(raw) {
        return None;
    }
    match try_enter() {
        Some(l) => Some(l),
        None => too_deep(),
    }
}

#[cold]
fn too_deep() -> ! {
    match crate::runtime::current_export() {
        "" => panic!("ocaml-interop: {}", too_deep_message()),
        f => panic!("ocaml-interop: {f}: {}", too_deep_message()),
    }
}
