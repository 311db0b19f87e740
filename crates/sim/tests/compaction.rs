//! Log compaction in the simulator (§7): servers snapshot their register when their
//! log passes the threshold, a follower far behind catches up from the leader's
//! snapshot, the checker holds every property across snapshots, and a run with
//! compaction replays bit for bit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use raft_sim::raft_core::MessageKind;
use raft_sim::{Action, Command, MILLIS, SimConfig, Simulation, Trace, campaign};

fn compacting(threshold: usize) -> SimConfig {
    SimConfig {
        snapshot_threshold: Some(threshold),
        ..SimConfig::with_nodes(5)
    }
}

/// A leader, one follower down while ten commands commit, then back.
fn far_behind(config: SimConfig) -> (Simulation, u32) {
    let mut sim = Simulation::new(config, 4).unwrap();
    sim.advance_to(600 * MILLIS);
    let leader = sim.leader().expect("a leader within 600 ms");
    let behind = leader % 5 + 1;
    sim.apply(Action::Crash { node: behind }).unwrap();
    for k in 1..=10 {
        sim.apply(Action::Submit {
            node: leader,
            command: Command::Add(k),
        })
        .unwrap();
        sim.advance_by(60 * MILLIS);
    }
    sim.apply(Action::Restart { node: behind }).unwrap();
    sim.advance_by(400 * MILLIS);
    (sim, behind)
}

#[test]
fn a_follower_far_behind_catches_up_from_the_leaders_snapshot() {
    let (sim, behind) = far_behind(compacting(4));
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
    assert!(
        sim.stats().compactions >= 5,
        "every server compacted: {:?}",
        sim.stats()
    );
    assert!(
        sim.stats().installs >= 1,
        "S{behind} got a snapshot: {:?}",
        sim.stats()
    );
    let leader = sim.server(sim.leader().unwrap()).unwrap();
    let follower = sim.server(behind).unwrap();
    assert!(follower.node.log().snapshot_index() > 0);
    assert_eq!(follower.register.value, 55, "1 + 2 + … + 10");
    assert_eq!(follower.register, leader.register);
    // Every log is short: at most the threshold plus what was not yet applied.
    for s in sim.servers() {
        assert!(
            s.node.log().len() <= 4 + 1,
            "S{}: {} entries",
            s.node.id(),
            s.node.log().len()
        );
    }
}

#[test]
fn without_a_threshold_nothing_is_compacted_and_the_same_follower_gets_entries() {
    let (sim, behind) = far_behind(SimConfig::with_nodes(5));
    assert_eq!((sim.stats().compactions, sim.stats().installs), (0, 0));
    let follower = sim.server(behind).unwrap();
    assert_eq!(follower.node.log().snapshot_index(), 0);
    assert_eq!(follower.node.log().len(), 10);
    assert_eq!(follower.register.value, 55);
}

#[test]
fn install_snapshot_travels_as_its_own_kind_of_message() {
    let mut config = compacting(4);
    config.nodes = 3;
    let mut sim = Simulation::new(config, 9).unwrap();
    sim.set_history_window(10_000 * MILLIS);
    sim.advance_to(600 * MILLIS);
    let leader = sim.leader().unwrap();
    let behind = leader % 3 + 1;
    sim.apply(Action::Crash { node: behind }).unwrap();
    for k in 1..=8 {
        sim.apply(Action::Submit {
            node: leader,
            command: Command::Set(k),
        })
        .unwrap();
        sim.advance_by(60 * MILLIS);
    }
    sim.apply(Action::Restart { node: behind }).unwrap();
    sim.advance_by(300 * MILLIS);
    let installs: Vec<_> = sim
        .history()
        .filter(|t| t.kind == MessageKind::InstallSnapshot)
        .collect();
    assert!(!installs.is_empty());
    assert!(installs.iter().all(|t| t.from == leader && t.to == behind));
    assert_eq!(sim.server(behind).unwrap().register.value, 8);
}

#[test]
fn campaigns_with_compaction_under_every_fault_stay_safe_and_live() {
    let (mut taken, mut installed) = (0, 0);
    for seed in 1..=40 {
        let o = campaign::run_with(seed, &compacting(3), 4_000).unwrap();
        assert!(o.ok(), "seed {seed}: {:?} {:?}", o.violations, o.liveness);
        taken += o.snapshots.0;
        installed += o.snapshots.1;
    }
    assert!(
        taken > 100 && installed > 10,
        "{taken} taken, {installed} installed"
    );
}

#[test]
fn a_run_with_compaction_replays_bit_for_bit_from_its_trace() {
    let (sim, _) = far_behind(compacting(4));
    let json = Trace::of(&sim).to_json();
    assert!(
        json.contains("\"snapshot_threshold\": 4"),
        "the trace keeps the threshold"
    );
    let replayed = Trace::from_json(&json).unwrap().replay(None).unwrap();
    assert_eq!(replayed.trace_hash(), sim.trace_hash());
    for (a, b) in sim.servers().iter().zip(replayed.servers()) {
        assert_eq!(a.node.persistent(), b.node.persistent());
        assert_eq!(a.register, b.register);
    }
}

#[test]
fn a_threshold_of_zero_is_refused_with_a_clear_message() {
    let err = Simulation::new(compacting(0), 1).unwrap_err();
    assert!(err.to_string().contains("snapshot_threshold"), "{err}");
}

#[test]
fn the_snapshot_threshold_changes_while_the_cluster_runs_and_replays() {
    let mut sim = Simulation::new(SimConfig::with_nodes(3), 8).unwrap();
    sim.advance_to(600 * MILLIS);
    let leader = sim.leader().unwrap();
    let submit = |sim: &mut Simulation, k| {
        sim.apply(Action::Submit {
            node: leader,
            command: Command::Add(k),
        })
        .unwrap();
        sim.advance_by(80 * MILLIS);
    };
    for k in 1..=6 {
        submit(&mut sim, k);
    }
    assert_eq!(sim.stats().compactions, 0, "no threshold yet");
    sim.apply(Action::SetSnapshotThreshold { threshold: Some(2) })
        .unwrap();
    for k in 7..=12 {
        submit(&mut sim, k);
    }
    assert!(sim.stats().compactions >= 3, "{:?}", sim.stats());
    assert!(sim.servers().iter().all(|s| s.node.log().len() <= 3));
    let err = sim
        .apply(Action::SetSnapshotThreshold { threshold: Some(0) })
        .unwrap_err();
    assert!(err.to_string().contains("at least 1"), "{err}");
    sim.apply(Action::SetSnapshotThreshold { threshold: None })
        .unwrap();
    let before = sim.stats().compactions;
    for k in 13..=18 {
        submit(&mut sim, k);
    }
    assert_eq!(sim.stats().compactions, before, "compaction off again");
    let replayed = Trace::of(&sim).replay(None).unwrap();
    assert_eq!(replayed.trace_hash(), sim.trace_hash());
}
