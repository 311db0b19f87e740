//! A small in-memory network for the paper scenarios: FIFO delivery at the current
//! time, links that can be cut one way or both, nodes that can be isolated, crashed
//! and restarted, and single messages that can be dropped.
#![allow(dead_code)]

use raft_core::{Body, Config, Index, MILLIS, Message, Node, NodeId, Persistent, Role, Term, Time};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

pub type Cmd = u64;

/// The command new leaders append when `Config::no_op` is on.
pub const NO_OP: Cmd = Cmd::MAX;

pub struct Net {
    pub nodes: BTreeMap<NodeId, Node<Cmd>>,
    pub down: BTreeSet<NodeId>,
    pub now: Time,
    pub queue: VecDeque<Message<Cmd>>,
    cut: BTreeSet<(NodeId, NodeId)>,
    pub applied: BTreeMap<NodeId, Vec<(Index, Cmd)>>,
    pub delivered: usize,
    config: Config,
}

pub fn ids(n: usize) -> Vec<NodeId> {
    (1..=n as NodeId).collect()
}

impl Net {
    pub fn new(n: usize) -> Net {
        Net::with_config(n, Config::default())
    }

    pub fn with_config(n: usize, config: Config) -> Net {
        let all = ids(n);
        let nodes = all
            .iter()
            .map(|&id| {
                let peers = all.iter().copied().filter(|&p| p != id);
                let node = Node::new(id, peers, config.clone(), 1000 + id as u64, 0)
                    .unwrap()
                    .with_no_op(NO_OP);
                (id, node)
            })
            .collect();
        Net {
            nodes,
            down: BTreeSet::new(),
            now: 0,
            queue: VecDeque::new(),
            cut: BTreeSet::new(),
            applied: all.iter().map(|&id| (id, Vec::new())).collect(),
            delivered: 0,
            config,
        }
    }

    /// A cluster whose servers start from the given persistent states (index i is
    /// server i + 1), as if they had all just restarted.
    pub fn from_states(states: Vec<Persistent<Cmd>>) -> Net {
        Net::from_states_with(Config::default(), states)
    }

    /// As [`Net::from_states`], with the given configuration.
    pub fn from_states_with(config: Config, states: Vec<Persistent<Cmd>>) -> Net {
        let mut net = Net::with_config(states.len(), config);
        for (i, st) in states.into_iter().enumerate() {
            let id = i as NodeId + 1;
            let peers: Vec<NodeId> = net.nodes[&id].peers().to_vec();
            let node = Node::restart(id, peers, net.config.clone(), st, 7 * id as u64, net.now)
                .unwrap()
                .with_no_op(NO_OP);
            net.nodes.insert(id, node);
        }
        net
    }

    pub fn node(&self, id: NodeId) -> &Node<Cmd> {
        &self.nodes[&id]
    }

    pub fn node_mut(&mut self, id: NodeId) -> &mut Node<Cmd> {
        self.nodes.get_mut(&id).unwrap()
    }

    /// Moves every node's outgoing messages into the network queue.
    pub fn collect(&mut self) {
        for (id, node) in self.nodes.iter_mut() {
            for m in node.drain_messages() {
                if !self.down.contains(id) {
                    self.queue.push_back(m);
                }
            }
            // The state machine is the list of applied commands; a snapshot holds it.
            let applied = self.applied.get_mut(id).unwrap();
            #[cfg(feature = "compaction")]
            node.restore_snapshot(|s| *applied = decode(&s.data));
            node.apply_committed(|i, c| applied.push((i, *c)));
        }
    }

    fn blocked(&self, m: &Message<Cmd>) -> bool {
        self.cut.contains(&(m.from, m.to))
            || self.down.contains(&m.to)
            || self.down.contains(&m.from)
    }

    /// Delivers the oldest message in flight. Returns false if none is left.
    pub fn deliver_one(&mut self) -> bool {
        self.collect();
        let Some(m) = self.queue.pop_front() else {
            return false;
        };
        if !self.blocked(&m) {
            let now = self.now;
            self.delivered += 1;
            self.node_mut(m.to)
                .step(now, m)
                .expect("well-formed message refused");
        }
        self.collect();
        true
    }

    /// Delivers one message in flight, chosen by `pick` among the `n` (a reordering),
    /// if any is.
    pub fn deliver_chosen(&mut self, pick: impl FnOnce(usize) -> usize) {
        self.collect();
        if !self.queue.is_empty() {
            let k = pick(self.queue.len());
            self.queue.swap(0, k);
            self.deliver_one();
        }
    }

