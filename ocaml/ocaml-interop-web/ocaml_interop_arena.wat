;; ocaml-interop for the web, the OCaml side: Rust's memory seen from OCaml. The call arena (bump
;; allocation, the frame of each call) and the copies between OCaml strings and the memory. This
;; file imports Rust's memory from the host and exports it to the other runtime files, so that
;; the linked module has it once.
;; (A runtime file of the library: the dune file says how they link.)
(module
   (type $bytes (array (mut i8)))
   (type $int_array (array (mut i32)))

   ;; Rust's memory: the other runtime files import it from here (one memory in the linked module)
   (import "js" "oiw_memory" (memory $mem 1))
   (export "oiw_rust_memory" (memory $mem))
   (import "js" "oiw_reset_pending" (global $reset_pending (mut i32)))
   ;; 1 while the Rust instance has trapped: none of its code is called until it is re-created
   (import "js" "oiw_rust_poisoned" (global $rust_poisoned (mut i32)))
   (import "js" "oiw_rust_arena_state" (func $js_arena_state (result i32)))
   (import "js" "oiw_rust_arena_grow" (func $js_arena_grow (param i32) (result i32)))
   (import "js" "oiw_rust_arena_release" (func $js_arena_release (param i32 i32)))
   (import "js" "oiw_after_error" (func $js_after_error))
   ;; the number of the current Rust instance (the host re-creates it after a trap)
   (import "js" "oiw_rust_instance" (global $rust_instance (mut i32)))
   (import "js" "oiw_arena_restart" (func $js_arena_restart))
   ;; from ocaml_interop_handles.wat
   (import "env" "oiw_grow_ints" (func $grow_ints (param (ref $int_array)) (param i32) (result (ref $int_array))))
   (import "env" "oiw_temps_mark" (func $temps_mark (result i32)))
   (import "env" "oiw_temps_release" (func $temps_release (param i32)))
   (import "env" "oiw_temp_count" (global $temp_count (mut i32)))
   ;; from ocaml_interop_errors.wat
   (import "env" "oiw_raise_error" (func $raise_error))

   ;; address of Rust's arena state {top: u32, limit: u32}; fetched once
   (global $arena (mut i32) (i32.const 0))

   (func $arena_state (export "oiw_arena_state") (result i32)
      (if (i32.eqz (global.get $arena))
         (then (global.set $arena (call $js_arena_state))))
      (global.get $arena))

   ;; ---------------------------------------------------------------- strings <-> memory
   (func $string_from_mem (export "oiw_string_from_mem") (param $p i32) (param $len i32) (result (ref $bytes))
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

   (func $string_to_mem (export "oiw_string_to_mem") (param $s (ref $bytes)) (param $p i32)
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

   (func $alloc_block (export "oiw_alloc_block") (param $tag i32) (param $size i32) (param $payload i32) (result i32)
      (local $p i32)
      (local.set $p (call $alloc (i32.add (i32.const 8) (local.get $payload))))
      (i32.store (local.get $p) (local.get $tag))
      (i32.store offset=4 (local.get $p) (local.get $size))
      (local.get $p))

   (func (export "oiw_arena_top") (result i32)
      (i32.load (call $arena_state)))

   ;; Frames. A call's frame saves the arena's top (the glue also reads its limit) and the
   ;; count of temporary handles; leaving it releases both, then re-creates a trapped Rust
   ;; instance if one is pending. Every frame is left exactly once, on every path.
   ;; (and the Rust instance each frame began in: a frame that outlived its instance, which
   ;; trapped and was re-created under it, must not put the new arena back to the old one's mark)
   (global $frame_temps (mut (ref $int_array)) (array.new_fixed $int_array 1 (i32.const 0)))
   (global $frame_instances (mut (ref $int_array)) (array.new_fixed $int_array 1 (i32.const 0)))
   (global $frame_depth (mut i32) (i32.const 0))

   (func $frame_enter (export "oiw_frame_enter") (result i32)
      (if (i32.ge_u (global.get $frame_depth) (array.len (global.get $frame_temps)))
         (then
            (global.set $frame_temps
               (call $grow_ints (global.get $frame_temps) (i32.shl (global.get $frame_depth) (i32.const 1))))
            (global.set $frame_instances
               (call $grow_ints (global.get $frame_instances) (i32.shl (global.get $frame_depth) (i32.const 1))))))
      (array.set $int_array (global.get $frame_temps) (global.get $frame_depth) (call $temps_mark))
      (array.set $int_array (global.get $frame_instances) (global.get $frame_depth) (global.get $rust_instance))
      (global.set $frame_depth (i32.add (global.get $frame_depth) (i32.const 1)))
      (i32.load (call $arena_state)))

;; ---------------------------------------------------------------- direct calls into Rust
   ;; The generated glue calls the Rust instance's exports through a table the host fills, with no
   ;; JS frame, and counts the Rust frames on the stack in $rust_depth. A trap in Rust, which no
   ;; wasm code can catch, skips the glue's bookkeeping on its way to the innermost JS frame: a
   ;; host call into OCaml (the dispatcher's $call, $call_handle) or a callback the loader guards.
   ;; Each such entry records the count and the frame depth when it began (oiw_entry_push; the
   ;; entry pops it when it returns); the host, which counts its entries too, calls
   ;; oiw_trap_unwind with its entry's level when it catches: the record at that level is popped
   ;; (with any above it), both counts are put back, the skipped frames' temporary handles are
   ;; released, and the result is how many Rust frames the throw skipped (0: the fault was not
   ;; under Rust, or the entry threw before it recorded anything).
   (global $rust_depth (export "oiw_rust_depth") (mut i32) (i32.const 0))
   (global $entries (mut (ref $int_array)) (array.new_fixed $int_array 3 (i32.const 0) (i32.const 0) (i32.const 0)))
   (global $entry_count (mut i32) (i32.const 0))

   (func $entry_push (export "oiw_entry_push")
      (local $i i32)
      (local.set $i (i32.mul (global.get $entry_count) (i32.const 3)))
      (if (i32.ge_u (local.get $i) (array.len (global.get $entries)))
         (then (global.set $entries (call $grow_ints (global.get $entries) (i32.shl (local.get $i) (i32.const 1))))))
      (array.set $int_array (global.get $entries) (local.get $i) (global.get $rust_depth))
      (array.set $int_array (global.get $entries) (i32.add (local.get $i) (i32.const 1)) (global.get $frame_depth))
      (array.set $int_array (global.get $entries) (i32.add (local.get $i) (i32.const 2)) (call $temps_mark))
      (global.set $entry_count (i32.add (global.get $entry_count) (i32.const 1))))

   (func $entry_pop (export "oiw_entry_pop")
      (if (global.get $entry_count)
         (then (global.set $entry_count (i32.sub (global.get $entry_count) (i32.const 1))))))

   (func $trap_unwind (export "oiw_trap_unwind") (param $level i32) (result i32)
      (if (i32.eq (local.get $level) (i32.const -1))
         ;; (-1: nothing was under way when the entry began: everything goes back to zero)
         (then
            (global.set $entry_count (i32.const 0))
            (return_call $unwind_to (i32.const 0) (i32.const 0) (i32.const 0))))
      ;; this entry recorded nothing (it threw before it reached OCaml): nothing to put back
      (if (i32.le_u (global.get $entry_count) (local.get $level)) (then (return (i32.const 0))))
      (global.set $entry_count (local.get $level))
      (return_call $unwind_to_record (local.get $level)))

   ;; puts the counts back as record `level` has them; how many Rust frames that drops
   (func $unwind_to_record (param $level i32) (result i32)
      (local $i i32)
      (local.set $i (i32.mul (local.get $level) (i32.const 3)))
      (return_call $unwind_to
         (array.get $int_array (global.get $entries) (local.get $i))
         (array.get $int_array (global.get $entries) (i32.add (local.get $i) (i32.const 1)))
         (array.get $int_array (global.get $entries) (i32.add (local.get $i) (i32.const 2)))))

   (func $unwind_to (param $depth i32) (param $frames i32) (param $mark i32) (result i32)
      (local $skipped i32)
      (local.set $skipped (i32.sub (global.get $rust_depth) (local.get $depth)))
      (global.set $rust_depth (local.get $depth))
      ;; (the glue's light frames are in neither: the entry's temporary-handle mark covers them)
      (if (i32.gt_u (global.get $frame_depth) (local.get $frames))
         (then (global.set $frame_depth (local.get $frames))))
      (if (i32.gt_u (call $temps_mark) (local.get $mark))
         (then (call $temps_release (local.get $mark))))
      (local.get $skipped))

   ;; The host counts its calls into Rust here too (the trampolines, TS's calls), so that one
   ;; count is the re-entrancy limit's from either side and says when no Rust frame is left (a
   ;; trapped instance is re-created then).
   (func (export "oiw_rust_enter") (param $limit i32) (result i32)
      (if (i32.ge_u (global.get $rust_depth) (local.get $limit)) (then (return (i32.const 0))))
      (global.set $rust_depth (i32.add (global.get $rust_depth) (i32.const 1)))
      (i32.const 1))
   (func (export "oiw_rust_leave")
      (global.set $rust_depth (i32.sub (global.get $rust_depth) (i32.const 1))))
   ;; With Rust calling OCaml directly (ocamlCalls: "direct", src/host/bridge/direct-ocaml.ts)
   ;; a trap in OCaml under Rust skips the OCaml frames and any direct Rust frames under them on
   ;; its way to the host's call into Rust: each such call is an entry then, recorded with the
   ;; count that includes its own frame, and its end (`level`: the host's level of it) puts the
   ;; counts back as they were recorded, then drops its own frame: on a normal return that
   ;; changes nothing, after a trap it undoes what the trap skipped.
   (func (export "oiw_rust_enter_rec") (param $limit i32) (result i32)
      (if (i32.ge_u (global.get $rust_depth) (local.get $limit)) (then (return (i32.const 0))))
      (global.set $rust_depth (i32.add (global.get $rust_depth) (i32.const 1)))
      (call $entry_push)
      (i32.const 1))
   (func (export "oiw_rust_leave_rec") (param $level i32)
      (if (i32.gt_u (global.get $entry_count) (local.get $level))
         (then
            (global.set $entry_count (local.get $level))
            (drop (call $unwind_to_record (local.get $level)))))
      (global.set $rust_depth (i32.sub (global.get $rust_depth) (i32.const 1))))
   (func (export "oiw_rust_frames") (result i32)
      (global.get $rust_depth))

   (func $frame_leave (export "oiw_frame_leave") (param $top i32) (param $limit i32)
      (local $st i32) (local $instance i32)
      (local.set $st (call $arena_state))
      ;; (the instance this frame began in, which frame_enter recorded)
      (local.set $instance
         (if (result i32) (global.get $frame_depth)
            (then (array.get $int_array (global.get $frame_instances)
                     (i32.sub (global.get $frame_depth) (i32.const 1))))
            (else (global.get $rust_instance))))
      (if (i32.and (i32.eq (local.get $instance) (global.get $rust_instance))
                   (i32.eq (i32.load offset=4 (local.get $st)) (local.get $limit)))
         (then (i32.store (local.get $st) (local.get $top)))
         (else (call $arena_restore_slow (local.get $st) (local.get $top) (local.get $limit) (local.get $instance))))
      (if (global.get $frame_depth)
         (then
            (global.set $frame_depth (i32.sub (global.get $frame_depth) (i32.const 1)))
            (if (i32.gt_u (call $temps_mark)
                          (array.get $int_array (global.get $frame_temps) (global.get $frame_depth)))
               (then (call $temps_release (array.get $int_array (global.get $frame_temps) (global.get $frame_depth)))))))
      (if (global.get $reset_pending) (then (call $js_after_error))))

   ;; The generated glue's frames are light: the arena's top and limit, the temporary-handle
   ;; mark and the Rust instance are kept in the glue's locals, not pushed (the frames above are
   ;; the host's and the closures'); leaving puts them back as frame_leave does. Entering reads
   ;; the arena's top and limit in one call.
   (func (export "oiw_light_enter") (result i32 i32)
      (local $st i32)
      (local.set $st (call $arena_state))
      (i32.load (local.get $st))
      (i32.load offset=4 (local.get $st)))
   (func $light_leave (export "oiw_light_leave") (param $top i32) (param $limit i32) (param $temps i32) (param $instance i32)
      (if (i32.and (i32.eq (local.get $instance) (global.get $rust_instance))
                   (i32.eq (i32.load offset=4 (global.get $arena)) (local.get $limit)))
         (then (i32.store (global.get $arena) (local.get $top)))
         (else (call $arena_restore_slow (global.get $arena) (local.get $top) (local.get $limit) (local.get $instance))))
      (if (i32.gt_u (global.get $temp_count) (local.get $temps))
         (then (call $temps_release (local.get $temps))))
      (if (global.get $reset_pending) (then (call $js_after_error))))
   ;; The glue's bare frame (a call whose arguments and result are immediates, which Rust's
   ;; export puts the arena back for itself): the temporaries made under the call released, and
   ;; the reset an error left pending. The glue calls it only when one of them has work to do.
   (func (export "oiw_bare_leave") (param $temps i32)
      (if (i32.gt_u (global.get $temp_count) (local.get $temps))
         (then (call $temps_release (local.get $temps))))
      (if (global.get $reset_pending) (then (call $js_after_error))))
   ;; the arena back to the mark a failed Rust export left in the error slot (oiw_error_release)
   (func (export "oiw_arena_restore") (param $top i32) (param $limit i32)
      (local $st i32)
      (local.set $st (call $arena_state))
      (if (i32.eq (i32.load offset=4 (local.get $st)) (local.get $limit))
         (then (i32.store (local.get $st) (local.get $top)))
         (else (call $arena_restore_slow (local.get $st) (local.get $top) (local.get $limit) (global.get $rust_instance)))))
   ;; the arena back to a frame's mark, when the chunk changed or the instance did
   (func $arena_restore_slow (param $st i32) (param $top i32) (param $limit i32) (param $instance i32)
      (if (i32.ne (local.get $instance) (global.get $rust_instance))
         ;; the frame began in an instance re-created since
         (then (return (call $js_arena_restart))))
      (if (global.get $rust_poisoned)
         (then
            (i32.store (local.get $st) (local.get $top))
            (i32.store offset=4 (local.get $st) (local.get $limit)))
         (else (call $js_arena_release (local.get $top) (local.get $limit)))))
)
