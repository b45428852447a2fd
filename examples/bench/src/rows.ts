// The ratios of a bench/results.json, one row per workload and browser, in the goals' order:
// what the chart page draws and what tools/bench/run.ts prints against the goals.
import { GOALS } from "./goals.ts";

export interface WorkloadFigures {
  ours_ns: number;
  baseline: string;
  baseline_ns: number;
  ratio: number;
  x10?: { ratio: number; change: number; n: number };
}
export interface BrowserFigures {
  browser: string;
  workloads: Record<string, WorkloadFigures>;
  startup?: { bytes: { ours: { raw: number; gzip: number }; alone: { raw: number; gzip: number }; ratio_raw: number; ratio_gzip: number } };
}
export interface ResultsFile {
  browsers?: Record<string, BrowserFigures>;
}

export interface Row {
  id: string;
  /** ratio per browser key (chromium, firefox), when measured there */
  ratios: Record<string, number>;
  /** the 10x loops' ratio per browser, when measured */
  x10: Record<string, number>;
  /** what each side measured, per browser, for a visitor */
  detail: Record<string, string>;
}

function fmtNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(ns >= 1e8 ? 0 : 2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(1)} ns`;
}
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

export function rows(results: ResultsFile): { browsers: [string, string][]; rows: Row[] } {
  const browsers = Object.entries(results.browsers ?? {}).map(([k, b]) => [k, b.browser] as [string, string]);
  const ids = [...Object.keys(GOALS)];
  for (const [k] of browsers) for (const id of Object.keys(results.browsers![k].workloads)) if (!ids.includes(id)) ids.push(id);
  const out: Row[] = [];
  for (const id of ids) {
    const row: Row = { id, ratios: {}, x10: {}, detail: {} };
    for (const [k] of browsers) {
      const b = results.browsers![k];
      if (id === "W10_startup_bytes") {
        const s = b.startup?.bytes;
        if (!s) continue;
        row.ratios[k] = s.ratio_gzip;
        row.detail[k] = `${kib(s.ours.gzip)} gzip (${kib(s.ours.raw)} raw) against ${kib(s.alone.gzip)} gzip (${kib(s.alone.raw)} raw)`;
        continue;
      }
      const w = b.workloads[id];
      if (!w) continue;
      row.ratios[k] = w.ratio;
      if (w.x10) row.x10[k] = w.x10.ratio;
      row.detail[k] = `${fmtNs(w.ours_ns)} against ${fmtNs(w.baseline_ns)}: ${w.baseline}`;
    }
    if (Object.keys(row.ratios).length) out.push(row);
  }
  return { browsers, rows: out };
}
