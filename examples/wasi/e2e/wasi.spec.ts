// The WASI example as a user runs it: Rust (wasm32-wasip1, @bjorn3/browser_wasi_shim) reads the
// files the page gave with std::fs and walkdir and prints with println!/eprintln!, OCaml counts
// the words and prints too, the page collects every line and reads back the report Rust wrote.
import { expect, test } from "ocaml-interop-web/playwright";
import type { Page } from "@playwright/test";

/** Opens the page and waits until both modules are loaded; collects the page's errors. */
async function openPage(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("./");
  await expect(page.getByTestId("status")).toHaveText("ready: OCaml and Rust are loaded", { timeout: 30_000 });
  return errors;
}

type Line = { line: string; stream: "stdout" | "stderr" };

/** What the page exposes for the tests (src/main.ts). */
type Demo = {
  app: any;
  T: any;
  RustPanic: any;
  lines: Line[];
  /** another load of the app, without `output` */
  loadPlain: () => Promise<any>;
  /** a module Worker running src/worker.ts */
  startWorker: () => Worker;
};

/** Runs `f` in the page with `window.wasiDemo` (Demo) and `arg` (JSON). `f` is type-checked
 *  with the test; it is sent as source, so it cannot use the test's variables. */
function inPage<R, A = unknown>(page: Page, f: (w: Demo, arg: A) => R | Promise<R>, arg?: A): Promise<R> {
  return page.evaluate(`(${f.toString()})(window.wasiDemo, ${JSON.stringify(arg ?? null)})`) as Promise<R>;
}

/** An element's text exactly as it is (toHaveText would normalize its whitespace). */
const textOf = (page: Page, testid: string) => page.getByTestId(testid).evaluate((e) => e.textContent);

const logOf = (page: Page) =>
  page.getByTestId("log-line").evaluateAll((lis) => lis.map((li) => [(li as HTMLElement).dataset.stream, li.textContent]));

/** The report of the files the page starts with (docs/a.txt, docs/b.md; docs/data.bin is not UTF-8). */
const REPORT_TOP5 = [
  "wordcount: 2 files in docs/",
  "total: 6 lines, 22 words, 105 bytes",
  "  docs/a.txt: 3 lines, 12 words (10 distinct)",
  "  docs/b.md: 3 lines, 10 words (8 distinct)",
  "top 5 words:",
  "  1. the (5)",
  "  2. dog (3)",
  "  3. fox (2)",
  "  4. is (2)",
  "  5. lazy (2)",
  "",
].join("\n");

/** What one run prints on the starting files: OCaml's and Rust's lines, interleaved as they ran. */
const RUN_LOG = (reportBytes: number) => [
  ["stdout", "ocaml: scanning docs/"],
  ["stdout", "docs/a.txt: 61 bytes, 3 lines, 12 words"],
  ["stdout", "docs/b.md: 44 bytes, 3 lines, 10 words"],
  ["stderr", "skipped docs/data.bin: not UTF-8 (invalid byte at offset 0)"],
  ["stdout", "ocaml: counting the words of docs/a.txt"],
  ["stdout", "ocaml: counting the words of docs/b.md"],
  ["stdout", `wrote reports/summary.txt (${reportBytes} bytes)`],
  ["stdout", `ocaml: the report is reports/summary.txt (${reportBytes} bytes)`],
];

test("Rust sees the page's args and environment, and its clocks and random seeds work", async ({ page }) => {
  const errors = await openPage(page);
  await expect(page.getByTestId("info-args")).toHaveText("wordcount --top 5");
  await expect(page.getByTestId("info-lang")).toHaveText("en");
  await expect(page.getByTestId("info-env-count")).toHaveText("2");
  await expect(page.getByTestId("info-top")).toHaveText("5");
  await expect(page.getByTestId("info-after-2020")).toHaveText("true");
  await expect(page.getByTestId("info-monotonic")).toHaveText("true");

  const r = await inPage(page, ({ app, T }) => {
    const info = app.rust.wasi_info(undefined);
    return { info, now: Date.now() / 1000, byArgs: app.ocaml.fn("wasi_summarize_args", [T.unit], T.string)(undefined) };
  });
  expect(r.info.args).toEqual(["wordcount", "--top", "5"]);
  expect(r.info.lang).toBe("en");
  // SystemTime is the page's clock
  expect(Math.abs(r.info.unix_time - r.now)).toBeLessThan(60);
  expect(r.info.random_probe).toMatch(/^[0-9a-f]{16}$/);
  // OCaml asked Rust for --top 5 (std::env::args) and made the same report as wasi_summarize 5
  expect(r.byArgs).toBe(REPORT_TOP5);

  // RandomState is seeded by WASI's random_get: another load of the app hashes differently
  const again = async () => {
    await openPage(page);
    return inPage(page, ({ app }) => app.rust.wasi_info(undefined).random_probe as string);
  };
  const probes = new Set([r.info.random_probe, await again(), await again()]);
  expect(probes.size).toBe(3);
  expect(errors).toEqual([]);
});

