//! The model the search explores: a small cluster of raft-core servers, a network
//! that may deliver any message it holds in any order, once or twice, or never, and
//! the simulator's own safety checker watching every state.
//!
//! Time does not pass in the model: a server's timer fires only when a step says so
//! (a timeout for a follower or candidate, a heartbeat for a leader). Every timing
//! the simulator can produce is one of these orders, and many it would need hours of
//! random runs to stumble on.

use crate::checker::Checker;
use crate::{Command, SimConfig};
use raft_core::{Body, Config, Index, Message, Node, NodeId, ReadOutcome, Role, Term};
use std::collections::BTreeSet;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// How far the search goes. The space it explores is every run within these bounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Servers in the cluster.
    pub servers: usize,
    /// No server times out beyond this term.
    pub max_term: u64,
    /// A leader takes no command once its log holds this many entries.
    pub max_log: usize,
    /// Client commands in the whole run (Set 1, Set 2, …).
    pub commands: u8,
    /// Crashes (each followed at once by a restart from stable storage).
    pub restarts: u8,
    /// Messages delivered a second time.
    pub duplicates: u8,
    /// Messages in flight on one link (from one server to another): one sent while
    /// the link holds this many is lost.
    pub link_capacity: usize,
    /// Client reads at the leader. Only for the naive read: ReadIndex and leases
    /// count rounds of heartbeats and clocks, which the model leaves out (the
    /// simulator's campaigns check them).
    pub reads: u8,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            servers: 3,
            max_term: 3,
            max_log: 2,
            commands: 2,
            restarts: 1,
            duplicates: 1,
            link_capacity: 2,
            reads: 0,
        }
    }
}

/// One step of a run.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// A follower's or candidate's election timer fires.
    Timeout(NodeId),
    /// A leader's heartbeat timer fires.
    Heartbeat(NodeId),
    /// A client sends a command to the leader.
    Propose(NodeId, Command),
    /// A client reads the register at the leader.
    Read(NodeId),
    /// A message arrives (and leaves the network).
    Deliver(Message<Command>),
    /// A message arrives and stays in the network: it may arrive again.
    Duplicate(Message<Command>),
    /// A server crashes and restarts from its stable storage.
    Restart(NodeId),
}

/// A state of the cluster, with what the checker remembers of how it got there.
#[derive(Clone, Debug)]
pub struct State {
    /// S1…Sn.
    pub nodes: Vec<Node<Command>>,
    /// The messages sent and not yet delivered (or delivered and duplicable).
    pub network: BTreeSet<Message<Command>>,
    /// The simulator's safety checker.
    pub checker: Checker,
    /// Commands sent so far.
    pub proposed: u8,
    /// Restarts so far.
    pub restarts: u8,
    /// Duplicate deliveries so far.
    pub duplicates: u8,
    /// Writes taken by a leader and not yet acknowledged: (leader, index, term).
    pub pending: Vec<(NodeId, Index, Term)>,
    /// The highest index of a write acknowledged to its client.
    pub acknowledged: Index,
    /// For each read asked, the acknowledged index when it was asked.
    pub floors: Vec<Index>,
}

/// Feeds what decides a server's future into `h`: everything but its clock, its
/// timers and its random draws, which only matter when a timer fires by itself
/// (never, in the model), and the numbering of its rounds (reads are not modelled).
///
/// `rename` renames the servers it names (the identity, but to compare a server with
/// its mirror image under a symmetry).
fn hash_node<H: Hasher>(n: &Node<Command>, rename: &impl Fn(NodeId) -> NodeId, h: &mut H) {
    let (voted_for, leader) = (n.voted_for().map(rename), n.leader().map(rename));
    (n.term(), voted_for, n.role(), leader).hash(h);
    n.log().entries().hash(h);
    (n.commit_index(), n.last_applied()).hash(h);
    let mut votes: Vec<NodeId> = n.votes().iter().map(|&v| rename(v)).collect();
    votes.sort_unstable();
    votes.hash(h);
    let mut progress: Vec<_> = n
        .progress()
        .iter()
        .map(|p| {
            (
                rename(p.peer),
                p.next_index,
                p.match_index,
                p.state,
                p.paused,
                &p.inflight,
            )
        })
        .collect();
    progress.sort_unstable_by_key(|p| p.0);
    progress.hash(h);
    // What a crash would keep, when a deviation makes it less than the above.
    if !n.config().deviations.is_empty() {
        let stored = n.persistent();
        (
            stored.current_term,
            stored.voted_for.map(rename),
            stored.log,
        )
            .hash(h);
    }
}

