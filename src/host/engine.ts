// What the JS engine must have to run an app, what the host (or wasm_of_ocaml's loader) falls
// back from when it lacks it, and engine-independent texts for the faults whose messages
// differ between engines.
//
// Required (checked before anything is fetched; a missing one fails loadInterop() with an
// UnsupportedEngineError naming it and the engine, never an opaque CompileError):
//   - WasmGC (wasm_of_ocaml's values), exception handling (wasm_of_ocaml 6.4 emits the legacy
//     try/catch form), tail calls (return_call);
//   - multi-memory: the OCaml module imports the memory it shares with Rust next to the memory
//     of wasm_of_ocaml's own runtime (WebKitGTK 2.50 / Safari 18 lack it).
// Optional:
//   - WebAssembly.Memory#toResizableBuffer: without it, bigarrays Rust shares are copied
//     (resizable.ts, Bridge.baView);
//   - WebAssembly.JSTag: without it wasm_of_ocaml's loader uses a tag of its own, so JS
//     exceptions are no longer catchable by OCaml handlers (Js_error.Exn): they pass through
//     OCaml to the caller. Errors crossing Rust are caught by the host and keep their classes;
//   - JSPI (WebAssembly.Suspending/promising): only a program built with --effects=jspi uses
//     it, and wasm_of_ocaml's loader goes without when it is absent;
//   - `new Function`/eval: not used (wasm-bindgen's glue and wasm_of_ocaml's loader are
//     rewritten into plain modules at build time), so a CSP without 'unsafe-eval' is fine.

import { isErrorOf } from "./intrinsics.ts";

/** What the engine has, of what the bridge uses. */
export interface EngineFeatures {
  gc: boolean;
  exceptions: boolean;
  tailCalls: boolean;
  multiMemory: boolean;
  resizableBuffers: boolean;
  jsTag: boolean;
  jspi: boolean;
}

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/** type section with one type `() -> ()`, a function of it, and its body */
const withBody = (body: number[]) => [
  0x01,
  0x04,
  0x01,
  0x60,
  0x00,
  0x00,
  0x03,
  0x02,
  0x01,
  0x00,
  0x0a,
  body.length + 3,
  0x01,
  body.length + 1,
  0x00,
  ...body,
];
/** The smallest modules that use each required feature. */
export const FEATURE_PROBES: Readonly<Record<"gc" | "exceptions" | "tailCalls" | "multiMemory", readonly number[]>> = {
  // (module (type (struct (field i32))))
  gc: [...HEADER, 0x01, 0x05, 0x01, 0x5f, 0x01, 0x7f, 0x00],
  // (module (func try catch_all end))
  exceptions: [...HEADER, ...withBody([0x06, 0x40, 0x19, 0x0b, 0x0b])],
  // (module (func return_call 0))
  tailCalls: [...HEADER, ...withBody([0x12, 0x00, 0x0b])],
  // (module (memory 0) (memory 0))
  multiMemory: [...HEADER, 0x05, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00],
};

const REQUIRED: Record<keyof typeof FEATURE_PROBES, { name: string; why: string; since: string }> = {
  gc: {
    name: "WebAssembly GC",
    why: "wasm_of_ocaml compiles OCaml values to GC structs and arrays",
    since: "Chrome 119, Firefox 120, Safari 18.2",
  },
  exceptions: {
    name: "WebAssembly exception handling",
    why: "OCaml exceptions are wasm exceptions",
    since: "Chrome 95, Firefox 100, Safari 15.2",
  },
  tailCalls: { name: "WebAssembly tail calls", why: "wasm_of_ocaml emits return_call", since: "Chrome 112, Firefox 121, Safari 18.2" },
  multiMemory: {
    name: "WebAssembly multi-memory",
    why: "the OCaml module imports the memory it shares with Rust next to its runtime's own memory",
    since: "Chrome 120, Firefox 125, Safari 27.3; WebKitGTK 2.50 lacks it",
  },
};

function validates(bytes: readonly number[]): boolean {
  try {
    return WebAssembly.validate(new Uint8Array(bytes));
  } catch {
    return false;
  }
}

/** Probes the engine (a few microseconds: four tiny modules are validated, not compiled). */
export function engineFeatures(): EngineFeatures {
  const W = WebAssembly as unknown as Record<string, unknown>;
  return {
    gc: validates(FEATURE_PROBES.gc),
    exceptions: validates(FEATURE_PROBES.exceptions),
    tailCalls: validates(FEATURE_PROBES.tailCalls),
    multiMemory: validates(FEATURE_PROBES.multiMemory),
    resizableBuffers: typeof (WebAssembly.Memory.prototype as { toResizableBuffer?: unknown }).toResizableBuffer === "function",
    jsTag: typeof W.JSTag === "object" && W.JSTag !== null,
    jspi: typeof W.Suspending === "function" && typeof W.promising === "function",
  };
}

/** The engine, as its user agent names it: "Firefox 153", "Chrome 156", "Safari 18.2",
 *  "WebKit (WebKitGTK/WPE, AppleWebKit/605.1.15)", "Node.js 24.1.0". */
