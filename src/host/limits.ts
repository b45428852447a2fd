// The re-entrancy limit, in one place (docs/guide/part4-calling-ocaml.md, "Re-entrancy"): at
// most MAX_NESTED_RUST_CALLS calls into Rust may be on one stack at once (exports called from
// OCaml or TS, Rust closures, the crate's #[wasm_bindgen] functions). One count has them all:
// the OCaml runtime file's, which the generated glue checks before its direct calls
// (src/build/glue/wat.ts) and the host before its own (src/host/bridge/state.ts, enterRust). OCaml -> Rust -> OCaml
// -> ... nests one call into Rust per level (two boundary crossings). One call more fails
// before Rust runs, with a short message naming the limit, the same from TS and from OCaml
// (Failure in OCaml, BoundaryError in TS): a runaway recursion through the boundary ends as an
// error, not as a stack overflow that re-creates the Rust instance. The engines' stacks hold
// more before their code is optimized (the conformance app's re-entrant export: about 300
// levels in Chromium, 350 in Firefox; more once optimized), so the limit is reached first; a
// call with much larger frames may still run out of stack before it, which is then a trap like
// any other.
//
// (The nesting limit of values is the wire format's: MAX_DEPTH in wire.ts.)

export const MAX_NESTED_RUST_CALLS = 256;

/** The error of the call one past the limit. */
export function reentrancyMessage(fn: string): string {
  return `${fn}: more than ${MAX_NESTED_RUST_CALLS} nested calls into Rust on one stack (the re-entrancy limit; is a recursion through OCaml and Rust unbounded?)`;
}
