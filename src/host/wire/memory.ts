// The codec's access to the shared memory: typed views re-derived when the memory grows, and
// blocks allocated in the call arena with their header written and their padding zeroed.
import { memoryBuffer } from "../intrinsics.ts";
import { BigInt64ArrayOf, DataViewOf, Float64ArrayOf, Uint32ArrayOf, Uint8ArrayOf } from "./builtins.ts";
import { context, type Cx, fail, pathOf } from "./messages.ts";
import { type Allocator, ARENA_MAX_BYTES, ConversionError, Tag } from "./types.ts";

export class WireMemory {
  protected u8!: Uint8Array;
  protected u32!: Uint32Array;
  protected f64!: Float64Array;
  protected i64!: BigInt64Array;
  protected dv!: DataView;
  protected buffer?: ArrayBufferLike;

  protected readonly memory: WebAssembly.Memory;
  protected readonly arena: Allocator;

  constructor(memory: WebAssembly.Memory, arena: Allocator) {
    this.memory = memory;
    this.arena = arena;
    this.views();
  }

  /** Views are re-derived whenever the memory has grown (growth detaches a plain buffer: its
   *  views then have length 0; a resizable one grows in place under length-tracking views). */
  protected views() {
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

  protected set32(p: number, w: number) {
    if (this.u32.length === 0) this.views();
    this.u32[p >>> 2] = w;
  }

  protected block(tag: number, size: number, payload: number, cx?: Cx, d = 0): number {
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
  protected raw(bytes: number, cx: Cx, d: number): number {
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
}
