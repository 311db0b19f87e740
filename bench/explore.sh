#!/usr/bin/env bash
# The exhaustive search at a larger bound than CI's: a crash and a duplicated message
# as well (about 43 million states, 14 GB and 7 minutes on a 2-core machine).
#
#   ./bench/explore.sh [more raft-sim explore options]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p raft-sim
/usr/bin/time -f "%e s wall, %M KB peak memory" \
  ./target/release/raft-sim explore --max-term 2 --max-log 1 --commands 1 --restarts 1 --duplicates 1 "$@"
