import { describe, expect, it } from "vitest";
import { printJs, scanRegisteredNames } from "../../src/build/glue/js.ts";
import { printExternals } from "../../src/build/glue/ml.ts";
import { ocamlType } from "../../src/build/glue/ocaml-names.ts";
import { planExports } from "../../src/build/glue/plan.ts";
import { printDeclarations, tsType } from "../../src/build/glue/ts.ts";
import { printWat } from "../../src/build/glue/wat.ts";
import { importedMemoryLimits, type ExportSpec } from "../../src/build/wasm-module-info.ts";
import { parseTypeDesc } from "../../src/host/type-desc.ts";

// the printers render each export's plan, built once from its description
const generateWat = (specs: ExportSpec[]) => printWat(planExports(specs));
const generateJs = (specs: ExportSpec[], names: string[]) => printJs(planExports(specs), names);
const generateExternals = (specs: ExportSpec[], crate: string) => printExternals(planExports(specs), crate);
const generateDeclarations = (name: string, crate: string, specs: ExportSpec[], dts?: string) =>
  printDeclarations(name, crate, planExports(specs), dts);
import { checkExternals, parseExternals, unknownTypeWarnings } from "../../src/build/signature-check.ts";

const twice: ExportSpec = {
  v: 1,
  name: "twice",
  symbol: "oiw_export_twice",
  args: [{ name: "n", kind: "ocaml", type: "int" }],
  ret: { kind: "ocaml", type: "int" },
  noalloc: false,
  no_panic_catch: false,
  bytecode: null,
};
const greet: ExportSpec = {
  v: 1,
  name: "greet",
  symbol: "oiw_export_greet",
  args: [
    { name: "who", kind: "ocaml", type: "string" },
    { name: "n", kind: "ocaml", type: { option: "int" } },
  ],
  ret: { kind: "unit" },
  noalloc: false,
  no_panic_catch: false,
  bytecode: "greet_byte",
};
const hyp: ExportSpec = {
  v: 1,
  name: "hyp",
  symbol: "oiw_export_hyp",
  args: [{ name: "x", kind: "f64" }],
  ret: { kind: "f64" },
  noalloc: true,
  no_panic_catch: false,
  bytecode: null,
};

