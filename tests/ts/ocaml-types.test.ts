import { describe, expect, it } from "vitest";
import { canonicalType, checkTypeDefinitions, findTypeDefinitions, generateTypeDefinitions } from "../../src/build/ocaml-types.ts";
import type { ExportSpec } from "../../src/build/wasm-module-info.ts";

const point = {
  record: {
    name: "point",
    flat_floats: true,
    fields: [
      { name: "x", type: "float" },
      { name: "y", type: "float" },
    ],
  },
};
const shape = {
  variant: {
    name: "shape",
    ctors: [
      { name: "Empty", index: 0, args: [] },
      { name: "Circle", index: 0, args: [point, "float"] },
      {
        name: "Rect",
        index: 1,
        record: [
          { name: "w", type: "float" },
          { name: "h", type: "float" },
        ],
      },
      { name: "Poly", index: 2, args: [{ list: { tuple: ["float", "float"] } }] },
    ],
  },
};
const color = {
  polyvar: {
    name: "color",
    ctors: [
      { name: "Red", hash: 1, args: [] },
      { name: "Rgb", hash: 2, args: ["int", "int", "int"] },
    ],
  },
};
const spec = (t: unknown): ExportSpec => ({
  v: 1,
  name: "f",
  symbol: "oiw_export_f",
  args: [{ name: "x", kind: "ocaml", type: t as never }],
  ret: { kind: "ocaml", type: color as never },
  noalloc: false,
  no_panic_catch: false,
  bytecode: null,
});

describe("OCaml type definitions of derived Rust types", () => {
  it("emits one recursive group with every named type", () => {
    const ml = generateTypeDefinitions([spec(shape)]);
    expect(ml).toContain("type shape = Empty | Circle of point * float | Rect of { w : float; h : float } | Poly of (float * float) list");
    expect(ml).toContain("and point = { x : float; y : float }");
    expect(ml).toContain("and color = [ `Red | `Rgb of int * int * int ]");
  });

  it("finds the user's definitions, comments aside", () => {
    const src =
      "(* type shape = X *)\ntype point = { x : float; (* the x *) y : float }\nlet x = 1\ntype t = int\nand shape =\n  | Empty\n  | Circle of point * float\n";
    const found = findTypeDefinitions("a.ml", src, new Set(["point", "shape"]));
    expect(found.get("point")?.text).toBe("{ x : float; y : float }");
    expect(found.get("point")?.line).toBe(2);
    expect(found.get("shape")?.text).toContain("| Circle of point * float");
  });

  it("accepts matching definitions", () => {
    const src = `type point = { x : float; y : float }
type shape = Empty | Circle of point * float | Rect of { w : float; h : float } | Poly of (float * float) list
type color = [ \`Rgb of int * int * int | \`Red ]`;
    expect(checkTypeDefinitions([{ path: "a.ml", src }], [spec(shape)], "c")).toEqual([]);
  });

  it("reports field count, field names, constructor order and flat-float mismatches", () => {
    const src = `type point = { y : float; x : float }
type shape = Circle of point * float | Empty | Rect of { w : float; h : float } | Poly of (float * float) list
type color = [ \`Red | \`Rgb of int * int ]`;
    const errs = checkTypeDefinitions([{ path: "a.ml", src }], [spec(shape)], "c");
    expect(errs).toHaveLength(3);
    expect(errs[0]).toContain("a.ml:1: type point: the fields differ (OCaml y, x; Rust x, y)");
    expect(errs[1]).toContain("type shape: the constructors differ in number, order or arguments");
    expect(errs[2]).toContain("type color: the tags differ");
    const errs2 = checkTypeDefinitions([{ path: "b.ml", src: "type point = { x : float; y : int }" }], [spec(point)], "c");
    expect(errs2[0]).toContain("OCaml stores this record as a block but the Rust type is all f64");
    const errs3 = checkTypeDefinitions([{ path: "b.ml", src: "type point = { x : float }" }], [spec(point)], "c");
    expect(errs3[0]).toContain("has 1 field(s) in OCaml, 2 in Rust");
  });
});

