//! The simulation: a cluster of raft-core servers in simulated time, driven by a
//! discrete-event queue, with a network that delays, loses, duplicates, reorders and
//! partitions messages.

mod actions;
mod clock;
#[cfg(feature = "compaction")]
mod compaction;
#[cfg(feature = "membership")]
mod membership;
mod queue;
mod replay;
mod types;

#[cfg(feature = "membership")]
pub use actions::MembershipRefusal;
pub use actions::{Action, ActionError, TimedAction};
pub use clock::Clock;
pub use replay::ReplayError;
pub use types::{
    ClientOutcome, ClientRequest, DropReason, Dropped, InFlight, MsgId, Note, NoteKind,
    ReadRequest, ReadState, Server, Stats, StepEvent, Trip,
};

use crate::checker::{Checker, Violation};
use crate::network::Network;
use crate::{Command, SimConfig};
use fnv::FnvHasher;
use litemap::LiteMap;
use queue::{EventKind, EventQueue, Flights, Queued};
use raft_core::{Message, Node, NodeId, Role, Term, Time};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg32;
use std::collections::VecDeque;
use std::hash::Hasher;
use types::Seen;

/// True with probability `p`, drawn exactly as `random_bool` draws it but without its
/// panic message for a `p` outside 0..=1 (validated configurations never have one),
/// which would bring float formatting into the page. Draws nothing when `p` is 0.
fn chance(rng: &mut Pcg32, p: f64) -> bool {
    p > 0.0 && rand::distr::Bernoulli::new(p).is_ok_and(|b| rng.sample(b))
}

/// How long dropped messages stay visible for fading.
const DROP_RETENTION: Time = 2_000_000;

/// A simulated Raft cluster. See the crate documentation.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// The configuration the run started with (actions may change the network's).
    initial: SimConfig,
    config: SimConfig,
    seed: u64,
    now: Time,
    servers: Vec<Server>,
    queue: EventQueue,
    processed: u64,
    in_flight: Flights,
    next_msg: MsgId,
    drops: VecDeque<Dropped>,
    network: Network,
    rng: Pcg32,
    actions: Vec<TimedAction>,
    clients: Vec<ClientRequest>,
    /// The accepted client requests not yet acknowledged (positions in `clients`).
    pending: Vec<usize>,
    /// Every client read so far.
    reads: Vec<ReadRequest>,
    /// The highest index of a write acknowledged to a client so far.
    acknowledged: raft_core::Index,
    checker: Checker,
    hash: u64,
    stats: Stats,
    check: bool,
    history: VecDeque<Trip>,
    history_window: Time,
    notes: Vec<Note>,
    record_notes: bool,
    /// The servers that stood for election in each term, in the order they did.
    stood: LiteMap<Term, Vec<NodeId>>,
}

