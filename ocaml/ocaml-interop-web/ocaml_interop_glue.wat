;; ocaml-interop for the web, the OCaml side: the primitives only the generated glue
;; (rust_glue.wat, printed by src/build/glue/wat.ts) uses: the typed conversions of its arguments and
;; results, its error checks. The glue's whole ABI, imported from "env": oiw_encode_arg,
;; oiw_decode_result, oiw_immediate, oiw_untag, oiw_unbox_float, oiw_unbox_int64,
;; oiw_unbox_int32, oiw_encode_bytes, oiw_encode_float, oiw_tag_int and oiw_error_set, and the
;; direct route's oiw_direct_leave, oiw_direct_threw, oiw_direct_threw_rust and
;; oiw_direct_too_deep here; oiw_light_enter, oiw_light_leave and the global
;; oiw_rust_depth in ocaml_interop_arena.wat; the global oiw_temp_count in
;; ocaml_interop_handles.wat; oiw_error_exn in ocaml_interop_errors.wat; wasm_of_ocaml's tags
;; ocaml_exception and javascript_exception.
;; (A runtime file of the library: the dune file says how they link.)
(module
   (type $bytes (array (mut i8)))
   (type $float (struct (field f64)))

   (import "env" "oiw_rust_memory" (memory $mem 1))
   (import "env" "caml_failwith" (func $caml_failwith (param (ref eq))))
   (import "env" "caml_invalid_argument" (func $caml_invalid_argument (param (ref eq))))
   (import "env" "caml_is_custom" (func $caml_is_custom (param (ref eq)) (result i32)))
   (import "env" "caml_custom_identifier" (func $caml_custom_identifier (param (ref eq)) (result (ref eq))))
   (import "env" "Int32_val" (func $Int32_val (param (ref eq)) (result i32)))
   (import "env" "Int64_val" (func $Int64_val (param (ref eq)) (result i64)))
   ;; from ocaml_interop_arena.wat
   (import "env" "oiw_light_leave" (func $light_leave (param i32 i32 i32 i32)))
   ;; from ocaml_interop_encode.wat
   (import "env" "oiw_encode_for" (func $encode_for (param (ref eq)) (param (ref null eq)) (param i32) (param i32) (result i32)))
   (import "env" "oiw_encode_leaf" (func $encode_leaf (param (ref eq)) (result i32)))
   ;; from ocaml_interop_decode.wat
   (import "env" "oiw_decode_for" (func $decode_for (param i32) (param (ref null eq)) (param i32) (param i32) (result (ref eq))))
   ;; from ocaml_interop_errors.wat
   (import "env" "oiw_error_slot_addr" (func $error_slot (result i32)))
   (import "env" "oiw_rust_depth" (global $rust_depth (mut i32)))
   (import "js" "oiw_rust_poisoned" (global $rust_poisoned (mut i32)))
   (import "js" "oiw_direct_returned" (func $js_direct_returned))
   (import "js" "oiw_direct_threw" (func $js_direct_threw (param i32 i32) (param externref)))
   (import "js" "oiw_direct_too_deep" (func $js_direct_too_deep (param i32)))

   ;; an argument the glue encodes: `what` is "<function>: argument <name>"
   (func (export "oiw_encode_arg") (param $v (ref eq)) (param $w (ref eq)) (result i32)
      (call $encode_for (local.get $v) (local.get $w) (i32.const 0) (i32.const 0)))
   ;; a result the glue decodes: `what` is "<function>: result"
   (func (export "oiw_decode_result") (param $x i32) (param $w (ref eq)) (result (ref eq))
      (call $decode_for (local.get $x) (local.get $w) (i32.const 0) (i32.const 0)))

   ;; ---------------------------------------------------------------- typed conversions
   ;; of the arguments: $err names the function and argument, and is raised as
   ;; Invalid_argument when the value has the wrong shape
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

   ;; whether a call whose result cannot carry the error sentinel (a direct primitive) failed
   (func (export "oiw_error_set") (result i32)
      (i32.load (call $error_slot)))

   ;; ---------------------------------------------------------------- the direct route
   ;; (the glue's call of Rust export `index` through the table: see src/build/glue/wat.ts)
   ;; the call returned: one Rust frame fewer; if the instance trapped meanwhile (under a call it
   ;; made) the host re-creates it once no Rust frame is left
   (func (export "oiw_direct_leave")
      (global.set $rust_depth (i32.sub (global.get $rust_depth) (i32.const 1)))
      (if (global.get $rust_poisoned) (then (call $js_direct_returned))))
   ;; a JS exception went through Rust: the host makes it the call's error, as a trap's
   (func (export "oiw_direct_threw") (param $e externref) (param $index i32)
      (global.set $rust_depth (i32.sub (global.get $rust_depth) (i32.const 1)))
      (call $js_direct_threw (local.get $index) (i32.const 0) (local.get $e)))
   ;; a Rust exception left the export (a panic it did not catch: no_panic_catch)
   (func (export "oiw_direct_threw_rust") (param $index i32)
      (global.set $rust_depth (i32.sub (global.get $rust_depth) (i32.const 1)))
      (call $js_direct_threw (local.get $index) (i32.const 1) (ref.null extern)))
   ;; one call past the re-entrancy limit: refused before Rust runs (its error in the slot)
   (func (export "oiw_direct_too_deep") (param $index i32)
      (call $js_direct_too_deep (local.get $index)))
)
