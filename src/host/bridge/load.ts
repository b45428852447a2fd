// Loading an app: its options checked and the OCaml build chosen for the engine, the Rust module
// fetched and compiled once per page, its exports checked against the build's description, and
// the OCaml program started (its top level awaited, with a timeout).
import type { App } from "../app.ts";
import { parseExportSpec } from "../type-desc.ts";
import { checkEngine, engineFeatures } from "../engine.ts";
import type { GlueImports } from "./glue-imports.ts";
import type { OutputSink } from "../output.ts";
import type { WasiOptions } from "../wasi.ts";

export interface LoadOptions {
  /** How long to wait for the OCaml program's top level to finish (ms, default 30000). */
  ocamlTimeoutMs?: number;
  /** Which build of the OCaml module to load: "auto" (the default: the multi-memory one, or
   *  the single-memory one where the engine lacks multi-memory and the app has it),
   *  "multi-memory", or "single-memory" (wherever the engine is; the app must have been built
   *  with singleMemory). */
  ocamlBuild?: "auto" | "multi-memory" | "single-memory";
  /** How Rust calls into OCaml (`ocaml!` functions, OCaml closures): "host" (the default)
   *  through a JS function of the host, which turns a trap of the OCaml program under the call
   *  (its stack or memory ran out, a wrongly declared type) into the call's error; or "direct",
   *  through Rust's function table with no JS frame (about twice as fast a call), where such a
   *  fault ends the host's call into Rust instead, as a trap of that export (the Rust instance
   *  is re-created). OCaml exceptions reach Rust the same way on both (bridge/direct-ocaml.ts). */
  ocamlCalls?: "host" | "direct";
  /** Receives each line the app's programs print: OCaml's stdout and stderr, and in a WASI app
   *  Rust's println! and eprintln! (default: Rust's lines go to console.log / console.error,
   *  OCaml's output to the console as wasm_of_ocaml writes it). */
  output?: OutputSink;
  /** A WASI app's args, environment and files (src/host/wasi.ts); only for an app built with
   *  rustTarget: "wasm32-wasip1". */
  wasi?: WasiOptions;
}

/** Checks what loadInterop() was given and the engine; returns the OCaml build to load. */
export function chooseBuild(app: App, opts: LoadOptions): "multi-memory" | "single-memory" {
  if (!app || typeof app.createRustGlue !== "function" || typeof app.loadOCaml !== "function" || !Array.isArray(app.exports))
    throw new TypeError(
      `ocaml-interop: loadInterop() takes an app module: import app from "virtual:ocaml-interop/<name>" (got ${app === null ? "null" : typeof app})`,
    );
  const build = opts.ocamlBuild ?? "auto";
  if (build !== "auto" && build !== "multi-memory" && build !== "single-memory")
    throw new TypeError(
      `ocaml-interop: loadInterop(${app.name}): ocamlBuild must be "auto", "multi-memory" or "single-memory" (got ${JSON.stringify(build)})`,
    );
  const single = typeof app.loadOCamlSingleMemory === "function";
  if (build === "single-memory" && !single)
    throw new TypeError(
      `ocaml-interop: loadInterop(${app.name}): ocamlBuild is "single-memory", but the app was built without it (set singleMemory: true in the ocamlInterop() options)`,
    );
  if (opts.wasi !== undefined && app.rustTarget !== "wasm32-wasip1")
    throw new TypeError(
      `ocaml-interop: loadInterop(${app.name}): the wasi option is for a WASI app, and this app's Rust crate is built for ${app.rustTarget ?? "wasm32-unknown-unknown"} (set rustTarget: "wasm32-wasip1" in its ocamlInterop() options)`,
    );
  const useSingle = build === "single-memory" || (build === "auto" && single && !engineFeatures().multiMemory);
  checkEngine(app.name, { singleMemory: useSingle, canSingleMemory: single });
  return useSingle ? "single-memory" : "multi-memory";
}

/** The Rust module of each app URL, compiled once per page (loading an app again reuses it). */
const compiled = new Map<string, Promise<WebAssembly.Module>>();

async function compileRust(url: string): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`ocaml-interop: cannot fetch the Rust module ${url}: ${response.status} ${response.statusText}`);
  if (typeof WebAssembly.compileStreaming === "function" && response.headers.get("Content-Type")?.startsWith("application/wasm"))
    return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** The app's compiled Rust module (a failed fetch or compile is tried again at the next load). */
export async function rustModule(app: App): Promise<WebAssembly.Module> {
  let promise = compiled.get(app.rustWasm);
  if (!promise) compiled.set(app.rustWasm, (promise = compileRust(app.rustWasm)));
  try {
    return await promise;
  } catch (e) {
    compiled.delete(app.rustWasm);
    throw e;
  }
}

/** Every export the build described must exist in the module being loaded. */
export function checkExports(app: App, module: WebAssembly.Module) {
  // the descriptions the build wrote into the app module, through the one parser: an app built
  // by another version of the package is refused here, not at its first call
  for (let i = 0; i < app.exports.length; i++) {
    try {
      parseExportSpec(app.exports[i], `exports[${i}]`);
    } catch (e) {
      throw new Error(
        `ocaml-interop: the app ${app.name} has an export description this version cannot read (${(e as Error).message}): rebuild it with this version of ocaml-interop-web`,
      );
    }
  }
  const names = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const missing = app.exports.filter((e) => !names.has(e.symbol)).map((e) => e.name);
  if (missing.length)
    throw new Error(
      `ocaml-interop: the Rust module of ${app.name} lacks exports the OCaml glue was generated for: ${missing.join(", ")} (rebuild the app)`,
    );
}

/** Starts the OCaml program of the chosen build with the glue imports, and waits for its top
 *  level; `started()` says whether it registered its dispatcher. */
export async function startOCaml(
  app: App,
  build: "multi-memory" | "single-memory",
  imports: GlueImports,
  addListener: (type: string, listener: (ev: Event) => void) => void,
  timeoutMs: number,
  started: () => boolean,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `ocaml-interop: the OCaml program of ${app.name} did not finish its top level within ${timeoutMs} ms ` +
              `(does it wait for something? see the console)`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    const load = build === "single-memory" ? await app.loadOCamlSingleMemory!() : app.loadOCaml;
    await Promise.race([load(imports, addListener), timeout]);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(why.startsWith("ocaml-interop:") ? why : `ocaml-interop: the OCaml program of ${app.name} failed at start-up: ${why}`, {
      cause: e,
    });
  } finally {
    clearTimeout(timer);
  }
  if (!started())
    throw new Error(
      `ocaml-interop: the OCaml program of ${app.name} did not start the bridge: does its dune executable list (libraries ocaml-interop-web)?`,
    );
}
