// A hostile page, through the real modules (Chromium and Firefox): prototypes polluted before the
// app loads and after, field names such as __proto__ and tag, sparse arrays, nested options,
// deep and cyclic values, symbols, detached buffers, lone surrogates, throwing getters, other
// realms. Every check asserts the exact value (Rust's own {:?} of what it received, where that
// matters) or the exact error class and message naming the function and the argument's path.
import { expect, test } from "ocaml-interop-web/playwright";
import type { Page } from "@playwright/test";

async function open(page: Page) {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("./");
  await expect(page.getByTestId("status")).toHaveText("ready", { timeout: 30_000 });
  expect(errors).toEqual([]);
}

/** Pollutes Object.prototype and Array.prototype in the page (run before the app loads, or after). */
function pollute() {
  const w = window as unknown as { stolen: string[] };
  w.stolen = [];
  const P = Object.prototype as Record<PropertyKey, unknown>;
  P.y = 99;
  P.tag = "Empty";
  P.ok = 1;
  P.some = 5;
  P.fields = { w: 1, h: 2 };
  P.args = [[[0, 0]]];
  P[2] = 43;
  (Array.prototype as unknown as Record<number, unknown>)[1] = 42;
  // a setter and getter for a field name of the app's records: it must see nothing and supply nothing
  Object.defineProperty(Object.prototype, "parent", {
    configurable: true,
    get() {
      return 1234;
    },
    set(v) {
      w.stolen.push(`parent=${JSON.stringify(v)}`);
    },
  });
}

