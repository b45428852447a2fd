// The Vite dev server on a project made by `ocaml-interop-web init`, as a user runs it: the
// project lives in the home directory, its crate has a path dependency outside the project,
// and CARGO_TARGET_DIR is set. A Rust change and an OCaml change each reload the page with the
// change; a compile error of each shows in Vite's overlay with its file and line, and fixing it
// recovers the page. The rebuild times are reported (median of 5 one-line changes each).
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ROOT, sh, startVite, tempDir, type Server } from "./support/project.ts";

test.describe.configure({ mode: "serial" });

let home: { dir: string; remove(): void };
let server: Server | undefined;
let project: string;
const cache = process.env.OIW_CACHE ?? join(homedir(), ".cache/ocaml-interop-web");

test.beforeAll(() => {
  // the package's dist/ (the CLI, the Vite plugin), which npm test builds before the suites: a
  // run of Playwright alone on a fresh checkout builds it here
  if (!existsSync(join(ROOT, "dist/cli/index.js")))
    sh(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], ROOT);
  home = tempDir(homedir(), "oiw-e2e-dev-");
  project = join(home.dir, "my-app");
  sh(process.execPath, [join(ROOT, "dist/cli/index.js"), "init", project], home.dir);
  // the package as installed: node_modules/ocaml-interop-web is this repository (its dist/)
  mkdirSync(join(project, "node_modules"));
  symlinkSync(ROOT, join(project, "node_modules/ocaml-interop-web"));
  symlinkSync(join(ROOT, "node_modules/vite"), join(project, "node_modules/vite"));
  // a path dependency outside the project
  const helper = join(home.dir, "shared/helper");
  mkdirSync(join(helper, "src"), { recursive: true });
  writeFileSync(join(helper, "Cargo.toml"), '[package]\nname = "helper"\nversion = "0.1.0"\nedition = "2021"\n');
  writeFileSync(join(helper, "src/lib.rs"), "pub fn bonus() -> i64 {\n    0\n}\n");
  const cargo = join(project, "rust/Cargo.toml");
  writeFileSync(
    cargo,
    readFileSync(cargo, "utf8").replace("[dependencies]\n", '[dependencies]\nhelper = { path = "../../shared/helper" }\n'),
  );
  edit("rust/src/lib.rs", "(a + b).to_ocaml(cr)", "(a + b + helper::bonus()).to_ocaml(cr)");
});

test.afterAll(async () => {
  await server?.stop();
  home?.remove();
});

