// Adversarial suite, category "bad TS inputs" (issue 9): values a TS caller can pass that are
// not what the signature says. Each must fail with a BoundaryError that names the function and
// the argument path (`id_int_list: argument x[1]: ...`) and says what was wrong; never a raw
// engine error, never a silent wrong value. (Polluted prototypes, sparse arrays, fields named
// __proto__ or tag, nested options, deep and cyclic values, symbols, detached buffers and lone
// surrogates are examples/conformance/e2e/hostile.spec.ts.)
import { expect, test } from "@playwright/test";
import { expectFailure, open, run, type Outcome } from "./helpers.ts";

// ---- symbols, throwing getters, proxies --------------------------------------------------------------------------

test("symbols, throwing getters and toPrimitive, revoked proxies: an InteropError naming the function and the path", async ({ page }) => {
  await open(page);
  const r = await run(page, ({ conf: { rust }, attempt }) => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return {
      symbolString: attempt(() => rust.id_string(Symbol("s"))),
      symbolInt: attempt(() => rust.id_int(Symbol("s"))),
      symbolKey: attempt(() => rust.id_point({ [Symbol("x")]: 1, y: 2 })),
      toPrimitive: attempt(() =>
        rust.id_int64({
          [Symbol.toPrimitive]() {
            throw new Error("toPrimitive threw");
          },
        }),
      ),
      getter: attempt(() =>
        rust.id_point({
          x: 1,
          get y() {
            throw new Error("the getter threw");
          },
        }),
      ),
      revoked: attempt(() => rust.id_point(proxy)),
      after: rust.id_point({ x: 1, y: 2 }),
    };
  });
  expect.soft(r.symbolString).toMatchObject({
    ok: false,
    cls: "BoundaryError",
    functionName: "id_string",
    message: "id_string: argument x: expected a string, got a symbol (Symbol(s))",
  });
  expect.soft(r.symbolInt).toMatchObject({
    ok: false,
    cls: "BoundaryError",
    functionName: "id_int",
    message: "id_int: argument x: expected a number (int), got a symbol (Symbol(s))",
  });
  expect.soft(r.symbolKey).toMatchObject({
    ok: false,
    cls: "BoundaryError",
    functionName: "id_point",
    message: "id_point: argument x: record point lacks the field x",
  });
  for (const [k, path] of [
    ["toPrimitive", "id_int64: argument x"],
    ["getter", "id_point: argument x.y"],
    ["revoked", "id_point: argument x"],
  ] as const) {
    const o = r[k] as Outcome;
    expect.soft(o, `${k}: ${JSON.stringify(o)}`).toMatchObject({ ok: false, interop: true, functionName: path.split(":")[0] });
    expect.soft(o.ok ? "" : o.message, k).toMatch(new RegExp(`^${path.replace(/[.[\]]/g, "\\$&")}`));
  }
  expect(r.after).toEqual({ x: 1, y: 2 });
});

// ---- BigInt / number confusion, strings where ints are expected --------------------------------------------------

test("BigInt and number confusion: each refusal says which it got", async ({ page }) => {
  await open(page);
  const r = await run(page, ({ conf: { rust }, attempt }) => ({
    bigintForInt: attempt(() => rust.id_int(5n)),
    bigintForFloat: attempt(() => rust.id_float(1n)),
    bigintForIsize: attempt(() => rust.prim_isize(5n, false)),
    bigintForI32: attempt(() => rust.prim_i32(5n, 1)),
    bigintForF64: attempt(() => rust.prim_f64(1n)),
    fractionForInt64: attempt(() => rust.id_int64(1.5)),
    unsafeNumberForInt64: attempt(() => rust.id_int64(2 ** 53 + 2)),
    safeNumberForInt64: attempt(() => {
      const v = rust.id_int64(5);
      return `${typeof v} ${String(v)}`;
    }),
    nanForInt: attempt(() => rust.id_int(NaN)),
    hugeForInt: attempt(() => rust.id_int(1e300)),
  }));
  expect
    .soft(r.bigintForInt)
    .toMatchObject({ ok: false, cls: "BoundaryError", message: "id_int: argument x: expected a number (int), got the bigint 5n" });
  expect
    .soft(r.bigintForFloat)
    .toMatchObject({ ok: false, cls: "BoundaryError", message: "id_float: argument x: expected a number (float), got the bigint 1n" });
  for (const k of ["bigintForIsize", "bigintForI32", "bigintForF64"] as const) {
    const o = r[k] as Outcome;
    expect.soft(o, k).toMatchObject({ ok: false, cls: "BoundaryError" });
    expect.soft(o.ok ? "" : o.message, k).toMatch(/^prim_\w+: argument \w+: .*bigint/);
  }
  expect.soft(r.fractionForInt64).toMatchObject({ ok: false, cls: "BoundaryError", functionName: "id_int64" });
  expect.soft(r.unsafeNumberForInt64).toMatchObject({ ok: false, cls: "BoundaryError", functionName: "id_int64" });
  expect.soft(r.safeNumberForInt64).toEqual({ ok: true, value: "bigint 5" });
  expect
    .soft(r.nanForInt)
    .toMatchObject({ ok: false, cls: "BoundaryError", message: "id_int: argument x: expected an integer (int), got the number NaN" });
  expect.soft(r.hugeForInt).toMatchObject({ ok: false, cls: "BoundaryError", functionName: "id_int" });
});

