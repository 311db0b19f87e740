//! Each named deviation removes exactly its rule: the same inputs that the paper's
//! rule refuses are accepted with the deviation on, and refused with it off.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

mod common;

use common::{Cmd, Net, msg, state};
use raft_core::{Body, Config, Deviation, Entry, Message, Node, Persistent, Role};

fn with(d: Option<Deviation>) -> Config {
    Config {
        deviations: d.into_iter().collect(),
        ..Config::default()
    }
}

fn follower(d: Option<Deviation>, st: Persistent<Cmd>) -> Node<Cmd> {
    Node::restart(1, [2, 3], with(d), st, 1, 0).unwrap()
}

fn granted(node: &mut Node<Cmd>) -> Vec<bool> {
    node.drain_messages()
        .filter_map(|m| match m.body {
            Body::RequestVoteReply { vote_granted } => Some(vote_granted),
            _ => None,
        })
        .collect()
}

fn vote(last_log_index: u64, last_log_term: u64) -> Body<Cmd> {
    Body::RequestVote {
        last_log_index,
        last_log_term,
        transfer: false,
    }
}

fn append(prev: (u64, u64), terms: &[u64]) -> Body<Cmd> {
    Body::AppendEntries {
        prev_log_index: prev.0,
        prev_log_term: prev.1,
        entries: terms
            .iter()
            .map(|&term| Entry::new(term, 10 * term))
            .collect(),
        leader_commit: 0,
        round: 0,
    }
}

fn acked(node: &mut Node<Cmd>) -> Vec<bool> {
    node.drain_messages()
        .filter_map(|m| match m.body {
            Body::AppendEntriesReply { success, .. } => Some(success),
            _ => None,
        })
        .collect()
}

#[test]
fn names_round_trip_and_the_default_has_none() {
    for d in Deviation::ALL {
        assert_eq!(Deviation::from_name(d.name()), Some(d));
        assert!(!d.rule().is_empty() && !d.section().is_empty());
    }
    assert_eq!(Deviation::from_name("vote-thrice"), None);
    assert!(Config::default().deviations.is_empty());
    assert_eq!(Config::default().validate(), Ok(()));
}

#[test]
fn s5_2_vote_twice_grants_a_second_candidate_of_the_same_term() {
    for (d, expected) in [
        (None, vec![true, false]),
        (Some(Deviation::VoteTwice), vec![true, true]),
    ] {
        let mut node = follower(d, state(0, None, &[]));
        node.step(0, msg(2, 1, 1, vote(0, 0))).unwrap();
        node.step(0, msg(3, 1, 1, vote(0, 0))).unwrap();
        assert_eq!(granted(&mut node), expected, "{d:?}");
    }
}

#[test]
fn s5_4_1_vote_without_log_check_elects_a_candidate_with_a_shorter_log() {
    for (d, expected) in [
        (None, vec![false]),
        (Some(Deviation::VoteWithoutLogCheck), vec![true]),
    ] {
        // The voter holds two entries of term 1; the candidate's log is empty.
        let mut node = follower(d, state(1, None, &[1, 1]));
        node.step(0, msg(2, 1, 2, vote(0, 0))).unwrap();
        assert_eq!(granted(&mut node), expected, "{d:?}");
    }
}

#[test]
fn figure_2_forget_vote_loses_the_vote_on_restart_but_not_the_term() {
    for d in [None, Some(Deviation::ForgetVote)] {
        let mut node = follower(d, state(0, None, &[]));
        node.step(0, msg(2, 1, 1, vote(0, 0))).unwrap();
        let stored = node.persistent();
        assert_eq!(stored.current_term, 1);
        let mut again = follower(d, stored);
        again.step(0, msg(3, 1, 1, vote(0, 0))).unwrap();
        assert_eq!(granted(&mut again), vec![d.is_some()], "{d:?}");
    }
}

#[test]
fn figure_2_ack_before_persist_acknowledges_entries_a_crash_then_loses() {
    for d in [None, Some(Deviation::AckBeforePersist)] {
        let mut node = follower(d, state(1, None, &[1]));
        node.step(0, msg(2, 1, 1, append((1, 1), &[1, 1]))).unwrap();
        assert_eq!(acked(&mut node), vec![true]);
        assert_eq!(node.log().last_index(), 3);
        // A crash right after the answer: with the deviation, only the entry stored
        // before it survives.
        let stored = node.persistent().log.len();
        assert_eq!(stored, if d.is_some() { 1 } else { 3 }, "{d:?}");
        // The next input writes it out.
        node.tick(1);
        assert_eq!(node.persistent().log.len(), 3, "{d:?}");
    }
}

#[test]
fn s5_3_skip_consistency_check_appends_after_a_mismatched_entry() {
    for d in [None, Some(Deviation::SkipConsistencyCheck)] {
        // The follower's entry 1 is of term 1; the leader of term 3 says term 2.
        let mut node = follower(d, state(2, None, &[1]));
        node.step(0, msg(2, 1, 3, append((1, 2), &[3]))).unwrap();
        assert_eq!(acked(&mut node), vec![d.is_some()], "{d:?}");
        let terms: Vec<u64> = node.log().entries().iter().map(|e| e.term).collect();
        let expected: &[u64] = if d.is_some() { &[1, 3] } else { &[1] };
        assert_eq!(terms, expected);
    }
}

#[test]
fn s5_1_leader_ignores_higher_term_keeps_leading_in_the_new_term() {
    for d in [None, Some(Deviation::LeaderIgnoresHigherTerm)] {
        let mut net = Net::with_config(3, with(d));
        net.elect(1);
        let stale = Message {
            from: 3,
            to: 1,
            term: 5,
            body: vote(0, 0),
        };
        let now = net.now;
        net.node_mut(1).step(now, stale).unwrap();
        let n = net.node(1);
        assert_eq!(n.term(), 5);
        let role = if d.is_some() {
            Role::Leader
        } else {
            Role::Follower
        };
        assert_eq!(n.role(), role, "{d:?}");
    }
}

#[test]
fn s5_4_2_commit_earlier_term_commits_by_counting_replicas() {
    for d in [None, Some(Deviation::CommitEarlierTerm)] {
        // S1 holds an entry of term 1 that nobody else has; it wins term 2 with S2.
        let states = vec![
            state(1, None, &[1]),
            state(1, None, &[]),
            state(1, None, &[]),
        ];
        let mut net = Net::from_states_with(with(d), states);
        net.isolate(3);
        net.elect(1);
        assert_eq!(net.node(1).term(), 2);
        // S2 now stores the entry of term 1: a majority, but of an earlier term.
        assert_eq!(net.node(2).log().last_index(), 1);
        let commit = net.node(1).commit_index();
        assert_eq!(commit, if d.is_some() { 1 } else { 0 }, "{d:?}");
    }
}
