(* ocaml-interop for the web: the OCaml side.

   Linked with -linkall, so just listing the library is enough. At start-up it gives the host
   the dispatcher through which Rust's [ocaml!] functions and TypeScript call functions
   registered with [Callback.register], and when the program's top level has run (at_exit
   also runs then: std_exit is linked last) it tells the host that OCaml is ready. *)

external install : unit -> unit = "oiw_install"
external ready : unit -> unit = "oiw_ready"

(* The exception Rust panics become when registered, as in ocaml-interop:
   [Callback.register_exception "rust_panic_exn" (Rust_panic "")]. Users may declare their
   own instead; only the registration matters. *)
exception Rust_panic of string

(* Drops the Rust value behind a DynBox now, instead of when the GC collects it. Using the box
   afterwards is an error. Other values are left alone. *)
external release : 'a -> unit = "oiw_release"

(* How many OCaml values (closures) Rust currently holds, in BoxRoots or in a running call. *)
external live_handles : unit -> int = "oiw_live_handles"

(* The text of an exception that reaches Rust: as Printexc.to_string, except that a single
   string argument is shown as it is, not escaped, so a message that crosses many nested
   boundaries grows by a few characters per crossing instead of doubling its escapes. *)
let exn_to_string (e : exn) =
  let r = Obj.repr e in
  if Obj.tag r = 0 && Obj.size r = 2 && Obj.tag (Obj.field r 1) = Obj.string_tag
  then
    Printf.sprintf "%s(\"%s\")" (Printexc.exn_slot_name e)
      (Obj.obj (Obj.field r 1) : string)
  else Printexc.to_string e

(* A value that settles later, across the boundary: what an async Rust export returns
   ([OCamlPromise<T>] built from a Rust future), what Rust awaits ([into_future]) or TypeScript
   receives (a [Promise]) when OCaml returns one, and what a TypeScript [Promise] is in OCaml.
   [await] takes a callback: the program goes on when the promise settles, and the page is
   never blocked (no effect handlers, no JSPI: a call into JS stays a plain call).

   A promise is its subscribe function, which crosses the boundary as any closure does: called
   with a continuation, it calls it once with the value, or with the rejection's class
   ("panic", "failure", "exception" or "js") and message (rust/ocaml-interop-web/src/promise.rs). *)
module Promise : sig
  type 'a t

  (* Calls the callback once, when the promise settles: [Ok v], or [Error e] where [e] is
     [Rust_panic msg] for a Rust panic, [Failure msg] for an error (a Rust [Err(String)], a JS
     rejection "<name>: <message>", or an OCaml exception whose text it is). *)
  val await : 'a t -> (('a, exn) result -> unit) -> unit

  (* A promise OCaml settles: the promise, how to fulfil it, how to reject it (the first call
     wins; later ones do nothing). *)
  val make : unit -> 'a t * ('a -> unit) * (exn -> unit)
  val resolved : 'a -> 'a t
  val rejected : exn -> 'a t

  (* The promise of [f v] when [p] fulfils with [v] ([f] raising rejects it). *)
  val map : ('a -> 'b) -> 'a t -> 'b t

  (* The promise of [f v]'s promise when [p] fulfils with [v]. *)
  val bind : 'a t -> ('a -> 'b t) -> 'b t
end = struct
  type 'a settled = ('a, string * string) result
  type 'a t = ('a settled -> unit) -> unit

  let failure_text = Printf.sprintf "Failure(\"%s\")"

  let exn_of (kind, msg) =
    match kind with
    | "panic" -> Rust_panic msg
    | "exception" ->
        (* Failure("m") comes back as Failure "m" *)
        let n = String.length msg in
        if
          n >= 11
          && String.sub msg 0 9 = "Failure(\""
          && String.sub msg (n - 2) 2 = "\")"
        then Failure (String.sub msg 9 (n - 11))
        else Failure msg
    | _ -> Failure msg

  let rejection_of = function
    | Rust_panic m -> ("panic", m)
    | Failure m -> ("exception", failure_text m)
    | e -> ("exception", exn_to_string e)

  (* subscribing can fail (a promise of a Rust instance that trapped since, of an app that was
     disposed): the callback then gets why, as for a rejection *)
  let await (p : 'a t) k =
    let called = ref false in
    let once r =
      if not !called then (
        called := true;
        k r)
    in
    try p (function Ok v -> once (Ok v) | Error r -> once (Error (exn_of r)))
    with e when not !called -> once (Error e)

  let make () =
    let state = ref (`Pending []) in
    let settle r =
      match !state with
      | `Settled _ -> ()
      | `Pending ks ->
          state := `Settled r;
          (* a continuation that raises does not keep the others from running *)
          List.iter (fun k -> try k r with _ -> ()) (List.rev ks)
    in
    let p k =
      match !state with
      | `Pending ks -> state := `Pending (k :: ks)
      | `Settled r -> k r
    in
    (p, (fun v -> settle (Ok v)), fun e -> settle (Error (rejection_of e)))

  let resolved v : 'a t = fun k -> k (Ok v)
  let rejected e : 'a t = fun k -> k (Error (rejection_of e))

  let map f p =
    let q, ok, err = make () in
    await p (function
      | Ok v -> ( match f v with r -> ok r | exception e -> err e)
      | Error e -> err e);
    q

  let bind p f =
    let q, ok, err = make () in
    await p (function
      | Ok v -> (
          match f v with
          | q' -> await q' (function Ok r -> ok r | Error e -> err e)
          | exception e -> err e)
      | Error e -> err e);
    q
end

let () =
  install ();
  Callback.register "ocaml_interop.exn_to_string" exn_to_string;
  (* the values of the faults the host reports as OCaml exceptions (the engine's stack or
     memory ran out in OCaml code called from Rust or TS) *)
  Callback.register_exception "ocaml_interop.Stack_overflow" Stack_overflow;
  Callback.register_exception "ocaml_interop.Out_of_memory" Out_of_memory;
  at_exit ready
