// Adversarial suite, category "bad TS inputs" (issue 9): values a TS caller can pass that are
// not what the signature says, or that JS represents ambiguously. Each must either cross
// faithfully (what Rust or OCaml receives is exactly what was meant) or fail with a
// BoundaryError that names the function and the argument path (`id_int_list: argument x[1]:
// ...`) and says what was wrong; never a raw engine error, never a silent wrong value.
import { expect, test } from "@playwright/test";
import { expectFailure, open, run, type Outcome } from "./helpers.ts";

// ---- polluted prototypes -------------------------------------------------------------------------

/** The polluted-prototype checks, run in the page; the pollution is made by the caller. */
const pollutedChecks = (adv: any) => {
  const { conf, attempt } = adv;
  const r = conf.rust;
  const item = { id: 1, name: "n", shape: { tag: "Empty" }, color: { tag: "Red" }, tags: [], parent: null };
  const { parent: _dropped, ...noParent } = item;
  return {
    // a record lacking a field must not get the prototype's
    recordLacksField: attempt(() => r.item_show(noParent)),
    // a whole item, with parent = null: Rust must see None, not the prototype's 5
    itemParentNull: attempt(() => r.item_show(item)),
    // {} is not a variant, whatever Object.prototype.tag says
    variantFromEmpty: attempt(() => r.id_color({})),
    // {error} is an Error, whatever Object.prototype.ok says; {} is neither
    resultError: attempt(() => r.id_result({ error: "e" })),
    resultEmpty: attempt(() => r.id_result({})),
    // a constructor given no args must not take the prototype's
    ctorWithoutArgs: attempt(() => r.id_color({ tag: "Named" })),
    // a hole in an array must not read Array.prototype[1]
    holeInList: attempt(() => r.id_int_list([1, , 3])), // eslint-disable-line no-sparse-arrays
  };
};

const POLLUTE = `Object.prototype.parent = 5; Object.prototype.tag = "Red"; Object.prototype.ok = 1;
  Object.prototype.args = ["polluted"]; Array.prototype[1] = 7;`;

function expectPollutionIgnored(r: Record<string, Outcome>) {
  expect.soft(r.recordLacksField, "record lacking a field").toMatchObject({ ok: false, cls: "BoundaryError", functionName: "item_show", message: "item_show: argument x: record item lacks the field parent" });
  expect.soft(r.itemParentNull, "parent = null").toEqual({ ok: true, value: 'Item { id: 1, name: "n", shape: Empty, color: Red, tags: [], parent: None }' });
  expect.soft(r.variantFromEmpty, "{} as a variant").toMatchObject({ ok: false, cls: "BoundaryError", functionName: "id_color" });
  expect.soft((r.variantFromEmpty as { message?: string }).message ?? "").toMatch(/^id_color: argument x: expected \{tag: \.\.\.\}/);
  expect.soft(r.resultError, "{error}").toEqual({ ok: true, value: { error: "e" } });
  expect.soft(r.resultEmpty, "{} as a result").toMatchObject({ ok: false, cls: "BoundaryError", functionName: "id_result" });
  expect.soft((r.resultEmpty as { message?: string }).message ?? "").toMatch(/^id_result: argument x: expected \{ok: value\} or \{error: value\}/);
  expect.soft(r.ctorWithoutArgs, "constructor without args").toMatchObject({ ok: false, cls: "BoundaryError", functionName: "id_color", message: "id_color: argument x: Named takes 1 argument(s), got 0" });
  expect.soft(r.holeInList, "hole in a list").toMatchObject({ ok: false, cls: "BoundaryError", functionName: "id_int_list" });
  expect.soft((r.holeInList as { message?: string }).message ?? "").toMatch(/^id_int_list: argument x\[1\]: /);
}

test("Object.prototype and Array.prototype polluted after load do not change what Rust receives", async ({ page }) => {
  const errors = await open(page);
  const r = await page.evaluate(`(() => { ${POLLUTE} try { return (${pollutedChecks.toString()})(window.adv); }
    finally { for (const k of ["parent", "tag", "ok", "args"]) delete Object.prototype[k]; delete Array.prototype[1]; } })()`) as Record<string, Outcome>;
  expectPollutionIgnored(r);
  expect(errors).toEqual([]);
});

