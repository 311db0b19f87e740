//! Scenarios from §5.1–5.4 of the Raft paper, each one citing what it checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

mod common;

use common::{Cmd, Net, msg, state};
use raft_core::{
    Body, Config, Entry, MILLIS, Message, MessageKind, Node, NotLeader, Persistent, Role, StepError,
};

fn append(prev_log_index: u64, prev_log_term: u64, terms: &[u64], leader_commit: u64) -> Body<Cmd> {
    Body::AppendEntries {
        prev_log_index,
        prev_log_term,
        entries: terms
            .iter()
            .map(|&term| Entry::new(term, 100 + term))
            .collect(),
        leader_commit,
        round: 0,
    }
}

fn vote(last_log_index: u64, last_log_term: u64) -> Body<Cmd> {
    Body::RequestVote {
        last_log_index,
        last_log_term,
        transfer: false,
    }
}

/// The replies a node has produced, drained.
fn replies(node: &mut Node<Cmd>) -> Vec<Message<Cmd>> {
    node.drain_messages().collect()
}

fn lone_follower(terms: &[u64], current_term: u64) -> Node<Cmd> {
    Node::restart(
        1,
        [2, 3, 4, 5],
        Config::default(),
        state(current_term, None, terms),
        1,
        0,
    )
    .unwrap()
}

// ----- §5.1 ---------------------------------------------------------------------------

#[test]
fn s5_1_servers_start_as_followers_in_term_zero() {
    let net = Net::new(5);
    for node in net.nodes.values() {
        assert_eq!(node.role(), Role::Follower);
        assert_eq!(node.term(), 0);
        assert_eq!(node.voted_for(), None);
        assert_eq!(node.leader(), None);
        assert!(node.log().is_empty());
        let deadline = node.election_deadline().unwrap();
        assert!((150 * MILLIS..=300 * MILLIS).contains(&deadline));
    }
}

#[test]
fn s5_1_a_higher_term_in_any_message_makes_a_server_adopt_it_and_follow() {
    // A leader, a candidate and a follower all step down on a message of a later term.
    let mut net = Net::new(3);
    net.elect(1);
    net.fire_timeout(2); // 2 becomes candidate in term 2, its requests stay in flight
    assert_eq!(net.node(2).role(), Role::Candidate);
    let later = msg(
        3,
        1,
        7,
        Body::RequestVoteReply {
            vote_granted: false,
        },
    );
    net.node_mut(1).step(0, later).unwrap();
    assert_eq!(net.node(1).role(), Role::Follower);
    assert_eq!(net.node(1).term(), 7);
    assert_eq!(net.node(1).voted_for(), None);
    assert_eq!(net.node(1).leader(), None);
    assert!(net.node(1).progress().is_empty());
    assert!(
        net.node(1).election_deadline().is_some(),
        "a deposed leader needs a timer"
    );

    let heartbeat = msg(3, 2, 7, append(0, 0, &[], 0));
    net.node_mut(2).step(0, heartbeat).unwrap();
    assert_eq!(net.node(2).role(), Role::Follower);
    assert_eq!(net.node(2).term(), 7);
    assert_eq!(net.node(2).leader(), Some(3));
}

#[test]
fn s5_1_requests_from_a_stale_term_are_rejected() {
    let mut node = lone_follower(&[1, 2], 5);
    node.step(0, msg(2, 1, 4, append(2, 2, &[4], 2))).unwrap();
    node.step(0, msg(3, 1, 4, vote(9, 4))).unwrap();
    let out = replies(&mut node);
    assert_eq!(out.len(), 2);
    for m in &out {
        assert_eq!(m.term, 5, "the reply tells the sender the newer term");
        match m.body {
            Body::AppendEntriesReply { success, .. } => assert!(!success),
            Body::RequestVoteReply { vote_granted } => assert!(!vote_granted),
            _ => panic!("unexpected {m:?}"),
        }
    }
    assert_eq!(node.log().len(), 2, "nothing appended");
    assert_eq!(node.voted_for(), None, "no vote given");
    assert_eq!(node.leader(), None, "a stale leader is not recognised");
}

