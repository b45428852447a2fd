// Calls from Rust into OCaml (the runtime crate's wasm-bindgen imports): registered functions
// looked up and called, OCaml closures called by handle and rooted by Rust per instance, and a
// fault of the OCaml program under such a call reported to Rust as an error.
import { ErrorKind, InteropError, RustPanic } from "../errors.ts";
import { isRuntimeError } from "../intrinsics.ts";
import { isOutOfMemory, isStackOverflow, trapMessage } from "../engine.ts";
import { ERROR_SENTINEL } from "../wire.ts";
import type { OCamlDispatcher } from "./glue-imports.ts";
import { BridgeDirect } from "./direct.ts";

export abstract class BridgeFromRust extends BridgeDirect {
  // ---- called by the OCaml glue and wasm-bindgen's imports (see ocaml_interop.js) ------------
  registerOCaml(d: OCamlDispatcher) {
    this.ocaml = d;
    // no Rust frame is under way as the program starts (nothing called Rust yet)
    this.frames = d;
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
  protected ocamlNames: string[] = [];

  // (these two never throw: Rust calls them as plain imports, and a failure is the call's error)
  ocamlCall(id: number, args: number, n: number): number {
    if (!this.ocaml) return this.notLoaded(this.ocamlNames[id] ?? "an OCaml function");
    const level = this.entryLevel++;
    try {
      const r = this.ocaml.call(id, args, n);
      this.entryLevel = level;
      return r;
    } catch (e) {
      // a trap in Rust under it (called directly by the OCaml glue) is in the error slot
      if (this.trapUnder(e, level)) return ERROR_SENTINEL;
      return this.ocamlFault(e, this.ocamlNames[id] ?? "an OCaml function");
    }
  }

  ocamlCallHandle(h: number, lo: number, hi: number, args: number, n: number): number {
    if (!this.ocaml) return this.notLoaded("an OCaml closure");
    const level = this.entryLevel++;
    try {
      const r = this.ocaml.callHandle(h, lo, hi, args, n);
      this.entryLevel = level;
      return r;
    } catch (e) {
      if (this.trapUnder(e, level)) return ERROR_SENTINEL;
      return this.ocamlFault(e, "an OCaml closure");
    }
  }

  /** A call from Rust into OCaml while no OCaml program runs (before it started, after
   *  dispose()): the call's error. */
  private notLoaded(fn: string): number {
    this.setError(ErrorKind.Failure, `${fn}: the OCaml program of ${this.name} is not running (not loaded yet, or the app was disposed)`);
    return ERROR_SENTINEL;
  }

  /** A fault of the OCaml program under a call from Rust, caught before it reaches Rust (which
   *  could not catch it): reported in the error slot as what it is, so Rust gets its `Err` (the
   *  try_ forms) or panics as for an exception, and is neither blamed nor re-created. */
  protected ocamlFault(e: unknown, fn: string): number {
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
  protected retained = new Map<string, { h: number; lo: number; hi: number; n: number }>();

  protected releaseRetained() {
    for (const { h, lo, hi, n } of this.retained.values()) for (let i = 0; i < n; i++) this.ocaml?.release(h, lo, hi);
    this.retained.clear();
  }

  /** OCaml values Rust holds by handle (closures), for leak checks. */
  liveHandles(): number {
    return this.ocaml?.liveHandles() ?? 0;
  }
}
