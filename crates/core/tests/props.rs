//! Property tests: whatever arrives, well-formed or not, a node keeps its invariants,
//! and a small cluster under random delivery, loss and timeouts keeps Raft's safety
//! properties (Figure 3).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

mod common;

use common::NO_OP;
use common::{Cmd, Net};
use proptest::prelude::*;
use raft_core::{
    Body, Config, Entry, Index, MILLIS, Message, Node, NodeId, ReadMode, ReadOutcome, Role, Term,
};
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
enum Input {
    Tick(u64),
    Propose(Cmd),
    Read(u64),
    Transfer(NodeId),
    Deliver(Message<Cmd>),
}

/// Every option of `Config`, in any combination (the read modes included).
fn config() -> impl Strategy<Value = Config> {
    (
        any::<bool>(),
        1usize..6,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop_oneof![
            Just(ReadMode::ReadIndex),
            Just(ReadMode::Lease),
            Just(ReadMode::Naive)
        ],
    )
        .prop_map(
            |(flow_control, max_inflight, no_op, pre_vote, check_quorum, read_mode)| Config {
                flow_control,
                max_inflight,
                no_op,
                pre_vote,
                check_quorum,
                read_mode,
                ..Config::default()
            },
        )
}

fn entries() -> impl Strategy<Value = Vec<Entry<Cmd>>> {
    prop::collection::vec((0u64..6, any::<Cmd>()), 0..4).prop_map(|v| {
        v.into_iter()
            .map(|(term, command)| Entry::new(term, command))
            .collect()
    })
}

fn figure2_body() -> impl Strategy<Value = Body<Cmd>> {
    prop_oneof![
        (0u64..8, 0u64..6, any::<bool>()).prop_map(|(last_log_index, last_log_term, transfer)| {
            Body::RequestVote {
                last_log_index,
                last_log_term,
                transfer,
            }
        }),
        any::<bool>().prop_map(|vote_granted| Body::RequestVoteReply { vote_granted }),
        (0u64..8, 0u64..6).prop_map(|(last_log_index, last_log_term)| Body::PreVote {
            last_log_index,
            last_log_term
        }),
        any::<bool>().prop_map(|granted| Body::PreVoteReply { granted }),
        Just(Body::TimeoutNow),
        (0u64..8, 0u64..6, entries(), 0u64..10, 0u64..50).prop_map(
            |(prev_log_index, prev_log_term, entries, leader_commit, round)| Body::AppendEntries {
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
                round
            }
        ),
        (
            any::<bool>(),
            0u64..10,
            prop::option::of(0u64..6),
            0u64..10,
            0u64..50
        )
            .prop_map(
                |(success, match_index, conflict_term, conflict_index, round)| {
                    Body::AppendEntriesReply {
                        success,
                        match_index,
                        conflict_term,
                        conflict_index,
                        round,
                    }
                }
            ),
    ]
}

/// Any message body (InstallSnapshot too, with the `compaction` feature).
fn body() -> BoxedStrategy<Body<Cmd>> {
    #[cfg(feature = "compaction")]
    return prop_oneof![
        9 => figure2_body(),
        1 => (0u64..10, 0u64..6, 0u64..50).prop_map(
            |(last_included_index, last_included_term, round)| {
                Body::InstallSnapshot {
                    last_included_index,
                    #[cfg(feature = "membership")]
                    config: None,
                    last_included_term,
                    data: Vec::new(),
                    round,
                }
            }
        ),
    ]
    .boxed();
    #[cfg(not(feature = "compaction"))]
    return figure2_body().boxed();
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        (0u64..400).prop_map(|ms| Input::Tick(ms * MILLIS)),
        any::<Cmd>().prop_map(Input::Propose),
        any::<u64>().prop_map(Input::Read),
        (0u32..6).prop_map(Input::Transfer),
        // Mostly from real peers to this node, sometimes from strangers or misrouted.
        (
            0u32..7,
            prop_oneof![9 => Just(1u32), 1 => 0u32..7],
            0u64..6,
            body()
        )
            .prop_map(|(from, to, term, body)| Input::Deliver(Message {
                from,
                to,
                term,
                body
            })),
    ]
}

