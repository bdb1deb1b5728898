#!/usr/bin/env bash
# Build the playground into www/dist/ (a static site: serve it with any static file server). Installs www's npm
# dependencies first with npm ci (pinned by www/package-lock.json), unless node_modules already matches the lock.
# Needs pkg/kubeplan_bg.wasm (scripts/build-wasm.sh).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/www"
log() { printf 'build-www: %s\n' "$*" >&2; }

[ -f ../pkg/kubeplan_bg.wasm ] || { log "pkg/kubeplan_bg.wasm missing: run scripts/build-wasm.sh"; exit 1; }

# npm writes node_modules/.package-lock.json on install; when it is newer than package-lock.json and the
# local kubeplan link is in place, the dependencies are current.
if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ] && [ -e node_modules/kubeplan/package.json ]; then
    log "npm dependencies: present"
else
    log "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
fi

log "node build.mjs"
node build.mjs --quiet
