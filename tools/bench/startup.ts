// W10_startup, for tools/bench/run.ts: the demo app's start-up with the bridge
// (examples/bench/startup/bridge.html) against the same two modules loaded alone
// (startup/alone.html), each page load in a fresh browser context (an empty HTTP cache, nothing
// compiled yet), the two alternating; medians of the samples. Bytes are what each page fetched
// until ready, sized from the built files (raw, and gzip at zlib's default level, as a server
// compressing on the fly sends them), and the same for the whole demo page (examples/demo/).
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { median } from "../../examples/bench/src/measure.ts";
import type { FetchedResource, StartupSample } from "../../examples/bench/src/startup-sample.ts";

export interface Bytes {
  raw: number;
  gzip: number;
  files: { path: string; raw: number; gzip: number }[];
  not_found: string[];
}
export interface StartupResults {
  samples: number;
  ours: Summary;
  alone: Summary;
  /** ready_ms, ours / alone (W10_startup_time) */
  time_ratio: number;
  /** since_navigation_ms, ours / alone: the pages' own scripts included (the host's among them) */
  navigation_ratio: number;
  bytes: { ours: Bytes; alone: Bytes; ratio_raw: number; ratio_gzip: number; only_ours: string[] };
  demo_page: Bytes;
}

interface Summary {
  ready_ms: number;
  since_navigation_ms: number;
  parts: Record<string, number>;
  samples_ms: number[];
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

function sized(root: string, resources: FetchedResource[]): Bytes {
  const seen = new Set<string>();
  const files: Bytes["files"] = [],
    notFound: string[] = [];
  for (const r of resources) {
    let path = decodeURIComponent(new URL(r.url).pathname);
    if (path.endsWith("/")) path += "index.html";
    if (seen.has(path)) continue;
    seen.add(path);
    const file = join(root, "dist-site", path);
    // what the server has not (Firefox asks for /favicon.ico): a 404, no bytes of the app
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) {
      notFound.push(path);
      continue;
    }
    const data = readFileSync(file);
    files.push({ path, raw: data.length, gzip: gzipSync(data).length });
  }
  files.sort((a, b) => b.raw - a.raw);
  return { raw: files.reduce((s, f) => s + f.raw, 0), gzip: files.reduce((s, f) => s + f.gzip, 0), files, not_found: notFound };
}

async function fresh<T>(browser: Browser, url: string, read: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    return await read(page);
  } finally {
    await context.close();
  }
}

async function sample(browser: Browser, base: string, mode: "bridge" | "alone"): Promise<StartupSample> {
  return fresh(browser, `${base}/examples/bench/startup/${mode}.html`, async (page) => {
    await page.waitForFunction(() => (window as unknown as { startupSample?: unknown }).startupSample, undefined, { timeout: 60_000 });
    const s = await page.evaluate(() => (window as unknown as { startupSample: StartupSample | { error: string } }).startupSample);
    if ("error" in s) throw new Error(`W10: startup/${mode}.html failed: ${s.error}`);
    return s;
  });
}

function summary(xs: StartupSample[]): Summary {
  const keys = [...new Set(xs.flatMap((x) => Object.keys(x.parts)))];
  return {
    ready_ms: round(median(xs.map((x) => x.ready_ms))),
    since_navigation_ms: round(median(xs.map((x) => x.since_navigation_ms))),
    parts: Object.fromEntries(keys.map((k) => [k, round(median(xs.map((x) => x.parts[k] ?? NaN)))])),
    samples_ms: xs.map((x) => round(x.ready_ms, 1)),
  };
}

export async function measureStartup(browser: Browser, base: string, root: string, samples = 11): Promise<StartupResults> {
  const ours: StartupSample[] = [],
    alone: StartupSample[] = [];
  // one of each first, not counted (the server's and the browser's own first-use costs)
  await sample(browser, base, "alone");
  await sample(browser, base, "bridge");
  for (let i = 0; i < samples; i++) {
    // alternating which goes first
    if (i % 2) {
      alone.push(await sample(browser, base, "alone"));
      ours.push(await sample(browser, base, "bridge"));
    } else {
      ours.push(await sample(browser, base, "bridge"));
      alone.push(await sample(browser, base, "alone"));
    }
  }
  const o = summary(ours),
    a = summary(alone);
  const bo = sized(root, ours[0].resources),
    ba = sized(root, alone[0].resources);
  const inAlone = new Set(ba.files.map((f) => f.path));
  const demo = await fresh(browser, `${base}/examples/demo/`, async (page) => {
    await page.waitForSelector("#status.ready", { timeout: 60_000 });
    return page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      return [
        { url: nav?.name ?? location.href, initiator: "navigation" },
        ...performance
          .getEntriesByType("resource")
          .map((e) => ({ url: e.name, initiator: (e as PerformanceResourceTiming).initiatorType })),
      ];
    });
  });
  return {
    samples,
    ours: o,
    alone: a,
    time_ratio: round(o.ready_ms / a.ready_ms),
    navigation_ratio: round(o.since_navigation_ms / a.since_navigation_ms),
    bytes: {
      ours: bo,
      alone: ba,
      ratio_raw: round(bo.raw / ba.raw),
      ratio_gzip: round(bo.gzip / ba.gzip),
      only_ours: bo.files.filter((f) => !inAlone.has(f.path)).map((f) => f.path),
    },
    demo_page: sized(root, demo),
  };
}

export function reportStartup(s: StartupResults) {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(
    `W10_startup (${s.samples} fresh page loads each, medians): loadInterop() to ready ${s.ours.ready_ms} ms, ` +
      `the modules alone ${s.alone.ready_ms} ms: ratio ${s.time_ratio}; from navigation ${s.ours.since_navigation_ms} ms ` +
      `against ${s.alone.since_navigation_ms} ms: ratio ${s.navigation_ratio}`,
  );
  console.log(`  samples (ms): with the bridge ${s.ours.samples_ms.join(" ")}; alone ${s.alone.samples_ms.join(" ")}`);
  console.log(`  parts with the bridge: ${JSON.stringify(s.ours.parts)}`);
  console.log(`  parts alone:           ${JSON.stringify(s.alone.parts)}`);
  console.log(
    `  bytes fetched: ${kb(s.bytes.ours.raw)} raw, ${kb(s.bytes.ours.gzip)} gzip with the bridge; ` +
      `${kb(s.bytes.alone.raw)} raw, ${kb(s.bytes.alone.gzip)} gzip alone: ratio ${s.bytes.ratio_raw} raw, ${s.bytes.ratio_gzip} gzip`,
  );
  console.log(`  only with the bridge: ${s.bytes.only_ours.join(", ")}`);
  console.log(
    `  the demo page (examples/demo/): ${kb(s.demo_page.raw)} raw, ${kb(s.demo_page.gzip)} gzip in ${s.demo_page.files.length} files`,
  );
}

/** Measures W10 in `browser` and adds it to a browser's results: `startup`, and the time ratio
 *  as the workload W10_startup_time. */
export async function withStartup(
  r: { workloads: Record<string, unknown>; startup?: StartupResults },
  browser: Browser,
  base: string,
  root: string,
) {
  const s = await measureStartup(browser, base, root);
  r.startup = s;
  r.workloads.W10_startup_time = {
    ours_ns: Math.round(s.ours.ready_ms * 1e6),
    baseline: "the same two modules loaded alone: wasm-bindgen's init and wasm_of_ocaml's loader (fresh page loads)",
    baseline_ns: Math.round(s.alone.ready_ms * 1e6),
    ratio: s.time_ratio,
  };
  reportStartup(s);
}
