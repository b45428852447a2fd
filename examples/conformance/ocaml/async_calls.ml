(* Promises across the bridge, OCaml side (e2e/async.spec.ts): OCaml awaits Rust's promises
   with Promise.await, returns promises Rust and TS await, and settles them later. *)

open Ocaml_interop_web

external async_double : int Promise.t -> int Promise.t = "async_double"
external async_ready : string -> string Promise.t = "async_ready"
external async_via_ocaml : int -> string Promise.t = "async_via_ocaml"
external async_err : string Promise.t -> int Promise.t = "async_err"

(* an `#[export] async fn` of Rust values: each crosses as its default OCaml type *)
external async_greet : string -> int32 -> string Promise.t = "async_greet"

let fst3 (a, _, _) = a

(* promises OCaml settles when TS asks (async_settle_later): by key *)
let later : (string, (int -> unit) * (exn -> unit)) Hashtbl.t = Hashtbl.create 8

let () =
  (* what Rust awaits (async_calls.rs): settled in a later turn, through TS *)
  Callback.register "ocaml_async_square" (fun n ->
      let p, ok, _ = Promise.make () in
      Hashtbl.replace later
        ("square " ^ string_of_int n)
        ((fun _ -> ok (n * n)), fun _ -> ());
      p);
  Callback.register "ocaml_async_fail" (fun msg ->
      Promise.rejected (Failure msg));
  Callback.register "ocaml_async_label" (fun n -> "<" ^ string_of_int n ^ ">");
  (* TS settles OCaml's pending promises: "square 7" fulfils, any other key is unknown *)
  Callback.register "async_settle_later" (fun key ->
      match Hashtbl.find_opt later key with
      | Some (ok, _) ->
          Hashtbl.remove later key;
          ok 0;
          true
      | None -> false);
  (* OCaml awaits Rust: the result of Rust's future, mapped in OCaml, as a promise TS awaits *)
  Callback.register "ocaml_awaits_rust" (fun n ->
      Promise.map (fun v -> v + 1000) (async_double (Promise.resolved n)));
  (* OCaml awaits with a callback, and reports what it got through a promise of its own *)
  Callback.register "ocaml_await_report" (fun s ->
      let p, ok, _ = Promise.make () in
      Promise.await
        (async_err (Promise.resolved s))
        (function
          | Ok v -> ok ("fulfilled " ^ string_of_int v)
          | Error (Failure m) -> ok ("Failure " ^ m)
          | Error e -> ok ("other " ^ Printexc.to_string e));
      p);
  Callback.register "ocaml_ready_then" (fun s ->
      Promise.bind (async_ready s) (fun r -> Promise.resolved (String.length r)));
  Callback.register "ocaml_via_ocaml" (fun n -> async_via_ocaml n);
  Callback.register "ocaml_greet" (fun name -> async_greet name 2l);
  (* a promise of Rust's kept across a trap of the Rust instance: awaiting it afterwards gives
     the callback why (the task is gone with the instance) *)
  let kept = ref None in
  Callback.register "ocaml_keep_promise" (fun () ->
      kept := Some (async_double (fst3 (Promise.make ()))));
  Callback.register "ocaml_await_kept" (fun () ->
      let p, ok, _ = Promise.make () in
      (match !kept with
      | None -> ok "nothing kept"
      | Some q ->
          Promise.await q (function
            | Ok v -> ok ("fulfilled " ^ string_of_int v)
            | Error (Failure m) -> ok ("Failure " ^ m)
            | Error e -> ok ("other " ^ Printexc.to_string e)));
      p)

(* referenced by conformance.ml, so that dune links this module *)
let linked = ()