fn same(x: NodeId) -> NodeId {
    x
}

/// The renaming that swaps servers `i` and `j`.
fn swap(i: NodeId, j: NodeId) -> impl Fn(NodeId) -> NodeId {
    move |x| match x {
        x if x == i => j,
        x if x == j => i,
        x => x,
    }
}

fn renamed(m: &Message<Command>, rename: &impl Fn(NodeId) -> NodeId) -> Message<Command> {
    Message {
        from: rename(m.from),
        to: rename(m.to),
        ..m.clone()
    }
}

/// A step with its servers renamed.
fn renamed_step(step: &Step, rename: &impl Fn(NodeId) -> NodeId) -> Step {
    match step {
        Step::Timeout(id) => Step::Timeout(rename(*id)),
        Step::Heartbeat(id) => Step::Heartbeat(rename(*id)),
        Step::Propose(id, c) => Step::Propose(rename(*id), *c),
        Step::Read(id) => Step::Read(rename(*id)),
        Step::Deliver(m) => Step::Deliver(renamed(m, rename)),
        Step::Duplicate(m) => Step::Duplicate(renamed(m, rename)),
        Step::Restart(id) => Step::Restart(rename(*id)),
    }
}

fn node_print(n: &Node<Command>, rename: &impl Fn(NodeId) -> NodeId) -> u64 {
    let mut h = DefaultHasher::new();
    hash_node(n, rename, &mut h);
    h.finish()
}

/// True if swapping servers `i` and `j` leaves `s` as it is: each server, renamed,
/// is its mirror's equal, the network is its own mirror image, and neither has a
/// past of its own (led a term, took a write).
fn symmetric(s: &State, i: NodeId, j: NodeId) -> bool {
    let rename = swap(i, j);
    let history = s.checker.leaders().iter().any(|(_, &l)| l == i || l == j)
        || s.pending.iter().any(|&(l, ..)| l == i || l == j);
    !history
        && s.nodes.iter().all(|n| {
            let mirror = &s.nodes[rename(n.id()) as usize - 1];
            node_print(mirror, &rename) == node_print(n, &same)
        })
        && s.network
            .iter()
            .all(|m| s.network.contains(&renamed(m, &rename)))
}

impl Hash for State {
    fn hash<H: Hasher>(&self, h: &mut H) {
        for n in &self.nodes {
            hash_node(n, &same, h);
        }
        self.network.hash(h);
        self.checker.hash_history(h);
        (self.proposed, self.restarts, self.duplicates).hash(h);
        (&self.pending, self.acknowledged, &self.floors).hash(h);
    }
}

impl PartialEq for State {
    fn eq(&self, other: &State) -> bool {
        fingerprint(self) == fingerprint(other)
    }
}

fn fingerprint(s: &State) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

impl State {
    /// The first violation the checker saw, if any.
    pub fn broken(&self) -> Option<&crate::Violation> {
        self.checker.violations().first()
    }
}

/// A message as the model keeps it: the round a leader numbers its heartbeats with
/// (for reads) is left out, so that heartbeats that say the same thing are the same.
pub fn plain(mut m: Message<Command>) -> Message<Command> {
    match &mut m.body {
        Body::AppendEntries { round, .. } | Body::AppendEntriesReply { round, .. } => *round = 0,
        _ => {}
    }
    m
}

/// The model of a cluster with the given Raft configuration.
#[derive(Clone, Debug)]
pub struct RaftModel {
    /// The bounds of the search.
    pub bounds: Bounds,
    /// The servers' configuration (its deviations included).
    pub config: Config,
    /// Steps taken before the search starts (none: it starts from a fresh cluster).
    pub start: Vec<Step>,
}

impl RaftModel {
    /// A model of the default configuration with `bug` in it (none: the paper).
    pub fn new(bounds: Bounds, bug: Option<super::Bug>) -> RaftModel {
        RaftModel::with_config(bounds, Config::default(), bug)
    }

    /// A model of the given Raft configuration with `bug` in it.
    pub fn with_config(bounds: Bounds, mut config: Config, bug: Option<super::Bug>) -> RaftModel {
        if let Some(bug) = bug {
            bug.configure(&mut config);
        }
        RaftModel {
            bounds,
            config,
            start: Vec::new(),
        }
    }

