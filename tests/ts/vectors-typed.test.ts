// The TS typed codec (WireCodec.encode/decode, driven by a type description) against every shared
// vector that has a `type`, byte for byte; the rejected vectors; a count of the vectors TS checked
// against the vectors' `sides`; and that every tag, custom kind and bigarray kind of protocol.json
// has a vector. Handles (closures, DynBox) come from a stand-in for the app's tables.
import { afterAll, describe, expect, it } from "vitest";
import { BIGARRAY_KINDS, CUSTOM_BIGARRAY, CUSTOM_DYNBOX } from "../../src/host/protocol.ts";
import { type Allocator, BIGARRAY_TYPED_ARRAYS, type HandleHost, WireCodec } from "../../src/host/wire.ts";
import { decodes, encodes, hexBytes, type JsonRaw, rawCarries, relocated, type Vector, vectorFile } from "./vectors.ts";

type Desc = Parameters<WireCodec["encode"]>[1];
/** What the stand-in's functions and boxes carry: the words of their handle. */
type Handle = { handle: number[] };

const tagged = <T extends object>(o: T, handle: number[]): T & Handle => Object.assign(o, { handle });
/** The app's handle tables, as the codec sees them: a JS function's handle is the words it carries. */
const handles: HandleHost = {
  closureHandle: (f) => (f as unknown as Handle).handle as unknown as [number, number, number],
  ocamlClosure: (h, lo, hi) => tagged(() => 0, [h, lo, hi]),
  rustClosure: (id, lo, hi, arity) => tagged(() => 0, [id, lo, hi, arity]),
  boxWords: (v) => (v as Handle).handle as unknown as [number, number, number],
  boxHandle: (id, lo, hi) => tagged({}, [id, lo, hi]),
  promiseOf: () => {
    throw new Error("no vector is a promise (it crosses as its subscribe closure)");
  },
  subscriberOf: () => {
    throw new Error("no vector is a promise (it crosses as its subscribe closure)");
  },
};

function setup(start: number) {
  const memory = new WebAssembly.Memory({ initial: 2 });
  let top = start;
  const arena: Allocator = {
    alloc(n) {
      const p = top;
      top += (n + 7) & ~7;
      return p;
    },
  };
  return { memory, codec: new WireCodec(memory, arena, handles), used: () => top - start };
}

const field = (v: JsonRaw, i: number) => v.fields![i];
const obj = (t: unknown) => t as Record<string, unknown>;

