// The Vite plugin: builds a project's apps (Rust crate + OCaml executable each) and provides
// them as modules, `import app from "virtual:ocaml-interop/<name>"`.
//
//   import { defineConfig } from "vite";
//   import { ocamlInterop } from "ocaml-interop-web/vite";
//   export default defineConfig({
//     plugins: [ocamlInterop({ apps: { main: { rust: "rust", ocaml: "ocaml" } } })],
//   });
//
// `vite` builds every app at start, watches their sources, rebuilds what changed (only the
// OCaml side when only OCaml changed) and reloads the page; a build error shows in the overlay
// and the terminal, and the next good save recovers. `vite build` emits the modules with the
// site (hashed assets, any `base`).
import { existsSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Plugin, ResolvedConfig, ViteDevServer } from "vite";
import { ProjectBuilder, type Scope } from "../build/build.ts";
import { resolveProject, type OCamlInteropOptions, type ResolvedApp, type ResolvedProject } from "../build/config.ts";
import { BuildError } from "../build/errors.ts";
import type { Logger } from "../build/toolchain.ts";

export type { AppOptions, OCamlInteropOptions } from "../build/config.ts";

const VIRTUAL = "virtual:ocaml-interop/";
const PLUGIN = "ocaml-interop";

/** A code frame of `file` around `line` (the overlay shows frames of this form). */
export function codeFrame(file: string, line: number, column: number): string | undefined {
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, "utf8").split("\n");
  if (line < 1 || line > lines.length) return undefined;
  const from = Math.max(1, line - 2),
    to = Math.min(lines.length, line + 1);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    out.push(`${n === line ? ">" : " "} ${String(n).padStart(width)} | ${lines[n - 1]}`);
    if (n === line) out.push(`  ${" ".repeat(width)} | ${" ".repeat(Math.max(0, column - 1))}^`);
  }
  return out.join("\n");
}

/** What a change to `file` means for the apps: which app to rebuild, and how much. */
export function classifyChange(
  apps: ResolvedApp[],
  file: string,
  extraRust: Map<string, Set<string>>,
): { app: ResolvedApp; scope: Scope }[] {
  const inside = (dir: string) => file === dir || file.startsWith(dir + sep);
  if (/[\\/](_build|generated|target|node_modules)[\\/]/.test(file)) return [];
  const out: { app: ResolvedApp; scope: Scope }[] = [];
  for (const app of apps) {
    const rustFile = /\.rs$|[\\/](Cargo\.toml|Cargo\.lock|build\.rs)$/.test(file);
    const ocamlFile = /\.mli?$|[\\/](dune|dune-project|dune-workspace)$/.test(file);
    if ((rustFile && inside(app.rustDir)) || extraRust.get(app.name)?.has(file)) out.push({ app, scope: "all" });
    else if (ocamlFile && inside(app.ocamlDir)) out.push({ app, scope: "ocaml" });
  }
  return out;
}

/** Every file cargo says the app's wasm depends on, outside cargo's registry. */
function depInfo(project: ResolvedProject, app: ResolvedApp): Set<string> {
  const out = new Set<string>();
  let text: string;
  const lib = readCrateLib(app);
  if (!lib) return out;
  try {
    text = readFileSync(join(project.cargoTargetDir, "wasm32-unknown-unknown/release", `${lib}.d`), "utf8");
  } catch {
    return out;
  }
  const deps = text.slice(text.indexOf(":") + 1).replace(/\\\n/g, " ");
  for (const m of deps.matchAll(/((?:\\ |\S)+)/g)) {
    const f = m[1].replace(/\\ /g, " ");
    if (!/[\\/](\.cargo|cargo-home)[\\/]registry[\\/]/.test(f) && !f.includes(`${sep}rustlib${sep}`)) out.add(f);
  }
  return out;
}

