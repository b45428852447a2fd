// Debian's Chromium driven by playwright-core, and a `vite preview` server of the built
// page, for the e2e tests and the benchmarks. No browser is ever downloaded.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";

export function chromiumPath(): string {
  if (process.env.OIW_CHROMIUM) return process.env.OIW_CHROMIUM;
  const cache = process.env.OIW_CACHE ?? join(process.env.HOME ?? "/root", ".cache/ocaml-interop-web");
  try {
    const m = readFileSync(join(cache, "toolchain.env"), "utf8").match(/^OIW_CHROMIUM='(.*)'$/m);
    if (m) return m[1];
  } catch { /* not provisioned: fall back to the usual path */ }
  return "/usr/bin/chromium";
}

/** The flags a root, offline, headless run needs (no sandbox as root; no background traffic). */
export const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export async function startPreview(root: string): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, "node_modules/vite/bin/vite.js"), "preview", "--port", String(port), "--strictPort"], {
    cwd: root, stdio: ["ignore", "pipe", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url)).ok) return { url, stop: () => child.kill() }; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("vite preview did not start");
}
