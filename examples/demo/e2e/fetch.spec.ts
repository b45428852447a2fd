// The "fetch and process" section: the page's fetch, given to OCaml, called by an async Rust
// export, whose promise OCaml awaits. The expected report is computed here from the file itself.
import { readFileSync } from "node:fs";
import { crc32 } from "node:zlib";
import { expect, test } from "ocaml-interop-web/playwright";
import { fillNumber, openDemo } from "./helpers.ts";

/** The report demo.ml writes, from the statistics computed here (as the Rust crate defines them:
 *  words are runs of letters and digits, lowercased; the 3 most frequent, ties alphabetical). */
function expectedReport(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== "");
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  const top = [...counts]
    .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, 3)
    .map(([w, n]) => `${w} (${n})`);
  const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  const crc = crc32(bytes).toString(16).padStart(8, "0");
  return `ok: ${lines} lines, ${words.length} words, ${bytes.length} bytes\nmost frequent: ${top.join(", ")}\nCRC-32: ${crc}`;
}

const sample = readFileSync(new URL("../src/sample.txt", import.meta.url));

test("OCaml has Rust fetch the sample file through the page's fetch and reports what Rust found", async ({ page }) => {
  const errors = await openDemo(page);
  const fetched: string[] = [];
  page.on("response", (r) => {
    if (r.url().endsWith(".txt")) fetched.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  await page.getByTestId("fetch-sample").click();
  await expect(page.getByTestId("fetch-report")).toHaveText(expectedReport(sample));
  // the built site has the file as an asset of its own, and the page fetched it from there
  expect(fetched).toEqual([expect.stringMatching(/^200 \/assets\/sample-[\w-]+\.txt$/)]);
  expect(errors).toEqual([]);
});

test("a missing file is a JS rejection that keeps its class and message through Rust and OCaml", async ({ page }) => {
  const errors = await openDemo(page);
  await page.getByTestId("fetch-missing").click();
  // the page's Error, as Rust's Rejection (class "js") and then OCaml's Failure
  await expect(page.getByTestId("fetch-report")).toHaveText("Failure: Error: missing.txt: HTTP 404");
  // the page goes on: the sample again, the other sections
  await page.getByTestId("fetch-sample").click();
  await expect(page.getByTestId("fetch-report")).toHaveText(expectedReport(sample));
  await fillNumber(page, "4");
  await expect(page.getByTestId("numbers")).toContainText("rust_twice: ok: 8");
  await page.locator('button[data-fault="panic"]').click();
  await expect(page.getByTestId("fault")).toHaveText("RustPanic: the visitor pressed the panic button");
  expect(errors).toEqual([]);
});

test("TS sees the Rust export's promise directly: the report's record, and the rejection as a JavaScriptError", async ({ page }) => {
  await openDemo(page);
  const r = await page.evaluate(async () => {
    const { app } = (window as any).demo;
    const text = (s: string) => () => Promise.resolve(s);
    const outcome = async (p: Promise<unknown>) => {
      try {
        return await p;
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    return {
      stats: await app.rust.rust_fetch_stats(text("b a b\nc b a\n"), "any"),
      rejected: await outcome(app.rust.rust_fetch_stats(() => Promise.reject(new TypeError("offline")), "any")),
    };
  });
  expect(r).toEqual({
    stats: {
      lines: 2,
      words: 6,
      bytes: 12,
      top_words: [
        ["b", 3],
        ["a", 2],
        ["c", 1],
      ],
      crc32: crc32("b a b\nc b a\n").toString(16).padStart(8, "0"),
    },
    rejected: "JavaScriptError: TypeError: offline",
  });
});