    /// Where the search starts: a fresh cluster, after the scripted start if any.
    pub fn first_state(&self) -> Option<State> {
        stateright::Model::init_states(self).pop()
    }

    /// The steps the search considers from `s`.
    pub fn steps(&self, s: &State) -> Vec<Step> {
        let mut steps = Vec::new();
        stateright::Model::actions(self, s, &mut steps);
        steps
    }

    /// The state after `step`, if it can be taken.
    pub fn take(&self, s: &State, step: Step) -> Option<State> {
        stateright::Model::next_state(self, s, step)
    }

    /// The state of a fresh cluster: S1…Sn in term 0, empty logs, nothing in flight.
    pub fn fresh(&self) -> Option<State> {
        let n = self.bounds.servers;
        let mut nodes = Vec::with_capacity(n);
        for id in self.ids() {
            let peers = self.ids().filter(move |&p| p != id);
            let node = Node::new(id, peers, self.config.clone(), id as u64, 0).ok()?;
            nodes.push(node.with_no_op(Command::Noop));
        }
        let mut s = State {
            nodes,
            network: BTreeSet::new(),
            checker: Checker::new(n),
            proposed: 0,
            restarts: 0,
            duplicates: 0,
            pending: Vec::new(),
            acknowledged: 0,
            floors: Vec::new(),
        };
        for id in self.ids() {
            self.settle(&mut s, id);
        }
        Some(s)
    }

    /// The simulator configuration that replays the model's runs: timers and
    /// latencies so long that nothing happens unless a step makes it happen.
    pub fn sim_config(&self) -> SimConfig {
        let minute = 60_000 * raft_core::MILLIS;
        SimConfig {
            nodes: self.bounds.servers,
            raft: Config {
                election_timeout_min: 30 * minute,
                election_timeout_max: 60 * minute,
                heartbeat_interval: 15 * minute,
                ..self.config.clone()
            },
            latency_min: 60 * minute,
            latency_max: 60 * minute,
            ..SimConfig::default()
        }
    }

    fn ids(&self) -> impl Iterator<Item = NodeId> + use<> {
        1..=self.bounds.servers as NodeId
    }

    /// Hands `m` to its receiver; returns the receiver.
    fn deliver(&self, s: &mut State, m: Message<Command>) -> Option<NodeId> {
        let to = m.to;
        // A message no correct server could send is refused and changes nothing; a
        // deviation can make such messages.
        let _ = s.nodes.get_mut(to as usize - 1)?.step(0, m);
        Some(to)
    }

    /// After server `id` acted: its messages go into the network, it applies what it
    /// committed, and the checker looks at it (as the simulator's `settle` does).
    fn settle(&self, s: &mut State, id: NodeId) {
        let i = id as usize - 1;
        let node = &mut s.nodes[i];
        let sent: Vec<Message<Command>> = node.drain_messages().map(plain).collect();
        for m in sent {
            let on_link = s
                .network
                .iter()
                .filter(|o| (o.from, o.to) == (m.from, m.to))
                .count();
            if on_link < self.bounds.link_capacity {
                s.network.insert(m);
            }
        }
        let mut applied = Vec::new();
        node.apply_committed(|index, c| applied.push((index, *c)));
        for (index, c) in applied {
            s.checker.applied(0, id, index, c);
        }
        s.checker.observe(0, &s.nodes[i]);
        // A write is acknowledged once the leader that took it commits it; a read
        // answered must include every write acknowledged before it was asked (as the
        // simulator does it).
        let node = &s.nodes[i];
        let acknowledged = &mut s.acknowledged;
        s.pending.retain(|&(leader, index, term)| {
            let done = leader == id && crate::sim::acknowledges(node, index, term);
            if done {
                *acknowledged = (*acknowledged).max(index);
            }
            !done
        });
        let served = s.nodes[i].last_applied();
        for outcome in s.nodes[i].take_reads() {
            if let ReadOutcome::Ready { id: read, .. } = outcome {
                let floor = s.floors.get(read as usize).copied().unwrap_or(0);
                s.checker.read_answered(0, id, read as usize, floor, served);
            }
        }
        // Replies that can no longer change anything go: an answer to an election or
        // a leader of a term its receiver has left (or is no longer candidate or
        // leader in) is ignored whenever it arrives, since terms never go back and a
        // server never stands twice in one term.
        let nodes = &s.nodes;
        s.network.retain(|m| {
            let r = &nodes[m.to as usize - 1];
            let waiting = match m.body {
                Body::RequestVoteReply { .. } => Role::Candidate,
                Body::PreVoteReply { .. } => return true,
                Body::AppendEntriesReply { .. } => Role::Leader,
                _ => return true,
            };
            m.term > r.term() || (m.term == r.term() && r.role() == waiting)
        });
    }
}

