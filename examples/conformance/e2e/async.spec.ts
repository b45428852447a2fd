// Promises across the bridge (rust/src/async_calls.rs, ocaml/async_calls.ml): TS awaits Rust's
// futures, Rust awaits TS's and OCaml's promises, OCaml awaits Rust's; every rejection keeps
// its class and message; many calls pend at once; dispose() rejects what is still pending.
import { collectGarbage, expect, test } from "ocaml-interop-web/playwright";
import { openConformance } from "./open.ts";

test("TS awaits an async Rust export; Rust awaits the Promise TS passed", async ({ page }) => {
  await openConformance(page);
  const r = await page.evaluate(async () => {
    const { app } = (window as any).conformance;
    const later = new Promise<number>((res) => setTimeout(() => res(50), 20));
    const pending = app.rust.async_double(later);
    const isPromise = pending instanceof Promise;
    return {
      isPromise,
      ready: await app.rust.async_ready("x"),
      now: await app.rust.async_double(Promise.resolve(21)),
      later: await pending,
    };
  });
  expect(r).toEqual({ isPromise: true, ready: "ready: x", now: 42, later: 100 });
});

test("#[export] async fn: Rust values in, a promise out, from TS and OCaml", async ({ page }) => {
  await openConformance(page);
  const r = await page.evaluate(async () => {
    const { app, T } = (window as any).conformance;
    const outcome = async (f: () => Promise<unknown>) => {
      try {
        return `ok ${await f()}`;
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    return {
      greet: await outcome(() => app.rust.async_greet("ts", 3)),
      negative: await outcome(() => app.rust.async_greet("ts", -1)),
      length: await outcome(() => app.rust.async_length("héllo")),
      fromOCaml: await outcome(() => app.ocaml.fn("ocaml_greet", [T.string], T.promise(T.string))("ocaml")),
    };
  });
  expect(r).toEqual({
    greet: "ok hello ts, hello ts, hello ts",
    negative: "BoundaryError: async_greet: -1 is negative",
    length: "ok 5",
    fromOCaml: "ok hello ocaml, hello ocaml",
  });
});

test("OCaml awaits Rust's promises (map, bind, a callback) and TS awaits OCaml's", async ({ page }) => {
  await openConformance(page);
  const r = await page.evaluate(async () => {
    const { app, T } = (window as any).conformance;
    const awaitsRust = app.ocaml.fn("ocaml_awaits_rust", [T.int], T.promise(T.int));
    const readyThen = app.ocaml.fn("ocaml_ready_then", [T.string], T.promise(T.int));
    const report = app.ocaml.fn("ocaml_await_report", [T.string], T.promise(T.string));
    return { awaitsRust: await awaitsRust(5), readyThen: await readyThen("abc"), report: await report("x") };
  });
  // 5 * 2 + 1000; "ready: abc" has 10 characters; Rust's Err(String) is Failure in OCaml
  expect(r).toEqual({ awaitsRust: 1010, readyThen: 10, report: "Failure async_err: x is not a number" });
});

test("Rust awaits a promise OCaml settles later, and calls OCaml from inside the future", async ({ page }) => {
  await openConformance(page);
  const r = await page.evaluate(async () => {
    const { app, T } = (window as any).conformance;
    const settle = app.ocaml.fn("async_settle_later", [T.string], T.bool);
    let done = false;
    const p = app.rust.async_via_ocaml(7).then((v: string) => {
      done = true;
      return v;
    });
    // OCaml has not settled its promise: the Rust future waits (no microtask settles it)
    await new Promise((res) => setTimeout(res, 30));
    const before = done;
    const settled = settle("square 7");
    const unknown = settle("square 8");
    const via = app.ocaml.fn("ocaml_via_ocaml", [T.int], T.promise(T.string))(3);
    settle("square 3");
    return { before, settled, unknown, value: await p, via: await via };
  });
  expect(r).toEqual({ before: false, settled: true, unknown: false, value: "7^2 = <49>", via: "3^2 = <9>" });
});

test("a rejection keeps its class and message: failure, panic, JS error, OCaml exception; a non-promise is refused", async ({ page }) => {
  await openConformance(page);
  const r = await page.evaluate(async () => {
    const { app } = (window as any).conformance;
    const outcome = async (f: () => Promise<unknown>) => {
      try {
        return `ok ${await f()}`;
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    const resets0 = app.bridge.resets;
    const out = {
      failure: await outcome(() => app.rust.async_err(Promise.resolve("x"))),
      panic: await outcome(() => app.rust.async_panic(Promise.resolve("boom"))),
      js: await outcome(() => app.rust.async_double(Promise.reject(new TypeError("nope")))),
      ocaml: await outcome(() => app.rust.async_ocaml_fails("bad")),
      notPromise: await outcome(async () => app.rust.async_double(42)),
      wrongValue: await outcome(() => app.rust.async_double(Promise.resolve("not an int"))),
      after: await outcome(() => app.rust.async_double(Promise.resolve(4))),
      resets: 0,
    };
    out.resets = app.bridge.resets - resets0;
    return out;
  });
  expect(r.failure).toBe("BoundaryError: async_err: x is not a number");
  expect(r.panic).toBe("RustPanic: async_panic: boom");
  expect(r.js).toBe("JavaScriptError: TypeError: nope");
  expect(r.ocaml).toBe('OCamlException: Failure("bad")');
  expect(r.notPromise).toMatch(/^BoundaryError: .*async_double.*expected a Promise \(or a thenable\), got the number 42/);
  // the value a promise TS gave fulfilled with does not convert: the awaiting Rust future is
  // rejected with why, naming the export's argument
  expect(r.wrongValue).toBe(
    'BoundaryError: async_double: argument p: argument 1: argument 1.ok: expected a number (int), got the string "not an int"',
  );
  expect(r.after).toBe("ok 8");
  // with panics that unwind, a panic in a future rejects its promise; the instance stays
  expect(r.resets).toBe(0);
});

test("a thousand calls pend at once, settle in any order, and leave the tables as they were", async ({ page, browserName }) => {
  await openConformance(page);
  const r = await page.evaluate(async () => {
    const w = window as any;
    const { app } = w.conformance;
    const stats = () => app.rust.async_stats(undefined) as [number, number];
    // a first round, so that the tables have their working size
    await app.rust.async_counted(Promise.resolve(0));
    const [finished0, live0] = stats();
    w.asyncTables0 = [app.bridge.liveHandles(), app.bridge.liveBoxes()];
    const arena0 = app.bridge.arenaHeldBytes();
    const resolvers: ((n: number) => void)[] = [];
    const calls = Array.from({ length: 1000 }, () => app.rust.async_counted(new Promise<number>((res) => resolvers.push(res))));
    const [, livePending] = stats();
    // the arena holds nothing for them while they pend: each call's frame ended with the call
    const arenaPending = app.bridge.arenaHeldBytes() - arena0;
    for (let i = resolvers.length - 1; i >= 0; i--) resolvers[i](i);
    const values: number[] = await Promise.all(calls);
    const [finished, live] = stats();
    return {
      ok: values.every((v, i) => v === i + 1),
      pending: livePending - live0,
      arenaPending,
      finished: finished - finished0,
      live: live - live0,
    };
  });
  expect(r).toEqual({ ok: true, pending: 1000, arenaPending: 0, finished: 1000, live: 0 });
  // the OCaml wrappers of the continuations Rust made are collected like any value: after a GC
  // the handle and box tables are no larger than before the thousand calls (wrappers of the
  // first round may have gone too)
  await expect
    .poll(
      async () => {
        await collectGarbage(page, browserName);
        return page.evaluate(() => {
          const w = window as any;
          const b = w.conformance.app.bridge;
          return [b.liveHandles() - w.asyncTables0[0], b.liveBoxes() - w.asyncTables0[1]].map((d) => (d <= 0 ? "not grown" : `+${d}`));
        });
      },
      { timeout: 20_000 },
    )
    .toEqual(["not grown", "not grown"]);
});

test("OCaml awaiting a promise of a Rust instance that trapped since gets why, in its callback", async ({ page }) => {
  await openConformance(page);
  const r = await page.evaluate(async () => {
    const { app, T } = (window as any).conformance;
    app.ocaml.fn("ocaml_keep_promise", [T.unit], T.unit)(undefined);
    const resets0 = app.bridge.resets;
    try {
      app.rust.rust_trap(0);
    } catch {
      /* the trap re-creates the instance */
    }
    const got = await app.ocaml.fn("ocaml_await_kept", [T.unit], T.promise(T.string))(undefined);
    return { resets: app.bridge.resets - resets0, got };
  });
  expect(r.resets).toBe(1);
  expect(r.got).toBe(
    "Failure ocaml-interop: this Rust closure belonged to a Rust instance that trapped and was re-created; its state is gone",
  );
});

test("dispose() rejects what is pending, naming the function, and nothing hangs", async ({ page }) => {
  await openConformance(page);
  const r = await page.evaluate(async () => {
    const { loadAgain } = (window as any).conformance;
    const app = await loadAgain();
    const never = app.rust.async_double(new Promise(() => {}));
    // a first round trip through the new instance
    await app.ocaml.fn("ocaml_awaits_rust", ["int"], { promise: "int" })(1);
    const viaOCaml = app.rust.async_via_ocaml(9);
    app.dispose();
    const outcome = async (p: Promise<unknown>) => {
      try {
        return `ok ${await p}`;
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    return { never: await outcome(never), viaOCaml: await outcome(viaOCaml), pending: app.bridge.values.promises.pending };
  });
  expect(r.never).toMatch(/^BoundaryError: async_double.*: the app conformance was disposed before this promise settled$/);
  expect(r.viaOCaml).toMatch(/^BoundaryError: async_via_ocaml.*: the app conformance was disposed before this promise settled$/);
  expect(r.pending).toBe(0);
});
