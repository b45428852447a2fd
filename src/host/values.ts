// The values that cross between TypeScript and an app by handle (docs/guide/part8-typescript.md):
//
// - a JS function passed where a closure is expected becomes an OCaml function value (a
//   `$js_closure` of ocaml_interop_boxes.wat) that calls back here with its arguments encoded; Rust
//   sees an ordinary OCaml closure handle, so its release paths (the call's frame, BoxRoot) are
//   the existing ones. The JS function is kept while any such OCaml value lives (a
//   FinalizationRegistry on those values), and the last one is reused while it lives, so
//   passing the same function again allocates nothing;
// - an OCaml closure TS receives is a retained handle of OCaml's table, a Rust closure a claimed
//   entry of Rust's box table; either becomes a callable JS function (frozen, with release() and
//   [Symbol.dispose]), released by a FinalizationRegistry when dropped;
// - a Rust value (DynBox) is an opaque frozen handle object (release(), [Symbol.dispose]) whose
//   state lives in a WeakMap of this module, so nothing of it is reachable from the page and a
//   forged or foreign object is recognised; a handle of a Rust instance that trapped (and was
//   re-created), of another app, of another type or released is a clear error, never a value.
//
// A Rust value released while Rust code runs (from a callback) is dropped when the outermost
// Rust frame returns: Rust may be borrowing it.
import type { Bridge } from "./bridge.ts";
import { BoundaryError, ErrorKind } from "./errors.ts";
import { ConversionError, ERROR_SENTINEL, show, showThrown, type FnType, type HandleHost } from "./wire.ts";
import { FinalizationRegistryAtLoad, Uint32ArrayAtLoad, memoryBuffer, typedArraySlice } from "./intrinsics.ts";
import { HostPromises } from "./promises.ts";

// ---- built-ins, captured now -----------------------------------------------------------------
const { create, defineProperty, freeze } = Object;
const apply = Reflect.apply;
const uncurry = Function.prototype.bind.bind(Function.prototype.call) as <A extends unknown[], R>(
  f: (...a: A) => R,
) => (self: unknown, ...a: A) => R;
const weakGet = uncurry(WeakMap.prototype.get) as <K extends object, V>(m: WeakMap<K, V>, k: K) => V | undefined;
const weakSet = uncurry(WeakMap.prototype.set) as <K extends object, V>(m: WeakMap<K, V>, k: K, v: V) => void;
const mapGet = uncurry(Map.prototype.get) as <V>(m: Map<number, V>, k: number) => V | undefined;
const mapSet = uncurry(Map.prototype.set) as <V>(m: Map<number, V>, k: number, v: V) => void;
const mapDelete = uncurry(Map.prototype.delete) as (m: Map<number, unknown>, k: number) => boolean;
const register = uncurry(FinalizationRegistry.prototype.register) as <T>(
  r: FinalizationRegistry<T>,
  o: object,
  held: T,
  token?: object,
) => void;
const unregister = uncurry(FinalizationRegistry.prototype.unregister) as (r: FinalizationRegistry<unknown>, token: object) => boolean;
const WeakRefOf = WeakRef;
const deref = uncurry(WeakRef.prototype.deref) as <T extends object>(r: WeakRef<T>) => T | undefined;

/** `Symbol.dispose` where the engine has it, else the key TypeScript's `using` falls back to. */
export const DISPOSE: symbol = typeof Symbol.dispose === "symbol" ? Symbol.dispose : Symbol.for("Symbol.dispose");

const dataDescriptor = (value: unknown): PropertyDescriptor =>
  ({ __proto__: null, value, writable: false, enumerable: false, configurable: false }) as PropertyDescriptor;

/** A DynBox handle's state (never reachable from the handle itself). */
interface BoxState {
  values: HostValues;
  id: number;
  lo: number;
  hi: number;
  /** the Rust instance it belongs to (a re-created instance has other boxes) */
  instance: number;
  /** the Rust type (std::any::type_name), "" when unknown */
  type: string;
  released: boolean;
}

