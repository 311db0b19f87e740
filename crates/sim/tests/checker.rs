//! The safety checker catches broken clusters (fed hand-made, impossible states), and
//! random fault schedules on the real cluster never trip it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use proptest::prelude::*;
use raft_sim::checker::Checker;
use raft_sim::raft_core::{Body, Config, Entry, Message, Node, Persistent};
use raft_sim::{Command, Property, campaign};

#[allow(clippy::needless_update)] // the snapshot field exists with `compaction` only
fn node(id: u32, term: u64, log: &[(u64, Command)]) -> Node<Command> {
    let peers = (1..=3).filter(|&p| p != id);
    let state = Persistent {
        current_term: term,
        voted_for: None,
        log: log
            .iter()
            .map(|&(term, command)| Entry::new(term, command))
            .collect(),
        ..Default::default()
    };
    // Figure 2's replication (every send carries the entries from nextIndex), so that
    // the hand-driven exchanges below carry what they say.
    let config = Config {
        flow_control: false,
        ..Config::default()
    };
    Node::restart(id, peers, config, state, id as u64, 0).unwrap()
}

/// Makes `n` leader of its next term with a (forged) vote from `voter`.
fn make_leader(n: &mut Node<Command>, voter: u32) {
    n.set_election_deadline(0);
    n.tick(0);
    let term = n.term();
    n.step(
        0,
        Message {
            from: voter,
            to: n.id(),
            term,
            body: Body::RequestVoteReply { vote_granted: true },
        },
    )
    .unwrap();
    let _ = n.drain_messages().count();
}

fn properties(c: &Checker) -> Vec<Property> {
    c.violations().iter().map(|v| v.property).collect()
}

#[test]
fn two_leaders_in_one_term_break_election_safety() {
    let mut c = Checker::new(3);
    let (mut a, mut b) = (node(1, 0, &[]), node(2, 0, &[]));
    make_leader(&mut a, 3);
    make_leader(&mut b, 3);
    c.observe(0, &a);
    c.observe(0, &b);
    assert_eq!(properties(&c), vec![Property::ElectionSafety]);
    let v = &c.violations()[0];
    assert_eq!(v.nodes, vec![1, 2]);
    assert_eq!(v.term, Some(1));
    assert!(v.to_string().contains("Election Safety"));
}

#[test]
fn same_index_and_term_with_different_history_breaks_log_matching() {
    let mut c = Checker::new(3);
    let a = node(1, 2, &[(1, Command::Set(1)), (2, Command::Add(1))]);
    let b = node(2, 2, &[(1, Command::Set(9)), (2, Command::Add(1))]);
    c.observe(0, &a);
    c.observe(0, &b);
    assert!(properties(&c).contains(&Property::LogMatching));
    assert_eq!(c.violations()[0].index, Some(1));
    assert_eq!(c.violations()[0].nodes, vec![1, 2]);
}

#[test]
fn a_leader_that_loses_entries_breaks_leader_append_only() {
    let mut c = Checker::new(3);
    let mut a = node(1, 0, &[]);
    make_leader(&mut a, 2);
    a.propose(0, Command::Set(1)).unwrap();
    a.propose(0, Command::Set(2)).unwrap();
    c.observe(0, &a);
    // The same leader, same term, now with one entry fewer (rebuilt by hand).
    let mut b = node(1, 0, &[]);
    make_leader(&mut b, 2);
    b.propose(0, Command::Set(1)).unwrap();
    c.observe(1, &b);
    assert_eq!(properties(&c), vec![Property::LeaderAppendOnly]);
}

#[test]
fn a_new_leader_without_a_committed_entry_breaks_leader_completeness() {
    let mut c = Checker::new(3);
    // S1 leads term 1 and commits Set 1 with S2.
    let mut s1 = node(1, 0, &[]);
    make_leader(&mut s1, 2);
    s1.propose(0, Command::Set(1)).unwrap();
    let out: Vec<_> = s1.drain_messages().collect();
    let mut s2 = node(2, 0, &[]);
    for m in out.into_iter().filter(|m| m.to == 2) {
        s2.step(0, m).unwrap();
    }
    for m in s2.drain_messages().collect::<Vec<_>>() {
        s1.step(0, m).unwrap();
    }
    assert_eq!(s1.commit_index(), 1);
    c.observe(0, &s2);
    c.observe(0, &s1);
    // S3, with an empty log, becomes leader of term 2 (with a forged vote).
    let mut s3 = node(3, 1, &[]);
    make_leader(&mut s3, 2);
    c.observe(1, &s3);
    assert_eq!(properties(&c), vec![Property::LeaderCompleteness]);
    assert_eq!(c.violations()[0].index, Some(1));
}

