// Adversarial suite, category "page scripts" (issue 9): nothing reachable from page scripts can
// read or corrupt the bridge beyond the documented API of an app object its owner holds.
//
// What is and is not defended (the bridge is a same-realm library):
//   - after load, no global (nor anything reachable from window, document, or the prototypes
//     the bridge touches) holds the Bridge, its memory, its wasm instances or its tables;
//   - globals and Symbols a page defined before load (names the bridge, wasm-bindgen or
//     wasm_of_ocaml might use) must not stop an app from loading;
//   - built-ins a page script patches AFTER load (TextEncoder/TextDecoder, WebAssembly,
//     fetch, FinalizationRegistry, DataView, Array.prototype, the Memory#buffer getter) must not
//     corrupt calls nor hand the page the bridge's memory or globals: a library can defend this
//     by capturing the intrinsics it uses when its module is evaluated;
//   - built-ins patched BEFORE the library's modules are evaluated are out of scope: a
//     same-realm library cannot tell a patched intrinsic from the original, so these tests
//     patch only after load.
import { expect, test } from "@playwright/test";
import { open, run } from "./helpers.ts";

test("after load, nothing reachable from globalThis, window, document or the prototypes the bridge touches is the bridge, its memory, instances or tables", async ({
  page,
}) => {
  const errors = await open(page, "?private");
  const r = await page.evaluate(() => {
    // the globals a clean page has, from a fresh same-origin iframe
    const iframe = document.createElement("iframe");
    document.body.appendChild(iframe);
    const clean = iframe.contentWindow as unknown as Record<string, unknown>;
    const baseline = new Set(Reflect.ownKeys(clean).map(String));
    baseline.add("0"); // the iframe itself
    const extras = Reflect.ownKeys(window)
      .map(String)
      .filter((k) => !baseline.has(k) && !k.startsWith("__pw"));
    const isWasm = (v: unknown) =>
      v instanceof WebAssembly.Memory ||
      v instanceof WebAssembly.Table ||
      v instanceof WebAssembly.Instance ||
      v instanceof WebAssembly.Global ||
      v instanceof WebAssembly.Module;
    const found: string[] = [];
    const seen = new Set<unknown>();
    const queue: [string, unknown, number][] = extras.map((k) => [`window.${k}`, (window as unknown as Record<string, unknown>)[k], 0]);
    const roots: Record<string, unknown> = {
      "Object.prototype": Object.prototype,
      "Array.prototype": Array.prototype,
      "Function.prototype": Function.prototype,
      "TextEncoder.prototype": TextEncoder.prototype,
      "TextDecoder.prototype": TextDecoder.prototype,
      WebAssembly,
      "WebAssembly.Memory.prototype": WebAssembly.Memory.prototype,
      "FinalizationRegistry.prototype": FinalizationRegistry.prototype,
      "DataView.prototype": DataView.prototype,
      "EventTarget.prototype": EventTarget.prototype,
      document,
      "window.onerror": window.onerror,
      window,
    };
    for (const [n, v] of Object.entries(roots)) queue.push([n, v, 0]);
    let visited = 0;
    while (queue.length && visited < 200_000) {
      const [path, v, depth] = queue.shift()!;
      if (v === null || (typeof v !== "object" && typeof v !== "function") || seen.has(v)) continue;
      seen.add(v);
      visited++;
      if (isWasm(v)) found.push(`${path}: ${Object.prototype.toString.call(v)}`);
      if (v instanceof ArrayBuffer && v.byteLength >= 1 << 20) found.push(`${path}: an ArrayBuffer of ${v.byteLength} bytes`);
      if (ArrayBuffer.isView(v) && v.buffer.byteLength >= 1 << 20) found.push(`${path}: a view of ${v.buffer.byteLength} bytes`);
      if (depth > 8) continue;
      let keys: (string | symbol)[] = [];
      try {
        keys = Reflect.ownKeys(v as object);
      } catch {
        /* a cross-origin object */
      }
      for (const k of keys) {
        let d: PropertyDescriptor | undefined;
        try {
          d = Reflect.getOwnPropertyDescriptor(v as object, k);
        } catch {
          continue;
        }
        if (d && "value" in d) queue.push([`${path}.${String(k)}`, d.value, depth + 1]);
      }
      let proto: unknown;
      try {
        proto = Object.getPrototypeOf(v);
      } catch {
        /* */
      }
      queue.push([`${path}.[[Prototype]]`, proto, depth + 1]);
    }
    return { extras, found, visited };
  });
  // the page's own hook for Rust (conformanceJsHook) and the function its OCaml program exports
  // (conformanceTrapFromCallback, Js.export) are all it added
  expect(r.extras).toEqual(["conformanceJsHook", "conformanceTrapFromCallback"]);
  expect(r.found).toEqual([]);
  expect(r.visited).toBeGreaterThan(1000);
  expect(errors).toEqual([]);
});

