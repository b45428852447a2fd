// The one parser of type descriptions and export descriptions (src/host/type-desc.ts): what it
// accepts, and the exact error, naming the path of the bad node, for what it refuses.
import { describe, expect, it } from "vitest";
import { children, entry, parseExportSpec, parseTypeDesc, visit, type DescribedType } from "../../src/host/type-desc.ts";

const ok = {
  v: 1,
  name: "f",
  symbol: "oiw_export_f",
  args: [
    { name: "x", kind: "ocaml", type: { list: { tuple: ["int", { option: "string" }] } } },
    { name: "y", kind: "f64" },
  ],
  ret: { kind: "ocaml", type: { result: ["unit", "exn"] } },
  noalloc: false,
  no_panic_catch: false,
  bytecode: null,
};
const withArg = (type: unknown) => ({ ...ok, args: [{ name: "x", kind: "ocaml", type }] });
const err = (v: unknown) => {
  try {
    parseExportSpec(v, "oiw_describe_f");
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  return "accepted";
};

describe("type descriptions", () => {
  it("reads every kind of node once, narrowing on the kind", () => {
    const kinds = (
      [
        "int",
        { option: "int" },
        { list: "int" },
        { array: "float" },
        { tuple: ["int", "bool"] },
        { result: ["int", "string"] },
        { fn: ["int", "int"] },
        { record: { name: "r", flat_floats: true, fields: [{ name: "x", type: "float" }] } },
        { variant: { name: "v", ctors: [{ name: "A", index: 0, args: [] }] } },
        { polyvar: { name: "p", ctors: [{ name: "B", hash: 66 }] } },
        { ref: "r" },
        { bigarray: "float64" },
        { dynbox: "my::T" },
        { unknown: "my::U" },
      ] as const
    ).map((t) => entry(parseTypeDesc(t))[0]);
    expect(kinds).toEqual([
      "primitive",
      "option",
      "list",
      "array",
      "tuple",
      "result",
      "fn",
      "record",
      "variant",
      "polyvar",
      "ref",
      "bigarray",
      "dynbox",
      "unknown",
    ]);
    expect(entry("nope")).toEqual(["unsupported", "nope"]);
    expect(entry({ nope: 1 })).toEqual(["unsupported", { nope: 1 }]);
  });

  it("reads own keys only: a polluted prototype adds no node", () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.option = "int";
    try {
      expect(entry({})).toEqual(["unsupported", {}]);
    } finally {
      delete proto.option;
    }
  });

  it("visits the nodes inside, into named types only when asked", () => {
    const t = parseTypeDesc({
      option: { record: { name: "r", flat_floats: false, fields: [{ name: "b", type: { dynbox: "my::B" } }] } },
    });
    const seen = (intoNamed: boolean) => {
      const out: string[] = [];
      visit(t, (x: DescribedType) => void out.push(entry(x)[0]), intoNamed);
      return out;
    };
    expect(seen(false)).toEqual(["option", "record"]);
    expect(seen(true)).toEqual(["option", "record", "dynbox"]);
    expect(children(parseTypeDesc({ tuple: ["int", "bool"] }))).toEqual(["int", "bool"]);
  });
});

describe("export descriptions", () => {
  it("accepts a description of the schema, and returns it", () => {
    expect(parseExportSpec(JSON.stringify(ok), "oiw_describe_f")).toEqual(ok);
  });

  it("refuses what is not in the schema, naming the node's path", () => {
    expect(err("{")).toMatch(/^DescriptionError: oiw_describe_f: the description is not JSON \(/);
    expect(err({ ...ok, v: 2 })).toBe(
      "DescriptionError: oiw_describe_f.v: describe format v2, this build understands v1 (rebuild with the same version of ocaml-interop-web)",
    );
    expect(err({ ...ok, extra: 1 })).toBe('DescriptionError: oiw_describe_f: has an unknown key "extra"');
    expect(err({ ...ok, name: "Not_ocaml" })).toBe('DescriptionError: oiw_describe_f.name: "Not_ocaml" is not an OCaml value name');
    expect(err(withArg({ list: { tuple: ["int", "integer"] } }))).toBe(
      'DescriptionError: oiw_describe_f.args[0].type.list.tuple[1]: not a type description: "integer" (a primitive name, or an object with one of the keys option, list, array, tuple, result, fn, record, variant, polyvar, ref, bigarray, dynbox, unknown, promise)',
    );
    expect(err(withArg({ option: "int", list: "int" }))).toBe(
      "DescriptionError: oiw_describe_f.args[0].type: a type description has exactly one key, this one has option, list",
    );
    expect(err(withArg({ tuple: ["int"] }))).toBe(
      "DescriptionError: oiw_describe_f.args[0].type.tuple: a tuple has at least two elements, this one has 1",
    );
    expect(err(withArg({ fn: ["int"] }))).toBe(
      "DescriptionError: oiw_describe_f.args[0].type.fn: a closure is [argument..., result], with at least one argument",
    );
    expect(err(withArg({ bigarray: "float128" }))).toBe(
      'DescriptionError: oiw_describe_f.args[0].type.bigarray: unknown bigarray kind "float128" (one of float32, float64, int8_signed, int8_unsigned, int16_signed, int16_unsigned, int32, int64, nativeint, char)',
    );
    expect(err(withArg({ record: { name: "r", flat_floats: 0, fields: [] } }))).toBe(
      "DescriptionError: oiw_describe_f.args[0].type.record.flat_floats: expected a boolean, got 0",
    );
    expect(err(withArg({ variant: { name: "v", ctors: [{ name: "A", hash: 1 }] } }))).toBe(
      'DescriptionError: oiw_describe_f.args[0].type.variant.ctors[0]: has no "index"',
    );
    expect(err(withArg({ polyvar: { name: "p", ctors: [{ name: "A", hash: 1, args: [], record: [] }] } }))).toBe(
      "DescriptionError: oiw_describe_f.args[0].type.polyvar.ctors[0]: has both args and an inline record",
    );
    expect(err({ ...ok, args: [{ name: "y", kind: "f64", type: "float" }] })).toBe(
      "DescriptionError: oiw_describe_f.args[0].type: a f64 argument has no type",
    );
    expect(err({ ...ok, args: [{ name: "y", kind: "u8" }] })).toBe(
      'DescriptionError: oiw_describe_f.args[0].kind: expected one of ocaml, boxroot, f64, i64, i32, bool, isize, got "u8"',
    );
    expect(err({ ...ok, ret: { kind: "boxroot", type: "int" } })).toBe(
      'DescriptionError: oiw_describe_f.ret.kind: expected one of ocaml, unit, f64, i64, i32, bool, isize, got "boxroot"',
    );
    expect(err({ ...ok, bytecode: 3 })).toBe("DescriptionError: oiw_describe_f.bytecode: expected a non-empty string, got 3");
  });
});
