//! What an export gives back of the call arena: all it allocated when its result is an
//! immediate or its error only a message (the OCaml glue's bare frame then has nothing to
//! release); nothing when its result is a block (the caller reads it, then releases); and, for
//! `Err(exn)`, the mark to go back to once the exception is read, in the error slot.
use ocaml_interop::internal::{alloc, arena, take_error};
use ocaml_interop::wire::{self, ERROR_SENTINEL};
use ocaml_interop::{ErrorKind, OCaml, OCamlException, OCamlInt, OCamlRuntime, ToOCaml};

/// Converts a string it drops, returns an int.
#[ocaml_interop::export]
pub fn drops_a_string(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let s: OCaml<String> = "a string that lives in the arena for the call only".to_ocaml(cr);
    let len = s.as_str().len() as i64;
    (n.to_i64() + len).to_ocaml(cr)
}

/// Returns a string: the caller reads it from the arena.
#[ocaml_interop::export]
pub fn makes_a_string(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<String> {
    format!("n = {}", n.to_i64()).to_ocaml(cr)
}

/// Fails with a message, after allocating.
#[ocaml_interop::export]
pub fn fails_with_a_message(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> Result<OCaml<OCamlInt>, String> {
    let _s: OCaml<String> = "garbage".to_ocaml(cr);
    Err(format!("no {}", n.to_i64()))
}

/// Fails with an exception value it makes in the arena (after some garbage).
#[ocaml_interop::export]
pub fn fails_with_an_exception(cr: &mut OCamlRuntime, _n: OCaml<OCamlInt>) -> Result<OCaml<()>, OCaml<OCamlException>> {
    let _s: OCaml<String> = "garbage".to_ocaml(cr);
    let ctor = alloc::tuple(wire::tag::OBJECT, &[alloc::string(b"Stdlib.Exit"), wire::val_int(-2)]);
    Err(unsafe { OCaml::from_raw_unchecked(ctor) })
}

fn slot_words() -> [u32; 6] {
    extern "C" {
        fn oiw_error_slot() -> u32;
    }
    let p = unsafe { oiw_error_slot() } as usize as *const u32;
    core::array::from_fn(|i| unsafe { *p.add(i) })
}

#[test]
fn an_immediate_result_gives_the_arena_back() {
    let before = arena::mark_in_chunk();
    for i in 0..10_000 {
        assert_eq!(wire::int_val(__oiw_export_drops_a_string(wire::val_int(i))), i + 50);
        assert_eq!(arena::mark(), before, "call {i} left the arena moved");
    }
}

#[test]
fn a_block_result_stays_for_the_caller_to_read() {
    let before = arena::mark_in_chunk();
    let r = __oiw_export_makes_a_string(wire::val_int(7));
    assert_ne!(arena::mark(), before);
    assert_eq!(unsafe { wire::mem::bytes(r) }, b"n = 7");
    arena::release(before);
}

#[test]
fn an_error_message_gives_the_arena_back_and_leaves_no_mark() {
    let before = arena::mark_in_chunk();
    assert_eq!(__oiw_export_fails_with_a_message(wire::val_int(3)), ERROR_SENTINEL);
    assert_eq!(arena::mark(), before);
    assert_eq!(slot_words()[4..], [0, 0]);
    assert_eq!(take_error(), Some((ErrorKind::Failure, "no 3".to_string())));
}

#[test]
fn an_exception_value_stays_with_the_mark_to_release_to_in_the_error_slot() {
    let before = arena::mark_in_chunk();
    assert_eq!(__oiw_export_fails_with_an_exception(wire::val_int(1)), ERROR_SENTINEL);
    let slot = slot_words();
    assert_eq!(slot[0], ErrorKind::OCamlException as u32);
    // the value is above the mark, still readable
    assert!(
        slot[3] >= before.top,
        "the exception's word {} is below the mark {}",
        slot[3],
        before.top
    );
    assert_eq!(
        unsafe { wire::mem::bytes(wire::mem::field(slot[3], 0)) },
        b"Stdlib.Exit"
    );
    assert_eq!(slot[4..], [before.top, before.limit], "slot {slot:?}");
    assert_ne!(arena::mark(), before);
    // what the reader does: release to the mark
    arena::release(arena::Mark {
        top: slot[4],
        limit: slot[5],
    });
    assert_eq!(arena::mark(), before);
    take_error();
    // the next error, a message, clears the mark
    assert_eq!(__oiw_export_fails_with_a_message(wire::val_int(4)), ERROR_SENTINEL);
    assert_eq!(slot_words()[4..], [0, 0]);
    take_error();
}
