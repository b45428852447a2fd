// The Markdown editor as a writer uses it: what they type goes to OCaml, which has Rust
// (pulldown-cmark) parse and render it, and builds the outline, the statistics and the problems.
import { expect, test } from "ocaml-interop-web/playwright";
import type { Page } from "@playwright/test";

/** Opens the editor and waits until both modules are loaded; collects the page's errors. */
async function openEditor(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("./");
  await expect(page.getByTestId("status")).toHaveText("ready: OCaml and Rust are loaded", { timeout: 30_000 });
  return errors;
}

/** Runs `f` in the page with the editor's app object and type descriptors (`window.markdown`)
 *  and `arg` (JSON). `f` is type-checked with the test; it is sent as source, so it cannot use the
 *  test's variables. */
function inPage<R, A = unknown>(page: Page, f: (md: { app: any; T: any }, arg: A) => R, arg?: A): Promise<R> {
  return page.evaluate(`(${f.toString()})(window.markdown, ${JSON.stringify(arg ?? null)})`) as Promise<R>;
}

const outlineOf = (page: Page) =>
  page.getByTestId("outline-item").evaluateAll((lis) =>
    lis.map((li) => {
      const a = li.querySelector("a")!;
      return [a.textContent, a.getAttribute("href")];
    }),
  );

const GUIDE = [
  "# Guide", //                                   1
  "",
  "Some *words* here.", //                        3
  "",
  "## Install", //                                5
  "",
  "Run `it`.", //                                 7
  "",
  "## Install", //                                9
  "",
  "### Linux", //                                 11
  "",
  "# FAQ", //                                     13
  "",
  "#### Deep", //                                 15
  "",
  "[broken](#nowhere) and [ok](#install-1)", //   17
].join("\n");

test("the default document is rendered when the page opens", async ({ page }) => {
  const errors = await openEditor(page);
  const preview = page.getByTestId("preview");
  await expect(preview.locator("h1#markdown-editor")).toHaveText("Markdown editor");
  await expect(preview.locator("table td code").first()).toHaveText("apps");
  await expect(preview.locator("input[type=checkbox]")).toHaveCount(3);
  expect(await outlineOf(page)).toEqual([
    ["1 Markdown editor", "#markdown-editor"],
    ["1.1 Getting started", "#getting-started"],
    ["1.1.1 Options", "#options"],
    ["1.2 Examples", "#examples"],
    ["1.2.1 Example", "#example"],
    ["1.2.2 Example", "#example-1"],
  ]);
  await expect(page.getByTestId("code-blocks")).toHaveText("1");
  await expect(page.getByTestId("problems")).toHaveText('line 30: duplicate heading "Example" (anchor #example-1)');
  await expect(page.getByTestId("pipeline")).toHaveAttribute("data-agree", "true");
  expect(errors).toEqual([]);
});

