// wire -> JS: each block's header and bounds checked against the memory, then each kind of value
// rebuilt by its compiled description (records from templates, arrays filled without a
// prototype: see wire.ts).
import type { TypeDesc } from "../app.ts";
import { fromUtf8With } from "../intrinsics.ts";
import {
  BIGARRAY_KIND_MASK,
  BIGARRAY_MANAGED,
  BIGARRAY_SHARED,
  CUSTOM_BIGARRAY,
  CUSTOM_DYNBOX,
  HEADER_TAG_MASK,
  TAG_CLOSURE,
} from "../protocol.ts";
import { arrayOf, create, Float64ArrayOf, fromCharCode, list, SHORT_STRING, typedArraySlice, typedArraySubarray } from "./builtins.ts";
import {
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
} from "./descriptions.ts";
import { WireEncoder } from "./encode.ts";
import { context, type Cx, fail, NO_KEYS, pathOf, tooDeep, wordDesc } from "./messages.ts";
import { type BoxedKind, Custom, MAX_DEPTH, Tag } from "./types.ts";

const INT32_MIN = -(2n ** 31n),
  INT32_MAX = 2n ** 31n - 1n;

export class WireDecoder extends WireEncoder {
  private readonly dec = new TextDecoder("utf-8", { fatal: false });

  protected checkBlock(w: number, bytes: number, cx: Cx, d: number) {
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
  protected size = 0;

  /** A block's tag, its header checked (its size in this.size). */
  protected header(w: number, cx: Cx, d: number, expected = "a block"): number {
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
      case K_NATIVEINT: {
        const kind = n.k === K_INT32 ? "int32" : "nativeint";
        const v = this.boxed(w, kind, cx, d);
        // the payload is a sign-extended 32-bit value (docs/wire-format.md): any other is forged
        if (v < INT32_MIN || v > INT32_MAX) throw fail(cx, d, `expected ${kind}, got a payload out of its range (${v})`);
        return Number(v);
      }
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
        let f: Function;
        if (size === 4 && origin === 0)
          f = this.host(cx, d).ocamlClosure(u32[b] >>> 1, u32[b + 2] >>> 1, u32[b + 3] >>> 1, n.fn!, pathOf(cx, d));
        else if (size === 5 && origin === 1)
          f = this.host(cx, d).rustClosure(u32[b] >>> 1, u32[b + 2] >>> 1, u32[b + 4] >>> 1, u32[b + 3] >>> 1, n.fn!, pathOf(cx, d));
        else throw fail(cx, d, `invalid closure block (origin ${origin}, size ${size})`);
        // a promise: its subscribe closure, made a Promise (a Rust one ends with its instance)
        return n.flag ? this.host(cx, d).promiseOf(f, origin === 1, pathOf(cx, d)) : f;
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
}
