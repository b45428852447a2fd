// Fuzzing of the TS decoder (WireCodec.decode, typed): random bytes, random valid values, and
// well-formed block graphs with one mutation each. For any bytes it gives an error (a
// ConversionError) or a value that converts back, never another exception, a hang or a read
// outside the region: the region is the last 4 KiB of the memory (a read past it is a read past
// the memory) and the bytes below it are guard words, two different fillings of which must give
// the same outcome. Random bytes seldom make the decoder follow an address, so the structured mode
// builds graphs that it follows to the end and then breaks them where a bounds check matters; it
// knows which mutations must be refused. The inputs each property ran are printed (`fuzz: ts: ...`).
import { describe, expect, it } from "vitest";
import {
  BIGARRAY_KIND_MASK,
  CUSTOM_BIGARRAY,
  TAG_ABSTRACT,
  TAG_CLOSURE,
  TAG_CUSTOM,
  TAG_DOUBLE,
  TAG_DOUBLE_ARRAY,
  TAG_NO_SCAN,
  TAG_STRING,
} from "../../src/host/protocol.ts";
import { type Allocator, BIGARRAY_TYPED_ARRAYS, ConversionError, WireCodec } from "../../src/host/wire.ts";

const CASES = 3000;
const PAGE = 65536,
  REGION = 4096,
  START = PAGE - REGION,
  LOW = 256; // [0, LOW) stays zero: small words (tags, kinds, lengths) may be read as addresses

/** xorshift32: reproducible inputs (the seed of a failing case is in the assertion's message). */
function prng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
  return { next, below: (n: number) => next() % n, chance: (p: number) => next() / 2 ** 32 < p };
}

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
const item: Desc = {
  record: {
    name: "item",
    flat_floats: false,
    fields: [
      { name: "id", type: "int" },
      { name: "name", type: "string" },
      { name: "tags", type: { list: "string" } },
      { name: "at", type: { option: point } },
    ],
  },
};
const tree: Desc = {
  variant: {
    name: "tree",
    ctors: [
      { name: "Leaf", index: 0, args: [] },
      { name: "Node", index: 0, args: [{ ref: "tree" }, "int", { ref: "tree" }] },
      { name: "Tip", index: 1, args: ["float"] },
    ],
  },
};
const color: Desc = {
  polyvar: {
    name: "color",
    ctors: [
      { name: "Red", hash: 4100401, args: [] },
      { name: "Named", hash: 99, args: ["string"] },
      { name: "Rgb", hash: 5640, args: ["int", "int", "int"] },
    ],
  },
};
/** The types the bytes are decoded as: every kind of node the decoder has but handles. */
const TYPES: Desc[] = [
  "int",
  "bool",
  "char",
  "string",
  "bytes",
  "float",
  "int32",
  "int64",
  "nativeint",
  "floatarray",
  { list: "int" },
  { list: { list: "string" } },
  { array: { option: "float" } },
  { tuple: ["int", "string", "float"] },
  { result: ["string", { list: "int" }] },
  { option: { option: "int" } },
  item,
  point,
  tree,
  color,
  { bigarray: "float32" },
  { bigarray: "int64" },
  { bigarray: "int8_unsigned" },
];

const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
const u32 = new Uint32Array(memory.buffer);
/** Encodes into the region from `start` (values that do not fit are refused by the allocator). */
function regionCodec(start = START) {
  let top = start;
  const arena: Allocator = {
    alloc(n) {
      const p = top;
      top += (n + 7) & ~7;
      if (top > PAGE) throw new Error("the region is full");
      return p;
    },
  };
  return new WireCodec(memory, arena);
}
const decoder = regionCodec();

/** Guard fillings: plausible headers and addresses into the region, so that a read there changes the outcome. */
const guards = [1, 2, 3].map((seed) => {
  const r = prng(seed * 0x9e3779b9);
  return Uint32Array.from({ length: (START - LOW) / 4 }, () => (r.chance(0.3) ? r.below(256) : (START + r.below(REGION)) & ~7));
});

