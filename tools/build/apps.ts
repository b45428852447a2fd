// The applications the build produces: each pairs a Rust cdylib crate with an OCaml
// executable, and is served from public/generated/<name>/.
export interface App {
  name: string;
  /** cargo package (in rust/) */
  rustPackage: string;
  /** dune directory (in ocaml/) holding the executable */
  ocamlDir: string;
  /** dune executable name */
  ocamlExe: string;
}

export const APPS: App[] = [
  { name: "demo", rustPackage: "demo", ocamlDir: "examples/demo", ocamlExe: "demo" },
  { name: "bench", rustPackage: "bench", ocamlDir: "bench", ocamlExe: "bench" },
  { name: "conformance", rustPackage: "conformance", ocamlDir: "conformance", ocamlExe: "conformance" },
];
