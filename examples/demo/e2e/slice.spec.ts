// Each call of the first vertical slice, in both directions and from TypeScript (in Chromium and Firefox,
// and in WebKitGTK through WebDriver: playwright.webkit.config.ts).
import { expect, test } from "ocaml-interop-web/playwright";
import { inPage, openDemo } from "./helpers.ts";

test.beforeEach(async ({ page }) => {
  await openDemo(page);
});

test("TS calls Rust exports with typed values: unit, int, bool, float, string", async ({ page }) => {
  const r = await inPage<unknown[]>(page, ({ app }) => [
    app.rust.rust_twice(21),
    app.rust.rust_twice(-7),
    app.rust.rust_add(1073741823, -1073741824),
    app.rust.rust_negate(true),
    app.rust.rust_negate(false),
    app.rust.rust_hypot(3, 4),
    app.rust.rust_reverse("héllo 🎉"),
    app.rust.rust_echo(""),
    app.rust.rust_log_count(undefined),
  ]);
  expect(r).toEqual([42, -14, -1, false, true, 5, "🎉 olléh", "", 0]);
});

test("OCaml calls Rust through plain externals, for each type", async ({ page }) => {
  const r = await inPage<unknown[]>(page, ({ app, T }) => {
    const f = (n: string, a: unknown[], ret: unknown) => app.ocaml.fn(n, a, ret);
    return [
      f("demo_twice", [T.int], T.int)(100),
      f("demo_add", [T.int, T.int], T.int)(2, 3),
      f("demo_negate", [T.bool], T.bool)(false),
      f("demo_hypot", [T.float, T.float], T.float)(5, 12),
      f("demo_reverse", [T.string], T.string)("abc"),
      f("demo_echo", [T.string], T.string)("x".repeat(100000)).length,
      f("demo_log", [T.string], T.int)("one"),
      f("demo_log", [T.string], T.int)("two"),
    ];
  });
  expect(r).toEqual([200, 5, true, 13, "cba", 100000, 1, 2]);
});

test("Rust calls functions OCaml registered (ocaml!), with roots and plain values", async ({ page }) => {
  const r = await inPage<string[]>(page, ({ app, T }) => [
    app.rust.rust_calls_ocaml(6),
    app.rust.rust_shout_and_describe("quiet"),
    app.ocaml.fn("ocaml_shout", [T.string], T.string)("direct"),
  ]);
  expect(r).toEqual(["square=36 even=true half=3", 'OCaml shouted "QUIET!" (6 bytes)', "DIRECT!"]);
});

test("an int out of OCaml's 31-bit range is a clear error, never a wrapped value", async ({ page }) => {
  const r = await inPage<string[]>(page, ({ app, T, attempt }) => {
    const out: string[] = [];
    const big = app.ocaml.fn("demo_big_int", [T.unit], T.int);
    out.push(attempt(() => big(undefined)));
    out.push(attempt(() => app.rust.rust_twice(2 ** 31)));
    out.push(attempt(() => app.rust.rust_twice(1073741823)));
    out.push(String(app.rust.rust_twice(536870911)));
    return out;
  });
  expect(r[0]).toBe(
    'OCamlException: Failure("rust_big_int: integer 1099511627776 does not fit OCaml\'s int, which is 31-bit under wasm_of_ocaml (-1073741824..=1073741823)")',
  );
  expect(r[1]).toBe(
    "BoundaryError: rust_twice: argument n: 2147483648 does not fit OCaml's int, which is 31-bit under wasm_of_ocaml (-1073741824..1073741823)",
  );
  expect(r[2]).toMatch(/^BoundaryError: rust_twice: integer 2147483646 does not fit OCaml's int/);
  expect(r[3]).toBe("1073741822");
});

test("invalid UTF-8 follows the model: lossy String, failing as_str", async ({ page }) => {
  const r = await inPage<string[]>(page, ({ app }) => {
    const bad = new Uint8Array([0x61, 0xff, 0x62]);
    const out: string[] = [app.rust.rust_reverse(bad), app.rust.rust_describe(bad)];
    try {
      app.rust.rust_strict_len(bad);
      out.push("no error");
    } catch (e: any) {
      out.push(e.name + ": " + e.message);
    }
    out.push(String(app.rust.rust_strict_len("ok")));
    return out;
  });
  expect(r[0]).toBe("b\uFFFDa");
  expect(r[1]).toBe("3 bytes, 3 chars, 1 words, valid UTF-8: false");
  expect(r[2]).toMatch(/^RustPanic: OCaml string is not valid UTF-8/);
  expect(r[3]).toBe("2");
});

test("a Rust panic reaches TS as RustPanic; it unwinds, so the Rust instance and its state survive", async ({ page }) => {
  const r = await inPage<unknown[]>(page, ({ app, T }) => {
    const log = app.ocaml.fn("demo_log", [T.string], T.int);
    const out: unknown[] = [log("a"), log("b")];
    try {
      app.rust.rust_panic("on purpose");
      out.push("no error");
    } catch (e: any) {
      out.push(e.name, e.message, e.functionName);
    }
    out.push(app.bridge.resets, log("c"), app.rust.rust_twice(4));
    return out;
  });
  // no re-creation (resets 0), and the log counter, a Rust static, goes on from 2
  expect(r).toEqual([1, 2, "RustPanic", "on purpose", "rust_panic", 0, 3, 8]);
});

test("bad input at the boundary names the function and what was wrong", async ({ page }) => {
  const r = await inPage<string[]>(page, ({ app, T, attempt }) => {
    const out: string[] = [];
    out.push(attempt(() => app.rust.rust_twice("21")));
    out.push(attempt(() => app.rust.rust_twice()));
    out.push(attempt(() => app.rust.rust_add(1)));
    out.push(attempt(() => app.ocaml.fn("no_such_function", [T.int], T.int)(1)));
    out.push(attempt(() => app.ocaml.fn("demo_twice", [T.int], T.int)(1, 2)));
    out.push(attempt(() => app.ocaml.fn("ocaml_fail", [T.string], T.string)("from TS")));
    out.push(attempt(() => app.ocaml.fn("demo_twice", [T.string], T.int)("not an int")));
    out.push(String(app.rust.rust_twice(1)));
    return out;
  });
  expect(r).toEqual([
    'BoundaryError: rust_twice: argument n: expected a number (int), got the string "21"',
    "BoundaryError: rust_twice: expected 1 argument(s), got 0",
    "BoundaryError: rust_add: expected 2 argument(s), got 1",
    "BoundaryError: OCaml function 'no_such_function' is not registered (OCaml must call Callback.register \"no_such_function\" f)",
    "BoundaryError: demo_twice: expected 1 argument(s), got 2",
    'OCamlException: Failure("ocaml_fail: from TS")',
    'OCamlException: Invalid_argument("rust_twice: argument n: expected int")',
    "2",
  ]);
});
