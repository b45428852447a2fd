// The built-ins the bridge uses on its own memory, instances and errors, captured when this
// module is evaluated: a page script that replaces or wraps them later (TextEncoder/TextDecoder
// methods, the WebAssembly.Memory#buffer getter, WebAssembly.Global#value, DataView and typed
// array methods, FinalizationRegistry#register, WebAssembly.RuntimeError, WebAssembly.Instance)
// neither changes what crosses nor is handed the bridge's memory, globals or instances. (A
// same-realm library cannot tell a built-in patched before it loaded from the original: that is
// out of reach.) The codec's own captures for reading the page's values are in wire.ts.

const { getOwnPropertyDescriptor, getOwnPropertyNames, getPrototypeOf, freeze, create, defineProperty } = Object;
const uncurry = Function.prototype.bind.bind(Function.prototype.call) as <A extends unknown[], R>(
  f: (...a: A) => R,
) => (self: unknown, ...a: A) => R;
const getter = <R>(o: object, k: PropertyKey) => uncurry(getOwnPropertyDescriptor(o, k)!.get! as () => R);
const setter = <V>(o: object, k: PropertyKey) => uncurry(getOwnPropertyDescriptor(o, k)!.set! as (v: V) => void);
const hasInstance = uncurry(Function.prototype[Symbol.hasInstance] as (v: unknown) => boolean) as (C: unknown, v: unknown) => boolean;

/** Reflect.apply, and arrays of the bridge's own (no prototype while filled: an index setter on
 *  Array.prototype sees nothing). */
export const apply = Reflect.apply;
export function ownArray<T>(n: number, f: (i: number) => T): T[] {
  const a = Object.setPrototypeOf([], null) as T[];
  for (let i = 0; i < n; i++) a[i] = f(i);
  return a;
}
export const mapGet = uncurry(Map.prototype.get) as <K, V>(m: Map<K, V>, k: K) => V | undefined;
export const mapSet = uncurry(Map.prototype.set) as <K, V>(m: Map<K, V>, k: K, v: V) => void;

// ---- WebAssembly ---------------------------------------------------------------------------------
const W = WebAssembly as unknown as Record<string, unknown>;
/** A frozen copy of the WebAssembly namespace as it was at load (what wasm-bindgen's glue uses to
 *  re-create an instance: src/build/wasm-bindgen.ts passes it to each copy of the glue). */
export const WebAssemblyAtLoad: typeof WebAssembly = (() => {
  const copy = create(null) as Record<string, unknown>;
  for (const k of getOwnPropertyNames(W)) defineProperty(copy, k, { value: W[k], enumerable: true });
  return freeze(copy) as unknown as typeof WebAssembly;
})();
const RuntimeErrorAtLoad = WebAssembly.RuntimeError;
const ExceptionAtLoad = W.Exception;
/** `e instanceof WebAssembly.RuntimeError`, with the class and the check as they were at load. */
export const isRuntimeError = (e: unknown): e is WebAssembly.RuntimeError => hasInstance(RuntimeErrorAtLoad, e);
/** `e instanceof WebAssembly.Exception` (a Rust panic that left Rust uncaught). */
export const isWasmException = (e: unknown): boolean => typeof ExceptionAtLoad === "function" && hasInstance(ExceptionAtLoad, e);
export const newRuntimeError = (message: string) => new RuntimeErrorAtLoad(message);
export const isErrorOf = (C: unknown, e: unknown): boolean => hasInstance(C, e);

/** WebAssembly.Table#set, as it was at load. */
export const tableSet = uncurry(WebAssembly.Table.prototype.set) as (t: WebAssembly.Table, i: number, f: unknown) => void;
/** WebAssembly.Table#get, as it was at load. */
export const tableGet = uncurry(WebAssembly.Table.prototype.get) as (t: WebAssembly.Table, i: number) => unknown;

/** The memory's current buffer (WebAssembly.Memory#buffer). */
export const memoryBuffer = getter<ArrayBuffer>(WebAssembly.Memory.prototype, "buffer") as (m: WebAssembly.Memory) => ArrayBuffer;
const toResizable = (WebAssembly.Memory.prototype as { toResizableBuffer?: () => ArrayBuffer }).toResizableBuffer;
/** WebAssembly.Memory#toResizableBuffer, if the engine has it. */
export const memoryToResizable = toResizable ? (uncurry(toResizable) as (m: WebAssembly.Memory) => ArrayBuffer) : undefined;
/** Sets a WebAssembly.Global (its value setter). */
export const setGlobal = setter<number>(WebAssembly.Global.prototype, "value") as (g: WebAssembly.Global, v: number) => void;

