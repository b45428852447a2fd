// The wire format (docs/wire-format.md) in TypeScript: JS values <-> wire values in the
// shared linear memory. Typed conversions follow the JS representation of each OCaml type
// (docs/guide/part8-typescript.md); `RawValue` is the untyped view the shared test vectors use.
import type { TypeDesc } from "./app.ts";

export const WIRE_VERSION = 1;
export const ERROR_SENTINEL = 2;
export const MIN_INT = -(2 ** 30);
export const MAX_INT = 2 ** 30 - 1;
export const Tag = { NoScan: 251, String: 252, Double: 253, DoubleArray: 254, Custom: 255 } as const;
/** Kinds of custom blocks (tag 255, payload [u32 kind][u32 0][i64 value]). */
export const Custom = { int32: 1, int64: 2, nativeint: 3 } as const;
export type BoxedKind = keyof typeof Custom;

/** Where encoded values are allocated (the call arena). Returns an 8-aligned address. */
export interface Allocator { alloc(bytes: number): number }

/** Untyped view of a wire value. Strings are carried as bytes (they need not be UTF-8). */
export type RawValue =
  | { int: number }
  | { block: number; fields: RawValue[] }
  | { string: Uint8Array }
  | { float: number }
  | { floats: number[] }
  | { boxed: BoxedKind; value: bigint };

const round8 = (n: number) => Math.ceil(n / 8) * 8;

export class ConversionError extends Error {
  constructor(message: string) { super(message); this.name = "ConversionError"; }
}

/** Strings up to this many code units (or bytes) are converted by hand when they are ASCII. */
const SHORT_STRING = 64;

type TypedArrayCtor = { new (buffer: ArrayBufferLike, offset: number, length: number): ArrayBufferView & ArrayLike<number> & { slice(): unknown }; new (xs: ArrayLike<number>): ArrayBufferView & ArrayLike<number>; name: string };
const TYPED_ARRAYS: Record<number, TypedArrayCtor> = {
  0: Float32Array, 1: Float64Array, 2: Int8Array, 3: Uint8Array, 4: Int16Array, 5: Uint16Array, 6: Int32Array,
  7: BigInt64Array, 9: Int32Array,
} as unknown as Record<number, TypedArrayCtor>;
const BIGARRAY_NAMES: Record<string, number> = {
  float32: 0, float64: 1, int8_signed: 2, int8_unsigned: 3, int16_signed: 4, int16_unsigned: 5, int32: 6,
  int64: 7, nativeint: 9,
};

interface FieldDesc { name: string; type: TypeDesc }
interface CtorDesc { name: string; index?: number; hash?: number; args?: TypeDesc[]; record?: FieldDesc[] }
interface RecordDesc { name: string; flat_floats: boolean; fields: FieldDesc[] }
interface VariantDesc { name: string; ctors: CtorDesc[] }

export class WireCodec {
  /** Named types seen so far (for `{ref: name}` in recursive descriptions). */
  private readonly named = new Map<string, TypeDesc>();
  private u8!: Uint8Array;
  private dv!: DataView;
  private buffer?: ArrayBufferLike;
  private readonly enc = new TextEncoder();
  private readonly dec = new TextDecoder("utf-8", { fatal: false });

  private readonly memory: WebAssembly.Memory;
  private readonly arena: Allocator;

  constructor(memory: WebAssembly.Memory, arena: Allocator) {
    this.memory = memory;
    this.arena = arena;
  }

  /** Views are re-derived whenever the memory has grown (growth detaches the old buffer). */
  private views() {
    if (this.buffer !== this.memory.buffer) {
      this.buffer = this.memory.buffer;
      this.u8 = new Uint8Array(this.buffer);
      this.dv = new DataView(this.buffer);
    }
  }

  private block(tag: number, size: number, payload: number): number {
    const p = this.arena.alloc(8 + round8(payload));
    this.views();
    this.dv.setUint32(p, tag, true);
    this.dv.setUint32(p + 4, size, true);
    this.u8.fill(0, p + 8, p + 8 + round8(payload));
    return p;
  }