    /// True if `id` exists and is running.
    pub fn is_live(&self, id: NodeId) -> bool {
        self.nodes.contains_key(&id) && !self.down.contains(&id)
    }

    /// State Machine Safety on what the servers applied: every state machine went
    /// through a prefix of one sequence of commands.
    pub fn state_machines_agree(&self) -> Result<(), String> {
        let histories: Vec<(&NodeId, &Vec<(Index, Cmd)>)> = self.applied.iter().collect();
        for (a, ha) in &histories {
            for (b, hb) in &histories {
                let n = ha.len().min(hb.len());
                if ha[..n] != hb[..n] {
                    return Err(format!("the state machines of S{a} and S{b} diverged"));
                }
            }
        }
        Ok(())
    }

    /// Election Safety on the servers as they are now: each leader is the first one
    /// seen in its term (`leaders` remembers them from one step of a run to the next).
    pub fn one_leader_per_term(&self, leaders: &mut BTreeMap<Term, NodeId>) -> Result<(), String> {
        for (&id, node) in &self.nodes {
            if node.role() == Role::Leader {
                let first = *leaders.entry(node.term()).or_insert(id);
                if first != id {
                    return Err(format!(
                        "two leaders in term {}: S{first} and S{id}",
                        node.term()
                    ));
                }
            }
        }
        Ok(())
    }

    /// Delivers messages until none is in flight.
    pub fn deliver_all(&mut self) {
        let mut guard = 0;
        while self.deliver_one() {
            guard += 1;
            assert!(guard < 1_000_000, "message storm");
        }
    }

    /// Drops the oldest message in flight and returns it.
    pub fn drop_next(&mut self) -> Option<Message<Cmd>> {
        self.collect();
        self.queue.pop_front()
    }

    /// Makes `id`'s election timer fire now, and lets it act.
    pub fn fire_timeout(&mut self, id: NodeId) {
        let now = self.now;
        let node = self.node_mut(id);
        node.set_election_deadline(now);
        node.tick(now);
        self.collect();
    }

    /// Fires `id`'s timeout and delivers everything: an election in one round.
    pub fn elect(&mut self, id: NodeId) {
        self.fire_timeout(id);
        self.deliver_all();
        assert_eq!(self.node(id).role(), Role::Leader, "S{id} did not win");
    }

    /// Lets `dt` of simulated time pass in steps of 1 ms; at every step each live node
    /// ticks and every message in flight is delivered.
    pub fn run_for(&mut self, dt: Time) {
        let end = self.now + dt;
        while self.now < end {
            self.now = (self.now + MILLIS).min(end);
            let now = self.now;
            for (id, node) in self.nodes.iter_mut() {
                if !self.down.contains(id) {
                    node.tick(now);
                }
            }
            self.deliver_all();
        }
    }

    /// Runs until some live node is leader (at most `limit`), returning it.
    pub fn run_until_leader(&mut self, limit: Time) -> Option<NodeId> {
        let end = self.now + limit;
        while self.now < end {
            if let Some(l) = self.leader() {
                return Some(l);
            }
            self.run_for(MILLIS);
        }
        self.leader()
    }

    pub fn propose(&mut self, id: NodeId, c: Cmd) -> Index {
        let now = self.now;
        let idx = self.node_mut(id).propose(now, c).expect("not leader");
        self.collect();
        idx
    }

    /// A leader's heartbeat round now.
    pub fn heartbeat(&mut self, id: NodeId) {
        let now = self.now;
        let node = self.node_mut(id);
        let due = node.heartbeat_deadline().expect("not leader");
        node.tick(now.max(due));
        self.now = self.now.max(due);
        self.collect();
    }

    /// The live leader with the highest term, if any.
    pub fn leader(&self) -> Option<NodeId> {
        self.nodes
            .iter()
            .filter(|(id, n)| !self.down.contains(id) && n.role() == Role::Leader)
            .max_by_key(|(_, n)| n.term())
            .map(|(&id, _)| id)
    }

    pub fn leaders_in_term(&self, term: Term) -> Vec<NodeId> {
        self.nodes
            .iter()
            .filter(|(_, n)| n.role() == Role::Leader && n.term() == term)
            .map(|(&id, _)| id)
            .collect()
    }

    pub fn cut(&mut self, a: NodeId, b: NodeId) {
        self.cut.insert((a, b));
        self.cut.insert((b, a));
    }

    pub fn cut_one_way(&mut self, from: NodeId, to: NodeId) {
        self.cut.insert((from, to));
    }

    /// Cuts every link between `id` and the rest.
    pub fn isolate(&mut self, id: NodeId) {
        let others: Vec<NodeId> = self.nodes.keys().copied().filter(|&o| o != id).collect();
        for o in others {
            self.cut(id, o);
        }
    }

