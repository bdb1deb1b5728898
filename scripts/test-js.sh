#!/usr/bin/env bash
# The npm package's tests, against the package as built by scripts/build-wasm.sh:
#   - pkg/test/*.test.mjs with node --test: the API (plan, lint, located errors, panics), the CommonJS and
#     browser entries, the CLI against the native binary, the TypeScript declarations (tsc --noEmit on a consumer)
#     and every conformance case through the npm CLI and the native CLI, byte for byte;
#   - the package as users get it: npm pack, installed into an empty directory with no network, `npx kubeplan`.
# Needs target/release/kubeplan (cargo build --release) for the comparisons; KUBEPLAN_NATIVE overrides it, and
# KUBEPLAN_CASES the conformance cases folder (default: shared/ beside the repository).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log() { printf 'test-js: %s\n' "$*" >&2; }

[ -f pkg/kubeplan_bg.wasm ] || { log "pkg/kubeplan_bg.wasm missing: run scripts/build-wasm.sh"; exit 1; }

# TypeScript for the declaration test, beside wasm-opt in .tools/ (installed once).
ts_major=5
tsc="$root/.tools/node_modules/typescript/bin/tsc"
if ! [ -f "$tsc" ] || ! node "$tsc" --version | grep -q "Version $ts_major\."; then
    log "npm install typescript@$ts_major into .tools/"
    mkdir -p .tools
    [ -f .tools/package.json ] || printf '{ "name": "kubeplan-tools", "private": true }\n' >.tools/package.json
    npm install --prefix .tools --no-audit --no-fund --silent "typescript@$ts_major"
fi

log "node --test pkg/test/"
(cd pkg && node --test --test-concurrency=1 test/)

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
)
log "packed package: $tarball installs and runs offline"
