//! The facts the page draws: the status, who cannot reach a majority, and the
//! evidence for each Figure 3 property.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use raft_sim::checker::Property;
use raft_sim::{Action, Command, Evidence, MILLIS, SimConfig, Simulation};

fn elected(nodes: usize, seed: u64) -> Simulation {
    let mut sim = Simulation::new(SimConfig::with_nodes(nodes), seed).unwrap();
    assert!(sim.run_until(3_000 * MILLIS, MILLIS, |s| s.leader().is_some()));
    sim
}

#[test]
fn the_status_names_the_leader_what_it_committed_and_the_majority() {
    let mut sim = elected(5, 1);
    let leader = sim.leader().unwrap();
    let status = sim.status();
    assert_eq!(
        status.leaders,
        [(leader, sim.server(leader).unwrap().node.term())]
    );
    assert_eq!(status.majority, 3);
    assert!(status.minorities.is_empty() && status.stopped.is_empty());
    assert_eq!(status.committed, None);
    sim.apply(Action::Submit {
        node: leader,
        command: Command::Set(1),
    })
    .unwrap();
    sim.advance_by(200 * MILLIS);
    assert_eq!(sim.status().committed, Some((1, Command::Set(1))));
}

#[test]
fn islands_and_cut_links_leave_servers_unable_to_reach_a_majority() {
    let mut sim = elected(5, 2);
    sim.apply(Action::Partition {
        islands: vec![vec![1, 2]],
    })
    .unwrap();
    assert_eq!(sim.minorities(), [vec![1, 2]]);
    sim.apply(Action::Heal).unwrap();
    assert!(sim.minorities().is_empty());
    // S1 cut from S2 and S3 (both ways) reaches only S4, S5 and itself: a majority.
    for to in [2, 3] {
        sim.apply(Action::CutLink {
            from: 1,
            to,
            one_way: false,
        })
        .unwrap();
    }
    assert!(sim.minorities().is_empty());
    sim.apply(Action::CutLink {
        from: 4,
        to: 1,
        one_way: true,
    })
    .unwrap();
    assert_eq!(sim.minorities(), [vec![1]], "a one-way cut is enough");
    // Stopped servers cannot be reached either.
    sim.apply(Action::Heal).unwrap();
    for id in [3, 4, 5] {
        sim.apply(Action::Crash { node: id }).unwrap();
    }
    assert_eq!(sim.minorities(), [vec![1, 2]]);
    assert_eq!(sim.status().stopped, [3, 4, 5]);
}

#[test]
fn two_leaders_are_listed_highest_term_first() {
    let mut sim = elected(5, 3);
    let old = sim.leader().unwrap();
    let buddy = old % 5 + 1;
    sim.apply(Action::Partition {
        islands: vec![vec![old, buddy]],
    })
    .unwrap();
    assert!(sim.run_until(3_000 * MILLIS, MILLIS, |s| s.leaders().len() == 2));
    let status = sim.status();
    assert_eq!(status.leaders.len(), 2);
    assert!(status.leaders[0].1 > status.leaders[1].1);
    assert_eq!(status.leaders[1].0, old);
}

#[test]
fn evidence_for_each_property_reads_the_cluster() {
    let mut sim = elected(3, 4);
    let leader = sim.leader().unwrap();
    let term = sim.server(leader).unwrap().node.term();
    assert!(
        sim.evidence(Property::ElectionSafety)
            .contains(&Evidence::LeaderOfTerm { term, leader })
    );
    assert_eq!(
        sim.evidence(Property::LeaderCompleteness),
        [Evidence::NothingCommitted]
    );
    sim.apply(Action::Submit {
        node: leader,
        command: Command::Add(2),
    })
    .unwrap();
    sim.advance_by(300 * MILLIS);
    let matching = sim.evidence(Property::LogMatching);
    assert_eq!(matching.len(), 3, "one line per pair of servers");
    assert!(
        matching
            .iter()
            .all(|e| matches!(e, Evidence::Match { upto: Some((1, t)), .. } if *t == term))
    );
    assert!(
        sim.evidence(Property::LeaderCompleteness)
            .contains(&Evidence::Completeness {
                index: 1,
                command: Command::Add(2),
                term,
                leader
            })
    );
    let applied = sim.evidence(Property::StateMachineSafety);
    assert!(applied.iter().all(|e| matches!(
        e,
        Evidence::Applied {
            applied: 1,
            value: 2,
            ..
        }
    )));
    assert_eq!(
        sim.evidence(Property::LeaderAppendOnly),
        [Evidence::AppendOnly {
            leader,
            term,
            entries: 1
        }]
    );
}
