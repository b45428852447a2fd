// Adversarial suite, category "depth and memory limits" (issue 9): deep values have a
// documented nesting limit, the same on every side (TS, Rust, OCaml; encoders and decoders),
// enforced with a clear error that names the function and the argument (on every path: TS,
// Rust and OCaml, each way; a chain through last fields too); re-entrancy has a documented
// depth limit (256 nested calls into Rust) with a short message, the same from TS and OCaml; a value too large for the call arena names the
// function and the argument (not "is it cyclic?"); memory past 2 GiB works from every entry; a
// thousand panics, and a thousand traps, in a row leave memory flat (the recovery time is
// reported).
import { expect, test } from "@playwright/test";
import { expectFailure, jsHeap, open, run, runWith, type Outcome } from "./helpers.ts";

/** Every path a deep value can take, at depth d: what each returned ("ok <depth>") or what it
 *  threw ("<class>: <message>"). Nest = Leaf | Node of nest * int, nested through field 0. */
const nestPaths = (adv: any, d: number) => {
  const { conf, T, attempt } = adv;
  const rust = conf.rust;
  const nestT = conf.bridge.app.exports.find((e: any) => e.name === "id_nest").args[0].type;
  const nest = (n: number) => {
    let v: any = { tag: "Leaf" };
    for (let i = 0; i < n; i++) v = { tag: "Node", args: [v, i] };
    return v;
  };
  const depth = (v: any) => {
    let k = 0;
    while (v && v.tag === "Node") {
      k++;
      v = v.args[0];
    }
    return k;
  };
  const show = (o: any) => (o.ok ? `ok ${o.value}` : `${o.cls}: ${o.message}`);
  const value = nest(d);
  return {
    // TS encodes, Rust decodes and encodes, TS decodes
    "TS -> Rust -> TS (id_nest)": show(attempt(() => depth(rust.id_nest(value)))),
    // TS encodes, Rust decodes
    "TS -> Rust (nest_depth)": show(attempt(() => rust.nest_depth(value))),
    // Rust encodes, TS decodes
    "Rust -> TS (nest_make)": show(attempt(() => depth(rust.nest_make(d)))),
    // TS encodes, OCaml decodes
    "TS -> OCaml (ocaml_nest_depth)": show(attempt(() => conf.ocaml.fn("ocaml_nest_depth", [nestT], T.int)(value))),
    // OCaml encodes, TS decodes
    "OCaml -> TS (ocaml_make_nest)": show(attempt(() => depth(conf.ocaml.fn("ocaml_make_nest", [T.int], nestT)(d)))),
    // OCaml encodes, Rust decodes
    "OCaml -> Rust (nest_depth)": show(attempt(() => conf.ocaml.fn("adv_nest_ocaml_to_rust", [T.int], T.string)(d))),
    // Rust encodes, OCaml decodes
    "Rust -> OCaml (nest_make)": show(attempt(() => conf.ocaml.fn("adv_nest_rust_to_ocaml", [T.int], T.string)(d))),
    // Rust encodes and OCaml decodes (ocaml!), OCaml encodes and Rust decodes (its result)
    "Rust -> OCaml -> Rust (ocaml!)": show(attempt(() => rust.rust_nest_through_ocaml(d))),
    resets: conf.bridge.resets,
  } as Record<string, string | number>;
};

/** The numbers of at least 3 digits a message mentions (1000 or 1,000). */
const numbersIn = (m: string) => [...m.matchAll(/\b\d{1,3}(?:,\d{3})+\b|\b\d{3,}\b/g)].map((x) => Number(x[0].replace(/,/g, "")));

