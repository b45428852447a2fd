// bench.html: the chart of the last `npm run bench` (bench/results.json, taken into the page
// when the site is built). `?results=<same-origin URL>` shows another results file instead (the
// page's test uses a fixture).
import built from "../../../bench/results.json?raw";
import { renderChart, formatRatio } from "./charts.ts";
import { GOALS } from "./goals.ts";
import { rows, type ResultsFile } from "./rows.ts";

async function results(): Promise<{ data: ResultsFile; from: string }> {
  const param = new URLSearchParams(location.search).get("results");
  if (!param) return { data: JSON.parse(built) as ResultsFile, from: "bench/results.json, as of this site's build" };
  const url = new URL(param, location.href);
  if (url.origin !== location.origin) throw new Error("?results= must name a file of this site");
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return { data: (await response.json()) as ResultsFile, from: url.pathname };
}

async function main() {
  const { data, from } = await results();
  const table = rows(data);
  document.querySelector("#source")!.textContent =
    `From ${from}: ${table.browsers.map(([, label]) => label).join(" and ") || "no browser"}.`;
  document.querySelector("#chart")!.append(renderChart(table));
  const tbody = document.querySelector("#figures tbody")!;
  for (const row of table.rows)
    for (const [key, label] of table.browsers) {
      if (row.ratios[key] === undefined) continue;
      const tr = document.createElement("tr");
      tr.dataset.workload = row.id;
      tr.dataset.browser = key;
      const goal = GOALS[row.id]?.max;
      const x10 = row.x10[key] === undefined ? "" : ` (10×: ${formatRatio(row.x10[key])})`;
      for (const [text, cls] of [
        [row.id, ""],
        [label, ""],
        [`${formatRatio(row.ratios[key])}${x10}`, "num"],
        [goal == null ? "—" : `≤ ${goal}`, "num"],
        [row.detail[key] ?? "", ""],
      ]) {
        const td = document.createElement("td");
        td.textContent = text;
        if (cls) td.className = cls;
        tr.append(td);
      }
      tbody.append(tr);
    }
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  const p = document.querySelector("#source")!;
  p.textContent = `Cannot show the results: ${e instanceof Error ? e.message : String(e)}`;
  p.className = "error";
  document.body.dataset.ready = "error";
});
