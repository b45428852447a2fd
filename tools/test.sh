#!/usr/bin/env bash
# npm test: set up, build, then every suite: Rust unit tests (on wasm32-wasip1), the macro
# checks, compile-fail tests, the crates' packaging, OCaml tests, the TS type check and unit
# tests (vitest), and the browser tests (Playwright, every project in Chromium and in Firefox
# ESR): the examples' own tests (the strict-CSP page, the engine-feature fallbacks and checks
# among them; the values tests on the single-memory OCaml build too) and the package's; and, in
# WebKitGTK through WebDriver (it lacks multi-memory), the single-memory build's load and the
# demo's slice and conformance values tests.
# The format and lint gate (tools/test-support/lint.sh) is a suite too.
# Each suite runs even if an earlier one failed; the exit code says whether all passed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup.sh || exit 1
CACHE="${OIW_CACHE:-$HOME/.cache/ocaml-interop-web}"
# shellcheck disable=SC1091
. "$CACHE/toolchain.env"
export PATH="$(dirname "$OIW_NODE"):$PATH"
TC=toolchain/tc.sh
# cargo's target directory for the suites run through tc.sh, one per checkout: cargo reuses the
# artifacts of a same-named crate found in the target directory, even one of another checkout
export CARGO_TARGET_DIR="$CACHE/cargo-target/checkout-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"

"$OIW_NODE" node_modules/vite/bin/vite.js build --logLevel warn && "$OIW_NODE" node_modules/typescript/bin/tsc -p tsconfig.build.json || { echo "build failed" >&2; exit 1; }

passed=0; failed=0; failures=()
suite() {
  local name="$1"; shift
  printf '\n\033[1m== %s\033[0m\n' "$name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}

suite "Rust: runtime crate and the markdown and wasi examples' logic (wasm32-wasip1)" $TC rust cargo test --target wasm32-wasip1 -p ocaml-interop-web -p markdown -p wasi_files
suite "Rust: #[export] macro checks" $TC rust cargo test -p ocaml-interop-web-macros
suite "Rust: compile-fail (trybuild: invalid exports, borrow rules)" $TC rust cargo test -p compile-fail
suite "Rust: both crates package for crates.io (cargo package)" $TC rust cargo package --workspace --exclude compile-fail --exclude demo --exclude conformance --exclude bench --exclude markdown --exclude wasi_files --exclude abort_mode --allow-dirty --target wasm32-unknown-unknown
suite "OCaml: wire format (wasm_of_ocaml under Node), generated externals" bash tools/test-support/ocaml-tests.sh
suite "Format and lint: cargo fmt, clippy (warnings denied), biome, ocamlformat" bash tools/test-support/lint.sh
suite "TypeScript: type check (tsc)" "$OIW_NODE" node_modules/typescript/bin/tsc -p .
suite "TypeScript: unit tests (vitest)" "$OIW_NODE" node_modules/vitest/vitest.mjs run
suite "Browser: Playwright in Chromium and Firefox ESR" "$OIW_NODE" node_modules/@playwright/test/cli.js test
# WebKitGTK (no multi-memory: the single-memory OCaml build) through WebDriver, where installed
webkit_playwright() {
  if ! "$OIW_NODE" --input-type=module -e 'import { webkitAvailable } from "./src/playwright/webkit.ts"; process.exit(webkitAvailable() ? 0 : 3)'; then
    echo "skipped: no WebKitGTK here (WebKitWebDriver, MiniBrowser); toolchain/provision.sh installs webkit2gtk-driver as root"
    return 0
  fi
  "$OIW_NODE" node_modules/@playwright/test/cli.js test --config playwright.webkit.config.ts
}
suite "Browser: WebKitGTK through WebDriver: the single-memory build loads, the multi-memory one fails with a clear error" \
  "$OIW_NODE" --test tests/webkit/feature-check.test.ts
suite "Browser: Playwright's slice, values (both routes from Rust to OCaml), TS-values, unwinding, worker and async tests in WebKitGTK 2.50 (WebDriver, single-memory build)" webkit_playwright

echo
[ ${#failures[@]} -gt 0 ] && printf 'failed suite: %s\n' "${failures[@]}"
echo "test suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