// ----- §5.2 Leader election -------------------------------------------------------------

#[test]
fn s5_2_an_election_completes_in_one_round_for_1_3_and_5_servers() {
    for n in [1, 3, 5] {
        let mut net = Net::new(n);
        net.fire_timeout(1);
        net.deliver_all();
        assert_eq!(net.node(1).role(), Role::Leader, "{n} servers");
        assert_eq!(net.node(1).term(), 1);
        assert_eq!(net.node(1).votes().len(), n / 2 + 1, "a majority is enough");
        for id in 2..=n as u32 {
            assert_eq!(net.node(id).role(), Role::Follower);
            assert_eq!(net.node(id).term(), 1);
            assert_eq!(net.node(id).voted_for(), Some(1), "everyone voted for S1");
            assert_eq!(net.node(id).leader(), Some(1), "heartbeat received");
        }
    }
}

#[test]
fn s5_2_a_candidate_votes_for_itself_and_asks_every_other_server() {
    let mut net = Net::new(5);
    net.fire_timeout(3);
    let node = net.node(3);
    assert_eq!(node.role(), Role::Candidate);
    assert_eq!(node.term(), 1);
    assert_eq!(node.voted_for(), Some(3));
    assert_eq!(node.votes(), &[3]);
    let mut to: Vec<u32> = net.queue.iter().map(|m| m.to).collect();
    to.sort();
    assert_eq!(to, vec![1, 2, 4, 5]);
    assert!(
        net.queue
            .iter()
            .all(|m| m.kind() == MessageKind::RequestVote && m.term == 1)
    );
}

#[test]
fn s5_2_leader_needs_a_majority_not_everyone() {
    let mut net = Net::new(5);
    net.isolate(4);
    net.isolate(5);
    net.elect(1);
    assert_eq!(net.node(1).votes().len(), 3);
    // With three servers unreachable, nobody can win.
    let mut net = Net::new(5);
    for id in 3..=5 {
        net.isolate(id);
    }
    net.fire_timeout(1);
    net.deliver_all();
    assert_eq!(net.node(1).role(), Role::Candidate);
    assert_eq!(net.node(1).votes().len(), 2);
}

#[test]
fn s5_2_each_server_votes_first_come_first_served_once_per_term() {
    let mut node = lone_follower(&[], 0);
    node.step(0, msg(2, 1, 1, vote(0, 0))).unwrap();
    node.step(0, msg(3, 1, 1, vote(0, 0))).unwrap();
    // A duplicated request from the chosen candidate gets the vote again.
    node.step(0, msg(2, 1, 1, vote(0, 0))).unwrap();
    let granted: Vec<(u32, bool)> = replies(&mut node)
        .into_iter()
        .map(|m| match m.body {
            Body::RequestVoteReply { vote_granted } => (m.to, vote_granted),
            _ => panic!(),
        })
        .collect();
    assert_eq!(granted, vec![(2, true), (3, false), (2, true)]);
    assert_eq!(node.voted_for(), Some(2));
    // In the next term the vote is free again.
    node.step(0, msg(3, 1, 2, vote(0, 0))).unwrap();
    assert_eq!(node.voted_for(), Some(3));
}