describe("OCaml glue generation", () => {
  it("renders OCaml types", () => {
    expect(ocamlType("int")).toBe("int");
    expect(ocamlType({ option: "string" })).toBe("string option");
    expect(ocamlType({ option: { option: "int" } })).toBe("int option option");
    expect(ocamlType({ list: { tuple: ["int", "string"] } })).toBe("(int * string) list");
  });

  it("emits one primitive per export name, with shape checks that name the argument", () => {
    const wat = generateWat([twice, greet]);
    expect(wat).toContain('(func (export "twice") (param $a0 (ref eq)) (result (ref eq))');
    expect(wat).toContain('(import "js" "oiw_rust__twice" (func $rust_twice (param i32) (result i32)))');
    expect(wat).toContain('"twice: argument n: expected int"');
    expect(wat).toContain("(call $immediate (local.get $a0)");
    // strings are shape-checked, other types go through the generic encoder, told what they are
    // for its errors (the nesting limit, a cycle): the function and the argument, or the result
    expect(wat).toContain("(call $encode_bytes (local.get $a0)");
    expect(wat).toContain("(call $encode_arg (local.get $a1) (global.get $what_greet_1))");
    expect(wat).toContain('(@string $what_greet_1 "greet: argument n")');
    // the bytecode name is a primitive too (wasm_of_ocaml calls the bytecode name)
    expect(wat).toContain('(func (export "greet")');
    expect(wat).toContain('(func (export "greet_byte")');
    expect(wat).toMatch(/i32\.eq \(local\.get \$r\) \(i32\.const 2\)/);
  });

  it("checks the error slot after direct-primitive results (they cannot carry the sentinel)", () => {
    const wat = generateWat([hyp]);
    expect(wat).toContain("(param f64) (result f64)");
    expect(wat).toContain("(if (call $error_set) (then (local.set $e (call $error_exn))))");
    expect(wat).toContain("(call $unbox_float (local.get $a0)");
  });

  it("raises Rust's error in each primitive, a small function apart from the export's body", () => {
    const wat = generateWat([twice, greet]);
    // one body per export, one primitive per name an external uses (greet has two)
    expect(wat.match(/\(func \$body_/g)).toHaveLength(2);
    for (const prim of ["twice", "greet", "greet_byte"]) {
      const f = wat.slice(wat.indexOf(`(func (export "${prim}")`));
      const end = f.slice(1).search(/\n {3}(\(func|;;)/);
      const body = end === -1 ? f : f.slice(0, end + 1);
      expect(body, prim).toMatch(/\(call \$body_(twice|greet)/);
      expect(body, prim).toContain("(throw $ocaml_exception");
      expect(body.split("\n").length, `${prim} stays small (the engine inlines it)`).toBeLessThan(10);
    }
    // the bodies hand the exception over instead of raising it
    const bodies = wat.split("(func $body_").slice(1);
    for (const b of bodies) expect(b.slice(0, b.indexOf('(func (export "'))).not.toContain("(throw ");
  });

  it("emits JS trampolines that survive traps", () => {
    const js = generateJs([twice], ["demo_fn"]);
    expect(js).toContain("//Provides: oiw_rust__twice");
    expect(js).toContain("return h.rust.oiw_export_twice(a0);");
    expect(js).toContain('h.trap(e, "twice")');
    expect(js).toContain('caml_named_value("demo_fn")');
    expect(() => new Function(js)).not.toThrow();
  });

  it("emits the matching OCaml externals", () => {
    const ml = generateExternals([twice, greet, hyp], "demo");
    expect(ml).toContain('external twice : int -> int = "twice"');
    expect(ml).toContain('external greet : string -> int option -> unit = "greet_byte" "greet"');
    expect(ml).toContain('external hyp : (float [@unboxed]) -> (float [@unboxed]) = "hyp" "hyp" [@@noalloc]');
  });

  it("types a Rust type without OCamlDescriber as a type variable, or leaves an unknown result out", () => {
    const movement = { unknown: "app::PolymorphicMovement" };
    const arg: ExportSpec = {
      ...twice,
      name: "string_of_movement",
      args: [
        { name: "m", kind: "ocaml", type: movement },
        { name: "n", kind: "ocaml", type: movement },
        { name: "k", kind: "ocaml", type: "int" },
      ],
      ret: { kind: "ocaml", type: "string" },
    };
    const ret: ExportSpec = { ...twice, name: "make_movement", ret: { kind: "ocaml", type: movement } };
    const ml = generateExternals([arg, ret], "demo");
    expect(ml).toContain(
      "(* string_of_movement: 'a is the Rust type app::PolymorphicMovement (argument m), 'b is the Rust type app::PolymorphicMovement (argument n), which implements no OCamlDescriber *)",
    );
    expect(ml).toContain("external string_of_movement : 'a -> 'b -> int -> string = \"string_of_movement\"");
    expect(ml).toContain(
      "(* make_movement: not declared here: its result has the Rust type app::PolymorphicMovement, which implements no OCamlDescriber;",
    );
    expect(ml).not.toMatch(/^external make_movement/m);
    // the glue encodes and decodes such values generically
    const movementWat = generateWat([arg]);
    expect(movementWat).toContain("(call $encode_arg (local.get $a0) (global.get $what_string_of_movement_0))");
    expect(movementWat).toContain("(call $decode_result (local.get $r) (global.get $what_string_of_movement_ret))");
    expect(movementWat).toContain('(@string $what_string_of_movement_ret "string_of_movement: result")');
    expect(tsType(movement, "arg")).toBe("unknown");
    expect(generateDeclarations("demo", "demo", [arg])).toContain("string_of_movement(m: unknown, n: unknown, k: number): string;");
    const warnings = unknownTypeWarnings([arg, ret], "demo");
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toBe(
      "crate demo: #[export] string_of_movement: argument m has the Rust type app::PolymorphicMovement, which implements no OCamlDescriber: " +
        "the build cannot check OCaml's declaration of it (derive OCamlDescriber, or implement it, to have it checked); in TypeScript it is unknown",
    );
    expect(warnings[2]).toContain("#[export] make_movement: the result has the Rust type app::PolymorphicMovement");
    // and the check leaves OCaml's declaration of it alone
    const decl = parseExternals("m.ml", 'external string_of_movement : movement -> movement -> int -> string = "string_of_movement"');
    expect(checkExternals(decl, [arg], "demo")).toEqual([]);
    expect(
      checkExternals(
        parseExternals("m.ml", 'external string_of_movement : movement -> movement -> string -> string = "string_of_movement"'),
        [arg],
        "demo",
      )[0],
    ).toContain('"string_of_movement": argument 3 (k) is int in Rust, string in OCaml');
  });

  it("finds the names OCaml sources may register", () => {
    const names = scanRegisteredNames(['let () = Callback.register "my_fn" f; print_string "hello world"', 'let n = "other.name"']);
    expect(names).toContain("my_fn");
    expect(names).toContain("other.name");
    expect(names).toContain("rust_panic_exn");
    expect(names).not.toContain("hello world");
  });
});

describe("TypeScript glue generation", () => {
  it("maps OCaml types to TS types", () => {
    expect(tsType("int", "arg")).toBe("number");
    expect(tsType("string", "arg")).toBe("string");
    expect(tsType("bytes", "arg")).toBe("Uint8Array");
    expect(tsType("int64", "arg")).toBe("bigint");
    expect(tsType("unit", "ret")).toBe("void");
    expect(tsType({ option: "int" }, "ret")).toBe("number | null");
    expect(tsType({ list: { option: "string" } }, "arg")).toBe("(string | null)[]");
    expect(tsType({ array: "float" }, "arg")).toBe("Float64Array");
    expect(tsType({ tuple: ["int", "bytes"] }, "arg")).toBe("[number, Uint8Array]");
    expect(tsType({ result: ["int", "string"] }, "ret")).toBe("{ ok: number } | { error: string }");
  });

  it("wraps Some x as { some: x } when x may itself be null (nested options, unit option)", () => {
    expect(tsType({ option: { option: "int" } }, "arg")).toBe("{ some: number | null } | null");
    expect(tsType({ option: { option: { option: "int" } } }, "ret")).toBe("{ some: { some: number | null } | null } | null");
    expect(tsType({ option: "unit" }, "ret")).toBe("{ some: undefined } | null");
    expect(tsType({ list: { option: { option: "string" } } }, "arg")).toBe("({ some: string | null } | null)[]");
    expect(tsType({ option: { list: { option: "int" } } }, "arg")).toBe("(number | null)[] | null");
  });

  it("types an inline record as { tag, fields }, whatever its field names", () => {
    const shape = parseTypeDesc({
      variant: {
        name: "tagged",
        ctors: [
          { name: "Plain", index: 0, args: [] },
          {
            name: "Labeled",
            index: 0,
            record: [
              { name: "tag", type: "string" },
              { name: "args", type: "int" },
            ],
          },
          { name: "Pair", index: 1, args: ["int", { option: { option: "int" } }] },
        ],
      },
    });
    const odd = parseTypeDesc({
      record: {
        name: "odd",
        flat_floats: false,
        fields: [
          { name: "__proto__", type: "int" },
          { name: "a-b", type: "string" },
        ],
      },
    });
    const ts = generateDeclarations("demo", "demo-crate", [
      {
        ...twice,
        name: "f",
        args: [
          { name: "t", kind: "ocaml", type: shape },
          { name: "o", kind: "ocaml", type: odd },
        ],
      },
    ]);
    expect(ts).toContain(
      'export type Tagged = { tag: "Plain" } | { tag: "Labeled"; fields: { tag: string; args: number } } | { tag: "Pair"; args: [number, { some: number | null } | null] };',
    );
    expect(ts).toContain('export type Odd = { __proto__: number; "a-b": string };');
    expect(ts).toContain("f(t: Tagged, o: Odd): number;");
  });

  it("types each export", () => {
    const ts = generateDeclarations("demo", "demo-crate", [twice, greet]);
    expect(ts).toContain('declare module "virtual:ocaml-interop/demo" {');
    expect(ts).toContain("twice(n: number): number;");
    expect(ts).toContain("greet(who: string, n: number | null): void;");
    expect(ts).toContain('const app: import("ocaml-interop-web").App<RustExports, WasmBindgenExports>;');
    expect(ts).toContain("export type WasmBindgenExports = Record<string, never>;");
    const withBindgen = generateDeclarations("demo", "demo-crate", [twice], "./demo/rust/demo.js");
    expect(withBindgen).toContain('export type WasmBindgenExports = Omit<typeof import("./demo/rust/demo.js"), "initSync" | "default">;');
  });
});

describe("reading the Rust module", () => {
  // (module (import "env" "memory" (memory 17 65536)))
  const withMemory = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x12, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79,
    0x02, 0x01, 0x11, 0x80, 0x80, 0x04,
  ]);

  it("finds the limits of the imported memory", () => {
    expect(() => new WebAssembly.Module(withMemory)).not.toThrow();
    expect(importedMemoryLimits(withMemory)).toEqual({ initial: 17, maximum: 65536 });
  });

  it("reports a module without an imported memory, and rejects what is not wasm", () => {
    expect(importedMemoryLimits(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0, 0, 0]))).toBeUndefined();
    expect(() => importedMemoryLimits(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/not a WebAssembly module/);
  });
});

