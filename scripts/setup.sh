#!/usr/bin/env bash
# Install what kubeplan's build and tests need, skipping what is already there at the right version.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }

if ! need cargo; then
  echo "setup: cargo is missing; install Rust with rustup (https://rustup.rs) and run this again" >&2
  exit 1
fi
if ! need python3; then
  echo "setup: python3 is missing (the conformance checker needs it)" >&2
  exit 1
fi
echo "setup: Rust $(rustc --version | cut -d' ' -f2) ok"
