// Closures and Rust values from TypeScript, through the real modules: JS functions passed to
// Rust and to OCaml, OCaml and Rust closures returned to TS, DynBox handles both ways, their
// errors, and the handle tables staying flat over a million calls (counts, not time).
import { collectGarbage, expect, test } from "ocaml-interop-web/playwright";
import { openConformance } from "./open.ts";

test.beforeEach(async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await openConformance(page);
  expect(errors).toEqual([]);
});

/** What a thrown error was, for comparisons. */
const caught = `(f) => { try { return { value: f() }; } catch (e) { const r = { name: e.name, message: e.message, fn: e.functionName }; if (e.cause !== undefined) r.cause = String(e.cause); return r; } }`;

test("TS -> Rust: a JS function is called from Rust with converted arguments and result", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app } = (window as any).conformance;
    const seen: string[] = [];
    const twice = app.rust.apply_twice((x: number) => {
      seen.push(typeof x);
      return x * 3;
    }, 2);
    const seven = app.rust.apply7((...a: number[]) => a.join("+"));
    const upper = app.rust.try_apply((s: string) => s.toUpperCase() + "é", "abc");
    // rooted by Rust (BoxRoot): called after the call that passed it
    const kept = [app.rust.keep_closure((x: number) => x + 1), app.rust.keep_closure((x: number) => x * 100)];
    const sum = app.rust.call_kept(5);
    app.rust.drop_kept(undefined);
    // a Rust closure that captured a rooted JS function
    const composed = app.rust.compose_twice((x: number) => x * 10);
    const c = composed(3);
    composed.release();
    const calls = app.rust.sum_calls((i: number) => i & 1, 1001);
    return { twice, seen, seven, upper, kept, sum, c, calls, resets: app.bridge.resets };
  });
  expect(r).toEqual({
    twice: 18,
    seen: ["number", "number"],
    seven: "1+2+3+4+5+6+7",
    upper: { ok: "ABCé" },
    kept: [1, 2],
    sum: 506,
    c: 300,
    calls: 500,
    resets: 0,
  });
});

test("TS -> OCaml: a JS function is an OCaml function (curried, partially applied, kept, passed on to Rust)", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const int2int = T.closure([T.int], T.int);
    const apply = app.ocaml.fn("ts_apply", [int2int, T.int], T.int);
    const partial = app.ocaml.fn("ts_apply_partial", [T.closure([T.int, T.string], T.string)], T.string);
    const viaRust = app.ocaml.fn("ts_via_rust", [int2int, T.int], T.int);
    const keep = app.ocaml.fn("ts_keep", [int2int], T.int);
    const callKept = app.ocaml.fn("ts_call_kept", [T.int], T.int);
    const dropKept = app.ocaml.fn("ts_drop_kept", [T.unit], T.unit);
    const f = (x: number) => x + 1;
    const out = [apply(f, 41), apply(f, 1), partial((n: number, s: string) => `${s}${n}`), viaRust((x: number) => x * 2, 3)];
    const fns0 = app.bridge.liveJsFunctions();
    keep((x: number) => x * 1000);
    keep(f);
    const kept = callKept(2);
    dropKept(undefined);
    return { out, kept, fnsWhileKept: app.bridge.liveJsFunctions() - fns0 >= 1 };
  });
  expect(r).toEqual({ out: [42, 2, "a7|b7", 12], kept: 2003, fnsWhileKept: true });
});

