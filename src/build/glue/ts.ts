// Prints the TypeScript declarations of an app's module (`virtual:ocaml-interop/<app>`): its Rust
// exports typed from the signatures the Rust side describes, the records and variants they use,
// and the crate's own #[wasm_bindgen] exports.
import { BIGARRAY_KINDS } from "../../host/protocol.ts";
import {
  entry,
  type ArgSpec,
  type DescribedType,
  type FieldDesc,
  type RecordDesc,
  type RetSpec,
  type VariantDesc,
} from "../../host/type-desc.ts";
import type { ExportPlan } from "./plan.ts";

const named = new Map<string, string>(); // OCaml type name -> TS alias definition

export function tsAlias(ocamlName: string): string {
  return ocamlName.replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase());
}

/** Named types (records, variants) become aliases, so recursive types are expressible. */
function namedType(kind: "record" | "variant" | "polyvar", d: RecordDesc | VariantDesc, position: "arg" | "ret"): string {
  const alias = tsAlias(d.name);
  if (named.has(d.name)) return alias;
  named.set(d.name, "");
  let def: string;
  const fields = (fs: readonly FieldDesc[]) => `{ ${fs.map((f) => `${propName(f.name)}: ${tsType(f.type, position)}`).join("; ")} }`;
  if ("fields" in d) def = fields(d.fields);
  else
    def = d.ctors
      .map((c) => {
        // an inline record's fields go in `fields` (so that a field may be called tag or args)
        if (c.record) return `{ tag: ${JSON.stringify(c.name)}; fields: ${fields(c.record)} }`;
        if (c.args?.length) return `{ tag: ${JSON.stringify(c.name)}; args: [${c.args.map((a) => tsType(a, position)).join(", ")}] }`;
        return `{ tag: ${JSON.stringify(c.name)} }`;
      })
      .join(" | ");
  named.set(d.name, `/** OCaml ${kind === "polyvar" ? "polymorphic variant" : kind} ${d.name} */\nexport type ${alias} = ${def};`);
  return alias;
}

/** A property name in a type literal (quoted unless it is an identifier). */
const propName = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));

/** Whether the JS value of a type can be null or undefined (an option, unit). */
const nullable = (t: DescribedType) => t === "unit" || entry(t)[0] === "option";

export function namedTypeDefinitions(): string[] {
  return [...named.values()].filter(Boolean);
}

export function resetNamedTypes() {
  named.clear();
}

export function tsType(t: DescribedType | undefined, position: "arg" | "ret"): string {
  if (t === undefined) return position === "ret" ? "void" : "undefined";
  const [k, v] = entry(t);
  switch (k) {
    case "primitive":
      return primitiveTsType(v, position);
    case "ref":
      return tsAlias(v);
    // a Rust type without OCamlDescriber: TS cannot convert it (the host says so if called)
    case "unknown":
      return "unknown";
    case "bigarray":
      return BIGARRAY_KINDS.find((b) => b.name === v)?.typedArray ?? "unknown";
    case "record":
    case "variant":
    case "polyvar":
      return namedType(k, v, position);
    // Some x of an option whose payload is itself nullable is { some: x } (Some None is not None)
    case "option": {
      const inner = tsType(v, position);
      return nullable(v) ? `{ some: ${v === "unit" ? "undefined" : inner} } | null` : `${inner} | null`;
    }
    case "list":
      return `${paren(tsType(v, position))}[]`;
    case "array":
      return v === "float" ? "Float64Array" : `${paren(tsType(v, position))}[]`;
    case "tuple":
      return `[${v.map((x) => tsType(x, position)).join(", ")}]`;
    case "result":
      return `{ ok: ${tsType(v[0], position)} } | { error: ${tsType(v[1], position)} }`;
    // a closure: a function TS passes ("arg"), or one it receives (releasable); its arguments go
    // the other way
    case "fn": {
      const flip = position === "arg" ? "ret" : "arg";
      const ret = v[v.length - 1];
      const sig = `(${v
        .slice(0, -1)
        .map((x, i) => `a${i}: ${tsType(x, flip)}`)
        .join(", ")}) => ${ret === "unit" ? "void" : tsType(ret, position)}`;
      return position === "arg" ? `(${sig})` : `import("ocaml-interop-web").Closure<${sig}>`;
    }
    case "dynbox":
      return `import("ocaml-interop-web").DynBox<${JSON.stringify(v)}>`;
    // TS passes any promise (or thenable), and receives a Promise
    case "promise":
      return position === "arg" ? `PromiseLike<${tsType(v, position)}>` : `Promise<${tsType(v, position)}>`;
    case "unsupported":
      return "unknown";
  }
}

function primitiveTsType(t: string, position: "arg" | "ret"): string {
  switch (t) {
    case "int":
    case "float":
    case "int32":
    case "nativeint":
      return "number";
    case "int64":
      return "bigint";
    case "floatarray":
      return "Float64Array";
    case "bool":
      return "boolean";
    case "string":
    case "char":
      return "string";
    case "bytes":
      return "Uint8Array";
    case "unit":
      return position === "ret" ? "void" : "undefined";
    default:
      return "unknown";
  }
}

const paren = (s: string) => (/[ |]/.test(s) ? `(${s})` : s);

function kindType(a: ArgSpec | RetSpec, position: "arg" | "ret"): string {
  switch (a.kind) {
    case "f64":
    case "i32":
    case "isize":
      return "number";
    case "i64":
      return position === "arg" ? "bigint | number" : "bigint";
    case "bool":
      return "boolean";
    case "unit":
      return "void";
    default:
      return tsType(a.type, position);
  }
}

/** The `declare module "virtual:ocaml-interop/<name>"` block of one app. `bindgenDts` is the
 *  path of wasm-bindgen's declarations relative to the declaration file, if the crate has
 *  #[wasm_bindgen] exports of its own. */
export function printDeclarations(name: string, crate: string, plans: readonly ExportPlan[], bindgenDts?: string): string {
  resetNamedTypes();
  const iface = plans
    .map(({ spec: e }) => {
      const ps = e.args.map((a) => `${a.name}: ${kindType(a, "arg")}`).join(", ");
      return `    ${e.name}(${ps}): ${kindType(e.ret, "ret")};`;
    })
    .join("\n");
  const types = namedTypeDefinitions()
    .map((d) => d.replace(/^/gm, "  "))
    .join("\n");
  const bindgen = bindgenDts ? `Omit<typeof import(${JSON.stringify(bindgenDts)}), "initSync" | "default">` : "Record<string, never>";
  return `declare module "virtual:ocaml-interop/${name}" {
${types ? `${types}\n` : ""}  /** The #[ocaml_interop::export] functions of the Rust crate "${crate}", typed from their Rust signatures. */
  export interface RustExports {
${iface}
  }
  /** The crate's own #[wasm_bindgen] exports (of the current Rust instance). */
  export type WasmBindgenExports = ${bindgen};
  /** The app: pass it to loadInterop(). */
  const app: import("ocaml-interop-web").App<RustExports, WasmBindgenExports>;
  export default app;
}
`;
}
