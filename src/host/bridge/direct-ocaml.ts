// The direct route from Rust to OCaml (LoadOptions.ocamlCalls "direct"): Rust calls into OCaml
// through the host's ocamlCall and ocamlCallHandle (from-rust.ts) unless this puts the OCaml
// dispatcher's entries (its $call_direct, $call_handle_direct) in two slots of Rust's function
// table and tells Rust to call through them (rust/ocaml-interop-web/src/host.rs, `calls`): then
// no JS frame is between Rust and OCaml. Filled once the OCaml program registered its dispatcher
// and again in every new Rust instance; put back when the app is disposed.
//
// What no JS frame can then do: catch a trap of the OCaml program (the engine's stack ran out,
// its memory did, a wrongly declared `ocaml!` type made it trap) before it reaches Rust, which
// cannot catch it either. Such a fault ends the host's call into Rust under which it happened:
// that call reports it as a trap of the export it called (the Rust instance is re-created), and
// the OCaml runtime file's bookkeeping is put back from the record each host call into Rust makes
// on this route (state.ts, recordRustEntries). OCaml exceptions are caught by the dispatcher
// itself and reach Rust as on the host route.
import { WebAssemblyAtLoad, isRuntimeError, tableGet, tableSet } from "../intrinsics.ts";
import { isOutOfMemory, isStackOverflow, trapMessage } from "../engine.ts";
import type { OCamlDispatcher } from "./glue-imports.ts";
import { BridgeFromRust } from "./from-rust.ts";

export type OCamlCallRoute = "host" | "direct";

/** Checks LoadOptions.ocamlCalls (default "host"). */
export function checkOCamlCalls(app: string, v: unknown): OCamlCallRoute {
  if (v === undefined || v === "host") return "host";
  if (v === "direct") return "direct";
  throw new TypeError(`ocaml-interop: loadInterop(${app}): ocamlCalls must be "host" or "direct" (got ${JSON.stringify(v)})`);
}

/** The Rust module's function table: the linker exports it as __indirect_function_table, which
 *  wasm-bindgen renames (`__wbindgen_export` in 0.2.130) beside its table of JS values; the one
 *  whose slots `at` hold Rust's two calls into OCaml (functions of 3 and 5 parameters). */
function functionTable(rust: Record<string, unknown>, at: [number, number]): WebAssembly.Table | undefined {
  const names = Object.keys(rust);
  for (let i = 0; i < names.length; i++) {
    const t = rust[names[i]];
    if (!(t instanceof WebAssemblyAtLoad.Table) || at[0] >= t.length || at[1] >= t.length) continue;
    const call = tableGet(t, at[0]),
      handle = tableGet(t, at[1]);
    if (typeof call === "function" && typeof handle === "function" && call.length === 3 && handle.length === 5) return t;
  }
  return undefined;
}

export abstract class BridgeDirectOCaml extends BridgeFromRust {
  /** How Rust calls into OCaml (LoadOptions.ocamlCalls). */
  get ocamlCalls(): OCamlCallRoute {
    return this.recordRustEntries ? "direct" : "host";
  }
  /** Chooses the route; before the Rust module is instantiated. */
  protected useOCamlCalls(route: OCamlCallRoute) {
    this.recordRustEntries = route === "direct";
  }

  /** Rust's calls into OCaml under way as each host call into Rust under way began (on this
   *  route): more at a trap means the trap was in OCaml code, which it skipped. */
  private callsAtEntry: number[] = [];

  protected enterRust(): boolean {
    if (!super.enterRust()) return false;
    if (this.recordRustEntries) this.callsAtEntry.push(this.word(this.at.ocamlCalling));
    return true;
  }
  protected leaveRust() {
    if (this.recordRustEntries) this.callsAtEntry.pop();
    super.leaveRust();
  }

  protected directOCamlFault(e: unknown, fn: string): string | undefined {
    const n = this.callsAtEntry.length;
    if (!this.recordRustEntries || n === 0 || this.word(this.at.ocamlCalling) <= this.callsAtEntry[n - 1]) return undefined;
    const what = isStackOverflow(e)
      ? "its stack ran out (Stack_overflow)"
      : isOutOfMemory(e)
        ? "it ran out of memory (Out_of_memory)"
        : isRuntimeError(e)
          ? `it trapped (${trapMessage(e)}; does its declaration in Rust, ocaml!, match its OCaml type?)`
          : undefined;
    if (what === undefined) return undefined;
    const id = this.word(this.at.ocamlCalling + 4) | 0;
    const callee = id >= 0 ? (this.ocamlNames[id] ?? "an OCaml function") : "an OCaml closure";
    return `${fn}: ${callee}, which it called, faulted: ${what}; with ocamlCalls "direct" a fault of OCaml code ends the call into Rust, and the Rust instance was re-created`;
  }

  registerOCaml(d: OCamlDispatcher) {
    super.registerOCaml(d);
    this.fillOCamlDirect();
  }

  /** The table of the current Rust instance and the slots of its calls into OCaml, with what
   *  they held before (put back by unfillOCamlDirect). */
  private slots?: { table: WebAssembly.Table; at: [number, number]; held: [unknown, unknown] };

  /** Puts the dispatcher's direct entries in the current Rust instance's slots (after every
   *  instantiation, and when the OCaml program registers). */
  protected fillOCamlDirect() {
    const d = this.ocaml,
      rust = this.h.rust;
    if (!this.recordRustEntries || !d || !rust) return;
    const slot = rust.oiw_ocaml_call_slot as (which: number) => number;
    const at: [number, number] = [slot(0) >>> 0, slot(1) >>> 0];
    const table = functionTable(rust, at);
    if (!table)
      throw new Error(
        `ocaml-interop: ${this.name}: the Rust module exports no function table (it is linked with --export-table; were RUSTFLAGS overridden?), which ocamlCalls: "direct" needs`,
      );
    const held: [unknown, unknown] = [tableGet(table, at[0]), tableGet(table, at[1])];
    tableSet(table, at[0], d.callDirect);
    tableSet(table, at[1], d.callHandleDirect);
    (rust.oiw_ocaml_calls_direct as (on: number) => void)(1);
    this.slots = { table, at, held };
  }

  /** The app is disposed: Rust's calls into OCaml take the host's route again, which tells them
   *  that no OCaml program runs. */
  protected unfillOCamlDirect() {
    const s = this.slots;
    if (!s) return;
    this.slots = undefined;
    (this.h.rust?.oiw_ocaml_calls_direct as ((on: number) => void) | undefined)?.(0);
    tableSet(s.table, s.at[0], s.held[0]);
    tableSet(s.table, s.at[1], s.held[1]);
  }
}
