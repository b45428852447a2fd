// Building an app's Rust crate for wasm32: the crate is checked first (a cdylib that depends on
// the runtime crate), then built with the flags the bridge needs, passed on the command line so
// the user's Cargo.toml needs none of them. rustc's errors come back with their file and line.
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import type { ResolvedApp, RustTarget } from "./config.ts";
import { BuildError, type SourceLocation } from "./errors.ts";
import { run, type Logger } from "./toolchain.ts";

export const RUNTIME_PACKAGE = "ocaml-interop-web";

/** Link arguments every app needs: the host creates the memory (both modules import it), and
 *  reaches the function table (the direct route from Rust to OCaml fills two of its slots:
 *  src/host/bridge/direct-ocaml.ts). */
export const RUSTFLAGS = ["-C", "link-arg=--import-memory", "-C", "link-arg=--max-memory=4294967296", "-C", "link-arg=--export-table"];

/** A WASI app: the runtime crate takes its host from plain imports, not wasm-bindgen's
 *  (rust/ocaml-interop-web/build.rs). */
export const WASI_RUSTFLAGS = ["--cfg", "oiw_wasi_app"];

/** With panics that unwind: std rebuilt with unwinding, and Wasm's legacy exception
 *  instructions (the ones wasm_of_ocaml emits, and every engine with WasmGC runs). */
export const UNWIND_RUSTFLAGS = ["-C", "panic=unwind", "-C", "llvm-args=-wasm-use-legacy-eh=true"];
export const UNWIND_CONFIG = ["--config", 'profile.release.panic="unwind"', "--config", 'unstable.build-std=["std","panic_unwind"]'];

export type PanicStrategy = "unwind" | "abort";

export interface CrateInfo {
  packageName: string;
  /** the lib target's name (the .wasm file's stem) */
  libName: string;
  workspaceRoot: string;
}

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

interface Metadata {
  workspace_root: string;
  packages: {
    name: string;
    manifest_path: string;
    targets: { name: string; kind: string[]; crate_types: string[] }[];
    dependencies: { name: string; rename: string | null; kind: string | null }[];
  }[];
}

/** Reads the crate with `cargo metadata` and checks what the bridge needs of it. */
export async function inspectCrate(app: ResolvedApp): Promise<CrateInfo> {
  const r = await run("rust", app.rustDir, ["cargo", "metadata", "--format-version", "1", "--no-deps", "--manifest-path", app.manifest]);
  if (r.code !== 0) {
    const msg = strip(r.stderr)
      .trim()
      .split("\n")
      .filter((l) => !/^\s*(Updating|Downloading|Downloaded|Locking)\b/.test(l))
      .join("\n");
    throw new BuildError("cargo", `${app.manifest}: cargo cannot read the crate:\n${msg}`, {
      loc: { file: app.manifest, line: 1, column: 1 },
    });
  }
  const meta = JSON.parse(r.stdout) as Metadata;
  const pkg = meta.packages.find((p) => p.manifest_path === app.manifest);
  if (!pkg)
    throw new BuildError(
      "cargo",
      `${app.manifest}: cargo metadata does not list this package (is it a virtual workspace manifest? point apps.${app.name}.rust at the crate itself)`,
    );
  const lib = pkg.targets.find((t) => t.kind.some((k) => k === "cdylib" || k === "lib" || k === "rlib"));
  const loc: SourceLocation = { file: app.manifest, line: 1, column: 1 };
  if (!lib?.crate_types.includes("cdylib"))
    throw new BuildError(
      "cargo",
      `${app.manifest}: the crate ${pkg.name} must be a cdylib to become a wasm module; add\n[lib]\ncrate-type = ["cdylib"]`,
      { loc },
    );
  const dep = pkg.dependencies.find((d) => d.name === RUNTIME_PACKAGE && d.kind === null);
  if (!dep)
    throw new BuildError(
      "cargo",
      `${app.manifest}: the crate ${pkg.name} does not depend on the runtime crate; add to [dependencies]\n` +
        `ocaml-interop = { package = "${RUNTIME_PACKAGE}", path = "<path to node_modules/ocaml-interop-web/rust/ocaml-interop-web>" }`,
      { loc },
    );
  return { packageName: pkg.name, libName: lib.name.replace(/-/g, "_"), workspaceRoot: meta.workspace_root };
}

interface CargoMessage {
  reason: string;
  success?: boolean;
  target?: { name: string; kind: string[] };
  filenames?: string[];
  message?: {
    level: string;
    message: string;
    rendered?: string;
    spans: { file_name: string; line_start: number; column_start: number; is_primary: boolean }[];
  };
}

/** `cargo build` of the app's crate for wasm32; returns the .wasm file. */
/** The arguments and environment of an app's `cargo build`: the bridge's flags are passed on
 *  the command line (the user's Cargo.toml and .cargo/config.toml need none), and added to
 *  RUSTFLAGS when the user sets it (RUSTFLAGS replaces every rustflags setting). */
