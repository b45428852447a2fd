// Where the package's own files are, whether this code runs from src/ (this repository) or
// from dist/ (the installed npm package): both sit two levels below the package root.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { homedir } from "node:os";

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const TOOLCHAIN_DIR = join(PACKAGE_ROOT, "toolchain");
export const TC = join(TOOLCHAIN_DIR, "tc.sh");
export const PROVISION = join(TOOLCHAIN_DIR, "provision.sh");
/** The runtime crate (`ocaml-interop-web`, used as `ocaml_interop`). */
export const RUNTIME_CRATE = join(PACKAGE_ROOT, "rust/ocaml-interop-web");
/** The OCaml library's dune project (the library and its opam file). */
export const OCAML_LIB_PROJECT = join(PACKAGE_ROOT, "ocaml");

/** The cache shared by every project on this machine (toolchain, OCaml library, cargo). */
export function cacheDir(): string {
  return process.env.OIW_CACHE ?? join(process.env.HOME ?? homedir(), ".cache/ocaml-interop-web");
}
