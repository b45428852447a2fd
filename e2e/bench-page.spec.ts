// bench.html draws each workload's ratio as a bar per browser on a log scale, and its goal as
// a line: checked against a fixture results file (e2e/fixtures/bench-results.json), not timed.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { GOALS } from "../examples/bench/src/goals.ts";

const fixture = readFileSync(new URL("./fixtures/bench-results.json", import.meta.url), "utf8");

test("bench.html draws the bars and goal lines of a results file", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.route("**/bench-fixture.json", (route) => route.fulfill({ contentType: "application/json", body: fixture }));
  await page.goto("examples/bench/bench.html?results=bench-fixture.json");
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
  await expect(page.getByTestId("source")).toContainText("Chromium 1.0 (fixture) and Firefox 2.0 (fixture)");

  const chart = await page.evaluate(() => {
    const svg = document.querySelector("#chart svg")!;
    const num = (e: Element, a: string) => Number(e.getAttribute(a));
    return {
      ticks: [...svg.querySelectorAll("line.tick")].map((t) => ({ value: num(t, "data-value"), x: num(t, "x1") })),
      workloads: [...svg.querySelectorAll("g.workload")].map((g) => ({
        id: g.getAttribute("data-workload")!,
        label: g.querySelector("text.label")!.textContent,
        sublabel: g.querySelector("text.sublabel")?.textContent,
        bars: [...g.querySelectorAll("rect.bar")].map((b) => ({
          browser: b.getAttribute("data-browser"),
          ratio: num(b, "data-ratio"),
          x: num(b, "x"),
          end: num(b, "x") + num(b, "width"),
          cls: b.getAttribute("class"),
        })),
        values: [...g.querySelectorAll("text.value")].map((t) => t.textContent),
        goals: [...g.querySelectorAll("line.goal")].map((l) => ({ goal: num(l, "data-goal"), x: num(l, "x1") })),
        x10: [...g.querySelectorAll("path.x10")].map((m) => ({ browser: m.getAttribute("data-browser"), ratio: num(m, "data-ratio") })),
      })),
    };
  });

  // a log scale: the powers of ten from 0.1 (below the smallest ratio, 0.5) to 1000 (above 250),
  // evenly spaced
  expect(chart.ticks.map((t) => t.value)).toEqual([0.1, 1, 10, 100, 1000]);
  const x1 = chart.ticks[1].x,
    decade = chart.ticks[2].x - x1;
  expect(decade).toBeGreaterThan(50);
  const xOf = (r: number) => x1 + Math.log10(r) * decade;

  // the goals' order, only workloads with figures; W10's bytes from the startup section
  expect(chart.workloads.map((w) => w.id)).toEqual([
    "W1_ocaml_to_rust_int",
    "W4_int_list_10k",
    "W13_panic_roundtrip",
    "W10_startup_time",
    "W10_startup_bytes",
  ]);
  const byId = Object.fromEntries(chart.workloads.map((w) => [w.id, w]));

  const expected: Record<string, Record<string, number>> = {
    W1_ocaml_to_rust_int: { chromium: 2, firefox: 0.5 },
    W4_int_list_10k: { chromium: 0.9, firefox: 3 },
    W13_panic_roundtrip: { chromium: 250, firefox: 40 },
    W10_startup_time: { chromium: 1.2 },
    W10_startup_bytes: { chromium: 1.25 },
  };
  for (const [id, ratios] of Object.entries(expected)) {
    const w = byId[id];
    expect(w.label).toBe(id);
    expect(w.sublabel).toBe(GOALS[id].label);
    expect(w.bars.map((b) => [b.browser, b.ratio])).toEqual(Object.entries(ratios));
    for (const b of w.bars) {
      expect(b.x).toBeCloseTo(chart.ticks[0].x, 3); // bars start at the scale's left end
      expect(b.end).toBeCloseTo(xOf(b.ratio), 3); // and end at their ratio
      const goal = GOALS[id].max;
      expect(b.cls).toContain(goal === null ? "no-goal" : b.ratio <= goal ? "meets" : "misses");
    }
    // the goal line at the goal's value; none for a workload without a goal
    const goal = GOALS[id].max;
    if (goal === null) expect(w.goals).toEqual([]);
    else {
      expect(w.goals.map((g) => g.goal)).toEqual([goal]);
      expect(w.goals[0].x).toBeCloseTo(xOf(goal), 3);
    }
  }
  expect(byId.W1_ocaml_to_rust_int.values).toEqual(["2.00× C", "0.50× F"]);
  expect(byId.W13_panic_roundtrip.values).toEqual(["250× C", "40.0× F"]);
  expect(byId.W1_ocaml_to_rust_int.bars.map((b) => b.cls)).toEqual(["bar chromium misses", "bar firefox meets"]);
  expect(byId.W4_int_list_10k.bars.map((b) => b.cls)).toEqual(["bar chromium meets", "bar firefox misses"]);
  // the 10x loops' ratio, where the run measured it
  expect(byId.W1_ocaml_to_rust_int.x10).toEqual([{ browser: "chromium", ratio: 1.9 }]);
  expect(byId.W4_int_list_10k.x10).toEqual([]);

  // the same figures in the table, one row per workload and browser
  const rows = page.getByTestId("figures").locator("tbody tr");
  await expect(rows).toHaveCount(8);
  await expect(rows.nth(0)).toContainText("2.00 (10×: 1.90)");
  await expect(page.locator('tr[data-workload="W10_startup_bytes"]')).toContainText(
    "195.3 KiB gzip (585.9 KiB raw) against 156.3 KiB gzip",
  );
  expect(errors).toEqual([]);
});

test("bench.html refuses a results file of another origin", async ({ page }) => {
  await page.goto("examples/bench/bench.html?results=https://example.invalid/results.json");
  await expect(page.locator("body")).toHaveAttribute("data-ready", "error");
  await expect(page.getByTestId("source")).toContainText("must name a file of this site");
  await expect(page.locator("#chart svg")).toHaveCount(0);
});
