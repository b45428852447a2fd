// W11_app: a realistic mixed workload, the main loop of the Markdown editor (examples/markdown):
// on each edit, Rust's pulldown-cmark parses and renders and OCaml builds the outline, the
// anchors, the statistics and the problems (`markdown_process`, OCaml calling Rust), against
// the same work, giving the same bytes, in Rust alone (`md_process_rust`). Both are called
// from TS through the bridge, once per edit. OCaml alone is not measured: it has no Markdown
// renderer here to compare with.
import { loadInterop, T } from "ocaml-interop-web";
import markdown from "virtual:ocaml-interop/markdown";
import { measure } from "./measure.ts";

/** A README-sized document (about 4.5 KB): headings, prose with inline markup, links, lists, a
 *  table and code blocks, as the editor's default document has. */
export function markdownDocument(sections = 12): string {
  const parts: string[] = ["# Project notes", "", "An *editor* preview: **Rust** renders, OCaml outlines. See [usage](#usage)."];
  for (let i = 1; i <= sections; i++) {
    parts.push(
      "",
      `## Section ${i}: ${["Usage", "Options", "Examples", "Notes"][i % 4]}`,
      "",
      `Paragraph ${i} has \`inline code\`, _emphasis_, a [link](https://example.org/${i}) and a few more ` +
        "words so that the word count and the reading time have something to count, as prose does.",
      "",
      `### Details ${i}`,
      "",
      "- [x] one item",
      "- [ ] another, ~~struck~~",
      "- a link to [the top](#project-notes)",
      "",
      "| key | value |",
      "|---|---|",
      `| k${i} | v${i} |`,
      "",
      "```ts",
      `const x${i} = ${i};`,
      "```",
    );
  }
  return parts.join("\n");
}

/** The states of the document as a visitor types its last paragraph, one per keystroke. */
export function edits(n: number): string[] {
  const base = markdownDocument();
  const typed = "More text typed at the end, with a [link](#section-1-options) and **bold** words.";
  return Array.from({ length: n }, (_, i) => `${base}\n\n${typed.slice(0, Math.round(((i + 1) * typed.length) / n))}`);
}

export interface AppResult {
  ours_ns: number;
  baseline_ns: number;
  document_bytes: number;
  editor_refresh_ns: number;
}

export async function measureApp(): Promise<AppResult> {
  const app = await loadInterop(markdown);
  try {
    const both = app.ocaml.fn("markdown_process", [T.string], T.string);
    const analyze = app.ocaml.fn(
      "markdown_analyze",
      [T.string],
      T.tuple(T.string, T.list(T.tuple(T.string, T.int, T.string, T.string)), T.tuple(T.int, T.int, T.int, T.int), T.list(T.string)),
    );
    const toc = app.ocaml.fn("markdown_toc", [T.string], T.string);
    const docs = edits(40);
    for (const d of docs) if (both(d) !== app.rust.md_process_rust(d)) throw new Error("W11: OCaml + Rust and Rust alone disagree");
    let sink = 0;
    const ours = measure(
      docs.length,
      () => {
        for (const d of docs) sink += both(d).length;
      },
      9,
      3,
    );
    const base = measure(
      docs.length,
      () => {
        for (const d of docs) sink += app.rust.md_process_rust(d).length;
      },
      9,
      3,
    );
    // what the editor itself does per edit: the typed analysis and the table of contents
    const refresh = measure(
      docs.length,
      () => {
        for (const d of docs) sink += analyze(d)[0].length + toc(d).length;
      },
      9,
      3,
    );
    if (sink === 0) throw new Error("W11: no output");
    return {
      ours_ns: ours.nsPerOp,
      baseline_ns: base.nsPerOp,
      document_bytes: docs[docs.length - 1].length,
      editor_refresh_ns: refresh.nsPerOp,
    };
  } finally {
    app.dispose();
  }
}
