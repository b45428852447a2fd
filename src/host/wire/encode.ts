// JS -> wire: the checks of direct arguments (also the bridge's), then each kind of value
// encoded into the call arena by its compiled description; the descriptions and the app's
// handles are looked up here for the decoder too.
import type { TypeDesc } from "../app.ts";
import { utf8Into } from "../intrinsics.ts";
import { CUSTOM_DYNBOX, MAX_INT, MIN_INT, TAG_CLOSURE } from "../protocol.ts";
import {
  BigIntOf,
  charCodeAt,
  create,
  hasOwn,
  isArray,
  isInteger,
  isSafeInteger,
  joined,
  list,
  mapGet,
  MISSING,
  push,
  SHORT_STRING,
  stringify,
  stringIsWellFormed,
  stringSlice,
  typedArrayBuffer,
  typedArrayByteLength,
  typedArrayByteOffset,
  typedArrayLength,
  typedArrayName,
  typedArraySet,
  typedArraySubarray,
  Uint8ArrayOf,
} from "./builtins.ts";
import {
  compileType,
  K_ARRAY,
  K_BIGARRAY,
  K_BOOL,
  K_BYTES,
  K_CHAR,
  K_CLOSURE,
  K_DYNBOX,
  K_FLOAT,
  K_FLOATARRAY,
  K_INT,
  K_INT32,
  K_INT64,
  K_LIST,
  K_NATIVEINT,
  K_OPTION,
  K_RECORD,
  K_REF,
  K_RESULT,
  K_STRING,
  K_TUPLE,
  K_UNIT,
  K_UNKNOWN,
  K_VARIANT,
  type TNode,
  type TypeTables,
} from "./descriptions.ts";
import { WireMemory } from "./memory.ts";
import { context, type Cx, fail, NO_KEYS, pathOf, rethrown, show, tooDeep, unreadable } from "./messages.ts";
import { type Allocator, ARENA_MAX_BYTES, type BoxedKind, ConversionError, Custom, type HandleHost, MAX_DEPTH, Tag } from "./types.ts";
import { loneSurrogate, utf8Length } from "./utf8.ts";

export class WireEncoder extends WireMemory {
  /** The compiled type descriptions (the decoder's too). */
  protected readonly types: TypeTables = { named: new Map(), compiled: new WeakMap() };
  protected readonly handles: HandleHost | undefined;

  constructor(memory: WebAssembly.Memory, arena: Allocator, handles?: HandleHost) {
    super(memory, arena);
    this.handles = handles;
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

  // ---- descriptions (shared with the decoder) ------------------------------------------------
  protected target(n: TNode, cx: Cx, d: number): TNode {
    if (!n.e) {
      n.e = mapGet(this.types.named, n.name);
      if (!n.e) throw fail(cx, d, `unknown type ${n.name}`);
    }
    return n.e;
  }

  protected compiledOrFail(t: TypeDesc, cx: Cx): TNode {
    try {
      return compileType(this.types, t);
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
          return WireEncoder.intWord(v, pathOf(cx, d));
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
          return this.encodeBoxed(n.k === K_INT32 ? "int32" : "nativeint", BigIntOf(WireEncoder.int32(v, pathOf(cx, d), n.name)), cx, d);
        case K_INT64:
          return this.encodeBoxed("int64", WireEncoder.int64(v, pathOf(cx, d)), cx, d);
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
          // a promise: the subscribe function of the Promise (or thenable) TS gives
          if (n.flag) v = this.host(cx, d).subscriberOf(v, pathOf(cx, d));
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
  protected host(cx: Cx, d: number): HandleHost {
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
        if (ba.big) view[i] = WireEncoder.int64(x, pathOf(cx, d, `[${i}]`));
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
}