/// The invariants a single node keeps whatever its inputs.
fn check_invariants(node: &Node<Cmd>, prev: &Snapshot) -> Result<(), TestCaseError> {
    let last = node.log().last_index();
    prop_assert!(node.term() >= prev.term, "term went back");
    prop_assert!(node.commit_index() >= prev.commit, "commitIndex went back");
    prop_assert!(node.last_applied() <= node.commit_index());
    prop_assert!(node.commit_index() <= last, "commitIndex beyond the log");
    prop_assert!(
        node.log().terms_are_monotonic(node.term()),
        "log terms out of order"
    );
    // Committed entries stay, unless a (later) snapshot replaced them.
    prop_assert!(
        node.log().snapshot_index() >= prev.base,
        "a snapshot went back"
    );
    for (i, e) in prev.committed.iter().enumerate() {
        let index = prev.base + 1 + i as Index;
        if index > node.log().snapshot_index() {
            prop_assert_eq!(node.log().get(index), Some(e), "a committed entry changed");
        }
    }
    match node.role() {
        Role::Leader => {
            prop_assert_eq!(node.voted_for(), Some(node.id()));
            prop_assert_eq!(node.leader(), Some(node.id()));
            prop_assert_eq!(node.progress().len(), node.peers().len());
            for p in node.progress() {
                prop_assert!(
                    p.match_index < p.next_index && p.next_index <= last + 1,
                    "{p:?}"
                );
            }
            prop_assert!(node.votes().len() * 2 > node.cluster_size());
        }
        Role::Candidate => {
            prop_assert_eq!(node.voted_for(), Some(node.id()));
            prop_assert!(node.votes().contains(&node.id()));
            prop_assert!(node.progress().is_empty());
            prop_assert_eq!(node.leader(), None);
        }
        Role::PreCandidate => {
            prop_assert!(node.config().pre_vote);
            prop_assert!(node.votes().contains(&node.id()));
            prop_assert!(node.progress().is_empty());
            prop_assert_eq!(node.leader(), None);
        }
        Role::Follower => {
            prop_assert!(node.votes().is_empty());
            prop_assert!(node.progress().is_empty());
        }
    }
    let mut votes = node.votes().to_vec();
    votes.sort();
    votes.dedup();
    prop_assert_eq!(votes.len(), node.votes().len(), "a vote counted twice");
    prop_assert!(
        votes
            .iter()
            .all(|v| *v == node.id() || node.peers().contains(v))
    );
    for m in node.pending_messages() {
        prop_assert_eq!(m.from, node.id());
        // With membership changes, a server answers whoever asks (dissertation §4.1).
        prop_assert!(node.peers().contains(&m.to) || cfg!(feature = "membership"));
        prop_assert_ne!(m.to, node.id());
        match m.body {
            // A pre-vote asks for the next term; a yes carries the asked term.
            Body::PreVote { .. } => prop_assert_eq!(m.term, node.term() + 1),
            Body::PreVoteReply { granted: true } => prop_assert!(m.term > node.term()),
            _ => prop_assert_eq!(m.term, node.term()),
        }
    }
    if node.role() != Role::Leader {
        prop_assert_eq!(node.reads_waiting(), 0, "reads wait only at a leader");
        prop_assert_eq!(node.transferring_to(), None);
    }
    Ok(())
}

/// What a node showed before an input.
struct Snapshot {
    term: Term,
    commit: Index,
    /// The log's snapshot index, and the committed entries held after it.
    base: Index,
    committed: Vec<Entry<Cmd>>,
}

