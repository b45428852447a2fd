// The bridge of one app: owns the shared memory, instantiates the Rust module (a fresh copy of
// wasm-bindgen's glue each time) and the OCaml program (a fresh copy of wasm_of_ocaml's loader),
// gives both the glue imports it builds from its parts, and unloads them. Several bridges (apps)
// live side by side in one page; nothing of a bridge is reachable from the page's globals.
// Its parts, each a class the next extends (bridge/): the shared state (state.ts), the arena and
// the error slot (arena.ts), panic recovery (panic-recovery.ts), calls from Rust into OCaml
// (from-rust.ts), bigarrays and DynBoxes OCaml holds (rust-values.ts), calls from TS
// (calls.ts); loading is load.ts, and the object the generated glue receives glue-imports.ts.
import type { App, WasmBindgenGlue } from "./app.ts";
import { WebAssemblyAtLoad, queueMicrotaskAtLoad, setGlobal } from "./intrinsics.ts";
import { glueGlobals } from "./glue-globals.ts";
import { memoryOps } from "./memory-ops.ts";
import { unlessUnloading } from "./unloading.ts";
import { HostValues } from "./values.ts";
import { AppOutput, checkSink } from "./output.ts";
import type { WasiHost } from "./wasi.ts";
import { ERROR_SENTINEL, WIRE_VERSION, WireCodec } from "./wire.ts";
import { BridgeCalls } from "./bridge/calls.ts";
import type { GlueImports, RustRaw } from "./bridge/glue-imports.ts";
import { type LoadOptions, checkExports, chooseBuild, rustModule, startOCaml } from "./bridge/load.ts";
import { checkOCamlCalls } from "./bridge/direct-ocaml.ts";

export type { GlueImports, OCamlDispatcher, RustRaw } from "./bridge/glue-imports.ts";
export type { LoadOptions } from "./bridge/load.ts";

export class Bridge extends BridgeCalls {
  readonly codec: WireCodec;
  readonly values: HostValues;
  protected readonly h: GlueImports;
  /** The current instance's wasm-bindgen glue (its #[wasm_bindgen] functions). */
  glue!: Record<string, unknown>;
  /** The build of the OCaml module this app loaded (LoadOptions.ocamlBuild). */
  ocamlBuild: "multi-memory" | "single-memory" = "multi-memory";
  private module!: WebAssembly.Module;
  private listeners: [string, (ev: Event) => void][] = [];
  /** What the app's programs print (LoadOptions.output). */
  readonly output: AppOutput;
  /** A WASI app's WASI context (its directory, args, environment), for the app's life. */
  wasiHost?: WasiHost;

  private constructor(app: App, output: AppOutput) {
    super(app, new WebAssemblyAtLoad.Memory({ initial: app.memory.initial, maximum: app.memory.maximum }));
    this.output = output;
    this.values = new HostValues(this);
    this.codec = new WireCodec(this.memory, this, this.values);
    this.h = this.glueImports();
  }

  /** The glue imports, built from the parts: the shared fields as plain data properties, each
   *  method the part's own, bound to the bridge. */
  private glueImports(): GlueImports {
    let ops: Record<string, Function> | undefined;
    return {
      memory: this.memory,
      resetPending: new WebAssemblyAtLoad.Global({ value: "i32", mutable: true }, 0),
      rustPoisoned: new WebAssemblyAtLoad.Global({ value: "i32", mutable: true }, 0),
      rustInstance: new WebAssemblyAtLoad.Global({ value: "i32", mutable: true }, 0),
      arenaRestart: this.arenaRestart.bind(this),
      values: this.values,
      console: this.output.ocamlConsole(),
      // made once per app, when the single-memory build first asks (memory-ops.ts)
      memoryOps: () => (ops ??= memoryOps(this.memory)),
      registerOCaml: this.registerOCaml.bind(this),
      ocamlReady: this.ocamlReady.bind(this),
      afterError: this.afterError.bind(this),
      baPlace: this.baPlace.bind(this),
      baView: this.baView.bind(this),
      baFill: this.baFill.bind(this),
      boxTrack: this.boxTrack.bind(this),
      boxUntrack: this.boxUntrack.bind(this),
      rust: undefined as unknown as RustRaw,
      enter: () => this.enterRust(),
      leave: () => {
        this.leaveRust();
        if (this.h.poisoned && this.depth === 0) this.markResetPending();
      },
      poisoned: false,
      tooDeep: this.tooDeep.bind(this),
      trap: this.trap.bind(this),
      markResetPending: this.markResetPending.bind(this),
      directTable: this.directTable.bind(this),
      directReturned: this.directReturned.bind(this),
      directThrew: this.directThrew.bind(this),
      directTooDeep: this.directTooDeep.bind(this),
      guardEntry: this.guardEntry.bind(this),
      ocamlLookup: this.ocamlLookup.bind(this),
      ocamlRetain: this.ocamlRetain.bind(this),
      ocamlRelease: this.ocamlRelease.bind(this),
      reservedHeapStart: this.reservedHeapStart.bind(this),
      dropPanicked: this.dropPanicked.bind(this),
      panicThrow: this.panicThrow.bind(this),
      scheduleTask: this.scheduleTask.bind(this),
      glueGlobals,
      // (plain functions: what the instance calls on every call into OCaml)
      oiwHost: {
        ocamlCall: (id: number, args: number, n: number) => this.ocamlCall(id, args, n),
        ocamlCallHandle: (h: number, lo: number, hi: number, args: number, n: number) => this.ocamlCallHandle(h, lo, hi, args, n),
      },
      wrappedJsTag: new (WebAssemblyAtLoad as unknown as { Tag: new (t: { parameters: string[] }) => object }).Tag({
        parameters: ["externref"],
      }),
      wasiInstantiate: this.wasiInstantiate.bind(this),
    };
  }