/** The outcome of decoding, comparable across runs: the value, or the error's message. */
function outcome(w: number, t: Desc): { ok: unknown } | { error: string } {
  try {
    return { ok: decoder.decode(w, t, "r") };
  } catch (e) {
    if (!(e instanceof ConversionError)) throw new Error(`not a ConversionError: ${e}`, { cause: e });
    return { error: e.message };
  }
}

/** A random JS value of type `t` (small: it must fit the region). */
function randomValue(t: Desc, r: ReturnType<typeof prng>, depth = 0): unknown {
  const str = () =>
    String.fromCharCode(...Array.from({ length: r.below(12) }, () => (r.chance(0.8) ? 32 + r.below(95) : 0xa0 + r.below(0x500))));
  const float = () => (r.chance(0.1) ? -0 : (r.next() - 2 ** 31) / (1 + r.below(1000)));
  const small = (f: () => unknown, n = 5) => Array.from({ length: depth > 3 ? 0 : r.below(n) }, f);
  if (typeof t === "string")
    switch (t) {
      case "int":
        return r.below(2 ** 31) - 2 ** 30;
      case "bool":
        return r.chance(0.5);
      case "char":
        return String.fromCharCode(r.below(256));
      case "string":
        return str();
      case "bytes":
        return Uint8Array.from({ length: r.below(20) }, () => r.below(256));
      case "float":
        return float();
      case "int32":
      case "nativeint":
        return r.next() | 0;
      case "int64":
        return BigInt.asIntN(64, (BigInt(r.next()) << 32n) | BigInt(r.next()));
      case "floatarray":
        return Float64Array.from(small(float));
    }
  const d = t as Record<string, unknown>;
  if ("list" in d) return small(() => randomValue(d.list as Desc, r, depth + 1));
  if ("array" in d) return small(() => randomValue(d.array as Desc, r, depth + 1));
  if ("tuple" in d) return (d.tuple as Desc[]).map((e) => randomValue(e, r, depth + 1));
  if ("result" in d) {
    const [ok, error] = d.result as Desc[];
    return r.chance(0.5) ? { ok: randomValue(ok, r, depth + 1) } : { error: randomValue(error, r, depth + 1) };
  }
  if ("option" in d) {
    if (r.chance(0.3)) return null;
    const e = d.option as Desc;
    const x = randomValue(e, r, depth + 1);
    return typeof e === "object" && "option" in e ? { some: x } : x;
  }
  if ("record" in d) {
    const fields = (d.record as { fields: { name: string; type: Desc }[] }).fields;
    return Object.fromEntries(fields.map((f) => [f.name, randomValue(f.type, r, depth + 1)]));
  }
  if (t === tree) {
    const k = depth > 4 ? r.below(2) * 2 : r.below(3);
    if (k === 0) return { tag: "Leaf" };
    if (k === 2) return { tag: "Tip", args: [float()] };
    return { tag: "Node", args: [randomValue(tree, r, depth + 1), randomValue("int", r), randomValue(tree, r, depth + 1)] };
  }
  if (t === color) {
    const k = r.below(3);
    if (k === 0) return { tag: "Red" };
    if (k === 1) return { tag: "Named", args: [str()] };
    return { tag: "Rgb", args: [r.below(256), r.below(256), r.below(256)] };
  }
  if ("bigarray" in d) {
    const n = r.below(9);
    if (d.bigarray === "float32") return Float32Array.from({ length: n }, () => Math.fround(float()));
    if (d.bigarray === "int64") return BigInt64Array.from({ length: n }, () => BigInt(r.next() | 0) << 20n);
    return Uint8Array.from({ length: n }, () => r.below(256));
  }
  throw new Error(`no random value of ${JSON.stringify(t)}`);
}

/** Writes `v` of type `t` into the region from its start (a fresh region), returns its word. */
function encodeIntoRegion(v: unknown, t: Desc): number {
  u32.fill(0, START / 4);
  return regionCodec().encode(v, t, "v");
}

/** A value decoded from any bytes converts back, to the same value (no undefined, no stray read). */
function convertsBack(v: unknown, t: Desc) {
  const m = new WebAssembly.Memory({ initial: 1 });
  let top = 8;
  const alloc = (n: number) => {
    const p = top;
    top += (n + 7) & ~7;
    return p;
  };
  const c = new WireCodec(m, { alloc });
  return c.decode(c.encode(v, t, "again"), t, "again");
}

