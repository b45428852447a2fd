// Building an app's OCaml executable with dune (wasm_of_ocaml, release profile: one whole
// program), with the OCaml library on OCAMLPATH. dune's errors come back with file and line.
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { duneRoot, type ResolvedApp } from "./config.ts";
import { BuildError, ocamlLocation } from "./errors.ts";
import { run, type Logger } from "./toolchain.ts";

export interface DuneOutput {
  loaderJs: string;
  assetsDir: string;
}

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

/** Builds the app's executable; `buildDir` (absolute, or relative to the dune root) keeps a
 *  second variant's build (the single-memory one) apart from the first, so neither rebuilds
 *  the other's files. */
export async function duneBuild(
  app: ResolvedApp,
  projectRoot: string,
  ocamlPath: string,
  log: Logger,
  buildDir = "_build",
): Promise<DuneOutput> {
  const root = duneRoot(app.ocamlDir, projectRoot);
  const rel = relative(root, app.ocamlDir);
  const target = `${rel ? `${rel}/` : ""}${app.exe}.bc.wasm.js`;
  log.info(`dune build ${target} (wasm_of_ocaml, release${buildDir === "_build" ? "" : `, in ${buildDir}`})`);
  const OCAMLPATH = [ocamlPath, process.env.OCAMLPATH].filter(Boolean).join(":");
  const r = await run("ocaml", root, ["dune", "build", "--root", ".", "--build-dir", buildDir, "--profile", "release", `./${target}`], {
    env: { OCAMLPATH },
  });
  if (r.code !== 0) {
    const text = strip(r.stderr).trim();
    const loc = ocamlLocation(text, root);
    const first = text.split("\n").find((l) => /^Error/.test(l)) ?? text.split("\n")[0] ?? "";
    throw new BuildError(
      "dune",
      `dune: ${first.replace(/^Error:\s*/, "")}${loc ? ` (${relative(process.cwd(), loc.file)}:${loc.line})` : ""}`,
      { loc, details: text },
    );
  }
  const out = join(resolve(root, buildDir), "default", target);
  const assetsDir = out.replace(/\.js$/, ".assets");
  if (!existsSync(out) || !existsSync(assetsDir))
    throw new BuildError("dune", `dune built ${target} but ${out} or its .assets directory is missing`);
  return { loaderJs: out, assetsDir };
}
