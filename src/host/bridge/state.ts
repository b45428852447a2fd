// What every part of the bridge shares: its app, the memory (read as bytes, words and text), the
// object the generated glue receives (glue-imports.ts, which holds the current Rust instance and
// the count of Rust frames), that instance's static addresses, and the OCaml dispatcher.
import type { App } from "../app.ts";
import { BoundaryError } from "../errors.ts";
import { Uint32ArrayAtLoad, Uint8ArrayAtLoad, fromUtf8, memoryBuffer } from "../intrinsics.ts";
import { MAX_NESTED_RUST_CALLS } from "../limits.ts";
import type { WireCodec } from "../wire.ts";
import type { HostValues } from "../values.ts";
import type { GlueImports, OCamlDispatcher, RustRaw } from "./glue-imports.ts";

/** Static addresses in the current Rust instance (its error slot, arena state, ...), read when
 *  it is created: after a trap nothing calls into it. */
export interface RustAddresses {
  slot: number;
  arena: number;
  heapBase: number;
  panics: number;
  hostMessage: number;
  runningClosure: number;
  currentExport: number;
  /** Rust's calls into OCaml under way and the innermost one's id (direct-ocaml.ts) */
  ocamlCalling: number;
}

export abstract class BridgeState {
  readonly app: App;
  readonly memory: WebAssembly.Memory;
  /** What the generated glue receives as `__oiw_host` (built by the Bridge from its parts). */
  protected abstract readonly h: GlueImports;
  abstract readonly codec: WireCodec;
  /** The values that cross TS by handle: JS functions, closures, DynBox (src/host/values.ts). */
  abstract readonly values: HostValues;
  /** Whether dispose() was called. */
  disposed = false;
  protected ocaml?: OCamlDispatcher;
  protected instances = 0;
  protected at!: RustAddresses;

  protected constructor(app: App, memory: WebAssembly.Memory) {
    this.app = app;
    this.memory = memory;
  }

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

  /** The current Rust instance's raw exports, the Rust frames on the stack, whether the
   *  instance trapped: the glue imports' fields (the bridge's parts use them there). */
  get rust(): RustRaw {
    return this.h.rust;
  }
  /** Rust frames on the stack: the OCaml runtime file counts them (the OCaml glue's direct calls
   *  and the host's own: direct.ts) once the program registered its dispatcher; before, the
   *  host does. Rust work no call asked for (a Drop) is counted here (`hostFrames`). */
  get depth(): number {
    return (this.frames ? this.frames.rustFrames() : this.callFrames) + this.hostFrames;
  }
  /** The dispatcher counting the Rust frames (kept when the app is disposed: frames may still
   *  be under way); the calls into Rust the host made through JS (counted there too) and the
   *  Rust work no call asked for, which only the host counts. */
  protected frames?: OCamlDispatcher;
  protected callFrames = 0;
  protected hostFrames = 0;

  /** A call into Rust through JS begins: false, counting nothing, when it would pass the
   *  re-entrancy limit (limits.ts). */
  protected enterRust(): boolean {
    const f = this.frames;
    if (f) {
      if (this.recordRustEntries) {
        if (f.rustEnterRec(MAX_NESTED_RUST_CALLS) === 0) return false;
        this.entryLevel++;
      } else if (f.rustEnter(MAX_NESTED_RUST_CALLS) === 0) return false;
    } else if (this.callFrames >= MAX_NESTED_RUST_CALLS) return false;
    this.callFrames++;
    return true;
  }
  protected leaveRust() {
    const f = this.frames;
    if (f) {
      if (this.recordRustEntries) f.rustLeaveRec(--this.entryLevel);
      else f.rustLeave();
    }
    this.callFrames--;
  }
  /** Host entries into OCaml under way, each recorded by the OCaml runtime file (direct.ts,
   *  trapUnder), and with Rust calling OCaml directly the host's calls into Rust too. */
  protected entryLevel = 0;
  /** With Rust calling OCaml directly (LoadOptions.ocamlCalls "direct", direct-ocaml.ts) a
   *  trap in OCaml under Rust skips OCaml's bookkeeping on its way to the host's call into
   *  Rust: each such call is a recorded entry then, whose end puts the bookkeeping back. Set
   *  once, before the OCaml program registers. */
  protected recordRustEntries = false;
  get poisoned(): boolean {
    return this.h.poisoned;
  }

  protected checkLive(fn: string) {
    if (this.disposed) throw new BoundaryError(`${fn}: the app ${this.name} was disposed (load it again with loadInterop)`, fn);
  }

  /** The memory's bytes and words (views re-made when the memory grew: growth detaches a plain
   *  buffer; a resizable one's views track its length). Addresses of words are 4-aligned. */
  protected bytes(p: number, n: number): Uint8Array {
    return new Uint8ArrayAtLoad(memoryBuffer(this.memory), p >>> 0, n >>> 0);
  }
  protected words(): Uint32Array {
    const b = memoryBuffer(this.memory);
    if (b !== this.wordsOf) {
      this.wordsOf = b;
      this.wordsView = new Uint32ArrayAtLoad(b);
    }
    return this.wordsView!;
  }
  private wordsOf?: ArrayBufferLike;
  private wordsView?: Uint32Array;
  protected word(p: number): number {
    return this.words()[p >>> 2];
  }
  protected setWord(p: number, v: number) {
    this.words()[p >>> 2] = v;
  }
  /** The UTF-8 text at [p, p + n). */
  protected text(p: number, n: number): string {
    return fromUtf8(this.bytes(p, n));
  }
}
