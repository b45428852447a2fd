// WebKitGTK (Debian's webkit2gtk-driver, WebKit 2.50) has WasmGC, exception handling and tail
// calls but no multi-memory: the apps load their single-memory OCaml build there (the values
// and slice tests run on it: playwright.webkit.config.ts). What this file checks: which build
// loads and what is fetched, that the multi-memory build fails at once with an error naming the
// feature and the engine (before anything is fetched, instead of the engine's CompileError), and
// that the engine itself rejects exactly the multi-memory OCaml modules. Run by npm test
// (node --test), through WebDriver (src/playwright/webkit.ts).
import { strict as assert } from "node:assert";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { startPreview } from "../../tools/test-support/preview.ts";
import { MINIBROWSER, WEBKIT_DRIVER, startWebKit, webkitAvailable, type WebKitSession } from "../../src/playwright/webkit.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const available = webkitAvailable();
if (!available)
  console.log(
    `# skipped: no WebKitGTK here (${WEBKIT_DRIVER}, ${MINIBROWSER}); toolchain/provision.sh installs it on Debian/Ubuntu as root`,
  );

let server: { url: string; stop(): void };
let webkit: WebKitSession;
before(async () => {
  if (!available) return;
  server = await startPreview(ROOT);
  webkit = await startWebKit();
  console.log(`# WebKitGTK ${webkit.version}`);
});
after(async () => {
  await webkit?.close();
  server?.stop();
});

/** Opens `path` and waits until its status element leaves "loading". */
async function open(path: string, statusSelector = "[data-testid=status]"): Promise<string> {
  await webkit.goto(`${server.url}/${path}`);
  for (let i = 0; i < 300; i++) {
    const s = await webkit.execute<string | null>(`return document.querySelector(${JSON.stringify(statusSelector)})?.textContent ?? null`);
    if (s && !/^loading/.test(s)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${path} did not finish loading`);
}

const ENGINE = "WebKit (WebKitGTK/WPE, AppleWebKit/605.1.15)";
const WASM_FETCHED = `performance.getEntriesByType("resource").map((x) => x.name).filter((u) => u.endsWith(".wasm")).map((u) => u.split("/").pop())`;

/** The built OCaml modules, by build: the multi-memory ones import the shared memory, the
 *  single-memory ones its loads and stores (read with Node's engine, which has every feature). */
function ocamlModules(): { multi: string[]; single: string[]; rust: string[] } {
  const dir = join(ROOT, "dist-site/assets");
  const out = { multi: [] as string[], single: [] as string[], rust: [] as string[] };
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".wasm"))) {
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(join(dir, f))));
    if (imports.some((i) => i.module === "js" && i.name === "oiw_memory" && i.kind === "memory")) out.multi.push(f);
    else if (imports.some((i) => i.module === "js" && i.name.startsWith("oiw_m_"))) out.single.push(f);
    else if (f.includes("_bg-")) out.rust.push(f);
  }
  return out;
}

test("the conformance app loads its single-memory OCaml build, and fetches only that one", { skip: !available }, async () => {
  assert.equal(await open("examples/conformance/"), "ready");
  const r = await webkit.execute<Record<string, any>>(`
    const { app } = window.conformance;
    return {
      build: app.bridge.ocamlBuild, features: window.conformanceEngine.engineFeatures(),
      engine: window.conformanceEngine.engineName(), wasm: ${WASM_FETCHED},
    };`);
  const built = ocamlModules();
  assert.deepEqual(r.features, {
    gc: true,
    exceptions: true,
    tailCalls: true,
    multiMemory: false,
    resizableBuffers: false,
    jsTag: true,
    jspi: false,
  });
  assert.equal(r.engine, ENGINE);
  assert.equal(r.build, "single-memory");
  assert.equal(r.wasm.length, 2, `fetched: ${r.wasm.join(", ")}`);
  assert.ok(
    r.wasm.some((f: string) => built.single.includes(f)),
    `fetched ${r.wasm.join(", ")}; single-memory builds: ${built.single.join(", ")}`,
  );
  assert.ok(!r.wasm.some((f: string) => built.multi.includes(f)), `a multi-memory build was fetched: ${r.wasm.join(", ")}`);
});

test("asking for the multi-memory build fails with UnsupportedEngineError naming multi-memory and WebKit, fetching nothing", {
  skip: !available,
}, async () => {
  assert.equal(await open("examples/conformance/"), "ready");
  const r = await webkit.executeAsync<Record<string, any>>(`
    const done = arguments[arguments.length - 1];
    const before = ${WASM_FETCHED}.length;
    window.conformance.loadAgain({ ocamlBuild: "multi-memory" }).then(
      () => done({ loaded: true }),
      (e) => done({ name: e.name, message: e.message, missing: e.missing, engine: e.engine, isError: e instanceof Error, fetched: ${WASM_FETCHED}.length - before }));`);
  assert.deepEqual(r, {
    name: "UnsupportedEngineError",
    missing: ["WebAssembly multi-memory"],
    engine: ENGINE,
    isError: true,
    fetched: 0,
    message:
      `ocaml-interop: the app conformance cannot run in this engine, ${ENGINE}: it lacks WebAssembly multi-memory ` +
      "(the OCaml module imports the memory it shares with Rust next to its runtime's own memory; supported from Chrome 120, Firefox 125, Safari 27.3; WebKitGTK 2.50 lacks it)",
  });
});

test("the demo runs: a call each way", { skip: !available }, async () => {
  assert.equal(await open("examples/demo/"), "ready: OCaml and Rust are loaded");
  const r = await webkit.execute<unknown[]>(`const { app, T } = window.demo;
    return [app.bridge.ocamlBuild, app.rust.rust_calls_ocaml(6), app.ocaml.fn("demo_reverse", [T.string], T.string)("abc")]`);
  assert.deepEqual(r, ["single-memory", "square=36 even=true half=3", "cba"]);
});

test("what the single-memory build spares: the engine rejects every multi-memory OCaml module, compiles the others", {
  skip: !available,
}, async () => {
  const built = ocamlModules();
  assert.ok(
    built.multi.length >= 4 && built.single.length === built.multi.length && built.rust.length >= 4,
    `built modules: ${JSON.stringify(built)}`,
  );
  await open("examples/conformance/");
  const all = [...built.multi, ...built.single, ...built.rust];
  const results = await webkit.executeAsync<Record<string, string>>(
    `
    const [urls, done] = arguments;
    Promise.all(urls.map(async (u) => {
      const bytes = await (await fetch(u)).arrayBuffer();
      try { await WebAssembly.compile(bytes); return [u.split("/").pop(), "compiles"]; }
      catch (e) { return [u.split("/").pop(), e.constructor.name + ": " + e.message]; }
    })).then((r) => done(Object.fromEntries(r)));`,
    all.map((f) => `${server.url}/assets/${f}`),
  );
  for (const f of built.multi)
    assert.match(
      results[f],
      /^CompileError: WebAssembly\.Module doesn't parse at byte \d+: there can at most be one Memory section for now/,
      f,
    );
  for (const f of [...built.single, ...built.rust]) assert.equal(results[f], "compiles", f);
});
