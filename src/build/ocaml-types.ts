// OCaml type definitions of the Rust types that derive OCamlDescriber: emitted into the
// generated rust.ml, and checked against the user's own definitions of the same names, so a
// Rust/OCaml mismatch in field count, field names or constructor order fails the build instead
// of giving wrong values at run time.
import type { ExportSpec, TypeDesc } from "./wasm-module-info.ts";
import { ocamlType } from "./ocaml-glue.ts";

interface Field { name: string; type: TypeDesc }
interface Ctor { name: string; args?: TypeDesc[]; record?: Field[] }
interface Named { kind: "record" | "variant" | "polyvar"; name: string; fields?: Field[]; ctors?: Ctor[]; flat_floats?: boolean }

/** Every named type in the exports' descriptions, by name. */
export function namedTypes(specs: ExportSpec[]): Map<string, Named> {
  const out = new Map<string, Named>();
  const walk = (t: unknown): void => {
    if (t === null || typeof t !== "object") return;
    if (Array.isArray(t)) { t.forEach(walk); return; }
    for (const [k, v] of Object.entries(t as Record<string, unknown>)) {
      if ((k === "record" || k === "variant" || k === "polyvar") && v && typeof v === "object" && "name" in v) {
        const d = v as Omit<Named, "kind">;
        if (!out.has(d.name)) out.set(d.name, { kind: k, ...d });
      }
      walk(v);
    }
  };
  for (const e of specs) { e.args.forEach((a) => walk(a.type)); walk(e.ret.type); }
  return out;
}

function definition(d: Named): string {
  const fields = (fs: Field[]) => `{ ${fs.map((f) => `${f.name} : ${ocamlType(f.type)}`).join("; ")} }`;
  if (d.kind === "record") return `${d.name} = ${fields(d.fields!)}`;
  const ctors = d.ctors!.map((c) => {
    const tag = d.kind === "polyvar" ? `\`${c.name}` : c.name;
    if (c.record) return `${tag} of ${fields(c.record)}`;
    if (c.args?.length) return `${tag} of ${c.args.map((a) => { const s = ocamlType(a); return splitTop(s, "*").length > 1 ? `(${s})` : s; }).join(" * ")}`;
    return tag;
  });
  return d.kind === "polyvar" ? `${d.name} = [ ${ctors.join(" | ")} ]` : `${d.name} = ${ctors.join(" | ")}`;
}

/** `type a = ... and b = ...` for every named type (one recursive group: order does not matter). */
export function generateTypeDefinitions(specs: ExportSpec[]): string {
  const defs = [...namedTypes(specs).values()].map(definition);
  if (!defs.length) return "";
  return `type ${defs.join("\n\nand ")}\n\n`;
}

// ---- the user's definitions ---------------------------------------------------------------------

const stripComments = (src: string) => {
  let out = "", depth = 0;
  for (let i = 0; i < src.length; i++) {
    if (src.startsWith("(*", i)) { depth++; i++; out += "  "; continue; }
    if (depth && src.startsWith("*)", i)) { depth--; i++; out += "  "; continue; }
    // keep newlines and offsets, so positions in the result are positions in the source
    out += depth ? (src[i] === "\n" ? "\n" : " ") : src[i];
  }
  return out;
};

