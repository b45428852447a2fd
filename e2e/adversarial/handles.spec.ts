// Adversarial suite, category "forged and stale handles" (issue 9): a DynBox or a Rust closure
// OCaml kept after the Rust instance was re-created (an old handle must never reach a new
// value, however many re-creations: generations must not wrap in practice), OCaml closures
// rooted by Rust across re-creations (the handle table must not leak), handle ids Rust made up,
// and a stale OCaml closure handle. (A shared bigarray view that outlives its buffer is
// examples/conformance/e2e/values.spec.ts.)
import { expect, test } from "@playwright/test";
import { open, run, runWith } from "./helpers.ts";

test("a DynBox and a Rust closure kept across one re-creation: using them is an error, even after a new box took their slot", async ({
  page,
}) => {
  const errors = await open(page);
  const r = await run(page, (adv) => {
    const { conf, T } = adv;
    const f = (n: string, a: unknown[], ret: unknown) => conf.ocaml.fn(n, a, ret);
    try {
      conf.rust.rust_trap(0);
    } catch {
      /* a fresh instance: empty tables */
    }
    f("adv_keep_counter", [T.int], T.unit)(10);
    f("adv_keep_adder", [T.int], T.unit)(10);
    const before = [f("adv_kept_counter_incr", [T.unit], T.string)(undefined), f("adv_kept_adder_call", [T.unit], T.string)(undefined)];
    try {
      conf.rust.rust_trap(0);
    } catch {
      /* re-created */
    }
    f("adv_new_counter", [T.int], T.unit)(500);
    f("adv_new_adder", [T.int], T.unit)(500);
    const after = [f("adv_kept_counter_incr", [T.unit], T.string)(undefined), f("adv_kept_adder_call", [T.unit], T.string)(undefined)];
    f("adv_forget_kept", [T.unit], T.unit)(undefined);
    return { before, after };
  });
  expect(r.before).toEqual(["value 11", "value 12"]);
  expect(r.after[0]).toMatch(/^raised Failure\("ocaml-interop: this DynBox was released \(or collected\) and its value dropped"\)$/);
  expect(r.after[1]).toMatch(/^raised Failure\("ocaml-interop: this Rust closure was already released"\)$/);
  expect(errors).toEqual([]);
});

test("a DynBox and a Rust closure kept across 1,024 re-creations never reach the new instance's values (generations do not wrap)", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = await open(page);
  const r = await runWith(
    page,
    (adv, n: number) => {
      const { conf, T } = adv;
      const f = (name: string, a: unknown[], ret: unknown) => conf.ocaml.fn(name, a, ret);
      const trap = () => {
        try {
          conf.rust.rust_trap(0);
          return 0;
        } catch {
          return 1;
        }
      };
      trap();
      f("adv_keep_counter", [T.int], T.unit)(10); // box 0 of this instance
      f("adv_keep_adder", [T.int], T.unit)(10); // box 1
      const resets0 = conf.bridge.resets;
      let traps = 0;
      for (let i = 0; i < n; i++) traps += trap();
      f("adv_new_counter", [T.int], T.unit)(500); // box 0 of the instance 1,024 re-creations later
      f("adv_new_adder", [T.int], T.unit)(500); // box 1
      const out = {
        traps,
        resets: conf.bridge.resets - resets0,
        counter: f("adv_kept_counter_incr", [T.unit], T.string)(undefined),
        adder: f("adv_kept_adder_call", [T.unit], T.string)(undefined),
      };
      f("adv_forget_kept", [T.unit], T.unit)(undefined);
      return out;
    },
    1024,
  );
  expect([r.traps, r.resets]).toEqual([1024, 1024]);
  expect
    .soft(r.counter, "the kept DynBox")
    .toMatch(/^raised Failure\("ocaml-interop: this DynBox was released \(or collected\) and its value dropped"\)$/);
  expect.soft(r.adder, "the kept Rust closure").toMatch(/^raised Failure\("ocaml-interop: this Rust closure was already released"\)$/);
  expect(errors).toEqual([]);
});

