import { describe, expect, expectTypeOf, it, vi } from "vitest";
import { T, type JsOf } from "../../src/host/index.ts";
import {
  ARENA_MAX_BYTES,
  ConversionError,
  MAX_DEPTH,
  MAX_INT,
  MIN_INT,
  WireCodec,
  type Allocator,
  type RawValue,
} from "../../src/host/wire.ts";
import { decodes, encodes, rawCarries, relocated, toRaw, vectorFile } from "./vectors.ts";

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

/** The memory a codec of setup() writes to. */
const setupMemory = (codec: WireCodec) => (codec as unknown as { memory: WebAssembly.Memory }).memory;

describe("wire format v1: shared vectors", () => {
  it("has vectors of version 1", () => {
    expect(vectorFile.version).toBe(1);
    expect(vectorFile.vectors.length).toBeGreaterThan(15);
  });

  // (the vectors the untyped view carries; vectors-typed.test.ts checks the others, and counts)
  const raw = vectorFile.vectors.filter((v) => !v.rejected && rawCarries(v.value!));
  for (const v of raw.filter((v) => encodes(v, "ts"))) {
    it(`encodes ${v.name} byte for byte`, () => {
      const start = 8192 + 8 * 13; // any 8-aligned start: pointers are relocated
      const { memory, codec, used } = setup(start);
      const root = codec.encodeRaw(toRaw(v.value!));
      const want = relocated(v, vectorFile.base, start);
      expect(root >>> 0).toBe(want.root);
      expect(used()).toBe(want.bytes.length);
      expect(new Uint8Array(memory.buffer, start, want.bytes.length)).toEqual(want.bytes);
    });
  }

  for (const v of raw.filter((v) => decodes(v, "ts"))) {
    it(`decodes ${v.name}`, () => {
      const start = 16384;
      const { memory, codec } = setup(start + 4096);
      const want = relocated(v, vectorFile.base, start);
      new Uint8Array(memory.buffer).set(want.bytes, start);
      expect(codec.decodeRaw(want.root)).toEqual(toRaw(v.value!));
    });
  }
});

describe("typed conversions (the JS representation of OCaml types)", () => {
  const typed = vectorFile.vectors.filter((v) => ["int", "bool", "float", "unit"].includes(v.type as string));
  for (const v of typed) {
    it(`round-trips ${v.name} as a JS value`, () => {
      const { codec } = setup();
      const js = v.type === "bool" ? v.value!.int === 1 : v.type === "unit" ? undefined : (v.value!.int ?? v.value!.float);
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
    expect(() => codec.encode("1", "int", "g: argument a")).toThrow('g: argument a: expected a number (int), got the string "1"');
    expect(() => codec.encode(1, "bool", "b")).toThrow(/expected a boolean/);
    expect(() => codec.encode(1, "string", "s")).toThrow(/expected a string/);
    expect(() => codec.encode(1, { list: "int" }, "l")).toThrow("l: expected an array (list), got the number 1");
    expect(() => codec.encode({}, { lazy: "int" }, "r")).toThrow(/not supported from TypeScript yet/);
    // a Rust type without OCamlDescriber (#[export] allows it)
    expect(() => codec.encode({}, { unknown: "app::Movement" }, "f: argument m")).toThrow(
      "f: argument m: its Rust type app::Movement implements no OCamlDescriber, so TypeScript cannot convert it (derive OCamlDescriber for it)",
    );
    expect(() => codec.decode(1, { unknown: "app::Movement" }, "f: result")).toThrow(
      /f: result: its Rust type app::Movement implements no OCamlDescriber/,
    );
  });

  it("rejects invalid wire words when decoding", () => {
    const { codec } = setup();
    expect(() => codec.decode(4, "string", "r")).toThrow(/invalid wire value/);
    expect(() => codec.decode(1 << 30, "string", "r")).toThrow(/invalid wire value/);
    expect(() => codec.decode(3, "string", "r")).toThrow("r: expected a string block, got the immediate 1");
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
    expect(() => codec.encode([1, "2"], { list: "int" }, "xs")).toThrow('xs[1]: expected a number (int), got the string "2"');
    expect(() => codec.encode([1, 2], { tuple: ["int", "int", "int"] }, "t")).toThrow("t: expected a 3-tuple, got 2 element(s)");
    expect(() => codec.encode({ ok: 1, error: 2 }, { result: ["int", "int"] }, "r")).toThrow(/expected \{ok: value\} or \{error: value\}/);
    expect(() => codec.encode(2 ** 31, "int32", "n")).toThrow(/-2\^31\.\.2\^31-1/);
    expect(() => codec.encode(2n ** 63n, "int64", "n")).toThrow(/-2\^63\.\.2\^63-1/);
    expect(() => codec.encode(0.5, "int64", "n")).toThrow(/expected a bigint/);
    expect(() => codec.encode("Ā", "char", "c")).toThrow(/one-character string/);
    const w = codec.encode([1, 2], { list: "int" }, "l");
    expect(() => codec.decode(w, { list: "string" }, "l")).toThrow("l[0]: expected a string block, got the immediate 1");
  });
});

// ---- a hostile page: polluted prototypes, odd field names, sparse arrays, nested options, ---------
// ---- deep and cyclic values, symbols, detached buffers, lone surrogates, throwing getters ---------

type Desc = Parameters<WireCodec["encode"]>[1];
const point: Desc = {
  record: {
    name: "point",
    flat_floats: true,
    fields: [
      { name: "x", type: "float" },
      { name: "y", type: "float" },
    ],
  },
};
const pair: Desc = {
  record: {
    name: "pair",
    flat_floats: false,
    fields: [
      { name: "x", type: "int" },
      { name: "y", type: "string" },
    ],
  },
};
const shape: Desc = {
  variant: {
    name: "shape",
    ctors: [
      { name: "Empty", index: 0, args: [] },
      { name: "Circle", index: 0, args: [point, "float"] },
      {
        name: "Rect",
        index: 1,
        record: [
          { name: "w", type: "float" },
          { name: "h", type: "float" },
        ],
      },
      { name: "Poly", index: 2, args: [{ list: { tuple: ["float", "float"] } }] },
      { name: "Nothing", index: 1, args: [] },
    ],
  },
};
const color: Desc = {
  polyvar: {
    name: "color",
    ctors: [
      { name: "Red", hash: 4100401, args: [] },
      { name: "rgb", hash: 5640, args: ["int", "int", "int"] },
      { name: "Named", hash: 99, args: ["string"] },
    ],
  },
};
const odd: Desc = {
  record: {
    name: "odd",
    flat_floats: false,
    fields: [
      { name: "__proto__", type: "int" },
      { name: "constructor", type: "string" },
      { name: "tag", type: "string" },
      { name: "some", type: { option: { option: "int" } } },
    ],
  },
};
const tagged: Desc = {
  variant: {
    name: "tagged",
    ctors: [
      { name: "Plain", index: 0, args: [] },
      {
        name: "Labeled",
        index: 0,
        record: [
          { name: "tag", type: "string" },
          { name: "args", type: "int" },
          { name: "fields", type: { list: "string" } },
        ],
      },
      { name: "Wrapped", index: 1, args: [odd] },
    ],
  },
};
const tree: Desc = {
  variant: {
    name: "tree",
    ctors: [
      { name: "Leaf", index: 0, args: [] },
      { name: "Node", index: 0, args: [{ ref: "tree" }, "int", { ref: "tree" }] },
    ],
  },
};
const opt = (t: Desc): Desc => ({ option: t });

/** The thrown error's message, or the value. */
function attempt(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : `threw ${String(e)}`;
  }
}

