// The benchmark page: each workload and its baseline run side by side, in the same page.
// tools/bench/run.ts opens it in headless Chromium and in headless Firefox, and writes
// bench/results.json.
import { loadInterop, T } from "ocaml-interop-web";
import bench from "virtual:ocaml-interop/bench";
import wasi from "virtual:ocaml-interop/wasi";
import { awaitEach, measure } from "./measure.ts";
import { measurePair, measurePairAsync, type X10 } from "./steady.ts";
import { measureApp } from "./app-workload.ts";
import { soakAbort, soakUnwind } from "./soak-faults.ts";

export interface WorkloadResult {
  ours_ns: number;
  baseline: string;
  baseline_ns: number;
  ratio: number;
  x10?: X10;
  [k: string]: unknown;
}

const results: Record<string, WorkloadResult> = {};
const tbody = document.querySelector("#results tbody")!;

function record(id: string, ours: number, baseline: string, baselineNs: number, extra: Record<string, unknown> = {}) {
  results[id] = { ours_ns: round(ours), baseline, baseline_ns: round(baselineNs), ratio: round(ours / baselineNs), ...extra };
  const tr = document.createElement("tr");
  for (const c of [id, results[id].ours_ns, baseline, results[id].baseline_ns, results[id].ratio]) {
    const td = document.createElement("td");
    td.textContent = String(c);
    tr.appendChild(td);
  }
  tbody.appendChild(tr);
}

const round = (x: number) => Math.round(x * 1000) / 1000;
/** ?only=W4,W9 (for iterating on a few workloads): only the workloads whose id starts with one of
 *  the prefixes run, and no soak; the full run (no parameter) is what `npm run bench` records. */
const only = new URLSearchParams(location.search)
  .get("only")
  ?.split(",")
  .filter((p) => p !== "");
const want = (id: string) => !only || only.some((p) => id.startsWith(p));
/** W1's calls per loop: 1M-call loops are not steady state in V8 (direct-calls note) */
const W1_N = 4_000_000;
/** W15_println's lines per loop (each one a console.log on both sides; under an automation client
 *  such as Playwright each console.log costs ~0.1 ms: the client receives every message) */
const W13_PRINTLN_N = 1_000;
/** W12_async_roundtrip's awaited calls per loop (the baseline's: 20 times as many) */
const W12_N = 5_000;