test("OCaml closures rooted by Rust (BoxRoot) across re-creations: the handle table does not leak (+N handles per trap is a bug)", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = await open(page);
  const r = await run(page, (adv) => {
    const { conf, T } = adv;
    const keep = conf.ocaml.fn("adv_keep_closures", [T.int], T.int);
    const base = conf.bridge.liveHandles();
    const perRound: number[] = [];
    for (let round = 0; round < 10; round++) {
      keep(5); // Rust roots 5 closures (keep_closure)
      try {
        conf.rust.rust_trap(0);
      } catch {
        /* the instance, and its roots, are gone */
      }
      perRound.push(conf.bridge.liveHandles() - base);
    }
    // and the ordinary way: kept, then dropped by Rust
    keep(5);
    conf.rust.drop_kept(undefined);
    return {
      perRound,
      final: conf.bridge.liveHandles() - base,
      ocamlSide: conf.ocaml.fn("adv_live_handles", [T.unit], T.int)(undefined) - base,
    };
  });
  expect(r.perRound).toEqual(Array(10).fill(0));
  expect(r.final).toBe(0);
  expect(r.ocamlSide).toBe(0);
  expect(errors).toEqual([]);
});

test("handle ids Rust made up: an error (Err in Rust, Failure in OCaml), never a trap or another value", async ({ page }) => {
  const errors = await open(page);
  const r = await run(page, (adv) => {
    const { conf, T, attempt } = adv;
    const resets0 = conf.bridge.resets;
    const ocamlHandle = [999_999, -1, 1 << 29, 0].map((h) => attempt(() => conf.rust.forged_closure_call(h)));
    const resetsAfterOCamlHandles = conf.bridge.resets - resets0;
    const pair = T.tuple(T.int, T.int);
    const box = [
      [999_999, 1],
      [0, 0],
      [-5, 3],
    ].map((a) => conf.ocaml.fn("adv_forged_counter", [pair], T.string)(a));
    const closure = [
      [999_999, 1],
      [999_999, 0],
      [999_999, -1],
      [0, 2],
    ].map((a) => conf.ocaml.fn("adv_forged_rust_closure", [pair], T.string)(a));
    return { ocamlHandle, resetsAfterOCamlHandles, box, closure, resets: conf.bridge.resets - resets0, after: conf.rust.id_int(3) };
  });
  for (const [i, o] of r.ocamlHandle.entries())
    expect
      .soft(o, `forged OCaml closure handle #${i}: ${JSON.stringify(o)}`)
      .toMatchObject({ ok: true, value: expect.stringMatching(/^err Failure Some\("ocaml-interop: .*handle/) });
  expect.soft(r.resetsAfterOCamlHandles, "no re-creation for a made-up OCaml handle").toBe(0);
  for (const v of r.box)
    expect.soft(v, "forged DynBox").toMatch(/^raised Failure\("ocaml-interop: this Rust value \(DynBox\) was already released"\)$/);
  for (const v of r.closure)
    expect.soft(v, "forged Rust closure").toMatch(/^raised Failure\("ocaml-interop: this Rust closure was already released"\)$/);
  expect.soft(r.resets).toBe(0);
  expect(r.after).toBe(3);
  expect(errors).toEqual([]);
});

test("a stale OCaml closure handle (released when its call returned) never reaches the closure that reuses its slot", async ({ page }) => {
  await open(page);
  const r = await run(page, ({ conf, T }) => ({
    stale: conf.ocaml.fn("adv_stale_handle", [T.unit], T.string)(undefined),
    resets: conf.bridge.resets,
  }));
  // g took the slot the stale handle names (the table reuses freed slots), yet the stale handle
  // does not reach g: its generation is another
  const m = /\(slots: g (\d+), stale (\d+)\)$/.exec(r.stale);
  expect(m?.[1], r.stale).toBe(m?.[2]);
  expect(r.stale).toMatch(/^err Failure Some\("ocaml-interop: a closure handle that is not \(or no longer\) valid"\) /);
  expect(r.resets).toBe(0);
});
