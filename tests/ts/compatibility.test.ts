// Keeps docs/compatibility.md true where a test can: every item it marks "same" exists in the
// crates' sources, every file it cites exists, every macro and public item of the model's 0.12
// crate is listed, and every status is one of the four.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const page = readFileSync(join(ROOT, "docs/compatibility.md"), "utf8");

function sources(dir: string): string {
  let out = "";
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out += sources(p);
    else if (e.name.endsWith(".rs")) out += readFileSync(p, "utf8") + "\n";
  }
  return out;
}
const runtime = sources(join(ROOT, "rust/ocaml-interop-web/src"));
const macros = sources(join(ROOT, "rust/ocaml-interop-web-macros/src"));
const cargoToml = readFileSync(join(ROOT, "rust/ocaml-interop-web/Cargo.toml"), "utf8");
const ocamlLib = join(ROOT, "ocaml/ocaml-interop-web");
const ocamlRuntime = readdirSync(ocamlLib)
  .filter((f) => f.endsWith(".wat"))
  .map((f) => readFileSync(join(ocamlLib, f), "utf8"))
  .join("\n");

/** The rows of the page's tables: [item cell, status, notes, tested]. */
const rows = page
  .split("\n")
  .filter((l) => l.startsWith("| ") && !l.startsWith("| item") && !l.startsWith("|---"))
  .map((l) => l.slice(2, -2).split(" | "));

/** The code names of a cell: `Name`, `Type::method`, `macro!`. */
const names = (cell: string) =>
  [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((n) => /^[A-Za-z_][\w]*(::[A-Za-z_]\w*)?!?$/.test(n));

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether the crates define `name`. */
function defined(name: string): boolean {
  if (name.endsWith("!")) {
    const m = name.slice(0, -1);
    return (
      new RegExp(`macro_rules!\\s+${esc(m)}\\b`).test(runtime) || new RegExp(`#\\[proc_macro[^\\]]*\\]\\s*pub fn ${esc(m)}\\b`).test(macros)
    );
  }
  // a Cargo feature, or a primitive of the OCaml runtime files
  if (new RegExp(`^${esc(name)} = \\[`, "m").test(cargoToml.slice(cargoToml.indexOf("[features]")))) return true;
  if (ocamlRuntime.includes(`(export "${name}")`)) return true;
  const [ty, method] = name.split("::");
  const item = new RegExp(
    `pub\\s+(?:unsafe\\s+)?(?:struct|enum|trait|type|fn|mod)\\s+${esc(ty)}\\b|pub use [^;]*\\b${esc(ty)}\\b|proc_macro(?:_attribute|_derive\\(${esc(ty)}\\b)`,
  );
  const known =
    item.test(runtime) ||
    new RegExp(`proc_macro_derive\\(${esc(ty)}\\b|pub fn ${esc(ty)}\\b`).test(macros) ||
    new RegExp(`\\bimpl\\b[^{]*\\b${esc(ty)}\\b`).test(runtime);
  // a method or function: defined by a `fn` of that name (trait methods are not `pub fn`)
  // (the tuple accessors are made by the `tuple!` macro of conv/tuples.rs)
  if (!method && /^[a-z_]/.test(ty))
    return known || new RegExp(`\\bfn\\s+${esc(ty)}\\b`).test(runtime) || new RegExp(`^tuple!\\(.*\\b${esc(ty)}\\b`, "m").test(runtime);
  if (!method) return known;
  return known && new RegExp(`\\bfn\\s+${esc(method)}\\b`).test(runtime + macros);
}

describe("docs/compatibility.md", () => {
  it("gives every item a status", () => {
    expect(rows.length).toBeGreaterThan(60);
    for (const r of rows) expect(["same", "different", "missing", "extra"], r.join(" | ")).toContain(r[1]);
  });

  it("marks as same only what the crates define", () => {
    const checked: string[] = [];
    for (const r of rows.filter((r) => r[1] === "same")) {
      for (const n of names(r[0])) {
        expect(defined(n), `"${n}" is marked same but the crates do not define it`).toBe(true);
        checked.push(n);
      }
    }
    expect(checked.length).toBeGreaterThan(40);
    // and what it calls missing is indeed missing
    for (const r of rows.filter((r) => r[1] === "missing")) {
      for (const n of names(r[0]).filter((n) =>
        /^OCamlFn\d|OCamlParam|RefOrRooted|custom_ptr_val|of_exception_result/.test(n.split("::").pop()!),
      ))
        expect(defined(n), `"${n}" is marked missing but the crates define it`).toBe(false);
    }
  });

  it("cites only files that exist", () => {
    const files = [...page.matchAll(/`((?:rust|examples|tests|ocaml|src|docs)\/[\w./-]+\.(?:rs|ml|ts|wat|md|toml))`/g)].map((m) => m[1]);
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) expect(existsSync(join(ROOT, f)), f).toBe(true);
  });

  it("lists every macro and public item of the model's 0.12 crate", () => {
    // ocaml-interop 0.12.0: src/macros.rs (#[macro_export]) and src/lib.rs (pub use)
    const model = [
      "ocaml!",
      "impl_conv_ocaml_record!",
      "impl_to_ocaml_record!",
      "impl_from_ocaml_record!",
      "impl_conv_ocaml_variant!",
      "impl_to_ocaml_variant!",
      "impl_from_ocaml_variant!",
      "impl_to_ocaml_polymorphic_variant!",
      "impl_from_ocaml_polymorphic_variant!",
      "ocaml_unpack_record!",
      "ocaml_alloc_record!",
      "ocaml_unpack_variant!",
      "ocaml_alloc_variant!",
      "ocaml_unpack_polymorphic_variant!",
      "ocaml_alloc_polymorphic_variant!",
      "ocaml_alloc_tagged_block!",
      "BoxRoot",
      "OCamlFn1",
      "FromOCaml",
      "ToOCaml",
      "cons",
      "OCamlRef",
      "alloc_error",
      "alloc_ok",
      "bigarray",
      "DynBox",
      "OCamlBytes",
      "OCamlException",
      "OCamlFloat",
      "OCamlFloatArray",
      "OCamlInt",
      "OCamlInt32",
      "OCamlInt64",
      "OCamlList",
      "OCamlUniformArray",
      "RawOCaml",
      "OCamlRuntime",
      "OCamlRuntimeStartupGuard",
      "OCaml",
      "export",
      "OCamlFixnumConversionError",
      "ocaml_interop_setup",
      "ocaml_interop_teardown",
      // main
      "OCamlParam",
      "RefOrRooted",
      "OCamlDescriber",
      "DefaultOCamlMapping",
      "DefaultRustMapping",
    ];
    const listed = new Set(rows.flatMap((r) => names(r[0])));
    for (const m of model) expect(listed.has(m), `${m} is not on the page`).toBe(true);
  });
});