/** The same checks, whenever the prototypes were polluted; returns JSON (values and error texts). */
function checksUnderPollution(): string {
  const { app, T } = (window as unknown as { conformance: { app: any; T: any } }).conformance;
  const attempt = (f: () => unknown) => {
    try {
      return f();
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
  };
  const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
  const viaOCaml = (name: string, t: unknown) => app.ocaml.fn(`via_rust_${name}`, [t], t);
  const items = [
    { id: 1, name: "a", shape: { tag: "Rect", fields: { w: 3, h: 4 } }, color: { tag: "Red" }, tags: ["x"], parent: null },
    { id: 2, name: "b", shape: { tag: "Empty" }, color: { tag: "rgb", args: [1, 2, 3] }, tags: [], parent: 1 },
  ];
  const itemsBack = app.rust.id_items(items);
  const ownParent = Object.getOwnPropertyDescriptor(itemsBack[0], "parent");
  return JSON.stringify({
    point: attempt(() => app.rust.id_point({ x: 1 })),
    listViaOCaml: attempt(() => viaOCaml("int_list", T.list(T.int))(sparse)),
    pointRust: app.rust.debug_point({ x: 1, y: 2 }),
    shapeEmpty: attempt(() => app.rust.id_shape({})),
    rect: app.rust.debug_shape({ tag: "Rect", fields: { w: 3, h: 4 } }),
    rectNoFields: attempt(() => app.rust.id_shape({ tag: "Rect" })),
    result: app.rust.debug_result({ error: "e" }),
    resultEmpty: attempt(() => app.rust.id_result({})),
    optOpt: app.rust.id_opt_opt_int({ some: null }),
    optOptEmpty: attempt(() => app.rust.id_opt_opt_int({})),
    list: attempt(() => app.rust.id_int_list(sparse)),
    listRust: app.rust.debug_int_list([0, 1, 2, 3]),
    itemsSame: JSON.stringify(itemsBack) === JSON.stringify(items),
    itemsViaOCaml:
      JSON.stringify(viaOCaml("items", { list: app.bridge.app.exports.find((e: any) => e.name === "id_item").args[0].type })(items)) ===
      JSON.stringify(items),
    ownParent: ownParent && { value: ownParent.value, writable: ownParent.writable, enumerable: ownParent.enumerable },
    ownListElement: Object.getOwnPropertyDescriptor(app.rust.id_int_list([5, 6, 7]), 1)?.value,
    stolen: (window as unknown as { stolen: string[] }).stolen,
  });
}

const expectedUnderPollution = {
  point: "BoundaryError: id_point: argument x: record point lacks the field y",
  listViaOCaml:
    "BoundaryError: via_rust_int_list: argument 1[1]: missing element: the array has a hole at index 1 (sparse arrays are not accepted; every index must be an own element)",
  pointRust: "Point { x: 1.0, y: 2.0 }",
  shapeEmpty: "BoundaryError: id_shape: argument x: expected {tag: ...} (variant shape), got an object without an own tag property",
  rect: "Rect { w: 3.0, h: 4.0 }",
  rectNoFields: 'BoundaryError: id_shape: argument x: Rect has an inline record: expected {tag: "Rect", fields: {w, h}}',
  result: 'Err("e")',
  resultEmpty:
    "BoundaryError: id_result: argument x: expected {ok: value} or {error: value} (result), got an object with neither an own ok nor an own error",
  optOpt: { some: null },
  optOptEmpty:
    "BoundaryError: id_opt_opt_int: argument x: expected null (None) or {some: value} (Some; this option's payload is itself nullable, so Some is an object), got an object",
  list: "BoundaryError: id_int_list: argument x[1]: missing element: the array has a hole at index 1 (sparse arrays are not accepted; every index must be an own element)",
  listRust: "[0, 1, 2, 3]",
  itemsSame: true,
  itemsViaOCaml: true,
  ownParent: { value: null, writable: true, enumerable: true },
  ownListElement: 6,
  stolen: [],
};

test("prototypes polluted before the app loads change nothing Rust receives or TS gets back", async ({ page }) => {
  await page.addInitScript(pollute);
  await open(page);
  expect(JSON.parse(await page.evaluate(checksUnderPollution))).toEqual(expectedUnderPollution);
});

test("prototypes polluted after the app loaded change nothing either", async ({ page }) => {
  await open(page);
  await page.evaluate(pollute);
  expect(JSON.parse(await page.evaluate(checksUnderPollution))).toEqual(expectedUnderPollution);
});

test.describe("on a page not polluted", () => {
  test.beforeEach(async ({ page }) => {
    await open(page);
  });

  test("fields named __proto__, constructor and tag, and inline records as {tag, fields}", async ({ page }) => {
    const r = await page.evaluate(() => {
      const { app } = (window as any).conformance;
      const odd = JSON.parse('{"__proto__": 7, "constructor": "c", "tag": "t", "some": {"some": null}}');
      const back = app.rust.id_odd(odd);
      const viaOCaml = app.ocaml.fn(
        "via_rust_odd",
        [app.bridge.app.exports.find((e: any) => e.name === "id_odd").args[0].type],
        app.bridge.app.exports.find((e: any) => e.name === "id_odd").ret.type,
      )(odd);
      const labeled = { tag: "Labeled", fields: { tag: "inner", args: 3, fields: ["a"] } };
      const taggedT = app.bridge.app.exports.find((e: any) => e.name === "id_tagged").args[0].type;
      const attempt = (f: () => unknown) => {
        try {
          return f();
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      };
      return {
        rust: app.rust.debug_odd(odd),
        protoIsObject: Object.getPrototypeOf(back) === Object.prototype,
        ownProto: Object.getOwnPropertyDescriptor(back, "__proto__")?.value,
        keys: Object.keys(back),
        json: JSON.stringify(back),
        viaOCaml: JSON.stringify(viaOCaml),
        literalProto: attempt(() => app.rust.id_odd({ __proto__: 7, constructor: "c", tag: "t", some: null })),
        inheritedConstructor: attempt(() => app.rust.id_odd({ ["__proto__"]: 7, tag: "t", some: null })),
        labeled: app.rust.id_tagged(labeled),
        labeledRust: app.rust.debug_tagged(labeled),
        labeledViaOCaml: app.ocaml.fn("via_rust_tagged", [taggedT], taggedT)(labeled),
        wrapped: app.rust.debug_tagged({ tag: "Wrapped", args: [odd] }),
        oldShape: attempt(() => app.rust.id_shape({ tag: "Rect", w: 3, h: 4 })),
      };
    });
    expect(r).toEqual({
      rust: 'Odd { __proto__: 7, constructor: "c", tag: "t", some: Some(None) }',
      protoIsObject: true,
      ownProto: 7,
      keys: ["__proto__", "constructor", "tag", "some"],
      json: '{"__proto__":7,"constructor":"c","tag":"t","some":{"some":null}}',
      viaOCaml: '{"__proto__":7,"constructor":"c","tag":"t","some":{"some":null}}',
      literalProto: "BoundaryError: id_odd: argument x: record odd lacks the field __proto__",
      inheritedConstructor: "BoundaryError: id_odd: argument x: record odd lacks the field constructor",
      labeled: { tag: "Labeled", fields: { tag: "inner", args: 3, fields: ["a"] } },
      labeledRust: 'Labeled { tag: "inner", args: 3, fields: ["a"] }',
      labeledViaOCaml: { tag: "Labeled", fields: { tag: "inner", args: 3, fields: ["a"] } },
      wrapped: 'Wrapped(Odd { __proto__: 7, constructor: "c", tag: "t", some: Some(None) })',
      oldShape:
        'BoundaryError: id_shape: argument x: Rect has an inline record: expected {tag: "Rect", fields: {w, h}} (its fields go in fields, not next to tag)',
    });
  });

  test("sparse arrays are an error naming the index, from TS to Rust and to OCaml", async ({ page }) => {
    const r = await page.evaluate(() => {
      const { app, T } = (window as any).conformance;
      const attempt = (f: () => unknown) => {
        try {
          return f();
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      };
      /* eslint-disable no-sparse-arrays */
      return [
        attempt(() => app.rust.id_int_list([1, , 3])),
        attempt(() => app.rust.id_float_array([1.5, , 3])),
        attempt(() => app.rust.id_option_array([1, , null])),
        attempt(() => app.rust.id_tuple3([1, , 2.5])),
        attempt(() => app.rust.id_string_list(new Array(2))),
        attempt(() => app.rust.id_color({ tag: "rgb", args: [1, , 3] })),
        attempt(() => app.ocaml.fn("via_rust_float_array", [T.array(T.float)], T.array(T.float))([0.5, , 1])),
        // explicit elements are elements
        app.rust.debug_float_array([1.5, 2, 3]),
      ];
      /* eslint-enable no-sparse-arrays */
    });
    const hole = (p: string, i: number) =>
      `BoundaryError: ${p}[${i}]: missing element: the array has a hole at index ${i} (sparse arrays are not accepted; every index must be an own element)`;
    expect(r).toEqual([
      hole("id_int_list: argument x", 1),
      hole("id_float_array: argument x", 1),
      hole("id_option_array: argument x", 1),
      hole("id_tuple3: argument x", 1),
      hole("id_string_list: argument x", 0),
      "BoundaryError: id_color: argument x.args[1]: missing argument: the array has a hole at index 1",
      hole("via_rust_float_array: argument 1", 1),
      "[1.5, 2.0, 3.0]",
    ]);
  });

  test("nested options: every depth, TS -> Rust -> TS and TS -> OCaml -> Rust -> OCaml -> TS, and as Rust and OCaml see them", async ({
    page,
  }) => {
    const r = await page.evaluate(() => {
      const { app, T } = (window as any).conformance;
      const o1 = T.option(T.int),
        o2 = T.option(o1),
        o3 = T.option(o2);
      const values3 = [null, { some: null }, { some: { some: null } }, { some: { some: 5 } }];
      const values2 = [null, { some: null }, { some: -7 }];
      const valuesUnit = [null, { some: undefined }];
      const valuesUnit2 = [null, { some: null }, { some: { some: undefined } }];
      const via = (name: string, t: unknown) => app.ocaml.fn(`via_rust_${name}`, [t], t);
      const show3 = app.ocaml.fn("show_opt3_int", [o3], T.string);
      const json = (v: unknown) => JSON.stringify(v, (_, x) => (x === undefined ? "<undefined>" : x));
      return {
        rust3: values3.map((v) => app.rust.debug_opt3_int(v)),
        ocaml3: values3.map((v) => show3(v)),
        made3: [0, 1, 2, 5].map((k) => json(app.rust.make_opt3_int(k))),
        back3: values3.map((v) => json(app.rust.id_opt3_int(v))),
        via3: values3.map((v) => json(via("opt3_int", o3)(v))),
        back2: values2.map((v) => json(app.rust.id_opt_opt_int(v))),
        via2: values2.map((v) => json(via("opt_opt_int", o2)(v))),
        back1: [null, 4].map((v) => json(app.rust.id_int_option(v))),
        unit: valuesUnit.map((v) => json(app.rust.id_unit_option(v))),
        unitVia: valuesUnit.map((v) => json(via("unit_option", T.option(T.unit))(v))),
        unit2Rust: valuesUnit2.map((v) => app.rust.debug_opt_opt_unit(v)),
        unit2: valuesUnit2.map((v) => json(via("opt_opt_unit", T.option(T.option(T.unit)))(v))),
        list: json(app.rust.id_opt_opt_list([null, { some: null }, { some: 1 }])),
        listVia: json(via("opt_opt_list", T.list(o2))([null, { some: null }, { some: 1 }])),
        record: json(app.rust.id_odd({ ["__proto__"]: 0, constructor: "", tag: "", some: { some: 3 } })),
      };
    });
    const v3 = ["null", '{"some":null}', '{"some":{"some":null}}', '{"some":{"some":5}}'];
    expect(r).toEqual({
      rust3: ["None", "Some(None)", "Some(Some(None))", "Some(Some(Some(5)))"],
      ocaml3: ["None", "Some None", "Some (Some None)", "Some (Some (Some 5))"],
      made3: v3,
      back3: v3,
      via3: v3,
      back2: ["null", '{"some":null}', '{"some":-7}'],
      via2: ["null", '{"some":null}', '{"some":-7}'],
      back1: ["null", "4"],
      unit: ["null", '{"some":"<undefined>"}'],
      unitVia: ["null", '{"some":"<undefined>"}'],
      unit2Rust: ["None", "Some(None)", "Some(Some(()))"],
      unit2: ["null", '{"some":null}', '{"some":{"some":"<undefined>"}}'],
      list: '[null,{"some":null},{"some":1}]',
      listVia: '[null,{"some":null},{"some":1}]',
      record: '{"__proto__":0,"constructor":"","tag":"","some":{"some":3}}',
    });
  });

  test("the nesting limit: 1000 levels on every side; deeper and cyclic values are clear errors, and the page keeps working", async ({
    page,
  }) => {
    const r = await page.evaluate(() => {
      const { app, T } = (window as any).conformance;
      const treeT = app.bridge.app.exports.find((e: any) => e.name === "id_tree").args[0].type;
      const chain = (n: number): unknown => {
        let t: unknown = { tag: "Leaf" };
        for (let i = 0; i < n; i++) t = { tag: "Node", args: [t, i, { tag: "Leaf" }] };
        return t;
      };
      const depthOf = (t: any): number => {
        let d = 0;
        while (t.tag === "Node") {
          t = t.args[0];
          d++;
        }
        return d;
      };
      const attempt = (f: () => unknown) => {
        try {
          return f();
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      };
      const cyclic: any = { tag: "Node", args: [] };
      cyclic.args.push(cyclic, 1, { tag: "Leaf" });
      const resets0 = app.bridge.resets;
      return {
        deep1000: app.rust.tree_depth(chain(1000)),
        back1000: depthOf(app.rust.id_tree(chain(1000))),
        via1000: depthOf(app.ocaml.fn("via_rust_tree", [treeT], treeT)(chain(1000))),
        made1000: depthOf(app.rust.make_tree(1000)),
        deep1001: attempt(() => app.rust.tree_depth(chain(1001))),
        deep100k: attempt(() => app.rust.id_tree(chain(100_000))),
        cyclic: attempt(() => app.rust.id_tree(cyclic)),
        cyclicViaOCaml: attempt(() => app.ocaml.fn("via_rust_tree", [treeT], treeT)(cyclic)),
        made1001: attempt(() => app.rust.make_tree(1001)),
        ocaml1000: app.ocaml.fn("ocaml_deep_tree_to_rust", [T.int], T.string)(1000),
        ocaml1001: app.ocaml.fn("ocaml_deep_tree_to_rust", [T.int], T.string)(1001),
        after: [app.rust.id_string("after"), app.ocaml.fn("via_rust_string", [T.string], T.string)("both")],
        resets: app.bridge.resets - resets0,
      };
    });
    const tooDeep = ": nested deeper than 1000 levels (is the value cyclic?)";
    expect(r).toMatchObject({ deep1000: 1000, back1000: 1000, via1000: 1000, made1000: 1000, after: ["after", "both"], resets: 0 });
    expect(r.deep1001).toMatch(/^BoundaryError: tree_depth: argument t\.args\[0\]\.args\[0\]\.args\[0\]/);
    expect(String(r.deep1001).endsWith(tooDeep)).toBe(true);
    expect(r.deep100k).toMatch(/^BoundaryError: id_tree: argument x\.args\[0\]\.args\[0\]/);
    expect(String(r.deep100k).endsWith(tooDeep)).toBe(true);
    expect(r.cyclic).toMatch(/^BoundaryError: id_tree: argument x\.args\[0\]\.args\[0\]/);
    expect(String(r.cyclic).endsWith(tooDeep)).toBe(true);
    expect(r.cyclicViaOCaml).toMatch(/^BoundaryError: via_rust_tree: argument 1\.args\[0\]\.args\[0\]/);
    expect(String(r.cyclicViaOCaml).endsWith(tooDeep)).toBe(true);
    // Rust refuses to make it (its conversions have the limit too; OCaml refuses to send it, below)
    expect(r.made1001).toBe("BoundaryError: make_tree: the value is nested deeper than 1000 levels (the nesting limit of the wire format)");
    expect(r.ocaml1000).toBe("depth 1000");
    expect(r.ocaml1001).toBe(
      "Invalid_argument: tree_depth: argument t: nested deeper than 1000 levels through fields other than a block's last (the nesting limit of the wire format; is the value cyclic?)",
    );
  });

  test("symbols, bigints, detached buffers, lone surrogates, throwing getters, other realms: clear errors naming the argument", async ({
    page,
  }) => {
    const r = await page.evaluate(() => {
      const { app, T } = (window as any).conformance;
      const attempt = (f: () => unknown) => {
        try {
          return f();
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      };
      const detached = <A extends ArrayBufferView>(a: A): A => {
        structuredClone(a.buffer, { transfer: [a.buffer as ArrayBuffer] });
        return a;
      };
      let cause: unknown;
      const boom = new TypeError("no y");
      try {
        app.rust.id_point({
          x: 1,
          get y() {
            throw boom;
          },
        });
      } catch (e) {
        cause = (e as Error).cause;
      }
      const { proxy, revoke } = Proxy.revocable([1], {});
      revoke();
      const frame = document.createElement("iframe");
      document.body.append(frame);
      const W = frame.contentWindow as any;
      W.Object.prototype.y = 5;
      const memoryBefore = app.bridge.memory.buffer.byteLength;
      const huge = attempt(() => app.rust.id_bytes(new Uint8Array(2 ** 30 + 1)));
      const memoryAfter = app.bridge.memory.buffer.byteLength;
      return {
        symbol: attempt(() => app.rust.id_int(Symbol("s"))),
        symbolString: attempt(() => app.ocaml.fn("via_rust_string", [T.string], T.string)(Symbol.iterator)),
        symbolIsize: attempt(() => app.rust.prim_isize(Symbol("n"), false)),
        bigintInt: attempt(() => app.rust.id_int(5n)),
        bigintF64: attempt(() => app.rust.prim_f64(5n)),
        bigintBigarray: attempt(() => app.rust.id_f64_bigarray([1n])),
        numberInt64Bigarray: attempt(() => app.rust.id_i64_bigarray([1.5])),
        truncated: attempt(() => app.rust.id_u8_bigarray([256])),
        stringInt64: attempt(() => app.rust.id_int64("5")),
        detachedBytes: attempt(() => app.rust.id_bytes(detached(new Uint8Array([1, 2])))),
        detachedFloats: attempt(() => app.rust.id_float_array(detached(new Float64Array([1])))),
        detachedBigarray: attempt(() => app.rust.id_f64_bigarray(detached(new Float64Array([1])))),
        lone: attempt(() => app.rust.id_string("a\uD800b")),
        loneViaOCaml: attempt(() => app.ocaml.fn("via_rust_string", [T.string], T.string)("ok \uDC00")),
        loneInRecord: attempt(() =>
          app.rust.id_items([{ id: 1, name: "x\uD83D", shape: { tag: "Empty" }, color: { tag: "Red" }, tags: [], parent: null }]),
        ),
        pairs: app.rust.id_string("🎉 é 日"),
        getter: attempt(() =>
          app.rust.id_point({
            x: 1,
            get y() {
              throw boom;
            },
          }),
        ),
        causeKept: cause === boom,
        revoked: attempt(() => app.rust.id_int_list(proxy)),
        flatFloat: attempt(() => app.rust.id_point({ x: 1, y: "2" })),
        foreignBytes: Array.from(app.rust.id_bytes(new W.Uint8Array([1, 2]))),
        foreignList: app.rust.id_int_list(W.JSON.parse("[1, 2]")),
        foreignRecord: attempt(() => app.rust.id_point(W.JSON.parse('{"x": 1}'))),
        frozen: app.rust.id_point(Object.freeze({ x: 1, y: 2 })),
        huge,
        memorySame: memoryAfter === memoryBefore,
        after: app.rust.id_string("still fine"),
      };
    });
    expect(r).toEqual({
      symbol: "BoundaryError: id_int: argument x: expected a number (int), got a symbol (Symbol(s))",
      symbolString: "BoundaryError: via_rust_string: argument 1: expected a string, got a symbol (Symbol(Symbol.iterator))",
      symbolIsize: "BoundaryError: prim_isize: argument n: expected an integer (int), got a symbol (Symbol(n))",
      bigintInt: "BoundaryError: id_int: argument x: expected a number (int), got the bigint 5n",
      bigintF64: "BoundaryError: prim_f64: argument x: expected a number (float), got the bigint 5n",
      bigintBigarray: "BoundaryError: id_f64_bigarray: argument x[0]: expected a number (float64), got the bigint 1n",
      numberInt64Bigarray:
        "BoundaryError: id_i64_bigarray: argument x[0]: expected a bigint in -2^63..2^63-1 (int64; a number must be a safe integer), got the number 1.5",
      truncated: "BoundaryError: id_u8_bigarray: argument x[0]: expected an integer in 0..255 (int8_unsigned), got the number 256",
      stringInt64:
        'BoundaryError: id_int64: argument x: expected a bigint in -2^63..2^63-1 (int64; a number must be a safe integer), got the string "5"',
      detachedBytes: "BoundaryError: id_bytes: argument x: the Uint8Array cannot be read: its buffer is detached (it was transferred)",
      detachedFloats:
        "BoundaryError: id_float_array: argument x: the Float64Array cannot be read: its buffer is detached (it was transferred)",
      detachedBigarray:
        "BoundaryError: id_f64_bigarray: argument x: the Float64Array cannot be read: its buffer is detached (it was transferred)",
      lone: "BoundaryError: id_string: argument x: the string has a lone UTF-16 surrogate (U+D800) at index 1, which UTF-8 cannot encode (the string is not well-formed Unicode)",
      loneViaOCaml:
        "BoundaryError: via_rust_string: argument 1: the string has a lone UTF-16 surrogate (U+DC00) at index 3, which UTF-8 cannot encode (the string is not well-formed Unicode)",
      loneInRecord:
        "BoundaryError: id_items: argument x[0].name: the string has a lone UTF-16 surrogate (U+D83D) at index 1, which UTF-8 cannot encode (the string is not well-formed Unicode)",
      pairs: "🎉 é 日",
      getter: "BoundaryError: id_point: argument x.y: reading it threw TypeError: no y",
      causeKept: true,
      revoked: expect.stringMatching(/^BoundaryError: id_int_list: argument x: reading the value threw TypeError: /),
      flatFloat: 'BoundaryError: id_point: argument x.y: expected a number (float), got the string "2"',
      foreignBytes: [1, 2],
      foreignList: [1, 2],
      foreignRecord: "BoundaryError: id_point: argument x: record point lacks the field y",
      frozen: { x: 1, y: 2 },
      huge: "BoundaryError: id_bytes: argument x: a string of 1073741825 bytes needs 1073741840 bytes, more than the call arena holds (1073741824 bytes)",
      memorySame: true,
      after: "still fine",
    });
  });
});