    /// Splits the cluster in two islands.
    pub fn partition(&mut self, island: &[NodeId]) {
        let all: Vec<NodeId> = self.nodes.keys().copied().collect();
        for &a in island {
            for &b in &all {
                if !island.contains(&b) {
                    self.cut(a, b);
                }
            }
        }
    }

    /// Restores every link.
    pub fn recover(&mut self) {
        self.cut.clear();
    }

    /// Crashes a node: it loses everything volatile and stops acting.
    pub fn crash(&mut self, id: NodeId) {
        self.down.insert(id);
        let _ = self.node_mut(id).drain_messages().count();
    }

    /// Restarts a crashed node from its persistent state.
    pub fn restart(&mut self, id: NodeId) {
        let old = &self.nodes[&id];
        let state = old.persistent();
        let peers = old.peers().to_vec();
        let node = Node::restart(
            id,
            peers,
            self.config.clone(),
            state,
            99 + id as u64,
            self.now,
        )
        .unwrap()
        .with_no_op(NO_OP);
        self.nodes.insert(id, node);
        self.down.remove(&id);
    }

    /// The configuration every server was built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// A new server joins: it knows no member and waits for a leader (§6).
    #[cfg(feature = "membership")]
    pub fn join(&mut self, id: NodeId) {
        let node = Node::joining(id, self.config.clone(), 1000 + id as u64, self.now)
            .unwrap()
            .with_no_op(NO_OP);
        self.nodes.insert(id, node);
        self.applied.insert(id, Vec::new());
    }

    /// The leader `leader` starts a membership change; every message is then
    /// delivered, with heartbeats until nothing changes (a learner catches up, the
    /// joint configuration commits and `C_new` follows).
    #[cfg(feature = "membership")]
    pub fn change(&mut self, leader: NodeId, change: raft_core::Change) -> Index {
        let now = self.now;
        let index = self
            .node_mut(leader)
            .change_membership(now, change)
            .expect("change refused");
        self.settle_with_heartbeats(leader);
        index
    }

    /// Delivers everything, and sends heartbeats while `leader` leads, a few rounds.
    pub fn settle_with_heartbeats(&mut self, leader: NodeId) {
        for _ in 0..6 {
            self.deliver_all();
            if self.node(leader).role() != Role::Leader || self.down.contains(&leader) {
                return;
            }
            self.heartbeat(leader);
        }
        self.deliver_all();
    }

    /// Log compaction (§7): `id` snapshots its state machine (the commands it
    /// applied) and drops the entries up to its last applied one.
    #[cfg(feature = "compaction")]
    pub fn compact(&mut self, id: NodeId) -> Index {
        let data = encode(&self.applied[&id]);
        let node = self.node_mut(id);
        let upto = node.last_applied();
        node.compact(upto, data).expect("compaction refused");
        upto
    }

    pub fn log_terms(&self, id: NodeId) -> Vec<Term> {
        self.node(id)
            .log()
            .entries()
            .iter()
            .map(|e| e.term)
            .collect()
    }

    pub fn log_commands(&self, id: NodeId) -> Vec<Cmd> {
        self.node(id)
            .log()
            .entries()
            .iter()
            .map(|e| e.command)
            .collect()
    }
}

/// The test state machine's snapshot: its applied commands, 8 bytes each.
pub fn encode(applied: &[(Index, Cmd)]) -> Vec<u8> {
    applied.iter().flat_map(|(_, c)| c.to_le_bytes()).collect()
}

/// The applied commands a snapshot holds, with their indices from 1.
pub fn decode(data: &[u8]) -> Vec<(Index, Cmd)> {
    data.chunks_exact(8)
        .enumerate()
        .map(|(i, b)| (i as Index + 1, Cmd::from_le_bytes(b.try_into().unwrap())))
        .collect()
}

/// A persistent state whose log has the given terms (commands are the indices).
#[allow(clippy::needless_update)] // the snapshot field exists with `compaction` only
pub fn state(current_term: Term, voted_for: Option<NodeId>, terms: &[Term]) -> Persistent<Cmd> {
    Persistent {
        current_term,
        voted_for,
        log: terms
            .iter()
            .enumerate()
            .map(|(i, &term)| raft_core::Entry::new(term, i as Cmd + 1))
            .collect(),
        ..Default::default()
    }
}

/// Builds a message by hand.
pub fn msg(from: NodeId, to: NodeId, term: Term, body: Body<Cmd>) -> Message<Cmd> {
    Message {
        from,
        to,
        term,
        body,
    }
}
