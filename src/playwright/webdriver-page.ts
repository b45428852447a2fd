// A Playwright-like `page` over a WebDriver session (webkit.ts), so that tests written for
// Playwright's Page run in WebKitGTK, which Playwright cannot drive. It has the part of Page
// that tests of an app use: goto, evaluate, waitForFunction, on/off("pageerror"), close.
// Anything else throws an error naming what is missing, never a silent no-op.
//
// Values cross as Playwright's do: undefined, NaN, ±Infinity, -0, bigints, typed arrays,
// errors, arrays and plain objects keep their kind (a tagged JSON form, made in the page).
// Page errors and console messages are collected by listeners (and console wrappers) installed
// right after each navigation (what happens before the page's own scripts finish loading can be
// missed, unlike in Playwright) and reported to the "pageerror" and "console" listeners after
// each call.
import type { WebKitSession } from "./webkit.ts";

/** A value as tagged JSON. Runs on both sides: the page gets this function's source. */
function tag(v: unknown, seen: unknown[] = []): unknown {
  if (v === undefined || typeof v === "function" || typeof v === "symbol") return { $u: 1 };
  if (typeof v === "number") {
    const special = Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : Object.is(v, -0) ? "-0" : "";
    return special ? { $n: special } : v;
  }
  if (typeof v === "bigint") return { $b: String(v) };
  if (typeof v !== "object" || v === null) return v;
  if (seen.includes(v)) throw new Error("evaluate: the value is cyclic");
  const s = [...seen, v];
  if (v instanceof Error) return { $e: { name: v.name, message: v.message, stack: String(v.stack ?? "") } };
  if (ArrayBuffer.isView(v) && !(v instanceof DataView))
    return { $t: v.constructor.name, v: Array.from(v as unknown as ArrayLike<unknown>, (x) => tag(x, s)) };
  if (Array.isArray(v)) return { $a: v.map((x) => tag(x, s)) };
  return { $o: Object.keys(v).map((key) => [key, tag((v as Record<string, unknown>)[key], s)]) };
}

/** The value a tagged JSON stands for. Runs on both sides, as tag does. */
function untag(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, any>;
  if ("$u" in o) return undefined;
  if ("$n" in o) return Number(o.$n);
  if ("$b" in o) return BigInt(o.$b);
  if ("$a" in o) return (o.$a as unknown[]).map(untag);
  if ("$t" in o) {
    const C = (globalThis as Record<string, any>)[o.$t];
    return typeof C === "function" ? new C((o.v as unknown[]).map(untag)) : (o.v as unknown[]).map(untag);
  }
  if ("$e" in o) {
    const e = new Error(o.$e.message);
    e.name = o.$e.name;
    e.stack = o.$e.stack;
    return e;
  }
  if ("$o" in o) return Object.fromEntries((o.$o as [string, unknown][]).map(([key, x]) => [key, untag(x)]));
  return v;
}

/** The page side of evaluate (a function body: the script's arguments are [src, arg, done]). */
const PAGE_SCRIPT = `
const [src, arg, done] = arguments;
const tag = ${tag.toString()};
const untag = ${untag.toString()};
Promise.resolve().then(() => {
  const f = (0, eval)("(" + src + ")");
  return typeof f === "function" ? f(untag(arg)) : f;
}).then((v) => done({ ok: tag(v) }), (e) => done({ error: tag(e instanceof Error ? e : new Error(String(e))) }));
`;

const ERRORS_SCRIPT = `
if (!window.__oiwPageErrors) {
  window.__oiwPageErrors = [];
  window.__oiwConsole = [];
  addEventListener("error", (e) => window.__oiwPageErrors.push({ name: e.error?.name ?? "Error", message: e.error?.message ?? e.message }));
  addEventListener("unhandledrejection", (e) => window.__oiwPageErrors.push({ name: e.reason?.name ?? "Error", message: e.reason?.message ?? String(e.reason) }));
  for (const [method, type] of [["log", "log"], ["info", "info"], ["debug", "debug"], ["warn", "warning"], ["error", "error"]]) {
    const original = console[method];
    console[method] = function (...args) {
      window.__oiwConsole.push({ type, text: args.map(String).join(" ") });
      return original.apply(this, args);
    };
  }
}
return true;`;

