(* What test_wire and test_fuzz share: the test primitives (test_prims.wat) over the encoder and
   decoder, and the value words they exchange with them. *)

external encode_to : Obj.t -> int -> unit = "oiw_test_encode_to"
external decode_at : int -> Obj.t = "oiw_test_decode_at"
external alloc : int -> int = "oiw_test_alloc"
external arena_top : unit -> int = "oiw_test_top"
external read : int -> int -> string = "oiw_test_read"
external write : int -> string -> unit = "oiw_test_write"
external memory_size : unit -> int = "oiw_test_memory_size"

(* words are 32-bit, OCaml ints 31-bit: words are int32 here, and cross through a scratch slot in
   memory (set [slot] to an address of 8 bytes before the first call) *)
let slot = ref 0

let encode x =
  encode_to x !slot;
  Bytes.get_int32_le (Bytes.of_string (read !slot 4)) 0

let decode (w : int32) =
  let b = Bytes.create 4 in
  Bytes.set_int32_le b 0 w;
  write !slot (Bytes.to_string b);
  decode_at !slot

(* the tests' counts: each check passes, or prints its name *)
let passed = ref 0
let failed = ref 0

let check name cond =
  if cond then incr passed
  else (
    incr failed;
    Printf.printf "FAILED: %s\n%!" name)
