// Adversarial suite, category "faults in every place" (issue 9): panics (unwinding) and traps
// (abort, stack overflow, out of memory; in Rust and in OCaml) at every entry: TS -> Rust
// export, OCaml -> Rust, Rust -> OCaml (ocaml! and its try_ form), a #[wasm_bindgen] function
// TS calls directly (with and without with_domain_lock), Rust closures called from OCaml,
// panic hooks (a user's, one that panics, a panic while panicking), and stale errors. (A Drop
// that panics in a finalizer is examples/conformance/e2e/values.spec.ts and e2e/recovery.spec.ts.) Each must reach its caller as the fault
// it was (TS: RustPanic, OCamlException, BoundaryError, JavaScriptError; OCaml: RustPanic or
// Failure, Invalid_argument, Stack_overflow, Out_of_memory; Rust: Err from the try_ forms, or a
// panic), naming the function; a trap re-creates the Rust instance, never while a Rust frame
// of it is live; the page keeps working.
import { expect, test } from "@playwright/test";
import { expectFailure, open, run, type Outcome } from "./helpers.ts";

// ---- #[wasm_bindgen] functions TS calls directly ----------------------------------------------------

test("wasm-bindgen function: a panic outside with_domain_lock is a RustPanic; the next call works", async ({ page }) => {
  const errors = await open(page);
  const r = await run(page, ({ conf, attempt }) => ({
    panic: attempt(() => conf.wasmBindgen.wb_panic_plain("plain boom")),
    next: attempt(() => conf.wasmBindgen.wb_sum_through_ocaml(new Int32Array([1, 2]))),
  }));
  // the bug this guards against: a raw PanicError of wasm-bindgen's glue
  expectFailure(r.panic, "RustPanic", "wb_panic_plain", "plain boom");
  expect(r.next).toEqual({ ok: true, value: 3 });
  expect(errors).toEqual([]);
});

test("wasm-bindgen function: a panic inside with_domain_lock is a RustPanic, and the next with_domain_lock works", async ({ page }) => {
  const errors = await open(page);
  const r = await run(page, ({ conf, attempt }) => ({
    panic: attempt(() => conf.wasmBindgen.wb_panic_in_lock("lock boom")),
    next: attempt(() => conf.wasmBindgen.wb_sum_through_ocaml(new Int32Array([1, 2]))),
    ocamlRaises: attempt(() => conf.wasmBindgen.wb_call_ocaml("fail")),
    nested: attempt(() => conf.wasmBindgen.wb_nested_lock()),
    last: attempt(() => conf.wasmBindgen.wb_sum_through_ocaml(new Int32Array([4, 5]))),
    export: attempt(() => conf.rust.id_int(7)),
  }));
  expectFailure(r.panic, "RustPanic", "wb_panic_in_lock", "lock boom");
  expect.soft(r.next).toEqual({ ok: true, value: 3 });
  expectFailure(r.ocamlRaises, "RustPanic", "wb_call_ocaml", 'OCaml exception, message: Some("asked to fail")');
  expectFailure(r.nested, "RustPanic", "wb_nested_lock", "OCamlRuntime::with_domain_lock called while the runtime is already held");
  expect(r.last).toEqual({ ok: true, value: 9 });
  expect(r.export).toEqual({ ok: true, value: 7 });
  expect(errors).toEqual([]);
});

