// ocaml-interop for the web: the TypeScript host.
//
//   import { loadInterop, T } from "./host";
//   import { demoApp, type DemoRustExports } from "./generated/demo";
//   const app = await loadInterop<DemoRustExports>(demoApp);
//   app.rust.rust_twice(21);                                   // 42, typed
//   const shout = app.ocaml.fn("ocaml_shout", [T.string], T.string);
//   shout("hi");                                               // "HI!"
import { Bridge, type LoadOptions } from "./bridge.ts";
import type { AppSpec, TypeDesc } from "./spec.ts";

export { Bridge } from "./bridge.ts";
export { BoundaryError, InteropError, JavaScriptError, OCamlException, RustPanic } from "./errors.ts";
export type { AppSpec, ExportSpec, TypeDesc } from "./spec.ts";

/** OCaml types for calling OCaml functions from TypeScript. */
export const T = {
  unit: "unit", int: "int", bool: "bool", float: "float", string: "string", bytes: "bytes", char: "char",
  int32: "int32", int64: "int64", nativeint: "nativeint", floatarray: "floatarray",
  option: <A extends TypeDesc>(a: A) => ({ option: a }) as { option: A },
  list: <A extends TypeDesc>(a: A) => ({ list: a }) as { list: A },
  array: <A extends TypeDesc>(a: A) => ({ array: a }) as { array: A },
  tuple: <const A extends readonly TypeDesc[]>(...a: A) => ({ tuple: [...a] }) as unknown as { tuple: A },
  result: <A extends TypeDesc, E extends TypeDesc>(a: A, e: E) => ({ result: [a, e] }) as unknown as { result: [A, E] },
} as const;

/** The JS type of an OCaml type descriptor. */
export type JsOf<D> =
  D extends "unit" ? undefined :
  D extends "int" | "float" | "int32" | "nativeint" ? number :
  D extends "int64" ? bigint :
  D extends "bool" ? boolean :
  D extends "string" | "char" ? string :
  D extends "bytes" ? Uint8Array :
  D extends "floatarray" ? Float64Array :
  D extends { option: infer A } ? JsOf<A> | null :
  D extends { list: infer A } ? JsOf<A>[] :
  D extends { array: "float" } ? Float64Array :
  D extends { array: infer A } ? JsOf<A>[] :
  D extends { tuple: infer A } ? { [K in keyof A]: JsOf<A[K]> } :
  D extends { result: [infer A, infer E] } ? { ok: JsOf<A> } | { error: JsOf<E> } :
  unknown;

type JsArgs<A extends readonly TypeDesc[]> = { [K in keyof A]: JsOf<A[K]> };

export interface Interop<R> {
  /** The Rust exports, typed from the Rust signatures by the build. */
  rust: R;
  ocaml: {
    /** A typed function calling an OCaml function registered with Callback.register. */
    fn<const A extends readonly TypeDesc[], const Ret extends TypeDesc>(
      name: string, args: A, ret: Ret): (...args: JsArgs<A>) => JsOf<Ret>;
  };
  bridge: Bridge;
}

export async function loadInterop<R>(spec: AppSpec, opts?: LoadOptions): Promise<Interop<R>> {
  const bridge = await Bridge.load(spec, opts);
  const rust: Record<string, (...a: unknown[]) => unknown> = {};
  for (const e of spec.exports) rust[e.name] = (...args: unknown[]) => bridge.callRust(e, args);
  return {
    rust: rust as R,
    ocaml: {
      fn: (name, args, ret) => (...values) => bridge.callOCaml(name, [...args], ret, values as unknown[]) as never,
    },
    bridge,
  };
}
