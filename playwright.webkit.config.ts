import { defineConfig } from "@playwright/test";

// The tests that run in WebKitGTK 2.50 (Debian's webkit2gtk-driver) too: Playwright cannot drive
// that WebKit, so `page` is a page of it through WebDriver (ocaml-interop-web/playwright with
// OIW_PLAYWRIGHT_WEBKIT=1: src/playwright/webdriver-page.ts). WebKitGTK has no multi-memory: the
// apps load their single-memory OCaml build there. Run by npm test when WebKitWebDriver and
// MiniBrowser are installed (toolchain/provision.sh); OIW_E2E_PORT as in playwright.config.ts.
process.env.OIW_PLAYWRIGHT_WEBKIT = "1";
const PORT = Number(process.env.OIW_E2E_PORT ?? 4174);
const base = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  timeout: 120_000,
  workers: 1,
  reporter: [["list"]],
  projects: [
    {
      name: "demo-webkit",
      testDir: "examples/demo/e2e",
      testMatch: "slice.spec.ts",
      use: { browserName: "webkit", baseURL: `${base}/examples/demo/` },
    },
    {
      name: "conformance-webkit",
      testDir: "examples/conformance/e2e",
      // the specs that need no more of Page than the WebDriver page has (not: hostile, which adds an
      // init script; csp, engine and reload, which open other pages, patch the engine before load
      // or reload the page)
      testMatch: ["values.spec.ts", "ts-values.spec.ts", "unwinding.spec.ts", "worker.spec.ts", "async.spec.ts"],
      use: { browserName: "webkit", baseURL: `${base}/examples/conformance/` },
    },
    // the values tests with Rust calling OCaml directly (loadInterop's ocamlCalls: "direct")
    {
      name: "conformance-direct-webkit",
      testDir: "examples/conformance/e2e",
      testMatch: "values.spec.ts",
      metadata: { page: "./?ocamlCalls=direct" },
      use: { browserName: "webkit", baseURL: `${base}/examples/conformance/` },
    },
  ],
  webServer: {
    command: `node node_modules/vite/bin/vite.js preview --port ${PORT} --strictPort`,
    url: base,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
