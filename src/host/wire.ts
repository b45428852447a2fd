// The wire format (docs/wire-format.md) in TypeScript: JS values <-> wire values in the
// shared linear memory. Typed conversions follow the JS representation of each OCaml type
// (docs/guide/part8-typescript.md); `RawValue` is the untyped view the shared test vectors use.
//
// The page is not trusted: other scripts share the realm and may have polluted prototypes.
// So the codec reads only own properties of the values it is given (Object.hasOwn, arrays by
// own index), calls none of their methods, recognises typed arrays by their internal slots
// (any realm), and builds the objects it returns so that every field is an own data property
// (a record is a copy of a template made with defineProperty; fixed keys are object literals),
// whatever the field's name (`__proto__`, `constructor`, `tag`) and whatever Object.prototype
// or Array.prototype hold. The built-ins it relies on are captured when this module loads.
// Errors name the function and the path of the value (`id_items: argument x[3].shape.args[0]`),
// and anything a value throws while it is read (a getter, a Proxy trap) becomes a
// ConversionError naming that path, with the original as `cause`.
import type { TypeDesc } from "./app.ts";
import { fromUtf8With, memoryBuffer, utf8Into } from "./intrinsics.ts";
import {
  BIGARRAY_KIND_MASK,
  BIGARRAY_KINDS,
  BIGARRAY_MANAGED,
  BIGARRAY_SHARED,
  CUSTOM_BIGARRAY,
  CUSTOM_DYNBOX,
  CUSTOM_INT32,
  CUSTOM_INT64,
  CUSTOM_NATIVEINT,
  HEADER_TAG_MASK,
  MAX_INT,
  MAX_NESTING,
  MIN_INT,
  TAG_CLOSURE,
  TAG_CUSTOM,
  TAG_DOUBLE,
  TAG_DOUBLE_ARRAY,
  TAG_NO_SCAN,
  TAG_STRING,
} from "./protocol.ts";

// the protocol's constants (wire-format/protocol.json, generated into protocol.ts)
export { ERROR_SENTINEL, WIRE_VERSION } from "./protocol.ts";
export { CUSTOM_DYNBOX, MAX_INT, MIN_INT, TAG_CLOSURE };
/** The nesting limit, the same on every side (docs/wire-format.md, "Depth"): a value nested
 *  deeper than this many levels (or a cyclic one) is refused, in both directions. */
export const MAX_DEPTH = MAX_NESTING;
/** The most the call arena holds (MAX_ARENA_BYTES in rust/ocaml-interop-web/src/arena.rs). */
export const ARENA_MAX_BYTES = 2 ** 30;
export const Tag = {
  NoScan: TAG_NO_SCAN,
  String: TAG_STRING,
  Double: TAG_DOUBLE,
  DoubleArray: TAG_DOUBLE_ARRAY,
  Custom: TAG_CUSTOM,
} as const;
/** Kinds of custom blocks (tag 255, payload [u32 kind][u32 0][i64 value]). */
export const Custom = { int32: CUSTOM_INT32, int64: CUSTOM_INT64, nativeint: CUSTOM_NATIVEINT } as const;
export type BoxedKind = keyof typeof Custom;

/** Where encoded values are allocated (the call arena). Returns an 8-aligned address. */
export interface Allocator {
  alloc(bytes: number): number;
}

/** A closure's type: `{fn: [arg..., result]}` (as the Rust side describes `fn(A, B) -> R`). */
export interface FnType {
  readonly args: readonly TypeDesc[];
  readonly ret: TypeDesc;
}

/** What the codec asks its app for the values that cross by handle (src/host/values.ts): JS
 *  functions, the OCaml and Rust closures TS receives, and Rust values (DynBox). A codec without
 *  one (the shared test vectors) refuses them. Each throws a ConversionError naming `path`. */
export interface HandleHost {
  /** a temporary handle (OCaml's table) to an OCaml function value for the JS function `f` */
  closureHandle(f: Function, t: FnType, path: string): readonly [number, number, number];
  /** a callable JS function for an OCaml closure (handle `h`) */
  ocamlClosure(h: number, lo: number, hi: number, t: FnType, path: string): Function;
  /** a callable JS function for a Rust closure (box `id`, generation `lo`/`hi`, `arity`) */
  rustClosure(id: number, lo: number, hi: number, arity: number, t: FnType, path: string): Function;
  /** the box [id, generation low, generation high] behind a DynBox handle TS holds */
  boxWords(v: unknown, name: string, path: string): readonly [number, number, number];
  /** a DynBox handle for box `id` (generation `lo`/`hi`) of the Rust type `name` */
  boxHandle(id: number, lo: number, hi: number, name: string, path: string): object;
}

/** Untyped view of a wire value. Strings are carried as bytes (they need not be UTF-8). */
export type RawValue =
  | { int: number }
  | { block: number; fields: RawValue[] }
  | { string: Uint8Array }
  | { float: number }
  | { floats: number[] }
  | { boxed: BoxedKind; value: bigint };

export class ConversionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConversionError";
  }
}

// ---- built-ins, captured now (a script that replaces them later changes nothing here) ----------
const { hasOwn, defineProperty, getOwnPropertyDescriptor, getPrototypeOf, setPrototypeOf, create } = Object;
const ArrayPrototype = Array.prototype;
const { isArray } = Array;
const { isInteger, isSafeInteger } = Number;
const StringOf = String;
const BigIntOf = BigInt;
const fromCharCode = String.fromCharCode;
const stringify = JSON.stringify;
const uncurry = Function.prototype.bind.bind(Function.prototype.call) as <A extends unknown[], R>(
  f: (...a: A) => R,
) => (self: unknown, ...a: A) => R;
const getterOf = (o: object, k: PropertyKey) => uncurry(getOwnPropertyDescriptor(o, k)!.get! as () => unknown);
const TypedArrayPrototype = getPrototypeOf(Uint8Array.prototype) as object;
/** The typed array's class name from its internal slot ("Float64Array"), or undefined. */
const typedArrayName = getterOf(TypedArrayPrototype, Symbol.toStringTag) as (v: unknown) => string | undefined;
const typedArrayLength = getterOf(TypedArrayPrototype, "length") as (v: unknown) => number;
const typedArrayBuffer = getterOf(TypedArrayPrototype, "buffer") as (v: unknown) => ArrayBufferLike;
const typedArrayByteOffset = getterOf(TypedArrayPrototype, "byteOffset") as (v: unknown) => number;
const typedArrayByteLength = getterOf(TypedArrayPrototype, "byteLength") as (v: unknown) => number;
const detachedGetter = getOwnPropertyDescriptor(ArrayBuffer.prototype, "detached")?.get;
const bufferDetached = detachedGetter ? uncurry(detachedGetter as () => boolean) : undefined;
const isWellFormedMethod = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;
const stringIsWellFormed = isWellFormedMethod ? (uncurry(isWellFormedMethod) as (s: string) => boolean) : undefined;
const Uint8ArrayOf = Uint8Array;
const Uint32ArrayOf = Uint32Array,
  Float64ArrayOf = Float64Array,
  BigInt64ArrayOf = BigInt64Array,
  DataViewOf = DataView;
const typedArraySet = uncurry((TypedArrayPrototype as { set(a: ArrayLike<number>, offset: number): void }).set);
const typedArraySlice = uncurry((TypedArrayPrototype as { slice(a: number, b: number): unknown }).slice) as <T>(
  ta: T,
  a: number,
  b: number,
) => T;
const typedArraySubarray = uncurry((TypedArrayPrototype as { subarray(a: number, b: number): unknown }).subarray) as <T>(
  ta: T,
  a: number,
  b: number,
) => T;
const mapGet = uncurry(Map.prototype.get) as <V>(m: Map<string, V>, k: string) => V | undefined;
const mapSet = uncurry(Map.prototype.set) as <V>(m: Map<string, V>, k: string, v: V) => void;
const weakGet = uncurry(WeakMap.prototype.get) as <V>(m: WeakMap<object, V>, k: object) => V | undefined;
const weakSet = uncurry(WeakMap.prototype.set) as <V>(m: WeakMap<object, V>, k: object, v: V) => void;
const charCodeAt = uncurry(String.prototype.charCodeAt) as (s: string, i: number) => number;
const stringSlice = uncurry(String.prototype.slice) as (s: string, a: number, b?: number) => string;

/** An array of the codec's own, without a prototype: an index on Array.prototype or
 *  Object.prototype (a value, a getter, a setter) can neither take a write nor fill a read. */
function list<T>(): T[] {
  return setPrototypeOf([], null) as T[];
}

function push<T>(a: T[], x: T) {
  a[a.length] = x;
}

/** A new array of the first `n` elements of `s` (one of the codec's own), made so that no setter
 *  an index of Array.prototype or Object.prototype may have sees an element: a literal (which
 *  defines its elements) when short, else filled while it has no prototype. `s` is emptied. */
