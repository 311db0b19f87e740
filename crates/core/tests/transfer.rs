//! Leadership transfer (Ongaro's dissertation §3.10): the leader brings the target
//! up to date, then sends TimeoutNow; the target stands at once and wins without
//! anyone's election timer running out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

mod common;

use common::Net;
use raft_core::{Body, Config, MILLIS, MessageKind, NotLeader, Role, TransferError};

#[test]
fn s3_10_the_target_is_brought_up_to_date_then_told_to_stand() {
    let mut net = Net::new(3);
    net.elect(1);
    net.cut_one_way(1, 3);
    net.propose(1, 10);
    net.propose(1, 11);
    net.deliver_all();
    assert!(net.node(3).log().is_empty(), "S3 missed both entries");
    net.recover();
    let now = net.now;
    net.node_mut(1).transfer_leadership(now, 3).unwrap();
    assert_eq!(net.node(1).transferring_to(), Some(3));
    // No new entries meanwhile; the answer says why.
    assert_eq!(
        net.node_mut(1).propose(now, 12),
        Err(NotLeader {
            leader_hint: None,
            transferring: Some(3)
        })
    );
    net.collect();
    assert!(
        net.queue
            .iter()
            .all(|m| m.kind() != MessageKind::TimeoutNow),
        "S3 is behind: it gets the entries first"
    );
    net.deliver_all();
    assert_eq!(net.node(3).role(), Role::Leader);
    assert_eq!(net.node(3).term(), 2);
    assert_eq!(net.log_commands(3), [10, 11]);
    assert_eq!(net.node(1).role(), Role::Follower);
    assert_eq!(net.now, now, "no election timer ran out");
}

#[test]
fn s3_10_an_up_to_date_target_is_told_at_once_and_voters_grant_it_despite_the_leader() {
    let config = Config {
        check_quorum: true,
        ..Config::default()
    };
    let mut net = Net::with_config(5, config);
    net.elect(1);
    let now = net.now;
    net.node_mut(1).transfer_leadership(now, 4).unwrap();
    net.collect();
    assert_eq!(net.queue.len(), 1);
    assert_eq!(net.queue[0].kind(), MessageKind::TimeoutNow);
    net.deliver_one();
    assert!(
        net.queue
            .iter()
            .all(|m| matches!(m.body, Body::RequestVote { transfer: true, .. }))
    );
    net.deliver_all();
    // With CheckQuorum the voters ignore ordinary vote requests while they hear from
    // the leader; a transfer's is not ordinary.
    assert_eq!(net.node(4).role(), Role::Leader);
}

#[test]
fn s3_10_a_transfer_that_does_not_happen_is_abandoned_after_an_election_timeout() {
    let mut net = Net::new(3);
    net.elect(1);
    net.crash(3);
    let now = net.now;
    net.node_mut(1).transfer_leadership(now, 3).unwrap();
    assert!(net.node_mut(1).propose(now, 5).is_err());
    net.now += Config::default().election_timeout_max + MILLIS;
    net.heartbeat(1);
    assert_eq!(net.node(1).transferring_to(), None);
    let now = net.now;
    assert!(net.node_mut(1).propose(now, 5).is_ok());
}

#[test]
fn s3_10_only_a_leader_hands_over_and_only_to_a_member() {
    let mut net = Net::new(3);
    assert_eq!(
        net.node_mut(2).transfer_leadership(0, 3),
        Err(TransferError::NotLeader)
    );
    net.elect(1);
    assert_eq!(
        net.node_mut(1).transfer_leadership(0, 1),
        Err(TransferError::NotAPeer)
    );
    assert_eq!(
        net.node_mut(1).transfer_leadership(0, 9),
        Err(TransferError::NotAPeer)
    );
    assert_eq!(net.node(1).transferring_to(), None);
}

#[test]
fn s3_10_a_timeout_now_from_an_old_term_is_ignored() {
    let mut net = Net::new(3);
    net.elect(1);
    let stale = common::msg(1, 2, 1, Body::TimeoutNow);
    net.elect(3);
    let node = net.node_mut(2);
    assert_eq!(node.term(), 2);
    node.step(0, stale).unwrap();
    assert_eq!(node.role(), Role::Follower);
    assert_eq!(node.term(), 2);
}
