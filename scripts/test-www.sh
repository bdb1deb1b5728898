#!/usr/bin/env bash
# The playground's tests (www/): installs www's npm dependencies (npm ci from www/package-lock.json, skipped when
# node_modules is already up to date), builds www/dist, type-checks www/src (tsc --noEmit -p www: a type error
# fails the run), then runs node --test on www/test/: unit tests (the kubectl get nodes text, share links; they
# import the .ts sources through test/ts-loader.mjs) and the end-to-end tests in headless Chromium.
#
# Needs pkg/kubeplan_bg.wasm (scripts/build-wasm.sh) and Debian's chromium at /usr/bin/chromium (CHROMIUM
# overrides the path); playwright-core drives it and downloads no browser. When chromium is missing it is
# installed with apt-get where that is possible (root), else the run fails saying so.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log() { printf 'test-www: %s\n' "$*" >&2; }

[ -f pkg/kubeplan_bg.wasm ] || { log "pkg/kubeplan_bg.wasm missing: run scripts/setup-wasm.sh and scripts/build-wasm.sh"; exit 1; }

. scripts/lib/chromium.sh
ensure_chromium

bash scripts/build-www.sh

log "tsc --noEmit -p www"
www/node_modules/.bin/tsc --noEmit -p www

log "node --test www/test/"
cd www
node --import ./test/ts-loader.mjs --test --test-concurrency=1 test/
