// The WASI example: the app's Rust side is built for wasm32-wasip1, so it reads and writes files
// with std::fs, prints with println!/eprintln! and reads its arguments, environment and clocks as
// a command-line program would. The page gives it an in-memory directory (wasi.files, at "/"),
// its arguments and environment, collects what Rust and OCaml print (output), and reads back the
// report Rust wrote (app.files).
import { loadInterop, type OutputStream, RustPanic, T } from "ocaml-interop-web";
import wasiApp from "virtual:ocaml-interop/wasi";

const $ = <E extends HTMLElement>(testid: string) => document.querySelector(`[data-testid="${testid}"]`) as E;
const status = $("status");

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** The files the app starts with: text, text given as bytes, and bytes that are not UTF-8. */
const FILES = {
  "docs/a.txt": "The quick brown fox\njumps over the lazy dog.\nThe dog sleeps.\n",
  "docs/b.md": new TextEncoder().encode("# Notes\n\nThe fox is quick; the dog is lazy.\n"),
  "docs/data.bin": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]),
};

/** Every line the app printed, in order (what the log shows). */
const lines: { line: string; stream: OutputStream }[] = [];
const log = $("log");

function output(line: string, stream: OutputStream) {
  lines.push({ line, stream });
  const li = document.createElement("li");
  li.dataset.testid = "log-line";
  li.dataset.stream = stream;
  li.textContent = line;
  log.append(li);
  li.scrollIntoView({ block: "nearest" });
}

async function main() {
  let app: Awaited<ReturnType<typeof loadInterop<typeof wasiApp>>>;
  try {
    app = await loadInterop(wasiApp, {
      wasi: { args: ["wordcount", "--top", "5"], env: { LANG: "en", WORDCOUNT_MODE: "demo" }, files: FILES },
      output,
    });
  } catch (e) {
    status.textContent = `failed to load: ${describeError(e)}`;
    status.className = "status error";
    throw e;
  }
  const summarize = app.ocaml.fn("wasi_summarize", [T.int], T.string);
  // for the tests (e2e/wasi.spec.ts): a second load of the app without `output` (its lines go to
  // the console), and the app loaded in a Web Worker (src/worker.ts)
  const loadPlain = () => loadInterop(wasiApp, { wasi: { args: ["wordcount"], files: FILES } });
  const startWorker = () => new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  (window as unknown as { wasiDemo: unknown }).wasiDemo = { app, T, RustPanic, lines, loadPlain, startWorker };

  const files = $("files");
  const report = $("report");
  const fail = (what: string, e: unknown) => {
    status.textContent = `${what}: ${describeError(e)}`;
    status.className = "status error";
  };
  const ready = () => {
    status.textContent = "ready: OCaml and Rust are loaded";
    status.className = "status ready";
  };

  const showFiles = () => {
    files.replaceChildren(
      ...app.files.list().map((path) => {
        const li = document.createElement("li");
        li.dataset.testid = "file";
        li.dataset.path = path;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "remove";
        remove.setAttribute("aria-label", `remove ${path}`);
        remove.addEventListener("click", () => {
          app.files.remove(path);
          showFiles();
        });
        li.append(`${path} (${app.files.read(path).length} bytes)`, remove);
        return li;
      }),
    );
  };

  $("add-file").addEventListener("click", () => {
    try {
      app.files.write($<HTMLInputElement>("filename").value, $<HTMLTextAreaElement>("content").value);
      showFiles();
      ready();
    } catch (e) {
      fail("add the file", e);
    }
  });

  $("run").addEventListener("click", () => {
    try {
      const n = Number($<HTMLInputElement>("top").value);
      const text = summarize(n);
      // the page reads back the file Rust wrote: the same text OCaml returned
      const written = app.files.readText("reports/summary.txt");
      report.textContent = written;
      report.dataset.same = String(written === text);
      showFiles();
      ready();
    } catch (e) {
      fail("run", e);
    }
  });

  $("read").addEventListener("click", () => {
    const out = $("read-result");
    const path = $<HTMLInputElement>("read-path").value;
    try {
      const text = app.rust.read_required(path);
      out.textContent = `${path}: ${text.length} characters\n${text}`;
      out.dataset.ok = "true";
    } catch (e) {
      // a file the page did not give: Rust panics, naming it; the app keeps working
      out.textContent = describeError(e);
      out.dataset.ok = "false";
    }
  });

  $("clear-log").addEventListener("click", () => {
    lines.length = 0;
    log.replaceChildren();
  });

  const info = app.rust.wasi_info(undefined);
  /** testid, label, value */
  const rows: [string, string, string][] = [
    ["args", "std::env::args()", info.args.join(" ")],
    ["lang", "LANG", info.lang ?? "(not set)"],
    ["env-count", "variables", String(info.env_count)],
    ["top", "--top", String(info.top)],
    ["time", "SystemTime::now()", new Date(info.unix_time * 1000).toISOString()],
    ["after-2020", "after 2020", String(info.after_2020)],
    ["monotonic", "Instant is monotonic", String(info.monotonic)],
    ["random", "RandomState hash", info.random_probe],
  ];
  $("info").replaceChildren(
    ...rows.flatMap(([id, k, v]) => {
      const dt = document.createElement("dt");
      dt.textContent = k;
      const dd = document.createElement("dd");
      dd.dataset.testid = `info-${id}`;
      dd.textContent = v;
      return [dt, dd];
    }),
  );
  showFiles();
  ready();
}

main();
