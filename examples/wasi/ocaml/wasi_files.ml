(* The WASI example's OCaml side: a word-count report over the files the page gave the app.
   Rust (built for wasm32-wasip1) walks the directory and reads and writes the files with
   std::fs; OCaml counts the words across the files, picks the most frequent ones, writes the
   report through Rust and says what it does on stdout and stderr (print_string and flush,
   print_endline, prerr_endline: the page's output sink gets those lines next to Rust's
   println! and eprintln!). Rust functions are plain externals; the page calls the functions
   registered below with Callback.register. *)

exception RustPanic of string

let () = Callback.register_exception "rust_panic_exn" (RustPanic "")

(* ---- what Rust returns (the records derived in rust/src/lib.rs) ---- *)
type file_stat = {
  path : string;
  bytes : int;
  lines : int;
  words : int;
  distinct : int;
}

type wasi_info = {
  args : string list;
  lang : string option;
  env_count : int;
  top : int;
  unix_time : float;
  after_2020 : bool;
  monotonic : bool;
  random_probe : string;
}

(* ---- Rust functions (rust/src/lib.rs) ---- *)
external scan_dir : string -> file_stat list = "scan_dir"
external read_text : string -> string = "read_text"
external read_required : string -> string = "read_required"
external write_report : string -> string -> int = "write_report"
external wasi_info : unit -> wasi_info = "wasi_info"

let docs_dir = "docs"
let report_path = "reports/summary.txt"

(* ---- words ---- *)

(* The words of a text, lower case (ASCII): runs of letters, digits, apostrophes and non-ASCII
   bytes (UTF-8 letters stay whole), without the apostrophes at either end. *)
let words_of text =
  let is_word = function
    | 'a' .. 'z' | 'A' .. 'Z' | '0' .. '9' | '\'' -> true
    | c -> Char.code c >= 0x80
  in
  let out = ref [] and b = Buffer.create 16 in
  let flush_word () =
    let w = Buffer.contents b in
    Buffer.clear b;
    let i = ref 0 and j = ref (String.length w) in
    while !i < !j && w.[!i] = '\'' do
      incr i
    done;
    while !j > !i && w.[!j - 1] = '\'' do
      decr j
    done;
    if !j > !i then out := String.sub w !i (!j - !i) :: !out
  in
  String.iter
    (fun c ->
      if is_word c then Buffer.add_char b (Char.lowercase_ascii c)
      else flush_word ())
    text;
  flush_word ();
  List.rev !out

(* The n most frequent words of the texts, most frequent first, ties in alphabetical order. *)
let top_words n texts =
  let counts = Hashtbl.create 64 in
  List.iter
    (fun t ->
      List.iter
        (fun w ->
          let c = Option.value ~default:0 (Hashtbl.find_opt counts w) in
          Hashtbl.replace counts w (c + 1))
        (words_of t))
    texts;
  Hashtbl.fold (fun w c acc -> (w, c) :: acc) counts []
  |> List.sort (fun (w1, c1) (w2, c2) ->
      if c1 <> c2 then compare c2 c1 else compare w1 w2)
  |> List.filteri (fun i _ -> i < n)

(* ---- the report ---- *)

let report n (files : file_stat list) top =
  let b = Buffer.create 256 in
  let sum f = List.fold_left (fun acc s -> acc + f s) 0 files in
  Printf.bprintf b "wordcount: %d files in %s/\n" (List.length files) docs_dir;
  Printf.bprintf b "total: %d lines, %d words, %d bytes\n"
    (sum (fun s -> s.lines))
    (sum (fun s -> s.words))
    (sum (fun s -> s.bytes));
  List.iter
    (fun s ->
      Printf.bprintf b "  %s: %d lines, %d words (%d distinct)\n" s.path s.lines
        s.words s.distinct)
    files;
  Printf.bprintf b "top %d words:\n" n;
  List.iteri
    (fun i (w, c) -> Printf.bprintf b "  %d. %s (%d)\n" (i + 1) w c)
    top;
  Buffer.contents b

(* Scans docs/, counts the words, writes reports/summary.txt (through Rust) and returns it. *)
let summarize n =
  if n < 1 then
    invalid_arg
      (Printf.sprintf "wasi_summarize: N must be at least 1 (got %d)" n);
  print_endline (Printf.sprintf "ocaml: scanning %s/" docs_dir);
  let files = scan_dir docs_dir in
  if files = [] then
    prerr_endline
      (Printf.sprintf "ocaml: warning: %s/ has no text files" docs_dir);
  let texts =
    List.map
      (fun s ->
        (* a line without print_endline: it reaches the page when stdout is flushed *)
        print_string (Printf.sprintf "ocaml: counting the words of %s\n" s.path);
        flush stdout;
        if s.words = 0 then
          prerr_endline
            (Printf.sprintf "ocaml: warning: %s has no words" s.path);
        read_text s.path)
      files
  in
  let text = report n files (top_words n texts) in
  let written = write_report report_path text in
  print_endline
    (Printf.sprintf "ocaml: the report is %s (%d bytes)" report_path written);
  text

(* ---- functions the page calls ---- *)
let () =
  (* the report of the n most frequent words *)
  Callback.register "wasi_summarize" summarize;
  (* the same, n from the program's arguments (--top N), which Rust reads *)
  Callback.register "wasi_summarize_args" (fun () ->
      summarize (wasi_info ()).top);
  (* a file Rust must be able to read: its panic, caught here as RustPanic *)
  Callback.register "wasi_check_required" (fun path ->
      match read_required path with
      | text -> Printf.sprintf "%s: %d bytes" path (String.length text)
      | exception RustPanic msg ->
          prerr_endline ("ocaml: caught RustPanic: " ^ msg);
          "missing: " ^ msg);
  Callback.register "wasi_words" words_of
