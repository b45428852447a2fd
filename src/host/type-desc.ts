// The type description: the JSON in which the Rust side describes an OCaml type (each export's
// `oiw_describe_<name>` and every `OCamlDescriber`), and in which TS code writes `T.list(T.int)`.
// Its schema is `docs/describe-format.md`. One TS type for it (`DescribedType`, a union discriminated
// by its one key), one reading of a node (`entry`, used by the host's codec and every generator)
// and one validating parser (`parseExportSpec` / `parseTypeDesc`, used on what a module describes).
import { BIGARRAY_KINDS } from "./protocol.ts";

/** The OCaml types that are a bare string in a description. */
export const PRIMITIVE_TYPES = [
  "unit",
  "int",
  "bool",
  "char",
  "float",
  "string",
  "bytes",
  "int32",
  "int64",
  "nativeint",
  "floatarray",
  "exn",
] as const;
export type PrimitiveType = (typeof PRIMITIVE_TYPES)[number];

/** A record's field, or an inline record's. */
export interface FieldDesc {
  readonly name: string;
  readonly type: DescribedType;
}
export interface RecordDesc {
  readonly name: string;
  /** all fields float: OCaml stores the record as a float array */
  readonly flat_floats: boolean;
  readonly fields: readonly FieldDesc[];
}
/** A constructor: its `index` among the constant or the non-constant ones (variants), or the
 *  hash of its tag (polymorphic variants); `args`, or an inline `record`. */
export interface CtorDesc {
  readonly name: string;
  readonly index?: number;
  readonly hash?: number;
  readonly args?: readonly DescribedType[];
  readonly record?: readonly FieldDesc[];
}
export interface VariantDesc {
  readonly name: string;
  readonly ctors: readonly CtorDesc[];
}

/** The compound nodes: each is an object with exactly this one key. */
export interface CompoundDescs {
  option: DescribedType;
  list: DescribedType;
  array: DescribedType;
  tuple: readonly DescribedType[];
  result: readonly [DescribedType, DescribedType];
  /** a closure: its arguments, then its result */
  fn: readonly DescribedType[];
  record: RecordDesc;
  variant: VariantDesc;
  polyvar: VariantDesc;
  /** a named type of the same description (a recursive record or variant) */
  ref: string;
  /** a bigarray kind's name (`wire-format/protocol.json`) */
  bigarray: string;
  /** the Rust type a `DynBox` holds */
  dynbox: string;
  /** a Rust type that implements no OCamlDescriber */
  unknown: string;
  /** a value that settles later (`OCamlPromise<T>`): OCaml's `'a Ocaml_interop_web.Promise.t`,
   *  TypeScript's `Promise`; on the wire its subscribe closure (docs/wire-format.md) */
  promise: DescribedType;
}
export type CompoundKind = keyof CompoundDescs;
type Compound = { [K in CompoundKind]: { readonly [P in K]: CompoundDescs[K] } }[CompoundKind];

/** An OCaml type, as the Rust side describes it ("int", {"option": "int"}, {"record": {...}}),
 *  checked against the schema by `parseTypeDesc`. */
export type DescribedType = PrimitiveType | Compound;

/** A type description as TS code may write it (`T.list(T.int)`, or built at run time): the host
 *  reads it with `entry` and reports a node outside the schema when it is used. */
export type TypeDesc = string | { readonly [k: string]: unknown };

/** A node read once: `[kind, payload]`, which TypeScript narrows on `kind` when destructured.
 *  A shape outside the schema is `["unsupported", what it was]`. */
export type Entry =
  | { [K in CompoundKind]: readonly [K, CompoundDescs[K]] }[CompoundKind]
  | readonly ["primitive", PrimitiveType]
  | readonly ["unsupported", unknown];

const COMPOUND_KINDS: readonly CompoundKind[] = [
  "option",
  "list",
  "array",
  "tuple",
  "result",
  "fn",
  "record",
  "variant",
  "polyvar",
  "ref",
  "bigarray",
  "dynbox",
  "unknown",
  "promise",
];
// captured when the module loads: the host reads descriptions on a page whose scripts may
// replace built-ins later (entry calls no method a prototype could supply)
const hasOwn = Object.hasOwn;
const isArray = Array.isArray;
const PRIMITIVE: Record<string, true> = Object.create(null);
for (let i = 0; i < PRIMITIVE_TYPES.length; i++) PRIMITIVE[PRIMITIVE_TYPES[i]] = true;
const isPrimitive = (t: string): t is PrimitiveType => PRIMITIVE[t] === true;

/** What one node is. Never throws; reads only own properties (a polluted prototype adds none). */
export function entry(t: unknown): Entry {
  if (typeof t === "string") return isPrimitive(t) ? ["primitive", t] : ["unsupported", t];
  if (t === null || typeof t !== "object" || isArray(t)) return ["unsupported", t];
  for (let i = 0; i < COMPOUND_KINDS.length; i++) {
    const k = COMPOUND_KINDS[i];
    if (hasOwn(t, k)) return [k, (t as Record<string, never>)[k]] as Entry;
  }
  return ["unsupported", t];
}