export function cargoInvocation(
  panic: PanicStrategy,
  target: RustTarget = "wasm32-unknown-unknown",
  env: NodeJS.ProcessEnv = process.env,
): { config: string[]; env: Record<string, string> } {
  const flags = [...RUSTFLAGS, ...(panic === "unwind" ? UNWIND_RUSTFLAGS : []), ...(target === "wasm32-wasip1" ? WASI_RUSTFLAGS : [])];
  // the bridge's panic strategy, whatever the user's profile says
  const config = panic === "unwind" ? [...UNWIND_CONFIG] : ["--config", 'profile.release.panic="abort"'];
  const out: Record<string, string> = {};
  // -Zbuild-std on a stable toolchain
  if (panic === "unwind") out.RUSTC_BOOTSTRAP = "1";
  if (env.CARGO_ENCODED_RUSTFLAGS !== undefined)
    out.CARGO_ENCODED_RUSTFLAGS = [env.CARGO_ENCODED_RUSTFLAGS, ...flags].filter(Boolean).join("\x1f");
  else if (env.RUSTFLAGS !== undefined) out.RUSTFLAGS = [env.RUSTFLAGS, ...flags].filter(Boolean).join(" ");
  else config.push("--config", `target.${target}.rustflags=${JSON.stringify(flags)}`);
  return { config, env: out };
}

export async function cargoBuild(
  app: ResolvedApp,
  crate: CrateInfo,
  targetDir: string,
  panic: PanicStrategy,
  log: Logger,
): Promise<string> {
  const target = app.rustTarget;
  const inv = cargoInvocation(panic, target);
  const env: Record<string, string> = { CARGO_TARGET_DIR: targetDir, CARGO_TERM_COLOR: "always", ...inv.env };
  const config = inv.config;
  log.info(`cargo build ${crate.packageName} (${target}, release, panics ${panic})`);
  const r = await run(
    "rust",
    app.rustDir,
    [
      "cargo",
      "build",
      "--release",
      "--target",
      target,
      "--manifest-path",
      app.manifest,
      "--message-format=json-diagnostic-rendered-ansi",
      ...config,
    ],
    { env },
  );
  let wasm: string | undefined;
  const errors: CargoMessage["message"][] = [];
  for (const line of r.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    let m: CargoMessage;
    try {
      m = JSON.parse(line) as CargoMessage;
    } catch {
      continue;
    }
    if (m.reason === "compiler-message" && m.message) {
      if (m.message.level === "error") errors.push(m.message);
      else if (m.message.level === "warning" && m.message.rendered && process.env.OIW_QUIET !== "1")
        process.stderr.write(m.message.rendered);
    }
    if (m.reason === "compiler-artifact" && m.target?.name.replace(/-/g, "_") === crate.libName && m.target.kind.includes("cdylib"))
      wasm = m.filenames?.find((f) => f.endsWith(".wasm"));
  }
  if (r.code !== 0 || errors.length) {
    const first = errors[0];
    const span = first?.spans.find((s) => s.is_primary) ?? first?.spans[0];
    let loc: SourceLocation | undefined;
    if (span) {
      const candidates = isAbsolute(span.file_name)
        ? [span.file_name]
        : [join(crate.workspaceRoot, span.file_name), join(app.rustDir, span.file_name)];
      const file = candidates.find((f) => existsSync(f)) ?? candidates[0];
      loc = { file, line: span.line_start, column: span.column_start };
    }
    const rendered = errors.map((e) => e!.rendered ?? e!.message).join("\n");
    const tail = strip(r.stderr)
      .trim()
      .split("\n")
      .filter((l) => /^(error|warning: build failed)/.test(l) || /could not compile/.test(l))
      .slice(-3)
      .join("\n");
    throw new BuildError(
      "cargo",
      first
        ? `rustc: ${first.message}${loc ? ` (${relative(process.cwd(), loc.file)}:${loc.line}:${loc.column})` : ""}`
        : `cargo build failed for ${app.manifest}:\n${strip(r.stderr).trim().split("\n").slice(-15).join("\n") || tail}`,
      { loc, details: rendered || strip(r.stderr) },
    );
  }
  if (!wasm || !existsSync(wasm))
    throw new BuildError(
      "cargo",
      `cargo built ${crate.packageName} but produced no .wasm for its lib target (${crate.libName}); is [lib] crate-type = ["cdylib"] set?`,
    );
  checkArtifactIsOurs(app, crate, wasm, targetDir);
  return wasm;
}

/** cargo reuses an artifact built from another crate of the same name and version in the same
 *  target directory (it reports it fresh): its dep-info must list this crate's sources. */
function checkArtifactIsOurs(app: ResolvedApp, crate: CrateInfo, wasm: string, targetDir: string) {
  let depInfo: string;
  try {
    depInfo = readFileSync(wasm.replace(/\.wasm$/, ".d"), "utf8");
  } catch {
    return;
  }
  const src = realpathSync(app.rustDir);
  if (!depInfo.includes(`${src}/`) && !depInfo.includes(`${app.rustDir}/`))
    throw new BuildError(
      "cargo",
      `cargo gave ${crate.packageName}'s build the artifact of another crate named ${crate.packageName} ` +
        `in the same target directory (${targetDir}): give this project its own target directory (unset CARGO_TARGET_DIR, or set ` +
        `the plugin's cargoTargetDir), or rename the package in ${app.manifest}`,
      { loc: { file: app.manifest, line: 1, column: 1 } },
    );
}
