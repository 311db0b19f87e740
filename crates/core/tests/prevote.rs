//! PreVote and CheckQuorum (Ongaro's dissertation §9.6): a server that cannot win an
//! election must not disrupt a leader that can still reach a majority.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

mod common;

use common::{Net, msg};
use raft_core::{Body, Config, MILLIS, MessageKind, Role};

fn pre_vote() -> Config {
    Config {
        pre_vote: true,
        ..Config::default()
    }
}

fn check_quorum() -> Config {
    Config {
        check_quorum: true,
        ..Config::default()
    }
}

/// S5 is cut off, times out three times, and comes back.
fn rejoin_after_isolation(config: Config) -> Net {
    let mut net = Net::with_config(5, config);
    net.elect(1);
    net.isolate(5);
    for _ in 0..3 {
        net.now += 300 * MILLIS;
        net.fire_timeout(5);
        net.deliver_all();
    }
    net.recover();
    net.heartbeat(1);
    net.deliver_all();
    net
}

#[test]
fn s9_6_without_prevote_a_server_that_rejoins_deposes_a_healthy_leader() {
    let net = rejoin_after_isolation(Config::default());
    assert_eq!(net.node(5).term(), 4, "each timeout raised its term");
    assert_ne!(
        net.node(1).role(),
        Role::Leader,
        "S5's answer carried term 4: the leader stepped down"
    );
    assert_eq!(net.node(1).term(), 4);
}

#[test]
fn s9_6_with_prevote_a_server_cut_off_keeps_its_term_and_rejoins_quietly() {
    let net = rejoin_after_isolation(pre_vote());
    assert_eq!(net.node(5).term(), 1, "asking changes no term");
    assert_eq!(net.node(5).role(), Role::Follower);
    assert_eq!(net.node(5).leader(), Some(1));
    assert_eq!(net.node(1).role(), Role::Leader);
    assert_eq!(net.node(1).term(), 1);
}

#[test]
fn s9_6_a_pre_candidate_asks_with_the_next_term_without_taking_it() {
    let mut net = Net::with_config(3, pre_vote());
    net.fire_timeout(2);
    let node = net.node(2);
    assert_eq!(node.role(), Role::PreCandidate);
    assert_eq!(node.term(), 0);
    assert_eq!(node.voted_for(), None, "no vote is cast for a pre-vote");
    let asks: Vec<_> = net.queue.iter().collect();
    assert_eq!(asks.len(), 2);
    assert!(
        asks.iter()
            .all(|m| m.kind() == MessageKind::PreVote && m.term == 1)
    );
    net.deliver_all();
    // Two yeses: it stood for real, and won.
    assert_eq!(net.node(2).role(), Role::Leader);
    assert_eq!(net.node(2).term(), 1);
    assert_eq!(net.node(1).term(), 1);
}

#[test]
fn s9_6_servers_that_hear_from_a_leader_refuse_a_pre_vote() {
    let mut net = Net::with_config(3, pre_vote());
    net.elect(1);
    net.now += 10 * MILLIS;
    net.fire_timeout(2);
    net.deliver_all();
    assert_eq!(net.node(2).role(), Role::PreCandidate, "it got no yes");
    assert_eq!(net.node(2).term(), 1);
    assert_eq!(net.node(3).voted_for(), Some(1), "S3's vote untouched");
    net.heartbeat(1);
    net.deliver_all();
    assert_eq!(net.node(2).role(), Role::Follower);
    assert_eq!(net.node(1).role(), Role::Leader);
}

#[test]
fn s9_6_with_prevote_a_new_leader_is_elected_once_the_old_one_is_gone() {
    let mut net = Net::with_config(5, pre_vote());
    net.elect(1);
    net.crash(1);
    net.now += 200 * MILLIS;
    net.fire_timeout(2);
    net.deliver_all();
    assert_eq!(net.node(2).role(), Role::Leader);
    assert_eq!(net.node(2).term(), 2);
}

#[test]
fn s9_6_a_refusal_from_a_later_term_brings_the_asker_up_to_date() {
    let mut net = Net::with_config(3, pre_vote());
    net.elect(1);
    let mut node = net.nodes.remove(&3).unwrap();
    assert_eq!(node.term(), 1);
    // S2 is in term 5 and refuses.
    node.step(0, msg(2, 3, 5, Body::PreVoteReply { granted: false }))
        .unwrap();
    assert_eq!(node.term(), 5);
    // A yes for a term other than the next one is stale and ignored.
    let mut other = Net::with_config(3, pre_vote());
    other.fire_timeout(2);
    let node = other.node_mut(2);
    node.step(0, msg(3, 2, 7, Body::PreVoteReply { granted: true }))
        .unwrap();
    assert_eq!(node.votes(), [2]);
    assert_eq!(node.term(), 0);
}

#[test]
fn s9_6_check_quorum_a_leader_that_cannot_reach_a_majority_steps_down() {
    let mut net = Net::with_config(5, check_quorum());
    net.elect(1);
    net.partition(&[1, 2]);
    net.run_for(2 * Config::default().election_timeout_max + MILLIS);
    assert_ne!(net.node(1).role(), Role::Leader);
    assert_eq!(net.node(1).leader(), None);
    let new = net.leader().expect("the majority side elected a leader");
    assert!([3, 4, 5].contains(&new));
}

#[test]
fn s9_6_without_check_quorum_the_cut_off_leader_keeps_believing() {
    let mut net = Net::new(5);
    net.elect(1);
    net.partition(&[1, 2]);
    net.run_for(2 * Config::default().election_timeout_max + MILLIS);
    assert_eq!(net.node(1).role(), Role::Leader);
    assert_eq!(net.node(1).term(), 1);
}

#[test]
fn s9_6_check_quorum_a_leader_hearing_from_a_majority_stays() {
    let mut net = Net::with_config(5, check_quorum());
    net.elect(1);
    net.partition(&[1, 2, 3]);
    net.run_for(4 * Config::default().election_timeout_max);
    assert_eq!(net.node(1).role(), Role::Leader);
    assert_eq!(net.node(1).term(), 1);
}

#[test]
fn s9_6_check_quorum_servers_that_hear_from_a_leader_ignore_vote_requests() {
    let mut net = Net::with_config(5, check_quorum());
    net.elect(1);
    net.now += 10 * MILLIS;
    net.fire_timeout(5);
    net.deliver_all();
    for id in 1..=4 {
        assert_eq!(net.node(id).term(), 1, "S{id} adopted no term");
    }
    assert_eq!(net.node(1).role(), Role::Leader);
    assert_eq!(net.node(5).role(), Role::Candidate);
    // Later than an election timeout after the last heartbeat, they listen again.
    net.now += Config::default().election_timeout_min;
    net.fire_timeout(5);
    net.deliver_all();
    assert_eq!(net.node(5).role(), Role::Leader);
}
