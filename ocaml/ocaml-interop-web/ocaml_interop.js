// ocaml-interop for the web: the JavaScript primitives the OCaml glue imports ("js" module).
// They forward to the TS host, through the one object it gives the glue (GlueImports,
// src/host/bridge/glue-imports.ts). `__oiw_host` is the parameter of the
// module the build makes of wasm_of_ocaml's loader (src/build/ocaml-loader.ts): each copy of
// the program gets its own app's host, and no global is used.

//Provides: oiw_host
var oiw_host = (function () {
  var h = typeof __oiw_host !== "undefined" ? __oiw_host : undefined;
  if (!h || !h.memory)
    throw new Error("ocaml-interop: no host: this OCaml program must be loaded through " +
                    "loadInterop() (import app from \"virtual:ocaml-interop/<name>\")");
  return h;
})();

//Provides: oiw_memory
//Requires: oiw_host
var oiw_memory = oiw_host.memory;

//Provides: oiw_reset_pending
//Requires: oiw_host
var oiw_reset_pending = oiw_host.resetPending;

//Provides: oiw_rust_poisoned
//Requires: oiw_host
var oiw_rust_poisoned = oiw_host.rustPoisoned;

//Provides: oiw_rust_instance
//Requires: oiw_host
var oiw_rust_instance = oiw_host.rustInstance;

//Provides: oiw_arena_restart
//Requires: oiw_host
function oiw_arena_restart() { oiw_host.arenaRestart(); }

//Provides: oiw_rust_arena_state
//Requires: oiw_host
function oiw_rust_arena_state() { return oiw_host.rust.oiw_arena_state(); }

//Provides: oiw_rust_arena_grow
//Requires: oiw_host
function oiw_rust_arena_grow(n) { return oiw_host.rust.oiw_arena_grow(n); }

//Provides: oiw_rust_arena_release
//Requires: oiw_host
function oiw_rust_arena_release(top, limit) { oiw_host.rust.oiw_arena_release(top, limit); }

//Provides: oiw_rust_error_slot
//Requires: oiw_host
function oiw_rust_error_slot() { return oiw_host.rust.oiw_error_slot(); }

//Provides: oiw_rust_error_reserve
//Requires: oiw_host
function oiw_rust_error_reserve(n) { return oiw_host.rust.oiw_error_reserve(n); }

//Provides: oiw_rust_error_commit
//Requires: oiw_host
function oiw_rust_error_commit(kind, n) { oiw_host.rust.oiw_error_commit(kind, n); }

//Provides: oiw_after_error
//Requires: oiw_host
function oiw_after_error() { oiw_host.afterError(); }

//Provides: oiw_register_dispatcher
//Requires: oiw_host
function oiw_register_dispatcher(lookup, call, alloc, frameEnter, frameLeave, callHandle, retain, release, liveHandles, reportFault,
                                 entryPush, entryPop, trapUnwind, rustEnter, rustLeave, rustFrames,
                                 callDirect, callHandleDirect, rustEnterRec, rustLeaveRec, exnText) {
  oiw_host.registerOCaml({
    lookup: lookup, call: call, alloc: alloc, frameEnter: frameEnter, frameLeave: frameLeave,
    callHandle: callHandle, retain: retain, release: release, liveHandles: liveHandles,
    reportFault: reportFault, entryPush: entryPush, entryPop: entryPop, trapUnwind: trapUnwind,
    rustEnter: rustEnter, rustLeave: rustLeave, rustFrames: rustFrames,
    callDirect: callDirect, callHandleDirect: callHandleDirect,
    rustEnterRec: rustEnterRec, rustLeaveRec: rustLeaveRec, exnText: exnText
  });
}

//Provides: oiw_ocaml_ready
//Requires: oiw_host
function oiw_ocaml_ready() { oiw_host.ocamlReady(); }

//Provides: oiw_ba_place
//Requires: oiw_host
function oiw_ba_place(ta, kind) { return oiw_host.baPlace(ta, kind); }

//Provides: oiw_ba_view
//Requires: oiw_host
function oiw_ba_view(elt, dim, ptr) { return oiw_host.baView(elt, dim, ptr); }

//Provides: oiw_box_track
//Requires: oiw_host
function oiw_box_track(wrapper, id, lo, hi) { return oiw_host.boxTrack(wrapper, id, lo, hi); }

//Provides: oiw_box_untrack
//Requires: oiw_host
function oiw_box_untrack(wrapper, id, lo, hi) { oiw_host.boxUntrack(wrapper, id, lo, hi); }