test("Object.prototype and Array.prototype polluted before load: the app loads, and Rust receives what was passed", async ({ page }) => {
  await page.addInitScript(POLLUTE);
  const errors = await open(page);
  const r = await page.evaluate(`(${pollutedChecks.toString()})(window.adv)`) as Record<string, Outcome>;
  expectPollutionIgnored(r);
  expect(errors).toEqual([]);
});

// ---- sparse arrays ------------------------------------------------------------------------------------

test("sparse arrays: a hole is refused with its path, never dropped (lists) or sent as an invalid word (tuples)", async ({ page }) => {
  await open(page);
  const r = await run(page, ({ conf: { rust }, attempt }) => ({
    list: attempt(() => rust.id_int_list([1, , 3])), // eslint-disable-line no-sparse-arrays
    strings: attempt(() => rust.id_string_list(["a", , "c"])), // eslint-disable-line no-sparse-arrays
    tuple: attempt(() => rust.id_tuple3([1, , 3.5])), // eslint-disable-line no-sparse-arrays
    array: attempt(() => rust.id_option_array([1, , 3])), // eslint-disable-line no-sparse-arrays
    after: rust.id_int_list([1, 2, 3]),
  }));
  // today: the list comes back as [1, 3] (forEach skips the hole), the tuple reaches Rust with a
  // zero word in field 1
  expectFailure(r.list, "BoundaryError", "id_int_list", "id_int_list: argument x[1]: ");
  expectFailure(r.strings, "BoundaryError", "id_string_list", "id_string_list: argument x[1]: ");
  expectFailure(r.tuple, "BoundaryError", "id_tuple3", "id_tuple3: argument x[1]: ");
  expectFailure(r.array, "BoundaryError", "id_option_array", "id_option_array: argument x[1]: ");
  expect(r.after).toEqual([1, 2, 3]);
});

// ---- fields named __proto__ or tag -------------------------------------------------------------------------

test("a record field named __proto__ (or constructor) crosses as an own field, both ways", async ({ page }) => {
  await open(page);
  const r = await run(page, ({ conf, T, attempt }) => {
    const rust = conf.rust;
    const oddT = conf.bridge.app.exports.find((e: any) => e.name === "id_odd").args[0].type;
    const fromRust = rust.odd_make(undefined);
    const fromOCaml = conf.ocaml.fn("ocaml_odd_make", [T.unit], oddT)(undefined);
    const own = (v: object) => ({
      keys: Object.keys(v).sort(),
      proto: Object.getOwnPropertyDescriptor(v, "__proto__")?.value,
      prototypeIsObject: Object.getPrototypeOf(v) === Object.prototype,
    });
    const sent = JSON.parse('{"__proto__": "p", "tag": "t", "constructor": "c"}');
    return {
      fromRust: own(fromRust), fromOCaml: own(fromOCaml),
      // what TS decoded, sent back: Rust and OCaml must receive the field
      rustRoundTrip: attempt(() => rust.odd_show(fromRust)),
      ocamlRoundTrip: attempt(() => conf.ocaml.fn("ocaml_odd_show", [oddT], T.string)(fromOCaml)),
      // an object with an own __proto__ key (JSON.parse makes one) reaches Rust as the field
      sentToRust: attempt(() => rust.odd_show(sent)),
      sentToOCaml: attempt(() => conf.ocaml.fn("ocaml_odd_show", [oddT], T.string)(sent)),
    };
  });
  const want = { keys: ["__proto__", "constructor", "tag"], proto: "p", prototypeIsObject: true };
  expect.soft(r.fromRust, "decoded from Rust").toEqual(want);
  expect.soft(r.fromOCaml, "decoded from OCaml").toEqual(want);
  expect.soft(r.rustRoundTrip).toEqual({ ok: true, value: 'Odd { proto: "p", tag: "t", constructor_: "c" }' });
  expect.soft(r.ocamlRoundTrip).toEqual({ ok: true, value: "__proto__=p tag=t constructor=c" });
  expect.soft(r.sentToRust).toEqual({ ok: true, value: 'Odd { proto: "p", tag: "t", constructor_: "c" }' });
  expect.soft(r.sentToOCaml).toEqual({ ok: true, value: "__proto__=p tag=t constructor=c" });
});