describe("fuzz: the TS decoder", () => {
  it("random bytes: an error or a value, the same whatever the bytes around the region", () => {
    const r = prng(20240601);
    let decoded = 0;
    for (let i = 0; i < CASES; i++) {
      const seed = r.next();
      const c = prng(seed);
      const t = TYPES[c.below(TYPES.length)];
      const mode = c.below(3);
      let root: number;
      if (mode === 2) {
        // a valid encoding, then up to three words overwritten at random
        try {
          root = encodeIntoRegion(randomValue(t, c), t);
        } catch {
          continue;
        }
        for (let k = c.below(4); k > 0; k--) u32[START / 4 + c.below(REGION / 4)] = c.chance(0.5) ? c.next() : c.below(64);
      } else {
        for (let j = 0; j < REGION / 4; j++) {
          const x = c.next();
          // mode 1: about half of the words plausible addresses or small numbers
          u32[START / 4 + j] = mode === 1 && j % 2 ? (c.chance(0.5) ? (START + (x % (REGION + 64))) & ~7 : x % 64) : x;
        }
        root = c.chance(0.1) ? c.next() : START + 8 * c.below(REGION / 8);
      }
      // the decoder follows the addresses it finds: those into the guard words are moved into the
      // region, so that a correct decoder reads nothing below it
      for (let j = START / 4; j < PAGE / 4; j++) if (u32[j] >= LOW && u32[j] < START) u32[j] = START + (u32[j] % REGION);
      if (root >= LOW && root < START) root = START + (root % REGION);
      u32.set(guards[0], LOW / 4);
      const first = outcome(root, t);
      u32.set(guards[1 + (seed & 1)], LOW / 4);
      expect(outcome(root, t), `seed ${seed}: a read outside the region`).toEqual(first);
      if ("ok" in first) {
        decoded++;
        expect(convertsBack(first.ok, t), `seed ${seed}`).toEqual(first.ok);
      }
    }
    console.log(`fuzz: ts: decode(random bytes): ${CASES} inputs, ${decoded} decoded`);
    // enough inputs decode for the property on values to have been checked
    expect(decoded).toBeGreaterThan(CASES / 20);
  });

  it("random valid values: encoded, then decoded, give the value back", () => {
    const r = prng(7);
    let n = 0;
    for (let i = 0; i < CASES; i++) {
      const seed = r.next();
      const c = prng(seed);
      const t = TYPES[c.below(TYPES.length)];
      const v = randomValue(t, c);
      let w: number;
      try {
        w = encodeIntoRegion(v, t);
      } catch (e) {
        expect(String(e), `seed ${seed}`).toMatch(/the call arena is full/);
        continue;
      }
      const back = outcome(w, t);
      expect(back, `seed ${seed}`).toEqual({ ok: v });
      n++;
    }
    console.log(`fuzz: ts: decode(encode(random value)): ${n} inputs`);
    expect(n).toBeGreaterThan(CASES * 0.9);
  });

  it("structured: well-formed graphs, mutated where a bounds check matters, are refused or read right", () => {
    const r = prng(31337);
    const stats: Record<string, { n: number; ok: number; refused: number }> = {};
    for (let i = 0; i < STRUCTURED_CASES; i++) {
      const seed = r.next();
      const c = prng(seed);
      const t = TYPES[c.below(TYPES.length)];
      const v = randomValue(t, c);
      let root: number;
      try {
        root = encodeAtEnd(v, t);
      } catch {
        continue;
      }
      const g = graph(root);
      const m = mutate(g, root, c);
      // a value decoded as it was encoded
      if (m.expect === "value") expect(outcome(m.root, t), `seed ${seed}: ${m.name}`).toEqual({ ok: v });
      u32.set(REFUSING_GUARD, LOW / 4);
      const first = outcome(m.root, t);
      u32.set(guards[seed & 1], LOW / 4);
      const second = outcome(m.root, t);
      const s = (stats[m.name] ??= { n: 0, ok: 0, refused: 0 });
      s.n++;
      if ("ok" in first) s.ok++;
      else s.refused++;
      const what = `seed ${seed}: ${m.name}`;
      if (m.expect === "refused" || m.expect === "guard")
        expect("error" in first, `${what} must be refused, got ${JSON.stringify(first, big)}`).toBe(true);
      if (m.expect === "refused or value" && "ok" in first) expect(first, what).toEqual({ ok: v });
      // an address into the guard words is followed (the memory is the decoder's bound): every
      // block there is refused under the first filling, and under the second anything goes
      if (m.expect !== "guard") expect(second, `${what}: a read outside the region`).toEqual(first);
      for (const o of [first, second]) if ("ok" in o) expect(convertsBack(o.ok, t), what).toEqual(o.ok);
    }
    const line = Object.entries(stats)
      .map(([k, s]) => `${k} ${s.n} (${s.ok} decoded, ${s.refused} refused)`)
      .join(", ");
    console.log(`fuzz: ts: structured graphs, one mutation each: ${line}`);
    // every mutation ran often enough, and the ones with a choice were both refused and decoded
    for (const k of MUTATIONS) expect(stats[k]?.n ?? 0, k).toBeGreaterThan(20);
    for (const k of ["flip", "oversize in memory"]) {
      expect(stats[k].ok, k).toBeGreaterThan(0);
      expect(stats[k].refused, k).toBeGreaterThan(0);
    }
  });
});