test('a string "5" where an int is expected: the message quotes the string, at every kind of argument', async ({ page }) => {
  await open(page);
  const r = await run(page, ({ conf: { rust }, attempt }) => ({
    int: attempt(() => rust.id_int("5")),
    isize: attempt(() => rust.prim_isize("5", false)),
    i32: attempt(() => rust.prim_i32("5", 1)),
    int64: attempt(() => rust.id_int64("5")),
    inList: attempt(() => rust.id_int_list([1, "5"])),
    inVariant: attempt(() => rust.id_color({ tag: "rgb", args: [1, 2, "5"] })),
  }));
  for (const [k, prefix] of [
    ["int", "id_int: argument x: "],
    ["isize", "prim_isize: argument n: "],
    ["i32", "prim_i32: argument a: "],
    ["int64", "id_int64: argument x: "],
    ["inList", "id_int_list: argument x[1]: "],
    ["inVariant", "id_color: argument x.args[2]: "],
  ] as const) {
    const o = r[k] as Outcome;
    expect.soft(o, k).toMatchObject({ ok: false, cls: "BoundaryError" });
    const m = o.ok ? "" : o.message;
    expect.soft(m.startsWith(prefix), `${k}: ${m} should start with ${prefix}`).toBe(true);
    expect.soft(m, k).toContain('"5"');
  }
});

// ---- wrong type descriptors for an OCaml function ---------------------------------------------------------------------

test("wrong TS type descriptors for an OCaml function: an InteropError naming it, not an opaque 'illegal cast'", async ({ page }) => {
  const errors = await open(page);
  const r = await run(page, ({ conf, T, attempt }) => {
    const fn = (n: string, a: unknown[], ret: unknown) => conf.ocaml.fn(n, a, ret);
    return {
      // ocaml_may_fail takes a string; T.int sends an int, which OCaml's code casts
      intForString: attempt(() => fn("ocaml_may_fail", [T.int], T.string)(5)),
      // via_rust_int returns an int; the caller declared string, unit, bool
      stringResult: attempt(() => fn("via_rust_int", [T.int], T.string)(5)),
      unitResult: attempt(() => fn("via_rust_string", [T.string], T.unit)("not unit")),
      boolResult: attempt(() => fn("via_rust_int", [T.int], T.bool)(5)),
      // two arguments to a function of one
      tooMany: attempt(() => fn("via_rust_int", [T.int, T.int], T.int)(1, 2)),
      after: fn("ocaml_may_fail", [T.string], T.string)("abc"),
    };
  });
  expect.soft(r.intForString, "int where OCaml takes a string").toMatchObject({ ok: false, interop: true, functionName: "ocaml_may_fail" });
  expect.soft((r.intForString as { message?: string }).message ?? "").toContain("ocaml_may_fail");
  expectFailure(r.stringResult, "BoundaryError", "via_rust_int", "via_rust_int: result: ");
  expectFailure(r.unitResult, "BoundaryError", "via_rust_string", "via_rust_string: result: ");
  expectFailure(r.boolResult, "BoundaryError", "via_rust_int", "via_rust_int: result: ");
  expect.soft(r.tooMany, "two arguments to a function of one").toMatchObject({ ok: false, interop: true, functionName: "via_rust_int" });
  expect(r.after).toBe("ABC");
  expect(errors).toEqual([]);
});
