// Generates, from the Rust exports' signatures, what the OCaml side needs to call them:
//  - rust_glue.wat: one wasm_of_ocaml primitive per export (the name an OCaml `external`
//    uses), which checks the arguments' shapes, encodes them, calls Rust, and decodes the
//    result or raises the exception Rust asked for;
//  - rust_glue.js: the JS primitive each of those imports (a trampoline into the current Rust
//    instance that turns a trap into an error);
//  - rust.ml: the matching `external` declarations, for users who prefer not to write them.
import type { ArgSpec, ExportSpec, RetSpec, TypeDesc } from "./wasm-module-info.ts";
import { generateTypeDefinitions } from "./ocaml-types.ts";
import { BIGARRAY_KINDS } from "../host/protocol.ts";

const IMMEDIATE = new Set(["int", "bool", "unit", "char"]);

/** The OCaml element type of each bigarray kind (the protocol's table). */
const BIGARRAY_ELTS: Record<string, string> = Object.fromEntries(BIGARRAY_KINDS.map((k) => [k.name, k.ocamlElt]));

export function bigarrayType(elt: string): string {
  return `(${BIGARRAY_ELTS[elt] ?? "'a"}, Bigarray.${elt}_elt, Bigarray.c_layout) Bigarray.Array1.t`;
}

/** The abstract OCaml type that stands for a `DynBox<T>`: `rust_` and T's last path segment in
 *  snake case (`alloc::string::String` -> `rust_string`, `my::Counter<u8>` -> `rust_counter`). */
export function dynboxTypeName(rustType: string): string {
  const last = rustType.replace(/<.*$/s, "").split("::").pop()!.trim();
  const snake = last
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9_]/g, "_")
    .toLowerCase();
  return `rust_${snake}`;
}

function dynboxTypes(t: TypeDesc | undefined, out: Map<string, string>): void {
  if (t === undefined || typeof t === "string") return;
  const [k, v] = Object.entries(t)[0];
  if (k === "dynbox") {
    out.set(dynboxTypeName(v as string), v as string);
    return;
  }
  if (k === "record" || k === "variant" || k === "polyvar" || k === "ref" || k === "bigarray" || k === "unknown") return;
  for (const x of Array.isArray(v) ? v : [v]) dynboxTypes(x as TypeDesc, out);
}

export function ocamlType(t: TypeDesc | undefined): string {
  if (t === undefined) return "unit";
  if (typeof t === "string") return t;
  const [k, v] = Object.entries(t)[0];
  if (k === "record" || k === "variant" || k === "polyvar") return (v as { name: string }).name;
  if (k === "ref") return v as string;
  if (k === "fn") return `(${(v as TypeDesc[]).map(ocamlType).join(" -> ")})`;
  if (k === "bigarray") return bigarrayType(v as string);
  if (k === "dynbox") return dynboxTypeName(v as string);
  // a Rust type without OCamlDescriber (#[export] does not require one): any OCaml type
  if (k === "unknown") return "'a";
  const inner = Array.isArray(v) ? v.map(ocamlType) : [ocamlType(v as TypeDesc)];
  const wrap = (s: string) => (/[*,]|->/.test(s) ? `(${s})` : s);
  if (k === "option" || k === "list" || k === "array") return `${wrap(inner[0])} ${k}`;
  if (k === "tuple") return inner.map(wrap).join(" * ");
  return inner.length === 1 ? `${wrap(inner[0])} ${k}` : `(${inner.join(", ")}) ${k}`;
}

/** The direct primitives of #[export] (`f64`, `i64`, ...): how OCaml declares each, its wasm
 *  type, the glue's local for a result of it, what a wrong argument is told it expected, and
 *  the glue's argument conversion. */
export const DIRECT: Record<string, { ocaml: string; attr: "unboxed" | "untagged"; wasm: string; local: string; arg: string }> = {
  f64: { ocaml: "float", attr: "unboxed", wasm: "f64", local: "$rf", arg: "$unbox_float" },
  i64: { ocaml: "int64", attr: "unboxed", wasm: "i64", local: "$rl", arg: "$unbox_int64" },
  i32: { ocaml: "int32", attr: "unboxed", wasm: "i32", local: "$r", arg: "$unbox_int32" },
  bool: { ocaml: "bool", attr: "untagged", wasm: "i32", local: "$r", arg: "$untag" },
  isize: { ocaml: "int", attr: "untagged", wasm: "i32", local: "$r", arg: "$untag" },
};

function argOCamlType(a: ArgSpec | RetSpec): string {
  const d = DIRECT[a.kind];
  if (d) return `(${d.ocaml} [@${d.attr}])`;
  return a.kind === "unit" ? "unit" : ocamlType(a.type);
}