// ---- the structured mode ------------------------------------------------------------------------
const STRUCTURED_CASES = 4000;
const big = (_k: string, x: unknown) => (typeof x === "bigint" ? `${x}n` : x);

/** A filling of the guard words in which every block is refused whatever it is read as: headers
 *  of abstract blocks (tag 251) of size 1 at every 8-aligned address. */
const REFUSING_GUARD = Uint32Array.from({ length: (START - LOW) / 4 }, (_, i) => (i % 2 ? 1 : TAG_ABSTRACT));

/** Encodes `v` so that its blocks end exactly at the memory's end (a fresh region), returns its
 *  word: encoded once at the region's start to learn its length, then again at the end. */
function encodeAtEnd(v: unknown, t: Desc): number {
  u32.fill(0, START / 4);
  let end = START;
  const measure = new WireCodec(memory, {
    alloc(n) {
      const p = end;
      end += (n + 7) & ~7;
      if (end > PAGE) throw new Error("the region is full");
      return p;
    },
  });
  measure.encode(v, t, "v");
  u32.fill(0, START / 4);
  encodedFrom = PAGE - (end - START);
  return regionCodec(encodedFrom).encode(v, t, "v");
}
/** Where the last encodeAtEnd's bytes start. */
let encodedFrom = PAGE;

interface Block {
  at: number;
  tag: number;
  size: number;
  /** the blocks it is reached through, root first */
  up: number[];
}
/** The blocks of an encoded graph (walked by their layout, docs/wire-format.md) and the addresses
 *  of the words that hold their fields. */
function graph(root: number) {
  const blocks: Block[] = [],
    fields: { at: number; owner: Block }[] = [],
    bigarrays: Block[] = [];
  const walk = (w: number, up: number[]) => {
    if (w & 1 || w === 0) return;
    const b: Block = { at: w, tag: u32[w / 4] & 0xff, size: u32[w / 4 + 1], up };
    blocks.push(b);
    if (b.tag < TAG_NO_SCAN && b.tag !== TAG_CLOSURE)
      for (let i = 0; i < b.size; i++) {
        const at = w + 8 + 4 * i;
        fields.push({ at, owner: b });
        walk(u32[at / 4], [...up, w]);
      }
    if (b.tag === TAG_CUSTOM && u32[w / 4 + 2] === CUSTOM_BIGARRAY) bigarrays.push(b);
  };
  walk(root, []);
  return { blocks, fields, bigarrays };
}

const MUTATIONS = [
  "none",
  "past the end",
  "into the guard",
  "misaligned",
  "cycle",
  "oversize past the end",
  "oversize in memory",
  "bigarray past the end",
  "flip",
] as const;
type Expect = "value" | "refused" | "refused or value" | "guard" | "any";

