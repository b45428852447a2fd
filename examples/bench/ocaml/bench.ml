(* Benchmark workloads, OCaml side. The page (src/bench/main.ts) times these loops. *)
open Js_of_ocaml

(* runs [f] n times; how many times it returned true *)
let loop n f =
  let ok = ref 0 in
  for _ = 1 to n do
    if f () then incr ok
  done;
  !ok

external bench_incr : int -> int = "bench_incr"
external bench_echo : string -> string = "bench_echo"

let incr_loop n =
  let acc = ref 0 in
  for _ = 1 to n do
    acc := bench_incr !acc
  done;
  !acc

let strings = Hashtbl.create 4

(* an ASCII string of [size] bytes, made once *)
let string_of_size size =
  match Hashtbl.find_opt strings size with
  | Some s -> s
  | None ->
      let s = String.init size (fun i -> Char.chr (97 + (i mod 26))) in
      Hashtbl.add strings size s;
      s

let echo_loop size n =
  let s = string_of_size size in
  loop n (fun () -> String.length (bench_echo s) = size)

let () =
  Callback.register "bench_incr_loop" incr_loop;
  Callback.register "bench_echo_loop" echo_loop;
  Callback.register "bench_ocaml_incr" (fun n -> n + 1);
  (* the W1_rust_to_ocaml_int baseline: JS calls the same OCaml function through wrap_callback *)
  Js.export "benchOCamlIncr" (Js.wrap_callback (fun (n : int) -> n + 1))

(* ---- W4 ---- *)
external bench_int_list : int list -> int list = "bench_int_list"
external bench_float_array : float array -> float array = "bench_float_array"

let glue () = Js.Unsafe.get Js.Unsafe.global "__benchGlue"
let int_list = List.init 10_000 (fun i -> (i * 7) - 5000)

let int_list_loop n =
  loop n (fun () -> List.length (bench_int_list int_list) = 10_000)

(* the baseline: copy the list into an Int32 Bigarray (a JS Int32Array), pass it through
   wasm-bindgen, and read the result back into a list *)
let int_list_js_loop n =
  loop n (fun () ->
      let ba = Bigarray.Array1.create Bigarray.int32 Bigarray.c_layout 10_000 in
      List.iteri
        (fun i x -> Bigarray.Array1.unsafe_set ba i (Int32.of_int x))
        int_list;
      let ta =
        Typed_array.from_genarray Typed_array.Int32_signed
          (Bigarray.genarray_of_array1 ba)
      in
      let r =
        Js.Unsafe.meth_call (glue ()) "wb_int_vec" [| Js.Unsafe.inject ta |]
      in
      let back = Bigarray.array1_of_genarray (Typed_array.to_genarray r) in
      let l =
        List.init (Bigarray.Array1.dim back) (fun i ->
            Int32.to_int (Bigarray.Array1.unsafe_get back i))
      in
      List.length l = 10_000)

let floats = Array.init 1_000_000 (fun i -> float i *. 0.5)

let float_array_loop n =
  loop n (fun () -> Array.length (bench_float_array floats) = 1_000_000)

let float_array_js_loop n =
  loop n (fun () ->
      let ba =
        Bigarray.Array1.create Bigarray.float64 Bigarray.c_layout 1_000_000
      in
      Array.iteri (fun i x -> Bigarray.Array1.unsafe_set ba i x) floats;
      let ta =
        Typed_array.from_genarray Typed_array.Float64
          (Bigarray.genarray_of_array1 ba)
      in
      let r =
        Js.Unsafe.meth_call (glue ()) "wb_f64_vec" [| Js.Unsafe.inject ta |]
      in
      let back = Bigarray.array1_of_genarray (Typed_array.to_genarray r) in
      let a =
        Array.init (Bigarray.Array1.dim back) (fun i ->
            Bigarray.Array1.unsafe_get back i)
      in
      Array.length a = 1_000_000)

(* ---- W5 ---- *)
type shape = Circle of float | Rect of { w : float; h : float }
type color = [ `Red | `Rgb of int * int * int ]
type item = { name : string; shape : shape; color : color }

external bench_records : item list -> item list = "bench_records"

let items =
  List.init 1000 (fun i ->
      {
        name = Printf.sprintf "item %d" i;
        shape =
          (if i mod 2 = 0 then Circle (float i)
           else Rect { w = float i; h = 2. });
        color = (if i mod 3 = 0 then `Red else `Rgb (i mod 256, 0, 255));
      })

let records_loop n = loop n (fun () -> List.length (bench_records items) = 1000)

