// The files `ocaml-interop-web init` writes: a project that works at once, with one app named
// after the directory. Its README's two commands (npm run dev, npm test) set everything up on a
// fresh machine, the toolchain included.

export interface TemplateOptions {
  /** the project's npm name */
  project: string;
  /** the app's name (module virtual:ocaml-interop/<app>) and the Rust crate's */
  app: string;
  /** the dependency spec of ocaml-interop-web in package.json */
  packageSpec: string;
  /** version ranges of the dev tools, as this package uses them */
  devDependencies: Record<string, string>;
}

export function templates(o: TemplateOptions): Record<string, string> {
  const crate = o.app.replace(/-/g, "_");
  return {
    "package.json":
      JSON.stringify(
        {
          name: o.project,
          version: "0.1.0",
          private: true,
          type: "module",
          scripts: {
            dev: "node scripts/setup.mjs && vite",
            build: "node scripts/setup.mjs && vite build",
            test: "node scripts/setup.mjs && vite build && tsc -p . && playwright test",
            preview: "vite preview",
          },
          dependencies: { "ocaml-interop-web": o.packageSpec },
          devDependencies: o.devDependencies,
        },
        null,
        2,
      ) + "\n",

    "scripts/setup.mjs": `// Runs before \`npm run dev\`, \`npm run build\` and \`npm test\`: installs the npm packages when
// package.json changed, then finds or provisions the toolchain (OCaml, wasm_of_ocaml, Rust for
// wasm32, wasm-bindgen, Chromium), so a fresh clone needs nothing else.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const stamp = "node_modules/.package-lock.json";
const older = (a, b) => existsSync(b) && statSync(a).mtimeMs < statSync(b).mtimeMs;
if (!existsSync(stamp) || older(stamp, "package.json") || older(stamp, "package-lock.json")) {
  console.log("[setup] npm install");
  execFileSync("npm", ["install", "--no-audit", "--no-fund"], { stdio: "inherit" });
}
execFileSync(process.execPath, ["node_modules/ocaml-interop-web/dist/cli/index.js", "toolchain", "--quiet"], { stdio: "inherit" });
`,

    "README.md": `# ${o.project}

OCaml and Rust calling each other in the page, with [ocaml-interop-web](https://www.npmjs.com/package/ocaml-interop-web).

\`\`\`sh
npm run dev    # set up what is missing (npm packages, the toolchain), then serve the page and rebuild on save
npm test       # set up what is missing, build, type-check, and run the Playwright tests in Chromium
\`\`\`

On a fresh Debian or Ubuntu machine (as root) both install all they need, the toolchain
included (OCaml 5, wasm_of_ocaml, Rust for wasm32, wasm-bindgen, Chromium), into a cache outside
the project (\`~/.cache/ocaml-interop-web\`); elsewhere they say what to install by hand.

| path | what |
|---|---|
| \`rust/\` | the Rust crate: \`#[ocaml_interop::export]\` functions OCaml and TypeScript call, and \`ocaml!\` declarations of OCaml functions it calls |
| \`ocaml/\` | the OCaml program (a dune project): plain \`external\`s for the Rust functions, \`Callback.register\` for its own |
| \`src/main.ts\`, \`index.html\` | the page: \`import app from "virtual:ocaml-interop/${o.app}"\`, then \`loadInterop(app)\` |
| \`vite.config.ts\` | the plugin, naming the app's crate and dune directory |
| \`e2e/\` | the Playwright test |

The build writes \`ocaml/generated/\` (the glue dune links, and \`rust.ml\`, the OCaml declarations of
every Rust export) and \`.ocaml-interop/\` (the modules the page imports, and their types).
`,

    ".gitignore": `node_modules/
dist/
.ocaml-interop/
_build/
ocaml/generated/
test-results/
playwright-report/
`,

    "vite.config.ts": `import { defineConfig } from "vite";
import { ocamlInterop } from "ocaml-interop-web/vite";

export default defineConfig({
  plugins: [
    // the app "${o.app}": the Rust crate in rust/, the OCaml executable in ocaml/
    ocamlInterop({ apps: { ${JSON.stringify(o.app)}: { rust: "rust", ocaml: "ocaml" } } }),
  ],
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
`,

    "tsconfig.json":
      JSON.stringify(
        {
          compilerOptions: {
            target: "ES2022",
            module: "ESNext",
            moduleResolution: "Bundler",
            lib: ["ES2023", "DOM", "DOM.Iterable"],
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: ["vite/client"],
          },
          include: ["src", "e2e", ".ocaml-interop/*.d.ts", "vite.config.ts", "playwright.config.ts"],
        },
        null,
        2,
      ) + "\n",

    "playwright.config.ts": `import { defineConfig } from "@playwright/test";
import { chromium } from "ocaml-interop-web/playwright";

// The built page (npm run build), served by vite preview, in the Chromium the toolchain found.
export default defineConfig({
  testDir: "e2e",
  use: { ...chromium, baseURL: "http://127.0.0.1:4173" },
  webServer: { command: "npx vite preview --port 4173 --strictPort", url: "http://127.0.0.1:4173" },
});
`,

    "e2e/app.spec.ts": `// test and expect from ocaml-interop-web/playwright: Playwright's, and an uncaught error in
// the page fails the test
import { expect, test } from "ocaml-interop-web/playwright";

test("OCaml and Rust call each other in the page", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("status")).toHaveText("ready");
  await expect(page.getByTestId("rust")).toHaveText("Rust: add 2 40 = 42");
  await expect(page.getByTestId("ocaml")).toHaveText("OCaml: Hello, WORLD! (OCaml asked Rust: 2 + 40 = 42)");
  await page.getByTestId("name").fill("ocaml");
  await expect(page.getByTestId("ocaml")).toHaveText("OCaml: Hello, OCAML! (OCaml asked Rust: 2 + 40 = 42)");
  await page.getByTestId("panic").click();
  await expect(page.getByTestId("error")).toHaveText("RustPanic: you pressed the button");
  await expect(page.getByTestId("rust")).toHaveText("Rust: add 2 40 = 42");
});
`,

    "index.html": `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>${o.project}</title>
</head>
<body>
  <h1>OCaml ⇄ Rust</h1>
  <p data-testid="status">loading…</p>
  <p data-testid="rust"></p>
  <label>Name <input data-testid="name" value="world" /></label>
  <p data-testid="ocaml"></p>
  <button data-testid="panic">Make Rust panic</button>
  <p data-testid="error"></p>
  <script type="module" src="/src/main.ts"></script>
</body>
</html>
`,

    "src/main.ts": `import { loadInterop, T } from "ocaml-interop-web";
import ${crate} from "virtual:ocaml-interop/${o.app}";

const $ = (id: string) => document.querySelector<HTMLElement>(\`[data-testid="\${id}"]\`)!;

const app = await loadInterop(${crate});

// TypeScript -> Rust: typed from the Rust signature
const showRust = () => { $("rust").textContent = \`Rust: add 2 40 = \${app.rust.add(2, 40)}\`; };

// TypeScript -> OCaml (which calls Rust): a function OCaml registered with Callback.register
const greet = app.ocaml.fn("greet", [T.string], T.string);
const name = $("name") as HTMLInputElement;
const showOCaml = () => { $("ocaml").textContent = \`OCaml: \${greet(name.value)}\`; };
name.addEventListener("input", showOCaml);

// a panic is an error here, and the page keeps working
$("panic").addEventListener("click", () => {
  try { app.rust.fail("you pressed the button"); } catch (e) { $("error").textContent = \`\${(e as Error).name}: \${(e as Error).message}\`; }
  showRust();
});

showRust();
showOCaml();
$("status").textContent = "ready";
`,

    "rust/Cargo.toml": `[package]
name = "${o.app}"
version = "0.1.0"
edition = "2021"
publish = false

[lib]
crate-type = ["cdylib"]

[dependencies]
# the ocaml-interop API for the browser, under the name code written for ocaml-interop uses
ocaml-interop = { package = "ocaml-interop-web", path = "../node_modules/ocaml-interop-web/rust/ocaml-interop-web" }

[profile.release]
opt-level = 3
lto = true
codegen-units = 1
`,

    "rust/src/lib.rs": `use ocaml_interop::{ocaml, BoxRoot, OCaml, OCamlInt, OCamlRuntime, ToOCaml};

/// OCaml: \`external add : int -> int -> int = "add"\`; TypeScript: \`app.rust.add(2, 40)\`.
#[ocaml_interop::export]
pub fn add(cr: &mut OCamlRuntime, a: OCaml<OCamlInt>, b: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
    let (a, b): (i64, i64) = (a.to_rust(), b.to_rust());
    (a + b).to_ocaml(cr)
}

ocaml! {
    // registered by OCaml: Callback.register "capitalize" String.uppercase_ascii
    fn capitalize(s: String) -> String;
}

/// Rust calls OCaml back: \`shout "world"\` is "WORLD!".
#[ocaml_interop::export]
pub fn shout(cr: &mut OCamlRuntime, s: OCaml<String>) -> OCaml<String> {
    let s: BoxRoot<String> = s.root();
    let upper: String = capitalize(cr, &s).to_rust(cr);
    format!("{upper}!").to_ocaml(cr)
}

/// A panic reaches TypeScript as a \`RustPanic\` error (and OCaml as an exception).
#[ocaml_interop::export]
pub fn fail(_cr: &mut OCamlRuntime, why: OCaml<String>) {
    panic!("{}", why.as_str());
}
`,

    "ocaml/dune-project": `(lang dune 3.17)
`,

    "ocaml/dune": `; The OCaml program. generated/ is written by the build from the Rust crate (../rust): the
; glue that implements the externals (rust_glue.wat, rust_glue.js) and rust.ml, the OCaml
; declarations of every Rust export.
(executable
 (name main)
 (modes wasm)
 (libraries ocaml-interop-web)
 (link_flags (-no-check-prims))
 (wasm_of_ocaml
  (flags (:standard --effects=disabled))
  (wasm_files generated/rust_glue.wat)
  (javascript_files generated/rust_glue.js)))
`,

    "ocaml/main.ml": `(* Rust functions, as plain externals (generated/rust.ml declares them all) *)
external add : int -> int -> int = "add"
external shout : string -> string = "shout"

(* OCaml functions that Rust (ocaml!) and TypeScript (app.ocaml.fn) call *)
let () = Callback.register "capitalize" String.uppercase_ascii

let greet name =
  Printf.sprintf "Hello, %s (OCaml asked Rust: 2 + 40 = %d)" (shout name) (add 2 40)

let () = Callback.register "greet" greet
`,
  };
}
