// The bridge: owns the shared memory, instantiates the Rust module (wasm-bindgen's output)
// and the OCaml program (wasm_of_ocaml's loader), wires them, carries TS calls to both
// sides, and recovers from Rust panics (wasm32 aborts: the instance is re-created).
import { BoundaryError, ErrorKind, InteropError, JavaScriptError, RustPanic, errorFromSlot } from "./errors.ts";
import type { AppSpec, ExportSpec, TypeDesc } from "./spec.ts";
import { ConversionError, ERROR_SENTINEL, WIRE_VERSION, WireCodec, type Allocator } from "./wire.ts";
import { makeResizable } from "./resizable.ts";

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
  oiw_box_release(id: number, generation: number): void;
  [symbol: string]: unknown;
}

interface WasmBindgenGlue {
  initSync(opts: { module: WebAssembly.Module; memory: WebAssembly.Memory }): Record<string, unknown>;
}

/** The dispatcher the OCaml runtime file registers (ocaml/ocaml-interop-web/ocaml_interop.wat). */
interface OCamlDispatcher {
  lookup(namePtr: number, nameLen: number): number;
  call(id: number, argsPtr: number, nargs: number): number;
  /** allocates in the call arena (8-aligned) */
  alloc(bytes: number): number;
  /** enters a frame: saves the temporary-handle count; returns the arena's top */
  frameEnter(): number;
  /** leaves a frame: releases the arena and the frame's temporary handles */
  frameLeave(top: number, limit: number): void;
  callHandle(handle: number, argsPtr: number, nargs: number): number;
  retain(handle: number): void;
  release(handle: number): void;
  liveHandles(): number;
}

export interface LoadOptions {
  /** Base URL the app's paths are relative to (default: document.baseURI; in a Web Worker,
   *  pass the page's base URL). */
  baseUrl?: string;
  /** How long to wait for the OCaml program's top level to finish (ms). */
  ocamlTimeoutMs?: number;
}

type TypedArrayCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayBufferView & { slice(): ArrayBufferView };
/** OCaml's Bigarray kinds that cross, and their typed arrays (char bigarrays are bytes). */
export const BIGARRAY_KINDS: Record<number, TypedArrayCtor> = {
  0: Float32Array, 1: Float64Array, 2: Int8Array, 3: Uint8Array, 4: Int16Array, 5: Uint16Array, 6: Int32Array,
  7: BigInt64Array as unknown as TypedArrayCtor, 9: Int32Array, 12: Uint8Array,
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class Bridge implements Allocator {
  readonly memory: WebAssembly.Memory;
  /** Set to 1 when the Rust instance must be re-created; the OCaml glue checks it. */
  readonly resetPending = new WebAssembly.Global({ value: "i32", mutable: true }, 0);
  readonly codec: WireCodec;
  rust!: RustRaw;
  /** The current instance's wasm-bindgen module (its #[wasm_bindgen] functions). */
  glue!: Record<string, unknown>;
  /** Rust frames on the stack (calls into Rust not yet returned). */
  depth = 0;
  /** The Rust instance trapped (a panic) and must be re-created when no Rust frame is active. */
  poisoned = false;
  /** How many times the Rust instance was re-created after a panic. */
  resets = 0;
  /** Whether views on Rust's memory survive its growth (set when Rust first shares a buffer). */
  resizableViews = false;
  private lastPanic?: string;
  private ocaml?: OCamlDispatcher;
  private resolveReady?: () => void;
  private module!: WebAssembly.Module;
  private glueUrl!: string;
  private spare?: WasmBindgenGlue;
  private glueFactory?: () => WasmBindgenGlue;
  private instances = 0;
  private spareLoading?: Promise<void>;
  private glueGeneration = 0;
  private ocamlIds = new Map<string, number>();

  readonly spec: AppSpec;

  private constructor(spec: AppSpec) {
    this.spec = spec;
    this.memory = new WebAssembly.Memory({ initial: spec.memory.initial, maximum: spec.memory.maximum });

    this.codec = new WireCodec(this.memory, this);
  }

  static async load(spec: AppSpec, opts: LoadOptions = {}): Promise<Bridge> {
    const g = globalThis as { __ocaml_interop_web?: Bridge };
    if (g.__ocaml_interop_web)
      throw new Error(`ocaml-interop: an app (${g.__ocaml_interop_web.spec.name}) is already loaded in this page; one app per page`);
    const bridge = new Bridge(spec);
    g.__ocaml_interop_web = bridge;
    const base = opts.baseUrl ?? (typeof document !== "undefined" ? document.baseURI : import.meta.url);
    bridge.glueUrl = new URL(spec.rustGlue, base).href;
    const wasmUrl = new URL(spec.rustWasm, base).href;
    const response = await fetch(wasmUrl);
    if (!response.ok) throw new Error(`ocaml-interop: cannot fetch the Rust module ${wasmUrl}: ${response.status}`);
    bridge.module = await WebAssembly.compile(await response.arrayBuffer());
    bridge.checkExports();
    await bridge.prepareGlueFactory();
    bridge.instantiate(await bridge.importGlue());
    bridge.spareLoading = bridge.loadSpare();
    await bridge.loadOCaml(new URL(spec.ocamlScript, base).href, opts.ocamlTimeoutMs ?? 30000);
    await bridge.spareLoading;
    return bridge;
  }

  /** Every export the build described must exist in the module being loaded. */
  private checkExports() {
    const names = new Set(WebAssembly.Module.exports(this.module).map((e) => e.name));
    const missing = this.spec.exports.filter((e) => !names.has(e.symbol)).map((e) => e.name);
    if (missing.length)
      throw new Error(`ocaml-interop: the Rust module lacks exports the OCaml glue was generated for: ${missing.join(", ")} (rebuild with npm run build)`);
  }

  /** A fresh copy of wasm-bindgen's glue module (its state is per module instance). */
  private async importGlue(): Promise<WasmBindgenGlue> {
    if (this.glueFactory) return this.glueFactory();
    const url = `${this.glueUrl}?instance=${this.glueGeneration++}`;
    return (await import(/* @vite-ignore */ url)) as WasmBindgenGlue;
  }

  /** Makes fresh copies of the glue synchronously when its source allows (no imports): then
   *  any number of panics in a row can each get a new instance at once. */
  private async prepareGlueFactory() {
    try {
      const src = await (await fetch(this.glueUrl)).text();
      if (/^\s*import\s/m.test(src) || !/export \{ initSync, __wbg_init as default \};\s*$/.test(src)) return;
      // the user's own #[wasm_bindgen] items are `export function|class|const name`: they
      // become locals, returned with initSync
      const names: string[] = [];
      const body = src
        .replace(/^export (function|class|const|let|var) ([\w$]+)/gm, (_, kind: string, name: string) => {
          names.push(name);
          return `${kind} ${name}`;
        })
        .replace(/export \{ initSync, __wbg_init as default \};\s*$/, `return { initSync${names.map((n) => `, ${n}`).join("")} };`)
        .replaceAll("import.meta.url", JSON.stringify(this.glueUrl));
      if (/^export\s/m.test(body)) return; // a form this does not know: import copies instead
      const factory = new Function(body) as () => WasmBindgenGlue;
      factory(); // it evaluates
      this.glueFactory = factory;
    } catch {
      this.glueFactory = undefined; // e.g. a CSP without 'unsafe-eval': spares are imported instead
    }
  }

  private async loadSpare() {
    this.spare = await this.importGlue();
  }

  private instantiate(glue: WasmBindgenGlue) {
    const exports = glue.initSync({ module: this.module, memory: this.memory }) as unknown as RustRaw;
    const version = exports.oiw_init();
    (exports.oiw_set_instance as (n: number) => void)(++this.instances);
    if (version !== WIRE_VERSION)
      throw new Error(`ocaml-interop: the Rust module speaks wire format v${version}, this host v${WIRE_VERSION}`);
    this.rust = exports;
    this.glue = glue as unknown as Record<string, unknown>;
  }

  private loadOCaml(src: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(
        `ocaml-interop: the OCaml program ${src} did not finish its top level within ${timeoutMs} ms ` +
        `(an uncaught exception at start-up? see the console)`)), timeoutMs);
      this.resolveReady = () => { clearTimeout(timer); resolve(); };
      const fail = (why: string) => { clearTimeout(timer); reject(new Error(`ocaml-interop: cannot load ${src}${why}`)); };
      if (typeof document !== "undefined") {
        const script = document.createElement("script");
        script.src = src;
        script.onerror = () => fail("");
        document.head.appendChild(script);
      } else {
        // a Web Worker: no <script>. wasm_of_ocaml's loader finds its .wasm files next to
        // document.currentScript, so that is what it is shown while its top level runs.
        fetch(src).then(async (r) => {
          if (!r.ok) return fail(`: ${r.status}`);
          const text = await r.text();
          const g = globalThis as { document?: unknown };
          g.document = { currentScript: { src } };
          try { (0, eval)(text); } finally { delete g.document; }
        }).catch((e) => fail(`: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  }

  // ---- called by the OCaml glue and wasm-bindgen's imports (see ocaml_interop.js) ------------
  registerOCaml(d: OCamlDispatcher) { this.ocaml = d; }
  ocamlReady() { this.resolveReady?.(); }

  rustPanicked(ptr: number, len: number) {
    this.lastPanic = decoder.decode(new Uint8Array(this.memory.buffer, ptr, len).slice());
  }

  ocamlLookup(ptr: number, len: number): number {
    if (!this.ocaml) return -1;
    return this.ocaml.lookup(ptr, len);
  }

  ocamlCall(id: number, args: number, n: number): number {
    if (!this.ocaml) throw new Error("ocaml-interop: the OCaml program is not loaded");
    return this.ocaml.call(id, args, n);
  }

  ocamlCallHandle(h: number, args: number, n: number): number {
    return this.ocaml!.callHandle(h, args, n);
  }
  ocamlRetain(h: number) { this.ocaml!.retain(h); }
  ocamlRelease(h: number) { this.ocaml?.release(h); }

  // ---- bigarrays (called by the OCaml runtime file) --------------------------------------------
  /** Where a bigarray's data goes on the wire: its own address when it already views Rust's
   *  memory (zero copy), else a copy in the call arena. */
  baPlace(ta: ArrayBufferView, kind: number): number {
    if (!(kind in BIGARRAY_KINDS)) throw new BoundaryError(`bigarrays of kind ${kind} cannot cross the boundary (supported: float32, float64, int8, uint8, int16, uint16, int32, int64, nativeint, char)`, "bigarray");
    if (ta.buffer === this.memory.buffer) return ta.byteOffset;
    const p = this.ocaml!.alloc(ta.byteLength);
    new Uint8Array(this.memory.buffer, p, ta.byteLength).set(new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength));
    return p;
  }

  /** Copies a bigarray's data from Rust's memory into the typed array of a bigarray OCaml made
   *  (int64 and nativeint bigarrays, whose typed arrays wasm_of_ocaml shares with int32). */
  baFill(ta: ArrayBufferView, ptr: number, _kind: number) {
    new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength).set(new Uint8Array(this.memory.buffer, ptr, ta.byteLength));
  }

  /** A typed array for a bigarray arriving from Rust: a view on Rust's memory when Rust shares
   *  the buffer (flag 0x100) and views survive growth, else a copy. */
  baView(eltFlags: number, length: number, ptr: number): ArrayBufferView {
    const C = BIGARRAY_KINDS[eltFlags & 0xff];
    if (!C) throw new BoundaryError(`bigarray kind ${eltFlags & 0xff} cannot cross the boundary`, "bigarray");
    // a shared buffer is viewed (after making the memory resizable, which replaces its buffer);
    // without resizable buffers the view would go stale at the next growth, so it is copied
    const shared = (eltFlags & 0x100) !== 0 && (this.resizableViews ||= makeResizable(this.memory));
    const view = new C(this.memory.buffer, ptr, length);
    return shared ? view : view.slice();
  }

  // ---- Rust values owned by OCaml (DynBox) -----------------------------------------------------
  private readonly boxes = new FinalizationRegistry<{ id: number; generation: number; instance: number }>((b) => {
    // a wrapper of the current Rust instance was collected: drop the Rust value
    if (b.instance === this.instances) this.rust.oiw_box_release(b.id, b.generation);
  });

  /** An OCaml wrapper of box `id` was made: Rust counts it, the GC will release it. */
  boxTrack(wrapper: object, id: number, generation: number): number {
    const ok = (this.rust.oiw_box_claim as (i: number, g: number) => number)(id, generation);
    if (ok) this.boxes.register(wrapper, { id, generation, instance: this.instances }, wrapper);
    return ok;
  }

  /** OCaml released the box explicitly. */
  boxUntrack(wrapper: object, id: number, generation: number) {
    if (this.boxes.unregister(wrapper)) this.rust.oiw_box_release(id, generation);
  }

  /** Rust values OCaml holds (DynBox), for leak checks. */
  liveBoxes(): number { return (this.rust.oiw_live_boxes as () => number)(); }

  /** OCaml values Rust holds by handle (closures), for leak checks. */
  liveHandles(): number { return this.ocaml?.liveHandles() ?? 0; }

  /** A call into Rust threw: a trap (panic, or another abort) or a JS exception. Records the
   *  error in the error slot so the caller raises it, and marks the instance for re-creation. */
  trap(e: unknown, fn: string) {
    this.poisoned = true;
    let kind: number = ErrorKind.RustPanic, msg: string;
    if (e instanceof WebAssembly.RuntimeError) {
      msg = this.lastPanic ?? `Rust aborted in ${fn}: ${e.message}`;
    } else if (e instanceof InteropError) {
      kind = e instanceof RustPanic ? ErrorKind.RustPanic : ErrorKind.Failure;
      msg = e.message;
    } else {
      kind = ErrorKind.Failure;
      msg = `${fn}: JavaScript exception: ${e instanceof Error ? e.message : String(e)}`;
      this.lastJsError = { msg, error: e };
    }
    this.lastPanic = undefined;
    this.setError(kind, msg);
  }

  private setError(kind: number, msg: string) {
    const bytes = encoder.encode(msg);
    const p = this.rust.oiw_error_reserve(bytes.length);
    new Uint8Array(this.memory.buffer, p, bytes.length).set(bytes);
    this.rust.oiw_error_commit(kind, bytes.length);
  }

  /** The JS error behind the last trap, if it was one (TS callers get it as `cause`). */
  private lastJsError?: { msg: string; error: unknown };

  /** Whether a trapped Rust instance is re-created at once, however many panics come in a row
   *  (the glue could be copied synchronously); otherwise pre-loaded spares are used. */
  get synchronousRecovery(): boolean { return this.glueFactory !== undefined; }

  /** Called when no Rust frame may be active any more: re-creates a trapped instance. */
  afterError() {
    if (this.poisoned && this.depth === 0) this.reset();
  }

  private reset() {
    const glue = this.glueFactory ? this.glueFactory() : this.spare;
    if (!glue) {
      // the previous spare is still loading: keep the old instance one call longer
      this.resetPending.value = 1;
      return;
    }
    this.spare = undefined;
    new Uint8Array(this.memory.buffer).fill(0);
    this.instantiate(glue);
    this.poisoned = false;
    this.resetPending.value = 0;
    this.resets++;
    if (!this.glueFactory) this.spareLoading = this.loadSpare();
  }

  // ---- the call arena, seen from TS -----------------------------------------------------------
  alloc(bytes: number): number {
    const st = this.rust.oiw_arena_state();
    const dv = new DataView(this.memory.buffer);
    const top = dv.getUint32(st, true), limit = dv.getUint32(st + 4, true);
    const n = (bytes + 7) & ~7;
    if (top !== 0 && top + n <= limit) {
      dv.setUint32(st, top + n, true);
      return top;
    }
    const start = this.rust.oiw_arena_grow(n);
    if (start === 0) throw new BoundaryError(this.readError()[1], "arena");
    new DataView(this.memory.buffer).setUint32(st, start + n, true);
    return start;
  }

  /** Enters a call frame (the same frames the OCaml glue uses). */
  private mark(): [number, number] {
    const top = this.ocaml!.frameEnter();
    const st = this.rust.oiw_arena_state();
    return [top, new DataView(this.memory.buffer).getUint32(st + 4, true)];
  }

  private release([top, limit]: [number, number]) {
    this.ocaml!.frameLeave(top, limit);
  }

  private readError(): [number, string] {
    const slot = this.rust.oiw_error_slot();
    const dv = new DataView(this.memory.buffer);
    const kind = dv.getUint32(slot, true), p = dv.getUint32(slot + 4, true), n = dv.getUint32(slot + 8, true);
    dv.setUint32(slot, 0, true);
    return [kind, decoder.decode(new Uint8Array(this.memory.buffer, p, n).slice())];
  }

  // ---- TS calls -----------------------------------------------------------------------------
  /** Calls a Rust export with JS values (typed by its spec). */
  callRust(e: ExportSpec, args: unknown[]): unknown {
    if (args.length !== e.args.length)
      throw new BoundaryError(`${e.name}: expected ${e.args.length} argument(s), got ${args.length}`, e.name);
    const mark = this.mark();
    let r: number | bigint;
    try {
      const words = e.args.map((a, i) => this.lowerArg(e, a.kind, a.type, args[i], `${e.name}: argument ${a.name}`));
      const f = this.rust[e.symbol] as (...a: (number | bigint)[]) => number | bigint;
      this.depth++;
      try { r = f(...words); }
      catch (err) { this.trap(err, e.name); r = e.ret.kind === "f64" ? NaN : e.ret.kind === "i64" ? 0n : ERROR_SENTINEL; }
      finally { this.depth--; }
      const failed = e.ret.kind === "ocaml" || e.ret.kind === "unit" ? r === ERROR_SENTINEL : this.errorPending();
      if (failed) {
        const [kind, msg] = this.readError();
        const jsError = this.lastJsError;
        this.lastJsError = undefined;
        if (jsError?.msg === msg && kind === ErrorKind.Failure) throw new JavaScriptError(msg, e.name, jsError.error);
        throw errorFromSlot(kind, msg, e.name);
      }
      return this.liftResult(e, r);
    } catch (err) {
      if (err instanceof ConversionError) throw new BoundaryError(err.message, e.name);
      throw err;
    } finally {
      this.release(mark);
      this.afterError();
    }
  }

  private errorPending(): boolean {
    return new DataView(this.memory.buffer).getUint32(this.rust.oiw_error_slot(), true) !== 0;
  }

  private lowerArg(e: ExportSpec, kind: string, t: TypeDesc | undefined, v: unknown, what: string): number | bigint {
    switch (kind) {
      case "i64": return WireCodec.int64(v, what);
      case "i32": return WireCodec.int32(v, what);
      case "f64":
        if (typeof v !== "number") throw new ConversionError(`${what}: expected a number`);
        return v;
      case "bool":
        if (typeof v !== "boolean") throw new ConversionError(`${what}: expected a boolean`);
        return v ? 1 : 0;
      case "isize":
        WireCodec.intWord(v as number, what);
        return v as number;
      default:
        return this.codec.encode(v, t ?? "unit", what);
    }
  }

  private liftResult(e: ExportSpec, r: number | bigint): unknown {
    switch (e.ret.kind) {
      case "unit": return undefined;
      case "f64": case "i64": case "i32": return r;
      case "bool": return r !== 0;
      case "isize": return r;
      default: return this.codec.decode((r as number) >>> 0, e.ret.type ?? "unit", `${e.name}: result`);
    }
  }

  /** Calls a function OCaml registered with Callback.register. */
  callOCaml(name: string, argTypes: TypeDesc[], retType: TypeDesc, args: unknown[]): unknown {
    if (!this.ocaml) throw new BoundaryError(`${name}: the OCaml program is not loaded`, name);
    if (args.length !== argTypes.length)
      throw new BoundaryError(`${name}: expected ${argTypes.length} argument(s), got ${args.length}`, name);
    const mark = this.mark();
    try {
      let id = this.ocamlIds.get(name);
      if (id === undefined) {
        const bytes = encoder.encode(name);
        const p = this.alloc(Math.max(bytes.length, 1));
        new Uint8Array(this.memory.buffer, p, bytes.length).set(bytes);
        id = this.ocaml.lookup(p, bytes.length);
        if (id === -1) throw new BoundaryError(`OCaml function '${name}' is not registered (OCaml must call Callback.register "${name}" f)`, name);
        if (id === -2) throw new BoundaryError(`'${name}' is registered in OCaml but is not a function`, name);
        this.ocamlIds.set(name, id);
      }
      const words = argTypes.map((t, i) => this.codec.encode(args[i], t, `${name}: argument ${i + 1}`));
      const argv = words.length ? this.alloc(4 * words.length) : 0;
      const dv = new DataView(this.memory.buffer);
      words.forEach((w, i) => dv.setUint32(argv + 4 * i, w, true));
      const r = this.ocaml.call(id, argv, words.length) >>> 0;
      if (r === ERROR_SENTINEL) {
        const [kind, msg] = this.readError();
        throw errorFromSlot(kind, msg, name);
      }
      return this.codec.decode(r, retType, `${name}: result`);
    } catch (err) {
      if (err instanceof ConversionError) throw new BoundaryError(err.message, name);
      throw err;
    } finally {
      this.release(mark);
      this.afterError();
    }
  }

  /** Bytes held by Rust's call arena (for leak checks). */
  arenaHeldBytes(): number { return this.rust.oiw_arena_held_bytes(); }
}