test("a JS function's exception reaches the caller as a JS error does (JavaScriptError with the error as cause), OCaml catches it as Failure", async ({
  page,
}) => {
  const r = await page.evaluate((caughtSrc) => {
    const { app, T } = (window as any).conformance;
    // biome-ignore lint/security/noGlobalEval: the test's own helper, sent as source into the page
    const run = eval(caughtSrc);
    const thrower = () => {
      throw new TypeError("nope");
    };
    return {
      // Rust gets Err (try_apply turns it into a value)
      asValue: app.rust.try_apply(thrower, "x"),
      // Rust passes the exception back: the TS caller gets the JS error
      reraised: run(() => app.rust.call_and_reraise(thrower, 1)),
      failed: run(() =>
        app.rust.sum_calls((i: number) => {
          if (i === 5) throw new RangeError("at five");
          return i;
        }, 10),
      ),
      // OCaml catches it as Failure; uncaught, it reaches TS as the JS error
      ocamlCatches: app.ocaml.fn("ts_catch", [T.closure([T.int], T.int)], T.string)(thrower),
      ocamlUncaught: run(() => app.ocaml.fn("ts_apply", [T.closure([T.int], T.int), T.int], T.int)(thrower, 1)),
      // a result of the wrong type: an error naming the function, the argument and the result
      wrongResult: run(() => app.rust.call_and_reraise(() => "seven", 1)),
      wrongCount: run(() => app.rust.apply_twice((x: number) => x)),
      notAFunction: run(() => app.rust.apply_twice(42, 1)),
      resets: app.bridge.resets,
      after: app.rust.apply_twice((x: number) => x + 1, 0),
    };
  }, caught);
  expect(r.asValue).toEqual({ error: "Failure: try_apply: argument f: JavaScript exception: TypeError: nope" });
  expect(r.reraised).toMatchObject({ name: "JavaScriptError", fn: "call_and_reraise", cause: "TypeError: nope" });
  expect(r.reraised.message).toContain("call_and_reraise: argument f: JavaScript exception: TypeError: nope");
  expect(r.failed).toMatchObject({ name: "JavaScriptError", fn: "sum_calls", cause: "RangeError: at five" });
  expect(r.failed.message).toContain(
    "sum_calls: the closure raised at 5: sum_calls: argument f: JavaScript exception: RangeError: at five",
  );
  expect(r.ocamlCatches).toBe("Failure: ts_catch: argument 1: JavaScript exception: TypeError: nope");
  expect(r.ocamlUncaught).toMatchObject({ name: "JavaScriptError", fn: "ts_apply", cause: "TypeError: nope" });
  expect(r.wrongResult).toMatchObject({ name: "OCamlException", fn: "call_and_reraise" });
  expect(r.wrongResult.message).toContain('call_and_reraise: argument f: result: expected a number (int), got the string "seven"');
  expect(r.wrongCount).toMatchObject({ name: "BoundaryError", message: "apply_twice: expected 2 argument(s), got 1" });
  expect(r.notAFunction).toMatchObject({
    name: "BoundaryError",
    message: "apply_twice: argument f: expected a function (a closure of 1 argument), got the number 42",
  });
  expect(r.resets).toBe(0);
  expect(r.after).toBe(2);
});

test("closures returned to TS are callable functions, releasable, passed back as themselves", async ({ page }) => {
  const r = await page.evaluate((caughtSrc) => {
    const { app, T } = (window as any).conformance;
    // biome-ignore lint/security/noGlobalEval: the test's own helper, sent as source into the page
    const run = eval(caughtSrc);
    // the dispose key: Symbol.dispose, or where the engine lacks it (WebKitGTK 2.50) the key
    // TypeScript's `using` falls back to (the host's DISPOSE)
    const dispose: symbol = typeof Symbol.dispose === "symbol" ? Symbol.dispose : Symbol.for("Symbol.dispose");
    const boxes0 = app.bridge.liveBoxes(),
      handles0 = app.bridge.liveHandles();
    // a Rust closure (from a Rust export)
    const add = app.rust.make_adder(10);
    const added = [add(1, 2), add(-5, 5)];
    const shape = { frozen: Object.isFrozen(add), keys: Object.keys(add), disposeIsRelease: add[dispose] === add.release };
    const boxesHeld = app.bridge.liveBoxes() - boxes0;
    add.release();
    add.release(); // twice is nothing
    const afterRelease = run(() => add(1, 2));
    const boxesAfter = app.bridge.liveBoxes() - boxes0;
    const shout = app.rust.make_shouter(undefined);
    const shouted = shout("hi");
    const panicked = run(() => shout("panic"));
    // a Rust closure passed back to Rust (it crosses as a function of TS)
    const viaRust = app.rust.try_apply(shout, "abc");
    shout[dispose]();
    // OCaml closures (from OCaml functions)
    const mult = app.ocaml.fn("ts_make_multiplier", [T.int], T.closure([T.int], T.int))(3);
    const multiplied = mult(5);
    const handlesHeld = app.bridge.liveHandles() - handles0;
    // an OCaml closure passed back to Rust is itself (its handle)
    const twice = app.rust.apply_twice(mult, 2);
    mult.release();
    const multAfter = run(() => mult(1));
    const rustAdder = app.ocaml.fn("ts_make_rust_adder", [T.int], T.closure([T.int, T.int], T.int))(100);
    const rustAdded = rustAdder(1, 2);
    rustAdder.release();
    // a closure that takes a closure
    const applier = app.ocaml.fn("ts_make_applier", [T.unit], T.closure([T.closure([T.int], T.int), T.int], T.int))(undefined);
    const applied = applier((x: number) => x * 2, 5);
    applier.release();
    const badArg = run(() => {
      const a = app.rust.make_adder(0);
      try {
        return a(1, "2");
      } finally {
        a.release();
      }
    });
    return {
      added,
      shape,
      boxesHeld,
      afterRelease,
      boxesAfter,
      shouted,
      panicked,
      viaRust,
      multiplied,
      handlesHeld,
      twice,
      multAfter,
      rustAdded,
      applied,
      badArg,
      handlesAfter: app.bridge.liveHandles() - handles0,
    };
  }, caught);
  expect(r).toEqual({
    added: [13, 10],
    shape: { frozen: true, keys: [], disposeIsRelease: true },
    boxesHeld: 1,
    afterRelease: {
      name: "BoundaryError",
      fn: "make_adder: result",
      message: "make_adder: result: this Rust closure was released (release() was called)",
    },
    boxesAfter: 0,
    shouted: "HI",
    panicked: { name: "RustPanic", fn: "make_shouter: result", message: "the Rust closure panics" },
    viaRust: { ok: "ABC" },
    multiplied: 15,
    handlesHeld: 1,
    twice: 18,
    multAfter: {
      name: "BoundaryError",
      fn: "ts_make_multiplier: result",
      message: "ts_make_multiplier: result: this OCaml closure was released (release() was called)",
    },
    rustAdded: 103,
    applied: 20,
    badArg: {
      name: "BoundaryError",
      fn: "make_adder: result",
      message: 'make_adder: result: argument 2: expected a number (int), got the string "2"',
    },
    handlesAfter: 0,
  });
});