const { defineProperty: define, getOwnPropertyDescriptor: descriptor } = Object;
const { deleteProperty } = Reflect;

/** Runs `f` with properties defined on prototypes (or any objects), then restores them (with
 *  built-ins taken before, as `f` may run with them replaced). */
function polluted<T>(defs: [object, PropertyKey, PropertyDescriptor][], f: () => T): T {
  const saved: [object, PropertyKey, PropertyDescriptor | undefined][] = [];
  for (const [o, k] of defs) saved.unshift([o, k, descriptor(o, k)]);
  try {
    for (const [o, k, d] of defs)
      define(
        o,
        k,
        "value" in d ? { configurable: true, writable: true, enumerable: true, ...d } : { configurable: true, enumerable: true, ...d },
      );
    return f();
  } finally {
    for (const [o, k, d] of saved) {
      if (d) define(o, k, d);
      else deleteProperty(o, k);
    }
  }
}
const value = (v: unknown): PropertyDescriptor => ({ value: v });

describe("a hostile page: prototype pollution does not change what is read", () => {
  it("reads only own properties of records, variants, results, options and inline records", () => {
    const { codec } = setup();
    const enc = (v: unknown, t: Desc) => attempt(() => codec.decodeRaw(codec.encode(v, t, "f: argument x")));
    const r = polluted(
      [
        [Object.prototype, "y", value(99)],
        [Object.prototype, "tag", value("Empty")],
        [Object.prototype, "ok", value(1)],
        [Object.prototype, "some", value(5)],
        [Object.prototype, "fields", value({ w: 1, h: 2 })],
        [Object.prototype, "args", value([[[0, 0]]])],
        [Object.prototype, "h", value(7)],
      ],
      () => [
        enc({ x: 1 }, point),
        enc({ x: 1 }, pair),
        enc({}, shape),
        enc({ tag: "Rect" }, shape),
        enc({ tag: "Rect", fields: { w: 3 } }, shape),
        enc({ tag: "Poly" }, shape),
        enc({ error: 4 }, { result: ["int", "int"] }),
        enc({}, { result: ["int", "int"] }),
        enc({}, opt(opt("int"))),
        enc({ some: null }, opt(opt("int"))),
      ],
    );
    expect(r).toEqual([
      "ConversionError: f: argument x: record point lacks the field y",
      "ConversionError: f: argument x: record pair lacks the field y",
      "ConversionError: f: argument x: expected {tag: ...} (variant shape), got an object without an own tag property",
      'ConversionError: f: argument x: Rect has an inline record: expected {tag: "Rect", fields: {w, h}}',
      "ConversionError: f: argument x.fields: the inline record of Rect lacks the field h",
      "ConversionError: f: argument x: Poly takes 1 argument(s), got 0",
      { block: 1, fields: [{ int: 4 }] },
      "ConversionError: f: argument x: expected {ok: value} or {error: value} (result), got an object with neither an own ok nor an own error",
      "ConversionError: f: argument x: expected null (None) or {some: value} (Some; this option's payload is itself nullable, so Some is an object), got an object",
      { block: 0, fields: [{ int: 0 }] },
    ]);
  });

  it("getters on Object.prototype are not called and do not supply fields", () => {
    const { codec } = setup();
    let calls = 0;
    const r = polluted(
      [
        [
          Object.prototype,
          "x",
          {
            get() {
              calls++;
              return 7;
            },
          },
        ],
      ],
      () => attempt(() => codec.encode({ y: 2 }, point, "p")),
    );
    expect(r).toBe("ConversionError: p: record point lacks the field x");
    expect(calls).toBe(0);
  });

  it("reads arrays by own index only: polluted indices and getters on Array.prototype are holes", () => {
    const { codec } = setup();
    let calls = 0;
    const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
    const r = polluted(
      [
        [Array.prototype, 1, value(42)],
        [Object.prototype, 1, value(43)],
        [
          Array.prototype,
          4,
          {
            get() {
              calls++;
              return 5;
            },
          },
        ],
      ],
      () => [
        attempt(() => codec.encode(sparse, { list: "int" }, "f: argument xs")),
        attempt(() => codec.encode(sparse, { array: "int" }, "f: argument xs")),
        attempt(() => codec.encode(sparse, { tuple: ["int", "int", "int"] }, "f: argument xs")),
        attempt(() => codec.encode(sparse, { array: "float" }, "f: argument xs")),
        attempt(() => codec.encode(sparse, { bigarray: "int32" }, "f: argument xs")),
        attempt(() => codec.encode({ tag: "rgb", args: sparse }, color, "f: argument c")),
        attempt(() => codec.encode([0, 1, 2, 3, , 5], { list: "int" }, "f: argument ys")), // eslint-disable-line no-sparse-arrays
        attempt(() => codec.decode(codec.encode([0, 1, 2], { list: "int" }, "l"), { list: "int" }, "l")),
      ],
    );
    const hole = (p: string, i: number) =>
      `ConversionError: ${p}[${i}]: missing element: the array has a hole at index ${i} (sparse arrays are not accepted; every index must be an own element)`;
    expect(r.slice(0, 5)).toEqual([1, 2, 3, 4, 5].map(() => hole("f: argument xs", 1)));
    expect(r[5]).toBe("ConversionError: f: argument c.args[1]: missing argument: the array has a hole at index 1");
    expect(r[6]).toBe(hole("f: argument ys", 4));
    expect(r[7]).toEqual([0, 1, 2]);
    expect(calls).toBe(0);
  });

  it("the codec calls no method of the values it reads and uses the built-ins it captured at load", () => {
    const { codec } = setup();
    const xs = [1, 2, 3];
    Object.defineProperty(xs, "map", {
      value: () => {
        throw new Error("own map called");
      },
    });
    const o = { x: 1, y: "a", hasOwnProperty: () => false };
    const r = polluted(
      [
        [Object, "hasOwn", value(() => false)],
        [Array, "isArray", value(() => false)],
        [
          Array.prototype,
          "forEach",
          value(() => {
            throw new Error("forEach called");
          }),
        ],
        [
          Array.prototype,
          "map",
          value(() => {
            throw new Error("map called");
          }),
        ],
        [Array.prototype, "find", value(() => undefined)],
        [Object.prototype, "hasOwnProperty", value(() => false)],
        [
          Object,
          "defineProperty",
          value(() => {
            throw new Error("defineProperty called");
          }),
        ],
      ],
      () => [
        codec.decode(codec.encode(xs, { list: "int" }, "l"), { list: "int" }, "l"),
        codec.decode(codec.encode(o, pair, "p"), pair, "p"),
        codec.decode(codec.encode({ tag: "rgb", args: [1, 2, 3] }, color, "c"), color, "c"),
        codec.decode(codec.encode({ tag: "Rect", fields: { w: 1, h: 2 } }, shape, "s"), shape, "s"),
      ],
    );
    expect(r).toEqual([[1, 2, 3], { x: 1, y: "a" }, { tag: "rgb", args: [1, 2, 3] }, { tag: "Rect", fields: { w: 1, h: 2 } }]);
  });

  it("decoded objects and arrays have own data properties even when prototypes have setters", () => {
    const { codec } = setup();
    let stolen = "";
    const steal = {
      set(v: unknown) {
        stolen += ` ${String(v)}`;
      },
      get() {
        return "from the prototype";
      },
    };
    const r = polluted(
      [
        [Object.prototype, "y", steal],
        [Object.prototype, "tag", steal],
        [Object.prototype, "w", steal],
        [Array.prototype, 1, steal],
        [Object.prototype, "ok", steal],
        [Object.prototype, "some", steal],
      ],
      () => {
        const p = codec.decode(codec.encode({ x: 1, y: 2 }, point, "p"), point, "p") as Record<string, unknown>;
        const q = codec.decode(codec.encode({ x: 1, y: "b" }, pair, "q"), pair, "q") as Record<string, unknown>;
        const s = codec.decode(codec.encode({ tag: "Rect", fields: { w: 3, h: 4 } }, shape, "s"), shape, "s") as {
          fields: Record<string, unknown>;
        };
        const l = codec.decode(codec.encode([1, 2, 3], { list: "int" }, "l"), { list: "int" }, "l") as unknown[];
        const t = codec.decode(codec.encode([1, "x"], { tuple: ["int", "string"] }, "t"), { tuple: ["int", "string"] }, "t") as unknown[];
        const a = codec.decode(codec.encode({ tag: "rgb", args: [1, 2, 3] }, color, "c"), color, "c") as { args: unknown[] };
        const o = codec.decode(codec.encode({ ok: 5 }, { result: ["int", "int"] }, "o"), { result: ["int", "int"] }, "o");
        const n = codec.decode(codec.encode({ some: 5 }, opt(opt("int")), "n"), opt(opt("int")), "n");
        const own = (x: object, k: PropertyKey) => Object.getOwnPropertyDescriptor(x, k)?.value;
        return [
          own(p, "y"),
          own(q, "y"),
          own(s, "tag"),
          own(s.fields, "w"),
          own(l, 1),
          own(t, 1),
          own(a.args, 1),
          own(o as object, "ok"),
          own(n as object, "some"),
        ];
      },
    );
    expect(r).toEqual([2, "b", "Rect", 3, 2, "x", 2, 5, 5]);
    expect(stolen).toBe("");
  });
});

