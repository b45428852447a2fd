// OCaml type definitions of the Rust types that derive OCamlDescriber: emitted into the
// generated rust.ml, and checked against the user's own definitions of the same names, so a
// Rust/OCaml mismatch in field count, field names, constructor order or the type of a field or
// argument fails the build instead of giving wrong values (or an "illegal cast" trap) at run time.
import { entry, visit, type CtorDesc, type DescribedType, type ExportSpec, type FieldDesc } from "../host/type-desc.ts";
import { dynboxTypeName, ocamlType } from "./glue/ocaml-names.ts";

interface Named {
  kind: "record" | "variant" | "polyvar";
  name: string;
  fields?: readonly FieldDesc[];
  ctors?: readonly CtorDesc[];
  flat_floats?: boolean;
}

/** Every named type in the exports' descriptions, by name. */
export function namedTypes(specs: readonly ExportSpec[]): Map<string, Named> {
  const out = new Map<string, Named>();
  const found = (t: DescribedType) => {
    const [k, v] = entry(t);
    if ((k === "record" || k === "variant" || k === "polyvar") && !out.has(v.name)) out.set(v.name, { kind: k, ...v });
  };
  for (const t of describedTypes(specs)) visit(t, found, true);
  return out;
}

/** The descriptions of every argument and result. */
function describedTypes(specs: readonly ExportSpec[]): DescribedType[] {
  return specs.flatMap((e) => [...e.args.map((a) => a.type), e.ret.type]).filter((t): t is DescribedType => t !== undefined);
}

function definition(d: Named): string {
  const fields = (fs: readonly FieldDesc[]) => `{ ${fs.map((f) => `${f.name} : ${ocamlType(f.type)}`).join("; ")} }`;
  if (d.kind === "record") return `${d.name} = ${fields(d.fields!)}`;
  const ctors = d.ctors!.map((c) => {
    const tag = d.kind === "polyvar" ? `\`${c.name}` : c.name;
    if (c.record) return `${tag} of ${fields(c.record)}`;
    if (c.args?.length)
      return `${tag} of ${c.args
        .map((a) => {
          const s = ocamlType(a);
          return splitTop(s, "*").length > 1 ? `(${s})` : s;
        })
        .join(" * ")}`;
    return tag;
  });
  return d.kind === "polyvar" ? `${d.name} = [ ${ctors.join(" | ")} ]` : `${d.name} = ${ctors.join(" | ")}`;
}

/** `type a = ... and b = ...` for every named type (one recursive group: order does not matter). */
export function generateTypeDefinitions(specs: readonly ExportSpec[]): string {
  const defs = [...namedTypes(specs).values()].map(definition);
  if (!defs.length) return "";
  return `type ${defs.join("\n\nand ")}\n\n`;
}

// ---- comparing type expressions ------------------------------------------------------------------

/** Type names the check understands; any other name (an alias, an abstract or module type) makes
 *  an expression uncheckable rather than different. */
const KNOWN = new Set([
  "int",
  "bool",
  "float",
  "string",
  "bytes",
  "unit",
  "char",
  "int32",
  "int64",
  "nativeint",
  "exn",
  "list",
  "option",
  "array",
  "result",
  "floatarray",
  "Array1.t",
  "Promise.t",
  "c_layout",
  ...[
    "float32",
    "float64",
    "int8_signed",
    "int8_unsigned",
    "int16_signed",
    "int16_unsigned",
    "int32",
    "int64",
    "nativeint",
    "char",
    "int",
    "complex32",
    "complex64",
  ].map((k) => `${k}_elt`),
]);

type TypeExpr = { name: string; args: TypeExpr[] } | { tuple: TypeExpr[] } | { arrow: [TypeExpr, TypeExpr] };

/** A type expression in one canonical spelling (`Stdlib.`, `Bigarray.` and outer parentheses
 *  dropped, `floatarray` = `float array`), or undefined when it cannot be compared: it names a
 *  type the check does not know (`known` adds the Rust side's named types), has a type
 *  variable, a label, an object or an inline polymorphic variant. */
