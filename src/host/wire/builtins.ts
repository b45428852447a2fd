// The built-ins the codec relies on, captured when this module loads (a script that replaces
// them later changes nothing here), and the codec's own prototype-free arrays: the page is not
// trusted (see wire.ts).

export const { hasOwn, defineProperty, getOwnPropertyDescriptor, getPrototypeOf, setPrototypeOf, create } = Object;
export const ArrayPrototype = Array.prototype;
export const { isArray } = Array;
export const { isInteger, isSafeInteger } = Number;
export const StringOf = String;
export const BigIntOf = BigInt;
export const fromCharCode = String.fromCharCode;
export const stringify = JSON.stringify;
export const uncurry = Function.prototype.bind.bind(Function.prototype.call) as <A extends unknown[], R>(
  f: (...a: A) => R,
) => (self: unknown, ...a: A) => R;
export const getterOf = (o: object, k: PropertyKey) => uncurry(getOwnPropertyDescriptor(o, k)!.get! as () => unknown);
export const TypedArrayPrototype = getPrototypeOf(Uint8Array.prototype) as object;
/** The typed array's class name from its internal slot ("Float64Array"), or undefined. */
export const typedArrayName = getterOf(TypedArrayPrototype, Symbol.toStringTag) as (v: unknown) => string | undefined;
export const typedArrayLength = getterOf(TypedArrayPrototype, "length") as (v: unknown) => number;
export const typedArrayBuffer = getterOf(TypedArrayPrototype, "buffer") as (v: unknown) => ArrayBufferLike;
export const typedArrayByteOffset = getterOf(TypedArrayPrototype, "byteOffset") as (v: unknown) => number;
export const typedArrayByteLength = getterOf(TypedArrayPrototype, "byteLength") as (v: unknown) => number;
export const detachedGetter = getOwnPropertyDescriptor(ArrayBuffer.prototype, "detached")?.get;
export const bufferDetached = detachedGetter ? uncurry(detachedGetter as () => boolean) : undefined;
export const isWellFormedMethod = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;
export const stringIsWellFormed = isWellFormedMethod ? (uncurry(isWellFormedMethod) as (s: string) => boolean) : undefined;
export const Uint8ArrayOf = Uint8Array;
export const Uint32ArrayOf = Uint32Array,
  Float64ArrayOf = Float64Array,
  BigInt64ArrayOf = BigInt64Array,
  DataViewOf = DataView;
export const typedArraySet = uncurry((TypedArrayPrototype as { set(a: ArrayLike<number>, offset: number): void }).set);
export const typedArraySlice = uncurry((TypedArrayPrototype as { slice(a: number, b: number): unknown }).slice) as <T>(
  ta: T,
  a: number,
  b: number,
) => T;
export const typedArraySubarray = uncurry((TypedArrayPrototype as { subarray(a: number, b: number): unknown }).subarray) as <T>(
  ta: T,
  a: number,
  b: number,
) => T;
export const mapGet = uncurry(Map.prototype.get) as <V>(m: Map<string, V>, k: string) => V | undefined;
export const mapSet = uncurry(Map.prototype.set) as <V>(m: Map<string, V>, k: string, v: V) => void;
export const weakGet = uncurry(WeakMap.prototype.get) as <V>(m: WeakMap<object, V>, k: object) => V | undefined;
export const weakSet = uncurry(WeakMap.prototype.set) as <V>(m: WeakMap<object, V>, k: object, v: V) => void;
export const charCodeAt = uncurry(String.prototype.charCodeAt) as (s: string, i: number) => number;
export const stringSlice = uncurry(String.prototype.slice) as (s: string, a: number, b?: number) => string;

/** An array of the codec's own, without a prototype: an index on Array.prototype or
 *  Object.prototype (a value, a getter, a setter) can neither take a write nor fill a read. */
export function list<T>(): T[] {
  return setPrototypeOf([], null) as T[];
}

export function push<T>(a: T[], x: T) {
  a[a.length] = x;
}

/** A new array of the first `n` elements of `s` (one of the codec's own), made so that no setter
 *  an index of Array.prototype or Object.prototype may have sees an element: a literal (which
 *  defines its elements) when short, else filled while it has no prototype. `s` is emptied. */
export function arrayOf(s: unknown[], n: number): unknown[] {
  let a: unknown[];
  switch (n) {
    case 0:
      a = [];
      break;
    case 1:
      a = [s[0]];
      break;
    case 2:
      a = [s[0], s[1]];
      break;
    case 3:
      a = [s[0], s[1], s[2]];
      break;
    case 4:
      a = [s[0], s[1], s[2], s[3]];
      break;
    default:
      a = setPrototypeOf([], null) as unknown[];
      for (let i = 0; i < n; i++) a[i] = s[i];
      setPrototypeOf(a, ArrayPrototype);
  }
  s.length = 0;
  return a;
}

/** The strings of `xs` joined with ", " (no Array.prototype method). */
export function joined(xs: string[]): string {
  let s = "";
  for (let i = 0; i < xs.length; i++) s += (i ? ", " : "") + xs[i];
  return s;
}
export const typedArrayAt = uncurry((TypedArrayPrototype as { at(i: number): unknown }).at);

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1)
  throw new Error("ocaml-interop: this engine is big-endian; the wire format (and WebAssembly memory) is little-endian");

/** Strings up to this many code units (or bytes) are converted by hand when they are ASCII. */
export const SHORT_STRING = 64;
/** A property that is not there (reads return it instead of undefined). */
export const MISSING: unique symbol = Symbol("missing");
/** A null-prototype descriptor for defineProperty (an inherited `get` must not count). */
export const dataDescriptor = (value: unknown): PropertyDescriptor =>
  ({ __proto__: null, value, writable: true, enumerable: true, configurable: true }) as PropertyDescriptor;
