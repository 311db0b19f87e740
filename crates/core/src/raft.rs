//! A Raft server: roles, timers and every rule of Figure 2.
//!
//! The section numbers in comments refer to the extended version of the paper.

use crate::log::{Entry, Log};
use crate::message::{Body, Message};
use crate::progress::{Progress, ProgressState};
#[cfg(not(feature = "membership"))]
use crate::quorum;
#[cfg(feature = "compaction")]
use crate::snapshot::Snapshot;
use crate::{Config, ConfigError, Deviation, Index, NodeId, Term, Time};
use alloc::vec::Vec;
use core::fmt;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg32;

#[cfg(feature = "compaction")]
mod compaction;
#[cfg(feature = "membership")]
mod membership;
mod prevote;
pub(crate) mod read;
mod transfer;

pub use read::{ReadId, ReadOutcome};
pub use transfer::TransferError;

/// The three roles of §5.1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Role {
    /// Passive: answers leaders and candidates.
    Follower,
    /// Asking for votes to become leader.
    Candidate,
    /// Handles client requests and replicates the log.
    Leader,
    /// With PreVote (dissertation §9.6): asking "would you vote for me?" before
    /// standing, its term unchanged.
    #[cfg_attr(feature = "serde", serde(rename = "pre-candidate"))]
    PreCandidate,
}

impl Role {
    /// Lower-case name (`follower`, `candidate`, `leader`, `pre-candidate`).
    pub fn name(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
            Role::PreCandidate => "pre-candidate",
        }
    }
}

/// The state a server keeps on stable storage (Figure 2, "persistent state on all
/// servers"): everything a crashed server gets back when it restarts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Persistent<C> {
    /// Latest term the server has seen.
    pub current_term: Term,
    /// Candidate that received this server's vote in the current term.
    pub voted_for: Option<NodeId>,
    /// The log: the entries after the snapshot (the first has index 1 without one).
    pub log: Vec<Entry<C>>,
    /// The latest snapshot (log compaction, §7), replacing the entries up to its last
    /// included index. Only with the `compaction` feature.
    #[cfg(feature = "compaction")]
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub snapshot: Option<Snapshot>,
}

impl<C> Default for Persistent<C> {
    fn default() -> Self {
        Persistent {
            current_term: 0,
            voted_for: None,
            log: Vec::new(),
            #[cfg(feature = "compaction")]
            snapshot: None,
        }
    }
}

/// A proposal went to a server that is not the leader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotLeader {
    /// The leader this server knows of, for a redirect; `None` if it knows none.
    pub leader_hint: Option<NodeId>,
    /// The leader is handing over to this server (dissertation §3.10) and takes no
    /// new entries meanwhile.
    pub transferring: Option<NodeId>,
}

/// Why a message was refused without being processed. The node is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepError {
    /// The message is addressed to another node.
    WrongRecipient,
    /// The sender is not a member of the cluster (or is the node itself).
    UnknownSender,
    /// The message cannot come from a correct Raft server; the reason says why.
    Malformed(&'static str),
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::WrongRecipient => f.write_str("message addressed to another node"),
            StepError::UnknownSender => f.write_str("message from a node outside the cluster"),
            StepError::Malformed(why) => write!(f, "malformed message: {why}"),
        }
    }
}

/// Why a node cannot be rebuilt from the given state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RestoreError {
    /// The configuration or membership is unusable.
    Config(ConfigError),
    /// The persistent state is inconsistent (a log term above the current term, terms
    /// going down along the log, or a vote for a stranger).
    Inconsistent(&'static str),
}

impl From<ConfigError> for RestoreError {
    fn from(e: ConfigError) -> Self {
        RestoreError::Config(e)
    }
}

impl fmt::Display for RestoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RestoreError::Config(e) => e.fmt(f),
            RestoreError::Inconsistent(why) => write!(f, "inconsistent persistent state: {why}"),
        }
    }
}

/// One Raft server.
///
/// Drive it with three inputs, each given the current simulated time:
/// [`Node::tick`] when [`Node::next_wakeup`] has passed, [`Node::step`] for each
/// incoming message and [`Node::propose`] for client commands. Collect its outputs
/// with [`Node::drain_messages`] and [`Node::apply_committed`].
#[derive(Clone, Debug)]
pub struct Node<C> {
    id: NodeId,
    peers: Vec<NodeId>,
    config: Config,
    rng: Pcg32,
    now: Time,

    // Persistent state on all servers.
    current_term: Term,
    voted_for: Option<NodeId>,
    log: Log<C>,

    /// The latest snapshot (§7), stored with the persistent state.
    #[cfg(feature = "compaction")]
    snapshot: Option<Snapshot>,

    // Volatile state on all servers.
    commit_index: Index,
    last_applied: Index,
    role: Role,
    leader_id: Option<NodeId>,
    election_deadline: Time,

    // Volatile state on candidates and leaders.
    votes: Vec<NodeId>,
    progress: Vec<Progress>,
    heartbeat_deadline: Time,

