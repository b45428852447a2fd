// npm run bench: serves the built page, runs src/bench/main.ts in headless Chromium, then in
// headless Firefox, and writes bench/results.json:
//   {browser, workloads: {id: {ours_ns, baseline, baseline_ns, ratio}}, soak, soak_faults,   <- Chromium's
//    browsers: {chromium: {browser, workloads, soak, soak_faults}, firefox: {...}}}
// soak_faults is {unwind, abort} (examples/bench/src/soak-faults.ts); the run fails when either
// soak is not flat (Rust's memory, the arena, the handle and DynBox tables unchanged, the JS
// heap within 5 MiB where the browser can measure it).
// OIW_BENCH_BROWSERS=chromium (or firefox) runs one; the top-level figures stay Chromium's.
// OIW_BENCH_OCAML_BUILD=single-memory measures the bench app on its single-memory OCaml build (the
// one engines without multi-memory load) and writes bench/results-single-memory.json instead.
// OIW_BENCH_ONLY=W4,W9 runs only the workloads whose id starts with one of those prefixes (no
// soaks, no start-up unless W10 is asked for) and prints them (against the goals: this run's
// figures only) without writing a results file: for iterating on a workload; the recorded run
// is the full one.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { FIREFOX_PREFS, firefoxPath, launchChromium } from "../../src/playwright/index.ts";
import { startPreview } from "../test-support/preview.ts";
import { withStartup, type StartupResults } from "./startup.ts";
import { reportGoals, reportSteady } from "./goals-report.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
type Workload = { ours_ns: number; baseline: string; baseline_ns: number; ratio: number };
type Soak = { before: Record<string, number | null>; after: Record<string, number | null> } & Record<string, unknown>;
type SoakFaults = { unwind: Soak; abort: Soak };
interface BrowserResults {
  browser: string;
  workloads: Record<string, Workload>;
  soak?: Soak;
  soak_faults?: SoakFaults;
  startup?: StartupResults;
}

const BROWSERS = {
  chromium: {
    launch: launchChromium,
    label: (b: Browser) => `Chromium ${b.version()} (headless)`,
    // the soak reads the JS heap (OCaml's WasmGC heap included) after a full GC, through CDP
    prepare: async (page: Page) => {
      const cdp = await page.context().newCDPSession(page);
      await page.exposeFunction("benchGcHeap", async () => {
        await cdp.send("HeapProfiler.collectGarbage");
        return (await cdp.send("Runtime.getHeapUsage")).usedSize;
      });
    },
  },
  firefox: {
    // Firefox coarsens performance.now() to 1 ms in a page that is not cross-origin isolated
    // (privacy.reduceTimerPrecision); the benchmark turns that off to time its loops as finely
    // as Chromium's (0.1 ms). Under WebDriver BiDi the page is a debuggee, and Firefox captures
    // an async stack at every await and promise job, which it does by default only for a
    // debuggee (javascript.options.asyncstack_capture_debuggee_only): not for a user's page.
    // The benchmark turns that off too (W12's baseline, resolved promises in JS alone: 12.6 us
    // a step with it, 4.0 us without; 3-4 us in the same Firefox without Playwright).
    // WebDriver BiDi has no heap figures: js_heap_bytes is null.
    launch: async () => {
      const { firefox } = await import("playwright-core");
      return firefox.launch({
        channel: "moz-firefox",
        executablePath: firefoxPath(),
        headless: true,
        firefoxUserPrefs: { ...FIREFOX_PREFS, "privacy.reduceTimerPrecision": false, "javascript.options.asyncstack": false },
      });
    },
    label: (b: Browser) => `Firefox ${b.version()} (headless)`,
    prepare: async () => {},
  },
} as const;
type Name = keyof typeof BROWSERS;

const wanted = (process.env.OIW_BENCH_BROWSERS ?? "chromium,firefox").split(",").map((s) => s.trim()) as Name[];
for (const b of wanted) if (!(b in BROWSERS)) throw new Error(`OIW_BENCH_BROWSERS: unknown browser ${b} (chromium, firefox)`);