describe("field names that mean something in JS, and inline records as {tag, fields}", () => {
  it("__proto__, constructor and tag are own data properties, never a prototype change", () => {
    const { codec } = setup();
    const v = JSON.parse('{"__proto__": 7, "constructor": "c", "tag": "t", "some": {"some": null}}');
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    const out = codec.decode(codec.encode(v, odd, "o"), odd, "o") as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")).toEqual({ value: 7, writable: true, enumerable: true, configurable: true });
    expect(Object.keys(out)).toEqual(["__proto__", "constructor", "tag", "some"]);
    expect([out.constructor, out.tag, out.some]).toEqual(["c", "t", { some: null }]);
    expect(JSON.stringify(out)).toBe('{"__proto__":7,"constructor":"c","tag":"t","some":{"some":null}}');
    // `{ __proto__: 7 }` in a literal sets no property at all (7 is not an object): the field is missing
    expect(attempt(() => codec.encode({ __proto__: 7, constructor: "c", tag: "t", some: null }, odd, "o"))).toBe(
      "ConversionError: o: record odd lacks the field __proto__",
    );
    // an inherited constructor (Object) is not the field constructor
    expect(attempt(() => codec.encode({ ["__proto__"]: 7, tag: "t", some: null }, odd, "o"))).toBe(
      "ConversionError: o: record odd lacks the field constructor",
    );
  });

  it("an inline record goes in fields, so its fields may be called tag, args or fields", () => {
    const { codec } = setup();
    const rt = (v: unknown, t: Desc) => codec.decode(codec.encode(v, t, "v"), t, "v");
    const labeled = { tag: "Labeled", fields: { tag: "inner", args: 3, fields: ["a", "b"] } };
    expect(rt(labeled, tagged)).toEqual(labeled);
    expect(codec.decodeRaw(codec.encode(labeled, tagged, "v"))).toEqual({
      block: 0,
      fields: [
        { string: new TextEncoder().encode("inner") },
        { int: 3 },
        { block: 0, fields: [{ string: new Uint8Array([97]) }, { block: 0, fields: [{ string: new Uint8Array([98]) }, { int: 0 }] }] },
      ],
    });
    expect(rt({ tag: "Rect", fields: { w: 3, h: 4 } }, shape)).toEqual({ tag: "Rect", fields: { w: 3, h: 4 } });
    expect(rt({ tag: "Plain" }, tagged)).toEqual({ tag: "Plain" });
    expect(rt({ tag: "Empty", args: [] }, shape)).toEqual({ tag: "Empty" });
    // the old shape, fields next to tag, is refused with the new one
    expect(attempt(() => codec.encode({ tag: "Rect", w: 3, h: 4 }, shape, "f: argument s"))).toBe(
      'ConversionError: f: argument s: Rect has an inline record: expected {tag: "Rect", fields: {w, h}} (its fields go in fields, not next to tag)',
    );
    expect(attempt(() => codec.encode({ tag: "Rect", fields: [3, 4] }, shape, "s"))).toBe(
      "ConversionError: s.fields: the inline record of Rect lacks the field w",
    );
    expect(attempt(() => codec.encode({ tag: "Rect", fields: { w: 3, h: 4 }, args: [] }, shape, "s"))).toBe(
      "ConversionError: s: Rect has an inline record (fields), not arguments (args)",
    );
    expect(attempt(() => codec.encode({ tag: "Circle", args: [{ x: 0, y: 0 }, 1], fields: {} }, shape, "s"))).toBe(
      "ConversionError: s: Circle takes arguments (args), not an inline record (fields)",
    );
    expect(attempt(() => codec.encode({ tag: "Rect", fields: { w: 3, h: "4" } }, shape, "f: argument s"))).toBe(
      'ConversionError: f: argument s.fields.h: expected a number (float), got the string "4"',
    );
  });
});