  static intWord(n: number, what: string): number {
    if (!Number.isInteger(n)) throw new ConversionError(`${what}: expected an integer, got ${n}`);
    if (n < MIN_INT || n > MAX_INT)
      throw new ConversionError(`${what}: ${n} does not fit OCaml's int, which is 31-bit under wasm_of_ocaml (${MIN_INT}..${MAX_INT})`);
    return ((n << 1) | 1) >>> 0;
  }

  /** An int64 from a bigint (or a safe integer), range-checked. */
  static int64(v: unknown, what: string): bigint {
    const b = typeof v === "bigint" ? v : typeof v === "number" && Number.isSafeInteger(v) ? BigInt(v) : undefined;
    if (b === undefined || b < -(2n ** 63n) || b >= 2n ** 63n)
      throw new ConversionError(`${what}: expected a bigint in -2^63..2^63-1 (int64), got ${String(v)}`);
    return b;
  }

  /** An int32 (or a 32-bit nativeint) from a number, range-checked. */
  static int32(v: unknown, what: string, t = "int32"): number {
    if (typeof v !== "number" || !Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31)
      throw new ConversionError(`${what}: expected an integer in -2^31..2^31-1 (${t}), got ${String(v)}`);
    return v;
  }

  encodeBytes(bytes: Uint8Array): number {
    const p = this.block(Tag.String, bytes.length, bytes.length);
    this.views();
    this.u8.set(bytes, p + 8);
    return p;
  }

