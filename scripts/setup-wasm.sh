#!/usr/bin/env bash
# Install the WebAssembly toolchain kubeplan's npm package is built with. Idempotent: a tool already installed
# at the right version is left alone.
#
#   - the Rust target wasm32-unknown-unknown (rustup);
#   - wasm-bindgen-cli at exactly the version of the `wasm-bindgen` crate in Cargo.lock (cargo install, from
#     crates.io, its wasm-bindgen binary only, built with a lightened profile: scripts/lib/cargo-install.sh);
#   - wasm-opt from the npm package binaryen@132, installed under .tools/ (Debian's binaryen is too old: its
#     modules fail to load).
#
# Only crates.io and npm are used; nothing is downloaded from anywhere else.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

log() { printf 'setup-wasm: %s\n' "$*" >&2; }

# The wasm-bindgen version pinned in Cargo.lock (Cargo.toml pins it with "=X" too).
wbg_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}

# 1. The Rust target.
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "rust target wasm32-unknown-unknown: present"
else
    log "rust target wasm32-unknown-unknown: adding"
    rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli at the crate's version. Not --locked: the CLI's own lock file can name crates that no
# longer build with this toolchain; the schema version check below is what must match.
want="$(wbg_version)"
if [ -z "$want" ]; then
    log "cannot find the wasm-bindgen version in Cargo.lock"; exit 1
fi
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" = "$want" ]; then
    log "wasm-bindgen $want: present"
else
    log "wasm-bindgen ${have:-none} -> $want: cargo install wasm-bindgen-cli --version $want (a few minutes)"
    . scripts/lib/cargo-install.sh
    # Only the wasm-bindgen binary, and without TLS: the crate's default feature (rustls, with ring's C and
    # assembly) serves its test runner's downloads, which kubeplan does not use.
    quick_cargo_install wasm-bindgen-cli --version "$want" --force --no-default-features --bin wasm-bindgen
fi

# 3. wasm-opt from npm's binaryen@132, kept in the repo's .tools/ (gitignored) so no global npm state is needed.
binaryen_major=132
tools="$root/.tools"
wasm_opt="$tools/node_modules/.bin/wasm-opt"
if [ -x "$wasm_opt" ] && "$wasm_opt" --version 2>/dev/null | grep -q "version $binaryen_major"; then
    log "wasm-opt $binaryen_major: present"
else
    log "wasm-opt: npm install binaryen@$binaryen_major into .tools/"
    mkdir -p "$tools"
    [ -f "$tools/package.json" ] || printf '{ "name": "kubeplan-tools", "private": true }\n' >"$tools/package.json"
    npm install --prefix "$tools" --no-audit --no-fund --silent "binaryen@$binaryen_major"
    "$wasm_opt" --version
fi
log "ready"