#[test]
fn s5_4_1_a_vote_goes_only_to_a_candidate_whose_log_is_at_least_as_up_to_date() {
    // (voter's log terms, candidate's last index, candidate's last term, granted?)
    let table: &[(&[u64], u64, u64, bool)] = &[
        (&[], 0, 0, true),           // both empty
        (&[1], 0, 0, false),         // candidate empty, voter not
        (&[1, 1], 1, 1, false),      // same last term, candidate shorter
        (&[1, 1], 2, 1, true),       // same last term, same length
        (&[1, 1], 3, 1, true),       // same last term, candidate longer
        (&[1, 2], 5, 1, false),      // candidate longer but older last term
        (&[1, 2], 1, 3, true),       // candidate shorter but newer last term
        (&[1, 2, 2], 3, 2, true),    // identical
        (&[2, 2, 2, 2], 2, 3, true), // newer term wins over length
        (&[1, 1, 3], 9, 2, false),   // much longer, older term
    ];
    for &(terms, last_index, last_term, expected) in table {
        let mut node = lone_follower(terms, 3);
        node.step(0, msg(2, 1, 4, vote(last_index, last_term)))
            .unwrap();
        let out = replies(&mut node);
        let granted = matches!(out[0].body, Body::RequestVoteReply { vote_granted: true });
        assert_eq!(
            granted, expected,
            "voter {terms:?} vs candidate ({last_index}, {last_term})"
        );
        assert_eq!(node.voted_for(), expected.then_some(2));
    }
}

#[test]
fn s5_2_election_timeouts_are_random_over_the_whole_range_and_redrawn_at_each_reset() {
    let mut drawn = Vec::new();
    for seed in 0..400 {
        let mut node = Node::<Cmd>::new(1, [2, 3], Config::default(), seed, 0).unwrap();
        drawn.push(node.election_deadline().unwrap());
        // Every reset draws again: granting a vote resets the timer.
        node.step(10, msg(2, 1, 1, vote(0, 0))).unwrap();
        drawn.push(node.election_deadline().unwrap() - 10);
    }
    let (min, max) = (150 * MILLIS, 300 * MILLIS);
    assert!(drawn.iter().all(|d| (min..=max).contains(d)));
    // Uniform: every tenth of the range is hit, and the extremes are approached.
    let mut buckets = [0; 10];
    for d in &drawn {
        buckets[(((d - min) * 10) / (max - min + 1)) as usize] += 1;
    }
    assert!(buckets.iter().all(|&b| b > 40), "{buckets:?}");
    assert!(*drawn.iter().min().unwrap() < min + 2 * MILLIS);
    assert!(*drawn.iter().max().unwrap() > max - 2 * MILLIS);
    // The same seed draws the same timeouts.
    let a = Node::<Cmd>::new(1, [2], Config::default(), 42, 0).unwrap();
    let b = Node::<Cmd>::new(1, [2], Config::default(), 42, 0).unwrap();
    assert_eq!(a.election_deadline(), b.election_deadline());
}

#[test]
fn s5_2_a_candidate_that_hears_from_a_leader_of_its_term_returns_to_follower() {
    let mut net = Net::new(3);
    net.fire_timeout(2);
    net.fire_timeout(2); // a second timeout: term 2
    let node = net.node_mut(2);
    assert_eq!(node.term(), 2);
    node.step(0, msg(3, 2, 1, append(0, 0, &[], 0))).unwrap();
    assert_eq!(node.role(), Role::Candidate, "older term: rejected");
    node.step(0, msg(3, 2, 2, append(0, 0, &[], 0))).unwrap();
    assert_eq!(node.role(), Role::Follower);
    assert_eq!(node.leader(), Some(3));
    assert_eq!(node.voted_for(), Some(2), "its own vote in term 2 stands");
}

