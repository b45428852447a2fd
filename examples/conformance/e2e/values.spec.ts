// Property tests through the real modules: random values of every supported type go
// TS -> Rust -> TS, TS -> OCaml -> Rust -> OCaml -> TS, and Rust -> OCaml -> Rust, and must come
// back equal. The generator is seeded, so a failure names a reproducible case.
import { collectGarbage, expect, test } from "ocaml-interop-web/playwright";
import { openConformance } from "./open.ts";

const RUNS = 150;

/** The conformance-direct projects open the page with Rust calling OCaml directly, where a fault
 *  of OCaml code under Rust ends the call into Rust instead (e2e/adversarial/direct-ocaml.spec.ts
 *  holds that route's fault tests). */
const directRoute = () => ((test.info().project.metadata as { page?: string }).page ?? "").includes("ocamlCalls=direct");
const ON_DIRECT = "a fault under Rust -> OCaml: the direct route's own semantics, tested in e2e/adversarial/direct-ocaml.spec.ts";

test.beforeEach(async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await openConformance(page);
  expect(errors).toEqual([]);
});

test("the OCaml module's build: single-memory where the engine lacks multi-memory or the page asks for it; only that one is fetched; the route from Rust to OCaml the page asked for", async ({
  page,
  browserName,
}) => {
  const asked = (test.info().project.metadata as { page?: string }).page?.includes("ocamlBuild=single-memory") ?? false;
  const r = await page.evaluate(() => ({
    build: (window as any).conformance.app.bridge.ocamlBuild as string,
    calls: (window as any).conformance.app.bridge.ocamlCalls as string,
    multiMemory: (window as any).conformanceEngine.engineFeatures().multiMemory as boolean,
    wasm: performance
      .getEntriesByType("resource")
      .map((x) => x.name)
      .filter((u) => u.endsWith(".wasm")),
  }));
  expect(r.multiMemory).toBe(browserName !== "webkit");
  expect(r.build).toBe(asked || !r.multiMemory ? "single-memory" : "multi-memory");
  // and the route from Rust to OCaml the page asked for (conformance-direct-*)
  expect(r.calls).toBe(directRoute() ? "direct" : "host");
  // the Rust module and one OCaml module, never both builds
  expect(r.wasm, r.wasm.join(", ")).toHaveLength(2);
});

test("random values of every type come back equal, through Rust and through OCaml", async ({ page }) => {
  const failures = await page.evaluate((runs) => {
    const { app, T } = (window as unknown as { conformance: { app: any; T: any } }).conformance;
    // mulberry32
    let seed = 0x5eed;
    const rnd = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const pick = <X>(xs: X[]) => xs[int(0, xs.length - 1)];
    const ocamlInt = () => pick([0, 1, -1, 2 ** 30 - 1, -(2 ** 30), int(-(2 ** 30), 2 ** 30 - 1)]);
    const float = () => {
      const dv = new DataView(new ArrayBuffer(8));
      dv.setUint32(0, int(0, 2 ** 32 - 1));
      dv.setUint32(4, int(0, 2 ** 32 - 1));
      return pick([0, -0, 1.5, NaN, Infinity, -Infinity, Number.MIN_VALUE, dv.getFloat64(0), rnd() * 1e6]);
    };
    const text = () =>
      Array.from({ length: int(0, 12) }, () =>
        pick(["a", "Z", " ", "é", "ß", "日", "🎉", "\u0000", "\n", String.fromCodePoint(int(0x20, 0xd7ff))]),
      ).join("");
    const bytes = () => Uint8Array.from({ length: int(0, 40) }, () => int(0, 255));
    const int64 = () => pick([0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), BigInt(int(-1e9, 1e9)) * BigInt(int(1, 1e9))]);
    const list = <X>(f: () => X, max = 8) => Array.from({ length: int(0, max) }, f);

    const cases: [string, any, () => unknown][] = [
      ["unit", T.unit, () => undefined],
      ["int", T.int, ocamlInt],
      ["bool", T.bool, () => rnd() < 0.5],
      ["float", T.float, float],
      ["string", T.string, text],
      ["bytes", T.bytes, bytes],
      ["char", T.char, () => String.fromCharCode(int(0, 255))],
      ["int32", T.int32, () => int(-(2 ** 31), 2 ** 31 - 1)],
      ["int64", T.int64, int64],
      ["nativeint", T.nativeint, () => int(-(2 ** 31), 2 ** 31 - 1)],
      ["int_option", T.option(T.int), () => (rnd() < 0.3 ? null : ocamlInt())],
      ["int_list", T.list(T.int), () => list(ocamlInt, 30)],
      ["string_list", T.list(T.string), () => list(text)],
      ["float_array", T.array(T.float), () => Float64Array.from(list(float, 20))],
      ["option_array", T.array(T.option(T.int)), () => list(() => (rnd() < 0.3 ? null : ocamlInt()))],
      ["tuple3", T.tuple(T.int, T.string, T.float), () => [ocamlInt(), text(), float()]],
      ["result", T.result(T.int, T.string), () => (rnd() < 0.5 ? { ok: ocamlInt() } : { error: text() })],
      [
        "nested",
        T.option(T.list(T.tuple(T.int64, T.list(T.string)))),
        () => (rnd() < 0.2 ? null : list(() => [int64(), list(text, 4)], 5)),
      ],
      [
        "tuple10",
        T.tuple(T.int, T.int, T.int, T.int, T.int, T.int, T.int, T.int, T.int, T.string),
        () => [...Array.from({ length: 9 }, ocamlInt), text()],
      ],
    ];

    const same = (a: unknown, b: unknown): boolean => {
      if (typeof a === "number" && typeof b === "number") return Object.is(a, b);
      if (a instanceof Uint8Array || a instanceof Float64Array)
        return (
          (b instanceof Uint8Array || b instanceof Float64Array) &&
          a.length === b.length &&
          Array.from(a).every((x, i) => Object.is(x, (b as any)[i]))
        );
      if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
      if (a && typeof a === "object") {
        const ka = Object.keys(a),
          kb = Object.keys(b as object);
        return ka.length === kb.length && ka.every((k) => same((a as any)[k], (b as any)[k]));
      }
      return a === b;
    };
    const show = (v: unknown) =>
      JSON.stringify(v, (_, x) =>
        typeof x === "bigint"
          ? `${x}n`
          : x instanceof Uint8Array || x instanceof Float64Array
            ? Array.from(x)
            : Object.is(x, -0)
              ? "-0"
              : Number.isNaN(x)
                ? "NaN"
                : x,
      );

    const failures: string[] = [];
    let checked = 0;
    for (const [name, type, gen] of cases) {
      const viaOCaml = app.ocaml.fn(`via_rust_${name}`, [type], type);
      for (let i = 0; i < runs; i++) {
        const v = gen();
        for (const [path, f] of [
          ["TS->Rust->TS", app.rust[`id_${name}`]],
          ["TS->OCaml->Rust->OCaml->TS", viaOCaml],
        ] as const) {
          try {
            const back = f(v);
            checked++;
            if (!same(v, back)) failures.push(`${name} ${path}: ${show(v)} came back as ${show(back)}`);
          } catch (e) {
            failures.push(`${name} ${path}: ${show(v)} raised ${(e as Error).message}`);
          }
        }
      }
    }
    return { failures: failures.slice(0, 10), checked };
  }, RUNS);
  expect(failures.failures).toEqual([]);
  expect(failures.checked).toBe(RUNS * 2 * 19);
});

