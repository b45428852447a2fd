// The apps a project builds: the options users write (in vite.config.ts), checked, and
// resolved to the paths the build uses. Every mistake is a BuildError that names the option
// or the file and says what to write.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { BuildError } from "./errors.ts";
import { cacheDir } from "./paths.ts";

/** One app: a Rust crate and an OCaml executable that call each other. */
export interface AppOptions {
  /** The Rust crate's directory (it holds Cargo.toml), relative to the project root. */
  rust: string;
  /** The dune directory that holds the OCaml executable, relative to the project root. */
  ocaml: string;
  /** The executable's name, when the dune directory has several. */
  exe?: string;
  /** This app's panic strategy (default: the project's `rustPanic`). */
  rustPanic?: "unwind" | "abort";
  /** Whether this app also gets the single-memory OCaml build (default: the project's). */
  singleMemory?: boolean;
  /** The Rust crate's target: "wasm32-unknown-unknown" (the default: wasm-bindgen's glue, the
   *  crate's own #[wasm_bindgen] exports) or "wasm32-wasip1" (a WASI app: std's I/O works in the
   *  page through @bjorn3/browser_wasi_shim, println! reaches the console or loadInterop's
   *  `output`, std::fs an in-memory directory; wasm-bindgen generates nothing on this target). */
  rustTarget?: RustTarget;
}

export type RustTarget = "wasm32-unknown-unknown" | "wasm32-wasip1";
export const RUST_TARGETS: readonly RustTarget[] = ["wasm32-unknown-unknown", "wasm32-wasip1"];

export interface OCamlInteropOptions {
  /** The apps to build, by name: `import app from "virtual:ocaml-interop/<name>"`. */
  apps: Record<string, AppOptions>;
  /** Where the built modules go, relative to the project root (default `.ocaml-interop`). */
  outDir?: string;
  /** cargo's target directory (default: CARGO_TARGET_DIR, else one per project in the cache). */
  cargoTargetDir?: string;
  /** How Rust panics behave: "unwind" (the default when the toolchain has the standard
   *  library's sources: a panic unwinds, and the Rust instance and its state survive) or
   *  "abort" (a panic traps; the host re-creates the Rust instance). */
  rustPanic?: "unwind" | "abort";
  /** Whether each app also gets a single-memory build of its OCaml module, which engines
   *  without WebAssembly multi-memory (Safari before 27.3, WebKitGTK 2.50) load instead: it
   *  reaches Rust's memory through a helper module's functions. Default: true in `vite build`
   *  and `ocaml-interop-web build`, false in the dev server (one OCaml build per change). */
  singleMemory?: boolean;
}

export interface ResolvedApp {
  name: string;
  /** the option values as written, for messages */
  options: AppOptions;
  rustDir: string;
  manifest: string;
  ocamlDir: string;
  /** set once the dune file is read */
  exe: string;
  /** `<ocamlDir>/generated`: the glue dune links (rust_glue.wat, rust_glue.js, rust.ml) */
  generatedDir: string;
  /** `<outDir>/<name>`: the modules the page loads */
  outDir: string;
  /** whether the single-memory OCaml build is made too */
  singleMemory: boolean;
  /** the Rust crate's target */
  rustTarget: RustTarget;
}

export interface ResolvedProject {
  root: string;
  outDir: string;
  cargoTargetDir: string;
  /** as asked for; "unwind" falls back to "abort" where the toolchain cannot (with a warning) */
  rustPanic?: "unwind" | "abort";
  apps: ResolvedApp[];
}

const NAME = /^[a-z][a-z0-9_-]*$/;

