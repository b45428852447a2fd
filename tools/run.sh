#!/usr/bin/env bash
# tools/run.sh build|demo|bench|fmt: set up, then build (incrementally), then run.
#   build: every example app and this repository's site (vite build), and the npm package's dist/
#   demo:  the Vite dev server on the examples (the plugin builds the apps, rebuilds on save)
#   bench: the site, then the benchmarks in headless Chromium and Firefox -> bench/results.json
#   fmt:   formats the Rust, TS/JS and OCaml sources (what npm test's lint gate checks)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup.sh
CACHE="${OIW_CACHE:-$HOME/.cache/ocaml-interop-web}"
# shellcheck disable=SC1091
. "$CACHE/toolchain.env"
export PATH="$(dirname "$OIW_NODE"):$PATH"
case "${1:-build}" in
  build)
    "$OIW_NODE" node_modules/vite/bin/vite.js build --logLevel warn
    "$OIW_NODE" node_modules/typescript/bin/tsc -p tsconfig.build.json ;;
  demo)
    echo "[demo] starting Vite; the demo is at the URL it prints, under examples/demo/ (Ctrl-C stops it)"
    exec "$OIW_NODE" node_modules/vite/bin/vite.js --host 127.0.0.1 ;;
  bench)
    "$OIW_NODE" node_modules/vite/bin/vite.js build --logLevel warn
    "$OIW_NODE" tools/bench/run.ts ;;
  fmt)
    bash tools/test-support/lint.sh --fix ;;
  *) echo "usage: tools/run.sh build|demo|bench|fmt" >&2; exit 2 ;;
esac