test("Rust sends random values through OCaml identity functions (ocaml!) and gets them back", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    return [app.rust.rust_round_trips(42, 200), app.ocaml.fn("rust_round_trips", [T.int, T.int], T.string)(7, 100)];
  });
  expect(r).toEqual(["ok 1000", "ok 500"]);
});

test("OCaml values survive OCaml -> Rust -> OCaml (structural equality in OCaml)", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    return app.ocaml.fn("ocaml_round_trips", [T.unit], T.tuple(T.int, T.int))(undefined);
  });
  expect(r).toEqual([13, 13]);
});

test("exceptions are values: name and message() as in the model", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    return app.ocaml.fn("describe_exns", [T.unit], T.string)(undefined);
  });
  expect(r).toBe("Failure/boom; Not_found/-; Dune__exe__Conformance.My_error/mine; Invalid_argument/arg");
});

test("a value of the wrong shape is a clear error, not a wrong value", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const out: string[] = [];
    const attempt = (f: () => unknown) => {
      try {
        out.push(`no error: ${JSON.stringify(f())}`);
      } catch (e) {
        out.push(`${(e as Error).name}: ${(e as Error).message}`);
      }
    };
    attempt(() => app.rust.id_int_list([1, "two"]));
    attempt(() => app.rust.id_tuple3([1, "x"]));
    attempt(() => app.rust.id_int64(1.5));
    attempt(() => app.rust.id_result({ ok: 1, error: "both" }));
    // OCaml passes a string list where Rust expects an int list: the glue cannot see element
    // types, the Rust decoder does
    attempt(() => app.ocaml.fn("via_rust_string_list", [T.list(T.int)], T.list(T.int))([1, 2]));
    out.push(String(app.rust.id_int(5)));
    return out;
  });
  expect(r[0]).toBe('BoundaryError: id_int_list: argument x[1]: expected a number (int), got the string "two"');
  expect(r[1]).toBe("BoundaryError: id_tuple3: argument x: expected a 3-tuple, got 2 element(s)");
  expect(r[2]).toMatch(/^BoundaryError: id_int64: argument x: expected a bigint/);
  expect(r[3]).toMatch(/^BoundaryError: id_result: argument x: expected \{ok: value\} or \{error: value\}/);
  expect(r[4]).toBe('OCamlException: Failure("ocaml-interop: id_string_list: expected a string (tag 252), got the immediate 1")');
  expect(r[5]).toBe("5");
});

