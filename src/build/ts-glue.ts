// The TypeScript declarations of an app's module (`virtual:ocaml-interop/<app>`): its Rust
// exports typed from the signatures the Rust side describes, the records and variants they use,
// and the crate's own #[wasm_bindgen] exports.
import type { ArgSpec, Ctor, ExportSpec, Field, RetSpec, TypeDesc } from "./wasm-module-info.ts";
import { BIGARRAY_KINDS } from "../host/protocol.ts";

const named = new Map<string, string>(); // OCaml type name -> TS alias definition

export function tsAlias(ocamlName: string): string {
  return ocamlName.replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase());
}

/** Named types (records, variants) become aliases, so recursive types are expressible. */
function namedType(kind: string, d: { name: string; fields?: Field[]; ctors?: Ctor[] }, position: "arg" | "ret"): string {
  const alias = tsAlias(d.name);
  if (named.has(d.name)) return alias;
  named.set(d.name, "");
  let def: string;
  const fields = (fs: Field[]) => `{ ${fs.map((f) => `${propName(f.name)}: ${tsType(f.type, position)}`).join("; ")} }`;
  if (kind === "record") def = fields(d.fields!);
  else
    def = d
      .ctors!.map((c) => {
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
const nullable = (t: TypeDesc | undefined) => t === "unit" || (typeof t === "object" && t !== null && Object.hasOwn(t, "option"));

export function namedTypeDefinitions(): string[] {
  return [...named.values()].filter(Boolean);
}

export function resetNamedTypes() {
  named.clear();
}

export function tsType(t: TypeDesc | undefined, position: "arg" | "ret"): string {
  if (t === undefined) return position === "ret" ? "void" : "undefined";
  if (typeof t === "string") {
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
  const [k, v] = Object.entries(t)[0];
  if (k === "ref") return tsAlias(v as unknown as string);
  // a Rust type without OCamlDescriber: TS cannot convert it (the host says so if called)
  if (k === "unknown") return "unknown";
  if (k === "bigarray") return BIGARRAY_KINDS.find((b) => b.name === v)?.typedArray ?? "unknown";
  if (k === "record" || k === "variant" || k === "polyvar") return namedType(k, v as never, position);
  // Some x of an option whose payload is itself nullable is { some: x } (Some None is not None)
  if (k === "option") {
    const inner = tsType(v as TypeDesc, position);
    return nullable(v as TypeDesc) ? `{ some: ${v === "unit" ? "undefined" : inner} } | null` : `${inner} | null`;
  }
  if (k === "list") return `${paren(tsType(v as TypeDesc, position))}[]`;
  if (k === "array") return v === "float" ? "Float64Array" : `${paren(tsType(v as TypeDesc, position))}[]`;
  if (k === "tuple") return `[${(v as TypeDesc[]).map((x) => tsType(x, position)).join(", ")}]`;
  if (k === "result") {
    const [a, e] = v as TypeDesc[];
    return `{ ok: ${tsType(a, position)} } | { error: ${tsType(e, position)} }`;
  }
  // a closure: a function TS passes ("arg"), or one it receives (releasable); its arguments go
  // the other way
  if (k === "fn") {
    const ts = v as TypeDesc[];
    const flip = position === "arg" ? "ret" : "arg";
    const ret = ts[ts.length - 1];
    const sig = `(${ts
      .slice(0, -1)
      .map((x, i) => `a${i}: ${tsType(x, flip)}`)
      .join(", ")}) => ${ret === "unit" ? "void" : tsType(ret, position)}`;
    return position === "arg" ? `(${sig})` : `import("ocaml-interop-web").Closure<${sig}>`;
  }
  if (k === "dynbox") return `import("ocaml-interop-web").DynBox<${JSON.stringify(v)}>`;
  return "unknown";
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
export function generateDeclarations(name: string, crate: string, specs: ExportSpec[], bindgenDts?: string): string {
  resetNamedTypes();
  const iface = specs
    .map((e) => {
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
