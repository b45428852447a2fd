// A reload while an app is loading (what the dev server does after a rebuild): the fetches the
// load needs are aborted, and Firefox still runs the page long enough for the load to fail.
// That failure is not the app's: it must not reach the page as an uncaught error (the pageErrors
// fixture fails the test on any). A load that fails after `beforeunload` while the page stays
// (a cancelled navigation) still rejects, after a grace period (src/host/unloading.ts).
import { expect, test } from "ocaml-interop-web/playwright";

const ready = (page: import("@playwright/test").Page) =>
  expect.poll(() => page.evaluate(() => document.querySelector("[data-testid=status]")?.textContent), { timeout: 30_000 }).toBe("ready");

test("reloading while an app loads is not an error of the page", async ({ page }) => {
  await page.goto("./");
  await ready(page);
  for (let i = 0; i < 5; i++) {
    // a load left to fail uncaught, as an app's own loadInterop() call would be, then a reload
    await page.evaluate((delay) => {
      setTimeout(() => {
        (window as any).conformance.loadAgain();
        setTimeout(() => location.reload(), delay);
      }, 20);
    }, i);
    await page.waitForTimeout(300);
    await page.waitForLoadState("load");
    await ready(page);
  }
});

test("a load failing after beforeunload while the page stays (a cancelled navigation) still rejects, after the grace period", async ({
  page,
}) => {
  await page.goto("./");
  await ready(page);
  const r = await page.evaluate(async () => {
    const { loadAgain } = (window as any).conformance;
    const attempt = async () => {
      const t0 = performance.now();
      try {
        await loadAgain({ ocamlBuild: "bogus" });
        return { ok: true, ms: performance.now() - t0 };
      } catch (e: any) {
        return { ok: false, name: e.name, ms: performance.now() - t0 };
      }
    };
    window.dispatchEvent(new Event("beforeunload"));
    const during = await attempt();
    window.dispatchEvent(new Event("pageshow"));
    const after = await attempt();
    return { during, after };
  });
  expect(r.during).toMatchObject({ ok: false, name: "TypeError" });
  expect(r.during.ms).toBeGreaterThanOrEqual(4900);
  expect(r.after).toMatchObject({ ok: false, name: "TypeError" });
  expect(r.after.ms).toBeLessThan(1000);
});
