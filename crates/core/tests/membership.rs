//! Membership changes (§6 of the paper; dissertation chapter 4): joint consensus, one
//! server at a time with the 2015 correction, learners catching up first, a leader
//! removing itself, and removed servers that cannot disrupt the cluster.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

mod common;

use common::{NO_OP, Net};
use raft_core::{Change, ChangeError, Config, Configuration, MembershipMode, MessageKind, Role};

fn single_server() -> Config {
    Config {
        membership: MembershipMode::SingleServer,
        ..Config::default()
    }
}

/// Every configuration entry in `id`'s log: (index, configuration).
fn config_entries(net: &Net, id: u32) -> Vec<(u64, Configuration)> {
    let log = net.node(id).log();
    (log.first_index()..=log.last_index())
        .filter_map(|i| Some((i, log.get(i)?.config.clone()?)))
        .collect()
}

fn voters(net: &Net, id: u32) -> Vec<u32> {
    net.node(id).configuration().voters.clone()
}

#[test]
fn s6_joint_consensus_adds_two_servers_to_three() {
    let mut net = Net::new(3);
    net.elect(1);
    net.propose(1, 7);
    net.deliver_all();
    for id in [4, 5] {
        net.join(id);
        assert!(
            net.node(id).configuration().voters.is_empty(),
            "S{id} knows no one yet"
        );
        net.change(1, Change::Add(id));
    }
    for id in 1..=5 {
        assert_eq!(voters(&net, id), [1, 2, 3, 4, 5], "S{id}");
        assert!(!net.node(id).configuration().is_joint());
        assert_eq!(
            net.node(id).log(),
            net.node(1).log(),
            "S{id} holds the same log"
        );
    }
    // Each server went learner → C_old,new → C_new, each entry in every log.
    let steps: Vec<(Vec<u32>, Vec<u32>, Vec<u32>)> = config_entries(&net, 5)
        .into_iter()
        .map(|(_, c)| (c.voters, c.outgoing, c.learners))
        .collect();
    assert_eq!(
        steps,
        [
            (vec![1, 2, 3], vec![], vec![4]),
            (vec![1, 2, 3, 4], vec![1, 2, 3], vec![]),
            (vec![1, 2, 3, 4], vec![], vec![]),
            (vec![1, 2, 3, 4], vec![], vec![5]),
            (vec![1, 2, 3, 4, 5], vec![1, 2, 3, 4], vec![]),
            (vec![1, 2, 3, 4, 5], vec![], vec![]),
        ]
    );
    // The new servers apply the commands committed before they joined.
    assert_eq!(net.applied[&5].first().map(|&(_, c)| c), Some(7));
    assert_eq!(net.node(1).commit_index(), net.node(1).log().last_index());
}

#[test]
fn s6_a_configuration_takes_effect_when_appended_not_when_committed() {
    let mut net = Net::new(3);
    net.elect(1);
    net.isolate(2);
    net.isolate(3);
    let now = net.now;
    let index = net
        .node_mut(1)
        .change_membership(now, Change::Remove(3))
        .unwrap();
    let leader = net.node(1);
    assert!(leader.commit_index() < index, "not committed");
    assert!(
        leader.configuration().is_joint(),
        "in force at once on the leader"
    );
    assert_eq!(leader.configuration().outgoing, [1, 2, 3]);
    assert_eq!(leader.configuration().voters, [1, 2]);
}

#[test]
fn s6_while_joint_an_entry_needs_a_majority_of_both_configurations() {
    // C_old = {1, 2, 3}, C_new = {1, 2}: S1 and S3 are a majority of C_old but not
    // of C_new, which needs S2.
    let mut net = Net::new(3);
    net.elect(1);
    net.isolate(2);
    let now = net.now;
    let index = net
        .node_mut(1)
        .change_membership(now, Change::Remove(3))
        .unwrap();
    net.settle_with_heartbeats(1);
    assert!(net.node(3).configuration().is_joint(), "S3 has C_old,new");
    assert!(
        net.node(1).commit_index() < index,
        "C_old,new is on S1 and S3 only: no majority of C_new"
    );
    net.recover();
    net.settle_with_heartbeats(1);
    assert!(net.node(1).commit_index() >= index);
    assert_eq!(voters(&net, 1), [1, 2]);
    assert!(!net.node(1).configuration().is_joint(), "C_new followed");
}

