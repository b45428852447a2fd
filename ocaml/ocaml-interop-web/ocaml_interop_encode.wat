;; ocaml-interop for the web, the OCaml side: the encoder, OCaml values into the wire format
;; (docs/wire-format.md) in the call arena.
;; (A runtime file of the library: the dune file says how they link.)
(module
   (type $block (array (mut (ref eq))))
   (type $bytes (array (mut i8)))
   (type $float (struct (field f64)))
   (type $float_array (array (mut f64)))
   (type $function_1 (func (param (ref eq) (ref eq)) (result (ref eq))))
   (type $closure (sub (struct (field (ref $function_1)))))

   (import "env" "oiw_rust_memory" (memory $mem 1))
   (import "env" "caml_invalid_argument" (func $caml_invalid_argument (param (ref eq))))
   (import "env" "caml_is_custom" (func $caml_is_custom (param (ref eq)) (result i32)))
   (import "env" "caml_custom_identifier" (func $caml_custom_identifier (param (ref eq)) (result (ref eq))))
   (import "env" "Int32_val" (func $Int32_val (param (ref eq)) (result i32)))
   (import "env" "Int64_val" (func $Int64_val (param (ref eq)) (result i64)))
   (import "env" "caml_ba_num_dims" (func $caml_ba_num_dims (param (ref eq)) (result (ref eq))))
   (import "env" "caml_ba_kind" (func $caml_ba_kind (param (ref eq)) (result (ref eq))))
   (import "env" "caml_ba_dim_1" (func $caml_ba_dim_1 (param (ref eq)) (result (ref eq))))
   (import "env" "caml_ba_to_typed_array" (func $caml_ba_to_typed_array (param (ref eq)) (result (ref eq))))
   (import "env" "unwrap" (func $unwrap (param (ref eq)) (result anyref)))
   (import "js" "oiw_ba_place" (func $js_ba_place (param anyref) (param i32) (result i32)))
   ;; from ocaml_interop_arena.wat
   (import "env" "oiw_alloc" (func $alloc (param i32) (result i32)))
   (import "env" "oiw_alloc_block" (func $alloc_block (param i32) (param i32) (param i32) (result i32)))
   (import "env" "oiw_arena_state" (func $arena_state (result i32)))
   (import "env" "oiw_string_to_mem" (func $string_to_mem (param (ref $bytes)) (param i32)))
   ;; from ocaml_interop_handles.wat
   (import "env" "oiw_ctor_remember" (func $ctor_remember (param (ref $block))))
   (import "env" "oiw_handle_gen_hi" (func $handle_gen_hi (param i32) (result i32)))
   (import "env" "oiw_handle_gen_lo" (func $handle_gen_lo (param i32) (result i32)))
   (import "env" "oiw_handle_new" (func $handle_new (param (ref eq)) (result i32)))
   ;; from ocaml_interop_boxes.wat
   (import "env" "oiw_encode_box" (func $encode_box (param (ref eq)) (result i32)))
   (import "env" "oiw_is_box" (func $is_box (param (ref eq)) (result i32)))
   ;; from ocaml_interop_errors.wat
   (import "env" "oiw_conversion_invalid" (func $conversion_invalid (param (ref eq))))
   (import "env" "oiw_cyclic" (global $cyclic (ref eq)))
   (import "env" "oiw_set_what" (func $set_what (param (ref null eq)) (param i32) (param i32)))
   (import "env" "oiw_too_deep" (global $too_deep (ref eq)))

   ;; BEGIN generated: the protocol's constants (tools/gen-protocol.ts, from wire-format/protocol.json; do not edit)
   (global $TAG_CLOSURE i32 (i32.const 247))
   (global $TAG_OBJECT i32 (i32.const 248))
   (global $TAG_ABSTRACT i32 (i32.const 251))
   (global $TAG_STRING i32 (i32.const 252))
   (global $TAG_DOUBLE i32 (i32.const 253))
   (global $TAG_DOUBLE_ARRAY i32 (i32.const 254))
   (global $TAG_CUSTOM i32 (i32.const 255))
   (global $CUSTOM_INT32 i32 (i32.const 1))
   (global $CUSTOM_INT64 i32 (i32.const 2))
   (global $CUSTOM_NATIVEINT i32 (i32.const 3))
   (global $CUSTOM_BIGARRAY i32 (i32.const 4))
   (global $MAX_NESTING i32 (i32.const 1000))
   ;; END generated: the protocol's constants

   (@string $not_data "this value cannot cross the boundary (an abstract value, a custom block other than int32/int64/nativeint/Bigarray.Array1, or a JS value)")

   ;; ---------------------------------------------------------------- encode
   (func $encode_leaf (export "oiw_encode_leaf") (param $v (ref eq)) (result i32)
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

   (@string $one_dim "ocaml-interop: only one-dimensional bigarrays (Bigarray.Array1) cross the boundary")

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

   ;; int32, int64, nativeint: [u32 kind][u32 0][i64 value], recognised by their identifier;
   ;; bigarrays as above
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

   ;; Encodes any OCaml data value for `what` (see $set_what in ocaml_interop_errors.wat): the entries.
   (global $encode_depth (mut i32) (i32.const 0))
   (func $encode_for (export "oiw_encode_for") (param $v (ref eq)) (param $w (ref null eq)) (param $role i32) (param $index i32) (result i32)
      (call $set_what (local.get $w) (local.get $role) (local.get $index))
      ;; (an error left the count where it was: each encoding starts from zero)
      (global.set $encode_depth (i32.const 0))
      (call $encode_value (local.get $v)))
   (func $encode (export "oiw_encode") (param $v (ref eq)) (result i32)
      (call $encode_for (local.get $v) (ref.null eq) (i32.const 0) (i32.const 0)))

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
               ;; two fields (a list cell, a pair): the first one without the loop
               (if (i32.eq (local.get $n) (i32.const 2))
                  (then
                     (local.set $f (array.get $block (local.get $b) (i32.const 1)))
                     (i32.store offset=8 (local.get $p)
                        (if (result i32) (ref.test (ref i31) (local.get $f))
                           (then (i32.or (i32.shl (i31.get_s (ref.cast (ref i31) (local.get $f))) (i32.const 1))
                                         (i32.const 1)))
                           (else (call $encode_value (local.get $f)))))
                     (local.set $i (i32.const 1))))
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
)