(* the baseline: records as JS objects in serde's shape, through serde-wasm-bindgen *)
let inj = Js.Unsafe.inject

let to_js it =
  let shape =
    match it.shape with
    | Circle r -> Js.Unsafe.obj [| ("Circle", inj (Js.number_of_float r)) |]
    | Rect { w; h } ->
        Js.Unsafe.obj
          [|
            ( "Rect",
              inj
                (Js.Unsafe.obj
                   [|
                     ("w", inj (Js.number_of_float w));
                     ("h", inj (Js.number_of_float h));
                   |]) );
          |]
  in
  let color =
    match it.color with
    | `Red -> inj (Js.string "Red")
    | `Rgb (r, g, b) ->
        inj (Js.Unsafe.obj [| ("Rgb", inj (Js.array [| r; g; b |])) |])
  in
  Js.Unsafe.obj
    [|
      ("name", inj (Js.string it.name)); ("shape", inj shape); ("color", color);
    |]

let of_js o =
  let get k = Js.Unsafe.get o k in
  let shape =
    let s = get "shape" in
    if Js.Optdef.test (Js.Unsafe.get s "Circle" : _ Js.optdef) then
      Circle (Js.float_of_number (Js.Unsafe.get s "Circle"))
    else
      let r = Js.Unsafe.get s "Rect" in
      Rect
        {
          w = Js.float_of_number (Js.Unsafe.get r "w");
          h = Js.float_of_number (Js.Unsafe.get r "h");
        }
  in
  let c = get "color" in
  let color =
    if Js.to_string (Js.typeof c) = "string" then `Red
    else
      let a = Js.to_array (Js.Unsafe.get c "Rgb") in
      `Rgb (a.(0), a.(1), a.(2))
  in
  { name = Js.to_string (get "name"); shape; color }

let records_js_loop n =
  loop n (fun () ->
      let arr = Js.array (Array.of_list (List.map to_js items)) in
      let r = Js.Unsafe.meth_call (glue ()) "wb_items" [| inj arr |] in
      let back = List.map of_js (Array.to_list (Js.to_array r)) in
      List.length back = 1000)

let () =
  Callback.register "bench_int_list_loop" int_list_loop;
  Callback.register "bench_int_list_js_loop" int_list_js_loop;
  Callback.register "bench_float_array_loop" float_array_loop;
  Callback.register "bench_float_array_js_loop" float_array_js_loop;
  Callback.register "bench_records_loop" records_loop;
  Callback.register "bench_records_js_loop" records_js_loop

(* ---- W8 ---- *)
type f64s = (float, Bigarray.float64_elt, Bigarray.c_layout) Bigarray.Array1.t

external bench_shared : int -> f64s = "bench_shared"
external bench_ba_sum : f64s -> float = "bench_ba_sum"
external bench_ba_len : f64s -> int = "bench_ba_len"
external bench_native_sum : int -> float = "bench_native_sum"

let big = lazy (bench_shared 1_000_000) (* buffer 0 *)
let small = lazy (bench_shared 1) (* buffer 1 *)

let () =
  Callback.register "bench_ba_sum_loop" (fun n ->
      let v = Lazy.force big in
      loop n (fun () -> bench_ba_sum v >= 0.));
  Callback.register "bench_native_sum_loop" (fun n ->
      ignore (Lazy.force big);
      loop n (fun () -> bench_native_sum 0 >= 0.));
  Callback.register "bench_ba_len_big_loop" (fun n ->
      let v = Lazy.force big in
      loop n (fun () -> bench_ba_len v = 1_000_000));
  Callback.register "bench_ba_len_small_loop" (fun n ->
      ignore (Lazy.force big);
      let v = Lazy.force small in
      loop n (fun () -> bench_ba_len v = 1))

(* ---- W6, W7, W9 ---- *)
external bench_closure_loop : (int -> int) -> int -> int = "bench_closure_loop"
external bench_reraise : (unit -> unit) -> unit = "bench_reraise"

type box

external bench_box_new : int -> box = "bench_box_new"
external bench_panic : int -> int = "bench_panic"
external bench_error : int -> int = "bench_error"

exception Rust_panic of string

let () = Callback.register_exception "rust_panic_exn" (Rust_panic "")
let raise_exit () = raise Exit
let raise_exit = Sys.opaque_identity raise_exit
let raise_panic n = raise (Rust_panic (string_of_int n))
let raise_panic = Sys.opaque_identity raise_panic
let fail_locally _ = failwith "bench error"
let fail_locally = Sys.opaque_identity fail_locally

let () =
  Callback.register "bench_closure_cb_loop" (fun n ->
      bench_closure_loop (fun x -> x + 1) n);
  Callback.register "bench_exn_loop" (fun n ->
      loop n (fun () ->
          try
            bench_reraise raise_exit;
            false
          with Exit -> true));
  Callback.register "bench_exn_local_loop" (fun n ->
      loop n (fun () ->
          try
            raise_exit ();
            false
          with Exit -> true));
  Callback.register "bench_error_loop" (fun n ->
      loop n (fun () ->
          try
            ignore (bench_error 1);
            false
          with Failure _ -> true));
  Callback.register "bench_error_local_loop" (fun n ->
      loop n (fun () ->
          try
            ignore (fail_locally 1);
            false
          with Failure _ -> true));
  Callback.register "bench_panic_loop" (fun n ->
      loop n (fun () ->
          try
            ignore (bench_panic 1);
            false
          with Rust_panic _ -> true));
  Callback.register "bench_panic_local_loop" (fun n ->
      loop n (fun () -> try raise_panic 1 with Rust_panic _ -> true));
  Callback.register "bench_box_loop" (fun n ->
      for i = 1 to n do
        Ocaml_interop_web.release (bench_box_new i)
      done;
      n)

(* soak: one million calls passing a record and a string to Rust and getting a record back *)
external bench_soak : item -> string -> item = "bench_soak"

let () =
  Callback.register "bench_soak_loop" (fun n ->
      let items = Array.of_list items in
      let i = ref 0 in
      loop n (fun () ->
          incr i;
          let it = items.(!i mod 1000) in
          let s = string_of_int !i in
          let r = bench_soak it s in
          r.name = it.name ^ s && r.shape = it.shape && r.color = it.color))

(* W12_async_roundtrip: what Rust's async export awaits, a promise already resolved *)
let () =
  Callback.register "bench_resolved" (fun (n : int) ->
      Ocaml_interop_web.Promise.resolved n)