test("wasm-bindgen function: a trap (with and without with_domain_lock) is a RustPanic, marks the instance for re-creation, and the next calls work", async ({
  page,
}) => {
  const errors = await open(page);
  const r = await run(page, ({ conf, attempt }) => {
    const wb = conf.wasmBindgen,
      resets0 = conf.bridge.resets;
    const inLock = attempt(() => wb.wb_trap_in_lock());
    const resets1 = conf.bridge.resets - resets0;
    const nextWb = attempt(() => wb.wb_sum_through_ocaml(new Int32Array([1, 2])));
    const plain = attempt(() => wb.wb_trap_plain());
    const overflow = attempt(() => wb.wb_stack_overflow(0));
    return {
      inLock,
      resets1,
      nextWb,
      plain,
      overflow,
      resets: conf.bridge.resets - resets0,
      lastWb: attempt(() => wb.wb_sum_through_ocaml(new Int32Array([4, 5]))),
      export: attempt(() => conf.rust.id_int(7)),
    };
  });
  // the bug this guards against: a raw WebAssembly.RuntimeError; the instance is not re-created, and every later
  // wasm-bindgen call fails with wasm-bindgen's raw Error "Module terminated"
  expectFailure(r.inLock, "RustPanic", "wb_trap_in_lock", /^Rust trapped in wb_trap_in_lock: unreachable/);
  expect.soft(r.resets1, "re-created after the trap").toBe(1);
  expect.soft(r.nextWb, "with_domain_lock after the trap").toEqual({ ok: true, value: 3 });
  expectFailure(r.plain, "RustPanic", "wb_trap_plain", /^Rust trapped in wb_trap_plain: unreachable/);
  expectFailure(r.overflow, "RustPanic", "wb_stack_overflow", /^Rust trapped in wb_stack_overflow: stack overflow/);
  expect.soft(r.resets).toBe(3);
  expect(r.lastWb).toEqual({ ok: true, value: 9 });
  expect(r.export).toEqual({ ok: true, value: 7 });
  expect(errors).toEqual([]);
});

test("wasm-bindgen function called while an export is live: with_domain_lock's documented panic is a RustPanic, and the export goes on", async ({
  page,
}) => {
  const errors = await open(page);
  const r = await run(page, (adv) => {
    const { conf, attempt } = adv;
    let inner: unknown;
    adv.hook = () => {
      inner = attempt(() => conf.wasmBindgen.wb_sum_through_ocaml(new Int32Array([1])));
      return "hooked";
    };
    const outer = attempt(() => conf.rust.call_js_catching("x"));
    adv.hook = (s: string) => `hook: ${s}`;
    return {
      inner,
      outer,
      after: attempt(() => conf.wasmBindgen.wb_sum_through_ocaml(new Int32Array([1, 2]))),
      resets: conf.bridge.resets,
    };
  });
  expectFailure(
    r.inner as Outcome,
    "RustPanic",
    "wb_sum_through_ocaml",
    "OCamlRuntime::with_domain_lock called while the runtime is already held",
  );
  expect(r.outer).toEqual({ ok: true, value: { ok: "hooked" } });
  expect(r.after).toEqual({ ok: true, value: 3 });
  expect(r.resets).toBe(0);
  expect(errors).toEqual([]);
});

test("a trap in a wasm-bindgen function under a live export frame: re-created only once that frame has returned, exactly once", async ({
  page,
}) => {
  const errors = await open(page);
  const r = await run(page, (adv) => {
    const { conf, attempt } = adv;
    const resets0 = conf.bridge.resets;
    let inner: unknown,
      resetsInside = -1;
    adv.hook = () => {
      inner = attempt(() => conf.wasmBindgen.wb_trap_plain());
      resetsInside = conf.bridge.resets - resets0;
      return "hooked";
    };
    const outer = attempt(() => conf.rust.call_js_catching("x"));
    adv.hook = (s: string) => `hook: ${s}`;
    return {
      inner,
      resetsInside,
      outer,
      resets: conf.bridge.resets - resets0,
      after: [attempt(() => conf.rust.id_string("after")), attempt(() => conf.wasmBindgen.wb_sum_through_ocaml(new Int32Array([1, 2])))],
    };
  });
  expectFailure(r.inner as Outcome, "RustPanic", "wb_trap_plain", /^Rust trapped in wb_trap_plain: unreachable/);
  // not while call_js_catching's frame was on the stack ...
  expect.soft(r.resetsInside, "re-creations while the outer frame was live").toBe(0);
  // ... which either finished or failed cleanly, and then exactly one re-creation
  const outer = r.outer as Outcome;
  if (outer.ok) expect.soft(outer.value).toEqual({ ok: "hooked" });
  else expectFailure(outer, "RustPanic", "call_js_catching");
  expect.soft(r.resets, "re-creations after the outer frame returned").toBe(1);
  expect(r.after).toEqual([
    { ok: true, value: "after" },
    { ok: true, value: 3 },
  ]);
  expect(errors).toEqual([]);
});

