// The TS codec alone (src/host/wire.ts), in Node: JS values -> wire -> JS values, with an
// allocator that works as the bridge's (reading and writing the arena's bump state in memory).
// The workloads mirror W3 (strings), W4 (an int list, a float array) and W5 (records) of the
// browser benchmarks, which run in OCaml and Rust and so never reach this codec.
//   node tools/bench/codec.ts [path/to/wire.ts] [workload-substring]
// prints the median and the fastest of 15 samples, in ns per operation (the fastest is the
// steadier figure on a busy machine)
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const file = resolve(process.argv[2] ?? new URL("../../src/host/wire.ts", import.meta.url).pathname);
const { WireCodec } = (await import(pathToFileURL(file).href)) as typeof import("../../src/host/wire.ts");

const memory = new WebAssembly.Memory({ initial: 512, maximum: 4096 });
const STATE = 1024,
  START = 65536;
const arena = {
  alloc(bytes: number): number {
    const dv = new DataView(memory.buffer);
    const top = dv.getUint32(STATE, true),
      limit = dv.getUint32(STATE + 4, true);
    const n = Math.ceil(bytes / 8) * 8;
    if (top + n <= limit) {
      dv.setUint32(STATE, top + n, true);
      return top;
    }
    throw new Error("bench arena full");
  },
};
const reset = () => {
  const dv = new DataView(memory.buffer);
  dv.setUint32(STATE, START, true);
  dv.setUint32(STATE + 4, memory.buffer.byteLength, true);
};
const codec = new WireCodec(memory, arena);

const point = {
  record: {
    name: "point",
    flat_floats: true,
    fields: [
      { name: "x", type: "float" },
      { name: "y", type: "float" },
    ],
  },
};
const shape = {
  variant: {
    name: "shape",
    ctors: [
      { name: "Empty", index: 0 },
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
      { name: "Nothing", index: 1 },
    ],
  },
};
const color = {
  polyvar: {
    name: "color",
    ctors: [
      { name: "Red", hash: 4100401 },
      { name: "Green", hash: 2 },
      { name: "rgb", hash: 3, args: ["int", "int", "int"] },
      { name: "Named", hash: 4, args: ["string"] },
    ],
  },
};
const item = {
  record: {
    name: "item",
    flat_floats: false,
    fields: [
      { name: "id", type: "int" },
      { name: "name", type: "string" },
      { name: "shape", type: shape },
      { name: "color", type: color },
      { name: "tags", type: { list: "string" } },
      { name: "parent", type: { option: "int" } },
    ],
  },
};

reset();
// the inline record of Rect in the encoding of the wire.ts being measured
const probe = codec.decode(codec.encode({ tag: "Rect", w: 1, h: 2, fields: { w: 1, h: 2 } }, shape, "probe"), shape, "probe") as Record<
  string,
  unknown
>;
const rect = (w: number, h: number) => ("fields" in probe ? { tag: "Rect", fields: { w, h } } : { tag: "Rect", w, h });
const shapes = [
  { tag: "Empty" },
  { tag: "Circle", args: [{ x: 1.5, y: -2 }, 2] },
  rect(3, 4),
  {
    tag: "Poly",
    args: [
      [
        [0, 0],
        [4, 0],
      ],
    ],
  },
];
const colors = [{ tag: "Red" }, { tag: "rgb", args: [1, 2, 3] }, { tag: "Named", args: ["teal"] }];
const items = Array.from({ length: 1000 }, (_, i) => ({
  id: i,
  name: `item ${i}`,
  shape: shapes[i % 4],
  color: colors[i % 3],
  tags: ["a", "b"].slice(0, i % 3),
  parent: i % 2 ? i - 1 : null,
}));

const workloads: [string, number, () => void][] = [
  [
    "string_16",
    20000,
    () => {
      const s = "soak 1234567890";
      if (codec.decode(codec.encode(s, "string", "s"), "string", "s") !== s) throw 0;
    },
  ],
  [
    "string_1k",
    20000,
    (() => {
      const s = "x".repeat(1024);
      return () => {
        if ((codec.decode(codec.encode(s, "string", "s"), "string", "s") as string).length !== 1024) throw 0;
      };
    })(),
  ],
  [
    "string_1k_utf16",
    5000,
    (() => {
      const s = "é日".repeat(512);
      return () => {
        if ((codec.decode(codec.encode(s, "string", "s"), "string", "s") as string).length !== 1024) throw 0;
      };
    })(),
  ],
  [
    "string_1m",
    20,
    (() => {
      const s = "x".repeat(1 << 20);
      return () => {
        if ((codec.decode(codec.encode(s, "string", "s"), "string", "s") as string).length !== 1 << 20) throw 0;
      };
    })(),
  ],
  [
    "int_list_10k",
    200,
    (() => {
      const xs = Array.from({ length: 10000 }, (_, i) => i);
      const t = { list: "int" };
      return () => {
        if ((codec.decode(codec.encode(xs, t, "l"), t, "l") as number[]).length !== 10000) throw 0;
      };
    })(),
  ],
  [
    "float_array_1m",
    10,
    (() => {
      const xs = new Float64Array(1 << 20).fill(1.5);
      const t = { array: "float" };
      return () => {
        if ((codec.decode(codec.encode(xs, t, "a"), t, "a") as Float64Array).length !== 1 << 20) throw 0;
      };
    })(),
  ],
  [
    "float_list_array_10k",
    200,
    (() => {
      const xs = Array.from({ length: 10000 }, (_, i) => i + 0.5);
      const t = { array: "float" };
      return () => {
        if ((codec.decode(codec.encode(xs, t, "a"), t, "a") as Float64Array).length !== 10000) throw 0;
      };
    })(),
  ],
  [
    "records_1k",
    100,
    (() => {
      const t = { list: item };
      return () => {
        if ((codec.decode(codec.encode(items, t, "r"), t, "r") as unknown[]).length !== 1000) throw 0;
      };
    })(),
  ],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const out: Record<string, number> = {};
const only = process.argv[3];
for (const [name, n, f] of workloads) {
  if (only && !name.includes(only)) continue;
  const samples: number[] = [];
  for (let s = 0; s < 16; s++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      reset();
      f();
    }
    const dt = performance.now() - t0;
    if (s > 0) samples.push((dt * 1e6) / n); // the first sample warms up
  }
  out[name] = Math.round(median(samples));
  const min = Math.round(Math.min(...samples));
  console.log(`${name.padEnd(22)} median ${String(out[name]).padStart(10)} ns   fastest ${String(min).padStart(10)} ns`);
}
