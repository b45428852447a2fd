(* OCaml calls each Rust function and catches what it raises: a panic or a trap is RustPanic. *)
external keep : int -> int = "keep"
external kept : unit -> int = "kept"
external fail : string -> unit = "fail"
external abort : unit -> unit = "abort"
external echo : string -> string * int = "echo"

type drop_panics

external drop_panics_new : int -> drop_panics = "drop_panics_new"

exception Rust_panic of string

let () = Callback.register_exception "rust_panic_exn" (Rust_panic "")

(* n rounds of: keep [kib] KiB in Rust, then fail (abort mode: a trap and a re-creation);
   returns how many rounds raised Rust_panic with the panic's message *)
let rounds n kib =
  let ok = ref 0 in
  for i = 1 to n do
    ignore (keep kib);
    match fail (Printf.sprintf "round %d" i) with
    | () -> ()
    | exception Rust_panic m when m = Printf.sprintf "round %d" i -> incr ok
  done;
  !ok

let () =
  Callback.register "rounds" rounds;
  Callback.register "kept_from_ocaml" kept;
  Callback.register "echo_from_ocaml" (fun s -> fst (echo s));
  Callback.register "abort_from_ocaml" (fun () ->
      match abort () with () -> "no error" | exception Rust_panic m -> m);
  (* a box whose Drop traps, released by OCaml: the call goes on, on a re-created instance *)
  Callback.register "release_drop_panics" (fun n ->
      ignore (keep 4);
      Ocaml_interop_web.release (drop_panics_new n);
      kept ());
  (* boxes left to the GC *)
  Callback.register "garbage_drop_panics" (fun n ->
      for i = 1 to n do
        ignore (drop_panics_new i)
      done)

(* the adversarial suite (e2e/adversarial/): traps under a live outer Rust frame, in a Rust
   closure, and running out of memory or stack in Rust called from OCaml *)
external outer_fail : string -> string = "outer_fail"
external make_failing_raw : unit -> Obj.t = "make_failing"
external exhaust : unit -> unit = "exhaust"
external overflow : int -> int = "overflow"

let caught f =
  match f () with
  | s -> s
  | exception Rust_panic m -> "Rust_panic " ^ m
  | exception e -> "other " ^ Printexc.to_string e

let () =
  Callback.register "call_fail" (fun why ->
      caught (fun () ->
          fail why;
          "no error"));
  Callback.register "outer_fail_from_ocaml" (fun why ->
      caught (fun () -> outer_fail why));
  Callback.register "closure_trap" (fun () ->
      let f : string -> string = Obj.obj (make_failing_raw ()) in
      let first = caught (fun () -> f "x") in
      let again = caught (fun () -> f "y") in
      first ^ " | " ^ again);
  Callback.register "exhaust_from_ocaml" (fun () ->
      caught (fun () ->
          exhaust ();
          "no error"));
  Callback.register "overflow_from_ocaml" (fun n ->
      caught (fun () -> string_of_int (overflow n)))