    // Beyond Figure 2.
    /// The command a new leader appends as its no-op (§8), given by the caller.
    pub(crate) no_op: Option<C>,
    /// When this server last heard from a leader of its term (PreVote, CheckQuorum).
    pub(crate) leader_contact: Option<Time>,
    /// Leader: when to check that a majority answered lately (CheckQuorum).
    pub(crate) quorum_deadline: Time,
    /// Leader: handing over to this server, until this time (§3.10).
    pub(crate) transfer: Option<transfer::Transfer>,
    /// Leader: rounds of confirmation and reads being answered (§6.4).
    pub(crate) reads: read::Reads,
    /// With [`Deviation::AckBeforePersist`]: the first entry acknowledged but not yet
    /// on stable storage (it gets there when the next input arrives).
    unsynced_from: Option<Index>,
    /// The configuration in force (§6), the index of the entry holding it (0: the
    /// one the server started with), that first one, and the learner a leader will
    /// make a voter once caught up.
    #[cfg(feature = "membership")]
    configuration: crate::membership::Configuration,
    #[cfg(feature = "membership")]
    config_index: Index,
    #[cfg(feature = "membership")]
    initial_configuration: crate::membership::Configuration,
    #[cfg(feature = "membership")]
    promoting: Option<NodeId>,
    /// The snapshot is newer than the state machine: `Node::restore_snapshot` hands
    /// it over before any further entry is applied.
    #[cfg(feature = "compaction")]
    restore_pending: bool,

    outbox: Vec<Message<C>>,
}

impl<C: Clone> Node<C> {
    /// A new server that has never run: a follower in term 0 with an empty log
    /// (§5.2: "when servers start up, they begin as followers"). `peers` are the other
    /// members of the cluster; `seed` seeds this node's own PRNG, used only to draw
    /// election timeouts.
    pub fn new(
        id: NodeId,
        peers: impl IntoIterator<Item = NodeId>,
        config: Config,
        seed: u64,
        now: Time,
    ) -> Result<Self, ConfigError> {
        config.validate()?;
        // Sorted, without repeats.
        let mut sorted: Vec<NodeId> = Vec::new();
        for p in peers {
            if let Err(at) = sorted.binary_search(&p) {
                sorted.insert(at, p);
            }
        }
        let peers = sorted;
        if peers.contains(&id) {
            return Err(ConfigError::SelfInPeers);
        }
        let mut node = Node {
            id,
            peers,
            config,
            rng: Pcg32::seed_from_u64(seed),
            now,
            current_term: 0,
            voted_for: None,
            log: Log::new(),
            #[cfg(feature = "compaction")]
            snapshot: None,
            commit_index: 0,
            last_applied: 0,
            role: Role::Follower,
            leader_id: None,
            election_deadline: now,
            votes: Vec::new(),
            progress: Vec::new(),
            heartbeat_deadline: now,
            no_op: None,
            leader_contact: None,
            quorum_deadline: now,
            transfer: None,
            reads: read::Reads::default(),
            unsynced_from: None,
            #[cfg(feature = "membership")]
            configuration: crate::membership::Configuration::default(),
            #[cfg(feature = "membership")]
            config_index: 0,
            #[cfg(feature = "membership")]
            initial_configuration: crate::membership::Configuration::default(),
            #[cfg(feature = "membership")]
            promoting: None,
            #[cfg(feature = "compaction")]
            restore_pending: false,
            outbox: Vec::new(),
        };
        #[cfg(feature = "membership")]
        {
            let all = node.peers.iter().copied().chain(core::iter::once(id));
            let initial = crate::membership::Configuration::of(all);
            node.initial_configuration = initial.clone();
            node.set_configuration(initial, 0);
        }
        node.reset_election_timer();
        Ok(node)
    }

    /// A server rebuilt after a crash from its persistent state alone. Everything
    /// volatile starts afresh: it is a follower, knows no leader, has commitIndex and
    /// lastApplied 0, and will re-apply committed entries from the start as it learns
    /// the commit index again. With a snapshot (§7), it starts from there instead:
    /// commitIndex is the snapshot's last index (a snapshot holds only committed
    /// entries), and [`Node::restore_snapshot`] hands the snapshot to the state
    /// machine first.
    pub fn restart(
        id: NodeId,
        peers: impl IntoIterator<Item = NodeId>,
        config: Config,
        state: Persistent<C>,
        seed: u64,
        now: Time,
    ) -> Result<Self, RestoreError> {
        let mut node = Self::new(id, peers, config, seed, now)?;
        #[cfg(feature = "compaction")]
        let log = {
            let (base, term) = state
                .snapshot
                .as_ref()
                .map_or((0, 0), |s| (s.last_index, s.last_term));
            Log::after_snapshot(base, term, state.log)
        };
        #[cfg(not(feature = "compaction"))]
        let log = Log::from_entries(state.log);
        if !log.terms_are_monotonic(state.current_term) {
            return Err(RestoreError::Inconsistent(
                "log terms must be positive, non-decreasing and at most the current term",
            ));
        }
        // Once the membership can change, a vote may have gone to a server that has
        // left since, or that this server's first configuration did not know.
        if let Some(v) = state.voted_for
            && v != id
            && !node.peers.contains(&v)
            && !cfg!(feature = "membership")
        {
            return Err(RestoreError::Inconsistent(
                "voted for a node outside the cluster",
            ));
        }
        node.current_term = state.current_term;
        node.voted_for = state.voted_for;
        node.log = log;
        #[cfg(feature = "compaction")]
        {
            node.commit_index = node.log.snapshot_index();
            node.restore_pending = state.snapshot.is_some();
            node.snapshot = state.snapshot;
        }
        #[cfg(feature = "membership")]
        node.log_changed_from(0);
        if node.refuses_disruption() {
            // It may have acknowledged a leader just before crashing, and that leader's
            // lease counts on it not voting for an election timeout (§6.4.1).
            node.leader_contact = Some(now);
        }
        Ok(node)
    }

