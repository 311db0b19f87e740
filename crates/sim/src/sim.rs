//! The simulation: a cluster of raft-core servers in simulated time, driven by a
//! discrete-event queue, with a network that delays, loses, duplicates, reorders and
//! partitions messages.

use crate::checker::{Checker, Violation};
use crate::network::Network;
use crate::{Command, Register, SimConfig};
use fnv::FnvHasher;
use raft_core::{Index, Message, MessageKind, Node, NodeId, Role, Term, Time};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg32;
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::fmt;
use std::hash::Hasher;

/// Identifies one message for as long as the simulation lives.
pub type MsgId = u64;

/// A message on the wire.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InFlight {
    /// Its identity (for dropping it by hand).
    pub id: MsgId,
    /// The message itself.
    pub msg: Message<Command>,
    /// When it left its sender.
    pub sent_at: Time,
    /// When it reaches its receiver, unless it is lost first.
    pub deliver_at: Time,
    /// When and why it will be lost on the way, if it will.
    pub lost: Option<(Time, DropReason)>,
}

impl InFlight {
    /// How far along the line from sender to receiver it is at `now`, 0 to 1.
    pub fn progress(&self, now: Time) -> f64 {
        let span = self.deliver_at.saturating_sub(self.sent_at).max(1);
        (now.saturating_sub(self.sent_at) as f64 / span as f64).clamp(0.0, 1.0)
    }
}

/// Why a message never arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum DropReason {
    /// Its link was cut (a partition or a single cut link).
    Partition,
    /// The network lost it (the loss probability).
    Loss,
    /// Its receiver was down when it arrived.
    ReceiverDown,
    /// Someone dropped it by hand.
    Dropped,
}

impl DropReason {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            DropReason::Partition => "partition",
            DropReason::Loss => "loss",
            DropReason::ReceiverDown => "receiver-down",
            DropReason::Dropped => "dropped",
        }
    }
}

/// A message that was lost, kept for a while so that a view can fade it out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dropped {
    /// The message as it was in flight.
    pub flight: InFlight,
    /// When it was lost.
    pub at: Time,
    /// Why.
    pub reason: DropReason,
}

/// True with probability `p`, drawn exactly as `random_bool` draws it but without its
/// panic message for a `p` outside 0..=1 (validated configurations never have one),
/// which would bring float formatting into the page. Draws nothing when `p` is 0.
fn chance(rng: &mut Pcg32, p: f64) -> bool {
    p > 0.0 && rand::distr::Bernoulli::new(p).is_ok_and(|b| rng.sample(b))
}

/// One of the user's actions on the cluster.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Stop a server: it keeps only its persistent state.
    Crash {
        /// The server.
        node: NodeId,
    },
    /// Start a stopped server again from its persistent state.
    Restart {
        /// The server.
        node: NodeId,
    },
    /// Make a server's election timer fire now.
    Timeout {
        /// The server.
        node: NodeId,
    },
    /// Give the chosen followers and candidates the same election deadline (the
    /// earliest of theirs), so that they stand together.
    AlignTimers {
        /// The servers (leaders and stopped servers are skipped).
        nodes: Vec<NodeId>,
    },
    /// Space the chosen servers' election deadlines evenly over the timeout range, so
    /// that one times out well before the next.
    SpreadTimers {
        /// The servers (leaders and stopped servers are skipped).
        nodes: Vec<NodeId>,
    },
    /// Split the network into islands; servers listed nowhere form one more island.
    Partition {
        /// The islands.
        islands: Vec<Vec<NodeId>>,
    },
    /// Cut the link from one server to another (both ways unless `one_way`).
    CutLink {
        /// One end.
        from: NodeId,
        /// The other end.
        to: NodeId,
        /// Cut only the direction from `from` to `to`.
        one_way: bool,
    },
    /// Restore a link cut by [`Action::CutLink`] (both ways unless `one_way`).
    RestoreLink {
        /// One end.
        from: NodeId,
        /// The other end.
        to: NodeId,
        /// Restore only the direction from `from` to `to`.
        one_way: bool,
    },
    /// Restore full connectivity.
    Heal,
    /// Lose one message in flight.
    DropMessage {
        /// The message.
        id: MsgId,
    },
    /// A client sends a command to a server.
    Submit {
        /// The server.
        node: NodeId,
        /// The command.
        command: Command,
    },
    /// Change the network's behaviour from now on.
    SetNetwork {
        /// Smallest latency (µs).
        latency_min: Time,
        /// Largest latency (µs).
        latency_max: Time,
        /// Loss probability.
        loss: f64,
        /// Duplication probability.
        duplicate: f64,
        /// Reordering probability.
        reorder: f64,
    },
}

/// An action as recorded: when it happened, and after how many queue events, so that
/// a replay applies it at exactly the same point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimedAction {
    /// Simulated time.
    pub at: Time,
    /// Queue events processed before it.
    pub after: u64,
    /// The action.
    pub action: Action,
}

