// Runs a wasm32-wasip1 program (a Rust test binary) under Node with @bjorn3/browser_wasi_shim,
// the same WASI implementation a page would use. Exit code = the program's.
//   node wasi-run.mjs program.wasm [args...]
import { readFileSync } from "node:fs";
import { ConsoleStdout, File, OpenFile, WASI } from "@bjorn3/browser_wasi_shim";

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error("usage: wasi-run.mjs program.wasm [args...]");
  process.exit(2);
}
const out = (fd) => new ConsoleStdout((bytes) => process[fd].write(bytes));
const wasi = new WASI(
  [file, ...args],
  Object.entries({ RUST_BACKTRACE: "0", RUST_TEST_NOCAPTURE: "1" }).map(([k, v]) => `${k}=${v}`),
  [new OpenFile(new File([])), out("stdout"), out("stderr")],
  { debug: false },
);
const module = await WebAssembly.compile(readFileSync(file));
const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
let code;
try {
  code = wasi.start(instance);
} catch (e) {
  // panic=abort: a failing test aborts the binary (a trap)
  console.error(`\n${file}: aborted (${e.message}); a test panicked`);
  code = 101;
}
process.exit(code);
