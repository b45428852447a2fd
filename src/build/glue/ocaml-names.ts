// How a described type is written in OCaml source: the type expressions of the generated
// `external`s and of the build's checks, the abstract types that stand for DynBox values, and
// the direct primitives of #[export] (`f64`, `i64`, ...) with their OCaml attributes.
import { BIGARRAY_KINDS } from "../../host/protocol.ts";
import { entry, visit, type ArgSpec, type DescribedType, type RetSpec } from "../../host/type-desc.ts";

/** The OCaml element type of each bigarray kind (the protocol's table). */
const BIGARRAY_ELTS: Record<string, string> = Object.fromEntries(BIGARRAY_KINDS.map((k) => [k.name, k.ocamlElt]));

export function bigarrayType(elt: string): string {
  return `(${BIGARRAY_ELTS[elt] ?? "'a"}, Bigarray.${elt}_elt, Bigarray.c_layout) Bigarray.Array1.t`;
}

/** The abstract OCaml type that stands for a `DynBox<T>`: `rust_` and T's last path segment in
 *  snake case (`alloc::string::String` -> `rust_string`, `my::Counter<u8>` -> `rust_counter`). */
export function dynboxTypeName(rustType: string): string {
  const last = rustType.replace(/<.*$/s, "").split("::").pop()!.trim();
  const snake = last
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9_]/g, "_")
    .toLowerCase();
  return `rust_${snake}`;
}

/** The DynBox types a description mentions, inside records and variants too: OCaml type
 *  name -> Rust type. */
export function dynboxTypes(t: DescribedType | undefined, out: Map<string, string>): void {
  visit(
    t,
    (x) => {
      const [k, v] = entry(x);
      if (k === "dynbox") out.set(dynboxTypeName(v), v);
    },
    true,
  );
}

/** The OCaml type expression of a description. */
export function ocamlType(t: DescribedType | undefined): string {
  if (t === undefined) return "unit";
  const [k, v] = entry(t);
  const wrap = (s: string) => (/[*,]|->/.test(s) ? `(${s})` : s);
  switch (k) {
    case "primitive":
      return v;
    case "record":
    case "variant":
    case "polyvar":
      return v.name;
    case "ref":
      return v;
    case "fn":
      return `(${v.map(ocamlType).join(" -> ")})`;
    case "bigarray":
      return bigarrayType(v);
    case "dynbox":
      return dynboxTypeName(v);
    // a Rust type without OCamlDescriber (#[export] does not require one): any OCaml type
    case "unknown":
      return "'a";
    case "option":
    case "list":
    case "array":
      return `${wrap(ocamlType(v))} ${k}`;
    case "promise":
      return `${wrap(ocamlType(v))} Ocaml_interop_web.Promise.t`;
    case "tuple":
      return v.map((x) => wrap(ocamlType(x))).join(" * ");
    case "result":
      return `(${v.map(ocamlType).join(", ")}) ${k}`;
    case "unsupported":
      throw new Error(`not a type description: ${JSON.stringify(v)}`);
  }
}

/** The Rust type name when `t` is a type the Rust side could not describe (no OCamlDescriber). */
export function unknownRustType(t: DescribedType | undefined): string | undefined {
  if (t === undefined) return undefined;
  const [k, v] = entry(t);
  return k === "unknown" ? v : undefined;
}

/** The direct primitives of #[export] (`f64`, `i64`, ...): how OCaml declares each, its wasm
 *  type, the glue's local for a result of it, and the glue's argument conversion. */
export const DIRECT: Record<
  string,
  { ocaml: string; attr: "unboxed" | "untagged"; wasm: "f64" | "i64" | "i32"; local: string; arg: string }
> = {
  f64: { ocaml: "float", attr: "unboxed", wasm: "f64", local: "$rf", arg: "$unbox_float" },
  i64: { ocaml: "int64", attr: "unboxed", wasm: "i64", local: "$rl", arg: "$unbox_int64" },
  i32: { ocaml: "int32", attr: "unboxed", wasm: "i32", local: "$r", arg: "$unbox_int32" },
  bool: { ocaml: "bool", attr: "untagged", wasm: "i32", local: "$r", arg: "$untag" },
  isize: { ocaml: "int", attr: "untagged", wasm: "i32", local: "$r", arg: "$untag" },
};

/** An argument's or the result's OCaml type in an `external` (with [@unboxed]/[@untagged]). */
export function argOCamlType(a: ArgSpec | RetSpec): string {
  const d = DIRECT[a.kind];
  if (d) return `(${d.ocaml} [@${d.attr}])`;
  return a.kind === "unit" ? "unit" : ocamlType(a.type);
}
