(* The Markdown editor's OCaml side. Rust (pulldown-cmark) parses the document and renders it;
   OCaml does the editor's own work with what Rust gives it: the numbered outline (1, 1.1, 2 ...)
   with GitHub-style anchors (foo, foo-1), the word count and reading time, the problems (a
   heading level that skips, an empty or duplicate heading, a link to an anchor no heading has,
   an unsafe URL), and a table of contents in Markdown. Rust functions are plain externals;
   the page calls the functions registered below with Callback.register. *)

exception RustPanic of string

let () = Callback.register_exception "rust_panic_exn" (RustPanic "")

(* ---- what Rust returns (the records derived in rust/src/lib.rs) ---- *)
type heading = { level : int; text : string; line : int }
type link = { target : string; line : int; image : bool; unsafe_url : bool }

type doc = {
  headings : heading list;
  prose : string;
  code_blocks : int;
  links : link list;
}

(* ---- Rust functions (rust/src/lib.rs) ---- *)
external md_headings : string -> heading list = "md_headings"
external md_parse : string -> doc = "md_parse"

external md_render_with_ids : string -> string list -> string
  = "md_render_with_ids"

(* List.map, applying f from the first element on (the slugger has state). *)
let map_in_order f xs =
  List.rev (List.fold_left (fun acc x -> f x :: acc) [] xs)

(* ---- anchors ---- *)

(* Characters a slug drops besides ASCII punctuation: Latin-1 punctuation and symbols, general
   punctuation, the common emoji and symbol blocks (other non-ASCII characters are kept). *)
let dropped u =
  if u >= 0x80 && u <= 0xBF then
    not (List.mem u [ 0xAA; 0xB2; 0xB3; 0xB5; 0xB9; 0xBA; 0xBC; 0xBD; 0xBE ])
  else
    u = 0xD7 || u = 0xF7
    || (u >= 0x2000 && u <= 0x206F)
    || (u >= 0x2190 && u <= 0x23FF)
    || (u >= 0x25A0 && u <= 0x27BF)
    || u = 0xFE0F
    || (u >= 0x1F000 && u <= 0x1FAFF)

(* Lower case, for the letters of Latin-1, Latin Extended-A, Greek and Cyrillic (the other
   non-ASCII letters are kept as they are): the stdlib has no Unicode case tables. *)
let lower u =
  let within a b = u >= a && u <= b in
  if
    within 0x41 0x5A || within 0xC0 0xD6 || within 0xD8 0xDE
    || within 0x391 0x3A1 || within 0x3A3 0x3AB || within 0x410 0x42F
  then u + 0x20
  else if within 0x400 0x40F then u + 0x50
  else if u = 0x386 then 0x3AC
  else if within 0x388 0x38A then u + 0x25
  else if u = 0x38C then 0x3CC
  else if within 0x38E 0x38F then u + 0x3F
  else if u = 0x178 then 0xFF
  else if
    (within 0x100 0x12F || within 0x132 0x137 || within 0x14A 0x177)
    && u mod 2 = 0
  then u + 1
  else if (within 0x139 0x148 || within 0x179 0x17E) && u mod 2 = 1 then u + 1
  else u

(* GitHub's slug of a heading: lower case, a space becomes '-', punctuation and symbols are
   dropped ('-' and '_' kept); "section" when nothing is left. *)
let slug_base text =
  let b = Buffer.create (String.length text) in
  let rec go i =
    if i < String.length text then begin
      let d = String.get_utf_8_uchar text i in
      let u = Uchar.to_int (Uchar.utf_decode_uchar d)
      and n = Uchar.utf_decode_length d in
      if u >= 0x41 && u <= 0x5A then Buffer.add_char b (Char.chr (u + 32))
      else if
        (u >= 0x61 && u <= 0x7A)
        || (u >= 0x30 && u <= 0x39)
        || u = 0x2D || u = 0x5F
      then Buffer.add_char b (Char.chr u)
      else if u = 0x20 then Buffer.add_char b '-'
      else if u < 0x80 || dropped u then ()
      else Buffer.add_utf_8_uchar b (Uchar.of_int (lower u));
      go (i + n)
    end
  in
  go 0;
  if Buffer.length b = 0 then "section" else Buffer.contents b