#[test]
fn s6_a_leader_not_in_c_new_steps_down_once_c_new_commits_and_never_stands_again() {
    let mut net = Net::new(3);
    net.elect(1);
    net.propose(1, 7);
    net.change(1, Change::Remove(1));
    let s1 = net.node(1);
    assert_eq!(s1.configuration().voters, [2, 3]);
    assert_eq!(
        s1.role(),
        Role::Follower,
        "stepped down once C_new committed"
    );
    assert!(s1.commit_index() >= net.node(1).configuration_index());
    // Its timer fires: it does not stand (it is not a voter of its configuration).
    net.fire_timeout(1);
    assert_eq!(net.node(1).role(), Role::Follower);
    assert!(
        net.queue.iter().all(|m| m.from != 1),
        "no RequestVote from S1"
    );
    // The remaining servers elect a leader between them, once S3 has not heard from
    // a leader for the smallest election timeout (before, it disregards RequestVote).
    net.now += Config::default().election_timeout_min;
    net.elect(2);
    assert_eq!(net.node(2).votes(), [2, 3]);
    assert!(
        !net.node(2).progress().iter().any(|p| p.peer == 1),
        "S1 is not a peer"
    );
}

#[test]
fn s6_a_removed_server_cannot_disrupt_the_cluster() {
    let mut net = Net::new(3);
    net.elect(1);
    // S3 is cut off while it is removed: it never learns of it.
    net.isolate(3);
    net.change(1, Change::Remove(3));
    assert_eq!(voters(&net, 1), [1, 2]);
    assert_eq!(
        voters(&net, 3),
        [1, 2, 3],
        "S3 still believes it is a member"
    );
    net.recover();
    // S3 times out and asks for votes in a higher term.
    net.fire_timeout(3);
    let term = net.node(1).term();
    assert_eq!(net.node(3).term(), term + 1);
    net.deliver_all();
    // S1 and S2 heard from the leader within the smallest election timeout: they
    // disregard it, and keep their term and leader (§6).
    assert_eq!(net.node(1).role(), Role::Leader);
    assert_eq!((net.node(1).term(), net.node(2).term()), (term, term));
    assert_eq!(net.node(2).leader(), Some(1));
}

#[test]
fn s4_2_1_a_learner_receives_the_log_but_neither_votes_nor_stands() {
    let mut net = Net::new(3);
    net.elect(1);
    net.crash(2);
    net.crash(3);
    net.join(4);
    // With S2 and S3 down the learner cannot be promoted (the learner entry does not
    // commit); it still gets the log.
    let now = net.now;
    net.node_mut(1)
        .change_membership(now, Change::Add(4))
        .unwrap();
    net.settle_with_heartbeats(1);
    let s4 = net.node(4);
    assert_eq!(s4.configuration().learners, [4]);
    assert_eq!(s4.log().last_index(), net.node(1).log().last_index());
    assert_eq!(net.node(1).promoting(), Some(4));
    net.fire_timeout(4);
    assert_eq!(net.node(4).role(), Role::Follower, "a learner never stands");
    assert!(
        net.queue
            .iter()
            .all(|m| m.kind() != MessageKind::RequestVote)
    );
    // A learner's acknowledgement does not count towards a majority.
    net.propose(1, 9);
    net.settle_with_heartbeats(1);
    assert!(net.node(1).commit_index() < net.node(1).log().last_index());
}

#[test]
fn s4_1_one_server_at_a_time_goes_straight_to_c_new() {
    let mut net = Net::with_config(3, single_server());
    net.elect(1);
    net.propose(1, 7);
    net.deliver_all();
    net.heartbeat(1);
    net.deliver_all();
    net.join(4);
    net.change(1, Change::Add(4));
    let steps: Vec<(Vec<u32>, Vec<u32>)> = config_entries(&net, 1)
        .into_iter()
        .map(|(_, c)| (c.voters, c.learners))
        .collect();
    assert_eq!(
        steps,
        [(vec![1, 2, 3], vec![4]), (vec![1, 2, 3, 4], vec![])]
    );
    assert!(config_entries(&net, 1).iter().all(|(_, c)| !c.is_joint()));
    net.change(1, Change::Remove(2));
    assert_eq!(voters(&net, 4), [1, 3, 4]);
}

