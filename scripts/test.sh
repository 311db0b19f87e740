#!/usr/bin/env bash
# Sets up and runs every check: formatting, lints, the no_std build, unit, scenario and
# property tests. CI (.ci/run) runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

step() { printf '\n==> %s\n' "$*"; }

./scripts/setup.sh --browser
export PATH="$ROOT/web/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

step "Formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "Lints (clippy, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

step "raft-core builds without std (wasm32v1-none) and for the browser"
cargo build -p raft-core --target wasm32v1-none
cargo build -p raft-core --features serde --target wasm32v1-none
cargo build -p raft-core --target wasm32-unknown-unknown

step "Unit, scenario and property tests"
cargo test --workspace

printf '\nAll checks passed.\n'
