(* Closures and Rust values from TypeScript (e2e/ts-values.spec.ts): OCaml functions that take
   a JS function, return closures, and pass Rust values (DynBox) TS gave them on to Rust. *)

type counter

external counter_incr : counter -> int = "counter_incr"
external apply_twice : (int -> int) -> int -> int = "apply_twice"
external make_adder_raw : int -> Obj.t = "make_adder"

let kept : (int -> int) list ref = ref []

(* called by conformance.ml (a module nothing refers to is not linked) *)
let register () =
  (* TS -> OCaml: a JS function applied by OCaml, fully and partially *)
  Callback.register "ts_apply" (fun (f : int -> int) x -> f x);
  Callback.register "ts_apply_partial" (fun (f : int -> string -> string) ->
      let g = f 7 in
      g "a" ^ "|" ^ g "b");
  (* TS -> OCaml -> Rust: OCaml passes the JS function on to a Rust export *)
  Callback.register "ts_via_rust" (fun (f : int -> int) x -> apply_twice f x);
  (* a JS exception in OCaml: Failure with the JS error's text, which OCaml can catch *)
  Callback.register "ts_catch" (fun (f : int -> int) ->
      match f 1 with
      | n -> "no exception: " ^ string_of_int n
      | exception Failure m -> "Failure: " ^ m);
  (* a JS function OCaml keeps past the call *)
  Callback.register "ts_keep" (fun (f : int -> int) ->
      kept := f :: !kept;
      List.length !kept);
  Callback.register "ts_call_kept" (fun x ->
      List.fold_left (fun acc f -> acc + f x) 0 !kept);
  Callback.register "ts_drop_kept" (fun () -> kept := []);
  (* OCaml -> TS: closures OCaml returns (its own, and a Rust closure it holds) *)
  Callback.register "ts_make_multiplier" (fun n -> fun x -> x * n);
  Callback.register "ts_make_rust_adder" (fun n : (int -> int -> int) ->
      Obj.obj (make_adder_raw n));
  (* a closure that takes a closure *)
  Callback.register "ts_make_applier" (fun () ->
      fun (f : int -> int) x -> f (f x));
  (* TS -> OCaml -> Rust: a DynBox TS holds, passed on to Rust by OCaml *)
  Callback.register "ts_box_incr" (fun (c : counter) -> counter_incr c);
  Callback.register "ts_box_id" (fun (c : counter) -> c)