describe("the types of fields and arguments", () => {
  const item = {
    record: {
      name: "item",
      flat_floats: false,
      fields: [
        { name: "id", type: "int64" },
        { name: "tags", type: { list: "string" } },
        { name: "parent", type: { option: "int" } },
        { name: "shape", type: shape },
      ],
    },
  };

  it("reads type expressions in one canonical spelling, or not at all", () => {
    expect(canonicalType("int")).toBe("int");
    expect(canonicalType("(int * Stdlib.string) list")).toBe("(int * string) list");
    expect(canonicalType("((int))")).toBe("int");
    expect(canonicalType("floatarray")).toBe(canonicalType("float array"));
    expect(canonicalType("(float, Bigarray.float64_elt, Bigarray.c_layout) Bigarray.Array1.t")).toBe(
      canonicalType("(float, float64_elt, c_layout) Array1.t"),
    );
    expect(canonicalType("(int, string) result option")).toBe("(int, string) result option");
    expect(canonicalType("int -> int list")).toBe("(int -> int list)");
    expect(canonicalType("shape", new Set(["shape"]))).toBe("shape");
    // not checkable: an alias, a type variable, a label
    expect(canonicalType("my_alias")).toBeUndefined();
    expect(canonicalType("'a list")).toBeUndefined();
    expect(canonicalType("x:int -> int")).toBeUndefined();
  });

  it("reports a field whose type differs, naming the type, the field and both types", () => {
    const src = `type item = { id : int; tags : string list; parent : int option; shape : shape }`;
    const errs = checkTypeDefinitions([{ path: "a.ml", src }], [spec(item)], "c");
    expect(errs).toHaveLength(1);
    expect(errs[0]).toContain("a.ml:1: type item: field id is int64 in Rust, int in OCaml");
    expect(errs[0]).toContain('for an OCaml int write #[ocaml(as_ = "OCamlInt")]');
    const errs2 = checkTypeDefinitions(
      [{ path: "a.ml", src: `type item = { id : int64; tags : int list; parent : int64 option; shape : shape }` }],
      [spec(item)],
      "c",
    );
    expect(errs2.map((e) => e.split("\n")[0])).toEqual([
      "a.ml:1: type item: field tags is string list in Rust, int list in OCaml",
      "a.ml:1: type item: field parent is int option in Rust, int64 option in OCaml",
    ]);
  });

  it("accepts what it cannot read (aliases, abstract types)", () => {
    const src = `type item = { id : my_int; tags : string list; parent : int option; shape : shape }`;
    expect(checkTypeDefinitions([{ path: "a.ml", src }], [spec(item)], "c")).toEqual([]);
  });

  it("reports a constructor's or a tag's argument whose type differs", () => {
    const src = `type point = { x : float; y : float }
type shape = Empty | Circle of point * int | Rect of { w : float; h : string } | Poly of (float * float) list
type color = [ \`Red | \`Rgb of int * int * float ]`;
    const errs = checkTypeDefinitions([{ path: "a.ml", src }], [spec(shape)], "c").map((e) => e.split("\n")[0]);
    expect(errs).toEqual([
      "a.ml:2: type shape: constructor Circle, argument 2 is float in Rust, int in OCaml",
      "a.ml:2: type shape: constructor Rect, field h is float in Rust, string in OCaml",
      "a.ml:3: type color: tag `Rgb, argument 3 is int in Rust, float in OCaml",
    ]);
  });

  it("matches Rust's Step { count } with OCaml's Step of int, in variants and polymorphic variants", () => {
    const movement = {
      variant: {
        name: "movement",
        ctors: [
          { name: "Step", index: 0, record: [{ name: "count", type: "int" }] },
          {
            name: "Expand",
            index: 1,
            record: [
              { name: "width", type: "int" },
              { name: "height", type: "int" },
            ],
          },
          { name: "RotateLeft", index: 0, args: [] },
        ],
      },
    };
    // the polymorphic variant's struct-like variants are described as arguments
    const pm = {
      polyvar: {
        name: "movement_polymorphic",
        ctors: [
          { name: "Step", hash: 1, args: ["int"] },
          { name: "Expand", hash: 2, args: ["int", "int"] },
          { name: "Multiple", hash: 3, args: ["int", "string"] },
        ],
      },
    };
    const src = `type movement = Step of int | Expand of { width : int; height : int } | RotateLeft
type movement_polymorphic = [ \`Step of int | \`Expand of int * int | \`Multiple of (int * string) ]`;
    const specs = [spec(movement), spec(pm)];
    expect(checkTypeDefinitions([{ path: "a.ml", src }], specs, "c")).toEqual([]);
    const bad = `type movement = Step of int64 | Expand of int * int | RotateLeft
type movement_polymorphic = [ \`Step of int | \`Expand of int | \`Multiple of (int * string) ]`;
    const errs = checkTypeDefinitions([{ path: "a.ml", src: bad }], specs, "c").map((e) => e.split("\n")[0]);
    expect(errs).toEqual([
      "a.ml:1: type movement: constructor Step, field count is int in Rust, int64 in OCaml",
      "a.ml:2: type movement_polymorphic: the tags differ (OCaml Step/1, Expand/1, Multiple/2; Rust Step/1, Expand/2, Multiple/2)",
    ]);
    expect(generateTypeDefinitions([spec(pm)])).toContain(
      "movement_polymorphic = [ `Step of int | `Expand of int * int | `Multiple of int * string ]",
    );
  });
});