export function canonicalType(text: string, known: ReadonlySet<string> = new Set()): string | undefined {
  const src = text.replace(/\[@@?[^\]]*\]/g, " ");
  const tokens = src.match(/->|[()*,]|'?[A-Za-z_][\w'.]*|\S/g) ?? [];
  let i = 0;
  const fail = (): never => {
    throw new Error("uncheckable");
  };
  const name = (n: string): string => {
    const m = n.replace(/^Stdlib\./, "").replace(/^Bigarray\./, "");
    if (m === "Float.Array.t" || m === "Float.array") return "floatarray";
    // the library's promise type, however the module is reached
    if (m === "Ocaml_interop_web.Promise.t") return "Promise.t";
    if (!KNOWN.has(m) && !known.has(m)) fail();
    return m;
  };
  const arrow = (): TypeExpr => {
    const a = tuple();
    if (tokens[i] === "->") {
      i++;
      return { arrow: [a, arrow()] };
    }
    return a;
  };
  const tuple = (): TypeExpr => {
    const parts = [app()];
    while (tokens[i] === "*") {
      i++;
      parts.push(app());
    }
    return parts.length === 1 ? parts[0] : { tuple: parts };
  };
  const isName = (t: string | undefined) => t !== undefined && /^[A-Za-z_]/.test(t);
  const app = (): TypeExpr => {
    let x: TypeExpr;
    if (tokens[i] === "(") {
      i++;
      const inner = [arrow()];
      while (tokens[i] === ",") {
        i++;
        inner.push(arrow());
      }
      if (tokens[i++] !== ")") fail();
      if (inner.length > 1) {
        // `(a, b) t` needs its constructor
        if (!isName(tokens[i])) fail();
        x = { name: name(tokens[i++]), args: inner };
      } else x = inner[0];
    } else {
      if (!isName(tokens[i])) fail();
      x = { name: name(tokens[i++]), args: [] };
    }
    while (isName(tokens[i])) x = { name: name(tokens[i++]), args: [x] };
    return x;
  };
  const show = (t: TypeExpr): string => {
    if ("arrow" in t) return `(${show(t.arrow[0])} -> ${show(t.arrow[1])})`;
    if ("tuple" in t) return `(${t.tuple.map(show).join(" * ")})`;
    if (t.name === "floatarray" && !t.args.length) return "float array";
    if (!t.args.length) return t.name;
    return t.args.length === 1 ? `${show(t.args[0])} ${t.name}` : `(${t.args.map(show).join(", ")}) ${t.name}`;
  };
  try {
    const t = arrow();
    if (i !== tokens.length) return undefined;
    return show(t);
  } catch {
    return undefined;
  }
}

/** Compares an OCaml type written by the user with the Rust side's description: undefined when
 *  they agree or cannot be compared, else the two types as each side spells them. */
export function typeMismatch(
  ocaml: string,
  rust: DescribedType | undefined,
  known: ReadonlySet<string>,
): { ocaml: string; rust: string } | undefined {
  if (rust === undefined || isUnknown(rust)) return undefined;
  const r = ocamlType(rust);
  const a = canonicalType(ocaml, known),
    b = canonicalType(r, known);
  if (a === undefined || b === undefined || a === b) return undefined;
  return { ocaml: ocaml.trim(), rust: r };
}

/** A type the Rust side could not describe (it implements no OCamlDescriber), anywhere inside. */
export function isUnknown(t: DescribedType | undefined): boolean {
  let unknown = false;
  // a named type's own fields are checked where it is defined
  visit(t, (x) => {
    unknown ||= entry(x)[0] === "unknown";
  });
  return unknown;
}

/** Why an OCaml int and a Rust int64/int32 disagree, for the message. */
function hint(m: { ocaml: string; rust: string }): string {
  const o = canonicalType(m.ocaml),
    r = canonicalType(m.rust);
  if (o && r && /\bint\b/.test(o) && /\bint(32|64)\b/.test(r) && o === r.replace(/\bint(32|64)\b/g, "int"))
    return ` (a Rust i64 is an OCaml int64 and an i32 an int32 by default, as in ocaml-interop; for an OCaml int write #[ocaml(as_ = "OCamlInt")])`;
  return "";
}

