// Timing helpers for the benchmark page: warm up, then time several runs and keep the median;
// for async operations (W12), each awaited before the next starts.

export interface Sample {
  nsPerOp: number;
  runs: number[];
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Times `run` (which performs `ops` operations) `runs` times after `warmup` runs. */
export function measure(ops: number, run: () => void, runs = 9, warmup = 3): Sample {
  for (let i = 0; i < warmup; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    run();
    samples.push(((performance.now() - t0) * 1e6) / ops);
  }
  return { nsPerOp: median(samples), runs: samples };
}

/** An async operation of a chain: it is given what the one before it gave (the first, 0). */
export type AsyncOp = (x: number) => Promise<number>;

/** `n` operations, each awaited before the next starts; what the last one gave. */
export async function awaitEach(n: number, op: AsyncOp): Promise<number> {
  let x = 0;
  for (let i = 0; i < n; i++) x = await op(x);
  return x;
}

/** A run of `ops` async operations, each awaited in turn (as `awaitEach` does). */
export interface AsyncRun {
  ops: number;
  run: () => Promise<unknown>;
}

/** Like `measure`, for async loops: `warmup` runs, then `runs` timed runs of each loop and their
 *  median (ns per operation) and fastest. The loops are timed in turns, one of each per round
 *  (steady.ts's `interleaved`), so that a change of the machine's load falls on all of them alike;
 *  each timing includes the microtasks its operations queued, since each one is awaited. */
export async function measureAsync(loops: AsyncRun[], runs = 9, warmup = 3): Promise<(Sample & { fastest: number })[]> {
  for (let i = 0; i < warmup; i++) for (const l of loops) await l.run();
  const samples = loops.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (const [j, l] of loops.entries()) {
      const t0 = performance.now();
      await l.run();
      samples[j].push(((performance.now() - t0) * 1e6) / l.ops);
    }
  }
  return samples.map((xs) => ({ nsPerOp: median(xs), runs: xs, fastest: Math.min(...xs) }));
}
