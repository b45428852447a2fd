// What a start-up page (startup/bridge.html, startup/alone.html) reports to tools/bench/startup.ts:
// the time to ready, its parts, and every resource the page fetched (the runner sizes them,
// raw and gzip, from the built files).

export interface FetchedResource {
  url: string;
  initiator: string;
}

export interface StartupSample {
  mode: "bridge" | "alone";
  /** from the first load call to ready (ms) */
  ready_ms: number;
  /** from the navigation's start to ready (ms): the page's own fetches and script included */
  since_navigation_ms: number;
  /** the parts of ready_ms this page could time (ms), and counts */
  parts: Record<string, number>;
  /** the document and every resource fetched until ready */
  resources: FetchedResource[];
}

export function fetched(): FetchedResource[] {
  const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  const own = { url: nav?.name ?? location.href, initiator: "navigation" };
  const rest = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).map((e) => ({
    url: e.name,
    initiator: e.initiatorType,
  }));
  return [own, ...rest];
}

export function publish(sample: StartupSample | { error: string }) {
  document.querySelector("#status")!.textContent = "error" in sample ? `failed: ${sample.error}` : "done";
  (window as unknown as { startupSample: unknown }).startupSample = sample;
}

export function describe(e: unknown): string {
  return String((e as Error)?.stack ?? e);
}