export function shortHash(s: string): string {
  return createHash("sha256").update(s).digest("hex").slice(0, 12);
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** Checks the options and resolves every path (nothing is built or run). `production`: a
 *  build for deployment (vite build), which makes the single-memory builds by default. */
export function resolveProject(root: string, options: OCamlInteropOptions | undefined, production = false): ResolvedProject {
  const where = "ocamlInterop() options in vite.config.ts";
  if (!options || typeof options !== "object" || !options.apps || typeof options.apps !== "object" || Array.isArray(options.apps))
    throw new BuildError("config", `${where}: expected { apps: { <name>: { rust: "<crate dir>", ocaml: "<dune dir>" } } }`);
  const names = Object.keys(options.apps);
  if (names.length === 0)
    throw new BuildError("config", `${where}: apps is empty; add one, e.g. apps: { main: { rust: "rust", ocaml: "ocaml" } }`);
  const outDir = resolve(root, options.outDir ?? ".ocaml-interop");
  const cargoTargetDir = options.cargoTargetDir
    ? resolve(root, options.cargoTargetDir)
    : process.env.CARGO_TARGET_DIR
      ? resolve(process.env.CARGO_TARGET_DIR)
      : join(cacheDir(), "cargo-target", shortHash(root));
  for (const k of Object.keys(options))
    if (!["apps", "outDir", "cargoTargetDir", "rustPanic", "singleMemory"].includes(k))
      throw new BuildError(
        "config",
        `${where}: ${k} is not an option (the options are apps, outDir, cargoTargetDir, rustPanic and singleMemory)`,
      );
  if (options.rustPanic !== undefined && options.rustPanic !== "unwind" && options.rustPanic !== "abort")
    throw new BuildError("config", `${where}: rustPanic must be "unwind" or "abort" (got ${JSON.stringify(options.rustPanic)})`);
  if (options.singleMemory !== undefined && typeof options.singleMemory !== "boolean")
    throw new BuildError("config", `${where}: singleMemory must be true or false (got ${JSON.stringify(options.singleMemory)})`);
  const singleMemory = options.singleMemory ?? production;
  const apps = names.map((name) => resolveApp(root, outDir, name, options.apps[name], singleMemory));
  for (let i = 0; i < apps.length; i++)
    for (let j = i + 1; j < apps.length; j++) {
      const [a, b] = [apps[i], apps[j]];
      if (a.manifest === b.manifest)
        throw new BuildError(
          "config",
          `${where}: apps "${a.name}" and "${b.name}" both name the Rust crate ${relative(root, a.rustDir) || "."}; each app needs its own crate`,
        );
      if (a.ocamlDir === b.ocamlDir && (a.options.exe ?? "") === (b.options.exe ?? ""))
        throw new BuildError(
          "config",
          `${where}: apps "${a.name}" and "${b.name}" both name the OCaml directory ${relative(root, a.ocamlDir) || "."}; give each its own executable (exe: "...")`,
        );
    }
  return { root, outDir, cargoTargetDir, rustPanic: options.rustPanic, apps };
}

function resolveApp(root: string, outRoot: string, name: string, o: AppOptions, singleMemory: boolean): ResolvedApp {
  const at = `apps.${name}`;
  if (!NAME.test(name))
    throw new BuildError(
      "config",
      `ocamlInterop(): the app name "${name}" must be lower-case letters, digits, - and _, starting with a letter (it names the module virtual:ocaml-interop/${name})`,
    );
  if (!o || typeof o !== "object")
    throw new BuildError("config", `ocamlInterop(): ${at} must be { rust: "<crate dir>", ocaml: "<dune dir>" }`);
  for (const k of Object.keys(o))
    if (!["rust", "ocaml", "exe", "rustPanic", "singleMemory", "rustTarget"].includes(k))
      throw new BuildError(
        "config",
        `ocamlInterop(): ${at}.${k} is not an option (the options are rust, ocaml, exe, rustPanic, singleMemory and rustTarget)`,
      );
  if (o.rustTarget !== undefined && !RUST_TARGETS.includes(o.rustTarget))
    throw new BuildError(
      "config",
      `ocamlInterop(): ${at}.rustTarget must be ${RUST_TARGETS.map((t) => JSON.stringify(t)).join(" or ")} (got ${JSON.stringify(o.rustTarget)})`,
    );
  if (o.singleMemory !== undefined && typeof o.singleMemory !== "boolean")
    throw new BuildError("config", `ocamlInterop(): ${at}.singleMemory must be true or false (got ${JSON.stringify(o.singleMemory)})`);
  if (o.rustPanic !== undefined && o.rustPanic !== "unwind" && o.rustPanic !== "abort")
    throw new BuildError("config", `ocamlInterop(): ${at}.rustPanic must be "unwind" or "abort" (got ${JSON.stringify(o.rustPanic)})`);
  if (typeof o.rust !== "string" || !o.rust)
    throw new BuildError(
      "config",
      `ocamlInterop(): ${at}.rust is missing: the directory of the Rust crate (holding Cargo.toml), e.g. rust: "rust"`,
    );
  if (typeof o.ocaml !== "string" || !o.ocaml)
    throw new BuildError(
      "config",
      `ocamlInterop(): ${at}.ocaml is missing: the dune directory of the OCaml executable, e.g. ocaml: "ocaml"`,
    );
  if (o.exe !== undefined && (typeof o.exe !== "string" || !/^[a-z_][\w']*$/i.test(o.exe)))
    throw new BuildError("config", `ocamlInterop(): ${at}.exe must be the name of a dune executable, e.g. exe: "main"`);
  const rustDir = isAbsolute(o.rust) ? o.rust : resolve(root, o.rust);
  const ocamlDir = isAbsolute(o.ocaml) ? o.ocaml : resolve(root, o.ocaml);
  if (!isDir(rustDir))
    throw new BuildError(
      "config",
      `ocamlInterop(): ${at}.rust is "${o.rust}", but ${rustDir} is not a directory; point it at the Rust crate's directory (the one holding Cargo.toml)`,
    );
  const manifest = join(rustDir, "Cargo.toml");
  if (!existsSync(manifest))
    throw new BuildError(
      "config",
      `ocamlInterop(): ${at}.rust is "${o.rust}", but ${rustDir} has no Cargo.toml; point it at the Rust crate's directory`,
    );
  if (!isDir(ocamlDir))
    throw new BuildError(
      "config",
      `ocamlInterop(): ${at}.ocaml is "${o.ocaml}", but ${ocamlDir} is not a directory; point it at the dune directory of the OCaml executable`,
    );
  if (!existsSync(join(ocamlDir, "dune")))
    throw new BuildError(
      "config",
      `ocamlInterop(): ${at}.ocaml is "${o.ocaml}", but ${ocamlDir} has no dune file; it needs one with (executable (name ...) (modes wasm) ...) (see the scaffold: npx ocaml-interop-web init)`,
    );
  return {
    name,
    options: o,
    rustDir,
    manifest,
    ocamlDir,
    exe: o.exe ?? "",
    generatedDir: join(ocamlDir, "generated"),
    outDir: join(outRoot, name),
    singleMemory: o.singleMemory ?? singleMemory,
    rustTarget: o.rustTarget ?? "wasm32-unknown-unknown",
  };
}

// ---- the dune file ---------------------------------------------------------------------------

/** The executables a dune file declares: `(executable (name x))`, `(executables (names x y))`. */
export function duneExecutables(src: string): { name: string; stanza: string }[] {
  const out: { name: string; stanza: string }[] = [];
  const text = src.replace(/;[^\n]*/g, "");
  for (const m of text.matchAll(/\(\s*(executables?)\b/g)) {
    const stanza = balanced(text, m.index!);
    const names =
      m[1] === "executable"
        ? stanza.match(/\(\s*name\s+([\w']+)\s*\)/)?.[1]?.split(/\s+/)
        : stanza
            .match(/\(\s*names\s+([^()]*)\)/)?.[1]
            ?.trim()
            .split(/\s+/);
    for (const name of names ?? []) out.push({ name, stanza });
  }
  return out;
}

function balanced(s: string, start: number): string {
  let depth = 0,
    inString = false;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return s.slice(start, i + 1);
  }
  return s.slice(start);
}

/** What an app's dune stanza must contain for the generated glue to link. */
export const DUNE_STANZA = (exe: string) => `(executable
 (name ${exe})
 (modes wasm)
 (libraries ocaml-interop-web)
 (link_flags (-no-check-prims))
 (wasm_of_ocaml
  (flags (:standard --effects=disabled))
  (wasm_files generated/rust_glue.wat)
  (javascript_files generated/rust_glue.js)))`;

/** Reads the app's dune file: which executable is the app's, and that it links the glue. */
export function resolveExecutable(app: ResolvedApp): string {
  const file = join(app.ocamlDir, "dune");
  const exes = duneExecutables(readFileSync(file, "utf8"));
  const at = `apps.${app.name}`;
  if (exes.length === 0)
    throw new BuildError("config", `${file} declares no executable; the app "${app.name}" needs one, e.g.\n${DUNE_STANZA("main")}`, {
      loc: { file, line: 1, column: 1 },
    });
  let exe = exes[0];
  if (app.options.exe) {
    const found = exes.find((e) => e.name === app.options.exe);
    if (!found)
      throw new BuildError(
        "config",
        `ocamlInterop(): ${at}.exe is "${app.options.exe}", but ${file} declares ${exes.map((e) => e.name).join(", ")}; set exe to one of them`,
      );
    exe = found;
  } else if (exes.length > 1) {
    throw new BuildError(
      "config",
      `${file} declares several executables (${exes.map((e) => e.name).join(", ")}): set ${at}.exe to the app's`,
    );
  }
  const missing = ["generated/rust_glue.wat", "generated/rust_glue.js"].filter((f) => !exe.stanza.includes(f));
  if (!/\(\s*modes\b[^)]*\bwasm\b/.test(exe.stanza)) missing.unshift("(modes wasm)");
  if (missing.length)
    throw new BuildError(
      "config",
      `${file}: the executable ${exe.name} does not link the generated glue (missing ${missing.join(", ")}); its stanza should read:\n${DUNE_STANZA(exe.name)}`,
      { loc: { file, line: 1, column: 1 } },
    );
  return exe.name;
}

/** The root of the dune workspace `dir` belongs to: the outermost directory, from `dir` up to
 *  `stop`, that holds dune-workspace, else dune-project. */
export function duneRoot(dir: string, stop: string): string {
  let best: string | undefined, ws: string | undefined;
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, "dune-workspace"))) ws = d;
    if (existsSync(join(d, "dune-project"))) best = d;
    if (d === stop || dirname(d) === d || !d.startsWith(stop)) break;
  }
  const root = ws ?? best;
  if (!root)
    throw new BuildError(
      "config",
      `${dir} is not in a dune project: add a dune-project file (it can hold the single line "(lang dune 3.17)")`,
      { loc: { file: join(dir, "dune"), line: 1, column: 1 } },
    );
  return root;
}