const OCAML_BUILD = process.env.OIW_BENCH_OCAML_BUILD || undefined;
if (OCAML_BUILD && OCAML_BUILD !== "single-memory" && OCAML_BUILD !== "multi-memory")
  throw new Error(`OIW_BENCH_OCAML_BUILD must be "single-memory" or "multi-memory" (got ${JSON.stringify(OCAML_BUILD)})`);

const ONLY = process.env.OIW_BENCH_ONLY
  ? process.env.OIW_BENCH_ONLY.split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "")
  : undefined;

async function runIn(name: Name, url: string): Promise<BrowserResults> {
  const spec = BROWSERS[name];
  const browser = await spec.launch();
  try {
    const page = await browser.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") console.error(`[${name} page]`, m.text());
    });
    await spec.prepare(page);
    // OIW_BENCH_CHECK_STEADY=1: every per-call workload timed with 10x longer loops too
    const query = new URLSearchParams();
    if (process.env.OIW_BENCH_CHECK_STEADY === "1") query.set("steady", "1");
    if (OCAML_BUILD) query.set("ocamlBuild", OCAML_BUILD);
    if (ONLY) query.set("only", ONLY.join(","));
    await page.goto(`${url}/examples/bench/${query.size ? `?${query}` : ""}`);
    await page.waitForFunction(() => (window as unknown as { benchResults?: unknown }).benchResults, undefined, { timeout: 600_000 });
    const out = await page.evaluate(
      () =>
        (
          window as unknown as {
            benchResults: { workloads?: Record<string, Workload>; soak?: Soak; soak_faults?: SoakFaults; error?: string };
          }
        ).benchResults,
    );
    if (out.error) throw new Error(`benchmark page failed in ${name}: ${out.error}`);
    const r: BrowserResults = {
      browser: spec.label(browser),
      workloads: out.workloads ?? {},
      soak: out.soak,
      soak_faults: out.soak_faults,
    };
    await page.close();
    if (!ONLY || ONLY.some((p) => "W10_startup_time".startsWith(p))) await withStartup(r, browser, url, ROOT);
    report(r);
    return r;
  } finally {
    await browser.close();
  }
}

/** The figures every workload has (report prints the others after them). */
const KNOWN_FIGURES = { ours_ns: 1, baseline: 1, baseline_ns: 1, ratio: 1, x10: 1 };

function report(r: BrowserResults) {
  console.log(`\nbrowser: ${r.browser}`);
  for (const [id, w] of Object.entries(r.workloads)) {
    console.log(
      `${id.padEnd(32)} ours ${w.ours_ns.toFixed(1).padStart(12)} ns/op   baseline ${w.baseline_ns.toFixed(1).padStart(12)} ns/op   ratio ${w.ratio.toFixed(2)}`,
    );
    // a workload's own figures (W11's editor refresh, W15_println's line without the console, ...)
    const extra = Object.entries(w).filter(([k, v]) => !(k in KNOWN_FIGURES) && typeof v === "number");
    if (extra.length) console.log(`${"".padEnd(33)}${extra.map(([k, v]) => `${k} ${v}`).join(", ")}`);
  }
  reportSoakFaults(r.soak_faults);
  const s = r.soak;
  if (!s) return;
  console.log(
    `soak: ${s.ocaml_to_rust_calls} OCaml -> Rust calls (record + string) in ${s.ocaml_to_rust_ms} ms, ` +
      `${s.ts_to_rust_calls} TS -> Rust calls (string) in ${s.ts_to_rust_ms} ms`,
  );
  // flat: Rust's memory, the arena, the handle and box tables unchanged; the JS heap (where
  // the browser can measure it) within 5 MB
  const heap = s.before.js_heap_bytes,
    heapAfter = s.after.js_heap_bytes;
  s.flat =
    ["rust_memory_bytes", "arena_held_bytes", "live_handles", "live_boxes"].every((k) => s.before[k] === s.after[k]) &&
    (heap === null || heapAfter === null || Math.abs(heapAfter - heap) < 5 * 2 ** 20);
  console.log(`  flat: ${s.flat}`);
  for (const k of Object.keys(s.before))
    console.log(`  ${k.padEnd(20)} before ${String(s.before[k]).padStart(12)}   after ${String(s.after[k]).padStart(12)}`);
}

