//! The runtime's own wasm exports, used by the OCaml glue and the TS host (prefix `oiw_`).

use crate::{arena, error, wire};

/// Called by the host once after instantiation: installs the panic hook, returns the wire
/// format version.
#[no_mangle]
pub extern "C" fn oiw_init() -> u32 {
    #[cfg(oiw_page)]
    crate::panic::install_hook();
    wire::WIRE_VERSION
}

/// The buffer the panic hook records panic messages in (`panic::PanicBuffer`), which the host
/// reads after a trap without calling into the trapped instance.
#[no_mangle]
pub extern "C" fn oiw_panic_buffer() -> u32 {
    crate::panic::buffer_addr()
}

/// The name of the export that made the Rust closure running innermost (`[ptr][len]`), which the
/// host reads after a trap in a closure to name it.
#[no_mangle]
pub extern "C" fn oiw_running_closure() -> u32 {
    crate::rust_closure::running_addr()
}

/// The name of the export running innermost (`[ptr][len]`), which the host reads after a trap
/// that skipped the OCaml glue calling it (a call through the direct table has no JS frame).
#[no_mangle]
pub extern "C" fn oiw_current_export() -> u32 {
    crate::runtime::current_export_addr()
}

/// Where the host writes an error's message after a trap (`error::HOST_MESSAGE_BYTES` bytes).
#[no_mangle]
pub extern "C" fn oiw_host_message_buffer() -> u32 {
    error::host_message_addr()
}

/// What a re-creation must zero: everything below the returned address (the static data and the
/// stack), when the runtime's allocator reuses the pages above it; 0 when it does not (the host
/// then zeroes the whole memory).
#[no_mangle]
pub extern "C" fn oiw_heap_base() -> u32 {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown", feature = "reuse-memory"))]
    return crate::heap::heap_base() as u32;
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown", feature = "reuse-memory")))]
    return 0;
}

/// How this module's panics behave: 1 when they unwind (caught at every export), 0 when they
/// abort (a trap: the host re-creates the instance).
#[no_mangle]
pub extern "C" fn oiw_panic_unwinds() -> u32 {
    cfg!(panic = "unwind") as u32
}

#[no_mangle]
pub extern "C" fn oiw_arena_state() -> u32 {
    arena::state_addr()
}

/// Starts a new arena chunk with room for `bytes`; returns its start, or 0 when the arena is
/// full (the error slot then says so).
#[no_mangle]
pub extern "C" fn oiw_arena_grow(bytes: u32) -> u32 {
    match arena::grow(bytes) {
        Ok(p) => p,
        Err(e) => {
            error::set(
                error::ErrorKind::Failure,
                &format!(
                    "the values of one call need more than the call arena's limit of {} MiB ({} bytes requested)",
                    arena::MAX_ARENA_BYTES >> 20,
                    e.requested
                ),
            );
            0
        }
    }
}

#[no_mangle]
pub extern "C" fn oiw_arena_release(top: u32, limit: u32) {
    arena::release(arena::Mark { top, limit })
}

#[no_mangle]
pub extern "C" fn oiw_arena_held_bytes() -> u32 {
    arena::held_bytes().min(u32::MAX as u64) as u32
}

#[no_mangle]
pub extern "C" fn oiw_error_slot() -> u32 {
    error::slot_addr()
}

/// For the host: a buffer of `len` bytes for an error message it writes itself.
#[no_mangle]
pub extern "C" fn oiw_error_reserve(len: u32) -> u32 {
    error::reserve_message(len)
}

#[no_mangle]
pub extern "C" fn oiw_error_commit(kind: u32, len: u32) {
    error::set_reserved(kind, len)
}

/// An OCaml wrapper of DynBox `id` was made; returns 0 if the box is gone.
#[no_mangle]
pub extern "C" fn oiw_box_claim(id: u32, gen_lo: u32, gen_hi: u32) -> u32 {
    crate::dynbox::claim(id, crate::dynbox::Generation { lo: gen_lo, hi: gen_hi }) as u32
}

/// An OCaml wrapper of DynBox `id` was collected or released.
#[no_mangle]
pub extern "C" fn oiw_box_release(id: u32, gen_lo: u32, gen_hi: u32) {
    crate::dynbox::release(id, crate::dynbox::Generation { lo: gen_lo, hi: gen_hi })
}

#[no_mangle]
pub extern "C" fn oiw_live_boxes() -> u32 {
    crate::dynbox::live_boxes()
}

/// Calls a Rust closure OCaml holds as a function value.
#[no_mangle]
pub extern "C-unwind" fn oiw_rust_closure_call(id: u32, gen_lo: u32, gen_hi: u32, args_ptr: u32, nargs: u32) -> u32 {
    crate::rust_closure::call(
        id,
        crate::dynbox::Generation { lo: gen_lo, hi: gen_hi },
        args_ptr,
        nargs,
    )
}

/// An OCaml view of a rooted bigarray's buffer was made (flag 0x200): it holds a reference
/// until the host reports it collected; returns 0 if `ptr` is not such a buffer (then the host
/// copies instead).
#[no_mangle]
pub extern "C" fn oiw_ba_claim(ptr: u32) -> u32 {
    crate::bigarray::managed::retain(ptr) as u32
}

/// An OCaml view of a rooted bigarray's buffer was collected.
#[no_mangle]
pub extern "C" fn oiw_ba_release(ptr: u32) {
    crate::bigarray::managed::release(ptr)
}

#[no_mangle]
pub extern "C" fn oiw_live_bigarrays() -> u32 {
    crate::bigarray::managed::live()
}

/// The function table slot through which Rust calls into OCaml (src/host.rs, `calls`): `which`
/// 0 for calls of registered functions, 1 for calls of closures by handle (anything else: 0,
/// which no function has). The host's direct route puts the OCaml dispatcher's entries there.
#[cfg(oiw_page)]
#[no_mangle]
pub extern "C" fn oiw_ocaml_call_slot(which: u32) -> u32 {
    crate::host::ocaml_call_slots()
        .get(which as usize)
        .copied()
        .unwrap_or(0)
}

/// The host filled the slots `oiw_ocaml_call_slot` tells with the OCaml dispatcher's entries
/// (`on` 1), or put them back (0): Rust's calls into OCaml take them, or the host's imports.
#[cfg(oiw_page)]
#[no_mangle]
pub extern "C" fn oiw_ocaml_calls_direct(on: u32) {
    crate::host::set_ocaml_calls_direct(on != 0)
}

/// Where Rust counts its calls into OCaml under way and keeps the innermost one's function id
/// (`[depth][id]`, id -1 for a closure): read by the host after a trap (src/host.rs).
#[cfg(oiw_page)]
#[no_mangle]
pub extern "C" fn oiw_ocaml_calling() -> u32 {
    crate::host::ocaml_calling()
}

/// The host tells the runtime which instance this is (it re-creates the instance after a panic).
#[no_mangle]
pub extern "C" fn oiw_set_instance(n: u32) {
    crate::dynbox::set_instance(n)
}

/// Polls async task `id` (src/promise.rs), which the host was asked to with `scheduleTask`.
#[no_mangle]
pub extern "C" fn oiw_task_poll(id: u32) -> u32 {
    crate::internal::run_export("an async Rust task", |cr| {
        crate::promise::executor::poll(cr, id);
        wire::UNIT
    })
}

/// Async tasks not finished (for leak checks).
#[no_mangle]
pub extern "C" fn oiw_live_tasks() -> u32 {
    crate::promise::executor::live() as u32
}