/// Why an action could not be done. The simulation is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionError {
    /// No server has that id.
    NoSuchNode(NodeId),
    /// The server is already stopped.
    AlreadyDown(NodeId),
    /// The server is already running.
    AlreadyUp(NodeId),
    /// The server is stopped.
    NodeDown(NodeId),
    /// A leader has no election timer.
    IsLeader(NodeId),
    /// A server appears in two islands.
    TwoIslands(NodeId),
    /// No message with that id is in flight.
    NoSuchMessage(MsgId),
    /// The network settings are invalid.
    BadNetwork(String),
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::NoSuchNode(n) => write!(f, "there is no server S{n}"),
            ActionError::AlreadyDown(n) => write!(f, "S{n} is already stopped"),
            ActionError::AlreadyUp(n) => write!(f, "S{n} is already running"),
            ActionError::NodeDown(n) => write!(f, "S{n} is stopped"),
            ActionError::IsLeader(n) => write!(f, "S{n} is the leader: it has no election timer"),
            ActionError::TwoIslands(n) => write!(f, "S{n} cannot be on two islands"),
            ActionError::NoSuchMessage(id) => write!(f, "message #{id} is not in flight"),
            ActionError::BadNetwork(why) => write!(f, "bad network settings: {why}"),
        }
    }
}

impl std::error::Error for ActionError {}

/// What a client got back from the server it asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientOutcome {
    /// The leader appended the command at `index` in `term`.
    Accepted {
        /// Log index.
        index: Index,
        /// The leader's term.
        term: Term,
    },
    /// Not the leader: try `leader` (or nobody known).
    Redirect {
        /// The leader the server knows of.
        leader: Option<NodeId>,
    },
    /// The server is stopped.
    Down,
}

/// A client request and its fate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClientRequest {
    /// When it was sent.
    pub at: Time,
    /// To which server.
    pub node: NodeId,
    /// The command.
    pub command: Command,
    /// The immediate answer.
    pub outcome: ClientOutcome,
    /// When the entry was known committed (the client's acknowledgement), if yet.
    pub committed_at: Option<Time>,
}

/// What one step of the simulation did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum StepEvent {
    /// A message reached its receiver.
    Delivered {
        /// The message.
        id: MsgId,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// Its kind.
        kind: MessageKind,
    },
    /// A message was lost.
    Dropped {
        /// The message.
        id: MsgId,
        /// Why.
        reason: DropReason,
    },
    /// A server's timer fired (election timeout or heartbeat).
    Timer {
        /// The server.
        node: NodeId,
        /// Its role after acting.
        role: Role,
    },
}

/// A message's whole trip, kept for a while for the space-time diagram.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trip {
    /// The message's id (the same as while it was in flight).
    pub id: MsgId,
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// Kind.
    pub kind: MessageKind,
    /// The sender's term.
    pub term: Term,
    /// Entries carried (AppendEntries).
    pub entries: usize,
    /// When it was sent.
    pub sent_at: Time,
    /// When it arrived or was lost.
    pub ended_at: Time,
    /// `None` if it arrived, else why it was lost.
    pub lost: Option<DropReason>,
}

/// Something worth marking on a timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    /// When.
    pub at: Time,
    /// Which server.
    pub node: NodeId,
    /// What.
    pub kind: NoteKind,
}

/// The kinds of [`Note`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum NoteKind {
    /// The server stood for election in this term.
    Candidate(Term),
    /// The server became leader of this term.
    Leader(Term),
    /// The leader committed up to this index.
    Commit(Index),
    /// The server stopped.
    Crash,
    /// The server restarted.
    Restart,
}

/// One server of the simulated cluster.
#[derive(Clone, Debug)]
pub struct Server {
    /// The Raft state machine (frozen while the server is stopped).
    pub node: Node<Command>,
    /// False while stopped.
    pub alive: bool,
    /// Its replica of the register.
    pub register: Register,
    /// The wake-up currently scheduled in the queue.
    timer: Option<Time>,
    /// How many times it was restarted.
    pub restarts: u32,
    /// Role, term and commit index at the last look, for notes.
    seen: (Role, Term, Index),
}

/// Counters over a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Events processed (deliveries, losses, timers).
    pub events: u64,
    /// Messages sent.
    pub sent: u64,
    /// Messages delivered.
    pub delivered: u64,
    /// Messages lost.
    pub dropped: u64,
    /// Messages a server refused as malformed (always 0 between correct servers).
    pub refused: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum EventKind {
    Arrive(MsgId),
    Lose(MsgId),
    Timer(NodeId, Time),
}

/// A queue entry, ordered by time, then by insertion (deterministic tie-breaking).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Queued {
    at: Time,
    seq: u64,
    kind: EventKind,
}

/// How long dropped messages stay visible for fading.
const DROP_RETENTION: Time = 2_000_000;

