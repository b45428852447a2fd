(* The demo's OCaml side: OCaml and Rust calling each other on what a visitor types.
   Rust functions are plain externals (their glue is generated from the Rust crate);
   functions Rust and the page call are registered with Callback.register. *)

exception RustPanic of string

let () = Callback.register_exception "rust_panic_exn" (RustPanic "")

(* ---- Rust functions (rust/examples/demo/src/lib.rs) ---- *)
external rust_twice : int -> int = "rust_twice"
external rust_add : int -> int -> int = "rust_add"
external rust_big_int : unit -> int = "rust_big_int"
external rust_negate : bool -> bool = "rust_negate"
external rust_hypot : float -> float -> float = "rust_hypot"
external rust_describe : string -> string = "rust_describe"
external rust_reverse : string -> string = "rust_reverse"
external rust_strict_len : string -> int = "rust_strict_len"
external rust_echo : string -> string = "rust_echo"
external rust_log : string -> unit = "rust_log"
external rust_log_count : unit -> int = "rust_log_count"
external rust_panic : string -> unit = "rust_panic"
external rust_abort : unit -> unit = "rust_abort"
external rust_shout_and_describe : string -> string = "rust_shout_and_describe"
external rust_calls_ocaml : int -> string = "rust_calls_ocaml"

external rust_calls_failing_ocaml : string -> string
  = "rust_calls_failing_ocaml"

external rust_calls_unregistered : int -> int = "rust_calls_unregistered"

(* Declared in OCaml but exported by no Rust function: calling it fails with a clear error. *)
external rust_missing : int -> int = "rust_missing"

(* ---- OCaml functions Rust calls (ocaml! in the Rust crate) ---- *)
let () =
  Callback.register "ocaml_shout" (fun s -> String.uppercase_ascii s ^ "!");
  Callback.register "ocaml_square" (fun n -> n * n);
  Callback.register "ocaml_is_even" (fun n -> n mod 2 = 0);
  Callback.register "ocaml_half" (fun x -> x /. 2.);
  Callback.register "ocaml_fail" (fun s -> failwith ("ocaml_fail: " ^ s))

(* An exception as the page shows it: "<exception>: <message>". *)
let exn_text = function
  | RustPanic m | Ocaml_interop_web.Rust_panic m -> "RustPanic: " ^ m
  | Failure m -> "Failure: " ^ m
  | Invalid_argument m -> "Invalid_argument: " ^ m
  | e -> "exception: " ^ Printexc.to_string e

(* An outcome as the page shows it: "ok: <value>" or "<exception>: <message>". *)
let outcome show f =
  match f () with v -> "ok: " ^ show v | exception e -> exn_text e

let str s = s
let quoted s = "\"" ^ s ^ "\""

(* ---- functions the page calls ---- *)
let analyze text =
  String.concat "\n"
    [
      "rust_describe: " ^ outcome str (fun () -> rust_describe text);
      "rust_reverse: " ^ outcome quoted (fun () -> rust_reverse text);
      "rust_shout_and_describe: "
      ^ outcome str (fun () -> rust_shout_and_describe text);
      "rust_echo round trip equal: "
      ^ outcome string_of_bool (fun () -> rust_echo text = text);
    ]

let numbers n =
  String.concat "\n"
    [
      "rust_twice: " ^ outcome string_of_int (fun () -> rust_twice n);
      "rust_add n n: " ^ outcome string_of_int (fun () -> rust_add n n);
      "rust_negate (even n): "
      ^ outcome string_of_bool (fun () -> rust_negate (n mod 2 = 0));
      "rust_hypot n n: "
      ^ outcome (Printf.sprintf "%.6g") (fun () ->
          rust_hypot (float n) (float n));
      "rust_calls_ocaml: " ^ outcome str (fun () -> rust_calls_ocaml n);
    ]

(* One call per kind of failure; after each the next call still works. Each is caught here
   but the abort: a trap, which no wasm code can catch, reaches the page's call of demo_fault
   (a RustPanic naming rust_abort). *)
let fault = function
  | "panic" ->
      outcome
        (fun () -> "()")
        (fun () -> rust_panic "the visitor pressed the panic button")
  | "abort" -> outcome (fun () -> "()") (fun () -> rust_abort ())
  | "big_int" -> outcome string_of_int (fun () -> rust_big_int ())
  | "overflow" -> outcome string_of_int (fun () -> rust_add max_int max_int)
  | "invalid_utf8" ->
      outcome string_of_int (fun () -> rust_strict_len "caf\xe9 \xff")
  | "lossy_utf8" -> outcome quoted (fun () -> rust_reverse "ab\xffcd")
  | "ocaml_exception" -> outcome str (fun () -> rust_calls_failing_ocaml "boom")
  | "unregistered" ->
      outcome string_of_int (fun () -> rust_calls_unregistered 1)
  | "missing_export" -> outcome string_of_int (fun () -> rust_missing 1)
  | "after" -> outcome string_of_int (fun () -> rust_twice 21)
  | other -> "unknown fault " ^ other

(* ---- fetch and process: the page fetches, Rust processes, OCaml reports ---- *)
module Promise = Ocaml_interop_web.Promise

(* What Rust found in a text (TextStats in the Rust crate; the build checks the two agree). *)
type text_stats = {
  lines : int;
  words : int;
  bytes : int;
  top_words : (string * int) list;
  crc32 : string;
}

external rust_fetch_stats :
  (string -> string Promise.t) -> string -> text_stats Promise.t
  = "rust_fetch_stats"

let report s =
  let top = List.map (fun (w, n) -> Printf.sprintf "%s (%d)" w n) s.top_words in
  Printf.sprintf "%d lines, %d words, %d bytes\nmost frequent: %s\nCRC-32: %s"
    s.lines s.words s.bytes (String.concat ", " top) s.crc32

(* [fetch] is the page's function (a JS function, as an OCaml one): Rust calls it. The promise
   OCaml returns always fulfils, with the report or with why there is none: a failed fetch is
   a JS rejection, which reaches OCaml through Rust as Failure "<JS class>: <message>". *)
let fetch_report fetch url =
  let p, ok, _ = Promise.make () in
  Promise.await (rust_fetch_stats fetch url) (function
    | Ok s -> ok ("ok: " ^ report s)
    | Error e -> ok (exn_text e));
  p

let () =
  Callback.register "demo_fetch_report" fetch_report;
  Callback.register "demo_analyze" analyze;
  Callback.register "demo_numbers" numbers;
  Callback.register "demo_fault" fault;
  Callback.register "demo_log" (fun s ->
      rust_log s;
      rust_log_count ());
  (* direct entry points, so that the page and the tests call each Rust function from OCaml *)
  Callback.register "demo_twice" rust_twice;
  Callback.register "demo_add" rust_add;
  Callback.register "demo_negate" rust_negate;
  Callback.register "demo_hypot" rust_hypot;
  Callback.register "demo_reverse" rust_reverse;
  Callback.register "demo_echo" rust_echo;
  Callback.register "demo_big_int" rust_big_int