test("records, variants and polymorphic variants cross between OCaml, Rust and TS", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const ocamlSide = app.ocaml.fn("records_and_variants", [T.unit], T.tuple(T.bool, T.string))(undefined);
    const point = { x: 1.5, y: -2 };
    const shapes = [
      { tag: "Empty" },
      { tag: "Nothing" },
      { tag: "Circle", args: [point, 2] },
      { tag: "Rect", fields: { w: 3, h: 4 } },
      {
        tag: "Poly",
        args: [
          [
            [0, 0],
            [4, 0],
            [0, 3],
          ],
        ],
      },
    ];
    const colors = [{ tag: "Red" }, { tag: "Green" }, { tag: "rgb", args: [1, 2, 3] }, { tag: "Named", args: ["teal"] }];
    const items = shapes.map((shape, i) => ({
      id: i,
      name: `item ${i} é`,
      shape,
      color: colors[i % colors.length],
      tags: Array.from({ length: i }, (_, k) => `t${k}`),
      parent: i % 2 ? i - 1 : null,
    }));
    // the descriptions the build generated for the Rust exports are what TS converts with
    const spec = app.bridge.app.exports.find((e: any) => e.name === "id_item").args[0].type;
    const viaOCaml = app.ocaml.fn("via_rust_items", [{ list: spec }], { list: spec });
    return {
      ocamlSide,
      point: app.rust.id_point(point),
      shapes: shapes.map((s) => app.rust.id_shape(s)),
      colors: colors.map((c) => app.rust.id_color(c)),
      items: app.rust.id_items(items),
      itemsViaOCaml: viaOCaml(items),
      areas: shapes.map((s) => app.rust.shape_area(s)),
      input: items,
    };
  });
  expect(r.ocamlSide).toEqual([true, "12.57 12.00 6.00 0.00 0.00"]);
  expect(r.point).toEqual({ x: 1.5, y: -2 });
  expect(r.shapes).toEqual([
    { tag: "Empty" },
    { tag: "Nothing" },
    { tag: "Circle", args: [{ x: 1.5, y: -2 }, 2] },
    { tag: "Rect", fields: { w: 3, h: 4 } },
    {
      tag: "Poly",
      args: [
        [
          [0, 0],
          [4, 0],
          [0, 3],
        ],
      ],
    },
  ]);
  expect(r.colors).toEqual([{ tag: "Red" }, { tag: "Green" }, { tag: "rgb", args: [1, 2, 3] }, { tag: "Named", args: ["teal"] }]);
  expect(r.items).toEqual(r.input);
  expect(r.itemsViaOCaml).toEqual(r.input);
  expect(r.areas.map((a: number) => a.toFixed(2))).toEqual(["0.00", "0.00", "12.57", "12.00", "6.00"]);
});

test("a record or variant of the wrong shape is rejected with the type's name", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app } = (window as any).conformance;
    const out: string[] = [];
    const attempt = (f: () => unknown) => {
      try {
        out.push(`no error: ${JSON.stringify(f())}`);
      } catch (e) {
        out.push(`${(e as Error).name}: ${(e as Error).message}`);
      }
    };
    attempt(() => app.rust.id_point({ x: 1 }));
    attempt(() => app.rust.id_shape({ tag: "Triangle" }));
    attempt(() => app.rust.id_shape({ tag: "Circle", args: [{ x: 0, y: 0 }] }));
    attempt(() => app.rust.id_color({ tag: "rgb", args: [1, 2, "3"] }));
    return out;
  });
  expect(r).toEqual([
    "BoundaryError: id_point: argument x: record point lacks the field y",
    "BoundaryError: id_shape: argument x: shape has no constructor Triangle (it has Empty, Circle, Rect, Poly, Nothing)",
    "BoundaryError: id_shape: argument x: Circle takes 2 argument(s), got 1",
    'BoundaryError: id_color: argument x.args[2]: expected a number (int), got the string "3"',
  ]);
});

test("OCaml closures called from Rust: try_call, 7 arguments, exceptions as Err, rooting and release", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    return [app.ocaml.fn("closure_tests", [T.unit], T.string)(undefined), app.ocaml.fn("closure_churn", [T.int], T.int)(10000)];
  });
  expect(r[0]).toBe(
    [
      "18",
      "13",
      "1,2,3,4,5,6,7",
      "ok ABC",
      "error Failure: boom",
      "error Not_found: ",
      "live after calls 0",
      "1",
      "2",
      "live while kept 2",
      "506",
      "live after drop 0",
    ].join("; "),
  );
  expect(r[1]).toBe(0);
});

