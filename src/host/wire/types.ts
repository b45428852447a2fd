// The wire format's constants and shapes as TS sees them: the protocol's numbers the codec and
// the bridge use, where values are allocated, what the codec asks its app for the values that
// cross by handle, the untyped view of a value, and the error of a conversion.
import type { TypeDesc } from "../app.ts";
import {
  CUSTOM_DYNBOX,
  CUSTOM_INT32,
  CUSTOM_INT64,
  CUSTOM_NATIVEINT,
  MAX_INT,
  MAX_NESTING,
  MIN_INT,
  TAG_CLOSURE,
  TAG_CUSTOM,
  TAG_DOUBLE,
  TAG_DOUBLE_ARRAY,
  TAG_NO_SCAN,
  TAG_STRING,
} from "../protocol.ts";

// the protocol's constants (wire-format/protocol.json, generated into protocol.ts)
export { ERROR_SENTINEL, WIRE_VERSION } from "../protocol.ts";
export { CUSTOM_DYNBOX, MAX_INT, MIN_INT, TAG_CLOSURE };
/** The nesting limit, the same on every side (docs/wire-format.md, "Depth"): a value nested
 *  deeper than this many levels (or a cyclic one) is refused, in both directions. */
export const MAX_DEPTH = MAX_NESTING;
/** The most the call arena holds (MAX_ARENA_BYTES in rust/ocaml-interop-web/src/arena.rs). */
export const ARENA_MAX_BYTES = 2 ** 30;
export const Tag = {
  NoScan: TAG_NO_SCAN,
  String: TAG_STRING,
  Double: TAG_DOUBLE,
  DoubleArray: TAG_DOUBLE_ARRAY,
  Custom: TAG_CUSTOM,
} as const;
/** Kinds of custom blocks (tag 255, payload [u32 kind][u32 0][i64 value]). */
export const Custom = { int32: CUSTOM_INT32, int64: CUSTOM_INT64, nativeint: CUSTOM_NATIVEINT } as const;
export type BoxedKind = keyof typeof Custom;

/** Where encoded values are allocated (the call arena). Returns an 8-aligned address. */
export interface Allocator {
  alloc(bytes: number): number;
}

/** A closure's type: `{fn: [arg..., result]}` (as the Rust side describes `fn(A, B) -> R`). */
export interface FnType {
  readonly args: readonly TypeDesc[];
  readonly ret: TypeDesc;
}

/** What the codec asks its app for the values that cross by handle (src/host/values.ts): JS
 *  functions, the OCaml and Rust closures TS receives, and Rust values (DynBox). A codec without
 *  one (the shared test vectors) refuses them. Each throws a ConversionError naming `path`. */
export interface HandleHost {
  /** a temporary handle (OCaml's table) to an OCaml function value for the JS function `f` */
  closureHandle(f: Function, t: FnType, path: string): readonly [number, number, number];
  /** a callable JS function for an OCaml closure (handle `h`) */
  ocamlClosure(h: number, lo: number, hi: number, t: FnType, path: string): Function;
  /** a callable JS function for a Rust closure (box `id`, generation `lo`/`hi`, `arity`) */
  rustClosure(id: number, lo: number, hi: number, arity: number, t: FnType, path: string): Function;
  /** the box [id, generation low, generation high] behind a DynBox handle TS holds */
  boxWords(v: unknown, name: string, path: string): readonly [number, number, number];
  /** a DynBox handle for box `id` (generation `lo`/`hi`) of the Rust type `name` */
  boxHandle(id: number, lo: number, hi: number, name: string, path: string): object;
  /** a Promise of what the subscribe function `subscribe` gives (a closure TS received; from
   *  Rust when `fromRust`: the promise is then rejected if the Rust instance is re-created) */
  promiseOf(subscribe: Function, fromRust: boolean, path: string): Promise<unknown>;
  /** the subscribe function (of type `t`) of a Promise or thenable TS gives; throws a
   *  ConversionError for anything else */
  subscriberOf(v: unknown, path: string): Function;
}

/** Untyped view of a wire value. Strings are carried as bytes (they need not be UTF-8). */
export type RawValue =
  | { int: number }
  | { block: number; fields: RawValue[] }
  | { string: Uint8Array }
  | { float: number }
  | { floats: number[] }
  | { boxed: BoxedKind; value: bigint };

export class ConversionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConversionError";
  }
}
