// Prints rust_glue.wat: per export a body, which checks the arguments' shapes, encodes them,
// calls Rust, and decodes the result or reads the exception Rust asked for, and one small
// wasm_of_ocaml primitive per name an OCaml `external` uses, which calls the body and raises that
// exception. The runtime functions it imports are the OCaml runtime
// file's glue ABI (ocaml/ocaml-interop-web/).
//
// Rust is called directly, through the table the host fills with the current instance's exports
// (`oiw_rust_table`, in the order of the plans: rust_glue.js gives the host that list): no JS
// frame on the way. While the instance is trapped and not yet re-created, the call goes through
// the export's JS trampoline instead (rust_glue.js), and past the re-entrancy limit it is
// refused before Rust runs. A JS exception or an escaped Rust exception under the call is
// caught here and becomes the call's error, as the trampoline would make it; a trap cannot be
// caught in wasm: it reaches the innermost JS frame, whose host code names it
// (docs/architecture.md, "Direct calls").
import { ERROR_SENTINEL } from "../../host/protocol.ts";
import { MAX_NESTED_RUST_CALLS } from "../../host/limits.ts";
import type { ExportPlan, ParamPlan, WasmType } from "./plan.ts";

function watString(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, "\\$1");
}

const RUNTIME_IMPORTS = `   (import "env" "oiw_encode_arg" (func $encode_arg (param (ref eq)) (param (ref eq)) (result i32)))
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
   (import "env" "oiw_light_enter" (func $light_enter (result i32 i32)))
   (import "env" "oiw_light_leave" (func $light_leave (param i32 i32 i32 i32)))
   (import "env" "oiw_bare_leave" (func $bare_leave (param i32)))
   (import "env" "oiw_error_release" (func $error_release))
   (import "js" "oiw_reset_pending" (global $reset_pending (mut i32)))
   (import "env" "oiw_temp_count" (global $temp_count (mut i32)))
   (import "js" "oiw_rust_instance" (global $rust_instance (mut i32)))
   (import "env" "oiw_error_exn" (func $error_exn (result (ref eq))))
   (import "env" "ocaml_exception" (tag $ocaml_exception (param (ref eq))))
   (import "env" "oiw_error_set" (func $error_set (result i32)))
   (import "env" "oiw_rust_depth" (global $rust_depth (mut i32)))
   (import "js" "oiw_rust_poisoned" (global $rust_poisoned (mut i32)))
   (import "env" "javascript_exception" (tag $javascript_exception (param externref)))
   (import "js" "oiw_wrapped_js_tag" (tag $wrapped_js_exception (param externref)))
   (import "env" "oiw_direct_leave" (func $direct_leave))
   (import "env" "oiw_direct_threw" (func $direct_threw (param externref i32)))
   (import "env" "oiw_direct_threw_rust" (func $direct_threw_rust (param i32)))
   (import "env" "oiw_direct_too_deep" (func $direct_too_deep (param i32)))`;

/** The call of export `index` with the argument expressions `args`: through the table (after
 *  the checks that send it the slower ways), its value the export's result. `$in_rust` is 1
 *  while the call runs: an exception that leaves it went through Rust (see `frameCatches`,
 *  the frame's handlers, which also catch what the conversions raise). */
function rustCall(p: ExportPlan, index: number, args: string[], sig: string): string {
  const w = (s: string) => s.replace(/\n/g, "\n            ");
  return w(`(if (result ${p.result.wasm}) (global.get $rust_poisoned)
   ;; the instance trapped and is not re-created yet: the JS trampoline
   (then (call $rust_${p.name} ${args.join(" ")}))
   (else
      (if (result ${p.result.wasm}) (i32.ge_u (global.get $rust_depth) (i32.const ${MAX_NESTED_RUST_CALLS}))
         (then (call $direct_too_deep (i32.const ${index})) ${p.onTrapWat})
         (else
            (global.set $rust_depth (i32.add (global.get $rust_depth) (i32.const 1)))
            (local.set $in_rust (i32.const 1))
            (call_indirect $rust_table (type ${sig}) ${args.join(" ")} (i32.const ${index}))
            (local.set $in_rust (i32.const 0))
            ;; one Rust frame fewer (oiw_direct_leave also does it, with the re-creation)
            (if (global.get $rust_poisoned)
               (then (call $direct_leave))
               (else (global.set $rust_depth (i32.sub (global.get $rust_depth) (i32.const 1)))))))))`);
}