function readCrateLib(app: ResolvedApp): string | undefined {
  const toml = readFileSync(app.manifest, "utf8");
  const lib = toml.match(/\[lib\][^[]*?\bname\s*=\s*"([^"]+)"/)?.[1];
  const pkg = toml.match(/\[package\][^[]*?\bname\s*=\s*"([^"]+)"/)?.[1];
  return (lib ?? pkg)?.replace(/-/g, "_");
}

function viteLogger(config: ResolvedConfig): Logger {
  const tag = "\x1b[1m[ocaml-interop]\x1b[0m";
  return {
    info: (m) => config.logger.info(`${tag} ${m}`, { timestamp: true }),
    warn: (m) => config.logger.warn(`${tag} ${m}`, { timestamp: true }),
    error: (m) => config.logger.error(`${tag} ${m}`, { timestamp: true }),
  };
}

/** The error as Vite's overlay and terminal show it. */
function overlayError(e: unknown): {
  message: string;
  stack: string;
  id?: string;
  frame?: string;
  plugin: string;
  loc?: { file: string; line: number; column: number };
} {
  if (e instanceof BuildError) {
    const frame = e.loc ? codeFrame(e.loc.file, e.loc.line, e.loc.column) : undefined;
    const details = e.details ? `\n\n${e.details.replace(/\x1b\[[0-9;]*m/g, "").trim()}` : "";
    return { message: `${e.message}${details}`, stack: "", id: e.loc?.file, frame, plugin: PLUGIN, loc: e.loc };
  }
  const err = e as Error;
  return { message: `ocaml-interop: ${err?.message ?? String(e)}`, stack: err?.stack ?? "", plugin: PLUGIN };
}

/** What the CLI's `build` command asks of the plugin found in a project's Vite config. */
export interface OCamlInteropApi {
  /** Builds every app the options name (no dev server). */
  buildAll(): Promise<void>;
  /** The resolved project (apps and paths); throws the configuration error, if any. */
  project(): ResolvedProject;
}

