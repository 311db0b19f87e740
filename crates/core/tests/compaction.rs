//! Log compaction (§7) and the InstallSnapshot RPC (Figure 13).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

mod common;

use common::{Cmd, Net, decode, encode, msg, state};
use raft_core::{
    Body, CompactError, Config, Entry, MessageKind, Node, Persistent, Snapshot, StepError,
};

/// S2 of a three-server cluster, restarted from `st`.
fn follower(st: Persistent<Cmd>) -> Node<Cmd> {
    Node::restart(2, [1, 3], Config::default(), st, 7, 0).unwrap()
}

fn install(term: u64, index: u64, last_term: u64, data: Vec<u8>) -> raft_core::Message<Cmd> {
    msg(
        1,
        2,
        term,
        Body::InstallSnapshot {
            last_included_index: index,
            last_included_term: last_term,
            data,
            round: 0,
            #[cfg(feature = "membership")]
            config: None,
        },
    )
}

/// The reply a follower sent last: (success, match index).
fn last_reply(node: &mut Node<Cmd>) -> (bool, u64) {
    match node.drain_messages().next_back().map(|m| m.body) {
        Some(Body::AppendEntriesReply {
            success,
            match_index,
            ..
        }) => (success, match_index),
        other => panic!("expected an AppendEntriesReply, got {other:?}"),
    }
}

/// Three servers agree on `n` commands (1..=n), all applied.
fn cluster_with(n: u64) -> Net {
    let mut net = Net::new(3);
    net.elect(1);
    for c in 1..=n {
        net.propose(1, c);
    }
    net.deliver_all();
    net.heartbeat(1);
    net.deliver_all();
    net
}

#[test]
fn s7_a_server_replaces_its_applied_prefix_with_a_snapshot() {
    let mut net = cluster_with(5);
    assert_eq!(net.node(2).last_applied(), 5);
    let upto = net.compact(2);
    assert_eq!(upto, 5);
    let n = net.node(2);
    let snap = n.snapshot().unwrap();
    assert_eq!((snap.last_index, snap.last_term), (5, 1));
    assert_eq!(decode(&snap.data).len(), 5, "the state machine's state");
    assert_eq!(n.log().snapshot_index(), 5);
    assert!(n.log().is_empty(), "no entry is held after the snapshot");
    assert_eq!(
        (n.log().last_index(), n.log().last_term()),
        (5, 1),
        "the snapshot's last entry still counts for elections (§5.4.1)"
    );
    assert_eq!(n.log().get(3), None);
    // The persistent state holds the snapshot and the (empty) rest of the log.
    let p = n.persistent();
    assert_eq!(p.snapshot.as_ref().map(|s| s.last_index), Some(5));
    assert!(p.log.is_empty());
}

#[test]
fn s7_only_applied_entries_can_be_compacted_and_only_once() {
    let mut net = cluster_with(3);
    net.propose(1, 4); // appended, not yet committed
    let leader = net.node_mut(1);
    assert_eq!(leader.last_applied(), 3);
    assert_eq!(leader.compact(4, vec![]), Err(CompactError::NotApplied));
    leader.compact(2, encode(&[(1, 1), (2, 2)])).unwrap();
    assert_eq!(
        leader.compact(2, vec![]),
        Err(CompactError::AlreadyCompacted)
    );
    assert_eq!(
        leader.compact(1, vec![]),
        Err(CompactError::AlreadyCompacted)
    );
    assert_eq!(leader.log().first_index(), 3);
    assert_eq!(leader.log().len(), 2, "entries 3 and 4 stay");
}

#[test]
fn fig13_a_follower_far_behind_is_brought_up_to_date_with_the_leaders_snapshot() {
    let mut net = cluster_with(2);
    net.crash(3);
    for c in 3..=8 {
        net.propose(1, c);
    }
    net.deliver_all();
    net.heartbeat(1);
    net.deliver_all();
    assert_eq!(net.node(1).last_applied(), 8);
    net.compact(1);
    assert_eq!(net.node(1).log().first_index(), 9);
    net.restart(3);
    net.heartbeat(1);
    net.collect();
    let kinds: Vec<MessageKind> = net
        .queue
        .iter()
        .filter(|m| m.to == 3)
        .map(|m| m.kind())
        .collect();
    assert_eq!(
        kinds,
        [MessageKind::InstallSnapshot],
        "S3 needs entries the leader dropped"
    );
    net.deliver_all();
    let s3 = net.node(3);
    assert_eq!(s3.log().snapshot_index(), 8);
    assert_eq!(s3.commit_index(), 8);
    assert_eq!(s3.last_applied(), 8);
    assert_eq!(
        net.applied[&3], net.applied[&1],
        "the state machine restored from it"
    );
    // Replication goes on with AppendEntries after the snapshot.
    net.propose(1, 9);
    net.deliver_all();
    net.heartbeat(1);
    net.deliver_all();
    assert_eq!(net.node(3).log().get(9).map(|e| e.command), Some(9));
    assert_eq!(net.applied[&3], net.applied[&1]);
    assert_eq!(net.applied[&3].len(), 9);
}

