// A WASI app's host parts on their own: the app's output (output.ts: lines from chunks, UTF-8
// split between writes, the sink), and the WASI context (wasi.ts: its options checked, the
// in-memory directory as the page reads and changes it, the imports a Rust instance gets). The
// real modules run in the browsers: examples/wasi/e2e.
import { describe, expect, it } from "vitest";
import { AppOutput, checkSink } from "../../src/host/output.ts";
import { WasiHost } from "../../src/host/wasi.ts";
import { cargoInvocation } from "../../src/build/cargo.ts";

function collect() {
  const lines: [string, string][] = [];
  return { lines, out: new AppOutput("app", (line, stream) => lines.push([stream, line])) };
}

describe("the app's output", () => {
  it("emits complete lines, per stream, and the rest at flush", () => {
    const { lines, out } = collect();
    out.text("stdout", "hel");
    out.text("stderr", "warn\npart");
    out.text("stdout", "lo\nworld\n\nx");
    expect(lines).toEqual([
      ["stderr", "warn"],
      ["stdout", "hello"],
      ["stdout", "world"],
      ["stdout", ""],
    ]);
    out.flush();
    expect(lines.slice(4)).toEqual([
      ["stdout", "x"],
      ["stderr", "part"],
    ]);
    out.flush();
    expect(lines).toHaveLength(6);
  });

  it("decodes UTF-8 split between writes", () => {
    const { lines, out } = collect();
    const bytes = new TextEncoder().encode("é€😀\n");
    for (const b of bytes) out.bytes("stdout", Uint8Array.of(b));
    expect(lines).toEqual([["stdout", "é€😀"]]);
  });

  it("a sink that throws fails no program; a sink that is not a function is refused", () => {
    const out = new AppOutput("app", () => {
      throw new Error("sink broke");
    });
    // (the bridge's console, captured at load, tells it)
    expect(() => out.text("stdout", "a\n")).not.toThrow();
    expect(checkSink("app", undefined)).toBeUndefined();
    expect(() => checkSink("app", "console")).toThrow(
      'ocaml-interop: loadInterop(app): output must be a function (line: string, stream: "stdout" | "stderr") => void (got string)',
    );
  });

  it("OCaml's console writes to the sink only when there is one", () => {
    const { lines, out } = collect();
    const c = out.ocamlConsole()!;
    c.log("from print_string");
    c.error("from prerr_string\n");
    expect(typeof c.warn).toBe("function");
    out.flush();
    expect(lines).toEqual([
      ["stderr", "from prerr_string"],
      ["stdout", "from print_string"],
    ]);
    expect(new AppOutput("app", undefined).ocamlConsole()).toBeUndefined();
  });
});