function arrayOf(s: unknown[], n: number): unknown[] {
  let a: unknown[];
  switch (n) {
    case 0:
      a = [];
      break;
    case 1:
      a = [s[0]];
      break;
    case 2:
      a = [s[0], s[1]];
      break;
    case 3:
      a = [s[0], s[1], s[2]];
      break;
    case 4:
      a = [s[0], s[1], s[2], s[3]];
      break;
    default:
      a = setPrototypeOf([], null) as unknown[];
      for (let i = 0; i < n; i++) a[i] = s[i];
      setPrototypeOf(a, ArrayPrototype);
  }
  s.length = 0;
  return a;
}

/** The strings of `xs` joined with ", " (no Array.prototype method). */
function joined(xs: string[]): string {
  let s = "";
  for (let i = 0; i < xs.length; i++) s += (i ? ", " : "") + xs[i];
  return s;
}
const typedArrayAt = uncurry((TypedArrayPrototype as { at(i: number): unknown }).at);

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1)
  throw new Error("ocaml-interop: this engine is big-endian; the wire format (and WebAssembly memory) is little-endian");

/** Strings up to this many code units (or bytes) are converted by hand when they are ASCII. */
const SHORT_STRING = 64;
/** A property that is not there (reads return it instead of undefined). */
const MISSING: unique symbol = Symbol("missing");
/** A null-prototype descriptor for defineProperty (an inherited `get` must not count). */
const dataDescriptor = (value: unknown): PropertyDescriptor =>
  ({ __proto__: null, value, writable: true, enumerable: true, configurable: true }) as PropertyDescriptor;

