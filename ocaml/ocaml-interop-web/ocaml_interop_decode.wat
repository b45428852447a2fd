;; ocaml-interop for the web, the OCaml side: the decoder, wire values (docs/wire-format.md) into
;; OCaml values.
;; (A runtime file of the library: the dune file says how they link.)
(module
   (type $block (array (mut (ref eq))))
   (type $bytes (array (mut i8)))
   (type $float (struct (field f64)))
   (type $float_array (array (mut f64)))

   (import "env" "oiw_rust_memory" (memory $mem 1))
   (import "env" "caml_failwith" (func $caml_failwith (param (ref eq))))
   (import "env" "caml_copy_int32" (func $caml_copy_int32 (param i32) (result (ref eq))))
   (import "env" "caml_copy_int64" (func $caml_copy_int64 (param i64) (result (ref eq))))
   (import "env" "caml_copy_nativeint" (func $caml_copy_nativeint (param i32) (result (ref eq))))
   (import "env" "caml_ba_to_typed_array" (func $caml_ba_to_typed_array (param (ref eq)) (result (ref eq))))
   (import "env" "caml_ba_from_typed_array" (func $caml_ba_from_typed_array (param (ref eq)) (result (ref eq))))
   (import "env" "caml_ba_char_of_typed_array" (func $caml_ba_char_of_typed_array (param (ref eq)) (result (ref eq))))
   (import "env" "caml_ba_create" (func $caml_ba_create (param (ref eq)) (param (ref eq)) (param (ref eq)) (result (ref eq))))
   (import "js" "oiw_ba_fill" (func $js_ba_fill (param anyref i32 i32)))
   (import "env" "unwrap" (func $unwrap (param (ref eq)) (result anyref)))
   (import "env" "wrap" (func $wrap (param anyref) (result (ref eq))))
   (import "js" "oiw_ba_view" (func $js_ba_view (param i32 i32 i32) (result anyref)))
   ;; from ocaml_interop_arena.wat
   (import "env" "oiw_string_from_mem" (func $string_from_mem (param i32) (param i32) (result (ref $bytes))))
   ;; from ocaml_interop_handles.wat
   (import "env" "oiw_ctor_find" (func $ctor_find (param i32) (result i32)))
   (import "env" "oiw_ctor_get" (func $ctor_get (param i32) (result (ref eq))))
   (import "env" "oiw_handle_get" (func $handle_get (param i32) (result (ref eq))))
   (import "env" "oiw_handle_valid_gen" (func $handle_valid_gen (param i32) (param i32) (param i32) (result i32)))
   ;; from ocaml_interop_boxes.wat
   (import "env" "oiw_decode_box" (func $decode_box (param i32) (result (ref eq))))
   (import "env" "oiw_new_rust_closure" (func $new_rust_closure (param i32) (param i32) (param i32) (param (ref $block)) (param i32) (result (ref eq))))
   ;; from ocaml_interop_errors.wat
   (import "env" "oiw_conversion_failure" (func $conversion_failure (param (ref eq))))
   (import "env" "oiw_cyclic" (global $cyclic (ref eq)))
   (import "env" "oiw_set_what" (func $set_what (param (ref null eq)) (param i32) (param i32)))
   (import "env" "oiw_too_deep" (global $too_deep (ref eq)))

   ;; BEGIN generated: the protocol's constants (tools/gen-protocol.ts, from wire-format/protocol.json; do not edit)
   (global $HEADER_TAG_MASK i32 (i32.const 255))
   (global $TAG_CLOSURE i32 (i32.const 247))
   (global $TAG_OBJECT i32 (i32.const 248))
   (global $TAG_NO_SCAN i32 (i32.const 251))
   (global $TAG_STRING i32 (i32.const 252))
   (global $TAG_DOUBLE i32 (i32.const 253))
   (global $TAG_DOUBLE_ARRAY i32 (i32.const 254))
   (global $TAG_CUSTOM i32 (i32.const 255))
   (global $CUSTOM_INT32 i32 (i32.const 1))
   (global $CUSTOM_INT64 i32 (i32.const 2))
   (global $CUSTOM_NATIVEINT i32 (i32.const 3))
   (global $CUSTOM_BIGARRAY i32 (i32.const 4))
   (global $CUSTOM_DYNBOX i32 (i32.const 5))
   (global $BA_KIND_MASK i32 (i32.const 255))
   (global $BA_INT64 i32 (i32.const 7))
   (global $BA_NATIVEINT i32 (i32.const 9))
   (global $BA_CHAR i32 (i32.const 12))
   (global $MAX_NESTING i32 (i32.const 1000))
   ;; END generated: the protocol's constants

   (@string $bad_wire "an invalid wire value (a bad address or tag)")

   ;; ---------------------------------------------------------------- decode
   (func $check_block (param $w i32) (param $bytes i64)
      ;; the block [w, w + bytes) must lie in memory and w be 8-aligned and non-null; sizes are
      ;; 64-bit so that a size read from the wire cannot wrap the bound
      (if (i32.or
             (i32.or (i32.eqz (local.get $w)) (i32.and (local.get $w) (i32.const 7)))
             (i64.gt_u
                (i64.add (i64.extend_i32_u (local.get $w)) (local.get $bytes))
                (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16))))
         (then (call $conversion_failure (global.get $bad_wire)))))

   (func $decode_leaf (param $w i32) (param $tag i32) (param $size i32) (result (ref eq))
      (local $fa (ref $float_array)) (local $i i32)
      (if (i32.eq (local.get $tag) (global.get $TAG_STRING))
         (then
            (call $check_block (local.get $w) (i64.add (i64.const 8) (i64.extend_i32_u (local.get $size))))
            (return (call $string_from_mem (i32.add (local.get $w) (i32.const 8)) (local.get $size)))))
      (if (i32.eq (local.get $tag) (global.get $TAG_DOUBLE))
         (then
            (call $check_block (local.get $w) (i64.const 16))
            (return (struct.new $float (f64.load offset=8 (local.get $w))))))
      (if (i32.eq (local.get $tag) (global.get $TAG_DOUBLE_ARRAY))
         (then
            (call $check_block (local.get $w)
               (i64.add (i64.const 8) (i64.shl (i64.extend_i32_u (local.get $size)) (i64.const 3))))
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
            (call $check_block (local.get $w) (i64.const 24))
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

   (func $ba_create_filled (param $kind i32) (param $dim i32) (param $ptr i32) (result (ref eq))
      (local $ba (ref eq))
      (local.set $ba (call $caml_ba_create (ref.i31 (local.get $kind)) (ref.i31 (i32.const 0))
         (array.new_fixed $block 2 (ref.i31 (i32.const 0)) (ref.i31 (local.get $dim)))))
      (call $js_ba_fill (call $unwrap (call $caml_ba_to_typed_array (local.get $ba))) (local.get $ptr)
         (local.get $kind))
      (local.get $ba))

   ;; Decodes a wire value for `what` (see $set_what in ocaml_interop_errors.wat): the entries.
   (global $decode_depth (mut i32) (i32.const 0))
   (func $decode_for (export "oiw_decode_for") (param $x i32) (param $w (ref null eq)) (param $role i32) (param $index i32) (result (ref eq))
      (call $set_what (local.get $w) (local.get $role) (local.get $index))
      (global.set $decode_depth (i32.const 0))
      (call $decode_value (local.get $x)))
   (func $decode (export "oiw_decode") (param $x i32) (result (ref eq))
      (call $decode_for (local.get $x) (ref.null eq) (i32.const 0) (i32.const 0)))

   ;; one level of nesting through a field other than the last (the limit, as the encoder's)
   (func $decode_value (param $x i32) (result (ref eq))
      (local $v (ref eq))
      (global.set $decode_depth (i32.add (global.get $decode_depth) (i32.const 1)))
      (if (i32.gt_u (global.get $decode_depth) (global.get $MAX_NESTING))
         (then (call $conversion_failure (global.get $too_deep))))
      (local.set $v (call $decode_chain (local.get $x)))
      (global.set $decode_depth (i32.sub (global.get $decode_depth) (i32.const 1)))
      (local.get $v))

   ;; Decodes a wire value; iterative along the last field, like the encoder. A chain along last
   ;; fields longer than the memory has blocks is a cycle (a wire graph Rust made by hand).
   (func $decode_chain (param $w i32) (result (ref eq))
      (local $steps i32) (local $result (ref null eq)) (local $parent (ref null $block)) (local $pidx i32)
      (local $b (ref $block)) (local $tag i32) (local $n i32) (local $i i32) (local $v (ref eq))
      (local $x i32) (local $end i64) (local $max_steps i64)
      (local.set $v (ref.i31 (i32.const 0)))
      ;; decoding allocates no linear memory: its size is fixed for the whole call
      (local.set $end (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
      ;; more cells along last fields than the memory has 8-byte blocks: a cycle
      (local.set $max_steps (i64.shr_u (local.get $end) (i64.const 3)))
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
                                       (local.set $v (call $ctor_get (local.get $i)))
                                       (br $known_ctor)))))))
                     ;; a block of two fields (a list cell, a pair, Some of a pair...) is made
                     ;; with a constant length, which engines allocate inline; other sizes through
                     ;; array.new (an allocation call in V8)
                     ;; (its first field decoded here: no loop for it)
                     (local.set $b
                        (if (result (ref $block)) (i32.eq (local.get $n) (i32.const 2))
                           (then
                              (local.set $x (i32.load offset=8 (local.get $w)))
                              (array.new_fixed $block 3 (ref.i31 (local.get $tag))
                                 (if (result (ref eq)) (i32.and (local.get $x) (i32.const 1))
                                    (then (ref.i31 (i32.shr_s (local.get $x) (i32.const 1))))
                                    (else (call $decode_value (local.get $x))))
                                 (ref.i31 (i32.const 0))))
                           (else
                              (array.new $block (ref.i31 (i32.const 0)) (i32.add (local.get $n) (i32.const 1))))))
                     (array.set $block (local.get $b) (i32.const 0) (ref.i31 (local.get $tag)))
                     (if (ref.is_null (local.get $parent))
                        (then (local.set $result (local.get $b)))
                        (else (array.set $block (ref.as_non_null (local.get $parent))
                                 (local.get $pidx) (local.get $b))))
                     (if (i32.eqz (local.get $n))
                        (then (return (ref.as_non_null (local.get $result)))))
                     ;; the fields before the last (already done for two fields)
                     (local.set $i (select (i32.const 1) (i32.const 0) (i32.eq (local.get $n) (i32.const 2))))
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
                     (if (i64.gt_u (i64.extend_i32_u (local.get $steps)) (local.get $max_steps))
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
   (export "oiw_bad_handle" (global $bad_handle))
   (func $decode_closure (param $w i32) (result (ref eq))
      (local $id i32)
      (call $check_block (local.get $w) (i64.const 16))
      (local.set $id (i32.shr_s (i32.load offset=8 (local.get $w)) (i32.const 1)))
      ;; a Rust closure: [id; 1; generation low half; arity; generation high half]
      (if (i32.and (i32.eq (i32.load offset=4 (local.get $w)) (i32.const 5))
                   (i32.eq (i32.load offset=12 (local.get $w)) (i32.const 3)))
         (then
            (call $check_block (local.get $w) (i64.const 28))
            (return (call $new_rust_closure (local.get $id)
               (i32.shr_s (i32.load offset=16 (local.get $w)) (i32.const 1))
               (i32.shr_s (i32.load offset=20 (local.get $w)) (i32.const 1))
               (array.new_fixed $block 1 (ref.i31 (i32.const 0)))
               (i32.shr_s (i32.load offset=24 (local.get $w)) (i32.const 1))))))
      ;; an OCaml closure: [handle; 0; generation low half; generation high half]
      (if (i32.or (i32.ne (i32.load offset=4 (local.get $w)) (i32.const 4))
                  (i32.ne (i32.load offset=12 (local.get $w)) (i32.const 1)))
         (then (call $caml_failwith (global.get $bad_handle))))
      (call $check_block (local.get $w) (i64.const 24))
      (if (i32.eqz (call $handle_valid_gen (local.get $id)
                      (i32.shr_u (i32.load offset=16 (local.get $w)) (i32.const 1))
                      (i32.shr_u (i32.load offset=20 (local.get $w)) (i32.const 1))))
         (then (call $caml_failwith (global.get $bad_handle))))
      (call $handle_get (local.get $id)))
)
