// What the host does where the engine lacks something: each missing feature is simulated
// before the page's scripts run (in every browser of the run, Chromium included), and the app
// must fall back and still be correct, or, for a feature it cannot do without, fail to load
// with an error naming the feature and the engine (never an opaque CompileError).
import { expect, test, type Page } from "@playwright/test";

/** Opens the conformance page after `lack` (a script) ran; fails on page errors. */
async function openLacking(page: Page, lack: string, status: string | RegExp = "ready"): Promise<string[]> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.addInitScript(lack);
  await page.goto("./");
  await expect(page.getByTestId("status")).toHaveText(status, { timeout: 30_000 });
  return errors;
}

const features = (page: Page) => page.evaluate(() => (window as any).conformanceEngine.engineFeatures());

test("the engine has every feature the host uses (this run's Chromium and Firefox)", async ({ page }) => {
  await openLacking(page, "");
  expect(await features(page)).toEqual({
    gc: true,
    exceptions: true,
    tailCalls: true,
    multiMemory: true,
    resizableBuffers: true,
    jsTag: true,
    jspi: true,
  });
  expect(await page.evaluate(() => (window as any).conformance.app.bridge.resizableViews)).toBe(false);
  const facts = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    return [app.ocaml.fn("shared_bigarray_facts", [T.unit], T.string)(undefined), app.bridge.resizableViews];
  });
  expect(facts).toEqual([
    "Rust's values true; Rust sees OCaml's write true; OCaml sees Rust's write true; sum true; " +
      "readable after growth true; writable after growth true",
    true,
  ]);
});

test("without WebAssembly.Memory#toResizableBuffer, bigarrays Rust shares are copied, and correct", async ({ page }) => {
  const errors = await openLacking(page, "delete WebAssembly.Memory.prototype.toResizableBuffer;");
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const ocaml = app.ocaml.fn("shared_bigarray_facts", [T.unit], T.string)(undefined);
    // the copies of the other bigarray tests, and the memory growth they make, are unaffected
    const copies = app.ocaml.fn("bigarray_tests", [T.unit], T.string)(undefined);
    return {
      features: (window as any).conformanceEngine.engineFeatures().resizableBuffers,
      ocaml,
      copies,
      resizable: app.bridge.resizableViews,
      bufferResizable: app.bridge.memory.buffer.resizable ?? false,
      strings: app.rust.id_string("é".repeat(5000)).length,
    };
  });
  expect(r).toMatchObject({ features: false, resizable: false, bufferResizable: false, strings: 5000 });
  // a copy holds Rust's values and stays readable and writable after the memory grew; writes
  // no longer reach the other side (the price of the fallback)
  expect(r.ocaml).toBe(
    "Rust's values true; Rust sees OCaml's write false; OCaml sees Rust's write false; sum true; " +
      "readable after growth true; writable after growth true",
  );
  expect(r.copies).toMatch(/^copy f64 ok; copy u8 ok; copy i32 ok; copy i64 ok; copy nativeint ok; copy i16 ok; copy f32 ok; empty ok; /);
  expect(r.copies).toContain("rooted copy ok");
  expect(errors).toEqual([]);
});

test("without WebAssembly.JSTag, errors crossing Rust keep their classes and panics still recover", async ({ page }) => {
  const errors = await openLacking(page, "delete WebAssembly.JSTag;");
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const err = (f: () => unknown) => {
      try {
        return ["ok", f()];
      } catch (e: any) {
        return [e.name, e.message, e.cause instanceof TypeError];
      }
    };
    return {
      jsTag: (window as any).conformanceEngine.engineFeatures().jsTag,
      panic: err(() => app.rust.rust_reenter(0, "!")),
      after: app.rust.id_string("after"),
      rustPlain: err(() => app.rust.call_js_plain("throw 5")),
      rustCatching: err(() => app.rust.call_js_catching("throw 6")),
      reentrant: app.ocaml.fn("reentrancy_tests", [T.int], T.string)(100),
      identity: app.ocaml.fn("exception_identity_tests", [T.unit], T.string)(undefined),
      // OCaml's handler of a JS exception: wasm_of_ocaml's own tag cannot catch what JS throws,
      // so the exception passes through the OCaml code to the caller
      ocamlCatchesJs: err(() => app.ocaml.fn("js_error_tests", [T.unit], T.string)(undefined)),
    };
  });
  expect(r.jsTag).toBe(false);
  expect(r.panic).toEqual(["RustPanic", "bottom reached after 0 crossings", false]);
  expect(r.after).toBe("after");
  expect(r.rustPlain).toEqual(["JavaScriptError", 'call_js_plain: JavaScript exception: hook refused "throw 5"', true]);
  expect(r.rustCatching).toEqual(["ok", { error: 'TypeError: hook refused "throw 6"' }]);
  expect(r.reentrant).toMatch(/^ok ok .*bottom reached after 200 crossings/);
  expect(r.identity).toContain("Not_found caught by its own handler");
  expect(r.ocamlCatchesJs).toEqual(["TypeError", 'hook refused "throw 1"', false]);
  expect(errors).toEqual([]);
});

