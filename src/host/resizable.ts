// Views on Rust's memory that OCaml keeps (shared bigarrays) must survive memory growth, which
// detaches a plain ArrayBuffer. WebAssembly.Memory#toResizableBuffer gives a buffer that grows
// in place instead. TextEncoder.encodeInto and TextDecoder.decode refuse views of resizable
// buffers, and wasm-bindgen's glue (like any code of the page) calls them on views of the
// memory, so once the memory is resizable both are wrapped to copy through a plain buffer.
// This happens only when Rust first shares a buffer with OCaml (bigarray::SharedArray1).

let patched = false;

function isResizableView(v: unknown): v is ArrayBufferView {
  return ArrayBuffer.isView(v) && (v.buffer as ArrayBuffer & { resizable?: boolean }).resizable === true;
}

export function patchTextCodingForResizableBuffers() {
  if (patched) return;
  patched = true;
  const decode = TextDecoder.prototype.decode;
  TextDecoder.prototype.decode = function (input?: AllowSharedBufferSource, options?: TextDecodeOptions) {
    if (isResizableView(input)) input = new Uint8Array(input.buffer, input.byteOffset, input.byteLength).slice();
    return decode.call(this, input, options);
  };
  const encodeInto = TextEncoder.prototype.encodeInto;
  TextEncoder.prototype.encodeInto = function (s: string, dest: Uint8Array) {
    if (!isResizableView(dest)) return encodeInto.call(this, s, dest);
    const tmp = new Uint8Array(dest.length);
    const r = encodeInto.call(this, s, tmp);
    dest.set(tmp.subarray(0, r.written));
    return r;
  };
}

/** Makes `memory` resizable (if the engine can); returns whether views now survive growth. */
export function makeResizable(memory: WebAssembly.Memory): boolean {
  const m = memory as WebAssembly.Memory & { toResizableBuffer?: () => ArrayBuffer };
  if (typeof m.toResizableBuffer !== "function") return false;
  if ((memory.buffer as ArrayBuffer & { resizable?: boolean }).resizable) return true;
  patchTextCodingForResizableBuffers();
  m.toResizableBuffer();
  return true;
}
