// The benchmarks' goals, in one place: each workload's ratio (ours / its baseline, measured in
// the same run) and the most it should be. tools/bench/run.ts prints each ratio against its
// goal; the chart page (bench.html) draws the goal as a line across the workload's bars.
// Goals of issue 12 where it sets one; the others are the goals the workloads had before it
// (docs/architecture.md), which the issue keeps as "no regression beyond run-to-run noise".
// Issue 13's workloads (W12) are reported only.

export interface Goal {
  /** the most the ratio should be; null: reported only */
  max: number | null;
  /** what the workload measures, for a visitor */
  label: string;
  /** where the goal comes from */
  source: "issue 12" | "issue 13" | "earlier" | "none";
}

export const GOALS: Readonly<Record<string, Goal>> = {
  W1_ocaml_to_rust_int: { max: 1.0, label: "OCaml calls a Rust int -> int function", source: "issue 12" },
  W1_rust_to_ocaml_int: { max: 0.6, label: "Rust calls a registered OCaml int -> int function", source: "issue 12" },
  W1_rust_to_ocaml_int_direct: {
    max: 0.6,
    label: 'the same with Rust calling OCaml directly (ocamlCalls: "direct")',
    source: "issue 12",
  },
  W3_string_1k_roundtrip: { max: 2, label: "a 1 KiB string OCaml -> Rust -> OCaml", source: "earlier" },
  W3_string_1m_roundtrip: { max: 2, label: "a 1 MiB string OCaml -> Rust -> OCaml", source: "earlier" },
  W4_int_list_10k: { max: 1.0, label: "a 10,000-int list to Vec<i64> and back", source: "issue 12" },
  W4_float_array_1m: { max: 1.5, label: "1M floats to Vec<f64> and back", source: "earlier" },
  W5_records_1k: { max: 1.5, label: "1,000 records each way", source: "earlier" },
  W8_bigarray_view_1m: { max: null, label: "a shared 1M-float bigarray summed in Rust", source: "none" },
  W8_bigarray_view_pass_1m_vs_1: { max: 2, label: "passing a 1M bigarray view against a 1-element one", source: "earlier" },
  W6_closure_callback: { max: 0.6, label: "Rust calls an OCaml closure", source: "issue 12" },
  W6_closure_callback_direct: { max: 0.6, label: 'the same with Rust calling OCaml directly (ocamlCalls: "direct")', source: "issue 12" },
  W7_exception_roundtrip: { max: 4, label: "an OCaml exception through Rust and back", source: "issue 12" },
  W7_exception_roundtrip_direct: {
    max: 4,
    label: 'the same with Rust calling OCaml directly (ocamlCalls: "direct")',
    source: "issue 12",
  },
  W12_async_roundtrip: { max: null, label: "TS awaits an async Rust export awaiting an OCaml promise", source: "issue 13" },
  W16_rust_error: { max: null, label: "OCaml catches the Failure a Rust export's Err(msg) raises", source: "none" },
  W13_panic_roundtrip: { max: null, label: "OCaml catches the RustPanic of a Rust export that panics", source: "none" },
  W15_println: { max: null, label: "a WASI app's println! line against console.log", source: "none" },
  W9_handle_churn: { max: 1.5, label: "Rust values owned by OCaml, created and released", source: "issue 12" },
  W10_startup_time: { max: 1.2, label: "start-up: loadInterop() to ready (the demo app)", source: "issue 12" },
  W10_startup_bytes: { max: 1.1, label: "start-up: bytes fetched (the demo app, gzip)", source: "issue 12" },
  W11_app: { max: null, label: "the Markdown editor's pipeline (Rust renders, OCaml outlines)", source: "none" },
  W14_ts_closure_callback: { max: null, label: "Rust calls a JS function TS passed as a closure", source: "none" },
};

/** Whether a ratio meets its workload's goal: true, false, or null when there is no goal. */
export function meetsGoal(id: string, ratio: number): boolean | null {
  const g = GOALS[id]?.max;
  return g === undefined || g === null ? null : ratio <= g;
}