test("without JSPI (WebAssembly.Suspending, promising), apps built with --effects=disabled run as before", async ({ page }) => {
  const errors = await openLacking(page, "delete WebAssembly.Suspending; delete WebAssembly.promising;");
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    let panic = "";
    try {
      app.rust.rust_reenter(0, "!");
    } catch (e: any) {
      panic = `${e.name}: ${e.message}`;
    }
    return {
      jspi: (window as any).conformanceEngine.engineFeatures().jspi,
      closures: app.ocaml.fn("closure_tests", [T.unit], T.string)(undefined).split("; ").slice(0, 4).join("; "),
      panic,
      after: app.rust.id_string("after"),
    };
  });
  expect(r).toEqual({
    jspi: false,
    closures: "18; 13; 1,2,3,4,5,6,7; ok ABC",
    panic: "RustPanic: bottom reached after 0 crossings",
    after: "after",
  });
  expect(errors).toEqual([]);
});

// an engine without multi-memory (WebKitGTK 2.50): WebAssembly.validate says no to modules
// declaring two memories, as it does there (the WebKitGTK suites of npm test see the real one)
const NO_MULTI_MEMORY = `{
  const validate = WebAssembly.validate;
  WebAssembly.validate = function (bytes) {
    const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes.buffer ?? bytes, bytes.byteOffset ?? 0, bytes.byteLength);
    if (b[8] === 5 && b[10] >= 2) return false;
    return validate.call(WebAssembly, bytes);
  };
}`;

test("without multi-memory, the single-memory OCaml build loads; the multi-memory one fails at once, naming the feature and the engine", async ({
  page,
  browserName,
}) => {
  const wasm: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes(".wasm")) wasm.push(r.url());
  });
  const errors = await openLacking(page, NO_MULTI_MEMORY);
  const r = await page.evaluate(async () => {
    const { app, T, loadAgain } = (window as any).conformance;
    const fetched = () => performance.getEntriesByType("resource").filter((x) => x.name.endsWith(".wasm")).length;
    const before = fetched();
    const e = await loadAgain({ ocamlBuild: "multi-memory" }).then(
      () => ({ loaded: true }),
      (e: any) => e,
    );
    return {
      build: app.bridge.ocamlBuild,
      call: app.ocaml.fn("bigarray_tests", [T.unit], T.string)(undefined).startsWith("copy f64 ok"),
      features: (window as any).conformanceEngine.engineFeatures(),
      error: { name: e.name, message: e.message, missing: e.missing, engine: e.engine },
      fetchedByRefusedLoad: fetched() - before,
    };
  });
  expect(r).toMatchObject({ build: "single-memory", call: true, features: { gc: true, multiMemory: false }, fetchedByRefusedLoad: 0 });
  expect(r.error.name).toBe("UnsupportedEngineError");
  expect(r.error.missing).toEqual(["WebAssembly multi-memory"]);
  expect(r.error.engine).toMatch(browserName === "firefox" ? /^Firefox \d+/ : /^Chrome \d+/);
  expect(r.error.message).toMatch(
    /^ocaml-interop: the app conformance cannot run in this engine, (Chrome|Firefox) \d+(\.\d+)?: it lacks WebAssembly multi-memory \(the OCaml module imports the memory it shares with Rust next to its runtime's own memory; supported from Chrome 120, Firefox 125, Safari 27.3; WebKitGTK 2.50 lacks it\)$/,
  );
  // the Rust module and the single-memory OCaml module: the multi-memory one is never fetched
  expect(wasm, wasm.join(", ")).toHaveLength(2);
  expect(errors).toEqual([]);
});