#[test]
fn s4_1_2015_a_new_leader_changes_the_configuration_only_after_committing_in_its_term() {
    let mut net = Net::with_config(3, single_server());
    net.elect(1);
    net.propose(1, 7);
    net.deliver_all();
    net.elect(2);
    let now = net.now;
    // S2 leads term 2 but has committed nothing of term 2 yet.
    assert_eq!(
        net.node_mut(2).change_membership(now, Change::Remove(3)),
        Err(ChangeError::NotYetCommittedInTerm)
    );
    net.propose(2, 8);
    net.settle_with_heartbeats(2);
    let now = net.now;
    assert!(
        net.node_mut(2)
            .change_membership(now, Change::Remove(3))
            .is_ok()
    );
    // Joint consensus needs no such rule.
    let mut joint = Net::new(3);
    joint.elect(1);
    joint.elect(2);
    let now = joint.now;
    assert!(
        joint
            .node_mut(2)
            .change_membership(now, Change::Remove(3))
            .is_ok()
    );
}

#[test]
fn one_change_at_a_time_and_only_at_the_leader() {
    let mut net = Net::new(3);
    net.elect(1);
    let now = net.now;
    assert_eq!(
        net.node_mut(2).change_membership(now, Change::Remove(3)),
        Err(ChangeError::NotLeader)
    );
    let leader = net.node_mut(1);
    assert_eq!(
        leader.change_membership(now, Change::Add(2)),
        Err(ChangeError::AlreadyMember)
    );
    assert_eq!(
        leader.change_membership(now, Change::Remove(9)),
        Err(ChangeError::NotMember)
    );
    leader.change_membership(now, Change::Remove(3)).unwrap();
    assert_eq!(
        leader.change_membership(now, Change::Remove(2)),
        Err(ChangeError::InProgress)
    );
    let mut alone = Net::new(1);
    alone.elect(1);
    let now = alone.now;
    assert_eq!(
        alone.node_mut(1).change_membership(now, Change::Remove(1)),
        Err(ChangeError::LastVoter)
    );
}

#[test]
fn a_configuration_entry_carries_the_no_op_and_is_applied_as_one() {
    let mut net = Net::new(3);
    net.elect(1);
    net.change(1, Change::Remove(3));
    let applied: Vec<u64> = net.applied[&2].iter().map(|&(_, c)| c).collect();
    assert_eq!(applied, [NO_OP, NO_OP], "C_old,new and C_new");
}

#[test]
fn a_configuration_truncated_away_takes_the_earlier_one_back() {
    // S1 appends C_old,new while cut off, then S2 leads a later term: S1's
    // uncommitted configuration entry is overwritten and C_old is in force again.
    let mut net = Net::new(3);
    net.elect(1);
    net.isolate(1);
    let now = net.now;
    net.node_mut(1)
        .change_membership(now, Change::Remove(3))
        .unwrap();
    net.deliver_all();
    assert!(net.node(1).configuration().is_joint());
    net.now += Config::default().election_timeout_min;
    net.elect(2);
    net.propose(2, 5);
    net.recover();
    net.settle_with_heartbeats(2);
    let s1 = net.node(1);
    assert_eq!(s1.log(), net.node(2).log());
    assert_eq!(s1.configuration_index(), 0);
    assert_eq!(s1.configuration().voters, [1, 2, 3]);
    assert!(!s1.configuration().is_joint());
}