export function ocamlInterop(options: OCamlInteropOptions): Plugin & { api: OCamlInteropApi } {
  let config: ResolvedConfig;
  let project: ResolvedProject | undefined;
  let builder: ProjectBuilder | undefined;
  let configError: unknown;
  let log: Logger;
  /** the last build error of each app (the app module fails to load with it) */
  const failed = new Map<string, unknown>();
  let initial: Promise<void> | undefined;

  const buildAll = async () => {
    for (const app of project!.apps) {
      try {
        await builder!.build(app, "all");
        failed.delete(app.name);
      } catch (e) {
        failed.set(app.name, e);
        throw e;
      }
    }
  };

  const resolveAppModule = (ctx: { error(e: unknown): never }, id: string): string | null => {
    if (!id.startsWith(VIRTUAL)) return null;
    if (configError) ctx.error(overlayError(configError));
    const name = id.slice(VIRTUAL.length);
    const app = project!.apps.find((a) => a.name === name);
    if (!app) ctx.error(`${id}: no app named "${name}" (vite.config.ts names ${project!.apps.map((a) => `"${a.name}"`).join(", ")})`);
    return join(app.outDir, "index.js");
  };

  const awaitAppModule = async (ctx: { error(e: unknown): never }, id: string): Promise<null> => {
    if (!project || !id.startsWith(project.outDir + sep)) return null;
    // in dev, a module of the build's output waits for the build in progress
    if (initial) await initial.catch(() => undefined);
    const name = relative(project.outDir, id).split(sep)[0];
    if (failed.has(name)) ctx.error(overlayError(failed.get(name)));
    return null;
  };

  const workerPlugin: Plugin = {
    name: `${PLUGIN}:worker`,
    enforce: "pre",
    resolveId(id) {
      return resolveAppModule(this, id);
    },
    load(id) {
      return awaitAppModule(this, id);
    },
  };

  return {
    name: PLUGIN,
    enforce: "pre",
    api: {
      buildAll: async () => {
        if (configError) throw configError;
        if (!project) throw new BuildError("config", "ocamlInterop(): the Vite config was not resolved");
        await buildAll();
      },
      project: () => {
        if (configError) throw configError;
        return project!;
      },
    },

    config(user) {
      const outDir = options?.outDir ?? ".ocaml-interop";
      const userWorkerPlugins = user.worker?.plugins;
      return {
        server: {
          watch: {
            // the build's own outputs: the plugin reloads the page once a build is complete
            ignored: [`**/${outDir.replace(/^\.\//, "")}/**`, "**/_build/**", "**/generated/rust_glue.*", "**/generated/rust.ml"],
          },
        },
        // the apps' build is the plugin's buildStart: rolldown need not report its duration
        build: { rolldownOptions: { checks: { pluginTimings: false } } },
        // Web Workers are bundled with plugins of their own: they resolve the app modules too
        worker: { plugins: () => [...(userWorkerPlugins?.() ?? []), workerPlugin] },
      };
    },

    configResolved(c) {
      config = c;
      log = viteLogger(c);
      try {
        project = resolveProject(c.root, options, c.command === "build");
        builder = new ProjectBuilder(project, log);
      } catch (e) {
        configError = e;
      }
    },

    async buildStart() {
      if (configError) this.error(overlayError(configError));
      if (config.command !== "build") return;
      try {
        await buildAll();
      } catch (e) {
        this.error(overlayError(e));
      }
    },

    resolveId(id) {
      return resolveAppModule(this, id);
    },

    load(id) {
      return awaitAppModule(this, id);
    },

    configureServer(server: ViteDevServer) {
      if (!project || !builder) {
        server.httpServer?.once("listening", () => server.ws.send({ type: "error", err: overlayError(configError) }));
        log.error(overlayError(configError).message);
        return;
      }
      const p = project,
        b = builder;
      const extraRust = new Map<string, Set<string>>();
      const watchDeps = () => {
        for (const app of p.apps) {
          const deps = depInfo(p, app);
          extraRust.set(app.name, deps);
          server.watcher.add([...deps]);
        }
      };
      const reportError = (e: unknown) => {
        const err = overlayError(e);
        log.error(err.loc ? `${err.loc.file}:${err.loc.line}:${err.loc.column}\n${err.message}` : err.message);
        server.ws.send({ type: "error", err });
      };
      const invalidate = () => {
        for (const env of Object.values(server.environments)) {
          const graph = env.moduleGraph;
          for (const mod of graph.idToModuleMap.values()) if (mod.file?.startsWith(p.outDir + sep)) graph.invalidateModule(mod);
        }
      };
      initial = buildAll().then(() => {
        watchDeps();
        invalidate();
        server.ws.send({ type: "full-reload" });
      }, reportError);
      for (const app of p.apps) server.watcher.add([app.rustDir, app.ocamlDir]);

      const pending = new Map<string, Scope>();
      let timer: ReturnType<typeof setTimeout> | undefined;
      let running: Promise<void> = initial;
      const flush = () => {
        const work = [...pending];
        pending.clear();
        running = running.then(async () => {
          try {
            for (const [name, scope] of work) {
              const app = p.apps.find((a) => a.name === name)!;
              try {
                await b.build(app, scope);
                failed.delete(name);
              } catch (e) {
                failed.set(name, e);
                throw e;
              }
            }
            watchDeps();
            invalidate();
            server.ws.send({ type: "full-reload" });
          } catch (e) {
            reportError(e);
          }
        });
      };
      const onChange = (file: string) => {
        const hits = classifyChange(p.apps, file, extraRust);
        if (!hits.length) return;
        for (const { app, scope } of hits)
          pending.set(app.name, pending.get(app.name) === "all" || scope === "all" || failed.has(app.name) ? "all" : scope);
        log.info(`${relative(p.root, file)} changed: rebuilding ${hits.map((h) => h.app.name).join(", ")}`);
        clearTimeout(timer);
        timer = setTimeout(flush, 80);
      };
      server.watcher.on("change", onChange);
      server.watcher.on("add", onChange);
      server.watcher.on("unlink", onChange);
    },
  };
}

export default ocamlInterop;
