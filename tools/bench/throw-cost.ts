// What a wasm throw costs each engine the bench runs, outside the bridge: a raise caught one
// call up, the raising function called directly (which the engine may inline, making the throw
// one inside a function) or through call_indirect (a throw that leaves a function). Why the
// glue raises Rust's errors in a small primitive the engine inlines into the caller's OCaml
// function (src/build/glue/wat.ts), and why W7 costs what it does in Firefox
// (docs/architecture.md, "Why W7 is slow in Firefox").
//   node tools/bench/throw-cost.ts
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, launchFirefox } from "../../src/playwright/index.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const out = join(mkdtempSync(join(tmpdir(), "oiw-throw-cost-")), "throw-cost.wasm");
const as = spawnSync(
  "bash",
  [
    join(ROOT, "toolchain/tc.sh"),
    "ocaml",
    "wasm-as",
    "--enable-exception-handling",
    "--enable-reference-types",
    join(ROOT, "tools/bench/throw-cost.wat"),
    "-o",
    out,
  ],
  {
    stdio: "inherit",
  },
);
if (as.status !== 0) throw new Error("wasm-as failed on tools/bench/throw-cost.wat (is the toolchain set up? bash tools/setup.sh)");
const bytes = [...readFileSync(out)];

for (const [name, launch] of [
  ["chromium", launchChromium],
  ["firefox", launchFirefox],
] as const) {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto("about:blank");
    const r = await page.evaluate(async (bytes) => {
      const { instance } = await WebAssembly.instantiate(new Uint8Array(bytes));
      const loop = instance.exports.loop as (indirect: number, n: number) => number;
      const n = 100_000;
      const ns = (indirect: number) => {
        const samples: number[] = [];
        for (let s = 0; s < 7; s++) {
          const t0 = performance.now();
          if (loop(indirect, n) !== n) throw new Error("a raise was not caught");
          samples.push(((performance.now() - t0) * 1e6) / n);
        }
        return samples.sort((a, b) => a - b)[3];
      };
      // warm-up (the engines tier up)
      ns(0);
      ns(1);
      return { direct: ns(0), indirect: ns(1) };
    }, bytes);
    console.log(
      `${name} ${browser.version()}: raise called directly ${r.direct.toFixed(0)} ns, through call_indirect ${r.indirect.toFixed(0)} ns (median of 7 loops of 100,000)`,
    );
  } finally {
    await browser.close();
  }
}
