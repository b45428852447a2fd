// WebKitGTK (Debian's webkit2gtk-driver, WebKit 2.50) cannot run an app: it has WasmGC,
// exception handling and tail calls but no multi-memory, and the OCaml module imports the
// memory it shares with Rust next to its runtime's own. Loading must fail at once with an
// error naming the feature and the engine, before anything is fetched, instead of the engine's
// CompileError. Run by npm test (node --test), through WebDriver (tools/test-support/webkit.ts).
import { strict as assert } from "node:assert";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { startPreview } from "../../tools/test-support/preview.ts";
import { MINIBROWSER, WEBKIT_DRIVER, startWebKit, type WebKitSession } from "../../tools/test-support/webkit.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const available = existsSync(WEBKIT_DRIVER) && existsSync(MINIBROWSER);
if (!available) console.log(`# skipped: no WebKitGTK here (${WEBKIT_DRIVER}, ${MINIBROWSER}); toolchain/provision.sh installs it on Debian/Ubuntu as root`);

let server: { url: string; stop(): void };
let webkit: WebKitSession;
before(async () => {
  if (!available) return;
  server = await startPreview(ROOT);
  webkit = await startWebKit();
  console.log(`# WebKitGTK ${webkit.version}`);
});
after(async () => { await webkit?.close(); server?.stop(); });

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
const MESSAGE = `ocaml-interop: the app conformance cannot run in this engine, ${ENGINE}: it lacks WebAssembly multi-memory ` +
  "(the OCaml module imports the memory it shares with Rust next to its runtime's own memory; supported from Chrome 120, Firefox 125, Safari 27.3; WebKitGTK 2.50 lacks it)";

test("the conformance app fails to load with UnsupportedEngineError naming multi-memory and WebKit, fetching nothing", { skip: !available }, async () => {
  const status = await open("examples/conformance/");
  assert.equal(status, `failed: UnsupportedEngineError: ${MESSAGE}`);
  const r = await webkit.execute<Record<string, any>>(`
    const e = window.conformanceError;
    return {
      name: e.name, missing: e.missing, engine: e.engine, isError: e instanceof Error,
      features: window.conformanceEngine.engineFeatures(),
      wasmFetched: performance.getEntriesByType("resource").map((x) => x.name).filter((u) => u.includes(".wasm")),
    };`);
  assert.deepEqual(r, {
    name: "UnsupportedEngineError", missing: ["WebAssembly multi-memory"], engine: ENGINE, isError: true,
    // what WebKitGTK 2.50 has of what the host uses
    features: { gc: true, exceptions: true, tailCalls: true, multiMemory: false, resizableBuffers: false, jsTag: true, jspi: false },
    wasmFetched: [],
  });
});

test("the demo's page shows the same error", { skip: !available }, async () => {
  const status = await open("examples/demo/");
  assert.match(status, new RegExp(`^failed to load: .*cannot run in this engine, WebKit \\(WebKitGTK/WPE, AppleWebKit/605\\.1\\.15\\): it lacks WebAssembly multi-memory`));
});

test("what the check spares: the engine itself rejects every OCaml module (two memories), while the Rust modules compile", { skip: !available }, async () => {
  const assets = readdirSync(join(ROOT, "dist-site/assets")).filter((f) => f.endsWith(".wasm"));
  const ocaml = assets.filter((f) => f.startsWith("code-")), rust = assets.filter((f) => f.includes("_bg-"));
  assert.ok(ocaml.length >= 3 && rust.length >= 3, `built modules: ${assets.join(", ")}`);
  await open("examples/conformance/");
  const results = await webkit.executeAsync<Record<string, string>>(`
    const [urls, done] = arguments;
    Promise.all(urls.map(async (u) => {
      const bytes = await (await fetch(u)).arrayBuffer();
      try { await WebAssembly.compile(bytes); return [u, "compiles"]; }
      catch (e) { return [u, e.constructor.name + ": " + e.message]; }
    })).then((r) => done(Object.fromEntries(r)));`, [...ocaml, ...rust].map((f) => `${server.url}/assets/${f}`));
  for (const f of ocaml)
    assert.match(results[`${server.url}/assets/${f}`], /^CompileError: WebAssembly\.Module doesn't parse at byte \d+: there can at most be one Memory section for now/, f);
  for (const f of rust) assert.equal(results[`${server.url}/assets/${f}`], "compiles", f);
});
