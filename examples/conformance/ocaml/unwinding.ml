(* Panics that unwind, seen from OCaml (unwinding.spec.ts): the export's panic is an exception
   here (Failure, since this program registers no "rust_panic_exn"), and Rust's state survives. *)

external unwind_guarded : int -> int = "unwind_guarded"

let () =
  Callback.register "call_unwind_guarded" (fun n ->
      match unwind_guarded n with
      | v -> "returned " ^ string_of_int v
      | exception Failure m -> "RustPanic: " ^ m)

(* referenced by conformance.ml, so that dune links this module *)
let linked = ()