test("bigarrays: copied both ways, and a zero-copy view on Rust's memory that survives its growth", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const ocaml = app.ocaml.fn("bigarray_tests", [T.unit], T.string)(undefined);
    const f = app.rust.id_f64_bigarray(new Float64Array([1, 2.5, -3]));
    const u = app.rust.id_u8_bigarray(new Uint8Array([0, 128, 255]));
    const big = Array.from(app.rust.id_i64_bigarray(new BigInt64Array([-(2n ** 63n), 5n]))).map(String);
    return {
      ocaml,
      big,
      f: Array.from(f),
      fType: f.constructor.name,
      u: Array.from(u),
      uType: u.constructor.name,
      resizable: app.bridge.resizableViews,
      engineResizable: (window as any).conformanceEngine.engineFeatures().resizableBuffers as boolean,
    };
  });
  // where the engine lacks toResizableBuffer (WebKitGTK 2.50) a bigarray Rust shares is a copy
  // (engine.spec.ts checks the copies): the four checks of sharing fail there, by design
  const shared = r.engineResizable ? "ok" : "FAILED";
  expect(r.ocaml).toMatch(
    new RegExp(
      "^copy f64 ok; copy u8 ok; copy i32 ok; copy i64 ok; copy nativeint ok; copy i16 ok; copy f32 ok; empty ok; " +
        `OCaml writes, Rust reads ${shared}; Rust writes, OCaml reads ${shared}; zero-copy sum ${shared}; view survives growth \\(\\d+ -> \\d+ MiB\\) ${shared}; rooted copy ok$`,
    ),
  );
  expect(r).toMatchObject({
    big: ["-9223372036854775808", "5"],
    f: [1, 2.5, -3],
    fType: "Float64Array",
    u: [0, 128, 255],
    uType: "Uint8Array",
    resizable: r.engineResizable,
  });
});

test("DynBox: Rust values owned by OCaml, type-checked, released explicitly or by the GC", async ({ page, browserName }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    return app.ocaml.fn("dynbox_tests", [T.unit], T.string)(undefined);
  });
  expect(r).toBe(
    "incr 11 12; live +1; released: live +0 dropped +1; unclaimed: live +0 dropped +2; " +
      "after release: ocaml-interop: this DynBox was released (or collected) and its value dropped; " +
      "wrong type: ocaml-interop: DynBox holds another type than alloc::string::String",
  );

  // boxes left to OCaml's GC are dropped in Rust once the wrappers are collected
  const stats = () =>
    page.evaluate(() => {
      const { app, T } = (window as any).conformance;
      return app.ocaml.fn("box_stats", [T.unit], T.tuple(T.int, T.int))(undefined) as [number, number];
    });
  const [live0, dropped0] = await stats();
  await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    app.ocaml.fn("dynbox_garbage", [T.int], T.unit)(1000);
  });
  await expect
    .poll(
      async () => {
        await collectGarbage(page, browserName);
        const [live, dropped] = await stats();
        // <= 0: a box of dynbox_tests whose wrapper is collected meanwhile is dropped too
        return [live - live0 <= 0, dropped - dropped0 >= 1000];
      },
      { timeout: 20_000 },
    )
    .toEqual([true, true]);
});

test("DynBox: a Drop that panics is told to the console; the call that released it and the next ones succeed", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const f = app.ocaml.fn("dynbox_drop_panic", [T.int], T.int);
    const out = [f(1), f(2), f(3), f(4)];
    return { out, count: app.bridge.dropPanics };
  });
  expect(r).toEqual({ out: [2, 3, 4, 5], count: 4 });
  // the first three are told, then every 1000th
  await expect.poll(() => errors.filter((e) => e.includes("panicked")).length).toBe(3);
  expect(errors[0]).toContain(
    "the Drop of a Rust value OCaml released or collected (a DynBox or Rust closure) panicked: DropPanics(1) dropped",
  );
  expect(errors[2]).toContain("(3 times so far): DropPanics(3) dropped");
});

test("Rust closures as OCaml functions: curried, partially applied, panicking, and collected", async ({ page, browserName }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    return app.ocaml.fn("rust_closure_tests", [T.unit], T.string)(undefined);
  });
  // r7 calls `add` after the panic: the panic unwound, so the Rust instance and add's closure
  // survive (a trap would re-create the instance; then the closure is gone: abort-mode tests)
  expect(r).toBe("103 115 [101;102;103] HELLO / the Rust closure panics / 3 212");
  const stats = () =>
    page.evaluate(() => {
      const { app, T } = (window as any).conformance;
      return app.ocaml.fn("box_stats", [T.unit], T.tuple(T.int, T.int))(undefined) as [number, number];
    });
  const [live0] = await stats();
  await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    app.ocaml.fn("rust_closure_garbage", [T.int], T.unit)(500);
  });
  await expect
    .poll(
      async () => {
        await collectGarbage(page, browserName);
        return (await stats())[0] - live0;
      },
      { timeout: 20_000 },
    )
    .toBeLessThanOrEqual(0);
});

test("an OCaml exception that crosses Rust (even twice) keeps its identity: OCaml's own handler catches it", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    return app.ocaml.fn("exception_identity_tests", [T.unit], T.string)(undefined);
  });
  expect(r).toBe(
    [
      "value 42",
      "Not_found caught by its own handler",
      'Mine (7, "deep") caught by its own handler',
      'Mine (9, "twice") caught by its own handler',
      "Failure checked_sqrt: -4 is negative",
    ].join("; "),
  );
});