// ---- typed arrays ----------------------------------------------------------------------------------
export const Uint8ArrayAtLoad = Uint8Array;
export const Uint32ArrayAtLoad = Uint32Array;
const TypedArrayPrototype = getPrototypeOf(Uint8Array.prototype) as object;
export const typedArraySet = uncurry((TypedArrayPrototype as { set(a: ArrayLike<number>, offset?: number): void }).set) as (
  ta: ArrayBufferView,
  src: ArrayLike<number> | ArrayBufferView,
  offset?: number,
) => void;
export const typedArrayFill = uncurry((TypedArrayPrototype as { fill(v: number): unknown }).fill) as (
  ta: ArrayBufferView,
  v: number,
) => void;
export const typedArraySlice = uncurry((TypedArrayPrototype as { slice(): unknown }).slice) as <T>(ta: T) => T;
export const typedArrayBuffer = getter<ArrayBufferLike>(TypedArrayPrototype, "buffer") as (ta: ArrayBufferView) => ArrayBufferLike;
export const typedArrayByteOffset = getter<number>(TypedArrayPrototype, "byteOffset") as (ta: ArrayBufferView) => number;
export const typedArrayByteLength = getter<number>(TypedArrayPrototype, "byteLength") as (ta: ArrayBufferView) => number;
const resizableGetter = getOwnPropertyDescriptor(ArrayBuffer.prototype, "resizable")?.get;
/** Whether a buffer is resizable (then TextEncoder/TextDecoder refuse views of it). */
export const bufferResizable = resizableGetter
  ? (uncurry(resizableGetter as () => boolean) as (b: ArrayBufferLike) => boolean)
  : () => false;

// ---- UTF-8 -------------------------------------------------------------------------------------------
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const encodeMethod = uncurry(TextEncoder.prototype.encode) as (e: TextEncoder, s: string) => Uint8Array;
const encodeIntoMethod = uncurry(TextEncoder.prototype.encodeInto) as (
  e: TextEncoder,
  s: string,
  d: Uint8Array,
) => TextEncoderEncodeIntoResult;
const decodeMethod = uncurry(TextDecoder.prototype.decode) as (d: TextDecoder, b: AllowSharedBufferSource) => string;

/** The UTF-8 bytes of a (well-formed) string. */
export const utf8 = (s: string): Uint8Array => encodeMethod(encoder, s);

/** TextEncoder#encodeInto, also into a view of a resizable buffer (through a copy). */
export function utf8Into(s: string, dest: Uint8Array): TextEncoderEncodeIntoResult {
  if (!bufferResizable(typedArrayBuffer(dest))) return encodeIntoMethod(encoder, s, dest);
  const tmp = new Uint8ArrayAtLoad(typedArrayByteLength(dest));
  const r = encodeIntoMethod(encoder, s, tmp);
  typedArraySet(dest, new Uint8ArrayAtLoad(typedArrayBuffer(tmp), 0, r.written));
  return r;
}

/** A string from UTF-8 bytes (invalid sequences become U+FFFD), also from a view of a resizable
 *  buffer (through a copy). */
export function fromUtf8(bytes: Uint8Array): string {
  return decodeMethod(decoder, bufferResizable(typedArrayBuffer(bytes)) ? typedArraySlice(bytes) : bytes);
}
/** The same with a decoder of the caller's (its options). */
export function fromUtf8With(d: TextDecoder, bytes: Uint8Array): string {
  return decodeMethod(d, bufferResizable(typedArrayBuffer(bytes)) ? typedArraySlice(bytes) : bytes);
}

/** queueMicrotask as it was at load (the bridge's deferred work: rust-values.ts). */
export const queueMicrotaskAtLoad: (f: () => void) => void = queueMicrotask;

// ---- finalization --------------------------------------------------------------------------------------
export const FinalizationRegistryAtLoad = FinalizationRegistry;
export const registryRegister = uncurry(FinalizationRegistry.prototype.register) as <T>(
  r: FinalizationRegistry<T>,
  target: WeakKey,
  held: T,
  token?: WeakKey,
) => void;
export const registryUnregister = uncurry(FinalizationRegistry.prototype.unregister) as <T>(
  r: FinalizationRegistry<T>,
  token: WeakKey,
) => boolean;

// the console the bridge prints with (a page script replacing console.log later changes nothing)
const consoleNow = console;
export const consoleAtLoad = Object.freeze({
  log: consoleNow.log.bind(consoleNow) as (...a: unknown[]) => void,
  error: consoleNow.error.bind(consoleNow) as (...a: unknown[]) => void,
});

// promises across the bridge (promises.ts): a page script replacing Promise.prototype.then later
// changes nothing
export const PromiseAtLoad = Promise;
export const promiseResolve = Promise.resolve.bind(Promise) as (v: unknown) => Promise<unknown>;
export const promiseThen = uncurry(Promise.prototype.then) as (
  p: Promise<unknown>,
  ok: (v: unknown) => unknown,
  err: (e: unknown) => unknown,
) => Promise<unknown>;
