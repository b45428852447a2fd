// The one object the generated glue receives as `__oiw_host` (the bridge builds it from its
// parts): every name it reads is listed here, with who reads it. Its mutable fields (rust,
// poisoned) are plain data properties that the trampolines read on every call and that the
// bridge reads and writes here too: there is one copy of each.
import type { glueGlobals } from "../glue-globals.ts";
import type { HostValues } from "../values.ts";

/** The raw exports of the Rust module that the bridge uses. */
export interface RustRaw {
  oiw_init(): number;
  oiw_arena_state(): number;
  oiw_arena_grow(bytes: number): number;
  oiw_arena_release(top: number, limit: number): void;
  oiw_arena_held_bytes(): number;
  oiw_error_slot(): number;
  oiw_error_reserve(len: number): number;
  oiw_error_commit(kind: number, len: number): void;
  oiw_box_release(id: number, genLo: number, genHi: number): void;
  [symbol: string]: unknown;
}

/** The dispatcher the OCaml runtime file registers (ocaml/ocaml-interop-web/ocaml_interop_dispatch.wat). */
export interface OCamlDispatcher {
  lookup(namePtr: number, nameLen: number): number;
  call(id: number, argsPtr: number, nargs: number): number;
  /** allocates in the call arena (8-aligned) */
  alloc(bytes: number): number;
  /** enters a frame: saves the temporary-handle count; returns the arena's top */
  frameEnter(): number;
  /** leaves a frame: releases the arena and the frame's temporary handles */
  frameLeave(top: number, limit: number): void;
  /** (a handle is its slot and the two halves of its generation, as the wire carries them) */
  callHandle(handle: number, genLo: number, genHi: number, argsPtr: number, nargs: number): number;
  retain(handle: number, genLo: number, genHi: number): void;
  release(handle: number, genLo: number, genHi: number): void;
  liveHandles(): number;
  /** reports the OCaml program's Stack_overflow (0) or Out_of_memory (1) in the error slot */
  reportFault(which: number): number;
  /** records an entry into OCaml the host makes outside the dispatcher (a guarded callback;
   *  `call` and `callHandle` record their own), popped by entryPop when it returns */
  entryPush(): void;
  entryPop(): void;
  /** after the entry at `level` threw: puts the direct route's Rust frame count and the OCaml
   *  frames back as it found them (-1: an entry that began with nothing under way, all back to
   *  zero); returns how many Rust frames the throw skipped */
  trapUnwind(level: number): number;
  /** counts a call into Rust the host makes (false, counting nothing, when `limit` frames are
   *  already on the stack); rustLeave ends it */
  rustEnter(limit: number): number;
  rustLeave(): void;
  /** the Rust frames on the stack, the glue's direct calls and the host's counted calls */
  rustFrames(): number;
  /** `call` and `callHandle` as Rust calls them directly, through its function table
   *  (LoadOptions.ocamlCalls "direct"): they record no entry */
  callDirect: Function;
  callHandleDirect: Function;
  /** rustEnter for a call that is also a recorded entry (with Rust calling OCaml directly);
   *  rustLeaveRec(level) ends it, putting the counts back as it recorded them */
  rustEnterRec(limit: number): number;
  rustLeaveRec(level: number): void;
  /** the text (Printexc's) of the exception value at wire word `w`, as a string in the arena (its
   *  word; 0 if it could not be made): a kind 4 error comes with its value and without its text */
  exnText(w: number): number;
}

export interface GlueImports {
  // ---- the OCaml runtime file's primitives (ocaml/ocaml-interop-web/ocaml_interop.js) --------
  /** Rust's memory, which the OCaml module imports too. */
  readonly memory: WebAssembly.Memory;
  /** Set to 1 when the Rust instance must be re-created; the OCaml glue checks it. */
  readonly resetPending: WebAssembly.Global;
  /** 1 while the Rust instance has trapped (until it is re-created): the OCaml glue then calls
   *  no code of it (releasing arena chunks, say). */
  readonly rustPoisoned: WebAssembly.Global;
  /** The number of the current Rust instance: a frame the OCaml runtime file leaves knows
   *  whether it began in this one. */
  readonly rustInstance: WebAssembly.Global;
  /** A frame that began in an earlier Rust instance ended: the arena goes back to where the
   *  current instance's began. */
  arenaRestart(): void;
  /** The values that cross TS by handle (src/host/values.ts): JS functions called from OCaml. */
  readonly values: HostValues;
  /** The loads and stores of Rust's memory that the single-memory OCaml build imports. */
  memoryOps(): Record<string, Function>;
  registerOCaml(d: OCamlDispatcher): void;
  /** The console the OCaml program's runtime writes with (its loader's `console`): the app's
   *  output when the page gave loadInterop an `output` sink, else undefined (the page's). */
  readonly console: Console | undefined;
  /** (the program's at_exit signal; readiness is the loader's promise) */
  ocamlReady(): void;
  /** Called when no Rust frame may be active any more: re-creates a trapped instance. */
  afterError(): void;
  baPlace(ta: ArrayBufferView, kind: number): number;
  baView(eltFlags: number, length: number, ptr: number): ArrayBufferView;
  baFill(ta: ArrayBufferView, ptr: number, kind: number): void;
  boxTrack(wrapper: object, id: number, lo: number, hi: number): number;
  boxUntrack(wrapper: object, id: number, lo: number, hi: number): void;

