(* Calls whose arguments and result are immediates (the glue's bare frame): each Rust export
   allocates in the arena; e2e/values.spec.ts runs these loops and checks the arena stays
   where it was, and that each call's result or exception is the right one. *)

external bare_drops_string : int -> int = "bare_drops_string"
external bare_fails : int -> int = "bare_fails"
external bare_reraises : int -> unit = "bare_reraises"

exception Bare of int * string

let () =
  Callback.register "bare_raise" (fun n : unit ->
      raise (Bare (n, String.make n 'y')));
  (* n calls of each kind, [size] bytes allocated in the arena by each; the number of calls
     whose result (or exception) was the expected one *)
  Callback.register "bare_loop" (fun n size ->
      let ok = ref 0 in
      for i = 1 to n do
        if bare_drops_string (size + (i mod 7)) = size + (i mod 7) then incr ok;
        (match bare_fails (i mod 1000) with
        | _ -> ()
        | exception Failure m when m = "bare_fails " ^ string_of_int (i mod 1000)
          ->
            incr ok);
        match bare_reraises size with
        | () -> ()
        | exception Bare (k, s) when k = size && String.length s = size ->
            incr ok
      done;
      !ok)

(* referenced by conformance.ml, so that dune links this module *)
let linked = ()
