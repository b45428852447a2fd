// ocaml-interop for the web: the TypeScript host.
//
//   import { loadInterop, T } from "ocaml-interop-web";
//   import demo from "virtual:ocaml-interop/demo";        // provided by the Vite plugin
//   const app = await loadInterop(demo);
//   app.rust.rust_twice(21);                                // 42, typed from the Rust signature
//   const shout = app.ocaml.fn("ocaml_shout", [T.string], T.string);
//   shout("hi");                                            // "HI!"
//   app.dispose();                                          // unloads it
import type { App, TypeDesc } from "./app.ts";
import type { DescribedType } from "./type-desc.ts";
import { Bridge, type LoadOptions } from "./bridge.ts";
import { DISPOSE } from "./values.ts";
// types only: the shim and wasi.ts are loaded by a WASI app alone
import type { WasiFiles } from "./wasi.ts";

export { Bridge, type LoadOptions } from "./bridge.ts";
export { BoundaryError, InteropError, JavaScriptError, OCamlException, RustPanic } from "./errors.ts";
export { UnsupportedEngineError, checkEngine, engineFeatures, engineName, type EngineFeatures } from "./engine.ts";
export type { App, ArgSpec, ExportSpec, RetSpec, TypeDesc } from "./app.ts";
export { DISPOSE } from "./values.ts";
export type { OutputSink, OutputStream } from "./output.ts";
export type { WasiFiles, WasiOptions } from "./wasi.ts";

/** OCaml types for calling OCaml functions from TypeScript. */
export const T = Object.freeze({
  unit: "unit",
  int: "int",
  bool: "bool",
  float: "float",
  string: "string",
  bytes: "bytes",
  char: "char",
  int32: "int32",
  int64: "int64",
  nativeint: "nativeint",
  floatarray: "floatarray",
  option: <A extends TypeDesc>(a: A) => ({ option: a }) as { option: A },
  list: <A extends TypeDesc>(a: A) => ({ list: a }) as { list: A },
  array: <A extends TypeDesc>(a: A) => ({ array: a }) as { array: A },
  tuple: <const A extends readonly TypeDesc[]>(...a: A) => ({ tuple: [...a] }) as unknown as { tuple: A },
  result: <A extends TypeDesc, E extends TypeDesc>(a: A, e: E) => ({ result: [a, e] }) as unknown as { result: [A, E] },
  /** A closure `a -> b -> ... -> r` (Rust's `fn(A, B) -> R`): at least one argument (T.unit for none). */
  closure: <const A extends readonly [TypeDesc, ...TypeDesc[]], R extends TypeDesc>(args: A, ret: R) =>
    ({ fn: [...args, ret] }) as unknown as { fn: [...A, R] },
  /** A Rust value owned across the boundary (`DynBox<T>`), named by its Rust type as
   *  `std::any::type_name` gives it ("my_crate::Counter"); passing a handle of another type is
   *  refused. `T.dynbox()` accepts a handle of any type. */
  dynbox: <N extends string = string>(rustType?: N) => ({ dynbox: rustType ?? "" }) as { dynbox: N },
  /** A value that settles later (Rust's `OCamlPromise<T>`, OCaml's `'a Ocaml_interop_web.Promise.t`):
   *  TS receives a Promise, and gives any Promise or thenable. */
  promise: <A extends TypeDesc>(a: A) => ({ promise: a }) as { promise: A },
} as const);

/** What can be released early (a closure TS received, a DynBox): otherwise a
 *  FinalizationRegistry releases it when it is dropped. Using it after release() throws. */
export interface Releasable {
  /** Gives the value back now (the Rust value is dropped, the OCaml closure can be collected). */
  release(): void;
  [Symbol.dispose](): void;
}

declare const dynboxType: unique symbol;
/** A Rust value (`DynBox<T>`) TypeScript holds: an opaque frozen handle, typed by the Rust type's
 *  name, that goes back to the functions of the app it came from. */
export interface DynBox<N extends string = string> extends Releasable {
  readonly [dynboxType]?: N;
}

/** An OCaml or Rust closure TypeScript received: a callable function, releasable. */
export type Closure<F extends (...args: never[]) => unknown> = F & Releasable;

/** Whether an OCaml type's JS value can be null or undefined (an option, unit): an option of
 *  such a type wraps Some x as `{ some: x }`, so that `Some None` is not `None`. */
type Nullable<D> = D extends "unit" ? true : D extends { option: unknown } ? true : false;

/** The JS type of an OCaml type descriptor: what TypeScript receives. */
export type JsOf<D> = Js<D, "out">;
/** What TypeScript may pass for an OCaml type descriptor (the same as JsOf, except that a
 *  closure is any function of the right type: one it received too). */
export type JsIn<D> = Js<D, "in">;

type Flip<P> = P extends "out" ? "in" : "out";
/** A closure's JS type: its arguments go the other way. */
type JsFn<A extends readonly unknown[], R, P> = (...args: JsTuple<A, Flip<P>>) => Js<R, P>;
type JsTuple<A extends readonly unknown[], P> = { [K in keyof A]: Js<A[K], P> };

