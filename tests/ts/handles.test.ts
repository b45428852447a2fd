// The codec's values that cross by handle (closures, DynBox), against a stand-in for the app's
// handles (src/host/values.ts is exercised through the real modules in
// examples/conformance/e2e/ts-values.spec.ts), their TS types, and their declarations.
import { describe, expect, expectTypeOf, it } from "vitest";
import { DISPOSE, T, type Closure, type DynBox, type JsIn, type JsOf } from "../../src/host/index.ts";
import { CUSTOM_DYNBOX, TAG_CLOSURE, WireCodec, type HandleHost } from "../../src/host/wire.ts";
import { tsType } from "../../src/build/glue/ts.ts";
import { parseTypeDesc } from "../../src/host/type-desc.ts";

function setup(withHost = true) {
  const memory = new WebAssembly.Memory({ initial: 2 });
  let top = 8192;
  const arena = {
    alloc(n: number) {
      const p = top;
      top += (n + 7) & ~7;
      return p;
    },
  };
  const calls: unknown[][] = [];
  const box = Object.freeze(Object.create(null));
  const host: HandleHost = {
    closureHandle(f, t, path) {
      calls.push(["closureHandle", typeof f, t.args.length, path]);
      return [41, 0x3fffffff, 7];
    },
    ocamlClosure(h, lo, hi, t, path) {
      calls.push(["ocamlClosure", h, lo, hi, t.args.length, path]);
      return () => "ocaml";
    },
    rustClosure(id, lo, hi, arity, _t, path) {
      calls.push(["rustClosure", id, lo, hi, arity, path]);
      return () => "rust";
    },
    boxWords(v, name, path) {
      calls.push(["boxWords", v === box, name, path]);
      return [7, 0x7fffffff, 12345];
    },
    boxHandle(id, lo, hi, name, path) {
      calls.push(["boxHandle", id, lo, hi, name, path]);
      return box;
    },
    promiseOf(subscribe, fromRust, path) {
      calls.push(["promiseOf", subscribe(), fromRust, path]);
      return Promise.resolve("settled");
    },
    subscriberOf(v, path) {
      calls.push(["subscriberOf", v instanceof Promise, path]);
      return () => undefined;
    },
  };
  const codec = new WireCodec(memory, arena, withHost ? host : undefined);
  const u32 = (p: number, i: number) => new Uint32Array(memory.buffer)[(p >>> 2) + i];
  const write = (words: number[]) => {
    const p = top;
    top += (4 * words.length + 4) & ~7;
    new Uint32Array(memory.buffer).set(words, p >>> 2);
    return p;
  };
  return { codec, calls, box, u32, write };
}

const imm = (n: number) => ((n << 1) | 1) >>> 0;

describe("closures on the wire", () => {
  it("a JS function is a closure block [handle; 0; generation low; generation high] with the handle the app gives", () => {
    const { codec, calls, u32 } = setup();
    const t = T.closure([T.int, T.string], T.int);
    const p = codec.encode((a: number, s: string) => a + s.length, t, "f: argument g");
    expect([u32(p, 0), u32(p, 1), u32(p, 2), u32(p, 3), u32(p, 4), u32(p, 5)]).toEqual([
      TAG_CLOSURE,
      4,
      imm(41),
      imm(0),
      imm(0x3fffffff),
      imm(7),
    ]);
    expect(calls).toEqual([["closureHandle", "function", 2, "f: argument g"]]);
  });

  it("nested in a record field, the function is named by its path", () => {
    const { codec, calls } = setup();
    const t = { tuple: [T.int, T.closure([T.unit], T.unit)] };
    codec.encode([1, () => undefined], t, "f: argument x");
    expect(calls[0][3]).toBe("f: argument x[1]");
  });

  it("decodes an OCaml closure [h; 0; lo; hi] and a Rust closure [id; 1; lo; arity; hi] to the app's functions", () => {
    const { codec, calls, write } = setup();
    const t = T.closure([T.int], T.int);
    const o = codec.decode(write([TAG_CLOSURE, 4, imm(9), imm(0), imm(0x3ffffffe), imm(5)]), t, "g: result") as () => string;
    const r = codec.decode(write([TAG_CLOSURE, 5, imm(3), imm(1), imm(0x7ffffffe), imm(1), imm(0x1234)]), t, "h: result") as () => string;
    expect([o(), r()]).toEqual(["ocaml", "rust"]);
    expect(calls).toEqual([
      ["ocamlClosure", 9, 0x3ffffffe, 5, 1, "g: result"],
      ["rustClosure", 3, 0x7ffffffe, 0x1234, 1, "h: result"],
    ]);
  });

  it("refuses what is not a function, and closures without an app, naming the path", () => {
    const { codec } = setup();
    const t = T.closure([T.int], T.int);
    expect(() => codec.encode(42, t, "f: argument g")).toThrow(
      "f: argument g: expected a function (a closure of 1 argument), got the number 42",
    );
    expect(() => codec.encode({ call() {} }, t, "f: argument g")).toThrow("expected a function (a closure of 1 argument), got an object");
    const bare = setup(false);
    expect(() => bare.codec.encode(() => 1, t, "f: argument g")).toThrow(
      "f: argument g: closures and Rust values (DynBox) cross only within a loaded app",
    );
  });

  it("refuses malformed closure blocks and descriptions", () => {
    const { codec, write } = setup();
    const t = T.closure([T.int], T.int);
    expect(() => codec.decode(write([0, 2, imm(1), imm(0)]), t, "r")).toThrow("r: expected a closure (tag 247), got tag 0 size 2");
    expect(() => codec.decode(write([TAG_CLOSURE, 4, imm(1), imm(5), imm(0), imm(0)]), t, "r")).toThrow(
      "r: invalid closure block (origin 5, size 4)",
    );
    // the layout before generations: refused, never read as a handle without one
    expect(() => codec.decode(write([TAG_CLOSURE, 2, imm(1), imm(0)]), t, "r")).toThrow(
      "r: expected a closure (tag 247), got tag 247 size 2",
    );
    expect(() => codec.decode(write([TAG_CLOSURE, 4, 8, imm(0), imm(0), imm(0)]), t, "r")).toThrow("its fields must be immediates");
    expect(() => codec.encode(() => 1, { fn: ["int"] }, "f: argument g")).toThrow("needs at least one argument and a result");
  });
});