test("re-entrant calls OCaml -> Rust -> OCaml ... 100 levels deep (and 255, the most the re-entrancy limit allows), values rooted across them, a panic at the bottom unwinding every level", async ({
  page,
}) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const run = app.ocaml.fn("reentrancy_tests", [T.int], T.string);
    const resets0 = app.bridge.resets,
      handles0 = app.bridge.liveHandles();
    const deep100 = run(100);
    const deep255 = run(255);
    // after the panic, both modules still work
    const after = app.rust.id_string("still here");
    return { deep100, deep255, after, resets: app.bridge.resets - resets0, handles: app.bridge.liveHandles() - handles0 };
  });
  expect(r.deep100).toMatch(/^ok ok .*bottom reached after 200 crossings/);
  expect(r.deep255).toMatch(/^ok ok .*bottom reached after 510 crossings/);
  // the model's panic text, not wrapped again at each level (see docs/compatibility.md)
  expect(r.deep100).toBe('ok ok OCaml exception, message: Some("bottom reached after 200 crossings")');
  expect(r.after).toBe("still here");
  // the panic unwound every Rust frame (their BoxRoots dropped on the way): no re-creation
  expect(r.resets).toBe(0);
  // every BoxRoot taken on the way down was released on the way up
  expect(r.handles).toBe(0);
});

test("an export of seven arguments of mixed types", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    return {
      fromOCaml: app.ocaml.fn("mix7", [T.unit], T.string)(undefined),
      fromTS: app.rust.mix7(7, "a", -0.5, [], false, null, 9007199254740993n),
    };
  });
  expect(r.fromOCaml).toBe('-5 é 2.5 [1, 2, 3] true Some("x") -9223372036854775808');
  expect(r.fromTS).toBe("7 a -0.5 [] false None 9007199254740993");
});

test("many calls passing records and strings leave memory, the arena and the handle tables flat", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const soak = app.ocaml.fn("soak", [T.int], T.int);
    const snapshot = () => ({
      memory: app.bridge.memory.buffer.byteLength,
      arena: app.bridge.arenaHeldBytes(),
      handles: app.bridge.liveHandles(),
      boxes: app.bridge.liveBoxes(),
    });
    const warm = soak(20_000);
    const before = snapshot();
    const ok = soak(200_000);
    let tsOk = 0;
    for (let i = 0; i < 100_000; i++) if (app.rust.id_string("s" + i) === "s" + i) tsOk++;
    return { warm, ok, tsOk, before, after: snapshot() };
  });
  expect([r.warm, r.ok, r.tsOk]).toEqual([20_000, 200_000, 100_000]);
  expect(r.after).toEqual(r.before);
});

test("calls with immediates only (the glue's bare frame) give the arena back on every path: result, Err(msg), Err(exn)", async ({
  page,
}) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const loop = app.ocaml.fn("bare_loop", [T.int, T.int], T.int);
    // each call puts about 1 KiB in the arena: 60,000 calls would hold ~60 MiB if kept
    const warm = loop(100, 1024);
    const before = app.bridge.arenaHeldBytes();
    const ok = loop(20_000, 1024);
    return { warm, ok, before, after: app.bridge.arenaHeldBytes(), handles: app.bridge.liveHandles() };
  });
  // every result and exception was the expected one (3 a round)
  expect([r.warm, r.ok]).toEqual([300, 60_000]);
  expect(r.after).toBe(r.before);
  expect(r.handles).toBe(0);
});

test("Rust's memory growing in the middle of a call corrupts nothing (OCaml and TS callers)", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const before = app.bridge.memory.buffer.byteLength;
    const fromOCaml = app.ocaml.fn("grow_during_call", [T.int], T.bool)(16);
    const s = "é".repeat(3000) + "end";
    const [s2, xs] = app.rust.grow_during_call(s, 16);
    return { fromOCaml, sameString: s2 === s, xs: xs.length, last: xs[999], grewMiB: (app.bridge.memory.buffer.byteLength - before) >> 20 };
  });
  expect(r).toMatchObject({ fromOCaml: true, sameString: true, xs: 1000, last: 999 });
  expect(r.grewMiB).toBeGreaterThanOrEqual(16);
});

test("errors thrown by JS code that Rust or OCaml calls keep their message", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const ocaml = app.ocaml.fn("js_error_tests", [T.unit], T.string)(undefined);
    const fromTS = (f: () => unknown) => {
      try {
        return ["ok", f()];
      } catch (e: any) {
        return [e.name, e.message, e.cause instanceof TypeError];
      }
    };
    return {
      ocaml,
      rustPlain: fromTS(() => app.rust.call_js_plain("throw 5")),
      rustCatching: fromTS(() => app.rust.call_js_catching("throw 6")),
      ocamlUncaught: fromTS(() => app.ocaml.fn("js_error_uncaught", [T.unit], T.string)(undefined)),
      after: app.rust.id_string("fine"),
    };
  });
  expect(r.ocaml).toBe(
    'hook: x | hook refused "throw 1" | hook: y | TypeError: hook refused "throw 2" | ' +
      'call_js_plain: JavaScript exception: hook refused "throw 3" | hook: z',
  );
  // the original error is the cause
  expect(r.rustPlain).toEqual(["JavaScriptError", 'call_js_plain: JavaScript exception: hook refused "throw 5"', true]);
  expect(r.rustCatching).toEqual(["ok", { error: 'TypeError: hook refused "throw 6"' }]);
  expect(r.ocamlUncaught[1]).toContain('hook refused "throw 4"');
  expect(r.after).toBe("fine");
});