#[test]
fn committing_two_different_entries_at_one_index_breaks_state_machine_safety() {
    let mut c = Checker::new(3);
    let mut s1 = node(1, 0, &[]);
    make_leader(&mut s1, 2);
    s1.propose(0, Command::Set(1)).unwrap();
    // Hand S1's entry to S2 and its ack back: committed.
    let mut s2 = node(2, 0, &[]);
    for m in s1
        .drain_messages()
        .filter(|m| m.to == 2)
        .collect::<Vec<_>>()
    {
        s2.step(0, m).unwrap();
    }
    for m in s2.drain_messages().collect::<Vec<_>>() {
        s1.step(0, m).unwrap();
    }
    c.observe(0, &s1);
    // A server whose committed log says otherwise.
    let mut s3 = node(3, 0, &[]);
    make_leader(&mut s3, 2);
    s3.propose(0, Command::Set(7)).unwrap();
    let mut fake = node(2, 0, &[]);
    for m in s3
        .drain_messages()
        .filter(|m| m.to == 2)
        .collect::<Vec<_>>()
    {
        fake.step(0, m).unwrap();
    }
    for m in fake.drain_messages().collect::<Vec<_>>() {
        s3.step(0, m).unwrap();
    }
    c.observe(1, &s3);
    assert!(properties(&c).contains(&Property::StateMachineSafety));
    c.applied(2, 3, 1, Command::Set(7));
    assert_eq!(
        properties(&c)
            .iter()
            .filter(|p| **p == Property::StateMachineSafety)
            .count(),
        2
    );
}

#[test]
fn terms_and_commit_indices_going_back_are_caught() {
    let mut c = Checker::new(3);
    c.observe(0, &node(1, 5, &[]));
    c.observe(1, &node(1, 3, &[]));
    assert_eq!(properties(&c), vec![Property::TermMonotonic]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random fault schedules (crashes, restarts, partitions, cut links, loss,
    /// duplication, reordering, client commands) never break a property, and the
    /// cluster always recovers once the faults stop.
    #[test]
    fn random_fault_schedules_keep_raft_safe_and_live(seed in any::<u64>(), nodes in 1usize..=7) {
        let outcome = campaign::run(seed, nodes, 3_000).unwrap();
        prop_assert!(outcome.violations.is_empty(), "{}", outcome.violations[0]);
        prop_assert!(outcome.liveness.is_ok(), "{:?}", outcome.liveness);
    }
}

#[cfg(feature = "compaction")]
/// A checker that saw S1 commit Set 5, Add 2 (term 1) and Add 1 (term 2): the
/// register's values after them are 5, 7 and 8.
fn committed_three() -> Checker {
    let mut c = Checker::new(3);
    let mut leader = node(1, 1, &[(1, Command::Set(5)), (1, Command::Add(2))]);
    make_leader(&mut leader, 3);
    leader.propose(0, Command::Add(1)).unwrap();
    let term = leader.term();
    leader
        .step(
            0,
            Message {
                from: 2,
                to: 1,
                term,
                body: Body::AppendEntriesReply {
                    success: true,
                    match_index: 3,
                    conflict_term: None,
                    conflict_index: 0,
                    round: 0,
                },
            },
        )
        .unwrap();
    assert_eq!(leader.commit_index(), 3);
    // S2 holds the same entries (its acknowledgement said so).
    let follower = node(
        2,
        2,
        &[
            (1, Command::Set(5)),
            (1, Command::Add(2)),
            (2, Command::Add(1)),
        ],
    );
    c.observe(0, &follower);
    c.observe(0, &leader);
    assert!(c.violations().is_empty(), "{:?}", c.violations());
    c
}

#[cfg(feature = "compaction")]
fn snapshot(last_index: u64, last_term: u64, value: i64) -> raft_sim::raft_core::Snapshot {
    raft_sim::raft_core::Snapshot::new(last_index, last_term, value.to_le_bytes().to_vec())
}

#[cfg(feature = "compaction")]
#[test]
fn a_snapshot_must_hold_the_committed_prefix_it_replaces() {
    let mut c = committed_three();
    c.snapshot(0, 2, &snapshot(2, 1, 7));
    c.snapshot(0, 3, &snapshot(3, 2, 8));
    assert!(c.violations().is_empty(), "{:?}", c.violations());
    // Another value, another last term, or an index not known committed.
    c.snapshot(1, 2, &snapshot(2, 1, 6));
    c.snapshot(2, 2, &snapshot(3, 1, 8));
    c.snapshot(3, 3, &snapshot(4, 2, 8));
    assert_eq!(properties(&c), [Property::StateMachineSafety; 3]);
    let v = &c.violations()[0];
    assert_eq!((v.nodes.as_slice(), v.index), (&[2][..], Some(2)));
    assert!(
        v.detail.contains("value 6") && v.detail.contains("give 7"),
        "{}",
        v.detail
    );
    assert!(c.violations()[1].detail.contains("term 1"));
    assert!(c.violations()[2].detail.contains("not known committed"));
}
