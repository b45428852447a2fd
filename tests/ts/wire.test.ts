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

  it("converts short strings by hand exactly as TextEncoder/TextDecoder do, at every length around the cut", () => {
    const { codec, memory } = setup();
    const enc = new TextEncoder();
    for (let n = 0; n <= 70; n++)
      for (const s of ["a".repeat(n), "é" + "a".repeat(n), "a".repeat(n) + "日", "a".repeat(n) + "🎉", "\u0000".repeat(n)]) {
        const w = codec.encode(s, "string", "x");
        const len = new DataView(memory.buffer).getUint32(w + 4, true);
        expect(new Uint8Array(memory.buffer, w + 8, len)).toEqual(enc.encode(s));
        expect(codec.decode(w, "string", "x")).toBe(s);
      }
    // invalid UTF-8 decodes as TextDecoder does (U+FFFD), short or long
    for (const bytes of [[0x61, 0xff], [0xc3], [...new Array(80).fill(0x61), 0xfe]]) {
      const w = codec.encode(Uint8Array.from(bytes), "bytes", "x");
      expect(codec.decode(w, "string", "x")).toBe(new TextDecoder().decode(Uint8Array.from(bytes)));
    }
  });

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
    expect(() => codec.encode(1, { list: "int" }, "l")).toThrow("l: expected an array (list), got number");
    expect(() => codec.encode({}, { lazy: "int" }, "r")).toThrow(/not supported from TypeScript yet/);
    // a Rust type without OCamlDescriber (#[export] allows it)
    expect(() => codec.encode({}, { unknown: "app::Movement" }, "f: argument m"))
      .toThrow("f: argument m: its Rust type app::Movement implements no OCamlDescriber, so TypeScript cannot convert it (derive OCamlDescriber for it)");
    expect(() => codec.decode(1, { unknown: "app::Movement" }, "f: result")).toThrow(/f: result: its Rust type app::Movement implements no OCamlDescriber/);
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

describe("typed conversions of compound values", () => {
  const roundTrip = (v: unknown, t: Parameters<WireCodec["encode"]>[1]) => {
    const { codec } = setup();
    return codec.decode(codec.encode(v, t, "v"), t, "v");
  };

  it("lists are arrays, tuples fixed-length arrays, results {ok}|{error}", () => {
    expect(roundTrip([1, 2, 3], { list: "int" })).toEqual([1, 2, 3]);
    expect(roundTrip([], { list: "string" })).toEqual([]);
    expect(roundTrip([["a", 1.5]], { list: { tuple: ["string", "float"] } })).toEqual([["a", 1.5]]);
    expect(roundTrip([1, "x", true], { tuple: ["int", "string", "bool"] })).toEqual([1, "x", true]);
    expect(roundTrip({ ok: "fine" }, { result: ["string", "int"] })).toEqual({ ok: "fine" });
    expect(roundTrip({ error: 7 }, { result: ["string", "int"] })).toEqual({ error: 7 });
    expect(roundTrip([[1], [], [2, 3]], { array: { list: "int" } })).toEqual([[1], [], [2, 3]]);
  });

  it("float arrays are Float64Arrays, boxed integers numbers or bigints", () => {
    expect(roundTrip(new Float64Array([1.5, -2]), "floatarray")).toEqual(new Float64Array([1.5, -2]));
    expect(roundTrip([0.25], { array: "float" })).toEqual(new Float64Array([0.25]));
    expect(roundTrip([], "floatarray")).toEqual(new Float64Array(0));
    expect(roundTrip(-(2 ** 31), "int32")).toBe(-(2 ** 31));
    expect(roundTrip(2 ** 31 - 1, "nativeint")).toBe(2 ** 31 - 1);
    expect(roundTrip(-(2n ** 63n), "int64")).toBe(-(2n ** 63n));
    expect(roundTrip(12, "int64")).toBe(12n);
    expect(roundTrip("é", "char")).toBe("é");
  });

  it("encodes lists in pre-order, as the vectors specify", () => {
    const start = 8192;
    const { memory, codec } = setup(start);
    const v = vectorFile.vectors.find((x) => x.name === 'list ["a"; "b"]')!;
    const w = codec.encode(["a", "b"], { list: "string" }, "l");
    const want = relocated(v, vectorFile.base, start);
    expect(w).toBe(want.root);
    expect(new Uint8Array(memory.buffer, start, want.bytes.length)).toEqual(want.bytes);
  });

  it("rejects what does not fit, naming the element", () => {
    const { codec } = setup();
    expect(() => codec.encode([1, "2"], { list: "int" }, "xs")).toThrow("xs[1]: expected a number (int), got string");
    expect(() => codec.encode([1, 2], { tuple: ["int", "int", "int"] }, "t")).toThrow("t: expected a 3-tuple, got 2 element(s)");
    expect(() => codec.encode({ ok: 1, error: 2 }, { result: ["int", "int"] }, "r")).toThrow(/expected \{ok: value\} or \{error: value\}/);
    expect(() => codec.encode(2 ** 31, "int32", "n")).toThrow(/-2\^31\.\.2\^31-1/);
    expect(() => codec.encode(2n ** 63n, "int64", "n")).toThrow(/-2\^63\.\.2\^63-1/);
    expect(() => codec.encode(0.5, "int64", "n")).toThrow(/expected a bigint/);
    expect(() => codec.encode("Ā", "char", "c")).toThrow(/one-character string/);
    const w = codec.encode([1, 2], { list: "int" }, "l");
    expect(() => codec.decode(w, { list: "string" }, "l")).toThrow(/l\[0\]: invalid wire value|expected a string/);
  });
});
