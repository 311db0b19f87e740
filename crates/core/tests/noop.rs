//! The leader's no-op (§8; Figure 8): a leader commits entries of earlier terms only
//! by committing one of its own, so a new leader appends an empty entry at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

mod common;

use common::{NO_OP, Net, state};
use raft_core::Config;

fn with_no_op() -> Config {
    Config {
        no_op: true,
        ..Config::default()
    }
}

#[test]
fn s8_a_new_leader_appends_and_commits_a_no_op_of_its_term() {
    let mut net = Net::with_config(3, with_no_op());
    net.elect(1);
    for id in 1..=3 {
        assert_eq!(net.log_terms(id), [1], "S{id}");
        assert_eq!(net.log_commands(id), [NO_OP], "S{id}");
    }
    assert_eq!(net.node(1).commit_index(), 1);
    // Client entries follow it.
    net.propose(1, 7);
    net.deliver_all();
    assert_eq!(net.log_commands(2), [NO_OP, 7]);
}

#[test]
fn s8_off_by_default_the_first_client_entry_is_index_1() {
    let mut net = Net::new(3);
    net.elect(1);
    assert!(net.node(1).log().is_empty());
    assert_eq!(net.propose(1, 7), 1);
}

/// Figure 8's situation: the new leader of term 4 holds an entry of term 2 that a
/// majority stores but nobody knows is committed.
fn figure8(config: Config) -> Net {
    Net::from_states_with(
        config,
        vec![
            state(3, None, &[1, 2]),
            state(3, None, &[1]),
            state(3, None, &[1]),
        ],
    )
}

#[test]
fn s5_4_2_without_a_no_op_an_entry_of_an_earlier_term_is_not_committed_by_counting() {
    let mut net = figure8(Config::default());
    net.elect(1);
    net.heartbeat(1);
    net.deliver_all();
    assert_eq!(net.log_terms(2), [1, 2], "the entry reached a majority");
    assert_eq!(
        net.node(1).commit_index(),
        0,
        "a majority stores index 2, but it is of term 2 and the leader's term is 4"
    );
}

#[test]
fn s8_with_a_no_op_the_new_leader_commits_the_earlier_entries_at_once() {
    let mut net = figure8(with_no_op());
    net.elect(1);
    assert_eq!(net.log_terms(1), [1, 2, 4]);
    assert_eq!(
        net.node(1).commit_index(),
        3,
        "index 2 committed with the no-op"
    );
    assert_eq!(net.applied[&1], [(1, 1), (2, 2), (3, NO_OP)]);
}