mod random {
    //! Membership changes at random moments in a cluster under random delivery, loss,
    //! timeouts, crashes and restarts, servers joining and leaving: at most one
    //! leader per term, and every state machine goes through the same sequence.
    use super::common::{Cmd, Net};
    use proptest::prelude::*;
    use raft_core::{Change, Config, MembershipMode, Node, NodeId, Role};
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
        Add(NodeId),
        Remove(NodeId),
        Elapse(u64),
        Settle,
        /// Log compaction (with the `compaction` feature; nothing without).
        Compact(NodeId),
    }

    fn step() -> impl Strategy<Value = Step> {
        let id = 1u32..=5;
        prop_oneof![
            8 => any::<prop::sample::Index>().prop_map(Step::Deliver),
            1 => Just(Step::Drop),
            1 => id.clone().prop_map(Step::Timeout),
            2 => id.clone().prop_map(Step::Heartbeat),
            2 => (id.clone(), 0u64..100).prop_map(|(n, c)| Step::Propose(n, c)),
            1 => id.clone().prop_map(Step::Crash),
            1 => id.clone().prop_map(Step::Restart),
            1 => (4u32..=5).prop_map(Step::Add),
            1 => id.prop_map(Step::Remove),
            1 => (0u64..200).prop_map(|ms| Step::Elapse(ms * 1000)),
            1 => Just(Step::Settle),
            2 => (1u32..=5).prop_map(Step::Compact),
        ]
    }

    fn run(mode: MembershipMode, steps: Vec<Step>) -> Result<(), TestCaseError> {
        let config = Config {
            membership: mode,
            ..Config::default()
        };
        let mut net = Net::with_config(3, config.clone());
        let mut leaders: BTreeMap<u64, NodeId> = BTreeMap::new();
        for s in steps {
            let live = |net: &Net, id: NodeId| net.is_live(id);
            let leader = |net: &Net| {
                (1..=5).find(|&id| live(net, id) && net.node(id).role() == Role::Leader)
            };
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
                Step::Restart(id) if net.down.contains(&id) => {
                    let state = net.node(id).persistent();
                    let config = net.config().clone();
                    let node = if id <= 3 {
                        let peers = (1..=3).filter(|&p| p != id);
                        Node::restart(id, peers, config, state, 7, net.now)
                    } else {
                        Node::rejoin(id, config, state, 7, net.now)
                    };
                    net.nodes.insert(id, node.unwrap().with_no_op(super::NO_OP));
                    net.down.remove(&id);
                    net.applied.insert(id, Vec::new()); // the state machine is volatile
                }
                Step::Add(id) if !net.nodes.contains_key(&id) => {
                    if let Some(l) = leader(&net) {
                        net.join(id);
                        let now = net.now;
                        let _ = net.node_mut(l).change_membership(now, Change::Add(id));
                    }
                }
                Step::Remove(id) => {
                    if let Some(l) = leader(&net) {
                        let now = net.now;
                        let _ = net.node_mut(l).change_membership(now, Change::Remove(id));
                    }
                }
                Step::Elapse(dt) => {
                    net.now += dt;
                    let now = net.now;
                    for (id, node) in net.nodes.iter_mut() {
                        if !net.down.contains(id) {
                            node.tick(now);
                        }
                    }
                }
                Step::Settle => net.deliver_all(),
                #[cfg(feature = "compaction")]
                Step::Compact(id)
                    if live(&net, id)
                        && net.node(id).last_applied() > net.node(id).log().snapshot_index() =>
                {
                    net.compact(id);
                }
                _ => {}
            }
            net.collect();
            net.state_machines_agree().map_err(TestCaseError::fail)?;
            net.one_leader_per_term(&mut leaders)
                .map_err(TestCaseError::fail)?;
            for (&id, node) in &net.nodes {
                if node.role() == Role::Leader {
                    // A leader out of its configuration manages the cluster only until
                    // that configuration commits (dissertation §4.2.2).
                    let removing = node.configuration_index() > node.commit_index();
                    prop_assert!(
                        node.configuration().is_voter(id) || removing,
                        "S{} leads a configuration it is not in, committed",
                        id
                    );
                }
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
        #[test]
        fn joint_consensus_keeps_raft_safe(steps in prop::collection::vec(step(), 1..250)) {
            run(MembershipMode::Joint, steps)?;
        }

        #[test]
        fn one_server_at_a_time_keeps_raft_safe(steps in prop::collection::vec(step(), 1..250)) {
            run(MembershipMode::SingleServer, steps)?;
        }
    }
}

