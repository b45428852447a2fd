// The loads and stores of the single-memory OCaml build (src/build/single-memory.ts): a helper
// module whose only memory is the one Rust and OCaml share, with one small function per memory
// instruction the OCaml runtime file uses. The OCaml module imports them instead of the memory
// itself, so it has one memory (wasm_of_ocaml's own) and runs where multi-memory is missing.
//
// Each function takes the address, the value (a store), and the instruction's offset last (the
// order of a folded instruction's operands, then its immediate): the effective address is their
// sum, computed without wrapping as a wasm load's is (a sum past 4 GiB is out of bounds).
import { WebAssemblyAtLoad } from "./intrinsics.ts";

export interface MemoryOp {
  /** the helper's export, and the OCaml import's name after "oiw_m_" */
  name: string;
  /** the instruction it stands for */
  instr: string;
  params: ("i32" | "i64" | "f32" | "f64")[];
  result?: "i32" | "i64" | "f32" | "f64";
  /** opcode; memory.size has none of the load/store form */
  opcode: number;
}

const load = (instr: string, result: MemoryOp["result"] & string, opcode: number): MemoryOp => ({
  name: instr.replace(".", "_"),
  instr,
  params: ["i32", "i32"],
  result,
  opcode,
});
const store = (instr: string, value: MemoryOp["result"] & string, opcode: number): MemoryOp => ({
  name: instr.replace(".", "_"),
  instr,
  params: ["i32", value, "i32"],
  opcode,
});

export const MEMORY_OPS: readonly MemoryOp[] = [
  load("i32.load", "i32", 0x28),
  load("i64.load", "i64", 0x29),
  load("f32.load", "f32", 0x2a),
  load("f64.load", "f64", 0x2b),
  load("i32.load8_u", "i32", 0x2d),
  load("i32.load16_u", "i32", 0x2f),
  store("i32.store", "i32", 0x36),
  store("i64.store", "i64", 0x37),
  store("f32.store", "f32", 0x38),
  store("f64.store", "f64", 0x39),
  store("i32.store8", "i32", 0x3a),
  store("i32.store16", "i32", 0x3b),
  { name: "size", instr: "memory.size", params: [], result: "i32", opcode: 0x3f },
];

const VALTYPE = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c } as const;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const name = (s: string) => vec([...s].map((c) => [c.charCodeAt(0)]));

/** The body of one op's function (locals: the effective address after the params). */
function body(op: MemoryOp): number[] {
  if (op.instr === "memory.size") return [0x00, 0x3f, 0x00, 0x0b];
  const s = op.params.length; // the local holding address + offset
  const o = op.params.length - 1; // the offset, the last parameter
  return [
    0x01,
    0x01,
    VALTYPE.i32, // one local i32
    0x20,
    0,
    0x20,
    o,
    0x6a,
    0x22,
    s, // s = a + o
    0x20,
    0,
    0x49,
    0x04,
    0x40, // if s < a (the sum wrapped)
    0x41,
    0x7f,
    0x2d,
    0x00,
    0x01,
    0x1a, // an access at 2^32: out of bounds, as the wasm load would be
    0x0b,
    0x20,
    s,
    ...(op.params.length === 3 ? [0x20, 1] : []),
    op.opcode,
    0x00,
    0x00, // op align=1 offset=0
    0x0b,
  ];
}

/** The helper module: imports "m" "memory", exports one function per op. */
export function memoryOpsModule(): Uint8Array {
  const types = MEMORY_OPS.map((op) => [0x60, ...vec(op.params.map((p) => [VALTYPE[p]])), ...vec(op.result ? [[VALTYPE[op.result]]] : [])]);
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...name("m"), ...name("memory"), 0x02, 0x00, 0x00]])),
    ...section(3, vec(MEMORY_OPS.map((_, i) => uleb(i)))),
    ...section(7, vec(MEMORY_OPS.map((op, i) => [...name(op.name), 0x00, ...uleb(i)]))),
    ...section(
      10,
      vec(
        MEMORY_OPS.map((op) => {
          const b = body(op);
          return [...uleb(b.length), ...b];
        }),
      ),
    ),
  ];
  return new Uint8Array(bytes);
}

let compiled: WebAssembly.Module | undefined;

/** The helper's functions on `memory`, by op name (the module is compiled once per realm). */
export function memoryOps(memory: WebAssembly.Memory): Record<string, Function> {
  compiled ??= new WebAssemblyAtLoad.Module(memoryOpsModule() as BufferSource);
  return new WebAssemblyAtLoad.Instance(compiled, { m: { memory } }).exports as unknown as Record<string, Function>;
}