#[test]
fn s5_2_dueling_candidates_split_the_vote_then_one_wins_a_later_term() {
    // S5 is down, so the four others can split two against two.
    let mut net = Net::new(5);
    net.crash(5);
    net.fire_timeout(1);
    net.fire_timeout(2);
    // S3 hears S1 first, S4 hears S2 first (deliver in a chosen order).
    let mut q: Vec<Message<Cmd>> = net.queue.drain(..).collect();
    q.sort_by_key(|m| match (m.from, m.to) {
        (1, 3) | (2, 4) => 0,
        _ => 1,
    });
    net.queue.extend(q);
    net.deliver_all();
    assert_eq!(net.node(1).role(), Role::Candidate);
    assert_eq!(net.node(2).role(), Role::Candidate);
    assert_eq!(net.node(1).votes().len(), 2);
    assert_eq!(net.node(2).votes().len(), 2);
    assert!(
        net.leaders_in_term(1).is_empty(),
        "split vote: no leader in term 1"
    );
    // Their randomized timers fire at different times; one wins a later term.
    let leader = net.run_until_leader(2_000 * MILLIS).expect("a leader");
    let term = net.node(leader).term();
    assert!(term >= 2);
    assert_eq!(net.leaders_in_term(term), vec![leader]);
}

// ----- §5.3 Log replication -------------------------------------------------------------

#[test]
fn s5_3_the_leader_commits_an_entry_once_a_majority_stores_it_and_not_before() {
    let mut net = Net::new(5);
    net.elect(1);
    net.isolate(3);
    net.isolate(4);
    net.isolate(5);
    let index = net.propose(1, 11);
    net.deliver_all();
    assert_eq!(net.log_commands(2), vec![11], "S2 stored it");
    assert_eq!(net.node(1).commit_index(), 0, "2 of 5 is not a majority");
    net.recover();
    net.cut(1, 4);
    net.cut(1, 5);
    net.heartbeat(1);
    net.deliver_all();
    assert_eq!(net.node(1).commit_index(), index, "S1, S2, S3: a majority");
    assert_eq!(net.applied[&1], vec![(1, 11)]);
}

#[test]
fn s5_3_followers_learn_the_commit_index_from_the_next_append_entries_and_apply() {
    let mut net = Net::new(3);
    net.elect(1);
    net.propose(1, 5);
    net.deliver_all();
    assert_eq!(net.node(1).commit_index(), 1);
    assert_eq!(net.node(2).commit_index(), 0, "not told yet");
    assert!(net.applied[&2].is_empty());
    net.heartbeat(1); // "Still the leader, [1] Set 1 committed!"
    net.deliver_all();
    for id in 1..=3 {
        assert_eq!(net.node(id).commit_index(), 1);
        assert_eq!(net.node(id).last_applied(), 1);
        assert_eq!(net.applied[&id], vec![(1, 5)]);
    }
}

#[test]
fn s5_3_committing_an_entry_commits_every_entry_before_it() {
    let mut net = Net::new(3);
    net.elect(1);
    net.cut(1, 2);
    net.cut(1, 3);
    for c in 1..=4 {
        net.propose(1, c);
    }
    net.deliver_all();
    assert_eq!(net.node(1).commit_index(), 0);
    net.recover();
    net.heartbeat(1);
    net.deliver_all();
    assert_eq!(net.node(1).commit_index(), 4);
    assert_eq!(net.applied[&1], vec![(1, 1), (2, 2), (3, 3), (4, 4)]);
}

#[test]
fn s5_3_the_consistency_check_rejects_with_a_hint_that_skips_whole_terms() {
    let mut node = lone_follower(&[1, 1, 2, 2], 2);
    // prev entry has a different term: the hint is that term and its first index.
    node.step(0, msg(2, 1, 3, append(4, 3, &[3], 0))).unwrap();
    // prev entry is past the end of the log: the hint is the log's end.
    node.step(0, msg(2, 1, 3, append(6, 3, &[3], 0))).unwrap();
    let out = replies(&mut node);
    let hints: Vec<(bool, Option<u64>, u64)> = out
        .iter()
        .map(|m| match m.body {
            Body::AppendEntriesReply {
                success,
                conflict_term,
                conflict_index,
                ..
            } => (success, conflict_term, conflict_index),
            _ => panic!(),
        })
        .collect();
    assert_eq!(hints, vec![(false, Some(2), 3), (false, None, 5)]);
    assert_eq!(
        node.log().len(),
        4,
        "a rejected AppendEntries changes no entry"
    );
}

