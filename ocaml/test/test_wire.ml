(* The OCaml side of the wire format (the encoder and decoder of ocaml/ocaml-interop-web,
   ocaml_interop_encode.wat and ocaml_interop_decode.wat) against the shared vectors
   (wire-format/vectors/v1.json): encoding must give the vectors' bytes, and decoding them must
   give back the value. *)
open Js_of_ocaml
open Wire_test

let hex_bytes h =
  let h = String.concat "" (String.split_on_char ' ' h) in
  String.init
    (String.length h / 2)
    (fun i -> Char.chr (int_of_string ("0x" ^ String.sub h (2 * i) 2)))

let get o k = Js.Unsafe.get o (Js.string k)
let has o k = Js.Optdef.test (Js.Unsafe.get o (Js.string k) : _ Js.optdef)
let num o k = Js.float_of_number (get o k)
let str o k = Js.to_string (get o k)
let arr o k = Array.to_list (Js.to_array (get o k))

(* a bigarray of kind [name] holding the elements of the bytes [d] *)
let bigarray name d : Obj.t =
  let module A = Bigarray.Array1 in
  let mk kind size get =
    let n = String.length d / size in
    let a = A.create kind Bigarray.c_layout n in
    for i = 0 to n - 1 do
      A.set a i (get (Bytes.of_string d) (i * size))
    done;
    Obj.repr a
  in
  match name with
  | "float32" ->
      mk Bigarray.float32 4 (fun b o ->
          Int32.float_of_bits (Bytes.get_int32_le b o))
  | "float64" ->
      mk Bigarray.float64 8 (fun b o ->
          Int64.float_of_bits (Bytes.get_int64_le b o))
  | "int8_signed" -> mk Bigarray.int8_signed 1 Bytes.get_int8
  | "int8_unsigned" -> mk Bigarray.int8_unsigned 1 Bytes.get_uint8
  | "int16_signed" -> mk Bigarray.int16_signed 2 Bytes.get_int16_le
  | "int16_unsigned" -> mk Bigarray.int16_unsigned 2 Bytes.get_uint16_le
  | "int32" -> mk Bigarray.int32 4 Bytes.get_int32_le
  | "int64" -> mk Bigarray.int64 8 Bytes.get_int64_le
  | "nativeint" ->
      mk Bigarray.nativeint 4 (fun b o ->
          Nativeint.of_int32 (Bytes.get_int32_le b o))
  | "char" -> mk Bigarray.char 1 Bytes.get
  | k -> failwith ("no bigarray kind " ^ k)

(* the OCaml closure of the vectors: the first closure encoded gets handle 0, generation 1 *)
let closure0 = Obj.repr (fun (x : int) -> x + 0)