test("globals and Symbols defined before load (names the bridge or its glue might use) do not stop the apps from loading", async ({
  page,
}) => {
  await page.addInitScript(() => {
    const g = globalThis as Record<string, unknown>;
    // frozen: reading them is harmless, writing them throws (modules are strict)
    const trap = Object.freeze({});
    for (const k of [
      "__oiw_host",
      "oiw_host",
      "wasm_bindgen",
      "__wbindgen_placeholder__",
      "__wbg_init",
      "jsoo_runtime",
      "caml_callback",
      "caml_named_value",
      "h",
      "__ocaml_interop",
      "ocamlInterop",
      "module",
      "exports",
      "define",
      "global",
      "self_",
      "joo_global_object",
    ])
      g[k] = trap;
    g.require = () => {
      throw new Error("require is not for pages");
    };
    // a polyfilled `process` (bundlers add one) must not make the loader take its Node branch
    g.process = { env: { NODE_ENV: "production" }, versions: {}, argv: [], platform: "browser", browser: true };
    // Symbols a library might key things on, registered by the page first
    for (const k of ["ocaml-interop", "ocaml-interop-web", "oiw", "wasm-bindgen", "nodejs.util.inspect.custom"])
      g[`__sym_${k}`] = Symbol.for(k);
    if (!("dispose" in Symbol))
      Object.defineProperty(Symbol as object, "dispose", { value: (Symbol as (d: string) => symbol)("a page's own dispose") });
  });
  const errors = await open(page);
  const r = await run(page, ({ conf, abortApp, T }) => ({
    rust: conf.rust.id_string("loaded"),
    ocaml: conf.ocaml.fn("via_rust_string", [T.string], T.string)("loaded"),
    abort: abortApp.rust.twice(21),
  }));
  expect(r).toEqual({ rust: "loaded", ocaml: "loaded", abort: 42 });
  expect(errors).toEqual([]);
});

test("TextEncoder and TextDecoder patched after load do not corrupt the strings that cross", async ({ page }) => {
  await open(page);
  const r = await run(page, ({ conf, T, attempt }) => {
    const dec = TextDecoder.prototype.decode,
      enc = TextEncoder.prototype.encodeInto,
      encode = TextEncoder.prototype.encode;
    TextDecoder.prototype.decode = function () {
      return "PWNED";
    };
    TextEncoder.prototype.encodeInto = function (s: string, d: Uint8Array) {
      d.fill(0x41);
      return { read: s.length, written: d.length };
    };
    TextEncoder.prototype.encode = function () {
      return new Uint8Array([0x41]);
    };
    try {
      return {
        long: attempt(() => conf.rust.id_string("é".repeat(100)) === "é".repeat(100)),
        short: attempt(() => conf.rust.id_string("é!")),
        viaOCaml: attempt(() => conf.ocaml.fn("via_rust_string", [T.string], T.string)("ünï")),
        list: attempt(() => conf.rust.id_string_list(["ß", "日本"])),
        ocamlName: attempt(() => conf.ocaml.fn("via_rust_int", [T.int], T.int)(3)),
      };
    } finally {
      TextDecoder.prototype.decode = dec;
      TextEncoder.prototype.encodeInto = enc;
      TextEncoder.prototype.encode = encode;
    }
  });
  // the bug this guards against: "PWNED" and "AAAAAA"
  expect(r).toEqual({
    long: { ok: true, value: true },
    short: { ok: true, value: "é!" },
    viaOCaml: { ok: true, value: "ünï" },
    list: { ok: true, value: ["ß", "日本"] },
    ocamlName: { ok: true, value: 3 },
  });
});

