(* The model's testing/ocaml-caller (its main branch) and testing/rust-caller's OCaml side
   (both versions), ported. The types keep the model's constructors; the derived Rust types
   are named main_movement and main_movement_polymorphic here, so the build checks these
   definitions against them (Rust's Step { count } against OCaml's Step of int). *)

type main_movement =
  | Step of int
  | Expand of { width : int; height : int }
  | RotateLeft
  | RotateRight

type main_movement_polymorphic =
  [ `Step of int | `Expand of int * int | `RotateLeft | `RotateRight ]

external string_of_movement : main_movement -> string
  = "rust_string_of_movement_main"

external string_of_polymorphic_movement : main_movement_polymorphic -> string
  = "rust_string_of_polymorphic_movement_main"

(* testing/rust-caller/ocaml/callable.ml *)
type test_record = {
  i : int;
  f : float;
  i32 : int32;
  i64 : int64;
  s : string;
  t : int * float;
}

type movement = Step of int | RotateLeft | RotateRight
type polymorphic_enum = [ `Unit | `Single of float | `Multiple of int * string ]

let twice x = 2 * x
let make_tuple a b = (a, b)
let make_some x = Some x

let stringify_record { i; f; i32; i64; s; t = t1, t2 } =
  Printf.sprintf "{ i=%d; f=%.2f; i32=%ld; i64=%Ld; s=%s; t=(%d, %.2f) }" i f
    i32 i64 s t1 t2

let stringify_variant = function
  | RotateLeft -> "RotateLeft"
  | RotateRight -> "RotateRight"
  | Step n -> Printf.sprintf "Step(%d)" n

let stringify_polymorphic_variant = function
  | `Single n -> Printf.sprintf "Single(%.2f)" n
  | `Multiple (n, s) -> Printf.sprintf "Multiple(%d, %s)" n s
  | `Unit -> "Unit"

let double_u16_array arr =
  for i = 0 to Bigarray.Array1.dim arr - 1 do
    arr.{i} <- arr.{i} * 2
  done

let () =
  Callback.register "twice" twice;
  Callback.register "make_tuple" make_tuple;
  Callback.register "make_some" make_some;
  Callback.register "stringify_record" stringify_record;
  Callback.register "stringify_variant" stringify_variant;
  Callback.register "stringify_polymorphic_variant"
    stringify_polymorphic_variant;
  Callback.register "gc_compact" Gc.compact;
  Callback.register "double_u16_array" double_u16_array;
  Callback.register "model_main_tests" (fun () ->
      String.concat " | "
        [
          String.concat "; "
            [
              string_of_movement RotateLeft;
              string_of_movement (Step 10);
              string_of_movement (Expand { height = 2; width = 1 });
            ];
          String.concat "; "
            [
              string_of_polymorphic_movement `RotateLeft;
              string_of_polymorphic_movement (`Step 10);
              string_of_polymorphic_movement (`Expand (1, 2));
            ];
        ])

(* referenced by conformance.ml, so that dune links this module *)
let linked = ()