/** The state of a closure TS received (an OCaml closure's handle, or a Rust closure's box). */
interface ClosureState {
  values: HostValues;
  rust: boolean;
  t: FnType;
  name: string;
  /** OCaml: the handle and its generation's halves; Rust: the box id, generation halves, arity, instance */
  h: number;
  lo: number;
  hi: number;
  arity: number;
  instance: number;
  released: boolean;
}

/** A JS function OCaml function values call (one entry per function and type). */
interface JsFunction {
  id: number;
  fn: Function;
  t: FnType;
  name: string;
  /** OCaml function values holding it (partial applications too) */
  live: number;
  /** the last fresh OCaml function value made for it, reused while it lives */
  value: WeakRef<object> | undefined;
}

/** Every app's handles, so a handle passed to the wrong app is recognised. */
const boxStates = new WeakMap<object, BoxState>();
const closureStates = new WeakMap<Function, ClosureState>();

export class HostValues implements HandleHost {
  private readonly bridge: Bridge;
  private readonly fns = new Map<number, JsFunction>();
  private readonly byFunction = new WeakMap<Function, JsFunction>();
  private nextId = 1;
  /** the entry a fresh OCaml value is being made for (trackJsClosure keeps it for reuse) */
  private making: JsFunction | undefined;
  private makeJsClosure?: (id: number, arity: number) => number;
  private handleOf?: (v: object) => number;
  /** the two halves of a handle's generation (it crosses with the handle: [h; 0; lo; hi]) */
  private genLo?: (h: number) => number;
  private genHi?: (h: number) => number;
  /** Rust values released while a Rust frame was active, dropped when it returns */
  private readonly pending: [number, number, number, number][] = [];

  private readonly jsFinalizer = new FinalizationRegistryAtLoad<number>((id) => {
    const e = mapGet(this.fns, id);
    if (e && --e.live === 0) mapDelete(this.fns, id);
  });
  private readonly closureFinalizer = new FinalizationRegistryAtLoad<ClosureState>((st) => this.drop(st));
  private readonly boxFinalizer = new FinalizationRegistryAtLoad<BoxState>((st) => this.drop(st));

  /** Promises TS awaits and gives (promises.ts). */
  readonly promises: HostPromises;

  constructor(bridge: Bridge) {
    this.bridge = bridge;
    this.promises = new HostPromises(bridge.name, () => bridge.instance);
  }

  promiseOf(subscribe: Function, fromRust: boolean, path: string): Promise<unknown> {
    return this.promises.promiseOf(subscribe, fromRust, path);
  }

  subscriberOf(v: unknown, path: string): Function {
    return this.promises.subscriberOf(v, path);
  }

  // ---- called by the OCaml runtime file (ocaml_interop.js) --------------------------------------
  registerOCaml(
    make: (id: number, arity: number) => number,
    handleOf: (v: object) => number,
    genLo: (h: number) => number,
    genHi: (h: number) => number,
  ) {
    this.makeJsClosure = make;
    this.handleOf = handleOf;
    this.genLo = genLo;
    this.genHi = genHi;
  }

  /** A handle of OCaml's table with its generation. */
  private withGeneration(h: number): readonly [number, number, number] {
    return [h, this.genLo!(h) >>> 0, this.genHi!(h) >>> 0];
  }

  /** OCaml made a function value `f` for JS function `id` (a fresh one, or a partial application). */
  trackJsClosure(f: object, id: number) {
    const e = mapGet(this.fns, id);
    if (!e) return;
    e.live++;
    register(this.jsFinalizer, f, id);
    if (this.making === e) e.value = new WeakRefOf(f);
  }