impl stateright::Model for RaftModel {
    type State = State;
    type Action = Step;

    fn init_states(&self) -> Vec<State> {
        let mut s = self.fresh();
        for step in &self.start {
            s = s.and_then(|s| self.next_state(&s, step.clone()));
        }
        s.into_iter().collect()
    }

    fn actions(&self, s: &State, actions: &mut Vec<Step>) {
        if s.broken().is_some() {
            return; // a counterexample ends here
        }
        let b = &self.bounds;
        for node in &s.nodes {
            let id = node.id();
            if node.role() == Role::Leader {
                actions.push(Step::Heartbeat(id));
                if s.proposed < b.commands && node.log().entries().len() < b.max_log {
                    let command = Command::Set(i64::from(s.proposed) + 1);
                    actions.push(Step::Propose(id, command));
                }
                if s.floors.len() < usize::from(b.reads) {
                    actions.push(Step::Read(id));
                }
            } else if node.term() < b.max_term {
                actions.push(Step::Timeout(id));
            }
            if s.restarts < b.restarts {
                actions.push(Step::Restart(id));
            }
        }
        for m in &s.network {
            actions.push(Step::Deliver(m.clone()));
            if s.duplicates < b.duplicates {
                actions.push(Step::Duplicate(m.clone()));
            }
        }
        // Symmetry: where swapping two servers leaves the state as it is (at the
        // start, all are alike), a step and its mirror image lead to mirror states,
        // which break the same properties after as many steps; only the smaller of
        // the two is taken.
        let n = self.bounds.servers as NodeId;
        let mut twins = Vec::new();
        for i in 1..=n {
            for j in i + 1..=n {
                if symmetric(s, i, j) {
                    twins.push(swap(i, j));
                }
            }
        }
        if !twins.is_empty() {
            actions.retain(|a| twins.iter().all(|t| renamed_step(a, t) >= *a));
        }
    }

    fn next_state(&self, last: &State, step: Step) -> Option<State> {
        let mut s = last.clone();
        let id = match step {
            Step::Timeout(id) => {
                let node = &mut s.nodes[id as usize - 1];
                node.set_election_deadline(0);
                node.tick(0);
                id
            }
            Step::Heartbeat(id) => {
                let node = &mut s.nodes[id as usize - 1];
                node.set_heartbeat_deadline(0);
                node.tick(0);
                id
            }
            Step::Propose(id, command) => {
                let node = &mut s.nodes[id as usize - 1];
                let index = node.propose(0, command).ok()?;
                s.pending.push((id, index, node.term()));
                s.proposed += 1;
                id
            }
            Step::Read(id) => {
                let read = s.floors.len() as u64;
                s.nodes[id as usize - 1].read(0, read).ok()?;
                s.floors.push(s.acknowledged);
                id
            }
            Step::Deliver(m) => {
                s.network.remove(&m);
                self.deliver(&mut s, m)?
            }
            Step::Duplicate(m) => {
                s.duplicates += 1;
                self.deliver(&mut s, m)?
            }
            Step::Restart(id) => {
                let old = &s.nodes[id as usize - 1];
                let peers = old.peers().to_vec();
                let stored = old.persistent();
                let seed = u64::from(id) + 100 * u64::from(s.restarts + 1);
                let node = Node::restart(id, peers, self.config.clone(), stored, seed, 0).ok()?;
                s.nodes[id as usize - 1] = node.with_no_op(Command::Noop);
                s.restarts += 1;
                s.checker.restarted(id);
                id
            }
        };
        self.settle(&mut s, id);
        Some(s)
    }

    fn properties(&self) -> Vec<stateright::Property<Self>> {
        vec![stateright::Property::always("safety", |_, s: &State| {
            s.broken().is_none()
        })]
    }
}
