;; ocaml-interop for the web, the OCaml side: the dispatcher through which Rust and TypeScript
;; call functions registered with Callback.register, and the library's primitives run at
;; start-up and exit.
;; (A runtime file of the library: the dune file says how they link.)
(module
   (type $block (array (mut (ref eq))))
   (type $bytes (array (mut i8)))
   (type $function_1 (func (param (ref eq) (ref eq)) (result (ref eq))))
   (type $closure (sub (struct (field (ref $function_1)))))

   (import "env" "oiw_rust_memory" (memory $mem 1))
   (import "js" "oiw_rust_error_reserve" (func $js_error_reserve (param i32) (result i32)))
   (import "js" "oiw_rust_error_commit" (func $js_error_commit (param i32 i32)))
   (import "js" "oiw_register_dispatcher"
      (func $js_register_dispatcher (param funcref funcref funcref funcref funcref funcref funcref funcref funcref funcref
                                           funcref funcref funcref funcref funcref funcref
                                           funcref funcref funcref funcref funcref)))
   (import "js" "oiw_ocaml_ready" (func $js_ocaml_ready))
   (import "env" "caml_named_value" (func $caml_named_value (param (ref eq)) (result (ref null eq))))
   (import "env" "caml_callback_1"
      (func $caml_callback_1 (param (ref eq)) (param (ref eq)) (result (ref eq))))
   (import "env" "caml_callback_2"
      (func $caml_callback_2 (param (ref eq)) (param (ref eq)) (param (ref eq)) (result (ref eq))))
   (import "env" "ocaml_exception" (tag $ocaml_exception (param (ref eq))))
   (import "js" "oiw_register_js_closures" (func $js_register_js_closures (param funcref funcref funcref funcref)))
   ;; from ocaml_interop_arena.wat
   (import "env" "oiw_alloc" (func $alloc (param i32) (result i32)))
   (import "env" "oiw_frame_enter" (func $frame_enter (result i32)))
   (import "env" "oiw_frame_leave" (func $frame_leave (param i32) (param i32)))
   (import "env" "oiw_entry_push" (func $entry_push))
   (import "env" "oiw_entry_pop" (func $entry_pop))
   (import "env" "oiw_trap_unwind" (func $trap_unwind (param i32) (result i32)))
   (import "env" "oiw_rust_enter" (func $rust_enter (param i32) (result i32)))
   (import "env" "oiw_rust_leave" (func $rust_leave))
   (import "env" "oiw_rust_enter_rec" (func $rust_enter_rec (param i32) (result i32)))
   (import "env" "oiw_rust_leave_rec" (func $rust_leave_rec (param i32)))
   (import "env" "oiw_rust_frames" (func $rust_frames (result i32)))
   (import "env" "oiw_string_from_mem" (func $string_from_mem (param i32) (param i32) (result (ref $bytes))))
   (import "env" "oiw_string_to_mem" (func $string_to_mem (param (ref $bytes)) (param i32)))
   ;; from ocaml_interop_handles.wat
   (import "env" "oiw_grow_block" (func $grow_block (param (ref $block)) (param i32) (result (ref $block))))
   (import "env" "oiw_handle_gen_hi" (func $handle_gen_hi (param i32) (result i32)))
   (import "env" "oiw_handle_gen_lo" (func $handle_gen_lo (param i32) (result i32)))
   (import "env" "oiw_handle_get" (func $handle_get (param i32) (result (ref eq))))
   (import "env" "oiw_handle_live_count" (func $handle_live_count (result i32)))
   (import "env" "oiw_handle_release_gen" (func $handle_release_gen (param i32) (param i32) (param i32)))
   (import "env" "oiw_handle_retain_gen" (func $handle_retain_gen (param i32) (param i32) (param i32)))
   (import "env" "oiw_handle_valid_gen" (func $handle_valid_gen (param i32) (param i32) (param i32) (result i32)))
   ;; from ocaml_interop_boxes.wat
   (import "env" "oiw_handle_of" (func $handle_of (param (ref eq)) (result i32)))
   (import "env" "oiw_js_closure_handle" (func $js_closure_handle (param i32) (param i32) (result i32)))
   ;; from ocaml_interop_encode.wat
   (import "env" "oiw_encode" (func $encode (param (ref eq)) (result i32)))
   (import "env" "oiw_encode_for" (func $encode_for (param (ref eq)) (param (ref null eq)) (param i32) (param i32) (result i32)))
   ;; from ocaml_interop_errors.wat
   (import "env" "oiw_error_slot_addr" (func $error_slot (result i32)))
   ;; from ocaml_interop_decode.wat
   (import "env" "oiw_bad_handle" (global $bad_handle (ref eq)))
   (import "env" "oiw_decode_for" (func $decode_for (param i32) (param (ref null eq)) (param i32) (param i32) (result (ref eq))))

   ;; BEGIN generated: the protocol's constants (tools/gen-protocol.ts, from wire-format/protocol.json; do not edit)
   (global $ERROR_SENTINEL i32 (i32.const 2))
   (global $KIND_INVALID_ARGUMENT i32 (i32.const 3))
   (global $KIND_OCAML_EXCEPTION i32 (i32.const 4))
   ;; END generated: the protocol's constants

   ;; ---------------------------------------------------------------- calls into OCaml
   (global $functions (mut (ref $block)) (array.new_fixed $block 1 (ref.i31 (i32.const 0))))
   ;; the name each was registered under (for errors)
   (global $function_names (mut (ref $block)) (array.new_fixed $block 1 (ref.i31 (i32.const 0))))
   (global $function_count (mut i32) (i32.const 0))

   ;; id of a function registered with Callback.register, -1 if none, -2 if not a function
   (func $lookup (param $p i32) (param $len i32) (result i32)
      (local $v (ref null eq)) (local $f (ref eq)) (local $old (ref $block)) (local $new (ref $block))
      (local $id i32) (local $name (ref $bytes))
      (local.set $name (call $string_from_mem (local.get $p) (local.get $len)))
      (local.set $v (call $caml_named_value (local.get $name)))
      (if (ref.is_null (local.get $v)) (then (return (i32.const -1))))
      (local.set $f (ref.as_non_null (local.get $v)))
      (if (i32.eqz (ref.test (ref $closure) (local.get $f))) (then (return (i32.const -2))))
      (local.set $id (global.get $function_count))
      (local.set $old (global.get $functions))
      (if (i32.ge_u (local.get $id) (array.len (local.get $old)))
         (then
            (local.set $new (array.new $block (ref.i31 (i32.const 0))
                               (i32.shl (array.len (local.get $old)) (i32.const 1))))
            (array.copy $block $block (local.get $new) (i32.const 0) (local.get $old) (i32.const 0)
               (array.len (local.get $old)))
            (global.set $functions (local.get $new))
            (global.set $function_names (call $grow_block (global.get $function_names) (array.len (local.get $new))))))
      (array.set $block (global.get $functions) (local.get $id) (local.get $f))
      (array.set $block (global.get $function_names) (local.get $id) (local.get $name))
      (global.set $function_count (i32.add (local.get $id) (i32.const 1)))
      (local.get $id))

   ;; writes an error into Rust's error slot; returns the error sentinel
   (func $report (param $kind i32) (param $m (ref eq)) (result i32)
      (local $p i32) (local $msg (ref $bytes))
      (local.set $msg (ref.cast (ref $bytes) (local.get $m)))
      (local.set $p (call $js_error_reserve (array.len (local.get $msg))))
      (call $string_to_mem (local.get $msg) (local.get $p))
      (call $js_error_commit (local.get $kind) (array.len (local.get $msg)))
      (global.get $ERROR_SENTINEL))

   (global $exn_to_string (mut (ref null eq)) (ref.null eq))
   (@string $exn_to_string_name "ocaml_interop.exn_to_string")
   (@string $unknown_exn "an OCaml exception")

   (func $exn_message (param $exn (ref eq)) (result (ref eq))
      (local $f (ref null eq))
      (if (ref.is_null (global.get $exn_to_string))
         (then (global.set $exn_to_string (call $caml_named_value (global.get $exn_to_string_name)))))
      (local.set $f (global.get $exn_to_string))
      (if (ref.is_null (local.get $f)) (then (return (global.get $unknown_exn))))
      (call $caml_callback_1 (ref.as_non_null (local.get $f)) (local.get $exn)))

   ;; calls function `id` with `n` wire words at `args`; returns the result's wire word, or
   ;; the error sentinel with the exception in the error slot
   (func $call (param $id i32) (param $args i32) (param $n i32) (result i32)
      (if (i32.or (i32.lt_s (local.get $id) (i32.const 0))
                  (i32.ge_s (local.get $id) (global.get $function_count)))
         (then (return (call $report (global.get $KIND_INVALID_ARGUMENT) (global.get $bad_id)))))
      (return_call $apply (array.get $block (global.get $functions) (local.get $id))
         (local.get $args) (local.get $n) (array.get $block (global.get $function_names) (local.get $id))
         (i32.const 1)))

   ;; calls the closure behind handle `h` (a closure Rust received)
   (func $call_handle (param $h i32) (param $lo i32) (param $hi i32) (param $args i32) (param $n i32) (result i32)
      (if (i32.eqz (call $handle_valid_gen (local.get $h) (local.get $lo) (local.get $hi)))
         (then (return (call $report (global.get $KIND_INVALID_ARGUMENT) (global.get $bad_handle)))))
      (return_call $apply (call $handle_get (local.get $h))
         (local.get $args) (local.get $n) (global.get $an_ocaml_closure) (i32.const 1)))
   (@string $an_ocaml_closure "an OCaml closure")

   ;; The same two, called by Rust itself through its function table, where the host puts them
   ;; for an app loaded with ocamlCalls: "direct" (src/host/bridge/direct-ocaml.ts): no JS frame
   ;; is under them to catch a trap, so they record no entry; the host's call into Rust under
   ;; which Rust called records one instead (oiw_rust_enter_rec).
   (func $call_direct (param $id i32) (param $args i32) (param $n i32) (result i32)
      (if (i32.or (i32.lt_s (local.get $id) (i32.const 0))
                  (i32.ge_s (local.get $id) (global.get $function_count)))
         (then (return (call $report (global.get $KIND_INVALID_ARGUMENT) (global.get $bad_id)))))
      (return_call $apply (array.get $block (global.get $functions) (local.get $id))
         (local.get $args) (local.get $n) (array.get $block (global.get $function_names) (local.get $id))
         (i32.const 0)))
   (func $call_handle_direct (param $h i32) (param $lo i32) (param $hi i32) (param $args i32) (param $n i32) (result i32)
      (if (i32.eqz (call $handle_valid_gen (local.get $h) (local.get $lo) (local.get $hi)))
         (then (return (call $report (global.get $KIND_INVALID_ARGUMENT) (global.get $bad_handle)))))
      (return_call $apply (call $handle_get (local.get $h))
         (local.get $args) (local.get $n) (global.get $an_ocaml_closure) (i32.const 0)))

   ;; applies `f` to `n` wire words at `args`; returns the result's word, or the error sentinel
   ;; with the exception in the error slot (its message, and its value when it can be encoded)
   ;; (`name` is the function's, for the errors of its arguments and result). Called by the host
   ;; (through $call, $call_handle; `record` 1) it is an entry, recorded for a trap under it (see
   ;; oiw_entry_push); a JS exception leaves the record for the host's catch to pop. Called by
   ;; Rust directly (`record` 0) it records nothing.
   (func $apply (param $f (ref eq)) (param $args i32) (param $n i32) (param $name (ref eq)) (param $record i32) (result i32)
      (local $i i32) (local $res (ref null eq)) (local $exn (ref null eq)) (local $w i32)
      (if (local.get $record) (then (call $entry_push)))
      (try
         (do
            (if (i32.eqz (local.get $n))
               (then (local.set $res (call $caml_callback_1 (local.get $f) (ref.i31 (i32.const 0)))))
               (else
                  (if (i32.eq (local.get $n) (i32.const 1))
                     (then
                        ;; (an immediate decodes in place, as the decoder does it)
                        (local.set $w (i32.load (local.get $args)))
                        (local.set $res (call $caml_callback_1 (local.get $f)
                           (if (result (ref eq)) (i32.and (local.get $w) (i32.const 1))
                              (then (ref.i31 (i32.shr_s (local.get $w) (i32.const 1))))
                              (else (call $decode_for (local.get $w) (local.get $name) (i32.const 1) (i32.const 1)))))))
                     (else
                        (local.set $res (call $caml_callback_2 (local.get $f)
                           (call $decode_for (i32.load (local.get $args)) (local.get $name) (i32.const 1) (i32.const 1))
                           (call $decode_for (i32.load offset=4 (local.get $args)) (local.get $name) (i32.const 1) (i32.const 2))))
                        (local.set $i (i32.const 2))
                        (block $done
                           (loop $more
                              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                              (local.set $res (call $caml_callback_1 (ref.as_non_null (local.get $res))
                                 (call $decode_for (i32.load (i32.add (local.get $args)
                                    (i32.shl (local.get $i) (i32.const 2))))
                                    (local.get $name) (i32.const 1) (i32.add (local.get $i) (i32.const 1)))))
                              (local.set $i (i32.add (local.get $i) (i32.const 1)))
                              (br $more)))))))
            ;; (an immediate result is tagged in place, as the encoder does it)
            (local.set $w
               (if (result i32) (ref.test (ref i31) (local.get $res))
                  (then (i32.or (i32.shl (i31.get_s (ref.cast (ref i31) (local.get $res))) (i32.const 1)) (i32.const 1)))
                  (else (call $encode_for (ref.as_non_null (local.get $res)) (local.get $name) (i32.const 2) (i32.const 0)))))
            (if (local.get $record) (then (call $entry_pop)))
            (return (local.get $w)))
         (catch $ocaml_exception
            (local.set $exn)
            (if (local.get $record) (then (call $entry_pop)))
            (return (call $report_exn (ref.as_non_null (local.get $exn))))))
      (unreachable))

   ;; kind 4 with the exception value in the slot's 4th word, and no message: its text
   ;; (Printexc's, through the library's exn_to_string) is made only when a reader asks for it
   ;; ($exn_text: the TS host, for its OCamlException's message), since Rust, which gets most of
   ;; them, reads the value. One that does not encode gets its text now, with no value.
   (func $report_exn (param $exn (ref eq)) (result i32)
      (local $w i32) (local $slot i32)
      (local.set $w
         (try (result i32)
            (do (call $encode (local.get $exn)))
            (catch_all (i32.const 0))))
      (if (i32.eqz (local.get $w))
         (then (return (call $report (global.get $KIND_OCAML_EXCEPTION) (call $exn_message (local.get $exn))))))
      (local.set $slot (call $error_slot))
      (i32.store offset=4 (local.get $slot) (i32.const 0))
      (i32.store offset=8 (local.get $slot) (i32.const 0))
      (i32.store offset=12 (local.get $slot) (local.get $w))
      (i32.store offset=16 (local.get $slot) (i32.const 0))
      (i32.store offset=20 (local.get $slot) (i32.const 0))
      (i32.store (local.get $slot) (global.get $KIND_OCAML_EXCEPTION))
      (global.get $ERROR_SENTINEL))

   ;; the text of the exception value at wire word `w` (a kind 4 error that came without its
   ;; message), as a string in the arena (its wire word), or 0 if it could not be made
   (func $exn_text (param $w i32) (result i32)
      (try (result i32)
         (do (call $encode (call $exn_message (call $decode_for (local.get $w) (ref.null eq) (i32.const 0) (i32.const 0)))))
         (catch_all (i32.const 0))))

   (@string $bad_id "ocaml-interop: unknown OCaml function id")

   ;; a fault of the OCaml program that the host caught (the engine's stack ran out, or it ran out
   ;; of memory) reported as the OCaml exception it is: Stack_overflow (0) or Out_of_memory (1),
   ;; the values the library registered, in the error slot (kind 4, with the value)
   (@string $stack_overflow_name "ocaml_interop.Stack_overflow")
   (@string $out_of_memory_name "ocaml_interop.Out_of_memory")
   (@string $stack_overflow_text "Stack_overflow")
   (@string $out_of_memory_text "Out_of_memory")
   (func $report_fault (param $which i32) (result i32)
      (local $e (ref null eq))
      (local.set $e (call $caml_named_value
         (if (result (ref eq)) (local.get $which)
            (then (global.get $out_of_memory_name)) (else (global.get $stack_overflow_name)))))
      (if (ref.is_null (local.get $e))
         (then (return (call $report (global.get $KIND_OCAML_EXCEPTION)
            (if (result (ref eq)) (local.get $which)
               (then (global.get $out_of_memory_text)) (else (global.get $stack_overflow_text)))))))
      (call $report_exn (ref.as_non_null (local.get $e))))

   (elem declare func $lookup $call $call_direct $call_handle_direct $rust_enter_rec $rust_leave_rec $alloc $frame_enter $frame_leave $call_handle $handle_retain_gen $handle_release_gen
      $handle_live_count $report_fault $entry_push $entry_pop $trap_unwind
      $rust_enter $rust_leave $rust_frames
      $js_closure_handle $handle_of $handle_gen_lo $handle_gen_hi $exn_text)

   ;; called by the OCaml library (Ocaml_interop) at start-up
   (func (export "oiw_install") (param (ref eq)) (result (ref eq))
      (call $js_register_dispatcher (ref.func $lookup) (ref.func $call) (ref.func $alloc)
         (ref.func $frame_enter) (ref.func $frame_leave) (ref.func $call_handle)
         (ref.func $handle_retain_gen) (ref.func $handle_release_gen) (ref.func $handle_live_count)
         (ref.func $report_fault) (ref.func $entry_push) (ref.func $entry_pop) (ref.func $trap_unwind)
         (ref.func $rust_enter) (ref.func $rust_leave) (ref.func $rust_frames)
         (ref.func $call_direct) (ref.func $call_handle_direct) (ref.func $rust_enter_rec) (ref.func $rust_leave_rec)
         (ref.func $exn_text))
      ;; (a handle crosses with its generation: the host asks for its halves)
      (call $js_register_js_closures (ref.func $js_closure_handle) (ref.func $handle_of)
         (ref.func $handle_gen_lo) (ref.func $handle_gen_hi))
      (ref.i31 (i32.const 0)))

   ;; ocaml-interop's own primitives, which OCaml programs written for it declare as
   ;; `external ... : unit -> unit = "ocaml_interop_setup"` / "ocaml_interop_teardown".
   ;; setup: nothing to do (as in the model since 0.8.1, where it is kept for old programs).
   ;; teardown: the model frees boxroot's memory; here a root is Rust memory owned by its
   ;; BoxRoot (freed when dropped) and the runtime lives as long as the page, so nothing is
   ;; released and calls keep working afterwards.
   (func (export "ocaml_interop_setup") (param (ref eq)) (result (ref eq))
      (ref.i31 (i32.const 0)))
   (func (export "ocaml_interop_teardown") (param (ref eq)) (result (ref eq))
      (ref.i31 (i32.const 0)))

   ;; called (through at_exit) when the OCaml program's top level has run
   (func (export "oiw_ready") (param (ref eq)) (result (ref eq))
      (call $js_ocaml_ready)
      (ref.i31 (i32.const 0)))
)
