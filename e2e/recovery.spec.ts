// Traps and re-created Rust instances: a panic of an app built with panic = "abort" (a toolchain
// without the standard library's sources), an abort, a stack overflow and running out of memory
// each fail the call with RustPanic, re-create the Rust instance, and the next call works. A
// re-created instance reuses the memory of the one before: 1,000 traps, each after the instance
// grew a working set, leave the memory flat, and a recovery costs the same whatever the memory's
// size.
import { expect, test, type Page } from "@playwright/test";
import { collectGarbage } from "ocaml-interop-web/playwright";

async function open(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("e2e/pages/recovery.html");
  await expect(page.getByTestId("status")).toHaveText("ready", { timeout: 30_000 });
  return errors;
}

test('a panic with panic = "abort" is a RustPanic with its message; the instance is re-created and starts afresh', async ({ page }) => {
  const errors = await open(page);
  const r = await page.evaluate(() => {
    const { abortApp: app, T } = (window as any).recovery;
    const out: unknown[] = [app.bridge.app.panic, app.rust.keep(64), app.rust.kept(undefined)];
    try {
      app.rust.fail("on purpose");
    } catch (e) {
      out.push(`${(e as Error).name}: ${(e as Error).message}`);
    }
    out.push(app.bridge.resets, app.rust.kept(undefined), app.rust.twice(21));
    // from OCaml: the same RustPanic, with the message
    out.push(app.ocaml.fn("rounds", [T.int, T.int], T.int)(3, 16), app.bridge.resets);
    return out;
  });
  expect(r).toEqual(["abort", 64, 64, "RustPanic: on purpose", 1, 0, 42, 3, 4]);
  expect(errors).toEqual([]);
});

test('an async task that traps with panic = "abort": the instance is re-created, and every promise of its tasks is rejected, saying why', async ({
  page,
}) => {
  const errors = await open(page);
  const r = await page.evaluate(async () => {
    const { abortApp: app } = (window as any).recovery;
    const outcome = (p: Promise<unknown>) =>
      p.then(
        (v) => `ok ${v}`,
        (e) => `${(e as Error).name}: ${(e as Error).message}`,
      );
    const resets0 = app.bridge.resets;
    let go!: (s: string) => void;
    // two tasks wait: one will panic, the other is lost with the instance
    const panics = outcome(app.rust.panic_later(new Promise<string>((res) => (go = res))));
    const lost = outcome(app.rust.panic_later(new Promise<string>(() => {})));
    go("boom");
    const [panicked, gone] = await Promise.all([panics, lost]);
    const after = await outcome(app.rust.panic_later(Promise.resolve("")));
    return { panicked, gone, after, resets: app.bridge.resets - resets0, twice: app.rust.twice(4) };
  });
  // which task trapped is not known to the promises: each is rejected with the trap's message
  const why =
    "the Rust instance of abort-mode trapped (panic_later: boom) and was re-created before this promise settled; its task is gone";
  expect(r.panicked).toBe(`RustPanic: panic_later: result: ${why}`);
  expect(r.gone).toBe(`RustPanic: panic_later: result: ${why}`);
  expect(r).toMatchObject({ after: "ok 0", resets: 1, twice: 8 });
  expect(errors).toEqual([]);
});

test("1,000 traps after a working set each: the memory stays flat and each recovery is fast", async ({ page }) => {
  test.setTimeout(300_000);
  const errors = await open(page);
  const r = await page.evaluate(() => {
    const { abortApp: app, T } = (window as any).recovery;
    const rounds = app.ocaml.fn("rounds", [T.int, T.int], T.int);
    rounds(20, 1024); // warm-up: the memory grows to its working size
    const before = app.bridge.memory.buffer.byteLength;
    const t0 = performance.now();
    const ok = rounds(1000, 1024); // each round keeps 1 MiB, then traps
    const ms = performance.now() - t0;
    return { ok, resets: app.bridge.resets, before, after: app.bridge.memory.buffer.byteLength, usPerRound: (ms * 1000) / 1000 };
  });
  const note = `1,000 traps (1 MiB working set each): memory ${r.before} -> ${r.after} bytes, ${r.usPerRound.toFixed(0)} us per round (keep + trap + re-creation)`;
  test.info().annotations.push({ type: "measured", description: note });
  console.log(`[recovery] ${note}`);
  expect(r.ok).toBe(1000);
  expect(r.resets).toBe(1020);
  // flat: the working set of one instance at most, never one per trap
  expect(r.after - r.before).toBeLessThanOrEqual(2 * 1024 * 1024);
  expect(errors).toEqual([]);
});