export function primitiveNames(e: ExportSpec): string[] {
  return e.bytecode ? [e.name, e.bytecode] : [e.name];
}

function watString(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, "\\$1");
}

const wasmParam = (k: string) => DIRECT[k]?.wasm ?? "i32";

function argConversion(e: ExportSpec, a: ArgSpec, i: number, errs: string[]): string {
  const v = `(local.get $a${i})`;
  const err = () => {
    const id = `$err_${e.name}_${i}`;
    const expected = DIRECT[a.kind]?.ocaml ?? ocamlType(a.type);
    errs.push(`   (@string ${id} ${watString(`${e.name}: argument ${a.name}: expected ${expected}`)})`);
    return `(global.get ${id})`;
  };
  const d = DIRECT[a.kind];
  if (d) return `(call ${d.arg} ${v} ${err()})`;
  const t = a.type;
  if (typeof t === "string" && IMMEDIATE.has(t)) return `(call $immediate ${v} ${err()})`;
  if (t === "string" || t === "bytes") return `(call $encode_bytes ${v} ${err()})`;
  if (t === "float") return `(call $encode_float ${v} ${err()})`;
  // what the encoder's own errors name (the nesting limit, a cycle, a value that cannot cross)
  const what = `$what_${e.name}_${i}`;
  errs.push(`   (@string ${what} ${watString(`${e.name}: argument ${a.name}`)})`);
  return `(call $encode_arg ${v} (global.get ${what}))`;
}

function resultConversion(e: ExportSpec, errs: string[]): string {
  switch (e.ret.kind) {
    case "f64":
      return `(call $check_error) (struct.new $float (local.get $rf))`;
    case "i64":
      return `(call $check_error) (call $copy_int64 (local.get $rl))`;
    case "i32":
      return `(call $check_error) (call $copy_int32 (local.get $r))`;
    case "bool":
      return `(call $check_error) (ref.i31 (i32.ne (local.get $r) (i32.const 0)))`;
    case "isize":
      return `(call $check_error) (call $tag_int (local.get $r) (global.get $err_${e.name}_ret))`;
  }
  errs.push(`   (@string $what_${e.name}_ret ${watString(`${e.name}: result`)})`);
  return `(call $decode_result (local.get $r) (global.get $what_${e.name}_ret))`;
}

