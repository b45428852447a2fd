#!/usr/bin/env bash
# npm test's format and lint gate; `npm run fmt` (this script with --fix) formats everything.
#   Rust:  cargo fmt (rustfmt.toml) and clippy with warnings denied: the crates for
#          wasm32-unknown-unknown, the runtime's and the markdown and wasi examples' tests for
#          wasm32-wasip1 (where they run), the macros and compile-fail crates on the host
#   TS/JS: biome (biome.json: format and lint)
#   OCaml: ocamlformat (.ocamlformat) on every .ml/.mli outside generated/, _build/ and the golden files (tests/golden/: generated)
# Each check runs even if an earlier one failed; the message says how to fix what failed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck disable=SC1091
. "${OIW_CACHE:-$HOME/.cache/ocaml-interop-web}/toolchain.env"
TC=toolchain/tc.sh
FIX=0; [ "${1:-}" = "--fix" ] && FIX=1
failed=()
check() {
  local name="$1"; shift
  printf -- '-- %s\n' "$name"
  "$@" || failed+=("$name")
}
mapfile -t ML < <(git ls-files '*.ml' '*.mli' | grep -v -e '/generated/' -e '/_build/' -e '^tests/golden/')
if [ "$FIX" = 1 ]; then
  $TC rust cargo fmt --all
  "$OIW_NODE" node_modules/@biomejs/biome/bin/biome check --write --colors=off .
  $TC ocaml ocamlformat --root="$ROOT" --inplace "${ML[@]}"
  exit 0
fi
check "cargo fmt --check (fix: npm run fmt)" $TC rust cargo fmt --all --check
check "clippy, wasm32-unknown-unknown (warnings denied)" $TC rust cargo clippy --workspace --target wasm32-unknown-unknown --quiet -- -D warnings
check "clippy, the tests on wasm32-wasip1" $TC rust cargo clippy -p ocaml-interop-web -p markdown -p wasi_files --all-targets --target wasm32-wasip1 --quiet -- -D warnings
check "clippy, the macros and compile-fail crates (host)" $TC rust cargo clippy -p ocaml-interop-web-macros -p compile-fail --all-targets --quiet -- -D warnings
check "biome ci: format and lint (fix: npm run fmt; lint findings by hand)" "$OIW_NODE" node_modules/@biomejs/biome/bin/biome ci --colors=off .
check "ocamlformat --check (fix: npm run fmt)" $TC ocaml ocamlformat --root="$ROOT" --check "${ML[@]}"
[ ${#failed[@]} -eq 0 ] && { echo "format and lint: all clean"; exit 0; }
printf 'failed: %s\n' "${failed[@]}"
exit 1
