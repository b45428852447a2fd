// The call arena and the error slot seen from TS: allocating a call's values (bump allocation
// in the current chunk, a new chunk from Rust when it is full), entering and leaving the frames
// the OCaml glue uses too, and reading and writing the error a call failed with.
import { ErrorKind } from "../errors.ts";
import { Uint8ArrayAtLoad, typedArrayBuffer, typedArraySet, utf8 } from "../intrinsics.ts";
import { ERROR_SLOT_RELEASE_LIMIT, ERROR_SLOT_RELEASE_TOP, HEADER_TAG_MASK, TAG_OBJECT, TAG_STRING } from "../protocol.ts";
import { ConversionError, type Allocator } from "../wire.ts";
import { BridgeState } from "./state.ts";

export abstract class BridgeArena extends BridgeState implements Allocator {
  // ---- the call arena, seen from TS -----------------------------------------------------------
  alloc(bytes: number): number {
    const st = this.at.arena,
      w = this.words();
    const top = w[st >>> 2],
      limit = w[(st >>> 2) + 1];
    const n = Math.ceil(bytes / 8) * 8; // (not & ~7: sizes past 2 GiB stay unsigned)
    if (top !== 0 && top + n <= limit) {
      w[st >>> 2] = top + n;
      return top;
    }
    const start = this.h.rust.oiw_arena_grow(n) >>> 0;
    // the arena is full: the error names the call whose values did not fit (the codec's
    // ConversionError becomes the call's BoundaryError)
    if (start === 0) throw new ConversionError(`${this.encoding ?? "a call"}: ${this.readError()[1]}`);
    this.setWord(st, start + n);
    return start;
  }

  /** The argument being encoded (for the message of a full arena). */
  protected encoding?: string;

  /** Enters a call frame (the same frames the OCaml glue uses). */
  protected mark(): [number, number] {
    const top = this.ocaml!.frameEnter() >>> 0;
    const st = this.at.arena;
    return [top, this.word(st + 4)];
  }

  protected release([top, limit]: [number, number]) {
    this.ocaml!.frameLeave(top, limit);
  }

  /** The arena's position when the current Rust instance was created. */
  protected arenaStart: [number, number] = [0, 0];

  /** A frame that began in an earlier Rust instance ended (the instance trapped under it and was
   *  re-created): its mark names chunks of the old arena, which the new instance may have handed
   *  out since, so the new arena is released to where it began (nothing of it outlives the
   *  frame, which began before it). Called by the OCaml runtime file's frame_leave. */
  arenaRestart() {
    const [top, limit] = this.arenaStart,
      st = this.at.arena;
    if (this.h.poisoned) {
      // (a trapped instance runs no code: its arena is set as it was)
      this.setWord(st, top);
      this.setWord(st + 4, limit);
    } else this.h.rust.oiw_arena_release(top, limit);
  }

  protected readError(): [number, string, string | undefined] {
    const slot = this.at.slot;
    const kind = this.word(slot),
      p = this.word(slot + 4),
      n = this.word(slot + 8);
    this.setWord(slot, 0);
    if (kind !== ErrorKind.OCamlException) return [kind, this.text(p, n), undefined];
    const w = this.word(slot + 12),
      exn = this.exceptionConstructorName(w);
    // (the dispatcher leaves an exception's text unmade when it gives its value: asked for here)
    const msg = n === 0 && w !== 0 ? this.exceptionText(w) : undefined;
    return [kind, msg ?? (n === 0 && exn !== undefined ? exn : this.text(p, n)), exn];
  }

  /** The text OCaml gives the exception value at wire word `w` (Printexc's), if it can. */
  protected exceptionText(w: number): string | undefined {
    let t = 0;
    try {
      t = (this.ocaml?.exnText(w) ?? 0) >>> 0;
    } catch {
      return undefined;
    }
    const end = this.words().length * 4;
    if (t === 0 || (t & 7) !== 0 || t + 8 > end || (this.word(t) & HEADER_TAG_MASK) !== TAG_STRING) return undefined;
    const len = this.word(t + 4);
    return t + 8 + len <= end ? this.text(t + 8, len) : undefined;
  }

  /** The constructor's name of an exception value on the wire: a constructor alone (tag 248,
   *  [name; id]) or one with arguments (tag 0, [constructor; args...]). */
  protected exceptionConstructorName(w: number): string | undefined {
    const end = this.words().length * 4;
    const block = (x: number, bytes: number) => x !== 0 && (x & 7) === 0 && x + bytes <= end;
    if (!block(w, 16)) return undefined;
    let ctor = w;
    if ((this.word(w) & HEADER_TAG_MASK) === 0 && this.word(w + 4) >= 1) ctor = this.word(w + 8);
    if (!block(ctor, 16) || (this.word(ctor) & HEADER_TAG_MASK) !== TAG_OBJECT) return undefined;
    const name = this.word(ctor + 8);
    if (!block(name, 8) || (this.word(name) & HEADER_TAG_MASK) !== TAG_STRING) return undefined;
    const len = this.word(name + 4);
    if (name + 8 + len > end || len > 4096) return undefined;
    return this.text(name + 8, len);
  }

  protected errorPending(): boolean {
    return this.word(this.at.slot) !== 0;
  }

  /** Writes an error into the error slot directly (its message in the host's buffer): after a
   *  trap no code of the trapped instance runs. */
  setError(kind: number, msg: string) {
    let bytes = utf8(msg);
    if (bytes.length > 4096)
      bytes = new Uint8ArrayAtLoad(typedArrayBuffer(utf8(`${msg.slice(0, 4000)}... (${bytes.length} bytes)`)), 0, 4096);
    typedArraySet(this.bytes(this.at.hostMessage, bytes.length), bytes);
    this.setWord(this.at.slot, kind);
    this.setWord(this.at.slot + 4, this.at.hostMessage);
    this.setWord(this.at.slot + 8, bytes.length);
    this.setWord(this.at.slot + 12, 0);
    // (no arena mark to go back to: that is for an export's Err(exn), see oiw_error_release)
    this.setWord(this.at.slot + ERROR_SLOT_RELEASE_TOP, 0);
    this.setWord(this.at.slot + ERROR_SLOT_RELEASE_LIMIT, 0);
  }

  /** Bytes held by Rust's call arena (for leak checks). */
  arenaHeldBytes(): number {
    return this.h.rust.oiw_arena_held_bytes() >>> 0;
  }
}