test("typing a document updates the preview, the numbered outline, the statistics and the problems", async ({ page }) => {
  const errors = await openEditor(page);
  const source = page.getByTestId("source");
  await source.fill(GUIDE);

  const preview = page.getByTestId("preview");
  expect(await preview.innerHTML()).toContain('<h1 id="guide">Guide</h1>\n<p>Some <em>words</em> here.</p>\n<h2 id="install">Install</h2>');
  await expect(preview.locator("h2#install-1")).toHaveText("Install");
  await expect(preview.locator("h4#deep")).toHaveText("Deep");
  await expect(preview.locator('a[href="#install-1"]')).toHaveText("ok");

  expect(await outlineOf(page)).toEqual([
    ["1 Guide", "#guide"],
    ["1.1 Install", "#install"],
    ["1.2 Install", "#install-1"],
    ["1.2.1 Linux", "#linux"],
    ["2 FAQ", "#faq"],
    ["2.1 Deep", "#deep"],
  ]);
  await expect(page.getByTestId("stats")).toHaveText("14 words · 1 min read · 6 headings · 0 code blocks");
  expect(await page.getByTestId("problem").allTextContents()).toEqual([
    'line 9: duplicate heading "Install" (anchor #install-1)',
    'line 15: h4 "Deep" follows h1 (skips h2)',
    "line 17: link to #nowhere matches no heading",
  ]);

  // keystrokes at the end: an h2 after the h4 continues FAQ's children (2.2), and the new
  // heading makes the link to #nowhere valid
  await source.press("End");
  await source.press("ControlOrMeta+End");
  await page.keyboard.type("\n\n## Nowhere\n\nthree more words");
  await expect(page.getByTestId("outline-item").last()).toHaveText("2.2 Nowhere");
  await expect(page.getByTestId("outline-item").last().locator("a")).toHaveAttribute("href", "#nowhere");
  await expect(page.getByTestId("words")).toHaveText("18");
  expect(await page.getByTestId("problem").allTextContents()).toEqual([
    'line 9: duplicate heading "Install" (anchor #install-1)',
    'line 15: h4 "Deep" follows h1 (skips h2)',
  ]);

  // the table of contents (built by OCaml), inserted at the top: its links all resolve
  await expect
    .poll(() => page.getByTestId("toc").textContent())
    .toBe(
      "- [Guide](#guide)\n  - [Install](#install)\n  - [Install](#install-1)\n    - [Linux](#linux)\n" +
        "- [FAQ](#faq)\n  - [Deep](#deep)\n  - [Nowhere](#nowhere)\n",
    );
  await page.getByTestId("insert-toc").click();
  await expect(source).toHaveValue(/^- \[Guide\]\(#guide\)\n {2}- \[Install\]\(#install\)\n/);
  await expect(preview.locator("ul a")).toHaveCount(7);
  await expect(page.getByTestId("words")).toHaveText("25");
  expect(await page.getByTestId("problem").allTextContents()).toEqual([
    'line 17: duplicate heading "Install" (anchor #install-1)',
    'line 23: h4 "Deep" follows h1 (skips h2)',
  ]);
  expect(errors).toEqual([]);
});

test("the Rust records reach TypeScript, and anchors are deduplicated like GitHub's", async ({ page }) => {
  const errors = await openEditor(page);
  const r = await inPage<{ headings: unknown; links: unknown; slugs: string[] }>(
    page,
    ({ app, T }, arg) => {
      const doc = app.rust.md_parse(arg);
      return {
        headings: app.rust.md_headings(arg),
        links: doc.links,
        slugs: app.ocaml.fn(
          "markdown_slugs",
          [T.list(T.string)],
          T.list(T.string),
        )([
          "Foo",
          "Foo",
          "foo-1",
          "Foo",
          "What's new? (v2.0)",
          "",
          "a_b-c",
          "Ünïcödé Straße",
          "ŁÓDŹ",
          "Ελληνικά",
          "ПРИВЕТ мир",
          "🚀 Launch — now",
        ]),
      };
    },
    GUIDE,
  );
  expect(r.headings).toEqual([
    { level: 1, text: "Guide", line: 1 },
    { level: 2, text: "Install", line: 5 },
    { level: 2, text: "Install", line: 9 },
    { level: 3, text: "Linux", line: 11 },
    { level: 1, text: "FAQ", line: 13 },
    { level: 4, text: "Deep", line: 15 },
  ]);
  expect(r.links).toEqual([
    { target: "#nowhere", line: 17, image: false, unsafe_url: false },
    { target: "#install-1", line: 17, image: false, unsafe_url: false },
  ]);
  expect(r.slugs).toEqual([
    "foo",
    "foo-1",
    "foo-1-1",
    "foo-2",
    "whats-new-v20",
    "section",
    "a_b-c",
    "ünïcödé-straße",
    "łódź",
    "ελληνικά",
    "привет-мир",
    "-launch--now",
  ]);
  expect(errors).toEqual([]);
});

test("OCaml + Rust and Rust alone give the same result on generated documents", async ({ page }) => {
  const errors = await openEditor(page);
  const r = await inPage<{ checked: number; mismatches: string[]; outlines: number; problems: number }>(page, ({ app, T }) => {
    const both = app.ocaml.fn("markdown_process", [T.string], T.string);
    const analyze = app.ocaml.fn(
      "markdown_analyze",
      [T.string],
      T.tuple(T.string, T.list(T.tuple(T.string, T.int, T.string, T.string)), T.tuple(T.int, T.int, T.int, T.int), T.list(T.string)),
    );
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const pick = <X>(xs: X[]) => xs[rnd(xs.length)];
    const words = [
      "alpha",
      "Beta",
      "Straße",
      "ŁÓDŹ",
      "日本語",
      "🚀",
      "—",
      "it's",
      "v2.0",
      "a_b",
      "x-y",
      "`code`",
      "*em*",
      "**strong**",
      "~~gone~~",
      "(paren)",
      "Ελληνικά",
      "Foo",
      "foo",
      "&amp;",
      "tab\tbed",
      '"q"',
    ];
    const line = () => Array.from({ length: 1 + rnd(6) }, () => pick(words)).join(" ");
    const blocks = [
      () => "#".repeat(1 + rnd(6)) + " " + line(),
      () => "#".repeat(1 + rnd(6)) + " " + pick(["Foo", "foo", "Foo 1", "foo-1"]),
      () => line() + "\n" + line(),
      () => "```\n" + line() + "\n```",
      () => "- " + line() + "\n- [ ] " + line(),
      () => "> " + line(),
      () => "| a | b |\n|---|---|\n| " + line() + " | " + line() + " |",
      () => "[" + line() + "](#" + pick(["foo", "foo-1", "alpha", "nothing", ""]) + ")",
      () => "[x](" + pick(["javascript:alert(1)", " JaVa\tScRiPt:x", "data:text/html,hi", "https://ok.example", "#beta"]) + ")",
      () => "![img](" + pick(["data:image/png;base64,AA", "pic.png"]) + ")",
      () => "<div onclick=x>" + line() + "</div>",
      () => "",
      () => "#",
    ];
    const mismatches: string[] = [];
    let outlines = 0,
      problems = 0;
    for (let i = 0; i < 150; i++) {
      const doc = Array.from({ length: 1 + rnd(14) }, () => pick(blocks)()).join("\n\n");
      const ours = both(doc),
        rustAlone = app.rust.md_process_rust(doc);
      if (ours !== rustAlone) {
        mismatches.push(JSON.stringify(doc));
        continue;
      }
      const parsed = JSON.parse(ours);
      const [html, outline, stats, found] = analyze(doc);
      const same =
        parsed.html === html &&
        JSON.stringify(parsed.outline.map((e: any) => [e.number, e.level, e.text, e.slug])) === JSON.stringify(outline) &&
        JSON.stringify([parsed.words, parsed.minutes, parsed.headings, parsed.code_blocks]) === JSON.stringify(stats) &&
        JSON.stringify(parsed.problems) === JSON.stringify(found);
      if (!same) mismatches.push("analyze differs: " + JSON.stringify(doc));
      outlines += outline.length;
      problems += found.length;
    }
    return { checked: 150, mismatches, outlines, problems };
  });
  expect(r.mismatches).toEqual([]);
  // the documents did exercise the outline and the problem checks
  expect(r.outlines).toBeGreaterThan(100);
  expect(r.problems).toBeGreaterThan(50);
  expect(errors).toEqual([]);
});

test("bad input: raw HTML and script URLs stay inert, a huge line and deep nesting work", async ({ page }) => {
  const errors = await openEditor(page);
  const source = page.getByTestId("source");
  const preview = page.getByTestId("preview");

  await source.fill(
    [
      "<script>window.__pwned = 1</script>", //                 1
      "",
      '<img src=x onerror="window.__pwned = 2">', //            3
      "",
      "[click me](javascript:window.__pwned=3) and [this](JaVaScRiPt:window.__pwned=4)", // 5
      "",
      "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", //   7
      "",
      "inline <b onmouseover=alert(1)>bold</b> html", //        9
    ].join("\n"),
  );
  await expect(preview).toContainText("<script>window.__pwned = 1</script>");
  await expect(preview).toContainText('<img src=x onerror="window.__pwned = 2">');
  await expect(preview.locator("script, [onerror], [onmouseover], b")).toHaveCount(0);
  expect(await preview.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual(["#", "#"]);
  expect(await preview.locator("img").evaluateAll((is) => is.map((i) => i.getAttribute("src")))).toEqual(["#"]);
  await preview.getByText("click me").click();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.getByTestId("problem").allTextContents()).toEqual([
    "line 5: unsafe link URL disabled",
    "line 5: unsafe link URL disabled",
    "line 7: unsafe image URL disabled",
  ]);

  // one line of 100,000 words (600,000 characters) under a heading of 5,000 characters
  const title = "Long ".repeat(1000).trim();
  await source.fill(`# ${title}\n\n${"lorem ".repeat(100_000)}`);
  await expect(page.getByTestId("words")).toHaveText("101000");
  await expect(page.getByTestId("minutes")).toHaveText("505");
  const anchor = "long-".repeat(999) + "long";
  await expect(page.getByTestId("outline-item").locator("a")).toHaveAttribute("href", `#${anchor}`);
  await expect(preview.locator("h1")).toHaveAttribute("id", anchor);
  await expect(page.getByTestId("pipeline")).toHaveAttribute("data-agree", "true");

  // 3,000 nested block quotes, 20,000 unclosed brackets and emphasis markers
  await source.fill(`${"> ".repeat(3000)}deep\n\n${"[".repeat(20_000)}${"*a".repeat(20_000)}\n\n## After`);
  await expect(preview.locator("blockquote")).toHaveCount(3000);
  await expect(page.getByTestId("outline-item")).toHaveText(["1 After"]);
  await expect(page.getByTestId("words")).toHaveText("3");

  // the empty document
  await source.fill("");
  await expect(page.getByTestId("outline")).toHaveText("no headings");
  await expect(page.getByTestId("stats")).toHaveText("0 words · 0 min read · 0 headings · 0 code blocks");
  await expect(page.getByTestId("problems")).toHaveText("no problems");
  await expect.poll(() => page.getByTestId("toc").textContent()).toBe("");
  await expect(page.getByTestId("status")).toHaveText("ready: OCaml and Rust are loaded");
  expect(errors).toEqual([]);
});
