// The bridge: owns the shared memory, instantiates the Rust module (a fresh copy of
// wasm-bindgen's glue each time) and the OCaml program (a fresh copy of wasm_of_ocaml's loader),
// wires them, carries TS calls to both sides, and recovers from Rust panics (wasm32 aborts: the
// instance is re-created). Several bridges (apps) live side by side in one page; nothing of a
// bridge is reachable from the page's globals.
import type { App, ExportSpec, TypeDesc, WasmBindgenGlue } from "./app.ts";
import { BoundaryError, ErrorKind, InteropError, JavaScriptError, OCamlException, RustPanic, errorFromSlot } from "./errors.ts";
import { BIGARRAY_TYPED_ARRAYS, ConversionError, ERROR_SENTINEL, WIRE_VERSION, WireCodec, type Allocator } from "./wire.ts";
import { makeResizable } from "./resizable.ts";
import { HostValues } from "./values.ts";
import { checkEngine, engineFeatures, isOutOfMemory, isStackOverflow, trapMessage } from "./engine.ts";
import { memoryOps } from "./memory-ops.ts";
import {
  BIGARRAY_KIND_MASK,
  BIGARRAY_MANAGED,
  BIGARRAY_SHARED,
  HEADER_TAG_MASK,
  BIGARRAY_KINDS as PROTOCOL_BIGARRAYS,
  TAG_OBJECT,
  TAG_STRING,
} from "./protocol.ts";
import { unlessUnloading } from "./unloading.ts";
import { MAX_NESTED_RUST_CALLS, reentrancyMessage } from "./limits.ts";
import {
  FinalizationRegistryAtLoad,
  Uint32ArrayAtLoad,
  apply,
  mapGet,
  mapSet,
  ownArray,
  Uint8ArrayAtLoad,
  WebAssemblyAtLoad,
  fromUtf8,
  isRuntimeError,
  isWasmException,
  memoryBuffer,
  newRuntimeError,
  registryRegister,
  registryUnregister,
  setGlobal,
  typedArrayBuffer,
  typedArrayByteLength,
  typedArrayByteOffset,
  typedArrayFill,
  typedArraySet,
  typedArraySlice,
  utf8,
} from "./intrinsics.ts";
import { glueGlobals } from "./glue-globals.ts";

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
}

export interface LoadOptions {
  /** How long to wait for the OCaml program's top level to finish (ms, default 30000). */
  ocamlTimeoutMs?: number;
  /** Which build of the OCaml module to load: "auto" (the default: the multi-memory one, or
   *  the single-memory one where the engine lacks multi-memory and the app has it),
   *  "multi-memory", or "single-memory" (wherever the engine is; the app must have been built
   *  with singleMemory). */
  ocamlBuild?: "auto" | "multi-memory" | "single-memory";
}

type TypedArrayCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayBufferView & { slice(): ArrayBufferView };
/** OCaml's Bigarray kinds that cross, and their typed arrays (the codec's map, from the protocol's table). */
const BIGARRAY_KINDS = BIGARRAY_TYPED_ARRAYS as unknown as Record<number, TypedArrayCtor>;

/** The Rust module of each app URL, compiled once per page (loading an app again reuses it). */
const compiled = new Map<string, Promise<WebAssembly.Module>>();

async function compileRust(url: string): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`ocaml-interop: cannot fetch the Rust module ${url}: ${response.status} ${response.statusText}`);
  if (typeof WebAssembly.compileStreaming === "function" && response.headers.get("Content-Type")?.startsWith("application/wasm"))
    return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Faults no call receives are told to the console rate-limited: the first three, then every 1000th. */
const worthTelling = (n: number) => n <= 3 || n % 1000 === 0;

export class Bridge implements Allocator {
  readonly app: App;
  readonly memory: WebAssembly.Memory;
  /** Set to 1 when the Rust instance must be re-created; the OCaml glue checks it. */
  readonly resetPending = new WebAssemblyAtLoad.Global({ value: "i32", mutable: true }, 0);
  /** 1 while the Rust instance has trapped (until it is re-created): the OCaml glue then calls
   *  no code of it (releasing arena chunks, say). */
  readonly rustPoisoned = new WebAssemblyAtLoad.Global({ value: "i32", mutable: true }, 0);
  /** What each copy of wasm-bindgen's glue uses for the globals WebAssembly, TextEncoder and
   *  TextDecoder: their versions at load (glue-globals.ts). */
  readonly glueGlobals = glueGlobals;
  readonly codec: WireCodec;
  /** The values that cross TS by handle: JS functions, closures, DynBox (src/host/values.ts). */
  readonly values: HostValues;
  rust!: RustRaw;
  /** The current instance's wasm-bindgen glue (its #[wasm_bindgen] functions). */
  glue!: Record<string, unknown>;
  /** Rust frames on the stack (calls into Rust not yet returned). */
  depth = 0;
  /** The re-entrancy limit (limits.ts): every entry into Rust checks `depth` against it. */
  readonly maxDepth = MAX_NESTED_RUST_CALLS;
  /** The Rust instance trapped (a panic) and must be re-created when no Rust frame is active. */
  poisoned = false;
  /** How many times the Rust instance was re-created after a panic. */
  resets = 0;
  /** Whether views on Rust's memory survive its growth (set when Rust first shares a buffer). */
  resizableViews = false;
  /** Whether dispose() was called. */
  disposed = false;
  /** The build of the OCaml module this app loaded (LoadOptions.ocamlBuild). */
  ocamlBuild: "multi-memory" | "single-memory" = "multi-memory";
  private ocaml?: OCamlDispatcher;
  private module!: WebAssembly.Module;
  private instances = 0;
  private ocamlIds = new Map<string, number>();
  private listeners: [string, (ev: Event) => void][] = [];

