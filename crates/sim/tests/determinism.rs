//! The same (config, seed, actions) gives the same trace on every target. On the host
//! this checks that two runs agree; compiled for wasm32 and run by
//! wasm-bindgen-test-runner (see scripts/test.sh), it checks that the browser's run
//! hashes exactly as the host's did. The host's hash comes from
//! `raft-sim hash --seed 42 --events 3000` through the RAFT_SIM_HOST_HASH variable.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

fn run_hash() -> String {
    let outcome = raft_sim::campaign::run(42, 5, 3_000).expect("valid config");
    assert!(outcome.ok(), "the fixture run must be safe and live");
    outcome.trace.hash.expect("a trace of a run has a hash")
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn same_trace_hash_on_every_target() {
    let here = run_hash();
    match option_env!("RAFT_SIM_HOST_HASH") {
        Some(host) => assert_eq!(here, host, "this target's run differs from the host's"),
        None if cfg!(target_arch = "wasm32") => {
            panic!("set RAFT_SIM_HOST_HASH to the host's hash (scripts/test.sh does)")
        }
        None => assert_eq!(here, run_hash(), "two runs on this host differ"),
    }
}
