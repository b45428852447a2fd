// Panic recovery: what a trap of the Rust instance was (the panic its hook recorded, a stack
// overflow, an engine fault, a JS exception through Rust), written into the error slot for the
// caller; the trapped instance re-created once no Rust frame is on the stack; and Rust work no
// call asked for (a Drop), whose faults go to the console.
import { ErrorKind, InteropError, JavaScriptError, RustPanic } from "../errors.ts";
import { isRuntimeError, isWasmException, newRuntimeError, setGlobal, typedArrayFill } from "../intrinsics.ts";
import { isStackOverflow, trapMessage } from "../engine.ts";
import { reentrancyMessage } from "../limits.ts";
import { BridgeArena } from "./arena.ts";

/** What the direct route's glue reports for a Rust exception under its call (a panic no export
 *  caught), whose value wasm cannot hand over (direct.ts). */
export const RUST_EXCEPTION: unique symbol = Symbol("a Rust exception");

/** Faults no call receives are told to the console rate-limited: the first three, then every 1000th. */
export const worthTelling = (n: number) => n <= 3 || n % 1000 === 0;

export abstract class BridgeRecovery extends BridgeArena {
  /** How many times the Rust instance was re-created after a panic. */
  resets = 0;
  /** The current instance's wasm-bindgen glue (its #[wasm_bindgen] functions). */
  abstract glue: Record<string, unknown>;
  /** A WASI app's WASI context: a trap its WASI calls caused has its reason there. */
  abstract wasiHost?: { takeFault(): string | undefined };
  /** Creates the Rust instance (again after a trap), with a fresh copy of wasm-bindgen's glue. */
  protected abstract instantiate(): void;
  /** Releases the OCaml values the trapped instance had rooted. */
  protected abstract releaseRetained(): void;

  /** A call into Rust one past the re-entrancy limit (limits.ts), refused before Rust runs:
   *  its error goes in the error slot (the OCaml glue raises it as Failure). */
  tooDeep(fn: string) {
    this.setError(ErrorKind.Failure, reentrancyMessage(fn));
  }

