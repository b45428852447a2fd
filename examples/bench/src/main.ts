// The benchmark page: each workload and its baseline run side by side, in the same page.
// tools/bench/run.ts opens it in headless Chromium and in headless Firefox, and writes
// bench/results.json.
import { loadInterop, T } from "ocaml-interop-web";
import bench from "virtual:ocaml-interop/bench";
import { measure } from "./measure.ts";

export interface WorkloadResult { ours_ns: number; baseline: string; baseline_ns: number; ratio: number }

const results: Record<string, WorkloadResult> = {};
const tbody = document.querySelector("#results tbody")!;

function record(id: string, ours: number, baseline: string, baselineNs: number) {
  results[id] = { ours_ns: round(ours), baseline, baseline_ns: round(baselineNs), ratio: round(ours / baselineNs) };
  const tr = document.createElement("tr");
  for (const c of [id, results[id].ours_ns, baseline, results[id].baseline_ns, results[id].ratio]) {
    const td = document.createElement("td");
    td.textContent = String(c);
    tr.appendChild(td);
  }
  tbody.appendChild(tr);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

async function main() {
  const app = await loadInterop(bench);
  const raw = app.bridge.rust as unknown as Record<string, (w: number) => number>;
  const glue = app.bridge.glue as unknown as { wb_echo(s: string): string };
  const g = globalThis as unknown as { benchOCamlIncr(n: number): number };

  // W1_ocaml_to_rust_int: an OCaml loop calling a Rust int -> int export, per call
  {
    const N = 1_000_000;
    const incrLoop = app.ocaml.fn("bench_incr_loop", [T.int], T.int);
    const ours = measure(N, () => { if (incrLoop(N) !== N) throw new Error("bench_incr_loop"); });
    const exp = raw.oiw_x_bench_incr;
    const base = measure(N, () => {
      let w = 1; // OCaml 0 as a wire word
      for (let i = 0; i < N; i++) w = exp(w);
      if (w >> 1 !== N) throw new Error("baseline W1");
    });
    record("W1_ocaml_to_rust_int", ours.nsPerOp, "JS calling the same Rust wasm export directly (loop in JS)", base.nsPerOp);
  }

  // W1_rust_to_ocaml_int: a Rust loop calling a registered OCaml int -> int function
  {
    const N = 200_000;
    const ours = measure(N, () => { if (app.rust.bench_rust_calls_ocaml(N) !== N) throw new Error("bench_rust_calls_ocaml"); });
    const base = measure(N, () => {
      let acc = 0;
      for (let i = 0; i < N; i++) acc = g.benchOCamlIncr(acc);
      if (acc !== N) throw new Error("baseline W1 rust->ocaml");
    });
    record("W1_rust_to_ocaml_int", ours.nsPerOp, "JS calling the same OCaml function wrapped by Js.wrap_callback", base.nsPerOp);
  }

  // W3: OCaml passes a string to Rust, which returns it
  for (const [id, size, n] of [["W3_string_1k_roundtrip", 1024, 20_000], ["W3_string_1m_roundtrip", 1 << 20, 20]] as const) {
    const echoLoop = app.ocaml.fn("bench_echo_loop", [T.int, T.int], T.int);
    const ours = measure(n, () => { if (echoLoop(size, n) !== n) throw new Error(id); });
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
    ["W4_int_list_10k", "bench_int_list_loop", "bench_int_list_js_loop", 50,
      "OCaml copies the list into an Int32Array (Bigarray), wasm-bindgen Vec<i32> in and out, OCaml rebuilds the list"],
    ["W4_float_array_1m", "bench_float_array_loop", "bench_float_array_js_loop", 5,
      "OCaml copies the array into a Float64Array (Bigarray), wasm-bindgen Vec<f64> in and out, OCaml rebuilds the array"],
    ["W5_records_1k", "bench_records_loop", "bench_records_js_loop", 20,
      "OCaml builds JS objects, wasm-bindgen + serde-wasm-bindgen Vec<Item> in and out, OCaml reads the objects back"],
  ] as const) {
    const f = app.ocaml.fn(ours, [T.int], T.int);
    const g = app.ocaml.fn(base, [T.int], T.int);
    const o = measure(n, () => { if (f(n) !== n) throw new Error(ours); }, 7, 2);
    const b = measure(n, () => { if (g(n) !== n) throw new Error(base); }, 7, 2);
    record(id, o.nsPerOp, baseline, b.nsPerOp);
  }

  // W8: a bigarray view on Rust's memory. Summing 1M floats is O(n) on any path, so the sum is
  // compared with Rust summing its own buffer (no crossing), and the crossing itself is measured
  // with Rust reading only the length: 1M elements against 1 element (the 2x goal).
  {
    const run = (name: string, n: number) => {
      const f = app.ocaml.fn(name, [T.int], T.int);
      return measure(n, () => { if (f(n) !== n) throw new Error(name); }, 9, 2).nsPerOp;
    };
    record("W8_bigarray_view_1m", run("bench_ba_sum_loop", 50),
      "Rust summing the same 1M floats in its own buffer, called from OCaml without the bigarray", run("bench_native_sum_loop", 50));
    record("W8_bigarray_view_pass_1m_vs_1", run("bench_ba_len_big_loop", 100_000),
      "passing a 1-element bigarray view the same way (the goal: 1M within 2x of 1)", run("bench_ba_len_small_loop", 100_000));
  }

  // W6 / W7 / W9
  {
    const run = (name: string, n: number) => {
      const f = app.ocaml.fn(name, [T.int], T.int);
      return measure(n, () => { if (f(n) !== n) throw new Error(name); }, 9, 2).nsPerOp;
    };
    const N6 = 200_000;
    const base6 = measure(N6, () => {
      let acc = 0;
      for (let i = 0; i < N6; i++) acc = g.benchOCamlIncr(acc);
      if (acc !== N6) throw new Error("baseline W6");
    }).nsPerOp;
    record("W6_closure_callback", run("bench_closure_cb_loop", N6), "JS calling the same OCaml closure wrapped by Js.wrap_callback", base6);
    record("W7_exception_roundtrip", run("bench_exn_loop", 20_000),
      "an OCaml raise and catch in one module", run("bench_exn_local_loop", 200_000));
    record("W13_panic_roundtrip", run("bench_panic_loop", 1_000),
      "an OCaml raise and catch of the same exception in one module", run("bench_panic_local_loop", 200_000));
    const N9 = 100_000;
    const base9 = measure(N9, () => {
      const reg = new FinalizationRegistry<number>(() => {});
      for (let i = 0; i < N9; i++) { const o = { i }; reg.register(o, i, o); reg.unregister(o); }
    }).nsPerOp;
    // W14_ts_closure_callback: Rust calls a JS function TS passed as a closure (through its
    // OCaml function value: decode, call, encode on every call)
    const N14 = 200_000;
    const inc = (x: number) => x + 1;
    const ours14 = measure(N14, () => { if (app.rust.bench_closure_loop(inc, N14) !== N14) throw new Error("W14"); }, 9, 2).nsPerOp;
    const B14 = 100 * N14; // (a JS call costs ~1 ns: enough of them for the clock's 0.1 ms)
    const base14 = measure(B14, () => {
      let acc = 0;
      for (let i = 0; i < B14; i++) acc = inc(acc);
      if (acc !== B14) throw new Error("baseline W14");
    }).nsPerOp;
    record("W14_ts_closure_callback", ours14, "JS calling the same JS function in a JS loop", base14);
    const live0 = app.bridge.liveBoxes();
    record("W9_handle_churn", run("bench_box_loop", N9), "100,000 JS objects registered in and removed from a FinalizationRegistry", base9);
    if (app.bridge.liveBoxes() !== live0) throw new Error(`W9: ${app.bridge.liveBoxes() - live0} boxes left alive`);
  }

  // Soak: one million OCaml -> Rust calls passing a record and a string (a record back), and
  // one million TS -> Rust calls passing a string; memory and handle tables must stay flat.
  // The JS heap (which holds OCaml's WasmGC heap) is read after a forced GC (tools/bench/run.ts).
  const soak: Record<string, unknown> = {};
  {
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
      ocaml_to_rust_calls: N, ocaml_to_rust_ms: round(t1 - t0),
      ts_to_rust_calls: N, ts_to_rust_ms: round(t2 - t1),
      before, after,
    });
  }

  document.querySelector("#status")!.textContent = "done";
  (window as unknown as { benchResults: unknown }).benchResults = { workloads: results, soak };
}

main().catch((e) => {
  document.querySelector("#status")!.textContent = `failed: ${e}`;
  (window as unknown as { benchResults: unknown }).benchResults = { error: String(e?.stack ?? e) };
});
