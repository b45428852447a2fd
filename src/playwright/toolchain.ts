// What the toolchain step (ocaml-interop-web toolchain, npm test's set-up) wrote to
// <cache>/toolchain.env: the browsers it found or installed.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** A setting of toolchain.env (OIW_CHROMIUM, OIW_FIREFOX, OIW_WEBKIT_DRIVER), if provisioned. */
export function toolchainSetting(name: string): string | undefined {
  const cache = process.env.OIW_CACHE ?? join(process.env.HOME ?? homedir(), ".cache/ocaml-interop-web");
  try {
    return readFileSync(join(cache, "toolchain.env"), "utf8").match(new RegExp(`^${name}='(.*)'$`, "m"))?.[1];
  } catch {
    return undefined; // not provisioned: fall back to the usual path
  }
}
