// Projects made by `ocaml-interop-web init` for the package's own tests, and the servers they
// run (vite dev, vite preview), all outside this repository.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { freePort } from "../../src/playwright/webkit.ts";

export const ROOT = resolve(import.meta.dirname, "../..");

/** Runs a command, failing with its output when it fails; returns stdout and stderr
 *  together, or stdout alone with `{ stdoutOnly: true }`. */
export function sh(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  opts: { timeoutMs?: number; stdoutOnly?: boolean } = {},
): string {
  const r = spawnSync(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 600_000,
    maxBuffer: 64 << 20,
  });
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) failed with ${r.status ?? r.signal}:\n${out.slice(-6000)}`);
  return opts.stdoutOnly ? (r.stdout ?? "") : out;
}

/** A fresh directory under `parent`, removed by the returned function. */
export function tempDir(parent: string, prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(parent, prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Server {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `vite <args>` in `cwd` (its own node_modules/vite) and waits until `path` answers. */
export async function startVite(
  cwd: string,
  args: string[],
  path = "/",
  env: Record<string, string> = {},
  timeoutMs = 300_000,
): Promise<Server> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [join(cwd, "node_modules/vite/bin/vite.js"), ...args, "--port", String(port), "--strictPort", "--host", "127.0.0.1"],
    {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  child.stdout!.on("data", (d: Buffer) => {
    out += d;
  });
  child.stderr!.on("data", (d: Buffer) => {
    out += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((res) => {
      if (child.exitCode !== null) return res();
      child.once("exit", () => res());
      child.kill();
    });
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`vite ${args.join(" ")} exited with ${child.exitCode}:\n${out}`);
    try {
      if ((await fetch(url + path)).ok) return { url, output: () => out, stop };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`vite ${args.join(" ")} did not answer within ${timeoutMs} ms:\n${out}`);
}
