// Rust calling OCaml with no JS frame between them (loadInterop's ocamlCalls: "direct",
// src/host/bridge/direct-ocaml.ts), beside the default route on the same page: the same
// results and OCaml exceptions; a fault of the OCaml program, which no JS frame can catch before
// Rust, ends the host's call into Rust as a trap of that export (named, the Rust instance
// re-created, the OCaml side's bookkeeping put back), where the default route gives Rust's try_
// form its Err (faults.spec.ts); and the route survives the re-creation.
import { expect, test } from "@playwright/test";
import { expectFailure, open, run } from "./helpers.ts";

test('ocamlCalls takes "host" or "direct"; anything else is a TypeError naming the option', async ({ page }) => {
  const errors = await open(page);
  const r = await run(page, async ({ load }) => {
    try {
      await load("conformance", { ocamlCalls: "sideways" });
      return "loaded";
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
  });
  expect(r).toBe('TypeError: ocaml-interop: loadInterop(conformance): ocamlCalls must be "host" or "direct" (got "sideways")');
  expect(errors).toEqual([]);
});

test("direct: Rust's calls into OCaml give what the host route gives (values both ways, closures, exceptions as Err)", async ({ page }) => {
  const errors = await open(page);
  const r = await run(page, async ({ conf, load, T, attempt }) => {
    const direct = await load("conformance", { ocamlCalls: "direct" });
    const drivers = ["closure_tests", "rust_closure_tests", "bigarray_tests", "dynbox_tests"];
    const on = (app: any) => ({
      route: app.bridge.ocamlCalls,
      drivers: drivers.map((d) => attempt(() => app.ocaml.fn(d, [T.unit], T.string)(undefined))),
      nest: attempt(() => app.ocaml.fn("adv_nest_rust_to_ocaml", [T.int], T.string)(50)),
      chain: attempt(() => app.ocaml.fn("adv_chain_from_rust", [T.int], T.string)(1000)),
      exns: ["fail", "mine", "nf", "withint", "fine"].map((s) => attempt(() => app.rust.try_forms(s))),
      plain: attempt(() => app.rust.plain_form("mine")),
      resets: app.bridge.resets,
    });
    return { host: on(conf), direct: on(direct) };
  });
  expect(r.host.route).toBe("host");
  expect(r.direct.route).toBe("direct");
  for (const d of r.direct.drivers) expect(d).toMatchObject({ ok: true });
  expect(r.direct).toEqual({ ...r.host, route: "direct" });
  expect(r.direct.resets).toBe(0);
  expect(errors).toEqual([]);
});

test("direct: OCaml's stack overflow, running out of memory and a wrong ocaml! type end the call into Rust as a trap of the export; the next calls work, on the direct route still", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = await open(page);
  const r = await run(page, async ({ load, T, attempt }) => {
    const app = await load("conformance", { ocamlCalls: "direct" });
    const out: unknown[] = [];
    for (const which of [0, 1, 2, 0]) {
      const resets0 = app.bridge.resets;
      const fault = attempt(() => app.rust.ocaml_fault_try(which));
      out.push({
        which,
        fault,
        resets: app.bridge.resets - resets0,
        after: attempt(() => app.rust.id_int(5)),
        // a call into OCaml from the re-created instance (an exception: its Err, not a trap)
        exn: attempt(() => app.rust.try_forms("mine")),
      });
    }
    // OCaml -> Rust -> OCaml faults: the OCaml entry's catch finds the skipped Rust frames
    const resets1 = app.bridge.resets;
    const nested = attempt(() => app.ocaml.fn("adv_ocaml_fault_try", [T.int], T.string)(0));
    const nestedResets = app.bridge.resets - resets1;
    const afterNested = attempt(() => app.ocaml.fn("closure_tests", [T.unit], T.string)(undefined));
    // a trap of Rust's own, with no OCaml under it, reads as on the host route
    const rustTrap = attempt(() => app.rust.rust_trap(0));
    return { out, nested, nestedResets, afterNested, rustTrap, route: app.bridge.ocamlCalls };
  });
  const faults = r.out as { which: number; fault: any; resets: number; after: unknown; exn: any }[];
  for (const f of faults) {
    expectFailure(f.fault, "RustPanic", "ocaml_fault_try", /ocaml_fault_try/);
    expect(f.resets, `re-creations after fault ${f.which}`).toBe(1);
    expect(f.after).toEqual({ ok: true, value: 5 });
    expect(f.exn).toMatchObject({ ok: true, value: expect.stringMatching(/^err Dune__exe__Conformance.My_error Some\("custom"\) /) });
  }
  // what each was, as the engine said it
  const direct = 'with ocamlCalls "direct" a fault of OCaml code ends the call into Rust, and the Rust instance was re-created';
  expect(faults[0].fault.message).toBe(
    `ocaml_fault_try: ocaml_recurse_forever, which it called, faulted: its stack ran out (Stack_overflow); ${direct}`,
  );
  expect(faults[1].fault.message).toBe(
    `ocaml_fault_try: adv_ocaml_oom, which it called, faulted: it ran out of memory (Out_of_memory); ${direct}`,
  );
  expect(faults[2].fault.message).toBe(
    `ocaml_fault_try: ocaml_may_fail, which it called, faulted: it trapped (illegal cast; does its declaration in Rust, ocaml!, match its OCaml type?); ${direct}`,
  );
  expect(faults[3].fault.message).toBe(faults[0].fault.message);
  // (caught by the OCaml entry, which names the export the runtime records as running)
  expectFailure(r.nested, "RustPanic", "ocaml_fault_try");
  expect(r.nestedResets).toBe(1);
  expect(r.afterNested).toMatchObject({ ok: true });
  expectFailure(r.rustTrap, "RustPanic", "rust_trap", /^Rust trapped in rust_trap: [^;]+; the Rust instance was re-created$/);
  expect(r.route).toBe("direct");
  expect(errors).toEqual([]);
});
