// Browsers for Playwright tests of a project built with ocaml-interop-web: the ones the
// toolchain step provisioned (Debian's Chromium and Firefox ESR here; a browser is never
// downloaded).
//
//   // playwright.config.ts
//   import { chromium, firefox } from "ocaml-interop-web/playwright";
//   export default defineConfig({ projects: [{ name: "chromium", use: { ...chromium } }, { name: "firefox", use: { ...firefox } }] });
//
// Firefox is a stock build, driven through WebDriver BiDi (Playwright's "moz-firefox" channel,
// not Playwright's patched Juggler build): this needs @playwright/test and playwright-core
// 1.57 to 1.64 (1.65 sends emulation.setMediaFeaturesOverride, which Firefox ESR 153 lacks).
import { toolchainSetting } from "./toolchain.ts";

/** The Chromium to run: OIW_CHROMIUM, else the one the toolchain step found, else /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.OIW_CHROMIUM ?? toolchainSetting("OIW_CHROMIUM") ?? "/usr/bin/chromium";
}

/** The flags a root, offline, headless run needs (no sandbox as root; no background traffic). */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Playwright `use` options for that Chromium. */
export const chromium = {
  browserName: "chromium" as const,
  launchOptions: { executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] },
};

/** The Firefox to run: OIW_FIREFOX, else the one the toolchain step found, else /usr/bin/firefox-esr. */
export function firefoxPath(): string {
  return process.env.OIW_FIREFOX ?? toolchainSetting("OIW_FIREFOX") ?? "/usr/bin/firefox-esr";
}

/** Preferences of the temporary Firefox profile (on top of Playwright's, which already keep
 *  a test profile off the network): no telemetry upload, no captive-portal or update checks. */
export const FIREFOX_PREFS: Readonly<Record<string, string | number | boolean>> = {
  "datareporting.policy.dataSubmissionEnabled": false,
  "toolkit.telemetry.unified": false,
  "network.captive-portal-service.enabled": false,
  "network.connectivity-service.enabled": false,
  "app.update.auto": false,
};

/** Playwright `use` options for that Firefox (WebDriver BiDi). */
export const firefox = {
  browserName: "firefox" as const,
  channel: "moz-firefox",
  launchOptions: { executablePath: firefoxPath(), firefoxUserPrefs: { ...FIREFOX_PREFS } },
};

/** Launches that Firefox headless with playwright-core (for scripts outside the test runner). */
export async function launchFirefox() {
  const { firefox: pw } = await import("playwright-core");
  return pw.launch({ channel: "moz-firefox", executablePath: firefoxPath(), firefoxUserPrefs: { ...FIREFOX_PREFS }, headless: true });
}

/** Launches that Chromium headless with playwright-core (for scripts outside the test runner). */
export async function launchChromium() {
  const { chromium: pw } = await import("playwright-core");
  return pw.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS], headless: true });
}

export { collectGarbage } from "./gc.ts";
export { startWebKit, webkitAvailable, type WebKitSession } from "./webkit.ts";
export { WebDriverPage, webDriverPage } from "./webdriver-page.ts";
export { expect, test } from "./fixtures.ts";