  /** OCaml applied JS function `id` to `n` wire words at `argv`: its result's word, or the error
   *  sentinel with the error in the error slot (a JS exception as Failure, with its message). */
  callJs(id: number, argv: number, n: number): number {
    const e = mapGet(this.fns, id);
    if (!e) return this.fail(ErrorKind.InvalidArgument, "ocaml-interop: a JS function that is no longer held was called");
    const b = this.bridge,
      codec = b.codec;
    if (n !== e.t.args.length)
      return this.fail(ErrorKind.InvalidArgument, `${e.name}: called with ${n} argument(s), expected ${e.t.args.length}`);
    const args: unknown[] = [];
    const words = typedArraySlice(new Uint32ArrayAtLoad(memoryBuffer(b.memory), argv >>> 0, n));
    try {
      for (let i = 0; i < n; i++) args[i] = codec.decode(words[i], e.t.args[i], `${e.name}: argument ${i + 1}`);
    } catch (err) {
      return this.fail(ErrorKind.Failure, err instanceof Error ? err.message : String(err));
    }
    let r: unknown;
    try {
      r = apply(e.fn, undefined, args);
    } catch (err) {
      const msg = `${e.name}: JavaScript exception: ${showThrown(err)}`;
      b.lastJsError = { msg, error: err };
      return this.fail(ErrorKind.Failure, msg);
    }
    try {
      return codec.encode(r, e.t.ret, `${e.name}: result`);
    } catch (err) {
      return this.fail(ErrorKind.Failure, err instanceof Error ? err.message : String(err));
    }
  }

  private fail(kind: number, msg: string): number {
    this.bridge.setError(kind, msg);
    return ERROR_SENTINEL;
  }

  // ---- the codec's handles ---------------------------------------------------------------------
  closureHandle(f: Function, t: FnType, path: string): readonly [number, number, number] {
    const own = weakGet(closureStates, f);
    // an OCaml closure this app gave TS goes back as itself
    if (own && own.values === this && !own.rust && !own.released) return [own.h, own.lo, own.hi];
    if (!this.makeJsClosure || !this.handleOf) throw new ConversionError(`${path}: the OCaml program is not loaded`);
    let e = weakGet(this.byFunction, f);
    if (!e || e.t !== t || mapGet(this.fns, e.id) !== e) {
      e = { id: this.nextId++, fn: f, t, name: path, live: 0, value: undefined };
      mapSet(this.fns, e.id, e);
      weakSet(this.byFunction, f, e);
    }
    const v = e.value && deref(e.value);
    if (v) return this.withGeneration(this.handleOf(v) >>> 0);
    this.making = e;
    try {
      return this.withGeneration(this.makeJsClosure(e.id, t.args.length) >>> 0);
    } finally {
      this.making = undefined;
    }
  }

  ocamlClosure(h: number, lo: number, hi: number, t: FnType, path: string): Function {
    const ocaml = this.bridge.dispatcher;
    if (!ocaml) throw new ConversionError(`${path}: the OCaml program is not loaded`);
    ocaml.retain(h, lo, hi);
    return this.callable({ values: this, rust: false, t, name: path, h, lo, hi, arity: t.args.length, instance: 0, released: false });
  }

  rustClosure(id: number, lo: number, hi: number, arity: number, t: FnType, path: string): Function {
    if (arity !== t.args.length)
      throw new ConversionError(`${path}: a Rust closure of ${arity} argument(s), where the type says ${t.args.length}`);
    if (!(this.bridge.rust.oiw_box_claim as (i: number, l: number, h: number) => number)(id, lo, hi))
      throw new ConversionError(`${path}: this Rust closure was already released`);
    return this.callable({
      values: this,
      rust: true,
      t,
      name: path,
      h: id,
      lo,
      hi,
      arity,
      instance: this.bridge.instance,
      released: false,
    });
  }

  private callable(st: ClosureState): Function {
    const f = (...args: unknown[]) => this.call(st, args);
    const release = () => this.release(st);
    defineProperty(f, "release", dataDescriptor(release));
    defineProperty(f, DISPOSE, dataDescriptor(release));
    freeze(f);
    weakSet(closureStates, f, st);
    register(this.closureFinalizer, f, st, st);
    return f;
  }

