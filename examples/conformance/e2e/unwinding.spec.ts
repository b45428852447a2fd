// Panics that unwind (the default): destructors run, catch_unwind catches inside an export,
// and a panic escaping an export leaves the Rust instance and its state as they were.
import { expect, test } from "ocaml-interop-web/playwright";
import { openConformance } from "./open.ts";

test("a panic unwinds: destructors run, catch_unwind works, statics and the heap survive, the instance is not re-created", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await openConformance(page);
  const r = await page.evaluate(() => {
    const { app, T } = (window as any).conformance;
    const attempt = (f: () => unknown) => {
      try {
        return `ok ${f()}`;
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    const resets0 = app.bridge.resets;
    const [drops0] = app.rust.unwind_state(undefined);
    const fromTs = attempt(() => app.rust.unwind_guarded(3));
    const fine = attempt(() => app.rust.unwind_guarded(0));
    // from OCaml: the external raises RustPanic there, with the same message
    const fromOcaml = app.ocaml.fn("call_unwind_guarded", [T.int], T.string)(4);
    const caught = app.rust.unwind_catch("inner");
    const [drops, log] = app.rust.unwind_state(undefined);
    return { fromTs, fine, fromOcaml, caught, drops: drops - drops0, log, resets: app.bridge.resets - resets0 };
  });
  expect(r).toEqual({
    fromTs: "RustPanic: guarded 3",
    fine: "ok 0",
    fromOcaml: "RustPanic: guarded 4",
    caught: "caught: inner",
    // three guarded calls and the guard inside catch_unwind: four destructors, panics or not
    drops: 4,
    log: "guarded 3,guarded 0,guarded 4",
    resets: 0,
  });
  expect(errors).toEqual([]);
});