(* the OCaml value a vector describes *)
let rec value o : Obj.t =
  if has o "bigarray" then
    bigarray (str o "bigarray") (hex_bytes (str o "data"))
  else if has o "dynbox" then begin
    (* OCaml's wrapper of a Rust value: an abstract block [id; generation low; high] *)
    let b = Obj.new_block Obj.abstract_tag 3 in
    List.iteri
      (fun i x ->
        Obj.set_field b i (Obj.repr (int_of_float (Js.float_of_number x))))
      (arr o "dynbox");
    b
  end
  else if has o "closure" then
    if str o "closure" = "ocaml" then closure0
    else Obj.repr (fun (x : int) -> x)
      (* a Rust closure: checked by its box, below *)
  else if has o "int" then Obj.repr (int_of_float (num o "int"))
  else if has o "string" then Obj.repr (hex_bytes (str o "string"))
  else if has o "float" then Obj.repr (num o "float")
  else if has o "floats" then
    Obj.repr (Array.of_list (List.map Js.float_of_number (arr o "floats")))
  else if has o "int32" then Obj.repr (Int32.of_string (str o "int32"))
  else if has o "int64" then Obj.repr (Int64.of_string (str o "int64"))
  else if has o "nativeint" then
    Obj.repr (Nativeint.of_string (str o "nativeint"))
  else begin
    let fields = arr o "fields" in
    let b = Obj.new_block (int_of_float (num o "block")) (List.length fields) in
    List.iteri (fun i f -> Obj.set_field b i (value f)) fields;
    b
  end

let word (root : float) =
  Int32.of_float (if root >= 2147483648. then root -. 4294967296. else root)

let set_u32 s off v = Bytes.set_int32_le s off (Int32.of_int v)
let get_u32 s off = Int32.to_int (Bytes.get_int32_le s off) land 0xffffffff

(* the vector's bytes for an arena region starting at [start] *)
let relocated v base start =
  let b = Bytes.of_string (hex_bytes (str v "bytes")) in
  List.iter
    (fun off ->
      let off = int_of_float (Js.float_of_number off) in
      set_u32 b off (get_u32 b off + start - base))
    (arr v "relocs");
  let root = num v "root" in
  let root =
    if Float.rem root 2. = 1. then root else root +. float (start - base)
  in
  (Bytes.to_string b, word root)

(* structural equality on the representation, floats compared by their bits (-0.0 <> 0.0) *)
let rec same_value a b =
  if Obj.is_int a || Obj.is_int b then
    Obj.is_int a && Obj.is_int b && (Obj.obj a : int) = Obj.obj b
  else
    let t = Obj.tag a in
    t = Obj.tag b
    &&
    if t = Obj.string_tag then (Obj.obj a : string) = Obj.obj b
    else if t = Obj.double_tag then
      Int64.bits_of_float (Obj.obj a) = Int64.bits_of_float (Obj.obj b)
    else if t = Obj.double_array_tag then (Obj.obj a : float array) = Obj.obj b
    else if t = Obj.custom_tag then compare a b = 0
    else
      Obj.size a = Obj.size b
      && List.for_all
           (fun i -> same_value (Obj.field a i) (Obj.field b i))
           (List.init (Obj.size a) Fun.id)

let () =
  let json =
    Js.Unsafe.meth_call
      (Js.Unsafe.get Js.Unsafe.global "JSON")
      "parse"
      [| Js.Unsafe.inject (Js.Unsafe.get Js.Unsafe.global "__oiw_vectors") |]
  in
  check "version 1" (num json "version" = 1.);
  let base = int_of_float (num json "base") in
  slot := alloc 8;
  let vectors = arr json "vectors" in
  check "enough vectors" (List.length vectors > 15);
  let side dir v =
    (not (has v "sides"))
    || List.exists (fun s -> Js.to_string s = "ocaml") (arr (get v "sides") dir)
  in
  let rejected v = has v "rejected" in
  let encoded = ref 0 and decoded = ref 0 in
  List.iter
    (fun v ->
      let name = str v "name" in
      let x = if rejected v then Obj.repr 0 else value (get v "value") in
      (* encode: the arena must start a fresh aligned region for a byte-exact comparison *)
      if side "encode" v && not (rejected v) then begin
        incr encoded;
        let start = alloc 8 + 8 in
        let w = encode x in
        let want, root = relocated v base start in
        let len = String.length want in
        if len > 0 then begin
          check (name ^ ": root") (w = root);
          check (name ^ ": bytes") (read start len = want);
          check (name ^ ": size") (arena_top () = start + len)
        end
        else check (name ^ ": immediate") (w = root)
      end;
      (* decode the relocated bytes *)
      if side "decode" v then begin
        incr decoded;
        let len = String.length (hex_bytes (str v "bytes")) in
        let at = alloc (max len 8) in
        let want, root = relocated v base at in
        write at want;
        if rejected v then
          check (name ^ ": refused")
            (match decode root with _ -> false | exception Failure _ -> true)
        else if
          has (get v "value") "closure"
          && str (get v "value") "closure" = "rust"
        then begin
          (* a Rust closure becomes a function holding its box (the host claims it) *)
          let f = decode root in
          let o = get v "value" in
          let g = arr o "generation" in
          let last =
            Js.Unsafe.get Js.Unsafe.global (Js.string "__oiw_last_box")
          in
          check (name ^ ": a function") (Obj.tag f = Obj.closure_tag);
          check (name ^ ": its box")
            (List.map Js.float_of_number (Array.to_list (Js.to_array last))
            = [
                num o "id";
                Js.float_of_number (List.nth g 0);
                Js.float_of_number (List.nth g 1);
              ])
        end
        else if has (get v "value") "closure" then
          check (name ^ ": decode") (decode root == x)
        else check (name ^ ": decode") (same_value (decode root) x)
      end)
    vectors;
  (* every vector of OCaml's sides was checked (a kind it lacked would have failed) *)
  let count dir =
    List.length
      (List.filter
         (fun v -> side dir v && not (dir = "encode" && rejected v))
         vectors)
  in
  check
    (Printf.sprintf "vectors encoded: %d of %d" !encoded (count "encode"))
    (!encoded = count "encode" && !encoded >= 45);
  check
    (Printf.sprintf "vectors decoded: %d of %d" !decoded (count "decode"))
    (!decoded = count "decode" && !decoded >= 55);
  Printf.printf "ocaml wire vectors: %d encoded, %d decoded\n%!" !encoded
    !decoded;
  (* invalid words are rejected with an exception, never read blindly *)
  check "misaligned word"
    (match decode 4l with _ -> false | exception Failure _ -> true);
  check "word past the memory"
    (match decode 0x7ffffff8l with _ -> false | exception Failure _ -> true);
  let bad = alloc 16 in
  write bad "\251\000\000\000\001\000\000\000";
  check "abstract tag"
    (match decode (Int32.of_int bad) with
    | _ -> false
    | exception Failure _ -> true);
  (* long lists do not deepen the stack *)
  let l = List.init 200_000 (fun i -> i) in
  check "long list round trip" (Obj.obj (decode (encode (Obj.repr l))) = l);
  (* cyclic values are refused, never encoded until the arena is full *)
  let rec cyc = 1 :: 2 :: cyc in
  check "cyclic list"
    (match encode (Obj.repr cyc) with
    | _ -> false
    | exception Invalid_argument m ->
        m
        = "ocaml-interop: the value is cyclic (a cycle along the last fields \
           of its blocks)");
  (* a cycle found only after a long prefix, and long lists of every parity near the point
     where cycle detection starts, are told apart *)
  let prefix = List.init 70_000 (fun i -> i) in
  let rec loop3 = 7 :: 8 :: 9 :: loop3 in
  let long_cyc = Obj.repr prefix in
  let rec last b =
    let t = Obj.field b 1 in
    if Obj.is_int t then b else last t
  in
  Obj.set_field (last long_cyc) 1 (Obj.repr loop3);
  check "cycle after 70,000 elements"
    (match encode long_cyc with
    | _ -> false
    | exception Invalid_argument _ -> true);
  List.iter
    (fun n ->
      let l = List.init n (fun i -> i) in
      check
        (Printf.sprintf "list of %d round trip" n)
        (Obj.obj (decode (encode (Obj.repr l))) = l))
    [ 65_535; 65_536; 65_537; 65_538; 131_073 ];
  let r = ref (Obj.repr 0) in
  r := Obj.repr (r, 1);
  check "cyclic through a ref (first field)"
    (match encode (Obj.repr r) with
    | _ -> false
    | exception Invalid_argument _ -> true);
  let deep = Obj.new_block 0 2 in
  Obj.set_field deep 0 deep;
  Obj.set_field deep 1 (Obj.repr 0);
  check "cycle through a non-last field"
    (match encode deep with _ -> false | exception Invalid_argument _ -> true);
  (* nesting through non-last fields: 900 deep crosses *)
  let rec nest n =
    if n = 0 then Obj.repr 0 else Obj.repr (Some (nest (n - 1)), 0)
  in
  check "900 deep through first fields"
    (match encode (nest 900) with _ -> true | exception _ -> false);
  check "after a cycle, encoding works"
    (Obj.obj (decode (encode (Obj.repr [ 1; 2 ]))) = [ 1; 2 ]);
  (* the nesting limit (docs/wire-format.md): 1000 levels through first fields cross both ways,
     one more is refused by the encoder and by the decoder, with the limit in the message *)
  let first n =
    let v = ref (Obj.repr 0) in
    for _ = 1 to n do
      v := Obj.repr (!v, 0)
    done;
    !v
  in
  let rec depth v = if Obj.is_int v then 0 else 1 + depth (Obj.field v 0) in
  check "1000 deep through first fields crosses"
    (depth (decode (encode (first 1000))) = 1000);
  let too_deep =
    "ocaml-interop: nested deeper than 1000 levels through fields other than a \
     block's last (the nesting limit of the wire format; is the value cyclic?)"
  in
  check "1001 deep is refused by the encoder"
    (match encode (first 1001) with
    | _ -> false
    | exception Invalid_argument m -> m = too_deep);
  check "100000 deep is refused by the encoder"
    (match encode (first 100_000) with
    | _ -> false
    | exception Invalid_argument m -> m = too_deep);
  (* a wire value Rust could write by hand: 1001 blocks [next; 0], each in field 0 of the one
     after it *)
  let chain n =
    let at = alloc (16 * n) in
    let b = Bytes.make (16 * n) '\000' in
    for i = 0 to n - 1 do
      set_u32 b ((16 * i) + 4) 2;
      set_u32 b ((16 * i) + 8) (if i = 0 then 1 else at + (16 * (i - 1)));
      set_u32 b ((16 * i) + 12) 1
    done;
    write at (Bytes.to_string b);
    Int32.of_int (at + (16 * (n - 1)))
  in
  check "a wire value 1000 deep decodes" (depth (decode (chain 1000)) = 1000);
  check "a wire value 1001 deep is refused by the decoder"
    (match decode (chain 1001) with
    | _ -> false
    | exception Failure m -> m = too_deep);
  check "after the limit, decoding works"
    (Obj.obj (decode (encode (Obj.repr [ 3; 4 ]))) = [ 3; 4 ]);
  (* closures cross by handle: the same closure comes back *)
  let f = fun x -> x + 1 in
  check "closure by handle" (decode (encode (Obj.repr f)) == Obj.repr f);
  Printf.printf "ocaml wire tests: %d passed, %d failed\n%!" !passed !failed;
  if !failed > 0 then exit 1
