;; ocaml-interop for the web, the OCaml side: errors. The conversions' own errors (naming what was
;; being converted), and the OCaml exception a failed Rust call raises.
;; (A runtime file of the library: the dune file says how they link.)
(module
   (type $block (array (mut (ref eq))))
   (type $bytes (array (mut i8)))

   (import "env" "oiw_rust_memory" (memory $mem 1))
   (import "js" "oiw_rust_error_slot" (func $js_error_slot (result i32)))
   (import "env" "caml_failwith" (func $caml_failwith (param (ref eq))))
   (import "env" "caml_invalid_argument" (func $caml_invalid_argument (param (ref eq))))
   (import "env" "caml_global_data" (global $caml_global_data (mut (ref $block))))
   (import "env" "caml_named_value" (func $caml_named_value (param (ref eq)) (result (ref null eq))))
   (import "env" "ocaml_exception" (tag $ocaml_exception (param (ref eq))))
   ;; from ocaml_interop_arena.wat
   (import "env" "oiw_string_from_mem" (func $string_from_mem (param i32) (param i32) (result (ref $bytes))))
   ;; from ocaml_interop_decode.wat
   (import "env" "oiw_decode" (func $decode (param i32) (result (ref eq))))
   (import "env" "oiw_arena_restore" (func $arena_restore (param i32) (param i32)))

   ;; BEGIN generated: the protocol's constants (tools/gen-protocol.ts, from wire-format/protocol.json; do not edit)
   (global $KIND_RUST_PANIC i32 (i32.const 1))
   (global $KIND_INVALID_ARGUMENT i32 (i32.const 3))
   (global $KIND_OCAML_EXCEPTION i32 (i32.const 4))
   ;; END generated: the protocol's constants

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

   (func $set_what (export "oiw_set_what") (param $w (ref null eq)) (param $role i32) (param $index i32)
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

   (func $conversion_invalid (export "oiw_conversion_invalid") (param $msg (ref eq))
      (call $caml_invalid_argument (call $what_message (local.get $msg))))
   (func $conversion_failure (export "oiw_conversion_failure") (param $msg (ref eq))
      (call $caml_failwith (call $what_message (local.get $msg))))

   ;; The nesting limit of the wire format, the same number on every side (docs/wire-format.md;
   ;; MAX_DEPTH in src/host/wire/types.ts, wire::MAX_NESTING in Rust): here it bounds nesting through
   ;; fields other than a block's last, which the encoder and decoder recurse on (they iterate
   ;; along the last field).
   (@string $too_deep "nested deeper than 1000 levels through fields other than a block's last (the nesting limit of the wire format; is the value cyclic?)")
   (export "oiw_too_deep" (global $too_deep))
   (@string $cyclic "the value is cyclic (a cycle along the last fields of its blocks)")
   (export "oiw_cyclic" (global $cyclic))

   ;; ---------------------------------------------------------------- errors from Rust
   ;; the error slot's address: a static of the Rust module, the same in each of its instances,
   ;; so it is asked for once (a call through JS)
   (global $slot_addr (mut i32) (i32.const 0))
   (func $error_slot (export "oiw_error_slot_addr") (result i32)
      (if (i32.eqz (global.get $slot_addr))
         (then (global.set $slot_addr (call $js_error_slot))))
      (global.get $slot_addr))

   ;; A failed Rust export whose exception value lives in the arena leaves in the error slot the
   ;; arena mark it began at (its 5th and 6th words; 0 when it released the arena itself):
   ;; the glue's bare frame goes back to it once it has read the exception (oiw_error_exn).
   (func (export "oiw_error_release")
      (local $slot i32) (local $top i32)
      (local.set $slot (call $error_slot))
      (local.set $top (i32.load offset=16 (local.get $slot)))
      (if (local.get $top)
         (then
            (call $arena_restore (local.get $top) (i32.load offset=20 (local.get $slot)))
            (i32.store offset=16 (local.get $slot) (i32.const 0))
            (i32.store offset=20 (local.get $slot) (i32.const 0)))))

   ;; The exception a failed Rust call left in the error slot, as a value (the slot cleared). The
   ;; glue's body reads it while its frame still holds the arena and leaves the frame; its
   ;; primitive, which the engine inlines into the OCaml caller, raises it (src/build/glue/wat.ts:
   ;; a throw that leaves a function costs ~11 us in SpiderMonkey).
   (func $error_exn (export "oiw_error_exn") (result (ref eq))
      (local $slot i32) (local $kind i32) (local $msg (ref $bytes)) (local $exn (ref null eq))
      (local.set $slot (call $error_slot))
      (local.set $kind (i32.load (local.get $slot)))
      (i32.store (local.get $slot) (i32.const 0))
      ;; an OCaml exception Rust passed on: the same exception again (its message unread)
      (if (i32.and (i32.eq (local.get $kind) (global.get $KIND_OCAML_EXCEPTION))
                   (i32.ne (i32.load offset=12 (local.get $slot)) (i32.const 0)))
         (then (return (call $decode (i32.load offset=12 (local.get $slot))))))
      (local.set $msg (call $string_from_mem (i32.load offset=4 (local.get $slot))
                          (i32.load offset=8 (local.get $slot))))
      (if (i32.eq (local.get $kind) (global.get $KIND_RUST_PANIC))
         (then
            (local.set $exn (call $caml_named_value (global.get $rust_panic_exn_name)))
            (if (i32.eqz (ref.is_null (local.get $exn)))
               (then
                  (return
                     (array.new_fixed $block 3 (ref.i31 (i32.const 0))
                        (ref.as_non_null (local.get $exn)) (local.get $msg)))))))
      (array.new_fixed $block 3 (ref.i31 (i32.const 0))
         (array.get $block (global.get $caml_global_data)
            (select (global.get $INVALID_ARGUMENT_EXN) (global.get $FAILURE_EXN)
               (i32.eq (local.get $kind) (global.get $KIND_INVALID_ARGUMENT))))
         (local.get $msg)))
   ;; (wasm_of_ocaml's fail.wat: the predefined exceptions' places in caml_global_data)
   (global $FAILURE_EXN i32 (i32.const 3))
   (global $INVALID_ARGUMENT_EXN i32 (i32.const 4))

   ;; raises the exception a failed Rust call left in the error slot (the glue leaves the frame)
   (func $raise_error (export "oiw_raise_error")
      (throw $ocaml_exception (call $error_exn)))

   (@string $rust_panic_exn_name "rust_panic_exn")
)
