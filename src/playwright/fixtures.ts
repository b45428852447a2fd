// Playwright's `test` with one automatic fixture: every uncaught error of the page fails the
// test that caused it, checked after the test body (a page error in the middle of a test is
// otherwise easy to miss). A test that expects page errors reads `pageErrors`, checks them and
// empties it (`pageErrors.length = 0`).
//
//   import { expect, test } from "ocaml-interop-web/playwright";
//   test("...", async ({ page }) => { ... });
import { test as base, expect } from "@playwright/test";

export const test = base.extend<{ pageErrors: string[] }>({
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
