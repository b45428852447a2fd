#!/usr/bin/env bash
# The OCaml suite: the library's tests (ocaml/test, the wire format against the shared vectors,
# under Node), then every example's generated externals (generated/rust.ml) type-checked with
# ocamlc against the library, as a user may take them as they are.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
toolchain/tc.sh ocaml sh -c 'cd ocaml && dune build @runtest --profile release --force'
# (with the library's interface: a promise's type is Ocaml_interop_web.Promise.t)
LIB=ocaml/_build/default/ocaml-interop-web/.ocaml_interop_web.objs/byte
for f in examples/*/ocaml/generated/rust.ml; do
  toolchain/tc.sh ocaml ocamlfind ocamlc -I "$LIB" -i "$f" > /dev/null
  echo "generated externals type-check: $f"
done
