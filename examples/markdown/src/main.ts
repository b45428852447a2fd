// The Markdown editor: on every edit OCaml analyses the document (it calls Rust's pulldown-cmark
// to parse and render), and the page shows the preview, the outline, the statistics, the
// problems and a table of contents. The same pipeline in Rust alone is run alongside, to check
// that both give the same result and to show what each costs.
import { loadInterop, T } from "ocaml-interop-web";
import markdown from "virtual:ocaml-interop/markdown";

const $ = <E extends HTMLElement>(testid: string) => document.querySelector(`[data-testid="${testid}"]`) as E;
const status = $("status");

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** html, outline entries (number, level, text, anchor), (words, minutes, headings, code blocks), problems */
const Analysis = T.tuple(
  T.string,
  T.list(T.tuple(T.string, T.int, T.string, T.string)),
  T.tuple(T.int, T.int, T.int, T.int),
  T.list(T.string),
);

async function main() {
  let app: Awaited<ReturnType<typeof loadInterop<typeof markdown>>>;
  try {
    app = await loadInterop(markdown);
  } catch (e) {
    status.textContent = `failed to load: ${describeError(e)}`;
    status.className = "status error";
    throw e;
  }
  const analyze = app.ocaml.fn("markdown_analyze", [T.string], Analysis);
  const processBoth = app.ocaml.fn("markdown_process", [T.string], T.string);
  const toc = app.ocaml.fn("markdown_toc", [T.string], T.string);
  (window as unknown as { markdown: unknown }).markdown = { app, T };

  const source = $<HTMLTextAreaElement>("source");
  const preview = $("preview");
  const outline = $("outline");
  const problems = $("problems");
  const pipeline = $("pipeline");

  const refresh = () => {
    const src = source.value;
    let result: ReturnType<typeof analyze>;
    try {
      result = analyze(src);
    } catch (e) {
      status.textContent = `error: ${describeError(e)}`;
      status.className = "status error";
      return;
    }
    if (status.classList.contains("error")) {
      status.textContent = "ready: OCaml and Rust are loaded";
      status.className = "status ready";
    }
    const [html, entries, [words, minutes, headings, codeBlocks], found] = result;
    // Rust's renderer shows raw HTML as text and disables javascript:/data: URLs, so its output
    // is safe to insert
    preview.innerHTML = html;

    outline.replaceChildren(
      ...entries.map(([number, level, text, anchor]) => {
        const li = document.createElement("li");
        li.dataset.testid = "outline-item";
        li.dataset.level = String(level);
        li.style.paddingLeft = `${(number.split(".").length - 1) * 1.2}rem`;
        const a = document.createElement("a");
        a.href = `#${anchor}`;
        const num = document.createElement("span");
        num.className = "number";
        num.textContent = number;
        a.append(num, " ", text || "(empty)");
        li.append(a);
        return li;
      }),
    );
    if (entries.length === 0) {
      const li = document.createElement("li");
      li.className = "none";
      li.textContent = "no headings";
      outline.append(li);
    }

    $("words").textContent = String(words);
    $("minutes").textContent = String(minutes);
    $("headings").textContent = String(headings);
    $("code-blocks").textContent = String(codeBlocks);

    problems.replaceChildren(
      ...found.map((p) => {
        const li = document.createElement("li");
        li.dataset.testid = "problem";
        li.textContent = p;
        return li;
      }),
    );
    if (found.length === 0) {
      const li = document.createElement("li");
      li.className = "none";
      li.textContent = "no problems";
      problems.append(li);
    }

    $("toc").textContent = toc(src);

    // the whole pipeline twice: OCaml + Rust, and Rust alone; they must agree byte for byte
    const t0 = performance.now();
    const ours = processBoth(src);
    const t1 = performance.now();
    const rustAlone = app.rust.md_process_rust(src);
    const t2 = performance.now();
    const agree = ours === rustAlone;
    pipeline.dataset.agree = String(agree);
    pipeline.textContent =
      `OCaml + Rust and Rust alone agree: ${agree ? "yes" : "NO"} ` +
      `(OCaml + Rust ${(t1 - t0).toFixed(2)} ms, Rust alone ${(t2 - t1).toFixed(2)} ms)`;
  };

  source.addEventListener("input", refresh);
  $("insert-toc").addEventListener("click", () => {
    const contents = toc(source.value);
    if (contents === "" || source.value.startsWith(contents)) return;
    source.value = `${contents}\n${source.value}`;
    refresh();
  });
  refresh();
  status.textContent = "ready: OCaml and Rust are loaded";
  status.className = "status ready";
}

main();