test("deep values: 500 levels cross every path; 10,000 fail on every path with a clear error naming the function and the limit, the same limit everywhere", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = await open(page);
  const ok500 = await runWith(page, nestPaths, 500);
  for (const [path, got] of Object.entries(ok500)) {
    if (path === "resets") continue;
    expect.soft(got, path).toBe(path.startsWith("Rust -> OCaml -> Rust") ? "ok ok 500 500" : "ok 500");
  }
  const deep = await runWith(page, nestPaths, 10_000);
  // each path fails with the limit's error, from the side that would send or read it
  const want: Record<string, RegExp> = {
    "TS -> Rust -> TS (id_nest)": /^BoundaryError: id_nest: argument n\b/,
    "TS -> Rust (nest_depth)": /^BoundaryError: nest_depth: argument n\b/,
    "Rust -> TS (nest_make)": /^BoundaryError: nest_make: /,
    "TS -> OCaml (ocaml_nest_depth)": /^BoundaryError: ocaml_nest_depth: argument 1\b/,
    "OCaml -> TS (ocaml_make_nest)": /^(BoundaryError|OCamlException): .*ocaml_make_nest/,
    "OCaml -> Rust (nest_depth)": /^ok raised Invalid_argument\("nest_depth: argument n\b/,
    "Rust -> OCaml (nest_make)": /^ok raised Failure\("nest_make: /,
    "Rust -> OCaml -> Rust (ocaml!)": /^ok err (Failure|Invalid_argument) .*ocaml_nest_depth/,
  };
  const limits: number[][] = [];
  for (const [path, re] of Object.entries(want)) {
    const got = String(deep[path]);
    expect.soft(got, path).toMatch(re);
    expect.soft(got, path).toMatch(/nest/i);
    limits.push(numbersIn(got).filter((n) => n !== 10_000));
  }
  // a limit, not a trap: the Rust instance was not re-created
  expect.soft(deep.resets, "Rust instances re-created").toBe(ok500.resets);
  // the same limit on every side: one number every message names
  const common = limits.reduce((a, b) => a.filter((n) => b.includes(n)));
  expect(common.length, `a limit every message names (numbers per message: ${JSON.stringify(limits)})`).toBeGreaterThan(0);
  const limit = Math.min(...common);
  // ... and it is where each path stops: just below works, just above fails, on every path
  const below = await runWith(page, nestPaths, limit - 1);
  const above = await runWith(page, nestPaths, limit + 2);
  for (const path of Object.keys(want)) {
    expect.soft(String(below[path]), `${path} at ${limit - 1}`).toMatch(/^ok (ok )?\d/);
    expect.soft(String(above[path]), `${path} at ${limit + 2}`).toMatch(want[path]);
  }
  expect(errors).toEqual([]);
});

test("re-entrancy deeper than the limit: a short message naming the limit, the same from TS and from OCaml, and no trap", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await open(page);
  const r = await run(page, ({ conf, T, attempt }) => {
    const resets0 = conf.bridge.resets,
      handles0 = conf.bridge.liveHandles();
    const deep = attempt(() => conf.rust.rust_reenter(3000, ""));
    const o = attempt(() => conf.ocaml.fn("adv_reenter", [T.int], T.string)(3000));
    const fromOCaml: string = o.ok ? o.value : `${o.cls}: ${o.message}`;
    const resets = conf.bridge.resets - resets0;
    // the deepest the limit allows keeps working, values rooted at every level
    const ok255 = conf.ocaml.fn("reentrancy_tests", [T.int], T.string)(255);
    return { deep, fromOCaml, resets, ok255, handles: conf.bridge.liveHandles() - handles0, after: conf.rust.id_string("after") };
  });
  expect.soft(r.deep, "from TS").toMatchObject({ ok: false, interop: true, functionName: "rust_reenter" });
  const m = (r.deep as Outcome).ok ? "" : (r.deep as { message: string }).message;
  expect.soft(m.length, `message length (${m.slice(0, 200)})`).toBeLessThan(300);
  expect.soft(m, "names the limit").toContain("more than 256 nested calls into Rust on one stack (the re-entrancy limit;");
  expect.soft(r.fromOCaml.length, `OCaml's message length (${r.fromOCaml.slice(0, 200)})`).toBeLessThan(300);
  expect
    .soft(r.fromOCaml, "OCaml's message names the limit")
    .toMatch(/^raised Failure\(".*more than 256 nested calls into Rust on one stack \(the re-entrancy limit;/);
  const common = numbersIn(m).filter((n) => numbersIn(r.fromOCaml).includes(n) && n !== 3000);
  expect.soft(common.length, `the same limit from TS and from OCaml: ${m} / ${r.fromOCaml}`).toBeGreaterThan(0);
  expect.soft(r.resets, "a limit, not a trap: Rust instances re-created").toBe(0);
  expect(r.ok255).toBe('ok ok OCaml exception, message: Some("bottom reached after 510 crossings")');
  expect(r.handles).toBe(0);
  expect(r.after).toBe("after");
  // ... and it is where the nesting stops: rust_reenter(n) nests n + 1 calls into Rust, from TS
  // and from OCaml alike
  const limit = Math.min(...common);
  const edge = await runWith(
    page,
    ({ conf, T, attempt }, limit: number) => {
      const ts = (n: number) => attempt(() => conf.rust.rust_reenter(n, "")).ok;
      const ocaml = (n: number) => conf.ocaml.fn("adv_reenter", [T.int], T.string)(n).startsWith("ok ");
      return { ts: [ts(limit - 1), ts(limit)], ocaml: [ocaml(limit - 1), ocaml(limit)], resets: conf.bridge.resets };
    },
    limit,
  );
  expect(edge).toEqual({ ts: [true, false], ocaml: [true, false], resets: 0 });
});

test("a string larger than the call arena: the error names the function and the argument (not 'arena ... is it cyclic?'); the next call is unaffected", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = await open(page);
  const r = await run(page, ({ conf, T, attempt }) => {
    // 1.1 GiB of UTF-8 (three bytes a character): more than the call arena's 1 GiB
    const fromTS = attempt(() => conf.rust.id_string("日".repeat(360 * 2 ** 20)).length);
    const next = attempt(() => conf.rust.id_int(1));
    // OCaml passes 600 MiB: the argument fits the 1 GiB arena, Rust's result does not
    const fromOCaml = conf.ocaml.fn("adv_big_string", [T.int], T.string)(600);
    const nextAfterOCaml = attempt(() => conf.rust.id_string("small"));
    return { fromTS, next, fromOCaml, nextAfterOCaml };
  });
  expectFailure(r.fromTS, "BoundaryError", "id_string", "id_string: argument x: ");
  expect.soft((r.fromTS as { message?: string }).message ?? "").toMatch(/arena/);
  expect.soft((r.fromTS as { message?: string }).message ?? "").not.toMatch(/cyclic/);
  expect(r.next).toEqual({ ok: true, value: 1 });
  // (Rust cannot tell its result from another value it converts: the message names the
  // function and the arena's limit)
  expect
    .soft(r.fromOCaml)
    .toMatch(
      /^raised Failure\("id_string: the values of one call need more than the call arena's limit of 1024 MiB \(\d+ bytes requested\)"\)$/,
    );
  expect(r.nextAfterOCaml).toEqual({ ok: true, value: "small" });
  expect(errors).toEqual([]);
});

test("a chain nested through its last field (which OCaml iterates along): Rust's own limit refuses it from OCaml, Rust refuses to make one, TS refuses to send one", async ({
  page,
}) => {
  const errors = await open(page);
  const r = await run(page, ({ conf, T, attempt }) => {
    const chainT = conf.bridge.app.exports.find((e: any) => e.name === "chain_len").args[0].type;
    const chain = (n: number) => {
      let c: any = { tag: "End" };
      for (let i = 0; i < n; i++) c = { tag: "Link", args: [i, c] };
      return c;
    };
    const show = (o: any) => (o.ok ? `ok ${o.value}` : `${o.cls}: ${o.message}`);
    const at = (d: number) => ({
      fromOCaml: conf.ocaml.fn("adv_chain_to_rust", [T.int], T.string)(d),
      toOCaml: conf.ocaml.fn("adv_chain_from_rust", [T.int], T.string)(d),
      fromTS: show(attempt(() => conf.rust.chain_len(chain(d)))),
      viaOCaml: show(attempt(() => conf.ocaml.fn("via_rust_chain", [chainT], T.int)(chain(d)))),
    });
    return { d1000: at(1000), d1001: at(1001), d50000: at(50_000), resets: conf.bridge.resets };
  });
  expect(r.d1000).toEqual({ fromOCaml: "1000", toOCaml: "1000", fromTS: "ok 1000", viaOCaml: "ok 1000" });
  for (const d of [r.d1001, r.d50000]) {
    expect
      .soft(d.fromOCaml)
      .toBe(
        'raised Failure("ocaml-interop: chain_len: the value is nested deeper than 1000 levels (the nesting limit of the wire format)")',
      );
    expect
      .soft(d.toOCaml)
      .toBe('raised Failure("chain_make: the value is nested deeper than 1000 levels (the nesting limit of the wire format)")');
    expect.soft(d.fromTS).toMatch(/^BoundaryError: chain_len: argument c\.args\[1\].*: nested deeper than 1000 levels/);
    expect.soft(d.viaOCaml).toMatch(/^BoundaryError: via_rust_chain: argument 1\.args\[1\].*: nested deeper than 1000 levels/);
  }
  expect(r.resets).toBe(0);
  expect(errors).toEqual([]);
});

test("memory past 2 GiB (the unwind app): strings, lists, records, bigarrays, DynBoxes, closures and shared views above it work from TS, OCaml and Rust", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = await open(page);
  const r = await run(page, ({ conf, T, attempt }) => {
    const rust = conf.rust;
    const reservedEndMiB = rust.reserve_mib(2200);
    const text = "é".repeat(200_000) + "end";
    const at = attempt(() => {
      const [back, atMiB, argMiB] = rust.string_at(text);
      return { same: back === text, atMiB, argMiB };
    });
    const item = {
      id: 1,
      name: "é",
      shape: {
        tag: "Poly",
        args: [
          [
            [0, 0],
            [1, 2.5],
          ],
        ],
      },
      color: { tag: "rgb", args: [1, 2, 3] },
      tags: ["a".repeat(10_000)],
      parent: 4,
    };
    const ints = Array.from({ length: 100_000 }, (_, i) => i - 50_000);
    return {
      reservedEndMiB,
      memoryMiB: conf.bridge.memory.buffer.byteLength / 2 ** 20,
      at,
      item: attempt(() => JSON.stringify(rust.id_item(item)) === JSON.stringify(item)),
      list: attempt(() => {
        const back = rust.id_int_list(ints);
        return back.length === ints.length && back.every((x: number, i: number) => x === ints[i]);
      }),
      bigarray: attempt(() => Array.from(rust.id_f64_bigarray(new Float64Array([1, -2, 3.5])))),
      fromOCaml: attempt(() => conf.ocaml.fn("adv_above_2gib", [T.unit], T.string)(undefined)),
      roundTrips: attempt(() => rust.rust_round_trips(9, 50)),
      panic: attempt(() => rust.rust_reenter(0, "!")),
      wasmBindgen: attempt(() => conf.wasmBindgen.wb_sum_through_ocaml(new Int32Array([1, 2, 3]))),
      resets: conf.bridge.resets,
    };
  });
  expect(r.reservedEndMiB).toBeGreaterThan(2048);
  expect(r.memoryMiB).toBeGreaterThan(2048);
  expect.soft(r.at).toMatchObject({ ok: true, value: { same: true } });
  expect.soft(((r.at as { value?: { atMiB: number } }).value?.atMiB ?? 0) > 2048, "Rust's copy lies past 2 GiB").toBe(true);
  expect.soft(r.item).toEqual({ ok: true, value: true });
  expect.soft(r.list).toEqual({ ok: true, value: true });
  expect.soft(r.bigarray).toEqual({ ok: true, value: [1, -2, 3.5] });
  expect.soft(r.fromOCaml).toEqual({ ok: true, value: "string ok; counter ok; adder ok; nest ok; shared view ok" });
  expect.soft(r.roundTrips).toEqual({ ok: true, value: "ok 250" });
  expect.soft(r.panic).toMatchObject({ ok: false, cls: "RustPanic", message: "bottom reached after 0 crossings" });
  expect.soft(r.wasmBindgen).toEqual({ ok: true, value: 6 });
  expect.soft(r.resets).toBe(0);
  expect(errors).toEqual([]);
});

