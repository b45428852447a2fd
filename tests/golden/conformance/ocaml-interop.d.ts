declare module "virtual:ocaml-interop/conformance" {
  /** OCaml variant chain */
  export type Chain = { tag: "End" } | { tag: "Link"; args: [number, Chain] };
  /** OCaml record item */
  export type Item = { id: number; name: string; shape: Shape; color: Color; tags: string[]; parent: number | null };
  /** OCaml variant shape */
  export type Shape = { tag: "Empty" } | { tag: "Circle"; args: [Point, number] } | { tag: "Rect"; fields: { w: number; h: number } } | { tag: "Poly"; args: [([number, number])[]] } | { tag: "Nothing" };
  /** OCaml record point */
  export type Point = { x: number; y: number };
  /** OCaml polymorphic variant color */
  export type Color = { tag: "Red" } | { tag: "Green" } | { tag: "rgb"; args: [number, number, number] } | { tag: "Named"; args: [string] };
  /** OCaml record odd */
  export type Odd = { __proto__: number; constructor: string; tag: string; some: { some: number | null } | null };
  /** OCaml variant tagged */
  export type Tagged = { tag: "Plain" } | { tag: "Labeled"; fields: { tag: string; args: number; fields: string[] } } | { tag: "Wrapped"; args: [Odd] };
  /** OCaml variant nest */
  export type Nest = { tag: "Leaf" } | { tag: "Node"; args: [Nest, number] };
  /** OCaml variant tree */
  export type Tree = { tag: "Leaf" } | { tag: "Node"; args: [Tree, number, Tree] };
  /** OCaml variant main_movement */
  export type MainMovement = { tag: "Step"; fields: { count: number } } | { tag: "Expand"; fields: { width: number; height: number } } | { tag: "RotateLeft" } | { tag: "RotateRight" };
  /** OCaml polymorphic variant main_movement_polymorphic */
  export type MainMovementPolymorphic = { tag: "Step"; args: [number] } | { tag: "Expand"; args: [number, number] } | { tag: "RotateLeft" } | { tag: "RotateRight" };
  /** The #[ocaml_interop::export] functions of the Rust crate "conformance", typed from their Rust signatures. */
  export interface RustExports {
    alloc_fill(n: number, x: number, count: number): number;
    apply7(f: ((a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number) => string)): string;
    apply_twice(f: ((a0: number) => number), x: number): number;
    async_counted(p: PromiseLike<number>): Promise<number>;
    async_double(p: PromiseLike<number>): Promise<number>;
    async_err(p: PromiseLike<string>): Promise<number>;
    async_greet(name: string, times: number): Promise<string>;
    async_length(s: string): Promise<number>;
    async_ocaml_fails(msg: string): Promise<number>;
    async_panic(p: PromiseLike<string>): Promise<number>;
    async_ready(s: string): Promise<string>;
    async_stats(_u: undefined): [number, number];
    async_via_ocaml(n: number): Promise<string>;
    ba_len(ba: Float64Array): number;
    ba_sum(ba: Float64Array): number;
    bare_drops_string(n: number): number;
    bare_fails(n: number): number;
    bare_reraises(n: number): void;
    box_as_string(b: import("ocaml-interop-web").DynBox<"alloc::string::String">): string;
    box_dropped_unclaimed(_unit: undefined): void;
    box_stats(_unit: undefined): [number, number];
    call_and_reraise(f: ((a0: number) => number), x: number): number;
    call_js_catching(arg: string): { ok: string } | { error: string };
    call_js_plain(arg: string): string;
    call_kept(x: number): number;
    call_stale_handle(g: ((a0: number) => number), stale: [number, number, number], x: number): string;
    chain_len(c: Chain): number;
    chain_make(len: number): Chain;
    checked_sqrt(x: number): number;
    closure_handle(f: ((a0: number) => number)): [number, number, number];
    compose_twice(f: ((a0: number) => number)): import("ocaml-interop-web").Closure<(a0: number) => number>;
    counter_incr(c: import("ocaml-interop-web").DynBox<"conformance::Counter">): number;
    counter_new(start: number): import("ocaml-interop-web").DynBox<"conformance::Counter">;
    debug_float_array(x: Float64Array): string;
    debug_int_list(x: number[]): string;
    debug_item(x: Item): string;
    debug_odd(x: Odd): string;
    debug_opt3_int(x: { some: { some: number | null } | null } | null): string;
    debug_opt_opt_unit(x: { some: { some: undefined } | null } | null): string;
    debug_point(x: Point): string;
    debug_result(x: { ok: number } | { error: string }): string;
    debug_shape(x: Shape): string;
    debug_string(x: string): string;
    debug_tagged(x: Tagged): string;
    describe_exn(e: unknown): [string | null, string | null];
    drop_kept(_unit: undefined): void;
    drop_panics_new(n: number): import("ocaml-interop-web").DynBox<"conformance::DropPanics">;
    forged_closure_call(handle: number): string;
    forged_counter(id: number, generation: number): import("ocaml-interop-web").DynBox<"conformance::Counter">;
    forged_rust_closure(id: number, arity: number): import("ocaml-interop-web").Closure<(a0: number) => number>;
    grow_during_call(s: string, mib: number): [string, number[]];
    grow_memory(mib: number): number;
    id_bool(x: boolean): boolean;
    id_bytes(x: Uint8Array): Uint8Array;
    id_char(x: string): string;
    id_color(x: Color): Color;
    id_f32_bigarray(x: Float32Array): Float32Array;
    id_f64_bigarray(x: Float64Array): Float64Array;
    id_float(x: number): number;
    id_float_array(x: Float64Array): Float64Array;
    id_i16_bigarray(x: Int16Array): Int16Array;
    id_i32_bigarray(x: Int32Array): Int32Array;
    id_i64_bigarray(x: BigInt64Array): BigInt64Array;
    id_int(x: number): number;
    id_int32(x: number): number;
    id_int64(x: bigint): bigint;
    id_int_list(x: number[]): number[];
    id_int_option(x: number | null): number | null;
    id_isize_bigarray(x: Int32Array): Int32Array;
    id_item(x: Item): Item;
    id_items(x: Item[]): Item[];
    id_nativeint(x: number): number;
    id_nest(n: Nest): Nest;
    id_nested(x: ([bigint, string[]])[] | null): ([bigint, string[]])[] | null;
    id_odd(x: Odd): Odd;
    id_opt3_int(x: { some: { some: number | null } | null } | null): { some: { some: number | null } | null } | null;
    id_opt_opt_int(x: { some: number | null } | null): { some: number | null } | null;
    id_opt_opt_list(x: ({ some: number | null } | null)[]): ({ some: number | null } | null)[];
    id_opt_opt_unit(x: { some: { some: undefined } | null } | null): { some: { some: undefined } | null } | null;
    id_option_array(x: (number | null)[]): (number | null)[];
    id_point(x: Point): Point;
    id_result(x: { ok: number } | { error: string }): { ok: number } | { error: string };
    id_shape(x: Shape): Shape;
    id_string(x: string): string;
    id_string_list(x: string[]): string[];
    id_tagged(x: Tagged): Tagged;
    id_tree(x: Tree): Tree;
    id_tuple10(x: [number, number, number, number, number, number, number, number, number, string]): [number, number, number, number, number, number, number, number, number, string];
    id_tuple3(x: [number, string, number]): [number, string, number];
    id_u8_bigarray(x: Uint8Array): Uint8Array;
    id_unit(x: undefined): void;
    id_unit_option(x: { some: undefined } | null): { some: undefined } | null;
    install_user_hook(kind: number): void;
    keep_bigarray(ba: Float64Array): void;
    keep_closure(f: ((a0: number) => number)): number;
    kept_bigarray_sum(_unit: undefined): number;
    live_bigarray_buffers(_unit: undefined): number;
    make_adder(offset: number): import("ocaml-interop-web").Closure<(a0: number, a1: number) => number>;
    make_opt3_int(k: number): { some: { some: number | null } | null } | null;
    make_recurser(_unit: undefined): import("ocaml-interop-web").Closure<(a0: number) => number>;
    make_shouter(_unit: undefined): import("ocaml-interop-web").Closure<(a0: string) => string>;
    make_tree(n: number): Tree;
    mix7(a: number, b: string, c: number, d: number[], e: boolean, f: string | null, g: bigint): string;
    model_rust_caller_tests(_unit: undefined): string;
    nest_depth(n: Nest): number;
    nest_make(depth: number): Nest;
    ocaml_fault_plain(which: number): number;
    ocaml_fault_try(which: number): string;
    panic_uncaught(msg: string): void;
    panic_while_panicking(msg: string): void;
    plain_form(s: string): string;
    prim_f64(x: number): number;
    prim_i32(a: number, b: number): number;
    prim_isize(n: number, twice: boolean): number;
    prim_mix(a: bigint | number, b: number, x: number, n: number, negate: boolean): bigint;
    reserve_mib(mib: number): number;
    rooted_ba_drop(_unit: undefined): number;
    rooted_ba_make(n: number): Float64Array;
    rooted_ba_read(i: number): number;
    rust_calls_faulting_ocaml(_unit: undefined): string;
    rust_exhaust(_unit: undefined): void;
    rust_nest_through_ocaml(depth: number): string;
    rust_recurse_forever(n: number): number;
    rust_reenter(n: number, trail: string): string;
    rust_round_trips(seed: number, n: number): string;
    rust_string_of_movement(movement: unknown): string;
    rust_string_of_movement_main(movement: MainMovement): string;
    rust_string_of_polymorphic_movement(polymorphic_movement: unknown): string;
    rust_string_of_polymorphic_movement_main(polymorphic_movement: MainMovementPolymorphic): string;
    rust_trap(kind: number): number;
    shape_area(s: Shape): number;
    shared_drop(_unit: undefined): void;
    shared_get(i: number): number;
    shared_make(n: number): Float64Array;
    shared_set(i: number, x: number): void;
    shared_sum_native(_unit: undefined): number;
    string_at(s: string): [string, number, number];
    sum_calls(f: ((a0: number) => number), n: number): number;
    sum_list_raw(xs: number[]): number;
    tree_depth(t: Tree): number;
    try_apply(f: ((a0: string) => string), s: string): { ok: string } | { error: string };
    try_forms(s: string): string;
    try_thread_sleep(millis: number): void;
    try_thread_spawn(_unit: undefined): number;
    unwind_catch(msg: string): string;
    unwind_guarded(n: number): number;
    unwind_state(_unit: undefined): [number, string];
  }
  /** The crate's own #[wasm_bindgen] exports (of the current Rust instance). */
  export type WasmBindgenExports = Record<string, never>;
  /** The app: pass it to loadInterop(). */
  const app: import("ocaml-interop-web").App<RustExports, WasmBindgenExports>;
  export default app;
}
