// Steady state: a workload and its baseline timed with loops of n operations and, to show that
// the figures are those of the engine's optimised code (they no longer change with the loop's
// length), timed again with loops ten times longer. The short per-call workloads W1 always get
// the 10x figures; with ?steady=1 (OIW_BENCH_CHECK_STEADY=1 npm run bench) every per-call
// workload does, the async one (W12, measurePairAsync) included.
import { measureAsync, median } from "./measure.ts";

export const checkAll = new URLSearchParams(location.search).get("steady") === "1";

/** One loop of `n` operations. */
export type Loop = (n: number) => void;

export interface X10 {
  /** operations per loop of ours (the baseline's are ten times its own n too) */
  n: number;
  ours_ns: number;
  baseline_ns: number;
  ratio: number;
  /** the 10x ratio against the 1x ratio, minus 1 (0.05: 5% higher with the longer loop) */
  change: number;
  /** the ratio of the fastest samples (on a loaded machine, the one least disturbed) */
  fastest_ratio: number;
}

export interface Pair {
  ours_ns: number;
  baseline_ns: number;
  fastest_ratio: number;
  x10?: X10;
}

export interface PairOptions {
  /** operations per loop of the baseline (default: n) */
  baseN?: number;
  runs?: number;
  warmup?: number;
  /** time the 10x loops too (default: only with ?steady=1) */
  x10?: boolean;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Medians (ns per operation) of loops timed in turns: one of each per round, so that a change
 *  of the machine's load during the rounds falls on all of them alike. */
export function interleaved(
  loops: { ops: number; run: () => void }[],
  runs: number,
  warmup: number,
): { median: number; fastest: number }[] {
  for (let i = 0; i < warmup; i++) for (const l of loops) l.run();
  const samples = loops.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    loops.forEach((l, j) => {
      const t0 = performance.now();
      l.run();
      samples[j].push(((performance.now() - t0) * 1e6) / l.ops);
    });
  }
  return samples.map((xs) => ({ median: median(xs), fastest: Math.min(...xs) }));
}

export function measurePair(n: number, ours: Loop, base: Loop, opts: PairOptions = {}): Pair {
  const bn = opts.baseN ?? n;
  const [o, b] = interleaved(
    [
      { ops: n, run: () => ours(n) },
      { ops: bn, run: () => base(bn) },
    ],
    opts.runs ?? 9,
    opts.warmup ?? 3,
  );
  if (!(opts.x10 ?? checkAll)) return pairOf(o, b);
  // fewer rounds of the long loops: each is ten times as long
  const [o10, b10] = interleaved(
    [
      { ops: 10 * n, run: () => ours(10 * n) },
      { ops: 10 * bn, run: () => base(10 * bn) },
    ],
    5,
    1,
  );
  return pairOf(o, b, { n: 10 * n, o: o10, b: b10 });
}

/** One loop of `n` async operations, each awaited in turn (measure.ts's `awaitEach`). */
export type AsyncLoop = (n: number) => Promise<unknown>;

/** `measurePair` for async loops (measure.ts's `measureAsync`): the same rounds in turns, and
 *  the same 10x loops (with `x10`, or ?steady=1). */
export async function measurePairAsync(n: number, ours: AsyncLoop, base: AsyncLoop, opts: PairOptions = {}): Promise<Pair> {
  const bn = opts.baseN ?? n;
  const timed = async (k: number, runs: number, warmup: number) => {
    const [o, b] = await measureAsync(
      [
        { ops: k * n, run: () => ours(k * n) },
        { ops: k * bn, run: () => base(k * bn) },
      ],
      runs,
      warmup,
    );
    return [
      { median: o.nsPerOp, fastest: o.fastest },
      { median: b.nsPerOp, fastest: b.fastest },
    ];
  };
  const [o, b] = await timed(1, opts.runs ?? 9, opts.warmup ?? 3);
  if (!(opts.x10 ?? checkAll)) return pairOf(o, b);
  const [o10, b10] = await timed(10, 5, 1);
  return pairOf(o, b, { n: 10 * n, o: o10, b: b10 });
}

type Timed = { median: number; fastest: number };

/** The figures of a pair: the 1x loops', and the 10x loops' against them where timed. */
function pairOf(o: Timed, b: Timed, long?: { n: number; o: Timed; b: Timed }): Pair {
  const one = { ours_ns: o.median, baseline_ns: b.median, fastest_ratio: round(o.fastest / b.fastest) };
  if (!long) return one;
  const ratio = long.o.median / long.b.median;
  return {
    ...one,
    x10: {
      n: long.n,
      ours_ns: round(long.o.median),
      baseline_ns: round(long.b.median),
      ratio: round(ratio),
      change: round(ratio / (o.median / b.median) - 1),
      fastest_ratio: round(long.o.fastest / long.b.fastest),
    },
  };
}
