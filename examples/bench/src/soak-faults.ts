// The soak with faults (issue 9): one million mixed calls with a panic every 1,000 in an app
// whose panics unwind (the conformance app), and a smaller soak with a trap every 1,000 calls
// in an app whose panics abort (e2e/apps/abort-mode: each trap re-creates the Rust instance).
// Every result is checked. Rust's memory, the call arena, the handle table (OCaml values Rust
// holds), the DynBox table and the JS heap (where the browser can measure it after a full GC:
// Chromium) are read after a warm-up and at the end, at the same point of a block; they must
// be flat (tools/bench/run.ts checks). The time of each panic and of each recovery (a trap, the
// re-creation and the next call) is reported.
import { loadInterop, T, type Interop } from "ocaml-interop-web";
import abortMode from "virtual:ocaml-interop/abort-mode";
import conformance from "virtual:ocaml-interop/conformance";

type Heap = () => Promise<number | null>;
type Fn = (...a: unknown[]) => unknown;
type AnyApp = Interop<unknown, unknown>;

const round = (x: number) => Math.round(x * 1000) / 1000;

async function snapshot(app: AnyApp, jsHeap: Heap) {
  return {
    rust_memory_bytes: app.bridge.memory.buffer.byteLength,
    arena_held_bytes: app.bridge.arenaHeldBytes(),
    live_handles: app.bridge.liveHandles(),
    live_boxes: app.bridge.liveBoxes(),
    js_heap_bytes: await jsHeap(),
  };
}

/** Times of one kind of event: count, mean and max in microseconds. */
class Timer {
  n = 0;
  total = 0;
  max = 0;
  time(f: () => void) {
    const t0 = performance.now();
    f();
    const ms = performance.now() - t0;
    this.n++;
    this.total += ms;
    this.max = Math.max(this.max, ms);
  }
  report() {
    return { count: this.n, mean_us: round((this.total * 1000) / this.n), max_us: round(this.max * 1000) };
  }
  reset() {
    this.n = 0;
    this.total = 0;
    this.max = 0;
  }
}

function failure(what: string, calls: number): never {
  throw new Error(`soak_faults: ${what} (after ${calls} calls)`);
}

/** The unwind-mode app: blocks of 1,000 calls (counting each call across the boundary, in any
 *  direction), the last of them a panic that unwinds; after every 10th block a trap
 *  (rust_trap: an unreachable) and one call on the re-created instance. */