// ---- the user's definitions ---------------------------------------------------------------------

const stripComments = (src: string) => {
  let out = "",
    depth = 0;
  for (let i = 0; i < src.length; i++) {
    if (src.startsWith("(*", i)) {
      depth++;
      i++;
      out += "  ";
      continue;
    }
    if (depth && src.startsWith("*)", i)) {
      depth--;
      i++;
      out += "  ";
      continue;
    }
    // keep newlines and offsets, so positions in the result are positions in the source
    out += depth ? (src[i] === "\n" ? "\n" : " ") : src[i];
  }
  return out;
};

/** Splits at top-level separators (outside (), [], {}). */
function splitTop(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0,
    cur = "";
  for (const c of s) {
    if ("([{".includes(c)) depth++;
    if (")]}".includes(c)) depth--;
    if (depth === 0 && c === sep) {
      parts.push(cur.trim());
      cur = "";
      continue;
    }
    cur += c;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

interface UserType {
  file: string;
  line: number;
  text: string;
}

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
    out.set(m[1], {
      file,
      line: src.slice(0, m.index).split("\n").length,
      text: (end < 0 ? rest : rest.slice(0, end)).trim().replace(/\s+/g, " "),
    });
  }
  return out;
}

interface UserCtor {
  name: string;
  arity: number;
  record: boolean;
  types: string[];
  fields?: string[];
}