  // ---- read on every call by the trampolines (src/build/glue/js.ts, oiw_call_rust_closure) -
  /** The current Rust instance's exports (replaced when it is re-created). */
  rust: RustRaw;
  /** A call into Rust through JS begins: false past the re-entrancy limit (limits.ts). */
  enter(): boolean;
  /** ... and ends (a trapped instance is re-created once no Rust frame is left). */
  leave(): void;
  /** The Rust instance trapped (a panic) and must be re-created when no Rust frame is active. */
  poisoned: boolean;
  /** A call one past the re-entrancy limit: its error goes in the error slot. */
  tooDeep(fn: string): void;
  /** A call into Rust threw: records its error and marks the instance for re-creation. */
  trap(e: unknown, fn: string): void;
  /** The last Rust frame of a trapped instance returned. */
  markResetPending(): void;

  // ---- the direct route (src/build/glue/wat.ts; bridge/direct.ts) ----------------------------
  /** Makes the table the glue calls the listed exports through (rust_glue.js, once). */
  directTable(entries: readonly (readonly [string, string])[]): WebAssembly.Table;
  /** The last direct Rust frame of a trapped instance returned. */
  directReturned(): void;
  /** A JS exception (or a Rust one) went through the export the glue called directly. */
  directThrew(index: number, rust: boolean, e: unknown): void;
  /** A direct call one past the re-entrancy limit. */
  directTooDeep(index: number): void;
  /** A callback into the OCaml program (the loader's caml_callback, the program's top level),
   *  whose trap under a direct Rust call is handled (ocaml-loader.ts). */
  guardEntry<F extends (a?: unknown, b?: unknown, c?: unknown, d?: unknown) => unknown>(f: F): F;

  // ---- the runtime crate's imports (rust/ocaml-interop-web/src/host.rs) -----------------------
  ocamlLookup(ptr: number, len: number): number;
  ocamlRetain(h: number, lo: number, hi: number): void;
  ocamlRelease(h: number, lo: number, hi: number): void;
  reservedHeapStart(): number;
  dropPanicked(msg: string): void;
  /** With panics that abort, the panic hook's last word: throws the panic it recorded. */
  panicThrow(): never;
  /** Rust's async task `id` was woken: poll it in a microtask (src/host/bridge.ts). */
  scheduleTask(id: number): void;

  // ---- wasm-bindgen's glue factory (src/build/wasm-bindgen.ts) --------------------------------
  /** What each copy of wasm-bindgen's glue uses for WebAssembly, TextEncoder and TextDecoder:
   *  their versions at load (glue-globals.ts). */
  readonly glueGlobals: typeof glueGlobals;
  /** The runtime crate's plain imports of the module `oiw_host` (the calls into OCaml, which
   *  pass no wasm-bindgen shim: host.rs), which wasm-bindgen's glue hands to the instance. */
  readonly oiwHost: {
    readonly ocamlCall: (id: number, args: number, n: number) => number;
    readonly ocamlCallHandle: (h: number, lo: number, hi: number, args: number, n: number) => number;
  };
  /** The tag wasm-bindgen's glue wraps a JS exception in before it crosses Rust (with panics
   *  that unwind): the app's, in every copy, and imported by the OCaml glue, which catches it. */
  readonly wrappedJsTag: object;

  // ---- a WASI app's glue (src/build/glue/wasi.ts) --------------------------------------------
  /** Instantiates a WASI app's Rust module over the memory: WASI's imports and the bridge's
   *  `oiw_host` (src/host/wasi.ts); returns its exports. */
  wasiInstantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): Record<string, unknown>;
}
