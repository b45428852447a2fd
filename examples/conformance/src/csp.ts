// The conformance app in a page whose Content-Security-Policy allows no eval and no inline
// script (csp.html): it loads, calls both sides, recovers from several panics in a row (they
// unwind) and several traps in a row (the Rust instance is re-created each time, from the glue
// factory, without eval), and reports
// what happened in #result as JSON (e2e/csp.spec.ts reads it, so no test code runs in the page).
import { loadInterop, T } from "ocaml-interop-web";
import conformance from "virtual:ocaml-interop/conformance";

const violations: string[] = [];
document.addEventListener("securitypolicyviolation", (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
const status = document.querySelector("#status")!;
const result = document.querySelector("#result")!;
const err = (f: () => unknown) => {
  try {
    return `no error: ${JSON.stringify(f())}`;
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
};

// the policy is in force: the page itself may not evaluate code
const evalBlocked = err(() => new Function("return 1")());

loadInterop(conformance).then(
  (app) => {
    const rust = app.rust as unknown as Record<string, (...a: unknown[]) => unknown>;
    const panics: string[] = [];
    const after: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      panics.push(err(() => rust.rust_reenter(0, "!")));
      after.push(rust.id_string(`after panic ${i}`));
    }
    // traps (nothing unwinds them): each re-creates the Rust instance from the glue factory
    const traps: string[] = [];
    for (let i = 0; i < 5; i++) traps.push(err(() => rust.rust_trap(0)).replace(/ \(.*$/, ""));
    const afterTraps = rust.id_string("after the traps");
    const report = {
      evalBlocked,
      echo: rust.id_string("under a strict CSP ✓"),
      list: rust.id_int_list([1, 2, 3]),
      ocaml: app.ocaml.fn("via_rust_string", [T.string], T.string)("through OCaml and Rust"),
      panics,
      after,
      // panics raised inside OCaml -> Rust -> OCaml ... levels, caught by OCaml
      reentrant: /^ok ok .*bottom reached after 200 crossings/s.test(app.ocaml.fn("reentrancy_tests", [T.int], T.string)(100)),
      bigarrays: app.ocaml.fn("shared_bigarray_facts", [T.unit], T.string)(undefined),
      traps,
      afterTraps,
      resets: app.bridge.resets,
      violations,
    };
    result.textContent = JSON.stringify(report);
    status.textContent = "ready";
  },
  (e) => {
    status.textContent = `failed: ${e}`;
    result.textContent = JSON.stringify({ evalBlocked, violations });
  },
);
