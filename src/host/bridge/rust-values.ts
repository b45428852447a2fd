// What OCaml holds of Rust's memory and values: bigarrays that cross (viewed in place when Rust
// shares their buffer, else copied) and the buffers OCaml's views keep alive, and the DynBox
// wrappers OCaml's GC releases (FinalizationRegistry).
import { BoundaryError } from "../errors.ts";
import {
  FinalizationRegistryAtLoad,
  Uint8ArrayAtLoad,
  memoryBuffer,
  ownArray,
  queueMicrotaskAtLoad,
  registryRegister,
  registryUnregister,
  typedArrayBuffer,
  typedArrayByteLength,
  typedArrayByteOffset,
  typedArraySet,
  typedArraySlice,
} from "../intrinsics.ts";
import { BIGARRAY_KIND_MASK, BIGARRAY_MANAGED, BIGARRAY_SHARED, BIGARRAY_KINDS as PROTOCOL_BIGARRAYS } from "../protocol.ts";
import { makeResizable } from "../resizable.ts";
import { BIGARRAY_TYPED_ARRAYS } from "../wire.ts";
import { BridgeDirectOCaml } from "./direct-ocaml.ts";
import { worthTelling } from "./panic-recovery.ts";

/** What the FinalizationRegistry holds of a DynBox wrapper. */
type BoxHeld = { id: number; lo: number; hi: number; instance: number };
/** Wrappers waiting for their FinalizationRegistry registration, at most (see boxTrack). */
const PENDING_MAX = 1024;

type TypedArrayCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayBufferView & { slice(): ArrayBufferView };
/** OCaml's Bigarray kinds that cross, and their typed arrays (the codec's map, from the protocol's table). */
const BIGARRAY_KINDS = BIGARRAY_TYPED_ARRAYS as unknown as Record<number, TypedArrayCtor>;

export abstract class BridgeRustValues extends BridgeDirectOCaml {
  /** Whether views on Rust's memory survive its growth (set when Rust first shares a buffer). */
  resizableViews = false;

  // ---- bigarrays (called by the OCaml runtime file) --------------------------------------------
  /** Where a bigarray's data goes on the wire: its own address when it already views Rust's
   *  memory (zero copy), else a copy in the call arena. */
  baPlace(ta: ArrayBufferView, kind: number): number {
    if (!(kind in BIGARRAY_KINDS))
      throw new BoundaryError(
        `bigarrays of kind ${kind} cannot cross the boundary (supported: ${PROTOCOL_BIGARRAYS.map((k) => k.name).join(", ")})`,
        "bigarray",
      );
    const buffer = typedArrayBuffer(ta),
      n = typedArrayByteLength(ta);
    if (buffer === memoryBuffer(this.memory)) return typedArrayByteOffset(ta);
    const p = this.ocaml!.alloc(n) >>> 0;
    typedArraySet(this.bytes(p, n), new Uint8ArrayAtLoad(buffer, typedArrayByteOffset(ta), n));
    return p;
  }

  /** Copies a bigarray's data from Rust's memory into the typed array of a bigarray OCaml made
   *  (int64 and nativeint bigarrays, whose typed arrays wasm_of_ocaml shares with int32). */
  baFill(ta: ArrayBufferView, ptr: number, _kind: number) {
    const n = typedArrayByteLength(ta);
    typedArraySet(new Uint8ArrayAtLoad(typedArrayBuffer(ta), typedArrayByteOffset(ta), n), this.bytes(ptr, n));
  }

