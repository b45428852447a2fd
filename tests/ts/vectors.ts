// Loads the shared wire-format vectors (wire-format/vectors/v1.json) for the TS tests, and says
// which of them TS must check (a vector's `sides`) and how (the untyped view, the typed codec).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RawValue } from "../../src/host/wire.ts";

export interface JsonRaw {
  int?: number;
  string?: string;
  float?: number;
  floats?: number[];
  block?: number;
  fields?: JsonRaw[];
  int32?: string;
  int64?: string;
  nativeint?: string;
  bigarray?: string;
  data?: string;
  flags?: number;
  dynbox?: [number, number, number];
  closure?: "ocaml" | "rust";
  handle?: number;
  id?: number;
  arity?: number;
  generation?: [number, number];
}
export type Side = "ocaml" | "rust" | "ts";
export interface Vector {
  name: string;
  type?: unknown;
  value?: JsonRaw;
  rejected?: boolean;
  sides?: { encode: Side[]; decode: Side[] };
  root: number;
  bytes: string;
  relocs: number[];
}
export interface VectorFile {
  version: number;
  base: number;
  vectors: Vector[];
}

export const vectorFile: VectorFile = JSON.parse(readFileSync(join(import.meta.dirname, "../../wire-format/vectors/v1.json"), "utf8"));

/** Whether implementation `side` encodes / decodes the vector (no `sides`: every one, both ways). */
export const encodes = (v: Vector, side: Side) => !v.rejected && (!v.sides || v.sides.encode.includes(side));
export const decodes = (v: Vector, side: Side) => !v.sides || v.sides.decode.includes(side);

export function hexBytes(hex: string): Uint8Array {
  const h = hex.replace(/\s+/g, "");
  return Uint8Array.from({ length: h.length / 2 }, (_, i) => parseInt(h.slice(2 * i, 2 * i + 2), 16));
}

/** Whether the untyped view (RawValue) has the value's kinds: it has no bigarrays nor DynBox
 *  (those TS carries only typed); a closure is its block of immediates. */
export function rawCarries(v: JsonRaw): boolean {
  if (v.bigarray !== undefined || v.dynbox !== undefined) return false;
  return (v.fields ?? []).every(rawCarries);
}

export function toRaw(v: JsonRaw): RawValue {
  if (v.int !== undefined) return { int: v.int };
  if (v.string !== undefined) return { string: hexBytes(v.string) };
  if (v.float !== undefined) return { float: v.float };
  if (v.floats !== undefined) return { floats: v.floats };
  for (const k of ["int32", "int64", "nativeint"] as const) if (v[k] !== undefined) return { boxed: k, value: BigInt(v[k]!) };
  if (v.closure !== undefined) {
    const [lo, hi] = v.generation!;
    const words = v.closure === "ocaml" ? [v.handle!, 0, lo, hi] : [v.id!, 1, lo, v.arity!, hi];
    return { block: 247, fields: words.map((int) => ({ int })) };
  }
  if (v.block === undefined) throw new Error(`the untyped view has no ${JSON.stringify(v)}`);
  return { block: v.block, fields: v.fields!.map(toRaw) };
}

/** The vector's bytes and root as they must be when the arena starts at `start`. */
export function relocated(v: Vector, base: number, start: number): { bytes: Uint8Array; root: number } {
  const bytes = hexBytes(v.bytes);
  const dv = new DataView(bytes.buffer);
  for (const off of v.relocs) dv.setUint32(off, dv.getUint32(off, true) + start - base, true);
  const root = v.root & 1 ? v.root : v.root + start - base;
  return { bytes, root: root >>> 0 };
}