test("1,000 panics in a row (unwinding), from TS and from OCaml: memory, arena, tables and the JS heap flat; time per panic reported", async ({
  page,
  browserName,
}) => {
  test.setTimeout(180_000);
  const errors = await open(page);
  const snapshot = () =>
    run(page, ({ conf }) => ({
      memory: conf.bridge.memory.buffer.byteLength,
      arena: conf.bridge.arenaHeldBytes(),
      handles: conf.bridge.liveHandles(),
      boxes: conf.bridge.liveBoxes(),
      resets: conf.bridge.resets,
    }));
  const round = (n: number) =>
    runWith(
      page,
      ({ conf, T }, n: number) => {
        const viaOCaml = conf.ocaml.fn("reentrancy_tests", [T.int], T.string);
        let caught = 0;
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          try {
            conf.rust.rust_reenter(0, "!");
          } catch (e) {
            if ((e as Error).message === "bottom reached after 0 crossings") caught++;
          }
        }
        const t1 = performance.now();
        let fromOCaml = 0;
        for (let i = 0; i < n; i++) if (viaOCaml(1).endsWith('Some("bottom reached after 2 crossings")')) fromOCaml++;
        const t2 = performance.now();
        return { caught, fromOCaml, usPerTS: ((t1 - t0) * 1000) / n, usPerOCaml: ((t2 - t1) * 1000) / n };
      },
      n,
    );
  await round(100); // warm-up
  const before = await snapshot();
  const heapBefore = await jsHeap(page, browserName);
  const r = await round(1000);
  const after = await snapshot();
  const heapAfter = await jsHeap(page, browserName);
  const note =
    `1,000 panics: ${r.usPerTS.toFixed(1)} us per panic from TS, ${r.usPerOCaml.toFixed(1)} us per OCaml -> Rust -> OCaml -> Rust panic; ` +
    `memory ${before.memory} -> ${after.memory}, arena ${before.arena} -> ${after.arena}, JS heap ${heapBefore ?? "-"} -> ${heapAfter ?? "-"}`;
  test.info().annotations.push({ type: "measured", description: note });
  console.log(`[adversarial] ${note}`);
  expect([r.caught, r.fromOCaml]).toEqual([1000, 1000]);
  expect(after).toEqual(before);
  if (heapBefore !== undefined && heapAfter !== undefined) expect(Math.abs(heapAfter - heapBefore)).toBeLessThan(1024 * 1024);
  expect(errors).toEqual([]);
});