describe("sparse arrays are an error naming the index", () => {
  it("in lists, arrays, tuples, float arrays, bigarrays and variant arguments", () => {
    const { codec } = setup();
    const hole = (p: string, i: number) =>
      `ConversionError: ${p}[${i}]: missing element: the array has a hole at index ${i} (sparse arrays are not accepted; every index must be an own element)`;
    /* eslint-disable no-sparse-arrays */
    expect(attempt(() => codec.encode([1, , 3], { list: "int" }, "id_int_list: argument x"))).toBe(hole("id_int_list: argument x", 1));
    expect(attempt(() => codec.encode([1, , 3], { array: "float" }, "a"))).toBe(hole("a", 1));
    expect(attempt(() => codec.encode([1.5, , 3], "floatarray", "a"))).toBe(hole("a", 1));
    expect(attempt(() => codec.encode(["a", ,], { tuple: ["string", "string"] }, "t"))).toBe(hole("t", 1));
    expect(attempt(() => codec.encode([[1], [2, , 4]], { list: { list: "int" } }, "l"))).toBe(hole("l[1]", 1));
    expect(attempt(() => codec.encode(new Array(3), { list: "string" }, "l"))).toBe(hole("l", 0));
    expect(attempt(() => codec.encode([1, , 3], { bigarray: "float64" }, "b"))).toBe(hole("b", 1));
    expect(attempt(() => codec.encode({ tag: "Circle", args: [, 2] }, shape, "s"))).toBe(
      "ConversionError: s.args[0]: missing argument: the array has a hole at index 0",
    );
    /* eslint-enable no-sparse-arrays */
    // an explicit undefined is an element (of a unit list, say), a hole is not
    expect(codec.decode(codec.encode([undefined, null], { list: "unit" }, "u"), { list: "unit" }, "u")).toEqual([undefined, undefined]);
  });
});

