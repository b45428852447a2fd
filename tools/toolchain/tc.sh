#!/usr/bin/env bash
# tc.sh GROUP COMMAND [ARGS...]
# Runs COMMAND with the toolchain that tools/toolchain/provision.sh chose for GROUP
# (ocaml | rust | node): on the host, or inside the Debian sid sysroot with the repository
# and the cache bind-mounted at their own paths, so every path means the same on both sides.
set -euo pipefail
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${OIW_CACHE:-$HOME/.cache/ocaml-interop-web}"
[ -f "$CACHE/toolchain.env" ] || { echo "tc.sh: no toolchain yet: run 'npm run toolchain'" >&2; exit 2; }
# shellcheck disable=SC1091
. "$CACHE/toolchain.env"
group="$1"; shift
case "$group" in
  ocaml) mode="$OIW_OCAML_MODE" ;;
  rust)  mode="$OIW_RUST_MODE" ;;
  node)  mode=host; set -- "$OIW_NODE" "$@" ;;
  *) echo "tc.sh: unknown group '$group' (ocaml, rust, node)" >&2; exit 2 ;;
esac

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/cargo-target}"
if [ "$mode" = host ]; then PATH="$(dirname "$OIW_NODE"):$PATH" exec "$@"; fi

SR="$OIW_SYSROOT"
bind() {  # bind-mount a host directory at the same path inside the sysroot, once
  local d="$1"
  mkdir -p "$SR$d"
  if mountpoint -q "$SR$d"; then
    # still the same directory? (a clone deleted and made again at the same path is not:
    # the old mount would show the deleted tree)
    [ "$(stat -c %d:%i "$d")" = "$(stat -c %d:%i "$SR$d" 2>/dev/null)" ] && return 0
    umount -l "$SR$d"
    mkdir -p "$SR$d"
  fi
  mount --bind "$d" "$SR$d"
}
(
  flock 9
  bind "$ROOT_DIR"; bind "$CACHE"
  mountpoint -q "$SR/proc" || mount -t proc proc "$SR/proc"
  if [ ! -e "$SR/dev/null" ]; then mount --bind /dev "$SR/dev"; fi
  # the host's network settings and CA bundle (it may hold a proxy's CA)
  for f in /etc/resolv.conf /etc/ssl/certs/ca-certificates.crt; do
    if [ -f "$f" ] && ! cmp -s "$f" "$SR$f"; then mkdir -p "$(dirname "$SR$f")"; cp "$f" "$SR$f"; fi
  done
) 9>"$CACHE/.mount.lock"

mkdir -p "$CACHE/home" "$CACHE/cargo-home"
node_dir="$(dirname "$OIW_NODE")"
exec chroot "$SR" /usr/bin/env -i \
  HOME="$CACHE/home" \
  PATH="$CACHE/bin:$CACHE/wasm-bindgen/bin:/usr/local/bin:/usr/bin:/bin${node_dir:+:$node_dir}" \
  TERM="${TERM:-dumb}" LANG=C.UTF-8 CI="${CI:-}" \
  CARGO_HOME="$CACHE/cargo-home" CARGO_TARGET_DIR="$CARGO_TARGET_DIR" \
  CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-auto}" CARGO_TERM_PROGRESS_WHEN="${CARGO_TERM_PROGRESS_WHEN:-auto}" \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-22/bin/wasm-ld \
  CARGO_TARGET_WASM32_WASIP1_LINKER=/usr/lib/llvm-22/bin/wasm-ld \
  CARGO_TARGET_WASM32_WASIP1_RUNNER="$ROOT_DIR/tools/toolchain/wasi-runner.sh" \
  OIW_CACHE="$CACHE" SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt CARGO_HTTP_CAINFO=/etc/ssl/certs/ca-certificates.crt \
  ${http_proxy:+http_proxy="$http_proxy"} ${https_proxy:+https_proxy="$https_proxy"} \
  /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$PWD" "$@"