test("Array.prototype methods patched after load do not change what crosses", async ({ page }) => {
  await open(page);
  const r = await run(page, ({ conf, attempt }) => {
    const forEach = Array.prototype.forEach,
      every = Array.prototype.every,
      find = Array.prototype.find;
    Array.prototype.forEach = function () {
      /* a broken polyfill */
    };
    (Array.prototype as { every: unknown }).every = function () {
      return true;
    };
    try {
      return {
        list: attempt(() => conf.rust.id_int_list([1, 2, 3])),
        tuple: attempt(() => conf.rust.id_tuple3([1, "a", 2.5])),
        floats: attempt(() => Array.from(conf.rust.id_float_array([1, "x"]))),
      };
    } finally {
      Array.prototype.forEach = forEach;
      Array.prototype.every = every;
      Array.prototype.find = find;
    }
  });
  // the bug this guards against: [] for the list (forEach wrote no cell), and the tuple's fields unwritten
  expect.soft(r.list).toEqual({ ok: true, value: [1, 2, 3] });
  expect.soft(r.tuple).toEqual({ ok: true, value: [1, "a", 2.5] });
  expect.soft(r.floats).toMatchObject({ ok: false, cls: "BoundaryError", functionName: "id_float_array" });
});

test("WebAssembly, fetch and FinalizationRegistry patched after load: traps still recover, calls still work, DynBoxes still cross", async ({
  page,
}) => {
  const errors = await open(page);
  const r = await run(page, ({ conf, T, attempt }) => {
    const W = WebAssembly as unknown as Record<string, unknown>;
    const saved = {
      RuntimeError: W.RuntimeError,
      Instance: W.Instance,
      Module: W.Module,
      Exception: W.Exception,
      fetch: globalThis.fetch,
      register: FinalizationRegistry.prototype.register,
    };
    const instantiations: unknown[] = [];
    try {
      W.RuntimeError = class FakeRuntimeError extends Error {};
      W.Exception = class FakeException extends Error {};
      W.Instance = new Proxy(saved.Instance as object, {
        construct(t, args) {
          instantiations.push(args[1]);
          return Reflect.construct(t as new (...a: unknown[]) => object, args);
        },
      });
      (globalThis as { fetch: unknown }).fetch = () => {
        throw new Error("fetch is patched");
      };
      FinalizationRegistry.prototype.register = function () {
        throw new TypeError("register is patched");
      };
      return {
        trap: attempt(() => conf.rust.rust_trap(0)),
        panic: attempt(() => conf.rust.rust_reenter(0, "!")),
        after: attempt(() => conf.rust.id_string("after")),
        dynbox: attempt(() => conf.ocaml.fn("dynbox_garbage", [T.int], T.unit)(3)),
        closures: attempt(() => conf.ocaml.fn("rust_closure_tests", [T.unit], T.string)(undefined)),
        instantiationsSeen: instantiations.length,
        resets: conf.bridge.resets,
      };
    } finally {
      Object.assign(W, { RuntimeError: saved.RuntimeError, Instance: saved.Instance, Module: saved.Module, Exception: saved.Exception });
      (globalThis as { fetch: unknown }).fetch = saved.fetch;
      FinalizationRegistry.prototype.register = saved.register;
    }
  });
  // the bug this guards against: the trap is a JavaScriptError ("rust_trap: JavaScript exception: unreachable"), the
  // re-creation goes through the page's WebAssembly.Instance (which is handed the imports, the
  // memory among them), and a DynBox fails with the page's TypeError
  expect.soft(r.trap, "a trap").toMatchObject({
    ok: false,
    cls: "RustPanic",
    functionName: "rust_trap",
    message: expect.stringMatching(/^Rust trapped in rust_trap: unreachable/),
  });
  expect.soft(r.panic, "a panic").toMatchObject({ ok: false, cls: "RustPanic", message: "bottom reached after 0 crossings" });
  expect.soft(r.after).toEqual({ ok: true, value: "after" });
  expect.soft(r.dynbox, "DynBoxes").toEqual({ ok: true });
  expect.soft(r.closures, "Rust closures").toEqual({ ok: true, value: "103 115 [101;102;103] HELLO / the Rust closure panics / 3 212" });
  expect.soft(r.instantiationsSeen, "re-creations through the page's WebAssembly.Instance").toBe(0);
  expect(r.resets).toBe(1);
  expect(errors).toEqual([]);
});

