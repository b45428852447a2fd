// Promises across the bridge, seen from TS (rust/ocaml-interop-web/src/promise.rs has the
// protocol): a promise crosses as its subscribe closure, `(('a, string * string) result -> unit)
// -> unit`, called once with a continuation that receives the value or the rejection's class
// and message. TS turns a subscribe closure it receives into a Promise, and a Promise (or
// thenable) it gives into a subscribe function. A promise of Rust's ends with its Rust instance:
// when a trap re-creates the instance, TS's awaiters are rejected (the task is gone), and
// dispose() rejects every awaiter, so nothing awaits past the app's life.
import { BoundaryError, InteropError, JavaScriptError, OCamlException, RustPanic } from "./errors.ts";
import { PromiseAtLoad, promiseResolve, promiseThen, queueMicrotaskAtLoad } from "./intrinsics.ts";
import { ConversionError, show } from "./wire.ts";

/** The rejection classes (promise.rs's `Rejection`). */
type RejectionKind = "panic" | "failure" | "exception" | "js";

interface Awaiter {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  path: string;
  /** the Rust instance whose task settles it, or -1 (an OCaml promise) */
  instance: number;
}

const hasOwn = Object.hasOwn;
const isArray = Array.isArray;

/** The error a rejection of class `kind` is in TS (as the same failure of a synchronous call). */
export function rejectionError(kind: unknown, message: unknown, fn: string): InteropError {
  const msg = String(message);
  switch (kind as RejectionKind) {
    case "panic":
      return new RustPanic(msg, fn);
    case "exception":
      return new OCamlException(msg, fn);
    case "js":
      return new JavaScriptError(msg, fn, undefined);
    default:
      return new BoundaryError(msg, fn);
  }
}

/** The class and message of a JS rejection, as Rust and OCaml receive it. */
export function rejectionOf(e: unknown): [RejectionKind, string] {
  if (e instanceof RustPanic) return ["panic", e.message];
  if (e instanceof OCamlException) return ["exception", e.message];
  if (e instanceof JavaScriptError) return ["js", e.message];
  if (e instanceof InteropError) return ["failure", e.message];
  if (e instanceof Error) return ["js", `${e.name}: ${e.message}`];
  return ["js", `a non-Error value was thrown: ${show(e)}`];
}

export class HostPromises {
  /** by id, in a null-prototype object (no method a page script could replace is used) */
  private readonly awaiters: Record<number, Awaiter> = Object.create(null);
  private count = 0;
  private next = 1;
  private readonly app: string;
  private readonly instance: () => number;

  constructor(app: string, instance: () => number) {
    this.app = app;
    this.instance = instance;
  }

  /** A Promise of what `subscribe` (a closure TS received) gives; subscribed in a microtask,
   *  not inside the decoding of the value that carried it. */
  promiseOf(subscribe: Function, fromRust: boolean, path: string): Promise<unknown> {
    const id = this.next++;
    return new PromiseAtLoad((resolve, reject) => {
      const a: Awaiter = { resolve, reject, path, instance: fromRust ? this.instance() : -1 };
      this.awaiters[id] = a;
      this.count++;
      const settled = (r: unknown) => {
        if (!this.take(id, a)) return;
        const o = r as { ok?: unknown; error?: unknown };
        if (o !== null && typeof o === "object" && hasOwn(o, "ok")) resolve(o.ok);
        else {
          const e = o?.error;
          reject(isArray(e) ? rejectionError(e[0], e[1], path) : new BoundaryError(`${path}: a promise settled with ${show(r)}`, path));
        }
      };
      queueMicrotaskAtLoad(() => {
        try {
          subscribe(settled);
        } catch (e) {
          if (this.take(id, a)) reject(e);
        } finally {
          (subscribe as { release?: () => void }).release?.();
        }
      });
    });
  }

  /** The subscribe function of a Promise or thenable `v` TS gives: it calls its continuation
   *  (a closure TS receives) once, with the value or the rejection, then releases it. */
  subscriberOf(v: unknown, path: string): Function {
    if (v === null || (typeof v !== "object" && typeof v !== "function") || typeof (v as { then?: unknown }).then !== "function")
      throw new ConversionError(`${path}: expected a Promise (or a thenable), got ${show(v)}`);
    return (k: Function) => {
      const deliver = (r: unknown) => {
        try {
          k(r);
        } catch (e) {
          // the value does not convert to the promise's type: the awaiter gets why
          try {
            k({ error: ["failure", e instanceof Error ? e.message : String(e)] });
          } catch {
            /* the awaiter is gone (its app disposed, its instance re-created) */
          }
        } finally {
          (k as { release?: () => void }).release?.();
        }
      };
      promiseThen(
        promiseResolve(v),
        (x: unknown) => deliver({ ok: x }),
        (e: unknown) => deliver({ error: rejectionOf(e) }),
      );
    };
  }

  /** Removes awaiter `id` if it is still `a`; whether it was. */
  private take(id: number, a: Awaiter): boolean {
    if (this.awaiters[id] !== a) return false;
    delete this.awaiters[id];
    this.count--;
    return true;
  }

  /** The Rust instance was re-created after the trap `why`: the awaiters of its tasks are
   *  rejected with it (a RustPanic: the task that trapped is one of them). */
  instanceEnded(why: string) {
    const now = this.instance();
    for (const k in this.awaiters) {
      const a = this.awaiters[k];
      if (a.instance >= 0 && a.instance !== now && this.take(Number(k), a))
        a.reject(
          new RustPanic(
            `${a.path}: the Rust instance of ${this.app} trapped (${why}) and was re-created before this promise settled; its task is gone`,
            a.path,
          ),
        );
    }
  }

  /** The app was disposed: every awaiter is rejected. */
  disposed() {
    for (const k in this.awaiters) {
      const a = this.awaiters[k];
      if (this.take(Number(k), a))
        a.reject(new BoundaryError(`${a.path}: the app ${this.app} was disposed before this promise settled`, a.path));
    }
  }

  /** Promises TS awaits (for leak checks). */
  get pending(): number {
    return this.count;
  }
}
