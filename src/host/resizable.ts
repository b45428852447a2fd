// Views on Rust's memory that OCaml keeps (shared bigarrays) must survive memory growth, which
// detaches a plain ArrayBuffer. WebAssembly.Memory#toResizableBuffer gives a buffer that grows
// in place instead. TextEncoder.encodeInto and TextDecoder.decode refuse views of resizable
// buffers: the host's own (intrinsics.ts) and the ones it gives wasm-bindgen's glue
// (glue-globals.ts) copy through a plain buffer then; the page's built-ins are left alone.
// This happens only when Rust first shares a buffer with OCaml (bigarray::SharedArray1).
import { bufferResizable, memoryBuffer, memoryToResizable } from "./intrinsics.ts";

/** Makes `memory` resizable (if the engine can); returns whether views now survive growth. */
export function makeResizable(memory: WebAssembly.Memory): boolean {
  if (!memoryToResizable) return false;
  if (bufferResizable(memoryBuffer(memory))) return true;
  memoryToResizable(memory);
  return true;
}
