#!/usr/bin/env bash
# Build the npm package's WebAssembly and its JavaScript glue into pkg/ (gitignored outputs):
#   pkg/kubeplan_bg.wasm   the engine with its binding, bindings/wasm (release profile, wasm-opt -Oz)
#   pkg/kubeplan.js        ES-module glue (wasm-bindgen --target web): browsers, bundlers, Node ESM
#   pkg/kubeplan.d.ts      the glue's TypeScript declarations (wasm-bindgen), which need the DOM lib
#   pkg/types.d.ts         the API's types alone (generated from the Rust types by tsify), which need no DOM lib
#   pkg/kubeplan.cjs       CommonJS glue (wasm-bindgen --target nodejs) for require(), same .wasm
#   pkg/src/api.cjs        the CommonJS form of pkg/src/api.js
#   pkg/index.d.cts        pkg/index.d.ts for require() (the same declarations, read as CommonJS)
#   pkg/LICENSE            the repository's LICENSE, shipped in the package
# Run scripts/setup-wasm.sh first (it installs the exact wasm-bindgen and wasm-opt this needs).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log() { printf 'build-wasm: %s\n' "$*" >&2; }

want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$want" ]; then
    log "wasm-bindgen ${have:-missing}, need $want: run scripts/setup-wasm.sh"; exit 1
fi
wasm_opt="$root/.tools/node_modules/.bin/wasm-opt"
[ -x "$wasm_opt" ] || { log "wasm-opt missing: run scripts/setup-wasm.sh"; exit 1; }

# The release profile, with two WebAssembly-only settings passed through the environment (the native build keeps
# Cargo.toml's): panic = "abort", which is what wasm32-unknown-unknown's prebuilt std does anyway (so no
# landing pads are generated for nothing), and the optimisation level, KUBEPLAN_WASM_OPT_LEVEL (default 3).
# "s" was measured against 3 (benches/README.md, "WebAssembly start-up"): a module 31% smaller (1.9 MB gzipped
# against 2.8 MB) and a one-shot `npx kubeplan plan` 30% faster, but every later plan in the same process
# 1.4–1.7 times slower, and the playground plans again at every edit: 3 stays.
# Its own target directory (target/wasm/): the native build's lock on target/release would otherwise make the
# two builds wait for each other when `make` runs them side by side.
opt_level="${KUBEPLAN_WASM_OPT_LEVEL:-3}"
target_dir="target/wasm"
log "cargo build -p kubeplan-wasm --target wasm32-unknown-unknown (opt-level $opt_level, panic abort)"
CARGO_PROFILE_RELEASE_PANIC=abort CARGO_PROFILE_RELEASE_OPT_LEVEL="$opt_level" \
    cargo build --release -p kubeplan-wasm --target wasm32-unknown-unknown --target-dir "$target_dir"
raw="$target_dir/wasm32-unknown-unknown/release/kubeplan_wasm.wasm"

# The steps below take minutes (wasm-opt above all) and depend only on that module and this script: skip them
# when neither changed since the package was last built.
stamp="$target_dir/pkg.stamp"
fingerprint="$(cat "$raw" scripts/build-wasm.sh pkg/src/api.js pkg/index.d.ts LICENSE | sha256sum | cut -d' ' -f1)"
if [ -f pkg/kubeplan_bg.wasm ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fingerprint" ]; then
    log "pkg/ is up to date with $raw"
    exit 0
fi

out="target/wasm-bindgen"
rm -rf "$out" && mkdir -p "$out/web" "$out/node"
# --experimental-reset-state-function: pkg/src/api.js replaces a trapped instance with a fresh one.
wasm-bindgen "$raw" --out-dir "$out/web" --out-name kubeplan --target web --experimental-reset-state-function
wasm-bindgen "$raw" --out-dir "$out/node" --out-name kubeplan --target nodejs --experimental-reset-state-function
if ! cmp -s "$out/web/kubeplan_bg.wasm" "$out/node/kubeplan_bg.wasm"; then
    log "the web and nodejs glue expect different .wasm files"; exit 1
fi

# --one-caller-inline-max-function-size: by default wasm-opt inlines every function that has one caller, whatever
# its size, which merged the object decoders and encoders into functions of up to 270 KB. V8 compiles a module
# with its baseline compiler and recompiles the hot functions with its optimising one on the way; for those
# giants that took 1.5 s (one function), and a `npx kubeplan plan` of a 10-node case 2.2 s where 0.5 s is enough
# (benches/README.md, "WebAssembly start-up"). The package's size changes by a few KB either way.
log "wasm-opt -Oz"
"$wasm_opt" -Oz --one-caller-inline-max-function-size=1000 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    --enable-reference-types --enable-multivalue \
    "$out/web/kubeplan_bg.wasm" -o pkg/kubeplan_bg.wasm
cp "$out/web/kubeplan.js" pkg/kubeplan.js
cp "$out/web/kubeplan.d.ts" pkg/kubeplan.d.ts
cp "$out/web/kubeplan_bg.wasm.d.ts" pkg/kubeplan_bg.wasm.d.ts
cp "$out/node/kubeplan.js" pkg/kubeplan.cjs
# The types the package's declarations (index.d.ts) re-export: everything before the glue's functions, whose
# init signatures name DOM types (RequestInfo, BufferSource, WebAssembly.*) a Node-only project does not have.
awk '/^export function /{ exit } { print }' "$out/web/kubeplan.d.ts" >pkg/types.d.ts
cp LICENSE pkg/LICENSE
# The CommonJS twin of the ES-module wrapper (one source, pkg/src/api.js).
sed -e 's/^export function makeApi/function makeApi/' pkg/src/api.js >pkg/src/api.cjs
printf '\nmodule.exports = { makeApi };\n' >>pkg/src/api.cjs
cp pkg/index.d.ts pkg/index.d.cts

echo "$fingerprint" >"$stamp"
raw_size=$(stat -c %s pkg/kubeplan_bg.wasm)
gz_size=$(gzip -9 -c pkg/kubeplan_bg.wasm | wc -c)
log "pkg/kubeplan_bg.wasm: $raw_size bytes, $gz_size gzipped"