/** What a "console" listener receives (the part of Playwright's ConsoleMessage it has). */
export interface WebDriverConsoleMessage {
  type(): string;
  text(): string;
}

type Tagged = unknown;

export class WebDriverPage {
  private readonly listeners: ((e: Error) => void)[] = [];
  private readonly consoleListeners: ((m: WebDriverConsoleMessage) => void)[] = [];
  private readonly session: WebKitSession;
  private readonly baseURL?: string;

  constructor(session: WebKitSession, baseURL?: string) {
    this.session = session;
    this.baseURL = baseURL;
  }

  async goto(url: string): Promise<null> {
    await this.session.goto(this.baseURL ? new URL(url, this.baseURL).href : url);
    await this.session.execute(ERRORS_SCRIPT);
    return null;
  }

  /** Runs `f` (a function or an expression's source) in the page with `arg`; resolves to what it returns. */
  async evaluate<R, A>(f: string | ((arg: A) => R | Promise<R>), arg?: A): Promise<R> {
    const src = typeof f === "function" ? f.toString() : f;
    const r = await this.session.executeAsync<{ ok?: Tagged; error?: Tagged }>(PAGE_SCRIPT, src, tag(arg));
    await this.reportErrors();
    if (r && "error" in r) throw untag(r.error);
    return untag(r?.ok) as R;
  }

  /** Polls `f` until it returns a truthy value (every 100 ms; default timeout 30 s). */
  async waitForFunction<R, A>(f: string | ((arg: A) => R), arg?: A, options: { timeout?: number } = {}): Promise<R> {
    const deadline = Date.now() + (options.timeout ?? 30_000);
    for (;;) {
      const v = await this.evaluate(f, arg);
      if (v) return v as R;
      if (Date.now() > deadline) throw new Error(`page.waitForFunction: timed out after ${options.timeout ?? 30_000} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  on(event: "pageerror", listener: (e: Error) => void): this;
  on(event: "console", listener: (m: WebDriverConsoleMessage) => void): this;
  on(event: string, listener: (x: never) => void): this {
    if (event === "pageerror") this.listeners.push(listener as (e: Error) => void);
    else if (event === "console") this.consoleListeners.push(listener as (m: WebDriverConsoleMessage) => void);
    else throw new Error(`page.on("${event}"): only "pageerror" and "console" are available through WebDriver (WebKitGTK)`);
    return this;
  }

  off(event: string, listener: (x: never) => void): this {
    const list: unknown[] = event === "pageerror" ? this.listeners : event === "console" ? this.consoleListeners : [];
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
    return this;
  }

  async close(): Promise<void> {
    await this.session.goto("about:blank");
  }

  private async reportErrors() {
    const r = await this.session.execute<{ errors: { name: string; message: string }[]; console: { type: string; text: string }[] } | null>(
      "return window.__oiwPageErrors ? { errors: window.__oiwPageErrors.splice(0), console: window.__oiwConsole.splice(0) } : null",
    );
    for (const { type, text } of r?.console ?? []) {
      const m = { type: () => type, text: () => text };
      for (const l of this.consoleListeners) l(m);
    }
    for (const { name, message } of r?.errors ?? []) {
      const e = new Error(message);
      e.name = name;
      for (const l of this.listeners) l(e);
    }
  }
}

/** The page, with an error for every Page method it lacks. */
export function webDriverPage(session: WebKitSession, baseURL?: string): WebDriverPage {
  return new Proxy(new WebDriverPage(session, baseURL), {
    get(target, key, receiver) {
      if (typeof key === "symbol" || key in target) return Reflect.get(target, key, receiver);
      if (key === "then") return undefined;
      return () => {
        throw new Error(
          `page.${key}() is not available through WebDriver (WebKitGTK): this page has goto, evaluate, ` +
            `waitForFunction, on/off("pageerror" | "console") and close`,
        );
      };
    },
  });
}
