// npm run bench: serves the built page, runs src/bench/main.ts in headless Chromium, and
// writes bench/results.json ({browser, workloads: {id: {ours_ns, baseline, baseline_ns, ratio}}}).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, startPreview } from "../test-support/browser.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const server = await startPreview(ROOT);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  page.on("console", (m) => { if (m.type() === "error") console.error("[page]", m.text()); });
  await page.goto(`${server.url}/bench.html`);
  await page.waitForFunction(() => (window as unknown as { benchResults?: unknown }).benchResults, undefined, { timeout: 600_000 });
  const out = await page.evaluate(() => (window as unknown as { benchResults: { workloads?: object; error?: string } }).benchResults);
  if (out.error) throw new Error(`benchmark page failed: ${out.error}`);
  const results = { browser: `Chromium ${browser.version()} (headless)`, workloads: out.workloads };
  mkdirSync(join(ROOT, "bench"), { recursive: true });
  writeFileSync(join(ROOT, "bench/results.json"), JSON.stringify(results, null, 2) + "\n");
  console.log(`browser: ${results.browser}`);
  for (const [id, w] of Object.entries(out.workloads ?? {}) as [string, { ours_ns: number; baseline_ns: number; ratio: number }][])
    console.log(`${id.padEnd(26)} ours ${w.ours_ns.toFixed(1).padStart(12)} ns/op   baseline ${w.baseline_ns.toFixed(1).padStart(12)} ns/op   ratio ${w.ratio.toFixed(2)}`);
  console.log("wrote bench/results.json");
} finally {
  await browser.close();
  server.stop();
}
