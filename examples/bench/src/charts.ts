// The chart of bench.html, drawn by hand in SVG: one group of bars per workload, one bar per
// browser, each bar its ratio (ours / the baseline measured in the same run) on a log scale,
// the workload's goal a dashed line across its group, the 10x loops' ratio (where measured) a
// small diamond. Bars that meet their goal are green, those that do not are red, those without
// a goal grey.
import { GOALS, meetsGoal } from "./goals.ts";
import type { Row } from "./rows.ts";

const SVG = "http://www.w3.org/2000/svg";
export const LAYOUT = { label: 370, plot: 540, right: 70, bar: 13, gap: 3, groupPad: 12, top: 34 } as const;

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The x of a ratio on the chart's log scale from 10^lo to 10^hi. */
export function scale(lo: number, hi: number) {
  return (ratio: number) => LAYOUT.label + ((Math.log10(ratio) - lo) / (hi - lo)) * LAYOUT.plot;
}

export const formatRatio = (r: number) => (r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2));

export function renderChart(data: { browsers: [string, string][]; rows: Row[] }): SVGSVGElement {
  const values = data.rows.flatMap((r) => [...Object.values(r.ratios), ...Object.values(r.x10), GOALS[r.id]?.max ?? 1]);
  const lo = Math.min(-1, Math.floor(Math.log10(Math.min(...values)))),
    hi = Math.max(1, Math.ceil(Math.log10(Math.max(...values))));
  const x = scale(lo, hi);
  const nb = data.browsers.length;
  const group = nb * (LAYOUT.bar + LAYOUT.gap) + LAYOUT.groupPad;
  const height = LAYOUT.top + data.rows.length * group + 10;
  const width = LAYOUT.label + LAYOUT.plot + LAYOUT.right;
  const svg = el("svg", { xmlns: SVG, viewBox: `0 0 ${width} ${height}`, width, height, role: "img", class: "chart" });
  svg.append(el("title", {}, "Each workload's ratio to its baseline, per browser, against its goal (lower is better)"));

  // the axis: a line per power of ten, labelled
  for (let p = lo; p <= hi; p++) {
    const v = 10 ** p,
      tx = x(v);
    svg.append(el("line", { class: p === 0 ? "tick one" : "tick", x1: tx, x2: tx, y1: LAYOUT.top - 6, y2: height - 10, "data-value": v }));
    svg.append(el("text", { class: "tick-label", x: tx, y: LAYOUT.top - 12, "text-anchor": "middle" }, `${v >= 1 ? v : v.toFixed(-p)}×`));
  }

  data.rows.forEach((row, i) => {
    const y0 = LAYOUT.top + i * group;
    const g = el("g", { class: "workload", "data-workload": row.id });
    const goal = GOALS[row.id];
    const mid = y0 + (nb * (LAYOUT.bar + LAYOUT.gap)) / 2;
    g.append(el("text", { class: "label", x: LAYOUT.label - 10, y: mid - 2, "text-anchor": "end" }, row.id));
    if (goal) g.append(el("text", { class: "sublabel", x: LAYOUT.label - 10, y: mid + 10, "text-anchor": "end" }, goal.label));
    data.browsers.forEach(([key, name], j) => {
      const ratio = row.ratios[key];
      if (ratio === undefined) return;
      const y = y0 + j * (LAYOUT.bar + LAYOUT.gap);
      const ok = meetsGoal(row.id, ratio);
      const end = x(ratio);
      const bar = el("rect", {
        class: `bar ${key} ${ok === null ? "no-goal" : ok ? "meets" : "misses"}`,
        x: LAYOUT.label,
        y,
        width: Math.max(0, end - LAYOUT.label),
        height: LAYOUT.bar,
        "data-browser": key,
        "data-ratio": ratio,
      });
      bar.append(el("title", {}, `${row.id} in ${name}: ${formatRatio(ratio)}× (${row.detail[key] ?? ""})`));
      g.append(bar);
      g.append(
        el(
          "text",
          { class: "value", x: end + 4, y: y + LAYOUT.bar - 2, "data-browser": key },
          `${formatRatio(ratio)}× ${key === "chromium" ? "C" : key === "firefox" ? "F" : key}`,
        ),
      );
      const r10 = row.x10[key];
      if (r10 !== undefined) {
        const cx = x(r10),
          cy = y + LAYOUT.bar / 2,
          d = 5;
        const mark = el("path", {
          class: "x10",
          d: `M${cx} ${cy - d}L${cx + d} ${cy}L${cx} ${cy + d}L${cx - d} ${cy}Z`,
          "data-browser": key,
          "data-ratio": r10,
        });
        mark.append(el("title", {}, `${row.id} in ${name} with 10x longer loops: ${formatRatio(r10)}×`));
        g.append(mark);
      }
    });
    if (goal?.max != null) {
      const gx = x(goal.max);
      const line = el("line", {
        class: "goal",
        x1: gx,
        x2: gx,
        y1: y0 - 3,
        y2: y0 + nb * (LAYOUT.bar + LAYOUT.gap),
        "data-goal": goal.max,
      });
      line.append(el("title", {}, `goal for ${row.id}: <= ${goal.max}×`));
      g.append(line);
    }
    svg.append(g);
  });
  return svg;
}
