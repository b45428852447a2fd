(* Fuzzing of the OCaml decoder ($decode of ocaml/ocaml-interop-web/ocaml_interop_decode.wat).
   (a) Random bytes (plain, and with plausible headers and addresses), and valid encodings with
   words overwritten, in a region at the end of the memory, decoded from a root word: the
   outcome is a value or the decoder's own exception (Failure, Invalid_argument), or for a
   bigarray the host's refusal, never a trap, a hang or another exception. A read past the region is a read past the memory, which traps
   and ends the test (the host then prints the case); the bytes below the region are guard
   words, two fillings of which must give the same outcome; a decoded value that encodes again
   must decode to itself. (b) Random values of several kinds, encoded then decoded, must come
   back equal. The counts are printed ("ocaml decoder fuzz: ..."). It found two bugs, fixed
   since: a string or float array size that wrapped the decoder's bound check (sizes >=
   0xfffffff8 or >= 0x1fffffff, which then trapped in array.new), and the encoder reading field
   2 of a tag-248 block shorter than that (an i32.or evaluates both operands). *)
open Js_of_ocaml
open Wire_test

let region = 4096
let guard = 4096
let cases = 3000
let round_trips = 2000
let failed = ref 0

let fail fmt =
  Printf.ksprintf
    (fun m ->
      incr failed;
      print_endline ("FAILED: " ^ m))
    fmt

(* The decoder leaves a bigarray's kind and bounds to the host (oiw_ba_view, oiw_ba_fill), which
   throws, as the TS host's Bridge.baView does: an unknown kind is refused, data outside the
   memory is a typed array's RangeError. Those errors reach OCaml as Js_error.Exn: refused, but
   by the host (counted apart). *)
type outcome =
  | Value of Obj.t
  | Refused of string
  | Host of string
  | Other of string

let outcome w =
  match decode w with
  | v -> Value v
  | exception Failure m -> Refused ("Failure " ^ m)
  | exception Invalid_argument m -> Refused ("Invalid_argument " ^ m)
  | exception Js_error.Exn e
    when Js_error.name e = "RangeError"
         || String.starts_with ~prefix:"standalone_host: bigarray kind"
              (Js_error.message e) ->
      Host (Js_error.name e ^ ": " ^ Js_error.message e)
  | exception e -> Other (Printexc.to_string e)

(* equality on the representation (floats by their bits), iterating along the last field as
   the decoder does, so a long decoded chain costs no stack *)
let rec same a b =
  if Obj.is_int a || Obj.is_int b then
    Obj.is_int a && Obj.is_int b && (Obj.obj a : int) = Obj.obj b
  else
    let t = Obj.tag a in
    let bits x = Int64.bits_of_float x in
    t = Obj.tag b
    &&
    if t = Obj.string_tag then (Obj.obj a : string) = Obj.obj b
    else if t = Obj.double_tag then bits (Obj.obj a) = bits (Obj.obj b)
    else if t = Obj.double_array_tag then
      let a : float array = Obj.obj a and b : float array = Obj.obj b in
      Array.length a = Array.length b
      && Array.for_all2 (fun x y -> bits x = bits y) a b
    else if t = Obj.custom_tag then compare a b = 0
    else if t = Obj.closure_tag then
      true (* a decoded Rust closure is a new function *)
    else
      let n = Obj.size a in
      n = Obj.size b
      && List.for_all
           (fun i -> same (Obj.field a i) (Obj.field b i))
           (List.init (max 0 (n - 1)) Fun.id)
      && (n = 0 || same (Obj.field a (n - 1)) (Obj.field b (n - 1)))

let same_outcome a b =
  match (a, b) with
  | Value x, Value y -> same x y
  | Refused m, Refused n | Host m, Host n -> m = n
  | _ -> false

let show = function
  | Value _ -> "a value"
  | Refused m -> m
  | Host m -> "the host's " ^ m
  | Other m -> "the exception " ^ m

