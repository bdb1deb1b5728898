#!/usr/bin/env bash
# The npm package's tests, against the package as built by scripts/build-wasm.sh:
#   - pkg/test/*.test.mjs with node --test: the API (plan, lint, located errors, panics), the CommonJS and
#     browser entries, the CLI against the native binary, the TypeScript declarations (tsc --noEmit on a consumer)
#     and every conformance case (cases/ and the new categories' new/) through the npm CLI and the native CLI,
#     byte for byte;
#   - the package as users get it: npm pack, installed into an empty directory with no network, `npx kubeplan`,
#     require() of every entry on Node 18/20's terms, and each bundler's recipe from pkg/README.md (esbuild, Vite,
#     webpack, Rollup) bundling a consumer that runs in headless Chromium (pkg/test/bundlers/run.mjs), and every
#     snippet of pkg/README.md run as written (pkg/test/readme.mjs).
# Installs TypeScript and the bundlers at pinned versions into .tools/ (once), and Debian's chromium if missing.
# Needs target/release/kubeplan (cargo build --release) for the comparisons; KUBEPLAN_NATIVE overrides it, and
# KUBEPLAN_CASES the conformance cases folder (default: shared/ beside the repository).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log() { printf 'test-js: %s\n' "$*" >&2; }

[ -f pkg/kubeplan_bg.wasm ] || { log "pkg/kubeplan_bg.wasm missing: run scripts/build-wasm.sh"; exit 1; }

# npm packages the tests use, installed once into DIR at the versions given (name@version; a bare major for
# TypeScript and Node's types), skipping those already there at that version.
install_tools() {
    local dir="$1"; shift
    local missing=() spec name want have
    for spec in "$@"; do
        name="${spec%@*}" want="${spec##*@}"
        have="$(node -p "require('./$dir/node_modules/$name/package.json').version" 2>/dev/null || true)"
        case "$have" in "$want" | "$want".*) ;; *) missing+=("$spec") ;; esac
    done
    [ ${#missing[@]} -eq 0 ] && return
    log "npm install ${missing[*]} into $dir/"
    mkdir -p "$dir"
    [ -f "$dir/package.json" ] || printf '{ "name": "kubeplan-tools", "private": true }\n' >"$dir/package.json"
    npm install --prefix "$dir" --no-audit --no-fund --silent "${missing[@]}"
}

# TypeScript and Node's types for the declaration tests, beside wasm-opt in .tools/.
install_tools .tools typescript@5 @types/node@20
# The bundlers of pkg/README.md's recipes, and playwright-core to drive Debian's chromium (as www/ does).
install_tools .tools/bundlers esbuild@0.28.2 vite@8.4.1 webpack@5.113.0 rollup@4.69.3 \
    @rollup/plugin-node-resolve@16.0.3 @web/rollup-plugin-import-meta-assets@2.3.3 playwright-core@1.65.1

log "node --test pkg/test/*.test.mjs"
(cd pkg && node --test --test-concurrency=1 test/*.test.mjs)

log "npm pack, install in an empty directory offline, npx kubeplan"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tarball="$(cd pkg && npm pack --silent --pack-destination "$work" | tail -n 1)"
mkdir "$work/app"
(
    cd "$work/app"
    printf '{ "name": "app", "private": true, "type": "module" }\n' >package.json
    npm install --offline --no-audit --no-fund --silent "$work/$tarball"
    printf 'apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {capacity: {cpu: "2", memory: 4Gi, pods: "110"}}\n' >nodes.yaml
    npx --offline kubeplan version
    npx --offline kubeplan plan nodes.yaml --output json >plan.json
    node -e 'const p = require("./plan.json"); if (p.defaultedObjects.length !== 1) process.exit(1)'
    node --input-type=module -e 'import { plan } from "kubeplan"; const r = plan("kind: Node\napiVersion: v1\nmetadata: {name: a}\n"); if (!r.ok) process.exit(1);'
    node -e 'const { plan } = require("kubeplan"); if (!plan("kind: Node\napiVersion: v1\nmetadata: {name: a}\n").ok) process.exit(1);'
    # Node 18 and 20 cannot require() an ES module (later Nodes can, unless told not to, as here).
    no_require_esm=()
    node --no-experimental-require-module -e 0 2>/dev/null && no_require_esm=(--no-experimental-require-module)
    node "${no_require_esm[@]}" -e 'const { createNodeIo } = require("kubeplan/node-io"); const { runCli } = require("kubeplan");
        if (runCli(["plan", "nodes.yaml", "-o", "json"], createNodeIo()).exitCode !== 0) process.exit(1);'
    tar -xOzf "$work/$tarball" package/LICENSE | cmp - "$root/LICENSE"
)
log "packed package: $tarball installs and runs offline"

log "pkg/README.md followed verbatim in that directory"
node pkg/test/readme.mjs "$work/app"

log "bundlers: each recipe of pkg/README.md, run in headless Chromium"
. scripts/lib/chromium.sh
ensure_chromium
node pkg/test/bundlers/run.mjs "$work/app"
