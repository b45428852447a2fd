// A missing or too old toolchain is a clear error naming what is missing and what to do, not a
// stack trace (the plugin shows it in the terminal and the overlay). OIW_NO_PROVISION=1 makes
// the check look without installing; fake tools in PATH stand for an old toolchain.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "oiw-toolchain-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("an old OCaml and no Rust for wasm32 are named, with the way to install them", async () => {
  const bin = join(dir, "bin");
  mkdirSync(bin);
  const fake = (name: string, version: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\necho ${version}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  fake("dune", "2.9.1");
  fake("ocamlfind", "4.13.1");
  fake("wasm_of_ocaml", "4.0.0");
  fake("wasm-opt", "version 108");
  Object.assign(process.env, { OIW_CACHE: join(dir, "cache"), OIW_NO_PROVISION: "1", PATH: `${bin}:/usr/bin:/bin` });
  const { ensureToolchain } = await import("../../src/build/toolchain.ts");
  const { BuildError } = await import("../../src/build/errors.ts");
  const logged: string[] = [];
  const err = await ensureToolchain({ info: (m) => logged.push(m), warn: () => {}, error: () => {} }).then(
    () => undefined,
    (e) => e,
  );
  expect(err).toBeInstanceOf(BuildError);
  expect(err.step).toBe("toolchain");
  expect(err.message).toMatch(
    /^the toolchain is not ready: missing or too old: OCaml >= 5 with dune >= 3\.17, wasm_of_ocaml >= 6\.1 and binaryen >= 119; Rust with the wasm32-unknown-unknown std and the wasm-bindgen CLI 0\.2\.130/,
  );
  expect(err.message).toContain("Run `npx ocaml-interop-web toolchain` to see what was found");
}, 60_000);
