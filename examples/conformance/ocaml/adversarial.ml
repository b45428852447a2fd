(* The OCaml side of the adversarial suite (e2e/adversarial/*.spec.ts, issue 9): functions that
   keep values across calls (DynBoxes, Rust closures, rooted closures) so that they can be used
   after the Rust instance was re-created, deep values made in OCaml, faults inside OCaml (stack
   overflow, out of memory) called from Rust, Rust faults called from OCaml, forged and stale
   handles. Test code only: nothing here is an example to follow. *)

type nest = Leaf | Node of nest * int
type chain = End | Link of int * chain

external id_nest : nest -> nest = "id_nest"
external nest_make : int -> nest = "nest_make"
external nest_depth : nest -> int = "nest_depth"
external chain_len : chain -> int = "chain_len"
external chain_make : int -> chain = "chain_make"
external id_string : string -> string = "id_string"
external rust_reenter : int -> string -> string = "rust_reenter"
external rust_exhaust : unit -> unit = "rust_exhaust"
external make_recurser_raw : unit -> Obj.t = "make_recurser"
external forged_closure_call : int -> string = "forged_closure_call"
external closure_handle : (int -> int) -> int * int * int = "closure_handle"

external call_stale_handle : (int -> int) -> int * int * int -> int -> string
  = "call_stale_handle"

external ocaml_fault_try : int -> string = "ocaml_fault_try"

type counter

external counter_new : int -> counter = "counter_new"
external counter_incr : counter -> int = "counter_incr"
external forged_counter : int -> int -> counter = "forged_counter"
external make_adder_raw : int -> Obj.t = "make_adder"
external forged_rust_closure_raw : int -> int -> Obj.t = "forged_rust_closure"
external keep_closure : (int -> int) -> int = "keep_closure"

open Bigarray

type f64s = (float, float64_elt, c_layout) Array1.t

external shared_make : int -> f64s = "shared_make"

(* iterative: only the bridge's conversions may run out of stack *)
let make_nest d =
  let n = ref Leaf in
  for i = 0 to d - 1 do
    n := Node (!n, i)
  done;
  !n

let depth_of n =
  let rec go acc = function
    | Leaf -> acc
    | Node (inner, _) -> go (acc + 1) inner
  in
  go 0 n

let show_exn e = Printexc.to_string e

(* a value of the right type, or the exception it raised, as text *)
let attempt f = match f () with s -> s | exception e -> "raised " ^ show_exn e
let kept_counter = ref None
let new_counters = ref []
let kept_adder = ref None
let new_adders = ref []

let () =
  (* deep values, each way *)
  Callback.register "ocaml_nest_depth" depth_of;
  Callback.register "ocaml_make_nest" make_nest;
  Callback.register "adv_nest_ocaml_to_rust" (fun d ->
      attempt (fun () -> string_of_int (nest_depth (make_nest d))));
  Callback.register "adv_nest_rust_to_ocaml" (fun d ->
      attempt (fun () -> string_of_int (depth_of (nest_make d))));
  (* a chain through the last field: OCaml iterates along it; Rust's limit refuses it *)
  Callback.register "adv_chain_to_rust" (fun d ->
      let c = ref End in
      for i = 1 to d do
        c := Link (i, !c)
      done;
      attempt (fun () -> string_of_int (chain_len !c)));
  Callback.register "via_rust_chain" (fun c -> chain_len c);
  Callback.register "adv_chain_from_rust" (fun d ->
      attempt (fun () ->
          let rec len acc = function
            | End -> acc
            | Link (_, r) -> len (acc + 1) r
          in
          string_of_int (len 0 (chain_make d))));
  Callback.register "adv_nest_roundtrip" (fun d ->
      attempt (fun () -> string_of_int (depth_of (id_nest (make_nest d)))));
  (* DynBoxes and Rust closures kept across calls, used after the Rust instance was re-created *)
  Callback.register "adv_keep_counter" (fun n ->
      kept_counter := Some (counter_new n));
  Callback.register "adv_new_counter" (fun n ->
      new_counters := counter_new n :: !new_counters);
  Callback.register "adv_kept_counter_incr" (fun () ->
      match !kept_counter with
      | None -> "none kept"
      | Some c -> attempt (fun () -> "value " ^ string_of_int (counter_incr c)));
  Callback.register "adv_keep_adder" (fun n ->
      kept_adder := Some (Obj.obj (make_adder_raw n) : int -> int -> int));
  Callback.register "adv_new_adder" (fun n ->
      new_adders :=
        (Obj.obj (make_adder_raw n) : int -> int -> int) :: !new_adders);
  Callback.register "adv_kept_adder_call" (fun () ->
      match !kept_adder with
      | None -> "none kept"
      | Some f -> attempt (fun () -> "value " ^ string_of_int (f 1 1)));
  Callback.register "adv_forget_kept" (fun () ->
      kept_counter := None;
      new_counters := [];
      kept_adder := None;
      new_adders := []);
  (* OCaml closures that Rust roots (BoxRoot): the handle table across re-creations *)
  Callback.register "adv_keep_closures" (fun n ->
      for i = 1 to n do
        ignore (keep_closure (fun x -> x + i))
      done;
      Ocaml_interop_web.live_handles ());
  Callback.register "adv_live_handles" (fun () ->
      Ocaml_interop_web.live_handles ());
  (* the bench's soak (examples/bench/src/soak-faults.ts): n rounds of a DynBox made, used and
     released, and an OCaml closure Rust roots (3 calls into Rust each); Rust drops the
     closures afterwards (drop_kept) *)
  Callback.register "adv_soak_handles" (fun n ->
      for i = 1 to n do
        let c = counter_new i in
        if counter_incr c <> i + 1 then failwith "adv_soak_handles: counter";
        Ocaml_interop_web.release c;
        ignore (keep_closure (fun x -> x + i))
      done;
      n);
  (* OCaml faults called from Rust (ocaml_fault_try / ocaml_fault_plain): out of memory *)
  (* arrays of the largest length wasm_of_ocaml allows for boxed values (268 million
     elements, over 1 GiB: more than either engine gives one GC array), kept *)
  Callback.register "adv_ocaml_oom" (fun n ->
      let kept = ref [] in
      for _ = 1 to max n 1 do
        kept := Array.make (0xfffffff - 1) 0 :: !kept
      done;
      List.fold_left (fun acc b -> acc + Array.length b) 0 !kept);
  Callback.register "adv_ocaml_fault_try" (fun which -> ocaml_fault_try which);
  (* Rust faults called from OCaml *)
  Callback.register "adv_rust_oom" (fun () ->
      attempt (fun () ->
          rust_exhaust ();
          "no error"));
  Callback.register "adv_rust_closure_overflow" (fun () ->
      let f : int -> int = Obj.obj (make_recurser_raw ()) in
      let first = attempt (fun () -> string_of_int (f 0)) in
      let again = attempt (fun () -> string_of_int (f 0)) in
      first ^ " | " ^ again ^ " | " ^ id_string "after");
  Callback.register "adv_reenter" (fun d ->
      attempt (fun () ->
          let s = rust_reenter d "" in
          "ok " ^ string_of_int (String.length s)));
  Callback.register "adv_big_string" (fun mib ->
      let s = String.make (mib lsl 20) 'a' in
      attempt (fun () -> string_of_int (String.length (id_string s))));
  (* forged and stale handles *)
  Callback.register "adv_forged_counter" (fun (id, generation) ->
      attempt (fun () ->
          "value " ^ string_of_int (counter_incr (forged_counter id generation))));
  Callback.register "adv_forged_rust_closure" (fun (id, arity) ->
      attempt (fun () ->
          let f : int -> int = Obj.obj (forged_rust_closure_raw id arity) in
          "value " ^ string_of_int (f 1)));
  Callback.register "adv_forged_closure_call" (fun h -> forged_closure_call h);
  Callback.register "adv_stale_handle" (fun () ->
      let h = closure_handle (fun x -> x + 1) in
      call_stale_handle (fun x -> x * 1000) h 5)

(* referenced by conformance.ml, so that dune links this module *)
let linked = ()

(* past 2 GiB: Rust's memory reserved up to there, then values, boxes, closures and views made
   above it, from OCaml *)
external shared_get : int -> float = "shared_get"
external shared_set : int -> float -> unit = "shared_set"

let () =
  Callback.register "adv_above_2gib" (fun () ->
      let step name f =
        name
        ^
        match f () with
        | true -> " ok"
        | false -> " FAILED"
        | exception e -> " raised " ^ show_exn e
      in
      let s = String.init 100_000 (fun i -> Char.chr (32 + (i mod 90))) in
      String.concat "; "
        [
          step "string" (fun () -> id_string s = s);
          step "counter" (fun () ->
              let c = counter_new 41 in
              counter_incr c = 42);
          step "adder" (fun () ->
              let f : int -> int -> int = Obj.obj (make_adder_raw 100) in
              f 1 2 = 103);
          step "nest" (fun () -> depth_of (id_nest (make_nest 300)) = 300);
          step "shared view" (fun () ->
              let v = shared_make 1000 in
              v.{3} <- 42.;
              shared_set 4 7.;
              v.{1} = 0.5 && shared_get 3 = 42. && v.{4} = 7.);
        ])
