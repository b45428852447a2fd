// The wire format's constants are written once (wire-format/protocol.json): the generated files
// are what tools/gen-protocol.ts makes of it, and the implementations hold no copies of them.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { OUTPUTS, ROOT, WAT_BEGIN, WAT_END, readProtocol, stale, watFiles } from "../../tools/gen-protocol.ts";

const files = (dir: string, ext: RegExp): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p, ext) : ext.test(f) ? [p] : [];
  });

/** The code of a source file without its comments (line comments; good enough for the scan). */
const code = (src: string, comment: RegExp) =>
  src
    .split("\n")
    .map((l, i) => [i + 1, l.replace(comment, "")] as const)
    .filter(([, l]) => l.trim());

const SOURCES = [
  ...files(join(ROOT, "src"), /\.ts$/).map((p) => ({ p, comment: /\/\/.*$|^\s*\*.*$|\/\*\*.*$/ })),
  ...files(join(ROOT, "rust/ocaml-interop-web/src"), /\.rs$/).map((p) => ({ p, comment: /\/\/.*$/ })),
].filter(({ p }) => p !== OUTPUTS.ts && p !== OUTPUTS.rust);

describe("the protocol table", () => {
  it("the generated TS, Rust and OCaml constants are up to date (else: node tools/gen-protocol.ts)", () => {
    expect(stale()).toEqual([]);
  });

  it("the shared vectors are of the protocol's version", () => {
    const vectors = JSON.parse(readFileSync(join(ROOT, "wire-format/vectors/v1.json"), "utf8"));
    expect(vectors.version).toBe(readProtocol().version);
  });

  it("no implementation repeats a tag, a bigarray flag or the bigarray kind table by hand", () => {
    const p = readProtocol();
    const tags = [...new Set(Object.values(p.tags))].join("|");
    const found: string[] = [];
    for (const { p: file, comment } of SOURCES) {
      const src = readFileSync(file, "utf8");
      for (const [n, line] of code(src, comment)) {
        // a tag or flag as a definition or comparison (the char range 0..255 is not a tag)
        if (new RegExp(`(=|===|!==|==|!=|<|>|:)\\s*(${tags})\\b`).test(line) && !/char|code/i.test(line))
          found.push(`${relative(ROOT, file)}:${n}: ${line.trim()}`);
        if (/\b0x[123]00\b/.test(line)) found.push(`${relative(ROOT, file)}:${n}: ${line.trim()}`);
      }
      // the table: two kinds' names next to their typed arrays or ids
      if (/int8_unsigned\W{1,12}(Uint8Array|3\b)/.test(src) && /int16_signed\W{1,12}(Int16Array|4\b)/.test(src))
        found.push(`${relative(ROOT, file)}: a copy of the bigarray kind table`);
    }
    // the OCaml runtime files: protocol values only inside their generated blocks
    expect(watFiles().length).toBeGreaterThan(1);
    for (const file of watFiles()) {
      const wat = readFileSync(file, "utf8");
      const outside = wat.includes(WAT_BEGIN) ? wat.slice(0, wat.indexOf(WAT_BEGIN)) + wat.slice(wat.indexOf(WAT_END)) : wat;
      for (const [n, line] of code(outside, /;;.*$/))
        if (new RegExp(`\\(i32\\.const (${tags}|256|512)\\)`).test(line))
          found.push(`${basename(file)} (outside the block) ${n}: ${line.trim()}`);
    }
    expect(found).toEqual([]);
  });
});