test("a shared bigarray view outlives Rust's buffer and a re-created instance, and never aliases what Rust allocates since", async ({
  page,
}) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    // OCaml has TS trap the Rust instance halfway (a trap reaches the caller in TS, not OCaml)
    const trap = () => {
      try {
        app.rust.rust_trap(0);
      } catch {}
    };
    return app.ocaml.fn("view_outlives_buffer", [T.closure([T.unit], T.unit)], T.string)(trap);
  });
  // 64 x 4096 ones, unchanged by the view's writes; after the re-creation 64 x 4096 twos; the
  // view kept its data (0.5 * i) and its writes
  expect(r).toBe("262144 262144 524288 524288 | 1000 1000 1 1000");
});

test("an OCamlException's exceptionName is its constructor's, even where the message starts otherwise", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const name = (f: () => unknown) => {
      try {
        f();
        return "no error";
      } catch (e: any) {
        return `${e.name} ${e.exceptionName} | ${e.message}`;
      }
    };
    return [
      name(() => app.ocaml.fn("raise_assert_failure", [T.unit], T.int)(undefined)),
      name(() => app.ocaml.fn("raise_match_failure", [T.int], T.int)(5)),
      name(() => app.ocaml.fn("raise_not_found", [T.unit], T.int)(undefined)),
      name(() => app.ocaml.fn("raise_failure", [T.string], T.int)("x")),
    ];
  });
  // (the messages are Printexc's: they start with the place, not the name)
  expect(r[0]).toMatch(/^OCamlException Assert_failure \| File "conformance\.ml", line \d+, characters \d+-\d+: Assertion failed$/);
  expect(r[1]).toMatch(/^OCamlException Match_failure \| File "conformance\.ml", line \d+, characters \d+-\d+: Pattern matching failed$/);
  expect(r[2]).toBe("OCamlException Not_found | Not_found");
  expect(r[3]).toBe('OCamlException Failure | Failure("x")');
});

test("OCaml faults under a call from Rust are OCaml's: Stack_overflow, an allocation failure and a trap in the try_ forms' Err, Rust not re-created", async ({
  page,
}) => {
  test.skip(directRoute(), ON_DIRECT);
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const resets0 = app.bridge.resets;
    const fromRust = app.rust.rust_calls_faulting_ocaml(undefined);
    // from TS: the same faults are OCamlExceptions
    const err = (f: () => unknown) => {
      try {
        return `no error: ${f()}`;
      } catch (e: any) {
        return `${e.name}: ${e.message} (${e.exceptionName})`;
      }
    };
    const fromTs = err(() => app.ocaml.fn("ocaml_exhaust_memory", [T.unit], T.int)(undefined));
    const castFromTs = err(() => app.ocaml.fn("ocaml_illegal_cast", [T.unit], T.int)(undefined));
    return { fromRust, fromTs, castFromTs, resets: app.bridge.resets - resets0, after: app.rust.id_string("after") };
  });
  expect(r).toEqual({
    fromRust:
      'Err(Stack_overflow None) / Err(Invalid_argument Some("Array.make")) / Err(Failure Some("ocaml_illegal_cast: the OCaml function trapped (unreachable); does its declaration in Rust (ocaml!) match its OCaml type?"))',
    fromTs: 'OCamlException: Invalid_argument("Array.make") (Invalid_argument)',
    castFromTs:
      "BoundaryError: ocaml_illegal_cast: the OCaml function trapped (unreachable); do the types given to app.ocaml.fn match its OCaml type? (undefined)",
    resets: 0,
    after: "after",
  });
});

test("a trap in Rust under a callback the page calls (Js.wrap_callback) reaches the page as a RustPanic naming the export; the instance is re-created", async ({
  page,
}) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const f = (window as any).conformanceTrapFromCallback as (kind: number) => number;
    const resets0 = app.bridge.resets;
    const outcome = (kind: number) => {
      try {
        return `no error: ${f(kind)}`;
      } catch (e: any) {
        return `${e.name}: ${e.message} (${e.functionName})`;
      }
    };
    const unreachable = outcome(0);
    const outOfBounds = outcome(1);
    return {
      unreachable,
      outOfBounds,
      resets: app.bridge.resets - resets0,
      depth: app.bridge.depth,
      after: [app.rust.id_string("after"), app.ocaml.fn("via_rust_string", [T.string], T.string)("both sides")],
    };
  });
  expect(r).toEqual({
    unreachable:
      "RustPanic: Rust trapped in rust_trap: unreachable (an abort: out of memory, or core::arch::wasm32::unreachable); the Rust instance was re-created (rust_trap)",
    outOfBounds:
      "RustPanic: Rust trapped in rust_trap: memory access out of bounds (an out-of-bounds access in unsafe code?); the Rust instance was re-created (rust_trap)",
    resets: 2,
    depth: 0,
    after: ["after", "both sides"],
  });
});

