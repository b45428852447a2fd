// Golden files of the generated glue: the conformance crate's export descriptions
// (tests/golden/conformance/exports.json, as the build read them from its module) go through
// every printer, and each output must equal its file in tests/golden/conformance/. A change to a
// generator shows as a diff of those files in review: after checking it, rewrite them with
// `OIW_UPDATE_GOLDEN=1 node node_modules/vitest/vitest.mjs run tests/ts/golden.test.ts`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { printJs, scanRegisteredNames } from "../../src/build/glue/js.ts";
import { printExternals } from "../../src/build/glue/ml.ts";
import { planExports } from "../../src/build/glue/plan.ts";
import { printDeclarations } from "../../src/build/glue/ts.ts";
import { printWat } from "../../src/build/glue/wat.ts";
import { parseExportSpec } from "../../src/host/type-desc.ts";

const DIR = join(import.meta.dirname, "../golden/conformance");
const UPDATE = process.env.OIW_UPDATE_GOLDEN === "1";
const raw: unknown[] = JSON.parse(readFileSync(join(DIR, "exports.json"), "utf8"));
const specs = raw.map((s, i) => parseExportSpec(s, `exports.json[${i}]`));
// a fixed OCaml source: the registered names depend on it, not on the example's sources
const plans = planExports(specs);
const names = scanRegisteredNames(['let () = Callback.register "adder" adder; Callback.register_exception "Boom" Boom']);

function golden(file: string, actual: string) {
  const path = join(DIR, file);
  if (UPDATE) writeFileSync(path, actual);
  expect(actual, `${file} differs from tests/golden/conformance/${file}: review the change, then OIW_UPDATE_GOLDEN=1`).toBe(
    readFileSync(path, "utf8"),
  );
}

describe("generated glue of the conformance crate (golden files)", () => {
  test("rust_glue.wat", () => golden("rust_glue.wat", printWat(plans)));
  test("rust_glue.js", () => golden("rust_glue.js", printJs(plans, names)));
  test("rust.ml", () => golden("rust.ml", printExternals(plans, "conformance")));
  test("ocaml-interop.d.ts", () => golden("ocaml-interop.d.ts", printDeclarations("conformance", "conformance", plans)));
  test("exports.json is what the conformance crate describes now", () => {
    // the build (run before the tests by npm test) wrote the app module with the descriptions
    // it read from the crate's module
    const built = join(import.meta.dirname, "../../.ocaml-interop/conformance/index.js");
    expect(existsSync(built), `${built} is missing: run vite build first`).toBe(true);
    const spec = JSON.parse(readFileSync(built, "utf8").match(/const spec = (\{[\s\S]*?\n\});/)![1]);
    if (UPDATE) writeFileSync(join(DIR, "exports.json"), `${JSON.stringify(spec.exports, null, 1)}\n`);
    expect(spec.exports, "the conformance crate's exports changed: OIW_UPDATE_GOLDEN=1 rewrites exports.json").toEqual(raw);
  });
});
