#!/usr/bin/env bash
# Sets up and runs every check. CI (.ci/run) runs exactly this, with no argument.
#
#   ./scripts/test.sh                  every stage, in order (set-up first)
#   ./scripts/test.sh unit browser     only these stages (set-up only if a tool is missing)
#
# Stages: fmt lint nostd unit campaign wasm build browser
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/web/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

STAGES=(fmt lint nostd unit campaign wasm build browser)
step() { printf '\n==> %s\n' "$*"; }

have_tools() {
  command -v trunk >/dev/null && command -v wasm-bindgen-test-runner >/dev/null \
    && [ -x web/node_modules/.bin/wasm-opt ] && [ -d web/node_modules/playwright-core ] \
    && [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
    && rustup target list --installed | grep -q wasm32v1-none
}

stage_fmt() {
  step "Formatting (cargo fmt --check)"
  cargo fmt --all -- --check
}

stage_lint() {
  step "Lints (clippy, warnings are errors)"
  cargo clippy --workspace --all-targets -- -D warnings
  # raft-core's features the rest of the workspace does not turn on (membership).
  cargo clippy -p raft-core --all-targets --all-features -- -D warnings
  # The page with everything (exercises, membership changes), built into dist-full.
  cargo clippy -p raft-playground --all-targets --features full -- -D warnings
}

stage_nostd() {
  step "raft-core builds without std (wasm32v1-none) and for the browser; raft-sim for the browser"
  cargo build -p raft-core --target wasm32v1-none
  cargo build -p raft-core --features serde --target wasm32v1-none
  cargo build -p raft-core --all-features --target wasm32v1-none
  cargo build -p raft-core --target wasm32-unknown-unknown
  cargo build -p raft-sim --no-default-features --target wasm32-unknown-unknown
}

stage_unit() {
  step "Unit, scenario and property tests (runs pinned by recorded hashes among them)"
  cargo test --workspace
  # raft-core with every feature, membership changes included (paper tests, proptests).
  cargo test -p raft-core --all-features
  # The page with everything: every question asked where the tour says, with the
  # answer raft-sim works out headless; puzzles judged as the CLI judges them;
  # membership changes and their refusals in words; log compaction. (The tour's own
  # engine tests describe the page for everyone, whose scenes no question holds: they
  # run above.)
  cargo test -p raft-playground --features full -- quiz puzzle membership compaction refusal
}

stage_campaign() {
  step "Simulator campaigns: 300 seeds x 10 000 events under random faults with the defaults, then 50 seeds for each of the 48 combinations of Raft options, with reads and transfers"
  cargo build --release -p raft-sim
  ./target/release/raft-sim check --options default --seeds 300 --events 10000
  ./target/release/raft-sim check --options all --seeds 50 --events 10000
  step "Log compaction (§7): 1 000 seeds x 10 000 events with every server snapshotting past 5 entries, then every combination of options past 3"
  ./target/release/raft-sim check --options default --seeds 1000 --events 10000 --snapshot-threshold 5
  ./target/release/raft-sim check --options all --seeds 50 --events 10000 --snapshot-threshold 3
  step "Membership changes (§6) under every fault, with compaction: 1 000 seeds x 10 000 events by joint consensus and one server at a time, then every combination of options"
  ./target/release/raft-sim check --options default --seeds 1000 --events 10000 --membership joint --snapshot-threshold 5
  ./target/release/raft-sim check --options default --seeds 1000 --events 10000 --membership single --snapshot-threshold 5
  ./target/release/raft-sim check --options all --seeds 30 --events 10000 --membership joint --snapshot-threshold 3
  ./target/release/raft-sim check --options all --seeds 30 --events 10000 --membership single --snapshot-threshold 3
  ./target/release/raft-sim scenario replication
  step "Exhaustive search (raft-sim explore): no violation of the paper's Raft in the CI bounds; each deviation's shortest counterexample found again, as shipped"
  ./target/release/raft-sim explore
  ./target/release/raft-sim explore --options figure2
  ./target/release/raft-sim explore --options noop
  mkdir -p target/explore
  for bug in $(./target/release/raft-sim explore --bug list | awk 'NR > 1 { print $1 }'); do
    ./target/release/raft-sim explore --bug "$bug" --out "target/explore/$bug.json" >/dev/null
    cmp "target/explore/$bug.json" "crates/sim/counterexamples/$bug.json"
  done
}

stage_wasm() {
  step "In the browser (wasm): the run hashes as recorded by the host; the page's browser-only helpers"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test -p raft-sim --no-default-features --target wasm32-unknown-unknown --test determinism
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test -p raft-playground --target wasm32-unknown-unknown
}

stage_build() {
  step "Release build of the playground (trunk, wasm-opt), then the page with everything (dist-full)"
  trunk build --release
  trunk build --release --features full --dist dist-full
}

stage_browser() {
  [ -f dist/raft-playground_bg.wasm ] && [ -f dist-full/raft-playground_bg.wasm ] || stage_build
  step "Browser tests: the release build under a sub-path, in Debian's chromium"
  node --test web/tests/*.test.mjs
}

if [ $# -eq 0 ]; then
  ./scripts/setup.sh --browser
  set -- "${STAGES[@]}"
else
  for s in "$@"; do
    [[ " ${STAGES[*]} " == *" $s "* ]] || { echo "unknown stage '$s' (stages: ${STAGES[*]})" >&2; exit 2; }
  done
  have_tools || ./scripts/setup.sh --browser
fi
for s in "$@"; do "stage_$s"; done
printf '\nAll checks passed (%s).\n' "$*"
