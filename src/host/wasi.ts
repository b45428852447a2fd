// A WASI app's Rust side (rustTarget: "wasm32-wasip1"): its module imports WASI's
// `wasi_snapshot_preview1`, which @bjorn3/browser_wasi_shim implements in the page, and the
// bridge's functions from `oiw_host` (plain imports: wasm-bindgen generates nothing on this
// target; rust/ocaml-interop-web/src/host.rs). One WASI context lives as long as the app: its
// in-memory directory, args and environment survive the Rust instance's re-creation after a trap.
// The page fills the directory through LoadOptions.wasi.files and reads it through
// `Interop.files`; fd 1 and 2 go to the app's output (output.ts).
//
// This module is loaded only by a WASI app (the bridge imports it dynamically), so other apps'
// pages do not fetch the shim.
import { ConsoleStdout, Directory, File, type Inode, OpenFile, PreopenDirectory, WASI, WASIProcExit } from "@bjorn3/browser_wasi_shim";
import type { AppOutput } from "./output.ts";

/** The WASI context of a WASI app (LoadOptions.wasi). */
export interface WasiOptions {
  /** `std::env::args()` (default: the app's name alone). */
  args?: readonly string[];
  /** `std::env::vars()` (default: none). */
  env?: Readonly<Record<string, string>>;
  /** The files of the in-memory directory the Rust side sees at "/" (relative paths resolve
   *  there too): path -> content (a string is written as UTF-8). */
  files?: Readonly<Record<string, string | Uint8Array | ArrayBuffer>>;
}

/** The in-memory directory of a WASI app, as the page reads and changes it. */
export interface WasiFiles {
  /** A file's bytes (a copy); throws if there is no such file. */
  read(path: string): Uint8Array;
  /** A file's content as UTF-8 text; throws if there is no such file. */
  readText(path: string): string;
  /** Creates or replaces a file (and the directories on its path). */
  write(path: string, data: string | Uint8Array | ArrayBuffer): void;
  /** Whether the path names a file. */
  exists(path: string): boolean;
  /** Every file under `dir` (default: all), recursively, sorted: paths without a leading "/". */
  list(dir?: string): string[];
  /** Removes a file; throws if there is no such file. */
  remove(path: string): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A path of the directory, as its parts: "/a/b.txt", "a/b.txt" and "./a/b.txt" are the same. */
function parts(where: string, path: unknown): string[] {
  if (typeof path !== "string") throw new TypeError(`ocaml-interop: ${where}: a path must be a string (got ${typeof path})`);
  const out = path.split("/").filter((p) => p !== "" && p !== ".");
  if (out.includes(".."))
    throw new TypeError(
      `ocaml-interop: ${where}: the path ${JSON.stringify(path)} has a ".." part; write the path from the directory's root`,
    );
  if (path.includes("\0")) throw new TypeError(`ocaml-interop: ${where}: the path ${JSON.stringify(path)} has a NUL character`);
  return out;
}

function contents(where: string, data: unknown): Uint8Array {
  if (typeof data === "string") return encoder.encode(data);
  if (data instanceof Uint8Array) return data.slice();
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  throw new TypeError(
    `ocaml-interop: ${where}: a file's content must be a string, a Uint8Array or an ArrayBuffer (got ${data === null ? "null" : typeof data})`,
  );
}

export class WasiHost {
  private readonly wasi: WASI;
  private readonly root: PreopenDirectory;
  /** Why the last call into Rust ended in a WASI call that cannot return (proc_exit, ...). */
  private fault?: string;
  readonly files: WasiFiles;
  private readonly app: string;

  constructor(app: string, opts: WasiOptions | undefined, output: AppOutput) {
    this.app = app;
    const where = `loadInterop(${app})`;
    if (opts !== undefined && (opts === null || typeof opts !== "object"))
      throw new TypeError(`ocaml-interop: ${where}: wasi must be { args?, env?, files? } (got ${opts === null ? "null" : typeof opts})`);
    const o = opts ?? {};
    for (const k of Object.keys(o))
      if (k !== "args" && k !== "env" && k !== "files")
        throw new TypeError(`ocaml-interop: ${where}: wasi.${k} is not an option (the options are args, env and files)`);
    const args = o.args ?? [app];
    if (!Array.isArray(args) || args.some((a) => typeof a !== "string" || a.includes("\0")))
      throw new TypeError(`ocaml-interop: ${where}: wasi.args must be an array of strings without NUL characters`);
    const env: string[] = [];
    if (o.env !== undefined) {
      if (o.env === null || typeof o.env !== "object")
        throw new TypeError(`ocaml-interop: ${where}: wasi.env must be an object of strings`);
      for (const [k, v] of Object.entries(o.env)) {
        if (typeof v !== "string" || k === "" || k.includes("=") || k.includes("\0") || v.includes("\0"))
          throw new TypeError(
            `ocaml-interop: ${where}: wasi.env.${k}: a variable's name must be non-empty without "=" or NUL, its value a string without NUL (got ${typeof v})`,
          );
        env.push(`${k}=${v}`);
      }
    }
    this.root = new PreopenDirectory("/", new Map());
    this.files = this.filesApi();
    if (o.files !== undefined) {
      if (o.files === null || typeof o.files !== "object")
        throw new TypeError(`ocaml-interop: ${where}: wasi.files must be an object: path -> content`);
      for (const [path, data] of Object.entries(o.files)) this.writeFile(`${where}: wasi.files[${JSON.stringify(path)}]`, path, data);
    }
    const stdio = (stream: "stdout" | "stderr") => new ConsoleStdout((bytes: Uint8Array) => output.bytes(stream, bytes));
    this.wasi = new WASI([...args], env, [new OpenFile(new File([])), stdio("stdout"), stdio("stderr"), this.root], { debug: false });
  }

