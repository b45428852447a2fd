// Reads what the build needs from a compiled Rust module: the limits of its imported memory
// (not exposed by the JS API) and the signatures its #[export] functions describe.

export interface MemoryLimits {
  initial: number;
  maximum?: number;
}

function readLeb(bytes: Uint8Array, pos: number): [number, number] {
  let result = 0,
    shift = 0,
    b: number;
  do {
    b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [result, pos];
}

/** Limits of the memory the module imports, or undefined if it defines its own. */
export function importedMemoryLimits(bytes: Uint8Array): MemoryLimits | undefined {
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d)
    throw new Error("not a WebAssembly module (bad magic)");
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos++];
    let size: number;
    [size, pos] = readLeb(bytes, pos);
    const end = pos + size;
    if (id === 2) {
      let count: number;
      [count, pos] = readLeb(bytes, pos);
      for (let i = 0; i < count; i++) {
        for (let s = 0; s < 2; s++) {
          let len: number;
          [len, pos] = readLeb(bytes, pos);
          pos += len;
        }
        const kind = bytes[pos++];
        if (kind === 0) {
          [, pos] = readLeb(bytes, pos);
        } // func: type index
        else if (kind === 1) {
          pos++;
          const f = bytes[pos++];
          [, pos] = readLeb(bytes, pos);
          if (f & 1) [, pos] = readLeb(bytes, pos);
        } // table
        else if (kind === 2) {
          // memory
          const flags = bytes[pos++];
          let initial: number, maximum: number | undefined;
          [initial, pos] = readLeb(bytes, pos);
          if (flags & 1) [maximum, pos] = readLeb(bytes, pos);
          return { initial, maximum };
        } else if (kind === 3) {
          pos += 1;
          pos += 1;
        } // global: valtype, mut
        else if (kind === 4) {
          pos++;
          [, pos] = readLeb(bytes, pos);
        } // tag
        else throw new Error(`unknown import kind ${kind}`);
      }
      return undefined;
    }
    pos = end;
  }
  return undefined;
}

import { parseExportSpec, type ExportSpec } from "../host/type-desc.ts";
export type { ExportSpec } from "../host/type-desc.ts";

/** Runs the module's `oiw_describe_*` functions (with inert imports) and returns the signatures. */
export function describeExports(bytes: Uint8Array): ExportSpec[] {
  const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  const limits = importedMemoryLimits(bytes);
  const memory = new WebAssembly.Memory({ initial: limits?.initial ?? 17, maximum: limits?.maximum });
  const imports: Record<string, Record<string, unknown>> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    imports[imp.module] ??= {};
    if (imp.kind === "memory") imports[imp.module][imp.name] = memory;
    // the runtime's allocator asks where the heap may start (rust/ocaml-interop-web/src/heap.rs)
    else if (imp.kind === "function" && imp.name.includes("reservedHeapStart")) imports[imp.module][imp.name] = () => 0;
    else if (imp.kind === "function")
      imports[imp.module][imp.name] = () => {
        throw new Error(`describe: ${imp.name} called`);
      };
    // a module built with panics that unwind imports wasm-bindgen's exception tags
    else if ((imp.kind as string) === "tag")
      imports[imp.module][imp.name] = new (WebAssembly as unknown as { Tag: new (t: { parameters: string[] }) => unknown }).Tag({
        parameters: ["externref"],
      });
  }
  const instance = new WebAssembly.Instance(module, imports as WebAssembly.Imports);
  const exp = instance.exports as Record<string, unknown>;
  const mem = (exp.memory as WebAssembly.Memory | undefined) ?? memory;
  const specs: ExportSpec[] = [];
  for (const name of Object.keys(exp).sort()) {
    if (!name.startsWith("oiw_describe_")) continue;
    const ptr = (exp[name] as () => number)() >>> 0;
    const view = new DataView(mem.buffer);
    const len = view.getUint32(ptr, true);
    const json = new TextDecoder().decode(new Uint8Array(mem.buffer, ptr + 4, len));
    specs.push(parseExportSpec(json, name));
  }
  return specs;
}