/// The messages in flight, by id. Ids are given in sending order, so the messages sit
/// in a queue from the oldest still in flight; one delivered out of order leaves an
/// empty slot until the older ones are gone. Every operation is O(1), and no map code
/// goes into the page.
#[derive(Clone, Debug, Default)]
struct Flights {
    /// Id of the first slot.
    base: MsgId,
    slots: VecDeque<Option<InFlight>>,
}

impl Flights {
    /// Adds a message; its id is above every id added before.
    fn insert(&mut self, f: InFlight) {
        if self.slots.is_empty() {
            self.base = f.id;
        }
        let Some(k) = f.id.checked_sub(self.base) else {
            return;
        };
        while (self.slots.len() as u64) < k {
            self.slots.push_back(None);
        }
        if (self.slots.len() as u64) == k {
            self.slots.push_back(Some(f));
        } else if let Some(slot) = self.slots.get_mut(k as usize) {
            *slot = Some(f);
        }
    }

    fn slot(&self, id: MsgId) -> Option<usize> {
        usize::try_from(id.checked_sub(self.base)?).ok()
    }

    fn get(&self, id: MsgId) -> Option<&InFlight> {
        self.slots.get(self.slot(id)?)?.as_ref()
    }

    fn remove(&mut self, id: MsgId) -> Option<InFlight> {
        let k = self.slot(id)?;
        let f = self.slots.get_mut(k)?.take();
        while let Some(None) = self.slots.front() {
            self.slots.pop_front();
            self.base += 1;
        }
        f
    }

    /// Oldest first.
    fn iter(&self) -> impl Iterator<Item = &InFlight> {
        self.slots.iter().flatten()
    }
}

/// A simulated Raft cluster. See the crate documentation.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// The configuration the run started with (actions may change the network's).
    initial: SimConfig,
    config: SimConfig,
    seed: u64,
    now: Time,
    servers: Vec<Server>,
    queue: BinaryHeap<Reverse<Queued>>,
    seq: u64,
    processed: u64,
    in_flight: Flights,
    next_msg: MsgId,
    drops: VecDeque<Dropped>,
    network: Network,
    rng: Pcg32,
    actions: Vec<TimedAction>,
    clients: Vec<ClientRequest>,
    checker: Checker,
    hash: u64,
    stats: Stats,
    check: bool,
    history: VecDeque<Trip>,
    history_window: Time,
    notes: Vec<Note>,
}

/// The seed of server `id`'s PRNG in its `life`-th lifetime.
fn node_seed(seed: u64, id: NodeId, life: u32) -> u64 {
    let mut h = FnvHasher::default();
    h.write_u64(seed);
    h.write_u32(id);
    h.write_u32(life);
    h.finish()
}

impl Simulation {
    /// A cluster of `config.nodes` fresh servers S1…Sn at time 0.
    pub fn new(config: SimConfig, seed: u64) -> Result<Self, crate::ConfigError> {
        config.validate()?;
        let n = config.nodes as NodeId;
        let mut servers = Vec::with_capacity(config.nodes);
        for id in 1..=n {
            let peers = (1..=n).filter(|&p| p != id);
            let node = Node::new(id, peers, config.raft.clone(), node_seed(seed, id, 0), 0)
                .map_err(|e| crate::ConfigError(format!("raft: {e}")))?;
            servers.push(Server {
                node,
                alive: true,
                register: Register::default(),
                timer: None,
                restarts: 0,
                seen: (Role::Follower, 0, 0),
            });
        }
        let mut sim = Simulation {
            checker: Checker::new(config.nodes),
            initial: config.clone(),
            config,
            seed,
            now: 0,
            servers,
            queue: BinaryHeap::new(),
            seq: 0,
            processed: 0,
            in_flight: Flights::default(),
            next_msg: 1,
            drops: VecDeque::new(),
            network: Network::default(),
            rng: Pcg32::seed_from_u64(seed),
            actions: Vec::new(),
            clients: Vec::new(),
            hash: 0xcbf2_9ce4_8422_2325,
            stats: Stats::default(),
            check: true,
            history: VecDeque::new(),
            history_window: 0,
            notes: Vec::new(),
        };
        for id in 1..=n {
            sim.settle(id);
        }
        Ok(sim)
    }

    /// Keeps every finished message trip for `window` of simulated time (0, the
    /// default, keeps none).
    pub fn set_history_window(&mut self, window: Time) {
        self.history_window = window;
        self.forget_old_drops();
    }

    /// Finished message trips of the last `history_window`, oldest first.
    pub fn history(&self) -> impl Iterator<Item = &Trip> {
        self.history.iter()
    }

    /// Takes the notes (elections, commits, crashes) produced since the last call.
    pub fn take_notes(&mut self) -> Vec<Note> {
        std::mem::take(&mut self.notes)
    }