/// True if leader `node`, which took a client's write at `index` in `term`, has
/// committed it: the moment the client is acknowledged (the write is then durable).
pub(crate) fn acknowledges(node: &Node<Command>, index: raft_core::Index, term: Term) -> bool {
    node.role() == Role::Leader
        && index <= node.commit_index()
        && node.log().term_at(index) == Some(term)
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
        let clocks = Clock::spread(config.nodes, config.clock_drift_ppm);
        for (id, clock) in (1..=n).zip(clocks) {
            let peers = (1..=n).filter(|&p| p != id);
            let node = Node::new(id, peers, config.raft.clone(), node_seed(seed, id, 0), 0)
                .map_err(|e| crate::ConfigError(format!("raft: {e}")))?
                .with_no_op(Command::Noop);
            servers.push(Server::new(clock, node));
        }
        let mut sim = Simulation {
            checker: Checker::new(config.nodes),
            initial: config.clone(),
            config: config.as_run(),
            seed,
            now: 0,
            servers,
            queue: EventQueue::default(),
            processed: 0,
            in_flight: Flights::default(),
            next_msg: 1,
            drops: VecDeque::new(),
            network: Network::default(),
            rng: Pcg32::seed_from_u64(seed),
            actions: Vec::new(),
            clients: Vec::new(),
            pending: Vec::new(),
            reads: Vec::new(),
            acknowledged: 0,
            hash: 0xcbf2_9ce4_8422_2325,
            stats: Stats::default(),
            check: true,
            history: VecDeque::new(),
            history_window: 0,
            notes: Vec::new(),
            record_notes: false,
            stood: LiteMap::new(),
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

    /// Records notes (elections, commits, heartbeats, crashes) from now on, or stops.
    pub fn set_notes(&mut self, on: bool) {
        self.record_notes = on;
        self.notes.clear();
        for s in &mut self.servers {
            s.seen = Seen::of(&s.node);
        }
    }

    fn note(&mut self, node: NodeId, kind: NoteKind) {
        if self.record_notes {
            self.notes.push(Note {
                at: self.now,
                node,
                kind,
            });
        }
    }

    /// Takes the notes produced since the last call (none unless turned on with
    /// [`Simulation::set_notes`]).
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
            let Some(q) = self.queue.pop() else {
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
    /// Every client read so far.
    pub fn reads(&self) -> &[ReadRequest] {
        &self.reads
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
        self.queue.peek().map(|q| q.at)
    }

    /// The servers that stood for election in `term`, in the order they did.
    pub fn candidates_in(&self, term: Term) -> &[NodeId] {
        self.stood.get(&term).map_or(&[], Vec::as_slice)
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
        while let Some(q) = self.queue.pop() {
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
        while let Some(q) = self.queue.peek() {
            if q.at > t {
                break;
            }
            let Some(q) = self.queue.pop() else {
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
        self.queue.schedule(at, kind);
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
                server.node.tick(server.clock.local(now));
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
                Some(self.arrive(flight))
            }
        }
    }

    /// A message reaches its destination now: the receiver steps on it, unless it is
    /// stopped or the link is cut, in which case it is lost there.
    pub(super) fn arrive(&mut self, flight: InFlight) -> StepEvent {
        let id = flight.id;
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
            return StepEvent::Dropped { id, reason };
        }
        let kind = flight.msg.kind();
        let now = self.now;
        self.record_trip(&flight, None);
        let server = &mut self.servers[to as usize - 1];
        if let raft_core::Body::AppendEntriesReply { success: false, .. } = flight.msg.body
            && server.node.role() == Role::Leader
            && flight.msg.term == server.node.term()
        {
            server.seen.repairing = true;
        }
        let local = server.clock.local(now);
        let node = &mut server.node;
        if node.step(local, flight.msg).is_err() {
            self.stats.refused += 1;
        }
        #[cfg(feature = "compaction")]
        if kind == raft_core::MessageKind::InstallSnapshot {
            self.stats.installs += 1;
        }
        self.stats.delivered += 1;
        self.settle(to);
        let n = &self.servers[to as usize - 1].node;
        let summary = [now, 3, id, n.term(), n.commit_index(), n.log().last_index()];
        self.mix(&summary);
        StepEvent::Delivered { id, from, to, kind }
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
        #[cfg(feature = "compaction")]
        let restored = self.restore_snapshot(i);
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
        // The checker has seen what was committed before any of it is compacted.
        #[cfg(feature = "compaction")]
        {
            let compacted = self.compact_if_due(i);
            self.check_snapshots(id, [restored, compacted]);
        }
        self.acknowledge_clients(i);
        self.answer_reads(i);
        self.note_changes(i);
        let server = &mut self.servers[i];
        if server.alive {
            let wake = server.clock.global(server.node.next_wakeup()).max(now);
            if server.timer != Some(wake) {
                server.timer = Some(wake);
                self.schedule(wake, EventKind::Timer(id, wake));
            }
        }
    }

    /// Turns what changed in server `i` since the last look into notes.
    fn note_changes(&mut self, i: usize) {
        let server = &mut self.servers[i];
        if !server.alive {
            return;
        }
        let (old, node) = (server.seen, &server.node);
        let (role, term, commit) = (node.role(), node.term(), node.commit_index());
        let heartbeat = node.heartbeat_deadline();
        let record = self.record_notes;
        let mut kinds = Vec::new();
        let mut note = |kind| {
            if record {
                kinds.push(kind);
            }
        };
        let new_term = old.term != term;
        let stood = role == Role::Candidate && (old.role != Role::Candidate || new_term);
        if stood {
            note(NoteKind::Candidate(term));
        }
        if role == Role::PreCandidate && (old.role != Role::PreCandidate || new_term) {
            note(NoteKind::PreCandidate(term + 1));
        }
        if role == Role::Leader && (old.role != Role::Leader || new_term) {
            note(NoteKind::Leader(term));
        }
        if role == Role::Follower && old.role != Role::Follower {
            note(NoteKind::StepDown(term));
        }
        if role == Role::Leader && old.role == Role::Leader && commit > old.commit {
            note(NoteKind::Commit {
                from: old.commit,
                to: commit,
            });
        }
        let mut repairing = old.repairing;
        if role == Role::Leader && heartbeat != old.heartbeat {
            note(NoteKind::Heartbeat { repairing });
            repairing = false;
        }
        server.seen = Seen {
            role,
            term,
            commit,
            heartbeat,
            repairing: repairing && role == Role::Leader,
        };
        let (now, id) = (self.now, node.id());
        if stood {
            match self.stood.get_mut(&term) {
                Some(list) if !list.contains(&id) => list.push(id),
                Some(_) => {}
                None => {
                    self.stood.insert(term, vec![id]);
                }
            }
        }
        self.notes.extend(kinds.into_iter().map(|kind| Note {
            at: now,
            node: id,
            kind,
        }));
    }

    /// A client's request is acknowledged once the leader that took it commits it.
    fn acknowledge_clients(&mut self, i: usize) {
        let node = &self.servers[i].node;
        if node.role() != Role::Leader {
            return;
        }
        let id = node.id();
        let (clients, now) = (&mut self.clients, self.now);
        let acknowledged = &mut self.acknowledged;
        // Only the requests still waiting are looked at: the work does not grow with
        // the number of commands ever sent.
        self.pending.retain(|&k| {
            let req = &mut clients[k];
            if let ClientOutcome::Accepted { index, term } = req.outcome
                && req.node == id
                && acknowledges(node, index, term)
            {
                req.committed_at = Some(now);
                *acknowledged = (*acknowledged).max(index);
                return false;
            }
            true
        });
    }

    /// Reads that server `i` decided: answered from its register (which has applied
    /// everything it knows committed), or failed.
    fn answer_reads(&mut self, i: usize) {
        let server = &mut self.servers[i];
        let outcomes = server.node.take_reads();
        let now = self.now;
        for outcome in outcomes {
            let server = &self.servers[i];
            let (id, state) = match outcome {
                raft_core::ReadOutcome::Ready { id, .. } => {
                    let r = server.register;
                    let state = ReadState::Answered {
                        value: r.value,
                        index: r.applied,
                        at: now,
                    };
                    (id, state)
                }
                raft_core::ReadOutcome::Failed { id } => {
                    let leader = server.node.leader();
                    (id, ReadState::Failed { at: now, leader })
                }
            };
            let Some(read) = self.reads.get_mut(id as usize) else {
                continue;
            };
            read.state = state;
            let node = read.node;
            let value = match state {
                ReadState::Answered { value, .. } => Some(value),
                _ => None,
            };
            let read = id as usize;
            self.note(node, NoteKind::Read { read, value });
            let read = &self.reads[read];
            if let ReadState::Answered { index, .. } = state
                && self.check
            {
                let (node, floor) = (read.node, read.floor);
                self.checker
                    .read_answered(now, node, id as usize, floor, index);
            }
        }
    }

    /// Reads still waiting at server `i` fail: it stopped.
    fn fail_reads_at(&mut self, id: NodeId) {
        let now = self.now;
        for read in &mut self.reads {
            if read.node == id && read.state == ReadState::Waiting {
                read.state = ReadState::Failed {
                    at: now,
                    leader: None,
                };
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
}

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
}