    // ----- observation -------------------------------------------------------------

    /// This server's id.
    pub fn id(&self) -> NodeId {
        self.id
    }
    /// The other members of the cluster, sorted.
    pub fn peers(&self) -> &[NodeId] {
        &self.peers
    }
    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }
    /// Current role.
    pub fn role(&self) -> Role {
        self.role
    }
    /// currentTerm.
    pub fn term(&self) -> Term {
        self.current_term
    }
    /// votedFor in the current term.
    pub fn voted_for(&self) -> Option<NodeId> {
        self.voted_for
    }
    /// Votes received in the current election, own vote included (empty unless
    /// candidate or leader).
    pub fn votes(&self) -> &[NodeId] {
        &self.votes
    }
    /// The leader this server believes in for the current term.
    pub fn leader(&self) -> Option<NodeId> {
        self.leader_id
    }
    /// The log.
    pub fn log(&self) -> &Log<C> {
        &self.log
    }
    /// commitIndex: highest entry known to be committed.
    pub fn commit_index(&self) -> Index {
        self.commit_index
    }
    /// lastApplied: highest entry handed to [`Node::apply_committed`].
    pub fn last_applied(&self) -> Index {
        self.last_applied
    }
    /// The command a new leader appends as its no-op when [`Config::no_op`] is on
    /// (§8). Raft never looks inside commands, so the caller says which one it is;
    /// without it, `no_op` has no effect.
    pub fn with_no_op(mut self, command: C) -> Self {
        self.no_op = Some(command);
        self
    }
    /// When a follower, candidate or pre-candidate will time out (`None` for a leader).
    pub fn election_deadline(&self) -> Option<Time> {
        (self.role != Role::Leader).then_some(self.election_deadline)
    }
    /// When a leader will send its next heartbeat round (`None` otherwise).
    pub fn heartbeat_deadline(&self) -> Option<Time> {
        (self.role == Role::Leader).then_some(self.heartbeat_deadline)
    }
    /// The next time [`Node::tick`] has something to do.
    pub fn next_wakeup(&self) -> Time {
        match self.role {
            Role::Leader if self.config.check_quorum => {
                self.heartbeat_deadline.min(self.quorum_deadline)
            }
            Role::Leader => self.heartbeat_deadline,
            _ => self.election_deadline,
        }
    }
    /// The server a leader is handing over to (dissertation §3.10), if any.
    pub fn transferring_to(&self) -> Option<NodeId> {
        self.transfer.map(|t| t.target)
    }
    /// The leader's nextIndex / matchIndex per follower (empty unless leader).
    pub fn progress(&self) -> &[Progress] {
        &self.progress
    }
    /// The latest time this node was given.
    pub fn now(&self) -> Time {
        self.now
    }
    /// Messages produced and not yet drained.
    pub fn pending_messages(&self) -> &[Message<C>] {
        &self.outbox
    }
    /// A copy of the persistent state, as stable storage would hold it.
    pub fn persistent(&self) -> Persistent<C> {
        let entries = self.log.entries();
        let stored = match self.unsynced_from {
            Some(first) => {
                let held = first.saturating_sub(self.log.first_index()) as usize;
                &entries[..held.min(entries.len())]
            }
            None => entries,
        };
        Persistent {
            current_term: self.current_term,
            voted_for: self
                .voted_for
                .filter(|_| !self.deviates(Deviation::ForgetVote)),
            log: stored.to_vec(),
            #[cfg(feature = "compaction")]
            snapshot: self.snapshot.clone(),
        }
    }
    /// Number of servers in the cluster, this one included.
    pub fn cluster_size(&self) -> usize {
        self.peers.len() + 1
    }

    // ----- inputs ------------------------------------------------------------------

    /// Lets time pass: a follower or candidate whose election timeout has elapsed
    /// starts an election (§5.2); a leader whose heartbeat is due sends AppendEntries
    /// to every follower.
    pub fn tick(&mut self, now: Time) {
        self.observe(now);
        match self.role {
            Role::Leader => {
                self.expire_transfer();
                if self.config.check_quorum && self.now >= self.quorum_deadline {
                    self.check_quorum();
                    if self.role != Role::Leader {
                        return;
                    }
                }
                if self.now >= self.heartbeat_deadline {
                    self.start_round();
                    self.broadcast_append_entries(true);
                    self.heartbeat_deadline = self.now + self.config.heartbeat_interval;
                }
            }
            Role::Follower | Role::Candidate | Role::PreCandidate => {
                // A learner, a removed server or one joining does not stand (§6).
                #[cfg(feature = "membership")]
                if self.now >= self.election_deadline && !self.may_stand() {
                    self.reset_election_timer();
                    return;
                }
                // With leases, a server that heard from a leader within the smallest
                // election timeout keeps that leader's lease safe: it does not stand
                // (nor vote for itself) until then, even if its timer was made to fire
                // early (dissertation §6.4.1).
                if self.now >= self.election_deadline && self.keeps_lease() {
                    self.reset_election_timer();
                    return;
                }
                if self.now >= self.election_deadline {
                    if self.config.pre_vote {
                        self.start_pre_vote();
                    } else {
                        self.start_election(false);
                    }
                }
            }
        }
    }

    /// Sets when this node's election timer fires. A deadline at or before `now` makes
    /// the next [`Node::tick`] start an election; equal deadlines on several nodes make
    /// them stand together (a likely split vote); distinct ones keep them apart.
    /// Ignored by a leader, which has no election timer.
    pub fn set_election_deadline(&mut self, at: Time) {
        if self.role != Role::Leader {
            self.election_deadline = at;
        }
    }

    /// Sets when a leader sends its next heartbeat round: at or before `now`, the next
    /// [`Node::tick`] sends it. Ignored by a server that is not leading.
    pub fn set_heartbeat_deadline(&mut self, at: Time) {
        if self.role == Role::Leader {
            self.heartbeat_deadline = at;
        }
    }

    /// A client command. Only the leader accepts it (§5.3): the entry is appended to
    /// its log and sent to every follower; its index is returned. Any other server
    /// answers with the leader it knows of, for a redirect.
    pub fn propose(&mut self, now: Time, command: C) -> Result<Index, NotLeader> {
        self.propose_batch(now, core::iter::once(command))
    }

    /// Several client commands at once, appended in order and sent in one round.
    /// Returns the index of the last one.
    pub fn propose_batch(
        &mut self,
        now: Time,
        commands: impl IntoIterator<Item = C>,
    ) -> Result<Index, NotLeader> {
        self.observe(now);
        self.accepts_client()?;
        let term = self.current_term;
        for command in commands {
            self.log.push(Entry::new(term, command));
        }
        self.maybe_commit();
        self.broadcast_append_entries(false);
        Ok(self.log.last_index())
    }

    /// Handles one incoming message. Stale, duplicated and reordered messages are
    /// handled as Raft prescribes (rejected or harmlessly ignored); a message that no
    /// correct server could send is refused with an error and changes nothing.
    pub fn step(&mut self, now: Time, msg: Message<C>) -> Result<(), StepError> {
        self.observe(now);
        self.validate(&msg)?;
        // PreVote traffic changes no term (dissertation §9.6): a granted answer
        // carries the term the asker would stand in.
        match msg.body {
            Body::PreVote {
                last_log_index,
                last_log_term,
            } => {
                self.handle_pre_vote(msg.from, msg.term, last_log_index, last_log_term);
                return Ok(());
            }
            Body::PreVoteReply { granted: true } => {
                self.handle_pre_vote_reply(msg.from, msg.term);
                return Ok(());
            }
            Body::RequestVote {
                transfer: false, ..
            } if msg.term > self.current_term && self.hears_from_leader() => {
                // With CheckQuorum (or a lease), a server that heard from a leader
                // within an election timeout neither adopts the term nor votes.
                return Ok(());
            }
            _ => {}
        }
        // §5.1: "If RPC request or response contains term T > currentTerm: set
        // currentTerm = T, convert to follower."
        if msg.term > self.current_term {
            self.become_follower(msg.term);
        }
        let Message {
            from, term, body, ..
        } = msg;
        match body {
            Body::RequestVote {
                last_log_index,
                last_log_term,
                ..
            } => {
                self.handle_request_vote(from, term, last_log_index, last_log_term);
                Ok(())
            }
            // Handled above, or a refusal whose term was adopted just now.
            Body::PreVote { .. } | Body::PreVoteReply { .. } => Ok(()),
            Body::TimeoutNow => {
                self.handle_timeout_now(term);
                Ok(())
            }
            Body::RequestVoteReply { vote_granted } => {
                self.handle_vote_reply(from, term, vote_granted);
                Ok(())
            }
            Body::AppendEntries {
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
                round,
            } => self.handle_append_entries(
                from,
                term,
                AppendRequest {
                    prev_log_index,
                    prev_log_term,
                    entries,
                    leader_commit,
                    round,
                },
            ),
            #[cfg(feature = "compaction")]
            Body::InstallSnapshot {
                last_included_index,
                last_included_term,
                data,
                round,
                #[cfg(feature = "membership")]
                config,
            } => {
                #[cfg_attr(not(feature = "membership"), allow(unused_mut))]
                let mut snapshot = Snapshot::new(last_included_index, last_included_term, data);
                #[cfg(feature = "membership")]
                {
                    snapshot.config = config;
                }
                self.handle_install_snapshot(from, term, snapshot, round)
            }
            Body::AppendEntriesReply {
                success,
                match_index,
                conflict_term,
                conflict_index,
                round,
            } => {
                self.handle_append_reply(
                    from,
                    term,
                    AppendReply {
                        success,
                        match_index,
                        conflict_term,
                        conflict_index,
                        round,
                    },
                );
                Ok(())
            }
        }
    }

    /// Hands every committed but not yet applied entry to `apply`, in index order,
    /// and advances lastApplied (Figure 2: "if commitIndex > lastApplied: increment
    /// lastApplied, apply log[lastApplied] to state machine"). Each entry is handed
    /// over exactly once in the lifetime of this node.
    ///
    /// While a snapshot waits to be restored ([`Node::restore_snapshot`]), nothing is
    /// applied: the entries after it need its state first.
    pub fn apply_committed(&mut self, mut apply: impl FnMut(Index, &C)) {
        #[cfg(feature = "compaction")]
        if self.restore_pending {
            return;
        }
        while self.last_applied < self.commit_index {
            let next = self.last_applied + 1;
            match self.log.get(next) {
                Some(entry) => apply(next, &entry.command),
                None => break, // unreachable: commit_index <= last_index is an invariant
            }
            self.last_applied = next;
        }
    }

    /// Takes the messages produced so far, in the order they were produced.
    pub fn drain_messages(&mut self) -> alloc::vec::Drain<'_, Message<C>> {
        self.outbox.drain(..)
    }

    // ----- roles -------------------------------------------------------------------

    fn deviates(&self, d: Deviation) -> bool {
        self.config.deviates(d)
    }

    fn observe(&mut self, now: Time) {
        // Whatever the last input wrote reaches stable storage before the next one.
        self.unsynced_from = None;
        // Time never runs backwards for a node, whatever the caller passes.
        self.now = self.now.max(now);
    }

    fn reset_election_timer(&mut self) {
        let timeout = self
            .rng
            .random_range(self.config.election_timeout_min..=self.config.election_timeout_max);
        self.election_deadline = self.now + timeout;
    }

    /// Adopts `term` (greater than the current one) as a follower with no vote.
    fn become_follower(&mut self, term: Term) {
        self.current_term = term;
        self.voted_for = None;
        if self.role == Role::Leader && self.deviates(Deviation::LeaderIgnoresHigherTerm) {
            return;
        }
        self.step_down();
    }

    /// Becomes a follower of the current term knowing no leader: what is left of
    /// leading (progress, a transfer, reads waiting) goes.
    fn step_down(&mut self) {
        let was_leader = self.role == Role::Leader;
        self.leader_id = None;
        self.role = Role::Follower;
        self.votes.clear();
        self.progress.clear();
        #[cfg(feature = "membership")]
        {
            self.promoting = None;
        }
        if was_leader {
            self.transfer = None;
            self.fail_reads();
            // A leader runs no election timer; start one now that it follows.
            self.reset_election_timer();
        }
    }

    /// §5.2: "increment currentTerm, vote for self, reset election timer, send
    /// RequestVote RPCs to all other servers". `transfer`: the leader asked for it
    /// (dissertation §3.10).
    fn start_election(&mut self, transfer: bool) {
        self.current_term += 1;
        self.voted_for = Some(self.id);
        self.start_asking(Role::Candidate);
        if self.has_quorum_of_votes() {
            self.become_leader();
            return;
        }
        let (last_log_index, last_log_term) = (self.log.last_index(), self.log.last_term());
        for i in 0..self.peers.len() {
            let to = self.peers[i];
            if !self.is_voter(to) {
                continue;
            }
            self.send(
                to,
                Body::RequestVote {
                    last_log_index,
                    last_log_term,
                    transfer,
                },
            );
        }
    }

    /// Becomes a candidate (or pre-candidate) knowing no leader, with its own vote
    /// (or yes) only, and a fresh election timer.
    fn start_asking(&mut self, role: Role) {
        self.role = role;
        self.leader_id = None;
        self.votes.clear();
        self.votes.push(self.id);
        self.progress.clear();
        self.reset_election_timer();
    }

    fn has_quorum_of_votes(&self) -> bool {
        #[cfg(feature = "membership")]
        return self.configuration.quorum(|id| self.votes.contains(&id));
        #[cfg(not(feature = "membership"))]
        return self.votes.len() >= quorum::majority(self.cluster_size());
    }

    /// True if `id` may vote: every member, unless the membership changes (§6).
    fn is_voter(&self, id: NodeId) -> bool {
        #[cfg(feature = "membership")]
        return self.configuration.is_voter(id);
        #[cfg(not(feature = "membership"))]
        {
            let _ = id;
            true
        }
    }

    /// §5.2: a candidate with votes from a majority becomes leader and immediately
    /// sends heartbeats; nextIndex starts after its last entry, matchIndex at 0.
    /// With [`Config::no_op`], it first appends an entry of its own term (§8).
    fn become_leader(&mut self) {
        self.role = Role::Leader;
        self.leader_id = Some(self.id);
        let last = self.log.last_index();
        self.progress = self.peers.iter().map(|&p| Progress::new(p, last)).collect();
        self.transfer = None;
        self.reads.take_office();
        self.quorum_deadline = self.now + self.config.election_timeout_max;
        if self.config.no_op
            && let Some(command) = self.no_op.clone()
        {
            let term = self.current_term;
            self.log.push(Entry::new(term, command));
        }
        self.start_round();
        self.broadcast_append_entries(true);
        self.heartbeat_deadline = self.now + self.config.heartbeat_interval;
        self.maybe_commit();
    }

    // ----- messages out ------------------------------------------------------------

    fn send(&mut self, to: NodeId, body: Body<C>) {
        self.send_in(self.current_term, to, body);
    }

    /// Sends with another term than the current one (PreVote's asked term).
    fn send_in(&mut self, term: Term, to: NodeId, body: Body<C>) {
        self.outbox.push(Message {
            from: self.id,
            to,
            term,
            body,
        });
    }

    /// A round of AppendEntries to every follower: on the heartbeat timer (and on
    /// taking office) when `heartbeat`, else for new entries.
    fn broadcast_append_entries(&mut self, heartbeat: bool) {
        for i in 0..self.progress.len() {
            if !self.config.flow_control {
                self.send_append_entries(i);
            } else if heartbeat {
                self.heartbeat_to(i);
            } else {
                self.stream_to(i);
            }
        }
    }

    /// With flow control, the heartbeat to one follower: a probe is sent again (it
    /// may have been lost); a follower being streamed to gets what is new, or an empty
    /// AppendEntries right after what was sent (a gap makes it answer no, and the
    /// leader probes again).
    fn heartbeat_to(&mut self, i: usize) {
        let last = self.log.last_index();
        let p = &mut self.progress[i];
        match p.state {
            ProgressState::Probe => {
                p.paused = false;
                self.stream_to(i);
            }
            ProgressState::Replicate
                if p.next_index <= last && p.can_send(self.config.max_inflight) =>
            {
                self.stream_to(i)
            }
            ProgressState::Replicate => self.send_heartbeat(i),
        }
    }

    /// An AppendEntries with no entry, right after what was sent: it carries the
    /// commit index, and a follower missing something in between answers no.
    fn send_heartbeat(&mut self, i: usize) {
        let (peer, next_index) = (self.progress[i].peer, self.progress[i].next_index);
        #[cfg(feature = "compaction")]
        if next_index <= self.log.snapshot_index() {
            self.send_snapshot(i);
            return;
        }
        let prev_log_index = next_index - 1;
        let prev_log_term = self.log.term_at(prev_log_index).unwrap_or(0);
        self.send(
            peer,
            Body::AppendEntries {
                prev_log_index,
                prev_log_term,
                entries: Vec::new(),
                leader_commit: self.commit_index,
                round: self.reads.round,
            },
        );
    }

    /// With flow control, sends a follower what it may receive now: one probe, or new
    /// entries up to the window.
    fn stream_to(&mut self, i: usize) {
        let window = self.config.max_inflight;
        loop {
            let p = &self.progress[i];
            let probing = p.state == ProgressState::Probe;
            let more = p.next_index <= self.log.last_index();
            if !p.can_send(window) || !(probing || more) {
                return;
            }
            let last = self.send_append_entries(i);
            self.progress[i].sent(last);
            if probing {
                return;
            }
        }
    }

    /// Figure 2, rules for leaders: "if last log index >= nextIndex for a follower:
    /// send AppendEntries RPC with log entries starting at nextIndex"; with nothing to
    /// send, the same RPC is an empty heartbeat; if a snapshot replaced the entry
    /// before nextIndex, the snapshot goes instead (§7). Returns the index of the last
    /// entry sent (or the one before nextIndex, for a heartbeat).
    fn send_append_entries(&mut self, i: usize) -> Index {
        let Progress {
            peer, next_index, ..
        } = self.progress[i];
        #[cfg(feature = "compaction")]
        if next_index <= self.log.snapshot_index() {
            return self.send_snapshot(i);
        }
        let prev_log_index = next_index - 1;
        let prev_log_term = self.log.term_at(prev_log_index).unwrap_or(0);
        let entries = self
            .log
            .slice_from(next_index, self.config.max_entries_per_message)
            .to_vec();
        let last = prev_log_index + entries.len() as Index;
        self.send(
            peer,
            Body::AppendEntries {
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit: self.commit_index,
                round: self.reads.round,
            },
        );
        last
    }

    // ----- messages in -------------------------------------------------------------

    /// Refuses messages that no correct member of this cluster could have sent.
    fn validate(&self, msg: &Message<C>) -> Result<(), StepError> {
        if msg.to != self.id {
            return Err(StepError::WrongRecipient);
        }
        let known = self.peers.contains(&msg.from);
        // With membership changes, a server takes requests without consulting its
        // configuration (dissertation §4.1): from servers it does not know yet (a new
        // voter standing, a new leader) or no longer knows.
        #[cfg(feature = "membership")]
        let known = known || msg.from != self.id;
        if !known {
            return Err(StepError::UnknownSender);
        }
        match &msg.body {
            Body::RequestVote {
                last_log_index,
                last_log_term,
                ..
            }
            | Body::PreVote {
                last_log_index,
                last_log_term,
            } => {
                if *last_log_term > msg.term {
                    return Err(StepError::Malformed(
                        "last_log_term above the candidate's term",
                    ));
                }
                if (*last_log_index == 0) != (*last_log_term == 0) {
                    return Err(StepError::Malformed(
                        "empty log must have term 0 and only it",
                    ));
                }
            }
            Body::AppendEntries {
                prev_log_index,
                prev_log_term,
                entries,
                ..
            } => {
                if msg.term == 0 {
                    return Err(StepError::Malformed("no leader exists in term 0"));
                }
                if *prev_log_term > msg.term {
                    return Err(StepError::Malformed(
                        "prev_log_term above the leader's term",
                    ));
                }
                if (*prev_log_index == 0) != (*prev_log_term == 0) {
                    return Err(StepError::Malformed("index 0 must have term 0 and only it"));
                }
                let mut previous = *prev_log_term;
                for e in entries {
                    if e.term < previous.max(1) || e.term > msg.term {
                        return Err(StepError::Malformed("entry terms out of order"));
                    }
                    previous = e.term;
                }
                if prev_log_index.checked_add(entries.len() as u64).is_none() {
                    return Err(StepError::Malformed("log index overflow"));
                }
            }
            Body::AppendEntriesReply {
                success,
                match_index,
                ..
            } => {
                if *success && *match_index > self.log.last_index() && msg.term == self.current_term
                {
                    return Err(StepError::Malformed(
                        "follower matches beyond the leader's log",
                    ));
                }
            }
            Body::TimeoutNow if msg.term == 0 => {
                return Err(StepError::Malformed("no leader exists in term 0"));
            }
            #[cfg(feature = "compaction")]
            Body::InstallSnapshot {
                last_included_index,
                last_included_term,
                ..
            } => {
                if msg.term == 0 {
                    return Err(StepError::Malformed("no leader exists in term 0"));
                }
                if *last_included_index == 0 || *last_included_term == 0 {
                    return Err(StepError::Malformed("a snapshot covers at least one entry"));
                }
                if *last_included_term > msg.term {
                    return Err(StepError::Malformed(
                        "last_included_term above the leader's term",
                    ));
                }
            }
            Body::RequestVoteReply { .. } | Body::PreVoteReply { .. } | Body::TimeoutNow => {}
        }
        Ok(())
    }

    /// Figure 2, RequestVote receiver implementation.
    fn handle_request_vote(
        &mut self,
        candidate: NodeId,
        term: Term,
        last_log_index: Index,
        last_log_term: Term,
    ) {
        // 1. Reply false if term < currentTerm (§5.1). (A higher term was adopted in
        //    `step`, so here term <= currentTerm.)
        // 2. If votedFor is null or candidateId, and the candidate's log is at least
        //    as up to date as the receiver's log, grant the vote (§5.2, §5.4).
        let free =
            self.voted_for.is_none_or(|v| v == candidate) || self.deviates(Deviation::VoteTwice);
        let log_ok = self.log.is_up_to_date(last_log_index, last_log_term)
            || self.deviates(Deviation::VoteWithoutLogCheck);
        let granted = term == self.current_term && free && log_ok;
        if granted {
            self.voted_for = Some(candidate);
            // Granting a vote resets the election timer (Figure 2, rules for followers).
            self.reset_election_timer();
        }
        self.send(
            candidate,
            Body::RequestVoteReply {
                vote_granted: granted,
            },
        );
    }

    fn handle_vote_reply(&mut self, from: NodeId, term: Term, vote_granted: bool) {
        // Stale replies (from an earlier election) and replies to a node that is no
        // longer a candidate are ignored.
        if self.role != Role::Candidate
            || term != self.current_term
            || !vote_granted
            || !self.is_voter(from)
        {
            return;
        }
        if !self.votes.contains(&from) {
            self.votes.push(from);
        }
        if self.has_quorum_of_votes() {
            self.become_leader();
        }
    }

    /// Figure 2, AppendEntries receiver implementation.
    fn handle_append_entries(
        &mut self,
        leader: NodeId,
        term: Term,
        request: AppendRequest<C>,
    ) -> Result<(), StepError> {
        let AppendRequest {
            prev_log_index,
            prev_log_term,
            entries,
            leader_commit,
            round,
        } = request;
        let reply = |success, match_index, conflict_term, conflict_index| AppendReply {
            success,
            match_index,
            conflict_term,
            conflict_index,
            round,
        };
        // 1. Reply false if term < currentTerm (§5.1).
        if term < self.current_term {
            self.reply_append(leader, reply(false, 0, None, 0));
            return Ok(());
        }
        self.follow(leader)?;

        #[cfg(feature = "compaction")]
        let Some((prev_log_index, prev_log_term, entries)) =
            self.after_snapshot(leader, prev_log_index, prev_log_term, entries, round)
        else {
            return Ok(());
        };

        // 2. Reply false if the log doesn't contain an entry at prevLogIndex whose
        //    term matches prevLogTerm (§5.3), with a hint to skip whole terms.
        match self.log.term_at(prev_log_index) {
            None => {
                let next = self.log.last_index() + 1;
                self.reply_append(leader, reply(false, 0, None, next));
                return Ok(());
            }
            Some(t) if t != prev_log_term && !self.deviates(Deviation::SkipConsistencyCheck) => {
                let first = self.log.first_index_of_term(t, prev_log_index);
                self.reply_append(leader, reply(false, 0, Some(t), first));
                return Ok(());
            }
            Some(_) => {}
        }

        // 3. If an existing entry conflicts with a new one (same index, different
        //    terms), delete it and all that follow. 4. Append entries not already in
        //    the log. Entries that already match are kept: a delayed, shorter
        //    AppendEntries must never cut off entries a newer one delivered.
        let mut skip = 0;
        let mut conflict = None;
        for (k, e) in entries.iter().enumerate() {
            let index = prev_log_index + 1 + k as Index;
            match self.log.term_at(index) {
                Some(t) if t == e.term => skip = k + 1,
                Some(_) => {
                    conflict = Some(index);
                    break;
                }
                None => break,
            }
        }
        if let Some(index) = conflict {
            if index <= self.commit_index {
                return Err(StepError::Malformed("overwrites a committed entry"));
            }
            self.log.truncate_from(index);
        }
        #[cfg(feature = "membership")]
        let changed_from = conflict.unwrap_or(prev_log_index + 1 + skip as Index);
        #[cfg(feature = "membership")]
        let changed = conflict.is_some() || skip < entries.len();
        let last_new = prev_log_index + entries.len() as Index;
        if skip < entries.len() && self.deviates(Deviation::AckBeforePersist) {
            self.unsynced_from = Some(prev_log_index + 1 + skip as Index);
        }
        for e in entries.into_iter().skip(skip) {
            self.log.push(e);
        }
        #[cfg(feature = "membership")]
        if changed {
            self.log_changed_from(changed_from);
        }

        // 5. If leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index
        //    of last new entry).
        if leader_commit > self.commit_index {
            self.commit_index = self.commit_index.max(leader_commit.min(last_new));
        }
        self.reply_append(leader, reply(true, last_new, None, 0));
        Ok(())
    }

    /// The sender of an AppendEntries (or InstallSnapshot) of the current term is
    /// this term's leader: a candidate steps down (§5.2), and the election timer
    /// restarts.
    fn follow(&mut self, leader: NodeId) -> Result<(), StepError> {
        match self.role {
            Role::Leader => {
                // Election Safety (§5.2) makes this impossible among correct servers.
                return Err(StepError::Malformed("two leaders in the same term"));
            }
            // A pre-candidate steps down too.
            Role::Candidate | Role::PreCandidate => {
                self.role = Role::Follower;
                self.votes.clear();
            }
            Role::Follower => {}
        }
        self.leader_id = Some(leader);
        self.leader_contact = Some(self.now);
        self.reset_election_timer();
        Ok(())
    }

    fn reply_append(&mut self, to: NodeId, r: AppendReply) {
        self.send(
            to,
            Body::AppendEntriesReply {
                success: r.success,
                match_index: r.match_index,
                conflict_term: r.conflict_term,
                conflict_index: r.conflict_index,
                round: r.round,
            },
        );
    }

    fn handle_append_reply(&mut self, from: NodeId, term: Term, reply: AppendReply) {
        if self.role != Role::Leader || term != self.current_term {
            return; // stale: from an earlier term, or we are no longer leader
        }
        let Some(i) = self.progress.iter().position(|p| p.peer == from) else {
            return;
        };
        let AppendReply {
            success,
            match_index,
            conflict_term,
            conflict_index,
            round,
        } = reply;
        // Any answer of this term shows the follower still takes this leader's
        // messages: it counts for CheckQuorum and for the round it echoes (§6.4).
        self.progress[i].heard(round);
        let last = self.log.last_index();
        if success {
            // "If successful: update nextIndex and matchIndex for follower (§5.3)."
            if self.progress[i].acknowledge(match_index) {
                self.maybe_commit();
            }
            #[cfg(feature = "membership")]
            let i = {
                if self.role == Role::Leader && i < self.progress.len() {
                    self.maybe_promote(i);
                }
                // The commit may have changed the configuration, or ended leading.
                match self.progress.iter().position(|p| p.peer == from) {
                    Some(i) if self.role == Role::Leader => i,
                    _ => return,
                }
            };
            self.continue_transfer(i);
            if self.config.flow_control {
                // The logs match up to matchIndex: stream from there.
                if self.progress[i].state == ProgressState::Probe {
                    self.progress[i].replicate();
                }
                self.stream_to(i);
            } else if self.progress[i].next_index <= last {
                // A follower that is still behind gets the next batch at once.
                self.send_append_entries(i);
            }
        } else {
            // "If AppendEntries fails because of log inconsistency: decrement nextIndex
            // and retry (§5.3)", skipping a whole conflicting term at a time.
            let hint = match conflict_term {
                Some(t) => self
                    .log
                    .last_index_of_term(t)
                    .map_or(conflict_index, |last_of_t| last_of_t + 1),
                None => conflict_index,
            };
            if self.progress[i].back_off(hint.min(last + 1)) {
                if self.config.flow_control {
                    self.stream_to(i);
                } else {
                    self.send_append_entries(i);
                }
            }
        }
        self.advance_reads();
    }

    /// Figure 2, rules for leaders: "if there exists an N such that N > commitIndex, a
    /// majority of matchIndex[i] >= N, and log[N].term == currentTerm: set commitIndex
    /// = N" (§5.3, §5.4). Entries of earlier terms are committed only indirectly, by
    /// committing a later entry of the current term (the Figure 8 rule).
    fn maybe_commit(&mut self) {
        #[cfg(feature = "membership")]
        let n = self.reached_by_voters(self.log.last_index(), |p| p.match_index);
        #[cfg(not(feature = "membership"))]
        let n = {
            let mut matched: Vec<Index> = self.progress.iter().map(|p| p.match_index).collect();
            matched.push(self.log.last_index());
            quorum::committed_index(matched)
        };
        let own_term = self.log.term_at(n) == Some(self.current_term);
        if n > self.commit_index && (own_term || self.deviates(Deviation::CommitEarlierTerm)) {
            self.commit_index = n;
            self.advance_reads();
            #[cfg(feature = "membership")]
            self.after_commit();
        }
    }
}

/// The fields of an AppendEntries, as the receiver reads them.
struct AppendRequest<C> {
    prev_log_index: Index,
    prev_log_term: Term,
    entries: Vec<Entry<C>>,
    leader_commit: Index,
    round: u64,
}

/// The fields of an AppendEntries reply, as the receiver builds and the leader reads
/// them.
#[derive(Clone, Copy)]
struct AppendReply {
    success: bool,
    match_index: Index,
    conflict_term: Option<Term>,
    conflict_index: Index,
    round: u64,
}