/** The JS value a vector's value is, for its OCaml type (docs/guide/part8-typescript.md). */
function jsOf(t: unknown, v: JsonRaw): unknown {
  if (typeof t === "string") {
    switch (t) {
      case "unit":
        return undefined;
      case "int":
        return v.int;
      case "bool":
        return v.int === 1;
      case "char":
        return String.fromCharCode(v.int!);
      case "float":
        return v.float;
      case "string":
        return new TextDecoder().decode(hexBytes(v.string!));
      case "bytes":
        return hexBytes(v.string!);
      case "int32":
      case "nativeint":
        return Number(v[t]);
      case "int64":
        return BigInt(v.int64!);
      case "floatarray":
        return new Float64Array(v.floats ?? []);
    }
    throw new Error(`no JS value for the type ${t}`);
  }
  const d = obj(t);
  if ("option" in d) return v.int === 0 ? null : jsOf(d.option, field(v, 0));
  if ("list" in d) {
    const out: unknown[] = [];
    for (let c = v; c.int === undefined; c = field(c, 1)) out.push(jsOf(d.list, field(c, 0)));
    return out;
  }
  if ("array" in d) return d.array === "float" ? new Float64Array(v.floats ?? []) : v.fields!.map((f) => jsOf(d.array, f));
  if ("tuple" in d) return (d.tuple as unknown[]).map((e, i) => jsOf(e, field(v, i)));
  if ("result" in d) {
    const [ok, error] = d.result as unknown[];
    return v.block === 0 ? { ok: jsOf(ok, field(v, 0)) } : { error: jsOf(error, field(v, 0)) };
  }
  if ("bigarray" in d) {
    const kind = BIGARRAY_KINDS.find((k) => k.name === d.bigarray)!;
    const bytes = hexBytes(v.data!);
    return new BIGARRAY_TYPED_ARRAYS[kind.id](bytes.buffer, 0, bytes.length / kind.bytes);
  }
  if ("dynbox" in d) return tagged({}, v.dynbox!);
  if ("fn" in d) {
    const [lo, hi] = v.generation!;
    return tagged(() => 0, v.closure === "ocaml" ? [v.handle!, lo, hi] : [v.id!, lo, hi, v.arity!]);
  }
  if ("record" in d) {
    const r = obj(d.record) as { flat_floats: boolean; fields: { name: string; type: unknown }[] };
    return Object.fromEntries(r.fields.map((f, i) => [f.name, r.flat_floats ? v.floats![i] : jsOf(f.type, field(v, i))]));
  }
  if ("polyvar" in d || "variant" in d) {
    const poly = "polyvar" in d;
    const ctors = (obj(poly ? d.polyvar : d.variant) as { ctors: { name: string; index?: number; hash?: number; args: unknown[] }[] })
      .ctors;
    const key = (c: (typeof ctors)[number]) => (poly ? c.hash : c.index);
    if (v.int !== undefined) return { tag: ctors.find((c) => c.args.length === 0 && key(c) === v.int)!.name };
    if (poly) {
      const c = ctors.find((c) => c.args.length > 0 && c.hash === field(v, 0).int)!;
      const arg = field(v, 1);
      return { tag: c.name, args: c.args.length === 1 ? [jsOf(c.args[0], arg)] : c.args.map((a, i) => jsOf(a, field(arg, i))) };
    }
    const c = ctors.find((c) => c.args.length > 0 && c.index === v.block)!;
    return { tag: c.name, args: c.args.map((a, i) => jsOf(a, field(v, i))) };
  }
  throw new Error(`no JS value for the type ${JSON.stringify(t)}`);
}

/** Functions and boxes compared by the handle words they carry. */
const handlesOf = (x: unknown): unknown =>
  typeof x === "function" || (x !== null && typeof x === "object" && "handle" in x) ? { handle: (x as Handle).handle } : x;

/** The types TS has no typed conversion for (it refuses them, with this message). */
const NOT_TYPED: Record<string, string> = {
  exn: 'ConversionError: v: the OCaml type "exn" is not supported from TypeScript yet',
};

const checked = { encode: new Set<string>(), decode: new Set<string>() };
const typed = vectorFile.vectors.filter((v) => v.type !== undefined);

describe("wire format v1: the typed codec on every vector with a type", () => {
  for (const v of typed.filter((v) => encodes(v, "ts"))) {
    it(`encodes ${v.name} from its JS value, byte for byte`, () => {
      const start = 8192 + 8 * 7;
      const { memory, codec, used } = setup(start);
      if (typeof v.type === "string" && v.type in NOT_TYPED) {
        expect(attempt(() => codec.encode(0, v.type as Desc, "v"))).toBe(NOT_TYPED[v.type]);
        return checked.encode.add(v.name);
      }
      const w = codec.encode(jsOf(v.type, v.value!), v.type as Desc, "v");
      const want = relocated(v, vectorFile.base, start);
      expect(w >>> 0).toBe(want.root);
      // a JS string reserves 3 bytes a UTF-16 unit (its UTF-8 length is known once written): the
      // block is the vector's, the arena's top may be past it
      if (v.type === "string") expect(used()).toBeGreaterThanOrEqual(want.bytes.length);
      else expect(used()).toBe(want.bytes.length);
      expect(new Uint8Array(memory.buffer, start, want.bytes.length)).toEqual(want.bytes);
      checked.encode.add(v.name);
    });
  }
  for (const v of typed.filter((v) => decodes(v, "ts"))) {
    it(`decodes ${v.name} into its JS value`, () => {
      const start = 16384 + 8 * 3;
      const { memory, codec } = setup(start + 4096);
      const want = relocated(v, vectorFile.base, start);
      new Uint8Array(memory.buffer).set(want.bytes, start);
      if (typeof v.type === "string" && v.type in NOT_TYPED)
        expect(attempt(() => codec.decode(want.root, v.type as Desc, "v"))).toBe(NOT_TYPED[v.type]);
      else expect(handlesOf(codec.decode(want.root, v.type as Desc, "v"))).toEqual(handlesOf(jsOf(v.type, v.value!)));
      checked.decode.add(v.name);
    });
  }

  for (const v of vectorFile.vectors.filter((v) => v.rejected && decodes(v, "ts")))
    it(`refuses ${v.name}`, () => {
      const start = 16384;
      const { memory, codec } = setup(start + 4096);
      const want = relocated(v, vectorFile.base, start);
      new Uint8Array(memory.buffer).set(want.bytes, start);
      expect(() => codec.decodeRaw(want.root)).toThrow(/^raw: (unsupported tag 251|unknown custom kind 6)$/);
      checked.decode.add(v.name);
    });

  // the untyped view (wire.test.ts) checks the vectors without a type
  for (const v of vectorFile.vectors.filter((v) => v.type === undefined && !v.rejected)) {
    if (encodes(v, "ts")) checked.encode.add(v.name);
    if (decodes(v, "ts")) checked.decode.add(v.name);
  }

  afterAll(() => {
    // every vector TS should check was checked (a kind it lacked would have failed, not skipped)
    for (const dir of ["encode", "decode"] as const) {
      const want = vectorFile.vectors.filter((v) => (dir === "encode" ? encodes : decodes)(v, "ts")).map((v) => v.name);
      expect([...checked[dir]].sort()).toEqual(want.sort());
    }
  });
});