test("an inline-record field named tag does not overwrite the constructor: the value crosses back unchanged, or is refused naming the field", async ({ page }) => {
  await open(page);
  const r = await run(page, ({ conf, T, attempt }) => {
    const rust = conf.rust;
    const taggedT = conf.bridge.app.exports.find((e: any) => e.name === "id_tagged").args[0].type;
    const fromRust = attempt(() => rust.tagged_make(undefined));
    const fromOCaml = attempt(() => conf.ocaml.fn("ocaml_tagged_make", [T.unit], taggedT)(undefined));
    return {
      fromRust, fromOCaml,
      rustBack: fromRust.ok ? attempt(() => rust.tagged_show(fromRust.value)) : undefined,
      ocamlBack: fromOCaml.ok ? attempt(() => conf.ocaml.fn("ocaml_tagged_show", [taggedT], T.string)(fromOCaml.value)) : undefined,
    };
  });
  // today: Rust's Labeled { tag = "inner" } arrives as {tag: "inner", n: 7}: the constructor is
  // lost, and sending it back fails with "tagged has no constructor inner"
  for (const [side, decoded, back, want] of [
    ["Rust", r.fromRust, r.rustBack, 'Labeled { tag: "inner", n: 7 }'],
    ["OCaml", r.fromOCaml, r.ocamlBack, "Labeled {tag=inner; n=7}"],
  ] as const) {
    if (!decoded.ok) {
      expectFailure(decoded, "BoundaryError", side === "Rust" ? "tagged_make" : "ocaml_tagged_make", /tag/);
      continue;
    }
    expect.soft(back, `the value decoded from ${side}, sent back`).toEqual({ ok: true, value: want });
  }
});

// ---- Some None and None ---------------------------------------------------------------------------------------

