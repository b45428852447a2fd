// Several apps in one page: two loaded side by side keep their own memory, Rust instance,
// OCaml program and panic recovery; dispose() unloads an app and loading it again works, 100
// times over, without leaking (the disposed apps are collected; the heap is flat).
import { expect, test, type Page } from "@playwright/test";
import { collectGarbage } from "ocaml-interop-web/playwright";

async function open(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("e2e/pages/multi.html");
  await expect(page.getByTestId("status")).toHaveText("ready", { timeout: 30_000 });
  return errors;
}

test("two apps side by side keep their own memory, Rust instance, OCaml program and panic recovery", async ({ page }) => {
  const errors = await open(page);
  const r = await page.evaluate(async () => {
    const { multi } = window as any;
    const { T } = multi;
    const [demo, conf] = await Promise.all([multi.load("demo"), multi.load("conformance")]);
    const log = demo.ocaml.fn("demo_log", [T.string], T.int);
    const out: Record<string, unknown> = {
      sameMemory: demo.bridge.memory === conf.bridge.memory,
      demoTwice: demo.rust.rust_twice(21),
      confString: conf.rust.id_string("side by side"),
      demoLog: [log("a"), log("b")],
      viaOCaml: conf.ocaml.fn("via_rust_string", [T.string], T.string)("through OCaml"),
    };
    // a panic unwinds: the demo's Rust state (its log) survives
    try {
      demo.rust.rust_panic("in the demo");
    } catch (e) {
      out.panic = `${(e as Error).name}: ${(e as Error).message}`;
    }
    out.afterPanic = [demo.rust.rust_twice(2), conf.rust.id_int(7), log("c")];
    // a trap in one app re-creates its Rust instance only: the other keeps its state
    try {
      demo.rust.rust_abort(undefined);
    } catch (e) {
      out.trap = (e as Error).name;
    }
    out.resets = [demo.bridge.resets, conf.bridge.resets];
    out.afterTrap = [log("fresh start"), conf.rust.id_string("unaffected")];
    // dispose: later calls are a clear error; the other app keeps working
    demo.dispose();
    try {
      demo.rust.rust_twice(1);
    } catch (e) {
      out.disposed = `${(e as Error).name}: ${(e as Error).message}`;
    }
    try {
      demo.ocaml.fn("demo_log", [T.string], T.int)("x");
    } catch (e) {
      out.disposedOCaml = (e as Error).name;
    }
    out.confAfterDispose = conf.rust.id_string("still here");
    // loaded again, the app starts afresh
    const again = await multi.load("demo");
    out.again = [again.rust.rust_twice(50), again.ocaml.fn("demo_log", [T.string], T.int)("fresh")];
    again.dispose();
    conf.dispose();
    return out;
  });
  expect(r).toEqual({
    sameMemory: false,
    demoTwice: 42,
    confString: "side by side",
    demoLog: [1, 2],
    viaOCaml: "through OCaml",
    panic: "RustPanic: in the demo",
    afterPanic: [4, 7, 3],
    trap: "RustPanic",
    resets: [1, 0],
    afterTrap: [1, "unaffected"],
    disposed: "BoundaryError: rust_twice: the app demo was disposed (load it again with loadInterop)",
    disposedOCaml: "BoundaryError",
    confAfterDispose: "still here",
    again: [100, 1],
  });
  expect(errors).toEqual([]);
});

test("dispose and load again 100 times: the disposed apps are collected, the heap stays flat", async ({ page, browserName }) => {
  test.setTimeout(180_000);
  const errors = await open(page);
  const cdp = browserName === "chromium" ? await page.context().newCDPSession(page) : undefined;
  const heap = async () => {
    if (!cdp) return 0;
    for (let i = 0; i < 3; i++) await cdp.send("HeapProfiler.collectGarbage");
    const u = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number; backingStorageSize?: number };
    return u.usedSize + (u.backingStorageSize ?? 0);
  };
  const cycles = (n: number) =>
    page.evaluate(async (n) => {
      const { multi } = window as any;
      const { T } = multi;
      let ok = 0;
      for (let i = 0; i < n; i++) {
        const app = await multi.load("demo");
        const shout = app.ocaml.fn("ocaml_shout", [T.string], T.string);
        if (app.rust.rust_twice(i) === 2 * i && shout("x") === "X!" && app.rust.rust_calls_ocaml(6) === "square=36 even=true half=3") ok++;
        try {
          app.rust.rust_panic("cycle");
        } catch {
          /* unwound */
        }
        try {
          app.rust.rust_abort(undefined);
        } catch {
          /* re-created */
        }
        if (app.bridge.resets === 1 && app.rust.rust_twice(1) === 2) ok++;
        app.dispose();
      }
      return ok;
    }, n);
  expect(await cycles(10)).toBe(20); // warm-up: the modules are compiled once per page
  const before = await heap();
  expect(await cycles(100)).toBe(200);
  // let the collector run and the registry's callbacks be delivered
  let collected = 0;
  // (Firefox has no protocol command for a GC: collectGarbage allocates until one runs)
  for (let i = 0; i < 60 && collected < 100; i++) {
    await collectGarbage(page, browserName);
    await page.waitForTimeout(100);
    collected = await page.evaluate(() => (window as any).multi.collected());
  }
  const after = await heap();
  test.info().annotations.push({
    type: "measured",
    description: `100 cycles: ${collected} apps collected; heap ${(before / 1e6).toFixed(2)} MB before, ${(after / 1e6).toFixed(2)} MB after`,
  });
  console.log(
    `[multi-app] 100 cycles: ${collected} apps collected; heap ${(before / 1e6).toFixed(2)} MB before, ${(after / 1e6).toFixed(2)} MB after`,
  );
  expect(collected).toBeGreaterThanOrEqual(100);
  if (cdp) {
    // 100 apps of about 1.5 MB each (memory, instances, programs) were made: a leak of one app
    // per cycle would show as tens of MB; flat means within 2 MB of where it started
    expect(Math.abs(after - before)).toBeLessThan(2 * 1024 * 1024);
  }
  expect(errors).toEqual([]);
});