test("Run: Rust's println!/eprintln! and OCaml's prints reach the sink in order; the page reads back the report Rust wrote", async ({
  page,
}) => {
  const errors = await openPage(page);
  // loading printed nothing
  expect(await logOf(page)).toEqual([]);
  await page.getByTestId("run").click();
  await expect.poll(() => textOf(page, "report")).toBe(REPORT_TOP5);
  await expect(page.getByTestId("report")).toHaveAttribute("data-same", "true");
  expect(await logOf(page)).toEqual(RUN_LOG(REPORT_TOP5.length));
  // the page's `output` got the same lines, with their streams
  const r = await inPage(page, ({ app, lines }) => ({
    lines: lines.map((l) => [l.stream, l.line]),
    files: app.files.list(),
    report: app.files.readText("reports/summary.txt"),
    bytes: Array.from(app.files.read("reports/summary.txt") as Uint8Array).length,
  }));
  expect(r.lines).toEqual(RUN_LOG(REPORT_TOP5.length));
  expect(r.files).toEqual(["docs/a.txt", "docs/b.md", "docs/data.bin", "reports/summary.txt"]);
  expect(r.report).toBe(REPORT_TOP5);
  expect(r.bytes).toBe(REPORT_TOP5.length);
  await expect(page.getByTestId("file")).toHaveText([
    /^docs\/a\.txt \(61 bytes\)/,
    /^docs\/b\.md \(44 bytes\)/,
    /^docs\/data\.bin \(6 bytes\)/,
    new RegExp(`^reports/summary\\.txt \\(${REPORT_TOP5.length} bytes\\)`),
  ]);

  // a second run: the same lines again, after the first ones
  await page.getByTestId("top").fill("2");
  await page.getByTestId("run").click();
  const second = `${REPORT_TOP5.slice(0, REPORT_TOP5.indexOf("top 5 words:"))}top 2 words:\n  1. the (5)\n  2. dog (3)\n`;
  await expect.poll(() => textOf(page, "report")).toBe(second);
  expect(await logOf(page)).toEqual([...RUN_LOG(REPORT_TOP5.length), ...RUN_LOG(second.length)]);
  expect(errors).toEqual([]);
});

