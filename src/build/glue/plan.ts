// The lowering plan of each Rust export, built once from its description: how OCaml calls it
// (the primitive names, the wasm signature, each argument's conversion and the messages it
// raises, how the result comes back, what a trap returns) and how OCaml declares it. Every
// printer (wat.ts, js.ts, ml.ts, ts.ts) renders this model; none reads a description itself.
import { entry, type ArgSpec, type DescribedType, type ExportSpec } from "../../host/type-desc.ts";
import { ERROR_SENTINEL } from "../../host/protocol.ts";
import { argOCamlType, DIRECT, ocamlType, unknownRustType } from "./ocaml-names.ts";

export type WasmType = "i32" | "i64" | "f64";

/** How the OCaml glue turns one argument into what Rust takes. */
export type ArgLowering =
  /** a direct primitive: unboxed or untagged by `fn`, which raises `expected` on a wrong value */
  | { readonly via: "direct"; readonly fn: string; readonly expected: string }
  /** an immediate (int, bool, char, unit): its word, checked */
  | { readonly via: "immediate"; readonly expected: string }
  /** a string or bytes, copied into the arena */
  | { readonly via: "bytes"; readonly expected: string }
  /** a float, boxed in the arena */
  | { readonly via: "float"; readonly expected: string }
  /** any other value, through the encoder, whose errors name `what` */
  | { readonly via: "encode"; readonly what: string };

export interface ParamPlan {
  readonly name: string;
  readonly wasm: WasmType;
  readonly lowering: ArgLowering;
}

/** How the result comes back to OCaml. */
export type ResultLifting =
  | { readonly via: "direct"; readonly kind: "f64" | "i64" | "i32" | "bool" }
  /** an untagged int: re-tagged, or `message` raised when it does not fit OCaml's int */
  | { readonly via: "isize"; readonly message: string }
  /** a wire value, decoded; its errors name `what` */
  | { readonly via: "decode"; readonly what: string }
  /** an immediate: the word shifted (only in a simple plan) */
  | { readonly via: "immediate" };

/** The `external` of rust.ml. */
export type ExternalPlan =
  | { readonly declared: true; readonly signature: string; readonly names: string; readonly noalloc: boolean; readonly note?: string }
  /** a result of a Rust type without OCamlDescriber: left out (a type variable would let OCaml
   *  take the result for any type) */
  | { readonly declared: false; readonly note: string };

export interface ExportPlan {
  readonly spec: ExportSpec;
  readonly name: string;
  /** the Rust module's wasm export */
  readonly symbol: string;
  /** the names OCaml calls it by: its own, and its bytecode name if it has one */
  readonly primitives: readonly string[];
  readonly params: readonly ParamPlan[];
  readonly result: { readonly wasm: WasmType; readonly local: string; readonly lifting: ResultLifting };
  /** immediates only: the arguments are checked before the call, which cannot raise after */
  readonly simple: boolean;
  /** what the JS trampoline returns to the glue after a trap (the error slot says the rest) */
  readonly onTrap: string;
  /** the same value as a wat constant, which the direct route returns when its call threw */
  readonly onTrapWat: string;
  /** its OCaml type (in the glue's comments and the build's checks) */
  readonly ocamlSignature: string;
  readonly external: ExternalPlan;
}

const IMMEDIATE = new Set<unknown>(["int", "bool", "unit", "char"]);
const isImmediate = (t: DescribedType | undefined) => t !== undefined && entry(t)[0] === "primitive" && IMMEDIATE.has(t);

export function primitiveNames(e: ExportSpec): string[] {
  return e.bytecode ? [e.name, e.bytecode] : [e.name];
}

export function ocamlSignature(e: ExportSpec): string {
  return [...e.args.map(argOCamlType), argOCamlType(e.ret)].join(" -> ");
}

