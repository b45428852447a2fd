import { describe, expect, it } from "vitest";
import { ConversionError, MAX_INT, MIN_INT, WireCodec, type Allocator } from "../../src/host/wire.ts";
import { relocated, toRaw, vectorFile } from "./vectors.ts";

/** A bump arena over a plain memory, starting at `start`. */
function setup(start = 8192) {
  const memory = new WebAssembly.Memory({ initial: 2 });
  let top = start;
  const arena: Allocator = {
    alloc(n) {
      const p = top;
      top += (n + 7) & ~7;
      if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536));
      return p;
    },
  };
  return { memory, codec: new WireCodec(memory, arena), used: () => top - start };
}

describe("wire format v1: shared vectors", () => {
  it("has vectors of version 1", () => {
    expect(vectorFile.version).toBe(1);
    expect(vectorFile.vectors.length).toBeGreaterThan(15);
  });

  for (const v of vectorFile.vectors) {
    it(`encodes ${v.name} byte for byte`, () => {
      const start = 8192 + 8 * 13; // any 8-aligned start: pointers are relocated
      const { memory, codec, used } = setup(start);
      const root = codec.encodeRaw(toRaw(v.value));
      const want = relocated(v, vectorFile.base, start);
      expect(root >>> 0).toBe(want.root);
      expect(used()).toBe(want.bytes.length);
      expect(new Uint8Array(memory.buffer, start, want.bytes.length)).toEqual(want.bytes);
    });

    it(`decodes ${v.name}`, () => {
      const start = 16384;
      const { memory, codec } = setup(start + 4096);
      const want = relocated(v, vectorFile.base, start);
      new Uint8Array(memory.buffer).set(want.bytes, start);
      expect(codec.decodeRaw(want.root)).toEqual(toRaw(v.value));
    });
  }
});

describe("typed conversions (the JS representation of OCaml types)", () => {
  const typed = vectorFile.vectors.filter((v) => ["int", "bool", "float", "unit"].includes(v.type as string));
  for (const v of typed) {
    it(`round-trips ${v.name} as a JS value`, () => {
      const { codec } = setup();
      const js = v.type === "bool" ? v.value.int === 1 : v.type === "unit" ? undefined : v.value.int ?? v.value.float;
      const w = codec.encode(js, v.type as string, "x");
      expect(Object.is(codec.decode(w, v.type as string, "x"), js)).toBe(true);
    });
  }

  it("encodes strings as UTF-8 and decodes them", () => {
    const { codec, memory } = setup();
    for (const s of ["", "hello", "wörld", "日本語", "emoji 🎉", "a".repeat(10000)]) {
      const w = codec.encode(s, "string", "s");
      const n = new DataView(memory.buffer).getUint32(w + 4, true);
      expect(n).toBe(new TextEncoder().encode(s).length);
      expect(codec.decode(w, "string", "s")).toBe(s);
    }
  });

  it("keeps invalid UTF-8 as bytes, and decodes it lossily as a string", () => {
    const { codec } = setup();
    const w = codec.encode(new Uint8Array([0x61, 0xff, 0x62]), "bytes", "b");
    expect(codec.decode(w, "bytes", "b")).toEqual(new Uint8Array([0x61, 0xff, 0x62]));
    expect(codec.decode(w, "string", "s")).toBe("a\uFFFDb");
  });

  it("encodes options as null / the value", () => {
    const { codec } = setup();
    const t = { option: "string" };
    expect(codec.decode(codec.encode(null, t, "o"), t, "o")).toBeNull();
    expect(codec.decode(codec.encode("x", t, "o"), t, "o")).toBe("x");
  });

  it("rejects an int outside OCaml's 31-bit range, naming the value", () => {
    const { codec } = setup();
    expect(codec.encode(MAX_INT, "int", "n")).toBe(0x7fffffff);
    expect(codec.encode(MIN_INT, "int", "n")).toBe(0x80000001);
    expect(() => codec.encode(MAX_INT + 1, "int", "f: argument n")).toThrow(/f: argument n: 1073741824 does not fit OCaml's int/);
    expect(() => codec.encode(2 ** 40, "int", "n")).toThrow(ConversionError);
    expect(() => codec.encode(1.5, "int", "n")).toThrow(/expected an integer/);
  });

  it("rejects values of the wrong JS type with a message naming what was expected", () => {
    const { codec } = setup();
    expect(() => codec.encode("1", "int", "g: argument a")).toThrow("g: argument a: expected a number (int), got string");
    expect(() => codec.encode(1, "bool", "b")).toThrow(/expected a boolean/);
    expect(() => codec.encode(1, "string", "s")).toThrow(/expected a string/);
    expect(() => codec.encode(1, { list: "int" }, "l")).toThrow(/not supported from TypeScript yet/);
  });

  it("rejects invalid wire words when decoding", () => {
    const { codec } = setup();
    expect(() => codec.decode(4, "string", "r")).toThrow(/invalid wire value/);
    expect(() => codec.decode(1 << 30, "string", "r")).toThrow(/invalid wire value/);
    expect(() => codec.decode(3, "string", "r")).toThrow(/invalid wire value|expected a string/);
    expect(() => codec.decode(8200, "int", "r")).toThrow(/expected an immediate/);
  });

  it("re-derives its views after the memory grows", () => {
    const { codec, memory } = setup();
    const w1 = codec.encode("before", "string", "s");
    memory.grow(4);
    const w2 = codec.encode("after", "string", "s");
    expect(codec.decode(w1, "string", "s")).toBe("before");
    expect(codec.decode(w2, "string", "s")).toBe("after");
  });
});
