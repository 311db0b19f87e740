//! Behaviour pinned by hashes recorded in the repository: refactoring must not change
//! what any run does. `recorded/hashes.txt` holds, for a fixed set of runs (fault
//! campaigns on 3, 5 and 7 servers, plain runs, the end of every tour scene), the
//! trace hash each gave when its line was written. Each run is recorded with today's
//! defaults and with every Raft option off ("figure2": the servers of the paper's
//! Figure 2, as they were before any option existed; those lines never change).
//!
//! `RAFT_SIM_RECORD=1 cargo test -p raft-sim --test recorded` adds the lines of runs
//! not yet recorded and leaves every recorded line as it is; a change meant to alter
//! runs with the defaults deletes their lines first and says why in its commit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use raft_sim::raft_core::Config;
use raft_sim::tour::Tour;
use raft_sim::{SimConfig, Simulation, hex};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/recorded/hashes.txt");

/// Raft as Figure 2 has it: every option off.
fn figure2() -> Config {
    Config {
        flow_control: false,
        ..Config::default()
    }
}

/// Every pinned run, by name, with its hash now: with the defaults, and with every
/// option off (names ending in "figure2").
fn runs() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (raft, suffix) in [(Config::default(), ""), (figure2(), " figure2")] {
        for nodes in [3, 5, 7] {
            for seed in 1..=8 {
                let base = SimConfig {
                    raft: raft.clone(),
                    ..SimConfig::with_nodes(nodes)
                };
                let o = raft_sim::campaign::run_with(seed, &base, 4_000).expect("valid config");
                let hash = o.trace.hash.clone().expect("a hash");
                out.push((format!("campaign nodes={nodes} seed={seed}{suffix}"), hash));
            }
        }
        // The run the wasm build must hash identically (tests/determinism.rs).
        let base = SimConfig {
            raft: raft.clone(),
            ..SimConfig::with_nodes(5)
        };
        let o = raft_sim::campaign::run_with(42, &base, 3_000).expect("valid config");
        out.push((
            format!("campaign nodes=5 seed=42 events=3000{suffix}"),
            o.trace.hash.clone().expect("a hash"),
        ));
        for seed in [1, 42] {
            let config = SimConfig {
                raft: raft.clone(),
                ..SimConfig::default()
            };
            let mut sim = Simulation::new(config, seed).expect("valid config");
            while sim.stats().events < 3_000 && sim.step().is_some() {}
            out.push((
                format!("plain seed={seed} events=3000{suffix}"),
                hex(sim.trace_hash()),
            ));
        }
        let tour = Tour::slides().expect("tour.json parses");
        for (k, scene) in tour.scenes.iter().enumerate() {
            let (sim, _) = tour.play_through_with(k, &raft).expect("every scene plays");
            out.push((format!("tour {}{suffix}", scene.id), hex(sim.trace_hash())));
        }
    }
    out
}

#[test]
fn runs_hash_as_recorded() {
    let now: Vec<(String, String)> = runs();
    let recorded = std::fs::read_to_string(FILE).unwrap_or_default();
    let known = |name: &str| {
        recorded
            .lines()
            .any(|l| l.split_once(' ').is_some_and(|(_, n)| n == name))
    };
    if std::env::var_os("RAFT_SIM_RECORD").is_some() {
        let mut text = recorded.clone();
        for (name, hash) in now.iter().filter(|(n, _)| !known(n)) {
            text.push_str(&format!("{hash} {name}\n"));
        }
        std::fs::write(FILE, text).expect("write the recorded hashes");
        return;
    }
    let mut differ = Vec::new();
    for line in recorded.lines() {
        let (hash, name) = line.split_once(' ').expect("`hash name` lines");
        match now.iter().find(|(n, _)| n == name) {
            Some((_, h)) if h == hash => {}
            Some((_, h)) => differ.push(format!("{name}: recorded {hash}, now {h}")),
            None => differ.push(format!("{name}: no longer run")),
        }
    }
    let missing: Vec<&str> = now
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| !known(n))
        .collect();
    assert!(missing.is_empty(), "runs not recorded yet: {missing:?}");
    assert!(differ.is_empty(), "runs changed:\n{}", differ.join("\n"));
}
