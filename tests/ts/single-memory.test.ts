// The single-memory OCaml build: the rewrite of the runtime files (src/build/single-memory.ts)
// and the helper module their loads and stores call (src/host/memory-ops.ts), checked against the
// wasm instructions they stand for, and the JS primitives that hand the helper to OCaml.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { importsRustMemory, singleMemoryWat } from "../../src/build/single-memory.ts";
import { MEMORY_OPS, memoryOps, memoryOpsModule } from "../../src/host/memory-ops.ts";

const LIB = new URL("../../ocaml/ocaml-interop-web/", import.meta.url);
const RUNTIME = readdirSync(LIB)
  .filter((f) => f.endsWith(".wat"))
  .map((f) => ({ f, src: readFileSync(new URL(f, LIB), "utf8") }));
const PRIMITIVES = readFileSync(new URL("../../ocaml/ocaml-interop-web/ocaml_interop.js", import.meta.url), "utf8");
const IMPORT = '(import "js" "oiw_memory" (memory $mem 1))';

describe("the rewrite of the runtime files", () => {
  const INSTR = /\((i32|i64|f32|f64)\.(load|store)[0-9a-z_]*\b|\(memory\.size\b/g;

  it("leaves no memory instruction and no memory import, and calls a helper for each instruction", () => {
    let instrs = 0;
    for (const { f, src } of RUNTIME.filter(({ src }) => importsRustMemory(src))) {
      const out = singleMemoryWat(src, f);
      const n = src.match(INSTR)?.length ?? 0;
      instrs += n;
      expect(out.match(/\((i32|i64|f32|f64)\.(load|store)[0-9a-z_]*\b|\(memory\./g), f).toBeNull();
      expect(out, f).not.toMatch(/\(import "js" "oiw_memory"|\(import "env" "oiw_rust_memory"|\(export "oiw_rust_memory"|\(memory /);
      expect(out.match(/\(call \$oiw_m_/g) ?? [], f).toHaveLength(n);
      for (const op of MEMORY_OPS) expect(out, f).toContain(`(import "js" "oiw_m_${op.name}" (func $oiw_m_${op.name} `);
    }
    expect(instrs).toBeGreaterThan(80);
  });

  it("rewrites every runtime file that touches Rust's memory (the build rewrites those that import it)", () => {
    const touching = RUNTIME.filter(({ src }) => src.match(INSTR)).map(({ f }) => f);
    expect(touching.length).toBeGreaterThan(1);
    for (const { f, src } of RUNTIME) expect(importsRustMemory(src), f).toBe(touching.includes(f));
    // one file imports the memory from the host, the others from it (the linked module has it once)
    expect(RUNTIME.filter(({ src }) => src.includes('(import "js" "oiw_memory"')).map(({ f }) => f)).toEqual(["ocaml_interop_arena.wat"]);
  });

  it("passes the operands first and the offset last, nested instructions included; comments and strings stay as they are", () => {
    const src = `(module ${IMPORT}
  ;; (i32.load (i32.const 1)) in a comment
  (; (i32.store x) ;)
  (@string $s "(i32.load 4)")
  (func (result i32) (i32.load offset=8 align=4 (i32.load8_u (local.get $p))))
  (func (i64.store offset=16 (local.get $a) (i64.load (i32.const 0)))
        (f64.store (local.get $a) (f64.load offset=0x10 (local.get $b))))
  (func (result i32) (memory.size)))`;
    const out = singleMemoryWat(src, "x.wat");
    expect(out).toContain(
      "(func (result i32) (call $oiw_m_i32_load (call $oiw_m_i32_load8_u (local.get $p) (i32.const 0)) (i32.const 8)))",
    );
    expect(out).toContain("(call $oiw_m_i64_store (local.get $a) (call $oiw_m_i64_load (i32.const 0) (i32.const 0)) (i32.const 16))");
    expect(out).toContain("(call $oiw_m_f64_store (local.get $a) (call $oiw_m_f64_load (local.get $b) (i32.const 16)) (i32.const 0))");
    expect(out).toContain("(func (result i32) (call $oiw_m_size))");
    expect(out).toContain(";; (i32.load (i32.const 1)) in a comment");
    expect(out).toContain("(; (i32.store x) ;)");
    expect(out).toContain('(@string $s "(i32.load 4)")');
  });

  it("refuses what it cannot rewrite, naming the line", () => {
    const at = (body: string) => () => singleMemoryWat(`(module ${IMPORT}\n${body})`, "x.wat");
    expect(at("(func i32.const 0 i32.load drop)")).toThrow(
      "single-memory build: x.wat:2: `i32.load` is not in folded form ((i32.load ...))",
    );
    expect(at("(func (drop (memory.grow (i32.const 1))))")).toThrow(
      "single-memory build: x.wat:2: `memory.grow` has no helper (memory-ops.ts)",
    );
    expect(at("(func (drop (i64.load32_u (i32.const 0))))")).toThrow(
      "single-memory build: x.wat:2: `i64.load32_u` has no helper (memory-ops.ts)",
    );
    expect(at("(func (drop (i32.load $mem (i32.const 0))))")).toThrow("single-memory build: x.wat:2: `i32.load` names a memory");
    expect(() => singleMemoryWat("(module)", "y.wat")).toThrow('single-memory build: y.wat does not import "js" "oiw_memory" as expected');
  });
});

describe("the helper module", () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
  const ops = memoryOps(memory) as Record<string, (...a: any[]) => any>;
  const dv = () => new DataView(memory.buffer);

  it("is valid, exports one function per op, and imports only the memory", () => {
    const m = new WebAssembly.Module(memoryOpsModule() as BufferSource);
    expect(WebAssembly.Module.imports(m)).toEqual([{ module: "m", name: "memory", kind: "memory" }]);
    expect(WebAssembly.Module.exports(m).map((e) => e.name)).toEqual(MEMORY_OPS.map((o) => o.name));
  });

  it("loads and stores as the instructions do (little-endian, unaligned, at address + offset)", () => {
    ops.i32_store(100, 0x12345678, 3);
    expect(dv().getUint32(103, true)).toBe(0x12345678);
    expect(ops.i32_load(101, 2)).toBe(0x12345678);
    expect(ops.i32_load8_u(103, 0)).toBe(0x78);
    ops.i32_store8(200, 0x1ff, 0);
    expect(dv().getUint8(200)).toBe(0xff);
    ops.i32_store16(300, 0xabcdef, 1);
    expect(ops.i32_load16_u(301, 0)).toBe(0xcdef);
    ops.i64_store(400, -(2n ** 63n), 8);
    expect(dv().getBigInt64(408, true)).toBe(-(2n ** 63n));
    expect(ops.i64_load(0, 408)).toBe(-(2n ** 63n));
    ops.f64_store(500, -0, 0);
    expect(Object.is(ops.f64_load(500, 0), -0)).toBe(true);
    ops.f32_store(600, 1.5, 4);
    expect(ops.f32_load(604, 0)).toBe(1.5);
    expect(ops.size()).toBe(1);
  });

  it("traps out of bounds as the instructions do, a sum past 4 GiB included, and follows the memory's growth", () => {
    const oob = /out of bounds/;
    expect(() => ops.i32_load(65533, 0)).toThrow(oob);
    expect(() => ops.i32_load(0xfffffffc | 0, 8)).toThrow(oob); // wraps to 4 without the check
    expect(() => ops.i32_store(65536, 1, 0)).toThrow(oob);
    memory.grow(1);
    expect(ops.size()).toBe(2);
    ops.i32_store(65536, 7, 0);
    expect(ops.i32_load(65536, 0)).toBe(7);
  });

  it("is handed to OCaml by a JS primitive for each op (ocaml_interop.js)", () => {
    for (const op of MEMORY_OPS)
      expect(PRIMITIVES).toContain(
        `//Provides: oiw_m_${op.name}\n//Requires: oiw_memory_ops\nvar oiw_m_${op.name} = oiw_memory_ops.${op.name};`,
      );
    expect(PRIMITIVES.match(/\/\/Provides: oiw_m_/g)).toHaveLength(MEMORY_OPS.length);
  });
});
