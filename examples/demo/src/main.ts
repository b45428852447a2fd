// The demo page: what a visitor types goes to OCaml, which calls Rust, which calls OCaml back.
import { loadInterop, T } from "ocaml-interop-web";
import demo from "virtual:ocaml-interop/demo";
// a file the dev server serves and `vite build` emits (no-inline: as a file, not a data: URL,
// so that the page really fetches it)
import sampleUrl from "./sample.txt?no-inline";

const $ = <E extends HTMLElement>(sel: string) => document.querySelector(sel) as E;
const status = $("#status");

function show(testid: string, text: string) {
  $(`[data-testid="${testid}"]`).textContent = text;
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

async function main() {
  let app: Awaited<ReturnType<typeof loadInterop<typeof demo>>>;
  try {
    app = await loadInterop(demo);
  } catch (e) {
    status.textContent = `failed to load: ${describeError(e)}`;
    status.className = "error";
    throw e;
  }
  const analyze = app.ocaml.fn("demo_analyze", [T.string], T.string);
  const numbers = app.ocaml.fn("demo_numbers", [T.int], T.string);
  const fault = app.ocaml.fn("demo_fault", [T.string], T.string);
  const shout = app.ocaml.fn("ocaml_shout", [T.string], T.string);
  const fetchReport = app.ocaml.fn("demo_fetch_report", [T.closure([T.string], T.promise(T.string)), T.string], T.promise(T.string));
  (window as unknown as { demo: unknown }).demo = { app, T };

  const text = $<HTMLInputElement>("#text");
  const number = $<HTMLInputElement>("#number");

  const refreshText = () => {
    show("analyze", analyze(text.value));
    refreshTs();
  };
  const refreshNumbers = () => {
    const n = Number(number.value);
    try {
      show("numbers", numbers(n));
    } catch (e) {
      show("numbers", describeError(e));
    }
    refreshTs();
  };
  const refreshTs = () => {
    const lines: string[] = [];
    const attempt = (label: string, f: () => unknown) => {
      try {
        lines.push(`${label}: ${JSON.stringify(f())}`);
      } catch (e) {
        lines.push(`${label}: ${describeError(e)}`);
      }
    };
    attempt("rust.rust_twice(n)", () => app.rust.rust_twice(Number(number.value)));
    attempt("rust.rust_reverse(text)", () => app.rust.rust_reverse(text.value));
    attempt("ocaml ocaml_shout(text)", () => shout(text.value));
    show("typescript", lines.join("\n"));
  };

  text.addEventListener("input", refreshText);
  number.addEventListener("input", refreshNumbers);
  for (const b of document.querySelectorAll<HTMLButtonElement>("button[data-fault]")) {
    b.addEventListener("click", () => {
      const kind = b.dataset.fault!;
      if (kind === "ts_bad_argument") {
        try {
          (app.rust.rust_twice as unknown as (x: unknown) => number)("twenty-one");
          show("fault", "no error?");
        } catch (e) {
          show("fault", describeError(e));
        }
      } else {
        // OCaml catches each failure and shows it, but a trap (the abort): nothing in wasm can
        // catch it, so it reaches this call, as a RustPanic naming the Rust function
        try {
          show("fault", fault(kind));
        } catch (e) {
          show("fault", describeError(e));
        }
      }
      show(
        "after-fault",
        `next call: ${fault("after")} (Rust log ${app.rust.rust_log_count(undefined)} line(s); Rust instance re-created ${app.bridge.resets} time(s))`,
      );
    });
  }
  // What OCaml hands to Rust, which calls it: the text of `url`, or a rejection saying why not.
  // (Accept text/plain: for a missing path that accepts HTML, Vite's servers answer with the
  // site's index.html and a 200.)
  const fetchText = (url: string) =>
    fetch(url, { headers: { accept: "text/plain" } }).then((r) => {
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      return r.text();
    });
  const showFetch = async (url: string) => {
    show("fetch-report", "fetching…");
    try {
      show("fetch-report", await fetchReport(fetchText, url));
    } catch (e) {
      show("fetch-report", describeError(e));
    }
  };
  $('[data-testid="fetch-sample"]').addEventListener("click", () => showFetch(sampleUrl));
  $('[data-testid="fetch-missing"]').addEventListener("click", () => showFetch("missing.txt"));

  refreshText();
  refreshNumbers();
  status.textContent = "ready: OCaml and Rust are loaded";
  status.className = "ready";
}

main();