describe("wasm-bindgen's glue made a factory", () => {
  // the shape wasm-bindgen 0.2.130 writes for a crate with plain imports of `oiw_host`
  const source = `import * as import1 from "oiw_host"
import * as import2 from "oiw_host"
import { snippet } from "./snippets/x.js";

function __wbg_get_imports() {
    return { "oiw_host": import1, "oiw_host": import2 };
}
function initSync(module) { return __wbg_get_imports(); }
export function user_fn() {}
export { initSync, __wbg_init as default };
`;
  it("hands the runtime crate's oiw_host imports the host's functions, and keeps other imports at the top", async () => {
    const { glueFactory } = await import("../../src/build/wasm-bindgen.ts");
    const { code, names } = glueFactory(source, "t");
    expect(names).toEqual(["user_fn"]);
    expect(code).not.toMatch(/from "oiw_host"/);
    const factory = code.indexOf("export default function createRustGlue(__oiw_host)");
    expect(code.indexOf('import { snippet } from "./snippets/x.js";')).toBeLessThan(factory);
    for (const name of ["import1", "import2"]) {
      const at = code.indexOf(`const ${name} = __oiw_host.oiwHost;`);
      expect(at, name).toBeGreaterThan(factory);
      expect(at, `${name} is bound before the glue uses it`).toBeLessThan(code.indexOf("function __wbg_get_imports"));
    }
  });
});
