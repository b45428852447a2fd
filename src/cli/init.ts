// `ocaml-interop-web init <dir>`: writes a new project (see templates.ts). It refuses a
// directory that is not empty: nothing the user wrote is overwritten.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { PACKAGE_ROOT } from "../build/paths.ts";
import { templates } from "./templates.ts";

export interface InitOptions {
  /** the app's name (default: from the directory's name) */
  app?: string;
  /** how package.json depends on ocaml-interop-web (default: ^<this version>) */
  packageSpec?: string;
}

export class InitError extends Error {}

function ownPackage(): { version: string; devDependencies: Record<string, string> } {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8"));
}

/** A name npm and cargo accept, from a directory's name. */
export function projectName(dir: string): string {
  const n = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+$/, "");
  return n || "app";
}

export function init(dir: string, opts: InitOptions = {}): string[] {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new InitError(`${target} exists and is not a directory; name a new directory`);
    const entries = readdirSync(target).filter((e) => e !== ".git");
    if (entries.length)
      throw new InitError(
        `${target} is not empty (it has ${entries.slice(0, 3).join(", ")}${entries.length > 3 ? ", ..." : ""}); ` +
          `init writes a whole project and overwrites nothing: name a new or empty directory`,
      );
  }
  const project = projectName(target);
  const app = opts.app ?? project.replace(/-/g, "_");
  if (!/^[a-z][a-z0-9_]*$/.test(app))
    throw new InitError(
      `--app ${app}: the app's name must be lower-case letters, digits and _, starting with a letter (it names the Rust crate and the module virtual:ocaml-interop/<app>)`,
    );
  const own = ownPackage();
  const pick = (n: string) => own.devDependencies[n];
  const files = templates({
    project,
    app,
    packageSpec: opts.packageSpec ?? `^${own.version}`,
    devDependencies: { "@playwright/test": pick("@playwright/test"), typescript: pick("typescript"), vite: pick("vite") },
  });
  for (const [rel, content] of Object.entries(files)) {
    const p = join(target, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return Object.keys(files);
}