test("Some None and None stay distinct: what TS decodes goes back as it came (or the type is refused)", async ({ page }) => {
  await open(page);
  const r = await run(page, ({ conf, T, attempt }) => {
    const rust = conf.rust;
    const tt = T.option(T.option(T.int));
    const out: Record<string, unknown> = {};
    for (const which of [0, 1, 2]) {
      const fromRust = attempt(() => rust.opt_opt_make(which));
      out[`rust${which}`] = fromRust.ok ? attempt(() => rust.opt_opt_show(fromRust.value)) : fromRust;
      const fromOCaml = attempt(() => conf.ocaml.fn("ocaml_opt_opt_make", [T.int], tt)(which));
      out[`ocaml${which}`] = fromOCaml.ok ? attempt(() => conf.ocaml.fn("ocaml_opt_opt_show", [tt], T.string)(fromOCaml.value)) : fromOCaml;
    }
    out.nullIsNone = attempt(() => rust.opt_opt_show(null));
    return out;
  });
  expect.soft(r.rust0).toEqual({ ok: true, value: "None" });
  expect.soft(r.rust2).toEqual({ ok: true, value: "Some(Some(7))" });
  expect.soft(r.ocaml0).toEqual({ ok: true, value: "None" });
  expect.soft(r.ocaml2).toEqual({ ok: true, value: "Some (Some 7)" });
  expect.soft(r.nullIsNone).toEqual({ ok: true, value: "None" });
  // today both Some None come back as None (null): a silent wrong value
  const rust1 = r.rust1 as Outcome, ocaml1 = r.ocaml1 as Outcome;
  if (rust1.ok) expect.soft(rust1.value, "Some None from Rust, sent back").toBe("Some(None)");
  else expectFailure(rust1, "BoundaryError", "opt_opt_make", /^opt_opt_make: result: /);
  if (ocaml1.ok) expect.soft(ocaml1.value, "Some None from OCaml, sent back").toBe("Some None");
  else expectFailure(ocaml1, "BoundaryError", "ocaml_opt_opt_make", /^ocaml_opt_opt_make: result: /);
});

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
      toPrimitive: attempt(() => rust.id_int64({ [Symbol.toPrimitive]() { throw new Error("toPrimitive threw"); } })),
      getter: attempt(() => rust.id_point({ x: 1, get y() { throw new Error("the getter threw"); } })),
      revoked: attempt(() => rust.id_point(proxy)),
      after: rust.id_point({ x: 1, y: 2 }),
    };
  });
  expect.soft(r.symbolString).toMatchObject({ ok: false, cls: "BoundaryError", functionName: "id_string", message: "id_string: argument x: expected a string, got symbol" });
  expect.soft(r.symbolInt).toMatchObject({ ok: false, cls: "BoundaryError", functionName: "id_int", message: "id_int: argument x: expected a number (int), got symbol" });
  expect.soft(r.symbolKey).toMatchObject({ ok: false, cls: "BoundaryError", functionName: "id_point", message: "id_point: argument x: record point lacks the field x" });
  // today: the page's own Error / TypeError escapes as it is, naming nothing
  for (const [k, path] of [["toPrimitive", "id_int64: argument x"], ["getter", "id_point: argument x.y"], ["revoked", "id_point: argument x"]] as const) {
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
    safeNumberForInt64: attempt(() => { const v = rust.id_int64(5); return `${typeof v} ${String(v)}`; }),
    nanForInt: attempt(() => rust.id_int(NaN)),
    hugeForInt: attempt(() => rust.id_int(1e300)),
  }));
  expect.soft(r.bigintForInt).toMatchObject({ ok: false, cls: "BoundaryError", message: "id_int: argument x: expected a number (int), got bigint" });
  expect.soft(r.bigintForFloat).toMatchObject({ ok: false, cls: "BoundaryError", message: "id_float: argument x: expected a number (float), got bigint" });
  // today: "prim_isize: argument n: expected an integer, got 5" (5n printed as the number 5)
  for (const k of ["bigintForIsize", "bigintForI32", "bigintForF64"] as const) {
    const o = r[k] as Outcome;
    expect.soft(o, k).toMatchObject({ ok: false, cls: "BoundaryError" });
    expect.soft(o.ok ? "" : o.message, k).toMatch(/^prim_\w+: argument \w+: .*bigint/);
  }
  expect.soft(r.fractionForInt64).toMatchObject({ ok: false, cls: "BoundaryError", functionName: "id_int64" });
  expect.soft(r.unsafeNumberForInt64).toMatchObject({ ok: false, cls: "BoundaryError", functionName: "id_int64" });
  expect.soft(r.safeNumberForInt64).toEqual({ ok: true, value: "bigint 5" });
  expect.soft(r.nanForInt).toMatchObject({ ok: false, cls: "BoundaryError", message: "id_int: argument x: expected an integer, got NaN" });
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
  // today: "expected a number (int), got string", and "expected an integer, got 5" (which reads
  // as if the number 5 were wrong)
  for (const [k, prefix] of [["int", "id_int: argument x: "], ["isize", "prim_isize: argument n: "], ["i32", "prim_i32: argument a: "],
    ["int64", "id_int64: argument x: "], ["inList", "id_int_list: argument x[1]: "], ["inVariant", "id_color: argument x.args[2]: "]] as const) {
    const o = r[k] as Outcome;
    expect.soft(o, k).toMatchObject({ ok: false, cls: "BoundaryError" });
    const m = o.ok ? "" : o.message;
    expect.soft(m.startsWith(prefix), `${k}: ${m} should start with ${prefix}`).toBe(true);
    expect.soft(m, k).toContain('"5"');
  }
});

// ---- detached typed arrays ----------------------------------------------------------------------------------------

test("a detached typed array is refused with a BoundaryError naming it, never sent as empty", async ({ page }) => {
  await open(page);
  const r = await run(page, ({ conf: { rust }, attempt }) => {
    const detach = <A extends ArrayBufferView>(a: A): A => { structuredClone(a.buffer, { transfer: [a.buffer as ArrayBuffer] }); return a; };
    return {
      bytes: attempt(() => Array.from(rust.id_bytes(detach(new Uint8Array([1, 2, 3]))))),
      floats: attempt(() => Array.from(rust.id_float_array(detach(new Float64Array([1, 2]))))),
      bigarray: attempt(() => Array.from(rust.id_f64_bigarray(detach(new Float64Array([1, 2]))))),
      stringFromBytes: attempt(() => rust.id_string(detach(new Uint8Array([104, 105])))),
      after: Array.from(rust.id_bytes(new Uint8Array([9]))),
    };
  });
  // today: bytes throw a raw TypeError from %TypedArray%.prototype.set; floats come back as []
  for (const [k, prefix] of [["bytes", "id_bytes: argument x: "], ["floats", "id_float_array: argument x: "],
    ["bigarray", "id_f64_bigarray: argument x: "], ["stringFromBytes", "id_string: argument x: "]] as const) {
    const o = r[k] as Outcome;
    expect.soft(o, `${k}: ${JSON.stringify(o)}`).toMatchObject({ ok: false, cls: "BoundaryError" });
    const m = o.ok ? "" : o.message;
    expect.soft(m.startsWith(prefix) && /detached/.test(m), `${k}: ${m}`).toBe(true);
  }
  expect(r.after).toEqual([9]);
});