function edit(file: string, from: string, to: string) {
  const p = join(project, file);
  const src = readFileSync(p, "utf8");
  if (!src.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  writeFileSync(p, src.replace(from, to));
}

const overlay = (page: Page) => page.locator("vite-error-overlay");
const overlayText = (page: Page) => overlay(page).evaluate((el) => (el.shadowRoot?.textContent ?? "").replace(/\s+/g, " "));

/** Saves a change and measures the time until the page shows `want` (a reload happened). */
async function timedChange(page: Page, change: () => void, testid: string, want: string): Promise<number> {
  const t0 = Date.now();
  change();
  await expect(page.getByTestId(testid)).toHaveText(want, { timeout: 120_000 });
  return Date.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test("a change to the Rust crate or the OCaml program reloads the page with it", async ({ page }) => {
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  server = await startVite(project, [], "/", { CARGO_TARGET_DIR: join(cache, "cargo-target/e2e-user-target"), OIW_QUIET: "1" });
  await page.goto(server.url);
  await expect(page.getByTestId("status")).toHaveText("ready", { timeout: 300_000 });
  await expect(page.getByTestId("rust")).toHaveText("Rust: add 2 40 = 42");

  // the path dependency outside the project is watched too
  await timedChange(
    page,
    () => writeFileSync(join(home.dir, "shared/helper/src/lib.rs"), "pub fn bonus() -> i64 {\n    100\n}\n"),
    "rust",
    "Rust: add 2 40 = 142",
  );

  const rust: number[] = [],
    ocaml: number[] = [];
  for (let i = 1; i <= 5; i++) {
    rust.push(
      await timedChange(
        page,
        () => edit("rust/src/lib.rs", `helper::bonus()${i > 1 ? ` + ${i - 1}` : ""}`, `helper::bonus() + ${i}`),
        "rust",
        `Rust: add 2 40 = ${142 + i}`,
      ),
    );
    const prev = i === 1 ? "Hello" : `Hello${i - 1}`;
    ocaml.push(
      await timedChange(
        page,
        () => edit("ocaml/main.ml", `"${prev}, %s`, `"Hello${i}, %s`),
        "ocaml",
        `OCaml: Hello${i}, WORLD! (OCaml asked Rust: 2 + 40 = ${142 + i})`,
      ),
    );
  }
  const note = `dev rebuild, save to page updated: Rust ${median(rust)} ms median (${rust.join(", ")}), OCaml ${median(ocaml)} ms median (${ocaml.join(", ")})`;
  test.info().annotations.push({ type: "measured", description: note });
  console.log(`[dev-server] ${note}`);
  // the OCaml-only rebuilds skipped cargo
  expect(server.output()).toContain("main.ml changed: rebuilding my_app");
  expect(errors).toEqual([]);
});

/** Marks the current document, so that a reload (a new document) can be waited for. */
const markPage = (page: Page) =>
  page.evaluate(() => {
    (window as any).__beforeReload = true;
  });
const expectReloaded = (page: Page) =>
  expect.poll(() => page.evaluate(() => (window as any).__beforeReload === true).catch(() => true), { timeout: 120_000 }).toBe(false);

test("a Rust compile error shows in the overlay with its file and line; fixing it recovers", async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(server!.url);
  await expect(page.getByTestId("status")).toHaveText("ready");
  const before = readFileSync(join(project, "rust/src/lib.rs"), "utf8");
  edit(
    "rust/src/lib.rs",
    "    let (a, b): (i64, i64) = (a.to_rust(), b.to_rust());",
    '    let (a, b): (i64, i64) = (a.to_rust(), b.to_rust());\n    let oops: u32 = "not a number";',
  );
  const line =
    readFileSync(join(project, "rust/src/lib.rs"), "utf8")
      .split("\n")
      .findIndex((l) => l.includes("let oops")) + 1;
  await expect(overlay(page)).toBeVisible({ timeout: 120_000 });
  const text = await overlayText(page);
  expect(text).toContain("[plugin:ocaml-interop]");
  expect(text).toContain("rustc: mismatched types");
  expect(text).toMatch(new RegExp(`rust/src/lib\\.rs:${line}:\\d+`));
  expect(text).toContain('let oops: u32 = "not a number";');
  // the server keeps running; the fix reloads the page without the overlay (the page showed
  // the same text before the error, so the reload itself is what is waited for)
  await markPage(page);
  writeFileSync(join(project, "rust/src/lib.rs"), before);
  await expectReloaded(page);
  await expect(page.getByTestId("rust")).toHaveText("Rust: add 2 40 = 147", { timeout: 30_000 });
  await expect(overlay(page)).toHaveCount(0);
});

test("an OCaml compile error shows in the overlay with its file and line; fixing it recovers", async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(server!.url);
  await expect(page.getByTestId("status")).toHaveText("ready");
  const before = readFileSync(join(project, "ocaml/main.ml"), "utf8");
  edit("ocaml/main.ml", "let greet name =", 'let broken = 1 + "one"\n\nlet greet name =');
  const line =
    readFileSync(join(project, "ocaml/main.ml"), "utf8")
      .split("\n")
      .findIndex((l) => l.includes("let broken")) + 1;
  await expect(overlay(page)).toBeVisible({ timeout: 120_000 });
  const text = await overlayText(page);
  expect(text).toContain("[plugin:ocaml-interop]");
  expect(text).toMatch(new RegExp(`ocaml/main\\.ml:${line}:\\d+`));
  expect(text).toContain("This constant has type string but an expression was expected of type int");
  await markPage(page);
  writeFileSync(join(project, "ocaml/main.ml"), before);
  await expectReloaded(page);
  await expect(page.getByTestId("ocaml")).toHaveText("OCaml: Hello5, WORLD! (OCaml asked Rust: 2 + 40 = 147)", { timeout: 30_000 });
  await expect(overlay(page)).toHaveCount(0);
});
