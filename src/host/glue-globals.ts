// What each copy of wasm-bindgen's glue uses for the globals WebAssembly, TextEncoder and
// TextDecoder (src/build/wasm-bindgen.ts makes the glue a factory that takes them from the
// host): their versions at load, so that a page script that replaces or wraps them later
// neither sees the Rust instance, its imports and its memory when the host re-creates the
// instance, nor changes the strings the crate's #[wasm_bindgen] functions pass. The encoder and
// decoder also read and write views of a resizable buffer (the memory, once Rust shares a
// bigarray with OCaml), which the built-in ones refuse.
import {
  WebAssemblyAtLoad,
  bufferResizable,
  typedArrayBuffer,
  typedArrayByteLength,
  typedArraySet,
  typedArraySlice,
  Uint8ArrayAtLoad,
} from "./intrinsics.ts";

const uncurry = Function.prototype.bind.bind(Function.prototype.call) as <A extends unknown[], R>(
  f: (...a: A) => R,
) => (self: unknown, ...a: A) => R;
const TD = TextDecoder,
  TE = TextEncoder;
const decode = uncurry(TD.prototype.decode) as (d: TextDecoder, b?: AllowSharedBufferSource, o?: TextDecodeOptions) => string;
const encode = uncurry(TE.prototype.encode) as (e: TextEncoder, s?: string) => Uint8Array;
const encodeInto = uncurry(TE.prototype.encodeInto) as (e: TextEncoder, s: string, d: Uint8Array) => TextEncoderEncodeIntoResult;
const isView = ArrayBuffer.isView;

const resizableView = (v: unknown): v is ArrayBufferView => isView(v) && bufferResizable(typedArrayBuffer(v as ArrayBufferView));

class TextDecoderAtLoad {
  readonly #d: TextDecoder;
  constructor(label?: string, options?: TextDecoderOptions) {
    this.#d = new TD(label, options);
  }
  get encoding() {
    return this.#d.encoding;
  }
  get fatal() {
    return this.#d.fatal;
  }
  get ignoreBOM() {
    return this.#d.ignoreBOM;
  }
  decode(input?: AllowSharedBufferSource, options?: TextDecodeOptions): string {
    return decode(this.#d, resizableView(input) ? typedArraySlice(input) : input, options);
  }
}

class TextEncoderAtLoad {
  readonly #e = new TE();
  get encoding() {
    return this.#e.encoding;
  }
  encode(s?: string): Uint8Array {
    return encode(this.#e, s);
  }
  encodeInto(s: string, dest: Uint8Array): TextEncoderEncodeIntoResult {
    if (!resizableView(dest)) return encodeInto(this.#e, s, dest);
    const tmp = new Uint8ArrayAtLoad(typedArrayByteLength(dest));
    const r = encodeInto(this.#e, s, tmp);
    typedArraySet(dest, new Uint8ArrayAtLoad(typedArrayBuffer(tmp), 0, r.written));
    return r;
  }
}

export const glueGlobals = Object.freeze({
  WebAssembly: WebAssemblyAtLoad,
  TextDecoder: TextDecoderAtLoad,
  TextEncoder: TextEncoderAtLoad,
});