    /// A copy for a timeline checkpoint: everything that defines the future, without
    /// the history kept for drawing.
    pub fn snapshot(&self) -> Simulation {
        let mut s = self.clone();
        s.history.clear();
        s.notes.clear();
        s
    }

    /// Processes queue entries one at a time until `events` events have happened or
    /// `processed` entries have been popped. Returns false if the queue was empty.
    pub fn pop_until(&mut self, events: u64, processed: u64) -> bool {
        let mut popped = false;
        while self.stats.events < events && self.processed < processed {
            let Some(Reverse(q)) = self.queue.pop() else {
                return popped;
            };
            popped = true;
            self.processed += 1;
            self.process(q);
        }
        popped || self.stats.events >= events || self.processed >= processed
    }

    /// Turns the safety checker off (for benchmarks) or on.
    pub fn set_checking(&mut self, on: bool) {
        self.check = on;
    }

    // ----- observation ---------------------------------------------------------------

    /// The configuration now (the network's may have been changed by actions).
    pub fn config(&self) -> &SimConfig {
        &self.config
    }
    /// The configuration the run started with.
    pub fn initial_config(&self) -> &SimConfig {
        &self.initial
    }
    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }
    /// Current simulated time (µs).
    pub fn now(&self) -> Time {
        self.now
    }
    /// Number of servers.
    pub fn len(&self) -> usize {
        self.servers.len()
    }
    /// Always false: a cluster has at least one server.
    pub fn is_empty(&self) -> bool {
        self.servers.is_empty()
    }
    /// Server ids, 1…n.
    pub fn ids(&self) -> impl Iterator<Item = NodeId> + use<> {
        1..=self.servers.len() as NodeId
    }
    /// Server `id`, if it exists.
    pub fn server(&self, id: NodeId) -> Option<&Server> {
        self.servers.get((id as usize).checked_sub(1)?)
    }
    /// All servers, S1 first.
    pub fn servers(&self) -> &[Server] {
        &self.servers
    }
    /// Messages on the wire, oldest first.
    pub fn in_flight(&self) -> impl Iterator<Item = &InFlight> {
        self.in_flight.iter()
    }
    /// One message on the wire.
    pub fn message(&self, id: MsgId) -> Option<&InFlight> {
        self.in_flight.get(id)
    }
    /// Messages lost in the last two simulated seconds.
    pub fn recent_drops(&self) -> impl Iterator<Item = &Dropped> {
        self.drops.iter()
    }
    /// The network's links.
    pub fn network(&self) -> &Network {
        &self.network
    }
    /// Every action so far, in order.
    pub fn actions(&self) -> &[TimedAction] {
        &self.actions
    }
    /// Every client request so far.
    pub fn client_requests(&self) -> &[ClientRequest] {
        &self.clients
    }
    /// Safety violations seen so far (none, in a correct Raft).
    pub fn violations(&self) -> &[Violation] {
        self.checker.violations()
    }
    /// The safety checker.
    pub fn checker(&self) -> &Checker {
        &self.checker
    }
    /// Counters.
    pub fn stats(&self) -> Stats {
        self.stats
    }
    /// Queue events processed so far (stale timers included).
    pub fn processed(&self) -> u64 {
        self.processed
    }
    /// A hash of everything that happened so far: equal hashes, equal runs.
    pub fn trace_hash(&self) -> u64 {
        self.hash
    }
    /// Time of the next event, if any.
    pub fn next_event_time(&self) -> Option<Time> {
        self.queue.peek().map(|Reverse(q)| q.at)
    }

    /// The live leader of the highest term, if any.
    pub fn leader(&self) -> Option<NodeId> {
        self.servers
            .iter()
            .filter(|s| s.alive && s.node.role() == Role::Leader)
            .max_by_key(|s| s.node.term())
            .map(|s| s.node.id())
    }

    /// The servers that are stopped.
    pub fn stopped(&self) -> Vec<NodeId> {
        self.servers
            .iter()
            .filter(|s| !s.alive)
            .map(|s| s.node.id())
            .collect()
    }

    /// Every live leader (two after a partition: one per term).
    pub fn leaders(&self) -> Vec<NodeId> {
        self.servers
            .iter()
            .filter(|s| s.alive && s.node.role() == Role::Leader)
            .map(|s| s.node.id())
            .collect()
    }

    // ----- time ----------------------------------------------------------------------

    /// Processes exactly one event (skipping timers that were rescheduled) and moves
    /// the clock to its time. `None` when nothing is left to happen.
    pub fn step(&mut self) -> Option<StepEvent> {
        while let Some(Reverse(q)) = self.queue.pop() {
            self.processed += 1;
            if let Some(ev) = self.process(q) {
                return Some(ev);
            }
        }
        None
    }

    /// Processes every event up to and including time `t`, then sets the clock to `t`
    /// (never backwards).
    pub fn advance_to(&mut self, t: Time) {
        while let Some(Reverse(q)) = self.queue.peek() {
            if q.at > t {
                break;
            }
            let Some(Reverse(q)) = self.queue.pop() else {
                break;
            };
            self.processed += 1;
            self.process(q);
        }
        self.now = self.now.max(t);
        self.forget_old_drops();
    }

    /// Lets `dt` pass.
    pub fn advance_by(&mut self, dt: Time) {
        self.advance_to(self.now.saturating_add(dt));
    }

    /// Advances in steps of `tick` until `done` holds or `limit` has passed. Returns
    /// true if `done` held.
    pub fn run_until(
        &mut self,
        limit: Time,
        tick: Time,
        mut done: impl FnMut(&Simulation) -> bool,
    ) -> bool {
        let end = self.now.saturating_add(limit);
        while !done(self) {
            if self.now >= end {
                return false;
            }
            self.advance_to(self.now.saturating_add(tick.max(1)).min(end));
        }
        true
    }

    fn forget_old_drops(&mut self) {
        while self
            .drops
            .front()
            .is_some_and(|d| d.at + DROP_RETENTION < self.now)
        {
            self.drops.pop_front();
        }
        while self
            .history
            .front()
            .is_some_and(|t| t.ended_at.saturating_add(self.history_window) < self.now)
        {
            self.history.pop_front();
        }
    }

    fn record_trip(&mut self, flight: &InFlight, lost: Option<DropReason>) {
        if self.history_window == 0 {
            return;
        }
        let entries = match &flight.msg.body {
            raft_core::Body::AppendEntries { entries, .. } => entries.len(),
            _ => 0,
        };
        self.history.push_back(Trip {
            id: flight.id,
            from: flight.msg.from,
            to: flight.msg.to,
            kind: flight.msg.kind(),
            term: flight.msg.term,
            entries,
            sent_at: flight.sent_at,
            ended_at: self.now,
            lost,
        });
    }

    fn schedule(&mut self, at: Time, kind: EventKind) {
        self.seq += 1;
        self.queue.push(Reverse(Queued {
            at,
            seq: self.seq,
            kind,
        }));
    }

    fn mix(&mut self, values: &[u64]) {
        let mut h = FnvHasher::with_key(self.hash);
        for v in values {
            h.write_u64(*v);
        }
        self.hash = h.finish();
    }

    fn process(&mut self, q: Queued) -> Option<StepEvent> {
        match q.kind {
            EventKind::Timer(id, at) => {
                let server = &mut self.servers[id as usize - 1];
                if !server.alive || server.timer != Some(at) {
                    return None; // rescheduled or stopped since
                }
                server.timer = None;
                self.now = self.now.max(q.at);
                let now = self.now;
                server.node.tick(now);
                self.stats.events += 1;
                self.settle(id);
                let role = self.servers[id as usize - 1].node.role();
                self.mix(&[now, 1, id as u64, role as u64]);
                Some(StepEvent::Timer { node: id, role })
            }
            EventKind::Lose(id) => {
                let flight = self.in_flight.remove(id)?;
                self.now = self.now.max(q.at);
                let reason = flight.lost.map_or(DropReason::Loss, |(_, r)| r);
                self.stats.events += 1;
                self.record_drop(flight, reason);
                self.mix(&[self.now, 2, id]);
                Some(StepEvent::Dropped { id, reason })
            }
            EventKind::Arrive(id) => {
                let flight = self.in_flight.remove(id)?;
                self.now = self.now.max(q.at);
                self.stats.events += 1;
                let (from, to) = (flight.msg.from, flight.msg.to);
                let receiver_up = self.server(to).is_some_and(|s| s.alive);
                if !receiver_up || self.network.is_cut(from, to) {
                    let reason = if receiver_up {
                        DropReason::Partition
                    } else {
                        DropReason::ReceiverDown
                    };
                    self.record_drop(flight, reason);
                    self.mix(&[self.now, 2, id]);
                    return Some(StepEvent::Dropped { id, reason });
                }
                let kind = flight.msg.kind();
                let now = self.now;
                self.record_trip(&flight, None);
                let node = &mut self.servers[to as usize - 1].node;
                if node.step(now, flight.msg).is_err() {
                    self.stats.refused += 1;
                }
                self.stats.delivered += 1;
                self.settle(to);
                let n = &self.servers[to as usize - 1].node;
                let summary = [now, 3, id, n.term(), n.commit_index(), n.log().last_index()];
                self.mix(&summary);
                Some(StepEvent::Delivered { id, from, to, kind })
            }
        }
    }

    fn record_drop(&mut self, flight: InFlight, reason: DropReason) {
        self.stats.dropped += 1;
        self.record_trip(&flight, Some(reason));
        self.drops.push_back(Dropped {
            flight,
            at: self.now,
            reason,
        });
    }

    /// After a server acted: send what it produced, apply what it committed, check
    /// safety and schedule its next wake-up.
    fn settle(&mut self, id: NodeId) {
        let i = id as usize - 1;
        let mut out: Vec<Message<Command>> = self.servers[i].node.drain_messages().collect();
        for msg in out.drain(..) {
            self.send(msg);
        }
        let now = self.now;
        let server = &mut self.servers[i];
        let register = &mut server.register;
        let mut applied = Vec::new();
        server.node.apply_committed(|index, c| {
            register.apply(index, *c);
            applied.push((index, *c));
        });
        if self.check {
            for (index, c) in applied {
                self.checker.applied(now, id, index, c);
            }
            self.checker.observe(now, &self.servers[i].node);
        }
        self.acknowledge_clients(i);
        let server = &mut self.servers[i];
        let now_seen = (
            server.node.role(),
            server.node.term(),
            server.node.commit_index(),
        );
        if server.alive && now_seen != server.seen {
            let (role, term, commit) = now_seen;
            let (old_role, old_term, old_commit) = server.seen;
            let mut note = |kind| {
                self.notes.push(Note {
                    at: now,
                    node: id,
                    kind,
                })
            };
            if role == Role::Candidate && (old_role != Role::Candidate || old_term != term) {
                note(NoteKind::Candidate(term));
            }
            if role == Role::Leader && (old_role != Role::Leader || old_term != term) {
                note(NoteKind::Leader(term));
            }
            if role == Role::Leader && commit > old_commit && old_role == Role::Leader {
                note(NoteKind::Commit(commit));
            }
            server.seen = now_seen;
        }
        if server.alive {
            let wake = server.node.next_wakeup().max(now);
            if server.timer != Some(wake) {
                server.timer = Some(wake);
                self.schedule(wake, EventKind::Timer(id, wake));
            }
        }
    }

    /// A client's request is acknowledged once the leader that took it commits it.
    fn acknowledge_clients(&mut self, i: usize) {
        let node = &self.servers[i].node;
        if node.role() != Role::Leader {
            return;
        }
        let (id, commit) = (node.id(), node.commit_index());
        for req in self.clients.iter_mut().rev() {
            if req.committed_at.is_some() {
                continue;
            }
            if let ClientOutcome::Accepted { index, term } = req.outcome
                && req.node == id
                && index <= commit
                && node.log().term_at(index) == Some(term)
            {
                req.committed_at = Some(self.now);
            }
        }
    }

    fn send(&mut self, msg: Message<Command>) {
        self.stats.sent += 1;
        let (lo, hi) = (self.config.latency_min, self.config.latency_max);
        let mut latency = self.rng.random_range(lo..=hi).max(1);
        if chance(&mut self.rng, self.config.reorder) {
            latency += self.rng.random_range(0..=2 * hi);
        }
        let lost = if self.network.is_cut(msg.from, msg.to) {
            // It travels up to the cut, drawn half-way, and stops there.
            Some((self.now + latency / 2, DropReason::Partition))
        } else if chance(&mut self.rng, self.config.loss) {
            let at = self.now + self.rng.random_range(1..=latency);
            Some((at, DropReason::Loss))
        } else {
            None
        };
        let twice = chance(&mut self.rng, self.config.duplicate);
        if twice {
            let mut extra = self.rng.random_range(lo..=hi).max(1);
            extra += self.rng.random_range(0..=hi);
            self.launch(msg.clone(), extra, None);
        }
        self.launch(msg, latency, lost);
    }

    fn launch(&mut self, msg: Message<Command>, latency: Time, lost: Option<(Time, DropReason)>) {
        let id = self.next_msg;
        self.next_msg += 1;
        let deliver_at = self.now + latency;
        match lost {
            Some((at, _)) => self.schedule(at, EventKind::Lose(id)),
            None => self.schedule(deliver_at, EventKind::Arrive(id)),
        }
        self.in_flight.insert(InFlight {
            id,
            msg,
            sent_at: self.now,
            deliver_at,
            lost,
        });
    }

    // ----- actions -------------------------------------------------------------------

    fn check_node(&self, id: NodeId) -> Result<usize, ActionError> {
        match (id as usize).checked_sub(1) {
            Some(i) if i < self.servers.len() => Ok(i),
            _ => Err(ActionError::NoSuchNode(id)),
        }
    }

    fn live_node(&self, id: NodeId) -> Result<usize, ActionError> {
        let i = self.check_node(id)?;
        if self.servers[i].alive {
            Ok(i)
        } else {
            Err(ActionError::NodeDown(id))
        }
    }

    /// Does `action` now. On success the action is recorded (for traces and replays);
    /// on error nothing changes. A [`Action::Submit`] returns the client's outcome.
    pub fn apply(&mut self, action: Action) -> Result<Option<ClientOutcome>, ActionError> {
        let outcome = self.perform(&action)?;
        let code = self.actions.len() as u64;
        self.mix(&[self.now, 4, code]);
        self.actions.push(TimedAction {
            at: self.now,
            after: self.processed,
            action,
        });
        Ok(outcome)
    }

    fn perform(&mut self, action: &Action) -> Result<Option<ClientOutcome>, ActionError> {
        let now = self.now;
        match *action {
            Action::Crash { node } => {
                let i = self.check_node(node)?;
                let s = &mut self.servers[i];
                if !s.alive {
                    return Err(ActionError::AlreadyDown(node));
                }
                s.alive = false;
                s.timer = None;
                let _ = s.node.drain_messages().count();
                self.notes.push(Note {
                    at: now,
                    node,
                    kind: NoteKind::Crash,
                });
            }
            Action::Restart { node } => {
                let i = self.check_node(node)?;
                let s = &self.servers[i];
                if s.alive {
                    return Err(ActionError::AlreadyUp(node));
                }
                let life = s.restarts + 1;
                let peers = s.node.peers().to_vec();
                let state = s.node.persistent();
                let seed = node_seed(self.seed, node, life);
                let rebuilt =
                    Node::restart(node, peers, self.config.raft.clone(), state, seed, now)
                        .map_err(|e| ActionError::BadNetwork(e.to_string()))?;
                let s = &mut self.servers[i];
                s.node = rebuilt;
                s.alive = true;
                s.register = Register::default();
                s.restarts = life;
                s.timer = None;
                s.seen = (Role::Follower, s.node.term(), 0);
                self.notes.push(Note {
                    at: now,
                    node,
                    kind: NoteKind::Restart,
                });
                self.checker.restarted(node);
                self.settle(node);
            }
            Action::Timeout { node } => {
                let i = self.live_node(node)?;
                let n = &mut self.servers[i].node;
                if n.role() == Role::Leader {
                    return Err(ActionError::IsLeader(node));
                }
                n.set_election_deadline(now);
                self.settle(node);
            }
            Action::AlignTimers { ref nodes } => {
                let chosen = self.timer_nodes(nodes)?;
                let at = chosen
                    .iter()
                    .filter_map(|&i| self.servers[i].node.election_deadline())
                    .min()
                    .unwrap_or(now)
                    .max(now);
                for i in chosen {
                    self.servers[i].node.set_election_deadline(at);
                    self.settle(i as NodeId + 1);
                }
            }
            Action::SpreadTimers { ref nodes } => {
                let mut chosen = self.timer_nodes(nodes)?;
                crate::sort_few_by_key(&mut chosen, |&i| {
                    (self.servers[i].node.election_deadline(), i)
                });
                let (lo, hi) = (
                    self.config.raft.election_timeout_min,
                    self.config.raft.election_timeout_max,
                );
                let gap = (hi - lo) / chosen.len().max(1) as Time;
                for (k, i) in chosen.into_iter().enumerate() {
                    let at = now + lo + gap * k as Time;
                    self.servers[i].node.set_election_deadline(at);
                    self.settle(i as NodeId + 1);
                }
            }
            Action::Partition { ref islands } => {
                let mut seen = Vec::new();
                for &id in islands.iter().flatten() {
                    self.check_node(id)?;
                    if seen.contains(&id) {
                        return Err(ActionError::TwoIslands(id));
                    }
                    seen.push(id);
                }
                self.network.partition(self.servers.len(), islands);
            }
            Action::CutLink { from, to, one_way } | Action::RestoreLink { from, to, one_way } => {
                self.check_node(from)?;
                self.check_node(to)?;
                let cut = matches!(action, Action::CutLink { .. });
                let mut links = vec![(from, to)];
                if !one_way {
                    links.push((to, from));
                }
                for (a, b) in links {
                    if cut {
                        self.network.cut(a, b);
                    } else {
                        self.network.restore(a, b);
                    }
                }
            }
            Action::Heal => self.network.heal(),
            Action::DropMessage { id } => {
                let flight = self
                    .in_flight
                    .remove(id)
                    .ok_or(ActionError::NoSuchMessage(id))?;
                self.record_drop(flight, DropReason::Dropped);
            }
            Action::Submit { node, command } => {
                let i = self.check_node(node)?;
                let server = &mut self.servers[i];
                let outcome = if !server.alive {
                    ClientOutcome::Down
                } else {
                    match server.node.propose(now, command) {
                        Ok(index) => ClientOutcome::Accepted {
                            index,
                            term: server.node.term(),
                        },
                        Err(e) => ClientOutcome::Redirect {
                            leader: e.leader_hint,
                        },
                    }
                };
                self.clients.push(ClientRequest {
                    at: now,
                    node,
                    command,
                    outcome,
                    committed_at: None,
                });
                if server.alive {
                    self.settle(node);
                }
                return Ok(Some(outcome));
            }
            Action::SetNetwork {
                latency_min,
                latency_max,
                loss,
                duplicate,
                reorder,
            } => {
                let config = SimConfig {
                    latency_min,
                    latency_max,
                    loss,
                    duplicate,
                    reorder,
                    ..self.config.clone()
                };
                config
                    .validate()
                    .map_err(|e| ActionError::BadNetwork(e.to_string()))?;
                self.config = config;
            }
        }
        Ok(None)
    }

    /// The live non-leaders among `ids` (all servers if `ids` is empty).
    fn timer_nodes(&self, ids: &[NodeId]) -> Result<Vec<usize>, ActionError> {
        let mut chosen = Vec::new();
        let all: Vec<NodeId> = self.ids().collect();
        for &id in if ids.is_empty() { &all[..] } else { ids } {
            let i = self.check_node(id)?;
            let s = &self.servers[i];
            if s.alive && s.node.role() != Role::Leader && !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        Ok(chosen)
    }

    /// Applies a recorded action at exactly its recorded point: first the events that
    /// preceded it, then the clock, then the action.
    pub fn replay_action(&mut self, timed: &TimedAction) -> Result<(), ReplayError> {
        self.run_to_point(timed.at, timed.after)?;
        self.apply(timed.action.clone())
            .map(|_| ())
            .map_err(ReplayError::Action)
    }

    /// Moves to a point recorded as (time, events processed): processes exactly the
    /// events that had been processed then, and sets the clock.
    pub fn run_to_point(&mut self, at: Time, after: u64) -> Result<(), ReplayError> {
        if after < self.processed || at < self.now {
            return Err(ReplayError::OutOfOrder);
        }
        while self.processed < after {
            let Some(Reverse(q)) = self.queue.pop() else {
                return Err(ReplayError::Diverged);
            };
            if q.at > at {
                return Err(ReplayError::Diverged);
            }
            self.processed += 1;
            self.process(q);
        }
        if self.next_event_time().is_some_and(|t| t < at) {
            return Err(ReplayError::Diverged);
        }
        self.now = at;
        self.forget_old_drops();
        Ok(())
    }
}

