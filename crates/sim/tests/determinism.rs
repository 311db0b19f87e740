//! The same (config, seed, actions) gives the same trace on every target: the run
//! hashes exactly as recorded in `tests/recorded/hashes.txt` (written by the host),
//! natively and compiled for wasm32 and run in the browser by wasm-bindgen-test-runner
//! (see scripts/test.sh).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

const RECORDED: &str = include_str!("recorded/hashes.txt");
const RUN: &str = "campaign nodes=5 seed=42 events=3000";

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn same_trace_hash_on_every_target() {
    let outcome = raft_sim::campaign::run(42, 5, 3_000).expect("valid config");
    assert!(outcome.ok(), "the fixture run must be safe and live");
    let here = outcome.trace.hash.expect("a trace of a run has a hash");
    let recorded = RECORDED
        .lines()
        .find_map(|l| l.strip_suffix(RUN)?.strip_suffix(' '))
        .expect("the run is recorded");
    assert_eq!(
        here, recorded,
        "this target's run differs from the recorded one"
    );
}