#[test]
fn fig13_a_snapshot_keeps_the_entries_after_a_matching_last_included_entry() {
    let mut node = follower(state(1, None, &[1, 1, 1, 1]));
    node.step(0, install(1, 2, 1, encode(&[(1, 1), (2, 2)])))
        .unwrap();
    assert_eq!(last_reply(&mut node), (true, 2));
    assert_eq!(node.log().snapshot_index(), 2);
    assert_eq!(
        node.log().last_index(),
        4,
        "entries 3 and 4 are retained (step 6)"
    );
    assert_eq!(node.commit_index(), 2);
    // Nothing is applied before the snapshot is restored.
    let mut applied = Vec::new();
    node.apply_committed(|i, c| applied.push((i, *c)));
    assert!(applied.is_empty());
    let mut restored = None;
    node.restore_snapshot(|s| restored = Some(decode(&s.data)));
    assert_eq!(restored, Some(vec![(1, 1), (2, 2)]));
    assert_eq!(node.last_applied(), 2);
    node.restore_snapshot(|_| panic!("handed over once"));
}

#[test]
fn fig13_a_conflicting_log_is_discarded_entirely() {
    // S2 holds uncommitted entries of term 2 that the leader of term 3 never had.
    let mut node = follower(state(2, None, &[1, 2, 2]));
    node.step(0, install(3, 2, 3, vec![])).unwrap();
    assert_eq!(last_reply(&mut node), (true, 2));
    assert!(node.log().is_empty(), "step 7: discard the entire log");
    assert_eq!((node.log().last_index(), node.log().last_term()), (2, 3));
    assert_eq!(node.term(), 3);
    assert_eq!(node.leader(), Some(1));
}

#[test]
fn fig13_a_stale_term_or_an_already_committed_snapshot_changes_nothing() {
    let mut node = follower(state(4, None, &[1, 1]));
    let before = node.persistent();
    node.step(0, install(3, 5, 3, vec![])).unwrap();
    assert_eq!(
        last_reply(&mut node),
        (false, 0),
        "step 1: reply at once if term < currentTerm"
    );
    assert_eq!(node.persistent(), before);

    // A follower that already committed past the snapshot keeps its log.
    let mut net = cluster_with(4);
    let s2 = net.node_mut(2);
    assert_eq!(s2.commit_index(), 4);
    let term = s2.term();
    s2.step(0, install(term, 3, 1, vec![])).unwrap();
    assert_eq!(last_reply(s2), (true, 3));
    assert_eq!(s2.log().snapshot_index(), 0);
    assert_eq!(s2.log().len(), 4);
}

#[test]
fn s7_an_append_entries_reaching_back_before_the_snapshot_is_checked_after_it() {
    let mut node = follower(Persistent {
        current_term: 1,
        voted_for: None,
        log: vec![],
        snapshot: Some(Snapshot::new(4, 1, vec![])),
    });
    let entries = (3..=6).map(|c| Entry::new(1, c)).collect();
    let ae = Body::AppendEntries {
        prev_log_index: 2,
        prev_log_term: 1,
        entries,
        leader_commit: 0,
        round: 0,
    };
    node.step(0, msg(1, 2, 1, ae)).unwrap();
    assert_eq!(last_reply(&mut node), (true, 6));
    assert_eq!(node.log().first_index(), 5);
    assert_eq!(node.log().get(5).map(|e| e.command), Some(5));
    assert_eq!(node.log().last_index(), 6);
}

#[test]
fn s7_a_restarted_server_starts_from_its_snapshot() {
    let mut net = cluster_with(4);
    net.compact(2);
    let applied = net.applied[&2].clone();
    net.crash(2);
    net.applied.insert(2, Vec::new()); // the state machine is volatile
    net.restart(2);
    assert_eq!(
        net.node(2).commit_index(),
        4,
        "a snapshot holds committed entries only"
    );
    net.collect();
    assert_eq!(net.applied[&2], applied, "restored from the snapshot");
    net.propose(1, 5);
    net.deliver_all();
    net.heartbeat(1);
    net.deliver_all();
    assert_eq!(net.applied[&2], net.applied[&1]);
}

