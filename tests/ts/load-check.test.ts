// loadInterop()'s check of an app's export descriptions (src/host/bridge/load.ts): they go
// through the one parser, so an app module written by another version is refused at load.
import { describe, expect, it } from "vitest";
import type { App } from "../../src/host/app.ts";
import { checkExports } from "../../src/host/bridge/load.ts";

// an empty module: no exports at all
const empty = new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
const twice = {
  v: 1,
  name: "twice",
  symbol: "oiw_export_twice",
  args: [{ name: "n", kind: "ocaml", type: "int" }],
  ret: { kind: "ocaml", type: "int" },
  noalloc: false,
  no_panic_catch: false,
  bytecode: null,
};
const app = (exports: unknown[]) => ({ name: "demo", exports }) as unknown as App;

describe("checkExports", () => {
  it("refuses a description of another format, naming the app and the node", () => {
    expect(() => checkExports(app([{ ...twice, v: 2 }]), empty)).toThrow(
      "ocaml-interop: the app demo has an export description this version cannot read (exports[0].v: describe format v2, this build understands v1 (rebuild with the same version of ocaml-interop-web)): rebuild it with this version of ocaml-interop-web",
    );
    expect(() => checkExports(app([{ ...twice, args: [{ name: "n", kind: "ocaml", type: { lst: "int" } }] }]), empty)).toThrow(
      'ocaml-interop: the app demo has an export description this version cannot read (exports[0].args[0].type: not a type description: {"lst":"int"}',
    );
  });

  it("then checks the module has every export the glue calls", () => {
    expect(() => checkExports(app([twice]), empty)).toThrow(
      "ocaml-interop: the Rust module of demo lacks exports the OCaml glue was generated for: twice (rebuild the app)",
    );
  });
});
