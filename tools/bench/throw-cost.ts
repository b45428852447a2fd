// What a wasm throw costs each engine the bench runs, outside the bridge: a raise caught one
// call up, the raising function called directly (which the engine may inline, making the throw
// one inside a function) or through call_indirect (a throw that leaves a function). Why the
// glue raises Rust's errors in a small primitive the engine inlines into the caller's OCaml
// function (src/build/glue/wat.ts), and why W7 costs what it does in Firefox
// (docs/architecture.md, "Why W7 is slow in Firefox"). Each with the two forms of a handler
// (the legacy `try`/`catch`, which wasm_of_ocaml and Rust emit, and `try_table`), in Chromium and
// Firefox under Playwright and in each browser started by hand with no automation at all (a fresh
// profile, headless, reporting to a local server), to tell the engine's cost from the driver's.
// Then the same throw under 0 to 200 more frames (SpiderMonkey's cost grows with the stack), and
// whether a wasm catch_all catches the engine's stack overflow (stack-overflow.wat: it does not,
// which is why Rust calls OCaml through a JS frame by default).
//   node tools/bench/throw-cost.ts
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, chromiumPath, firefoxPath, launchChromium, launchFirefox } from "../../src/playwright/index.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dir = mkdtempSync(join(tmpdir(), "oiw-throw-cost-"));
/** Assembles one of the two modules (its `loop` export), returning its bytes. */
function assemble(wat: string): number[] {
  const out = join(dir, wat.replace(/\.wat$/, ".wasm"));
  const as = spawnSync(
    "bash",
    [
      join(ROOT, "toolchain/tc.sh"),
      "ocaml",
      "wasm-as",
      "--enable-exception-handling",
      "--enable-reference-types",
      join(ROOT, "tools/bench", wat),
      "-o",
      out,
    ],
    { stdio: "inherit" },
  );
  if (as.status !== 0) throw new Error(`wasm-as failed on tools/bench/${wat} (is the toolchain set up? bash tools/setup.sh)`);
  return [...readFileSync(out)];
}
/** The loop with each handler form: the legacy try/catch, and try_table. */
const modules: Record<string, number[]> = {
  try: assemble("throw-cost.wat"),
  try_table: assemble("throw-cost-table.wat"),
};
const overflowModule = assemble("stack-overflow.wat");
/** The stack depths (frames under the loop) the throw leaving a function is timed at. */
const DEPTHS = [0, 10, 50, 200];
interface Input {
  modules: Record<string, number[]>;
  overflowModule: number[];
  depths: number[];
}
const input: Input = { modules, overflowModule, depths: DEPTHS };

interface Costs {
  handlers: { [handler: string]: { direct: number; indirect: number } };
  /** ns per throw through call_indirect (legacy try) with d more frames under the loop */
  depth: { [d: string]: number };
  /** what became of a stack overflow under catch_all */
  overflow: string;
}

/** Runs in the page: ns per raise caught one call up (medians of 7 loops, after a warm-up in
 *  which the engines tier up), for each handler form and each kind of call, then at each stack
 *  depth; and whether catch_all caught a stack overflow. */
