// WebKitGTK (Debian's webkit2gtk-driver) driven through W3C WebDriver (classic, HTTP + JSON),
// with a few fetch calls: WebKitWebDriver starts MiniBrowser in automation mode, which needs
// an X display, so a private Xvfb is started when DISPLAY is not set. Playwright cannot drive
// this WebKit (it needs its own patched build, which cannot be downloaded here); the test
// runner reaches it through a Page of its own (webdriver-page.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { toolchainSetting } from "./toolchain.ts";

/** A TCP port free on 127.0.0.1 now. */
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

/** Whether WebKitGTK's driver and browser are installed (toolchain/provision.sh installs them as root on Debian). */
export function webkitAvailable(): boolean {
  return existsSync(WEBKIT_DRIVER) && existsSync(MINIBROWSER);
}

/** WebKitWebDriver: OIW_WEBKIT_DRIVER, else the one the toolchain step found, else Debian's path. */
export const WEBKIT_DRIVER = process.env.OIW_WEBKIT_DRIVER || toolchainSetting("OIW_WEBKIT_DRIVER") || "/usr/bin/WebKitWebDriver";
/** MiniBrowser of libwebkit2gtk-4.1 (Debian's path), the browser WebKitWebDriver starts. */
export const MINIBROWSER =
  process.env.OIW_MINIBROWSER ??
  [
    "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    "/usr/libexec/webkit2gtk-4.1/MiniBrowser",
  ].find((p) => existsSync(p)) ??
  "MiniBrowser";

export interface WebKitSession {
  /** the engine's version, as the driver reports it (WebKitGTK's, e.g. 2.50.6) */
  version: string;
  goto(url: string): Promise<void>;
  /** runs `script` (a function body) in the page; returns what it returns */
  execute<T>(script: string, ...args: unknown[]): Promise<T>;
  /** runs `script` with a callback as its last argument (`arguments[arguments.length - 1]`) */
  executeAsync<T>(script: string, ...args: unknown[]): Promise<T>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startWebKit(): Promise<WebKitSession> {
  const children: ChildProcess[] = [];
  const stop = () => {
    for (const c of children.reverse()) c.kill();
  };
  try {
    let display = process.env.DISPLAY;
    if (!display) {
      const n = 90 + Math.floor(Math.random() * 400);
      display = `:${n}`;
      const x = spawn("Xvfb", [display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"], { stdio: "ignore" });
      children.push(x);
      x.on("error", () => {});
      for (let i = 0; i < 50 && !existsSync(`/tmp/.X11-unix/X${n}`); i++) await sleep(100);
      if (!existsSync(`/tmp/.X11-unix/X${n}`)) throw new Error("Xvfb did not start (is the xvfb package installed?)");
    }
    const port = await freePort();
    const driver = spawn(WEBKIT_DRIVER, [`--port=${port}`], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, DISPLAY: display },
    });
    children.push(driver);
    const failed = new Promise<never>((_, reject) =>
      driver.on("error", (e) => reject(new Error(`cannot start ${WEBKIT_DRIVER}: ${e.message}`))),
    );
    const base = `http://127.0.0.1:${port}`;
    const wd = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(base + path, {
        method,
        headers: { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const j = (await r.json()) as { value: { error?: string; message?: string } & Record<string, unknown> };
      if (!r.ok) throw new Error(`WebDriver ${method} ${path}: ${j.value?.error}: ${j.value?.message}`);
      return j.value as any;
    };
    for (let i = 0; ; i++) {
      try {
        await Promise.race([fetch(`${base}/status`), failed]);
        break;
      } catch (e) {
        if (i > 50) throw e;
        await sleep(100);
      }
    }
    const session = await wd("POST", "/session", {
      capabilities: { alwaysMatch: { "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } } },
    });
    const id: string = session.sessionId;
    return {
      version: String(session.capabilities?.browserVersion ?? "?"),
      goto: async (url) => {
        await wd("POST", `/session/${id}/url`, { url });
      },
      execute: (script, ...args) => wd("POST", `/session/${id}/execute/sync`, { script, args }),
      executeAsync: (script, ...args) => wd("POST", `/session/${id}/execute/async`, { script, args }),
      close: async () => {
        try {
          await wd("DELETE", `/session/${id}`);
        } catch {
          /* the browser is gone already */
        }
        stop();
      },
    };
  } catch (e) {
    stop();
    throw e;
  }
}