#[test]
fn s5_3_a_follower_deletes_a_conflicting_suffix_and_appends_the_leaders_entries() {
    let mut node = lone_follower(&[1, 1, 2, 2, 2], 3);
    node.step(0, msg(2, 1, 3, append(2, 1, &[3, 3], 0)))
        .unwrap();
    let terms: Vec<u64> = node.log().entries().iter().map(|e| e.term).collect();
    assert_eq!(terms, vec![1, 1, 3, 3]);
    // A delayed, shorter copy of the same AppendEntries must not cut the log back.
    node.step(0, msg(2, 1, 3, append(2, 1, &[3], 0))).unwrap();
    assert_eq!(node.log().len(), 4);
    let out = replies(&mut node);
    assert!(matches!(
        out[0].body,
        Body::AppendEntriesReply {
            success: true,
            match_index: 4,
            ..
        }
    ));
    assert!(matches!(
        out[1].body,
        Body::AppendEntriesReply {
            success: true,
            match_index: 3,
            ..
        }
    ));
}

#[test]
fn s5_3_figure_7_every_follower_log_converges_to_the_leaders() {
    // Figure 7: the leader for term 8 and followers (a)–(f).
    let leader: &[u64] = &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
    let followers: [&[u64]; 6] = [
        &[1, 1, 1, 4, 4, 5, 5, 6, 6],          // (a) missing entries
        &[1, 1, 1, 4],                         // (b) missing entries
        &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],    // (c) an extra entry
        &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7], // (d) extra entries of term 7
        &[1, 1, 1, 4, 4, 4, 4],                // (e) missing and extra
        &[1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],    // (f) extra entries of terms 2 and 3
    ];
    let mut states = vec![state(7, None, leader)];
    for (i, f) in followers.iter().enumerate() {
        let term = f
            .last()
            .copied()
            .unwrap_or(0)
            .max(if i == 3 { 7 } else { 6 });
        states.push(state(term, None, f));
    }
    let mut net = Net::from_states(states);
    // S1 wins term 8 with the votes of (a), (b), (e) and (f); (c) and (d) refuse, their
    // logs being more up to date.
    net.fire_timeout(1);
    net.deliver_all();
    assert_eq!(net.node(1).role(), Role::Leader);
    assert_eq!(net.node(1).term(), 8);
    let before = net.delivered;
    net.propose(1, 80);
    net.deliver_all();
    let expected: Vec<u64> = leader.iter().copied().chain([8]).collect();
    for id in 1..=7 {
        assert_eq!(net.log_terms(id), expected, "S{id}");
    }
    assert_eq!(net.node(1).commit_index(), 11);
    // Accelerated backtracking: one rejection per conflicting term, not per entry.
    // (f) needs at most 3 rejections (terms 3, 2 and then a match), so the whole
    // convergence takes few messages.
    assert!(
        net.delivered - before < 60,
        "{} messages",
        net.delivered - before
    );
}

#[test]
fn s5_3_a_far_behind_follower_catches_up_in_a_few_round_trips() {
    // Figure 2 to the letter: the leader resends from nextIndex on each heartbeat.
    let config = Config {
        max_entries_per_message: 64,
        flow_control: false,
        ..Config::default()
    };
    let mut net = Net::with_config(3, config);
    net.elect(1);
    net.isolate(3);
    for c in 0..1000 {
        net.propose(1, c);
        net.deliver_all();
    }
    net.recover();
    let before = net.delivered;
    net.heartbeat(1);
    net.deliver_all();
    assert_eq!(net.node(3).log().len(), 1000);
    // 1000 entries in batches of 64: 16 AppendEntries and their replies, plus S2's
    // heartbeat and reply.
    assert!(
        net.delivered - before <= 2 * 16 + 2,
        "{}",
        net.delivered - before
    );
}

