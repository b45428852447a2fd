// Where a workload's time goes: runs the bench page on a few workloads (?only=, see
// examples/bench/src/main.ts) in headless Chromium under V8's sampling profiler (CDP
// Profiler.start/stop) and prints each function's share of the samples taken while the page
// ran them (self time), with the part of the bridge it belongs to. Needs a build (dist-site/).
//   node tools/bench/profile.ts W9_handle_churn [W4_int_list_10k ...]
//   OIW_PROFILE_OUT=dir   also writes each profile as a .cpuprofile (Chrome DevTools opens it)
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../../src/playwright/index.ts";
import { startPreview } from "../test-support/preview.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** The part of the bridge a frame belongs to, from its script's URL. */
function part(url: string, fn: string): string {
  if (url.startsWith("wasm://")) return `wasm ${url.slice(url.lastIndexOf("/") + 1)}`;
  if (/host-[^/]*\.js|\/src\/host\//.test(url)) return "TS host";
  if (/bench-[^/]*\.js|examples\/bench\/src/.test(url)) return "bench page";
  if (url === "") return fn.startsWith("(") ? fn : "native/built-in";
  return url.replace(/^.*\//, "");
}

const ids = process.argv.slice(2);
if (!ids.length) throw new Error("usage: node tools/bench/profile.ts <workload id or prefix> ...");
const server = await startPreview(ROOT);
const browser = await launchChromium();
try {
  for (const id of ids) {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 50 });
    await cdp.send("Profiler.start");
    await page.goto(`${server.url}/examples/bench/?only=${encodeURIComponent(id)}`);
    await page.waitForFunction(() => (window as unknown as { benchResults?: unknown }).benchResults, undefined, {
      timeout: 600_000,
    });
    const { profile } = (await cdp.send("Profiler.stop")) as unknown as { profile: Profile };
    const out = await page.evaluate(() => (window as unknown as { benchResults: unknown }).benchResults);
    if (process.env.OIW_PROFILE_OUT) writeFileSync(join(process.env.OIW_PROFILE_OUT, `${id}.cpuprofile`), JSON.stringify(profile));
    await page.close();

    // self samples per node; the idle and program nodes are left out of the shares
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const hits = new Map<number, number>();
    for (const s of profile.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
    const fns = new Map<string, { n: number; part: string }>();
    const parts = new Map<string, number>();
    let total = 0;
    for (const [nid, n] of hits) {
      const f = byId.get(nid)!.callFrame;
      if (f.functionName === "(idle)" || f.functionName === "(program)") continue;
      const p = part(f.url, f.functionName);
      const key = `${f.functionName || "(anonymous)"} ${p}${f.url.startsWith("wasm://") ? "" : `:${f.lineNumber + 1}`}`;
      const e = fns.get(key) ?? { n: 0, part: p };
      e.n += n;
      fns.set(key, e);
      parts.set(p, (parts.get(p) ?? 0) + n);
      total += n;
    }
    console.log(`\n== ${id}: ${total} samples (50 us)   ${JSON.stringify((out as { workloads?: unknown }).workloads)}`);
    console.log("by part:");
    for (const [p, n] of [...parts].sort((a, b) => b[1] - a[1])) console.log(`  ${((100 * n) / total).toFixed(1).padStart(5)}%  ${p}`);
    console.log("by function (self):");
    for (const [k, e] of [...fns].sort((a, b) => b[1].n - a[1].n).slice(0, 40))
      console.log(`  ${((100 * e.n) / total).toFixed(1).padStart(5)}%  ${k}`);
  }
} finally {
  await browser.close();
  server.stop();
}