fn snapshot(node: &Node<Cmd>) -> Snapshot {
    let (commit, base) = (node.commit_index(), node.log().snapshot_index());
    Snapshot {
        term: node.term(),
        commit,
        base,
        committed: node.log().entries()[..(commit - base) as usize].to_vec(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_sequence_of_inputs_keeps_a_node_consistent(
        inputs in prop::collection::vec(input(), 1..120),
        seed in any::<u64>(),
        config in config(),
    ) {
        let mut node = Node::<Cmd>::new(1, [2, 3, 4], config, seed, 0).unwrap().with_no_op(NO_OP);
        let mut now = 0;
        let mut applied: Vec<Index> = Vec::new();
        for input in inputs {
            let before = snapshot(&node);
            match input {
                Input::Tick(dt) => { now += dt; node.tick(now); }
                Input::Propose(c) => {
                    let accepts = node.role() == Role::Leader && node.transferring_to().is_none();
                    prop_assert_eq!(node.propose(now, c).is_ok(), accepts);
                }
                Input::Read(id) => {
                    let accepts = node.role() == Role::Leader && node.transferring_to().is_none();
                    prop_assert_eq!(node.read(now, id).is_ok(), accepts);
                }
                Input::Transfer(to) => {
                    let was_leader = node.role() == Role::Leader;
                    let ok = node.transfer_leadership(now, to).is_ok();
                    prop_assert_eq!(ok, was_leader && node.peers().contains(&to));
                }
                Input::Deliver(m) => {
                    let ok = node.step(now, m).is_ok();
                    if !ok {
                        prop_assert_eq!(node.term(), before.term, "a refused message changed the term");
                    }
                }
            }
            check_invariants(&node, &before)?;
            // A snapshot from a leader replaces everything applied up to its index.
            #[cfg(feature = "compaction")]
            node.restore_snapshot(|s| applied = (1..=s.last_index).collect());
            node.apply_committed(|i, _| applied.push(i));
            let _ = node.drain_messages().count();
        }
        // Entries are applied in order, each once.
        prop_assert!(applied.iter().enumerate().all(|(k, &i)| i == k as Index + 1));
    }
}

#[derive(Clone, Debug)]
enum Action {
    Deliver,
    Drop,
    Duplicate,
    Timeout(NodeId),
    Heartbeat(NodeId),
    Propose(NodeId, Cmd),
    Crash(NodeId),
    Restart(NodeId),
    /// A read at one of the servers that believe they lead (any, stale ones too).
    Read,
    Transfer(NodeId, NodeId),
    Elapse(u64),
    Isolate(NodeId),
    Heal,
    /// Deliver everything in flight, in order.
    Settle,
}

fn action(n: u32) -> impl Strategy<Value = Action> {
    prop_oneof![
        12 => Just(Action::Deliver),
        1 => Just(Action::Drop),
        1 => Just(Action::Duplicate),
        2 => (1..=n).prop_map(Action::Timeout),
        2 => (1..=n).prop_map(Action::Heartbeat),
        2 => (1..=n, any::<Cmd>()).prop_map(|(id, c)| Action::Propose(id, c)),
        1 => (1..=n).prop_map(Action::Crash),
        1 => (1..=n).prop_map(Action::Restart),
        2 => Just(Action::Read),
        1 => (1..=n, 1..=n).prop_map(|(id, to)| Action::Transfer(id, to)),
        2 => (0u64..200).prop_map(|ms| Action::Elapse(ms * MILLIS)),
        1 => (1..=n).prop_map(Action::Isolate),
        1 => Just(Action::Heal),
    ]
}

/// Weighted towards leaders going stale: cut-off servers, elections elsewhere,
/// writes there and reads at whoever still believes it leads.
fn stale_leader_action(n: u32) -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => Just(Action::Deliver),
        3 => Just(Action::Settle),
        1 => Just(Action::Drop),
        2 => (1..=n).prop_map(Action::Timeout),
        2 => (1..=n).prop_map(Action::Heartbeat),
        3 => (1..=n, any::<Cmd>()).prop_map(|(id, c)| Action::Propose(id, c)),
        4 => Just(Action::Read),
        3 => (0u64..200).prop_map(|ms| Action::Elapse(ms * MILLIS)),
        2 => (1..=n).prop_map(Action::Isolate),
        1 => Just(Action::Heal),
        1 => (1..=n).prop_map(Action::Crash),
        1 => (1..=n).prop_map(Action::Restart),
    ]
}

