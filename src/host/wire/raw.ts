// The untyped view of wire values (the shared test vectors, debugging), and WireCodec, the codec
// with all its parts: the class other code uses.
import { WireDecoder } from "./decode.ts";
import { WireEncoder } from "./encode.ts";
import { context, type Cx } from "./messages.ts";
import { type BoxedKind, ConversionError, Custom, type RawValue, Tag } from "./types.ts";

export class WireCodec extends WireDecoder {
  /** Encodes in pre-order (a block before its fields, fields left to right), as the spec says. */
  encodeRaw(v: RawValue): number {
    this.views();
    if ("int" in v) return WireEncoder.intWord(v.int, "raw int");
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
