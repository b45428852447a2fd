//! What a conversion does with a value of the wrong shape: a panic naming the expected and the
//! actual shape, and the export (a mismatch between the declared OCaml type and the value is a
//! bug on one side; the model panics too).

use crate::wire::{self, mem, RawOCaml};

/// Panics with a message naming the expected and the actual shape.
#[cold]
pub fn shape_error(expected: &str, raw: RawOCaml) -> ! {
    let got = if wire::is_immediate(raw) {
        format!("the immediate {}", wire::int_val(raw))
    } else if wire::is_block(raw) {
        unsafe { format!("a block with tag {} and size {}", mem::tag(raw), mem::size(raw)) }
    } else {
        format!("the invalid word {raw:#x}")
    };
    match crate::runtime::current_export() {
        "" => panic!("ocaml-interop: expected {expected}, got {got}"),
        f => panic!("ocaml-interop: {f}: expected {expected}, got {got}"),
    }
}

/// Checks that a word is an immediate (`int`, `bool`, `char`, `unit`, constant constructors).
#[inline]
pub(crate) fn check_immediate(raw: RawOCaml, what: &str) {
    if !wire::is_immediate(raw) {
        shape_error(what, raw);
    }
}