/// Figure 3's properties and linearizable reads, checked after every action.
fn run_schedule(
    actions: Vec<Action>,
    swap: Vec<prop::sample::Index>,
    config: Config,
) -> Result<(), TestCaseError> {
    let naive = config.read_mode == ReadMode::Naive;
    let mut net = Net::with_config(5, config);
    let mut leaders: BTreeMap<Term, NodeId> = BTreeMap::new();
    // For each read asked: the highest index any server knew committed then.
    let mut asked: BTreeMap<u64, Index> = BTreeMap::new();
    // Every entry known committed, with the term in which it was first seen committed.
    let mut committed: BTreeMap<Index, (Entry<Cmd>, Term)> = BTreeMap::new();
    for (k, a) in actions.into_iter().enumerate() {
        match a {
            Action::Deliver => {
                // Reorder: deliver a random message in flight, not always the oldest.
                net.collect();
                if !net.queue.is_empty() {
                    let i = swap[k].index(net.queue.len());
                    net.queue.swap(0, i);
                    net.deliver_one();
                }
            }
            Action::Drop => {
                net.drop_next();
            }
            Action::Duplicate => {
                net.collect();
                if let Some(m) = net.queue.front().cloned() {
                    net.queue.push_back(m);
                }
            }
            Action::Timeout(id) if !net.down.contains(&id) => net.fire_timeout(id),
            Action::Heartbeat(id)
                if !net.down.contains(&id) && net.node(id).role() == Role::Leader =>
            {
                net.heartbeat(id)
            }
            Action::Propose(id, c) if !net.down.contains(&id) => {
                let now = net.now;
                let _ = net.node_mut(id).propose(now, c);
            }
            Action::Crash(id) => net.crash(id),
            Action::Restart(id) if net.down.contains(&id) => net.restart(id),
            Action::Read => {
                let leading: Vec<NodeId> = net
                    .nodes
                    .iter()
                    .filter(|(id, n)| !net.down.contains(id) && n.role() == Role::Leader)
                    .map(|(&id, _)| id)
                    .collect();
                if leading.is_empty() {
                    continue;
                }
                let id = leading[swap[k].index(leading.len())];
                let now = net.now;
                let known = net
                    .nodes
                    .values()
                    .map(|n| n.commit_index())
                    .max()
                    .unwrap_or(0);
                let rid = k as u64;
                if net.node_mut(id).read(now, rid).is_ok() {
                    asked.insert(rid, known);
                }
            }
            Action::Transfer(id, to) if !net.down.contains(&id) => {
                let now = net.now;
                let _ = net.node_mut(id).transfer_leadership(now, to);
            }
            Action::Elapse(dt) => net.now += dt,
            Action::Isolate(id) => net.isolate(id),
            Action::Heal => net.recover(),
            Action::Settle => net.deliver_all(),
            _ => {}
        }
        net.collect();
        // Linearizable reads (§6.4): a read answered at index i sees every write
        // committed before it was asked. Only the naive mode may break it.
        for node in net.nodes.values_mut() {
            let commit = node.commit_index();
            for outcome in node.take_reads() {
                if let ReadOutcome::Ready { id, index } = outcome {
                    prop_assert!(
                        index <= commit,
                        "read {} answered before its index was committed",
                        id
                    );
                    if !naive {
                        prop_assert!(
                            index >= asked[&id],
                            "stale read {}: index {} < {}",
                            id,
                            index,
                            asked[&id]
                        );
                    }
                }
            }
        }
        // Election Safety: at most one leader per term.
        net.one_leader_per_term(&mut leaders)
            .map_err(TestCaseError::fail)?;
        for (&id, node) in &net.nodes {
            // State Machine Safety: committed entries agree everywhere.
            for i in 1..=node.commit_index() {
                let e = node.log().get(i).cloned().unwrap();
                let (first, _) = committed
                    .entry(i)
                    .or_insert_with(|| (e.clone(), node.term()));
                prop_assert_eq!(&*first, &e, "S{} disagrees at committed index {}", id, i);
            }
        }
        // Leader Completeness: a leader of a later term holds every committed entry.
        for (&id, node) in &net.nodes {
            if node.role() != Role::Leader {
                continue;
            }
            for (&i, (e, term)) in &committed {
                if node.term() > *term {
                    prop_assert_eq!(
                        node.log().get(i),
                        Some(e),
                        "leader S{} lacks committed index {}",
                        id,
                        i
                    );
                }
            }
        }
        // Log Matching: same index and term means same prefix.
        let logs: Vec<&[Entry<Cmd>]> = net.nodes.values().map(|n| n.log().entries()).collect();
        for a in &logs {
            for b in &logs {
                for i in (0..a.len().min(b.len())).rev() {
                    if a[i].term == b[i].term {
                        prop_assert_eq!(&a[..=i], &b[..=i]);
                        break;
                    }
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn random_schedules_keep_raft_safe(
        actions in prop::collection::vec(action(5), 1..400),
        swap in prop::collection::vec(any::<prop::sample::Index>(), 400),
        config in config(),
    ) {
        run_schedule(actions, swap, config)?;
    }

    #[test]
    fn reads_see_every_acknowledged_write_when_leaders_go_stale(
        actions in prop::collection::vec(stale_leader_action(5), 1..200),
        swap in prop::collection::vec(any::<prop::sample::Index>(), 200),
        config in config().prop_filter("safe read modes", |c| c.read_mode != ReadMode::Naive),
    ) {
        run_schedule(actions, swap, config)?;
    }
}