// ---- stale errors -----------------------------------------------------------------------------------------------

test("a stale error is never raised by the next successful call (a conversion error left pending in with_domain_lock, an arena overflow)", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = await open(page);
  const r = await run(page, ({ conf, T, attempt }) => {
    const pending = attempt(() => conf.wasmBindgen.wb_pending_leak());
    const next = attempt(() => conf.rust.id_int(1));
    const nextOCaml = attempt(() => conf.ocaml.fn("via_rust_int", [T.int], T.int)(2));
    // 1.1 GiB of UTF-8 (three bytes a character): more than the call arena's 1 GiB
    const overflow = attempt(() => conf.rust.id_string("日".repeat(360 * 2 ** 20)));
    const afterOverflow = [
      attempt(() => conf.rust.id_int(3)),
      attempt(() => conf.ocaml.fn("via_rust_int", [T.int], T.int)(4)),
      attempt(() => conf.wasmBindgen.wb_sum_through_ocaml(new Int32Array([5]))),
    ];
    return { pending, next, nextOCaml, overflow: overflow.ok ? "no error" : overflow.cls, afterOverflow };
  });
  // the with_domain_lock call reports its own error (it panics: a conversion inside it wrote a
  // placeholder), to its own caller only
  expectFailure(
    r.pending as Outcome,
    "RustPanic",
    "wb_pending_leak",
    "OCamlRuntime::with_domain_lock: integer 1099511627776 does not fit OCaml's int, which is 31-bit under wasm_of_ocaml",
  );
  expect.soft(r.next, "the next export call").toEqual({ ok: true, value: 1 });
  expect.soft(r.nextOCaml, "the next OCaml -> Rust call").toEqual({ ok: true, value: 2 });
  expect(r.overflow).toBe("BoundaryError");
  expect(r.afterOverflow).toEqual([
    { ok: true, value: 3 },
    { ok: true, value: 4 },
    { ok: true, value: 5 },
  ]);
  expect(errors).toEqual([]);
});

// ---- Rust -> OCaml where OCaml faults ------------------------------------------------------------------------------

test("Rust -> OCaml: OCaml's Stack_overflow reaches the try_ form's Err (and the plain form's panic); Rust is not re-created", async ({
  page,
}) => {
  const errors = await open(page);
  const r = await run(page, ({ conf, attempt }) => {
    const resets0 = conf.bridge.resets;
    const tryForm = attempt(() => conf.rust.ocaml_fault_try(0));
    const resetsTry = conf.bridge.resets - resets0;
    const plain = attempt(() => conf.rust.ocaml_fault_plain(0));
    return { tryForm, resetsTry, plain, resets: conf.bridge.resets - resets0, after: attempt(() => conf.rust.id_int(5)) };
  });
  // the bug this guards against: "Rust trapped in ocaml_fault_try: stack overflow; the Rust instance was re-created"
  expect.soft(r.tryForm, "try_ form").toEqual({ ok: true, value: "err Stack_overflow None" });
  expect.soft(r.resetsTry, "re-creations after the try_ form").toBe(0);
  expectFailure(r.plain, "RustPanic", "ocaml_fault_plain", "OCaml exception, message: None");
  expect.soft(r.resets).toBe(0);
  expect(r.after).toEqual({ ok: true, value: 5 });
  expect(errors).toEqual([]);
});

