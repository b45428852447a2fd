// Running the toolchain: provision it once (toolchain/provision.sh), then run each command on
// the host or in the sysroot (toolchain/tc.sh), with its output captured for error reports.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BuildError } from "./errors.ts";
import { PROVISION, TC, cacheDir } from "./paths.ts";

export type Group = "ocaml" | "rust" | "node";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export const consoleLogger: Logger = {
  info: (m) => console.log(`\x1b[1m[ocaml-interop]\x1b[0m ${m}`),
  warn: (m) => console.warn(`\x1b[1;33m[ocaml-interop]\x1b[0m ${m}`),
  error: (m) => console.error(`\x1b[1;31m[ocaml-interop]\x1b[0m ${m}`),
};

let provisioned: Promise<void> | undefined;

/** Finds or provisions the toolchain (once per process). Its report is shown when it took
 *  long (something was installed) or failed; otherwise one line says what is used. */
export function ensureToolchain(log: Logger = consoleLogger): Promise<void> {
  provisioned ??= new Promise<void>((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn("bash", [PROVISION], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const echo = (d: Buffer) => {
      out += d;
      // something is being installed: show the progress as it comes
      if (Date.now() - t0 > 3000) process.stderr.write(d);
    };
    child.stdout.on("data", echo);
    child.stderr.on("data", echo);
    child.on("error", (e) => reject(new BuildError("toolchain", `cannot run ${PROVISION}: ${e.message}`)));
    child.on("close", (code) => {
      const text = out.replace(/\x1b\[[0-9;]*m/g, "");
      if (code === 0) {
        const summary = text.match(/ocaml tools: .*$/m)?.[0];
        if (summary) log.info(`toolchain: ${summary}`);
        resolve();
      } else {
        process.stderr.write(out);
        const last =
          text
            .trim()
            .split("\n")
            .filter((l) => /error/i.test(l))
            .pop() ??
          text.trim().split("\n").pop() ??
          "";
        reject(
          new BuildError(
            "toolchain",
            `the toolchain is not ready: ${last.replace(/^\[toolchain\]\s*(error:\s*)?/, "")}\n` +
              `Run \`npx ocaml-interop-web toolchain\` to see what was found (README: "Setting up by hand").`,
          ),
        );
      }
    });
  });
  return provisioned;
}

/** The toolchain's settings (written by provision.sh). */
export function toolchainEnv(): Record<string, string> {
  const file = join(cacheDir(), "toolchain.env");
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const m of readFileSync(file, "utf8").matchAll(/^(\w+)='(.*)'$/gm)) out[m[1]] = m[2];
  return out;
}

/** Whether the Rust toolchain can build panics that unwind (it has the standard library's
 *  sources, for -Zbuild-std): what provision.sh found, else asked of rustc itself. */
export function rustCanUnwind(): boolean {
  const env = toolchainEnv();
  if (env.OIW_RUST_UNWIND === "1" || env.OIW_RUST_UNWIND === "0") return env.OIW_RUST_UNWIND === "1";
  const r = runSync("rust", process.cwd(), ["sh", "-c", 'test -f "$(rustc --print sysroot)/lib/rustlib/src/rust/library/std/Cargo.toml"']);
  return r.code === 0;
}

/** Runs `cmd` with a toolchain group; resolves with its exit code and output (never rejects
 *  for a non-zero exit). `echo` copies the output to the terminal as it comes. */
export function run(
  group: Group,
  cwd: string,
  cmd: string[],
  opts: { env?: Record<string, string>; echo?: boolean } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(TC, [group, ...cmd], { cwd, env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "",
      stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
      if (opts.echo) process.stdout.write(d);
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
      if (opts.echo) process.stderr.write(d);
    });
    child.on("error", (e) => reject(new BuildError("toolchain", `cannot run ${TC}: ${e.message}`)));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The synchronous form, for short queries. */
export function runSync(group: Group, cwd: string, cmd: string[]): RunResult {
  const r = spawnSync(TC, [group, ...cmd], { cwd, encoding: "utf8" });
  return { code: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}
