// The plugin's configuration checks: each mistake is a BuildError naming the option or the
// file and saying what to write (the plugin shows it in the terminal and in Vite's overlay).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inspectCrate } from "../../src/build/cargo.ts";
import { DUNE_STANZA, duneExecutables, duneRoot, resolveExecutable, resolveProject } from "../../src/build/config.ts";
import { BuildError } from "../../src/build/errors.ts";
import { classifyChange, codeFrame } from "../../src/vite/index.ts";
import { init, InitError } from "../../src/cli/init.ts";

const root = mkdtempSync(join(tmpdir(), "oiw-config-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, content: string) {
  const p = join(root, rel);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, content);
}

write("rust/Cargo.toml", '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n[lib]\ncrate-type = ["cdylib"]\n');
write("rust/src/lib.rs", "");
write("ocaml/dune-project", "(lang dune 3.17)\n");
write("ocaml/dune", DUNE_STANZA("main"));
write("ocaml/main.ml", "");

const error = (f: () => unknown): BuildError => {
  try {
    f();
  } catch (e) {
    if (e instanceof BuildError) return e;
    throw e;
  }
  throw new Error("no error");
};

describe("the plugin's options", () => {
  it("resolve an app's paths", () => {
    const p = resolveProject(root, { apps: { main: { rust: "rust", ocaml: "ocaml" } } });
    expect(p.apps[0]).toMatchObject({
      name: "main",
      rustDir: join(root, "rust"),
      manifest: join(root, "rust/Cargo.toml"),
      ocamlDir: join(root, "ocaml"),
      generatedDir: join(root, "ocaml/generated"),
      outDir: join(root, ".ocaml-interop/main"),
    });
    expect(resolveExecutable(p.apps[0])).toBe("main");
  });

  it("reject a missing options object, no apps, an unknown option, a bad name", () => {
    expect(error(() => resolveProject(root, undefined as never)).message).toMatch(
      /expected \{ apps: \{ <name>: \{ rust: "<crate dir>", ocaml: "<dune dir>" \} \} \}/,
    );
    expect(error(() => resolveProject(root, { apps: {} })).message).toMatch(/apps is empty; add one/);
    expect(error(() => resolveProject(root, { apps: { main: { rust: "rust", ocaml: "ocaml", crate: "x" } as never } })).message).toBe(
      "ocamlInterop(): apps.main.crate is not an option (the options are rust, ocaml, exe, rustPanic, singleMemory and rustTarget)",
    );
    expect(error(() => resolveProject(root, { apps: { "My App": { rust: "rust", ocaml: "ocaml" } } })).message).toMatch(
      /the app name "My App" must be lower-case/,
    );
  });

  it("rustTarget: wasm32-unknown-unknown by default, wasm32-wasip1 for a WASI app, nothing else", () => {
    const main = { rust: "rust", ocaml: "ocaml" };
    expect(resolveProject(root, { apps: { main } }).apps[0].rustTarget).toBe("wasm32-unknown-unknown");
    expect(resolveProject(root, { apps: { main: { ...main, rustTarget: "wasm32-wasip1" } } }).apps[0].rustTarget).toBe("wasm32-wasip1");
    expect(error(() => resolveProject(root, { apps: { main: { ...main, rustTarget: "wasm32-wasi" as never } } })).message).toBe(
      'ocamlInterop(): apps.main.rustTarget must be "wasm32-unknown-unknown" or "wasm32-wasip1" (got "wasm32-wasi")',
    );
  });

  it("singleMemory: on in a production build, off in the dev server, per project or per app, checked", () => {
    const apps = { main: { rust: "rust", ocaml: "ocaml" } };
    expect(resolveProject(root, { apps }, true).apps[0].singleMemory).toBe(true);
    expect(resolveProject(root, { apps }).apps[0].singleMemory).toBe(false);
    expect(resolveProject(root, { apps, singleMemory: false }, true).apps[0].singleMemory).toBe(false);
    expect(resolveProject(root, { apps: { main: { ...apps.main, singleMemory: true } } }).apps[0].singleMemory).toBe(true);
    expect(resolveProject(root, { apps: { main: { ...apps.main, singleMemory: false } }, singleMemory: true }).apps[0].singleMemory).toBe(
      false,
    );
    expect(error(() => resolveProject(root, { apps, singleMemory: "yes" as never })).message).toBe(
      'ocamlInterop() options in vite.config.ts: singleMemory must be true or false (got "yes")',
    );
    expect(error(() => resolveProject(root, { apps: { main: { ...apps.main, singleMemory: 1 as never } } })).message).toBe(
      "ocamlInterop(): apps.main.singleMemory must be true or false (got 1)",
    );
  });

  it("name a missing directory, a directory without Cargo.toml or dune, and say what to point at", () => {
    expect(error(() => resolveProject(root, { apps: { main: { rust: "nope", ocaml: "ocaml" } } })).message).toBe(
      `ocamlInterop(): apps.main.rust is "nope", but ${join(root, "nope")} is not a directory; point it at the Rust crate's directory (the one holding Cargo.toml)`,
    );
    expect(error(() => resolveProject(root, { apps: { main: { rust: "ocaml", ocaml: "ocaml" } } })).message).toMatch(
      /apps\.main\.rust is "ocaml", but .* has no Cargo.toml/,
    );
    expect(error(() => resolveProject(root, { apps: { main: { rust: "rust", ocaml: "rust" } } })).message).toMatch(
      /apps\.main\.ocaml is "rust", but .* has no dune file; it needs one with \(executable/,
    );
    expect(error(() => resolveProject(root, { apps: { main: { rust: "rust" } as never } })).message).toMatch(
      /apps\.main\.ocaml is missing/,
    );
  });

  it("refuse two apps with one crate or one OCaml executable", () => {
    expect(
      error(() => resolveProject(root, { apps: { a: { rust: "rust", ocaml: "ocaml" }, b: { rust: "rust", ocaml: "ocaml" } } })).message,
    ).toBe('ocamlInterop() options in vite.config.ts: apps "a" and "b" both name the Rust crate rust; each app needs its own crate');
  });
});

describe("the app's dune file", () => {
  it("finds the executables of either stanza", () => {
    expect(
      duneExecutables("(executable (name a) (modes wasm))\n; (executable (name commented))\n(executables (names b c))").map((e) => e.name),
    ).toEqual(["a", "b", "c"]);
  });

  it("asks for exe when there are several, and names the ones there are", () => {
    write("multi/dune", `${DUNE_STANZA("one")}\n${DUNE_STANZA("two")}`);
    write("multi/dune-project", "(lang dune 3.17)\n");
    const [app] = resolveProject(root, { apps: { m: { rust: "rust", ocaml: "multi" } } }).apps;
    expect(error(() => resolveExecutable(app)).message).toMatch(/declares several executables \(one, two\): set apps\.m\.exe/);
    const [withExe] = resolveProject(root, { apps: { m: { rust: "rust", ocaml: "multi", exe: "two" } } }).apps;
    expect(resolveExecutable(withExe)).toBe("two");
    const [wrong] = resolveProject(root, { apps: { m: { rust: "rust", ocaml: "multi", exe: "three" } } }).apps;
    expect(error(() => resolveExecutable(wrong)).message).toMatch(
      /apps\.m\.exe is "three", but .* declares one, two; set exe to one of them/,
    );
  });

  it("names a dune directory without the executable, or without the glue, and shows the stanza to write", () => {
    write("lib/dune", "(library (name l))");
    write("lib/dune-project", "(lang dune 3.17)\n");
    const [lib] = resolveProject(root, { apps: { l: { rust: "rust", ocaml: "lib" } } }).apps;
    const e = error(() => resolveExecutable(lib));
    expect(e.message).toMatch(/declares no executable; the app "l" needs one/);
    expect(e.message).toContain("(wasm_files generated/rust_glue.wat)");
    expect(e.loc?.file).toBe(join(root, "lib/dune"));
    write("noglue/dune", "(executable (name x) (modes wasm))");
    write("noglue/dune-project", "(lang dune 3.17)\n");
    const [noglue] = resolveProject(root, { apps: { n: { rust: "rust", ocaml: "noglue" } } }).apps;
    expect(error(() => resolveExecutable(noglue)).message).toMatch(
      /does not link the generated glue \(missing generated\/rust_glue\.wat, generated\/rust_glue\.js\)/,
    );
  });

  it("finds the dune project's root, or says to add one", () => {
    expect(duneRoot(join(root, "ocaml"), root)).toBe(join(root, "ocaml"));
    write("bare/dune", DUNE_STANZA("x"));
    expect(error(() => duneRoot(join(root, "bare"), root)).message).toMatch(/is not in a dune project: add a dune-project file/);
  });
});

describe("the app's crate (cargo metadata)", () => {
  it("must be a cdylib that depends on the runtime crate; the error says what to add", async () => {
    const [app] = resolveProject(root, { apps: { main: { rust: "rust", ocaml: "ocaml" } } }).apps;
    const noDep = await inspectCrate(app).catch((e) => e as BuildError);
    expect(noDep).toBeInstanceOf(BuildError);
    expect((noDep as BuildError).message).toMatch(
      /does not depend on the runtime crate; add to \[dependencies\]\nocaml-interop = \{ package = "ocaml-interop-web"/,
    );
    write("rlib/Cargo.toml", '[package]\nname = "rl"\nversion = "0.1.0"\nedition = "2021"\n');
    write("rlib/src/lib.rs", "");
    const [rlib] = resolveProject(root, { apps: { r: { rust: "rlib", ocaml: "ocaml" } } }).apps;
    const notCdylib = (await inspectCrate(rlib).catch((e) => e as BuildError)) as BuildError;
    expect(notCdylib.message).toMatch(/the crate rl must be a cdylib to become a wasm module; add\n\[lib\]\ncrate-type = \["cdylib"\]/);
    expect(notCdylib.loc?.file).toBe(join(root, "rlib/Cargo.toml"));
    write("broken/Cargo.toml", "[package\nname = ");
    const [broken] = resolveProject(root, { apps: { b: { rust: "broken", ocaml: "ocaml" } } }).apps;
    expect(((await inspectCrate(broken).catch((e) => e)) as BuildError).message).toMatch(/Cargo\.toml: cargo cannot read the crate:/);
  }, 60_000);
});

describe("the dev server's decisions", () => {
  it("rebuilds Rust and OCaml for a Rust change, only OCaml for an OCaml change, nothing for the build's own files", () => {
    const [app] = resolveProject(root, { apps: { main: { rust: "rust", ocaml: "ocaml" } } }).apps;
    const extra = new Map([["main", new Set(["/elsewhere/dep/src/lib.rs"])]]);
    const scope = (f: string) => classifyChange([app], f, extra).map((h) => h.scope);
    expect(scope(join(root, "rust/src/lib.rs"))).toEqual(["all"]);
    expect(scope(join(root, "rust/Cargo.toml"))).toEqual(["all"]);
    expect(scope("/elsewhere/dep/src/lib.rs")).toEqual(["all"]);
    expect(scope(join(root, "ocaml/main.ml"))).toEqual(["ocaml"]);
    expect(scope(join(root, "ocaml/dune"))).toEqual(["ocaml"]);
    expect(scope(join(root, "ocaml/generated/rust.ml"))).toEqual([]);
    expect(scope(join(root, "ocaml/_build/default/main.ml"))).toEqual([]);
    expect(scope(join(root, "README.md"))).toEqual([]);
  });

  it("shows a code frame at the error's line", () => {
    write("frame.ml", 'let a = 1\nlet b = "x" + 1\nlet c = 3\n');
    expect(codeFrame(join(root, "frame.ml"), 2, 9)).toBe('  1 | let a = 1\n> 2 | let b = "x" + 1\n    |         ^\n  3 | let c = 3');
  });
});

describe("init", () => {
  it("refuses a directory that is not empty and writes nothing there", () => {
    write("taken/notes.txt", "mine");
    expect(() => init(join(root, "taken"))).toThrow(InitError);
    expect(() => init(join(root, "taken"))).toThrow(
      /is not empty \(it has notes\.txt\); init writes a whole project and overwrites nothing/,
    );
  });

  it("names the app after the directory, and checks --app", () => {
    const files = init(join(root, "My-Project"));
    expect(files).toContain("rust/Cargo.toml");
    expect(() => init(join(root, "other"), { app: "Bad-Name" })).toThrow(/--app Bad-Name: the app's name must be lower-case letters/);
  });
});