// ----- §5.4 Safety ----------------------------------------------------------------------

#[test]
fn s5_4_2_figure_8_a_leader_never_commits_an_older_term_entry_by_counting_replicas() {
    // Figure 8, just after (b): S1 led term 2 and copied index 2 (term 2) to S2 only;
    // S5 then led term 3 (votes of S3, S4, S5) and wrote index 2 with term 3.
    let mut net = Net::from_states(vec![
        state(2, Some(1), &[1, 2]),
        state(2, Some(1), &[1, 2]),
        state(3, Some(5), &[1]),
        state(3, Some(5), &[1]),
        state(3, Some(5), &[1, 3]),
    ]);
    net.crash(5);
    // (c) S1 wins term 4 and copies its term-2 entry to S3: it is now on a majority.
    net.cut(1, 4);
    net.fire_timeout(1);
    net.deliver_all();
    if net.node(1).role() != Role::Leader {
        net.fire_timeout(1);
        net.deliver_all();
    }
    assert_eq!(net.node(1).role(), Role::Leader);
    assert_eq!(net.node(1).term(), 4);
    assert_eq!(net.log_terms(3), vec![1, 2], "S1, S2, S3 hold index 2");
    assert_eq!(
        net.node(1).commit_index(),
        0,
        "but it is not from term 4: not committed"
    );
    // (d) S1 crashes; S5 can win with the votes of S2, S3 and S4, and overwrites it.
    net.crash(1);
    net.recover();
    net.restart(5);
    for _ in 0..3 {
        if net.node(5).role() == Role::Leader {
            break;
        }
        net.fire_timeout(5);
        net.deliver_all();
    }
    assert_eq!(net.node(5).role(), Role::Leader);
    for id in 2..=4 {
        assert_eq!(net.log_terms(id), vec![1, 3], "S{id} took S5's entry");
    }
}

#[test]
fn s5_4_2_figure_8_an_entry_of_the_current_term_commits_the_older_ones_with_it() {
    let mut net = Net::from_states(vec![
        state(2, Some(1), &[1, 2]),
        state(2, Some(1), &[1, 2]),
        state(3, Some(5), &[1]),
        state(3, Some(5), &[1]),
        state(3, Some(5), &[1, 3]),
    ]);
    net.crash(5);
    net.cut(1, 4);
    for _ in 0..2 {
        if net.node(1).role() != Role::Leader {
            net.fire_timeout(1);
            net.deliver_all();
        }
    }
    // (e) S1 replicates an entry of term 4 to a majority: indices 2 and 3 commit.
    net.propose(1, 40);
    net.deliver_all();
    assert_eq!(net.node(1).commit_index(), 3);
    // S5 can no longer win: S2 and S3 refuse a log that ends in term 3.
    net.crash(1);
    net.recover();
    net.restart(5);
    for _ in 0..4 {
        net.fire_timeout(5);
        net.deliver_all();
        assert_ne!(net.node(5).role(), Role::Leader);
    }
}

#[test]
fn s5_4_a_partitioned_leaders_uncommitted_entries_are_overwritten_after_healing() {
    // The slides' split: S1 (leader) and S2 on one side, S3, S4, S5 on the other.
    let mut net = Net::new(5);
    net.elect(1);
    net.propose(1, 1); // Set 1
    net.deliver_all();
    net.heartbeat(1);
    net.deliver_all();
    net.partition(&[1, 2]);
    net.propose(1, 2); // Add 2 on the old leader's side
    net.deliver_all();
    assert_eq!(
        net.node(1).commit_index(),
        1,
        "Add 2 reaches 2 of 5: uncommitted"
    );
    net.elect(3);
    assert_eq!(net.node(3).term(), 2);
    assert_eq!(
        net.node(1).role(),
        Role::Leader,
        "two leaders, in different terms"
    );
    net.propose(3, 3); // Add 3 on the majority's side
    net.deliver_all();
    assert_eq!(net.node(3).commit_index(), 2);
    // Reunion: the old leader sees term 2, steps down, and Add 2 is replaced by Add 3.
    net.recover();
    net.heartbeat(3);
    net.deliver_all();
    net.heartbeat(3);
    net.deliver_all();
    assert_eq!(net.node(1).role(), Role::Follower);
    for id in 1..=5 {
        assert_eq!(net.log_commands(id), vec![1, 3], "S{id}");
        assert_eq!(net.node(id).commit_index(), 2, "S{id}");
    }
    assert_eq!(
        net.applied[&2],
        vec![(1, 1), (2, 3)],
        "Add 2 was never applied"
    );
}