export function engineName(): string {
  const nav = (globalThis as { navigator?: { userAgent?: string } }).navigator;
  const ua = nav?.userAgent ?? "";
  let m: RegExpMatchArray | null;
  if ((m = ua.match(/Firefox\/(\d+(?:\.\d+)?)/))) return `Firefox ${m[1]}`;
  if ((m = ua.match(/Edg\/(\d+)/))) return `Edge ${m[1]}`;
  if ((m = ua.match(/(?:Chrome|Chromium)\/(\d+)/))) return `Chrome ${m[1]}`;
  if ((m = ua.match(/AppleWebKit\/([\d.]+)/))) {
    // WebKitGTK and WPE send a Safari-like user agent with a made-up Version/
    if (/Linux|X11/.test(ua)) return `WebKit (WebKitGTK/WPE, AppleWebKit/${m[1]})`;
    const v = ua.match(/Version\/([\d.]+)/);
    return v ? `Safari ${v[1]}` : `WebKit (AppleWebKit/${m[1]})`;
  }
  const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
  if (node) return `Node.js ${node}`;
  return ua || "an unknown engine";
}

/** Thrown by loadInterop() where the engine lacks a feature apps need. */
export class UnsupportedEngineError extends Error {
  /** the missing features, by name ("WebAssembly multi-memory", ...) */
  readonly missing: string[];
  /** the engine, as engineName() gives it */
  readonly engine: string;
  constructor(missing: string[], engine: string, message: string) {
    super(message);
    this.name = "UnsupportedEngineError";
    this.missing = missing;
    this.engine = engine;
  }
}

/** Throws an UnsupportedEngineError when a required feature is missing. `singleMemory`: the
 *  single-memory OCaml build is loaded (multi-memory is then not needed); `canSingleMemory`:
 *  the app has that build (else the error says how to get it). */
export function checkEngine(appName?: string, build: { singleMemory?: boolean; canSingleMemory?: boolean } = {}): void {
  const f = engineFeatures();
  const missing = (Object.keys(REQUIRED) as (keyof typeof REQUIRED)[]).filter((k) => !f[k] && !(k === "multiMemory" && build.singleMemory));
  if (!missing.length) return;
  const engine = engineName();
  const what = missing.map((k) => `${REQUIRED[k].name} (${REQUIRED[k].why}; supported from ${REQUIRED[k].since})`);
  const hint =
    missing.includes("multiMemory") && !build.canSingleMemory
      ? `. Build the app with singleMemory: true (ocamlInterop() options; the default in vite build) to run it here: its OCaml module then imports no second memory`
      : "";
  throw new UnsupportedEngineError(
    missing.map((k) => REQUIRED[k].name),
    engine,
    `ocaml-interop: ${appName ? `the app ${appName} cannot run in` : "apps cannot run in"} this engine, ${engine}: ` +
      `it lacks ${what.join("; and ")}${hint}`,
  );
}

// ---- faults whose text differs between engines -----------------------------------------------

/** Whether `e` is the engine's "call stack exhausted" error: a RangeError "Maximum call stack
 *  size exceeded" in V8 and JavaScriptCore, an InternalError "too much recursion" in SpiderMonkey. */
export function isStackOverflow(e: unknown): boolean {
  if (!isErrorOf(ErrorAtLoad, e)) return false;
  const err = e as Error;
  return (
    (isErrorOf(RangeErrorAtLoad, e) && /call stack/i.test(err.message)) ||
    (err.name === "InternalError" && /too much recursion/i.test(err.message))
  );
}
const ErrorAtLoad = Error,
  RangeErrorAtLoad = RangeError;

/** Whether `e` is the engine running out of memory for a GC allocation (an OCaml value):
 *  V8's "requested new array is too large" trap or RangeError "Out of memory"/"Invalid array
 *  length", SpiderMonkey's "out of memory" and "too many array elements" trap, JavaScriptCore's
 *  "Out of memory". */
export function isOutOfMemory(e: unknown): boolean {
  if (!isErrorOf(ErrorAtLoad, e)) return false;
  return /out of memory|new array is too large|array too large|too many array elements|invalid array length|allocation size overflow/i.test(
    (e as Error).message,
  );
}

/** Wasm traps, each engine's text -> V8's (the texts the tests were first written against). */
const TRAPS: [RegExp, string][] = [
  [/^unreachable( executed)?$|^Unreachable code should not be executed/i, "unreachable"],
  [/^memory access out of bounds$|^index out of bounds$|^Out of bounds memory access/i, "memory access out of bounds"],
  [/^(integer )?divide by zero$|^Division by zero/i, "divide by zero"],
  [/^divide result unrepresentable$|^integer overflow$/i, "divide result unrepresentable"],
  [
    /^float unrepresentable in integer range$|^invalid conversion to integer$|^Out of bounds Trunc operation/i,
    "float unrepresentable in integer range",
  ],
  [/^null function$|^indirect call to null$|^call_indirect to a null table entry/i, "null function"],
  [/signature mismatch$|^call_indirect to a signature that does not match/i, "function signature mismatch"],
  [/^illegal cast$|^bad cast|^cast failure/i, "illegal cast"],
  [/^requested new array is too large$|^too many array elements$/i, "requested new array is too large"],
  [/^dereferencing a null pointer$|^null (struct|array|reference)|^Null pointer dereference/i, "dereferencing a null pointer"],
];

/** A wasm trap's message, the same in every engine (V8's wording; JavaScriptCore's
 *  " (evaluating '...')" suffix dropped). Unknown texts are kept as they are. */
export function trapMessage(e: Error): string {
  const text = e.message.replace(/ \(evaluating '.*'\)$/s, "");
  for (const [re, canonical] of TRAPS) if (re.test(text)) return canonical;
  return text;
}