test("files the page adds are read by Rust, files Rust writes are read by the page, and they persist across calls", async ({ page }) => {
  const errors = await openPage(page);
  // a file added with the form (it is docs/notes.txt, with the textarea's text)
  await page.getByTestId("add-file").click();
  await page.getByTestId("top").fill("3");
  await page.getByTestId("run").click();
  await expect
    .poll(() => textOf(page, "report"))
    .toBe(
      [
        "wordcount: 3 files in docs/",
        "total: 7 lines, 31 words, 143 bytes",
        "  docs/a.txt: 3 lines, 12 words (10 distinct)",
        "  docs/b.md: 3 lines, 10 words (8 distinct)",
        "  docs/notes.txt: 1 lines, 9 words (8 distinct)",
        "top 3 words:",
        "  1. the (7)",
        "  2. fox (4)",
        "  3. dog (3)",
        "",
      ].join("\n"),
    );

  const r = await inPage(page, ({ app, T }) => {
    const summarize = app.ocaml.fn("wasi_summarize", [T.int], T.string);
    const out: Record<string, unknown> = {};
    // the page writes files (text and bytes, in a new directory), Rust reads them with std::fs;
    // "/x" and "x" are the same file (the directory is preopened at "/")
    app.files.write("docs/more/deep.txt", "Deep deep words");
    app.files.write("docs/empty.txt", new Uint8Array(0));
    out.deep = app.rust.read_text("docs/more/deep.txt");
    out.deepAbsolute = app.rust.read_text("/docs/more/deep.txt");
    out.scanRoot = app.rust.scan_dir("/").map((s: { path: string }) => s.path);
    // Rust writes files (creating their directories), the page reads them
    out.written = app.rust.write_report("out/nested/dir/r.txt", "héllo\n");
    out.readBack = app.files.readText("out/nested/dir/r.txt");
    out.readBackBytes = Array.from(app.files.read("/out/nested/dir/r.txt") as Uint8Array);
    // the page changes a file Rust wrote, and removes one; Rust sees both
    app.files.write("out/nested/dir/r.txt", "changed by the page");
    out.changed = app.rust.read_text("out/nested/dir/r.txt");
    app.files.remove("docs/notes.txt");
    out.listed = app.files.list();
    out.listedDocs = app.files.list("docs");
    // OCaml's run sees all of it; its warning for the empty file goes to stderr
    const before = app.files.readText("reports/summary.txt");
    const mark = (window as any).wasiDemo.lines.length;
    out.report = summarize(1);
    out.lines = (window as any).wasiDemo.lines.slice(mark).map((l: { stream: string; line: string }) => [l.stream, l.line]);
    out.reportChanged = before !== app.files.readText("reports/summary.txt");
    out.reportNow = app.files.readText("reports/summary.txt");
    return out;
  });
  expect(r.deep).toBe("Deep deep words");
  expect(r.deepAbsolute).toBe("Deep deep words");
  expect(r.scanRoot).toEqual([
    "/docs/a.txt",
    "/docs/b.md",
    "/docs/empty.txt",
    "/docs/more/deep.txt",
    "/docs/notes.txt",
    "/reports/summary.txt",
  ]);
  expect(r.written).toBe(7);
  expect(r.readBack).toBe("héllo\n");
  expect(r.readBackBytes).toEqual([0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f, 0x0a]);
  expect(r.changed).toBe("changed by the page");
  expect(r.listed).toEqual([
    "docs/a.txt",
    "docs/b.md",
    "docs/data.bin",
    "docs/empty.txt",
    "docs/more/deep.txt",
    "out/nested/dir/r.txt",
    "reports/summary.txt",
  ]);
  expect(r.listedDocs).toEqual(["docs/a.txt", "docs/b.md", "docs/data.bin", "docs/empty.txt", "docs/more/deep.txt"]);
  const report = [
    "wordcount: 4 files in docs/",
    "total: 7 lines, 25 words, 120 bytes",
    "  docs/a.txt: 3 lines, 12 words (10 distinct)",
    "  docs/b.md: 3 lines, 10 words (8 distinct)",
    "  docs/empty.txt: 0 lines, 0 words (0 distinct)",
    "  docs/more/deep.txt: 1 lines, 3 words (2 distinct)",
    "top 1 words:",
    "  1. the (5)",
    "",
  ].join("\n");
  expect(r.report).toBe(report);
  expect(r.reportNow).toBe(report);
  expect(r.reportChanged).toBe(true);
  expect(r.lines).toEqual([
    ["stdout", "ocaml: scanning docs/"],
    ["stdout", "docs/a.txt: 61 bytes, 3 lines, 12 words"],
    ["stdout", "docs/b.md: 44 bytes, 3 lines, 10 words"],
    ["stderr", "skipped docs/data.bin: not UTF-8 (invalid byte at offset 0)"],
    ["stdout", "docs/empty.txt: 0 bytes, 0 lines, 0 words"],
    ["stdout", "docs/more/deep.txt: 15 bytes, 1 lines, 3 words"],
    ["stdout", "ocaml: counting the words of docs/a.txt"],
    ["stdout", "ocaml: counting the words of docs/b.md"],
    ["stdout", "ocaml: counting the words of docs/empty.txt"],
    ["stderr", "ocaml: warning: docs/empty.txt has no words"],
    ["stdout", "ocaml: counting the words of docs/more/deep.txt"],
    ["stdout", `wrote reports/summary.txt (${report.length} bytes)`],
    ["stdout", `ocaml: the report is reports/summary.txt (${report.length} bytes)`],
  ]);

  // the page's list shows the files as they are now; removing one with its button
  await page.getByTestId("run").click();
  await expect(page.getByTestId("file")).toHaveCount(7);
  await page.getByRole("button", { name: "remove docs/empty.txt" }).click();
  await expect(page.getByTestId("file")).toHaveCount(6);
  expect(await inPage(page, ({ app }) => app.files.list("docs"))).toEqual([
    "docs/a.txt",
    "docs/b.md",
    "docs/data.bin",
    "docs/more/deep.txt",
  ]);
  expect(errors).toEqual([]);
});

