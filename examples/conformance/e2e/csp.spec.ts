// The app under a strict Content-Security-Policy (csp.html: script-src 'self' 'wasm-unsafe-eval',
// no 'unsafe-eval', no inline script): it loads, works, and recovers from several panics in a
// row, with nothing blocked but the page's own probe that eval is refused.
import { expect, test } from "ocaml-interop-web/playwright";

test("under script-src 'self' 'wasm-unsafe-eval' the app loads, works, and recovers from five panics and five traps in a row", async ({
  page,
  pageErrors,
}) => {
  await page.goto("./csp.html");
  await expect(page.getByTestId("status")).toHaveText("ready", { timeout: 30_000 });
  const r = JSON.parse((await page.getByTestId("result").textContent())!);
  // the policy is in force (each engine words the refusal its own way)
  expect(r.evalBlocked).toMatch(/^EvalError: .*(Content Security Policy|CSP)/);
  expect(r).toMatchObject({
    echo: "under a strict CSP ✓",
    list: [1, 2, 3],
    ocaml: "through OCaml and Rust",
    panics: Array(5).fill("RustPanic: bottom reached after 0 crossings"),
    after: [0, 1, 2, 3, 4].map((i) => `after panic ${i}`),
    reentrant: true,
    bigarrays:
      "Rust's values true; Rust sees OCaml's write true; OCaml sees Rust's write true; sum true; " +
      "readable after growth true; writable after growth true",
  });
  // the panics unwound; each of five traps re-created the Rust instance, with no eval
  expect(r.traps).toEqual(Array(5).fill("RustPanic: Rust trapped in rust_trap: unreachable"));
  expect(r.afterTraps).toBe("after the traps");
  expect(r.resets).toBe(5);
  // nothing was blocked but the probe above (no eval, no inline script, no other source)
  expect(r.violations).toEqual(["script-src eval"]);
  // Firefox also reports the blocked probe as a page error ("The page's settings blocked a
  // JavaScript eval ..."); nothing else may be one
  expect(pageErrors.filter((m) => !/blocked a JavaScript eval/.test(m))).toEqual([]);
  pageErrors.length = 0; // the probe's, expected
});