  /** A call into Rust threw: a trap (panic, or another abort) or a JS exception. Records the
   *  error in the error slot so the caller raises it, and marks the instance for re-creation.
   *  (`rustEntry`: false where the catch is not the host's call into Rust but an entry into
   *  OCaml above it, which found Rust frames skipped: direct.ts) */
  trap(e: unknown, fn: string, rustEntry = true) {
    this.h.poisoned = true;
    setGlobal(this.h.rustPoisoned, 1);
    const unwrap = this.glue?.__oiw_unwrapException as ((e: unknown) => unknown) | undefined;
    if (unwrap) e = unwrap(e);
    let kind: number = ErrorKind.RustPanic,
      msg: string;
    const wasiFault = this.wasiHost?.takeFault();
    const ocamlFault = rustEntry ? this.directOCamlFault(e, this.entryName(fn)) : undefined;
    if (ocamlFault !== undefined) {
      msg = ocamlFault;
    } else if (wasiFault !== undefined) {
      // proc_exit and the like: a WASI call that cannot return to Rust in a page
      msg = `${wasiFault} in ${this.entryName(fn)}: a WASI app's Rust module cannot end the page's process; the Rust instance was re-created`;
    } else if (isRuntimeError(e)) {
      msg = this.trapMessage(e, fn);
    } else if (isWasmException(e) || e === RUST_EXCEPTION) {
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
    this.lastTrap = msg;
    this.setError(kind, msg);
  }
  /** With Rust calling OCaml directly, what a fault `e` of the OCaml code that `fn` called was
   *  (direct-ocaml.ts); undefined when it was no such fault. */
  protected directOCamlFault(_e: unknown, _fn: string): string | undefined {
    return undefined;
  }
  /** With panics that abort, Rust's panic hook calls this last (rust/ocaml-interop-web/src/
   *  host.rs): the panic leaves Rust as this JS exception, which the caller (the OCaml glue's
   *  direct call, a trampoline, a TS call) catches as it catches a trap, where a trap could not
   *  be caught in wasm. The instance is re-created, as after a trap: its stack is not unwound. */
  panicThrow(): never {
    const msg = this.recordedPanic() ?? "a Rust panic";
    throw (this.thrownPanic = new RustPanic(msg, this.runningExport()));
  }
  /** The last panic panicThrow threw (a #[wasm_bindgen] function's caller tells it so from its own error). */
  protected thrownPanic?: RustPanic;

  /** The export the Rust runtime records as running innermost (rust/ocaml-interop-web/src/
   *  runtime.rs), read from memory. */
  protected runningExport(): string {
    return this.nameAt(this.at.currentExport) ?? "a Rust export";
  }

  /** What the last trap was (the promises of the trapped instance's tasks are rejected with it). */
  protected lastTrap = "";

  /** What a trap of the Rust instance was: the panic behind it (the hook recorded its message
   *  in Rust's memory, which is intact), or the engine's reason. */
  protected trapMessage(e: WebAssembly.RuntimeError, fn: string): string {
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
  protected entryName(fn: string): string {
    if (fn !== "a Rust closure") return fn;
    const maker = this.nameAt(this.at.runningClosure);
    return maker === undefined ? fn : `a Rust closure made by ${maker}`;
  }

  /** A name Rust keeps at `p` for the host to read after a trap (`[ptr][len]`, runtime.rs's
   *  NameRecord), or undefined when there is none or it is not plausible. */
  protected nameAt(p: number): string | undefined {
    const ptr = this.word(p),
      len = this.word(p + 4);
    if (len === 0 || len > 256 || ptr + len > this.words().length * 4) return undefined;
    return this.text(ptr, len);
  }

  /** Whether Rust's own stack ran out: it is the first MiB of the memory (the linker places it
   *  below the static data, growing down), zeroed at every re-creation, so its lowest bytes are
   *  written only by a stack used to its end; one more frame then writes below address 0, which
   *  traps as an out-of-bounds access. */
  protected rustStackExhausted(): boolean {
    // (its first KiB is left out: a write through a null pointer lands there)
    const words = Math.min(4096, (this.at.heapBase || 1 << 20) >>> 2);
    const low = this.words();
    for (let i = 256; i < words; i++) if (low[i] !== 0) return true;
    return false;
  }

  /** The panic the hook recorded before a trap (rust/ocaml-interop-web/src/panic.rs), read from
   *  memory: `[count][len][first: 2040 bytes][len][previous: 2040 bytes][len][latest: 2040 bytes]`. */
  protected recordedPanic(): string | undefined {
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

  /** The JS error behind the last trap, if it was one (TS callers get it as `cause`). */
  lastJsError?: { msg: string; error: unknown };

  /** The JavaScriptError a failed call gets when a JS error behind it is its reason: a JS
   *  exception through Rust (a trap), or one a JS function passed as a closure threw (its
   *  message then reaches the caller inside a Failure or an OCaml exception's text). */
  protected jsErrorFor(kind: number, msg: string, fn: string): JavaScriptError | undefined {
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
    if (this.h.poisoned && this.depth === 0 && !this.disposed) this.reset();
    this.values.flush();
  }

  protected reset() {
    this.releaseRetained();
    // below the heap base: the static data and the stack; the runtime's allocator reuses the
    // pages above it (see rust/ocaml-interop-web/src/heap.rs), so they need no zeroing
    typedArrayFill(this.bytes(0, this.at.heapBase || this.words().length * 4), 0);
    this.instantiate();
    // the trapped instance's async tasks are gone: TS's awaiters of them are rejected
    this.values.promises.instanceEnded(this.lastTrap);
    this.h.poisoned = false;
    setGlobal(this.h.rustPoisoned, 0);
    setGlobal(this.h.resetPending, 0);
    this.resets++;
  }

  /** Runs Rust work no call asked for (a finalizer's or a release's Drop). If it traps (a panic
   *  in a Drop with panic = "abort", or another abort), the instance is re-created as after any
   *  trap, and the fault is told to the console (rate-limited): it is no caller's error, and it
   *  never escapes as an uncaught page error nor fails the next call. */
  protected housekeeping(what: string, f: () => void) {
    this.hostFrames++;
    try {
      f();
    } catch (e) {
      this.hostFrames--;
      this.housekeepingFault(what, e);
      return;
    }
    this.hostFrames--;
    this.afterError();
  }

  /** The fault of housekeeping `what` (its Rust work threw `e`; no Rust frame of it is left):
   *  handled as a trap, told to the console (rate-limited). */
  protected housekeepingFault(what: string, e: unknown) {
    this.hostFrames++;
    try {
      this.trap(e, what);
      const [, msg] = this.readError();
      const n = ++this.housekeepingFaults;
      if (worthTelling(n)) console.error(`ocaml-interop: ${this.name}: ${msg}${n > 1 ? ` (${n} such faults so far)` : ""}`);
    } finally {
      this.hostFrames--;
    }
    this.afterError();
  }
  /** How many faults Rust work no call asked for had (see `housekeeping`). */
  housekeepingFaults = 0;

  /** Called by the OCaml glue's trampolines when the last Rust frame of a trapped instance
   *  returned: the OCaml glue then re-creates it (through afterError) when its frame ends. */
  markResetPending() {
    setGlobal(this.h.resetPending, 1);
  }
}
