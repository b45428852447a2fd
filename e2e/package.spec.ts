// The package as a user gets it: `npm pack`, then, in a temporary directory outside this
// repository, `ocaml-interop-web init` run from the tarball, the tarball installed, `vite build`
// under a sub-path, the output served and checked in Chromium, and the new project's own
// tests (`npm test`). init refuses a directory that is not empty.
import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { ROOT, sh, startVite, tempDir } from "./support/project.ts";

test.describe.configure({ mode: "serial" });

let tmp: { dir: string; remove(): void };
// a target directory that outlives the test: a new project's first build otherwise rebuilds
// Rust's standard library (panics that unwind), which is measured once, not on every run
const targetEnv = {
  CARGO_TARGET_DIR: join(process.env.OIW_CACHE ?? join(homedir(), ".cache/ocaml-interop-web"), "cargo-target/e2e-package"),
};
let tarball: string;
let project: string;

test.beforeAll(() => {
  tmp = tempDir(tmpdir(), "oiw-e2e-package-");
  project = join(tmp.dir, "hello-wasm");
});
test.afterAll(() => tmp?.remove());

test("npm pack gives a tarball with the host, plugin, CLI, build, toolchain and sources, and no examples or tests", () => {
  test.setTimeout(300_000);
  const out = sh("npm", ["pack", "--pack-destination", tmp.dir, "--json"], ROOT, {}, { stdoutOnly: true });
  const info = JSON.parse(out.slice(out.indexOf("[\n"))) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: { path: string }[];
  }[];
  tarball = join(tmp.dir, info[0].filename);
  const files = info[0].files.map((f) => f.path);
  const note = `tarball ${info[0].filename}: ${info[0].size} bytes (${files.length} files, ${info[0].unpackedSize} unpacked)`;
  test.info().annotations.push({ type: "measured", description: note });
  console.log(`[package] ${note}`);
  for (const f of [
    "dist/host/index.js",
    "dist/host/index.d.ts",
    "dist/host/wasi.js",
    "dist/host/promises.js",
    "dist/vite/index.js",
    "dist/vite/index.d.ts",
    "dist/cli/index.js",
    "dist/build/build.js",
    "dist/playwright/index.js",
    "toolchain/provision.sh",
    "toolchain/tc.sh",
    "rust/ocaml-interop-web/Cargo.toml",
    "rust/ocaml-interop-web/build.rs",
    "rust/ocaml-interop-web/src/lib.rs",
    "rust/ocaml-interop-web-macros/src/lib.rs",
    "ocaml/dune-project",
    "ocaml/ocaml-interop-web.opam",
    "ocaml/ocaml-interop-web/ocaml_interop_arena.wat",
    "ocaml/ocaml-interop-web/ocaml_interop_handles.wat",
    "ocaml/ocaml-interop-web/ocaml_interop_boxes.wat",
    "ocaml/ocaml-interop-web/ocaml_interop_encode.wat",
    "ocaml/ocaml-interop-web/ocaml_interop_decode.wat",
    "ocaml/ocaml-interop-web/ocaml_interop_errors.wat",
    "ocaml/ocaml-interop-web/ocaml_interop_dispatch.wat",
    "ocaml/ocaml-interop-web/ocaml_interop_glue.wat",
    "ocaml/ocaml-interop-web/dune",
    "README.md",
    "LICENSE",
    "package.json",
  ])
    expect(files, f).toContain(f);
  const unwanted = files.filter(
    (f) =>
      /^(examples|e2e|tests|tools|bench|wire-format)\//.test(f) ||
      /^rust\/(compile-fail|ocaml-interop-web\/tests)\//.test(f) ||
      f.startsWith("ocaml/test/"),
  );
  expect(unwanted).toEqual([]);
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  expect(pkg.peerDependencies).toHaveProperty("vite");
  expect(Object.keys(pkg.dependencies ?? {})).not.toContain("vite");
  for (const dev of ["@playwright/test", "vitest", "typescript"]) expect(Object.keys(pkg.dependencies ?? {})).not.toContain(dev);
});

test("init from the tarball, install, vite build under a sub-path, serve: the page works in Chromium", async ({ page }) => {
  test.setTimeout(900_000);
  const t0 = Date.now();
  const init = sh(
    "npm",
    ["exec", "--yes", `--package=${tarball}`, "--", "ocaml-interop-web", "init", project, "--package-spec", `file:${tarball}`],
    tmp.dir,
  );
  expect(init).toContain("Wrote 15 files");
  for (const f of [
    "rust/Cargo.toml",
    "rust/src/lib.rs",
    "ocaml/dune-project",
    "ocaml/dune",
    "ocaml/main.ml",
    "index.html",
    "src/main.ts",
    "vite.config.ts",
    "playwright.config.ts",
    "e2e/app.spec.ts",
    "README.md",
  ])
    expect(existsSync(join(project, f)), f).toBe(true);
  // nothing the user wrote is overwritten: init refuses a directory that is not empty
  const readme = statSync(join(project, "README.md")).mtimeMs;
  expect(() => sh("npm", ["exec", "--yes", `--package=${tarball}`, "--", "ocaml-interop-web", "init", project], tmp.dir)).toThrow(
    /is not empty .*overwrites nothing/,
  );
  expect(statSync(join(project, "README.md")).mtimeMs).toBe(readme);

  sh("npm", ["install", "--no-audit", "--no-fund"], project);
  const t1 = Date.now();
  const build = sh(process.execPath, ["node_modules/vite/bin/vite.js", "build", "--base", "/sub/"], project, targetEnv);
  expect(build).toContain("built hello_wasm");
  const note = `init + npm install ${((t1 - t0) / 1000).toFixed(1)} s, first build ${((Date.now() - t1) / 1000).toFixed(1)} s (warm toolchain cache and cargo target directory)`;
  test.info().annotations.push({ type: "measured", description: note });
  console.log(`[package] ${note}`);

  const server = await startVite(project, ["preview", "--base", "/sub/"], "/sub/");
  try {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}/sub/`);
    await expect(page.getByTestId("status")).toHaveText("ready", { timeout: 30_000 });
    await expect(page.getByTestId("rust")).toHaveText("Rust: add 2 40 = 42");
    await expect(page.getByTestId("ocaml")).toHaveText("OCaml: Hello, WORLD! (OCaml asked Rust: 2 + 40 = 42)");
    await page.getByTestId("panic").click();
    await expect(page.getByTestId("error")).toHaveText("RustPanic: you pressed the button");
    // every asset came from under the sub-path, with hashed names
    const urls = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name));
    const wasm = urls.filter((u) => u.endsWith(".wasm"));
    expect(wasm.length).toBe(2);
    for (const u of wasm) expect(u).toMatch(/\/sub\/assets\/[\w-]+-[\w-]{8}\.wasm$/);
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});

test("the new project's own tests pass (npm test, as its README says)", () => {
  test.setTimeout(900_000);
  const out = sh("npm", ["test"], project, targetEnv);
  expect(out).toMatch(/1 passed/);
});
