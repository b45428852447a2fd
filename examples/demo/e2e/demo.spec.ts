// The demo page as a visitor uses it.
import { expect, test } from "ocaml-interop-web/playwright";
import { fillNumber, openDemo } from "./helpers.ts";

test("shows OCaml and Rust calling each other on what the visitor types", async ({ page }) => {
  const errors = await openDemo(page);
  await page.getByTestId("text").fill("Grüße aus OCaml");
  await expect(page.getByTestId("analyze")).toContainText("rust_describe: ok: 17 bytes, 15 chars, 3 words, valid UTF-8: true");
  await expect(page.getByTestId("analyze")).toContainText('rust_shout_and_describe: ok: OCaml shouted "GRüßE AUS OCAML!" (18 bytes)');
  await expect(page.getByTestId("analyze")).toContainText("rust_echo round trip equal: ok: true");
  await expect(page.getByTestId("typescript")).toContainText('rust.rust_reverse(text): "lmaCO sua eßürG"');
  await fillNumber(page, "12");
  await expect(page.getByTestId("numbers")).toHaveText(
    "rust_twice: ok: 24\nrust_add n n: ok: 24\nrust_negate (even n): ok: false\nrust_hypot n n: ok: 16.9706\nrust_calls_ocaml: ok: square=144 even=true half=6",
  );
  await expect(page.getByTestId("typescript")).toContainText("rust.rust_twice(n): 24");
  expect(errors).toEqual([]);
});

test("each failure button gives a clear error and the page keeps working", async ({ page }) => {
  const errors = await openDemo(page);
  const cases: [string, RegExp][] = [
    ["panic", /^RustPanic: the visitor pressed the panic button$/],
    [
      "abort",
      /^RustPanic: Rust trapped in rust_abort: unreachable \(an abort: out of memory, or core::arch::wasm32::unreachable\); the Rust instance was re-created$/,
    ],
    ["big_int", /^Failure: rust_big_int: integer 1099511627776 does not fit OCaml's int/],
    ["overflow", /^Failure: rust_add: integer 2147483646 does not fit OCaml's int/],
    ["invalid_utf8", /^RustPanic: OCaml string is not valid UTF-8/],
    ["lossy_utf8", /^ok: "dc\uFFFDba"$/],
    ["ocaml_exception", /^RustPanic: OCaml exception, message: Some\("ocaml_fail: boom"\)$/],
    ["unregistered", /^RustPanic: OCaml function 'ocaml_never_registered' is not registered/],
    ["missing_export", /rust_missing not implemented/],
    ["ts_bad_argument", /^BoundaryError: rust_twice: argument n: expected a number \(int\), got the string "twenty-one"$/],
  ];
  for (const [fault, want] of cases) {
    await page.locator(`button[data-fault="${fault}"]`).click();
    await expect(page.getByTestId("fault")).toHaveText(want);
    await expect(page.getByTestId("after-fault")).toContainText("next call: ok: 42");
  }
  // only the abort re-created the Rust instance: every panic unwound
  await expect(page.getByTestId("after-fault")).toContainText("Rust instance re-created 1 time(s)");
  // typing still works after all of them
  await fillNumber(page, "5");
  await expect(page.getByTestId("numbers")).toContainText("rust_twice: ok: 10");
  expect(errors).toEqual([]);
});
