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

step "raft-sim builds for the browser (no threads, no clock, no files)"
cargo build -p raft-sim --no-default-features --target wasm32-unknown-unknown

step "Unit, scenario and property tests"
cargo test --workspace

step "Simulator campaign: 300 seeds x 10 000 events under random faults"
cargo build --release -p raft-sim
./target/release/raft-sim check --seeds 300 --events 10000
./target/release/raft-sim scenario replication

step "Determinism across targets: the wasm run hashes exactly as recorded by the host"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p raft-sim --no-default-features --target wasm32-unknown-unknown --test determinism

step "Release build of the playground (trunk, wasm-opt)"
trunk build --release

step "Browser tests: the release build under a sub-path, in Debian's chromium"
node --test web/tests/*.test.mjs

printf '\nAll checks passed.\n'