test("faults whose text differs between engines read the same: stack overflows in Rust and OCaml, traps without a panic", async ({
  page,
}) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const err = (f: () => unknown) => {
      try {
        return `no error: ${f()}`;
      } catch (e: any) {
        return `${e.name}: ${e.message}`;
      }
    };
    const resets0 = app.bridge.resets;
    return {
      // the engine's stack runs out in Rust (V8: RangeError, SpiderMonkey: InternalError)
      tsToRust: err(() => app.rust.rust_recurse_forever(0)),
      // ... in Rust called from OCaml: a trap, which OCaml cannot catch, at TS's call
      ocamlToRust: err(() => app.ocaml.fn("stack_overflow_tests", [T.unit], T.string)(undefined)),
      // ... and in OCaml called from TS: OCaml's Stack_overflow
      tsToOCaml: err(() => app.ocaml.fn("ocaml_recurse_forever", [T.int], T.int)(0)),
      // traps without a panic message (V8: "unreachable", SpiderMonkey: "unreachable executed")
      unreachable: err(() => app.rust.rust_trap(0)),
      outOfBounds: err(() => app.rust.rust_trap(1)),
      after: [app.rust.id_string("after"), app.ocaml.fn("via_rust_string", [T.string], T.string)("both sides")],
      resets: app.bridge.resets - resets0,
    };
  });
  expect(r).toEqual({
    tsToRust: "RustPanic: Rust trapped in rust_recurse_forever: stack overflow; the Rust instance was re-created",
    ocamlToRust: "RustPanic: Rust trapped in rust_recurse_forever: stack overflow; the Rust instance was re-created",
    tsToOCaml: "OCamlException: Stack_overflow",
    unreachable:
      "RustPanic: Rust trapped in rust_trap: unreachable (an abort: out of memory, or core::arch::wasm32::unreachable); the Rust instance was re-created",
    outOfBounds:
      "RustPanic: Rust trapped in rust_trap: memory access out of bounds (an out-of-bounds access in unsafe code?); the Rust instance was re-created",
    after: ["after", "both sides"],
    resets: 4,
  });
});

test("direct primitives: [@unboxed] int64, int32, float and [@untagged] int, bool, noalloc and bytecode names", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const err = (f: () => unknown) => {
      try {
        f();
        return "no error";
      } catch (e: any) {
        return `${e.name}: ${e.message}`;
      }
    };
    return {
      ocaml: app.ocaml.fn("prim_tests", [T.unit], T.string)(undefined),
      ts: [app.rust.prim_mix(2n ** 62n, 3, 0.5, -4, true), app.rust.prim_i32(-3, 7), app.rust.prim_f64(-1), app.rust.prim_isize(9, false)],
      badI64: err(() => app.rust.prim_mix(2n ** 63n, 0, 0, 0, false)),
      badI32: err(() => app.rust.prim_i32(2 ** 31, 1)),
    };
  });
  expect(r.ocaml).toBe(
    "1000000000035 -9223372036854775808 -5 0 3 -42 | " +
      "prim_isize: result does not fit OCaml's 31-bit int | prim_i32: argument a: expected int32",
  );
  expect(r.ts).toEqual([-(2n ** 62n) + 1n, -21, -1.5, 9]);
  expect(r.badI64).toContain("expected a bigint in -2^63..2^63-1");
  expect(r.badI32).toContain("expected an integer in -2^31..2^31-1 (int32)");
});

test("ocaml! functions: the try_ form returns the exception as Err, the plain form panics with its text", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    return app.ocaml.fn("try_form_tests", [T.unit], T.string)(undefined);
  });
  const missing = `err Failure Some("OCaml function 'ocaml_never_registered' is not registered (OCaml must call Callback.register \\"ocaml_never_registered\\" f first)")`;
  expect(r.split(" | ")).toEqual([
    `ok OK / ${missing}`,
    `err Failure Some("asked to fail") / ${missing}`,
    `err Dune__exe__Conformance.My_error Some("custom") / ${missing}`,
    `err Not_found None / ${missing}`,
    "ABC",
    'OCaml exception, message: Some("asked to fail")',
    'OCaml exception, message: Some("custom")',
    "OCaml exception, message: None",
    "OCaml exception, message: None",
    'OCaml exception, message: Some("a \\"quoted\\" \\\\ message")',
  ]);
});

