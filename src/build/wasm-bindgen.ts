// wasm-bindgen's JS glue for an app's Rust module, turned into a factory.
//
// `wasm-bindgen --target web` writes an ES module whose state (the instance, cached memory
// views, the externref heap) lives at its top level, so one module can hold one instance. The
// host re-creates the Rust instance after a trap, and loads an app any number of times, so the
// build rewrites that module into `export default function createRustGlue(__oiw_host) {...}`:
// each call gives a fresh copy of the glue, synchronously, with no eval (a strict CSP allows
// it). `__oiw_host` is what the runtime crate's wasm-bindgen imports call (`js_namespace`); it
// also gives the glue the globals WebAssembly, TextEncoder and TextDecoder as they were when the
// host loaded, so that a page script replacing them later changes nothing (glue-globals.ts).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BuildError } from "./errors.ts";
import { run, type Logger } from "./toolchain.ts";

export interface BindgenOutput {
  /** the factory module */
  glue: string;
  /** the .wasm the host instantiates */
  wasm: string;
  /** names of the user's own #[wasm_bindgen] exports (functions and classes) */
  userExports: string[];
  /** wasm-bindgen's declarations of them (for the app's types), or "" */
  dts: string;
}

/** Runs the wasm-bindgen CLI on `input` into `outDir` and makes the factory. */
export async function wasmBindgen(input: string, outDir: string, libName: string, log: Logger): Promise<BindgenOutput> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  log.info(`wasm-bindgen --target web ${libName}`);
  const r = await run("rust", outDir, ["wasm-bindgen", "--target", "web", "--out-dir", outDir, input]);
  if (r.code !== 0) throw new BuildError("wasm-bindgen", `wasm-bindgen failed on ${input}:\n${r.stderr.trim()}`, { details: r.stderr });
  const source = readFileSync(join(outDir, `${libName}.js`), "utf8");
  const { code, names } = glueFactory(source, libName);
  const glue = join(outDir, "glue.js");
  writeFileSync(glue, code);
  rmSync(join(outDir, `${libName}.js`));
  let dts = "";
  try {
    dts = readFileSync(join(outDir, `${libName}.d.ts`), "utf8");
  } catch {
    /* none */
  }
  return { glue, wasm: join(outDir, `${libName}_bg.wasm`), userExports: names, dts };
}

/** Rewrites wasm-bindgen's `--target web` module into a factory of fresh copies. */
export function glueFactory(source: string, what: string): { code: string; names: string[] } {
  const imports: string[] = [];
  const hostImports: string[] = [];
  const names: string[] = [];
  let body = source
    .replace(/^\/\* @ts-self-types=.*\*\/\s*$/m, "")
    // the runtime crate's plain imports (rust/ocaml-interop-web/src/host.rs) are the host's
    .replace(/^import \* as ([\w$]+) from (["'])oiw_host\2;?[ \t]*$/gm, (_, name: string) => {
      hostImports.push(`const ${name} = __oiw_host.oiwHost;`);
      return "";
    })
    // static imports (snippets, inline_js) stay at the module's top level
    .replace(/^import\s[^;]*;\s*$/gm, (m) => {
      imports.push(m.trim());
      return "";
    })
    .replace(/^export (function|class|const|let|var) ([\w$]+)/gm, (_, kind: string, name: string) => {
      names.push(name);
      return `${kind} ${name}`;
    })
    .replace(/^export \{ initSync, __wbg_init as default \};\s*$/m, "")
    .replace(/^export default __wbg_init;\s*$/m, "")
    .replace(/^export \{ initSync \};\s*$/m, "")
    // the async init resolves its .wasm next to the glue; the host always passes the module
    .replace(/new URL\((['"])[^'"]+\.wasm\1,\s*import\.meta\.url\)/g, "undefined");
  if (/^export\s/m.test(body) || /import\.meta/.test(body) || !/function initSync\(/.test(body))
    throw new BuildError(
      "wasm-bindgen",
      `the JS glue wasm-bindgen wrote for ${what} has a form this build does not know ` +
        `(is the wasm-bindgen CLI the version the runtime crate pins?)`,
    );
  // with panics that unwind, wasm-bindgen wraps a JS exception thrown by an import in its own
  // tag before it crosses Rust; the host unwraps it to report the original error. The tag is the
  // app's, one for every copy of the glue (`__oiw_host.wrappedJsTag`), so that the OCaml glue,
  // which calls Rust directly, can catch what is thrown with it (src/build/glue/wat.ts). (The
  // glue loaded without the bridge, as the start-up benchmark's baseline does, makes its own.)
  body = body.replace(
    /const __wbindgen_wrapped_jstag = new WebAssembly\.Tag\(\{ parameters: \['externref'\] \}\);/,
    "const __wbindgen_wrapped_jstag = __oiw_host?.wrappedJsTag ?? new WebAssembly.Tag({ parameters: ['externref'] });",
  );
  if (/const __wbindgen_wrapped_jstag = new /.test(body))
    throw new BuildError(
      "wasm-bindgen",
      `the JS glue wasm-bindgen wrote for ${what} makes its exception tag in a form this build does not know`,
    );
  const unwrap = /const __wbindgen_wrapped_jstag = /.test(body)
    ? "(e) => (e instanceof WebAssembly.Exception && e.is(__wbindgen_wrapped_jstag) ? e.getArg(__wbindgen_wrapped_jstag, 0) : e)"
    : "(e) => e";
  const ret = ["initSync", ...names, `__oiw_unwrapException: ${unwrap}`].join(", ");
  body = body.replace(/\n{3,}/g, "\n\n").trim();
  const code = `// Generated by ocaml-interop-web from wasm-bindgen's glue for ${what}. Do not edit.
// Each call makes a fresh copy of the glue (its own instance state); see src/build/wasm-bindgen.ts.
${imports.join("\n")}
export default function createRustGlue(__oiw_host) {
  // the host's versions of these globals, as they were when it loaded (src/host/glue-globals.ts)
  const { WebAssembly, TextDecoder, TextEncoder } = __oiw_host.glueGlobals ?? globalThis;
${hostImports.map((l) => `  ${l}\n`).join("")}${body.replace(/^/gm, "  ")}
  return { ${ret} };
}
`;
  return { code, names };
}
