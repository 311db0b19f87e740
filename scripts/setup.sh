#!/usr/bin/env bash
# Installs everything needed to build, serve and test the playground. Idempotent:
# tools already at the right version are skipped. With --browser it also installs
# Debian's chromium and chromium-driver for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

step "Rust targets (wasm32v1-none proves raft-core is no_std)"
rustup target add wasm32-unknown-unknown wasm32v1-none

step "Crates, fetched once so that trunk can build offline"
cargo fetch --quiet

TRUNK_VERSION=0.22.1
if ! trunk --version 2>/dev/null | grep -qF "$TRUNK_VERSION"; then
  step "trunk $TRUNK_VERSION from crates.io (about 9 minutes the first time)"
  # Every trunk since 0.22.0-beta.2 declares a newer rust-version than it needs.
  cargo install trunk --version "$TRUNK_VERSION" --locked --ignore-rust-version
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen of Cargo.lock.
WB_VERSION=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -n "$WB_VERSION" ] && ! wasm-bindgen --version 2>/dev/null | grep -qF "$WB_VERSION"; then
  step "wasm-bindgen-cli $WB_VERSION from crates.io (about 2 minutes)"
  # Not --locked: its lock file names a crate version the registry no longer has.
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

step "npm tools: wasm-opt (binaryen) and playwright-core"
npm ci --prefix web --no-audit --no-fund --loglevel=error

if [ "${1:-}" = "--browser" ]; then
  if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
    step "Debian's chromium and chromium-driver"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver
  fi
fi