/// The run that Ongaro's 2015 correction rules out, as far as its last step: in a
/// cluster of four, S1 (term 1) appends C_new = {1, 2, 3} while cut off; S2, elected
/// in term 2, appends {2, 3, 4} before committing anything of term 2 and commits it
/// with S4; S1 is then elected in term 3 with S3 alone, a majority of its own
/// configuration. Returns the cluster and whether S2's change was accepted.
#[cfg(feature = "deviations")]
fn two_disjoint_changes(deviation: bool) -> (Net, bool) {
    let config = Config {
        deviations: if deviation {
            vec![raft_core::Deviation::ChangeBeforeCommitInTerm]
        } else {
            vec![]
        },
        ..single_server()
    };
    let mut net = Net::with_config(4, config);
    net.elect(1);
    net.propose(1, 7);
    net.settle_with_heartbeats(1);
    net.isolate(1);
    let now = net.now;
    net.node_mut(1)
        .change_membership(now, Change::Remove(4))
        .unwrap();
    net.deliver_all();
    net.now += Config::default().election_timeout_min;
    net.elect(2);
    net.cut(2, 3);
    let now = net.now;
    let accepted = net
        .node_mut(2)
        .change_membership(now, Change::Remove(1))
        .is_ok();
    net.settle_with_heartbeats(2);
    net.recover();
    net.isolate(2);
    net.isolate(4);
    net.now += Config::default().election_timeout_min;
    net.fire_timeout(1); // term 2: S3 already voted for S2 in it
    net.deliver_all();
    net.fire_timeout(1); // term 3
    net.deliver_all();
    (net, accepted)
}

/// The committed entries (by any server) that the leader `id` does not hold.
#[cfg(feature = "deviations")]
fn missing_at_leader(net: &Net, id: u32) -> Vec<u64> {
    let leader = net.node(id).log();
    let mut missing = Vec::new();
    for (&other, n) in &net.nodes {
        for i in 1..=n.commit_index() {
            if other != id && leader.get(i) != n.log().get(i) && !missing.contains(&i) {
                missing.push(i);
            }
        }
    }
    missing
}

/// Without the 2015 correction, the run above loses a committed entry: S2's
/// configuration entry, committed in term 2 at index 2, is not in the log of S1, the
/// leader of term 3 (Leader Completeness). (S2 then refuses S1's AppendEntries that
/// would overwrite it: raft-core does not overwrite an entry it knows committed.)
#[cfg(feature = "deviations")]
#[test]
fn s4_1_without_the_2015_correction_a_committed_entry_is_lost() {
    let (net, accepted) = two_disjoint_changes(true);
    assert!(accepted);
    assert_eq!(net.node(2).log().get(2).map(|e| e.term), Some(2));
    assert!(
        net.node(2).commit_index() >= 2,
        "S2 and S4 committed {{2, 3, 4}}"
    );
    let s1 = net.node(1);
    assert_eq!(
        (s1.role(), s1.term()),
        (Role::Leader, 3),
        "elected by S1 and S3"
    );
    assert_eq!(
        missing_at_leader(&net, 1),
        [2],
        "the leader lacks committed index 2"
    );
}

/// With it, S2 must first commit an entry of term 2, which it cannot (it reaches only
/// S4 of the four), so the change is refused; S1 is elected all the same, and holds
/// every committed entry.
#[cfg(feature = "deviations")]
#[test]
fn s4_1_with_the_2015_correction_the_same_run_stays_safe() {
    let (net, accepted) = two_disjoint_changes(false);
    assert!(!accepted, "refused: nothing of term 2 committed yet");
    assert_eq!(net.node(2).commit_index(), 1);
    assert_eq!(net.node(1).role(), Role::Leader);
    assert!(missing_at_leader(&net, 1).is_empty());
}

