// The OCaml library (ocaml/ocaml-interop-web), installed where an app's dune finds it.
//
// A user's dune project is not this package's: dune finds the library through OCAMLPATH, as
// an installed findlib package. The library's sources (shipped in the npm package) are copied
// to the cache, built once with `dune build -p`, and installed with `dune install --prefix`
// under a directory named after their content, so a changed library is a new install and two
// versions never mix. dune installs the runtime files (the .wat files and the .js) with it, and
// an executable that lists the library links them.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BuildError } from "./errors.ts";
import { importsRustMemory, singleMemoryWat } from "./single-memory.ts";
import { OCAML_LIB_PROJECT, cacheDir } from "./paths.ts";
import { run, type Logger } from "./toolchain.ts";

const LIB = "ocaml-interop-web";

function libraryFiles(): string[] {
  const files = ["dune-project", join(LIB, "dune")];
  for (const f of readdirSync(join(OCAML_LIB_PROJECT, LIB)).sort()) if (/\.(ml|mli|wat|js)$/.test(f)) files.push(join(LIB, f));
  return files;
}

/** Which memories the library's runtime files use: Rust's memory imported next to
 *  wasm_of_ocaml's own ("multi-memory", the default), or reached through a helper module's
 *  functions ("single-memory", for engines without multi-memory: single-memory.ts). */
export type OCamlVariant = "multi-memory" | "single-memory";

/** The OCAMLPATH entry holding the installed library (installs it first if needed). */
export async function ensureOCamlLibrary(log: Logger, variant: OCamlVariant = "multi-memory"): Promise<string> {
  // what is installed: in the single-memory variant, the runtime files that import Rust's memory
  // rewritten (the key covers them, so a changed rewrite is a new install too)
  const content = new Map<string, Buffer | string>();
  for (const f of libraryFiles()) {
    const bytes = readFileSync(join(OCAML_LIB_PROJECT, f));
    const wat = variant === "single-memory" && f.endsWith(".wat") ? bytes.toString("utf8") : undefined;
    content.set(f, wat !== undefined && importsRustMemory(wat) ? singleMemoryWat(wat, f) : bytes);
  }
  const h = createHash("sha256").update(variant).update("\0");
  for (const [f, c] of content) h.update(f).update("\0").update(c).update("\0");
  const key = `${h.digest("hex").slice(0, 16)}${variant === "single-memory" ? "-single-memory" : ""}`;
  const prefix = join(cacheDir(), "ocaml-lib", key);
  const lib = join(prefix, "lib");
  if (existsSync(join(lib, LIB, "META"))) return lib;
  log.info(`installing the OCaml library ${LIB} (${variant}) into ${prefix}`);
  const tmp = `${prefix}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const src = join(tmp, "src");
  mkdirSync(join(src, LIB), { recursive: true });
  for (const [f, c] of content) writeFileSync(join(src, f), c);
  const build = await run("ocaml", src, ["dune", "build", "-p", LIB, "@install"]);
  if (build.code !== 0)
    throw new BuildError("dune", `building the OCaml library ${LIB} failed:\n${build.stderr.trim()}`, { details: build.stderr });
  const inst = await run("ocaml", src, ["dune", "install", "--root", ".", "--prefix", tmp, LIB]);
  if (inst.code !== 0)
    throw new BuildError("dune", `installing the OCaml library ${LIB} failed:\n${inst.stderr.trim()}`, { details: inst.stderr });
  // another process may have installed it meanwhile: either copy is as good
  if (!existsSync(join(lib, LIB, "META"))) {
    rmSync(prefix, { recursive: true, force: true });
    mkdirSync(join(cacheDir(), "ocaml-lib"), { recursive: true });
    renameSync(tmp, prefix);
  } else rmSync(tmp, { recursive: true, force: true });
  return lib;
}
