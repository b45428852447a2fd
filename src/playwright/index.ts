// Browsers for Playwright tests of a project built with ocaml-interop-web: the ones the
// toolchain step provisioned (Debian's Chromium here; a browser is never downloaded).
//
//   // playwright.config.ts
//   import { chromium } from "ocaml-interop-web/playwright";
//   export default defineConfig({ use: { ...chromium } });
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

function toolchainSetting(name: string): string | undefined {
  const cache = process.env.OIW_CACHE ?? join(process.env.HOME ?? homedir(), ".cache/ocaml-interop-web");
  try {
    return readFileSync(join(cache, "toolchain.env"), "utf8").match(new RegExp(`^${name}='(.*)'$`, "m"))?.[1];
  } catch {
    return undefined; // not provisioned: fall back to the usual path
  }
}

/** The Chromium to run: OIW_CHROMIUM, else the one the toolchain step found, else /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.OIW_CHROMIUM ?? toolchainSetting("OIW_CHROMIUM") ?? "/usr/bin/chromium";
}

/** The flags a root, offline, headless run needs (no sandbox as root; no background traffic). */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Playwright `use` options for that Chromium. */
export const chromium = {
  browserName: "chromium" as const,
  launchOptions: { executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] },
};

/** Launches that Chromium headless with playwright-core (for scripts outside the test runner). */
export async function launchChromium() {
  const { chromium: pw } = await import("playwright-core");
  return pw.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS], headless: true });
}
