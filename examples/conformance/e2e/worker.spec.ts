// The bridge inside a Web Worker: the worker loads its own copy of the app (memory, Rust
// instance, OCaml program, runtime) and calls work there as in the page.
import { expect, test } from "ocaml-interop-web/playwright";
import { openConformance } from "./open.ts";

test("an app loads and runs inside a Web Worker, panics included", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await openConformance(page);
  const msg = await page.evaluate(
    () =>
      new Promise<any>((resolve) => {
        const w = (window as any).conformance.startWorker() as Worker;
        w.onmessage = (ev) => resolve(ev.data);
        w.onerror = (ev) => resolve({ ok: false, error: ev.message });
        w.postMessage({});
      }),
  );
  expect(msg.error).toBeUndefined();
  expect(msg.ok).toBe(true);
  const r = msg.result;
  expect(r.inWorker).toBe(true);
  expect(r.echo).toBe("from a worker ✓");
  expect(r.list).toEqual([1, 2, 3]);
  expect(r.reentrant).toMatch(/^ok ok .*bottom reached after 200 crossings/);
  expect(r.prims).toContain("1000000000035 -9223372036854775808");
  expect(r.item).toEqual({ id: 7, name: "w", shape: { tag: "Empty" }, color: { tag: "Green" }, tags: [], parent: null });
  expect(r.panic).toBe("RustPanic: bottom reached after 0 crossings");
  expect(r.afterPanic).toBe("still working");
  // the panic unwound: the worker's Rust instance survived it
  expect(r.resets).toBe(0);
  // the page's own app is untouched by the worker's
  expect(await page.evaluate(() => (window as any).conformance.app.rust.id_string("page"))).toBe("page");
  expect(errors).toEqual([]);
});