//Provides: oiw_call_rust_closure
//Requires: oiw_host
function oiw_call_rust_closure(id, lo, hi, argv, n) {
  var h = oiw_host;
  if (!h.enter()) { h.tooDeep("a Rust closure"); return 2; }
  try { return h.rust.oiw_rust_closure_call(id, lo, hi, argv, n); }
  catch (e) { h.trap(e, "a Rust closure"); return 2; }
  finally { h.leave(); }
}

//Provides: oiw_wrapped_js_tag
//Requires: oiw_host
var oiw_wrapped_js_tag = oiw_host.wrappedJsTag;

//Provides: oiw_direct_returned
//Requires: oiw_host
function oiw_direct_returned() { oiw_host.directReturned(); }

//Provides: oiw_direct_threw
//Requires: oiw_host
function oiw_direct_threw(index, rust, e) { oiw_host.directThrew(index, rust === 1, e); }

//Provides: oiw_direct_too_deep
//Requires: oiw_host
function oiw_direct_too_deep(index) { oiw_host.directTooDeep(index); }

//Provides: oiw_js_closure_track
//Requires: oiw_host
function oiw_js_closure_track(f, id) { oiw_host.values.trackJsClosure(f, id); }

//Provides: oiw_call_js
//Requires: oiw_host
function oiw_call_js(id, argv, n) { return oiw_host.values.callJs(id, argv, n); }

//Provides: oiw_register_js_closures
//Requires: oiw_host
function oiw_register_js_closures(make, handleOf, genLo, genHi) {
  // (a host without TS values, such as the library's own tests under Node, has none to call)
  if (oiw_host.values) oiw_host.values.registerOCaml(make, handleOf, genLo, genHi);
}

//Provides: oiw_ba_fill
//Requires: oiw_host
function oiw_ba_fill(ta, ptr, kind) { oiw_host.baFill(ta, ptr, kind); }

// Never called: wasm_of_ocaml keeps `Callback.register "name" f` only for names a runtime file
// looks up as caml_named_value("name"); this keeps the library's own registration.
//Provides: oiw_library_registered_names
function oiw_library_registered_names() {
  function caml_named_value(name) { return name; }
  return [caml_named_value("ocaml_interop.exn_to_string"), caml_named_value("rust_panic_exn"),
          caml_named_value("ocaml_interop.Stack_overflow"), caml_named_value("ocaml_interop.Out_of_memory")];
}

// The single-memory build (src/build/single-memory.ts): the runtime file's loads and stores of
// Rust's memory, as functions of a helper module on that memory (src/host/memory-ops.ts).
// Only that build imports them; the multi-memory build links none of these.

//Provides: oiw_memory_ops
//Requires: oiw_host
var oiw_memory_ops = oiw_host.memoryOps();

//Provides: oiw_m_i32_load
//Requires: oiw_memory_ops
var oiw_m_i32_load = oiw_memory_ops.i32_load;

//Provides: oiw_m_i64_load
//Requires: oiw_memory_ops
var oiw_m_i64_load = oiw_memory_ops.i64_load;

//Provides: oiw_m_f32_load
//Requires: oiw_memory_ops
var oiw_m_f32_load = oiw_memory_ops.f32_load;

//Provides: oiw_m_f64_load
//Requires: oiw_memory_ops
var oiw_m_f64_load = oiw_memory_ops.f64_load;

//Provides: oiw_m_i32_load8_u
//Requires: oiw_memory_ops
var oiw_m_i32_load8_u = oiw_memory_ops.i32_load8_u;

//Provides: oiw_m_i32_load16_u
//Requires: oiw_memory_ops
var oiw_m_i32_load16_u = oiw_memory_ops.i32_load16_u;

//Provides: oiw_m_i32_store
//Requires: oiw_memory_ops
var oiw_m_i32_store = oiw_memory_ops.i32_store;

//Provides: oiw_m_i64_store
//Requires: oiw_memory_ops
var oiw_m_i64_store = oiw_memory_ops.i64_store;

//Provides: oiw_m_f32_store
//Requires: oiw_memory_ops
var oiw_m_f32_store = oiw_memory_ops.f32_store;

//Provides: oiw_m_f64_store
//Requires: oiw_memory_ops
var oiw_m_f64_store = oiw_memory_ops.f64_store;

//Provides: oiw_m_i32_store8
//Requires: oiw_memory_ops
var oiw_m_i32_store8 = oiw_memory_ops.i32_store8;

//Provides: oiw_m_i32_store16
//Requires: oiw_memory_ops
var oiw_m_i32_store16 = oiw_memory_ops.i32_store16;

//Provides: oiw_m_size
//Requires: oiw_memory_ops
var oiw_m_size = oiw_memory_ops.size;
