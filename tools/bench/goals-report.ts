// After a run: each workload's ratio per browser against its goal (examples/bench/src/goals.ts),
// and the 10x loops' ratio where the run timed them.
import { GOALS, meetsGoal } from "../../examples/bench/src/goals.ts";
import { rows, type ResultsFile } from "../../examples/bench/src/rows.ts";

export function reportGoals(browsers: ResultsFile["browsers"]) {
  const { browsers: names, rows: rs } = rows({ browsers });
  console.log(`\nratios against the goals (${names.map(([, label]) => label).join(" / ")}):`);
  for (const r of rs) {
    const goal = GOALS[r.id]?.max;
    const cells = names.map(([k]) => {
      const v = r.ratios[k];
      if (v === undefined) return "     -".padEnd(24);
      const ok = meetsGoal(r.id, v);
      const x10 = r.x10[k] === undefined ? "" : ` (x10 ${r.x10[k].toFixed(2)})`;
      return `${v.toFixed(2).padStart(6)}${ok === null ? " " : ok ? " ok" : " !"}${x10}`.padEnd(24);
    });
    console.log(`${r.id.padEnd(32)} ${cells.join(" ")} goal ${goal === undefined || goal === null ? "-" : `<= ${goal}`}`);
  }
}

const ns = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

/** The workloads timed with 10x longer loops too: their ratios at 1x and 10x, medians and
 *  fastest samples, and the medians (ns per operation, ours / the baseline) at 1x and 10x. */
export function reportSteady(browsers: ResultsFile["browsers"]) {
  for (const [, b] of Object.entries(browsers ?? {})) {
    const timed = Object.entries(b.workloads).filter(([, w]) => w.x10);
    if (!timed.length) continue;
    console.log(`\nsteady state, ${b.browser}: ratio at 1x -> 10x loops (median; fastest samples)`);
    for (const [id, w] of timed) {
      const x = w.x10 as NonNullable<typeof w.x10> & { fastest_ratio: number; ours_ns: number; baseline_ns: number };
      const f1 = (w as unknown as { fastest_ratio?: number }).fastest_ratio;
      console.log(
        `${id.padEnd(32)} ${w.ratio.toFixed(2).padStart(7)} -> ${x.ratio.toFixed(2).padStart(7)} (${x.change >= 0 ? "+" : ""}${(x.change * 100).toFixed(0)}%)` +
          `;  fastest ${f1?.toFixed(2) ?? "-"} -> ${x.fastest_ratio.toFixed(2)}   (${x.n / 10} and ${x.n} operations a loop;` +
          ` ns ${ns(w.ours_ns)} / ${ns(w.baseline_ns)} -> ${ns(x.ours_ns)} / ${ns(x.baseline_ns)})`,
      );
    }
  }
}