// ----- Clients, crashes and bad input -------------------------------------------------

#[test]
fn s5_1_a_follower_redirects_proposals_to_the_leader_it_knows() {
    let mut net = Net::new(3);
    assert_eq!(
        net.node_mut(2).propose(0, 1),
        Err(NotLeader {
            leader_hint: None,
            transferring: None
        })
    );
    net.elect(1);
    assert_eq!(
        net.node_mut(2).propose(0, 1),
        Err(NotLeader {
            leader_hint: Some(1),
            transferring: None
        })
    );
    assert!(net.node(2).log().is_empty());
    assert_eq!(net.node_mut(1).propose(0, 1), Ok(1));
}

#[test]
fn a_restarted_server_keeps_only_its_persistent_state_and_reapplies_once() {
    let mut net = Net::new(3);
    net.elect(1);
    for c in [7, 8] {
        net.propose(1, c);
        net.deliver_all();
    }
    net.heartbeat(1);
    net.deliver_all();
    assert_eq!(net.applied[&2], vec![(1, 7), (2, 8)]);
    let before = net.node(2).persistent();
    net.crash(2);
    net.restart(2);
    let node = net.node(2);
    assert_eq!(node.persistent(), before, "term, vote and log survive");
    assert_eq!(node.commit_index(), 0, "commitIndex is volatile");
    assert_eq!(node.last_applied(), 0);
    assert_eq!(node.leader(), None);
    assert_eq!(node.role(), Role::Follower);
    net.heartbeat(1);
    net.deliver_all();
    net.heartbeat(1);
    net.deliver_all();
    // The new lifetime applies both entries once more, and only once.
    assert_eq!(net.applied[&2], vec![(1, 7), (2, 8), (1, 7), (2, 8)]);
}

#[test]
fn restoring_an_inconsistent_persistent_state_is_refused() {
    #[cfg_attr(feature = "membership", allow(unused_mut))]
    let mut bad = vec![
        state(1, None, &[1, 2]), // a log term above the current term
        state(3, None, &[2, 1]), // terms going down
        state(3, None, &[0]),    // term 0 entry
    ];
    // A vote for a stranger (with membership changes, it may have left since).
    #[cfg(not(feature = "membership"))]
    bad.push(state(3, Some(9), &[1]));
    for st in bad {
        assert!(Node::restart(1, [2, 3], Config::default(), st, 0, 0).is_err());
    }
    assert!(
        Node::<Cmd>::new(1, [1, 2], Config::default(), 0, 0).is_err(),
        "self as peer"
    );
    let bad_config = Config {
        election_timeout_min: 300,
        election_timeout_max: 150,
        ..Config::default()
    };
    assert!(Node::<Cmd>::new(1, [2], bad_config, 0, 0).is_err());
}

