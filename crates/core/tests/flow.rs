//! Flow control (on by default): a leader probes a follower until their logs are known
//! to match, then streams each new entry once with a bounded window of unanswered
//! messages; a rejection falls back to probing. Replication stays Figure 2's (§5.3):
//! these scenarios check that it is also paced.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

mod common;

use common::Net;
use raft_core::{Body, Config, ProgressState};

/// The entries each AppendEntries in flight carries, per receiver.
fn carried(net: &Net, to: u32) -> Vec<usize> {
    net.queue
        .iter()
        .filter(|m| m.to == to)
        .filter_map(|m| match &m.body {
            Body::AppendEntries { entries, .. } => Some(entries.len()),
            _ => None,
        })
        .collect()
}

fn state(net: &Net, leader: u32, peer: u32) -> ProgressState {
    net.node(leader)
        .progress()
        .iter()
        .find(|p| p.peer == peer)
        .unwrap()
        .state
}

#[test]
fn s5_3_proposals_one_at_a_time_are_each_sent_once_within_the_window() {
    let mut net = Net::new(3);
    net.elect(1);
    assert_eq!(
        state(&net, 1, 2),
        ProgressState::Replicate,
        "the first heartbeat's answer showed the match"
    );
    for c in 0..10 {
        net.propose(1, c);
    }
    // Four messages of one entry each to every follower, then the window is full:
    // the six other entries wait, none is sent twice.
    assert_eq!(carried(&net, 2), [1, 1, 1, 1]);
    assert_eq!(carried(&net, 3), [1, 1, 1, 1]);
    net.deliver_all();
    // The answers freed the window: the waiting entries went in one batch.
    for id in 1..=3 {
        assert_eq!(net.node(id).log().len(), 10, "S{id}");
    }
    assert_eq!(net.node(1).commit_index(), 10);
}

#[test]
fn s5_3_figure2_replication_resends_everything_from_next_index() {
    let config = Config {
        flow_control: false,
        ..Config::default()
    };
    let mut net = Net::with_config(3, config);
    net.elect(1);
    for c in 0..10 {
        net.propose(1, c);
    }
    // Each proposal resends every entry since nextIndex: 1 + 2 + … + 10.
    assert_eq!(carried(&net, 2), (1..=10).collect::<Vec<_>>());
}

#[test]
fn s5_3_a_lost_message_shows_as_a_gap_and_the_leader_probes_again() {
    let mut net = Net::new(3);
    net.elect(1);
    net.propose(1, 7);
    // The AppendEntries to S2 is lost; the one to S3 arrives.
    let lost = net.queue.iter().position(|m| m.to == 2).unwrap();
    net.queue.remove(lost);
    net.propose(1, 8);
    // S2 refuses entry 2, which comes after a gap; the leader probes again from where
    // S2's log ends, and S2 catches up.
    let mut rejected = false;
    while net.deliver_one() {
        rejected |= net.queue.iter().any(|m| {
            m.from == 2 && matches!(m.body, Body::AppendEntriesReply { success: false, .. })
        });
    }
    assert!(rejected, "the gap was answered with a rejection");
    assert_eq!(net.node(2).log().len(), 2);
    assert_eq!(state(&net, 1, 2), ProgressState::Replicate);
    assert_eq!(net.node(1).commit_index(), 2);
}

#[test]
fn s5_3_a_follower_that_heard_nothing_is_found_by_the_heartbeat() {
    let mut net = Net::new(3);
    net.elect(1);
    net.isolate(3);
    for c in 0..300 {
        net.propose(1, c);
        net.deliver_all();
    }
    net.recover();
    let before = net.delivered;
    net.heartbeat(1);
    net.deliver_all();
    assert_eq!(net.node(3).log().len(), 300);
    // An empty AppendEntries after what was sent, its rejection, then 5 batches of
    // 64 (one more round trip than Figure 2, which resends at each heartbeat), plus
    // S2's heartbeat and reply.
    assert!(
        net.delivered - before <= 2 + 2 * 5 + 2,
        "{} messages",
        net.delivered - before
    );
}
