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

let () =
  install ();
  Callback.register "ocaml_interop.exn_to_string" exn_to_string;
  (* the values of the faults the host reports as OCaml exceptions (the engine's stack or
     memory ran out in OCaml code called from Rust or TS) *)
  Callback.register_exception "ocaml_interop.Stack_overflow" Stack_overflow;
  Callback.register_exception "ocaml_interop.Out_of_memory" Out_of_memory;
  at_exit ready