// ---- cyclic objects -------------------------------------------------------------------------------------------------

test("a cyclic object is refused with a BoundaryError naming the function and argument (not a RangeError)", async ({ page }) => {
  await open(page);
  const r = await run(page, ({ conf, T, attempt }) => {
    const nestT = conf.bridge.app.exports.find((e: any) => e.name === "id_nest").args[0].type;
    const cyc: any = { tag: "Node", args: [null, 1] };
    cyc.args[0] = cyc;
    return {
      toRust: attempt(() => conf.rust.id_nest(cyc)),
      toOCaml: attempt(() => conf.ocaml.fn("ocaml_nest_depth", [nestT], T.int)(cyc)),
      after: conf.rust.id_int(1),
    };
  });
  // today: raw RangeError "Maximum call stack size exceeded" (or "too much recursion")
  expectFailure(r.toRust, "BoundaryError", "id_nest", /^id_nest: argument n(\.|: ).*(cycl|nest)/);
  expectFailure(r.toOCaml, "BoundaryError", "ocaml_nest_depth", /^ocaml_nest_depth: argument 1(\.|: ).*(cycl|nest)/);
  expect(r.after).toBe(1);
});

// ---- lone UTF-16 surrogates -------------------------------------------------------------------------------------------

test("a lone UTF-16 surrogate is refused with its path, never silently replaced by U+FFFD", async ({ page }) => {
  await open(page);
  const r = await run(page, ({ conf, T, attempt }) => ({
    short: attempt(() => conf.rust.string_hex("a\ud800b")),
    long: attempt(() => conf.rust.string_hex("x".repeat(100) + "\udc00")),
    inList: attempt(() => conf.rust.id_string_list(["ok", "x\udfffy"])),
    toOCaml: attempt(() => conf.ocaml.fn("via_rust_string", [T.string], T.string)("\ud83d")),
    // a proper pair is fine
    pair: attempt(() => conf.rust.string_hex("\ud83d\ude00")),
  }));
  // today: Rust receives ef bf bd (U+FFFD) in place of the surrogate, and no one is told
  expectFailure(r.short, "BoundaryError", "string_hex", /^string_hex: argument s: .*surrogate/);
  expectFailure(r.long, "BoundaryError", "string_hex", /^string_hex: argument s: .*surrogate/);
  expectFailure(r.inList, "BoundaryError", "id_string_list", /^id_string_list: argument x\[1\]: .*surrogate/);
  expectFailure(r.toOCaml, "BoundaryError", "via_rust_string", /^via_rust_string: argument 1: .*surrogate/);
  expect(r.pair).toEqual({ ok: true, value: "f09f9880" });
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
  // today: a raw WebAssembly.RuntimeError "illegal cast" (Chromium) / "bad cast" (Firefox)
  expect.soft(r.intForString, "int where OCaml takes a string").toMatchObject({ ok: false, interop: true, functionName: "ocaml_may_fail" });
  expect.soft((r.intForString as { message?: string }).message ?? "").toContain("ocaml_may_fail");
  expectFailure(r.stringResult, "BoundaryError", "via_rust_int", "via_rust_int: result: ");
  // today: undefined and true, silently
  expectFailure(r.unitResult, "BoundaryError", "via_rust_string", "via_rust_string: result: ");
  expectFailure(r.boolResult, "BoundaryError", "via_rust_int", "via_rust_int: result: ");
  expect.soft(r.tooMany, "two arguments to a function of one").toMatchObject({ ok: false, interop: true, functionName: "via_rust_int" });
  expect(r.after).toBe("ABC");
  expect(errors).toEqual([]);
});
