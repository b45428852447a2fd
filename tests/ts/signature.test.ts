import { describe, expect, it } from "vitest";
import { arrowParts, checkExternals, parseExternals } from "../../src/build/signature-check.ts";
import { parseExportSpec, type ExportSpec } from "../../src/host/type-desc.ts";

// through the one parser of descriptions, as the build reads them
const spec = (name: string, args: string[], ret: string, bytecode: string | null = null): ExportSpec =>
  parseExportSpec(
    {
      v: 1,
      name,
      symbol: `oiw_export_${name}`,
      bytecode,
      noalloc: false,
      no_panic_catch: false,
      args: args.map((t, i) => ({ name: `a${i}`, kind: "ocaml", type: t })),
      ret: { kind: "ocaml", type: ret },
    },
    name,
  );

describe("OCaml externals vs Rust exports", () => {
  const src = `
external twice : int -> int = "twice"
external add : int -> int -> int = "add"
external (+++) : string -> string -> string = "concat"
external log : string -> unit = "log_byte" "log"
external f : (float [@unboxed]) -> (float [@unboxed]) = "f" [@@noalloc]
let x = 1`;

  it("parses externals, their types and primitive names", () => {
    const xs = parseExternals("a.ml", src);
    expect(xs.map((x) => [x.name, x.type, x.prims, x.line])).toEqual([
      ["twice", "int -> int", ["twice"], 2],
      ["add", "int -> int -> int", ["add"], 3],
      ["(+++)", "string -> string -> string", ["concat"], 4],
      ["log", "string -> unit", ["log_byte", "log"], 5],
      ["f", "(float [@unboxed]) -> (float [@unboxed])", ["f"], 6],
    ]);
  });

  it("checks [@unboxed] / [@untagged] against the Rust side's direct primitives", () => {
    const prim = (name: string, kinds: string[], ret: string): ExportSpec =>
      parseExportSpec(
        {
          v: 1,
          name,
          symbol: `oiw_export_${name}`,
          bytecode: null,
          noalloc: true,
          no_panic_catch: false,
          args: kinds.map((k, i) =>
            k.startsWith("ocaml:") ? { name: `a${i}`, kind: "ocaml", type: k.slice(6) } : { name: `a${i}`, kind: k as "f64" },
          ),
          ret: ret.startsWith("ocaml:") ? { kind: "ocaml", type: ret.slice(6) } : { kind: ret as "f64" },
        },
        name,
      );
    const decls = `
external ok1 : (int64 [@unboxed]) -> (int [@untagged]) -> (bool [@untagged]) -> (float [@unboxed]) = "ok1" "ok1"
external ok2 : float -> float = "ok2" "ok2" [@@unboxed] [@@noalloc]
external bad1 : int64 -> (int [@untagged]) -> float = "bad1" "bad1"
external bad2 : (int [@untagged]) -> int = "bad2" "bad2"`;
    const specs = [
      prim("ok1", ["i64", "isize", "bool"], "f64"),
      prim("ok2", ["f64"], "f64"),
      prim("bad1", ["i64", "isize"], "f64"),
      prim("bad2", ["ocaml:int"], "ocaml:int"),
    ];
    const errs = checkExternals(parseExternals("p.ml", decls), specs, "demo");
    expect(errs).toHaveLength(3);
    expect(errs[0]).toContain(
      '"bad1": argument 1 (a0) is the direct primitive i64 (OCaml must say [@unboxed]) in Rust, boxed/tagged in OCaml',
    );
    expect(errs[1]).toContain('"bad1": the result is the direct primitive f64 (OCaml must say [@unboxed]) in Rust, boxed/tagged in OCaml');
    expect(errs[2]).toContain('"bad2": argument 1 (a0) is an OCaml value in Rust, [@untagged] in OCaml');
  });

  it('explains why the "" "native" form cannot work with wasm_of_ocaml', () => {
    const errs = checkExternals(
      parseExternals("n.ml", `external g : float -> float = "" "hyp" [@@unboxed] [@@noalloc]`),
      [spec("hyp", ["float"], "float")],
      "demo",
    );
    expect(errs).toHaveLength(1);
    expect(errs[0]).toContain('n.ml:1: "hyp": the bytecode name is empty, and wasm_of_ocaml calls the bytecode name; write = "hyp" "hyp"');
  });

  it("splits types at top-level arrows only", () => {
    expect(arrowParts("(int -> int) -> int list -> unit")).toEqual(["(int -> int)", "int list", "unit"]);
  });

  it("accepts matching declarations", () => {
    const specs = [spec("twice", ["int"], "int"), spec("add", ["int", "int"], "int"), spec("log", ["string"], "unit", "log_byte")];
    expect(checkExternals(parseExternals("a.ml", src), specs, "demo")).toEqual([]);
  });

  it("reports an arity mismatch with both signatures", () => {
    const errs = checkExternals(parseExternals("a.ml", src), [spec("add", ["int"], "int")], "demo");
    expect(errs).toHaveLength(1);
    expect(errs[0]).toContain('a.ml:3: "add" takes 1 argument(s) in Rust, 2 in OCaml');
    expect(errs[0]).toContain('OCaml: external add : int -> int -> int = "add"');
    expect(errs[0]).toContain("Rust:  #[export] add in crate demo: int -> int");
  });

  it("reports a base-type mismatch naming the argument", () => {
    const errs = checkExternals(
      parseExternals("a.ml", src),
      [spec("twice", ["string"], "int"), spec("concat", ["string", "string"], "int")],
      "demo",
    );
    expect(errs[0]).toContain('"twice": argument 1 (a0) is string in Rust, int in OCaml');
    expect(errs[1]).toContain('"concat": the result is int in Rust, string in OCaml');
  });

  it("reports a compound-type mismatch, and leaves aliases to the OCaml compiler", () => {
    const rust = (type: unknown): ExportSpec => ({
      v: 1,
      name: "sum",
      symbol: "oiw_export_sum",
      bytecode: null,
      noalloc: false,
      no_panic_catch: false,
      args: [{ name: "xs", kind: "ocaml", type: type as never }],
      ret: { kind: "ocaml", type: "int" },
    });
    const decls = (t: string) => parseExternals("c.ml", `external sum : ${t} -> int = "sum"`);
    expect(checkExternals(decls("int64 list"), [rust({ list: "int" })], "demo")[0]).toContain(
      'c.ml:1: "sum": argument 1 (xs) is int list in Rust, int64 list in OCaml',
    );
    expect(checkExternals(decls("(int * string) option"), [rust({ option: { tuple: ["int", "string"] } })], "demo")).toEqual([]);
    expect(checkExternals(decls("my_list"), [rust({ list: "int" })], "demo")).toEqual([]);
  });

  it("ignores externals that name no Rust export", () => {
    expect(checkExternals(parseExternals("a.ml", 'external g : int -> int = "caml_g"'), [spec("twice", ["int"], "int")], "demo")).toEqual(
      [],
    );
  });
});