/** One mutation of the graph (in memory), the root to decode from, and what the decoder must give. */
function mutate(g: ReturnType<typeof graph>, root: number, c: ReturnType<typeof prng>) {
  const pick = <T>(a: T[]) => a[c.below(a.length)];
  // a word that is read as a value: a field of a block, or the root
  const word = () => (g.fields.length && c.chance(0.8) ? pick(g.fields).at : -1);
  const set = (at: number, w: number) => {
    if (at < 0) root = w >>> 0;
    else u32[at / 4] = w;
  };
  let name: (typeof MUTATIONS)[number] = MUTATIONS[c.below(MUTATIONS.length)];
  if ((name === "flip" || name.startsWith("oversize")) && !g.blocks.length) name = "past the end";
  if (name === "cycle" && !g.fields.length) name = "past the end";
  if (name === "bigarray past the end" && !g.bigarrays.length) name = "misaligned";
  if (name === "misaligned" && !g.blocks.length) name = "past the end";
  let expect: Expect = "refused";
  switch (name) {
    case "none":
      expect = "value";
      break;
    case "past the end":
      // at the memory's end or past it, or near 4 GiB
      set(word(), c.chance(0.8) ? PAGE + 8 * c.below(9) : 2 ** 32 - 8 * (1 + c.below(4)));
      break;
    case "into the guard":
      set(word(), LOW + 8 * c.below((START - LOW) / 8));
      expect = "guard";
      break;
    case "misaligned":
      // a block's address plus 2, 4 or 6 (even: not an immediate), or the error sentinel 2
      set(word(), c.chance(0.9) ? pick(g.blocks).at + 2 * (1 + c.below(3)) : 2);
      break;
    case "cycle": {
      // a field of a block points back at that block or one the decoder passed on the way
      const f = pick(g.fields);
      set(f.at, pick([...f.owner.up, f.owner.at]));
      break;
    }
    case "oversize past the end": {
      const b = pick(g.blocks);
      const room = PAGE - b.at - 8;
      const per = b.tag === TAG_STRING ? 1 : b.tag === TAG_DOUBLE_ARRAY ? 8 : 4;
      u32[b.at / 4 + 1] = c.chance(0.7) ? Math.floor(room / per) + 1 + c.below(4) : pick([2 ** 32 - 1, 2 ** 31, 2 ** 30 + 1, 2 ** 29 + 1]);
      // floats and custom blocks have a fixed size the decoder need not read
      if (b.tag === TAG_DOUBLE || b.tag === TAG_CUSTOM) expect = "refused or value";
      break;
    }
    case "oversize in memory": {
      const b = pick(g.blocks);
      u32[b.at / 4 + 1] = b.size + 1 + c.below(3);
      expect = "any";
      break;
    }
    case "bigarray past the end": {
      const b = pick(g.bigarrays),
        i = b.at / 4;
      const bytes = BIGARRAY_TYPED_ARRAYS[u32[i + 3] & BIGARRAY_KIND_MASK].BYTES_PER_ELEMENT;
      const k = c.below(3);
      if (k === 0)
        u32[i + 4] = Math.floor((PAGE - u32[i + 5]) / bytes) + 1 + c.below(4); // its length
      else if (k === 1)
        u32[i + 5] = PAGE + 8 * (1 + c.below(4)); // its data
      else if (bytes > 1)
        u32[i + 5] += 1 + c.below(bytes - 1); // misaligned data
      else u32[i + 4] = 2 ** 32 - 1;
      break;
    }
    case "flip": {
      // a word of the encoding
      const at = encodedFrom + 4 * c.below((PAGE - encodedFrom) / 4);
      u32[at / 4] = c.chance(0.5) ? u32[at / 4] ^ (1 << c.below(32)) : c.chance(0.5) ? c.next() : c.below(64);
      expect = "any";
      break;
    }
  }
  if (expect === "any") {
    // the decoder follows the addresses it finds: those into the guard words are moved into the
    // region (as in the random mode), so that a correct decoder reads nothing below it
    for (let j = START / 4; j < PAGE / 4; j++) if (u32[j] >= LOW && u32[j] < START) u32[j] = START + (u32[j] % REGION);
    if (root >= LOW && root < START) root = START + (root % REGION);
  }
  return { name, expect, root };
}