describe("nested options: Some x is {some: x} when x itself may be null (an option, unit)", () => {
  const rt = (v: unknown, t: Desc) => {
    const { codec } = setup();
    return codec.decode(codec.encode(v, t, "v"), t, "v");
  };
  const raw = (v: unknown, t: Desc) => {
    const { codec } = setup();
    return codec.decodeRaw(codec.encode(v, t, "v"));
  };
  const NONE = { int: 0 },
    some = (x: unknown) => ({ block: 0, fields: [x] });
  const t1 = opt("int"),
    t2 = opt(opt("int")),
    t3 = opt(opt(opt("int"))),
    t4 = opt(opt(opt(opt("int"))));

  it("every value at every depth, encoded as OCaml's value and decoded back", () => {
    const cases: [Desc, unknown, unknown][] = [
      [t1, null, NONE],
      [t1, 5, some({ int: 5 })],
      [t2, null, NONE],
      [t2, { some: null }, some(NONE)],
      [t2, { some: 5 }, some(some({ int: 5 }))],
      [t3, null, NONE],
      [t3, { some: null }, some(NONE)],
      [t3, { some: { some: null } }, some(some(NONE))],
      [t3, { some: { some: 5 } }, some(some(some({ int: 5 })))],
      [t4, { some: { some: { some: null } } }, some(some(some(NONE)))],
      [t4, { some: { some: { some: 6 } } }, some(some(some(some({ int: 6 }))))],
      [opt("unit"), null, NONE],
      [opt("unit"), { some: undefined }, some(NONE)],
      [opt(opt("unit")), { some: null }, some(NONE)],
      [opt(opt("unit")), { some: { some: undefined } }, some(some(NONE))],
      [
        { list: t2 },
        [null, { some: null }, { some: 1 }],
        { block: 0, fields: [NONE, { block: 0, fields: [some(NONE), { block: 0, fields: [some(some({ int: 1 })), NONE] }] }] },
      ],
    ];
    for (const [t, js, wire] of cases) {
      expect(raw(js, t), JSON.stringify([t, js])).toEqual(wire);
      expect(rt(js, t), JSON.stringify([t, js])).toEqual(js);
    }
    // undefined is None too (as before); an option of a non-nullable payload stays unwrapped
    expect(raw(undefined, t2)).toEqual(NONE);
    expect(rt({ x: 1, y: 2 }, opt(point))).toEqual({ x: 1, y: 2 });
    // the decoded value of Some None is not null
    expect(rt({ some: null }, t2)).not.toBeNull();
  });

  it("JsOf types them the same way (checked by tsc)", () => {
    const o2 = T.option(T.option(T.int)),
      o3 = T.option(T.option(T.option(T.string)));
    expectTypeOf<JsOf<typeof o2>>().toEqualTypeOf<{ some: number | null } | null>();
    expectTypeOf<JsOf<typeof o3>>().toEqualTypeOf<{ some: { some: string | null } | null } | null>();
    expectTypeOf<JsOf<{ option: "unit" }>>().toEqualTypeOf<{ some: undefined } | null>();
    expectTypeOf<JsOf<{ option: "int" }>>().toEqualTypeOf<number | null>();
    expectTypeOf<JsOf<{ option: { list: { option: "int" } } }>>().toEqualTypeOf<(number | null)[] | null>();
    const { codec } = setup();
    const back: JsOf<typeof o2> = codec.decode(codec.encode({ some: null }, o2, "v"), o2, "v") as JsOf<typeof o2>;
    expect(back).toEqual({ some: null });
  });

  it("a payload that is not {some: ...} where Some must be wrapped is an error naming the path", () => {
    const { codec } = setup();
    expect(attempt(() => codec.encode(5, t2, "f: argument x"))).toBe(
      "ConversionError: f: argument x: expected null (None) or {some: value} (Some; this option's payload is itself nullable, so Some is an object), got the number 5",
    );
    expect(attempt(() => codec.encode({ some: { some: "5" } }, t3, "f: argument x"))).toBe(
      'ConversionError: f: argument x.some.some: expected a number (int), got the string "5"',
    );
    expect(attempt(() => codec.encode({ value: 1 }, opt("unit"), "u"))).toMatch(
      /^ConversionError: u: expected null \(None\) or \{some: value\}/,
    );
  });
});