#[test]
fn messages_from_strangers_to_others_or_impossible_ones_are_refused_without_effect() {
    let mut node = lone_follower(&[1, 1], 1);
    let snapshot = |n: &Node<Cmd>| (n.persistent(), n.commit_index(), n.role(), n.leader());
    let before = snapshot(&node);
    #[cfg_attr(feature = "membership", allow(unused_mut))]
    let mut bad: Vec<(Message<Cmd>, StepError)> = vec![
        (msg(1, 1, 5, vote(2, 1)), StepError::UnknownSender),
        (msg(2, 3, 5, vote(2, 1)), StepError::WrongRecipient),
        (
            msg(2, 1, 5, vote(2, 6)),
            StepError::Malformed("last_log_term above the candidate's term"),
        ),
        (
            msg(2, 1, 5, append(2, 6, &[], 0)),
            StepError::Malformed("prev_log_term above the leader's term"),
        ),
        (
            msg(2, 1, 5, append(2, 1, &[3, 2], 0)),
            StepError::Malformed("entry terms out of order"),
        ),
        (
            msg(2, 1, 5, append(2, 1, &[6], 0)),
            StepError::Malformed("entry terms out of order"),
        ),
        (
            msg(2, 1, 5, append(0, 1, &[], 0)),
            StepError::Malformed("index 0 must have term 0 and only it"),
        ),
        (
            msg(2, 1, 5, append(u64::MAX, 1, &[1], 0)),
            StepError::Malformed("log index overflow"),
        ),
    ];
    // With membership changes a server takes requests from servers it does not know
    // (dissertation §4.1); without, a stranger is refused.
    #[cfg(not(feature = "membership"))]
    bad.push((msg(9, 1, 5, vote(2, 1)), StepError::UnknownSender));
    for (m, err) in bad {
        assert_eq!(node.step(0, m.clone()), Err(err), "{m:?}");
        assert_eq!(snapshot(&node), before, "{m:?} changed the node");
        assert_eq!(node.pending_messages().len(), 0);
    }
    // An index far beyond the log is not malformed, just inconsistent: rejected.
    node.step(0, msg(2, 1, 5, append(1 << 40, 4, &[5], 1 << 41)))
        .unwrap();
    assert_eq!(node.commit_index(), 0);
    assert_eq!(node.log().len(), 2);
}

#[test]
fn a_committed_entry_is_never_overwritten_even_by_a_forged_append() {
    let mut net = Net::new(3);
    net.elect(1);
    net.propose(1, 1);
    net.deliver_all();
    net.heartbeat(1);
    net.deliver_all();
    assert_eq!(net.node(2).commit_index(), 1);
    let forged = msg(3, 2, 5, append(0, 0, &[5], 0));
    assert!(net.node_mut(2).step(0, forged).is_err());
    assert_eq!(net.log_terms(2), vec![1]);
}

#[test]
fn duplicated_and_reordered_replies_do_not_confuse_the_leader() {
    let mut net = Net::new(3);
    net.elect(1);
    net.cut(1, 3);
    net.propose(1, 1);
    net.propose(1, 2);
    net.collect();
    // Deliver S2's traffic, keeping a copy of every reply; replay them twice, reversed.
    let mut copies = Vec::new();
    while let Some(m) = net.queue.pop_front() {
        if m.to == 2 {
            net.node_mut(2).step(0, m).unwrap();
            copies.extend(net.node_mut(2).drain_messages());
        }
    }
    for m in copies.iter().rev().chain(copies.iter()) {
        net.node_mut(1).step(0, m.clone()).unwrap();
    }
    let p = net
        .node(1)
        .progress()
        .iter()
        .find(|p| p.peer == 2)
        .cloned()
        .unwrap();
    assert_eq!((p.match_index, p.next_index), (2, 3));
    assert_eq!(net.node(1).commit_index(), 2);
}

#[test]
fn same_inputs_give_the_same_outputs() {
    let run = || {
        let mut net = Net::new(5);
        let leader = net.run_until_leader(5_000 * MILLIS).unwrap();
        net.propose(leader, 1);
        net.run_for(500 * MILLIS);
        let p: Vec<Persistent<Cmd>> = net.nodes.values().map(|n| n.persistent()).collect();
        (leader, net.now, net.delivered, p)
    };
    assert_eq!(run(), run());
}
