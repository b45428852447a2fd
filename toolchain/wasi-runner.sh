#!/bin/sh
# cargo's runner for wasm32-wasip1 (the Rust unit tests): runs a test binary under Node.
exec node "$(dirname "$0")/wasi-run.mjs" "$@"
