(* OCaml side of the conformance app: every Rust identity function, registered so that TS can
   send a value OCaml -> Rust -> OCaml ("via_rust_<t>"), and OCaml identity functions that Rust
   calls ("ocaml_id_<t>"). *)

external id_unit : unit -> unit = "id_unit"
external id_int : int -> int = "id_int"
external id_bool : bool -> bool = "id_bool"
external id_float : float -> float = "id_float"
external id_string : string -> string = "id_string"
external id_bytes : bytes -> bytes = "id_bytes"
external id_char : char -> char = "id_char"
external id_int32 : int32 -> int32 = "id_int32"
external id_int64 : int64 -> int64 = "id_int64"
external id_nativeint : nativeint -> nativeint = "id_nativeint"
external id_int_option : int option -> int option = "id_int_option"
external id_int_list : int list -> int list = "id_int_list"
external id_string_list : string list -> string list = "id_string_list"
external id_float_array : float array -> float array = "id_float_array"

external id_option_array : int option array -> int option array
  = "id_option_array"

external id_tuple3 : int * string * float -> int * string * float = "id_tuple3"
external id_result : (int, string) result -> (int, string) result = "id_result"

external id_nested :
  (int64 * string list) list option -> (int64 * string list) list option
  = "id_nested"

external id_tuple10 :
  int * int * int * int * int * int * int * int * int * string ->
  int * int * int * int * int * int * int * int * int * string = "id_tuple10"

external sum_list_raw : int list -> int = "sum_list_raw"
external describe_exn : exn -> string option * string option = "describe_exn"
external rust_round_trips : int -> int -> string = "rust_round_trips"

exception My_error of string
exception With_int of int

open Bigarray

type f64s = (float, float64_elt, c_layout) Array1.t

external id_f64_bigarray : f64s -> f64s = "id_f64_bigarray"

external id_u8_bigarray :
  (int, int8_unsigned_elt, c_layout) Array1.t ->
  (int, int8_unsigned_elt, c_layout) Array1.t = "id_u8_bigarray"

external id_i32_bigarray :
  (int32, int32_elt, c_layout) Array1.t -> (int32, int32_elt, c_layout) Array1.t
  = "id_i32_bigarray"

external id_i64_bigarray :
  (int64, int64_elt, c_layout) Array1.t -> (int64, int64_elt, c_layout) Array1.t
  = "id_i64_bigarray"

external id_isize_bigarray :
  (nativeint, nativeint_elt, c_layout) Array1.t ->
  (nativeint, nativeint_elt, c_layout) Array1.t = "id_isize_bigarray"

external id_i16_bigarray :
  (int, int16_signed_elt, c_layout) Array1.t ->
  (int, int16_signed_elt, c_layout) Array1.t = "id_i16_bigarray"

external id_f32_bigarray :
  (float, float32_elt, c_layout) Array1.t ->
  (float, float32_elt, c_layout) Array1.t = "id_f32_bigarray"

external shared_make : int -> f64s = "shared_make"
external shared_get : int -> float = "shared_get"
external shared_set : int -> float -> unit = "shared_set"
external ba_sum : f64s -> float = "ba_sum"
external ba_len : f64s -> int = "ba_len"
external shared_sum_native : unit -> float = "shared_sum_native"
external grow_memory : int -> int = "grow_memory"
external keep_bigarray : f64s -> unit = "keep_bigarray"
external kept_bigarray_sum : unit -> float = "kept_bigarray_sum"
external rooted_ba_make : int -> f64s = "rooted_ba_make"
external rooted_ba_read : int -> float = "rooted_ba_read"
external rooted_ba_drop : unit -> int = "rooted_ba_drop"
external live_bigarray_buffers : unit -> int = "live_bigarray_buffers"

type counter

external counter_new : int -> counter = "counter_new"
external counter_incr : counter -> int = "counter_incr"
external box_as_string : counter -> string = "box_as_string"

type drop_panics

external drop_panics_new : int -> drop_panics = "drop_panics_new"
external box_stats : unit -> int * int = "box_stats"
external box_dropped_unclaimed : unit -> unit = "box_dropped_unclaimed"

external mix7 :
  int -> string -> float -> int list -> bool -> string option -> int64 -> string
  = "mix7"

external rust_reenter : int -> string -> string = "rust_reenter"

external grow_during_call : string -> int -> string * int list
  = "grow_during_call"