test("an abort, a stack overflow and running out of memory are each a RustPanic naming the export; the next call works", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = await open(page);
  const r = await page.evaluate(() => {
    const { abortApp: app, demoApp, T } = (window as any).recovery;
    const attempt = (f: () => unknown) => {
      try {
        f();
        return "no error";
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    const out: Record<string, unknown> = {};
    out.abort = attempt(() => app.rust.abort(undefined));
    out.afterAbort = app.rust.twice(1);
    out.overflow = attempt(() => app.rust.overflow(1_000_000));
    out.afterOverflow = app.rust.twice(2);
    const t0 = performance.now();
    out.exhaust = attempt(() => app.rust.exhaust(undefined));
    out.exhaustMs = performance.now() - t0;
    out.memoryAfterExhaust = app.bridge.memory.buffer.byteLength;
    // the memory is now near its 4 GiB maximum and the re-created instance's heap spans it:
    // with 2.2 GiB reserved, what comes next lies past 2 GiB, and calls passing values there
    // work from TS and from OCaml (addresses are unsigned everywhere)
    const text = "é".repeat(50_000) + "end";
    out.reservedEndMiB = app.rust.reserve(2200);
    const [back, atMiB] = app.rust.echo(text);
    out.afterExhaust = [
      app.rust.twice(3),
      back === text,
      atMiB > 2048,
      app.ocaml.fn("echo_from_ocaml", [T.string], T.string)(text) === text,
    ];
    out.resets = app.bridge.resets;
    // the demo's panics unwind; its abort traps and re-creates only the demo's instance
    out.demoPanic = attempt(() => demoApp.rust.rust_panic("unwinds"));
    out.demoAbort = attempt(() => demoApp.rust.rust_abort(undefined));
    out.demoResets = demoApp.bridge.resets;
    return out;
  });
  expect(r.abort).toBe(
    "RustPanic: Rust trapped in abort: unreachable (an abort: out of memory, or core::arch::wasm32::unreachable); the Rust instance was re-created",
  );
  expect(r.afterAbort).toBe(2);
  expect(r.overflow).toMatch(/^RustPanic: Rust trapped in overflow: /);
  expect(r.afterOverflow).toBe(4);
  expect(r.exhaust).toMatch(/^RustPanic: (memory allocation of \d+ bytes failed|Rust trapped in exhaust: )/);
  expect(r.memoryAfterExhaust).toBeGreaterThan(2 ** 31);
  expect(r.reservedEndMiB).toBeGreaterThan(2048);
  expect(r.afterExhaust).toEqual([6, true, true, true]);
  expect(r.resets).toBe(3);
  expect(r.demoPanic).toBe("RustPanic: unwinds");
  expect(r.demoAbort).toMatch(/^RustPanic: Rust trapped in rust_abort: unreachable/);
  expect(r.demoResets).toBe(1);
  expect(errors).toEqual([]);
});

test("a Drop that traps (a DynBox released by OCaml or collected by the GC) is told to the console, never to a call nor as a page error", async ({
  page,
  browserName,
}) => {
  const errors = await open(page);
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  const r = await page.evaluate(() => {
    const { abortApp: app, T } = (window as any).recovery;
    const resets0 = app.bridge.resets;
    // released by OCaml: the release traps, the instance is re-created under the OCaml call,
    // which goes on (`kept` runs on the new instance: the 4 KiB kept before are gone)
    const kept = app.ocaml.fn("release_drop_panics", [T.int], T.int)(7);
    return { kept, resets: app.bridge.resets - resets0, faults: app.bridge.housekeepingFaults, next: app.rust.twice(5) };
  });
  expect(r).toEqual({ kept: 0, resets: 1, faults: 1, next: 10 });
  await expect.poll(() => consoleErrors.length).toBe(1);
  expect(consoleErrors[0]).toBe("ocaml-interop: abort-mode: DropPanics(7) dropped");
  // left to the GC: each collected wrapper's Drop traps in a finalizer
  await page.evaluate(() => {
    const { abortApp: app, T } = (window as any).recovery;
    app.ocaml.fn("garbage_drop_panics", [T.int], T.unit)(50);
  });
  await expect
    .poll(
      async () => {
        await collectGarbage(page, browserName);
        return page.evaluate(() => (window as any).recovery.abortApp.bridge.housekeepingFaults);
      },
      { timeout: 20_000 },
    )
    .toBeGreaterThan(1);
  const after = await page.evaluate(() => (window as any).recovery.abortApp.rust.twice(21));
  expect(after).toBe(42);
  expect(consoleErrors.length).toBeLessThanOrEqual(3);
  expect(
    consoleErrors.slice(1).every((e) => /^ocaml-interop: abort-mode: DropPanics\(\d+\) dropped \(\d+ such faults so far\)$/.test(e)),
  ).toBe(true);
  expect(errors).toEqual([]);
});