describe("promises on the wire: their subscribe closure", () => {
  const t = T.promise(T.int);
  it("a Promise TS gives is its subscribe function, as a closure of one argument", () => {
    const { codec, calls, u32 } = setup();
    const p = codec.encode(Promise.resolve(1), t, "f: argument p");
    expect([u32(p, 0), u32(p, 1), u32(p, 2)]).toEqual([TAG_CLOSURE, 4, imm(41)]);
    expect(calls).toEqual([
      ["subscriberOf", true, "f: argument p"],
      ["closureHandle", "function", 1, "f: argument p"],
    ]);
  });

  it("a subscribe closure TS receives is a Promise, from Rust or from OCaml", async () => {
    const { codec, calls, write } = setup();
    const fromOCaml = codec.decode(write([TAG_CLOSURE, 4, imm(9), imm(0), imm(0), imm(0)]), t, "g: result");
    const fromRust = codec.decode(write([TAG_CLOSURE, 5, imm(3), imm(1), imm(0), imm(1), imm(0)]), t, "h: result");
    expect(fromOCaml).toBeInstanceOf(Promise);
    expect(await fromRust).toBe("settled");
    expect(calls).toEqual([
      ["ocamlClosure", 9, 0, 0, 1, "g: result"],
      ["promiseOf", "ocaml", false, "g: result"],
      ["rustClosure", 3, 0, 0, 1, "h: result"],
      ["promiseOf", "rust", true, "h: result"],
    ]);
  });

  it("the description of the subscribe closure: the settled value is a result of the value or the rejection", () => {
    const { codec, calls } = setup();
    codec.encode(Promise.resolve(1), T.promise(T.list(T.string)), "f: argument p");
    expect(calls[1][2]).toBe(1);
  });
});

describe("Rust values (DynBox) on the wire", () => {
  it("a handle is the custom block [5, id, generation low, generation high]", () => {
    const { codec, calls, box, u32 } = setup();
    const p = codec.encode(box, T.dynbox("my::Counter"), "f: argument c");
    expect([u32(p, 0), u32(p, 2), u32(p, 3), u32(p, 4), u32(p, 5)]).toEqual([255, CUSTOM_DYNBOX, 7, 0x7fffffff, 12345]);
    expect(calls).toEqual([["boxWords", true, "my::Counter", "f: argument c"]]);
  });

  it("decodes the block to the app's handle, and refuses another custom block", () => {
    const { codec, calls, box, write } = setup();
    expect(codec.decode(write([255, 16, CUSTOM_DYNBOX, 3, 4, 5]), T.dynbox("my::Counter"), "r")).toBe(box);
    expect(calls).toEqual([["boxHandle", 3, 4, 5, "my::Counter", "r"]]);
    expect(() => codec.decode(write([255, 16, 2, 0, 0, 0]), T.dynbox(), "r")).toThrow("r: expected a Rust value (DynBox), got tag 255");
  });
});

describe("types", () => {
  it("JsOf: a closure TS receives is callable and releasable; JsIn: any function of the type", () => {
    const c = T.closure([T.int, T.string], T.option(T.int));
    expectTypeOf<JsOf<typeof c>>().toEqualTypeOf<Closure<(a: number, b: string) => number | null>>();
    expectTypeOf<JsIn<typeof c>>().toEqualTypeOf<(a: number, b: string) => number | null>();
    // a closure's arguments go the other way: one taking a closure receives a releasable one
    const h = T.closure([T.closure([T.int], T.int)], T.int);
    expectTypeOf<JsIn<typeof h>>().toEqualTypeOf<(f: Closure<(x: number) => number>) => number>();
    expectTypeOf<JsOf<typeof h>>().toEqualTypeOf<Closure<(f: (x: number) => number) => number>>();
    const b = T.dynbox("my::Counter");
    expectTypeOf<JsOf<typeof b>>().toEqualTypeOf<DynBox<"my::Counter">>();
    expectTypeOf<DynBox<"my::Counter">>().not.toEqualTypeOf<DynBox<"my::Other">>();
    expect(typeof DISPOSE).toBe("symbol");
    expect(DISPOSE).toBe(typeof Symbol.dispose === "symbol" ? Symbol.dispose : Symbol.for("Symbol.dispose"));
  });

  it("declarations: an argument is a plain function, a result a Closure; DynBox by its Rust type", () => {
    const fn = parseTypeDesc({ fn: ["int", { fn: ["string", "unit"] }, "float"] });
    expect(tsType(fn, "arg")).toBe('((a0: number, a1: import("ocaml-interop-web").Closure<(a0: string) => void>) => number)');
    expect(tsType(fn, "ret")).toBe('import("ocaml-interop-web").Closure<(a0: number, a1: ((a0: string) => void)) => number>');
    expect(tsType({ dynbox: "my::Counter" }, "arg")).toBe('import("ocaml-interop-web").DynBox<"my::Counter">');
  });
});