/** Whether a soak left Rust's memory, the arena and the handle and box tables unchanged, and
 *  the JS heap (where the browser can measure it) within 5 MiB. */
function flat(s: Soak): boolean {
  const heap = s.before.js_heap_bytes,
    heapAfter = s.after.js_heap_bytes;
  return (
    ["rust_memory_bytes", "arena_held_bytes", "live_handles", "live_boxes"].every((k) => s.before[k] === s.after[k]) &&
    (heap === null || heapAfter === null || Math.abs(heapAfter - heap) < 5 * 2 ** 20)
  );
}

/** The soaks with faults: 1M mixed calls with a panic every 1,000 (unwind mode, and a trap
 *  every 10,000), 100,000 calls with a trap every 1,000 (abort mode). */
function reportSoakFaults(f: SoakFaults | undefined) {
  if (!f) return;
  for (const [kind, s] of Object.entries(f) as [string, Soak][]) {
    const ev = (x: unknown) => {
      const t = x as { count: number; mean_us: number; max_us: number };
      return `${t.count} x ${t.mean_us} us (max ${t.max_us} us)`;
    };
    console.log(
      `soak_faults.${kind}: ${s.app}: ${s.calls} calls in ${s.total_ms} ms (${s.ns_per_call} ns/call)` +
        (s.panic ? `; panics ${ev(s.panic)}` : "") +
        `; recoveries (trap + re-creation + a call) ${ev(s.recovery)}; ${s.re_creations} re-creations`,
    );
    s.flat = flat(s);
    if (!s.flat) unflat.push(`soak_faults.${kind}`);
    console.log(`  flat: ${s.flat}`);
    for (const k of Object.keys(s.before))
      console.log(`  ${k.padEnd(20)} before ${String(s.before[k]).padStart(12)}   after ${String(s.after[k]).padStart(12)}`);
  }
}
const unflat: string[] = [];

const server = await startPreview(ROOT);
const browsers: Partial<Record<Name, BrowserResults>> = {};
try {
  for (const name of wanted) browsers[name] = await runIn(name, server.url);
} finally {
  server.stop();
}

// the top-level figures are Chromium's (this run's, else the last file's), where they always were
const name = OCAML_BUILD === "single-memory" ? "results-single-memory.json" : "results.json";
const file = join(ROOT, "bench", name);
const previous = existsSync(file)
  ? (JSON.parse(readFileSync(file, "utf8")) as Partial<BrowserResults> & { browsers?: Record<string, BrowserResults> })
  : {};
const chromium = browsers.chromium ?? previous.browsers?.chromium ?? (previous.browser ? (previous as BrowserResults) : undefined);
const all = { ...previous.browsers, ...browsers };
const results = {
  browser: chromium?.browser,
  workloads: chromium?.workloads,
  soak: chromium?.soak,
  soak_faults: chromium?.soak_faults,
  browsers: all,
};
// an OIW_BENCH_ONLY run reports its own figures alone (the file's are those of another run)
const reported: Partial<Record<Name, BrowserResults>> = ONLY ? browsers : all;
if (reported.chromium && reported.firefox) {
  console.log(`\nratios, ${reported.chromium.browser} / ${reported.firefox.browser}:`);
  for (const id of Object.keys(reported.chromium.workloads))
    console.log(
      `${id.padEnd(32)} ${reported.chromium.workloads[id].ratio.toFixed(2).padStart(6)}   ${reported.firefox.workloads[id]?.ratio.toFixed(2).padStart(6) ?? "     -"}`,
    );
}
reportSteady(reported);
reportGoals(reported);
if (ONLY) console.log(`OIW_BENCH_ONLY=${ONLY.join(",")}: bench/${name} left as it was`);
else {
  mkdirSync(join(ROOT, "bench"), { recursive: true });
  writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
  console.log(`wrote bench/${name}`);
}
if (unflat.length) {
  console.error(`not flat: ${unflat.join(", ")} (memory, tables or the JS heap grew over the soak)`);
  process.exitCode = 1;
}