test("OCaml running out of memory is Out_of_memory: from TS (OCamlException), from Rust (the try_ form's Err, the plain form's panic), never 'Rust trapped in ...'", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = await open(page);
  const r = await run(page, ({ conf, T, attempt }) => {
    const resets0 = conf.bridge.resets;
    const fromTS = attempt(() => conf.ocaml.fn("adv_ocaml_oom", [T.int], T.int)(8));
    const tryForm = attempt(() => conf.rust.ocaml_fault_try(1));
    const plain = attempt(() => conf.rust.ocaml_fault_plain(1));
    return {
      fromTS,
      tryForm,
      plain,
      resets: conf.bridge.resets - resets0,
      after: attempt(() => conf.ocaml.fn("via_rust_string", [T.string], T.string)("after")),
    };
  });
  expect
    .soft(r.fromTS, "from TS")
    .toMatchObject({ ok: false, cls: "OCamlException", functionName: "adv_ocaml_oom", exceptionName: "Out_of_memory" });
  expect.soft(r.tryForm, "try_ form").toEqual({ ok: true, value: "err Out_of_memory None" });
  expect
    .soft(r.plain, "plain form")
    .toMatchObject({ ok: false, cls: "RustPanic", functionName: "ocaml_fault_plain", message: "OCaml exception, message: None" });
  expect.soft(r.resets, "Rust re-created for an OCaml fault").toBe(0);
  expect(r.after).toEqual({ ok: true, value: "after" });
  expect(errors).toEqual([]);
});

test("Rust -> OCaml with a wrongly declared ocaml! type: OCaml's exception (try_ form's Err), not 'Rust trapped in ...: illegal cast'", async ({
  page,
}) => {
  const errors = await open(page);
  const r = await run(page, ({ conf, attempt }) => {
    const resets0 = conf.bridge.resets;
    return {
      tryForm: attempt(() => conf.rust.ocaml_fault_try(2)),
      plain: attempt(() => conf.rust.ocaml_fault_plain(2)),
      resets: conf.bridge.resets - resets0,
      after: attempt(() => conf.rust.id_int(5)),
    };
  });
  const why = "ocaml_may_fail: the OCaml function trapped (illegal cast); does its declaration in Rust (ocaml!) match its OCaml type?";
  expect.soft(r.tryForm, "try_ form").toEqual({ ok: true, value: `err Failure Some(${JSON.stringify(why)})` });
  // (the plain form panics with the error's text, as for any failed call that is no exception)
  expect.soft(r.plain, "plain form").toMatchObject({ ok: false, cls: "RustPanic", functionName: "ocaml_fault_plain", message: why });
  expect.soft(r.resets, "Rust re-created for an OCaml fault").toBe(0);
  expect(r.after).toEqual({ ok: true, value: 5 });
  expect(errors).toEqual([]);
});

// ---- Rust faults at the other entries ------------------------------------------------------------------------------

test("Rust running out of memory, called from TS and from OCaml (the unwind app): a RustPanic naming the export; the next call works", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = await open(page);
  const r = await run(page, ({ conf, T, attempt }) => ({
    fromTS: attempt(() => conf.rust.rust_exhaust(undefined)),
    afterTS: attempt(() => conf.rust.id_string("after")),
    // (a trap, which OCaml cannot catch: it reaches TS's call of the OCaml function)
    fromOCaml: attempt(() => conf.ocaml.fn("adv_rust_oom", [T.unit], T.string)(undefined)),
    afterOCaml: attempt(() => conf.ocaml.fn("via_rust_string", [T.string], T.string)("after")),
    resets: conf.bridge.resets,
  }));
  // the fault named as it was (out of memory), and the export
  expectFailure(r.fromTS, "RustPanic", "rust_exhaust", /^(memory allocation of \d+ bytes failed|Rust trapped in rust_exhaust: )/);
  expect.soft((r.fromTS as { message?: string }).message ?? "", "names the export").toContain("rust_exhaust");
  expect
    .soft((r.fromTS as { message?: string }).message ?? "", "names the fault")
    .toMatch(/memory allocation of \d+ bytes failed|out of memory/);
  expect(r.afterTS).toEqual({ ok: true, value: "after" });
  expectFailure(
    r.fromOCaml,
    "RustPanic",
    "rust_exhaust",
    /^(memory allocation of \d+ bytes failed.*rust_exhaust|Rust trapped in rust_exhaust: .*out of memory)/,
  );
  expect(r.afterOCaml).toEqual({ ok: true, value: "after" });
  expect(r.resets).toBe(2);
  expect(errors).toEqual([]);
});