  private constructor(app: App) {
    this.app = app;
    this.memory = new WebAssemblyAtLoad.Memory({ initial: app.memory.initial, maximum: app.memory.maximum });
    this.values = new HostValues(this);
    this.codec = new WireCodec(this.memory, this, this.values);
  }

  /** The loads and stores of Rust's memory that the single-memory OCaml build imports
   *  (memory-ops.ts), made once per app. */
  memoryOps(): Record<string, Function> {
    return (this.memOps ??= memoryOps(this.memory));
  }
  private memOps?: Record<string, Function>;

  /** The app's name, for messages. */
  get name(): string {
    return this.app.name;
  }

  /** The number of the current Rust instance (re-creating it after a trap makes a new one). */
  get instance(): number {
    return this.instances;
  }

  /** The OCaml program's dispatcher (undefined before it starts and after dispose()). */
  get dispatcher(): OCamlDispatcher | undefined {
    return this.ocaml;
  }

  /** The memory's bytes and words (views re-made when the memory grew: growth detaches a plain
   *  buffer; a resizable one's views track its length). Addresses of words are 4-aligned. */
  private bytes(p: number, n: number): Uint8Array {
    return new Uint8ArrayAtLoad(memoryBuffer(this.memory), p >>> 0, n >>> 0);
  }
  private words(): Uint32Array {
    const b = memoryBuffer(this.memory);
    if (b !== this.wordsOf) {
      this.wordsOf = b;
      this.wordsView = new Uint32ArrayAtLoad(b);
    }
    return this.wordsView!;
  }
  private wordsOf?: ArrayBufferLike;
  private wordsView?: Uint32Array;
  private word(p: number): number {
    return this.words()[p >>> 2];
  }
  private setWord(p: number, v: number) {
    this.words()[p >>> 2] = v;
  }
  /** The UTF-8 text at [p, p + n). */
  private text(p: number, n: number): string {
    return fromUtf8(this.bytes(p, n));
  }

  /** Called by the OCaml glue's trampolines when the last Rust frame of a trapped instance
   *  returned: the OCaml glue then re-creates it (through afterError) when its frame ends. */
  markResetPending() {
    setGlobal(this.resetPending, 1);
  }

  /** Loads an app (see loadInterop). A load that fails because the page is going away (its
   *  fetches aborted) never settles instead (unloading.ts). */
  static load(app: App, opts: LoadOptions = {}): Promise<Bridge> {
    return unlessUnloading(Bridge.loadNow(app, opts));
  }

  private static async loadNow(app: App, opts: LoadOptions): Promise<Bridge> {
    if (!app || typeof app.createRustGlue !== "function" || typeof app.loadOCaml !== "function" || !Array.isArray(app.exports))
      throw new TypeError(
        `ocaml-interop: loadInterop() takes an app module: import app from "virtual:ocaml-interop/<name>" (got ${app === null ? "null" : typeof app})`,
      );
    const build = opts.ocamlBuild ?? "auto";
    if (build !== "auto" && build !== "multi-memory" && build !== "single-memory")
      throw new TypeError(
        `ocaml-interop: loadInterop(${app.name}): ocamlBuild must be "auto", "multi-memory" or "single-memory" (got ${JSON.stringify(build)})`,
      );
    const single = typeof app.loadOCamlSingleMemory === "function";
    if (build === "single-memory" && !single)
      throw new TypeError(
        `ocaml-interop: loadInterop(${app.name}): ocamlBuild is "single-memory", but the app was built without it (set singleMemory: true in the ocamlInterop() options)`,
      );
    const useSingle = build === "single-memory" || (build === "auto" && single && !engineFeatures().multiMemory);
    checkEngine(app.name, { singleMemory: useSingle, canSingleMemory: single });
    const bridge = new Bridge(app);
    bridge.ocamlBuild = useSingle ? "single-memory" : "multi-memory";
    let promise = compiled.get(app.rustWasm);
    if (!promise) compiled.set(app.rustWasm, (promise = compileRust(app.rustWasm)));
    try {
      bridge.module = await promise;
    } catch (e) {
      compiled.delete(app.rustWasm);
      throw e;
    }
    bridge.checkExports();
    bridge.instantiate();
    await bridge.loadOCaml(opts.ocamlTimeoutMs ?? 30000);
    return bridge;
  }

  /** Every export the build described must exist in the module being loaded. */
  private checkExports() {
    const names = new Set(WebAssembly.Module.exports(this.module).map((e) => e.name));
    const missing = this.app.exports.filter((e) => !names.has(e.symbol)).map((e) => e.name);
    if (missing.length)
      throw new Error(
        `ocaml-interop: the Rust module of ${this.name} lacks exports the OCaml glue was generated for: ${missing.join(", ")} (rebuild the app)`,
      );
  }

