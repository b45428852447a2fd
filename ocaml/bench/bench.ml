(* Benchmark workloads, OCaml side. The page (src/bench/main.ts) times these loops. *)
open Js_of_ocaml

external bench_incr : int -> int = "bench_incr"
external bench_echo : string -> string = "bench_echo"

let incr_loop n =
  let acc = ref 0 in
  for _ = 1 to n do
    acc := bench_incr !acc
  done;
  !acc

let strings = Hashtbl.create 4

(* an ASCII string of [size] bytes, made once *)
let string_of_size size =
  match Hashtbl.find_opt strings size with
  | Some s -> s
  | None ->
      let s = String.init size (fun i -> Char.chr (97 + (i mod 26))) in
      Hashtbl.add strings size s;
      s

let echo_loop size n =
  let s = string_of_size size in
  let ok = ref 0 in
  for _ = 1 to n do
    if String.length (bench_echo s) = size then incr ok
  done;
  !ok

let () =
  Callback.register "bench_incr_loop" incr_loop;
  Callback.register "bench_echo_loop" echo_loop;
  Callback.register "bench_ocaml_incr" (fun n -> n + 1);
  (* the W1_rust_to_ocaml_int baseline: JS calls the same OCaml function through wrap_callback *)
  Js.export "benchOCamlIncr" (Js.wrap_callback (fun (n : int) -> n + 1))
