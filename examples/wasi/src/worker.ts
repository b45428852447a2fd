// A Web Worker that loads the WASI app on its own (its own memory, Rust instance, OCaml program
// and WASI context): the page sends the files, the worker gives them to the app, runs the word
// count there and posts back every line the app printed (its `output`) and the report read back
// from the app's directory (e2e/wasi.spec.ts).
import { loadInterop, type OutputStream, T } from "ocaml-interop-web";
import wasiApp from "virtual:ocaml-interop/wasi";

self.onmessage = async (ev: MessageEvent<{ files: Record<string, string>; top: number }>) => {
  const lines: [OutputStream, string][] = [];
  try {
    const app = await loadInterop(wasiApp, {
      wasi: { args: ["wordcount", "--top", String(ev.data.top)], files: ev.data.files },
      output: (line, stream) => lines.push([stream, line]),
    });
    const stats = app.rust.scan_dir("docs");
    const report = app.ocaml.fn("wasi_summarize_args", [T.unit], T.string)(undefined);
    const result = {
      inWorker: typeof document === "undefined",
      paths: stats.map((s) => s.path),
      report,
      readBack: app.files.readText("reports/summary.txt"),
      files: app.files.list(),
      lines,
    };
    app.dispose();
    postMessage({ ok: true, result });
  } catch (e) {
    postMessage({ ok: false, error: String((e as Error)?.stack ?? e), lines });
  }
};
