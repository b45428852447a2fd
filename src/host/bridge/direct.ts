// The direct route from OCaml to Rust: the table the generated glue calls the Rust exports
// through (src/build/glue/wat.ts), filled with the current instance's exports and filled again
// when the instance is re-created; the glue's calls back into the host on that route's rare
// paths (a JS or Rust exception under the call, the re-entrancy limit, the last Rust frame of a
// trapped instance returning); and the traps it cannot catch. No wasm code can catch a trap, so
// a trap in Rust called this way skips the OCaml glue and reaches the innermost JS frame: a
// host call into OCaml (from TS, from Rust) or a callback into OCaml the loader guards
// (guardEntry). Each of those calls `trapUnder` when it catches: it puts the OCaml runtime
// file's count of Rust frames and its frames back as they were when the entry began, and tells
// whether the throw skipped Rust frames; if it did, it is a trap of the instance, named by the
// export the runtime recorded as running, and handled as every trap is (panic-recovery.ts).
import { RustPanic } from "../errors.ts";
import { WebAssemblyAtLoad, tableSet } from "../intrinsics.ts";
import { BridgeRecovery, RUST_EXCEPTION } from "./panic-recovery.ts";

export abstract class BridgeDirect extends BridgeRecovery {
  /** The table of the direct route, and its entries' Rust symbols and export names. */
  private direct?: WebAssembly.Table;
  private directSymbols: string[] = [];
  private directNames: string[] = [];

  /** Called once by the app's rust_glue.js as the OCaml program loads: makes the table of the
   *  listed exports (`[symbol, name]`, in the glue's order) and fills it. */
  directTable(entries: readonly (readonly [string, string])[]): WebAssembly.Table {
    const symbols: string[] = [],
      names: string[] = [];
    // (indices, not the array's iterator, which a page script may have replaced)
    for (let i = 0; i < entries.length; i++) {
      symbols[i] = String(entries[i][0]);
      names[i] = String(entries[i][1]);
    }
    this.directSymbols = symbols;
    this.directNames = names;
    this.direct = new WebAssemblyAtLoad.Table({ element: "anyfunc", initial: symbols.length });
    this.fillDirect();
    return this.direct;
  }

  /** Puts the current instance's exports in the table (after every instantiation). */
  protected fillDirect() {
    const t = this.direct;
    if (!t || !this.h.rust) return;
    for (let i = 0; i < this.directSymbols.length; i++) {
      const f = this.h.rust[this.directSymbols[i]];
      // (every export the glue names was checked at load: load.ts, checkExports)
      if (typeof f !== "function") throw new Error(`ocaml-interop: ${this.name}: the Rust module has no export ${this.directSymbols[i]}`);
      tableSet(t, i, f);
    }
  }

  /** The name of the direct route's entry `i` (an index the glue passes). */
  private directName(i: number): string {
    return this.directNames[i] ?? "a Rust export";
  }

  /** The last direct Rust frame of a trapped instance returned: it is re-created once no Rust
   *  frame is left (the OCaml glue's frame, leaving, does it). */
  directReturned() {
    if (this.depth === 0) this.markResetPending();
  }

  /** A JS exception (or, `rust`, a Rust exception: a panic no export caught) went through the
   *  Rust export `i` the glue called directly: the call's error, as the trampoline makes it. */
  directThrew(i: number, rust: boolean, e: unknown) {
    this.trap(rust ? RUST_EXCEPTION : e, this.directName(i), false);
    if (this.depth === 0) this.markResetPending();
  }

  /** A direct call one past the re-entrancy limit: refused before Rust runs. */
  directTooDeep(i: number) {
    this.tooDeep(this.directName(i));
  }

  /** After a host entry into OCaml that began at `level` threw `e`: puts the Rust frame count
   *  and the OCaml frames back as the entry found them and, if the throw skipped Rust frames
   *  the glue entered directly (a trap in Rust), handles it as a trap of the instance. Returns
   *  that trap's error (a RustPanic naming the export), or undefined when `e` is not one. */
  protected trapUnder(e: unknown, level: number): RustPanic | undefined {
    this.entryLevel = level;
    const skipped = this.ocaml ? this.ocaml.trapUnwind(level) : 0;
    return skipped > 0 ? this.trapOfExport(e) : undefined;
  }

  /** The throw `e` skipped Rust frames: a trap of the instance, in the export Rust records as
   *  running; handled as every trap (the instance is re-created), and the caller's error. */
  private trapOfExport(e: unknown): RustPanic {
    const fn = this.runningExport();
    this.trap(e, fn, false);
    return new RustPanic(this.lastTrap, fn);
  }

  /** `trapUnder` for an entry that recorded nothing, with nothing under way (see guardEntry):
   *  the program's top level, or the page calling OCaml. No Rust frame was on the stack when it
   *  began: any now are the ones the throw skipped. */
  private trapAtTop(e: unknown): RustPanic | undefined {
    // (level -1: the counts, the frames and the temporary handles all go back to zero)
    const skipped = this.ocaml ? this.ocaml.trapUnwind(-1) : 0;
    return skipped > 0 ? this.trapOfExport(e) : undefined;
  }

  /** `f` (wasm_of_ocaml's caml_callback, through which every JS function OCaml made calls it;
   *  the program's top level), as an entry whose trap under a direct Rust call is handled: the
   *  instance is re-created and the caller gets a RustPanic naming the export, not the engine's
   *  RuntimeError. An entry with no other entry and no host call into Rust under way (the page
   *  calling OCaml) records nothing: no Rust frame can be on the stack then (a direct one is
   *  always under an entry, the others the host counts), so any after a throw are the ones it
   *  skipped (trapAtTop); it costs a JS frame and a try. */
  guardEntry<F extends (a?: unknown, b?: unknown, c?: unknown, d?: unknown) => unknown>(f: F): F {
    const b = this;
    // (`f` is a wasm function: `this` means nothing to it, and a plain call reads no prototype)
    return function (x0?: unknown, x1?: unknown, x2?: unknown, x3?: unknown) {
      const level = b.entryLevel,
        d = level === 0 && b.callFrames === 0 && b.hostFrames === 0 ? undefined : b.ocaml;
      if (d) {
        b.entryLevel++;
        d.entryPush();
      }
      let r: unknown;
      try {
        r = f(x0, x1, x2, x3);
      } catch (e) {
        const trapped = d ? b.trapUnder(e, level) : b.trapAtTop(e);
        if (trapped) {
          b.afterError();
          throw trapped;
        }
        throw e;
      }
      if (d) {
        b.entryLevel = level;
        d.entryPop();
      }
      return r;
    } as F;
  }
}