export async function soakUnwind(blocks: number, jsHeap: Heap) {
  const app = (await loadInterop(conformance)) as unknown as AnyApp;
  const rust = app.rust as Record<string, Fn>;
  const idIntList = app.ocaml.fn("ocaml_id_int_list", [T.list(T.int)], T.list(T.int));
  const soak = app.ocaml.fn("soak", [T.int], T.int); // n rounds: 2 OCaml -> Rust calls each
  const handles = app.ocaml.fn("adv_soak_handles", [T.int], T.int); // n rounds: 3 OCaml -> Rust calls each
  const item = (i: number) => ({
    id: i,
    name: `item ${i}`,
    shape: { tag: "Rect", fields: { w: 1, h: i } },
    color: { tag: "Named", args: ["c"] },
    tags: ["t", String(i)],
    parent: i,
  });
  let calls = 0;
  const panics = new Timer(),
    recoveries = new Timer();
  const block = (b: number) => {
    for (let i = 0; i < 300; i++) {
      const s = `s${b}.${i}`;
      if (rust.id_string(s) !== s) failure("id_string", calls);
    } // 300 TS -> Rust
    for (let i = 0; i < 100; i++) {
      // 100 TS -> Rust
      const it = item(b * 1000 + i),
        back = rust.id_item(it) as typeof it;
      if (back.id !== it.id || back.name !== it.name || back.shape.fields.h !== it.shape.fields.h || back.tags[1] !== it.tags[1])
        failure("id_item", calls);
    }
    for (let i = 0; i < 200; i++) {
      const xs = [b, i, -i];
      const back = idIntList(xs);
      if (back[2] !== -i || back.length !== 3) failure("ocaml_id_int_list", calls);
    } // 200 TS -> OCaml
    if (soak(75) !== 75) failure("soak", calls); // 1 TS -> OCaml + 150 OCaml -> Rust
    if (handles(50) !== 50) failure("adv_soak_handles", calls); // 1 TS -> OCaml + 150 OCaml -> Rust
    rust.drop_kept(undefined); // 1 TS -> Rust
    if (rust.rust_round_trips(b + 1, 19) !== "ok 95") failure("rust_round_trips", calls); // 1 TS -> Rust + 95 Rust -> OCaml
    calls += 999;
    panics.time(() => {
      // 1 TS -> Rust, a panic
      try {
        rust.rust_reenter(0, "!");
        failure("no panic", calls);
      } catch (e) {
        if ((e as Error).message !== "bottom reached after 0 crossings") throw e;
      }
    });
    calls++;
  };
  const trap = () => {
    recoveries.time(() => {
      try {
        rust.rust_trap(0);
        failure("no trap", calls);
      } catch (e) {
        if (!(e as Error).message.startsWith("Rust trapped in rust_trap: unreachable")) throw e;
      }
      if (rust.id_string("after a trap") !== "after a trap") failure("after a trap", calls);
    });
    calls += 2;
  };
  for (let b = 0; b < 20; b++) {
    block(b);
    if (b % 10 === 9) trap();
  } // warm-up: caches and arenas at their working size
  const before = await snapshot(app, jsHeap);
  calls = 0;
  panics.reset();
  recoveries.reset();
  const resets0 = app.bridge.resets,
    t0 = performance.now();
  for (let b = 0; b < blocks; b++) {
    block(b);
    if (b % 10 === 9) trap();
  }
  const ms = performance.now() - t0;
  const after = await snapshot(app, jsHeap);
  const out = {
    app: "conformance (panics unwind)",
    calls,
    panics: panics.n,
    traps: recoveries.n,
    re_creations: app.bridge.resets - resets0,
    total_ms: round(ms),
    ns_per_call: round((ms * 1e6) / calls),
    panic: panics.report(),
    recovery: recoveries.report(),
    before,
    after,
  };
  app.dispose();
  return out;
}

/** The abort-mode app: blocks of 1,000 calls, one of them a trap (a panic with panic = "abort")
 *  that re-creates the Rust instance, the call after it on the new instance. */
export async function soakAbort(blocks: number, jsHeap: Heap) {
  const app = (await loadInterop(abortMode)) as unknown as AnyApp;
  const rust = app.rust as Record<string, Fn>;
  const echo = app.ocaml.fn("echo_from_ocaml", [T.string], T.string); // 1 TS -> OCaml + 1 OCaml -> Rust
  let calls = 0;
  const recoveries = new Timer();
  const block = (b: number) => {
    if (rust.keep(16) !== 16) failure("keep", calls); // 1 TS -> Rust (a working set)
    for (let i = 0; i < 498; i++) if (rust.twice(i) !== 2 * i) failure("twice", calls); // 498 TS -> Rust
    for (let i = 0; i < 250; i++) {
      const s = `e${b}.${i}`;
      if (echo(s) !== s) failure("echo_from_ocaml", calls);
    } // 500
    calls += 999;
    recoveries.time(() => {
      // 1 TS -> Rust, a trap
      try {
        rust.fail(`block ${b}`);
        failure("no trap", calls);
      } catch (e) {
        if ((e as Error).message !== `block ${b}`) throw e;
      }
    });
    calls++;
  };
  for (let b = 0; b < 20; b++) block(b);
  const before = await snapshot(app, jsHeap);
  calls = 0;
  recoveries.reset();
  const resets0 = app.bridge.resets,
    t0 = performance.now();
  for (let b = 0; b < blocks; b++) block(b);
  const ms = performance.now() - t0;
  const after = await snapshot(app, jsHeap);
  const out = {
    app: "abort-mode (every panic traps)",
    calls,
    traps: recoveries.n,
    re_creations: app.bridge.resets - resets0,
    total_ms: round(ms),
    ns_per_call: round((ms * 1e6) / calls),
    recovery: recoveries.report(),
    before,
    after,
  };
  app.dispose();
  return out;
}