#[test]
fn a_malformed_install_snapshot_is_refused() {
    let mut node = follower(state(1, None, &[1]));
    for (term, index, last_term) in [(0, 1, 0), (1, 0, 0), (1, 1, 0), (1, 2, 2)] {
        let r = node.step(0, install(term, index, last_term, vec![]));
        assert!(
            matches!(r, Err(StepError::Malformed(_))),
            "{term} {index} {last_term}: {r:?}"
        );
    }
    assert_eq!(node.log().snapshot_index(), 0);
    assert!(
        node.drain_messages().next().is_none(),
        "no answer to a refused message"
    );
}

#[test]
fn a_snapshot_that_is_not_consistent_cannot_be_restored() {
    // The log after a snapshot must not go back in term.
    let st = Persistent {
        current_term: 3,
        voted_for: None,
        log: vec![Entry::new(1, 9)],
        snapshot: Some(Snapshot::new(2, 2, vec![])),
    };
    assert!(Node::<Cmd>::restart(2, [1, 3], Config::default(), st, 7, 0).is_err());
}

mod random {
    //! Compaction at random moments in a cluster under random delivery, loss,
    //! timeouts, crashes and restarts: every state machine goes through the same
    //! sequence of states (State Machine Safety, with snapshots restored in place of
    //! entries), and there is at most one leader per term.
    use super::common::{Cmd, Net};
    use proptest::prelude::*;
    use raft_core::{Index, NodeId, Role};
    use std::collections::BTreeMap;

    #[derive(Clone, Debug)]
    enum Step {
        Deliver(prop::sample::Index),
        Drop,
        Timeout(NodeId),
        Heartbeat(NodeId),
        Propose(NodeId, Cmd),
        Crash(NodeId),
        Restart(NodeId),
        Compact(NodeId),
        Settle,
    }

    fn step() -> impl Strategy<Value = Step> {
        let id = 1u32..=3;
        prop_oneof![
            8 => any::<prop::sample::Index>().prop_map(Step::Deliver),
            1 => Just(Step::Drop),
            1 => id.clone().prop_map(Step::Timeout),
            2 => id.clone().prop_map(Step::Heartbeat),
            3 => (id.clone(), 0u64..100).prop_map(|(n, c)| Step::Propose(n, c)),
            1 => id.clone().prop_map(Step::Crash),
            1 => id.clone().prop_map(Step::Restart),
            2 => id.prop_map(Step::Compact),
            1 => Just(Step::Settle),
        ]
    }

    fn run(steps: Vec<Step>) -> Result<(), TestCaseError> {
        let mut net = Net::new(3);
        let mut leaders: BTreeMap<u64, NodeId> = BTreeMap::new();
        for s in steps {
            let live = |net: &Net, id: NodeId| net.is_live(id);
            match s {
                Step::Deliver(i) => net.deliver_chosen(|n| i.index(n)),
                Step::Drop => {
                    net.drop_next();
                }
                Step::Timeout(id) if live(&net, id) => net.fire_timeout(id),
                Step::Heartbeat(id) if live(&net, id) && net.node(id).role() == Role::Leader => {
                    net.heartbeat(id)
                }
                Step::Propose(id, c) if live(&net, id) => {
                    let now = net.now;
                    let _ = net.node_mut(id).propose(now, c);
                }
                Step::Crash(id) if live(&net, id) => net.crash(id),
                Step::Restart(id) if !live(&net, id) => {
                    net.applied.insert(id, Vec::new()); // the state machine is volatile
                    net.restart(id);
                }
                Step::Compact(id)
                    if live(&net, id)
                        && net.node(id).last_applied() > net.node(id).log().snapshot_index() =>
                {
                    net.compact(id);
                }
                Step::Settle => net.deliver_all(),
                _ => {}
            }
            net.collect();
            net.state_machines_agree().map_err(TestCaseError::fail)?;
            net.one_leader_per_term(&mut leaders)
                .map_err(TestCaseError::fail)?;
            for (&id, node) in &net.nodes {
                prop_assert_eq!(
                    net.applied[&id].len() as Index,
                    node.last_applied(),
                    "S{} applied what it says",
                    id
                );
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
        #[test]
        fn compaction_keeps_every_state_machine_on_one_sequence(
            steps in prop::collection::vec(step(), 1..200)
        ) {
            run(steps)?;
        }
    }
}
