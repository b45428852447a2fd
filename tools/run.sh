#!/usr/bin/env bash
# tools/run.sh build|demo|bench: set up, then build (incrementally), then run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup.sh
CACHE="${OIW_CACHE:-$HOME/.cache/ocaml-interop-web}"
# shellcheck disable=SC1091
. "$CACHE/toolchain.env"
export PATH="$(dirname "$OIW_NODE"):$PATH"
case "${1:-build}" in
  build) "$OIW_NODE" tools/build/build.ts ;;
  demo)
    "$OIW_NODE" tools/build/build.ts --no-vite
    echo "[demo] starting Vite; open the URL it prints (Ctrl-C stops it)"
    exec "$OIW_NODE" node_modules/vite/bin/vite.js --host 127.0.0.1 ;;
  bench)
    "$OIW_NODE" tools/build/build.ts
    "$OIW_NODE" tools/bench/run.ts ;;
  *) echo "usage: tools/run.sh build|demo|bench" >&2; exit 2 ;;
esac