describe("clear errors instead of raw TypeErrors and RangeErrors", () => {
  it("symbols, bigints and strings are shown exactly", () => {
    const { codec } = setup();
    expect(attempt(() => codec.encode(Symbol("s"), "int", "f: argument n"))).toBe(
      "ConversionError: f: argument n: expected a number (int), got a symbol (Symbol(s))",
    );
    expect(attempt(() => codec.encode(Symbol.iterator, "string", "s"))).toBe(
      "ConversionError: s: expected a string, got a symbol (Symbol(Symbol.iterator))",
    );
    expect(attempt(() => codec.encode({ x: 1, y: Symbol() }, point, "p"))).toBe(
      "ConversionError: p.y: expected a number (float), got a symbol (Symbol())",
    );
    expect(attempt(() => WireCodec.intWord(Symbol("n"), "f: argument n"))).toBe(
      "ConversionError: f: argument n: expected an integer (int), got a symbol (Symbol(n))",
    );
    expect(attempt(() => codec.encode(5n, "int", "n"))).toBe("ConversionError: n: expected a number (int), got the bigint 5n");
    expect(attempt(() => codec.encode(5n, "float", "n"))).toBe("ConversionError: n: expected a number (float), got the bigint 5n");
    expect(attempt(() => WireCodec.f64(5n, "f: argument x"))).toBe(
      "ConversionError: f: argument x: expected a number (float), got the bigint 5n",
    );
    expect(attempt(() => WireCodec.intWord(5n, "f: argument x"))).toBe(
      "ConversionError: f: argument x: expected an integer (int), got the bigint 5n",
    );
    expect(attempt(() => codec.encode([1n], { bigarray: "float64" }, "b"))).toBe(
      "ConversionError: b[0]: expected a number (float64), got the bigint 1n",
    );
    expect(attempt(() => codec.encode([1.5], { bigarray: "int64" }, "b"))).toBe(
      "ConversionError: b[0]: expected a bigint in -2^63..2^63-1 (int64; a number must be a safe integer), got the number 1.5",
    );
    expect(attempt(() => codec.encode([1, "2"], { bigarray: "int32" }, "b"))).toBe(
      'ConversionError: b[1]: expected an integer in -2147483648..2147483647 (int32), got the string "2"',
    );
    expect(attempt(() => codec.encode([300], { bigarray: "int8_unsigned" }, "b"))).toBe(
      "ConversionError: b[0]: expected an integer in 0..255 (int8_unsigned), got the number 300",
    );
    expect(attempt(() => codec.encode("5", "int64", "n"))).toBe(
      'ConversionError: n: expected a bigint in -2^63..2^63-1 (int64; a number must be a safe integer), got the string "5"',
    );
    expect(attempt(() => codec.encode("5", "int32", "n"))).toBe(
      'ConversionError: n: expected an integer in -2^31..2^31-1 (int32), got the string "5"',
    );
    expect(attempt(() => codec.encode(null, "int", "n"))).toBe("ConversionError: n: expected a number (int), got null");
    expect(attempt(() => codec.encode([1, 2], "string", "s"))).toBe("ConversionError: s: expected a string, got an array of 2 elements");
    expect(attempt(() => codec.encode("x".repeat(100), "int", "n"))).toBe(
      `ConversionError: n: expected a number (int), got the string "${"x".repeat(40)}"... (100 characters)`,
    );
    expect(attempt(() => codec.encode(new Int32Array(2), "bytes", "b"))).toBe(
      "ConversionError: b: expected a Uint8Array (bytes), got a Int32Array of 2 elements",
    );
  });

  it("a flat float record's field is named with the record, not as a float array", () => {
    const { codec } = setup();
    expect(attempt(() => codec.encode({ x: 1, y: "2" }, point, "id_point: argument p"))).toBe(
      'ConversionError: id_point: argument p.y: expected a number (float), got the string "2"',
    );
    expect(attempt(() => codec.encode({ x: 1 }, point, "id_point: argument p"))).toBe(
      "ConversionError: id_point: argument p: record point lacks the field y",
    );
    expect(attempt(() => codec.encode([1, 2], point, "p"))).toBe("ConversionError: p: record point lacks the field x");
    expect(attempt(() => codec.encode(3, point, "p"))).toBe("ConversionError: p: expected an object (record point), got the number 3");
  });

  it("detached and out-of-bounds typed arrays", () => {
    const { codec } = setup();
    const detach = <T extends ArrayBufferView>(a: T): T => {
      structuredClone(a.buffer, { transfer: [a.buffer as ArrayBuffer] });
      return a;
    };
    const detachedWhy = "its buffer is detached (it was transferred)";
    expect(attempt(() => codec.encode(detach(new Uint8Array([1, 2])), "bytes", "f: argument b"))).toBe(
      `ConversionError: f: argument b: the Uint8Array cannot be read: ${detachedWhy}`,
    );
    expect(attempt(() => codec.encode(detach(new Uint8Array([1, 2])), "string", "s"))).toBe(
      `ConversionError: s: the Uint8Array cannot be read: ${detachedWhy}`,
    );
    expect(attempt(() => codec.encode(detach(new Float64Array([1])), { array: "float" }, "a"))).toBe(
      `ConversionError: a: the Float64Array cannot be read: ${detachedWhy}`,
    );
    expect(attempt(() => codec.encode(detach(new Int32Array([1])), { bigarray: "int32" }, "a"))).toBe(
      `ConversionError: a: the Int32Array cannot be read: ${detachedWhy}`,
    );
    const rb = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void })(
      16,
      { maxByteLength: 64 },
    );
    const view = new Uint8Array(rb, 0, 16);
    rb.resize(8);
    expect(attempt(() => codec.encode(view, "bytes", "b"))).toBe(
      "ConversionError: b: the Uint8Array cannot be read: it is out of bounds (its resizable buffer shrank below it)",
    );
    // an empty array is fine, and so is a length-tracking view
    expect(codec.decode(codec.encode(new Uint8Array(0), "bytes", "b"), "bytes", "b")).toEqual(new Uint8Array(0));
    expect(codec.decode(codec.encode(new Uint8Array(rb), "bytes", "b"), "bytes", "b")).toEqual(new Uint8Array(8));
  });

  it("typed arrays and objects from another realm, frozen objects, Buffers", async () => {
    const vm = await import("node:vm");
    const { codec } = setup();
    const foreign = vm.runInNewContext(
      '({ bytes: new Uint8Array([1, 2]), floats: new Float64Array([0.5]), list: [1, 2], p: Object.freeze({ x: 1, y: 2 }), r: { ok: "x" } })',
    );
    expect(codec.decode(codec.encode(foreign.bytes, "bytes", "b"), "bytes", "b")).toEqual(new Uint8Array([1, 2]));
    expect(codec.decode(codec.encode(foreign.floats, { array: "float" }, "f"), { array: "float" }, "f")).toEqual(new Float64Array([0.5]));
    expect(codec.decode(codec.encode(foreign.list, { list: "int" }, "l"), { list: "int" }, "l")).toEqual([1, 2]);
    expect(codec.decode(codec.encode(foreign.p, point, "p"), point, "p")).toEqual({ x: 1, y: 2 });
    expect(codec.decode(codec.encode(foreign.r, { result: ["string", "int"] }, "r"), { result: ["string", "int"] }, "r")).toEqual({
      ok: "x",
    });
    expect(codec.decode(codec.encode(Buffer.from("hé"), "string", "s"), "string", "s")).toBe("hé");
    // a typed array whose own length lies: its internal slots are what count
    const lying = new Uint8Array([7, 8]);
    Object.defineProperty(lying, "length", { value: 1000 });
    expect(codec.decode(codec.encode(lying, "bytes", "b"), "bytes", "b")).toEqual(new Uint8Array([7, 8]));
    // an object that only claims to be a Uint8Array
    const fake = Object.create(Uint8Array.prototype);
    expect(attempt(() => codec.encode(fake, "bytes", "b"))).toBe("ConversionError: b: expected a Uint8Array (bytes), got an object");
  });

  it("getters that throw, Proxies: the error names the path and keeps the cause", () => {
    const { codec } = setup();
    const boom = new Error("boom");
    const withGetter = {
      x: 1,
      get y(): number {
        throw boom;
      },
    };
    let e: unknown;
    try {
      codec.encode(withGetter, point, "f: argument p");
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(ConversionError);
    expect((e as Error).message).toBe("f: argument p.y: reading it threw Error: boom");
    expect((e as Error).cause).toBe(boom);
    expect(attempt(() => codec.encode([{ x: 1, y: "a" }, withGetter], { list: pair }, "f: argument ps"))).toBe(
      "ConversionError: f: argument ps[1].y: reading it threw Error: boom",
    );
    const trap = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw new TypeError("trap");
        },
      },
    );
    expect(attempt(() => codec.encode(trap, point, "p"))).toBe("ConversionError: p: reading the value threw TypeError: trap");
    const { proxy, revoke } = Proxy.revocable([1, 2], {});
    revoke();
    expect(attempt(() => codec.encode(proxy, { list: "int" }, "l"))).toMatch(/^ConversionError: l: reading the value threw TypeError: /);
    // a Proxy of an array whose length is not a length
    expect(
      attempt(() => codec.encode(new Proxy([1], { get: (t, k) => (k === "length" ? "abc" : Reflect.get(t, k)) }), { list: "int" }, "l")),
    ).toBe('ConversionError: l: the array\'s length is the string "abc"');
    // a well-behaved Proxy is read like the object it stands for
    expect(codec.decode(codec.encode(new Proxy({ x: 1, y: 2 }, {}), point, "p"), point, "p")).toEqual({ x: 1, y: 2 });
    // a thrown non-Error
    const throwsString = {
      get x(): number {
        throw "plain";
      },
      y: 1,
    };
    expect(attempt(() => codec.encode(throwsString, point, "p"))).toBe('ConversionError: p.x: reading it threw the string "plain"');
  });

  it("the nesting limit: 1000 levels in both directions; deeper or cyclic values are refused clearly", () => {
    const { codec } = setup();
    const chain = (n: number): unknown => {
      let t: unknown = { tag: "Leaf" };
      for (let i = 0; i < n; i++) t = { tag: "Node", args: [t, i, { tag: "Leaf" }] };
      return t;
    };
    const depthOf = (t: unknown): number => {
      let d = 0;
      while ((t as { tag: string }).tag === "Node") {
        t = (t as { args: unknown[] }).args[0];
        d++;
      }
      return d;
    };
    expect(MAX_DEPTH).toBe(1000);
    expect(depthOf(codec.decode(codec.encode(chain(1000), tree, "t"), tree, "t"))).toBe(1000);
    const deep = attempt(() => codec.encode(chain(1001), tree, "id_tree: argument t"));
    expect(deep).toMatch(
      /^ConversionError: id_tree: argument t\.args\[0\]\.args\[0\]\.args\[0\].*: nested deeper than 1000 levels \(is the value cyclic\?\)$/,
    );
    expect(attempt(() => codec.encode(chain(100_000), tree, "t"))).toMatch(/: nested deeper than 1000 levels \(is the value cyclic\?\)$/);
    const cyclic: { tag: string; args: unknown[] } = { tag: "Node", args: [] };
    cyclic.args.push(cyclic, 1, { tag: "Leaf" });
    expect(attempt(() => codec.encode(cyclic, tree, "f: argument t"))).toMatch(
      /^ConversionError: f: argument t\.args\[0\].*: nested deeper than 1000 levels \(is the value cyclic\?\)$/,
    );
    const selfList: unknown[] = [];
    selfList.push(selfList);
    const nestedList: Desc = { record: { name: "nl", flat_floats: false, fields: [{ name: "kids", type: { list: { ref: "nl" } } }] } };
    const rec: { kids: unknown[] } = { kids: [] };
    rec.kids.push(rec);
    expect(attempt(() => codec.encode(rec, nestedList, "r"))).toMatch(
      /^ConversionError: r\.kids\[0\]\.kids\[0\].*: nested deeper than 1000 levels \(is the value cyclic\?\)$/,
    );
    // nesting through non-recursive descriptions counts the same
    let t: Desc = "int",
      v: unknown = 1;
    for (let i = 0; i < 1001; i++) {
      t = { list: t };
      v = [v];
    }
    expect(attempt(() => codec.encode(v, t, "l"))).toMatch(/: nested deeper than 1000 levels/);
    // decoding: a wire value 1001 levels deep (as OCaml's encoder would refuse to write it)
    let raw: RawValue = { int: 0 };
    for (let i = 0; i < 1001; i++) raw = { block: 0, fields: [raw, { int: i }, { int: 0 }] };
    const w = codec.encodeRaw(raw);
    expect(attempt(() => codec.decode(w, tree, "f: result"))).toMatch(
      /^ConversionError: f: result\.args\[0\].*: nested deeper than 1000 levels \(is the value cyclic\?\)$/,
    );
    // a cyclic wire list (a cell pointing to itself) is an error, not an endless loop
    const cell = codec.encode([1], { list: "int" }, "l");
    new DataView(setupMemory(codec).buffer).setUint32(cell + 12, cell, true);
    expect(attempt(() => codec.decode(cell, { list: "int" }, "r"))).toBe("ConversionError: r: the list is cyclic");
  });

  it("a string or bytes larger than the call arena: the size and the limit, not 'is it cyclic?'", () => {
    // an allocator that fails as the bridge's does when the arena is full
    const memory = new WebAssembly.Memory({ initial: 2 });
    let top = 8192;
    const arena: Allocator = {
      alloc(n) {
        if (top + n > 65536) throw new Error("the value needs more than the arena's 1073741824 bytes (requested 99999); is it cyclic?");
        const p = top;
        top += (n + 7) & ~7;
        return p;
      },
    };
    const codec = new WireCodec(memory, arena);
    const e = (() => {
      try {
        codec.encode(["a", "b".repeat(60000)], { list: "string" }, "id_strings: argument xs");
      } catch (err) {
        return err as Error;
      }
    })()!;
    expect(e.message).toBe(
      "id_strings: argument xs[1]: a string of 180000 bytes needs 180008 bytes, and the call arena is full (it holds at most 1073741824 bytes for all the calls in progress)",
    );
    expect((e.cause as Error).message).toMatch(/is it cyclic\?/);
    // more than the arena can ever hold: refused before allocating (the bytes are never touched)
    const huge = new Uint8Array(ARENA_MAX_BYTES + 1);
    expect(attempt(() => codec.encode(huge, "bytes", "f: argument b"))).toBe(
      "ConversionError: f: argument b: a string of 1073741825 bytes needs 1073741840 bytes, more than the call arena holds (1073741824 bytes)",
    );
  });

  it("lone UTF-16 surrogates are refused, naming the index; pairs are fine", () => {
    const { codec } = setup();
    const lone = (s: string, at: number, unit: string, what = "s") =>
      expect(attempt(() => codec.encode(s, "string", what))).toBe(
        `ConversionError: ${what}: the string has a lone UTF-16 surrogate (U+${unit}) at index ${at}, which UTF-8 cannot encode (the string is not well-formed Unicode)`,
      );
    lone("a\uD800b", 1, "D800");
    lone("\uDC00", 0, "DC00");
    lone("ok 🎉 \uD83C", 6, "D83C");
    lone("x".repeat(100) + "\uDFFF" + "y", 100, "DFFF");
    lone("é\uD800", 1, "D800");
    expect(attempt(() => codec.encode(["fine", "bad\uDBFF"], { list: "string" }, "f: argument xs"))).toBe(
      "ConversionError: f: argument xs[1]: the string has a lone UTF-16 surrogate (U+DBFF) at index 3, which UTF-8 cannot encode (the string is not well-formed Unicode)",
    );
    for (const s of ["🎉", "a🎉b", "\uD83C\uDF89".repeat(50), "日本\u{10FFFF}"])
      expect(codec.decode(codec.encode(s, "string", "s"), "string", "s")).toBe(s);
  });

  it("without String.prototype.isWellFormed, a fallback finds the same surrogates", async () => {
    const saved = Object.getOwnPropertyDescriptor(String.prototype, "isWellFormed")!;
    delete (String.prototype as { isWellFormed?: unknown }).isWellFormed;
    vi.resetModules();
    try {
      const fresh = await import("../../src/host/wire.ts"); // evaluated again (vi.resetModules)
      const { codec } = setup();
      const c2 = new fresh.WireCodec((codec as unknown as { memory: WebAssembly.Memory }).memory, {
        alloc: (() => {
          let top = 30000;
          return (n: number) => {
            const p = top;
            top += (n + 7) & ~7;
            return p;
          };
        })(),
      });
      expect(attempt(() => c2.encode("ab\uDC01", "string", "s"))).toMatch(
        /^ConversionError: s: the string has a lone UTF-16 surrogate \(U\+DC01\) at index 2/,
      );
      expect(attempt(() => c2.encode("x".repeat(80) + "\uD801z", "string", "s"))).toMatch(/lone UTF-16 surrogate \(U\+D801\) at index 80/);
      expect(c2.decode(c2.encode("a🎉", "string", "s"), "string", "s")).toBe("a🎉");
    } finally {
      Object.defineProperty(String.prototype, "isWellFormed", saved);
    }
  });
});
