#!/usr/bin/env bash
# tc.sh GROUP COMMAND [ARGS...]
# Runs COMMAND with the toolchain that toolchain/provision.sh chose for GROUP (ocaml | rust |
# node): on the host, or inside the Debian sid sysroot. In the sysroot, every host path a build
# can name means the same thing as on the host: the host's top-level directories that are not
# the system's own (/home, /root, /tmp, /work, /opt, /srv, /mnt, ...) are bind-mounted at the
# same paths, and so are the cache, the working directory and CARGO_TARGET_DIR wherever they
# are. So a project anywhere, a path dependency outside it, or a CARGO_TARGET_DIR of the
# user's own all work as on a plain host.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${OIW_CACHE:-$HOME/.cache/ocaml-interop-web}"
[ -f "$CACHE/toolchain.env" ] || { echo "tc.sh: no toolchain yet: run 'npx ocaml-interop-web toolchain'" >&2; exit 2; }
# shellcheck disable=SC1091
. "$CACHE/toolchain.env"
group="${1:-}"; shift || true
case "$group" in
  ocaml) mode="$OIW_OCAML_MODE" ;;
  rust)  mode="$OIW_RUST_MODE" ;;
  node)  mode=host; set -- "$OIW_NODE" "$@" ;;
  *) echo "tc.sh: unknown group '$group' (ocaml, rust, node)" >&2; exit 2 ;;
esac

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/cargo-target}"
if [ "$mode" = host ]; then PATH="$(dirname "$OIW_NODE"):$PATH" exec "$@"; fi

SR="$OIW_SYSROOT"
SYSTEM_DIRS=" bin boot dev etc lib lib32 lib64 libx32 lost+found proc run sbin sys usr var "
bind() {  # bind-mount host directory $1 at the same path inside the sysroot (once)
  local d="$1"
  [ -d "$d" ] || return 0
  mkdir -p "$SR$d"
  if mountpoint -q "$SR$d"; then
    # still the same directory? (one deleted and made again at the same path is not: the
    # old mount would show the deleted tree)
    [ "$(stat -c %d:%i "$d")" = "$(stat -c %d:%i "$SR$d" 2>/dev/null)" ] && return 0
    umount -l "$SR$d"
    mkdir -p "$SR$d"
  fi
  mount --bind "$d" "$SR$d"
}
covered() {  # is host path $1 under a top-level directory that bind_all mounts?
  local top; top="$(printf '%s' "$1" | cut -d/ -f2)"
  [ -n "$top" ] && [ "${SYSTEM_DIRS#* $top }" = "$SYSTEM_DIRS" ]
}
(
  flock 9
  for d in /*/; do
    d="${d%/}"; name="${d#/}"
    [ -L "$d" ] && continue
    [ "${SYSTEM_DIRS#* $name }" != "$SYSTEM_DIRS" ] && continue
    bind "$d"
  done
  for p in "$CACHE" "$PWD" "$CARGO_TARGET_DIR" ${OIW_EXTRA_BINDS:-}; do
    mkdir -p "$p" 2>/dev/null || true
    covered "$p" || bind "$p"
  done
  mountpoint -q "$SR/proc" || mount -t proc proc "$SR/proc"
  if [ ! -e "$SR/dev/null" ]; then mount --bind /dev "$SR/dev"; fi
  # the host's network settings and CA bundle (it may hold a proxy's CA)
  for f in /etc/resolv.conf /etc/ssl/certs/ca-certificates.crt; do
    if [ -f "$f" ] && ! cmp -s "$f" "$SR$f"; then mkdir -p "$(dirname "$SR$f")"; cp "$f" "$SR$f"; fi
  done
) 9>"$CACHE/.mount.lock"

mkdir -p "$CACHE/home" "$CACHE/cargo-home"
node_dir="$(dirname "$OIW_NODE")"
# what a build passes through: variables the caller sets for cargo, rustc and dune
pass=()
for v in OCAMLPATH RUSTC_BOOTSTRAP RUSTFLAGS CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_JOBS CARGO_NET_OFFLINE \
         CARGO_INCREMENTAL DUNE_CACHE DUNE_BUILD_DIR ${OIW_PASS_ENV:-}; do
  [ -n "${!v+x}" ] && pass+=("$v=${!v}")
done
exec chroot "$SR" /usr/bin/env -i \
  HOME="$CACHE/home" \
  PATH="$CACHE/bin:$CACHE/wasm-bindgen/bin:/usr/local/bin:/usr/bin:/bin${node_dir:+:$node_dir}" \
  TERM="${TERM:-dumb}" LANG=C.UTF-8 CI="${CI:-}" \
  CARGO_HOME="$CACHE/cargo-home" CARGO_TARGET_DIR="$CARGO_TARGET_DIR" \
  CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-auto}" CARGO_TERM_PROGRESS_WHEN="${CARGO_TERM_PROGRESS_WHEN:-auto}" \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-22/bin/wasm-ld \
  CARGO_TARGET_WASM32_WASIP1_LINKER=/usr/lib/llvm-22/bin/wasm-ld \
  CARGO_TARGET_WASM32_WASIP1_RUNNER="$HERE/wasi-runner.sh" \
  OIW_CACHE="$CACHE" SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt CARGO_HTTP_CAINFO=/etc/ssl/certs/ca-certificates.crt \
  ${http_proxy:+http_proxy="$http_proxy"} ${https_proxy:+https_proxy="$https_proxy"} \
  "${pass[@]}" \
  /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$PWD" "$@"
