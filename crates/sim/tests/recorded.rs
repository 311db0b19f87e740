//! Behaviour pinned by hashes recorded in the repository: refactoring must not change
//! what any run does. `recorded/hashes.txt` holds, for a fixed set of runs (fault
//! campaigns on 3, 5 and 7 servers, the plain run behind `raft-sim hash`, the end of
//! every tour scene), the trace hash each gave when the file was written.
//!
//! A change that is meant to alter runs (a new default) rewrites the file with
//! `RAFT_SIM_RECORD=1 cargo test -p raft-sim --test recorded` and says why in its
//! commit message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use raft_sim::tour::Tour;
use raft_sim::{SimConfig, Simulation, hex};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/recorded/hashes.txt");

/// Every pinned run, by name, with its hash now.
fn runs() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for nodes in [3, 5, 7] {
        for seed in 1..=8 {
            let o = raft_sim::campaign::run(seed, nodes, 4_000).expect("valid config");
            let hash = o.trace.hash.clone().expect("a hash");
            out.push((format!("campaign nodes={nodes} seed={seed}"), hash));
        }
    }
    // The run the wasm build must hash identically (tests/determinism.rs).
    let o = raft_sim::campaign::run(42, 5, 3_000).expect("valid config");
    out.push((
        "campaign nodes=5 seed=42 events=3000".into(),
        o.trace.hash.clone().expect("a hash"),
    ));
    for seed in [1, 42] {
        let mut sim = Simulation::new(SimConfig::default(), seed).expect("valid config");
        while sim.stats().events < 3_000 && sim.step().is_some() {}
        out.push((
            format!("plain seed={seed} events=3000"),
            hex(sim.trace_hash()),
        ));
    }
    let tour = Tour::slides().expect("tour.json parses");
    for (k, scene) in tour.scenes.iter().enumerate() {
        let (sim, _) = tour.play_through(k).expect("every scene plays");
        out.push((format!("tour {}", scene.id), hex(sim.trace_hash())));
    }
    out
}

#[test]
fn runs_hash_as_recorded() {
    let now: Vec<(String, String)> = runs();
    let text: String = now.iter().map(|(n, h)| format!("{h} {n}\n")).collect();
    if std::env::var_os("RAFT_SIM_RECORD").is_some() {
        std::fs::write(FILE, &text).expect("write the recorded hashes");
        return;
    }
    let recorded = std::fs::read_to_string(FILE).expect("tests/recorded/hashes.txt");
    let mut differ = Vec::new();
    for line in recorded.lines() {
        let (hash, name) = line.split_once(' ').expect("`hash name` lines");
        match now.iter().find(|(n, _)| n == name) {
            Some((_, h)) if h == hash => {}
            Some((_, h)) => differ.push(format!("{name}: recorded {hash}, now {h}")),
            None => differ.push(format!("{name}: no longer run")),
        }
    }
    assert_eq!(
        recorded.lines().count(),
        now.len(),
        "a run was added: record again"
    );
    assert!(differ.is_empty(), "runs changed:\n{}", differ.join("\n"));
}