  /** A typed array for a bigarray arriving from Rust: a view on Rust's memory when Rust shares
   *  the buffer (flag 0x100) and views survive growth, else a copy. A rooted bigarray's buffer
   *  (flag 0x200) is counted while the view lives, so what OCaml writes the root sees, and the
   *  data outlives the root if OCaml keeps it (as the model's bigarray, owned by OCaml's GC). */
  baView(eltFlags: number, length: number, ptr: number): ArrayBufferView {
    // (the OCaml glue passes i32s: addresses past 2 GiB arrive negative)
    ptr >>>= 0;
    length >>>= 0;
    const C = BIGARRAY_KINDS[eltFlags & BIGARRAY_KIND_MASK];
    if (!C) throw new BoundaryError(`bigarray kind ${eltFlags & BIGARRAY_KIND_MASK} cannot cross the boundary`, "bigarray");
    // a shared buffer is viewed (after making the memory resizable, which replaces its buffer);
    // without resizable buffers the view would go stale at the next growth, so it is copied
    const shared = (eltFlags & BIGARRAY_SHARED) !== 0 && (this.resizableViews ||= makeResizable(this.memory));
    const view = new C(memoryBuffer(this.memory), ptr, length);
    if (!shared) return typedArraySlice(view);
    if (eltFlags & BIGARRAY_MANAGED) {
      if (!(this.h.rust.oiw_ba_claim as (p: number) => number)(ptr)) return typedArraySlice(view);
      registryRegister(this.bigarrays, view, { ptr, instance: this.instances });
      this.liveViews.set(ptr, { end: ptr + typedArrayByteLength(view), count: (this.liveViews.get(ptr)?.count ?? 0) + 1 });
    }
    return view;
  }

  /** Buffers OCaml views hold (start -> end, count): kept out of a re-created instance's heap. */
  protected readonly liveViews = new Map<number, { end: number; count: number }>();

  /** The Drop of a Rust value OCaml released or collected panicked (Rust caught it): no call
   *  made that happen, so it is told to the console, the first few times and then every 1000th. */
  dropPanicked(msg: string) {
    const n = ++this.dropPanics;
    if (worthTelling(n))
      console.error(
        `ocaml-interop: ${this.name}: the Drop of a Rust value OCaml released or collected (a DynBox or Rust closure) panicked${n > 1 ? ` (${n} times so far)` : ""}: ${msg}`,
      );
  }
  /** How many such Drop panics there were. */
  dropPanics = 0;

  /** Asked by a new Rust instance's allocator (rust/ocaml-interop-web/src/heap.rs) before it
   *  reuses the memory: the end of the highest buffer an OCaml view still holds. */
  reservedHeapStart(): number {
    let end = 0;
    for (const v of this.liveViews.values()) end = Math.max(end, v.end);
    return end;
  }

  protected readonly bigarrays = new FinalizationRegistryAtLoad<{ ptr: number; instance: number }>((b) => {
    const v = this.liveViews.get(b.ptr);
    if (v && --v.count === 0) this.liveViews.delete(b.ptr);
    // a view of the current Rust instance's buffer was collected: one holder fewer
    if (b.instance === this.instances && !this.disposed && !this.h.poisoned)
      this.housekeeping("releasing a collected bigarray view", () => (this.h.rust.oiw_ba_release as (p: number) => void)(b.ptr));
  });

  /** Bigarray buffers that roots or OCaml views hold, for leak checks. */
  liveBigarrays(): number {
    return (this.h.rust.oiw_live_bigarrays as () => number)();
  }

  // ---- Rust values owned by OCaml (DynBox) -----------------------------------------------------
  protected readonly boxes = new FinalizationRegistryAtLoad<BoxHeld>((b) => {
    // a wrapper of the current Rust instance was collected: drop the Rust value
    if (b.instance === this.instances && !this.disposed && !this.h.poisoned) this.dropBox("dropping a collected DynBox", b.id, b.lo, b.hi);
  });

  // Wrappers made since the last flush, not yet registered with `boxes`: most DynBoxes a loop
  // makes are released explicitly soon after, and one released while still here costs no
  // FinalizationRegistry work at all (a register and an unregister cost about what the rest of
  // the box's round trip does: docs/architecture.md, W9). They are registered in one go when
  // the current task ends (a microtask) or when PENDING_MAX of them wait, so a wrapper the GC
  // could collect is held at most that long. `pendingAt[id]` is the index + 1 of box id's entry
  // (one per id: a second wrapper of the same box is registered at once). Arrays of the bridge's
  // own, without prototype (no lookup a page could intercept).
  private readonly pendingWrappers = ownArray<object | undefined>(0, () => undefined);
  /** entry i's id, generation halves and instance at 4i .. 4i + 3 */
  private readonly pendingBoxes = ownArray<number>(0, () => 0);
  private readonly pendingAt = ownArray<number>(0, () => 0);
  private pendingCount = 0;
  private flushQueued = false;

