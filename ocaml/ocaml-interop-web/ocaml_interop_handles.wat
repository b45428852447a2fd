;; ocaml-interop for the web, the OCaml side: OCaml values that keep their identity across the
;; boundary. Closures cross by handle (a table with generations; temporary handles live as long
;; as the call's frame), exception constructors are remembered by id.
;; (A runtime file of the library: the dune file says how they link.)
(module
   (type $block (array (mut (ref eq))))
   (type $int_array (array (mut i32)))
   (type $int64_array (array (mut i64)))

   ;; ---------------------------------------------------------------- handles
   ;; OCaml values that cross by reference (closures): a table of values with a reference
   ;; count and a free list. A handle made while encoding a call's values is temporary: it is
   ;; released when the call's frame ends, unless Rust retained it (a BoxRoot).
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
   (global $temp_count (export "oiw_temp_count") (mut i32) (i32.const 0))

   (func $grow_block (export "oiw_grow_block") (param $a (ref $block)) (param $n i32) (result (ref $block))
      (local $b (ref $block))
      (local.set $b (array.new $block (ref.i31 (i32.const 0)) (local.get $n)))
      (array.copy $block $block (local.get $b) (i32.const 0) (local.get $a) (i32.const 0) (array.len (local.get $a)))
      (local.get $b))
   (func $grow_int64s (param $a (ref $int64_array)) (param $n i32) (result (ref $int64_array))
      (local $b (ref $int64_array))
      (local.set $b (array.new $int64_array (i64.const 0) (local.get $n)))
      (array.copy $int64_array $int64_array (local.get $b) (i32.const 0) (local.get $a) (i32.const 0) (array.len (local.get $a)))
      (local.get $b))
   (func $grow_ints (export "oiw_grow_ints") (param $a (ref $int_array)) (param $n i32) (result (ref $int_array))
      (local $b (ref $int_array))
      (local.set $b (array.new $int_array (i32.const 0) (local.get $n)))
      (array.copy $int_array $int_array (local.get $b) (i32.const 0) (local.get $a) (i32.const 0) (array.len (local.get $a)))
      (local.get $b))

   (func $handle_new (export "oiw_handle_new") (param $v (ref eq)) (result i32)
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

   ;; the value behind a valid handle
   (func $handle_get (export "oiw_handle_get") (param $id i32) (result (ref eq))
      (array.get $block (global.get $handles) (local.get $id)))

   ;; (the bounds first: i32.and would read the array at an out-of-range id, and trap)
   (func $handle_valid (param $id i32) (result i32)
      (if (result i32) (i32.lt_u (local.get $id) (global.get $handle_next))
         (then (i32.gt_s (array.get $int_array (global.get $handle_refs) (local.get $id)) (i32.const 0)))
         (else (i32.const 0))))

   ;; a live handle of that generation (the two halves the wire carries: 30 bits each)
   (func $handle_valid_gen (export "oiw_handle_valid_gen") (param $id i32) (param $lo i32) (param $hi i32) (result i32)
      (if (result i32) (call $handle_valid (local.get $id))
         (then (i64.eq (array.get $int64_array (global.get $handle_gens) (local.get $id))
                  (i64.or (i64.shl (i64.extend_i32_u (local.get $hi)) (i64.const 30)) (i64.extend_i32_u (local.get $lo)))))
         (else (i32.const 0))))
   (func $handle_gen_lo (export "oiw_handle_gen_lo") (param $id i32) (result i32)
      (i32.and (i32.wrap_i64 (array.get $int64_array (global.get $handle_gens) (local.get $id))) (i32.const 0x3fffffff)))
   (func $handle_gen_hi (export "oiw_handle_gen_hi") (param $id i32) (result i32)
      (i32.wrap_i64 (i64.shr_u (array.get $int64_array (global.get $handle_gens) (local.get $id)) (i64.const 30))))

   ;; Rust roots a handle (a BoxRoot) / drops that root: ignored unless the handle is live and of
   ;; that generation
   (func $handle_retain_gen (export "oiw_handle_retain_gen") (param $id i32) (param $lo i32) (param $hi i32)
      (if (call $handle_valid_gen (local.get $id) (local.get $lo) (local.get $hi))
         (then (call $handle_retain (local.get $id)))))
   (func $handle_release_gen (export "oiw_handle_release_gen") (param $id i32) (param $lo i32) (param $hi i32)
      (if (call $handle_valid_gen (local.get $id) (local.get $lo) (local.get $hi))
         (then (call $handle_release (local.get $id)))))

   (func $handle_retain (param $id i32)
      (if (call $handle_valid (local.get $id))
         (then (array.set $int_array (global.get $handle_refs) (local.get $id)
                  (i32.add (array.get $int_array (global.get $handle_refs) (local.get $id)) (i32.const 1))))))

   (func $handle_release (param $id i32)
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

   (func $handle_live_count (export "oiw_handle_live_count") (result i32) (global.get $handle_live))

   ;; how many OCaml values Rust holds by handle (for leak checks)
   (func (export "oiw_live_handles") (param (ref eq)) (result (ref eq))
      (ref.i31 (global.get $handle_live)))

   ;; ---------------------------------------------------------------- exception constructors
   ;; OCaml matches exceptions by the physical identity of their constructor (a tag-248 block
   ;; [name; id]). Constructors seen while encoding are remembered by id, and decoding gives
   ;; back the same block, so an exception that went through Rust still matches its handler.
   (global $ctor_ids (mut (ref $int_array)) (array.new_fixed $int_array 1 (i32.const 0)))
   (global $ctors (mut (ref $block)) (array.new_fixed $block 1 (ref.i31 (i32.const 0))))
   (global $ctor_count (mut i32) (i32.const 0))

   (func $ctor_find (export "oiw_ctor_find") (param $id i32) (result i32)
      (local $i i32)
      (block $done
         (loop $l
            (br_if $done (i32.ge_u (local.get $i) (global.get $ctor_count)))
            (if (i32.eq (array.get $int_array (global.get $ctor_ids) (local.get $i)) (local.get $id))
               (then (return (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
      (i32.const -1))

   ;; the constructor remembered at index i (of $ctor_find)
   (func $ctor_get (export "oiw_ctor_get") (param $i i32) (result (ref eq))
      (array.get $block (global.get $ctors) (local.get $i)))

   (func $ctor_remember (export "oiw_ctor_remember") (param $b (ref $block))
      (local $id i32)
      ;; two tests, not one i32.or: both operands of an or are evaluated, and field 2 of a
      ;; shorter block (one the decoder made from wire input) is out of bounds
      (if (i32.ne (array.len (local.get $b)) (i32.const 3)) (then (return)))
      (if (i32.eqz (ref.test (ref i31) (array.get $block (local.get $b) (i32.const 2)))) (then (return)))
      (local.set $id (i31.get_s (ref.cast (ref i31) (array.get $block (local.get $b) (i32.const 2)))))
      (if (i32.ge_s (call $ctor_find (local.get $id)) (i32.const 0)) (then (return)))
      (if (i32.ge_u (global.get $ctor_count) (array.len (global.get $ctors)))
         (then
            (global.set $ctors (call $grow_block (global.get $ctors) (i32.shl (global.get $ctor_count) (i32.const 1))))
            (global.set $ctor_ids (call $grow_ints (global.get $ctor_ids) (i32.shl (global.get $ctor_count) (i32.const 1))))))
      (array.set $block (global.get $ctors) (global.get $ctor_count) (local.get $b))
      (array.set $int_array (global.get $ctor_ids) (global.get $ctor_count) (local.get $id))
      (global.set $ctor_count (i32.add (global.get $ctor_count) (i32.const 1))))
)
