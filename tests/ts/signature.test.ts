import { describe, expect, it } from "vitest";
import { arrowParts, checkExternals, parseExternals } from "../../tools/build/signature-check.ts";
import type { ExportSpec } from "../../tools/build/wasm-module-info.ts";

const spec = (name: string, args: string[], ret: string, bytecode: string | null = null): ExportSpec => ({
  v: 1, name, symbol: `oiw_x_${name}`, bytecode, noalloc: false, no_panic_catch: false,
  args: args.map((t, i) => ({ name: `a${i}`, kind: "ocaml", type: t })), ret: { kind: "ocaml", type: ret },
});

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
    const errs = checkExternals(parseExternals("a.ml", src), [spec("twice", ["string"], "int"), spec("concat", ["string", "string"], "int")], "demo");
    expect(errs[0]).toContain('"twice": argument 1 (a0) is string in Rust, int in OCaml');
    expect(errs[1]).toContain('"concat": the result is int in Rust, string in OCaml');
  });

  it("ignores externals that name no Rust export", () => {
    expect(checkExternals(parseExternals("a.ml", 'external g : int -> int = "caml_g"'), [spec("twice", ["int"], "int")], "demo")).toEqual([]);
  });
});
