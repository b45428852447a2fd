;; ocaml-interop for the web: the OCaml side of the boundary (wasm_of_ocaml runtime file).
;;
;; - encodes OCaml values into the shared wire format (docs/wire-format.md) in the call
;;   arena, which lives in Rust's linear memory (imported from the host as "js" "oiw_memory");
;; - decodes wire values back into OCaml values;
;; - manages arena frames around each OCaml -> Rust call (the generated glue calls these);
;; - raises the OCaml exception a failed Rust call asks for (RustPanic / Failure / ...);
;; - gives the host the dispatcher through which Rust (and TS) call registered OCaml functions.
(module
   (import "js" "oiw_memory" (memory $mem 1))
   (import "js" "oiw_reset_pending" (global $reset_pending (mut i32)))
   ;; 1 while the Rust instance has trapped: none of its code is called until it is re-created
   (import "js" "oiw_rust_poisoned" (global $rust_poisoned (mut i32)))
   (import "js" "oiw_rust_arena_state" (func $js_arena_state (result i32)))
   (import "js" "oiw_rust_arena_grow" (func $js_arena_grow (param i32) (result i32)))
   (import "js" "oiw_rust_arena_release" (func $js_arena_release (param i32 i32)))
   (import "js" "oiw_rust_error_slot" (func $js_error_slot (result i32)))
   (import "js" "oiw_rust_error_reserve" (func $js_error_reserve (param i32) (result i32)))
   (import "js" "oiw_rust_error_commit" (func $js_error_commit (param i32 i32)))
   (import "js" "oiw_after_error" (func $js_after_error))
   (import "js" "oiw_register_dispatcher"
      (func $js_register_dispatcher (param funcref funcref funcref funcref funcref funcref funcref funcref funcref funcref)))
   (import "js" "oiw_ocaml_ready" (func $js_ocaml_ready))

   (import "env" "caml_failwith" (func $caml_failwith (param (ref eq))))
   (import "env" "caml_invalid_argument" (func $caml_invalid_argument (param (ref eq))))
   (import "env" "caml_named_value" (func $caml_named_value (param (ref eq)) (result (ref null eq))))
   (import "env" "caml_callback_1"
      (func $caml_callback_1 (param (ref eq)) (param (ref eq)) (result (ref eq))))
   (import "env" "caml_callback_2"
      (func $caml_callback_2 (param (ref eq)) (param (ref eq)) (param (ref eq)) (result (ref eq))))
   (import "env" "ocaml_exception" (tag $ocaml_exception (param (ref eq))))
   (import "env" "caml_is_custom" (func $caml_is_custom (param (ref eq)) (result i32)))
   (import "env" "caml_custom_identifier" (func $caml_custom_identifier (param (ref eq)) (result (ref eq))))
   (import "env" "Int32_val" (func $Int32_val (param (ref eq)) (result i32)))
   (import "env" "Int64_val" (func $Int64_val (param (ref eq)) (result i64)))
   (import "env" "caml_copy_int32" (func $caml_copy_int32 (param i32) (result (ref eq))))
   (import "env" "caml_copy_int64" (func $caml_copy_int64 (param i64) (result (ref eq))))
   (import "env" "caml_copy_nativeint" (func $caml_copy_nativeint (param i32) (result (ref eq))))
   (import "env" "caml_ba_num_dims" (func $caml_ba_num_dims (param (ref eq)) (result (ref eq))))
   (import "env" "caml_ba_kind" (func $caml_ba_kind (param (ref eq)) (result (ref eq))))
   (import "env" "caml_ba_dim_1" (func $caml_ba_dim_1 (param (ref eq)) (result (ref eq))))
   (import "env" "caml_ba_to_typed_array" (func $caml_ba_to_typed_array (param (ref eq)) (result (ref eq))))
   (import "env" "caml_ba_from_typed_array" (func $caml_ba_from_typed_array (param (ref eq)) (result (ref eq))))
   (import "env" "caml_ba_char_of_typed_array" (func $caml_ba_char_of_typed_array (param (ref eq)) (result (ref eq))))
   (import "env" "caml_ba_create" (func $caml_ba_create (param (ref eq)) (param (ref eq)) (param (ref eq)) (result (ref eq))))
   (import "js" "oiw_ba_fill" (func $js_ba_fill (param anyref i32 i32)))
   (import "env" "unwrap" (func $unwrap (param (ref eq)) (result anyref)))
   (import "env" "wrap" (func $wrap (param anyref) (result (ref eq))))
   (import "js" "oiw_ba_place" (func $js_ba_place (param anyref) (param i32) (result i32)))
   (import "js" "oiw_ba_view" (func $js_ba_view (param i32 i32 i32) (result anyref)))
   ;; (wrapper, id, generation low half, generation high half)
   (import "js" "oiw_box_track" (func $js_box_track (param anyref i32 i32 i32) (result i32)))
   (import "js" "oiw_box_untrack" (func $js_box_untrack (param anyref i32 i32 i32)))
   ;; (id, generation low half, generation high half, argv, n)
   (import "js" "oiw_call_rust_closure" (func $js_call_rust_closure (param i32 i32 i32 i32 i32) (result i32)))
   ;; JS functions TypeScript passed where a closure is expected: (function value, JS id) is
   ;; tracked by the host; (JS id, argv, n) calls it; the host gets $js_closure_handle at start-up
   (import "js" "oiw_js_closure_track" (func $js_closure_track (param anyref i32)))
   (import "js" "oiw_call_js" (func $js_call_js (param i32 i32 i32) (result i32)))
   (import "js" "oiw_register_js_closures" (func $js_register_js_closures (param funcref funcref funcref funcref)))

   (type $block (array (mut (ref eq))))
   (type $bytes (array (mut i8)))
   (type $float (struct (field f64)))
   (type $float_array (array (mut f64)))
   (type $function_1 (func (param (ref eq) (ref eq)) (result (ref eq))))
   (type $closure (sub (struct (field (ref $function_1)))))
   ;; a Rust closure as an OCaml function: id, generation (low half), arity, the arguments so
   ;; far, generation (high half)
   (type $rust_closure
      (sub final $closure
         (struct (field (ref $function_1)) (field i32) (field i32) (field i32) (field (ref $block)) (field i32))))
   ;; a JS function (TypeScript's) as an OCaml function: its id in the host's table, arity, the
   ;; arguments so far
   (type $js_closure
      (sub final $closure
         (struct (field (ref $function_1)) (field i32) (field i32) (field (ref $block)))))

   ;; BEGIN generated: the protocol's constants (tools/gen-protocol.ts, from wire-format/protocol.json; do not edit)
   (global $ERROR_SENTINEL i32 (i32.const 2))
   (global $HEADER_TAG_MASK i32 (i32.const 255))
   (global $TAG_LAZY i32 (i32.const 246))
   (global $TAG_CLOSURE i32 (i32.const 247))
   (global $TAG_OBJECT i32 (i32.const 248))
   (global $TAG_FORWARD i32 (i32.const 250))
   (global $TAG_NO_SCAN i32 (i32.const 251))
   (global $TAG_ABSTRACT i32 (i32.const 251))
   (global $TAG_STRING i32 (i32.const 252))
   (global $TAG_DOUBLE i32 (i32.const 253))
   (global $TAG_DOUBLE_ARRAY i32 (i32.const 254))
   (global $TAG_CUSTOM i32 (i32.const 255))
   (global $CUSTOM_INT32 i32 (i32.const 1))
   (global $CUSTOM_INT64 i32 (i32.const 2))
   (global $CUSTOM_NATIVEINT i32 (i32.const 3))
   (global $CUSTOM_BIGARRAY i32 (i32.const 4))
   (global $CUSTOM_DYNBOX i32 (i32.const 5))
   (global $KIND_RUST_PANIC i32 (i32.const 1))
   (global $KIND_FAILURE i32 (i32.const 2))
   (global $KIND_INVALID_ARGUMENT i32 (i32.const 3))
   (global $KIND_OCAML_EXCEPTION i32 (i32.const 4))
   (global $BA_KIND_MASK i32 (i32.const 255))
   (global $BA_SHARED i32 (i32.const 256))
   (global $BA_FLOAT32 i32 (i32.const 0))
   (global $BA_FLOAT64 i32 (i32.const 1))
   (global $BA_INT8_SIGNED i32 (i32.const 2))
   (global $BA_INT8_UNSIGNED i32 (i32.const 3))
   (global $BA_INT16_SIGNED i32 (i32.const 4))
   (global $BA_INT16_UNSIGNED i32 (i32.const 5))
   (global $BA_INT32 i32 (i32.const 6))
   (global $BA_INT64 i32 (i32.const 7))
   (global $BA_NATIVEINT i32 (i32.const 9))
   (global $BA_CHAR i32 (i32.const 12))
   (global $MAX_NESTING i32 (i32.const 1000))
   ;; END generated: the protocol's constants

   ;; address of Rust's arena state {top: u32, limit: u32}; fetched once
   (global $arena (mut i32) (i32.const 0))

   (func $arena_state (result i32)
      (if (i32.eqz (global.get $arena))
         (then (global.set $arena (call $js_arena_state))))
      (global.get $arena))

   ;; ---------------------------------------------------------------- strings <-> memory
   (func $string_from_mem (param $p i32) (param $len i32) (result (ref $bytes))
      (local $s (ref $bytes)) (local $i i32) (local $n4 i32) (local $w i32)
      (local.set $s (array.new $bytes (i32.const 0) (local.get $len)))
      ;; four bytes per load
      (local.set $n4 (i32.and (local.get $len) (i32.const -4)))
      (block $done4
         (loop $loop4
            (br_if $done4 (i32.ge_u (local.get $i) (local.get $n4)))
            (local.set $w (i32.load align=1 (i32.add (local.get $p) (local.get $i))))
            (array.set $bytes (local.get $s) (local.get $i) (local.get $w))
            (array.set $bytes (local.get $s) (i32.add (local.get $i) (i32.const 1))
               (i32.shr_u (local.get $w) (i32.const 8)))
            (array.set $bytes (local.get $s) (i32.add (local.get $i) (i32.const 2))
               (i32.shr_u (local.get $w) (i32.const 16)))
            (array.set $bytes (local.get $s) (i32.add (local.get $i) (i32.const 3))
               (i32.shr_u (local.get $w) (i32.const 24)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $loop4)))
      (block $done
         (loop $loop
            (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
            (array.set $bytes (local.get $s) (local.get $i)
               (i32.load8_u (i32.add (local.get $p) (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $loop)))
      (local.get $s))

   (func $string_to_mem (param $s (ref $bytes)) (param $p i32)
      (local $i i32) (local $len i32) (local $n4 i32)
      (local.set $len (array.len (local.get $s)))
      (local.set $n4 (i32.and (local.get $len) (i32.const -4)))
      (block $done4
         (loop $loop4
            (br_if $done4 (i32.ge_u (local.get $i) (local.get $n4)))
            (i32.store align=1 (i32.add (local.get $p) (local.get $i))
               (i32.or
                  (i32.or
                     (array.get_u $bytes (local.get $s) (local.get $i))
                     (i32.shl (array.get_u $bytes (local.get $s) (i32.add (local.get $i) (i32.const 1)))
                        (i32.const 8)))
                  (i32.or
                     (i32.shl (array.get_u $bytes (local.get $s) (i32.add (local.get $i) (i32.const 2)))
                        (i32.const 16))
                     (i32.shl (array.get_u $bytes (local.get $s) (i32.add (local.get $i) (i32.const 3)))
                        (i32.const 24)))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $loop4)))
      (block $done
         (loop $loop
            (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
            (i32.store8 (i32.add (local.get $p) (local.get $i))
               (array.get_u $bytes (local.get $s) (local.get $i)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $loop))))

   (func $failwith_str (param $msg (ref eq))
      (call $caml_failwith (local.get $msg)))

   (@string $bad_wire "an invalid wire value (a bad address or tag)")
   (@string $not_data "this value cannot cross the boundary (an abstract value, a custom block other than int32/int64/nativeint/Bigarray.Array1, or a JS value)")

   ;; ---------------------------------------------------------------- arena
   (func $alloc (export "oiw_alloc") (param $bytes i32) (result i32)
      (local $st i32) (local $top i32) (local $next i32)
      (local.set $bytes (i32.and (i32.add (local.get $bytes) (i32.const 7)) (i32.const -8)))
      (local.set $st (call $arena_state))
      (local.set $top (i32.load (local.get $st)))
      (local.set $next (i32.add (local.get $top) (local.get $bytes)))
      (if (i32.and (i32.ne (local.get $top) (i32.const 0))
             (i32.and (i32.le_u (local.get $next) (i32.load offset=4 (local.get $st)))
                      (i32.ge_u (local.get $next) (local.get $top))))
         (then
            (i32.store (local.get $st) (local.get $next))
            (return (local.get $top))))
      (local.set $top (call $js_arena_grow (local.get $bytes)))
      ;; the arena is full: Rust put why in the error slot; raise it and clear the slot (a
      ;; stale error there would fail the next call that checks it)
      (if (i32.eqz (local.get $top))
         (then (call $raise_error)))
      (i32.store (local.get $st) (i32.add (local.get $top) (local.get $bytes)))
      (local.get $top))

   (func $alloc_block (param $tag i32) (param $size i32) (param $payload i32) (result i32)
      (local $p i32)
      (local.set $p (call $alloc (i32.add (i32.const 8) (local.get $payload))))
      (i32.store (local.get $p) (local.get $tag))
      (i32.store offset=4 (local.get $p) (local.get $size))
      (local.get $p))

   (func (export "oiw_arena_top") (result i32)
      (i32.load (call $arena_state)))
   (func (export "oiw_arena_limit") (result i32)
      (i32.load offset=4 (call $arena_state)))

   ;; Frames. A call's frame saves the arena's top (the glue also reads its limit) and the
   ;; count of temporary handles; leaving it releases both, then re-creates a trapped Rust
   ;; instance if one is pending. Every frame is left exactly once, on every path.
   (global $frame_temps (mut (ref $int_array)) (array.new_fixed $int_array 1 (i32.const 0)))
   (global $frame_depth (mut i32) (i32.const 0))

   (func $frame_enter (export "oiw_frame_enter") (result i32)
      (if (i32.ge_u (global.get $frame_depth) (array.len (global.get $frame_temps)))
         (then (global.set $frame_temps
                  (call $grow_ints (global.get $frame_temps) (i32.shl (global.get $frame_depth) (i32.const 1))))))
      (array.set $int_array (global.get $frame_temps) (global.get $frame_depth) (global.get $temp_count))
      (global.set $frame_depth (i32.add (global.get $frame_depth) (i32.const 1)))
      (i32.load (call $arena_state)))

   (func $frame_leave (export "oiw_frame_leave") (param $top i32) (param $limit i32)
      (local $st i32)
      (local.set $st (call $arena_state))
      (if (i32.eq (i32.load offset=4 (local.get $st)) (local.get $limit))
         (then (i32.store (local.get $st) (local.get $top)))
         (else
            (if (global.get $rust_poisoned)
               ;; a trapped instance frees nothing (it is about to be re-created)
               (then
                  (i32.store (local.get $st) (local.get $top))
                  (i32.store offset=4 (local.get $st) (local.get $limit)))
               (else (call $js_arena_release (local.get $top) (local.get $limit))))))
      (if (global.get $frame_depth)
         (then
            (global.set $frame_depth (i32.sub (global.get $frame_depth) (i32.const 1)))
            (if (i32.gt_u (global.get $temp_count)
                          (array.get $int_array (global.get $frame_temps) (global.get $frame_depth)))
               (then (call $temps_release (array.get $int_array (global.get $frame_temps) (global.get $frame_depth)))))))
      (if (global.get $reset_pending) (then (call $js_after_error))))

   ;; ---------------------------------------------------------------- handles
   ;; OCaml values that cross by reference (closures): a table of values with a reference
   ;; count and a free list. A handle made while encoding a call's values is temporary: it is
   ;; released when the call's frame ends, unless Rust retained it (a BoxRoot).
   (type $int_array (array (mut i32)))
   (type $int64_array (array (mut i64)))
   (global $handles (mut (ref $block)) (array.new_fixed $block 1 (ref.i31 (i32.const 0))))
   (global $handle_refs (mut (ref $int_array)) (array.new_fixed $int_array 1 (i32.const 0)))
   (global $handle_free (mut i32) (i32.const -1))
   (global $handle_next (mut i32) (i32.const 0))
   (global $handle_live (mut i32) (i32.const 0))
   ;; each handle's generation: a count of the handles ever made (60 bits, never reused in
   ;; practice), which the wire carries next to the slot; a stale or made-up handle does not match
   (global $handle_gens (mut (ref $int64_array)) (array.new_fixed $int64_array 1 (i64.const 0)))
   (global $handle_gen_next (mut i64) (i64.const 0))
   (global $temps (mut (ref $int_array)) (array.new_fixed $int_array 1 (i32.const 0)))
   (global $temp_count (mut i32) (i32.const 0))

   (func $grow_block (param $a (ref $block)) (param $n i32) (result (ref $block))
      (local $b (ref $block))
      (local.set $b (array.new $block (ref.i31 (i32.const 0)) (local.get $n)))
      (array.copy $block $block (local.get $b) (i32.const 0) (local.get $a) (i32.const 0) (array.len (local.get $a)))
      (local.get $b))
   (func $grow_int64s (param $a (ref $int64_array)) (param $n i32) (result (ref $int64_array))
      (local $b (ref $int64_array))
      (local.set $b (array.new $int64_array (i64.const 0) (local.get $n)))
      (array.copy $int64_array $int64_array (local.get $b) (i32.const 0) (local.get $a) (i32.const 0) (array.len (local.get $a)))
      (local.get $b))
   (func $grow_ints (param $a (ref $int_array)) (param $n i32) (result (ref $int_array))
      (local $b (ref $int_array))
      (local.set $b (array.new $int_array (i32.const 0) (local.get $n)))
      (array.copy $int_array $int_array (local.get $b) (i32.const 0) (local.get $a) (i32.const 0) (array.len (local.get $a)))
      (local.get $b))

   (func $handle_new (param $v (ref eq)) (result i32)
      (local $id i32)
      (if (i32.ge_s (global.get $handle_free) (i32.const 0))
         (then
            (local.set $id (global.get $handle_free))
            ;; a free slot holds the next free id as an i31
            (global.set $handle_free
               (i31.get_s (ref.cast (ref i31) (array.get $block (global.get $handles) (local.get $id))))))
         (else
            (local.set $id (global.get $handle_next))
            (global.set $handle_next (i32.add (local.get $id) (i32.const 1)))
            (if (i32.ge_u (local.get $id) (array.len (global.get $handles)))
               (then
                  (global.set $handles (call $grow_block (global.get $handles) (i32.shl (local.get $id) (i32.const 1))))
                  (global.set $handle_refs (call $grow_ints (global.get $handle_refs) (i32.shl (local.get $id) (i32.const 1))))
                  (global.set $handle_gens (call $grow_int64s (global.get $handle_gens) (i32.shl (local.get $id) (i32.const 1))))))))
      (global.set $handle_gen_next (i64.add (global.get $handle_gen_next) (i64.const 1)))
      (array.set $int64_array (global.get $handle_gens) (local.get $id) (global.get $handle_gen_next))
      (array.set $block (global.get $handles) (local.get $id) (local.get $v))
      (array.set $int_array (global.get $handle_refs) (local.get $id) (i32.const 1))
      (global.set $handle_live (i32.add (global.get $handle_live) (i32.const 1)))
      ;; temporary until the frame ends
      (if (i32.ge_u (global.get $temp_count) (array.len (global.get $temps)))
         (then (global.set $temps (call $grow_ints (global.get $temps) (i32.shl (global.get $temp_count) (i32.const 1))))))
      (array.set $int_array (global.get $temps) (global.get $temp_count) (local.get $id))
      (global.set $temp_count (i32.add (global.get $temp_count) (i32.const 1)))
      (local.get $id))

   ;; (the bounds first: i32.and would read the array at an out-of-range id, and trap)
   (func $handle_valid (param $id i32) (result i32)
      (if (result i32) (i32.lt_u (local.get $id) (global.get $handle_next))
         (then (i32.gt_s (array.get $int_array (global.get $handle_refs) (local.get $id)) (i32.const 0)))
         (else (i32.const 0))))

   ;; a live handle of that generation (the two halves the wire carries: 30 bits each)
   (func $handle_valid_gen (param $id i32) (param $lo i32) (param $hi i32) (result i32)
      (if (result i32) (call $handle_valid (local.get $id))
         (then (i64.eq (array.get $int64_array (global.get $handle_gens) (local.get $id))
                  (i64.or (i64.shl (i64.extend_i32_u (local.get $hi)) (i64.const 30)) (i64.extend_i32_u (local.get $lo)))))
         (else (i32.const 0))))
   (func $handle_gen_lo (param $id i32) (result i32)
      (i32.and (i32.wrap_i64 (array.get $int64_array (global.get $handle_gens) (local.get $id))) (i32.const 0x3fffffff)))
   (func $handle_gen_hi (param $id i32) (result i32)
      (i32.wrap_i64 (i64.shr_u (array.get $int64_array (global.get $handle_gens) (local.get $id)) (i64.const 30))))

   ;; Rust roots a handle (a BoxRoot) / drops that root: ignored unless the handle is live and of
   ;; that generation
   (func $handle_retain_gen (param $id i32) (param $lo i32) (param $hi i32)
      (if (call $handle_valid_gen (local.get $id) (local.get $lo) (local.get $hi))
         (then (call $handle_retain (local.get $id)))))
   (func $handle_release_gen (param $id i32) (param $lo i32) (param $hi i32)
      (if (call $handle_valid_gen (local.get $id) (local.get $lo) (local.get $hi))
         (then (call $handle_release (local.get $id)))))

   (func $handle_retain (export "oiw_handle_retain") (param $id i32)
      (if (call $handle_valid (local.get $id))
         (then (array.set $int_array (global.get $handle_refs) (local.get $id)
                  (i32.add (array.get $int_array (global.get $handle_refs) (local.get $id)) (i32.const 1))))))

   (func $handle_release (export "oiw_handle_release") (param $id i32)
      (local $r i32)
      (if (i32.eqz (call $handle_valid (local.get $id))) (then (return)))
      (local.set $r (i32.sub (array.get $int_array (global.get $handle_refs) (local.get $id)) (i32.const 1)))
      (array.set $int_array (global.get $handle_refs) (local.get $id) (local.get $r))
      (if (i32.eqz (local.get $r))
         (then
            (array.set $block (global.get $handles) (local.get $id) (ref.i31 (global.get $handle_free)))
            (global.set $handle_free (local.get $id))
            (global.set $handle_live (i32.sub (global.get $handle_live) (i32.const 1))))))

   (func $temps_mark (export "oiw_temps_mark") (result i32) (global.get $temp_count))

   ;; releases the temporary handles made since `mark`
   (func $temps_release (export "oiw_temps_release") (param $mark i32)
      (block $done
         (loop $l
            (br_if $done (i32.le_u (global.get $temp_count) (local.get $mark)))
            (global.set $temp_count (i32.sub (global.get $temp_count) (i32.const 1)))
            (call $handle_release (array.get $int_array (global.get $temps) (global.get $temp_count)))
            (br $l))))

   (func $handle_live_count (result i32) (global.get $handle_live))


   ;; a closure: tag 247, [handle id; origin (0: OCaml); generation low; generation high] as
   ;; immediates
   (func $encode_closure (param $v (ref eq)) (result i32)
      (local $p i32) (local $h i32)
      (local.set $p (call $alloc_block (global.get $TAG_CLOSURE) (i32.const 4) (i32.const 16)))
      (local.set $h (call $handle_new (local.get $v)))
      (i32.store offset=8 (local.get $p) (i32.or (i32.shl (local.get $h) (i32.const 1)) (i32.const 1)))
      (i32.store offset=12 (local.get $p) (i32.const 1))
      (i32.store offset=16 (local.get $p) (i32.or (i32.shl (call $handle_gen_lo (local.get $h)) (i32.const 1)) (i32.const 1)))
      (i32.store offset=20 (local.get $p) (i32.or (i32.shl (call $handle_gen_hi (local.get $h)) (i32.const 1)) (i32.const 1)))
      (local.get $p))

   ;; ---------------------------------------------------------------- Rust closures
   (@string $rust_closure_gone "ocaml-interop: this Rust closure was already released")
   (@string $a_rust_closure "a Rust closure")
   (elem declare func $rust_closure_apply)

   (func $new_rust_closure (param $id i32) (param $gen i32) (param $arity i32) (param $args (ref $block))
      (param $gen_hi i32) (result (ref eq))
      (local $c (ref $rust_closure))
      (local.set $c (struct.new $rust_closure (ref.func $rust_closure_apply)
         (local.get $id) (local.get $gen) (local.get $arity) (local.get $args) (local.get $gen_hi)))
      ;; each function value (partial applications too) keeps the Rust closure alive
      (if (i32.eqz (call $js_box_track (local.get $c) (local.get $id) (local.get $gen) (local.get $gen_hi)))
         (then (call $failwith_str (global.get $rust_closure_gone))))
      (local.get $c))

   (func $rust_closure_apply (type $function_1) (param $x (ref eq)) (param $env (ref eq)) (result (ref eq))
      (local $c (ref $rust_closure)) (local $args (ref $block)) (local $n i32)
      (local $top i32) (local $limit i32) (local $argv i32) (local $i i32) (local $r i32)
      (local.set $c (ref.cast (ref $rust_closure) (local.get $env)))
      ;; the arguments so far, plus this one
      (local.set $n (array.len (struct.get $rust_closure 4 (local.get $c))))
      (local.set $args (array.new $block (ref.i31 (i32.const 0)) (i32.add (local.get $n) (i32.const 1))))
      (array.copy $block $block (local.get $args) (i32.const 0)
         (struct.get $rust_closure 4 (local.get $c)) (i32.const 0) (local.get $n))
      (array.set $block (local.get $args) (local.get $n) (local.get $x))
      (if (i32.lt_u (local.get $n) (struct.get $rust_closure 3 (local.get $c)))
         (then
            (return (call $new_rust_closure (struct.get $rust_closure 1 (local.get $c))
               (struct.get $rust_closure 2 (local.get $c)) (struct.get $rust_closure 3 (local.get $c))
               (local.get $args) (struct.get $rust_closure 5 (local.get $c))))))
      ;; all arguments: call Rust, in a frame left on every path
      (local.set $top (call $frame_enter))
      (local.set $limit (i32.load offset=4 (call $arena_state)))
      (try
         (do
            (local.set $argv (call $alloc (i32.shl (local.get $n) (i32.const 2))))
            (local.set $i (i32.const 0))
            (block $done
               (loop $enc
                  (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                  (i32.store (i32.add (local.get $argv) (i32.shl (local.get $i) (i32.const 2)))
                     (call $encode_for (array.get $block (local.get $args) (i32.add (local.get $i) (i32.const 1)))
                        (global.get $a_rust_closure) (i32.const 1) (i32.add (local.get $i) (i32.const 1))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $enc)))
            (local.set $r (call $js_call_rust_closure (struct.get $rust_closure 1 (local.get $c))
               (struct.get $rust_closure 2 (local.get $c)) (struct.get $rust_closure 5 (local.get $c))
               (local.get $argv) (local.get $n)))
            (if (i32.eq (local.get $r) (global.get $ERROR_SENTINEL)) (then (call $raise_error)))
            (local.set $x (call $decode_for (local.get $r) (global.get $a_rust_closure) (i32.const 2) (i32.const 0))))
         (catch_all
            (call $frame_leave (local.get $top) (local.get $limit))
            (rethrow 0)))
      (call $frame_leave (local.get $top) (local.get $limit))
      (local.get $x))

   ;; ---------------------------------------------------------------- JS functions
   ;; A JS function TypeScript passes where a closure is expected becomes an OCaml function
   ;; value calling back into the host with its arguments encoded; the host keeps the JS
   ;; function while any such value (partial applications too) is alive (a FinalizationRegistry).
   (elem declare func $js_closure_apply $js_closure_handle $handle_of $handle_gen_lo $handle_gen_hi)
   (@string $a_js_function "a JS function")

   (func $new_js_closure (param $id i32) (param $arity i32) (param $args (ref $block)) (result (ref eq))
      (local $c (ref $js_closure))
      (local.set $c (struct.new $js_closure (ref.func $js_closure_apply)
         (local.get $id) (local.get $arity) (local.get $args)))
      (call $js_closure_track (local.get $c) (local.get $id))
      (local.get $c))

   ;; for the host: a new function value for JS function `id`, as a temporary handle (released
   ;; when the current frame ends, unless Rust roots it)
   (func $js_closure_handle (param $id i32) (param $arity i32) (result i32)
      (call $handle_new (call $new_js_closure (local.get $id) (local.get $arity)
         (array.new_fixed $block 1 (ref.i31 (i32.const 0))))))

   ;; for the host: a temporary handle to a function value it made before (and still holds)
   (func $handle_of (param $v (ref eq)) (result i32)
      (call $handle_new (local.get $v)))

   (func $js_closure_apply (type $function_1) (param $x (ref eq)) (param $env (ref eq)) (result (ref eq))
      (local $c (ref $js_closure)) (local $args (ref $block)) (local $n i32)
      (local $top i32) (local $limit i32) (local $argv i32) (local $i i32) (local $r i32)
      (local.set $c (ref.cast (ref $js_closure) (local.get $env)))
      ;; the arguments so far (after the placeholder at 0), plus this one
      (local.set $n (array.len (struct.get $js_closure 3 (local.get $c))))
      (local.set $args (array.new $block (ref.i31 (i32.const 0)) (i32.add (local.get $n) (i32.const 1))))
      (array.copy $block $block (local.get $args) (i32.const 0)
         (struct.get $js_closure 3 (local.get $c)) (i32.const 0) (local.get $n))
      (array.set $block (local.get $args) (local.get $n) (local.get $x))
      (if (i32.lt_u (local.get $n) (struct.get $js_closure 2 (local.get $c)))
         (then
            (return (call $new_js_closure (struct.get $js_closure 1 (local.get $c))
               (struct.get $js_closure 2 (local.get $c)) (local.get $args)))))
      ;; all arguments: call the host, in a frame left on every path
      (local.set $top (call $frame_enter))
      (local.set $limit (i32.load offset=4 (call $arena_state)))
      (try
         (do
            (local.set $argv (call $alloc (i32.shl (local.get $n) (i32.const 2))))
            (local.set $i (i32.const 0))
            (block $done
               (loop $enc
                  (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                  (i32.store (i32.add (local.get $argv) (i32.shl (local.get $i) (i32.const 2)))
                     (call $encode_for (array.get $block (local.get $args) (i32.add (local.get $i) (i32.const 1)))
                        (global.get $a_js_function) (i32.const 1) (i32.add (local.get $i) (i32.const 1))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $enc)))
            (local.set $r (call $js_call_js (struct.get $js_closure 1 (local.get $c))
               (local.get $argv) (local.get $n)))
            (if (i32.eq (local.get $r) (global.get $ERROR_SENTINEL)) (then (call $raise_error)))
            (local.set $x (call $decode_for (local.get $r) (global.get $a_js_function) (i32.const 2) (i32.const 0))))
         (catch_all
            (call $frame_leave (local.get $top) (local.get $limit))
            (rethrow 0)))
      (call $frame_leave (local.get $top) (local.get $limit))
      (local.get $x))

      ;; ---------------------------------------------------------------- Rust values (DynBox)
   ;; OCaml holds a Rust value through an abstract wrapper:
   ;; [| tag 251; id; generation low half; generation high half |]
   (func $is_box (param $v (ref eq)) (result i32)
      (local $b (ref $block))
      (if (i32.eqz (ref.test (ref $block) (local.get $v))) (then (return (i32.const 0))))
      (local.set $b (ref.cast (ref $block) (local.get $v)))
      (i32.and (i32.eq (array.len (local.get $b)) (i32.const 4))
         (ref.eq (array.get $block (local.get $b) (i32.const 0)) (ref.i31 (global.get $TAG_ABSTRACT)))))

   (func $encode_box (param $v (ref eq)) (result i32)
      (local $b (ref $block)) (local $p i32)
      (local.set $b (ref.cast (ref $block) (local.get $v)))
      (local.set $p (call $alloc_block (global.get $TAG_CUSTOM) (i32.const 16) (i32.const 16)))
      (i32.store offset=8 (local.get $p) (global.get $CUSTOM_DYNBOX))
      (i32.store offset=12 (local.get $p) (i31.get_s (ref.cast (ref i31) (array.get $block (local.get $b) (i32.const 1)))))
      (i32.store offset=16 (local.get $p) (i31.get_s (ref.cast (ref i31) (array.get $block (local.get $b) (i32.const 2)))))
      (i32.store offset=20 (local.get $p) (i31.get_s (ref.cast (ref i31) (array.get $block (local.get $b) (i32.const 3)))))
      (local.get $p))

   (@string $box_gone "ocaml-interop: this Rust value (DynBox) was already released")
   (func $decode_box (param $w i32) (result (ref eq))
      (local $b (ref $block))
      (local.set $b (array.new_fixed $block 4 (ref.i31 (global.get $TAG_ABSTRACT))
         (ref.i31 (i32.load offset=12 (local.get $w))) (ref.i31 (i32.load offset=16 (local.get $w)))
         (ref.i31 (i32.load offset=20 (local.get $w)))))
      (if (i32.eqz (call $js_box_track (local.get $b) (i32.load offset=12 (local.get $w))
                      (i32.load offset=16 (local.get $w)) (i32.load offset=20 (local.get $w))))
         (then (call $failwith_str (global.get $box_gone))))
      (local.get $b))

   ;; Ocaml_interop_web.release: drops the Rust value now (later uses are errors)
   (func (export "oiw_release") (param $v (ref eq)) (result (ref eq))
      (local $b (ref $block))
      (if (call $is_box (local.get $v))
         (then
            (local.set $b (ref.cast (ref $block) (local.get $v)))
            (call $js_box_untrack (local.get $b)
               (i31.get_s (ref.cast (ref i31) (array.get $block (local.get $b) (i32.const 1))))
               (i31.get_s (ref.cast (ref i31) (array.get $block (local.get $b) (i32.const 2))))
               (i31.get_s (ref.cast (ref i31) (array.get $block (local.get $b) (i32.const 3)))))
            (array.set $block (local.get $b) (i32.const 2) (ref.i31 (i32.const -1)))))
      (ref.i31 (i32.const 0)))

   ;; ---------------------------------------------------------------- exception constructors
   ;; OCaml matches exceptions by the physical identity of their constructor (a tag-248 block
   ;; [name; id]). Constructors seen while encoding are remembered by id, and decoding gives
   ;; back the same block, so an exception that went through Rust still matches its handler.
   (global $ctor_ids (mut (ref $int_array)) (array.new_fixed $int_array 1 (i32.const 0)))
   (global $ctors (mut (ref $block)) (array.new_fixed $block 1 (ref.i31 (i32.const 0))))
   (global $ctor_count (mut i32) (i32.const 0))

   (func $ctor_find (param $id i32) (result i32)
      (local $i i32)
      (block $done
         (loop $l
            (br_if $done (i32.ge_u (local.get $i) (global.get $ctor_count)))
            (if (i32.eq (array.get $int_array (global.get $ctor_ids) (local.get $i)) (local.get $id))
               (then (return (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
      (i32.const -1))

   (func $ctor_remember (param $b (ref $block))
      (local $id i32)
      (if (i32.or (i32.ne (array.len (local.get $b)) (i32.const 3))
                  (i32.eqz (ref.test (ref i31) (array.get $block (local.get $b) (i32.const 2)))))
         (then (return)))
      (local.set $id (i31.get_s (ref.cast (ref i31) (array.get $block (local.get $b) (i32.const 2)))))
      (if (i32.ge_s (call $ctor_find (local.get $id)) (i32.const 0)) (then (return)))
      (if (i32.ge_u (global.get $ctor_count) (array.len (global.get $ctors)))
         (then
            (global.set $ctors (call $grow_block (global.get $ctors) (i32.shl (global.get $ctor_count) (i32.const 1))))
            (global.set $ctor_ids (call $grow_ints (global.get $ctor_ids) (i32.shl (global.get $ctor_count) (i32.const 1))))))
      (array.set $block (global.get $ctors) (global.get $ctor_count) (local.get $b))
      (array.set $int_array (global.get $ctor_ids) (global.get $ctor_count) (local.get $id))
      (global.set $ctor_count (i32.add (global.get $ctor_count) (i32.const 1))))

   ;; ---------------------------------------------------------------- what is converted
   ;; The encoder's and decoder's own errors (the nesting limit, a cycle, a value that cannot
   ;; cross, an invalid word) name what was being converted: "<what>: <message>", where <what>
   ;; is "<function>: argument <name>" or "<function>: result" (the glue of OCaml -> Rust calls),
   ;; "<function>: argument <i>" or "<function>: result" (a call from Rust or TS), or, when no
   ;; caller said, "ocaml-interop". Set by every entry before it converts.
   (global $what (mut (ref null eq)) (ref.null eq))
   ;; 0: $what as it is; 1: "<what>: argument <$what_index>"; 2: "<what>: result"
   (global $what_role (mut i32) (i32.const 0))
   (global $what_index (mut i32) (i32.const 0))

   (func $set_what (param $w (ref null eq)) (param $role i32) (param $index i32)
      (global.set $what (local.get $w))
      (global.set $what_role (local.get $role))
      (global.set $what_index (local.get $index)))

   (func $concat (param $a (ref $bytes)) (param $b (ref $bytes)) (result (ref $bytes))
      (local $r (ref $bytes))
      (local.set $r (array.new $bytes (i32.const 0) (i32.add (array.len (local.get $a)) (array.len (local.get $b)))))
      (array.copy $bytes $bytes (local.get $r) (i32.const 0) (local.get $a) (i32.const 0) (array.len (local.get $a)))
      (array.copy $bytes $bytes (local.get $r) (array.len (local.get $a)) (local.get $b) (i32.const 0) (array.len (local.get $b)))
      (local.get $r))

   ;; the decimal digits of n >= 0
   (func $digits (param $n i32) (result (ref $bytes))
      (local $buf (ref $bytes)) (local $i i32) (local $r (ref $bytes))
      (local.set $buf (array.new $bytes (i32.const 0) (i32.const 10)))
      (local.set $i (i32.const 10))
      (loop $l
         (local.set $i (i32.sub (local.get $i) (i32.const 1)))
         (array.set $bytes (local.get $buf) (local.get $i) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
         (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
         (br_if $l (local.get $n)))
      (local.set $r (array.new $bytes (i32.const 0) (i32.sub (i32.const 10) (local.get $i))))
      (array.copy $bytes $bytes (local.get $r) (i32.const 0) (local.get $buf) (local.get $i) (i32.sub (i32.const 10) (local.get $i)))
      (local.get $r))

   (@string $what_default "ocaml-interop")
   (@string $what_colon ": ")
   (@string $what_argument ": argument ")
   (@string $what_result ": result")

   ;; "<what>: <msg>"
   (func $what_message (param $msg (ref eq)) (result (ref eq))
      (local $p (ref $bytes))
      (local.set $p
         (if (result (ref $bytes)) (ref.is_null (global.get $what))
            (then (ref.cast (ref $bytes) (global.get $what_default)))
            (else (ref.cast (ref $bytes) (global.get $what)))))
      (if (i32.eq (global.get $what_role) (i32.const 1))
         (then (local.set $p (call $concat (call $concat (local.get $p) (ref.cast (ref $bytes) (global.get $what_argument)))
                                (call $digits (global.get $what_index))))))
      (if (i32.eq (global.get $what_role) (i32.const 2))
         (then (local.set $p (call $concat (local.get $p) (ref.cast (ref $bytes) (global.get $what_result))))))
      (call $concat (call $concat (local.get $p) (ref.cast (ref $bytes) (global.get $what_colon)))
         (ref.cast (ref $bytes) (local.get $msg))))

   (func $conversion_invalid (param $msg (ref eq))
      (call $caml_invalid_argument (call $what_message (local.get $msg))))
   (func $conversion_failure (param $msg (ref eq))
      (call $caml_failwith (call $what_message (local.get $msg))))

   ;; The nesting limit of the wire format, the same number on every side (docs/wire-format.md;
   ;; MAX_DEPTH in src/host/wire.ts, wire::MAX_NESTING in Rust): here it bounds nesting through
   ;; fields other than a block's last, which the encoder and decoder recurse on (they iterate
   ;; along the last field).
   (@string $too_deep "nested deeper than 1000 levels through fields other than a block's last (the nesting limit of the wire format; is the value cyclic?)")
   (@string $cyclic "the value is cyclic (a cycle along the last fields of its blocks)")

   ;; ---------------------------------------------------------------- encode
   (func $encode_leaf (param $v (ref eq)) (result i32)
      (local $s (ref $bytes)) (local $fa (ref $float_array)) (local $p i32) (local $n i32) (local $i i32)
      (if (ref.test (ref i31) (local.get $v))
         (then
            (return (i32.or (i32.shl (i31.get_s (ref.cast (ref i31) (local.get $v))) (i32.const 1))
                            (i32.const 1)))))
      (if (ref.test (ref $bytes) (local.get $v))
         (then
            (local.set $s (ref.cast (ref $bytes) (local.get $v)))
            (local.set $n (array.len (local.get $s)))
            (local.set $p (call $alloc_block (global.get $TAG_STRING) (local.get $n) (local.get $n)))
            (call $string_to_mem (local.get $s) (i32.add (local.get $p) (i32.const 8)))
            (return (local.get $p))))
      (if (ref.test (ref $float) (local.get $v))
         (then
            (local.set $p (call $alloc_block (global.get $TAG_DOUBLE) (i32.const 1) (i32.const 8)))
            (f64.store offset=8 (local.get $p) (struct.get $float 0 (ref.cast (ref $float) (local.get $v))))
            (return (local.get $p))))
      (if (ref.test (ref $float_array) (local.get $v))
         (then
            (local.set $fa (ref.cast (ref $float_array) (local.get $v)))
            (local.set $n (array.len (local.get $fa)))
            (local.set $p (call $alloc_block (global.get $TAG_DOUBLE_ARRAY) (local.get $n)
                             (i32.shl (local.get $n) (i32.const 3))))
            (block $done
               (loop $loop
                  (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                  (f64.store offset=8 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3)))
                     (array.get $float_array (local.get $fa) (local.get $i)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $loop)))
            (return (local.get $p))))
      (if (call $caml_is_custom (local.get $v))
         (then (return (call $encode_custom (local.get $v)))))
      (if (ref.test (ref $closure) (local.get $v))
         (then (return (call $encode_closure (local.get $v)))))
      (if (call $is_box (local.get $v))
         (then (return (call $encode_box (local.get $v)))))
      (call $conversion_invalid (global.get $not_data))
      (unreachable))

   ;; int32, int64, nativeint: [u32 kind][u32 0][i64 value], recognised by their identifier
   (@string $one_dim "ocaml-interop: only one-dimensional bigarrays (Bigarray.Array1) cross the boundary")

   (func $ba_create_filled (param $kind i32) (param $dim i32) (param $ptr i32) (result (ref eq))
      (local $ba (ref eq))
      (local.set $ba (call $caml_ba_create (ref.i31 (local.get $kind)) (ref.i31 (i32.const 0))
         (array.new_fixed $block 2 (ref.i31 (i32.const 0)) (ref.i31 (local.get $dim)))))
      (call $js_ba_fill (call $unwrap (call $caml_ba_to_typed_array (local.get $ba))) (local.get $ptr)
         (local.get $kind))
      (local.get $ba))

   ;; a bigarray: [u32 4][u32 element kind][u32 length][u32 address of the data]; the host
   ;; copies the data into the arena, or passes the address when the bigarray already views
   ;; Rust's memory (zero copy)
   (func $encode_bigarray (param $v (ref eq)) (result i32)
      (local $kind i32) (local $dim i32) (local $ptr i32) (local $p i32)
      (if (i32.ne (i31.get_s (ref.cast (ref i31) (call $caml_ba_num_dims (local.get $v)))) (i32.const 1))
         (then (call $caml_invalid_argument (global.get $one_dim))))
      (local.set $kind (i31.get_s (ref.cast (ref i31) (call $caml_ba_kind (local.get $v)))))
      (local.set $dim (i31.get_s (ref.cast (ref i31) (call $caml_ba_dim_1 (local.get $v)))))
      (local.set $ptr (call $js_ba_place (call $unwrap (call $caml_ba_to_typed_array (local.get $v))) (local.get $kind)))
      (local.set $p (call $alloc_block (global.get $TAG_CUSTOM) (i32.const 16) (i32.const 16)))
      (i32.store offset=8 (local.get $p) (global.get $CUSTOM_BIGARRAY))
      (i32.store offset=12 (local.get $p) (local.get $kind))
      (i32.store offset=16 (local.get $p) (local.get $dim))
      (i32.store offset=20 (local.get $p) (local.get $ptr))
      (local.get $p))

   (func $encode_custom (param $v (ref eq)) (result i32)
      (local $id (ref $bytes)) (local $kind i32) (local $x i64) (local $p i32)
      (local.set $id (ref.cast (ref $bytes) (call $caml_custom_identifier (local.get $v))))
      (if (i32.and (i32.eq (array.len (local.get $id)) (i32.const 9))
                   (i32.eq (array.get_u $bytes (local.get $id) (i32.const 1)) (@char "b")))
         (then (return (call $encode_bigarray (local.get $v)))))
      (if (i32.ne (array.len (local.get $id)) (i32.const 2))
         (then (call $conversion_invalid (global.get $not_data))))
      (block $known
         (if (i32.eq (array.get_u $bytes (local.get $id) (i32.const 1)) (@char "j"))
            (then
               (local.set $kind (global.get $CUSTOM_INT64))
               (local.set $x (call $Int64_val (local.get $v)))
               (br $known)))
         (if (i32.eq (array.get_u $bytes (local.get $id) (i32.const 1)) (@char "i"))
            (then
               (local.set $kind (global.get $CUSTOM_INT32))
               (local.set $x (i64.extend_i32_s (call $Int32_val (local.get $v))))
               (br $known)))
         (if (i32.eq (array.get_u $bytes (local.get $id) (i32.const 1)) (@char "n"))
            (then
               (local.set $kind (global.get $CUSTOM_NATIVEINT))
               (local.set $x (i64.extend_i32_s (call $Int32_val (local.get $v))))
               (br $known)))
         (call $conversion_invalid (global.get $not_data)))
      (local.set $p (call $alloc_block (global.get $TAG_CUSTOM) (i32.const 16) (i32.const 16)))
      (i32.store offset=8 (local.get $p) (local.get $kind))
      (i64.store offset=16 (local.get $p) (local.get $x))
      (local.get $p))

   ;; Encodes any OCaml data value for `what` (see $set_what): the entries.
   (global $encode_depth (mut i32) (i32.const 0))
   (func $encode_for (param $v (ref eq)) (param $w (ref null eq)) (param $role i32) (param $index i32) (result i32)
      (call $set_what (local.get $w) (local.get $role) (local.get $index))
      ;; (an error left the count where it was: each encoding starts from zero)
      (global.set $encode_depth (i32.const 0))
      (call $encode_value (local.get $v)))
   (func $encode (export "oiw_encode") (param $v (ref eq)) (result i32)
      (call $encode_for (local.get $v) (ref.null eq) (i32.const 0) (i32.const 0)))
   ;; an argument the glue encodes: `what` is "<function>: argument <name>"
   (func (export "oiw_encode_arg") (param $v (ref eq)) (param $w (ref eq)) (result i32)
      (call $encode_for (local.get $v) (local.get $w) (i32.const 0) (i32.const 0)))

   ;; Encodes any OCaml data value; iterative along the last field, so long lists do not
   ;; deepen the stack.
   (func $encode_value (param $v (ref eq)) (result i32)
      (local $result i32) (local $slot i32) (local $b (ref null $block)) (local $n i32)
      (local $i i32) (local $p i32) (local $w i32) (local $f (ref eq))
      (local $slow (ref eq)) (local $steps i32) (local $st i32) (local $tag i32)
      (local.set $st (call $arena_state))
      ;; cycles through non-last fields recurse: bound the depth (a tree this deep is not data
      ;; anyone sends; a cyclic value is)
      (global.set $encode_depth (i32.add (global.get $encode_depth) (i32.const 1)))
      (if (i32.gt_u (global.get $encode_depth) (global.get $MAX_NESTING))
         (then (call $conversion_invalid (global.get $too_deep))))
      (local.set $slow (local.get $v))
      (loop $next
         (if (if (result i32) (ref.test (ref $block) (local.get $v))
                (then
                   (local.set $b (ref.cast (ref $block) (local.get $v)))
                   (local.set $tag (i31.get_u (ref.cast (ref i31) (array.get $block (local.get $b) (i32.const 0)))))
                   ;; one compare for ordinary blocks; 248 (exception constructors) is remembered,
                   ;; 251 (a Rust value's wrapper) is a leaf
                   (if (result i32) (i32.lt_u (local.get $tag) (global.get $TAG_OBJECT))
                      (then (i32.const 1))
                      (else
                         (if (i32.eq (local.get $tag) (global.get $TAG_OBJECT))
                            (then (call $ctor_remember (ref.as_non_null (local.get $b)))))
                         (i32.ne (local.get $tag) (global.get $TAG_ABSTRACT)))))
                (else (i32.const 0)))
            (then
               (local.set $n (i32.sub (array.len (local.get $b)) (i32.const 1)))
               ;; bump allocation inline (the common case); a full chunk goes through $alloc
               (local.set $w (i32.and (i32.add (i32.shl (local.get $n) (i32.const 2)) (i32.const 15)) (i32.const -8)))
               (local.set $p (i32.load (local.get $st)))
               (if (i32.and (i32.ne (local.get $p) (i32.const 0))
                            (i32.le_u (i32.add (local.get $p) (local.get $w)) (i32.load offset=4 (local.get $st))))
                  (then (i32.store (local.get $st) (i32.add (local.get $p) (local.get $w))))
                  (else (local.set $p (call $alloc (local.get $w)))))
               (i32.store (local.get $p) (local.get $tag))
               (i32.store offset=4 (local.get $p) (local.get $n))
               (if (local.get $slot)
                  (then (i32.store (local.get $slot) (local.get $p)))
                  (else (local.set $result (local.get $p))))
               (if (i32.eqz (local.get $n))
                  (then
                     (global.set $encode_depth (i32.sub (global.get $encode_depth) (i32.const 1)))
                     (return (local.get $result))))
               (local.set $i (i32.const 0))
               (block $done
                  (loop $fields
                     (br_if $done (i32.ge_u (local.get $i) (i32.sub (local.get $n) (i32.const 1))))
                     ;; immediates (list heads of an int list, say) are encoded in place
                     (local.set $f (array.get $block (local.get $b) (i32.add (local.get $i) (i32.const 1))))
                     (if (ref.test (ref i31) (local.get $f))
                        (then
                           (local.set $w (i32.or (i32.shl (i31.get_s (ref.cast (ref i31) (local.get $f))) (i32.const 1))
                                                 (i32.const 1))))
                        (else (local.set $w (call $encode_value (local.get $f)))))
                     (i32.store offset=8 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))
                        (local.get $w))
                     (local.set $i (i32.add (local.get $i) (i32.const 1)))
                     (br $fields)))
               (local.set $slot
                  (i32.add (i32.add (local.get $p) (i32.const 8))
                     (i32.shl (i32.sub (local.get $n) (i32.const 1)) (i32.const 2))))
               (local.set $v (array.get $block (local.get $b) (local.get $n)))
               ;; cycles along last fields (a cyclic list): Floyd's tortoise and hare, from the
               ;; 65,536th step on (shorter chains pay nothing)
               (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
               (if (i32.ge_u (local.get $steps) (i32.const 65536))
                  (then
                     ;; the tortoise starts here and moves every second step, always behind
                     (if (i32.eq (local.get $steps) (i32.const 65536))
                        (then (local.set $slow (local.get $v)))
                        (else
                           (if (i32.eqz (i32.and (local.get $steps) (i32.const 1)))
                              (then
                                 (local.set $slow (array.get $block (ref.cast (ref $block) (local.get $slow))
                                    (i32.sub (array.len (ref.cast (ref $block) (local.get $slow))) (i32.const 1))))))))
                     (if (i32.and (ref.eq (local.get $v) (local.get $slow)) (i32.gt_u (local.get $steps) (i32.const 65536)))
                        (then (call $conversion_invalid (global.get $cyclic))))))
               (br $next))))
      (local.set $w (call $encode_leaf (local.get $v)))
      (if (local.get $slot)
         (then (i32.store (local.get $slot) (local.get $w)))
         (else (local.set $result (local.get $w))))
      (global.set $encode_depth (i32.sub (global.get $encode_depth) (i32.const 1)))
      (local.get $result))

;; ---- typed argument conversions used by the generated glue; $err names the function and
   ;; argument, and is raised as Invalid_argument when the value has the wrong shape
   (func (export "oiw_immediate") (param $v (ref eq)) (param $err (ref eq)) (result i32)
      (if (ref.test (ref i31) (local.get $v))
         (then (return (i32.or (i32.shl (i31.get_s (ref.cast (ref i31) (local.get $v))) (i32.const 1))
                               (i32.const 1)))))
      (call $caml_invalid_argument (local.get $err))
      (unreachable))

   (func (export "oiw_untag") (param $v (ref eq)) (param $err (ref eq)) (result i32)
      (if (ref.test (ref i31) (local.get $v))
         (then (return (i31.get_s (ref.cast (ref i31) (local.get $v))))))
      (call $caml_invalid_argument (local.get $err))
      (unreachable))

   (func (export "oiw_unbox_float") (param $v (ref eq)) (param $err (ref eq)) (result f64)
      (if (ref.test (ref $float) (local.get $v))
         (then (return (struct.get $float 0 (ref.cast (ref $float) (local.get $v))))))
      (call $caml_invalid_argument (local.get $err))
      (unreachable))

   ;; an int64 / int32 value (a custom block "_j" / "_i"), for direct i64 / i32 arguments
   (func $custom_is (param $v (ref eq)) (param $c i32) (result i32)
      (local $id (ref $bytes))
      (if (ref.test (ref i31) (local.get $v)) (then (return (i32.const 0))))
      (if (i32.eqz (call $caml_is_custom (local.get $v))) (then (return (i32.const 0))))
      (local.set $id (ref.cast (ref $bytes) (call $caml_custom_identifier (local.get $v))))
      (i32.and (i32.eq (array.len (local.get $id)) (i32.const 2))
               (i32.eq (array.get_u $bytes (local.get $id) (i32.const 1)) (local.get $c))))

   (func (export "oiw_unbox_int64") (param $v (ref eq)) (param $err (ref eq)) (result i64)
      (if (call $custom_is (local.get $v) (@char "j"))
         (then (return (call $Int64_val (local.get $v)))))
      (call $caml_invalid_argument (local.get $err))
      (unreachable))

   (func (export "oiw_unbox_int32") (param $v (ref eq)) (param $err (ref eq)) (result i32)
      (if (call $custom_is (local.get $v) (@char "i"))
         (then (return (call $Int32_val (local.get $v)))))
      (call $caml_invalid_argument (local.get $err))
      (unreachable))

   (func (export "oiw_encode_bytes") (param $v (ref eq)) (param $err (ref eq)) (result i32)
      (if (ref.test (ref $bytes) (local.get $v))
         (then (return (call $encode_leaf (local.get $v)))))
      (call $caml_invalid_argument (local.get $err))
      (unreachable))

   (func (export "oiw_encode_float") (param $v (ref eq)) (param $err (ref eq)) (result i32)
      (if (ref.test (ref $float) (local.get $v))
         (then (return (call $encode_leaf (local.get $v)))))
      (call $caml_invalid_argument (local.get $err))
      (unreachable))

   ;; an untagged int result: must fit OCaml's 31-bit int
   (func (export "oiw_tag_int") (param $n i32) (param $err (ref eq)) (result (ref eq))
      (if (i32.eq (i32.shr_s (i32.shl (local.get $n) (i32.const 1)) (i32.const 1)) (local.get $n))
         (then (return (ref.i31 (local.get $n)))))
      (call $caml_failwith (local.get $err))
      (unreachable))

   ;; after a call whose result cannot carry the error sentinel (a direct primitive)
   (global $error_slot (mut i32) (i32.const 0))
   (func (export "oiw_check_error")
      (if (i32.eqz (global.get $error_slot))
         (then (global.set $error_slot (call $js_error_slot))))
      (if (i32.load (global.get $error_slot))
         (then (call $raise_error))))

   ;; ---------------------------------------------------------------- decode
   (func $check_block (param $w i32) (param $bytes i32)
      ;; the block [w, w + bytes) must lie in memory and w be 8-aligned and non-null
      (if (i32.or
             (i32.or (i32.eqz (local.get $w)) (i32.and (local.get $w) (i32.const 7)))
             (i64.gt_u
                (i64.add (i64.extend_i32_u (local.get $w)) (i64.extend_i32_u (local.get $bytes)))
                (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16))))
         (then (call $conversion_failure (global.get $bad_wire)))))

   (func $decode_leaf (param $w i32) (param $tag i32) (param $size i32) (result (ref eq))
      (local $fa (ref $float_array)) (local $i i32)
      (if (i32.eq (local.get $tag) (global.get $TAG_STRING))
         (then
            (call $check_block (local.get $w) (i32.add (i32.const 8) (local.get $size)))
            (return (call $string_from_mem (i32.add (local.get $w) (i32.const 8)) (local.get $size)))))
      (if (i32.eq (local.get $tag) (global.get $TAG_DOUBLE))
         (then
            (call $check_block (local.get $w) (i32.const 16))
            (return (struct.new $float (f64.load offset=8 (local.get $w))))))
      (if (i32.eq (local.get $tag) (global.get $TAG_DOUBLE_ARRAY))
         (then
            (call $check_block (local.get $w)
               (i32.add (i32.const 8) (i32.shl (local.get $size) (i32.const 3))))
            (local.set $fa (array.new $float_array (f64.const 0) (local.get $size)))
            (block $done
               (loop $loop
                  (br_if $done (i32.ge_u (local.get $i) (local.get $size)))
                  (array.set $float_array (local.get $fa) (local.get $i)
                     (f64.load offset=8 (i32.add (local.get $w) (i32.shl (local.get $i) (i32.const 3)))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $loop)))
            (return (local.get $fa))))
      (if (i32.eq (local.get $tag) (global.get $TAG_CLOSURE))
         (then (return (call $decode_closure (local.get $w)))))
      (if (i32.eq (local.get $tag) (global.get $TAG_CUSTOM))
         (then
            (call $check_block (local.get $w) (i32.const 24))
            (local.set $i (i32.load offset=8 (local.get $w)))
            (if (i32.eq (local.get $i) (global.get $CUSTOM_INT64))
               (then (return (call $caml_copy_int64 (i64.load offset=16 (local.get $w))))))
            (if (i32.eq (local.get $i) (global.get $CUSTOM_INT32))
               (then (return (call $caml_copy_int32 (i32.load offset=16 (local.get $w))))))
            (if (i32.eq (local.get $i) (global.get $CUSTOM_NATIVEINT))
               (then (return (call $caml_copy_nativeint (i32.load offset=16 (local.get $w))))))
            (if (i32.eq (local.get $i) (global.get $CUSTOM_DYNBOX))
               (then (return (call $decode_box (local.get $w)))))
            (if (i32.eq (local.get $i) (global.get $CUSTOM_BIGARRAY))
               (then
                  (local.set $i (i32.load offset=12 (local.get $w)))
                  ;; int64 (7) and nativeint (9) share Int32Arrays with int32 in wasm_of_ocaml:
                  ;; create the bigarray of the right kind, then copy the data into it
                  (if (i32.or (i32.eq (i32.and (local.get $i) (global.get $BA_KIND_MASK)) (global.get $BA_INT64))
                              (i32.eq (i32.and (local.get $i) (global.get $BA_KIND_MASK)) (global.get $BA_NATIVEINT)))
                     (then
                        (return (call $ba_create_filled (i32.and (local.get $i) (global.get $BA_KIND_MASK))
                           (i32.load offset=16 (local.get $w)) (i32.load offset=20 (local.get $w))))))
                  (return
                     (if (result (ref eq)) (i32.eq (i32.and (local.get $i) (global.get $BA_KIND_MASK)) (global.get $BA_CHAR))
                        (then (call $caml_ba_char_of_typed_array
                           (call $wrap (call $js_ba_view (local.get $i) (i32.load offset=16 (local.get $w))
                                                          (i32.load offset=20 (local.get $w))))))
                        (else (call $caml_ba_from_typed_array
                           (call $wrap (call $js_ba_view (local.get $i) (i32.load offset=16 (local.get $w))
                                                          (i32.load offset=20 (local.get $w))))))))))))
      (call $conversion_failure (global.get $bad_wire))
      (unreachable))

   ;; Decodes a wire value for `what` (see $set_what): the entries.
   (global $decode_depth (mut i32) (i32.const 0))
   (func $decode_for (param $x i32) (param $w (ref null eq)) (param $role i32) (param $index i32) (result (ref eq))
      (call $set_what (local.get $w) (local.get $role) (local.get $index))
      (global.set $decode_depth (i32.const 0))
      (call $decode_value (local.get $x)))
   (func $decode (export "oiw_decode") (param $x i32) (result (ref eq))
      (call $decode_for (local.get $x) (ref.null eq) (i32.const 0) (i32.const 0)))
   ;; a result the glue decodes: `what` is "<function>: result"
   (func (export "oiw_decode_result") (param $x i32) (param $w (ref eq)) (result (ref eq))
      (call $decode_for (local.get $x) (local.get $w) (i32.const 0) (i32.const 0)))

   ;; one level of nesting through a field other than the last (the limit, as the encoder's)
   (func $decode_value (param $x i32) (result (ref eq))
      (local $v (ref eq))
      (global.set $decode_depth (i32.add (global.get $decode_depth) (i32.const 1)))
      (if (i32.gt_u (global.get $decode_depth) (global.get $MAX_NESTING))
         (then (call $conversion_failure (global.get $too_deep))))
      (local.set $v (call $decode_chain (local.get $x)))
      (global.set $decode_depth (i32.sub (global.get $decode_depth) (i32.const 1)))
      (local.get $v))

   ;; Decodes a wire value; iterative along the last field, like $encode. A chain along last
   ;; fields longer than the memory has blocks is a cycle (a wire graph Rust made by hand).
   (func $decode_chain (param $w i32) (result (ref eq))
      (local $steps i32) (local $result (ref null eq)) (local $parent (ref null $block)) (local $pidx i32)
      (local $b (ref $block)) (local $tag i32) (local $n i32) (local $i i32) (local $v (ref eq))
      (local $x i32) (local $end i64)
      (local.set $v (ref.i31 (i32.const 0)))
      ;; decoding allocates no linear memory: its size is fixed for the whole call
      (local.set $end (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
      (loop $next
         (if (i32.and (local.get $w) (i32.const 1))
            (then (local.set $v (ref.i31 (i32.shr_s (local.get $w) (i32.const 1)))))
            (else
               (if (i32.or (i32.or (i32.eqz (local.get $w)) (i32.and (local.get $w) (i32.const 7)))
                           (i64.gt_u (i64.add (i64.extend_i32_u (local.get $w)) (i64.const 8)) (local.get $end)))
                  (then (call $conversion_failure (global.get $bad_wire))))
               (local.set $tag (i32.and (i32.load (local.get $w)) (global.get $HEADER_TAG_MASK)))
               (local.set $n (i32.load offset=4 (local.get $w)))
               (if (i32.and (i32.lt_u (local.get $tag) (global.get $TAG_NO_SCAN))
                            (i32.ne (local.get $tag) (global.get $TAG_CLOSURE)))
                  (then
                     (block $known_ctor
                     (if (i64.gt_u (i64.add (i64.extend_i32_u (local.get $w))
                                      (i64.add (i64.const 8) (i64.shl (i64.extend_i32_u (local.get $n)) (i64.const 2))))
                                   (local.get $end))
                        (then (call $conversion_failure (global.get $bad_wire))))
                     (if (i32.and (i32.eq (local.get $tag) (global.get $TAG_OBJECT)) (i32.eq (local.get $n) (i32.const 2)))
                        (then
                           (local.set $x (i32.load offset=12 (local.get $w)))
                           (if (i32.and (local.get $x) (i32.const 1))
                              (then
                                 (local.set $i (call $ctor_find (i32.shr_s (local.get $x) (i32.const 1))))
                                 (if (i32.ge_s (local.get $i) (i32.const 0))
                                    (then
                                       (local.set $v (array.get $block (global.get $ctors) (local.get $i)))
                                       (br $known_ctor)))))))
                     (local.set $b (array.new $block (ref.i31 (i32.const 0))
                                      (i32.add (local.get $n) (i32.const 1))))
                     (array.set $block (local.get $b) (i32.const 0) (ref.i31 (local.get $tag)))
                     (if (ref.is_null (local.get $parent))
                        (then (local.set $result (local.get $b)))
                        (else (array.set $block (ref.as_non_null (local.get $parent))
                                 (local.get $pidx) (local.get $b))))
                     (if (i32.eqz (local.get $n))
                        (then (return (ref.as_non_null (local.get $result)))))
                     (local.set $i (i32.const 0))
                     (block $done
                        (loop $fields
                           (br_if $done (i32.ge_u (local.get $i) (i32.sub (local.get $n) (i32.const 1))))
                           (local.set $x (i32.load offset=8 (i32.add (local.get $w) (i32.shl (local.get $i) (i32.const 2)))))
                           (array.set $block (local.get $b) (i32.add (local.get $i) (i32.const 1))
                              (if (result (ref eq)) (i32.and (local.get $x) (i32.const 1))
                                 (then (ref.i31 (i32.shr_s (local.get $x) (i32.const 1))))
                                 (else (call $decode_value (local.get $x)))))
                           (local.set $i (i32.add (local.get $i) (i32.const 1)))
                           (br $fields)))
                     (local.set $parent (local.get $b))
                     (local.set $pidx (local.get $n))
                     (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
                     (if (i64.gt_u (i64.extend_i32_u (local.get $steps)) (i64.shr_u (local.get $end) (i64.const 3)))
                        (then (call $conversion_failure (global.get $cyclic))))
                     (local.set $w (i32.load offset=8
                        (i32.add (local.get $w) (i32.shl (i32.sub (local.get $n) (i32.const 1)) (i32.const 2)))))
                     (br $next))
                     ;; reached from $known_ctor only: $v is the remembered constructor
                     )
                  (else
                     (local.set $v (call $decode_leaf (local.get $w) (local.get $tag) (local.get $n))))))))
      (if (ref.is_null (local.get $parent)) (then (return (local.get $v))))
      (array.set $block (ref.as_non_null (local.get $parent)) (local.get $pidx) (local.get $v))
      (ref.as_non_null (local.get $result)))

   (@string $bad_handle "ocaml-interop: a closure handle that is not (or no longer) valid")
   (func $decode_closure (param $w i32) (result (ref eq))
      (local $id i32)
      (call $check_block (local.get $w) (i32.const 16))
      (local.set $id (i32.shr_s (i32.load offset=8 (local.get $w)) (i32.const 1)))
      ;; a Rust closure: [id; 1; generation low half; arity; generation high half]
      (if (i32.and (i32.eq (i32.load offset=4 (local.get $w)) (i32.const 5))
                   (i32.eq (i32.load offset=12 (local.get $w)) (i32.const 3)))
         (then
            (call $check_block (local.get $w) (i32.const 28))
            (return (call $new_rust_closure (local.get $id)
               (i32.shr_s (i32.load offset=16 (local.get $w)) (i32.const 1))
               (i32.shr_s (i32.load offset=20 (local.get $w)) (i32.const 1))
               (array.new_fixed $block 1 (ref.i31 (i32.const 0)))
               (i32.shr_s (i32.load offset=24 (local.get $w)) (i32.const 1))))))
      ;; an OCaml closure: [handle; 0; generation low half; generation high half]
      (if (i32.or (i32.ne (i32.load offset=4 (local.get $w)) (i32.const 4))
                  (i32.ne (i32.load offset=12 (local.get $w)) (i32.const 1)))
         (then (call $failwith_str (global.get $bad_handle))))
      (call $check_block (local.get $w) (i32.const 24))
      (if (i32.eqz (call $handle_valid_gen (local.get $id)
                      (i32.shr_u (i32.load offset=16 (local.get $w)) (i32.const 1))
                      (i32.shr_u (i32.load offset=20 (local.get $w)) (i32.const 1))))
         (then (call $failwith_str (global.get $bad_handle))))
      (array.get $block (global.get $handles) (local.get $id)))

   ;; ---------------------------------------------------------------- errors from Rust
   ;; raises the exception a failed Rust call left in the error slot (the glue leaves the frame)
   (func $raise_error (export "oiw_raise_error")
      (local $slot i32) (local $kind i32) (local $msg (ref $bytes)) (local $exn (ref null eq))
      (local.set $slot (call $js_error_slot))
      (local.set $kind (i32.load (local.get $slot)))
      (local.set $msg (call $string_from_mem (i32.load offset=4 (local.get $slot))
                          (i32.load offset=8 (local.get $slot))))
      (i32.store (local.get $slot) (i32.const 0))
      ;; an OCaml exception Rust passed on: raise the same exception again
      (if (i32.and (i32.eq (local.get $kind) (global.get $KIND_OCAML_EXCEPTION))
                   (i32.ne (i32.load offset=12 (local.get $slot)) (i32.const 0)))
         (then (throw $ocaml_exception (call $decode (i32.load offset=12 (local.get $slot))))))
      (if (i32.eq (local.get $kind) (global.get $KIND_RUST_PANIC))
         (then
            (local.set $exn (call $caml_named_value (global.get $rust_panic_exn_name)))
            (if (i32.eqz (ref.is_null (local.get $exn)))
               (then
                  (throw $ocaml_exception
                     (array.new_fixed $block 3 (ref.i31 (i32.const 0))
                        (ref.as_non_null (local.get $exn)) (local.get $msg)))))))
      (if (i32.eq (local.get $kind) (global.get $KIND_INVALID_ARGUMENT))
         (then (call $caml_invalid_argument (local.get $msg))))
      (call $caml_failwith (local.get $msg)))

   ;; for glue without a try: leaves the frame, then raises the error in the slot (its message
   ;; is read first: leaving the frame may re-create a trapped Rust instance)
   (func (export "oiw_frame_leave_raising") (param $top i32) (param $limit i32)
      (local $exn (ref eq))
      (local.set $exn
         (try (result (ref eq))
            (do (call $raise_error) (ref.i31 (i32.const 0)))
            (catch $ocaml_exception)))
      (call $frame_leave (local.get $top) (local.get $limit))
      (throw $ocaml_exception (local.get $exn)))

   (@string $rust_panic_exn_name "rust_panic_exn")

   (@string $bad_arg_prefix "ocaml-interop: ")
   ;; raised by the generated glue when an argument's shape does not match the Rust type
   (func (export "oiw_bad_argument") (param $msg (ref eq))
      (call $caml_invalid_argument (local.get $msg)))

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
         (local.get $args) (local.get $n) (array.get $block (global.get $function_names) (local.get $id))))

   ;; calls the closure behind handle `h` (a closure Rust received)
   (func $call_handle (param $h i32) (param $lo i32) (param $hi i32) (param $args i32) (param $n i32) (result i32)
      (if (i32.eqz (call $handle_valid_gen (local.get $h) (local.get $lo) (local.get $hi)))
         (then (return (call $report (global.get $KIND_INVALID_ARGUMENT) (global.get $bad_handle)))))
      (return_call $apply (array.get $block (global.get $handles) (local.get $h))
         (local.get $args) (local.get $n) (global.get $an_ocaml_closure)))
   (@string $an_ocaml_closure "an OCaml closure")

   ;; applies `f` to `n` wire words at `args`; returns the result's word, or the error sentinel
   ;; with the exception in the error slot (its message, and its value when it can be encoded)
   ;; (`name` is the function's, for the errors of its arguments and result)
   (func $apply (param $f (ref eq)) (param $args i32) (param $n i32) (param $name (ref eq)) (result i32)
      (local $i i32) (local $res (ref null eq)) (local $exn (ref null eq))
      (try
         (do
            (if (i32.eqz (local.get $n))
               (then (local.set $res (call $caml_callback_1 (local.get $f) (ref.i31 (i32.const 0)))))
               (else
                  (if (i32.eq (local.get $n) (i32.const 1))
                     (then
                        (local.set $res (call $caml_callback_1 (local.get $f)
                           (call $decode_for (i32.load (local.get $args)) (local.get $name) (i32.const 1) (i32.const 1)))))
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
            (return (call $encode_for (ref.as_non_null (local.get $res)) (local.get $name) (i32.const 2) (i32.const 0))))
         (catch $ocaml_exception
            (local.set $exn)
            (return (call $report_exn (ref.as_non_null (local.get $exn))))))
      (unreachable))

   ;; kind 4 with the message; the exception value goes to the slot's 4th word when it encodes
   (func $report_exn (param $exn (ref eq)) (result i32)
      (local $w i32) (local $r i32)
      (local.set $w
         (try (result i32)
            (do (call $encode (local.get $exn)))
            (catch_all (i32.const 0))))
      (local.set $r (call $report (global.get $KIND_OCAML_EXCEPTION) (call $exn_message (local.get $exn))))
      (i32.store offset=12 (call $js_error_slot) (local.get $w))
      (local.get $r))

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

   (elem declare func $lookup $call $alloc $frame_enter $frame_leave $call_handle $handle_retain_gen $handle_release_gen
      $handle_live_count $report_fault)

   ;; called by the OCaml library (Ocaml_interop) at start-up
   (func (export "oiw_install") (param (ref eq)) (result (ref eq))
      (call $js_register_dispatcher (ref.func $lookup) (ref.func $call) (ref.func $alloc)
         (ref.func $frame_enter) (ref.func $frame_leave) (ref.func $call_handle)
         (ref.func $handle_retain_gen) (ref.func $handle_release_gen) (ref.func $handle_live_count)
         (ref.func $report_fault))
      ;; (a handle crosses with its generation: the host asks for its halves)
      (call $js_register_js_closures (ref.func $js_closure_handle) (ref.func $handle_of)
         (ref.func $handle_gen_lo) (ref.func $handle_gen_hi))
      (ref.i31 (i32.const 0)))

   ;; how many OCaml values Rust holds by handle (for leak checks)
   (func (export "oiw_live_handles") (param (ref eq)) (result (ref eq))
      (ref.i31 (global.get $handle_live)))

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
