import { describe, expect, it } from "vitest";
import { checkTypeDefinitions, findTypeDefinitions, generateTypeDefinitions } from "../../src/build/ocaml-types.ts";
import type { ExportSpec } from "../../src/build/wasm-module-info.ts";

const point = { record: { name: "point", flat_floats: true, fields: [{ name: "x", type: "float" }, { name: "y", type: "float" }] } };
const shape = { variant: { name: "shape", ctors: [
  { name: "Empty", index: 0, args: [] },
  { name: "Circle", index: 0, args: [point, "float"] },
  { name: "Rect", index: 1, record: [{ name: "w", type: "float" }, { name: "h", type: "float" }] },
  { name: "Poly", index: 2, args: [{ list: { tuple: ["float", "float"] } }] },
] } };
const color = { polyvar: { name: "color", ctors: [{ name: "Red", hash: 1, args: [] }, { name: "Rgb", hash: 2, args: ["int", "int", "int"] }] } };
const spec = (t: unknown): ExportSpec => ({ v: 1, name: "f", symbol: "oiw_x_f", args: [{ name: "x", kind: "ocaml", type: t as never }], ret: { kind: "ocaml", type: color as never }, noalloc: false, no_panic_catch: false, bytecode: null });

describe("OCaml type definitions of derived Rust types", () => {
  it("emits one recursive group with every named type", () => {
    const ml = generateTypeDefinitions([spec(shape)]);
    expect(ml).toContain("type shape = Empty | Circle of point * float | Rect of { w : float; h : float } | Poly of (float * float) list");
    expect(ml).toContain("and point = { x : float; y : float }");
    expect(ml).toContain("and color = [ `Red | `Rgb of int * int * int ]");
  });

  it("finds the user's definitions, comments aside", () => {
    const src = "(* type shape = X *)\ntype point = { x : float; (* the x *) y : float }\nlet x = 1\ntype t = int\nand shape =\n  | Empty\n  | Circle of point * float\n";
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
