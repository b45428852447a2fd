// The OCaml library's runtime files (ocaml/ocaml-interop-web/*.wat) link by name: what one
// imports from "env" another exports. Checked here on the sources, for every importer (the other
// runtime files, the generated glue's template, the OCaml tests' primitives), so that a name
// cut from one file and not exported, an export nothing uses, or a GC type declared differently
// in two files (GC types are structural: the same declaration is the same type) fails here
// rather than in wasm-merge or at run time.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const LIB = join(ROOT, "ocaml/ocaml-interop-web");
const RUNTIME = readdirSync(LIB)
  .filter((f) => f.endsWith(".wat"))
  .map((f) => ({ f, src: readFileSync(join(LIB, f), "utf8") }));
const GLUE_GENERATOR = readFileSync(join(ROOT, "src/build/glue/wat.ts"), "utf8");
const TEST_PRIMS = readFileSync(join(ROOT, "ocaml/test/test_prims.wat"), "utf8");
const LIBRARY_ML = readFileSync(join(LIB, "ocaml_interop_web.ml"), "utf8");

const envImports = (src: string) => [...src.matchAll(/\(import "env" "(oiw_\w+)"/g)].map((m) => m[1]);
const exportsOf = (src: string) => [...src.matchAll(/\(export "(\w+)"/g)].map((m) => m[1]);

describe("the OCaml runtime files", () => {
  it("are all listed in the library's dune file", () => {
    const dune = readFileSync(join(LIB, "dune"), "utf8");
    const listed = /\(wasm_files([^)]*)\)/.exec(dune)?.[1].trim().split(/\s+/) ?? [];
    expect([...listed].sort()).toEqual(RUNTIME.map(({ f }) => f).sort());
  });

  it("export, once, every oiw_ name imported from env (the glue's and the tests' included)", () => {
    const exporters = new Map<string, string[]>();
    for (const { f, src } of RUNTIME) for (const e of exportsOf(src)) exporters.set(e, [...(exporters.get(e) ?? []), f]);
    const importers: [string, string][] = [
      ...RUNTIME.flatMap(({ f, src }) => envImports(src).map((n): [string, string] => [f, n])),
      ...envImports(GLUE_GENERATOR).map((n): [string, string] => ["src/build/glue/wat.ts", n]),
      ...envImports(TEST_PRIMS).map((n): [string, string] => ["ocaml/test/test_prims.wat", n]),
    ];
    expect(envImports(GLUE_GENERATOR).length).toBeGreaterThan(10);
    const unresolved = importers.filter(([, n]) => exporters.get(n)?.length !== 1).map(([f, n]) => `${f}: ${n}`);
    expect(unresolved).toEqual([]);
  });

  it("export nothing that no runtime file, glue, test or OCaml external uses", () => {
    const used = new Set([
      ...RUNTIME.flatMap(({ src }) => envImports(src)),
      ...envImports(GLUE_GENERATOR),
      ...envImports(TEST_PRIMS),
      ...[...LIBRARY_ML.matchAll(/^external \w+ : [^=]+= "(\w+)"/gm)].map((m) => m[1]),
      // the model's own primitives, which programs written for ocaml-interop declare
      "ocaml_interop_setup",
      "ocaml_interop_teardown",
    ]);
    const unused = RUNTIME.flatMap(({ f, src }) =>
      exportsOf(src)
        .filter((e) => !used.has(e))
        .map((e) => `${f}: ${e}`),
    );
    expect(unused).toEqual([]);
  });

  it("declare each GC type the same way in every file", () => {
    const decls = new Map<string, Set<string>>();
    for (const { src } of RUNTIME)
      for (const m of src.matchAll(/^ *\(type (\$\w+)/gm)) {
        // the declaration (a line's first field, not a `(type $t)` use): up to its closing parenthesis
        const start = m.index + m[0].indexOf("(");
        let depth = 0,
          end = start;
        do depth += src[end] === "(" ? 1 : src[end] === ")" ? -1 : 0;
        while (depth > 0 && ++end < src.length);
        decls.set(m[1], (decls.get(m[1]) ?? new Set()).add(src.slice(start, end + 1).replace(/\s+/g, " ")));
      }
    expect(decls.size).toBeGreaterThan(5);
    expect([...decls].filter(([, d]) => d.size > 1).map(([t, d]) => `${t}: ${[...d].join(" | ")}`)).toEqual([]);
  });
});