test("DynBox: an opaque frozen handle, to Rust and through OCaml, with clear errors after release and for the wrong type or app", async ({
  page,
}) => {
  const r = await page.evaluate(async (caughtSrc) => {
    const { app, T, loadAgain } = (window as any).conformance;
    // biome-ignore lint/security/noGlobalEval: the test's own helper, sent as source into the page
    const run = eval(caughtSrc);
    // the dispose key: Symbol.dispose, or where the engine lacks it (WebKitGTK 2.50) the key
    // TypeScript's `using` falls back to (the host's DISPOSE)
    const dispose: symbol = typeof Symbol.dispose === "symbol" ? Symbol.dispose : Symbol.for("Symbol.dispose");
    const boxes0 = app.bridge.liveBoxes();
    const c = app.rust.counter_new(5);
    const shape = {
      proto: Object.getPrototypeOf(c),
      frozen: Object.isFrozen(c),
      keys: Object.keys(c),
      tag: Object.prototype.toString.call(c),
      dispose: typeof c[dispose] === "function",
    };
    const incr = [app.rust.counter_incr(c), app.rust.counter_incr(c)];
    // through OCaml, which passes it on to Rust; OCaml's own wrapper holds it too
    const counter = T.dynbox("conformance::Counter");
    const viaOCaml = app.ocaml.fn("ts_box_incr", [counter], T.int)(c);
    const again = app.ocaml.fn("ts_box_id", [counter], counter)(c);
    const viaAgain = app.rust.counter_incr(again);
    const wrongType = run(() => app.rust.box_as_string(c));
    const wrongTypeOCaml = run(() => app.ocaml.fn("ts_box_incr", [T.dynbox("alloc::string::String")], T.int)(c));
    const forged = run(() => app.rust.counter_incr(Object.freeze(Object.create(null))));
    const other = await loadAgain();
    const otherApp = run(() => other.rust.counter_incr(c));
    other.dispose();
    c.release();
    const afterRelease = run(() => app.rust.counter_incr(c));
    const stillHeld = app.rust.counter_incr(again); // the second handle holds the box
    again[dispose]();
    // a box of a Rust instance that trapped and was re-created is gone
    const d = app.rust.counter_new(1);
    const resets0 = app.bridge.resets;
    run(() => app.rust.rust_trap(0));
    const trapped = run(() => app.rust.counter_incr(d));
    return {
      shape,
      incr,
      viaOCaml,
      viaAgain,
      wrongType,
      wrongTypeOCaml,
      forged,
      otherApp,
      afterRelease,
      stillHeld,
      trapped,
      reset: app.bridge.resets - resets0,
      boxesLeft: app.bridge.liveBoxes() - (app.bridge.resets > resets0 ? 0 : boxes0),
    };
  }, caught);
  expect(r.shape).toEqual({ proto: null, frozen: true, keys: [], tag: "[object DynBox<conformance::Counter>]", dispose: true });
  expect(r.incr).toEqual([6, 7]);
  expect(r.viaOCaml).toBe(8);
  expect(r.viaAgain).toBe(9);
  expect(r.wrongType).toEqual({
    name: "BoundaryError",
    fn: "box_as_string",
    message: "box_as_string: argument b: expected a DynBox<alloc::string::String>, got a DynBox<conformance::Counter>",
  });
  expect(r.wrongTypeOCaml).toMatchObject({
    name: "BoundaryError",
    message: "ts_box_incr: argument 1: expected a DynBox<alloc::string::String>, got a DynBox<conformance::Counter>",
  });
  expect(r.forged).toEqual({
    name: "BoundaryError",
    fn: "counter_incr",
    message:
      "counter_incr: argument c: expected a DynBox<conformance::Counter> (a Rust value handle TypeScript received from the app), got an object",
  });
  expect(r.otherApp).toMatchObject({
    name: "BoundaryError",
    message:
      "counter_incr: argument c: this DynBox belongs to another load of the app conformance (each loadInterop() has its own Rust values)",
  });
  expect(r.afterRelease).toEqual({
    name: "BoundaryError",
    fn: "counter_incr",
    message: "counter_incr: argument c: this DynBox<conformance::Counter> was released (release() was called)",
  });
  expect(r.stillHeld).toBe(10);
  expect(r.reset).toBe(1);
  expect(r.trapped).toEqual({
    name: "BoundaryError",
    fn: "counter_incr",
    message: "counter_incr: argument c: this DynBox belonged to a Rust instance that trapped and was re-created; its value is gone",
  });
  expect(r.boxesLeft).toBe(0);
});

