// Timing helpers for the benchmark page: warm up, then time several runs and keep the median.

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