export function generateWat(specs: ExportSpec[]): string {
  const errs: string[] = [];
  const funcs: string[] = [];
  const imports: string[] = [];
  for (const e of specs) {
    const params = e.args.map((a) => wasmParam(a.kind)).join(" ");
    const resT = wasmParam(e.ret.kind);
    imports.push(`   (import "js" "oiw_rust__${e.name}" (func $rust_${e.name} (param ${params}) (result ${resT})))`);
    if (e.ret.kind === "isize")
      errs.push(`   (@string $err_${e.name}_ret ${watString(`${e.name}: result does not fit OCaml's 31-bit int`)})`);
    const convs = e.args.map((a, i) => argConversion(e, a, i, errs));
    const conv = convs.join("\n            ");
    const resLocal = DIRECT[e.ret.kind]?.local ?? "$r";
    const call = `(local.set ${resLocal} (call $rust_${e.name}\n            ${conv}))`;
    // direct primitive results cannot carry the error sentinel: the error slot is checked
    const sentinel = DIRECT[e.ret.kind] ? "" : `\n               (if (i32.eq (local.get $r) (i32.const 2)) (then (call $raise_error)))`;
    // Signatures of immediates only (int, bool, char, unit, untagged ints) cannot raise once
    // their arguments are checked, so their glue checks first, then runs the frame without a try.
    const simple =
      e.args.every(
        (a) => a.kind === "isize" || a.kind === "bool" || (a.kind === "ocaml" && typeof a.type === "string" && IMMEDIATE.has(a.type)),
      ) &&
      (e.ret.kind === "unit" || (e.ret.kind === "ocaml" && typeof e.ret.type === "string" && IMMEDIATE.has(e.ret.type)));
    if (simple) {
      const checks = convs;
      for (const prim of primitiveNames(e)) {
        funcs.push(`   ;; ${e.name} : ${ocamlSignature(e)}
   (func (export ${watString(prim)}) ${e.args.map((_, i) => `(param $a${i} (ref eq))`).join(" ")} (result (ref eq))
      (local $top i32) (local $limit i32) (local $r i32) ${e.args.map((_, i) => `(local $w${i} i32)`).join(" ")}
      ${checks.map((c, i) => `(local.set $w${i} ${c})`).join("\n      ")}
      (local.set $top (call $frame_enter))
      (local.set $limit (call $arena_limit))
      (local.set $r (call $rust_${e.name} ${e.args.map((_, i) => `(local.get $w${i})`).join(" ")}))
      (if (i32.eq (local.get $r) (i32.const 2))
         (then
            ;; read the error, leave the frame, raise
            (call $frame_leave_raising (local.get $top) (local.get $limit))))
      (call $frame_leave (local.get $top) (local.get $limit))
      (ref.i31 (i32.shr_s (local.get $r) (i32.const 1))))`);
      }
      continue;
    }
    const result = resultConversion(e, errs);
    for (const prim of primitiveNames(e)) {
      funcs.push(`   ;; ${e.name} : ${ocamlSignature(e)}
   (func (export ${watString(prim)}) ${e.args.map((_, i) => `(param $a${i} (ref eq))`).join(" ")} (result (ref eq))
      (local $top i32) (local $limit i32) (local $r i32) (local $rf f64) (local $rl i64) (local $v (ref eq))
      (local.set $top (call $frame_enter))
      (local.set $limit (call $arena_limit))
      ;; the frame is left on every path: after the result is decoded, or when anything raises
      (local.set $v
         (try (result (ref eq))
            (do
               ${call}${sentinel}
               ${result})
            (catch_all
               (call $frame_leave (local.get $top) (local.get $limit))
               (rethrow 0))))
      (call $frame_leave (local.get $top) (local.get $limit))
      (local.get $v))`);
    }
  }
  return `;; Generated by ocaml-interop-web from the Rust crate's #[ocaml_interop::export] functions. Do not edit.
(module
   (import "env" "oiw_encode_arg" (func $encode_arg (param (ref eq)) (param (ref eq)) (result i32)))
   (import "env" "oiw_encode_bytes" (func $encode_bytes (param (ref eq)) (param (ref eq)) (result i32)))
   (import "env" "oiw_encode_float" (func $encode_float (param (ref eq)) (param (ref eq)) (result i32)))
   (import "env" "oiw_immediate" (func $immediate (param (ref eq)) (param (ref eq)) (result i32)))
   (import "env" "oiw_untag" (func $untag (param (ref eq)) (param (ref eq)) (result i32)))
   (import "env" "oiw_unbox_float" (func $unbox_float (param (ref eq)) (param (ref eq)) (result f64)))
   (import "env" "oiw_unbox_int64" (func $unbox_int64 (param (ref eq)) (param (ref eq)) (result i64)))
   (import "env" "oiw_unbox_int32" (func $unbox_int32 (param (ref eq)) (param (ref eq)) (result i32)))
   (import "env" "caml_copy_int64" (func $copy_int64 (param i64) (result (ref eq))))
   (import "env" "caml_copy_int32" (func $copy_int32 (param i32) (result (ref eq))))
   (import "env" "oiw_tag_int" (func $tag_int (param i32) (param (ref eq)) (result (ref eq))))
   (import "env" "oiw_decode_result" (func $decode_result (param i32) (param (ref eq)) (result (ref eq))))
   (import "env" "oiw_frame_enter" (func $frame_enter (result i32)))
   (import "env" "oiw_frame_leave" (func $frame_leave (param i32 i32)))
   (import "env" "oiw_arena_limit" (func $arena_limit (result i32)))
   (import "env" "oiw_raise_error" (func $raise_error))
   (import "env" "oiw_check_error" (func $check_error))
   (import "env" "oiw_frame_leave_raising" (func $frame_leave_raising (param i32 i32)))
${imports.join("\n")}
   (type $bytes (array (mut i8)))
   (type $float (struct (field f64)))
${errs.join("\n")}
${funcs.join("\n")}
)
`;
}

/** Names OCaml code may register with Callback.register: every identifier-like string literal
 *  of the OCaml sources. wasm_of_ocaml's optimizer drops `Callback.register "name" f` when
 *  "name" is a constant that no JavaScript runtime file looks up with caml_named_value("name");
 *  listing the names here keeps those registrations, so Rust and TS can find them. */
export function scanRegisteredNames(sources: string[]): string[] {
  const names = new Set<string>(["rust_panic_exn"]);
  for (const src of sources) for (const m of src.matchAll(/"([A-Za-z_][\w.'-]{0,200})"/g)) names.add(m[1]);
  return [...names].sort();
}

export function generateJs(specs: ExportSpec[], registeredNames: string[]): string {
  const out = [
    `// Generated by ocaml-interop-web from the Rust crate's #[ocaml_interop::export] functions. Do not edit.
// One trampoline per export: it calls the current Rust instance (the host replaces it after
// a panic) and turns a trap or a JS exception into an error the OCaml glue raises; a call past
// the re-entrancy limit (src/host/limits.ts) is refused before Rust runs.

// Never called: wasm_of_ocaml keeps Callback.register "name" f only for names some runtime
// file looks up as caml_named_value("name"); these are the names the OCaml sources mention.
//Provides: oiw_registered_names
function oiw_registered_names() {
  function caml_named_value(name) { return name; }
  return [
${registeredNames.map((n) => `    caml_named_value(${JSON.stringify(n)}),`).join("\n")}
  ];
}`,
  ];
  for (const e of specs) {
    const ps = e.args.map((_, i) => `a${i}`).join(", ");
    const onTrap = e.ret.kind === "f64" ? "NaN" : e.ret.kind === "i64" ? "0n" : DIRECT[e.ret.kind] ? "0" : "2";
    out.push(`
//Provides: oiw_rust__${e.name}
//Requires: oiw_host
function oiw_rust__${e.name}(${ps}) {
  var h = oiw_host;
  if (h.depth >= h.maxDepth) { h.tooDeep(${JSON.stringify(e.name)}); return ${onTrap}; }
  h.depth++;
  try { return h.rust.${e.symbol}(${ps}); }
  catch (e) { h.trap(e, ${JSON.stringify(e.name)}); return ${onTrap}; }
  finally { if (--h.depth === 0 && h.poisoned) h.markResetPending(); }
}`);
  }
  return out.join("\n") + "\n";
}

/** The Rust type name when `t` is a type the Rust side could not describe (no OCamlDescriber). */
export function unknownRustType(t: TypeDesc | undefined): string | undefined {
  if (t === undefined || typeof t === "string") return undefined;
  const [k, v] = Object.entries(t)[0];
  return k === "unknown" ? String(v) : undefined;
}

export function ocamlSignature(e: ExportSpec): string {
  return [...e.args.map(argOCamlType), argOCamlType(e.ret)].join(" -> ");
}

export function generateExternals(specs: ExportSpec[], crate: string): string {
  const lines = [
    `(* Generated by ocaml-interop-web from the Rust crate "${crate}". Do not edit.
   The OCaml declarations of its #[ocaml_interop::export] functions, and the types of the Rust
   types that derive OCamlDescriber. *)
`,
    generateTypeDefinitions(specs),
  ];
  const boxes = new Map<string, string>();
  for (const e of specs) {
    for (const a of e.args) dynboxTypes(a.type, boxes);
    dynboxTypes(e.ret.type, boxes);
  }
  for (const [name, rust] of [...boxes].sort()) lines.push(`type ${name} (* a Rust ${rust} owned by OCaml (DynBox) *)`);
  if (boxes.size) lines.push("");
  for (const e of specs) {
    // a Rust type without OCamlDescriber: an argument becomes a type variable ('a, 'b, ...), an
    // unknown result leaves the external out (a type variable there would let OCaml take the
    // result for any type)
    const unknown = [...e.args.map((a) => a.type), e.ret.type].map(unknownRustType);
    if (unknown[unknown.length - 1] !== undefined) {
      lines.push(
        `(* ${e.name}: not declared here: its result has the Rust type ${unknown[unknown.length - 1]}, which implements no OCamlDescriber;\n   declare it yourself: external ${e.name} : ... = ${e.bytecode ? `"${e.bytecode}" "${e.name}"` : `"${e.name}"`} *)`,
      );
      continue;
    }
    if (unknown.some((u) => u !== undefined))
      lines.push(
        `(* ${e.name}: ${e.args
          .filter((_, i) => unknown[i] !== undefined)
          .map((a, j) => `'${String.fromCharCode(97 + j)} is the Rust type ${unknownRustType(a.type)} (argument ${a.name})`)
          .join(", ")}, which implements no OCamlDescriber *)`,
      );
    // [@unboxed] / [@untagged] need a native name: the export's own, when it has no bytecode one
    const direct = [...e.args, e.ret].some((a) => DIRECT[a.kind]);
    const names = e.bytecode ? `"${e.bytecode}" "${e.name}"` : direct ? `"${e.name}" "${e.name}"` : `"${e.name}"`;
    const noalloc = e.noalloc ? " [@@noalloc]" : "";
    let n = 0;
    const sig = [...e.args, e.ret]
      .map((a, i) => (unknown[i] !== undefined ? `'${String.fromCharCode(97 + n++)}` : argOCamlType(a)))
      .join(" -> ");
    lines.push(`external ${e.name} : ${sig} = ${names}${noalloc}`);
  }
  return lines.join("\n") + "\n";
}