test("a file the page did not give: a clear error naming it, and the app keeps working", async ({ page }) => {
  const errors = await openPage(page);
  const ENOENT = "No such file or directory (os error 44)";
  // the form: Rust's read_required panics (a RustPanic in TS) with a message naming the file
  await page.getByTestId("read-path").fill("docs/missing.txt");
  await page.getByTestId("read").click();
  const result = page.getByTestId("read-result");
  await expect(result).toHaveAttribute("data-ok", "false");
  expect(await textOf(page, "read-result")).toBe(`RustPanic: required file docs/missing.txt could not be read: ${ENOENT}`);
  // the next call works: Rust reads a file the page gave (by its absolute path this time)
  await page.getByTestId("read-path").fill("/docs/a.txt");
  await page.getByTestId("read").click();
  await expect(result).toHaveAttribute("data-ok", "true");
  expect(await textOf(page, "read-result")).toBe(
    "/docs/a.txt: 61 characters\nThe quick brown fox\njumps over the lazy dog.\nThe dog sleeps.\n",
  );

  const r = await inPage(page, ({ app, T }) => {
    const error = (f: () => unknown) => {
      try {
        return `no error: ${JSON.stringify(f())}`;
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    const check = app.ocaml.fn("wasi_check_required", [T.string], T.string);
    const mark = (window as any).wasiDemo.lines.length;
    const resets = app.bridge.resets;
    const out: Record<string, unknown> = {
      // std::fs's error, returned as Err(String) (OCaml would get Failure)
      readText: error(() => app.rust.read_text("nope/none.txt")),
      // walkdir's error for a directory that is not there
      scan: error(() => app.rust.scan_dir("nowhere")),
      noResetYet: app.bridge.resets === resets,
      // OCaml catches Rust's panic as RustPanic and says so on stderr
      checked: check("docs/missing.txt"),
      checkedOk: check("docs/b.md"),
      // the page's own read of a missing file: an Error naming the path
      pageRead: error(() => app.files.readText("docs/missing.txt")),
      pageRemove: error(() => app.files.remove("docs/missing.txt")),
    };
    // panics abort on wasm32-wasip1: the host re-created the Rust instance, its WASI directory kept
    out.resets = app.bridge.resets - resets;
    app.files.write("docs/later.txt", "written after the panic");
    out.later = app.rust.read_text("docs/later.txt");
    app.files.remove("docs/later.txt");
    out.lines = (window as any).wasiDemo.lines.slice(mark).map((l: { stream: string; line: string }) => [l.stream, l.line]);
    // ... and everything still works
    out.report = app.ocaml.fn("wasi_summarize", [T.int], T.string)(5);
    out.files = app.files.list();
    return out;
  });
  expect(r.readText).toBe(`BoundaryError: read_text: nope/none.txt: ${ENOENT}`);
  expect(r.scan).toBe(`BoundaryError: scan_dir: cannot read nowhere: IO error for operation on nowhere: ${ENOENT}`);
  expect(r.noResetYet).toBe(true);
  expect(r.checked).toBe(`missing: required file docs/missing.txt could not be read: ${ENOENT}`);
  expect(r.checkedOk).toBe("docs/b.md: 44 bytes");
  expect(r.resets).toBe(1);
  expect(r.later).toBe("written after the panic");
  expect(r.lines).toEqual([["stderr", `ocaml: caught RustPanic: required file docs/missing.txt could not be read: ${ENOENT}`]]);
  expect(r.pageRead).toMatch(/^Error: ocaml-interop: wasi: files\.readText\("docs\/missing\.txt"\): no such file/);
  expect(r.pageRemove).toMatch(/^Error: ocaml-interop: wasi: files\.remove\("docs\/missing\.txt"\): no such file/);
  expect(r.report).toBe(REPORT_TOP5);
  expect(r.files).toEqual(["docs/a.txt", "docs/b.md", "docs/data.bin", "reports/summary.txt"]);
  await expect(page.getByTestId("status")).toHaveText("ready: OCaml and Rust are loaded");
  expect(errors).toEqual([]);
});

test("without `output`, Rust's println!/eprintln! lines go to console.log / console.error one per call, OCaml's writes to the console as before", async ({
  page,
}) => {
  const errors = await openPage(page);
  const messages: [string, string][] = [];
  page.on("console", (m) => messages.push([m.type(), m.text()]));
  const r = await inPage(page, async (w) => {
    const plain = await w.loadPlain();
    const paths = plain.rust.scan_dir("docs").map((s: { path: string }) => s.path);
    const report = plain.ocaml.fn("wasi_summarize", [w.T.int], w.T.string)(1);
    const out = { paths, report, pageLines: w.lines.length, plainWrote: plain.files.exists("reports/summary.txt") };
    plain.dispose();
    return out;
  });
  expect(r.paths).toEqual(["docs/a.txt", "docs/b.md"]);
  expect(r.report).toBe(`${REPORT_TOP5.slice(0, REPORT_TOP5.indexOf("top 5 words:"))}top 1 words:\n  1. the (5)\n`);
  // the page's own app (whose `output` is the page's log) got none of the second load's lines
  expect(r.pageLines).toBe(0);
  expect(r.plainWrote).toBe(true);
  const rustScan = [
    ["log", "docs/a.txt: 61 bytes, 3 lines, 12 words"],
    ["log", "docs/b.md: 44 bytes, 3 lines, 10 words"],
    ["error", "skipped docs/data.bin: not UTF-8 (invalid byte at offset 0)"],
  ];
  const reportBytes = r.report.length;
  // Rust's: a console call per line, without its newline; OCaml's: a console call per flush, as
  // wasm_of_ocaml's runtime writes it (its newline kept)
  const expected = [
    ...rustScan,
    ["log", "ocaml: scanning docs/\n"],
    ...rustScan,
    ["log", "ocaml: counting the words of docs/a.txt\n"],
    ["log", "ocaml: counting the words of docs/b.md\n"],
    ["log", `wrote reports/summary.txt (${reportBytes} bytes)`],
    ["log", `ocaml: the report is reports/summary.txt (${reportBytes} bytes)\n`],
  ];
  await expect.poll(() => messages.length).toBeGreaterThanOrEqual(expected.length);
  expect(messages).toEqual(expected);
  expect(await logOf(page)).toEqual([]);
  expect(errors).toEqual([]);
});

test("std::process::exit in a page: a RustPanic naming the exit, the instance re-created, the files kept, the next call working", async ({
  page,
}) => {
  const errors = await openPage(page);
  const r = await inPage(page, (w) => {
    const { app } = w;
    const caught = (f: () => unknown) => {
      try {
        return { returned: f() };
      } catch (e) {
        const err = e as Error & { functionName?: string };
        return {
          name: err.name,
          isRustPanic: e instanceof w.RustPanic,
          isError: e instanceof Error,
          functionName: err.functionName,
          message: err.message,
        };
      }
    };
    app.files.write("docs/kept.txt", "kept across the exit");
    const resets0 = app.bridge.resets;
    const mark = w.lines.length;
    const exit3 = caught(() => app.rust.exit_with(3));
    const resets1 = app.bridge.resets - resets0;
    const after = {
      pageRead: app.files.readText("docs/kept.txt"),
      rustRead: app.rust.read_text("docs/kept.txt"),
      files: app.files.list(),
      args: app.rust.wasi_info(undefined).args,
    };
    // exit(0) is a fault too: nothing in a page can end the program
    const exit0 = caught(() => app.rust.exit_with(0));
    const resets2 = app.bridge.resets - resets0;
    app.files.remove("docs/kept.txt");
    const report = app.ocaml.fn("wasi_summarize", [w.T.int], w.T.string)(5);
    const lines = w.lines.slice(mark, mark + 2).map((l) => [l.stream, l.line]);
    return { exit3, resets1, after, exit0, resets2, report, lines };
  });
  const exitMessage = (n: number) =>
    `Rust called std::process::exit(${n}) in exit_with: a WASI app's Rust module cannot end the page's process; the Rust instance was re-created`;
  expect(r.exit3).toMatchObject({ name: "RustPanic", isRustPanic: true, isError: true, functionName: "exit_with" });
  expect(r.exit3.message?.startsWith(exitMessage(3))).toBe(true);
  expect(r.resets1).toBe(1);
  expect(r.after).toEqual({
    pageRead: "kept across the exit",
    rustRead: "kept across the exit",
    files: ["docs/a.txt", "docs/b.md", "docs/data.bin", "docs/kept.txt"],
    args: ["wordcount", "--top", "5"],
  });
  expect(r.exit0).toMatchObject({ name: "RustPanic", isRustPanic: true });
  expect(r.exit0.message?.startsWith(exitMessage(0))).toBe(true);
  expect(r.resets2).toBe(2);
  // what Rust printed before exiting reached the sink
  expect(r.lines).toEqual([
    ["stdout", "exiting with 3"],
    ["stdout", "exiting with 0"],
  ]);
  expect(r.report).toBe(REPORT_TOP5);
  await expect(page.getByTestId("status")).toHaveText("ready: OCaml and Rust are loaded");
  expect(errors).toEqual([]);
});

test("the app in a Web Worker: the files given there, a scan and a run there, the lines collected by the worker's output", async ({
  page,
}) => {
  const errors = await openPage(page);
  const files = {
    "docs/one.txt": "Alpha beta\nbeta gamma\n",
    "docs/sub/two.txt": "Gamma gamma delta\n",
  };
  const msg = await inPage(
    page,
    (w, data) =>
      new Promise<any>((resolve) => {
        const worker = w.startWorker();
        worker.onmessage = (ev) => {
          resolve(ev.data);
          worker.terminate();
        };
        worker.onerror = (ev) => resolve({ ok: false, error: ev.message });
        worker.postMessage(data);
      }),
    { files, top: 2 },
  );
  expect(msg.error).toBeUndefined();
  expect(msg.ok).toBe(true);
  const r = msg.result;
  const report = [
    "wordcount: 2 files in docs/",
    "total: 3 lines, 7 words, 40 bytes",
    "  docs/one.txt: 2 lines, 4 words (3 distinct)",
    "  docs/sub/two.txt: 1 lines, 3 words (2 distinct)",
    "top 2 words:",
    "  1. gamma (3)",
    "  2. beta (2)",
    "",
  ].join("\n");
  expect(r.inWorker).toBe(true);
  expect(r.paths).toEqual(["docs/one.txt", "docs/sub/two.txt"]);
  expect(r.report).toBe(report);
  expect(r.readBack).toBe(report);
  expect(r.files).toEqual(["docs/one.txt", "docs/sub/two.txt", "reports/summary.txt"]);
  expect(r.lines).toEqual([
    ["stdout", "docs/one.txt: 22 bytes, 2 lines, 4 words"],
    ["stdout", "docs/sub/two.txt: 18 bytes, 1 lines, 3 words"],
    ["stdout", "ocaml: scanning docs/"],
    ["stdout", "docs/one.txt: 22 bytes, 2 lines, 4 words"],
    ["stdout", "docs/sub/two.txt: 18 bytes, 1 lines, 3 words"],
    ["stdout", "ocaml: counting the words of docs/one.txt"],
    ["stdout", "ocaml: counting the words of docs/sub/two.txt"],
    ["stdout", `wrote reports/summary.txt (${report.length} bytes)`],
    ["stdout", `ocaml: the report is reports/summary.txt (${report.length} bytes)`],
  ]);
  // the page's own app is untouched by the worker's: its files and its log
  expect(await inPage(page, ({ app }) => app.files.list())).toEqual(["docs/a.txt", "docs/b.md", "docs/data.bin"]);
  expect(await logOf(page)).toEqual([]);
  expect(errors).toEqual([]);
});
