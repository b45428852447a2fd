import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumPath } from "./src/playwright/index.ts";

// The built site (vite build -> dist-site/) served by `vite preview`, in Debian's Chromium.
// Each example's tests open its page with page.goto("./"), as they would in a project of its
// own; e2e/ holds the tests of the package itself (init, the dev server, several apps).
const PORT = Number(process.env.OIW_E2E_PORT ?? 4174);
const base = `http://127.0.0.1:${PORT}`;
const examples = ["demo", "conformance", "markdown"];

export default defineConfig({
  timeout: 60_000,
  workers: 1,
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    launchOptions: { executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] },
  },
  projects: [
    ...examples.map((name) => ({ name, testDir: `examples/${name}/e2e`, use: { baseURL: `${base}/examples/${name}/` } })),
    { name: "package", testDir: "e2e", use: { baseURL: `${base}/` } },
  ],
  webServer: {
    command: `node node_modules/vite/bin/vite.js preview --port ${PORT} --strictPort`,
    url: base,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
