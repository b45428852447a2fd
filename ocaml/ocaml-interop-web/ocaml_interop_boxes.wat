;; ocaml-interop for the web, the OCaml side: what OCaml holds of the other sides. Rust values
;; (DynBox wrappers), Rust closures and TypeScript's JS functions, as OCaml values.
;; (A runtime file of the library: the dune file says how they link.)
(module
   (type $block (array (mut (ref eq))))
   (type $bytes (array (mut i8)))
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

   (import "env" "oiw_rust_memory" (memory $mem 1))
   (import "env" "caml_failwith" (func $caml_failwith (param (ref eq))))
   ;; (wrapper, id, generation low half, generation high half)
   (import "js" "oiw_box_track" (func $js_box_track (param anyref i32 i32 i32) (result i32)))
   (import "js" "oiw_box_untrack" (func $js_box_untrack (param anyref i32 i32 i32)))
   ;; (id, generation low half, generation high half, argv, n)
   (import "js" "oiw_call_rust_closure" (func $js_call_rust_closure (param i32 i32 i32 i32 i32) (result i32)))
   ;; JS functions TypeScript passed where a closure is expected: (function value, JS id) is
   ;; tracked by the host; (JS id, argv, n) calls it; the host gets $js_closure_handle at start-up
   (import "js" "oiw_js_closure_track" (func $js_closure_track (param anyref i32)))
   (import "js" "oiw_call_js" (func $js_call_js (param i32 i32 i32) (result i32)))
   ;; from ocaml_interop_arena.wat
   (import "env" "oiw_alloc" (func $alloc (param i32) (result i32)))
   (import "env" "oiw_alloc_block" (func $alloc_block (param i32) (param i32) (param i32) (result i32)))
   (import "env" "oiw_arena_state" (func $arena_state (result i32)))
   (import "env" "oiw_frame_enter" (func $frame_enter (result i32)))
   (import "env" "oiw_frame_leave" (func $frame_leave (param i32) (param i32)))
   ;; from ocaml_interop_handles.wat
   (import "env" "oiw_handle_new" (func $handle_new (param (ref eq)) (result i32)))
   ;; from ocaml_interop_encode.wat
   (import "env" "oiw_encode_for" (func $encode_for (param (ref eq)) (param (ref null eq)) (param i32) (param i32) (result i32)))
   ;; from ocaml_interop_decode.wat
   (import "env" "oiw_decode_for" (func $decode_for (param i32) (param (ref null eq)) (param i32) (param i32) (result (ref eq))))
   ;; from ocaml_interop_errors.wat
   (import "env" "oiw_error_exn" (func $error_exn (result (ref eq))))
   (import "env" "ocaml_exception" (tag $ocaml_exception (param (ref eq))))

   ;; BEGIN generated: the protocol's constants (tools/gen-protocol.ts, from wire-format/protocol.json; do not edit)
   (global $ERROR_SENTINEL i32 (i32.const 2))
   (global $TAG_ABSTRACT i32 (i32.const 251))
   (global $TAG_CUSTOM i32 (i32.const 255))
   (global $CUSTOM_DYNBOX i32 (i32.const 5))
   ;; END generated: the protocol's constants

   ;; ---------------------------------------------------------------- Rust closures
   (@string $rust_closure_gone "ocaml-interop: this Rust closure was already released")
   (@string $a_rust_closure "a Rust closure")
   (elem declare func $rust_closure_apply)

   (func $new_rust_closure (export "oiw_new_rust_closure") (param $id i32) (param $gen i32) (param $arity i32) (param $args (ref $block))
      (param $gen_hi i32) (result (ref eq))
      (local $c (ref $rust_closure))
      (local.set $c (struct.new $rust_closure (ref.func $rust_closure_apply)
         (local.get $id) (local.get $gen) (local.get $arity) (local.get $args) (local.get $gen_hi)))
      ;; each function value (partial applications too) keeps the Rust closure alive
      (if (i32.eqz (call $js_box_track (local.get $c) (local.get $id) (local.get $gen) (local.get $gen_hi)))
         (then (call $caml_failwith (global.get $rust_closure_gone))))
      (local.get $c))

   (func $rust_closure_apply (type $function_1) (param $x (ref eq)) (param $env (ref eq)) (result (ref eq))
      (local $c (ref $rust_closure)) (local $args (ref $block)) (local $n i32)
      (local $top i32) (local $limit i32) (local $argv i32) (local $i i32) (local $r i32) (local $e (ref null eq))
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
            ;; an error: read here (the frame still holds the arena), raised once the frame is left
            (if (i32.eq (local.get $r) (global.get $ERROR_SENTINEL))
               (then (local.set $e (call $error_exn)))
               (else (local.set $x (call $decode_for (local.get $r) (global.get $a_rust_closure) (i32.const 2) (i32.const 0))))))
         (catch_all
            (call $frame_leave (local.get $top) (local.get $limit))
            (rethrow 0)))
      (call $frame_leave (local.get $top) (local.get $limit))
      (if (i32.eqz (ref.is_null (local.get $e))) (then (throw $ocaml_exception (ref.as_non_null (local.get $e)))))
      (local.get $x))

   ;; ---------------------------------------------------------------- JS functions
   ;; A JS function TypeScript passes where a closure is expected becomes an OCaml function
   ;; value calling back into the host with its arguments encoded; the host keeps the JS
   ;; function while any such value (partial applications too) is alive (a FinalizationRegistry).
   (elem declare func $js_closure_apply)
   (@string $a_js_function "a JS function")

   (func $new_js_closure (param $id i32) (param $arity i32) (param $args (ref $block)) (result (ref eq))
      (local $c (ref $js_closure))
      (local.set $c (struct.new $js_closure (ref.func $js_closure_apply)
         (local.get $id) (local.get $arity) (local.get $args)))
      (call $js_closure_track (local.get $c) (local.get $id))
      (local.get $c))

   ;; for the host: a new function value for JS function `id`, as a temporary handle (released
   ;; when the current frame ends, unless Rust roots it)
   (func $js_closure_handle (export "oiw_js_closure_handle") (param $id i32) (param $arity i32) (result i32)
      (call $handle_new (call $new_js_closure (local.get $id) (local.get $arity)
         (array.new_fixed $block 1 (ref.i31 (i32.const 0))))))

   ;; for the host: a temporary handle to a function value it made before (and still holds)
   (func $handle_of (export "oiw_handle_of") (param $v (ref eq)) (result i32)
      (call $handle_new (local.get $v)))

   (func $js_closure_apply (type $function_1) (param $x (ref eq)) (param $env (ref eq)) (result (ref eq))
      (local $c (ref $js_closure)) (local $args (ref $block)) (local $n i32)
      (local $top i32) (local $limit i32) (local $argv i32) (local $i i32) (local $r i32) (local $e (ref null eq))
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
            ;; an error: read here, raised once the frame is left (as for a Rust closure)
            (if (i32.eq (local.get $r) (global.get $ERROR_SENTINEL))
               (then (local.set $e (call $error_exn)))
               (else (local.set $x (call $decode_for (local.get $r) (global.get $a_js_function) (i32.const 2) (i32.const 0))))))
         (catch_all
            (call $frame_leave (local.get $top) (local.get $limit))
            (rethrow 0)))
      (call $frame_leave (local.get $top) (local.get $limit))
      (if (i32.eqz (ref.is_null (local.get $e))) (then (throw $ocaml_exception (ref.as_non_null (local.get $e)))))
      (local.get $x))

   ;; ---------------------------------------------------------------- Rust values (DynBox)
   ;; OCaml holds a Rust value through an abstract wrapper:
   ;; [| tag 251; id; generation low half; generation high half |]
   (func $is_box (export "oiw_is_box") (param $v (ref eq)) (result i32)
      (local $b (ref $block))
      (if (i32.eqz (ref.test (ref $block) (local.get $v))) (then (return (i32.const 0))))
      (local.set $b (ref.cast (ref $block) (local.get $v)))
      (i32.and (i32.eq (array.len (local.get $b)) (i32.const 4))
         (ref.eq (array.get $block (local.get $b) (i32.const 0)) (ref.i31 (global.get $TAG_ABSTRACT)))))

   (func $encode_box (export "oiw_encode_box") (param $v (ref eq)) (result i32)
      (local $b (ref $block)) (local $p i32)
      (local.set $b (ref.cast (ref $block) (local.get $v)))
      (local.set $p (call $alloc_block (global.get $TAG_CUSTOM) (i32.const 16) (i32.const 16)))
      (i32.store offset=8 (local.get $p) (global.get $CUSTOM_DYNBOX))
      (i32.store offset=12 (local.get $p) (i31.get_s (ref.cast (ref i31) (array.get $block (local.get $b) (i32.const 1)))))
      (i32.store offset=16 (local.get $p) (i31.get_s (ref.cast (ref i31) (array.get $block (local.get $b) (i32.const 2)))))
      (i32.store offset=20 (local.get $p) (i31.get_s (ref.cast (ref i31) (array.get $block (local.get $b) (i32.const 3)))))
      (local.get $p))

   (@string $box_gone "ocaml-interop: this Rust value (DynBox) was already released")
   (func $decode_box (export "oiw_decode_box") (param $w i32) (result (ref eq))
      (local $b (ref $block))
      (local.set $b (array.new_fixed $block 4 (ref.i31 (global.get $TAG_ABSTRACT))
         (ref.i31 (i32.load offset=12 (local.get $w))) (ref.i31 (i32.load offset=16 (local.get $w)))
         (ref.i31 (i32.load offset=20 (local.get $w)))))
      (if (i32.eqz (call $js_box_track (local.get $b) (i32.load offset=12 (local.get $w))
                      (i32.load offset=16 (local.get $w)) (i32.load offset=20 (local.get $w))))
         (then (call $caml_failwith (global.get $box_gone))))
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
)
