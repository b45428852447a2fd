// Type descriptions (the JSON the build writes for each export, docs/guide/part8-typescript.md),
// compiled once into nodes of one shape that the encoder and the decoder walk.
import type { TypeDesc } from "../app.ts";
import { entry } from "../type-desc.ts";
import { type BigarrayKind, BIGARRAYS } from "./bigarray-kinds.ts";
import {
  create,
  dataDescriptor,
  defineProperty,
  hasOwn,
  isArray,
  list,
  mapGet,
  mapSet,
  push,
  stringify,
  StringOf,
  weakGet,
  weakSet,
} from "./builtins.ts";
import { show } from "./messages.ts";
import type { FnType } from "./types.ts";

export const K_UNIT = 0,
  K_INT = 1,
  K_BOOL = 2,
  K_CHAR = 3,
  K_FLOAT = 4,
  K_STRING = 5,
  K_BYTES = 6,
  K_INT32 = 7,
  K_NATIVEINT = 8,
  K_INT64 = 9,
  K_FLOATARRAY = 10,
  K_LIST = 11,
  K_ARRAY = 12,
  K_TUPLE = 13,
  K_RESULT = 14,
  K_OPTION = 15,
  K_BIGARRAY = 16,
  K_RECORD = 17,
  K_VARIANT = 18,
  K_REF = 19,
  K_UNKNOWN = 20,
  K_UNSUPPORTED = 21,
  K_CLOSURE = 22,
  K_DYNBOX = 23;

/** A constructor of a variant or polymorphic variant. */
export class Ctor {
  name: string;
  index: number;
  hash: number;
  args: TNode[] = list();
  argSegs: string[] = list();
  /** an inline record: its field names, types and path segments, and the template of `fields` */
  record = false;
  names: string[] = list();
  fields: TNode[] = list();
  fieldSegs: string[] = list();
  tmpl: object = {};
  constructor(name: string, index: number, hash: number) {
    this.name = name;
    this.index = index;
    this.hash = hash;
  }
}

/** A compiled type description (every node has the same shape). */
export class TNode {
  k: number;
  /** element, payload, or a reference's target */
  e: TNode | undefined = undefined;
  /** tuple elements, result [ok, error] */
  es: TNode[] = list();
  /** path segments of the children (".x", "[0]"...) */
  segs: string[] = list();
  /** record field names */
  names: string[] = list();
  /** the OCaml type name, the Rust type (unknown), the JSON (unsupported) */
  name = "";
  /** records: flat floats; options: the payload is nullable in JS, so Some x is {some: x};
   *  variants: polymorphic; closures: a promise (the closure is its subscribe function) */
  flag = false;
  /** records: the template every decoded record is copied from */
  tmpl: object = {};
  ctors: Ctor[] = list();
  /** constructors by name, by index (constant / with arguments) or hash (null-prototype) */
  byName: Record<string, Ctor> = create(null);
  consts: Record<number, Ctor> = create(null);
  blocks: Record<number, Ctor> = create(null);
  ba: BigarrayKind | undefined = undefined;
  /** closures: the argument and result types */
  fn: FnType | undefined = undefined;
  constructor(k: number) {
    this.k = k;
  }
}

export const PRIMITIVES: Record<string, TNode> = create(null);
{
  const names = ["unit", "int", "bool", "char", "float", "string", "bytes", "int32", "nativeint", "int64", "floatarray"];
  const kinds = [K_UNIT, K_INT, K_BOOL, K_CHAR, K_FLOAT, K_STRING, K_BYTES, K_INT32, K_NATIVEINT, K_INT64, K_FLOATARRAY];
  for (let i = 0; i < names.length; i++) {
    const n = new TNode(kinds[i]);
    n.name = names[i];
    PRIMITIVES[names[i]] = n;
  }
}

/** A record template: every field an own data property (whatever its name), in order. */
export function template(names: string[]): object {
  const t = {};
  for (let i = 0; i < names.length; i++) defineProperty(t, names[i], dataDescriptor(undefined));
  return t;
}

