// A stand-in for the TS host and the Rust module, for the OCaml tests under Node: one
// memory, the arena and error slot of the Rust runtime reimplemented in JS over it, and the
// shared wire-format vectors in globalThis.__oiw_vectors.
const fs = require("node:fs");
const path = require("node:path");

function findUp(rel) {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const p = path.join(dir, rel);
    if (fs.existsSync(p)) return p;
    if (path.dirname(dir) === dir) throw new Error(`standalone_host: ${rel} not found above ${process.cwd()}`);
  }
}

const memory = new WebAssembly.Memory({ initial: 4, maximum: 4096 });
const STATE = 16, SLOT = 32, MSG = 64, MSG_CAP = 4032, HEAP = 4096;
let heapEnd = HEAP;
const dv = () => new DataView(memory.buffer);

function chunk(bytes) {
  const start = heapEnd;
  heapEnd += Math.max(bytes, 65536);
  const need = heapEnd - memory.buffer.byteLength;
  if (need > 0) memory.grow(Math.ceil(need / 65536));
  return start;
}

const rust = {
  oiw_arena_state: () => STATE,
  oiw_arena_grow(bytes) {
    const start = chunk(bytes);
    dv().setUint32(STATE, start, true);
    dv().setUint32(STATE + 4, heapEnd, true);
    return start;
  },
  oiw_arena_release(top, limit) {
    dv().setUint32(STATE, top, true);
    dv().setUint32(STATE + 4, limit, true);
  },
  oiw_error_slot: () => SLOT,
  oiw_error_reserve(len) {
    if (len > MSG_CAP) throw new Error("standalone_host: error message too long");
    return MSG;
  },
  oiw_error_commit(kind, len) {
    dv().setUint32(SLOT, kind, true);
    dv().setUint32(SLOT + 4, MSG, true);
    dv().setUint32(SLOT + 8, len, true);
  },
};

// a trap (the decoder reading past the memory) ends the process: say which fuzz case it was
process.on("uncaughtException", (e) => {
  console.error(e);
  if (globalThis.__oiw_fuzz_case) console.error(`standalone_host: uncaught during ${globalThis.__oiw_fuzz_case}`);
  process.exit(1);
});

globalThis.__oiw_vectors = fs.readFileSync(findUp("wire-format/vectors/v1.json"), "utf8");
globalThis.__oiw_host = {
  memory,
  resetPending: new WebAssembly.Global({ value: "i32", mutable: true }, 0),
  rustPoisoned: new WebAssembly.Global({ value: "i32", mutable: true }, 0),
  // one Rust instance, never re-created
  rustInstance: new WebAssembly.Global({ value: "i32", mutable: true }, 0),
  arenaRestart() { throw new Error("standalone_host: no Rust instance is re-created here"); },
  rust,
  poisoned: false,
  registerOCaml(d) { this.ocaml = d; },
  ocamlReady() { this.ready = true; },
  afterError() {},
  // bigarrays: data outside the memory is copied into the arena; what arrives is copied out
  baPlace(ta, _kind) {
    if (ta.buffer === memory.buffer) return ta.byteOffset;
    const p = this.ocaml.alloc(ta.byteLength) >>> 0;
    new Uint8Array(memory.buffer, p, ta.byteLength).set(new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength));
    return p;
  },
  baView(elt, length, ptr) {
    const C = { 0: Float32Array, 1: Float64Array, 2: Int8Array, 3: Uint8Array, 4: Int16Array, 5: Uint16Array, 6: Int32Array, 12: Uint8Array }[elt & 0xff];
    // as the TS host (Bridge.baView): an unknown kind is refused (and data outside the memory
    // throws the typed array's RangeError), so the decoder fuzz sees what a real host does
    if (!C) throw new Error(`standalone_host: bigarray kind ${elt & 0xff} cannot cross the boundary`);
    return new C(memory.buffer, ptr >>> 0, length >>> 0).slice();
  },
  baFill(ta, ptr) {
    new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength).set(new Uint8Array(memory.buffer, ptr >>> 0, ta.byteLength));
  },
  // Rust values: every box is live; the last claimed is kept for the tests to check
  boxTrack(_wrapper, id, lo, hi) {
    globalThis.__oiw_last_box = [id, lo, hi];
    return 1;
  },
  boxUntrack() {},
  trap(e) { throw e; },
};
