// OCaml's Bigarray kinds that cross the boundary: their typed arrays and element ranges, from
// the protocol's table.
import { BIGARRAY_KINDS } from "../protocol.ts";

export type TypedArrayCtor = {
  new (buffer: ArrayBufferLike, offset: number, length: number): ArrayBufferView & ArrayLike<number> & { slice(): unknown };
  name: string;
  BYTES_PER_ELEMENT: number;
};
/** Bigarray element kinds (OCaml's Bigarray.kind numbers), their typed arrays and element ranges. */
export interface BigarrayKind {
  kind: number;
  C: TypedArrayCtor;
  name: string;
  lo: number;
  hi: number;
  big: boolean;
  float: boolean;
}
export const bigarrayKind = (kind: number, C: unknown, lo: number, hi: number, big = false, float = false): BigarrayKind => ({
  kind,
  C: C as TypedArrayCtor,
  name: (C as { name: string }).name,
  lo,
  hi,
  big,
  float,
});
/** The typed arrays of the protocol's bigarray kinds, by name. */
export const TYPED_ARRAYS: Record<string, unknown> = {
  Float32Array,
  Float64Array,
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  BigInt64Array,
};
/** Each bigarray kind's typed array, by kind id (char bigarrays are bytes). */
export const BIGARRAY_TYPED_ARRAYS: Record<number, TypedArrayCtor> = Object.fromEntries(
  BIGARRAY_KINDS.map((k) => [k.id, TYPED_ARRAYS[k.typedArray] as TypedArrayCtor]),
);
/** The bigarray kinds TS converts, by name (protocol.json's table; char bigarrays are bytes). */
export const BIGARRAYS: Record<string, BigarrayKind> = Object.assign(
  Object.create(null),
  Object.fromEntries(
    BIGARRAY_KINDS.filter((k) => k.name !== "char").map((k) => {
      const float = k.ocamlElt === "float",
        big = k.typedArray === "BigInt64Array",
        bits = 8 * k.bytes;
      const [lo, hi] = float
        ? [-Infinity, Infinity]
        : big
          ? [0, 0]
          : k.typedArray.startsWith("Uint")
            ? [0, 2 ** bits - 1]
            : [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
      return [k.name, bigarrayKind(k.id, TYPED_ARRAYS[k.typedArray], lo, hi, big, float)];
    }),
  ),
);
