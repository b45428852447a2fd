// Every example of the user guide is code from a file the test suites build and run: each
// fenced block that names a file (```rust file=rust/conformance/src/lib.rs) must appear in
// that file verbatim (ignoring indentation and blank lines), so the guide cannot drift from
// tested code. Blocks without a file are prose-level sketches and must say so (```text).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const GUIDE = join(ROOT, "docs/guide");

const normalize = (s: string) =>
  s
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join("\n");

const pages = readdirSync(GUIDE)
  .filter((f) => f.endsWith(".md"))
  .sort();

describe("the user guide", () => {
  it("has the model's parts and a TypeScript part", () => {
    for (const p of ["part1", "part2", "part3", "part4", "part5", "part6", "part7", "part8"])
      expect(
        pages.some((f) => f.startsWith(p)),
        p,
      ).toBe(true);
  });

  for (const page of pages) {
    const text = readFileSync(join(GUIDE, page), "utf8");
    const blocks = [...text.matchAll(/```(\w+)([^\n]*)\n([\s\S]*?)```/g)];
    it(`${page}: every code example comes from a tested file`, () => {
      for (const [, lang, info, body] of blocks) {
        const file = info.match(/file=(\S+)/)?.[1];
        if (lang === "text" || lang === "sh") continue;
        expect(file, `${page}: a \`\`\`${lang} block names no file:\n${body}`).toBeTruthy();
        const src = readFileSync(join(ROOT, file!), "utf8");
        expect(normalize(src), `${page}: this block is not in ${file}:\n${body}`).toContain(normalize(body));
      }
    });
  }
});
