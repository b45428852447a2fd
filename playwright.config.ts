import { defineConfig } from "@playwright/test";
import { chromium, firefox } from "./src/playwright/index.ts";

// The built site (vite build -> dist-site/) served by `vite preview`, in Debian's Chromium and
// Debian's Firefox ESR: every project runs in both (`<project>-chromium`, `<project>-firefox`;
// OIW_BROWSERS=chromium or =firefox runs one). Each example's tests open its page with
// page.goto("./"), as they would in a project of its own; e2e/ holds the tests of the package
// itself (init, the dev server, several apps, the CSP page, the engine-feature fallbacks),
// e2e/adversarial/ the adversarial suite (its own project), conformance-single-memory-* runs
// the values tests on the single-memory OCaml build, and conformance-direct-* with Rust calling
// OCaml directly. WebKitGTK: playwright.webkit.config.ts.
const PORT = Number(process.env.OIW_E2E_PORT ?? 4174);
const base = `http://127.0.0.1:${PORT}`;
const examples = ["demo", "conformance", "markdown", "wasi"];
const browsers = { chromium, firefox };
const wanted = (process.env.OIW_BROWSERS ?? "chromium,firefox").split(",").map((b) => b.trim()) as (keyof typeof browsers)[];
for (const b of wanted) if (!(b in browsers)) throw new Error(`OIW_BROWSERS: unknown browser ${b} (chromium, firefox)`);

export default defineConfig({
  timeout: 60_000,
  workers: 1,
  reporter: [["list"]],
  projects: wanted.flatMap((b) => [
    ...examples.map((name) => ({
      name: `${name}-${b}`,
      testDir: `examples/${name}/e2e`,
      use: { ...browsers[b], baseURL: `${base}/examples/${name}/` },
    })),
    { name: `package-${b}`, testDir: "e2e", testIgnore: "adversarial/**", use: { ...browsers[b], baseURL: `${base}/` } },
    // the adversarial suite (issue 9): bad inputs, forged handles, faults everywhere, limits, CSP, page scripts
    { name: `adversarial-${b}`, testDir: "e2e/adversarial", use: { ...browsers[b], baseURL: `${base}/` } },
    // the values tests on the OCaml module's single-memory build (what WebKitGTK and Safari before
    // 27.3 load; playwright.webkit.config.ts runs them there), forced here where multi-memory exists
    {
      name: `conformance-single-memory-${b}`,
      testDir: "examples/conformance/e2e",
      testMatch: "values.spec.ts",
      metadata: { page: "./?ocamlBuild=single-memory" },
      use: { ...browsers[b], baseURL: `${base}/examples/conformance/` },
    },
    // the values tests with Rust calling OCaml directly (loadInterop's ocamlCalls: "direct")
    {
      name: `conformance-direct-${b}`,
      testDir: "examples/conformance/e2e",
      testMatch: "values.spec.ts",
      metadata: { page: "./?ocamlCalls=direct" },
      use: { ...browsers[b], baseURL: `${base}/examples/conformance/` },
    },
  ]),
  webServer: {
    command: `node node_modules/vite/bin/vite.js preview --port ${PORT} --strictPort`,
    url: base,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
