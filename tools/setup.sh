#!/usr/bin/env bash
# Everything `npm run demo|build|bench` and `npm test` need before they start: the npm
# packages (npm ci, when package-lock.json changed) and the toolchain (provision.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
bash toolchain/provision.sh