type TypedArrayCtor = {
  new (buffer: ArrayBufferLike, offset: number, length: number): ArrayBufferView & ArrayLike<number> & { slice(): unknown };
  name: string;
  BYTES_PER_ELEMENT: number;
};
/** Bigarray element kinds (OCaml's Bigarray.kind numbers), their typed arrays and element ranges. */
interface BigarrayKind {
  kind: number;
  C: TypedArrayCtor;
  name: string;
  lo: number;
  hi: number;
  big: boolean;
  float: boolean;
}
const bigarrayKind = (kind: number, C: unknown, lo: number, hi: number, big = false, float = false): BigarrayKind => ({
  kind,
  C: C as TypedArrayCtor,
  name: (C as { name: string }).name,
  lo,
  hi,
  big,
  float,
});
/** The typed arrays of the protocol's bigarray kinds, by name. */
const TYPED_ARRAYS: Record<string, unknown> = {
  Float32Array,
  Float64Array,
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  BigInt64Array,
};
/** Each bigarray kind's typed array, by kind id (char bigarrays are bytes). */
export const BIGARRAY_TYPED_ARRAYS: Record<number, TypedArrayCtor> = Object.fromEntries(
  BIGARRAY_KINDS.map((k) => [k.id, TYPED_ARRAYS[k.typedArray] as TypedArrayCtor]),
);
/** The bigarray kinds TS converts, by name (protocol.json's table; char bigarrays are bytes). */
const BIGARRAYS: Record<string, BigarrayKind> = Object.assign(
  Object.create(null),
  Object.fromEntries(
    BIGARRAY_KINDS.filter((k) => k.name !== "char").map((k) => {
      const float = k.ocamlElt === "float",
        big = k.typedArray === "BigInt64Array",
        bits = 8 * k.bytes;
      const [lo, hi] = float
        ? [-Infinity, Infinity]
        : big
          ? [0, 0]
          : k.typedArray.startsWith("Uint")
            ? [0, 2 ** bits - 1]
            : [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
      return [k.name, bigarrayKind(k.id, TYPED_ARRAYS[k.typedArray], lo, hi, big, float)];
    }),
  ),
);

// ---- type descriptions, compiled once ----------------------------------------------------------
const K_UNIT = 0,
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
class Ctor {
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
class TNode {
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
   *  variants: polymorphic */
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

const PRIMITIVES: Record<string, TNode> = create(null);
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
function template(names: string[]): object {
  const t = {};
  for (let i = 0; i < names.length; i++) defineProperty(t, names[i], dataDescriptor(undefined));
  return t;
}

const fieldSeg = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${stringify(name)}]`);

// ---- messages ---------------------------------------------------------------------------------
/** What a JS value is, exactly, for messages: `the string "5"`, `the number 5`, `a symbol`. Never throws. */
export function show(v: unknown): string {
  switch (typeof v) {
    case "undefined":
      return "undefined";
    case "boolean":
      return `the boolean ${v}`;
    case "number":
      return `the number ${Object.is(v, -0) ? "-0" : StringOf(v)}`;
    case "bigint":
      return `the bigint ${StringOf(v)}n`;
    case "string":
      return v.length > 40 ? `the string ${stringify(stringSlice(v, 0, 40))}... (${v.length} characters)` : `the string ${stringify(v)}`;
    case "symbol":
      return `a symbol (${StringOf(v)})`;
    case "function":
      return "a function";
  }
  if (v === null) return "null";
  try {
    const ta = typedArrayName(v);
    if (ta !== undefined) return `a ${ta} of ${typedArrayLength(v)} elements`;
    if (isArray(v)) {
      const n = (v as unknown[]).length;
      return `an array of ${typeof n === "number" ? n : "?"} element${n === 1 ? "" : "s"}`;
    }
  } catch {
    return "an object that cannot be inspected (a revoked Proxy?)";
  }
  return "an object";
}

/** A thrown value, for messages (an Error's name and message, or what it is). Never throws. */
export function showThrown(e: unknown): string {
  try {
    if (e !== null && typeof e === "object") {
      const name = (e as { name?: unknown }).name,
        message = (e as { message?: unknown }).message;
      if (typeof name === "string" && typeof message === "string") return `${name}: ${message}`;
    }
  } catch {
    /* a hostile error object */
  }
  return show(e);
}

/** The state of one encode or decode: the path prefix and the path keys by depth. */
interface Cx {
  what: string;
  keys: Record<number, string | number>;
}
const context = (what: string): Cx => ({ what, keys: create(null) });
/** The keys of a context whose value is a leaf (no path below it is ever recorded). */
const NO_KEYS: Record<number, string | number> = create(null);

function pathOf(cx: Cx, d: number, seg = ""): string {
  const ks = cx.keys;
  let s = cx.what;
  const one = (k: string | number) => (typeof k === "number" ? `[${k}]` : k);
  if (d <= 24) for (let i = 0; i < d; i++) s += one(ks[i]);
  else {
    for (let i = 0; i < 12; i++) s += one(ks[i]);
    s += `...(${d - 16} levels)...`;
    for (let i = d - 4; i < d; i++) s += one(ks[i]);
  }
  return s + seg;
}

function fail(cx: Cx, d: number, msg: string, seg = ""): ConversionError {
  return new ConversionError(`${pathOf(cx, d, seg)}: ${msg}`);
}

/** Anything but a ConversionError thrown while a value was read becomes one, naming the path. */
function rethrown(e: unknown, cx: Cx, d: number, seg = "", doing = "reading the value threw"): ConversionError {
  if (e instanceof ConversionError) return e;
  return new ConversionError(`${pathOf(cx, d, seg)}: ${doing} ${showThrown(e)}`, { cause: e });
}

function tooDeep(cx: Cx, d: number): ConversionError {
  return fail(cx, d, `nested deeper than ${MAX_DEPTH} levels (is the value cyclic?)`);
}

/** The index of the first lone surrogate of `s` (from `from`), or -1. */
function loneSurrogate(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = charCodeAt(s, i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < s.length) {
      const c2 = charCodeAt(s, i + 1);
      if (c2 >= 0xdc00 && c2 <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = charCodeAt(s, i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Why a typed array cannot be read (its buffer detached, or a resizable buffer shrunk below
 *  it), or undefined when it can. %TypedArray%.prototype.at validates the view as every read does. */
function unreadable(v: unknown): string | undefined {
  try {
    typedArrayAt(v, 0);
    return undefined;
  } catch {
    /* detached or out of bounds */
  }
  let detached = true;
  if (bufferDetached) {
    try {
      detached = bufferDetached(typedArrayBuffer(v));
    } catch {
      detached = false;
    }
  }
  return detached ? "its buffer is detached (it was transferred)" : "it is out of bounds (its resizable buffer shrank below it)";
}

const wordDesc = (w: number) => (w & 1 ? `the immediate ${w >> 1}` : `the word 0x${w.toString(16)}`);

export class WireCodec {
  /** Named types seen so far (for `{ref: name}` in recursive descriptions). */
  private readonly named = new Map<string, TNode>();
  /** Compiled descriptions, by identity (descriptions are not changed once used). */
  private readonly compiled = new WeakMap<object, TNode>();
  private u8!: Uint8Array;
  private u32!: Uint32Array;
  private f64!: Float64Array;
  private i64!: BigInt64Array;
  private dv!: DataView;
  private buffer?: ArrayBufferLike;
  private readonly dec = new TextDecoder("utf-8", { fatal: false });

  private readonly memory: WebAssembly.Memory;
  private readonly arena: Allocator;
  private readonly handles: HandleHost | undefined;

  constructor(memory: WebAssembly.Memory, arena: Allocator, handles?: HandleHost) {
    this.memory = memory;
    this.arena = arena;
    this.handles = handles;
    this.views();
  }

  /** Views are re-derived whenever the memory has grown (growth detaches a plain buffer: its
   *  views then have length 0; a resizable one grows in place under length-tracking views). */
  private views() {
    const buffer = memoryBuffer(this.memory);
    if (this.buffer !== buffer) {
      const b = (this.buffer = buffer);
      this.u8 = new Uint8ArrayOf(b);
      this.u32 = new Uint32ArrayOf(b);
      this.f64 = new Float64ArrayOf(b);
      this.i64 = new BigInt64ArrayOf(b);
      this.dv = new DataViewOf(b);
    }
  }

  private set32(p: number, w: number) {
    if (this.u32.length === 0) this.views();
    this.u32[p >>> 2] = w;
  }

  private block(tag: number, size: number, payload: number, cx?: Cx, d = 0): number {
    const padded = payload + 7 - ((payload + 7) % 8);
    const bytes = 8 + padded;
    if (bytes > ARENA_MAX_BYTES)
      throw fail(
        cx ?? context("value"),
        d,
        `${this.blockDesc(tag, size, payload)} needs ${bytes} bytes, more than the call arena holds (${ARENA_MAX_BYTES} bytes)`,
      );
    let p: number;
    try {
      p = this.arena.alloc(bytes);
    } catch (e) {
      throw new ConversionError(
        `${pathOf(cx ?? context("value"), d)}: ${this.blockDesc(tag, size, payload)} needs ${bytes} bytes, ` +
          `and the call arena is full (it holds at most ${ARENA_MAX_BYTES} bytes for all the calls in progress)`,
        { cause: e },
      );
    }
    if (this.u32.length === 0) this.views();
    const u32 = this.u32,
      i = p >>> 2;
    u32[i] = tag;
    u32[i + 1] = size;
    // the padding is zero (fields, floats and bytes are all written by the caller)
    if (padded !== payload) {
      const end = p + bytes;
      for (let j = p + 8 + payload; j < end; j++) this.u8[j] = 0;
    }
    return p;
  }

  /** Raw bytes in the arena (a bigarray's data: no header). */
  private raw(bytes: number, cx: Cx, d: number): number {
    const n = Math.max(bytes, 8);
    if (n > ARENA_MAX_BYTES) throw fail(cx, d, `a bigarray of ${bytes} bytes is more than the call arena holds (${ARENA_MAX_BYTES} bytes)`);
    let p: number;
    try {
      p = this.arena.alloc(n);
    } catch (e) {
      throw new ConversionError(
        `${pathOf(cx, d)}: a bigarray of ${bytes} bytes needs ${n} bytes, and the call arena is full ` +
          `(it holds at most ${ARENA_MAX_BYTES} bytes for all the calls in progress)`,
        { cause: e },
      );
    }
    if (this.u32.length === 0) this.views();
    return p;
  }

  private blockDesc(tag: number, size: number, payload: number): string {
    return tag === Tag.String
      ? `a string of ${payload} bytes`
      : tag === Tag.DoubleArray
        ? `a float array of ${size} floats`
        : tag === Tag.Custom
          ? "a custom block"
          : `a block of ${size} fields`;
  }

  // ---- primitives (also used by the bridge for direct arguments) ------------------------------
  static intWord(n: unknown, what: string): number {
    if (typeof n !== "number" || !isInteger(n)) throw new ConversionError(`${what}: expected an integer (int), got ${show(n)}`);
    if (n < MIN_INT || n > MAX_INT)
      throw new ConversionError(`${what}: ${n} does not fit OCaml's int, which is 31-bit under wasm_of_ocaml (${MIN_INT}..${MAX_INT})`);
    return ((n << 1) | 1) >>> 0;
  }

  /** An int64 from a bigint (or a safe integer), range-checked. */
  static int64(v: unknown, what: string): bigint {
    const b = typeof v === "bigint" ? v : typeof v === "number" && isSafeInteger(v) ? BigIntOf(v) : undefined;
    if (b === undefined || b < -(2n ** 63n) || b >= 2n ** 63n)
      throw new ConversionError(`${what}: expected a bigint in -2^63..2^63-1 (int64; a number must be a safe integer), got ${show(v)}`);
    return b;
  }

  /** An int32 (or a 32-bit nativeint) from a number, range-checked. */
  static int32(v: unknown, what: string, t = "int32"): number {
    if (typeof v !== "number" || !isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31)
      throw new ConversionError(`${what}: expected an integer in -2^31..2^31-1 (${t}), got ${show(v)}`);
    return v;
  }

  /** A direct f64 argument. */
  static f64(v: unknown, what: string): number {
    if (typeof v !== "number") throw new ConversionError(`${what}: expected a number (float), got ${show(v)}`);
    return v;
  }

  /** A direct bool argument. */
  static bool(v: unknown, what: string): boolean {
    if (typeof v !== "boolean") throw new ConversionError(`${what}: expected a boolean, got ${show(v)}`);
    return v;
  }

  encodeBytes(bytes: Uint8Array, cx?: Cx, d = 0): number {
    const at = cx ?? context("bytes");
    if (typedArrayName(bytes) !== "Uint8Array") throw fail(at, d, `expected a Uint8Array, got ${show(bytes)}`);
    const n = typedArrayLength(bytes);
    const p = this.block(Tag.String, n, n, cx, d);
    // (checked after allocating: growing a plain memory detaches the views of its old buffer)
    const why = unreadable(bytes);
    if (why !== undefined) throw fail(at, d, `the Uint8Array cannot be read: ${why}`);
    if (this.u8.length === 0) this.views();
    typedArraySet(this.u8, new Uint8ArrayOf(typedArrayBuffer(bytes), typedArrayByteOffset(bytes), n), p + 8);
    return p;
  }

  encodeString(s: string, cx?: Cx, d = 0): number {
    const n = s.length;
    // UTF-16 to UTF-8 needs at most 3 bytes per code unit; the unused tail is padding
    let max = n * 3;
    let i = 0;
    if (n <= SHORT_STRING) {
      // short strings: the ASCII prefix by hand (encodeInto costs ~0.5 us per call, whatever
      // the length); ASCII is well-formed
      const p = this.block(Tag.String, 0, max, cx, d);
      const u8 = this.u8,
        base = p + 8;
      for (; i < n; i++) {
        const c = charCodeAt(s, i);
        if (c > 0x7f) break;
        u8[base + i] = c;
      }
      if (i === n) return this.stringDone(p, n);
      this.checkWellFormed(s, i, cx, d);
      const written = i + utf8Into(i ? stringSlice(s, i) : s, typedArraySubarray(u8, base + i, base + max)).written;
      return this.stringDone(p, written);
    }
    this.checkWellFormed(s, 0, cx, d);
    if (max + 8 > ARENA_MAX_BYTES) max = utf8Length(s); // the exact size, when 3 bytes a unit would not fit
    const p = this.block(Tag.String, 0, max, cx, d);
    const written = utf8Into(s, typedArraySubarray(this.u8, p + 8, p + 8 + max)).written;
    return this.stringDone(p, written);
  }

  /** Sets a string block's length and zeroes its padding (the block was sized for `max`). */
  private stringDone(p: number, written: number): number {
    this.u32[(p >>> 2) + 1] = written;
    const end = p + 8 + written + 7 - ((written + 7) % 8);
    for (let j = p + 8 + written; j < end; j++) this.u8[j] = 0;
    // (the reserved region past the padding stays allocated, unused: the arena takes nothing back)
    return p;
  }

  private checkWellFormed(s: string, from: number, cx: Cx | undefined, d: number) {
    if (stringIsWellFormed ? stringIsWellFormed(s) : loneSurrogate(s, from) < 0) return;
    const at = loneSurrogate(s, from);
    throw fail(
      cx ?? context("string"),
      d,
      `the string has a lone UTF-16 surrogate (U+${charCodeAt(s, at).toString(16).toUpperCase()}) at index ${at}, which UTF-8 cannot encode (the string is not well-formed Unicode)`,
    );
  }

  encodeFloat(x: number, cx?: Cx, d = 0): number {
    const p = this.block(Tag.Double, 1, 8, cx, d);
    this.f64[(p + 8) / 8] = x;
    return p;
  }

  encodeBoxed(kind: BoxedKind, value: bigint, cx?: Cx, d = 0): number {
    const p = this.block(Tag.Custom, 16, 16, cx, d);
    const i = p >>> 2;
    this.u32[i + 2] = Custom[kind];
    this.u32[i + 3] = 0;
    this.i64[(p + 16) / 8] = value;
    return p;
  }

  /** A float array from a Float64Array or an array of numbers. */
  private encodeFloats(v: unknown, cx: Cx, d: number, what = "float array"): number {
    if (typedArrayName(v) === "Float64Array") {
      const n = typedArrayLength(v);
      const p = n === 0 ? this.block(0, 0, 0, cx, d) : this.block(Tag.DoubleArray, n, 8 * n, cx, d); // (OCaml's empty array is tag 0)
      const why = unreadable(v);
      if (why !== undefined) throw fail(cx, d, `the Float64Array cannot be read: ${why}`);
      if (this.u8.length === 0) this.views();
      typedArraySet(this.u8, new Uint8ArrayOf(typedArrayBuffer(v), typedArrayByteOffset(v), 8 * n), p + 8);
      return p;
    }
    if (!isArray(v)) throw fail(cx, d, `expected a Float64Array or an array of numbers (${what}), got ${show(v)}`);
    const n = this.lengthOf(v, cx, d);
    if (n === 0) return this.block(0, 0, 0, cx, d);
    const p = this.block(Tag.DoubleArray, n, 8 * n, cx, d);
    const base = (p + 8) / 8;
    for (let i = 0; i < n; i++) {
      if (!hasOwn(v, i)) throw this.hole(cx, d, i);
      const x = v[i];
      if (typeof x !== "number") throw fail(cx, d, `expected a number (float), got ${show(x)}`, `[${i}]`);
      if (this.f64.length === 0) this.views();
      this.f64[base + i] = x;
    }
    return p;
  }

  private hole(cx: Cx, d: number, i: number): ConversionError {
    return fail(
      cx,
      d,
      `missing element: the array has a hole at index ${i} (sparse arrays are not accepted; every index must be an own element)`,
      `[${i}]`,
    );
  }

  /** An array's length (a Proxy may answer anything). */
  private lengthOf(v: unknown[], cx: Cx, d: number): number {
    const n = v.length;
    if (typeof n !== "number" || !isInteger(n) || n < 0 || n > 2 ** 32 - 1) throw fail(cx, d, `the array's length is ${show(n)}`);
    return n;
  }

  /** An own property of `o`, or MISSING; a getter that throws names the path. */
  private read(o: object, k: string, cx: Cx, d: number, seg: string): unknown {
    if (!hasOwn(o, k)) return MISSING;
    try {
      return (o as Record<string, unknown>)[k];
    } catch (e) {
      throw rethrown(e, cx, d, seg, "reading it threw");
    }
  }

  // ---- descriptions -------------------------------------------------------------------------
  private compile(t: TypeDesc): TNode {
    if (typeof t === "string") {
      const p = PRIMITIVES[t];
      if (p) return p;
      const n = new TNode(K_UNSUPPORTED);
      n.name = stringify(t);
      return n;
    }
    if (t === null || typeof t !== "object") throw new TypeError(`not a type description: ${show(t)}`);
    const known = weakGet(this.compiled, t);
    if (known) return known;
    const has = (k: string) => hasOwn(t, k);
    const get = (k: string) => (t as Record<string, unknown>)[k];
    let n: TNode;
    if (has("list")) {
      n = new TNode(K_LIST);
      weakSet(this.compiled, t, n);
      n.e = this.compile(get("list") as TypeDesc);
    } else if (has("array")) {
      if (get("array") === "float") {
        n = new TNode(K_FLOATARRAY);
        n.flag = true;
        weakSet(this.compiled, t, n);
      } else {
        n = new TNode(K_ARRAY);
        weakSet(this.compiled, t, n);
        n.e = this.compile(get("array") as TypeDesc);
      }
    } else if (has("tuple")) {
      n = new TNode(K_TUPLE);
      weakSet(this.compiled, t, n);
      const ts = get("tuple") as TypeDesc[];
      if (!isArray(ts)) throw new TypeError("a tuple's description is not an array");
      for (let i = 0; i < ts.length; i++) {
        push(n.es, this.compile(ts[i]));
        push(n.segs, `[${i}]`);
      }
    } else if (has("result")) {
      n = new TNode(K_RESULT);
      weakSet(this.compiled, t, n);
      const r = get("result") as TypeDesc[];
      push(n.es, this.compile(r[0]));
      push(n.es, this.compile(r[1]));
    } else if (has("option")) {
      n = new TNode(K_OPTION);
      weakSet(this.compiled, t, n);
      n.e = this.compile(get("option") as TypeDesc);
      n.flag = n.e.k === K_OPTION || n.e.k === K_UNIT;
    } else if (has("bigarray")) {
      n = new TNode(K_BIGARRAY);
      n.name = StringOf(get("bigarray"));
      n.ba = hasOwn(BIGARRAYS, n.name) ? BIGARRAYS[n.name] : undefined;
    } else if (has("ref")) {
      const name = StringOf(get("ref"));
      const target = mapGet(this.named, name);
      if (target) return target;
      n = new TNode(K_REF);
      n.name = name;
    } else if (has("record")) {
      const r = get("record") as { name: string; flat_floats: boolean; fields: { name: string; type: TypeDesc }[] };
      n = new TNode(K_RECORD);
      n.name = r.name;
      n.flag = r.flat_floats === true;
      weakSet(this.compiled, t, n);
      mapSet(this.named, r.name, n);
      for (let i = 0; i < r.fields.length; i++) {
        push(n.names, r.fields[i].name);
        push(n.segs, fieldSeg(r.fields[i].name));
        push(n.es, this.compile(r.fields[i].type));
      }
      n.tmpl = template(n.names);
    } else if (has("variant") || has("polyvar")) {
      const poly = has("polyvar");
      const v = get(poly ? "polyvar" : "variant") as {
        name: string;
        ctors: { name: string; index?: number; hash?: number; args?: TypeDesc[]; record?: { name: string; type: TypeDesc }[] }[];
      };
      n = new TNode(K_VARIANT);
      n.name = v.name;
      n.flag = poly;
      weakSet(this.compiled, t, n);
      mapSet(this.named, v.name, n);
      for (let i = 0; i < v.ctors.length; i++) {
        const cd = v.ctors[i];
        const c = new Ctor(cd.name, cd.index ?? 0, cd.hash ?? 0);
        const args = cd.args ?? [];
        for (let j = 0; j < args.length; j++) {
          push(c.args, this.compile(args[j]));
          push(c.argSegs, `.args[${j}]`);
        }
        if (cd.record) {
          c.record = true;
          for (let j = 0; j < cd.record.length; j++) {
            push(c.names, cd.record[j].name);
            push(c.fieldSegs, `.fields${fieldSeg(cd.record[j].name)}`);
            push(c.fields, this.compile(cd.record[j].type));
          }
          c.tmpl = template(c.names);
        }
        push(n.ctors, c);
        n.byName[c.name] = c;
        const key = poly ? c.hash : c.index;
        if (c.record || c.args.length) n.blocks[key] = c;
        else n.consts[key] = c;
      }
    } else if (has("fn")) {
      const ts = get("fn") as TypeDesc[];
      if (!isArray(ts) || ts.length < 2)
        throw new TypeError(
          "a closure's description {fn: [argument..., result]} needs at least one argument and a result (a closure of no argument takes unit)",
        );
      n = new TNode(K_CLOSURE);
      const args: TypeDesc[] = [];
      for (let i = 0; i < ts.length - 1; i++) args[i] = ts[i];
      n.fn = { args, ret: ts[ts.length - 1] };
      n.name = `a closure of ${args.length} argument${args.length === 1 ? "" : "s"}`;
    } else if (has("dynbox")) {
      n = new TNode(K_DYNBOX);
      const name = get("dynbox");
      n.name = typeof name === "string" ? name : "";
    } else if (has("unknown")) {
      n = new TNode(K_UNKNOWN);
      n.name = StringOf(get("unknown"));
    } else {
      n = new TNode(K_UNSUPPORTED);
      n.name = stringify(t);
    }
    weakSet(this.compiled, t, n);
    return n;
  }

  private target(n: TNode, cx: Cx, d: number): TNode {
    if (!n.e) {
      n.e = mapGet(this.named, n.name);
      if (!n.e) throw fail(cx, d, `unknown type ${n.name}`);
    }
    return n.e;
  }

  private compiledOrFail(t: TypeDesc, cx: Cx): TNode {
    try {
      return this.compile(t);
    } catch (e) {
      throw rethrown(e, cx, 0, "", "its type description is invalid:");
    }
  }

  // ---- JS -> wire ---------------------------------------------------------------------------
  /** JS value -> wire word, for the OCaml type `t`. `what` names the value in errors. */
  encode(v: unknown, t: TypeDesc, what: string): number {
    const cx: Cx = { what, keys: NO_KEYS };
    const n = this.compiledOrFail(t, cx);
    if (n.k >= K_FLOATARRAY) cx.keys = create(null);
    if (this.u32.length === 0) this.views();
    return this.enc1(v, n, cx, 0);
  }

  private enc1(v: unknown, n: TNode, cx: Cx, d: number): number {
    try {
      switch (n.k) {
        case K_UNIT:
          if (v !== undefined && v !== null) throw fail(cx, d, `expected undefined (unit), got ${show(v)}`);
          return 1;
        case K_INT:
          if (typeof v !== "number") throw fail(cx, d, `expected a number (int), got ${show(v)}`);
          if (isInteger(v) && v >= MIN_INT && v <= MAX_INT) return ((v << 1) | 1) >>> 0;
          return WireCodec.intWord(v, pathOf(cx, d));
        case K_BOOL:
          if (typeof v !== "boolean") throw fail(cx, d, `expected a boolean, got ${show(v)}`);
          return v ? 3 : 1;
        case K_CHAR:
          if (typeof v !== "string" || v.length !== 1 || charCodeAt(v, 0) > 255)
            throw fail(cx, d, `expected a one-character string (char, code 0..255), got ${show(v)}`);
          return ((charCodeAt(v, 0) << 1) | 1) >>> 0;
        case K_FLOAT:
          if (typeof v !== "number") throw fail(cx, d, `expected a number (float), got ${show(v)}`);
          return this.encodeFloat(v, cx, d);
        case K_STRING:
          if (typeof v === "string") return this.encodeString(v, cx, d);
          if (typedArrayName(v) === "Uint8Array") return this.encodeBytes(v as Uint8Array, cx, d);
          throw fail(cx, d, `expected a string, got ${show(v)}`);
        case K_BYTES:
          if (typedArrayName(v) === "Uint8Array") return this.encodeBytes(v as Uint8Array, cx, d);
          if (typeof v === "string") return this.encodeString(v, cx, d);
          throw fail(cx, d, `expected a Uint8Array (bytes), got ${show(v)}`);
        case K_INT32:
        case K_NATIVEINT:
          return this.encodeBoxed(n.k === K_INT32 ? "int32" : "nativeint", BigIntOf(WireCodec.int32(v, pathOf(cx, d), n.name)), cx, d);
        case K_INT64:
          return this.encodeBoxed("int64", WireCodec.int64(v, pathOf(cx, d)), cx, d);
        case K_FLOATARRAY:
          if (d >= MAX_DEPTH) throw tooDeep(cx, d);
          return this.encodeFloats(v, cx, d);
        case K_LIST:
          return this.encList(v, n, cx, d);
        case K_ARRAY:
        case K_TUPLE:
          return this.encArray(v, n, cx, d);
        case K_RESULT: {
          if (v === null || typeof v !== "object") throw fail(cx, d, `expected {ok: value} or {error: value} (result), got ${show(v)}`);
          if (d >= MAX_DEPTH) throw tooDeep(cx, d);
          const hasOk = hasOwn(v, "ok"),
            hasErr = hasOwn(v, "error");
          if (hasOk === hasErr)
            throw fail(
              cx,
              d,
              `expected {ok: value} or {error: value} (result), got an object with ${hasOk ? "both own properties ok and error" : "neither an own ok nor an own error"}`,
            );
          const seg = hasOk ? ".ok" : ".error";
          const x = this.read(v, hasOk ? "ok" : "error", cx, d, seg);
          const p = this.block(hasOk ? 0 : 1, 1, 4, cx, d);
          cx.keys[d] = seg;
          const w = this.enc1(x, n.es[hasOk ? 0 : 1], cx, d + 1);
          this.set32(p + 8, w);
          return p;
        }
        case K_OPTION: {
          if (v === null || v === undefined) return 1;
          if (d >= MAX_DEPTH) throw tooDeep(cx, d);
          let x: unknown = v,
            seg = "";
          if (n.flag) {
            // the payload is itself null or undefined in JS (an option, unit): Some x is {some: x}
            x = typeof v === "object" ? this.read(v, "some", cx, d, ".some") : MISSING;
            if (x === MISSING)
              throw fail(
                cx,
                d,
                `expected null (None) or {some: value} (Some; this option's payload is itself nullable, so Some is an object), got ${show(v)}`,
              );
            seg = ".some";
          }
          const p = this.block(0, 1, 4, cx, d);
          cx.keys[d] = seg;
          const w = this.enc1(x, n.e!, cx, d + 1);
          this.set32(p + 8, w);
          return p;
        }
        case K_BIGARRAY:
          return this.encBigarray(v, n, cx, d);
        case K_REF:
          return this.enc1(v, this.target(n, cx, d), cx, d);
        case K_RECORD:
          return this.encRecord(v, n, cx, d);
        case K_VARIANT:
          return this.encVariant(v, n, cx, d);
        case K_CLOSURE: {
          if (typeof v !== "function") throw fail(cx, d, `expected a function (${n.name}), got ${show(v)}`);
          // an OCaml closure: [handle; 0; generation low; generation high] (docs/wire-format.md)
          const [h, lo, hi] = this.host(cx, d).closureHandle(v, n.fn!, pathOf(cx, d));
          const p = this.block(TAG_CLOSURE, 4, 16, cx, d);
          this.set32(p + 8, ((h << 1) | 1) >>> 0);
          this.set32(p + 12, 1);
          this.set32(p + 16, ((lo << 1) | 1) >>> 0);
          this.set32(p + 20, ((hi << 1) | 1) >>> 0);
          return p;
        }
        case K_DYNBOX: {
          const [id, lo, hi] = this.host(cx, d).boxWords(v, n.name, pathOf(cx, d));
          const p = this.block(Tag.Custom, 16, 16, cx, d);
          const i = p >>> 2,
            u32 = this.u32;
          u32[i + 2] = CUSTOM_DYNBOX;
          u32[i + 3] = id;
          u32[i + 4] = lo;
          u32[i + 5] = hi;
          return p;
        }
        case K_UNKNOWN:
          throw fail(
            cx,
            d,
            `its Rust type ${n.name} implements no OCamlDescriber, so TypeScript cannot convert it (derive OCamlDescriber for it)`,
          );
      }
      throw fail(cx, d, `the OCaml type ${n.name} is not supported from TypeScript yet`);
    } catch (e) {
      throw rethrown(e, cx, d);
    }
  }

  /** The app's handles (closures and Rust values cross only within an app). */
  private host(cx: Cx, d: number): HandleHost {
    if (!this.handles) throw fail(cx, d, "closures and Rust values (DynBox) cross only within a loaded app");
    return this.handles;
  }

  private encList(v: unknown, n: TNode, cx: Cx, d: number): number {
    if (!isArray(v)) throw fail(cx, d, `expected an array (list), got ${show(v)}`);
    if (d >= MAX_DEPTH) throw tooDeep(cx, d);
    const len = this.lengthOf(v, cx, d);
    const e = n.e!,
      ints = e.k === K_INT,
      keys = cx.keys;
    let root = 1,
      slot = 0;
    for (let i = 0; i < len; i++) {
      if (!hasOwn(v, i)) throw this.hole(cx, d, i);
      const x = v[i];
      const cell = this.block(0, 2, 8, cx, d);
      if (slot === 0) root = cell;
      else this.set32(slot, cell);
      let w: number;
      if (ints && typeof x === "number" && isInteger(x) && x >= MIN_INT && x <= MAX_INT) w = ((x << 1) | 1) >>> 0;
      else {
        keys[d] = i;
        w = this.enc1(x, e, cx, d + 1);
      }
      const c = cell >>> 2;
      if (this.u32.length === 0) this.views();
      this.u32[c + 2] = w;
      this.u32[c + 3] = 1;
      slot = cell + 12;
    }
    return root;
  }

  private encArray(v: unknown, n: TNode, cx: Cx, d: number): number {
    const tuple = n.k === K_TUPLE;
    if (!isArray(v)) throw fail(cx, d, `expected an array (${tuple ? "tuple" : "array"}), got ${show(v)}`);
    if (d >= MAX_DEPTH) throw tooDeep(cx, d);
    const len = this.lengthOf(v, cx, d);
    if (tuple && len !== n.es.length) throw fail(cx, d, `expected a ${n.es.length}-tuple, got ${len} element(s)`);
    const p = this.block(0, len, 4 * len, cx, d);
    const keys = cx.keys;
    for (let i = 0; i < len; i++) {
      if (!hasOwn(v, i)) throw this.hole(cx, d, i);
      keys[d] = i;
      const w = this.enc1(v[i], tuple ? n.es[i] : n.e!, cx, d + 1);
      this.set32(p + 8 + 4 * i, w);
    }
    return p;
  }

  private encRecord(v: unknown, n: TNode, cx: Cx, d: number): number {
    if (v === null || typeof v !== "object") throw fail(cx, d, `expected an object (record ${n.name}), got ${show(v)}`);
    if (d >= MAX_DEPTH) throw tooDeep(cx, d);
    const names = n.names,
      nf = names.length;
    if (n.flag) {
      // all floats: OCaml stores them flat (tag 254)
      const p = this.block(Tag.DoubleArray, nf, 8 * nf, cx, d);
      for (let i = 0; i < nf; i++) {
        const x = this.read(v, names[i], cx, d, n.segs[i]);
        if (x === MISSING) throw fail(cx, d, `record ${n.name} lacks the field ${names[i]}`);
        if (typeof x !== "number") throw fail(cx, d, `expected a number (float), got ${show(x)}`, n.segs[i]);
        if (this.f64.length === 0) this.views();
        this.f64[(p + 8) / 8 + i] = x;
      }
      return p;
    }
    const p = this.block(0, nf, 4 * nf, cx, d);
    for (let i = 0; i < nf; i++) {
      const x = this.read(v, names[i], cx, d, n.segs[i]);
      if (x === MISSING) throw fail(cx, d, `record ${n.name} lacks the field ${names[i]}`);
      cx.keys[d] = n.segs[i];
      const w = this.enc1(x, n.es[i], cx, d + 1);
      this.set32(p + 8 + 4 * i, w);
    }
    return p;
  }

  private encVariant(v: unknown, n: TNode, cx: Cx, d: number): number {
    const kind = n.flag ? "polymorphic variant" : "variant";
    if (v === null || typeof v !== "object") throw fail(cx, d, `expected {tag: ...} (${kind} ${n.name}), got ${show(v)}`);
    const tag = this.read(v, "tag", cx, d, ".tag");
    if (typeof tag !== "string")
      throw fail(
        cx,
        d,
        `expected {tag: ...} (${kind} ${n.name}), got ${tag === MISSING ? "an object without an own tag property" : `an object whose tag is ${show(tag)}`}`,
      );
    const c = n.byName[tag];
    if (c === undefined) {
      const names: string[] = list();
      for (let i = 0; i < n.ctors.length; i++) push(names, n.ctors[i].name);
      throw fail(cx, d, `${n.name} has no constructor ${tag} (it has ${joined(names)})`);
    }
    const argv = this.read(v, "args", cx, d, ".args");
    if (c.record) {
      const fields = this.read(v, "fields", cx, d, ".fields");
      if (fields === null || typeof fields !== "object") {
        let old = false;
        for (let i = 0; i < c.names.length; i++) if (hasOwn(v, c.names[i]) && c.names[i] !== "tag") old = true;
        const shape = `{tag: ${stringify(c.name)}, fields: {${joined(c.names)}}}`;
        throw fail(
          cx,
          d,
          fields === MISSING
            ? `${c.name} has an inline record: expected ${shape}${old ? " (its fields go in fields, not next to tag)" : ""}`
            : `${c.name} has an inline record: expected ${shape}, got fields: ${show(fields)}`,
        );
      }
      if (argv !== MISSING) throw fail(cx, d, `${c.name} has an inline record (fields), not arguments (args)`);
      if (d >= MAX_DEPTH) throw tooDeep(cx, d);
      const nf = c.names.length;
      const p = this.block(c.index, nf, 4 * nf, cx, d);
      for (let i = 0; i < nf; i++) {
        const x = this.read(fields, c.names[i], cx, d, c.fieldSegs[i]);
        if (x === MISSING) throw fail(cx, d, `the inline record of ${c.name} lacks the field ${c.names[i]}`, ".fields");
        cx.keys[d] = c.fieldSegs[i];
        const w = this.enc1(x, c.fields[i], cx, d + 1);
        this.set32(p + 8 + 4 * i, w);
      }
      return p;
    }
    const nargs = c.args.length;
    let got = 0;
    if (argv !== MISSING && argv !== undefined) {
      if (!isArray(argv)) throw fail(cx, d, `the arguments of ${c.name} must be an array, got ${show(argv)}`, ".args");
      got = this.lengthOf(argv, cx, d);
    }
    if (got !== nargs) throw fail(cx, d, `${c.name} takes ${nargs} argument(s), got ${got}`);
    if (this.read(v, "fields", cx, d, ".fields") !== MISSING)
      throw fail(cx, d, `${c.name} takes arguments (args), not an inline record (fields)`);
    if (nargs === 0) return (((n.flag ? c.hash : c.index) << 1) | 1) >>> 0;
    if (d >= MAX_DEPTH) throw tooDeep(cx, d);
    const args = argv as unknown[];
    const arg = (i: number, dd: number) => {
      if (!hasOwn(args, i)) throw fail(cx, d, `missing argument: the array has a hole at index ${i}`, c.argSegs[i]);
      cx.keys[d] = c.argSegs[i];
      return this.enc1(args[i], c.args[i], cx, dd);
    };
    if (n.flag) {
      // a polymorphic variant with arguments: [hash; argument] (several arguments: a tuple)
      const p = this.block(0, 2, 8, cx, d);
      this.set32(p + 8, ((c.hash << 1) | 1) >>> 0);
      let w: number;
      if (nargs === 1) w = arg(0, d + 1);
      else {
        w = this.block(0, nargs, 4 * nargs, cx, d);
        for (let i = 0; i < nargs; i++) {
          const x = arg(i, d + 1);
          this.set32(w + 8 + 4 * i, x);
        }
      }
      this.set32(p + 12, w);
      return p;
    }
    const p = this.block(c.index, nargs, 4 * nargs, cx, d);
    for (let i = 0; i < nargs; i++) {
      const x = arg(i, d + 1);
      this.set32(p + 8 + 4 * i, x);
    }
    return p;
  }

  private encBigarray(v: unknown, n: TNode, cx: Cx, d: number): number {
    const ba = n.ba;
    if (!ba) throw fail(cx, d, `bigarrays of ${n.name} are not supported`);
    const want = `a ${ba.name} (Bigarray.Array1 of ${n.name})`;
    let data: number, len: number;
    if (typedArrayName(v) === ba.name) {
      len = typedArrayLength(v);
      const bytes = typedArrayByteLength(v);
      data = this.raw(bytes, cx, d);
      const why = unreadable(v);
      if (why !== undefined) throw fail(cx, d, `the ${ba.name} cannot be read: ${why}`);
      if (this.u8.length === 0) this.views();
      typedArraySet(this.u8, new Uint8ArrayOf(typedArrayBuffer(v), typedArrayByteOffset(v), bytes), data);
    } else if (isArray(v)) {
      // an array of numbers (bigints for int64), each checked: no silent conversion or truncation
      len = this.lengthOf(v, cx, d);
      const size = ba.C.BYTES_PER_ELEMENT;
      data = this.raw(len * size, cx, d);
      if (this.u8.length === 0) this.views();
      const view = new ba.C(this.buffer!, data, len) as unknown as { [i: number]: number | bigint };
      for (let i = 0; i < len; i++) {
        if (!hasOwn(v, i)) throw this.hole(cx, d, i);
        const x: unknown = v[i];
        if (ba.big) view[i] = WireCodec.int64(x, pathOf(cx, d, `[${i}]`));
        else if (typeof x !== "number" || (!ba.float && (!isInteger(x) || x < ba.lo || x > ba.hi)))
          throw fail(cx, d, `expected ${ba.float ? "a number" : `an integer in ${ba.lo}..${ba.hi}`} (${n.name}), got ${show(x)}`, `[${i}]`);
        else view[i] = x;
      }
    } else throw fail(cx, d, `expected ${want}, got ${show(v)}`);
    const p = this.block(Tag.Custom, 16, 16, cx, d);
    const i = p >>> 2,
      u32 = this.u32;
    u32[i + 2] = 4;
    u32[i + 3] = ba.kind;
    u32[i + 4] = len;
    u32[i + 5] = data;
    return p;
  }

  // ---- wire -> JS ---------------------------------------------------------------------------
  private checkBlock(w: number, bytes: number, cx: Cx, d: number) {
    if (w === 0 || (w & 7) !== 0 || w + bytes > this.u8.length) {
      // (the views may be of a buffer the memory has replaced)
      this.views();
      if (w === 0 || (w & 7) !== 0 || w + bytes > this.u8.length) throw fail(cx, d, `invalid wire value 0x${w.toString(16)}`);
    }
  }

  /** Arrays of the codec's own by depth, where decoded elements wait (decoding runs no code of
   *  the page, so a depth's array is free again once its value is made). */
  private readonly scratches: unknown[][] = list();

  private scratch(d: number): unknown[] {
    let s = this.scratches[d];
    if (s === undefined) {
      for (let i = this.scratches.length; i <= d; i++) this.scratches[i] = list();
      s = this.scratches[d];
    }
    return s;
  }

  /** The size field of the block header() read last. */
  private size = 0;

  /** A block's tag, its header checked (its size in this.size). */
  private header(w: number, cx: Cx, d: number, expected = "a block"): number {
    if (w & 1) throw fail(cx, d, `expected ${expected}, got ${wordDesc(w)}`);
    this.checkBlock(w, 8, cx, d);
    const i = w >>> 2;
    this.size = this.u32[i + 1];
    return this.u32[i] & HEADER_TAG_MASK;
  }

  /** Where a string block's bytes start, checked (its length in this.size). */
  private stringSpan(w: number, cx: Cx, d: number): number {
    const tag = this.header(w, cx, d, "a string block");
    if (tag !== Tag.String) throw fail(cx, d, `expected a string block, got tag ${tag}`);
    this.checkBlock(w, 8 + this.size, cx, d);
    return w + 8;
  }

  stringBytes(w: number, what: string): Uint8Array {
    this.views();
    const start = this.stringSpan(w, context(what), 0);
    return typedArraySubarray(this.u8, start, start + this.size);
  }

  /** A string block as a JS string (invalid UTF-8 becomes U+FFFD, as TextDecoder does). */
  decodeString(w: number, what: string): string {
    this.views();
    return this.str(w, context(what), 0);
  }

  private str(w: number, cx: Cx, d: number): string {
    const start = this.stringSpan(w, cx, d),
      n = this.size;
    const u8 = this.u8,
      end = start + n;
    if (n <= SHORT_STRING) {
      // short ASCII strings by hand: TextDecoder costs ~0.3 us per call, whatever the length
      let out = "";
      for (let i = start; i < end; i++) {
        const c = u8[i];
        if (c > 0x7f) return fromUtf8With(this.dec, typedArraySubarray(u8, start, end));
        out += fromCharCode(c);
      }
      return out;
    }
    return fromUtf8With(this.dec, typedArraySubarray(u8, start, end));
  }

  /** wire word -> JS value, for the OCaml type `t`. */
  decode(w: number, t: TypeDesc, what: string): unknown {
    const cx: Cx = { what, keys: NO_KEYS };
    const n = this.compiledOrFail(t, cx);
    if (n.k >= K_FLOATARRAY) cx.keys = create(null);
    if (this.u32.length === 0) this.views();
    return this.dec1(w, n, cx, 0);
  }

  private imm(w: number, cx: Cx, d: number, what: string): number {
    if (!(w & 1)) throw fail(cx, d, `expected an immediate (${what}), got a block`);
    return w >> 1;
  }

  private dec1(w: number, n: TNode, cx: Cx, d: number): unknown {
    switch (n.k) {
      case K_UNIT:
        if (w !== 1) throw fail(cx, d, `expected () (the immediate 0), got ${wordDesc(w)}`);
        return undefined;
      case K_INT:
        return this.imm(w, cx, d, "int");
      case K_BOOL:
        if (w !== 1 && w !== 3) throw fail(cx, d, `expected false or true (the immediates 0 and 1), got ${wordDesc(w)}`);
        return w === 3;
      case K_CHAR: {
        const c = this.imm(w, cx, d, "char");
        if (c < 0 || c > 255) throw fail(cx, d, `expected a char (0..255), got ${wordDesc(w)}`);
        return fromCharCode(c);
      }
      case K_FLOAT: {
        const tag = this.header(w, cx, d);
        if (tag !== Tag.Double) throw fail(cx, d, `expected a float block, got tag ${tag}`);
        this.checkBlock(w, 16, cx, d);
        return this.f64[(w + 8) / 8];
      }
      case K_STRING:
        return this.str(w, cx, d);
      case K_BYTES: {
        const start = this.stringSpan(w, cx, d);
        return typedArraySlice(this.u8, start, start + this.size);
      }
      case K_INT32:
      case K_NATIVEINT:
        return Number(this.boxed(w, n.k === K_INT32 ? "int32" : "nativeint", cx, d));
      case K_INT64:
        return this.boxed(w, "int64", cx, d);
      case K_FLOATARRAY:
        return this.floats(w, cx, d);
      case K_LIST: {
        if (d >= MAX_DEPTH) throw tooDeep(cx, d);
        const out = this.scratch(d);
        const e = n.e!,
          ints = e.k === K_INT,
          keys = cx.keys,
          u32 = this.u32;
        // a list has at most one cell per 16 bytes of memory: more means a cycle
        const max = this.u8.length / 16;
        let i = 0;
        for (; !(w & 1); i++) {
          const tag = this.header(w, cx, d),
            size = this.size;
          if (tag !== 0 || size !== 2) throw fail(cx, d, `expected a list cell, got tag ${tag} size ${size}`, `[${i}]`);
          if (i > max) throw fail(cx, d, "the list is cyclic");
          this.checkBlock(w, 16, cx, d);
          const x = u32[(w >>> 2) + 2];
          let y: unknown;
          if (ints && x & 1) y = x >> 1;
          else {
            keys[d] = i;
            y = this.dec1(x, e, cx, d + 1);
          }
          out[i] = y;
          w = u32[(w >>> 2) + 3];
        }
        if (w !== 1) throw fail(cx, d, `a list must end with [], got ${wordDesc(w)}`, `[${i}]`);
        return arrayOf(out, i);
      }
      case K_ARRAY:
      case K_TUPLE: {
        const tag = this.header(w, cx, d),
          len = this.size;
        if (tag !== 0) throw fail(cx, d, `expected tag 0, got ${tag}`);
        const tuple = n.k === K_TUPLE;
        if (tuple && n.es.length !== len) throw fail(cx, d, `expected a ${n.es.length}-tuple, got size ${len}`);
        if (d >= MAX_DEPTH) throw tooDeep(cx, d);
        this.checkBlock(w, 8 + 4 * len, cx, d);
        const out = this.scratch(d),
          keys = cx.keys,
          base = (w >>> 2) + 2;
        for (let i = 0; i < len; i++) {
          keys[d] = i;
          out[i] = this.dec1(this.u32[base + i], tuple ? n.es[i] : n.e!, cx, d + 1);
        }
        return arrayOf(out, len);
      }
      case K_RESULT: {
        const tag = this.header(w, cx, d),
          len = this.size;
        if (tag > 1 || len !== 1) throw fail(cx, d, `expected Ok _ or Error _, got tag ${tag} size ${len}`);
        if (d >= MAX_DEPTH) throw tooDeep(cx, d);
        this.checkBlock(w, 12, cx, d);
        const x = this.u32[(w >>> 2) + 2];
        if (tag === 0) {
          cx.keys[d] = ".ok";
          return { ok: this.dec1(x, n.es[0], cx, d + 1) };
        }
        cx.keys[d] = ".error";
        return { error: this.dec1(x, n.es[1], cx, d + 1) };
      }
      case K_OPTION: {
        if (w === 1) return null;
        const tag = this.header(w, cx, d),
          len = this.size;
        if (tag !== 0 || len !== 1) throw fail(cx, d, `expected None or Some _ (tag 0, size 1), got tag ${tag} size ${len}`);
        if (d >= MAX_DEPTH) throw tooDeep(cx, d);
        this.checkBlock(w, 12, cx, d);
        cx.keys[d] = n.flag ? ".some" : "";
        const x = this.dec1(this.u32[(w >>> 2) + 2], n.e!, cx, d + 1);
        return n.flag ? { some: x } : x;
      }
      case K_BIGARRAY: {
        const ba = n.ba;
        if (!ba) throw fail(cx, d, `bigarrays of ${n.name} are not supported`);
        const tag = this.header(w, cx, d);
        this.checkBlock(w, 24, cx, d);
        const i = w >>> 2,
          elt = this.u32[i + 3];
        if (tag !== Tag.Custom || this.u32[i + 2] !== CUSTOM_BIGARRAY || (elt & BIGARRAY_KIND_MASK) !== ba.kind)
          throw fail(cx, d, `expected a Bigarray.Array1 of ${n.name}`);
        const len = this.u32[i + 4],
          data = this.u32[i + 5];
        if (data + len * ba.C.BYTES_PER_ELEMENT > this.u8.length || data % ba.C.BYTES_PER_ELEMENT)
          throw fail(cx, d, `invalid bigarray data at 0x${data.toString(16)} (${len} elements)`);
        const view = new ba.C(this.buffer!, data, len);
        // Rust's shared buffers are viewed; data in the call arena is copied (the arena is reused),
        // and so is a rooted bigarray's buffer (0x200: only OCaml's views hold it alive)
        return (elt & (BIGARRAY_SHARED | BIGARRAY_MANAGED)) === BIGARRAY_SHARED ? view : typedArraySlice(view, 0, len);
      }
      case K_REF:
        return this.dec1(w, this.target(n, cx, d), cx, d);
      case K_RECORD: {
        const tag = this.header(w, cx, d),
          len = this.size;
        const names = n.names,
          nf = names.length;
        if (d >= MAX_DEPTH) throw tooDeep(cx, d);
        const out = { ...n.tmpl } as Record<string, unknown>;
        if (n.flag) {
          if (tag !== Tag.DoubleArray || len !== nf)
            throw fail(cx, d, `expected the record ${n.name} (flat floats: tag 254, ${nf} floats), got tag ${tag} size ${len}`);
          this.checkBlock(w, 8 + 8 * len, cx, d);
          const base = (w + 8) / 8;
          for (let i = 0; i < nf; i++) out[names[i]] = this.f64[base + i];
          return out;
        }
        if (tag !== 0 || len !== nf) throw fail(cx, d, `expected the record ${n.name} (tag 0, ${nf} fields), got tag ${tag} size ${len}`);
        this.checkBlock(w, 8 + 4 * len, cx, d);
        const base = (w >>> 2) + 2;
        for (let i = 0; i < nf; i++) {
          cx.keys[d] = n.segs[i];
          out[names[i]] = this.dec1(this.u32[base + i], n.es[i], cx, d + 1);
        }
        return out;
      }
      case K_VARIANT:
        return this.decVariant(w, n, cx, d);
      case K_CLOSURE: {
        const tag = this.header(w, cx, d, "a closure"),
          size = this.size;
        if (tag !== TAG_CLOSURE || (size !== 4 && size !== 5))
          throw fail(cx, d, `expected a closure (tag ${TAG_CLOSURE}), got tag ${tag} size ${size}`);
        this.checkBlock(w, 8 + 4 * size, cx, d);
        const b = (w >>> 2) + 2,
          u32 = this.u32;
        for (let i = 0; i < size; i++) if (!(u32[b + i] & 1)) throw fail(cx, d, "invalid closure block (its fields must be immediates)");
        const origin = u32[b + 1] >> 1;
        if (size === 4 && origin === 0)
          return this.host(cx, d).ocamlClosure(u32[b] >>> 1, u32[b + 2] >>> 1, u32[b + 3] >>> 1, n.fn!, pathOf(cx, d));
        if (size === 5 && origin === 1)
          return this.host(cx, d).rustClosure(u32[b] >>> 1, u32[b + 2] >>> 1, u32[b + 4] >>> 1, u32[b + 3] >>> 1, n.fn!, pathOf(cx, d));
        throw fail(cx, d, `invalid closure block (origin ${origin}, size ${size})`);
      }
      case K_DYNBOX: {
        const tag = this.header(w, cx, d, "a Rust value (DynBox)");
        this.checkBlock(w, 24, cx, d);
        const i = w >>> 2;
        if (tag !== Tag.Custom || this.u32[i + 2] !== CUSTOM_DYNBOX) throw fail(cx, d, `expected a Rust value (DynBox), got tag ${tag}`);
        return this.host(cx, d).boxHandle(this.u32[i + 3], this.u32[i + 4], this.u32[i + 5], n.name, pathOf(cx, d));
      }
      case K_UNKNOWN:
        throw fail(
          cx,
          d,
          `its Rust type ${n.name} implements no OCamlDescriber, so TypeScript cannot convert it (derive OCamlDescriber for it)`,
        );
    }
    throw fail(cx, d, `the OCaml type ${n.name} is not supported from TypeScript yet`);
  }

  private decVariant(w: number, n: TNode, cx: Cx, d: number): unknown {
    const notCtor = () =>
      fail(
        cx,
        d,
        `not a constructor of ${n.name}: ${w & 1 ? wordDesc(w) : `a block of tag ${this.u32[w >>> 2] & 0xff}, size ${this.u32[(w >>> 2) + 1]}`}`,
      );
    if (w & 1) {
      const c = n.consts[w >> 1];
      if (c === undefined) throw notCtor();
      return { tag: c.name };
    }
    const tag = this.header(w, cx, d),
      len = this.size;
    this.checkBlock(w, 8 + 4 * len, cx, d);
    if (d >= MAX_DEPTH) throw tooDeep(cx, d);
    const base = (w >>> 2) + 2,
      u32 = this.u32;
    if (n.flag) {
      if (tag !== 0 || len !== 2 || !(u32[base] & 1)) throw notCtor();
      const c = n.blocks[u32[base] >> 1];
      if (c === undefined) throw notCtor();
      if (c.args.length === 1) {
        cx.keys[d] = ".args[0]";
        return { tag: c.name, args: [this.dec1(u32[base + 1], c.args[0], cx, d + 1)] };
      }
      // several arguments: a tuple block
      const x = u32[base + 1];
      const t2 = this.header(x, cx, d),
        l2 = this.size;
      if (t2 !== 0 || l2 !== c.args.length)
        throw fail(cx, d, `expected the ${c.args.length} arguments of ${c.name} (a tuple), got tag ${t2} size ${l2}`, ".args");
      this.checkBlock(x, 8 + 4 * l2, cx, d);
      const args = this.scratch(d),
        b2 = (x >>> 2) + 2;
      for (let i = 0; i < l2; i++) {
        cx.keys[d] = c.argSegs[i];
        args[i] = this.dec1(u32[b2 + i], c.args[i], cx, d + 1);
      }
      return { tag: c.name, args: arrayOf(args, l2) };
    }
    const c = n.blocks[tag];
    if (c === undefined) throw notCtor();
    if (c.record) {
      if (len !== c.names.length) throw notCtor();
      const fields = { ...c.tmpl } as Record<string, unknown>;
      for (let i = 0; i < len; i++) {
        cx.keys[d] = c.fieldSegs[i];
        fields[c.names[i]] = this.dec1(u32[base + i], c.fields[i], cx, d + 1);
      }
      return { tag: c.name, fields };
    }
    if (len !== c.args.length) throw notCtor();
    const args = this.scratch(d);
    for (let i = 0; i < len; i++) {
      cx.keys[d] = c.argSegs[i];
      args[i] = this.dec1(u32[base + i], c.args[i], cx, d + 1);
    }
    return { tag: c.name, args: arrayOf(args, len) };
  }

  private boxed(w: number, kind: BoxedKind, cx: Cx, d: number): bigint {
    const tag = this.header(w, cx, d);
    this.checkBlock(w, 24, cx, d);
    if (tag !== Tag.Custom || this.u32[(w >>> 2) + 2] !== Custom[kind]) throw fail(cx, d, `expected ${kind}, got tag ${tag}`);
    return this.i64[(w + 16) / 8];
  }

  private floats(w: number, cx: Cx, d: number): Float64Array {
    const tag = this.header(w, cx, d),
      n = this.size;
    if (n === 0) return new Float64ArrayOf(0);
    if (tag !== Tag.DoubleArray) throw fail(cx, d, `expected a float array, got tag ${tag}`);
    this.checkBlock(w, 8 + 8 * n, cx, d);
    return typedArraySlice(this.f64, (w + 8) / 8, (w + 8) / 8 + n);
  }

  // ---- untyped view (test vectors, debugging) -------------------------------------------
  /** Encodes in pre-order (a block before its fields, fields left to right), as the spec says. */
  encodeRaw(v: RawValue): number {
    this.views();
    if ("int" in v) return WireCodec.intWord(v.int, "raw int");
    if ("string" in v) return this.encodeBytes(v.string);
    if ("float" in v) return this.encodeFloat(v.float);
    if ("boxed" in v) return this.encodeBoxed(v.boxed, v.value);
    if ("floats" in v) {
      const p = this.block(Tag.DoubleArray, v.floats.length, 8 * v.floats.length);
      v.floats.forEach((x, i) => {
        this.f64[(p + 8) / 8 + i] = x;
      });
      return p;
    }
    const p = this.block(v.block, v.fields.length, 4 * v.fields.length);
    v.fields.forEach((f, i) => {
      const w = this.encodeRaw(f);
      this.set32(p + 8 + 4 * i, w);
    });
    return p;
  }

  decodeRaw(w: number): RawValue {
    this.views();
    const cx: Cx = context("raw");
    if (w & 1) return { int: w >> 1 };
    const tag = this.header(w, cx, 0),
      n = this.size;
    if (tag === Tag.String) return { string: this.stringBytes(w, "raw").slice() };
    if (tag === Tag.Double) return { float: this.dv.getFloat64(w + 8, true) };
    if (tag === Tag.Custom) {
      this.checkBlock(w, 24, cx, 0);
      const k = this.dv.getUint32(w + 8, true);
      const kind = (Object.keys(Custom) as BoxedKind[]).find((n) => Custom[n] === k);
      if (!kind) throw new ConversionError(`raw: unknown custom kind ${k}`);
      return { boxed: kind, value: this.dv.getBigInt64(w + 16, true) };
    }
    if (tag === Tag.DoubleArray) {
      this.checkBlock(w, 8 + 8 * n, cx, 0);
      return { floats: Array.from({ length: n }, (_, i) => this.dv.getFloat64(w + 8 + 8 * i, true)) };
    }
    if (tag >= Tag.NoScan) throw new ConversionError(`raw: unsupported tag ${tag}`);
    this.checkBlock(w, 8 + 4 * n, cx, 0);
    return { block: tag, fields: Array.from({ length: n }, (_, i) => this.decodeRaw(this.dv.getUint32(w + 8 + 4 * i, true))) };
  }
}