async function main() {
  // ?ocamlBuild=single-memory (OIW_BENCH_OCAML_BUILD): the OCaml module's single-memory build
  const ocamlBuild = new URLSearchParams(location.search).get("ocamlBuild") ?? undefined;
  const app = await loadInterop(bench, { ocamlBuild: ocamlBuild as "single-memory" | undefined });
  const raw = app.bridge.rust as unknown as Record<string, (w: number) => number>;
  const glue = app.bridge.glue as unknown as { wb_echo(s: string): string };
  const g = globalThis as unknown as { benchOCamlIncr(n: number): number };
  /** The baseline of Rust calling OCaml: JS calling the OCaml function Js.wrap_callback wrapped. */
  const jsCallsOCaml = (n: number) => {
    let acc = 0;
    for (let i = 0; i < n; i++) acc = g.benchOCamlIncr(acc);
    if (acc !== n) throw new Error("baseline: benchOCamlIncr");
  };

  // W1_ocaml_to_rust_int: an OCaml loop calling a Rust int -> int export, per call; loops long
  // enough for steady state (steady.ts times them ten times longer too, to show it)
  if (want("W1_ocaml_to_rust_int")) {
    const incrLoop = app.ocaml.fn("bench_incr_loop", [T.int], T.int);
    const exp = raw.oiw_export_bench_incr;
    const p = measurePair(
      W1_N,
      (n) => {
        if (incrLoop(n) !== n) throw new Error("bench_incr_loop");
      },
      (n) => {
        let w = 1; // OCaml 0 as a wire word
        for (let i = 0; i < n; i++) w = exp(w);
        if (w >> 1 !== n) throw new Error("baseline W1");
      },
      { x10: true },
    );
    record("W1_ocaml_to_rust_int", p.ours_ns, "JS calling the same Rust wasm export directly (loop in JS)", p.baseline_ns, {
      n: W1_N,
      fastest_ratio: p.fastest_ratio,
      x10: p.x10,
    });
  }

  // the same app with Rust calling OCaml directly (the _direct rows), loaded only if one is wanted
  const wantDirect = ["W1_rust_to_ocaml_int_direct", "W6_closure_callback_direct", "W7_exception_roundtrip_direct"].some(want);
  const direct = wantDirect
    ? await loadInterop(bench, { ocamlBuild: ocamlBuild as "single-memory" | undefined, ocamlCalls: "direct" })
    : undefined;

  // W1_rust_to_ocaml_int: a Rust loop calling a registered OCaml int -> int function (on both routes)
  for (const [id, on] of [
    ["W1_rust_to_ocaml_int", app],
    ["W1_rust_to_ocaml_int_direct", direct],
  ] as const) {
    if (!want(id) || !on) continue;
    const p = measurePair(
      W1_N,
      (n) => {
        if (on.rust.bench_rust_calls_ocaml(n) !== n) throw new Error("bench_rust_calls_ocaml");
      },
      jsCallsOCaml,
      { x10: true },
    );
    record(id, p.ours_ns, "JS calling the same OCaml function wrapped by Js.wrap_callback", p.baseline_ns, {
      n: W1_N,
      fastest_ratio: p.fastest_ratio,
      x10: p.x10,
    });
  }

  // W3: OCaml passes a string to Rust, which returns it
  for (const [id, size, n] of [
    ["W3_string_1k_roundtrip", 1024, 20_000],
    ["W3_string_1m_roundtrip", 1 << 20, 20],
  ] as const) {
    if (!want(id)) continue;
    const echoLoop = app.ocaml.fn("bench_echo_loop", [T.int, T.int], T.int);
    const ours = measure(n, () => {
      if (echoLoop(size, n) !== n) throw new Error(id);
    });
    const s = "abcdefghijklmnopqrstuvwxyz".repeat(Math.ceil(size / 26)).slice(0, size);
    const base = measure(n, () => {
      for (let i = 0; i < n; i++) if (glue.wb_echo(s).length !== size) throw new Error("baseline W3");
    });
    record(id, ours.nsPerOp, "the same round trip JS -> Rust -> JS through wasm-bindgen (String -> String)", base.nsPerOp);
  }

  // W4 / W5: OCaml values each way; the baselines are written by hand with typed arrays,
  // Bigarrays and wasm-bindgen (serde-wasm-bindgen for records), in OCaml
  (globalThis as unknown as { __benchGlue: unknown }).__benchGlue = app.bridge.glue;
  for (const [id, ours, base, n, baseline] of [
    [
      "W4_int_list_10k",
      "bench_int_list_loop",
      "bench_int_list_js_loop",
      50,
      "OCaml copies the list into an Int32Array (Bigarray), wasm-bindgen Vec<i32> in and out, OCaml rebuilds the list",
    ],
    [
      "W4_float_array_1m",
      "bench_float_array_loop",
      "bench_float_array_js_loop",
      5,
      "OCaml copies the array into a Float64Array (Bigarray), wasm-bindgen Vec<f64> in and out, OCaml rebuilds the array",
    ],
    [
      "W5_records_1k",
      "bench_records_loop",
      "bench_records_js_loop",
      20,
      "OCaml builds JS objects, wasm-bindgen + serde-wasm-bindgen Vec<Item> in and out, OCaml reads the objects back",
    ],
  ] as const) {
    if (!want(id)) continue;
    const f = app.ocaml.fn(ours, [T.int], T.int);
    const g = app.ocaml.fn(base, [T.int], T.int);
    const o = measure(
      n,
      () => {
        if (f(n) !== n) throw new Error(ours);
      },
      7,
      2,
    );
    const b = measure(
      n,
      () => {
        if (g(n) !== n) throw new Error(base);
      },
      7,
      2,
    );
    record(id, o.nsPerOp, baseline, b.nsPerOp);
  }

  // W8: a bigarray view on Rust's memory. Summing 1M floats is O(n) on any path, so the sum is
  // compared with Rust summing its own buffer (no crossing), and the crossing itself is measured
  // with Rust reading only the length: 1M elements against 1 element (the 2x goal).
  if (want("W8")) {
    const run = (name: string, n: number) => {
      const f = app.ocaml.fn(name, [T.int], T.int);
      return measure(
        n,
        () => {
          if (f(n) !== n) throw new Error(name);
        },
        9,
        2,
      ).nsPerOp;
    };
    record(
      "W8_bigarray_view_1m",
      run("bench_ba_sum_loop", 50),
      "Rust summing the same 1M floats in its own buffer, called from OCaml without the bigarray",
      run("bench_native_sum_loop", 50),
    );
    record(
      "W8_bigarray_view_pass_1m_vs_1",
      run("bench_ba_len_big_loop", 100_000),
      "passing a 1-element bigarray view the same way (the goal: 1M within 2x of 1)",
      run("bench_ba_len_small_loop", 100_000),
    );
  }

  // W6 / W7 / W9 (and their 10x loops with ?steady=1)
  {
    const loop = (name: string, on = app) => {
      const f = on.ocaml.fn(name, [T.int], T.int);
      return (n: number) => {
        if (f(n) !== n) throw new Error(name);
      };
    };
    const pair = (id: string, baseline: string, n: number, ours: (n: number) => void, base: (n: number) => void, baseN = n) => {
      if (!want(id)) return;
      const p = measurePair(n, ours, base, { baseN, warmup: 2 });
      record(id, p.ours_ns, baseline, p.baseline_ns, p.x10 ? { fastest_ratio: p.fastest_ratio, x10: p.x10 } : {});
    };
    pair(
      "W6_closure_callback",
      "JS calling the same OCaml closure wrapped by Js.wrap_callback",
      200_000,
      loop("bench_closure_cb_loop"),
      jsCallsOCaml,
    );
    if (direct)
      pair(
        "W6_closure_callback_direct",
        "JS calling the same OCaml closure wrapped by Js.wrap_callback",
        200_000,
        loop("bench_closure_cb_loop", direct),
        jsCallsOCaml,
      );
    pair(
      "W7_exception_roundtrip",
      "an OCaml raise and catch in one module",
      20_000,
      loop("bench_exn_loop"),
      loop("bench_exn_local_loop"),
      200_000,
    );
    if (direct)
      pair(
        "W7_exception_roundtrip_direct",
        "an OCaml raise and catch in one module",
        20_000,
        loop("bench_exn_loop", direct),
        loop("bench_exn_local_loop"),
        200_000,
      );
    pair(
      "W16_rust_error",
      "OCaml's own failwith, caught the same way",
      20_000,
      loop("bench_error_loop"),
      loop("bench_error_local_loop"),
      200_000,
    );
    pair(
      "W13_panic_roundtrip",
      "an OCaml raise and catch of the same exception in one module",
      1_000,
      loop("bench_panic_loop"),
      loop("bench_panic_local_loop"),
      200_000,
    );
    // W14_ts_closure_callback: Rust calls a JS function TS passed as a closure (through its
    // OCaml function value: decode, call, encode on every call)
    const inc = (x: number) => x + 1;
    pair(
      "W14_ts_closure_callback",
      "JS calling the same JS function in a JS loop",
      200_000,
      (n) => {
        if (app.rust.bench_closure_loop(inc, n) !== n) throw new Error("W14");
      },
      (n) => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc = inc(acc);
        if (acc !== n) throw new Error("baseline W14");
      },
      100 * 200_000,
    ); // (a JS call costs ~1 ns: enough of them for the clock's 0.1 ms)
    const live0 = app.bridge.liveBoxes();
    pair(
      "W9_handle_churn",
      "100,000 JS objects registered in and removed from a FinalizationRegistry",
      100_000,
      loop("bench_box_loop"),
      (n) => {
        const reg = new FinalizationRegistry<number>(() => {});
        for (let i = 0; i < n; i++) {
          const o = { i };
          reg.register(o, i, o);
          reg.unregister(o);
        }
      },
    );
    if (app.bridge.liveBoxes() !== live0) throw new Error(`W9: ${app.bridge.liveBoxes() - live0} boxes left alive`);
  }

  // W12_async_roundtrip: TS awaits an async Rust export, whose future awaits the promise a
  // registered OCaml function returns (already resolved) and gives n + 1; per awaited call,
  // each call awaited before the next starts. The baseline: the same chain of resolved
  // Promises in JS alone, an async function awaiting a function that returns Promise.resolve(n).
  if (want("W12_async_roundtrip")) {
    const roundtrip = app.rust.bench_async_roundtrip;
    const resolvedJs = (n: number) => Promise.resolve(n);
    const roundtripJs = async (n: number) => (await resolvedJs(n)) + 1;
    const live0 = { handles: app.bridge.liveHandles(), boxes: app.bridge.liveBoxes() };
    const p = await measurePairAsync(
      W12_N,
      async (n) => {
        if ((await awaitEach(n, roundtrip)) !== n) throw new Error("bench_async_roundtrip");
      },
      async (n) => {
        if ((await awaitEach(n, roundtripJs)) !== n) throw new Error("baseline W12");
      },
      { baseN: 20 * W12_N },
    );
    // each call leaves a Rust closure (a promise's subscribe function or continuation) to the
    // GC, released when the JS GC collects its wrapper: after a GC, forced in Chromium (through
    // CDP) and brought on in Firefox by allocating, they must all be gone
    const gcHeap = (globalThis as unknown as { benchGcHeap?: () => Promise<number> }).benchGcHeap;
    const pause = (ms: number) => new Promise((res) => setTimeout(res, ms));
    const sink: { garbage?: unknown[] } = {};
    for (let i = 0; i < 40 && app.bridge.liveBoxes() > live0.boxes; i++) {
      if (gcHeap) await gcHeap();
      else sink.garbage = Array.from({ length: 500_000 }, (_, j) => ({ j }));
      await pause(25);
    }
    sink.garbage = undefined;
    const live1 = { handles: app.bridge.liveHandles(), boxes: app.bridge.liveBoxes() };
    if (live1.boxes !== live0.boxes) throw new Error(`W12: ${live1.boxes - live0.boxes} Rust closures left alive after a GC`);
    record(
      "W12_async_roundtrip",
      p.ours_ns,
      "the same chain of resolved Promises in JS alone (an async function awaiting Promise.resolve(n))",
      p.baseline_ns,
      {
        n: W12_N,
        fastest_ratio: p.fastest_ratio,
        live_handles_change: live1.handles - live0.handles,
        ...(p.x10 ? { x10: p.x10 } : {}),
      },
    );
  }

  // W11_app: the Markdown editor's pipeline, OCaml + Rust against Rust alone (app-workload.ts)
  if (want("W11_app")) {
    const w = await measureApp();
    record(
      "W11_app",
      w.ours_ns,
      `the same pipeline in Rust alone (md_process_rust), per edit of a ${w.document_bytes}-byte document`,
      w.baseline_ns,
      { document_bytes: w.document_bytes, editor_refresh_ns: Math.round(w.editor_refresh_ns) },
    );
  }

  // W15_println: a line Rust prints in a WASI app (examples/wasi, built for wasm32-wasip1):
  // println! -> WASI's fd_write (@bjorn3/browser_wasi_shim) -> the host splits the bytes into
  // lines -> the page's `output`, which console.logs the line; against console.log of the same
  // line in a JS loop. Per line; reported, no goal. `sink_noop_ns` is the same path with an
  // `output` that does nothing: what the crossing costs without the console.
  if (want("W15_println")) {
    let sink = (line: string) => console.log(line);
    const printer = await loadInterop(wasi, { output: (line) => sink(line) });
    try {
      const text = "W15_println: a 40-byte line to print ...";
      const print = (n: number) => {
        if (printer.rust.print_lines(n, text) !== n) throw new Error("print_lines");
      };
      const p = measurePair(W13_PRINTLN_N, print, (n) => {
        for (let i = 0; i < n; i++) console.log(text);
      });
      let count = 0;
      sink = () => {
        count++;
      };
      const noop = measure(W13_PRINTLN_N, () => print(W13_PRINTLN_N));
      if (count !== 12 * W13_PRINTLN_N) throw new Error(`W15_println: the sink got ${count} lines`);
      record("W15_println", p.ours_ns, "console.log of the same line in a JS loop", p.baseline_ns, {
        n: W13_PRINTLN_N,
        line_bytes: text.length,
        sink_noop_ns: round(noop.nsPerOp),
        fastest_ratio: p.fastest_ratio,
        ...(p.x10 ? { x10: p.x10 } : {}),
      });
    } finally {
      printer.dispose();
    }
  }

  // Soak: one million OCaml -> Rust calls passing a record and a string (a record back), and
  // one million TS -> Rust calls passing a string; memory and handle tables must stay flat.
  // The JS heap (which holds OCaml's WasmGC heap) is read after a forced GC (tools/bench/run.ts).
  const soak: Record<string, unknown> = {};
  if (!only) {
    const gcHeap = (globalThis as unknown as { benchGcHeap?: () => Promise<number> }).benchGcHeap;
    const snapshot = async () => ({
      rust_memory_bytes: app.bridge.memory.buffer.byteLength,
      arena_held_bytes: app.bridge.arenaHeldBytes(),
      live_handles: app.bridge.liveHandles(),
      live_boxes: app.bridge.liveBoxes(),
      js_heap_bytes: gcHeap ? await gcHeap() : null,
    });
    const loop = app.ocaml.fn("bench_soak_loop", [T.int], T.int);
    const echo = app.rust.bench_echo as (s: string) => string;
    const tsCalls = (n: number) => {
      for (let i = 0; i < n; i++) if (echo("soak " + i) !== "soak " + i) throw new Error("soak: bench_echo");
    };
    // warm up, so that caches and arenas reach their working size first
    if (loop(100_000) !== 100_000) throw new Error("soak: wrong records");
    tsCalls(100_000);
    const before = await snapshot();
    const t0 = performance.now();
    const N = 1_000_000;
    if (loop(N) !== N) throw new Error("soak: wrong records");
    const t1 = performance.now();
    tsCalls(N);
    const t2 = performance.now();
    const after = await snapshot();
    Object.assign(soak, {
      ocaml_to_rust_calls: N,
      ocaml_to_rust_ms: round(t1 - t0),
      ts_to_rust_calls: N,
      ts_to_rust_ms: round(t2 - t1),
      before,
      after,
    });
  }

  // the soaks with faults (soak-faults.ts): 1,000,000 calls with a panic every 1,000 (unwind
  // mode), and 100,000 with a trap every 1,000 (abort mode)
  const heap = async () => {
    const gcHeap = (globalThis as unknown as { benchGcHeap?: () => Promise<number> }).benchGcHeap;
    return gcHeap ? await gcHeap() : null;
  };
  const soakFaults = only ? undefined : { unwind: await soakUnwind(1000, heap), abort: await soakAbort(100, heap) };

  document.querySelector("#status")!.textContent = "done";
  (window as unknown as { benchResults: unknown }).benchResults = {
    workloads: results,
    soak: only ? undefined : soak,
    soak_faults: soakFaults,
  };
}

main().catch((e) => {
  document.querySelector("#status")!.textContent = `failed: ${e}`;
  (window as unknown as { benchResults: unknown }).benchResults = { error: String(e?.stack ?? e) };
});
