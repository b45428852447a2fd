#!/usr/bin/env bash
# The OCaml suite: the library's tests (ocaml/test, the wire format against the shared vectors,
# under Node), then every example's generated externals (generated/rust.ml) type-checked with
# ocamlc, as a user may take them as they are.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
toolchain/tc.sh ocaml sh -c 'cd ocaml && dune build @runtest --profile release --force'
for f in examples/*/ocaml/generated/rust.ml; do
  toolchain/tc.sh ocaml ocamlfind ocamlc -i "$f" > /dev/null
  echo "generated externals type-check: $f"
done