test("a million calls: the handle tables, the box table and the JS function table stay flat", async ({ page, browserName }) => {
  test.setTimeout(240_000);
  const counts = () =>
    page.evaluate(() => {
      const b = (window as any).conformance.app.bridge;
      return { handles: b.liveHandles(), boxes: b.liveBoxes(), fns: b.liveJsFunctions() };
    });
  const start = await counts();
  const r = await page.evaluate((n) => {
    const { app, T } = (window as any).conformance;
    const b = app.bridge;
    const counts = () => ({ handles: b.liveHandles(), boxes: b.liveBoxes(), fns: b.liveJsFunctions(), arena: b.arenaHeldBytes() });
    const f = (x: number) => x + 1,
      odd = (i: number) => i & 1;
    const add = app.rust.make_adder(1);
    const mult = app.ocaml.fn("ts_make_multiplier", [T.int], T.closure([T.int], T.int))(2);
    const apply = app.ocaml.fn("ts_apply", [T.closure([T.int], T.int), T.int], T.int);
    const c = app.rust.counter_new(0);
    // m calls, a quarter of each direction, then Rust calling a JS function m times in one call
    const calls = (m: number) => {
      let acc = 0;
      for (let i = 0; i < m / 4; i++) {
        acc += app.rust.apply_twice(f, 1) - 3; // TS -> Rust -> TS (twice)
        acc += add(i & 7, 0) - (i & 7) - 1; // TS -> a Rust closure
        acc += apply(mult, i & 7) - 2 * (i & 7); // TS -> OCaml, with an OCaml closure
        app.rust.counter_incr(c); // TS -> Rust, with a DynBox
      }
      return { acc, sum: app.rust.sum_calls(odd, m) }; // Rust -> TS
    };
    calls(1_000);
    // the arena reaches its working size for a call of n first (Rust's own arguments of n
    // calls stay in the export's frame; the arena keeps its chunks, settling after two such calls)
    app.rust.sum_calls(odd, n);
    app.rust.sum_calls(odd, n);
    const before = counts();
    const out = calls(n);
    const after = counts();
    const count = app.rust.counter_incr(c) - 1;
    add.release();
    mult.release();
    c.release();
    return { before, after, out, count };
  }, 1_000_000);
  expect(r.out).toEqual({ acc: 0, sum: 500_000 });
  expect(r.count).toBe(250_250);
  expect(r.after).toEqual(r.before);

  // fresh functions, closures and boxes dropped without release: collected
  await page.evaluate(() => {
    const { app } = (window as any).conformance;
    for (let i = 0; i < 2_000; i++) {
      app.rust.apply_twice((x: number) => x + i, 0);
      app.rust.make_adder(i);
      app.rust.counter_new(i);
    }
  });
  const left = async () => {
    await collectGarbage(page, browserName);
    const now = await counts();
    return { handles: now.handles - start.handles, boxes: now.boxes - start.boxes, fns: now.fns - start.fns };
  };
  if (browserName !== "webkit") await expect.poll(left, { timeout: 30_000 }).toEqual({ handles: 0, boxes: 0, fns: 0 });
  // JavaScriptCore scans the stack conservatively: a few of the 6,000 dropped values can stay
  // reachable for a while (2 JS functions in WebKitGTK 2.50); the others must be collected
  else await expect.poll(async () => Object.values(await left()).every((n) => n <= 4), { timeout: 30_000 }).toBe(true);
});
