;; Test-only primitives: reach the wire-format encoder/decoder and the shared memory from OCaml.
(module
   (import "env" "oiw_rust_memory" (memory $mem 1))
   (import "env" "oiw_encode" (func $encode (param (ref eq)) (result i32)))
   (import "env" "oiw_decode" (func $decode (param i32) (result (ref eq))))
   (import "env" "oiw_alloc" (func $alloc (param i32) (result i32)))
   (import "env" "oiw_arena_top" (func $arena_top (result i32)))
   (type $bytes (array (mut i8)))

   ;; words are 32-bit, OCaml ints 31-bit: they travel through memory
   (func (export "oiw_test_encode_to") (param $v (ref eq)) (param $at (ref eq)) (result (ref eq))
      (local $w i32)
      (local.set $w (call $encode (local.get $v)))
      (i32.store (i31.get_s (ref.cast (ref i31) (local.get $at))) (local.get $w))
      (ref.i31 (i32.const 0)))
   (func (export "oiw_test_decode_at") (param $at (ref eq)) (result (ref eq))
      (call $decode (i32.load (i31.get_s (ref.cast (ref i31) (local.get $at))))))
   (func (export "oiw_test_alloc") (param $n (ref eq)) (result (ref eq))
      (ref.i31 (call $alloc (i31.get_s (ref.cast (ref i31) (local.get $n))))))
   (func (export "oiw_test_top") (param (ref eq)) (result (ref eq))
      (ref.i31 (call $arena_top)))
   ;; the memory's size in bytes (the fuzz puts its region at the end, where a read past it traps)
   (func (export "oiw_test_memory_size") (param (ref eq)) (result (ref eq))
      (ref.i31 (i32.shl (memory.size) (i32.const 16))))
   ;; the bytes [p, p + n) of the shared memory, as a string
   (func (export "oiw_test_read") (param $p (ref eq)) (param $n (ref eq)) (result (ref eq))
      (local $s (ref $bytes)) (local $i i32) (local $a i32) (local $len i32)
      (local.set $a (i31.get_s (ref.cast (ref i31) (local.get $p))))
      (local.set $len (i31.get_s (ref.cast (ref i31) (local.get $n))))
      (local.set $s (array.new $bytes (i32.const 0) (local.get $len)))
      (block $done
         (loop $l
            (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
            (array.set $bytes (local.get $s) (local.get $i)
               (i32.load8_u (i32.add (local.get $a) (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
      (local.get $s))
   ;; writes a string's bytes at p
   (func (export "oiw_test_write") (param $p (ref eq)) (param $v (ref eq)) (result (ref eq))
      (local $s (ref $bytes)) (local $i i32) (local $a i32)
      (local.set $a (i31.get_s (ref.cast (ref i31) (local.get $p))))
      (local.set $s (ref.cast (ref $bytes) (local.get $v)))
      (block $done
         (loop $l
            (br_if $done (i32.ge_u (local.get $i) (array.len (local.get $s))))
            (i32.store8 (i32.add (local.get $a) (local.get $i))
               (array.get_u $bytes (local.get $s) (local.get $i)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
      (ref.i31 (i32.const 0)))
)