  encodeString(s: string): number {
    // UTF-16 to UTF-8 needs at most 3 bytes per code unit; the unused tail is padding
    const max = s.length * 3;
    const p = this.block(Tag.String, 0, max);
    this.views();
    // short strings: the ASCII prefix by hand (encodeInto costs ~0.5 us per call, whatever the
    // length), the rest, if any, through encodeInto
    const u8 = this.u8, base = p + 8, n = s.length;
    let i = 0;
    if (n <= SHORT_STRING)
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        u8[base + i] = c;
      }
    let written = i;
    if (i < n) written += this.enc.encodeInto(i ? s.slice(i) : s, u8.subarray(base + i, base + max)).written;
    this.dv.setUint32(p + 4, written, true);
    return p;
  }

  encodeFloat(x: number): number {
    const p = this.block(Tag.Double, 1, 8);
    this.views();
    this.dv.setFloat64(p + 8, x, true);
    return p;
  }

  encodeBoxed(kind: BoxedKind, value: bigint): number {
    const p = this.block(Tag.Custom, 16, 16);
    this.views();
    this.dv.setUint32(p + 8, Custom[kind], true);
    this.dv.setBigInt64(p + 16, value, true);
    return p;
  }

  private encodeFloats(v: unknown, what: string): number {
    if (!(v instanceof Float64Array) && !(Array.isArray(v) && v.every((x) => typeof x === "number")))
      throw new ConversionError(`${what}: expected a Float64Array or an array of numbers (float array)`);
    const xs = v as ArrayLike<number>;
    if (xs.length === 0) return this.block(0, 0, 0); // OCaml's empty array
    const p = this.block(Tag.DoubleArray, xs.length, 8 * xs.length);
    this.views();
    if (v instanceof Float64Array) new Float64Array(this.buffer as ArrayBuffer, p + 8, xs.length).set(v);
    else for (let i = 0; i < xs.length; i++) this.dv.setFloat64(p + 8 + 8 * i, xs[i], true);
    return p;
  }

  /** JS value -> wire word, for the OCaml type `t`. `what` names the value in errors. */
  encode(v: unknown, t: TypeDesc, what: string): number {
    if (typeof t === "string") {
      switch (t) {
        case "unit":
          if (v !== undefined && v !== null) throw new ConversionError(`${what}: expected undefined (unit), got ${typeof v}`);
          return 1;
        case "int":
          if (typeof v !== "number") throw new ConversionError(`${what}: expected a number (int), got ${typeof v}`);
          return WireCodec.intWord(v, what);
        case "bool":
          if (typeof v !== "boolean") throw new ConversionError(`${what}: expected a boolean, got ${typeof v}`);
          return v ? 3 : 1;
        case "char": {
          if (typeof v !== "string" || v.length !== 1 || v.charCodeAt(0) > 255)
            throw new ConversionError(`${what}: expected a one-character string (char, code 0..255)`);
          return WireCodec.intWord(v.charCodeAt(0), what);
        }
        case "float":
          if (typeof v !== "number") throw new ConversionError(`${what}: expected a number (float), got ${typeof v}`);
          return this.encodeFloat(v);
        case "string":
          if (typeof v === "string") return this.encodeString(v);
          if (v instanceof Uint8Array) return this.encodeBytes(v);
          throw new ConversionError(`${what}: expected a string, got ${typeof v}`);
        case "bytes":
          if (v instanceof Uint8Array) return this.encodeBytes(v);
          if (typeof v === "string") return this.encodeString(v);
          throw new ConversionError(`${what}: expected a Uint8Array (bytes), got ${typeof v}`);
        case "int32": case "nativeint":
          return this.encodeBoxed(t, BigInt(WireCodec.int32(v, what, t)));
        case "int64":
          return this.encodeBoxed("int64", WireCodec.int64(v, what));
        case "floatarray": return this.encodeFloats(v, what);
      }
    } else if ("list" in t) {
      if (!Array.isArray(v)) throw new ConversionError(`${what}: expected an array (list), got ${typeof v}`);
      let root = 1, slot = 0;
      v.forEach((x, i) => {
        const cell = this.block(0, 2, 8);
        this.views();
        this.dv.setUint32(cell + 12, 1, true);
        if (slot === 0) root = cell; else this.dv.setUint32(slot, cell, true);
        const w = this.encode(x, t.list as TypeDesc, `${what}[${i}]`);
        this.views();
        this.dv.setUint32(cell + 8, w, true);
        slot = cell + 12;
      });
      return root;
    } else if ("array" in t || "tuple" in t) {
      const isTuple = "tuple" in t;
      if (!isTuple && t.array === "float") return this.encodeFloats(v, what);
      if (!Array.isArray(v)) throw new ConversionError(`${what}: expected an array (${isTuple ? "tuple" : "array"}), got ${typeof v}`);
      const types = isTuple ? (t.tuple as TypeDesc[]) : v.map(() => t.array as TypeDesc);
      if (isTuple && v.length !== types.length)
        throw new ConversionError(`${what}: expected a ${types.length}-tuple, got ${v.length} element(s)`);
      const p = this.block(0, v.length, 4 * v.length);
      v.forEach((x, i) => {
        const w = this.encode(x, types[i], `${what}[${i}]`);
        this.views();
        this.dv.setUint32(p + 8 + 4 * i, w, true);
      });
      return p;
    } else if ("result" in t) {
      const [okT, errT] = t.result as TypeDesc[];
      const o = v as { ok?: unknown; error?: unknown } | null;
      if (o === null || typeof o !== "object" || ("ok" in o) === ("error" in o))
        throw new ConversionError(`${what}: expected {ok: value} or {error: value} (result)`);
      const isOk = "ok" in o;
      const p = this.block(isOk ? 0 : 1, 1, 4);
      const w = isOk ? this.encode(o.ok, okT, what) : this.encode(o.error, errT, what);
      this.views();
      this.dv.setUint32(p + 8, w, true);
      return p;
    } else if ("bigarray" in t) {
      const kind = BIGARRAY_NAMES[t.bigarray as string];
      const C = TYPED_ARRAYS[kind];
      if (!C) throw new ConversionError(`${what}: bigarrays of ${String(t.bigarray)} are not supported`);
      const src = v instanceof C ? (v as ArrayBufferView & ArrayLike<number>) : Array.isArray(v) ? new C(v) : undefined;
      if (!src) throw new ConversionError(`${what}: expected a ${C.name} (Bigarray.Array1 of ${String(t.bigarray)})`);
      const data = this.arena.alloc(Math.max(src.byteLength, 8));
      this.views();
      this.u8.set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength), data);
      const p = this.block(Tag.Custom, 16, 16);
      this.views();
      this.dv.setUint32(p + 8, 4, true);
      this.dv.setUint32(p + 12, kind, true);
      this.dv.setUint32(p + 16, src.length, true);
      this.dv.setUint32(p + 20, data, true);
      return p;
    } else if ("ref" in t) {
      return this.encode(v, this.resolve(t.ref as string, what), what);
    } else if ("record" in t) {
      const r = t.record as unknown as RecordDesc;
      this.named.set(r.name, t);
      if (v === null || typeof v !== "object") throw new ConversionError(`${what}: expected an object (record ${r.name})`);
      const o = v as Record<string, unknown>;
      for (const f of r.fields)
        if (!(f.name in o)) throw new ConversionError(`${what}: record ${r.name} lacks the field ${f.name}`);
      if (r.flat_floats) return this.encodeFloats(r.fields.map((f) => o[f.name]), `${what} (record ${r.name})`);
      const p = this.block(0, r.fields.length, 4 * r.fields.length);
      r.fields.forEach((f, i) => {
        const w = this.encode(o[f.name], f.type, `${what}.${f.name}`);
        this.views();
        this.dv.setUint32(p + 8 + 4 * i, w, true);
      });
      return p;
    } else if ("variant" in t || "polyvar" in t) {
      const poly = "polyvar" in t;
      const d = (poly ? t.polyvar : t.variant) as unknown as VariantDesc;
      this.named.set(d.name, t);
      const o = v as { tag?: unknown; args?: unknown[] } & Record<string, unknown>;
      if (o === null || typeof o !== "object" || typeof o.tag !== "string")
        throw new ConversionError(`${what}: expected {tag: ...} (${poly ? "polymorphic variant" : "variant"} ${d.name})`);
      const c = d.ctors.find((x) => x.name === o.tag);
      if (!c) throw new ConversionError(`${what}: ${d.name} has no constructor ${o.tag} (it has ${d.ctors.map((x) => x.name).join(", ")})`);
      const args = c.record ? c.record.map((f) => [o[f.name], f.type, `${what}.${f.name}`] as const)
        : (c.args ?? []).map((ty, i) => [o.args?.[i], ty, `${what}.args[${i}]`] as const);
      if (!c.record && (o.args?.length ?? 0) !== (c.args?.length ?? 0))
        throw new ConversionError(`${what}: ${o.tag} takes ${c.args?.length ?? 0} argument(s), got ${o.args?.length ?? 0}`);
      if (poly) {
        const hash = ((c.hash! << 1) | 1) >>> 0;
        if (args.length === 0) return hash;
        const p = this.block(0, 2, 8);
        this.views();
        this.dv.setUint32(p + 8, hash, true);
        let w: number;
        if (args.length === 1) w = this.encode(...args[0]);
        else {
          w = this.block(0, args.length, 4 * args.length);
          args.forEach((a, i) => { const x = this.encode(...a); this.views(); this.dv.setUint32(w + 8 + 4 * i, x, true); });
        }
        this.views();
        this.dv.setUint32(p + 12, w, true);
        return p;
      }
      if (args.length === 0) return ((c.index! << 1) | 1) >>> 0;
      const p = this.block(c.index!, args.length, 4 * args.length);
      args.forEach((a, i) => { const x = this.encode(...a); this.views(); this.dv.setUint32(p + 8 + 4 * i, x, true); });
      return p;
    } else if ("option" in t) {
      if (v === null || v === undefined) return 1;
      const p = this.block(0, 1, 4);
      const w = this.encode(v, t.option as TypeDesc, what);
      this.views();
      this.dv.setUint32(p + 8, w, true);
      return p;
    } else if ("unknown" in t) {
      throw new ConversionError(`${what}: its Rust type ${String(t.unknown)} implements no OCamlDescriber, so TypeScript cannot convert it (derive OCamlDescriber for it)`);
    }
    throw new ConversionError(`${what}: the OCaml type ${JSON.stringify(t)} is not supported from TypeScript yet`);
  }

  private checkBlock(w: number, bytes: number, what: string) {
    this.views();
    if (w === 0 || (w & 7) !== 0 || w + bytes > this.u8.length)
      throw new ConversionError(`${what}: invalid wire value 0x${w.toString(16)}`);
  }

  private header(w: number, what: string): [number, number] {
    this.checkBlock(w, 8, what);
    return [this.dv.getUint32(w, true) & 0xff, this.dv.getUint32(w + 4, true)];
  }

  /** Where a string block's bytes are: [start, length], checked. */
  private stringSpan(w: number, what: string): [number, number] {
    const [tag, n] = this.header(w, what);
    if (tag !== Tag.String) throw new ConversionError(`${what}: expected a string block, got tag ${tag}`);
    this.checkBlock(w, 8 + n, what);
    return [w + 8, n];
  }

  stringBytes(w: number, what: string): Uint8Array {
    const [start, n] = this.stringSpan(w, what);
    return this.u8.subarray(start, start + n);
  }

  /** A string block as a JS string (invalid UTF-8 becomes U+FFFD, as TextDecoder does). */
  decodeString(w: number, what: string): string {
    const [start, n] = this.stringSpan(w, what);
    const u8 = this.u8, end = start + n;
    if (n <= SHORT_STRING) {
      // short ASCII strings by hand: TextDecoder costs ~0.3 us per call, whatever the length
      let out = "";
      for (let i = start; i < end; i++) {
        const c = u8[i];
        if (c > 0x7f) return this.dec.decode(u8.subarray(start, end));
        out += String.fromCharCode(c);
      }
      return out;
    }
    return this.dec.decode(u8.subarray(start, end));
  }

  /** wire word -> JS value, for the OCaml type `t`. */
  decode(w: number, t: TypeDesc, what: string): unknown {
    if (typeof t === "string") {
      switch (t) {
        case "unit": return undefined;
        case "int": return this.imm(w, what);
        case "bool": return this.imm(w, what) !== 0;
        case "char": return String.fromCharCode(this.imm(w, what));
        case "float": {
          const [tag] = this.header(w, what);
          if (tag !== Tag.Double) throw new ConversionError(`${what}: expected a float block, got tag ${tag}`);
          return this.dv.getFloat64(w + 8, true);
        }
        case "string": return this.decodeString(w, what);
        case "bytes": return this.stringBytes(w, what).slice();
        case "int32": case "nativeint": return Number(this.boxed(w, t, what));
        case "int64": return this.boxed(w, "int64", what);
        case "floatarray": return this.floats(w, what);
      }
    } else if ("list" in t) {
      const out: unknown[] = [];
      while (!(w & 1)) {
        const [tag, n] = this.header(w, what);
        if (tag !== 0 || n !== 2) throw new ConversionError(`${what}: expected a list cell, got tag ${tag} size ${n}`);
        out.push(this.decode(this.dv.getUint32(w + 8, true), t.list as TypeDesc, `${what}[${out.length}]`));
        this.views();
        w = this.dv.getUint32(w + 12, true);
      }
      if (w !== 1) throw new ConversionError(`${what}: a list must end with []`);
      return out;
    } else if ("array" in t || "tuple" in t) {
      if (w & 1) throw new ConversionError(`${what}: expected a block, got an immediate`);
      const [tag, n] = this.header(w, what);
      if ("array" in t && (tag === Tag.DoubleArray || (n === 0 && t.array === "float"))) return this.floats(w, what);
      if (tag !== 0) throw new ConversionError(`${what}: expected tag 0, got ${tag}`);
      const types = "tuple" in t ? (t.tuple as TypeDesc[]) : Array.from({ length: n }, () => t.array as TypeDesc);
      if (types.length !== n) throw new ConversionError(`${what}: expected a ${types.length}-tuple, got size ${n}`);
      this.checkBlock(w, 8 + 4 * n, what);
      return types.map((ty, i) => { this.views(); return this.decode(this.dv.getUint32(w + 8 + 4 * i, true), ty, `${what}[${i}]`); });
    } else if ("result" in t) {
      const [okT, errT] = t.result as TypeDesc[];
      const [tag, n] = this.header(w, what);
      if (tag > 1 || n !== 1) throw new ConversionError(`${what}: expected Ok _ or Error _, got tag ${tag} size ${n}`);
      const x = this.dv.getUint32(w + 8, true);
      return tag === 0 ? { ok: this.decode(x, okT, what) } : { error: this.decode(x, errT, what) };
    } else if ("bigarray" in t) {
      const [tag] = this.header(w, what);
      this.checkBlock(w, 24, what);
      const kind = BIGARRAY_NAMES[t.bigarray as string];
      const elt = this.dv.getUint32(w + 12, true);
      if (tag !== Tag.Custom || this.dv.getUint32(w + 8, true) !== 4 || (elt & 0xff) !== kind)
        throw new ConversionError(`${what}: expected a Bigarray.Array1 of ${String(t.bigarray)}`);
      const C = TYPED_ARRAYS[kind];
      const view = new C(this.buffer!, this.dv.getUint32(w + 20, true), this.dv.getUint32(w + 16, true));
      // Rust's shared buffers are viewed; data in the call arena is copied (the arena is reused),
      // and so is a rooted bigarray's buffer (0x200: only OCaml's views hold it alive)
      return (elt & 0x300) === 0x100 ? view : view.slice();
    } else if ("ref" in t) {
      return this.decode(w, this.resolve(t.ref as string, what), what);
    } else if ("record" in t) {
      const r = t.record as unknown as RecordDesc;
      this.named.set(r.name, t);
      const [tag, n] = this.header(w, what);
      const out: Record<string, unknown> = {};
      if (r.flat_floats) {
        const xs = this.floats(w, what);
        if (xs.length !== r.fields.length) throw new ConversionError(`${what}: record ${r.name} has ${r.fields.length} fields, got ${xs.length}`);
        r.fields.forEach((f, i) => { out[f.name] = xs[i]; });
        return out;
      }
      if (tag !== 0 || n !== r.fields.length)
        throw new ConversionError(`${what}: expected the record ${r.name} (tag 0, ${r.fields.length} fields), got tag ${tag} size ${n}`);
      this.checkBlock(w, 8 + 4 * n, what);
      r.fields.forEach((f, i) => { this.views(); out[f.name] = this.decode(this.dv.getUint32(w + 8 + 4 * i, true), f.type, `${what}.${f.name}`); });
      return out;
    } else if ("variant" in t || "polyvar" in t) {
      const poly = "polyvar" in t;
      const d = (poly ? t.polyvar : t.variant) as unknown as VariantDesc;
      this.named.set(d.name, t);
      const fail = (): never => { throw new ConversionError(`${what}: not a constructor of ${d.name}`); };
      if (w & 1) {
        const n = w >> 1;
        const c = d.ctors.find((x) => (poly ? x.hash === n : x.index === n) && !x.record && !(x.args?.length)) ?? fail();
        return { tag: c.name };
      }
      const [tag, n] = this.header(w, what);
      this.checkBlock(w, 8 + 4 * n, what);
      const field = (i: number) => { this.views(); return this.dv.getUint32(w + 8 + 4 * i, true); };
      if (poly) {
        if (tag !== 0 || n !== 2 || !(field(0) & 1)) fail();
        const h = field(0) >> 1;
        const c = d.ctors.find((x) => x.hash === h && (x.args?.length ?? 0) > 0) ?? fail();
        const args = c.args!;
        if (args.length === 1) return { tag: c.name, args: [this.decode(field(1), args[0], `${what}.args[0]`)] };
        return { tag: c.name, args: this.decode(field(1), { tuple: args }, `${what}.args`) };
      }
      const c = d.ctors.find((x) => x.index === tag && (x.record || (x.args?.length ?? 0) > 0)) ?? fail();
      if (c.record) {
        const out: Record<string, unknown> = { tag: c.name };
        if (n !== c.record.length) fail();
        c.record.forEach((f, i) => { out[f.name] = this.decode(field(i), f.type, `${what}.${f.name}`); });
        return out;
      }
      if (n !== c.args!.length) fail();
      return { tag: c.name, args: c.args!.map((ty, i) => this.decode(field(i), ty, `${what}.args[${i}]`)) };
    } else if ("option" in t) {
      if (w & 1) return null;
      const [, n] = this.header(w, what);
      if (n !== 1) throw new ConversionError(`${what}: expected Some block of size 1, got size ${n}`);
      return this.decode(this.dv.getUint32(w + 8, true), t.option as TypeDesc, what);
    } else if ("unknown" in t) {
      throw new ConversionError(`${what}: its Rust type ${String(t.unknown)} implements no OCamlDescriber, so TypeScript cannot convert it (derive OCamlDescriber for it)`);
    }
    throw new ConversionError(`${what}: the OCaml type ${JSON.stringify(t)} is not supported from TypeScript yet`);
  }

  private resolve(name: string, what: string): TypeDesc {
    const t = this.named.get(name);
    if (!t) throw new ConversionError(`${what}: unknown type ${name}`);
    return t;
  }

  private boxed(w: number, kind: BoxedKind, what: string): bigint {
    const [tag] = this.header(w, what);
    this.checkBlock(w, 24, what);
    if (tag !== Tag.Custom || this.dv.getUint32(w + 8, true) !== Custom[kind])
      throw new ConversionError(`${what}: expected ${kind}, got tag ${tag}`);
    return this.dv.getBigInt64(w + 16, true);
  }

  private floats(w: number, what: string): Float64Array {
    const [tag, n] = this.header(w, what);
    if (n === 0) return new Float64Array(0);
    if (tag !== Tag.DoubleArray) throw new ConversionError(`${what}: expected a float array, got tag ${tag}`);
    this.checkBlock(w, 8 + 8 * n, what);
    return new Float64Array(this.buffer!.slice(w + 8, w + 8 + 8 * n) as ArrayBuffer);
  }

  private imm(w: number, what: string): number {
    if (!(w & 1)) throw new ConversionError(`${what}: expected an immediate, got a block`);
    return w >> 1;
  }

  // ---- untyped view (test vectors, debugging) -------------------------------------------
  /** Encodes in pre-order (a block before its fields, fields left to right), as the spec says. */
  encodeRaw(v: RawValue): number {
    if ("int" in v) return WireCodec.intWord(v.int, "raw int");
    if ("string" in v) return this.encodeBytes(v.string);
    if ("float" in v) return this.encodeFloat(v.float);
    if ("boxed" in v) return this.encodeBoxed(v.boxed, v.value);
    if ("floats" in v) {
      const p = this.block(Tag.DoubleArray, v.floats.length, 8 * v.floats.length);
      v.floats.forEach((x, i) => { this.views(); this.dv.setFloat64(p + 8 + 8 * i, x, true); });
      return p;
    }
    const p = this.block(v.block, v.fields.length, 4 * v.fields.length);
    v.fields.forEach((f, i) => {
      const w = this.encodeRaw(f);
      this.views();
      this.dv.setUint32(p + 8 + 4 * i, w, true);
    });
    return p;
  }

  decodeRaw(w: number): RawValue {
    if (w & 1) return { int: w >> 1 };
    const [tag, n] = this.header(w, "raw");
    if (tag === Tag.String) return { string: this.stringBytes(w, "raw").slice() };
    if (tag === Tag.Double) return { float: this.dv.getFloat64(w + 8, true) };
    if (tag === Tag.Custom) {
      this.checkBlock(w, 24, "raw");
      const k = this.dv.getUint32(w + 8, true);
      const kind = (Object.keys(Custom) as BoxedKind[]).find((n) => Custom[n] === k);
      if (!kind) throw new ConversionError(`raw: unknown custom kind ${k}`);
      return { boxed: kind, value: this.dv.getBigInt64(w + 16, true) };
    }
    if (tag === Tag.DoubleArray) {
      this.checkBlock(w, 8 + 8 * n, "raw");
      return { floats: Array.from({ length: n }, (_, i) => this.dv.getFloat64(w + 8 + 8 * i, true)) };
    }
    if (tag >= Tag.NoScan) throw new ConversionError(`raw: unsupported tag ${tag}`);
    this.checkBlock(w, 8 + 4 * n, "raw");
    return { block: tag, fields: Array.from({ length: n }, (_, i) => this.decodeRaw(this.dv.getUint32(w + 8 + 4 * i, true))) };
  }
}