/** A description that is not in the schema: the path of the bad node, and what is wrong. */
export class DescriptionError extends Error {
  override name = "DescriptionError";
}

const BIGARRAY_NAMES = new Set(BIGARRAY_KINDS.map((k) => k.name));

function fail(at: string, msg: string): never {
  throw new DescriptionError(`${at}: ${msg}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function expectKeys(v: unknown, at: string, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (!isObject(v)) fail(at, `expected an object, got ${JSON.stringify(v)}`);
  for (const k of required) if (!hasOwn(v, k)) fail(at, `has no "${k}"`);
  for (const k of Object.keys(v)) if (!required.includes(k) && !optional.includes(k)) fail(at, `has an unknown key "${k}"`);
  return v;
}

function expectString(v: unknown, at: string): string {
  if (typeof v !== "string" || v === "") fail(at, `expected a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function expectArray(v: unknown, at: string): readonly unknown[] {
  if (!Array.isArray(v)) fail(at, `expected an array, got ${JSON.stringify(v)}`);
  return v;
}

function expectInt(v: unknown, at: string): number {
  if (!Number.isSafeInteger(v)) fail(at, `expected an integer, got ${JSON.stringify(v)}`);
  return v as number;
}

function fields(v: unknown, at: string): void {
  expectArray(v, at).forEach((f, i) => {
    const o = expectKeys(f, `${at}[${i}]`, ["name", "type"]);
    expectString(o.name, `${at}[${i}].name`);
    parseTypeDesc(o.type, `${at}[${i}].type`);
  });
}

/** Checks that `t` is a type description of the schema and returns it typed; the error names
 *  the path of the first bad node from `at`. */
export function parseTypeDesc(t: unknown, at = "type"): DescribedType {
  const [k, v] = entry(t);
  if (isObject(t) && k !== "unsupported" && Object.keys(t).length !== 1)
    fail(at, `a type description has exactly one key, this one has ${Object.keys(t).join(", ")}`);
  const sub = `${at}.${k}`;
  switch (k) {
    case "primitive":
      break;
    case "unsupported":
      fail(
        at,
        `not a type description: ${JSON.stringify(t)} (a primitive name, or an object with one of the keys ${COMPOUND_KINDS.join(", ")})`,
      );
      break;
    case "option":
    case "list":
    case "array":
    case "promise":
      parseTypeDesc(v, sub);
      break;
    case "tuple": {
      const ts = expectArray(v, sub);
      if (ts.length < 2) fail(sub, `a tuple has at least two elements, this one has ${ts.length}`);
      ts.forEach((x, i) => {
        parseTypeDesc(x, `${sub}[${i}]`);
      });
      break;
    }
    case "result": {
      const ts = expectArray(v, sub);
      if (ts.length !== 2) fail(sub, `a result has two types (ok, error), this one has ${ts.length}`);
      ts.forEach((x, i) => {
        parseTypeDesc(x, `${sub}[${i}]`);
      });
      break;
    }
    case "fn": {
      const ts = expectArray(v, sub);
      if (ts.length < 2) fail(sub, "a closure is [argument..., result], with at least one argument");
      ts.forEach((x, i) => {
        parseTypeDesc(x, `${sub}[${i}]`);
      });
      break;
    }
    case "record": {
      const r = expectKeys(v, sub, ["name", "flat_floats", "fields"]);
      expectString(r.name, `${sub}.name`);
      if (typeof r.flat_floats !== "boolean") fail(`${sub}.flat_floats`, `expected a boolean, got ${JSON.stringify(r.flat_floats)}`);
      fields(r.fields, `${sub}.fields`);
      break;
    }
    case "variant":
    case "polyvar": {
      const d = expectKeys(v, sub, ["name", "ctors"]);
      expectString(d.name, `${sub}.name`);
      expectArray(d.ctors, `${sub}.ctors`).forEach((c, i) => {
        const cat = `${sub}.ctors[${i}]`;
        const o = expectKeys(c, cat, ["name", k === "polyvar" ? "hash" : "index"], ["args", "record"]);
        expectString(o.name, `${cat}.name`);
        expectInt(k === "polyvar" ? o.hash : o.index, `${cat}.${k === "polyvar" ? "hash" : "index"}`);
        if (hasOwn(o, "args") && hasOwn(o, "record")) fail(cat, "has both args and an inline record");
        if (hasOwn(o, "args"))
          expectArray(o.args, `${cat}.args`).forEach((x, j) => {
            parseTypeDesc(x, `${cat}.args[${j}]`);
          });
        if (hasOwn(o, "record")) fields(o.record, `${cat}.record`);
      });
      break;
    }
    case "bigarray":
      if (!BIGARRAY_NAMES.has(v)) fail(sub, `unknown bigarray kind ${JSON.stringify(v)} (one of ${[...BIGARRAY_NAMES].join(", ")})`);
      break;
    case "ref":
    case "dynbox":
    case "unknown":
      expectString(v, sub);
      break;
  }
  return t as DescribedType;
}

/** How an argument crosses: an OCaml value (its `type` describes it), a rooted OCaml value
 *  (`OCamlRef`/`BoxRoot`), or a direct primitive of #[export] (`f64`, `i64`, ... : no wire value). */
export const ARG_KINDS = ["ocaml", "boxroot", "f64", "i64", "i32", "bool", "isize"] as const;
export const RET_KINDS = ["ocaml", "unit", "f64", "i64", "i32", "bool", "isize"] as const;

export interface ArgSpec {
  readonly name: string;
  readonly kind: (typeof ARG_KINDS)[number];
  readonly type?: DescribedType;
}
export interface RetSpec {
  readonly kind: (typeof RET_KINDS)[number];
  readonly type?: DescribedType;
}

/** One #[ocaml_interop::export] function, as its `oiw_describe_<name>` describes it. */
export interface ExportSpec {
  /** the description format's version */
  readonly v: 1;
  readonly name: string;
  /** the wasm export of the Rust module */
  readonly symbol: string;
  readonly args: readonly ArgSpec[];
  readonly ret: RetSpec;
  readonly noalloc: boolean;
  readonly no_panic_catch: boolean;
  /** the bytecode primitive's name (`#[export(bytecode = "...")]`), or null */
  readonly bytecode: string | null;
}

const OCAML_IDENT = /^[a-z_][A-Za-z0-9_']*$/;

function kindAndType(v: Record<string, unknown>, at: string, kinds: readonly string[]): void {
  if (!kinds.includes(v.kind as string)) fail(`${at}.kind`, `expected one of ${kinds.join(", ")}, got ${JSON.stringify(v.kind)}`);
  // a wire value has a type; a direct primitive has none
  if (v.kind === "ocaml" || v.kind === "boxroot") parseTypeDesc(v.type, `${at}.type`);
  else if (hasOwn(v, "type")) fail(`${at}.type`, `a ${v.kind} ${at.endsWith("ret") ? "result" : "argument"} has no type`);
}

/** Checks one export's description (a JSON text or the parsed value) and returns it typed.
 *  `where` names its source in errors (e.g. "crate c: oiw_describe_f"). */
export function parseExportSpec(json: string | unknown, where: string): ExportSpec {
  let v: unknown = json;
  if (typeof json === "string") {
    try {
      v = JSON.parse(json);
    } catch (e) {
      fail(where, `the description is not JSON (${(e as Error).message})`);
    }
  }
  const o = expectKeys(v, where, ["v", "name", "symbol", "args", "ret", "noalloc", "no_panic_catch", "bytecode"]);
  if (o.v !== 1)
    fail(
      `${where}.v`,
      `describe format v${JSON.stringify(o.v)}, this build understands v1 (rebuild with the same version of ocaml-interop-web)`,
    );
  const name = expectString(o.name, `${where}.name`);
  if (!OCAML_IDENT.test(name)) fail(`${where}.name`, `${JSON.stringify(name)} is not an OCaml value name`);
  expectString(o.symbol, `${where}.symbol`);
  expectArray(o.args, `${where}.args`).forEach((a, i) => {
    const at = `${where}.args[${i}]`;
    const r = expectKeys(a, at, ["name", "kind"], ["type"]);
    expectString(r.name, `${at}.name`);
    kindAndType(r, at, ARG_KINDS);
  });
  kindAndType(expectKeys(o.ret, `${where}.ret`, ["kind"], ["type"]), `${where}.ret`, RET_KINDS);
  for (const k of ["noalloc", "no_panic_catch"])
    if (typeof o[k] !== "boolean") fail(`${where}.${k}`, `expected a boolean, got ${JSON.stringify(o[k])}`);
  if (o.bytecode !== null) expectString(o.bytecode, `${where}.bytecode`);
  return o as unknown as ExportSpec;
}

/** The descriptions directly inside a node: the elements of an option, list, array, tuple,
 *  result or closure; with `intoNamed`, also the fields and constructor arguments of a record,
 *  variant or polymorphic variant. */
export function children(t: DescribedType, intoNamed = false): readonly DescribedType[] {
  const [k, v] = entry(t);
  switch (k) {
    case "option":
    case "list":
    case "array":
    case "promise":
      return [v];
    case "tuple":
    case "result":
    case "fn":
      return v;
    case "record":
      return intoNamed ? v.fields.map((f) => f.type) : [];
    case "variant":
    case "polyvar":
      return intoNamed ? v.ctors.flatMap((c) => [...(c.args ?? []), ...(c.record ?? []).map((f) => f.type)]) : [];
    default:
      return [];
  }
}

/** Calls `f` on `t` and on every description inside it (see `children`), depth first; `f`
 *  returning false skips a node's children. */
export function visit(t: DescribedType | undefined, f: (t: DescribedType) => unknown, intoNamed = false): void {
  if (t === undefined || f(t) === false) return;
  for (const c of children(t, intoNamed)) visit(c, f, intoNamed);
}