(* ---- random words ---- *)
let w32 = Int32.of_int

let sizes =
  Array.map Int32.of_string
    [|
      "0";
      "1";
      "2";
      "3";
      "4";
      "5";
      "8";
      "16";
      "0x7fffffff";
      "0x80000000";
      "0xffffffff";
      "0xfffffff8";
      "0xfffffff9";
      "0xfffffffc";
      "0x40000000";
      "0x40000001";
      "0x3ffffffe";
      "0x20000000";
      "0x20000001";
      "0x1fffffff";
    |]

let tags = [| 0; 0; 0; 1; 2; 246; 247; 248; 250; 251; 252; 253; 254; 255 |]
let pick r a = a.(Random.State.int r (Array.length a))

(* an address in the region or up to 64 bytes past its end (past the memory) *)
let addr r base = w32 ((base + Random.State.int r (region + 64)) land lnot 7)

let plausible r base =
  match Random.State.int r 4 with
  | 0 -> addr r base
  | 1 -> w32 (Random.State.int r 64)
  | 2 -> pick r sizes
  | _ -> Random.State.bits32 r

(* the region's bytes: random, or words of which many are headers, addresses, small numbers *)
let random_region ?(len = region) r base ~plain =
  let b = Bytes.create len in
  let i = ref 0 in
  while !i < len do
    if plain then Bytes.set_int32_le b !i (Random.State.bits32 r)
    else if !i land 7 = 0 && Random.State.int r 10 < 3 then begin
      Bytes.set_int32_le b !i (w32 (pick r tags));
      Bytes.set_int32_le b (!i + 4)
        (if Random.State.bool r then w32 (Random.State.int r 6)
         else pick r sizes);
      i := !i + 4
    end
    else Bytes.set_int32_le b !i (plausible r base);
    i := !i + 4
  done;
  b

(* ---- random values ---- *)
let rec value r d : Obj.t =
  let n k = if d > 3 then 0 else Random.State.int r k in
  let block tag k =
    let b = Obj.new_block tag k in
    for i = 0 to k - 1 do
      Obj.set_field b i (value r (d + 1))
    done;
    b
  in
  let float () =
    match Random.State.int r 6 with
    | 0 -> pick r [| 0.; -0.; Float.nan; infinity; neg_infinity; 5e-324 |]
    | 1 -> Int64.float_of_bits (Random.State.int64 r Int64.max_int)
    | _ -> Random.State.float r 2e6 -. 1e6
  in
  match Random.State.int r (if d > 3 then 5 else 11) with
  | 0 ->
      Obj.repr
        (match Random.State.int r 8 with
        | 0 -> pick r [| min_int; max_int; 0; -1 |]
        | _ -> Random.State.bits r + if Random.State.bool r then min_int else 0)
  | 1 ->
      Obj.repr
        (String.init
           (Random.State.int r (if Random.State.int r 10 = 0 then 300 else 20))
           (fun _ -> Char.chr (Random.State.int r 256)))
  | 2 -> Obj.repr (float ())
  | 3 -> Obj.repr (Array.init (Random.State.int r 6) (fun _ -> float ()))
  | 4 -> (
      match Random.State.int r 3 with
      | 0 -> Obj.repr (Random.State.bits32 r)
      | 1 -> Obj.repr (Random.State.bits64 r)
      | _ -> Obj.repr (Nativeint.of_int32 (Random.State.bits32 r)))
  | 5 -> Obj.repr (List.init (n 6) (fun _ -> value r (d + 1)))
  | 6 -> block 0 (1 + Random.State.int r 4) (* a tuple, a record *)
  | 7 -> if Random.State.bool r then Obj.repr None else block 0 1 (* Some _ *)
  | 8 -> block 0 (n 5) (* an array of boxed values *)
  | 9 -> block (1 + Random.State.int r 5) (1 + Random.State.int r 3)
  | _ -> Obj.repr (Random.State.int r 4)
(* a constant constructor *)

(* a value's encoding laid out again to end at [top]: its bytes, its root word and its blocks'
   addresses. The blocks are copied from memory in pre-order, as the encoder writes them (an
   encoding may span two chunks of the arena), their addresses relocated. *)
let relocated x top =
  let root = encode x in
  let out = Buffer.create 256 and fixups = ref [] and blocks = ref [] in
  let is_addr w = Int32.logand w 1l = 0l && w <> 0l in
  let rec copy w =
    let head = Bytes.of_string (read w 8) in
    let tag = Bytes.get_uint8 head 0
    and n = Int32.to_int (Bytes.get_int32_le head 4) in
    let payload =
      match tag with
      | 252 -> n
      | 253 -> 8
      | 254 -> 8 * n
      | 255 -> 16
      | _ -> 4 * n
    in
    let b = Bytes.of_string (read w (8 + ((payload + 7) land lnot 7))) in
    let off = Buffer.length out in
    blocks := off :: !blocks;
    Buffer.add_bytes out b;
    if tag < 251 then
      for i = 0 to n - 1 do
        let f = Bytes.get_int32_le b (8 + (4 * i)) in
        if is_addr f then
          fixups := (off + 8 + (4 * i), copy (Int32.to_int f)) :: !fixups
      done;
    off
  in
  if not (is_addr root) then (Bytes.empty, root, [||])
  else begin
    ignore (copy (Int32.to_int root));
    let b = Buffer.to_bytes out in
    let dest = top - Bytes.length b in
    List.iter (fun (at, o) -> Bytes.set_int32_le b at (w32 (dest + o))) !fixups;
    (b, w32 dest, Array.of_list (List.map (( + ) dest) !blocks))
  end

(* the guard fillings: plausible words (headers, addresses into the region) that change the
   outcome of a decoder that reads them *)
let guard_bytes seed base =
  Bytes.to_string
    (random_region ~len:guard (Random.State.make [| seed |]) base ~plain:false)

let () =
  slot := alloc 8;
  let t0 = Sys.time () in
  let master = Random.State.make [| 20240601 |] in
  let counts =
    Array.make 3 (0, 0, 0)
    (* inputs, decoded, refused, by mode *)
  in
  let reencoded = ref 0 in
  let host = ref 0 in
  (* OIW_FUZZ_SEED=<seed> runs that case alone (the seed of a failing case is in its message) *)
  let only = Option.map int_of_string (Sys.getenv_opt "OIW_FUZZ_SEED") in
  for _ = 1 to if only = None then cases else 1 do
    let seed =
      match only with Some s -> s | None -> Random.State.bits master
    in
    let r = Random.State.make [| seed |] in
    let mode = Random.State.int r 3 in
    try
      (* the memory may have grown (the arena): the region is always its last [region] bytes *)
      let top = memory_size () in
      let base = top - region and glo = top - region - guard in
      Js.Unsafe.set Js.Unsafe.global
        (Js.string "__oiw_fuzz_case")
        (Js.string
           (Printf.sprintf "ocaml decoder fuzz, mode %d, seed %d" mode seed));
      let b = random_region r base ~plain:(mode = 0) in
      let root =
        if mode = 2 then begin
          (* a valid encoding at the region's end, then one to three words overwritten *)
          let x = value r 0 in
          let enc, root, blocks = relocated x top in
          let len = Bytes.length enc in
          if len > region then Random.State.bits32 r
          else begin
            Bytes.blit enc 0 b (region - len) len;
            for _ = 0 to Random.State.int r 3 do
              if Array.length blocks > 0 && Random.State.bool r then
                (* a block's size *)
                Bytes.set_int32_le b (pick r blocks - base + 4) (pick r sizes)
              else
                (* a word of the encoding (of the region, when the value is an immediate) *)
                let n = if len = 0 then region else len in
                Bytes.set_int32_le b
                  (region - n + (4 * Random.State.int r (n / 4)))
                  (plausible r base)
            done;
            root
          end
        end
        else if Random.State.int r 10 = 0 then Random.State.bits32 r
        else w32 (base + (8 * Random.State.int r (region / 8)))
      in
      (* addresses into the guard words are moved into the region: a decoder that reads only what
       the value's addresses reach then reads nothing there *)
      let remap w =
        let in_guard =
          Int32.unsigned_compare w (w32 glo) >= 0
          && Int32.unsigned_compare w (w32 base) < 0
        in
        if Int32.logand w 1l = 0l && in_guard then
          w32 (base + ((Int32.to_int w - glo) mod region))
        else w
      in
      for i = 0 to (region / 4) - 1 do
        Bytes.set_int32_le b (4 * i) (remap (Bytes.get_int32_le b (4 * i)))
      done;
      let root = remap root in
      write base (Bytes.to_string b);
      write glo (guard_bytes 1 base);
      let first = outcome root in
      write glo (guard_bytes (2 + (seed land 1)) base);
      let second = outcome root in
      let n, k, m = counts.(mode) in
      (match first with
      | Other e ->
          fail "mode %d, seed %d: not the decoder's error: %s" mode seed e
      | _ when not (same_outcome first second) ->
          fail "mode %d, seed %d: a read outside the region (%s, then %s)" mode
            seed (show first) (show second)
      | Value v -> (
          (* a decoded value that encodes again decodes to itself (no half-made block) *)
          match encode v with
          | w ->
              incr reencoded;
              if not (same_outcome (outcome w) first) then
                fail "mode %d, seed %d: decoded, encoded, decoded: not the same"
                  mode seed
          | exception Invalid_argument _ -> ())
      | Host _ -> incr host
      | Refused _ -> ());
      counts.(mode) <-
        ( n + 1,
          (k + match first with Value _ -> 1 | _ -> 0),
          m + match first with Refused _ | Host _ -> 1 | _ -> 0 )
    with e ->
      fail "mode %d, seed %d: the test raised %s" mode seed
        (Printexc.to_string e)
  done;
  Js.Unsafe.set Js.Unsafe.global (Js.string "__oiw_fuzz_case") Js.null;
  let t1 = Sys.time () in
  let trips = ref 0 in
  let master = Random.State.make [| 7 |] in
  for _ = 1 to round_trips do
    let seed = Random.State.bits master in
    let r = Random.State.make [| seed |] in
    let x = value r 0 in
    match outcome (encode x) with
    | Value y when same x y -> incr trips
    | o -> fail "round trip, seed %d: %s, not the value" seed (show o)
  done;
  let t2 = Sys.time () in
  let mode i name =
    let n, k, m = counts.(i) in
    Printf.sprintf "%s: %d inputs (%d decoded, %d refused)" name n k m
  in
  Printf.printf
    "ocaml decoder fuzz: %s; %s; %s; %d refused by the host (bigarrays); %d \
     decoded values encoded again (%.1f s); %d round trips of random values \
     (%.1f s)\n\
     %!"
    (mode 0 "random bytes") (mode 1 "plausible words")
    (mode 2 "mutated encodings")
    !host !reencoded (t1 -. t0) !trips (t2 -. t1);
  (* enough inputs decode, and enough are refused, for both properties to have been checked *)
  Array.iteri
    (fun i (n, k, m) ->
      if i > 0 && (k < n / 50 || m < n / 50) then
        fail "mode %d: too few inputs decoded (%d) or refused (%d) of %d" i k m
          n)
    counts;
  if !trips < round_trips then fail "round trips: %d of %d" !trips round_trips;
  if !failed > 0 then (
    Printf.printf "ocaml decoder fuzz: %d failed\n%!" !failed;
    exit 1)