async function measure({ modules, overflowModule, depths }: Input): Promise<Costs> {
  const median = (n: number, run: () => number, what: string) => {
    const samples: number[] = [];
    for (let s = 0; s < 7; s++) {
      const t0 = performance.now();
      if (run() !== n) throw new Error(`${what}: a raise was not caught`);
      samples.push(((performance.now() - t0) * 1e6) / n);
    }
    return samples.sort((a, b) => a - b)[3];
  };
  const costs: Costs = { handlers: {}, depth: {}, overflow: "" };
  for (const [handler, bytes] of Object.entries(modules)) {
    const { instance } = await WebAssembly.instantiate(new Uint8Array(bytes));
    const loop = instance.exports.loop as (indirect: number, n: number) => number;
    const n = 100_000;
    const ns = (indirect: number) => median(n, () => loop(indirect, n), handler);
    ns(0);
    ns(1);
    costs.handlers[handler] = { direct: ns(0), indirect: ns(1) };
    const deep = instance.exports.deep as ((d: number, indirect: number, n: number) => number) | undefined;
    if (deep) for (const d of depths) costs.depth[d] = median(10_000, () => deep(d, 1, 10_000), `${handler} at depth ${d}`);
  }
  const { instance } = await WebAssembly.instantiate(new Uint8Array(overflowModule));
  try {
    const caught = (instance.exports.probe as () => number)();
    costs.overflow = caught === 1 ? "caught by catch_all" : `the probe returned ${caught}`;
  } catch (e) {
    costs.overflow = `not caught by catch_all: it reached the JS caller as ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
  return costs;
}

function report(who: string, costs: Costs) {
  for (const [handler, c] of Object.entries(costs.handlers))
    console.log(
      `${who}, ${handler}: raise called directly ${c.direct.toFixed(0)} ns, through call_indirect ${c.indirect.toFixed(0)} ns (median of 7 loops of 100,000)`,
    );
  const depths = Object.entries(costs.depth).map(([d, ns]) => `${d} frames ${ns.toFixed(0)} ns`);
  console.log(`${who}, try, through call_indirect under more frames (median of 7 loops of 10,000): ${depths.join(", ")}`);
  console.log(`${who}: a stack overflow under a wasm try: ${costs.overflow}`);
}

for (const [name, launch] of [
  ["chromium", launchChromium],
  ["firefox", launchFirefox],
] as const) {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto("about:blank");
    report(`${name} ${browser.version()} (Playwright)`, await page.evaluate(measure, input));
  } finally {
    await browser.close();
  }
}

/** The same page in a browser nobody drives (no CDP, no WebDriver BiDi): it posts its figures
 *  to a server of ours. `args(profile, url)` is the command line after the executable. */
async function stock(name: string, path: string, args: (profile: string, url: string) => string[]): Promise<Costs> {
  const page = `<!doctype html><script type="module">
const measure = ${measure.toString()};
measure(${JSON.stringify(input)}).then(
  (r) => fetch("/result", { method: "POST", body: JSON.stringify(r) }),
  (e) => fetch("/result", { method: "POST", body: JSON.stringify({ error: String(e) }) }));
</script>`;
  const profile = mkdtempSync(join(tmpdir(), "oiw-throw-cost-profile-"));
  let browser: ReturnType<typeof spawn> | undefined;
  const server = createServer();
  try {
    const result = new Promise<Costs>((resolve, reject) => {
      server.on("request", (req, res) => {
        if (req.method !== "POST") {
          res.setHeader("content-type", "text/html");
          res.end(req.url === "/" ? page : "");
          return;
        }
        let body = "";
        req.on("data", (c) => {
          body += c;
        });
        req.on("end", () => {
          res.end();
          const r = JSON.parse(body);
          if (r.error) reject(new Error(`stock ${name}: ${r.error}`));
          else resolve(r);
        });
      });
      setTimeout(() => reject(new Error(`stock ${name} (${path}): no result within 120 s`)), 120_000).unref();
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const { port } = server.address() as { port: number };
    browser = spawn(path, args(profile, `http://127.0.0.1:${port}/`), { stdio: "ignore" });
    return await result;
  } finally {
    browser?.kill();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
report(
  `chromium ${chromiumPath()} (no automation)`,
  await stock("Chromium", chromiumPath(), (profile, url) => [...CHROMIUM_ARGS, "--headless", `--user-data-dir=${profile}`, url]),
);
report(
  `firefox ${firefoxPath()} (no automation)`,
  await stock("Firefox", firefoxPath(), (profile, url) => ["--headless", "--no-remote", "-profile", profile, url]),
);
rmSync(dir, { recursive: true, force: true });
