// Calls from TS: Rust exports with JS values (typed by their spec), registered OCaml functions,
// closures TS received, and the crate's own #[wasm_bindgen] functions; each in an arena frame,
// refused past the re-entrancy limit, its failure thrown as the InteropError it is.
import type { ExportSpec, TypeDesc } from "../app.ts";
import { BoundaryError, OCamlException, RustPanic, errorFromSlot } from "../errors.ts";
import {
  apply,
  isRuntimeError,
  isWasmException,
  mapGet,
  mapSet,
  newRuntimeError,
  ownArray,
  setGlobal,
  typedArraySet,
  utf8,
} from "../intrinsics.ts";
import { isOutOfMemory, isStackOverflow, trapMessage } from "../engine.ts";
import { reentrancyMessage } from "../limits.ts";
import { ConversionError, ERROR_SENTINEL, WireCodec } from "../wire.ts";
import { BridgeRustValues } from "./rust-values.ts";

export abstract class BridgeCalls extends BridgeRustValues {
  protected ocamlIds = new Map<string, number>();

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
      const f = this.h.rust[e.symbol] as (...a: (number | bigint)[]) => number | bigint;
      if (!this.enterRust()) throw new BoundaryError(reentrancyMessage(e.name), e.name);
      try {
        r = apply(f, undefined, words);
      } catch (err) {
        this.trap(err, e.name);
        r = e.ret.kind === "f64" ? NaN : e.ret.kind === "i64" ? 0n : ERROR_SENTINEL;
      } finally {
        this.leaveRust();
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

  protected lowerArg(_e: ExportSpec, kind: string, t: TypeDesc | undefined, v: unknown, what: string): number | bigint {
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

  protected liftResult(e: ExportSpec, r: number | bigint): unknown {
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
  protected ocamlId(name: string): number {
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
        if (!this.enterRust()) throw new BoundaryError(reentrancyMessage(name), name);
        try {
          r = call(argv, words.length) >>> 0;
        } catch (err) {
          this.trap(err, name);
          r = ERROR_SENTINEL;
        } finally {
          this.leaveRust();
        }
      } else {
        const level = this.entryLevel++;
        try {
          r = call(argv, words.length) >>> 0;
          this.entryLevel = level;
        } catch (err) {
          // a trap in Rust under it (called directly by the OCaml glue): the instance is re-created
          const trapped = this.trapUnder(err, level);
          if (trapped) throw trapped;
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

  // ---- the crate's own #[wasm_bindgen] functions, called from TS -------------------------------
  /** Calls one of the crate's #[wasm_bindgen] functions: counted as a Rust frame (the instance is
   *  never re-created under it), a panic there (wasm-bindgen's PanicError) is a RustPanic, and a
   *  trap marks the instance for re-creation and is a RustPanic too. */
  callWasmBindgen(name: string, f: (...a: unknown[]) => unknown, args: unknown[]): unknown {
    this.checkLive(name);
    if (!this.enterRust()) throw new BoundaryError(reentrancyMessage(name), name);
    try {
      return f(...args);
    } catch (e) {
      if (e instanceof Error && e.name === "PanicError") {
        // wasm-bindgen caught it: the hook's record of it must not name a later trap
        this.setWord(this.at.panics, 0);
        throw new RustPanic(e.message, name);
      }
      if (e === this.thrownPanic) {
        // a panic that aborts, thrown by the hook (panicThrow): the instance is re-created
        this.thrownPanic = undefined;
        this.h.poisoned = true;
        setGlobal(this.h.rustPoisoned, 1);
        throw e;
      }
      if (isRuntimeError(e) || isWasmException(e) || isStackOverflow(e) || (e instanceof Error && e.message === "Module terminated")) {
        this.h.poisoned = true;
        setGlobal(this.h.rustPoisoned, 1);
        const msg = isRuntimeError(e)
          ? this.trapMessage(e, name)
          : isStackOverflow(e)
            ? `Rust trapped in ${name}: stack overflow; the Rust instance was re-created`
            : this.trapMessage(newRuntimeError("unreachable"), name);
        throw new RustPanic(msg, name);
      }
      throw e; // the function's own error (a Result's Err as a JS value)
    } finally {
      this.leaveRust();
      this.afterError();
    }
  }

  /** JS functions that OCaml function values hold (for leak checks). */
  liveJsFunctions(): number {
    return this.values.liveFunctions();
  }
}