function shapeOfUser(text: string): { kind: string; items: UserCtor[] } {
  if (text.startsWith("{")) {
    const fields = splitTop(text.slice(1, text.lastIndexOf("}")), ";").map((f) => f.replace(/^mutable\s+/, ""));
    return {
      kind: "record",
      items: fields.map((f) => ({
        name: f.split(":")[0].trim(),
        arity: 1,
        record: false,
        types: [f.split(":").slice(1).join(":").trim()],
      })),
    };
  }
  if (text.startsWith("[")) {
    const body = text.slice(1, text.lastIndexOf("]")).replace(/^\s*[<>|]/, "");
    return { kind: "polyvar", items: splitTop(body, "|").map((c) => ctor(c.replace(/^`/, ""), true)) };
  }
  return { kind: "variant", items: splitTop(text.replace(/^\|/, ""), "|").map((c) => ctor(c, false)) };
}

function ctor(c: string, poly: boolean): UserCtor {
  const m = c.match(/^([\w']+)\s*(?:of\s+([\s\S]*))?$/);
  if (!m) return { name: c, arity: -1, record: false, types: [] };
  if (!m[2]) return { name: m[1], arity: 0, record: false, types: [] };
  let arg = m[2].trim();
  if (arg.startsWith("{")) {
    const fs = splitTop(arg.slice(1, -1), ";").map((f) => f.replace(/^mutable\s+/, ""));
    return {
      name: m[1],
      arity: fs.length,
      record: true,
      types: fs.map((f) => f.split(":").slice(1).join(":").trim()),
      fields: fs.map((f) => f.split(":")[0].trim()),
    };
  }
  // a polymorphic variant has one argument: `Tag of (a * b)` is `Tag of a * b`
  if (poly && arg.startsWith("(") && arg.endsWith(")") && splitTop(arg, "*").length === 1) {
    const inner = arg.slice(1, -1).trim();
    if (splitTop(inner, "*").length > 1) arg = inner;
  }
  const types = splitTop(arg, "*");
  return { name: m[1], arity: types.length, record: false, types };
}

export function checkTypeDefinitions(sources: { path: string; src: string }[], specs: readonly ExportSpec[], crate: string): string[] {
  const types = namedTypes(specs);
  const names = new Set(types.keys());
  const known = knownTypeNames(specs);
  const errors: string[] = [];
  for (const { path, src } of sources) {
    for (const [name, user] of findTypeDefinitions(path, src, names)) {
      const d = types.get(name)!;
      const want = definition(d);
      const got = shapeOfUser(user.text);
      const where = `${user.file}:${user.line}: type ${name}`;
      const both = `\n  OCaml: type ${name} = ${user.text.replace(/\s+/g, " ")}\n  Rust (crate ${crate}): type ${want}`;
      const typeErrors = (what: (i: number) => string, ocaml: string[], rust: readonly (DescribedType | undefined)[]) => {
        ocaml.forEach((o, i) => {
          const m = typeMismatch(o, rust[i], known);
          if (m) errors.push(`${where}: ${what(i)} is ${m.rust} in Rust, ${m.ocaml} in OCaml${hint(m)}${both}`);
        });
      };
      if (got.kind !== d.kind) {
        errors.push(`${where} is a ${got.kind} in OCaml, a ${d.kind} in Rust${both}`);
        continue;
      }
      if (d.kind === "record") {
        const rf = d.fields!.map((f) => f.name),
          of = got.items.map((i) => i.name);
        if (rf.length !== of.length) errors.push(`${where} has ${of.length} field(s) in OCaml, ${rf.length} in Rust${both}`);
        else if (rf.join() !== of.join())
          errors.push(
            `${where}: the fields differ (OCaml ${of.join(", ")}; Rust ${rf.join(", ")}); fields are matched by position: reorder them, or name them with #[ocaml(name = "...")]${both}`,
          );
        const ocamlFlat = got.items.every((i) => /^float$/.test(i.types[0]));
        if (rf.length === of.length && ocamlFlat !== !!d.flat_floats)
          errors.push(
            `${where}: OCaml stores ${ocamlFlat ? "this all-float record flat" : "this record as a block"} but the Rust type ${d.flat_floats ? "is all f64" : "is not all f64"}${both}`,
          );
        if (rf.join() === of.join())
          typeErrors(
            (i) => `field ${rf[i]}`,
            got.items.map((i) => i.types[0]),
            d.fields!.map((f) => f.type),
          );
        continue;
      }
      // a constructor's arguments and its inline record have the same layout (a block of the
      // values in order), so Rust's `Step { count }` matches OCaml's `Step of int` and back
      const rc = d.ctors!.map((c) => ({
        name: c.name,
        arity: c.record ? c.record.length : (c.args?.length ?? 0),
        types: c.record ? c.record.map((f) => f.type) : (c.args ?? []),
        fields: c.record?.map((f) => f.name),
      }));
      const key = (x: { name: string; arity: number }) => `${x.name}/${x.arity}`;
      const show = (x: { name: string; arity: number; record?: boolean; fields?: string[] }) => `${key(x)}${x.fields ? "{}" : ""}`;
      const poly = d.kind === "polyvar";
      if (poly) {
        const a = rc.map(key).sort().join(),
          b = got.items.map(key).sort().join();
        if (a !== b) {
          errors.push(`${where}: the tags differ (OCaml ${got.items.map(show).join(", ")}; Rust ${rc.map(show).join(", ")})${both}`);
          continue;
        }
      } else if (rc.map(key).join() !== got.items.map(key).join()) {
        errors.push(
          `${where}: the constructors differ in number, order or arguments (OCaml ${got.items.map(show).join(", ")}; Rust ${rc.map(show).join(", ")}); constructors are matched by position${both}`,
        );
        continue;
      }
      for (const u of got.items) {
        const r = rc.find((c) => c.name === u.name)!;
        const label = poly ? `tag \`${u.name}` : `constructor ${u.name}`;
        typeErrors(
          (i) =>
            u.fields ? `${label}, field ${u.fields[i]}` : r.fields ? `${label}, field ${r.fields[i]}` : `${label}, argument ${i + 1}`,
          u.types,
          r.types,
        );
      }
    }
  }
  return errors;
}

/** The type names the Rust side defines: its named types and the DynBox abstract types. */
export function knownTypeNames(specs: readonly ExportSpec[]): Set<string> {
  return new Set([...namedTypes(specs).keys(), ...dynboxNames(specs)]);
}

/** The abstract types the generated rust.ml declares for DynBox values. */
function dynboxNames(specs: readonly ExportSpec[]): string[] {
  const out: string[] = [];
  const found = (t: DescribedType) => {
    const [k, v] = entry(t);
    if (k === "dynbox") out.push(dynboxTypeName(v));
  };
  for (const t of describedTypes(specs)) visit(t, found, true);
  return out;
}
