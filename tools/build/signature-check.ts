// Checks, before OCaml is compiled, that every OCaml `external` naming a Rust export agrees
// with the Rust signature: same number of arguments, and the same types where both sides name
// a base type. A mismatch fails the build with both signatures (otherwise wasm_of_ocaml
// crashes on an arity mismatch, or the call fails at run time).
import type { ExportSpec } from "./wasm-module-info.ts";
import { ocamlSignature, primitiveNames } from "./ocaml-glue.ts";

export interface External { file: string; line: number; name: string; type: string; prims: string[] }

/** The `external` declarations of an OCaml source (comments and strings are not parsed away:
 *  good enough for declarations, which are written at the top level). */
export function parseExternals(file: string, src: string): External[] {
  const out: External[] = [];
  const re = /\bexternal\s+([a-z_][\w']*|\([^)]*\))\s*:\s*([^=]+?)\s*=\s*((?:"[^"]*"\s*)+)/g;
  for (const m of src.matchAll(re)) {
    const prims = [...m[3].matchAll(/"([^"]*)"/g)].map((p) => p[1]);
    const line = src.slice(0, m.index).split("\n").length;
    out.push({ file, line, name: m[1], type: m[2].replace(/\s+/g, " ").trim(), prims });
  }
  return out;
}

/** Splits a type at its top-level arrows. */
export function arrowParts(t: string): string[] {
  const parts: string[] = [];
  let depth = 0, cur = "";
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === "(" || c === "[") depth++;
    if (c === ")" || c === "]") depth--;
    if (depth === 0 && c === "-" && t[i + 1] === ">") { parts.push(cur.trim()); cur = ""; i++; continue; }
    cur += c;
  }
  parts.push(cur.trim());
  return parts;
}

const BASE = new Set(["int", "bool", "float", "string", "bytes", "unit", "char", "int32", "int64", "nativeint"]);

/** A part's type without attributes and outer parentheses: "(float [@unboxed])" -> "float". */
function normalize(part: string): string {
  let p = part.replace(/\[@@?[^\]]*\]/g, "").replace(/\s+/g, " ").trim();
  while (p.startsWith("(") && p.endsWith(")")) p = p.slice(1, -1).trim();
  return p;
}

export function checkExternals(externals: External[], specs: ExportSpec[], crate: string): string[] {
  const byPrim = new Map<string, ExportSpec>();
  for (const e of specs) for (const n of primitiveNames(e)) byPrim.set(n, e);
  const errors: string[] = [];
  for (const x of externals) {
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
    parts.map(normalize).forEach((p, i) => {
      const r = rustParts[i];
      if (BASE.has(p) && BASE.has(r) && p !== r) {
        const what = i === parts.length - 1 ? "the result" : `argument ${i + 1} (${e.args[i]?.name ?? "?"})`;
        errors.push(`${where}: "${x.prims[0]}": ${what} is ${r} in Rust, ${p} in OCaml${both}`);
      }
    });
  }
  return errors;
}