(* Unique slugs, as github-slugger makes them: foo, foo-1, foo-2 (skipping any already taken). *)
let slugger () =
  let taken = Hashtbl.create 16 in
  fun base ->
    let result = ref base in
    while Hashtbl.mem taken !result do
      let n = Hashtbl.find taken base + 1 in
      Hashtbl.replace taken base n;
      result := base ^ "-" ^ string_of_int n
    done;
    Hashtbl.replace taken !result 0;
    !result

let slugs texts =
  let slug = slugger () in
  map_in_order (fun t -> slug (slug_base t)) texts

(* ---- the outline ---- *)

(* Outline numbers from the nesting of the headings: a heading is a child of the last heading of
   a lower level, so h1 -> h3 gives 1.1, not 1.0.1; a sibling after deeper headings continues
   their count. The stack holds (level, number), innermost first. *)
let numbers levels =
  let stack = ref [] in
  map_in_order
    (fun level ->
      let rec pop popped = function
        | ((l, _) as top) :: rest when l > level -> pop (Some top) rest
        | s -> (popped, s)
      in
      let popped, s = pop None !stack in
      let s =
        match s with
        | (l, n) :: rest when l = level -> (l, n + 1) :: rest
        | s ->
            (level, match popped with Some (_, n) -> n + 1 | None -> 1) :: s
      in
      stack := s;
      String.concat "." (List.rev_map (fun (_, n) -> string_of_int n) s))
    levels

(* ---- statistics ---- *)

(* Words: runs of non-whitespace holding a letter or a digit (any non-ASCII byte counts as one,
   so "naïve" and "日本語" are words). *)
let count_words text =
  let words = ref 0 and in_word = ref false in
  String.iter
    (fun c ->
      match c with
      | ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' -> in_word := false
      | ('a' .. 'z' | 'A' .. 'Z' | '0' .. '9' | '\x80' .. '\xff')
        when not !in_word ->
          in_word := true;
          incr words
      | _ -> ())
    text;
  !words

(* Minutes to read at 200 words a minute, rounded up. *)
let reading_minutes words = (words + 199) / 200

(* ---- the whole pipeline ---- *)

type outline_entry = {
  number : string;
  level : int;
  title : string;
  slug : string;
}

type analysis = {
  html : string;
  outline : outline_entry list;
  words : int;
  minutes : int;
  heading_count : int;
  code_block_count : int;
  problems : string list;
}

let problems (hs : heading list) (entries : outline_entry list) bases
    (links : link list) =
  let out = ref [] in
  let add fmt = Printf.ksprintf (fun s -> out := s :: !out) fmt in
  let rec headings prev hs entries bases =
    match (hs, entries, bases) with
    | (h : heading) :: hs, e :: entries, base :: bases ->
        if h.text = "" then add "line %d: empty heading (h%d)" h.line h.level;
        (match prev with
        | Some p when h.level > p + 1 ->
            add "line %d: h%d \"%s\" follows h%d (skips h%d)" h.line h.level
              h.text p (p + 1)
        | _ -> ());
        if e.slug <> base then
          add "line %d: duplicate heading \"%s\" (anchor #%s)" h.line h.text
            e.slug;
        headings (Some h.level) hs entries bases
    | _ -> ()
  in
  headings None hs entries bases;
  let anchors = Hashtbl.create 16 in
  List.iter (fun e -> Hashtbl.replace anchors e.slug ()) entries;
  List.iter
    (fun (l : link) ->
      let what = if l.image then "image" else "link" in
      if l.unsafe_url then add "line %d: unsafe %s URL disabled" l.line what
      else if (not l.image) && String.length l.target > 1 && l.target.[0] = '#'
      then begin
        let anchor = String.sub l.target 1 (String.length l.target - 1) in
        if not (Hashtbl.mem anchors anchor) then
          add "line %d: link to #%s matches no heading" l.line anchor
      end)
    links;
  List.rev !out