external call_js_catching : string -> (string, string) result
  = "call_js_catching"

external call_js_plain : string -> string = "call_js_plain"
external try_forms : string -> string = "try_forms"
external plain_form : string -> string = "plain_form"

external prim_mix :
  (int64[@unboxed]) ->
  (int32[@unboxed]) ->
  (float[@unboxed]) ->
  (int[@untagged]) ->
  (bool[@untagged]) ->
  (int64[@unboxed]) = "prim_mix_byte" "prim_mix"
[@@noalloc]

external prim_i32 : (int32[@unboxed]) -> int32 -> (int32[@unboxed])
  = "prim_i32" "prim_i32"

external prim_f64 : float -> float = "prim_f64" "prim_f64"
[@@unboxed] [@@noalloc]

external prim_isize : (int[@untagged]) -> (bool[@untagged]) -> (int[@untagged])
  = "prim_isize" "prim_isize"

(* OCaml calling the page's JS function directly (js_of_ocaml) *)
let js_hook (s : string) : string =
  Js_of_ocaml.Js.to_string
    (Js_of_ocaml.Js.Unsafe.fun_call
       (Js_of_ocaml.Js.Unsafe.get Js_of_ocaml.Js.Unsafe.global
          "conformanceJsHook")
       [| Js_of_ocaml.Js.Unsafe.inject (Js_of_ocaml.Js.string s) |])

(* wasm_of_ocaml (6.4.1) cannot link an external whose result type is a function type: the
   build's type check still compares arities, so declare the result as a function inside a
   one-field record or use Obj.t and cast, as here *)
external make_adder_raw : int -> Obj.t = "make_adder"
external make_shouter_raw : unit -> Obj.t = "make_shouter"

let make_adder (n : int) : int -> int -> int = Obj.obj (make_adder_raw n)
let make_shouter () : string -> string = Obj.obj (make_shouter_raw ())

external call_and_reraise : (int -> int) -> int -> int = "call_and_reraise"
external checked_sqrt : float -> float = "checked_sqrt"

exception Mine of int * string

external apply_twice : (int -> int) -> int -> int = "apply_twice"

external apply7 :
  (int -> int -> int -> int -> int -> int -> int -> string) -> string = "apply7"

external try_apply : (string -> string) -> string -> (string, string) result
  = "try_apply"

external keep_closure : (int -> int) -> int = "keep_closure"
external call_kept : int -> int = "call_kept"
external drop_kept : unit -> unit = "drop_kept"

type point = { x : float; y : float }

type shape =
  | Empty
  | Circle of point * float
  | Rect of { w : float; h : float }
  | Poly of (float * float) list
  | Nothing

type color = [ `Red | `Green | `rgb of int * int * int | `Named of string ]

type item = {
  id : int;
  name : string;
  shape : shape;
  color : color;
  tags : string list;
  parent : int option;
}

external id_point : point -> point = "id_point"
external id_shape : shape -> shape = "id_shape"
external id_color : color -> color = "id_color"
external id_item : item -> item = "id_item"
external id_items : item list -> item list = "id_items"
external shape_area : shape -> float = "shape_area"
external rust_recurse_forever : int -> int = "rust_recurse_forever"
external rust_trap : int -> int = "rust_trap"

external shared_make :
  int -> (float, Bigarray.float64_elt, Bigarray.c_layout) Bigarray.Array1.t
  = "shared_make"

external shared_drop : unit -> unit = "shared_drop"
external alloc_fill : int -> float -> int -> float = "alloc_fill"

(* A shared view outlives Rust's buffer and a re-created Rust instance: what OCaml writes
   through it never reaches a value Rust made since, and its data stays intact. *)
let () =
  Callback.register "view_outlives_buffer" (fun (trap : unit -> unit) ->
      let v = shared_make 4096 in
      shared_drop ();
      (* Rust allocates 64 vectors of the same size: none may land on v's buffer *)
      let s1 = alloc_fill 4096 1.0 64 in
      v.{0} <- 1000.0;
      v.{4095} <- 1000.0;
      let s2 = alloc_fill 4096 1.0 0 in
      (* a trap re-creates the Rust instance; its heap must keep clear of v's buffer too (TS
         calls the trapping export: a trap under OCaml's own call would end this function) *)
      trap ();
      let s3 = alloc_fill 4096 2.0 64 in
      v.{1} <- 1000.0;
      let s4 = alloc_fill 4096 2.0 0 in
      Printf.sprintf "%g %g %g %g | %g %g %g %g" s1 s2 s3 s4 v.{0} v.{1} v.{2}
        v.{4095})

let () =
  (* exceptions whose message does not start with their name *)
  Callback.register "raise_assert_failure" (fun () ->
      assert (Sys.opaque_identity false);
      0);
  Callback.register "raise_match_failure" (fun n ->
      match Sys.opaque_identity n with 0 -> 1);
  Callback.register "raise_not_found" (fun () -> raise Not_found);
  Callback.register "raise_failure" (fun s -> failwith s);
  (* an allocation too large for the engine: wasm_of_ocaml raises Invalid_argument *)
  Callback.register "ocaml_exhaust_memory" (fun () ->
      Array.length (Array.make Sys.max_array_length 0));
  (* a trap inside OCaml code (a wrong Obj.magic: the engine's cast fails) *)
  Callback.register "ocaml_illegal_cast" (fun () ->
      String.length (Obj.magic 0 : string));
  (* a trap in Rust: OCaml cannot catch it (no wasm code can); it reaches the nearest caller
     outside OCaml (here Rust, through the host: wb_trap_under_lock) *)
  Callback.register "trap_rust_from_ocaml" (fun () ->
      match rust_trap 0 with
      | n -> "no trap " ^ string_of_int n
      | exception Failure m -> "caught " ^ List.hd (String.split_on_char '(' m))

(* a function the page calls (Js.wrap_callback: wasm_of_ocaml's caml_callback, which the loader
   guards): a trap in the Rust function it calls reaches the page as RustPanic *)
let () =
  Js_of_ocaml.Js.export "conformanceTrapFromCallback"
    (Js_of_ocaml.Js.wrap_callback (fun (kind : int) -> rust_trap kind))

(* non-tail recursion without bound: the engine's stack overflows in OCaml *)
let rec ocaml_depth n = if n < 0 then 0 else 1 + ocaml_depth (n + 1)

let () =
  Callback.register "via_rust_unit" id_unit;
  Callback.register "via_rust_int" id_int;
  Callback.register "via_rust_bool" id_bool;
  Callback.register "via_rust_float" id_float;
  Callback.register "via_rust_string" id_string;
  Callback.register "via_rust_bytes" id_bytes;
  Callback.register "via_rust_char" id_char;
  Callback.register "via_rust_int32" id_int32;
  Callback.register "via_rust_int64" id_int64;
  Callback.register "via_rust_nativeint" id_nativeint;
  Callback.register "via_rust_int_option" id_int_option;
  Callback.register "via_rust_int_list" id_int_list;
  Callback.register "via_rust_string_list" id_string_list;
  Callback.register "via_rust_float_array" id_float_array;
  Callback.register "via_rust_option_array" id_option_array;
  Callback.register "via_rust_tuple3" id_tuple3;
  Callback.register "via_rust_result" id_result;
  Callback.register "via_rust_nested" id_nested;
  Callback.register "via_rust_tuple10" id_tuple10;
  Callback.register "sum_list_raw" sum_list_raw;
  Callback.register "via_rust_point" id_point;
  Callback.register "via_rust_shape" id_shape;
  Callback.register "via_rust_color" id_color;
  Callback.register "via_rust_item" id_item;
  Callback.register "via_rust_items" id_items;
  Callback.register "records_and_variants" (fun () ->
      let items =
        [
          {
            id = 1;
            name = "disc";
            shape = Circle ({ x = 0.; y = 1. }, 2.);
            color = `Red;
            tags = [ "round" ];
            parent = None;
          };
          {
            id = 2;
            name = "box";
            shape = Rect { w = 3.; h = 4. };
            color = `rgb (1, 2, 3);
            tags = [];
            parent = Some 1;
          };
          {
            id = 3;
            name = "tri";
            shape = Poly [ (0., 0.); (4., 0.); (0., 3.) ];
            color = `Named "teal";
            tags = [ "a"; "b" ];
            parent = Some 2;
          };
          {
            id = 4;
            name = "none";
            shape = Empty;
            color = `Green;
            tags = [];
            parent = None;
          };
          {
            id = 5;
            name = "nothing";
            shape = Nothing;
            color = `Green;
            tags = [];
            parent = None;
          };
        ]
      in
      let same =
        id_items items = items && List.for_all (fun i -> id_item i = i) items
      in
      let areas = List.map (fun i -> shape_area i.shape) items in
      (same, String.concat " " (List.map (Printf.sprintf "%.2f") areas)));
  Callback.register "rust_round_trips" rust_round_trips;
  Callback.register "closure_tests" (fun () ->
      (* each step in order (list elements are evaluated right to left, so use lets) *)
      let base = Ocaml_interop_web.live_handles () in
      let counter = ref 0 in
      let r1 = string_of_int (apply_twice (fun x -> x * 3) 2) in
      let r2 =
        string_of_int
          (apply_twice
             (fun x ->
               incr counter;
               x + !counter)
             10)
      in
      let r3 =
        apply7 (fun a b c d e f g ->
            String.concat "," (List.map string_of_int [ a; b; c; d; e; f; g ]))
      in
      let show = function Ok s -> "ok " ^ s | Error e -> "error " ^ e in
      let r4 = show (try_apply String.uppercase_ascii "abc") in
      let r5 = show (try_apply (fun _ -> failwith "boom") "x") in
      let r6 = show (try_apply (fun _ -> raise Not_found) "x") in
      (* handles made for a call are released when it returns *)
      let r7 =
        "live after calls "
        ^ string_of_int (Ocaml_interop_web.live_handles () - base)
      in
      (* rooted closures outlive the call that passed them *)
      let r8 = string_of_int (keep_closure (fun x -> x + 1)) in
      let r9 = string_of_int (keep_closure (fun x -> x * 100)) in
      let r10 =
        "live while kept "
        ^ string_of_int (Ocaml_interop_web.live_handles () - base)
      in
      let r11 = string_of_int (call_kept 5) in
      drop_kept ();
      let r12 =
        "live after drop "
        ^ string_of_int (Ocaml_interop_web.live_handles () - base)
      in
      String.concat "; " [ r1; r2; r3; r4; r5; r6; r7; r8; r9; r10; r11; r12 ]);
  Callback.register "bigarray_tests" (fun () ->
      let step name ok = name ^ if ok then " ok" else " FAILED" in
      let a = Array1.of_array Float64 C_layout [| 1.5; -2.; 1e300 |] in
      let r1 =
        step "copy f64" (id_f64_bigarray a = a && id_f64_bigarray a != a)
      in
      let b = Array1.of_array Int8_unsigned C_layout [| 0; 255; 7 |] in
      let r2 = step "copy u8" (id_u8_bigarray b = b) in
      let c = Array1.of_array Int32 C_layout [| Int32.min_int; 5l |] in
      let r3 = step "copy i32" (id_i32_bigarray c = c) in
      let r3 =
        r3 ^ "; "
        ^ step "copy i64"
            (let x =
               Array1.of_array Int64 C_layout
                 [| Int64.min_int; 1L; Int64.max_int |]
             in
             id_i64_bigarray x = x)
        ^ "; "
        ^ step "copy nativeint"
            (let x = Array1.of_array Nativeint C_layout [| -1n; 7n |] in
             id_isize_bigarray x = x)
        ^ "; "
        ^ step "copy i16"
            (let x =
               Array1.of_array Int16_signed C_layout [| -32768; 32767 |]
             in
             id_i16_bigarray x = x)
        ^ "; "
        ^ step "copy f32"
            (let x = Array1.of_array Float32 C_layout [| 1.5; -0.25 |] in
             id_f32_bigarray x = x)
      in
      let e = Array1.create Float64 C_layout 0 in
      let r4 = step "empty" (Array1.dim (id_f64_bigarray e) = 0) in
      (* a view on Rust's buffer: both sides read and write the same memory *)
      let v = shared_make 1000 in
      v.{0} <- 42.;
      let r5 = step "OCaml writes, Rust reads" (shared_get 0 = 42.) in
      shared_set 1 7.;
      let r6 = step "Rust writes, OCaml reads" (v.{1} = 7.) in
      let r7 =
        step "zero-copy sum"
          (ba_sum v = 42. +. 7. +. (0.5 *. float (999 * 1000 / 2)) -. 0.5)
      in
      (* growth of Rust's memory leaves the view valid *)
      let before = grow_memory 0 in
      let after = grow_memory 32 in
      v.{2} <- 3.;
      let r8 =
        step
          (Printf.sprintf "view survives growth (%d -> %d MiB)" before after)
          (after > before
          && v.{1} = 7.
          && shared_get 2 = 3.
          && Array1.dim v = 1000)
      in
      (* a rooted copy keeps its data after the call *)
      keep_bigarray (Array1.of_array Float64 C_layout [| 1.; 2.; 3. |]);
      ignore
        (id_f64_bigarray
           (Array1.of_array Float64 C_layout (Array.make 1000 9.)));
      let r9 = step "rooted copy" (kept_bigarray_sum () = 6.) in
      String.concat "; " [ r1; r2; r3; r4; r5; r6; r7; r8; r9 ]);
  Callback.register "dynbox_tests" (fun () ->
      let live0, dropped0 = box_stats () in
      let c = counter_new 10 in
      let a = counter_incr c in
      let b = counter_incr c in
      let live1, _ = box_stats () in
      Ocaml_interop_web.release c;
      let live2, dropped2 = box_stats () in
      box_dropped_unclaimed ();
      let live3, dropped3 = box_stats () in
      (* the last two checks panic in Rust, which re-creates the Rust instance *)
      let after =
        match counter_incr c with _ -> "no error" | exception Failure m -> m
      in
      let wrong =
        match box_as_string (counter_new 1) with
        | _ -> "no error"
        | exception Failure m -> m
      in
      Printf.sprintf
        "incr %d %d; live +%d; released: live +%d dropped +%d; unclaimed: live \
         +%d dropped +%d; after release: %s; wrong type: %s"
        a b (live1 - live0) (live2 - live0) (dropped2 - dropped0)
        (live3 - live0) (dropped3 - dropped0) after wrong);
  (* releasing a box whose Drop panics: the panic is the console's, not this call's *)
  Callback.register "dynbox_drop_panic" (fun n ->
      let b = drop_panics_new n in
      Ocaml_interop_web.release b;
      let c = counter_new n in
      counter_incr c);
  (* boxes left to the GC: made here, collected later (the test forces a GC) *)
  Callback.register "dynbox_garbage" (fun n ->
      for i = 1 to n do
        ignore (counter_incr (counter_new i))
      done);
  Callback.register "box_stats" box_stats;
  Callback.register "ocaml_may_fail" (fun s ->
      if s = "fail" then failwith "asked to fail"
      else if s = "mine" then raise (My_error "custom")
      else if s = "nf" then raise Not_found
      else if s = "withint" then raise (With_int 10)
      else if s = "quote" then failwith "a \"quoted\" \\ message"
      else String.uppercase_ascii s);
  Callback.register "try_form_tests" (fun () ->
      let plain =
        match plain_form "fail" with
        | _ -> "no error"
        | exception Failure m -> m
      in
      (* the model's texts: Some "..." for a one-string exception, None otherwise *)
      let plain_of s =
        match plain_form s with _ -> "no error" | exception Failure m -> m
      in
      String.concat " | "
        [
          try_forms "ok";
          try_forms "fail";
          try_forms "mine";
          try_forms "nf";
          plain_form "abc";
          plain;
          plain_of "mine";
          plain_of "nf";
          plain_of "withint";
          plain_of "quote";
        ]);
  Callback.register "prim_tests" (fun () ->
      let r1 = prim_mix 1_000_000_000_000L (-7l) 2.9 40 false in
      let r2 = prim_mix Int64.max_int 1l 0. 0 false in
      let r3 = prim_mix 5L 0l 0. 0 true in
      let r4 = prim_i32 65536l 65536l in
      let r5 = prim_f64 1.25 in
      let r6 = prim_isize (-21) true in
      let r7 =
        match prim_isize (1 lsl 29) true with
        | n -> string_of_int n
        | exception Invalid_argument m -> m
        | exception Failure m -> m
      in
      (* a wrongly typed value through Obj.magic is refused, never misread *)
      let r8 =
        match prim_i32 (Obj.magic 3) 1l with
        | _ -> "no error"
        | exception Invalid_argument m -> m
      in
      Printf.sprintf "%Ld %Ld %Ld %ld %g %d | %s | %s" r1 r2 r3 r4 r5 r6 r7 r8);
  Callback.register "js_error_tests" (fun () ->
      let direct_ok = js_hook "x" in
      let direct =
        match js_hook "throw 1" with
        | _ -> "no error"
        | exception Js_of_ocaml.Js_error.Exn e -> Js_of_ocaml.Js_error.message e
      in
      let catching_ok =
        match call_js_catching "y" with Ok s -> s | Error e -> "Error " ^ e
      in
      let catching =
        match call_js_catching "throw 2" with Ok s -> "Ok " ^ s | Error e -> e
      in
      let plain =
        match call_js_plain "throw 3" with
        | _ -> "no error"
        | exception Failure m -> m
      in
      let after = call_js_plain "z" in
      String.concat " | "
        [ direct_ok; direct; catching_ok; catching; plain; after ]);
  (* a JS error that OCaml does not catch *)
  Callback.register "js_error_uncaught" (fun () -> js_hook "throw 4");
  (* a stack overflow in Rust, a trap, passes OCaml by (no wasm code can catch it) to the TS
     caller; one in OCaml, called from TS, escapes *)
  Callback.register "ocaml_recurse_forever" (fun n -> ocaml_depth n);
  Callback.register "stack_overflow_tests" (fun () ->
      let from_rust =
        try string_of_int (rust_recurse_forever 0)
        with e -> Printexc.to_string e
      in
      let after = id_string "after" in
      from_rust ^ " | " ^ after);
  (* a bigarray view of a buffer Rust shares: shared memory where the engine can make it
     survive growth, a copy elsewhere; both read Rust's values and stay readable after growth *)
  Callback.register "shared_bigarray_facts" (fun () ->
      let v = shared_make 1000 in
      let initial =
        Array1.dim v = 1000 && v.{0} = 0. && v.{1} = 0.5 && v.{999} = 499.5
      in
      v.{0} <- 42.;
      let rust_sees = shared_get 0 = 42. in
      shared_set 1 7.;
      let ocaml_sees = v.{1} = 7. in
      let own_sum = ref 0. in
      for i = 0 to Array1.dim v - 1 do
        own_sum := !own_sum +. v.{i}
      done;
      let sum = ba_sum v = !own_sum in
      let before = grow_memory 0 in
      let after = grow_memory 32 in
      let readable =
        after > before && Array1.dim v = 1000 && v.{0} = 42. && v.{999} = 499.5
      in
      v.{998} <- -1.;
      let writable = v.{998} = -1. && ba_sum v = !own_sum -. 499. -. 1. in
      Printf.sprintf
        "Rust's values %b; Rust sees OCaml's write %b; OCaml sees Rust's write \
         %b; sum %b; readable after growth %b; writable after growth %b"
        initial rust_sees ocaml_sees sum readable writable);
  Callback.register "grow_during_call" (fun mib ->
      let s = String.init 5000 (fun i -> Char.chr (32 + (i mod 90))) in
      let s', xs = grow_during_call s mib in
      s' = s && xs = List.init 1000 Fun.id);
  (* many calls passing records and strings; e2e checks that memory and tables stay flat *)
  Callback.register "soak" (fun n ->
      let ok = ref 0 in
      for i = 1 to n do
        let it =
          {
            id = i;
            name = "item " ^ string_of_int i;
            shape = Rect { w = 1.; h = float i };
            color = `Named "c";
            tags = [ "t"; string_of_int i ];
            parent = Some i;
          }
        in
        if id_item it = it && id_string it.name = it.name then incr ok
      done;
      !ok);
  (* OCaml -> Rust -> OCaml -> ... : each Rust level appends "r", each OCaml level "o" *)
  Callback.register "ocaml_reenter" (fun n trail ->
      rust_reenter n (trail ^ "o"));
  Callback.register "reentrancy_tests" (fun depth ->
      let expect = String.concat "" (List.init depth (fun _ -> "ro")) ^ "." in
      (* the OCaml value rooted by this frame survives the whole descent *)
      let mine = List.init 50 (fun i -> string_of_int i) in
      let got = rust_reenter depth "" in
      let r1 = if got = expect then "ok" else Printf.sprintf "got %S" got in
      let r2 =
        if mine = List.init 50 string_of_int then "ok"
        else "OCaml value changed"
      in
      (* a panic at the bottom unwinds every level and reaches this handler *)
      let r3 =
        match rust_reenter depth "!" with
        | _ -> "no error"
        | exception Failure m -> m
      in
      Printf.sprintf "%s %s %s" r1 r2 r3);
  Callback.register "mix7" (fun () ->
      mix7 (-5) "é" 2.5 [ 1; 2; 3 ] true (Some "x") Int64.min_int);
  Callback.register "rust_closure_tests" (fun () ->
      let add = make_adder 100 in
      let r1 = add 1 2 in
      let add5 = add 5 in
      let r2 = add5 10 in
      let r3 = List.map (add 0) [ 1; 2; 3 ] in
      let shout = make_shouter () in
      let r4 = shout "hello" in
      let r5 =
        match shout "panic" with _ -> "no error" | exception Failure m -> m
      in
      let r6 = (make_adder 1) 1 1 in
      (* OCaml passes the Rust closure back to Rust, which calls it through try_call *)
      let r7 =
        match apply_twice (add 1) 10 with
        | n -> string_of_int n
        | exception Failure m -> "gone: " ^ m
      in
      Printf.sprintf "%d %d [%s] %s / %s / %d %s" r1 r2
        (String.concat ";" (List.map string_of_int r3))
        r4 r5 r6 r7);
  Callback.register "rust_closure_debug" (fun () ->
      let add = make_adder 100 in
      let a = apply_twice (add 1) 10 in
      let b = (add 1) 10 in
      let c = apply_twice (fun x -> add 1 x) 10 in
      Printf.sprintf "%d %d %d" a b c);
  Callback.register "rust_closure_garbage" (fun n ->
      for i = 1 to n do
        ignore ((make_adder i) 1 1)
      done);
  Callback.register "exception_identity_tests" (fun () ->
      let catch f =
        match f () with
        | n -> "value " ^ string_of_int n
        | exception Not_found -> "Not_found caught by its own handler"
        | exception Mine (n, s) ->
            Printf.sprintf "Mine (%d, %S) caught by its own handler" n s
        | exception Failure m -> "Failure " ^ m
        | exception e -> "other: " ^ Printexc.to_string e
      in
      let r1 = catch (fun () -> call_and_reraise (fun x -> x + 1) 41) in
      let r2 =
        catch (fun () -> call_and_reraise (fun _ -> raise Not_found) 0)
      in
      let r3 =
        catch (fun () -> call_and_reraise (fun x -> raise (Mine (x, "deep"))) 7)
      in
      (* nested: the exception crosses Rust twice *)
      let r4 =
        catch (fun () ->
            call_and_reraise
              (fun x -> call_and_reraise (fun _ -> raise (Mine (x, "twice"))) 0)
              9)
      in
      let r5 =
        match checked_sqrt (-4.) with
        | _ -> "no error"
        | exception Failure m -> "Failure " ^ m
      in
      String.concat "; " [ r1; r2; r3; r4; r5 ]);
  (* many closures, none kept: the handle table stays flat *)
  Callback.register "closure_churn" (fun n ->
      let base = Ocaml_interop_web.live_handles () in
      for i = 1 to n do
        ignore (apply_twice (fun x -> x + i) 0)
      done;
      Ocaml_interop_web.live_handles () - base);
  (* OCaml identity functions Rust calls *)
  Callback.register "ocaml_id_int_list" (fun (x : int list) -> x);
  Callback.register "ocaml_id_nested"
    (fun (x : (int64 * string list) list option) -> x);
  Callback.register "ocaml_id_tuple3" (fun (x : int * string * float) -> x);
  Callback.register "ocaml_id_float_array" (fun (x : float array) -> x);
  Callback.register "ocaml_id_result" (fun (x : (int, string) result) -> x);
  (* exceptions as values *)
  Callback.register "describe_exns" (fun () ->
      let show (n, m) =
        Option.value n ~default:"-" ^ "/" ^ Option.value m ~default:"-"
      in
      String.concat "; "
        (List.map
           (fun e -> show (describe_exn e))
           [
             Failure "boom"; Not_found; My_error "mine"; Invalid_argument "arg";
           ]));
  (* OCaml checks its own round trips: every value must come back structurally equal *)
  Callback.register "ocaml_round_trips" (fun () ->
      let checks =
        [
          id_int_list [ 1; -2; max_int; min_int ] = [ 1; -2; max_int; min_int ];
          id_string_list [ "a"; ""; "\xff\xfe" ] = [ "a"; ""; "\xff\xfe" ];
          (let a = id_float_array [| 1.5; nan; -0. |] in
           Array.length a = 3 && Float.is_nan a.(1) && 1. /. a.(2) < 0.);
          id_float_array [||] = [||];
          id_option_array [| Some 1; None; Some (-1) |]
          = [| Some 1; None; Some (-1) |];
          id_int64 Int64.min_int = Int64.min_int;
          id_int32 Int32.max_int = Int32.max_int;
          id_nativeint (-5n) = -5n;
          id_char '\255' = '\255';
          id_nested (Some [ (3L, [ "x"; "y" ]); (-4L, []) ])
          = Some [ (3L, [ "x"; "y" ]); (-4L, []) ];
          id_tuple10 (1, 2, 3, 4, 5, 6, 7, 8, 9, "ten")
          = (1, 2, 3, 4, 5, 6, 7, 8, 9, "ten");
          id_result (Error "e") = Error "e";
          sum_list_raw (List.init 10_000 (fun i -> i)) = 49995000;
        ]
      in
      (List.length (List.filter Fun.id checks), List.length checks))

(* the model's own tests, ported (model_0_12.ml, model_main.ml) *)
let () =
  Model_0_12.linked;
  Model_main.linked;
  Unwinding.linked;
  Async_calls.linked;
  Bare_calls.linked;
  Adversarial.linked

(* A bigarray Rust rooted and OCaml share its data, as in the model: OCaml's writes are what
   Rust reads through the root, and OCaml's bigarray stays valid after Rust drops the root. *)
let () =
  Callback.register "shared_root_tests" (fun () ->
      let ba = rooted_ba_make 4 in
      let before = rooted_ba_read 1 in
      ba.{1} <- 42.;
      let seen = rooted_ba_read 1 in
      ignore (rooted_ba_drop ());
      let after_drop = rooted_ba_read 1 in
      ba.{3} <- 9.;
      Printf.sprintf "%g %g %g [%g %g %g %g]" before seen after_drop ba.{0}
        ba.{1} ba.{2} ba.{3});
  Callback.register "live_bigarray_buffers" live_bigarray_buffers

(* Values that are awkward in JS: field names such as __proto__ and tag, nested options, deep and
   cyclic trees (e2e/hostile.spec.ts) *)
type odd = {
  __proto__ : int;
  constructor : string;
  tag : string;
  some : int option option;
}

type tagged =
  | Plain
  | Labeled of { tag : string; args : int; fields : string list }
  | Wrapped of odd

type tree = Leaf | Node of tree * int * tree

external id_odd : odd -> odd = "id_odd"
external id_tagged : tagged -> tagged = "id_tagged"
external id_tree : tree -> tree = "id_tree"
external id_unit_option : unit option -> unit option = "id_unit_option"

external id_opt_opt_int : int option option -> int option option
  = "id_opt_opt_int"

external id_opt3_int : int option option option -> int option option option
  = "id_opt3_int"

external id_opt_opt_unit : unit option option -> unit option option
  = "id_opt_opt_unit"

external id_opt_opt_list : int option option list -> int option option list
  = "id_opt_opt_list"

external tree_depth : tree -> int = "tree_depth"

let () =
  Callback.register "via_rust_odd" id_odd;
  Callback.register "via_rust_tagged" id_tagged;
  Callback.register "via_rust_tree" id_tree;
  Callback.register "via_rust_unit_option" id_unit_option;
  Callback.register "via_rust_opt_opt_int" id_opt_opt_int;
  Callback.register "via_rust_opt3_int" id_opt3_int;
  Callback.register "via_rust_opt_opt_unit" id_opt_opt_unit;
  Callback.register "via_rust_opt_opt_list" id_opt_opt_list;
  (* OCaml's own nesting limit, when OCaml sends a tree to Rust: a left-deep tree of n nodes *)
  Callback.register "ocaml_deep_tree_to_rust" (fun n ->
      let rec build t i =
        if i = n then t else build (Node (t, i, Leaf)) (i + 1)
      in
      match tree_depth (build Leaf 0) with
      | d -> "depth " ^ string_of_int d
      | exception Invalid_argument msg -> "Invalid_argument: " ^ msg);
  (* what OCaml received: every nesting of an int option option option *)
  Callback.register "show_opt3_int" (fun (x : int option option option) ->
      match x with
      | None -> "None"
      | Some None -> "Some None"
      | Some (Some None) -> "Some (Some None)"
      | Some (Some (Some n)) -> "Some (Some (Some " ^ string_of_int n ^ "))")

(* closures and Rust values from TypeScript (e2e/ts-values.spec.ts) *)
let () = Ts_values.register ()