  /** Rust asks for a poll of its async task `id` (rust/ocaml-interop-web/src/promise.rs): in a
   *  microtask, a Rust entry of its own; a task of an instance that was re-created since, or of
   *  a disposed app, is not polled. */
  private scheduleTask(id: number) {
    const instance = this.instance;
    queueMicrotaskAtLoad(() => {
      if (this.disposed || this.instance !== instance || this.poisoned) return;
      this.housekeeping("an async Rust task", () => {
        if ((this.h.rust.oiw_task_poll as (id: number) => number)(id) === ERROR_SENTINEL) {
          const [, msg] = this.readError();
          console.error(`ocaml-interop: ${this.name}: an async Rust task failed: ${msg}`);
        }
      });
    });
  }

  /** A WASI app's Rust instance: the runtime crate's host functions are plain imports there
   *  (rust/ocaml-interop-web/src/host.rs), the same functions wasm-bindgen's glue calls. */
  private wasiInstantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): Record<string, unknown> {
    const h = this.h;
    const host: Record<string, Function> = {
      ocamlLookup: h.ocamlLookup,
      ...h.oiwHost,
      ocamlRetain: h.ocamlRetain,
      ocamlRelease: h.ocamlRelease,
      reservedHeapStart: h.reservedHeapStart,
      dropPanicked: (ptr: number, len: number) => h.dropPanicked(this.text(ptr, len)),
      panicThrow: h.panicThrow,
      scheduleTask: h.scheduleTask,
    };
    return new WebAssemblyAtLoad.Instance(module, this.wasiHost!.imports(memory, host)).exports as Record<string, unknown>;
  }

  /** Loads an app (see loadInterop). A load that fails because the page is going away (its
   *  fetches aborted) never settles instead (unloading.ts). */
  static load(app: App, opts: LoadOptions = {}): Promise<Bridge> {
    return unlessUnloading(Bridge.loadNow(app, opts));
  }

  private static async loadNow(app: App, opts: LoadOptions): Promise<Bridge> {
    const build = chooseBuild(app, opts);
    const bridge = new Bridge(app, new AppOutput(app.name, checkSink(app.name, opts.output)));
    bridge.ocamlBuild = build;
    bridge.useOCamlCalls(checkOCamlCalls(app.name, opts.ocamlCalls));
    // the shim is fetched only by a WASI app's page
    if (app.rustTarget === "wasm32-wasip1") bridge.wasiHost = new (await import("./wasi.ts")).WasiHost(app.name, opts.wasi, bridge.output);
    bridge.module = await rustModule(app);
    checkExports(app, bridge.module);
    bridge.instantiate();
    const addListener = (type: string, listener: (ev: Event) => void) => {
      if (typeof globalThis.addEventListener !== "function") return;
      globalThis.addEventListener(type, listener);
      bridge.listeners.push([type, listener]);
    };
    await startOCaml(app, build, bridge.h, addListener, opts.ocamlTimeoutMs ?? 30000, () => bridge.ocaml !== undefined);
    return bridge;
  }

  protected instantiate() {
    const glue: WasmBindgenGlue = this.app.createRustGlue(this.h);
    const exports = glue.initSync({ module: this.module, memory: this.memory }) as unknown as RustRaw;
    const version = exports.oiw_init();
    (exports.oiw_set_instance as (n: number) => void)(++this.instances);
    if (version !== WIRE_VERSION)
      throw new Error(`ocaml-interop: the Rust module of ${this.name} speaks wire format v${version}, this host v${WIRE_VERSION}`);
    this.h.rust = exports;
    this.glue = glue;
    // static addresses of this instance, read now: after a trap nothing calls into it
    this.at = {
      slot: exports.oiw_error_slot() >>> 0,
      arena: exports.oiw_arena_state() >>> 0,
      heapBase: (exports.oiw_heap_base as () => number)() >>> 0,
      panics: (exports.oiw_panic_buffer as () => number)() >>> 0,
      hostMessage: (exports.oiw_host_message_buffer as () => number)() >>> 0,
      runningClosure: (exports.oiw_running_closure as () => number)() >>> 0,
      currentExport: (exports.oiw_current_export as () => number)() >>> 0,
      ocamlCalling: (exports.oiw_ocaml_calling as () => number)() >>> 0,
    };
    this.arenaStart = [this.word(this.at.arena), this.word(this.at.arena + 4)];
    setGlobal(this.h.rustInstance, this.instances);
    this.fillDirect();
    this.fillOCamlDirect();
  }

  /** Unloads the app: its Rust instance, its OCaml program and its memory become garbage once
   *  the page drops its own references. Later calls fail with a BoundaryError. */
  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    for (const [type, listener] of this.listeners) globalThis.removeEventListener?.(type, listener);
    this.listeners = [];
    this.unfillOCamlDirect();
    this.ocaml = undefined;
    this.ocamlIds.clear();
    this.h.rust = undefined as unknown as RustRaw;
    // the OCaml glue's calls take the trampolines, which find no instance
    setGlobal(this.h.rustPoisoned, 1);
    this.glue = undefined as unknown as Record<string, unknown>;
    this.values.promises.disposed();
    this.output.flush();
  }
}