export const fieldSeg = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${stringify(name)}]`);

/** The compiled descriptions of one codec: named types (for `{ref: name}` in recursive
 *  descriptions), and descriptions by identity (they are not changed once used). */
export interface TypeTables {
  readonly named: Map<string, TNode>;
  readonly compiled: WeakMap<object, TNode>;
}

export function compileType(types: TypeTables, t: TypeDesc): TNode {
  if (typeof t === "string") {
    const p = PRIMITIVES[t];
    if (p) return p;
    const n = new TNode(K_UNSUPPORTED);
    n.name = stringify(t);
    return n;
  }
  if (t === null || typeof t !== "object") throw new TypeError(`not a type description: ${show(t)}`);
  const known = weakGet(types.compiled, t);
  if (known) return known;
  // the schema's one reading of a node (type-desc.ts); not destructured: a page script may
  // have replaced Array.prototype[Symbol.iterator]
  const e = entry(t);
  let n: TNode;
  switch (e[0]) {
    case "list":
      n = new TNode(K_LIST);
      weakSet(types.compiled, t, n);
      n.e = compileType(types, e[1]);
      break;
    case "array":
      if (e[1] === "float") {
        n = new TNode(K_FLOATARRAY);
        n.flag = true;
        weakSet(types.compiled, t, n);
      } else {
        n = new TNode(K_ARRAY);
        weakSet(types.compiled, t, n);
        n.e = compileType(types, e[1]);
      }
      break;
    case "tuple": {
      n = new TNode(K_TUPLE);
      weakSet(types.compiled, t, n);
      const ts = e[1];
      if (!isArray(ts)) throw new TypeError("a tuple's description is not an array");
      for (let i = 0; i < ts.length; i++) {
        push(n.es, compileType(types, ts[i]));
        push(n.segs, `[${i}]`);
      }
      break;
    }
    case "result": {
      n = new TNode(K_RESULT);
      weakSet(types.compiled, t, n);
      const r = e[1];
      push(n.es, compileType(types, r[0]));
      push(n.es, compileType(types, r[1]));
      break;
    }
    case "option":
      n = new TNode(K_OPTION);
      weakSet(types.compiled, t, n);
      n.e = compileType(types, e[1]);
      n.flag = n.e.k === K_OPTION || n.e.k === K_UNIT;
      break;
    case "bigarray":
      n = new TNode(K_BIGARRAY);
      n.name = StringOf(e[1]);
      n.ba = hasOwn(BIGARRAYS, n.name) ? BIGARRAYS[n.name] : undefined;
      break;
    case "ref": {
      const name = StringOf(e[1]);
      const target = mapGet(types.named, name);
      if (target) return target;
      n = new TNode(K_REF);
      n.name = name;
      break;
    }
    case "record": {
      const r = e[1];
      n = new TNode(K_RECORD);
      n.name = r.name;
      n.flag = r.flat_floats === true;
      weakSet(types.compiled, t, n);
      mapSet(types.named, r.name, n);
      for (let i = 0; i < r.fields.length; i++) {
        push(n.names, r.fields[i].name);
        push(n.segs, fieldSeg(r.fields[i].name));
        push(n.es, compileType(types, r.fields[i].type));
      }
      n.tmpl = template(n.names);
      break;
    }
    case "variant":
    case "polyvar": {
      const poly = e[0] === "polyvar";
      const v = e[1];
      n = new TNode(K_VARIANT);
      n.name = v.name;
      n.flag = poly;
      weakSet(types.compiled, t, n);
      mapSet(types.named, v.name, n);
      for (let i = 0; i < v.ctors.length; i++) {
        const cd = v.ctors[i];
        const c = new Ctor(cd.name, cd.index ?? 0, cd.hash ?? 0);
        const args = cd.args ?? [];
        for (let j = 0; j < args.length; j++) {
          push(c.args, compileType(types, args[j]));
          push(c.argSegs, `.args[${j}]`);
        }
        if (cd.record) {
          c.record = true;
          for (let j = 0; j < cd.record.length; j++) {
            push(c.names, cd.record[j].name);
            push(c.fieldSegs, `.fields${fieldSeg(cd.record[j].name)}`);
            push(c.fields, compileType(types, cd.record[j].type));
          }
          c.tmpl = template(c.names);
        }
        push(n.ctors, c);
        n.byName[c.name] = c;
        const key = poly ? c.hash : c.index;
        if (c.record || c.args.length) n.blocks[key] = c;
        else n.consts[key] = c;
      }
      break;
    }
    case "fn": {
      const ts = e[1];
      if (!isArray(ts) || ts.length < 2)
        throw new TypeError(
          "a closure's description {fn: [argument..., result]} needs at least one argument and a result (a closure of no argument takes unit)",
        );
      n = new TNode(K_CLOSURE);
      const args: TypeDesc[] = [];
      for (let i = 0; i < ts.length - 1; i++) args[i] = ts[i];
      n.fn = { args, ret: ts[ts.length - 1] };
      n.name = `a closure of ${args.length} argument${args.length === 1 ? "" : "s"}`;
      break;
    }
    // a promise crosses as its subscribe closure, `(('a, string * string) result -> unit) -> unit`
    // (rust/ocaml-interop-web/src/promise.rs): TS gives a Promise and receives one
    case "promise": {
      n = new TNode(K_CLOSURE);
      n.flag = true;
      const settled = { result: [e[1], { tuple: ["string", "string"] }] };
      n.fn = { args: [{ fn: [settled, "unit"] }], ret: "unit" };
      n.name = "a promise";
      break;
    }
    case "dynbox": {
      n = new TNode(K_DYNBOX);
      const name = e[1];
      n.name = typeof name === "string" ? name : "";
      break;
    }
    case "unknown":
      n = new TNode(K_UNKNOWN);
      n.name = StringOf(e[1]);
      break;
    default:
      n = new TNode(K_UNSUPPORTED);
      n.name = stringify(t);
  }
  weakSet(types.compiled, t, n);
  return n;
}