  /** An OCaml wrapper of box `id` (generation `lo`, `hi`) was made: Rust counts it, the GC will
   *  release it. */
  boxTrack(wrapper: object, id: number, lo: number, hi: number): number {
    const ok = (this.h.rust.oiw_box_claim as (i: number, l: number, h: number) => number)(id, lo, hi);
    if (!ok) return ok;
    if ((this.pendingAt[id] ?? 0) !== 0) {
      registryRegister(this.boxes, wrapper, { id, lo, hi, instance: this.instances }, wrapper);
      return ok;
    }
    if (this.pendingCount >= PENDING_MAX) this.flushBoxes();
    const i = this.pendingCount++,
      b = this.pendingBoxes;
    this.pendingWrappers[i] = wrapper;
    b[4 * i] = id;
    b[4 * i + 1] = lo;
    b[4 * i + 2] = hi;
    b[4 * i + 3] = this.instances;
    this.pendingAt[id] = i + 1;
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotaskAtLoad(this.flushBoxesTask);
    }
    return ok;
  }

  /** OCaml released the box explicitly. */
  boxUntrack(wrapper: object, id: number, lo: number, hi: number) {
    const at = this.pendingAt[id] ?? 0;
    if (at !== 0 && this.pendingWrappers[at - 1] === wrapper) this.unpend(at - 1, id);
    else if (!registryUnregister(this.boxes, wrapper)) return;
    if (!this.h.poisoned) this.dropBox("dropping a released DynBox", id, lo, hi);
  }

  /** Removes pending entry `i` (of box `id`): the last one takes its place. */
  private unpend(i: number, id: number) {
    const last = --this.pendingCount,
      b = this.pendingBoxes;
    this.pendingAt[id] = 0;
    if (i !== last) {
      this.pendingWrappers[i] = this.pendingWrappers[last];
      for (let k = 0; k < 4; k++) b[4 * i + k] = b[4 * last + k];
      this.pendingAt[b[4 * i]] = i + 1;
    }
    this.pendingWrappers[last] = undefined;
  }

  private readonly flushBoxesTask = () => {
    this.flushQueued = false;
    this.flushBoxes();
  };

  /** Registers the pending wrappers with the FinalizationRegistry (dropped once disposed: the
   *  app's values die with it). */
  protected flushBoxes() {
    const n = this.pendingCount,
      b = this.pendingBoxes;
    this.pendingCount = 0;
    for (let i = 0; i < n; i++) {
      const w = this.pendingWrappers[i]!,
        id = b[4 * i];
      this.pendingWrappers[i] = undefined;
      this.pendingAt[id] = 0;
      if (!this.disposed) registryRegister(this.boxes, w, { id, lo: b[4 * i + 1], hi: b[4 * i + 2], instance: b[4 * i + 3] }, w);
    }
  }

  /** Drops Rust value `id` now (a release or a collected wrapper): `housekeeping`, without a
   *  closure per call. */
  private dropBox(what: string, id: number, lo: number, hi: number) {
    this.hostFrames++;
    try {
      this.h.rust.oiw_box_release(id, lo, hi);
    } catch (e) {
      this.hostFrames--;
      this.housekeepingFault(what, e);
      return;
    }
    this.hostFrames--;
    this.afterError();
  }

  /** Rust values OCaml holds (DynBox), for leak checks. */
  liveBoxes(): number {
    return (this.h.rust.oiw_live_boxes as () => number)();
  }

  /** TS released a Rust value (a DynBox or a Rust closure) of the current instance. */
  releaseBox(id: number, lo: number, hi: number) {
    if (!this.h.poisoned) this.dropBox("dropping a released Rust value", id, lo, hi);
  }
}