function lowering(e: ExportSpec, a: ArgSpec): ArgLowering {
  const expected = `${e.name}: argument ${a.name}: expected ${DIRECT[a.kind]?.ocaml ?? ocamlType(a.type)}`;
  const d = DIRECT[a.kind];
  if (d) return { via: "direct", fn: d.arg, expected };
  if (isImmediate(a.type)) return { via: "immediate", expected };
  if (a.type === "string" || a.type === "bytes") return { via: "bytes", expected };
  if (a.type === "float") return { via: "float", expected };
  return { via: "encode", what: `${e.name}: argument ${a.name}` };
}

function lifting(e: ExportSpec, simple: boolean): ResultLifting {
  const k = e.ret.kind;
  if (k === "f64" || k === "i64" || k === "i32" || k === "bool") return { via: "direct", kind: k };
  if (k === "isize") return { via: "isize", message: `${e.name}: result does not fit OCaml's 31-bit int` };
  return simple ? { via: "immediate" } : { via: "decode", what: `${e.name}: result` };
}

function externalPlan(e: ExportSpec): ExternalPlan {
  const unknown = [...e.args.map((a) => a.type), e.ret.type].map(unknownRustType);
  const primitive = e.bytecode ? `"${e.bytecode}" "${e.name}"` : `"${e.name}"`;
  const resultUnknown = unknown[unknown.length - 1];
  if (resultUnknown !== undefined)
    return {
      declared: false,
      note: `${e.name}: not declared here: its result has the Rust type ${resultUnknown}, which implements no OCamlDescriber;\n   declare it yourself: external ${e.name} : ... = ${primitive}`,
    };
  // a Rust type without OCamlDescriber: an argument becomes a type variable ('a, 'b, ...)
  let n = 0;
  const variables: string[] = [];
  const signature = [...e.args, e.ret]
    .map((a, i) => {
      if (unknown[i] === undefined) return argOCamlType(a);
      const v = `'${String.fromCharCode(97 + n++)}`;
      variables.push(`${v} is the Rust type ${unknown[i]} (argument ${e.args[i].name})`);
      return v;
    })
    .join(" -> ");
  // [@unboxed] / [@untagged] need a native name: the export's own, when it has no bytecode one
  const direct = [...e.args, e.ret].some((a) => DIRECT[a.kind]);
  return {
    declared: true,
    signature,
    names: e.bytecode ? primitive : direct ? `"${e.name}" "${e.name}"` : primitive,
    noalloc: e.noalloc,
    note: variables.length ? `${e.name}: ${variables.join(", ")}, which implements no OCamlDescriber` : undefined,
  };
}

export function planExport(e: ExportSpec): ExportPlan {
  const simple =
    e.args.every((a) => a.kind === "isize" || a.kind === "bool" || (a.kind === "ocaml" && isImmediate(a.type))) &&
    (e.ret.kind === "unit" || (e.ret.kind === "ocaml" && isImmediate(e.ret.type)));
  const direct = DIRECT[e.ret.kind];
  return {
    spec: e,
    name: e.name,
    symbol: e.symbol,
    primitives: primitiveNames(e),
    params: e.args.map((a) => ({ name: a.name, wasm: DIRECT[a.kind]?.wasm ?? "i32", lowering: lowering(e, a) })),
    result: { wasm: direct?.wasm ?? "i32", local: direct?.local ?? "$r", lifting: lifting(e, simple) },
    simple,
    // the error sentinel for a wire result; a direct result cannot carry it (the error slot is read)
    onTrap: e.ret.kind === "f64" ? "NaN" : e.ret.kind === "i64" ? "0n" : direct ? "0" : String(ERROR_SENTINEL),
    onTrapWat:
      e.ret.kind === "f64" ? "(f64.const nan)" : e.ret.kind === "i64" ? "(i64.const 0)" : `(i32.const ${direct ? 0 : ERROR_SENTINEL})`,
    ocamlSignature: ocamlSignature(e),
    external: externalPlan(e),
  };
}

export const planExports = (specs: readonly ExportSpec[]): ExportPlan[] => specs.map(planExport);