describe("wire format v1: the vectors cover the format", () => {
  const values = (v: JsonRaw | undefined): JsonRaw[] => (v ? [v, ...(v.fields ?? []).flatMap(values)] : []);
  const all = vectorFile.vectors.flatMap((v) => values(v.value));
  const tagsOf = (v: Vector) => (v.bytes ? [new DataView(hexBytes(v.bytes).buffer).getUint32(v.root - vectorFile.base, true)] : []);

  it("has a vector of every tag, custom kind and bigarray kind of protocol.json", async () => {
    const protocol = (await import("../../wire-format/protocol.json", { with: { type: "json" } })).default;
    const rootTags = new Set(vectorFile.vectors.flatMap(tagsOf));
    const blockTags = new Set([
      ...all.filter((v) => v.block !== undefined).map((v) => v.block!),
      ...all.filter((v) => v.closure).map(() => 247),
      ...rootTags,
    ]);
    for (const [name, tag] of Object.entries(protocol.tags)) {
      if (name === "string" || name === "double" || name === "double_array" || name === "custom") continue;
      expect(blockTags.has(tag), `a vector of tag ${name} (${tag})`).toBe(true);
    }
    expect(all.some((v) => v.string !== undefined)).toBe(true);
    expect(all.some((v) => v.float !== undefined)).toBe(true);
    expect(all.some((v) => v.floats !== undefined)).toBe(true);
    for (const k of ["int32", "int64", "nativeint"] as const)
      expect(
        all.some((v) => v[k] !== undefined),
        k,
      ).toBe(true);
    expect(all.some((v) => v.dynbox) && protocol.custom_kinds.dynbox === CUSTOM_DYNBOX).toBe(true);
    expect(all.some((v) => v.bigarray) && protocol.custom_kinds.bigarray === CUSTOM_BIGARRAY).toBe(true);
    for (const k of protocol.bigarray.kinds)
      expect(
        all.some((v) => v.bigarray === k.name && !v.flags),
        k.name,
      ).toBe(true);
    expect(all.some((v) => v.bigarray && v.data === "")).toBe(true);
    expect(all.some((v) => v.flags === protocol.bigarray.shared_flag)).toBe(true);
    expect(all.some((v) => v.flags === (protocol.bigarray.shared_flag | protocol.bigarray.managed_flag))).toBe(true);
    expect(all.some((v) => v.closure === "ocaml") && all.some((v) => v.closure === "rust")).toBe(true);
    // the vectors without a value are each rejected, and nothing else lacks one
    expect(vectorFile.vectors.filter((v) => !v.value).every((v) => v.rejected)).toBe(true);
    expect(vectorFile.vectors.filter((v) => v.value && !rawCarries(v.value)).every((v) => v.type !== undefined)).toBe(true);
  });
});

function attempt(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : `threw ${String(e)}`;
  }
}