/** The wasm signature of an export, as a type of the module (one per distinct signature). */
class Signatures {
  readonly decls: string[] = [];
  private readonly ids = new Map<string, string>();
  of(p: ExportPlan): string {
    const params = p.params.map((x) => x.wasm as WasmType);
    const key = `${params.join(" ")}->${p.result.wasm}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = `$rust_sig_${this.ids.size}`;
      this.ids.set(key, id);
      this.decls.push(`   (type ${id} (func${params.length ? ` (param ${params.join(" ")})` : ""} (result ${p.result.wasm})))`);
    }
    return id;
  }
}

/** The message strings of one export, declared once at the top of the module. */
class Strings {
  readonly decls: string[] = [];
  add(id: string, text: string): string {
    this.decls.push(`   (@string ${id} ${watString(text)})`);
    return `(global.get ${id})`;
  }
}

function argConversion(p: ExportPlan, param: ParamPlan, i: number, strings: Strings): string {
  const v = `(local.get $a${i})`;
  const l = param.lowering;
  const expected = () => strings.add(`$err_${p.name}_${i}`, (l as { expected: string }).expected);
  switch (l.via) {
    case "direct":
      return `(call ${l.fn} ${v} ${expected()})`;
    case "immediate":
      // an int, a bool, a char, a constant constructor: tagged in place; anything else is the
      // runtime's error
      return `(if (result i32) (ref.test (ref i31) ${v}) (then (i32.or (i32.shl (i31.get_s (ref.cast (ref i31) ${v})) (i32.const 1)) (i32.const 1))) (else (call $immediate ${v} ${expected()})))`;
    case "bytes":
      return `(call $encode_bytes ${v} ${expected()})`;
    case "float":
      return `(call $encode_float ${v} ${expected()})`;
    case "encode":
      return `(call $encode_arg ${v} ${strings.add(`$what_${p.name}_${i}`, l.what)})`;
  }
}

/** A direct result cannot carry the error sentinel: the error slot says whether the call
 *  failed (its error read here, raised by the primitive). */
const CHECK_ERROR = "(if (call $error_set) (then (local.set $e (call $error_exn))))";

function resultConversion(p: ExportPlan, strings: Strings, isizeError: string): string {
  const l = p.result.lifting;
  switch (l.via) {
    case "direct":
      return {
        f64: `${CHECK_ERROR} (struct.new $float (local.get $rf))`,
        i64: `${CHECK_ERROR} (call $copy_int64 (local.get $rl))`,
        i32: `${CHECK_ERROR} (call $copy_int32 (local.get $r))`,
        bool: `${CHECK_ERROR} (ref.i31 (i32.ne (local.get $r) (i32.const 0)))`,
      }[l.kind];
    case "isize":
      return `(if (result (ref eq)) (call $error_set)
                  (then (local.set $e (call $error_exn)) (ref.i31 (i32.const 0)))
                  (else (call $tag_int (local.get $r) ${isizeError})))`;
    case "decode":
      return `(call $decode_result (local.get $r) ${strings.add(`$what_${p.name}_ret`, l.what)})`;
    case "immediate":
      return `(ref.i31 (i32.shr_s (local.get $r) (i32.const 1)))`;
  }
}

const params = (p: ExportPlan) => p.params.map((_, i) => `(param $a${i} (ref eq))`).join(" ");

/** The glue's light frame (ocaml_interop_arena.wat, oiw_light_enter and oiw_light_leave): its
 *  locals, entering it, and leaving it. (The glue itself has no memory instruction: the
 *  single-memory build rewrites the runtime files' ones, not this file's.) */
const FRAME_LOCALS = "(local $top i32) (local $limit i32) (local $temps i32) (local $instance i32)";
const ENTER_FRAME = `(call $light_enter) (local.set $limit) (local.set $top)
      (local.set $temps (global.get $temp_count))
      (local.set $instance (global.get $rust_instance))`;
const FRAME = "(local.get $top) (local.get $limit) (local.get $temps) (local.get $instance)";

/** The handlers of the glue's frame. An exception out of the direct Rust call (`$in_rust`): a
 *  JS exception, or a Rust exception no export caught (no_panic_catch), becomes the call's error
 *  as the trampoline makes it (the host's directThrew), raised once the frame is left. Any other
 *  (an argument or result conversion raising): the frame is left and it goes on. */
function frameCatches(index: number, type: string, dummy: string, leave = `(call $light_leave ${FRAME})`): string {
  const through = (threw: string) => `(if (result ${type}) (local.get $in_rust)
                  (then ${threw} (local.set $e (call $error_exn)) ${dummy})
                  (else ${leave} (rethrow $frame)))`;
  const js = `(local.set $jx (pop externref))
               ${through(`(call $direct_threw (local.get $jx) (i32.const ${index}))`)}`;
  return `            (catch $javascript_exception
               ${js})
            (catch $wrapped_js_exception
               ${js})
            (catch_all
               ${through(`(call $direct_threw_rust (i32.const ${index}))`)})`;
}

/** After the frame is left: the error read inside it, handed to the primitive to raise (see
 *  `primitive`). */
const RAISE = `(if (i32.eqz (ref.is_null (local.get $e))) (then (global.set $raise (local.get $e)) (return (ref.i31 (i32.const 0)))))`;
const ERROR_LOCALS = "(local $in_rust i32) (local $e (ref null eq)) (local $jx externref)";

/** The primitive an `external` names: it calls the export's body and raises the exception the
 *  body left in `$raise`. Small, so the engine inlines it into the OCaml function that calls
 *  it, where the raise then meets that function's handler: a throw that leaves a function
 *  costs about 11 us in SpiderMonkey, one inside a function ~80 ns (tools/bench/throw-cost.ts). */
function primitive(p: ExportPlan, prim: string): string {
  const args = p.params.map((_, i) => `(local.get $a${i})`).join(" ");
  return `   (func (export ${watString(prim)}) ${params(p)} (result (ref eq))
      (local $v (ref eq)) (local $e (ref null eq))
      (local.set $v (call $body_${p.name}${args ? ` ${args}` : ""}))
      (if (ref.is_null (global.get $raise)) (then (return (local.get $v))))
      (local.set $e (global.get $raise))
      (global.set $raise (ref.null eq))
      (throw $ocaml_exception (ref.as_non_null (local.get $e))))`;
}

/** Immediates only: the arguments are checked first, then Rust is called with a bare frame,
 *  one that does not touch the arena. Nothing of the glue's is in it, and Rust's export puts
 *  it back itself when its result is an immediate or a plain error
 *  (rust/ocaml-interop-web/src/internal/export.rs); an `Err(exn)` leaves the arena to the
 *  reader, with the mark to go back to in the error slot, which `oiw_error_release` applies
 *  once the exception is read. The bare frame keeps the temporary-handle mark (temporaries
 *  Rust's calls into OCaml made) and the pending reset after an error (oiw_bare_leave), which
 *  cost two global reads and a compare when there is nothing to do. A Rust error is read inside
 *  the frame and raised by the primitive after it is left. */
function simpleFunc(p: ExportPlan, index: number, checks: string[], call: (args: string[]) => string): string {
  const leave = "(call $bare_leave (local.get $temps))";
  return `   ;; ${p.name} : ${p.ocamlSignature}
   (func $body_${p.name} ${params(p)} (result (ref eq))
      (local $temps i32) (local $r i32) ${ERROR_LOCALS} ${p.params.map((_, i) => `(local $w${i} i32)`).join(" ")}
      ${checks.map((c, i) => `(local.set $w${i} ${c})`).join("\n      ")}
      (local.set $temps (global.get $temp_count))
      (local.set $r
         (try $frame (result i32)
            (do
               ${call(p.params.map((_, i) => `(local.get $w${i})`)).replace(/\n/g, "\n   ")})
${frameCatches(index, "i32", `(i32.const ${ERROR_SENTINEL})`, leave)}))
      (if (i32.eq (local.get $r) (i32.const ${ERROR_SENTINEL}))
         (then
            ;; read the error (unless a handler did), put the arena back, leave the frame, raise
            (if (ref.is_null (local.get $e)) (then (local.set $e (call $error_exn))))
            (call $error_release)
            ${leave}
            ${RAISE}))
      (if (i32.or (i32.gt_u (global.get $temp_count) (local.get $temps)) (global.get $reset_pending))
         (then ${leave}))
      (ref.i31 (i32.shr_s (local.get $r) (i32.const 1))))`;
}

/** Any other signature: the frame is left on every path, after the result is decoded or when
 *  anything raises. Rust's error is read inside the frame and raised by the primitive after the
 *  frame is left, outside the try: not raised, caught and raised again. */
function func(p: ExportPlan, index: number, convs: string[], result: string, rust: (args: string[]) => string): string {
  const call = [
    ...convs.map((c, i) => `(local.set $w${i} ${c})`),
    `(local.set ${p.result.local}\n               ${rust(p.params.map((_, i) => `(local.get $w${i})`)).replace(/\n/g, "\n      ")})`,
  ].join("\n               ");
  // a direct result cannot carry the error sentinel: its conversion checks the error slot
  const value =
    p.result.lifting.via === "decode"
      ? `(if (result (ref eq)) (i32.eq (local.get $r) (i32.const ${ERROR_SENTINEL}))
                  (then (local.set $e (call $error_exn)) (ref.i31 (i32.const 0)))
                  (else ${result}))`
      : result;
  return `   ;; ${p.name} : ${p.ocamlSignature}
   (func $body_${p.name} ${params(p)} (result (ref eq))
      ${FRAME_LOCALS} (local $r i32) (local $rf f64) (local $rl i64) (local $v (ref eq)) ${ERROR_LOCALS} ${p.params.map((x, i) => `(local $w${i} ${x.wasm})`).join(" ")}
      ${ENTER_FRAME}
      ;; the frame is left on every path: after the result is decoded, or when anything raises
      (local.set $v
         (try $frame (result (ref eq))
            (do
               ${call}
               ${value})
${frameCatches(index, "(ref eq)", "(ref.i31 (i32.const 0))")}))
      (call $light_leave ${FRAME})
      ${RAISE}
      (local.get $v))`;
}

export function printWat(plans: readonly ExportPlan[]): string {
  const strings = new Strings();
  const sigs = new Signatures();
  const funcs: string[] = [];
  const imports: string[] = [];
  if (plans.length) imports.push(`   (import "js" "oiw_rust_table" (table $rust_table ${plans.length} funcref))`);
  for (const [index, p] of plans.entries()) {
    const sig = sigs.of(p);
    const call = (args: string[]) => rustCall(p, index, args, sig);
    imports.push(
      `   (import "js" "oiw_rust__${p.name}" (func $rust_${p.name} (param ${p.params.map((x) => x.wasm).join(" ")}) (result ${p.result.wasm})))`,
    );
    const l = p.result.lifting;
    const isizeError = l.via === "isize" ? strings.add(`$err_${p.name}_ret`, l.message) : "";
    const convs = p.params.map((param, i) => argConversion(p, param, i, strings));
    funcs.push(p.simple ? simpleFunc(p, index, convs, call) : func(p, index, convs, resultConversion(p, strings, isizeError), call));
    for (const prim of p.primitives) funcs.push(primitive(p, prim));
  }
  return `;; Generated by ocaml-interop-web from the Rust crate's #[ocaml_interop::export] functions. Do not edit.
(module
${RUNTIME_IMPORTS}
${imports.join("\n")}
   (type $bytes (array (mut i8)))
   (type $float (struct (field f64)))
${sigs.decls.join("\n")}
${strings.decls.join("\n")}
   ;; the exception a body leaves for its primitive to raise (set just before it returns)
   (global $raise (mut (ref null eq)) (ref.null eq))
${funcs.join("\n")}
)
`;
}