/// The unsafe variant, for teaching: without the 2015 correction a new leader changes
/// the configuration at once.
#[cfg(feature = "deviations")]
#[test]
fn without_the_2015_correction_a_new_leader_changes_at_once() {
    let config = Config {
        deviations: vec![raft_core::Deviation::ChangeBeforeCommitInTerm],
        ..single_server()
    };
    let mut net = Net::with_config(3, config);
    net.elect(1);
    net.propose(1, 7);
    net.deliver_all();
    net.elect(2);
    let now = net.now;
    assert!(
        net.node_mut(2)
            .change_membership(now, Change::Remove(3))
            .is_ok()
    );
    assert_eq!(
        raft_core::Deviation::from_name("change-before-commit-in-term"),
        Some(raft_core::Deviation::ChangeBeforeCommitInTerm)
    );
}

/// A snapshot keeps the configuration of the entries it replaces (§7 with §6): a
/// server restarted from it knows who the members are, and a new server that gets the
/// leader's snapshot learns them from it.
#[cfg(feature = "compaction")]
#[test]
fn s7_a_snapshot_carries_the_configuration_it_replaces() {
    let mut net = Net::new(3);
    net.elect(1);
    net.change(1, Change::Remove(3));
    for c in 1..=3 {
        net.propose(1, c);
    }
    net.settle_with_heartbeats(1);
    let upto = net.compact(2);
    assert!(
        config_entries(&net, 2).is_empty(),
        "the configuration entries went"
    );
    assert_eq!(net.node(2).snapshot().unwrap().last_index, upto);
    net.crash(2);
    // Restarted as a member of the first cluster, {1, 2, 3}.
    let state = net.node(2).persistent();
    let node = raft_core::Node::restart(2, [1, 3], Config::default(), state, 5, net.now).unwrap();
    net.nodes.insert(2, node.with_no_op(NO_OP));
    net.down.remove(&2);
    assert_eq!(
        voters(&net, 2),
        [1, 2],
        "from the snapshot, not the first cluster"
    );
    // The leader compacts too; a new server then starts from its snapshot.
    net.compact(1);
    net.join(4);
    net.change(1, Change::Add(4));
    assert_eq!(voters(&net, 4), [1, 2, 4]);
    assert!(
        net.node(4).log().snapshot_index() > 0,
        "S4 got the leader's snapshot"
    );
    assert_eq!(net.applied[&4], net.applied[&1]);
}

/// A configuration entry overwritten by another one at the same index (a follower's
/// uncommitted entry replaced by the new leader's): the new one is in force. (Found by
/// the simulator's campaigns: the follower had kept the old one.)
#[test]
fn a_configuration_entry_replaced_at_the_same_index_takes_effect() {
    use raft_core::{Body, Entry, Node};
    let config_entry = |term, voters: &[u32]| {
        let mut e = Entry::new(term, NO_OP);
        e.config = Some(Configuration::of(voters.iter().copied()));
        e
    };
    let append = |entries| Body::AppendEntries {
        prev_log_index: 0,
        prev_log_term: 0,
        entries,
        leader_commit: 0,
        round: 0,
    };
    let mut s3 = Node::new(3, [1, 2], Config::default(), 3, 0).unwrap();
    let from = |leader: u32, term, body| raft_core::Message {
        from: leader,
        to: 3,
        term,
        body,
    };
    s3.step(0, from(1, 1, append(vec![config_entry(1, &[1, 3])])))
        .unwrap();
    assert_eq!(s3.configuration().voters, [1, 3]);
    s3.step(0, from(2, 2, append(vec![config_entry(2, &[2, 3])])))
        .unwrap();
    assert_eq!(s3.configuration_index(), 1);
    assert_eq!(
        s3.configuration().voters,
        [2, 3],
        "the entry now at index 1"
    );
}

/// A snapshot of an unchanged cluster does not count as a membership change: the
/// server still takes RequestVote as plain Raft does (the §6 rule that disregards
/// them is for clusters whose membership changed).
#[cfg(feature = "compaction")]
#[test]
fn a_snapshot_of_an_unchanged_cluster_is_not_a_membership_change() {
    let mut net = Net::new(3);
    net.elect(1);
    net.propose(1, 7);
    net.settle_with_heartbeats(1);
    net.compact(2);
    net.crash(2);
    net.restart(2);
    assert_eq!(net.node(2).configuration().voters, [1, 2, 3]);
    assert_eq!(
        net.node(2).configuration_index(),
        0,
        "the configuration it started with"
    );
}
