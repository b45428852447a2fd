(* The model's testing/ocaml-caller (ocaml-interop 0.12), ported: the OCaml program calls
   ocaml_interop_setup / ocaml_interop_teardown, and passes variants and polymorphic variants
   with constructors the Rust side does not know (to test the failure case). The Rust side is
   in rust/src/lib.rs (mod model_0_12); e2e/values.spec.ts checks the model's expected lists. *)

(* Unknown/UnknownBlock are not defined on Rust side to test the failure case *)

type movement =
  | Step of int
  | Expand of (int * int)
  | RotateLeft
  | RotateRight
  | Unknown
  | UnkownBlock of int

type movement_polymorphic =
  [ `Step of int
  | `Expand of int * int
  | `RotateLeft
  | `RotateRight
  | `Unknown
  | `UnkownBlock of int ]

module Rust = struct
  external tests_setup : unit -> unit = "ocaml_interop_setup"
  external tests_teardown : unit -> unit = "ocaml_interop_teardown"
  external string_of_movement : movement -> string = "rust_string_of_movement"

  external string_of_polymorphic_movement : movement_polymorphic -> string
    = "rust_string_of_polymorphic_movement"
end

let () = Rust.tests_setup ()

let test_interpret_movement () =
  [
    Rust.string_of_movement RotateLeft;
    Rust.string_of_movement (Step 10);
    Rust.string_of_movement Unknown;
    Rust.string_of_movement (UnkownBlock 0);
  ]

let test_interpret_polymorphic_movement () =
  [
    Rust.string_of_polymorphic_movement `RotateLeft;
    Rust.string_of_polymorphic_movement (`Step 10);
    Rust.string_of_polymorphic_movement `Unknown;
    Rust.string_of_polymorphic_movement (`UnkownBlock 0);
  ]

let () =
  Callback.register "model_0_12_tests" (fun () ->
      String.concat " | "
        [
          String.concat "; " (test_interpret_movement ());
          String.concat "; " (test_interpret_polymorphic_movement ());
        ]);
  (* as the model's test program ends; calls keep working afterwards (nothing to free here) *)
  Rust.tests_teardown ()

(* referenced by conformance.ml, so that dune links this module *)
let linked = ()