test("getters and methods patched after load never hand the page the bridge's memory or its globals", async ({ page }) => {
  await open(page);
  const r = await run(page, ({ conf, attempt }) => {
    const memory = conf.bridge.memory;
    const seen = { memories: new Set<unknown>(), buffers: new Set<unknown>(), globals: new Set<unknown>() };
    const bufferGetter = Object.getOwnPropertyDescriptor(WebAssembly.Memory.prototype, "buffer")!;
    const valueDesc = Object.getOwnPropertyDescriptor(WebAssembly.Global.prototype, "value")!;
    const dv = { get: DataView.prototype.getUint32, set: DataView.prototype.setUint32 };
    const u8set = Uint8Array.prototype.set;
    Object.defineProperty(WebAssembly.Memory.prototype, "buffer", {
      configurable: true,
      get() {
        seen.memories.add(this);
        return bufferGetter.get!.call(this);
      },
    });
    Object.defineProperty(WebAssembly.Global.prototype, "value", {
      configurable: true,
      get() {
        seen.globals.add(this);
        return valueDesc.get!.call(this);
      },
      set(v) {
        seen.globals.add(this);
        valueDesc.set!.call(this, v);
      },
    });
    DataView.prototype.getUint32 = function (...a: [number, boolean?]) {
      seen.buffers.add(this.buffer);
      return dv.get.apply(this, a);
    };
    DataView.prototype.setUint32 = function (...a: [number, number, boolean?]) {
      seen.buffers.add(this.buffer);
      return dv.set.apply(this, a);
    };
    Uint8Array.prototype.set = function (...a: [ArrayLike<number>, number?]) {
      seen.buffers.add(this.buffer);
      return u8set.apply(this, a);
    };
    let calls: { ok: boolean }[];
    try {
      calls = [
        attempt(() => conf.rust.id_string("x".repeat(100) + "é")),
        attempt(() => conf.rust.rust_trap(0)),
        attempt(() => conf.rust.id_int_list([1, 2])),
      ];
    } finally {
      Object.defineProperty(WebAssembly.Memory.prototype, "buffer", bufferGetter);
      Object.defineProperty(WebAssembly.Global.prototype, "value", valueDesc);
      DataView.prototype.getUint32 = dv.get;
      DataView.prototype.setUint32 = dv.set;
      Uint8Array.prototype.set = u8set;
    }
    return {
      calls: calls.map((c: { ok: boolean }) => c.ok),
      memory: seen.memories.has(memory),
      buffer: seen.buffers.has(memory.buffer),
      globals: seen.globals.size,
    };
  });
  // the calls work either way (a trap fails, as it should)
  expect(r.calls).toEqual([true, false, true]);
  // the bug this guards against: the page's getter receives the bridge's Memory, its DataViews and Uint8Arrays expose
  // the memory's buffer, and the trap sets the bridge's WebAssembly.Globals through the page's setter
  expect.soft(r.memory, "the page's Memory#buffer getter was called on the bridge's memory").toBe(false);
  expect.soft(r.buffer, "the page's DataView/Uint8Array methods saw the bridge's memory").toBe(false);
  expect.soft(r.globals, "the bridge's WebAssembly.Globals seen by the page's accessor").toBe(0);
});
