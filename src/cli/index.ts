#!/usr/bin/env node
// The command line of ocaml-interop-web: `npx ocaml-interop-web <command>`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { Command } from "commander";
import { BuildError } from "../build/errors.ts";
import { PROVISION, cacheDir } from "../build/paths.ts";
import { toolchainEnv } from "../build/toolchain.ts";
import { InitError, init } from "./init.ts";

const program = new Command("ocaml-interop-web")
  .description("OCaml (wasm_of_ocaml) and Rust (wasm32) calling each other in the browser")
  .showHelpAfterError();

program
  .command("init")
  .description(
    "make a new project that works at once: a Rust crate, a dune project, a page, vite.config.ts with the plugin, a Playwright test",
  )
  .argument("<dir>", "the new project's directory (new or empty)")
  .option("--app <name>", "the app's name (the Rust crate and virtual:ocaml-interop/<name>); default: from <dir>")
  .option("--package-spec <spec>", "how package.json depends on ocaml-interop-web (a version range, or file:<tarball>)")
  .action((dir: string, o: { app?: string; packageSpec?: string }) => {
    const files = init(dir, o);
    const rel = relative(process.cwd(), resolve(dir)) || ".";
    console.log(`Wrote ${files.length} files to ${rel}:\n${files.map((f) => `  ${f}`).join("\n")}\n`);
    console.log(
      `Next:\n  cd ${rel}\n  npm run dev    # sets up what is missing, then serves the page\n  npm test       # builds and runs the Playwright test`,
    );
  });

program
  .command("build")
  .description("build the apps vite.config.ts names (Rust, glue, OCaml), without a dev server or the site")
  .option("-c, --config <file>", "the Vite config file", "vite.config.ts")
  .option("--root <dir>", "the project root", ".")
  .action(async (o: { config: string; root: string }) => {
    const root = resolve(o.root);
    const configFile = resolve(root, o.config);
    if (!existsSync(configFile)) throw new BuildError("config", `${configFile} does not exist; pass the Vite config with --config <file>`);
    const { resolveConfig } = await import("vite");
    const config = await resolveConfig({ root, configFile, logLevel: "info" }, "build");
    const plugin = config.plugins.find((p) => p.name === "ocaml-interop") as unknown as { api?: { buildAll(): Promise<void> } } | undefined;
    if (!plugin?.api)
      throw new BuildError(
        "config",
        `${configFile} does not use the plugin: add ocamlInterop({ apps: ... }) from "ocaml-interop-web/vite" to its plugins`,
      );
    await plugin.api.buildAll();
  });

program
  .command("toolchain")
  .description(
    "find or provision the toolchain (OCaml 5, wasm_of_ocaml, binaryen, Rust for wasm32, wasm-bindgen, Node, Chromium) and print what it found",
  )
  .option("--quiet", "print only what is installed or missing")
  .action((o: { quiet?: boolean }) => {
    const r = spawnSync("bash", [PROVISION], { stdio: o.quiet ? ["ignore", "ignore", "pipe"] : "inherit", encoding: "utf8" });
    if (o.quiet && r.status !== 0) process.stderr.write(r.stderr ?? "");
    if (r.status !== 0) process.exit(r.status ?? 1);
    if (!o.quiet) console.log(`\ncache: ${cacheDir()}`);
  });

program
  .command("env")
  .description("print the settings of the provisioned toolchain (for running tools by hand: toolchain/tc.sh GROUP CMD)")
  .action(() => {
    const env = toolchainEnv();
    if (!Object.keys(env).length) throw new BuildError("toolchain", "no toolchain yet: run `npx ocaml-interop-web toolchain`");
    for (const [k, v] of Object.entries(env)) console.log(`${k}=${v}`);
  });

program.parseAsync().catch((e: unknown) => {
  if (e instanceof BuildError || e instanceof InitError) {
    const loc = e instanceof BuildError && e.loc ? `${e.loc.file}:${e.loc.line}:${e.loc.column}: ` : "";
    console.error(`\x1b[1;31mocaml-interop-web:\x1b[0m ${loc}${e.message}`);
    if (e instanceof BuildError && e.details) console.error(e.details);
  } else {
    console.error(`ocaml-interop-web: ${e instanceof Error ? e.message : String(e)}`);
  }
  process.exit(1);
});