test("abort mode: Rust running out of memory and out of stack, called from OCaml, arrive at TS's call as RustPanic naming the export and the fault", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = await open(page);
  // (traps, which OCaml cannot catch: they reach TS's call of the OCaml function)
  const r = await run(page, ({ abortApp, T, attempt }) => ({
    oom: attempt(() => abortApp.ocaml.fn("exhaust_from_ocaml", [T.unit], T.string)(undefined)),
    overflow: attempt(() => abortApp.ocaml.fn("overflow_from_ocaml", [T.int], T.string)(1_000_000)),
    resets: abortApp.bridge.resets,
    after: abortApp.rust.twice(21),
  }));
  expectFailure(r.oom, "RustPanic", "exhaust", /^(memory allocation of \d+ bytes failed|Rust trapped in exhaust: )/);
  // the bug this guards against: "Rust trapped in overflow: memory access out of bounds (a stack overflow in Rust, or an
  // out-of-bounds access in unsafe code?)": Rust's own stack ran into its static data
  expectFailure(r.overflow, "RustPanic", "overflow", /^Rust trapped in overflow: stack overflow/);
  expect(r.resets).toBe(2);
  expect(r.after).toBe(42);
  expect(errors).toEqual([]);
});

test("abort mode: a trap under a live outer Rust frame (Rust -> OCaml -> Rust traps) re-creates the instance once, after that frame returned", async ({
  page,
}) => {
  const errors = await open(page);
  const r = await run(page, ({ abortApp, T, attempt }) => {
    const keepBefore = abortApp.rust.keep(64);
    const resets0 = abortApp.bridge.resets;
    const fromTS = attempt(() => abortApp.rust.outer_fail("deep"));
    const resets1 = abortApp.bridge.resets - resets0;
    const fromOCaml = attempt(() => abortApp.ocaml.fn("outer_fail_from_ocaml", [T.string], T.string)("deeper"));
    return {
      keepBefore,
      fromTS,
      resets1,
      fromOCaml,
      resets: abortApp.bridge.resets - resets0,
      kept: abortApp.rust.kept(undefined),
      after: abortApp.rust.twice(4),
    };
  });
  expect(r.keepBefore).toBe(64);
  for (const [k, o, why] of [
    ["fromTS", r.fromTS, "deep"],
    ["fromOCaml", r.fromOCaml, "deeper"],
  ] as const) {
    const out = o as Outcome;
    // the outer frame either finished with what OCaml caught, or failed cleanly
    if (out.ok) expect.soft(out.value, k).toBe(`outer got: Rust_panic ${why}`);
    else expectFailure(out, k === "fromTS" ? "RustPanic" : "OCamlException", undefined);
  }
  expect(r.resets1).toBe(1);
  expect(r.resets).toBe(2);
  expect(r.kept).toBe(0);
  expect(r.after).toBe(8);
  expect(errors).toEqual([]);
});

// ---- Rust closures called from OCaml -----------------------------------------------------------------------------------

