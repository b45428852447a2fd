// The host's engine checks (src/host/engine.ts): the feature probes, engine names, and the
// engine-independent texts of traps and stack overflows (each engine's wording, as measured in
// Chromium 156, Firefox ESR 153 and WebKitGTK 2.50).
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  FEATURE_PROBES,
  UnsupportedEngineError,
  checkEngine,
  engineFeatures,
  engineName,
  isOutOfMemory,
  isStackOverflow,
  trapMessage,
} from "../../src/host/engine.ts";

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("feature probes", () => {
  it("every probe is a valid module where the feature exists (Node 24 has them all)", () => {
    for (const [name, bytes] of Object.entries(FEATURE_PROBES)) expect(WebAssembly.validate(new Uint8Array(bytes)), name).toBe(true);
    expect(engineFeatures()).toMatchObject({ gc: true, exceptions: true, tailCalls: true, multiMemory: true });
  });

  it("checkEngine names what is missing, why, where it exists, and the engine", () => {
    const validate = WebAssembly.validate;
    vi.spyOn(WebAssembly, "validate").mockImplementation((b) => {
      const u = new Uint8Array(b as ArrayBuffer);
      return !(u[8] === 5 && u[10] >= 2) && !(u[8] === 1 && u[11] === 0x5f) && validate(b as BufferSource);
    });
    vi.stubGlobal("navigator", {
      userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/60.5 Safari/605.1.15",
    });
    let err: unknown;
    try {
      checkEngine("demo");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedEngineError);
    const e = err as UnsupportedEngineError;
    expect(e.name).toBe("UnsupportedEngineError");
    expect(e.missing).toEqual(["WebAssembly GC", "WebAssembly multi-memory"]);
    expect(e.engine).toBe("WebKit (WebKitGTK/WPE, AppleWebKit/605.1.15)");
    expect(e.message).toBe(
      "ocaml-interop: the app demo cannot run in this engine, WebKit (WebKitGTK/WPE, AppleWebKit/605.1.15): " +
        "it lacks WebAssembly GC (wasm_of_ocaml compiles OCaml values to GC structs and arrays; supported from Chrome 119, Firefox 120, Safari 18.2); " +
        "and WebAssembly multi-memory (the OCaml module imports the memory it shares with Rust next to its runtime's own memory; " +
        "supported from Chrome 120, Firefox 125, Safari 27.3; WebKitGTK 2.50 lacks it). " +
        "Build the app with singleMemory: true (ocamlInterop() options; the default in vite build) to run it here: its OCaml module then imports no second memory",
    );
  });

  it("checkEngine does not ask for multi-memory when the single-memory build loads, nor hint at a build the app has", () => {
    const validate = WebAssembly.validate;
    // an engine without multi-memory: the probe with two memories does not validate
    vi.spyOn(WebAssembly, "validate").mockImplementation((b) => {
      const u = new Uint8Array(b as ArrayBuffer);
      return !(u[8] === 5 && u[10] >= 2) && validate(b as BufferSource);
    });
    expect(() => checkEngine("demo", { singleMemory: true, canSingleMemory: true })).not.toThrow();
    expect(() => checkEngine("demo", { singleMemory: false, canSingleMemory: true })).toThrow(
      /it lacks WebAssembly multi-memory \(.*WebKitGTK 2\.50 lacks it\)$/,
    );
    expect(() => checkEngine("demo", { singleMemory: false, canSingleMemory: false })).toThrow(
      /WebKitGTK 2\.50 lacks it\)\. Build the app with singleMemory: true /,
    );
  });

  it("checkEngine passes where everything is there", () => {
    expect(() => checkEngine("demo")).not.toThrow();
  });
});

describe("engine names", () => {
  const name = (ua: string) => {
    vi.stubGlobal("navigator", { userAgent: ua });
    return engineName();
  };
  it("reads the user agent of each engine", () => {
    expect(name("Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0")).toBe("Firefox 153.0");
    expect(name("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36")).toBe(
      "Chrome 156",
    );
    expect(
      name("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 Edg/156.0.0.0"),
    ).toBe("Edge 156");
    expect(
      name("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15"),
    ).toBe("Safari 18.2");
    expect(name("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/60.5 Safari/605.1.15")).toBe(
      "WebKit (WebKitGTK/WPE, AppleWebKit/605.1.15)",
    );
  });
  it("falls back to Node.js", () => {
    expect(name("")).toBe(`Node.js ${process.versions.node}`);
  });
});

describe("fault texts", () => {
  const trap = (m: string) => trapMessage(new WebAssembly.RuntimeError(m));
  it("gives each trap V8's words, whichever engine raised it", () => {
    const cases: [string, string, string, string][] = [
      // V8, SpiderMonkey, JavaScriptCore -> the text the host uses
      ["unreachable", "unreachable executed", "Unreachable code should not be executed (evaluating 'f()')", "unreachable"],
      [
        "memory access out of bounds",
        "index out of bounds",
        "Out of bounds memory access (evaluating 'f()')",
        "memory access out of bounds",
      ],
      ["divide by zero", "integer divide by zero", "Division by zero (evaluating 'f()')", "divide by zero"],
      ["divide result unrepresentable", "integer overflow", "Integer overflow (evaluating 'f()')", "divide result unrepresentable"],
      [
        "float unrepresentable in integer range",
        "invalid conversion to integer",
        "Out of bounds Trunc operation (evaluating 'f()')",
        "float unrepresentable in integer range",
      ],
      ["null function", "indirect call to null", "call_indirect to a null table entry (evaluating 'f()')", "null function"],
      [
        "null function or function signature mismatch",
        "indirect call signature mismatch",
        "call_indirect to a signature that does not match (evaluating 'f()')",
        "function signature mismatch",
      ],
    ];
    for (const [v8, sm, jsc, want] of cases) expect([trap(v8), trap(sm), trap(jsc)]).toEqual([want, want, want]);
    expect(trap("something new")).toBe("something new");
  });

  it("recognises each engine's stack overflow, and nothing else", () => {
    const internal = Object.assign(new Error("too much recursion"), { name: "InternalError" });
    expect(
      [new RangeError("Maximum call stack size exceeded"), new RangeError("Maximum call stack size exceeded."), internal].map(
        isStackOverflow,
      ),
    ).toEqual([true, true, true]);
    expect(
      [new RangeError("Invalid array length"), new TypeError("too much recursion"), "too much recursion", null].map(isStackOverflow),
    ).toEqual([false, false, false, false]);
    let real: unknown;
    const deep = (): number => deep() + 1;
    try {
      deep();
    } catch (e) {
      real = e;
    }
    expect(isStackOverflow(real)).toBe(true);
  });

  it("recognises each engine's refusal of a GC allocation as out of memory, and nothing else", () => {
    const trap = (m: string) => new WebAssembly.RuntimeError(m);
    // V8's trap, SpiderMonkey's trap (array.new of more elements than it allows), and errors
    expect(
      [
        trap("requested new array is too large"),
        trap("too many array elements"),
        new RangeError("Out of memory"),
        new Error("out of memory"),
        new RangeError("Invalid array length"),
      ].map(isOutOfMemory),
    ).toEqual([true, true, true, true, true]);
    expect(
      [trap("unreachable"), trap("illegal cast"), new RangeError("Maximum call stack size exceeded"), "out of memory"].map(isOutOfMemory),
    ).toEqual([false, false, false, false]);
    expect(trapMessage(trap("too many array elements"))).toBe("requested new array is too large");
  });
});