test("1,000 traps in a row in the unwind app (each re-creates the instance): memory and tables flat; time per recovery reported", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = await open(page);
  const r = await run(page, ({ conf }) => {
    const rust = conf.rust;
    const trapN = (n: number) => {
      let ok = 0;
      for (let i = 0; i < n; i++) {
        try {
          rust.rust_trap(i % 2);
        } catch (e) {
          if ((e as Error).name === "RustPanic" && (e as Error).message.startsWith("Rust trapped in rust_trap: ")) ok++;
        }
        if (rust.id_string(`after ${i}`) !== `after ${i}`) break;
      }
      return ok;
    };
    trapN(20);
    const snap = () => ({
      memory: conf.bridge.memory.buffer.byteLength,
      handles: conf.bridge.liveHandles(),
      boxes: conf.bridge.liveBoxes(),
    });
    const before = snap(),
      resets0 = conf.bridge.resets;
    const t0 = performance.now();
    const ok = trapN(1000);
    const us = ((performance.now() - t0) * 1000) / 1000;
    return { ok, before, after: snap(), resets: conf.bridge.resets - resets0, us };
  });
  const note = `1,000 traps (unwind app): ${r.us.toFixed(0)} us per trap + re-creation + a call; memory ${r.before.memory} -> ${r.after.memory}`;
  test.info().annotations.push({ type: "measured", description: note });
  console.log(`[adversarial] ${note}`);
  expect(r.ok).toBe(1000);
  expect(r.resets).toBe(1000);
  expect(r.after).toEqual(r.before);
  expect(errors).toEqual([]);
});
