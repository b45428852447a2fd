// What the codec's errors say: a JS value shown exactly, the path of the value being converted
// (`f: argument x[3].shape`), and the ConversionErrors naming it.
import {
  bufferDetached,
  create,
  isArray,
  stringify,
  StringOf,
  stringSlice,
  typedArrayAt,
  typedArrayBuffer,
  typedArrayLength,
  typedArrayName,
} from "./builtins.ts";
import { ConversionError, MAX_DEPTH } from "./types.ts";

/** What a JS value is, exactly, for messages: `the string "5"`, `the number 5`, `a symbol`. Never throws. */
export function show(v: unknown): string {
  switch (typeof v) {
    case "undefined":
      return "undefined";
    case "boolean":
      return `the boolean ${v}`;
    case "number":
      return `the number ${Object.is(v, -0) ? "-0" : StringOf(v)}`;
    case "bigint":
      return `the bigint ${StringOf(v)}n`;
    case "string":
      return v.length > 40 ? `the string ${stringify(stringSlice(v, 0, 40))}... (${v.length} characters)` : `the string ${stringify(v)}`;
    case "symbol":
      return `a symbol (${StringOf(v)})`;
    case "function":
      return "a function";
  }
  if (v === null) return "null";
  try {
    const ta = typedArrayName(v);
    if (ta !== undefined) return `a ${ta} of ${typedArrayLength(v)} elements`;
    if (isArray(v)) {
      const n = (v as unknown[]).length;
      return `an array of ${typeof n === "number" ? n : "?"} element${n === 1 ? "" : "s"}`;
    }
  } catch {
    return "an object that cannot be inspected (a revoked Proxy?)";
  }
  return "an object";
}

/** A thrown value, for messages (an Error's name and message, or what it is). Never throws. */
export function showThrown(e: unknown): string {
  try {
    if (e !== null && typeof e === "object") {
      const name = (e as { name?: unknown }).name,
        message = (e as { message?: unknown }).message;
      if (typeof name === "string" && typeof message === "string") return `${name}: ${message}`;
    }
  } catch {
    /* a hostile error object */
  }
  return show(e);
}

/** The state of one encode or decode: the path prefix and the path keys by depth. */
export interface Cx {
  what: string;
  keys: Record<number, string | number>;
}
export const context = (what: string): Cx => ({ what, keys: create(null) });
/** The keys of a context whose value is a leaf (no path below it is ever recorded). */
export const NO_KEYS: Record<number, string | number> = create(null);

export function pathOf(cx: Cx, d: number, seg = ""): string {
  const ks = cx.keys;
  let s = cx.what;
  const one = (k: string | number) => (typeof k === "number" ? `[${k}]` : k);
  if (d <= 24) for (let i = 0; i < d; i++) s += one(ks[i]);
  else {
    for (let i = 0; i < 12; i++) s += one(ks[i]);
    s += `...(${d - 16} levels)...`;
    for (let i = d - 4; i < d; i++) s += one(ks[i]);
  }
  return s + seg;
}

export function fail(cx: Cx, d: number, msg: string, seg = ""): ConversionError {
  return new ConversionError(`${pathOf(cx, d, seg)}: ${msg}`);
}

/** Anything but a ConversionError thrown while a value was read becomes one, naming the path. */
export function rethrown(e: unknown, cx: Cx, d: number, seg = "", doing = "reading the value threw"): ConversionError {
  if (e instanceof ConversionError) return e;
  return new ConversionError(`${pathOf(cx, d, seg)}: ${doing} ${showThrown(e)}`, { cause: e });
}

export function tooDeep(cx: Cx, d: number): ConversionError {
  return fail(cx, d, `nested deeper than ${MAX_DEPTH} levels (is the value cyclic?)`);
}

/** Why a typed array cannot be read (its buffer detached, or a resizable buffer shrunk below
 *  it), or undefined when it can. %TypedArray%.prototype.at validates the view as every read does. */
export function unreadable(v: unknown): string | undefined {
  try {
    typedArrayAt(v, 0);
    return undefined;
  } catch {
    /* detached or out of bounds */
  }
  let detached = true;
  if (bufferDetached) {
    try {
      detached = bufferDetached(typedArrayBuffer(v));
    } catch {
      detached = false;
    }
  }
  return detached ? "its buffer is detached (it was transferred)" : "it is out of bounds (its resizable buffer shrank below it)";
}

export const wordDesc = (w: number) => (w & 1 ? `the immediate ${w >> 1}` : `the word 0x${w.toString(16)}`);