// a description typed only as "any described type" (an app's export descriptions read at run
// time) gives unknown, rather than every shape at once
type Js<D, P> = [DescribedType] extends [D]
  ? unknown
  : D extends "unit"
    ? undefined
    : D extends "int" | "float" | "int32" | "nativeint"
      ? number
      : D extends "int64"
        ? bigint
        : D extends "bool"
          ? boolean
          : D extends "string" | "char"
            ? string
            : D extends "bytes"
              ? Uint8Array
              : D extends "floatarray"
                ? Float64Array
                : D extends { option: infer A }
                  ? (Nullable<A> extends true ? { some: Js<A, P> } : Js<A, P>) | null
                  : D extends { list: infer A }
                    ? Js<A, P>[]
                    : D extends { array: "float" }
                      ? Float64Array
                      : D extends { array: infer A }
                        ? Js<A, P>[]
                        : D extends { tuple: infer A }
                          ? { [K in keyof A]: Js<A[K], P> }
                          : D extends { result: [infer A, infer E] }
                            ? { ok: Js<A, P> } | { error: Js<E, P> }
                            : D extends { fn: [...infer A extends readonly unknown[], infer R] }
                              ? P extends "out"
                                ? Closure<JsFn<A, R, P>>
                                : JsFn<A, R, P>
                              : D extends { dynbox: infer N extends string }
                                ? DynBox<N>
                                : D extends { promise: infer A }
                                  ? P extends "out"
                                    ? Promise<Js<A, P>>
                                    : PromiseLike<Js<A, P>>
                                  : unknown;

type JsArgs<A extends readonly TypeDesc[]> = { [K in keyof A]: JsIn<A[K]> };

/** A loaded app. */
export interface Interop<R, W = Record<string, never>> {
  /** The Rust crate's #[ocaml_interop::export] functions, typed from their Rust signatures. */
  readonly rust: R;
  readonly ocaml: {
    /** A typed function calling an OCaml function registered with Callback.register. */
    fn<const A extends readonly TypeDesc[], const Ret extends TypeDesc>(name: string, args: A, ret: Ret): (...args: JsArgs<A>) => JsOf<Ret>;
  };
  /** The crate's own #[wasm_bindgen] exports, of the current Rust instance. */
  readonly wasmBindgen: W;
  /** A WASI app's in-memory directory (LoadOptions.wasi.files), which its Rust side sees at "/"
   *  with std::fs: read what it wrote, give it more. It stays readable after dispose(). In an
   *  app that is not a WASI app, every use throws, saying how to make it one. */
  readonly files: WasiFiles;
  /** The bridge (memory, counters for tests and benchmarks). */
  readonly bridge: Bridge;
  /** Unloads the app; later calls throw a BoundaryError. */
  dispose(): void;
  [Symbol.dispose](): void;
}

type RustOf<A> = A extends App<infer R, unknown> ? R : never;
type WasmBindgenOf<A> = A extends App<unknown, infer W> ? W : never;

/** Loads an app (its Rust module and its OCaml program) and wires them. */
export async function loadInterop<A extends App<unknown, unknown>>(
  app: A,
  opts?: LoadOptions,
): Promise<Interop<RustOf<A>, WasmBindgenOf<A>>> {
  const bridge = await Bridge.load(app as unknown as App, opts);
  const rust: Record<string, (...a: unknown[]) => unknown> = Object.create(null);
  for (const e of app.exports) rust[e.name] = (...args: unknown[]) => bridge.callRust(e, args);
  Object.freeze(rust);
  // the current instance's #[wasm_bindgen] exports; functions go through the bridge (a Rust
  // frame each, errors as RustPanic), classes are handed out as they are
  const wrappers = new Map<string, { f: unknown; w: unknown }>();
  const current = (k: string): unknown => {
    if (bridge.disposed) throw new Error(`ocaml-interop: the app ${app.name} was disposed`);
    const f = bridge.glue[k];
    if (typeof f !== "function" || /^class\b/.test(Function.prototype.toString.call(f))) return f;
    const known = wrappers.get(k);
    if (known?.f === f) return known.w;
    const w = (...args: unknown[]) => bridge.callWasmBindgen(k, bridge.glue[k] as (...a: unknown[]) => unknown, args);
    wrappers.set(k, { f, w });
    return w;
  };
  const has = (k: string | symbol): k is string => typeof k === "string" && app.wasmBindgenExports.includes(k);
  const wasmBindgen = new Proxy(Object.freeze(Object.create(null)) as object, {
    get: (_, k) => (has(k) ? current(k) : undefined),
    has: (_, k) => has(k),
    ownKeys: () => [...app.wasmBindgenExports],
    getOwnPropertyDescriptor: (_, k) => (has(k) ? { configurable: true, enumerable: true, value: current(k) } : undefined),
  });
  const dispose = () => bridge.dispose();
  return Object.freeze({
    [DISPOSE]: dispose,
    rust: rust as RustOf<A>,
    ocaml: Object.freeze({
      fn: (name: string, args: readonly TypeDesc[], ret: TypeDesc) => {
        const types = [...args];
        return (...values: unknown[]) => bridge.callOCaml(name, types, ret, values);
      },
    }) as Interop<RustOf<A>, WasmBindgenOf<A>>["ocaml"],
    wasmBindgen: wasmBindgen as WasmBindgenOf<A>,
    files: bridge.wasiHost?.files ?? noFiles(app.name),
    bridge,
    dispose,
  }) as unknown as Interop<RustOf<A>, WasmBindgenOf<A>>;
}

/** `Interop.files` of an app that is not a WASI app: each use says how to make it one. */
function noFiles(app: string): WasiFiles {
  const fail = (): never => {
    throw new Error(
      `ocaml-interop: the app ${app} is not a WASI app, so it has no files: build its Rust crate with rustTarget: "wasm32-wasip1" in the ocamlInterop() options`,
    );
  };
  return Object.freeze({ read: fail, readText: fail, write: fail, exists: fail, list: fail, remove: fail });
}