let outline_of (hs : heading list) =
  let bases = List.map (fun (h : heading) -> slug_base h.text) hs in
  let slug = slugger () in
  let slugs = map_in_order slug bases in
  let nums = numbers (List.map (fun (h : heading) -> h.level) hs) in
  let entries =
    List.map2
      (fun (h : heading) (number, slug) ->
        { number; level = h.level; title = h.text; slug })
      hs (List.combine nums slugs)
  in
  (entries, bases)

let analyze src =
  let doc = md_parse src in
  let entries, bases = outline_of doc.headings in
  let html = md_render_with_ids src (List.map (fun e -> e.slug) entries) in
  let words = count_words doc.prose in
  {
    html;
    outline = entries;
    words;
    minutes = reading_minutes words;
    heading_count = List.length doc.headings;
    code_block_count = doc.code_blocks;
    problems = problems doc.headings entries bases doc.links;
  }

(* ---- JSON (the same bytes as Rust's md_process_rust) ---- *)

let json_string b s =
  Buffer.add_char b '"';
  String.iter
    (function
      | '"' -> Buffer.add_string b "\\\""
      | '\\' -> Buffer.add_string b "\\\\"
      | '\n' -> Buffer.add_string b "\\n"
      | '\r' -> Buffer.add_string b "\\r"
      | '\t' -> Buffer.add_string b "\\t"
      | c when Char.code c < 0x20 ->
          Buffer.add_string b (Printf.sprintf "\\u%04x" (Char.code c))
      | c -> Buffer.add_char b c)
    s;
  Buffer.add_char b '"'

let to_json a =
  let b = Buffer.create (String.length a.html + 256) in
  let list f xs =
    List.iteri
      (fun i x ->
        if i > 0 then Buffer.add_char b ',';
        f x)
      xs
  in
  Buffer.add_string b "{\"html\":";
  json_string b a.html;
  Buffer.add_string b ",\"outline\":[";
  list
    (fun e ->
      Buffer.add_string b "{\"number\":";
      json_string b e.number;
      Buffer.add_string b (Printf.sprintf ",\"level\":%d,\"text\":" e.level);
      json_string b e.title;
      Buffer.add_string b ",\"slug\":";
      json_string b e.slug;
      Buffer.add_char b '}')
    a.outline;
  Buffer.add_string b
    (Printf.sprintf
       "],\"words\":%d,\"minutes\":%d,\"headings\":%d,\"code_blocks\":%d,\"problems\":["
       a.words a.minutes a.heading_count a.code_block_count);
  list (json_string b) a.problems;
  Buffer.add_string b "]}";
  Buffer.contents b

(* ---- a table of contents in Markdown, to paste at the top of the document ---- *)

let escape_link_text s =
  let b = Buffer.create (String.length s) in
  String.iter
    (fun c ->
      if c = '[' || c = ']' || c = '\\' then Buffer.add_char b '\\';
      Buffer.add_char b c)
    s;
  Buffer.contents b

(* A nested list of links, two spaces of indentation per outline level. *)
let toc src =
  let entries, _ = outline_of (md_headings src) in
  String.concat ""
    (List.map
       (fun e ->
         let depth = List.length (String.split_on_char '.' e.number) - 1 in
         Printf.sprintf "%s- [%s](#%s)\n"
           (String.make (2 * depth) ' ')
           (escape_link_text e.title) e.slug)
       entries)

(* ---- functions the page calls ---- *)
let () =
  (* what the page shows: the preview's HTML, the outline (number, level, text, anchor), the
     statistics (words, minutes, headings, code blocks) and the problems *)
  Callback.register "markdown_analyze" (fun src ->
      let a = analyze src in
      ( a.html,
        List.map (fun e -> (e.number, e.level, e.title, e.slug)) a.outline,
        (a.words, a.minutes, a.heading_count, a.code_block_count),
        a.problems ));
  (* the whole pipeline as one string -> string call: what the benchmark times against the
     Rust-only md_process_rust *)
  Callback.register "markdown_process" (fun src -> to_json (analyze src));
  Callback.register "markdown_toc" toc;
  Callback.register "markdown_slugs" slugs
