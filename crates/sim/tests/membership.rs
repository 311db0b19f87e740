//! Membership changes in the simulator (§6): servers added and removed while the
//! cluster runs, the checker across configurations, campaigns under every fault, and
//! the 2015 single-server bug caught by the checker.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use raft_sim::raft_core::{Config, Deviation, MembershipMode};
use raft_sim::{Action, Command, MILLIS, Property, SimConfig, Simulation, Trace, campaign};

fn cluster(nodes: usize, mode: MembershipMode, deviations: Vec<Deviation>) -> Simulation {
    let config = SimConfig {
        raft: Config {
            membership: mode,
            deviations,
            ..Config::default()
        },
        ..SimConfig::with_nodes(nodes)
    };
    Simulation::new(config, 3).unwrap()
}

/// S1 leads: its timer fires first, and it is given time to win.
fn s1_leads(sim: &mut Simulation) {
    sim.apply(Action::Timeout { node: 1 }).unwrap();
    sim.advance_by(100 * MILLIS);
    assert_eq!(sim.leader(), Some(1));
}

#[test]
fn servers_join_as_learners_then_vote_and_a_removed_leader_steps_down() {
    let mut sim = cluster(3, MembershipMode::Joint, vec![]);
    s1_leads(&mut sim);
    sim.apply(Action::Submit {
        node: 1,
        command: Command::Set(4),
    })
    .unwrap();
    for _ in 0..2 {
        sim.apply(Action::AddServer { node: 1 }).unwrap();
        sim.advance_by(600 * MILLIS);
    }
    assert_eq!(sim.servers().len(), 5);
    for s in sim.servers() {
        assert_eq!(
            s.node.configuration().voters,
            [1, 2, 3, 4, 5],
            "S{}",
            s.node.id()
        );
        assert_eq!(
            s.register.value,
            4,
            "S{} applied what was committed before",
            s.node.id()
        );
    }
    sim.apply(Action::RemoveServer { node: 1, server: 1 })
        .unwrap();
    sim.advance_by(1_000 * MILLIS);
    let leader = sim.leader().expect("a new leader among S2..S5");
    assert_ne!(leader, 1, "S1 stepped down once C_new committed");
    assert_eq!(
        sim.server(leader).unwrap().node.configuration().voters,
        [2, 3, 4, 5]
    );
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
    assert_eq!(sim.stats().changes, (2, 1));
}

#[test]
fn impossible_changes_are_refused_with_a_reason() {
    let mut sim = cluster(3, MembershipMode::Joint, vec![]);
    s1_leads(&mut sim);
    let err = sim.apply(Action::AddServer { node: 2 }).unwrap_err();
    assert!(err.to_string().contains("only the leader"), "{err}");
    let err = sim
        .apply(Action::RemoveServer { node: 1, server: 7 })
        .unwrap_err();
    assert!(err.to_string().contains("no server S7"), "{err}");
    sim.apply(Action::RemoveServer { node: 1, server: 3 })
        .unwrap();
    let err = sim
        .apply(Action::RemoveServer { node: 1, server: 2 })
        .unwrap_err();
    assert!(err.to_string().contains("under way"), "{err}");
    assert_eq!(sim.servers().len(), 3, "a refused AddServer adds nobody");
}

#[test]
fn a_run_with_membership_changes_replays_from_its_trace() {
    let o = campaign::run_changing(5, &SimConfig::with_nodes(5), 4_000).unwrap();
    assert!(
        o.changes.0 + o.changes.1 > 0,
        "the run changed the membership"
    );
    let json = o.trace.to_json();
    let replayed = Trace::from_json(&json).unwrap().replay(None).unwrap();
    assert_eq!(replayed.servers().len(), 5 + o.changes.0 as usize);
    assert_eq!(Trace::of(&replayed).to_json(), json);
}

