import { expect, test } from "ocaml-interop-web/playwright";
import type { Page } from "@playwright/test";

/** Opens the conformance page and waits until the app is loaded. The status is read in the page
 *  rather than through a locator, so that the tests run in WebKitGTK through WebDriver too
 *  (playwright.webkit.config.ts); the single-memory projects open `?ocamlBuild=single-memory`. */
export async function openConformance(page: Page): Promise<void> {
  await page.goto((test.info().project.metadata as { page?: string }).page ?? "./");
  await expect
    .poll(() => page.evaluate(() => document.querySelector("[data-testid=status]")?.textContent), { timeout: 30_000 })
    .toBe("ready");
}
