// One build for everything: Rust (cargo + wasm-bindgen CLI), the generated OCaml glue, OCaml
// (dune + wasm_of_ocaml) and the TS host (Vite). Each step is incremental: cargo and dune
// rebuild only what changed, generated files are rewritten only when their content changes,
// and wasm-bindgen runs only when its input is newer than its output.
//
//   node tools/build/build.ts [--no-vite] [--app NAME]
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { APPS, type App } from "./apps.ts";
import { describeExports, importedMemoryLimits, type ExportSpec } from "./wasm-module-info.ts";
import { generateExternals, generateJs, generateWat, scanRegisteredNames } from "./ocaml-glue.ts";
import { generateTs } from "./ts-glue.ts";
import { checkExternals, parseExternals, type External } from "./signature-check.ts";
import { checkTypeDefinitions } from "./ocaml-types.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CACHE = process.env.OIW_CACHE ?? join(process.env.HOME ?? "/root", ".cache/ocaml-interop-web");
const TARGET_DIR = process.env.CARGO_TARGET_DIR ?? join(CACHE, "cargo-target");
const TC = join(ROOT, "tools/toolchain/tc.sh");

const args = process.argv.slice(2);
const only = args.includes("--app") ? args[args.indexOf("--app") + 1] : undefined;
const apps = APPS.filter((a) => !only || a.name === only);

function step(label: string) {
  console.log(`\x1b[1m[build]\x1b[0m ${label}`);
}

function run(group: "ocaml" | "rust" | "node", cwd: string, cmd: string[]) {
  execFileSync(TC, [group, ...cmd], { cwd, stdio: "inherit" });
}

/** Writes a file only when its content changes (keeps dune and Vite incremental). */
function writeIfChanged(path: string, content: string | Uint8Array) {
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path)) {
    const old = readFileSync(path);
    if (Buffer.compare(old, Buffer.from(content)) === 0) return false;
  }
  writeFileSync(path, content);
  return true;
}

const newer = (a: string, b: string) => !existsSync(b) || statSync(a).mtimeMs > statSync(b).mtimeMs;

function buildRust() {
  step(`cargo build (wasm32-unknown-unknown, release): ${apps.map((a) => a.rustPackage).join(", ")}`);
  run("rust", join(ROOT, "rust"), [
    "cargo", "build", "--release", "--target", "wasm32-unknown-unknown",
    ...apps.flatMap((a) => ["-p", a.rustPackage]),
  ]);
}

function bindgen(app: App): { specs: ExportSpec[]; memory: { initial: number; maximum?: number } } {
  const input = join(TARGET_DIR, "wasm32-unknown-unknown/release", `${app.rustPackage.replace(/-/g, "_")}.wasm`);
  const outDir = join(ROOT, "public/generated", app.name, "rust");
  const output = join(outDir, `${app.rustPackage.replace(/-/g, "_")}_bg.wasm`);
  if (newer(input, output)) {
    step(`wasm-bindgen --target web ${app.rustPackage}`);
    run("rust", ROOT, ["wasm-bindgen", "--target", "web", "--out-dir", outDir, input]);
  }
  const bytes = readFileSync(output);
  const memory = importedMemoryLimits(bytes);
  if (!memory) throw new Error(`${app.rustPackage}: the module must import its memory (rust/.cargo/config.toml sets --import-memory)`);
  return { specs: describeExports(bytes), memory };
}

/** The OCaml sources under `dir` (for the names they register and their externals). */
function ocamlSources(dir: string): { path: string; src: string }[] {
  const out: { path: string; src: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "_build" || entry.name === "generated" || entry.name.startsWith(".")) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...ocamlSources(p));
    else if (/\.mli?$/.test(entry.name)) out.push({ path: p, src: readFileSync(p, "utf8") });
  }
  return out;
}

/** Fails the build when an OCaml external disagrees with the Rust export it names. */
function checkSignatures(app: App, specs: ExportSpec[]) {
  const sources = ocamlSources(join(ROOT, "ocaml", app.ocamlDir)).map(({ path, src }) => ({ path: path.slice(ROOT.length + 1), src }));
  const externals: External[] = sources.flatMap(({ path, src }) => parseExternals(path, src));
  const errors = [...checkExternals(externals, specs, app.rustPackage), ...checkTypeDefinitions(sources, specs, app.rustPackage)];
  if (errors.length) {
    console.error(`\n\x1b[1;31m[build] OCaml declarations disagree with the Rust side:\x1b[0m\n${errors.join("\n\n")}\n`);
    process.exit(1);
  }
}

function generate(app: App, specs: ExportSpec[], memory: { initial: number; maximum?: number }) {
  const dir = join(ROOT, "ocaml", app.ocamlDir, "generated");
  const names = scanRegisteredNames(ocamlSources(join(ROOT, "ocaml")).map((f) => f.src));
  checkSignatures(app, specs);
  const changed = [
    writeIfChanged(join(dir, "rust_glue.wat"), generateWat(specs)),
    writeIfChanged(join(dir, "rust_glue.js"), generateJs(specs, names)),
    writeIfChanged(join(dir, "rust.ml"), generateExternals(specs, app.rustPackage)),
    writeIfChanged(join(ROOT, "src/generated", `${app.name}.ts`), generateTs(app, specs, memory)),
  ].some(Boolean);
  step(`glue for ${app.name}: ${specs.length} Rust exports${changed ? " (updated)" : ""}`);
}

function buildOCaml() {
  step("dune build --profile release (wasm_of_ocaml --effects=disabled)");
  run("ocaml", join(ROOT, "ocaml"), [
    "dune", "build", "--profile", "release",
    ...apps.map((a) => `./${a.ocamlDir}/${a.ocamlExe}.bc.wasm.js`),
  ]);
  for (const app of apps) {
    const src = join(ROOT, "ocaml/_build/default", app.ocamlDir);
    const out = join(ROOT, "public/generated", app.name, "ocaml");
    const js = join(src, `${app.ocamlExe}.bc.wasm.js`);
    if (newer(js, join(out, "main.js"))) {
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      // the loader finds its assets next to itself: keep the names it was built with
      cpSync(js, join(out, `${app.ocamlExe}.bc.wasm.js`));
      cpSync(join(src, `${app.ocamlExe}.bc.wasm.assets`), join(out, `${app.ocamlExe}.bc.wasm.assets`), { recursive: true });
      writeFileSync(join(out, "main.js"), `// marker: copied from ${js}\n`);
    }
  }
}

function buildVite() {
  step("vite build");
  execFileSync(TC, ["node", join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"], { cwd: ROOT, stdio: "inherit" });
}

const t0 = Date.now();
buildRust();
const manifests: Record<string, unknown> = {};
for (const app of apps) {
  const { specs, memory } = bindgen(app);
  generate(app, specs, memory);
  manifests[app.name] = { exports: specs.length };
}
buildOCaml();
if (!args.includes("--no-vite")) buildVite();
step(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