#[test]
fn campaigns_with_membership_changes_and_compaction_stay_safe_and_live() {
    let (mut added, mut removed) = (0, 0);
    for mode in [MembershipMode::Joint, MembershipMode::SingleServer] {
        for seed in 1..=30 {
            let mut config = SimConfig {
                snapshot_threshold: Some(4),
                ..SimConfig::with_nodes(5)
            };
            config.raft.membership = mode;
            let o = campaign::run_changing(seed, &config, 4_000).unwrap();
            assert!(
                o.ok(),
                "{mode:?} seed {seed}: {:?} {:?}",
                o.violations,
                o.liveness
            );
            added += o.changes.0;
            removed += o.changes.1;
        }
    }
    assert!(
        added > 20 && removed > 20,
        "{added} added, {removed} removed"
    );
}

/// Ongaro's 2015 single-server bug, acted out: in a cluster of four, S1 (term 1)
/// removes S4 while cut off; S2, elected in term 2, removes S1 before committing
/// anything of its term and commits that with S4; S1 is then elected with S3's vote
/// (a majority of {1, 2, 3}) and S2 with S4's (a majority of {2, 3, 4}), in the same
/// term.
fn the_2015_run(deviations: Vec<Deviation>) -> (Simulation, bool) {
    let mut sim = cluster(4, MembershipMode::SingleServer, deviations);
    s1_leads(&mut sim);
    sim.apply(Action::Submit {
        node: 1,
        command: Command::Set(1),
    })
    .unwrap();
    sim.advance_by(200 * MILLIS);
    sim.apply(Action::Partition {
        islands: vec![vec![1]],
    })
    .unwrap();
    sim.apply(Action::RemoveServer { node: 1, server: 4 })
        .unwrap();
    sim.apply(Action::Timeout { node: 2 }).unwrap();
    sim.advance_by(100 * MILLIS);
    assert_eq!(sim.leader(), Some(2));
    for (from, to) in [(2, 3), (3, 2)] {
        sim.apply(Action::CutLink {
            from,
            to,
            one_way: true,
        })
        .unwrap();
    }
    let changed = sim
        .apply(Action::RemoveServer { node: 2, server: 1 })
        .is_ok();
    sim.advance_by(200 * MILLIS);
    sim.apply(Action::Partition {
        islands: vec![vec![1, 3], vec![2, 4]],
    })
    .unwrap();
    // S1 hears of term 2 from S3 and steps down; its timer fires, and it is elected
    // with S3's vote, a majority of {1, 2, 3} (in term 3 or a little later, as S3
    // may have stood itself).
    sim.advance_by(60 * MILLIS);
    sim.apply(Action::Timeout { node: 1 }).unwrap();
    sim.advance_by(100 * MILLIS);
    // On the other side S2 restarts, and stands until its term is just below S1's;
    // once S4 no longer hears from a leader, S2 stands once more and S4, a majority
    // of {2, 3, 4} with it, elects it: two leaders in the same term.
    let term = sim.server(1).map_or(0, |s| s.node.term());
    sim.apply(Action::Crash { node: 2 }).unwrap();
    sim.apply(Action::Restart { node: 2 }).unwrap();
    while sim.server(2).map_or(0, |s| s.node.term()) + 1 < term {
        sim.apply(Action::Timeout { node: 2 }).unwrap();
        sim.advance_by(MILLIS);
    }
    sim.advance_by(160 * MILLIS);
    let _ = sim.apply(Action::Timeout { node: 2 });
    sim.advance_by(60 * MILLIS);
    (sim, changed)
}

#[test]
fn the_checker_catches_the_2015_single_server_bug_and_not_with_the_correction() {
    let (sim, changed) = the_2015_run(vec![Deviation::ChangeBeforeCommitInTerm]);
    assert!(changed);
    let broken: Vec<Property> = sim.violations().iter().map(|v| v.property).collect();
    assert!(
        broken.contains(&Property::LeaderCompleteness),
        "{:?}",
        sim.violations()
    );
    // The violation names the configuration entry the new leader lacks, not a no-op.
    let lacks = sim
        .violations()
        .iter()
        .find(|v| v.property == Property::LeaderCompleteness)
        .map(|v| v.detail.clone())
        .unwrap_or_default();
    assert!(lacks.starts_with("new leader lacks C{"), "{lacks}");
    assert!(
        broken.contains(&Property::ElectionSafety),
        "two leaders in one term: {:?}",
        sim.violations()
    );
    let (sim, changed) = the_2015_run(vec![]);
    assert!(!changed, "refused: S2 has not committed an entry of term 2");
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
}
