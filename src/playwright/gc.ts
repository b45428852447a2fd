// A full garbage collection in a Playwright page, for tests of what the GC releases (DynBox
// values, Rust closures, bigarray views whose OCaml wrappers were collected).

/** The parts of Playwright's Page that `collectGarbage` uses. */
interface PageLike<P> {
  context(): { newCDPSession(page: P): Promise<{ send(method: string): Promise<unknown>; detach(): Promise<void> }> };
  evaluate<R>(f: () => R | Promise<R>): Promise<R>;
}

/** Runs the page's garbage collector, so FinalizationRegistry callbacks (DynBox and Rust
 *  closure wrappers) can run. Chromium: through CDP (HeapProfiler.collectGarbage). Firefox has
 *  no protocol command for it (WebDriver BiDi has none), so the page allocates and drops about
 *  64 MiB and yields to the event loop, which reliably starts a full collection there. */
export async function collectGarbage<P extends PageLike<P>>(page: P, browserName: string): Promise<void> {
  if (browserName === "chromium") {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.detach();
    return;
  }
  await page.evaluate(async () => {
    let keep: unknown[] = [];
    for (let i = 0; i < 64; i++) {
      keep.push(new Array(1 << 17).fill(i));
      if (keep.length > 4) keep = [];
    }
    await new Promise((r) => setTimeout(r, 50));
  });
}