test("with_domain_lock: Rust code called directly from TS (wasm-bindgen) takes the runtime and calls OCaml", async ({ page }) => {
  test.skip(directRoute(), ON_DIRECT);
  const r = await page.evaluate(() => {
    const { app } = (window as any).conformance;
    const big = new Int32Array(Array.from({ length: 1000 }, (_, i) => i));
    const sums = [app.wasmBindgen.wb_sum_through_ocaml(new Int32Array([1, 2, 3])), app.wasmBindgen.wb_sum_through_ocaml(big)];
    // the arena keeps the chunks it grew to; further calls add nothing to them
    const held0 = app.bridge.arenaHeldBytes();
    for (let i = 0; i < 200; i++) app.wasmBindgen.wb_sum_through_ocaml(big);
    const held = app.bridge.arenaHeldBytes() - held0;
    // a panic inside with_domain_lock: a RustPanic, and the lock was released as it unwound
    let panic = "no error";
    try {
      app.wasmBindgen.wb_panic_in_lock("inside the lock");
    } catch (e) {
      panic = `${(e as Error).name}: ${(e as Error).message}`;
    }
    const afterPanic = app.wasmBindgen.wb_sum_through_ocaml(new Int32Array([1, 1]));
    // a trap under a live wasm-bindgen frame: the instance is re-created only once that frame
    // returned (it reads its own heap after the trap), then its functions are the new ones
    const resets0 = app.bridge.resets;
    const underLock = app.wasmBindgen.wb_trap_under_lock("mine");
    const resets = app.bridge.resets - resets0;
    return {
      sums,
      held,
      panic,
      afterPanic,
      underLock,
      resets,
      after: app.wasmBindgen.wb_sum_through_ocaml(new Int32Array([4, 5])),
      sync: app.bridge.synchronousRecovery,
    };
  });
  expect(r).toEqual({
    sums: [6, 499500],
    held: 0,
    panic: "RustPanic: inside the lock",
    afterPanic: 2,
    underLock: "caught Rust trapped in rust_trap: unreachable  / 100 mine",
    resets: 1,
    after: 9,
    sync: true,
  });
});

// ---- the model's own tests (ocaml-interop 0.12 and its main branch), ported ------------------------

test("the model's testing/ocaml-caller (0.12): unpack macros, cr.get(&value), types without OCamlDescriber, setup/teardown", async ({
  page,
}) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    return app.ocaml.fn("model_0_12_tests", [T.unit], T.string)(undefined);
  });
  // the model's expected lists (test_interpret_movement, test_interpret_polymorphic_movement);
  // the program called ocaml_interop_setup and ocaml_interop_teardown at start-up, and calls
  // still work afterwards
  expect(r).toBe("RotateLeft; Step(10); Error unpacking; Error unpacking | `RotateLeft; `Step(10); Error unpacking; Error unpacking");
});

test("the model's testing/ocaml-caller (main): derived struct-like variants, Step { count } is `Step of int", async ({ page }) => {
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    return app.ocaml.fn("model_main_tests", [T.unit], T.string)(undefined);
  });
  expect(r).toBe("RotateLeft; Step(10); Expand { width: 1, height: 2 } | `RotateLeft; `Step(10); `Expand(1, 2)");
});

test("the model's testing/rust-caller: every argument form of 0.12 and main, derived values, test_bigarray", async ({ page }) => {
  const [r, resizable] = await page.evaluate(
    () =>
      [
        (window as any).conformance.app.rust.model_rust_caller_tests(undefined),
        (window as any).conformanceEngine.engineFeatures().resizableBuffers,
      ] as [string, boolean],
  );
  const lines = r.split("\n");
  // test_bigarray doubles a bigarray in OCaml that Rust shares: without toResizableBuffer
  // (WebKitGTK 2.50) OCaml doubles a copy, and Rust sees its own values
  const doubled = resizable
    ? "ok [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]"
    : "FAILED: want [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30], got [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]";
  expect(lines.filter((l) => !l.startsWith("ok ") && l !== doubled)).toEqual([]);
  expect(lines).toHaveLength(14);
  expect(lines).toContain(doubled);
});

test("a rooted bigarray and OCaml share its data: OCaml's writes reach Rust, the data outlives the root", async ({ page, browserName }) => {
  const live = () => page.evaluate(() => (window as any).conformance.app.bridge.liveBigarrays() as number);
  const live0 = await live();
  const [r, resizable] = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    return [
      app.ocaml.fn("shared_root_tests", [T.unit], T.string)(undefined),
      (window as any).conformanceEngine.engineFeatures().resizableBuffers,
    ] as [string, boolean];
  });
  // Rust read 1, then OCaml's 42; after the drop Rust has no root (-1), OCaml's view is intact.
  // Without toResizableBuffer (WebKitGTK 2.50) OCaml writes into a copy: Rust reads 1 again.
  expect(r).toBe(resizable ? "1 42 -1 [0 42 2 9]" : "1 1 -1 [0 42 2 9]");
  // the buffer is freed once OCaml's bigarray is collected. Only Chromium can be made to run a
  // full collection (CDP); Firefox gives page content none, and its allocation pressure does not
  // reliably reach the tenured OCaml object holding the view. The release code is the same.
  if (browserName !== "chromium") return;
  await expect
    .poll(
      async () => {
        await collectGarbage(page, browserName);
        return (await live()) - live0;
      },
      { timeout: 20_000 },
    )
    .toBeLessThanOrEqual(0);
});

test("platform limits: std::thread::spawn and std::thread::sleep panic under wasm32 (a RustPanic, the page keeps working)", async ({
  page,
}) => {
  const r = await page.evaluate(() => {
    const { app } = (window as any).conformance;
    const attempt = (f: () => unknown) => {
      try {
        return `ok ${f()}`;
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    return [attempt(() => app.rust.try_thread_spawn(undefined)), attempt(() => app.rust.try_thread_sleep(10)), app.rust.id_string("after")];
  });
  expect(r).toEqual([
    'RustPanic: failed to spawn thread: Error { kind: Unsupported, message: "operation not supported on this platform" }',
    "RustPanic: can't sleep",
    "after",
  ]);
});