  /** The imports of a new Rust instance over `memory`: WASI's, and the bridge's `oiw_host`. */
  imports(memory: WebAssembly.Memory, host: Record<string, Function>): WebAssembly.Imports {
    // the shim reads the memory through `inst.exports.memory` (the module imports it)
    (this.wasi as unknown as { inst: unknown }).inst = { exports: { memory } };
    const wasi: Record<string, Function> = { ...(this.wasi.wasiImport as Record<string, Function>) };
    // calls that cannot return to Rust: the reason is kept for the trap they cause
    wasi.proc_exit = (code: number) => {
      this.fault = `Rust called std::process::exit(${code})`;
      throw new WASIProcExit(code);
    };
    wasi.proc_raise = (sig: number) => {
      this.fault = `Rust raised the signal ${sig}`;
      throw new Error(this.fault);
    };
    for (const k of ["sock_accept", "sock_recv", "sock_send", "sock_shutdown"])
      wasi[k] = () => {
        this.fault = `Rust used a socket (${k}), which a page has not`;
        throw new Error(this.fault);
      };
    return { env: { memory }, wasi_snapshot_preview1: wasi, oiw_host: host } as WebAssembly.Imports;
  }

  /** The reason recorded for the trap that just happened, if a WASI call caused it. */
  takeFault(): string | undefined {
    const f = this.fault;
    this.fault = undefined;
    return f;
  }

  private lookup(path: string[]): Inode | undefined {
    let node: Inode = this.root.dir;
    for (const p of path) {
      if (!(node instanceof Directory)) return undefined;
      const next: Inode | undefined = node.contents.get(p);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  private file(where: string, path: string): File {
    const node = this.lookup(parts(where, path));
    if (node instanceof File) return node;
    const all = this.listFiles("");
    throw new Error(
      `ocaml-interop: ${where}: ${node ? "is a directory" : "no such file"} in the app's WASI directory` +
        ` (its files: ${all.slice(0, 8).join(", ") || "none"}${all.length > 8 ? ", ..." : ""})`,
    );
  }

  private writeFile(where: string, path: string, data: unknown) {
    const ps = parts(where, path);
    if (ps.length === 0) throw new TypeError(`ocaml-interop: ${where}: the path names the directory's root, not a file`);
    const bytes = contents(where, data);
    let dir = this.root.dir;
    for (const p of ps.slice(0, -1)) {
      let next = dir.contents.get(p);
      if (next === undefined) dir.contents.set(p, (next = new Directory(new Map())));
      if (!(next instanceof Directory)) throw new Error(`ocaml-interop: ${where}: ${p} on the path is a file, not a directory`);
      dir = next;
    }
    const name = ps[ps.length - 1];
    const existing = dir.contents.get(name);
    if (existing instanceof Directory) throw new Error(`ocaml-interop: ${where}: the path is a directory`);
    if (existing instanceof File) existing.data = bytes;
    else dir.contents.set(name, new File(bytes));
  }

  private listFiles(dir: string): string[] {
    const start = parts(`files.list(${JSON.stringify(dir)})`, dir);
    const node = this.lookup(start);
    const out: string[] = [];
    const walk = (d: Directory, prefix: string) => {
      for (const [name, child] of d.contents) {
        if (child instanceof Directory) walk(child, `${prefix}${name}/`);
        else out.push(`${prefix}${name}`);
      }
    };
    if (node instanceof Directory) walk(node, start.length ? `${start.join("/")}/` : "");
    else if (node instanceof File) out.push(start.join("/"));
    return out.sort();
  }

  private filesApi(): WasiFiles {
    const name = (f: string, path: unknown) => `${this.app}: files.${f}(${JSON.stringify(path)})`;
    return Object.freeze({
      read: (path: string) => this.file(name("read", path), path).data.slice(),
      readText: (path: string) => decoder.decode(this.file(name("readText", path), path).data),
      write: (path: string, data: string | Uint8Array | ArrayBuffer) => this.writeFile(name("write", path), path, data),
      exists: (path: string) => this.lookup(parts(name("exists", path), path)) instanceof File,
      list: (dir = "") => this.listFiles(dir),
      remove: (path: string) => {
        const where = name("remove", path);
        this.file(where, path);
        const ps = parts(where, path);
        const parent = this.lookup(ps.slice(0, -1)) as Directory;
        parent.contents.delete(ps[ps.length - 1]);
      },
    });
  }
}
