// npm run bench: serves the built page, runs src/bench/main.ts in headless Chromium, and
// writes bench/results.json ({browser, workloads: {id: {ours_ns, baseline, baseline_ns, ratio}}}).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../../src/playwright/index.ts";
import { startPreview } from "../test-support/preview.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const server = await startPreview(ROOT);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  page.on("console", (m) => { if (m.type() === "error") console.error("[page]", m.text()); });
  // the soak workload reads the JS heap (OCaml's WasmGC heap included) after a full GC
  const cdp = await page.context().newCDPSession(page);
  await page.exposeFunction("benchGcHeap", async () => {
    await cdp.send("HeapProfiler.collectGarbage");
    return (await cdp.send("Runtime.getHeapUsage")).usedSize;
  });
  await page.goto(`${server.url}/examples/bench/`);
  await page.waitForFunction(() => (window as unknown as { benchResults?: unknown }).benchResults, undefined, { timeout: 600_000 });
  const out = await page.evaluate(() => (window as unknown as { benchResults: { workloads?: object; soak?: Record<string, unknown>; error?: string } }).benchResults);
  if (out.error) throw new Error(`benchmark page failed: ${out.error}`);
  const results = { browser: `Chromium ${browser.version()} (headless)`, workloads: out.workloads, soak: out.soak };
  console.log(`browser: ${results.browser}`);
  for (const [id, w] of Object.entries(out.workloads ?? {}) as [string, { ours_ns: number; baseline_ns: number; ratio: number }][])
    console.log(`${id.padEnd(26)} ours ${w.ours_ns.toFixed(1).padStart(12)} ns/op   baseline ${w.baseline_ns.toFixed(1).padStart(12)} ns/op   ratio ${w.ratio.toFixed(2)}`);
  if (out.soak) {
    const s = out.soak as { before: Record<string, number>; after: Record<string, number> } & Record<string, number>;
    console.log(`soak: ${s.ocaml_to_rust_calls} OCaml -> Rust calls (record + string) in ${s.ocaml_to_rust_ms} ms, ` +
      `${s.ts_to_rust_calls} TS -> Rust calls (string) in ${s.ts_to_rust_ms} ms`);
    // flat: Rust's memory, the arena, the handle and box tables unchanged; the JS heap within 5 MB
    const flat = ["rust_memory_bytes", "arena_held_bytes", "live_handles", "live_boxes"].every((k) => s.before[k] === s.after[k]) &&
      Math.abs(s.after.js_heap_bytes - s.before.js_heap_bytes) < 5 * 2 ** 20;
    (s as Record<string, unknown>).flat = flat;
    console.log(`  flat: ${flat}`);
    for (const k of Object.keys(s.before)) console.log(`  ${k.padEnd(20)} before ${String(s.before[k]).padStart(12)}   after ${String(s.after[k]).padStart(12)}`);
  }
  mkdirSync(join(ROOT, "bench"), { recursive: true });
  writeFileSync(join(ROOT, "bench/results.json"), JSON.stringify(results, null, 2) + "\n");
  console.log("wrote bench/results.json");
} finally {
  await browser.close();
  server.stop();
}