describe("the WASI context", () => {
  const out = () => new AppOutput("app", () => {});

  it("fills the directory from files, which the page reads and changes", () => {
    const w = new WasiHost(
      "app",
      { files: { "a.txt": "hi", "/docs/b.bin": Uint8Array.of(1, 2, 3), "./docs/c.txt": new ArrayBuffer(2) } },
      out(),
    );
    expect(w.files.list()).toEqual(["a.txt", "docs/b.bin", "docs/c.txt"]);
    expect(w.files.list("docs")).toEqual(["docs/b.bin", "docs/c.txt"]);
    expect(w.files.readText("/a.txt")).toBe("hi");
    expect([...w.files.read("docs/b.bin")]).toEqual([1, 2, 3]);
    // a copy: changing it changes nothing
    w.files.read("docs/b.bin")[0] = 9;
    expect(w.files.read("docs/b.bin")[0]).toBe(1);
    w.files.write("new/deep/x.txt", "x");
    expect(w.files.exists("new/deep/x.txt")).toBe(true);
    expect(w.files.exists("new/deep")).toBe(false);
    w.files.remove("a.txt");
    expect(w.files.exists("a.txt")).toBe(false);
    expect(w.files.list()).toEqual(["docs/b.bin", "docs/c.txt", "new/deep/x.txt"]);
  });

  it("names the path and the files it has when one is missing", () => {
    const w = new WasiHost("app", { files: { "in.txt": "" } }, out());
    expect(() => w.files.readText("out.txt")).toThrow(
      'ocaml-interop: app: files.readText("out.txt"): no such file in the app\'s WASI directory (its files: in.txt)',
    );
    expect(() => w.files.remove("docs")).toThrow(/files\.remove\("docs"\): no such file/);
    expect(() => w.files.read("../etc/passwd")).toThrow(/has a "\.\." part/);
    expect(() => w.files.write("in.txt/x", "")).toThrow(/in\.txt on the path is a file, not a directory/);
    expect(() => w.files.write("", "")).toThrow(/names the directory's root, not a file/);
  });

  it("refuses options it does not know and values of the wrong type, naming them", () => {
    const bad = (o: unknown) => () => new WasiHost("app", o as never, out());
    expect(bad({ argv: [] })).toThrow("ocaml-interop: loadInterop(app): wasi.argv is not an option (the options are args, env and files)");
    expect(bad({ args: ["a", 1] })).toThrow(/wasi\.args must be an array of strings/);
    expect(bad({ env: { "A=B": "x" } })).toThrow(/wasi\.env\.A=B: a variable's name must be non-empty without "="/);
    expect(bad({ env: { A: 1 } })).toThrow(/wasi\.env\.A: .* \(got number\)/);
    expect(bad({ files: { "a.txt": 42 } })).toThrow(
      'ocaml-interop: loadInterop(app): wasi.files["a.txt"]: a file\'s content must be a string, a Uint8Array or an ArrayBuffer (got number)',
    );
    expect(bad("files")).toThrow(/wasi must be \{ args\?, env\?, files\? \} \(got string\)/);
  });

  it("gives an instance WASI's imports, the bridge's, and the memory; exit is a fault with its reason", () => {
    const lines: string[] = [];
    const w = new WasiHost("app", { args: ["prog", "x"], env: { K: "v" } }, new AppOutput("app", (l) => lines.push(l)));
    const memory = new WebAssembly.Memory({ initial: 1 });
    const host = { ocamlCall: () => 0 };
    const imports = w.imports(memory, host) as Record<string, Record<string, unknown>>;
    expect(imports.env.memory).toBe(memory);
    expect(imports.oiw_host).toBe(host);
    const wasi = imports.wasi_snapshot_preview1 as Record<string, (...a: number[]) => number>;
    // args as the module reads them: argc and the buffer's size
    expect(wasi.args_sizes_get(0, 4)).toBe(0);
    const v = new DataView(memory.buffer);
    expect([v.getUint32(0, true), v.getUint32(4, true)]).toEqual([2, "prog".length + 1 + "x".length + 1]);
    // fd_write on 1: an iovec at 16 pointing at "ok\n" at 32
    new Uint8Array(memory.buffer).set(new TextEncoder().encode("ok\n"), 32);
    v.setUint32(16, 32, true);
    v.setUint32(20, 3, true);
    expect(wasi.fd_write(1, 16, 1, 8)).toBe(0);
    expect(lines).toEqual(["ok"]);
    expect(() => wasi.proc_exit(3)).toThrow();
    expect(w.takeFault()).toBe("Rust called std::process::exit(3)");
    expect(w.takeFault()).toBeUndefined();
  });
});

describe("the cargo invocation of a WASI app", () => {
  it("builds for wasm32-wasip1 with the runtime's WASI cfg, the user's RUSTFLAGS kept", () => {
    const inv = cargoInvocation("abort", "wasm32-wasip1", {});
    const flags = inv.config.find((c) => c.startsWith("target.wasm32-wasip1.rustflags="));
    expect(JSON.parse(flags!.slice(flags!.indexOf("=") + 1))).toEqual([
      "-C",
      "link-arg=--import-memory",
      "-C",
      "link-arg=--max-memory=4294967296",
      "-C",
      "link-arg=--export-table",
      "--cfg",
      "oiw_wasi_app",
    ]);
    expect(cargoInvocation("abort", "wasm32-wasip1", { RUSTFLAGS: "-Copt-level=s" }).env.RUSTFLAGS).toBe(
      "-Copt-level=s -C link-arg=--import-memory -C link-arg=--max-memory=4294967296 -C link-arg=--export-table --cfg oiw_wasi_app",
    );
    expect(cargoInvocation("abort", "wasm32-unknown-unknown", {}).config.join(" ")).not.toMatch(/oiw_wasi_app/);
  });
});
