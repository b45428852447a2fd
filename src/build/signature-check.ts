// Checks, before OCaml is compiled, that every OCaml `external` naming a Rust export agrees
// with the Rust signature: same number of arguments, and the same types where both sides name
// a base type. A mismatch fails the build with both signatures (otherwise wasm_of_ocaml
// crashes on an arity mismatch, or the call fails at run time).
import type { ArgSpec, ExportSpec, RetSpec } from "../host/type-desc.ts";
import { DIRECT, unknownRustType } from "./glue/ocaml-names.ts";
import { ocamlSignature, primitiveNames } from "./glue/plan.ts";
import { canonicalType, knownTypeNames } from "./ocaml-types.ts";

export interface External {
  file: string;
  line: number;
  name: string;
  type: string;
  prims: string[];
  /** attributes after the names, e.g. ["noalloc", "unboxed"] for [@@noalloc] [@@unboxed] */
  attrs?: string[];
}

/** The `external` declarations of an OCaml source (comments and strings are not parsed away:
 *  good enough for declarations, which are written at the top level). */
export function parseExternals(file: string, src: string): External[] {
  const out: External[] = [];
  const re = /\bexternal\s+([a-z_][\w']*|\([^)]*\))\s*:\s*([^=]+?)\s*=\s*((?:"[^"]*"\s*)+)((?:\[@@[^\]]*\]\s*)*)/g;
  for (const m of src.matchAll(re)) {
    const prims = [...m[3].matchAll(/"([^"]*)"/g)].map((p) => p[1]);
    const attrs = [...(m[4] ?? "").matchAll(/\[@@\s*(?:ocaml\.)?([\w.]+)/g)].map((a) => a[1]);
    const line = src.slice(0, m.index).split("\n").length;
    out.push({ file, line, name: m[1], type: m[2].replace(/\s+/g, " ").trim(), prims, attrs });
  }
  return out;
}

/** Splits a type at its top-level arrows. */
export function arrowParts(t: string): string[] {
  const parts: string[] = [];
  let depth = 0,
    cur = "";
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === "(" || c === "[") depth++;
    if (c === ")" || c === "]") depth--;
    if (depth === 0 && c === "-" && t[i + 1] === ">") {
      parts.push(cur.trim());
      cur = "";
      i++;
      continue;
    }
    cur += c;
  }
  parts.push(cur.trim());
  return parts;
}

const BASE = new Set(["int", "bool", "float", "string", "bytes", "unit", "char", "int32", "int64", "nativeint"]);

/** A part's type without attributes and outer parentheses: "(float [@unboxed])" -> "float". */
function normalize(part: string): string {
  let p = part
    .replace(/\[@@?[^\]]*\]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  while (p.startsWith("(") && p.endsWith(")")) p = p.slice(1, -1).trim();
  return p;
}

/** One warning per argument or result whose Rust type has no OCamlDescriber: the build cannot
 *  check OCaml's declaration of it, and TypeScript sees it as `unknown`. */
export function unknownTypeWarnings(specs: ExportSpec[], crate: string): string[] {
  const out: string[] = [];
  for (const e of specs) {
    const parts: [string, ArgSpec | RetSpec][] = [
      ...e.args.map((a): [string, ArgSpec] => [`argument ${a.name}`, a]),
      ["the result", e.ret],
    ];
    for (const [what, a] of parts) {
      const rust = unknownRustType(a.type);
      if (rust !== undefined)
        out.push(
          `crate ${crate}: #[export] ${e.name}: ${what} has the Rust type ${rust}, which implements no OCamlDescriber: ` +
            `the build cannot check OCaml's declaration of it (derive OCamlDescriber, or implement it, to have it checked); in TypeScript it is unknown`,
        );
    }
  }
  return out;
}

export function checkExternals(externals: External[], specs: ExportSpec[], crate: string): string[] {
  const byPrim = new Map<string, ExportSpec>();
  for (const e of specs) for (const n of primitiveNames(e)) byPrim.set(n, e);
  const errors: string[] = [];
  const known = knownTypeNames(specs);
  for (const x of externals) {
    // `"" "native"` (no bytecode version): wasm_of_ocaml compiles bytecode, so it would call
    // a primitive named "" — shared by every such external, never this Rust function
    if (x.prims[0] === "" && x.prims[1] !== undefined && byPrim.has(x.prims[1])) {
      errors.push(
        `${x.file}:${x.line}: "${x.prims[1]}": the bytecode name is empty, and wasm_of_ocaml calls the bytecode name; ` +
          `write = "${x.prims[1]}" "${x.prims[1]}" (or give the export bytecode = "..." and use that name first)` +
          `
  OCaml: external ${x.name} : ${x.type} = ${x.prims.map((p) => `"${p}"`).join(" ")}`,
      );
      continue;
    }
    // wasm_of_ocaml calls the bytecode name (the first string)
    const e = byPrim.get(x.prims[0]);
    if (!e) continue;
    const parts = arrowParts(x.type);
    const rustSig = ocamlSignature(e);
    const rustParts = arrowParts(rustSig).map(normalize);
    const where = `${x.file}:${x.line}`;
    const both = `\n  OCaml: external ${x.name} : ${x.type} = ${x.prims.map((p) => `"${p}"`).join(" ")}\n  Rust:  #[export] ${e.name} in crate ${crate}: ${rustSig}`;
    if (parts.length !== rustParts.length) {
      errors.push(`${where}: "${x.prims[0]}" takes ${rustParts.length - 1} argument(s) in Rust, ${parts.length - 1} in OCaml${both}`);
      continue;
    }
    const kinds = [...e.args.map((a) => a.kind as string), e.ret.kind as string];
    parts.forEach((raw, i) => {
      const p = normalize(raw),
        r = rustParts[i];
      const what = i === parts.length - 1 ? "the result" : `argument ${i + 1} (${e.args[i]?.name ?? "?"})`;
      if (BASE.has(p) && BASE.has(r) && p !== r) {
        errors.push(`${where}: "${x.prims[0]}": ${what} is ${r} in Rust, ${p} in OCaml${both}`);
        return;
      }
      // compound types (lists, options, tuples, the Rust side's records ...) where both sides
      // can be read; an alias or abstract type on the OCaml side is left to the OCaml compiler
      const cp = canonicalType(p, known),
        cr = canonicalType(r, known);
      if (cp !== undefined && cr !== undefined && cp !== cr) {
        errors.push(`${where}: "${x.prims[0]}": ${what} is ${r} in Rust, ${p} in OCaml${both}`);
        return;
      }
      // [@unboxed] / [@untagged] must match the Rust side's direct primitives, as native
      // OCaml passes such values differently (here the glue converts either way, but code
      // that disagrees would break when built natively)
      const want = DIRECT[kinds[i]]?.attr;
      const has =
        /\[@\s*(?:ocaml\.)?unboxed\s*\]/.test(raw) || (x.attrs ?? []).includes("unboxed")
          ? "unboxed"
          : /\[@\s*(?:ocaml\.)?untagged\s*\]/.test(raw) || (x.attrs ?? []).includes("untagged")
            ? "untagged"
            : undefined;
      if (want !== has) {
        const rustSide = want ? `the direct primitive ${kinds[i]} (OCaml must say [@${want}])` : "an OCaml value";
        errors.push(`${where}: "${x.prims[0]}": ${what} is ${rustSide} in Rust, ${has ? `[@${has}]` : "boxed/tagged"} in OCaml${both}`);
      }
    });
  }
  return errors;
}