/// Why a recorded run cannot be replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayError {
    /// Actions are not in time order.
    OutOfOrder,
    /// The run does not go the way it was recorded (events missing or late).
    Diverged,
    /// An action failed.
    Action(ActionError),
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::OutOfOrder => f.write_str("actions are not in time order"),
            ReplayError::Diverged => f.write_str("the run does not replay as recorded"),
            ReplayError::Action(e) => write!(f, "an action cannot be done: {e}"),
        }
    }
}

impl std::error::Error for ReplayError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chance_draws_the_same_stream_as_random_bool() {
        for p in [0.0, 1e-9, 0.05, 0.3, 0.5, 0.999, 1.0] {
            let (mut a, mut b) = (Pcg32::seed_from_u64(7), Pcg32::seed_from_u64(7));
            for _ in 0..1000 {
                let want = p > 0.0 && a.random_bool(p);
                assert_eq!(chance(&mut b, p), want, "p = {p}");
            }
        }
        let mut r = Pcg32::seed_from_u64(1);
        assert!(!chance(&mut r, 7.0) && !chance(&mut r, f64::NAN));
    }

    #[test]
    fn flights_find_remove_and_list_messages_by_id_in_any_order() {
        let msg = |id: MsgId| InFlight {
            id,
            msg: Message {
                from: 1,
                to: 2,
                term: 1,
                body: raft_core::Body::RequestVote {
                    last_log_index: 0,
                    last_log_term: 0,
                },
            },
            sent_at: 0,
            deliver_at: 1,
            lost: None,
        };
        let mut f = Flights::default();
        for id in 5..10 {
            f.insert(msg(id));
        }
        assert_eq!(f.remove(7).map(|m| m.id), Some(7));
        assert!(f.remove(7).is_none() && f.get(7).is_none());
        assert_eq!(f.remove(5).map(|m| m.id), Some(5));
        assert_eq!(f.iter().map(|m| m.id).collect::<Vec<_>>(), [6, 8, 9]);
        assert_eq!(f.get(8).map(|m| m.id), Some(8));
        assert!(f.get(4).is_none() && f.get(10).is_none() && f.remove(99).is_none());
        for id in [9, 6, 8] {
            assert!(f.remove(id).is_some());
        }
        assert_eq!(f.slots.len(), 0);
        f.insert(msg(12));
        assert_eq!(f.iter().map(|m| m.id).collect::<Vec<_>>(), [12]);
    }

    #[test]
    fn sort_few_sorts_stably_like_the_standard_sort() {
        let mut rng = Pcg32::seed_from_u64(3);
        for len in 0..12 {
            for _ in 0..50 {
                let v: Vec<(u8, usize)> = (0..len).map(|k| (rng.random_range(0..4u8), k)).collect();
                let (mut a, mut b) = (v.clone(), v);
                a.sort_by_key(|p| p.0);
                crate::sort_few_by_key(&mut b, |p| p.0);
                assert_eq!(a, b);
            }
        }
    }
}
