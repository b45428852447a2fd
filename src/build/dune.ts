// Building an app's OCaml executable with dune (wasm_of_ocaml, release profile: one whole
// program), with the OCaml library on OCAMLPATH. dune's errors come back with file and line.
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { duneRoot, type ResolvedApp } from "./config.ts";
import { BuildError, ocamlLocation } from "./errors.ts";
import { run, type Logger } from "./toolchain.ts";

export interface DuneOutput { loaderJs: string; assetsDir: string }

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

export async function duneBuild(app: ResolvedApp, projectRoot: string, ocamlPath: string, log: Logger): Promise<DuneOutput> {
  const root = duneRoot(app.ocamlDir, projectRoot);
  const rel = relative(root, app.ocamlDir);
  const target = `${rel ? `${rel}/` : ""}${app.exe}.bc.wasm.js`;
  log.info(`dune build ${target} (wasm_of_ocaml, release)`);
  const OCAMLPATH = [ocamlPath, process.env.OCAMLPATH].filter(Boolean).join(":");
  const r = await run("ocaml", root, ["dune", "build", "--root", ".", "--profile", "release", `./${target}`], { env: { OCAMLPATH } });
  if (r.code !== 0) {
    const text = strip(r.stderr).trim();
    const loc = ocamlLocation(text, root);
    const first = text.split("\n").find((l) => /^Error/.test(l)) ?? text.split("\n")[0] ?? "";
    throw new BuildError("dune", `dune: ${first.replace(/^Error:\s*/, "")}${loc ? ` (${relative(process.cwd(), loc.file)}:${loc.line})` : ""}`,
      { loc, details: text });
  }
  const out = join(root, "_build/default", target);
  const assetsDir = out.replace(/\.js$/, ".assets");
  if (!existsSync(out) || !existsSync(assetsDir))
    throw new BuildError("dune", `dune built ${target} but ${out} or its .assets directory is missing`);
  return { loaderJs: out, assetsDir };
}