  private call(st: ClosureState, args: unknown[]): unknown {
    const b = this.bridge,
      what = st.rust ? "Rust closure" : "OCaml closure";
    if (st.released) throw new BoundaryError(`${st.name}: this ${what} was released (release() was called)`, st.name);
    if (st.rust) {
      if (st.instance !== b.instance)
        throw new BoundaryError(
          `${st.name}: this Rust closure belonged to a Rust instance that trapped and was re-created; its state is gone`,
          st.name,
        );
      const { h, lo, hi } = st;
      return b.callWire(st.name, st.t.args, st.t.ret, args, "rust", (argv, n) =>
        (b.rust.oiw_rust_closure_call as (...a: number[]) => number)(h, lo, hi, argv, n),
      );
    }
    const { h, lo, hi } = st;
    return b.callWire(st.name, st.t.args, st.t.ret, args, "ocaml closure", (argv, n) => b.dispatcher!.callHandle(h, lo, hi, argv, n));
  }

  boxHandle(id: number, lo: number, hi: number, type: string, path: string): object {
    if (!(this.bridge.rust.oiw_box_claim as (i: number, l: number, h: number) => number)(id, lo, hi))
      throw new ConversionError(`${path}: this Rust value (DynBox) was already released`);
    const st: BoxState = { values: this, id, lo, hi, instance: this.bridge.instance, type, released: false };
    const handle = create(null) as object;
    const release = () => this.release(st);
    defineProperty(handle, "release", dataDescriptor(release));
    defineProperty(handle, DISPOSE, dataDescriptor(release));
    defineProperty(handle, Symbol.toStringTag, dataDescriptor(`DynBox<${type || "?"}>`));
    freeze(handle);
    weakSet(boxStates, handle, st);
    register(this.boxFinalizer, handle, st, st);
    return handle;
  }

  boxWords(v: unknown, type: string, path: string): readonly [number, number, number] {
    const want = `a DynBox${type ? `<${type}>` : ""}`;
    const st = typeof v === "object" && v !== null ? weakGet(boxStates, v) : undefined;
    if (!st) throw new ConversionError(`${path}: expected ${want} (a Rust value handle TypeScript received from the app), got ${show(v)}`);
    if (st.values !== this) {
      const other = st.values.bridge.name;
      throw new ConversionError(
        other === this.bridge.name
          ? `${path}: this DynBox belongs to another load of the app ${other} (each loadInterop() has its own Rust values)`
          : `${path}: this DynBox belongs to the app ${other}, not to ${this.bridge.name}`,
      );
    }
    if (st.released) throw new ConversionError(`${path}: this DynBox${st.type ? `<${st.type}>` : ""} was released (release() was called)`);
    if (st.instance !== this.bridge.instance)
      throw new ConversionError(`${path}: this DynBox belonged to a Rust instance that trapped and was re-created; its value is gone`);
    if (type && st.type && type !== st.type) throw new ConversionError(`${path}: expected ${want}, got a DynBox<${st.type}>`);
    return [st.id, st.lo, st.hi];
  }

  // ---- release --------------------------------------------------------------------------------
  private release(st: BoxState | ClosureState) {
    if (st.released) return;
    unregister("rust" in st ? this.closureFinalizer : this.boxFinalizer, st);
    this.drop(st);
  }

  /** Gives up TS's hold on a handle (released, or its handle object collected). */
  private drop(st: BoxState | ClosureState) {
    if (st.released) return;
    st.released = true;
    const b = this.bridge;
    if (b.disposed) return;
    if ("rust" in st && !st.rust) {
      b.dispatcher?.release(st.h, st.lo, st.hi);
      return;
    }
    const id = "rust" in st ? st.h : st.id;
    if (st.instance !== b.instance || b.poisoned) return; // its instance is gone
    if (b.depth > 0) this.pending.push([id, st.lo, st.hi, st.instance]);
    else b.releaseBox(id, st.lo, st.hi);
  }

  /** Drops the Rust values released while Rust code ran (no Rust frame is active now). */
  flush() {
    const b = this.bridge;
    while (this.pending.length && b.depth === 0 && !b.disposed) {
      const [id, lo, hi, instance] = this.pending.pop()!;
      if (instance === b.instance && !b.poisoned) b.releaseBox(id, lo, hi);
    }
  }

  /** JS functions OCaml values hold (for leak checks). */
  liveFunctions(): number {
    return this.fns.size;
  }
}