test("Rust closures called from OCaml: a trap inside one (abort mode) and a stack overflow inside one (unwind app) raise in OCaml, naming it; the closure is gone afterwards", async ({
  page,
}) => {
  const errors = await open(page);
  const r = await run(page, ({ conf, abortApp, T }) => ({
    abortTrap: abortApp.ocaml.fn("closure_trap", [T.unit], T.string)(undefined),
    overflow: conf.ocaml.fn("adv_rust_closure_overflow", [T.unit], T.string)(undefined),
    abortAfter: abortApp.rust.twice(1),
  }));
  const [first, again] = r.abortTrap.split(" | ");
  expect.soft(first).toBe("Rust_panic the closure failed on x");
  // the closure's instance trapped: the closure says so
  expect.soft(again).toMatch(/^Rust_panic ocaml-interop: this Rust closure belonged to a Rust instance that trapped and was re-created/);
  const [ovf, ovfAgain, after] = r.overflow.split(" | ");
  expect.soft(ovf).toMatch(/^raised Failure\("Rust trapped in .*stack overflow/);
  // "a Rust closure" names nothing: the closure is make_recurser's
  expect.soft(ovf, "names the closure's export").toContain("make_recurser");
  expect
    .soft(ovfAgain)
    .toMatch(/^raised Failure\("ocaml-interop: this Rust closure belonged to a Rust instance that trapped and was re-created/);
  expect(after).toBe("after");
  expect(r.abortAfter).toBe(2);
  expect(errors).toEqual([]);
});

// ---- panic hooks ---------------------------------------------------------------------------------------------------------

test("a user-installed panic hook does not lose the message of a panic that traps", async ({ page }) => {
  const errors = await open(page);
  const r = await run(page, ({ conf, attempt }) => {
    const rust = conf.rust;
    const out: Record<string, unknown> = {};
    rust.install_user_hook(0); // a silent hook
    out.unwinds = attempt(() => rust.rust_reenter(0, "!"));
    out.traps = attempt(() => rust.panic_uncaught("kept message"));
    out.after = attempt(() => rust.id_int(1));
    rust.install_user_hook(2); // a hook that chains to the one it replaced
    out.chained = attempt(() => rust.panic_uncaught("kept message 2"));
    return out;
  });
  expect.soft(r.unwinds).toMatchObject({ ok: false, cls: "RustPanic", message: "bottom reached after 0 crossings" });
  expect
    .soft(r.traps, "silent user hook, then a trap")
    .toMatchObject({ ok: false, cls: "RustPanic", functionName: "panic_uncaught", message: expect.stringContaining("kept message") });
  expect(r.after).toEqual({ ok: true, value: 1 });
  expect
    .soft(r.chained, "chaining user hook, then a trap")
    .toMatchObject({ ok: false, cls: "RustPanic", message: expect.stringContaining("kept message 2") });
  expect(errors).toEqual([]);
});

test("a panic inside the panic hook traps naming the export; a panic while panicking names both panics; the next call works", async ({
  page,
}) => {
  const errors = await open(page);
  const r = await run(page, ({ conf, attempt }) => {
    const rust = conf.rust;
    rust.install_user_hook(1); // a hook that panics itself
    const inHook = attempt(() => rust.rust_reenter(0, "!"));
    const after1 = attempt(() => rust.id_int(1));
    const whilePanicking = attempt(() => rust.panic_while_panicking("first"));
    return { inHook, after1, whilePanicking, after2: attempt(() => rust.id_int(2)) };
  });
  // A panic inside a panic hook makes the standard library abort at once, before any hook or
  // handler could see either message (it prints them to stderr, which wasm32-unknown-unknown
  // lacks): what can be told is where it trapped, and the instance is re-created.
  expect.soft(r.inHook, "panic in the panic hook").toMatchObject({
    ok: false,
    cls: "RustPanic",
    functionName: "rust_reenter",
    message:
      "Rust trapped in rust_reenter: unreachable (an abort: out of memory, or core::arch::wasm32::unreachable); the Rust instance was re-created",
  });
  expect(r.after1).toEqual({ ok: true, value: 1 });
  const m = (r.whilePanicking as { message?: string }).message ?? "";
  expect.soft(r.whilePanicking).toMatchObject({ ok: false, cls: "RustPanic", functionName: "panic_while_panicking" });
  expect.soft(m, "both panics are named").toContain("first");
  expect.soft(m, "both panics are named").toContain("second: a Drop panicked while unwinding");
  expect(r.after2).toEqual({ ok: true, value: 2 });
  expect(errors).toEqual([]);
});