  private instantiate() {
    const glue: WasmBindgenGlue = this.app.createRustGlue(this);
    const exports = glue.initSync({ module: this.module, memory: this.memory }) as unknown as RustRaw;
    const version = exports.oiw_init();
    (exports.oiw_set_instance as (n: number) => void)(++this.instances);
    if (version !== WIRE_VERSION)
      throw new Error(`ocaml-interop: the Rust module of ${this.name} speaks wire format v${version}, this host v${WIRE_VERSION}`);
    this.rust = exports;
    this.glue = glue;
    // static addresses of this instance, read now: after a trap nothing calls into it
    this.at = {
      slot: exports.oiw_error_slot() >>> 0,
      arena: exports.oiw_arena_state() >>> 0,
      heapBase: (exports.oiw_heap_base as () => number)() >>> 0,
      panics: (exports.oiw_panic_buffer as () => number)() >>> 0,
      hostMessage: (exports.oiw_host_message_buffer as () => number)() >>> 0,
      runningClosure: (exports.oiw_running_closure as () => number)() >>> 0,
    };
  }

  /** Static addresses in the current Rust instance (its error slot, arena state, ...). */
  private at!: { slot: number; arena: number; heapBase: number; panics: number; hostMessage: number; runningClosure: number };

  private async loadOCaml(timeoutMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `ocaml-interop: the OCaml program of ${this.name} did not finish its top level within ${timeoutMs} ms ` +
                `(does it wait for something? see the console)`,
            ),
          ),
        timeoutMs,
      );
    });
    const addListener = (type: string, listener: (ev: Event) => void) => {
      if (typeof globalThis.addEventListener !== "function") return;
      globalThis.addEventListener(type, listener);
      this.listeners.push([type, listener]);
    };
    try {
      const load = this.ocamlBuild === "single-memory" ? await this.app.loadOCamlSingleMemory!() : this.app.loadOCaml;
      await Promise.race([load(this, addListener), timeout]);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(
        why.startsWith("ocaml-interop:") ? why : `ocaml-interop: the OCaml program of ${this.name} failed at start-up: ${why}`,
        { cause: e },
      );
    } finally {
      clearTimeout(timer);
    }
    if (!this.ocaml)
      throw new Error(
        `ocaml-interop: the OCaml program of ${this.name} did not start the bridge: does its dune executable list (libraries ocaml-interop-web)?`,
      );
  }

  /** Unloads the app: its Rust instance, its OCaml program and its memory become garbage once
   *  the page drops its own references. Later calls fail with a BoundaryError. */
  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    for (const [type, listener] of this.listeners) globalThis.removeEventListener?.(type, listener);
    this.listeners = [];
    this.ocaml = undefined;
    this.ocamlIds.clear();
    this.rust = undefined as unknown as RustRaw;
    this.glue = undefined as unknown as Record<string, unknown>;
  }

  private checkLive(fn: string) {
    if (this.disposed) throw new BoundaryError(`${fn}: the app ${this.name} was disposed (load it again with loadInterop)`, fn);
  }

  // ---- called by the OCaml glue and wasm-bindgen's imports (see ocaml_interop.js) ------------
  registerOCaml(d: OCamlDispatcher) {
    this.ocaml = d;
  }
  /** (the program's at_exit signal; readiness is the loader's promise) */
  ocamlReady() {}

  ocamlLookup(ptr: number, len: number): number {
    if (!this.ocaml) return -1;
    const id = this.ocaml.lookup(ptr, len);
    if (id >= 0) this.ocamlNames[id] = this.text(ptr, len);
    return id;
  }
  /** The names of the OCaml functions by id (for the errors of calls from Rust). */
  private ocamlNames: string[] = [];

  ocamlCall(id: number, args: number, n: number): number {
    if (!this.ocaml) throw new Error("ocaml-interop: the OCaml program is not loaded");
    try {
      return this.ocaml.call(id, args, n);
    } catch (e) {
      return this.ocamlFault(e, this.ocamlNames[id] ?? "an OCaml function");
    }
  }

  ocamlCallHandle(h: number, lo: number, hi: number, args: number, n: number): number {
    try {
      return this.ocaml!.callHandle(h, lo, hi, args, n);
    } catch (e) {
      return this.ocamlFault(e, "an OCaml closure");
    }
  }

  /** A fault of the OCaml program under a call from Rust, caught before it reaches Rust (which
   *  could not catch it): reported in the error slot as what it is, so Rust gets its `Err` (the
   *  try_ forms) or panics as for an exception, and is neither blamed nor re-created. */
  private ocamlFault(e: unknown, fn: string): number {
    if (isStackOverflow(e)) return this.ocaml!.reportFault(0) >>> 0;
    if (isOutOfMemory(e)) return this.ocaml!.reportFault(1) >>> 0;
    if (isRuntimeError(e))
      this.setError(
        ErrorKind.Failure,
        `${fn}: the OCaml function trapped (${trapMessage(e)}); does its declaration in Rust (ocaml!) match its OCaml type?`,
      );
    else if (e instanceof InteropError) this.setError(e instanceof RustPanic ? ErrorKind.RustPanic : ErrorKind.Failure, e.message);
    else
      this.setError(ErrorKind.Failure, `JavaScript exception in OCaml code: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    return ERROR_SENTINEL;
  }
  /** Rust roots an OCaml value (a BoxRoot holding a closure): counted per Rust instance, so the
   *  roots of an instance that trapped (whose BoxRoots are never dropped) are released when it
   *  is re-created. */
  ocamlRetain(h: number, lo: number, hi: number) {
    this.ocaml!.retain(h, lo, hi);
    const key = `${h}:${lo}:${hi}`,
      r = this.retained.get(key);
    if (r) r.n++;
    else this.retained.set(key, { h, lo, hi, n: 1 });
  }
  ocamlRelease(h: number, lo: number, hi: number) {
    const key = `${h}:${lo}:${hi}`,
      r = this.retained.get(key);
    if (r === undefined) return; // not a root of this instance
    if (--r.n === 0) this.retained.delete(key);
    this.ocaml?.release(h, lo, hi);
  }
  private retained = new Map<string, { h: number; lo: number; hi: number; n: number }>();

  // ---- bigarrays (called by the OCaml runtime file) --------------------------------------------
  /** Where a bigarray's data goes on the wire: its own address when it already views Rust's
   *  memory (zero copy), else a copy in the call arena. */
  baPlace(ta: ArrayBufferView, kind: number): number {
    if (!(kind in BIGARRAY_KINDS))
      throw new BoundaryError(
        `bigarrays of kind ${kind} cannot cross the boundary (supported: ${PROTOCOL_BIGARRAYS.map((k) => k.name).join(", ")})`,
        "bigarray",
      );
    const buffer = typedArrayBuffer(ta),
      n = typedArrayByteLength(ta);
    if (buffer === memoryBuffer(this.memory)) return typedArrayByteOffset(ta);
    const p = this.ocaml!.alloc(n) >>> 0;
    typedArraySet(this.bytes(p, n), new Uint8ArrayAtLoad(buffer, typedArrayByteOffset(ta), n));
    return p;
  }

  /** Copies a bigarray's data from Rust's memory into the typed array of a bigarray OCaml made
   *  (int64 and nativeint bigarrays, whose typed arrays wasm_of_ocaml shares with int32). */
  baFill(ta: ArrayBufferView, ptr: number, _kind: number) {
    const n = typedArrayByteLength(ta);
    typedArraySet(new Uint8ArrayAtLoad(typedArrayBuffer(ta), typedArrayByteOffset(ta), n), this.bytes(ptr, n));
  }

  /** A typed array for a bigarray arriving from Rust: a view on Rust's memory when Rust shares
   *  the buffer (flag 0x100) and views survive growth, else a copy. A rooted bigarray's buffer
   *  (flag 0x200) is counted while the view lives, so what OCaml writes the root sees, and the
   *  data outlives the root if OCaml keeps it (as the model's bigarray, owned by OCaml's GC). */
  baView(eltFlags: number, length: number, ptr: number): ArrayBufferView {
    // (the OCaml glue passes i32s: addresses past 2 GiB arrive negative)
    ptr >>>= 0;
    length >>>= 0;
    const C = BIGARRAY_KINDS[eltFlags & BIGARRAY_KIND_MASK];
    if (!C) throw new BoundaryError(`bigarray kind ${eltFlags & BIGARRAY_KIND_MASK} cannot cross the boundary`, "bigarray");
    // a shared buffer is viewed (after making the memory resizable, which replaces its buffer);
    // without resizable buffers the view would go stale at the next growth, so it is copied
    const shared = (eltFlags & BIGARRAY_SHARED) !== 0 && (this.resizableViews ||= makeResizable(this.memory));
    const view = new C(memoryBuffer(this.memory), ptr, length);
    if (!shared) return typedArraySlice(view);
    if (eltFlags & BIGARRAY_MANAGED) {
      if (!(this.rust.oiw_ba_claim as (p: number) => number)(ptr)) return typedArraySlice(view);
      registryRegister(this.bigarrays, view, { ptr, instance: this.instances });
      this.liveViews.set(ptr, { end: ptr + typedArrayByteLength(view), count: (this.liveViews.get(ptr)?.count ?? 0) + 1 });
    }
    return view;
  }

  /** Buffers OCaml views hold (start -> end, count): kept out of a re-created instance's heap. */
  private readonly liveViews = new Map<number, { end: number; count: number }>();

  /** The Drop of a Rust value OCaml released or collected panicked (Rust caught it): no call
   *  made that happen, so it is told to the console, the first few times and then every 1000th. */
  dropPanicked(msg: string) {
    const n = ++this.dropPanics;
    if (worthTelling(n))
      console.error(
        `ocaml-interop: ${this.name}: the Drop of a Rust value OCaml released or collected (a DynBox or Rust closure) panicked${n > 1 ? ` (${n} times so far)` : ""}: ${msg}`,
      );
  }
  /** How many such Drop panics there were. */
  dropPanics = 0;

  /** Asked by a new Rust instance's allocator (rust/ocaml-interop-web/src/heap.rs) before it
   *  reuses the memory: the end of the highest buffer an OCaml view still holds. */
  reservedHeapStart(): number {
    let end = 0;
    for (const v of this.liveViews.values()) end = Math.max(end, v.end);
    return end;
  }

  private readonly bigarrays = new FinalizationRegistryAtLoad<{ ptr: number; instance: number }>((b) => {
    const v = this.liveViews.get(b.ptr);
    if (v && --v.count === 0) this.liveViews.delete(b.ptr);
    // a view of the current Rust instance's buffer was collected: one holder fewer
    if (b.instance === this.instances && !this.disposed && !this.poisoned)
      this.housekeeping("releasing a collected bigarray view", () => (this.rust.oiw_ba_release as (p: number) => void)(b.ptr));
  });

  /** Bigarray buffers that roots or OCaml views hold, for leak checks. */
  liveBigarrays(): number {
    return (this.rust.oiw_live_bigarrays as () => number)();
  }

  // ---- Rust values owned by OCaml (DynBox) -----------------------------------------------------
  private readonly boxes = new FinalizationRegistryAtLoad<{ id: number; lo: number; hi: number; instance: number }>((b) => {
    // a wrapper of the current Rust instance was collected: drop the Rust value
    if (b.instance === this.instances && !this.disposed && !this.poisoned)
      this.housekeeping("dropping a collected DynBox", () => this.rust.oiw_box_release(b.id, b.lo, b.hi));
  });

  /** An OCaml wrapper of box `id` (generation `lo`, `hi`) was made: Rust counts it, the GC will
   *  release it. */
  boxTrack(wrapper: object, id: number, lo: number, hi: number): number {
    const ok = (this.rust.oiw_box_claim as (i: number, l: number, h: number) => number)(id, lo, hi);
    if (ok) registryRegister(this.boxes, wrapper, { id, lo, hi, instance: this.instances }, wrapper);
    return ok;
  }

  /** OCaml released the box explicitly. */
  boxUntrack(wrapper: object, id: number, lo: number, hi: number) {
    if (registryUnregister(this.boxes, wrapper) && !this.poisoned)
      this.housekeeping("dropping a released DynBox", () => this.rust.oiw_box_release(id, lo, hi));
  }

  /** Runs Rust work no call asked for (a finalizer's or a release's Drop). If it traps (a panic
   *  in a Drop with panic = "abort", or another abort), the instance is re-created as after any
   *  trap, and the fault is told to the console (rate-limited): it is no caller's error, and it
   *  never escapes as an uncaught page error nor fails the next call. */
  private housekeeping(what: string, f: () => void) {
    this.depth++;
    try {
      f();
    } catch (e) {
      this.trap(e, what);
      const [, msg] = this.readError();
      const n = ++this.housekeepingFaults;
      if (worthTelling(n)) console.error(`ocaml-interop: ${this.name}: ${msg}${n > 1 ? ` (${n} such faults so far)` : ""}`);
    } finally {
      this.depth--;
    }
    this.afterError();
  }
  /** How many faults Rust work no call asked for had (see `housekeeping`). */
  housekeepingFaults = 0;

  /** Rust values OCaml holds (DynBox), for leak checks. */
  liveBoxes(): number {
    return (this.rust.oiw_live_boxes as () => number)();
  }

  /** OCaml values Rust holds by handle (closures), for leak checks. */
  liveHandles(): number {
    return this.ocaml?.liveHandles() ?? 0;
  }

  /** A call into Rust one past the re-entrancy limit (limits.ts), refused before Rust runs:
   *  its error goes in the error slot (the OCaml glue raises it as Failure). */
  tooDeep(fn: string) {
    this.setError(ErrorKind.Failure, reentrancyMessage(fn));
  }

  /** A call into Rust threw: a trap (panic, or another abort) or a JS exception. Records the
   *  error in the error slot so the caller raises it, and marks the instance for re-creation. */
  trap(e: unknown, fn: string) {
    this.poisoned = true;
    setGlobal(this.rustPoisoned, 1);
    const unwrap = this.glue?.__oiw_unwrapException as ((e: unknown) => unknown) | undefined;
    if (unwrap) e = unwrap(e);
    let kind: number = ErrorKind.RustPanic,
      msg: string;
    if (isRuntimeError(e)) {
      msg = this.trapMessage(e, fn);
    } else if (isWasmException(e)) {
      // a Rust panic that left Rust as a Wasm exception (it was not caught at an export)
      msg = this.trapMessage(newRuntimeError("a Rust panic escaped"), fn);
    } else if (isStackOverflow(e)) {
      // the engine's stack ran out under a Rust frame: Rust was aborted, as by a trap (each
      // engine throws its own error: RangeError or InternalError, with its own text)
      msg = `Rust trapped in ${this.entryName(fn)}: stack overflow; the Rust instance was re-created`;
    } else if (e instanceof InteropError) {
      kind = e instanceof RustPanic ? ErrorKind.RustPanic : ErrorKind.Failure;
      msg = e.message;
    } else {
      kind = ErrorKind.Failure;
      msg = `${fn}: JavaScript exception: ${e instanceof Error ? e.message : String(e)}`;
      this.lastJsError = { msg, error: e };
    }
    this.setError(kind, msg);
  }

  /** What a trap of the Rust instance was: the panic behind it (the hook recorded its message
   *  in Rust's memory, which is intact), or the engine's reason. */
  private trapMessage(e: WebAssembly.RuntimeError, fn: string): string {
    fn = this.entryName(fn);
    const panic = this.recordedPanic();
    if (panic !== undefined)
      return this.app.panic === "unwind" ? `${panic} (in ${fn}: the panic could not be caught; the Rust instance was re-created)` : panic;
    const why = trapMessage(e);
    if (/memory access out of bounds/.test(why) && this.rustStackExhausted())
      return `Rust trapped in ${fn}: stack overflow; the Rust instance was re-created`;
    const hint = /memory access out of bounds/.test(why)
      ? " (an out-of-bounds access in unsafe code?)"
      : /unreachable/.test(why)
        ? " (an abort: out of memory, or core::arch::wasm32::unreachable)"
        : "";
    return `Rust trapped in ${fn}: ${why}${hint}; the Rust instance was re-created`;
  }

  /** The name of what trapped: a Rust closure is named by the export that made it (the runtime
   *  records it while the closure runs: rust/ocaml-interop-web/src/rust_closure.rs). */
  private entryName(fn: string): string {
    if (fn !== "a Rust closure") return fn;
    const p = this.at.runningClosure,
      ptr = this.word(p),
      len = this.word(p + 4);
    if (len === 0 || len > 256 || ptr + len > this.words().length * 4) return fn;
    return `a Rust closure made by ${this.text(ptr, len)}`;
  }

  /** Whether Rust's own stack ran out: it is the first MiB of the memory (the linker places it
   *  below the static data, growing down), zeroed at every re-creation, so its lowest bytes are
   *  written only by a stack used to its end; one more frame then writes below address 0, which
   *  traps as an out-of-bounds access. */
  private rustStackExhausted(): boolean {
    // (its first KiB is left out: a write through a null pointer lands there)
    const words = Math.min(4096, (this.at.heapBase || 1 << 20) >>> 2);
    const low = this.words();
    for (let i = 256; i < words; i++) if (low[i] !== 0) return true;
    return false;
  }

  /** The panic the hook recorded before a trap (rust/ocaml-interop-web/src/panic.rs), read from
   *  memory: `[count][len][first: 2040 bytes][len][previous: 2040 bytes][len][latest: 2040 bytes]`. */
  private recordedPanic(): string | undefined {
    const p = this.at.panics;
    const count = this.word(p);
    if (count === 0) return undefined;
    const MSG = 2040;
    const text = (off: number) => this.text(p + off + 4, Math.min(this.word(p + off), MSG));
    const first = text(4),
      previous = text(4 + 4 + MSG),
      latest = text(4 + 2 * (4 + MSG));
    if (count === 1) return first;
    if (count === 2) return `${latest} (panicked while unwinding the panic "${first}")`;
    return `${latest}: ${previous} (panicked while unwinding the panic "${first}")`;
  }

  /** Writes an error into the error slot directly (its message in the host's buffer): after a
   *  trap no code of the trapped instance runs. */
  setError(kind: number, msg: string) {
    let bytes = utf8(msg);
    if (bytes.length > 4096)
      bytes = new Uint8ArrayAtLoad(typedArrayBuffer(utf8(`${msg.slice(0, 4000)}... (${bytes.length} bytes)`)), 0, 4096);
    typedArraySet(this.bytes(this.at.hostMessage, bytes.length), bytes);
    this.setWord(this.at.slot, kind);
    this.setWord(this.at.slot + 4, this.at.hostMessage);
    this.setWord(this.at.slot + 8, bytes.length);
    this.setWord(this.at.slot + 12, 0);
  }

  /** The JS error behind the last trap, if it was one (TS callers get it as `cause`). */
  lastJsError?: { msg: string; error: unknown };

  /** The JavaScriptError a failed call gets when a JS error behind it is its reason: a JS
   *  exception through Rust (a trap), or one a JS function passed as a closure threw (its
   *  message then reaches the caller inside a Failure or an OCaml exception's text). */
  private jsErrorFor(kind: number, msg: string, fn: string): JavaScriptError | undefined {
    const js = this.lastJsError;
    this.lastJsError = undefined;
    if (!js || (kind !== ErrorKind.Failure && kind !== ErrorKind.OCamlException) || !msg.includes(js.msg)) return undefined;
    return new JavaScriptError(msg, fn, js.error);
  }

  /** Whether a trapped Rust instance is re-created at once, however many panics come in a row
   *  (always: the build makes wasm-bindgen's glue a factory of fresh copies). */
  get synchronousRecovery(): boolean {
    return true;
  }

  /** Called when no Rust frame may be active any more: re-creates a trapped instance. */
  afterError() {
    if (this.poisoned && this.depth === 0 && !this.disposed) this.reset();
    if (this.depth === 0) this.values.flush();
  }

  private releaseRetained() {
    for (const { h, lo, hi, n } of this.retained.values()) for (let i = 0; i < n; i++) this.ocaml?.release(h, lo, hi);
    this.retained.clear();
  }

  private reset() {
    this.releaseRetained();
    // below the heap base: the static data and the stack; the runtime's allocator reuses the
    // pages above it (see rust/ocaml-interop-web/src/heap.rs), so they need no zeroing
    typedArrayFill(this.bytes(0, this.at.heapBase || this.words().length * 4), 0);
    this.instantiate();
    this.poisoned = false;
    setGlobal(this.rustPoisoned, 0);
    setGlobal(this.resetPending, 0);
    this.resets++;
  }

  // ---- the crate's own #[wasm_bindgen] functions, called from TS -------------------------------
  /** Calls one of the crate's #[wasm_bindgen] functions: counted as a Rust frame (the instance is
   *  never re-created under it), a panic there (wasm-bindgen's PanicError) is a RustPanic, and a
   *  trap marks the instance for re-creation and is a RustPanic too. */
  callWasmBindgen(name: string, f: (...a: unknown[]) => unknown, args: unknown[]): unknown {
    this.checkLive(name);
    if (this.depth >= this.maxDepth) throw new BoundaryError(reentrancyMessage(name), name);
    this.depth++;
    try {
      return f(...args);
    } catch (e) {
      if (e instanceof Error && e.name === "PanicError") {
        // wasm-bindgen caught it: the hook's record of it must not name a later trap
        this.setWord(this.at.panics, 0);
        throw new RustPanic(e.message, name);
      }
      if (isRuntimeError(e) || isWasmException(e) || isStackOverflow(e) || (e instanceof Error && e.message === "Module terminated")) {
        this.poisoned = true;
        setGlobal(this.rustPoisoned, 1);
        const msg = isRuntimeError(e)
          ? this.trapMessage(e, name)
          : isStackOverflow(e)
            ? `Rust trapped in ${name}: stack overflow; the Rust instance was re-created`
            : this.trapMessage(newRuntimeError("unreachable"), name);
        throw new RustPanic(msg, name);
      }
      throw e; // the function's own error (a Result's Err as a JS value)
    } finally {
      this.depth--;
      this.afterError();
    }
  }

  // ---- the call arena, seen from TS -----------------------------------------------------------
  alloc(bytes: number): number {
    const st = this.at.arena,
      w = this.words();
    const top = w[st >>> 2],
      limit = w[(st >>> 2) + 1];
    const n = Math.ceil(bytes / 8) * 8; // (not & ~7: sizes past 2 GiB stay unsigned)
    if (top !== 0 && top + n <= limit) {
      w[st >>> 2] = top + n;
      return top;
    }
    const start = this.rust.oiw_arena_grow(n) >>> 0;
    // the arena is full: the error names the call whose values did not fit (the codec's
    // ConversionError becomes the call's BoundaryError)
    if (start === 0) throw new ConversionError(`${this.encoding ?? "a call"}: ${this.readError()[1]}`);
    this.setWord(st, start + n);
    return start;
  }

  /** The argument being encoded (for the message of a full arena). */
  private encoding?: string;

  /** Enters a call frame (the same frames the OCaml glue uses). */
  private mark(): [number, number] {
    const top = this.ocaml!.frameEnter() >>> 0;
    const st = this.at.arena;
    return [top, this.word(st + 4)];
  }

  private release([top, limit]: [number, number]) {
    this.ocaml!.frameLeave(top, limit);
  }

  private readError(): [number, string, string | undefined] {
    const slot = this.at.slot;
    const kind = this.word(slot),
      p = this.word(slot + 4),
      n = this.word(slot + 8);
    this.setWord(slot, 0);
    const exn = kind === ErrorKind.OCamlException ? this.exceptionConstructorName(this.word(slot + 12)) : undefined;
    return [kind, this.text(p, n), exn];
  }

  /** The constructor's name of an exception value on the wire: a constructor alone (tag 248,
   *  [name; id]) or one with arguments (tag 0, [constructor; args...]). */
  private exceptionConstructorName(w: number): string | undefined {
    const end = this.words().length * 4;
    const block = (x: number, bytes: number) => x !== 0 && (x & 7) === 0 && x + bytes <= end;
    if (!block(w, 16)) return undefined;
    let ctor = w;
    if ((this.word(w) & HEADER_TAG_MASK) === 0 && this.word(w + 4) >= 1) ctor = this.word(w + 8);
    if (!block(ctor, 16) || (this.word(ctor) & HEADER_TAG_MASK) !== TAG_OBJECT) return undefined;
    const name = this.word(ctor + 8);
    if (!block(name, 8) || (this.word(name) & HEADER_TAG_MASK) !== TAG_STRING) return undefined;
    const len = this.word(name + 4);
    if (name + 8 + len > end || len > 4096) return undefined;
    return this.text(name + 8, len);
  }

  // ---- TS calls -----------------------------------------------------------------------------
  /** Calls a Rust export with JS values (typed by its spec). */
  callRust(e: ExportSpec, args: unknown[]): unknown {
    this.checkLive(e.name);
    if (args.length !== e.args.length)
      throw new BoundaryError(`${e.name}: expected ${e.args.length} argument(s), got ${args.length}`, e.name);
    const mark = this.mark();
    let r: number | bigint;
    try {
      const specs = e.args;
      const words = ownArray(specs.length, (i) => {
        const a = specs[i];
        this.encoding = `${e.name}: argument ${a.name}`;
        return this.lowerArg(e, a.kind, a.type, args[i], this.encoding);
      });
      this.encoding = undefined;
      const f = this.rust[e.symbol] as (...a: (number | bigint)[]) => number | bigint;
      if (this.depth >= this.maxDepth) throw new BoundaryError(reentrancyMessage(e.name), e.name);
      this.depth++;
      try {
        r = apply(f, undefined, words);
      } catch (err) {
        this.trap(err, e.name);
        r = e.ret.kind === "f64" ? NaN : e.ret.kind === "i64" ? 0n : ERROR_SENTINEL;
      } finally {
        this.depth--;
      }
      const failed = e.ret.kind === "ocaml" || e.ret.kind === "unit" ? r === ERROR_SENTINEL : this.errorPending();
      if (failed) {
        const [kind, msg, exn] = this.readError();
        throw this.jsErrorFor(kind, msg, e.name) ?? errorFromSlot(kind, msg, e.name, exn);
      }
      return this.liftResult(e, r);
    } catch (err) {
      if (err instanceof ConversionError)
        throw new BoundaryError(err.message, e.name, err.cause === undefined ? undefined : { cause: err.cause });
      throw err;
    } finally {
      this.encoding = undefined;
      this.release(mark);
      this.afterError();
    }
  }

  private errorPending(): boolean {
    return this.word(this.at.slot) !== 0;
  }

  private lowerArg(_e: ExportSpec, kind: string, t: TypeDesc | undefined, v: unknown, what: string): number | bigint {
    switch (kind) {
      case "i64":
        return WireCodec.int64(v, what);
      case "i32":
        return WireCodec.int32(v, what);
      case "f64":
        return WireCodec.f64(v, what);
      case "bool":
        return WireCodec.bool(v, what) ? 1 : 0;
      case "isize":
        WireCodec.intWord(v as number, what);
        return v as number;
      default:
        return this.codec.encode(v, t ?? "unit", what);
    }
  }

  private liftResult(e: ExportSpec, r: number | bigint): unknown {
    switch (e.ret.kind) {
      case "unit":
        return undefined;
      case "f64":
      case "i64":
      case "i32":
        return r;
      case "bool":
        return r !== 0;
      case "isize":
        return r;
      default:
        return this.codec.decode((r as number) >>> 0, e.ret.type ?? "unit", `${e.name}: result`);
    }
  }

  /** Calls a function OCaml registered with Callback.register. */
  callOCaml(name: string, argTypes: TypeDesc[], retType: TypeDesc, args: unknown[]): unknown {
    return this.callWire(name, argTypes, retType, args, "ocaml function", (argv, n) => this.ocaml!.call(this.ocamlId(name), argv, n));
  }

  /** The id of the OCaml function registered as `name` (looked up once, in the caller's frame). */
  private ocamlId(name: string): number {
    let id = mapGet(this.ocamlIds, name);
    if (id === undefined) {
      const bytes = utf8(name);
      const p = this.alloc(Math.max(bytes.length, 1));
      typedArraySet(this.bytes(p, bytes.length), bytes);
      id = this.ocaml!.lookup(p, bytes.length);
      if (id === -1)
        throw new BoundaryError(`OCaml function '${name}' is not registered (OCaml must call Callback.register "${name}" f)`, name);
      if (id === -2) throw new BoundaryError(`'${name}' is registered in OCaml but is not a function`, name);
      mapSet(this.ocamlIds, name, id);
      this.ocamlNames[id] = name;
    }
    return id;
  }

  /** Calls OCaml or Rust code with encoded arguments, in a frame: `call(argv, n)` applies it.
   *  `runs` says what runs: Rust code (a closure TS received, src/host/values.ts: a Rust frame,
   *  whose trap is caught and the instance re-created), an OCaml closure, or a registered OCaml
   *  function (a trap there is OCaml's: Stack_overflow, Out_of_memory, or an error naming it). */
  callWire(
    name: string,
    argTypes: readonly TypeDesc[],
    retType: TypeDesc,
    args: unknown[],
    runs: "rust" | "ocaml closure" | "ocaml function",
    call: (argv: number, n: number) => number,
  ): unknown {
    this.checkLive(name);
    if (!this.ocaml) throw new BoundaryError(`${name}: the OCaml program is not loaded`, name);
    if (args.length !== argTypes.length)
      throw new BoundaryError(`${name}: expected ${argTypes.length} argument(s), got ${args.length}`, name);
    const mark = this.mark();
    try {
      const words = ownArray(argTypes.length, (i) =>
        this.codec.encode(args[i], argTypes[i], (this.encoding = `${name}: argument ${i + 1}`)),
      );
      this.encoding = undefined;
      const argv = this.alloc(4 * Math.max(words.length, 1));
      for (let i = 0; i < words.length; i++) this.setWord(argv + 4 * i, words[i]);
      let r: number;
      if (runs === "rust") {
        if (this.depth >= this.maxDepth) throw new BoundaryError(reentrancyMessage(name), name);
        this.depth++;
        try {
          r = call(argv, words.length) >>> 0;
        } catch (err) {
          this.trap(err, name);
          r = ERROR_SENTINEL;
        } finally {
          this.depth--;
        }
      } else {
        try {
          r = call(argv, words.length) >>> 0;
        } catch (err) {
          // OCaml code exhausted the engine's stack: OCaml's own Stack_overflow, in every engine
          if (isStackOverflow(err)) throw new OCamlException("Stack_overflow", name);
          if (isOutOfMemory(err)) throw new OCamlException("Out_of_memory", name);
          if (isRuntimeError(err))
            throw new BoundaryError(
              runs === "ocaml function"
                ? `${name}: the OCaml function trapped (${trapMessage(err)}); do the types given to app.ocaml.fn match its OCaml type?`
                : `${name}: the OCaml closure trapped (${trapMessage(err)})`,
              name,
            );
          throw err;
        }
      }
      if (r === ERROR_SENTINEL) {
        const [kind, msg, exn] = this.readError();
        throw this.jsErrorFor(kind, msg, name) ?? errorFromSlot(kind, msg, name, exn);
      }
      return this.codec.decode(r, retType, `${name}: result`);
    } catch (err) {
      if (err instanceof ConversionError)
        throw new BoundaryError(err.message, name, err.cause === undefined ? undefined : { cause: err.cause });
      throw err;
    } finally {
      this.encoding = undefined;
      this.release(mark);
      this.afterError();
    }
  }

  /** TS released a Rust value (a DynBox or a Rust closure) of the current instance. */
  releaseBox(id: number, lo: number, hi: number) {
    if (!this.poisoned) this.housekeeping("dropping a released Rust value", () => this.rust.oiw_box_release(id, lo, hi));
  }

  /** JS functions that OCaml function values hold (for leak checks). */
  liveJsFunctions(): number {
    return this.values.liveFunctions();
  }

  /** Bytes held by Rust's call arena (for leak checks). */
  arenaHeldBytes(): number {
    return this.rust.oiw_arena_held_bytes() >>> 0;
  }
}
