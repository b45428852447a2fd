// Playwright's `test` with one automatic fixture: every uncaught error of the page fails the
// test that caused it, checked after the test body (a page error in the middle of a test is
// otherwise easy to miss). A test that expects page errors reads `pageErrors`, checks them and
// empties it (`pageErrors.length = 0`).
//
//   import { expect, test } from "ocaml-interop-web/playwright";
//   test("...", async ({ page }) => { ... });
//
// With OIW_PLAYWRIGHT_WEBKIT=1 in the environment of the runner (set it at the top of a
// Playwright config of its own: see webkitConfig in index.ts), `page` is a page of WebKitGTK
// through WebDriver instead (webdriver-page.ts: goto, evaluate, waitForFunction, pageerror),
// one MiniBrowser per worker, and the tests run there unchanged.
import { test as base, expect, type Page } from "@playwright/test";
import { webDriverPage } from "./webdriver-page.ts";
import { startWebKit, type WebKitSession } from "./webkit.ts";

const webkit = process.env.OIW_PLAYWRIGHT_WEBKIT === "1";

const withPage = webkit
  ? base.extend<{ page: Page }, { webkitSession: WebKitSession }>({
      webkitSession: [
        // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this destructuring
        async ({}, use) => {
          const session = await startWebKit();
          try {
            await use(session);
          } finally {
            await session.close();
          }
        },
        { scope: "worker" },
      ],
      page: async ({ webkitSession, baseURL }, use) => {
        const page = webDriverPage(webkitSession, baseURL);
        try {
          await use(page as unknown as Page);
        } finally {
          await page.close();
        }
      },
    })
  : base;

export const test = withPage.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(`${e.name}: ${e.message}`));
      await use(errors);
      expect(errors, "uncaught errors in the page during the test").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