/** Splits at top-level separators (outside (), [], {}). */
function splitTop(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0, cur = "";
  for (const c of s) {
    if ("([{".includes(c)) depth++;
    if (")]}".includes(c)) depth--;
    if (depth === 0 && c === sep) { parts.push(cur.trim()); cur = ""; continue; }
    cur += c;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

interface UserType { file: string; line: number; text: string }

/** The body of `type name = body` definitions in OCaml sources. */
export function findTypeDefinitions(file: string, source: string, names: Set<string>): Map<string, UserType> {
  const out = new Map<string, UserType>();
  const src = stripComments(source);
  const re = /\b(?:type(?:\s+nonrec)?|and)\s+([a-z_][\w']*)\s*=\s*/g;
  for (const m of src.matchAll(re)) {
    if (!names.has(m[1])) continue;
    const start = m.index! + m[0].length;
    const rest = src.slice(start);
    const end = rest.search(/\n\s*(?:type|and|let|external|exception|module|open|include|val)\b|;;/);
    out.set(m[1], { file, line: src.slice(0, m.index).split("\n").length, text: (end < 0 ? rest : rest.slice(0, end)).trim().replace(/\s+/g, " ") });
  }
  return out;
}

function shapeOfUser(text: string): { kind: string; items: { name: string; arity: number; record: boolean }[] } {
  if (text.startsWith("{")) {
    const fields = splitTop(text.slice(1, text.lastIndexOf("}")), ";").map((f) => f.replace(/^mutable\s+/, ""));
    return { kind: "record", items: fields.map((f) => ({ name: f.split(":")[0].trim(), arity: 1, record: false, type: f.split(":").slice(1).join(":").trim() } as never)) };
  }
  if (text.startsWith("[")) {
    const body = text.slice(1, text.lastIndexOf("]")).replace(/^\s*[<>|]/, "");
    return { kind: "polyvar", items: splitTop(body, "|").map((c) => ctor(c.replace(/^`/, ""))) };
  }
  return { kind: "variant", items: splitTop(text.replace(/^\|/, ""), "|").map(ctor) };
}

function ctor(c: string): { name: string; arity: number; record: boolean } {
  const m = c.match(/^([\w']+)\s*(?:of\s+([\s\S]*))?$/);
  if (!m) return { name: c, arity: -1, record: false };
  if (!m[2]) return { name: m[1], arity: 0, record: false };
  const arg = m[2].trim();
  if (arg.startsWith("{")) return { name: m[1], arity: splitTop(arg.slice(1, -1), ";").length, record: true };
  return { name: m[1], arity: splitTop(arg, "*").length, record: false };
}

export function checkTypeDefinitions(sources: { path: string; src: string }[], specs: ExportSpec[], crate: string): string[] {
  const types = namedTypes(specs);
  const names = new Set(types.keys());
  const errors: string[] = [];
  for (const { path, src } of sources) {
    for (const [name, user] of findTypeDefinitions(path, src, names)) {
      const d = types.get(name)!;
      const want = definition(d);
      const got = shapeOfUser(user.text);
      const where = `${user.file}:${user.line}: type ${name}`;
      const both = `\n  OCaml: type ${name} = ${user.text.replace(/\s+/g, " ")}\n  Rust (crate ${crate}): type ${want}`;
      if (got.kind !== d.kind) { errors.push(`${where} is a ${got.kind} in OCaml, a ${d.kind} in Rust${both}`); continue; }
      if (d.kind === "record") {
        const rf = d.fields!.map((f) => f.name), of = got.items.map((i) => i.name);
        if (rf.length !== of.length) errors.push(`${where} has ${of.length} field(s) in OCaml, ${rf.length} in Rust${both}`);
        else if (rf.join() !== of.join()) errors.push(`${where}: the fields differ (OCaml ${of.join(", ")}; Rust ${rf.join(", ")}); fields are matched by position: reorder them, or name them with #[ocaml(name = "...")]${both}`);
        const ocamlFlat = got.items.every((i) => /^float$/.test((i as unknown as { type: string }).type));
        if (rf.length === of.length && ocamlFlat !== !!d.flat_floats)
          errors.push(`${where}: OCaml stores ${ocamlFlat ? "this all-float record flat" : "this record as a block"} but the Rust type ${d.flat_floats ? "is all f64" : "is not all f64"}${both}`);
        continue;
      }
      const rc = d.ctors!.map((c) => ({ name: c.name, arity: c.record ? c.record.length : c.args?.length ?? 0, record: !!c.record }));
      const key = (x: { name: string; arity: number; record: boolean }) => `${x.name}/${x.arity}${x.record ? "{}" : ""}`;
      if (d.kind === "polyvar") {
        const a = rc.map(key).sort().join(), b = got.items.map(key).sort().join();
        if (a !== b) errors.push(`${where}: the tags differ (OCaml ${got.items.map(key).join(", ")}; Rust ${rc.map(key).join(", ")})${both}`);
      } else if (rc.map(key).join() !== got.items.map(key).join()) {
        errors.push(`${where}: the constructors differ in number, order or arguments (OCaml ${got.items.map(key).join(", ")}; Rust ${rc.map(key).join(", ")}); constructors are matched by position${both}`);
      }
    }
  }
  return errors;
}
