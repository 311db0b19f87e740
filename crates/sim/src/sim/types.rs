//! The simulation's public data: messages on the wire and lost, client requests and
//! their answers, what one step did, marks for a timeline, servers and counters.

use crate::{Command, Register};
use raft_core::{Index, Message, MessageKind, Node, NodeId, Role, Term, Time};
use serde::Serialize;

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

/// What became of a client's read (dissertation §6.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReadState {
    /// The leader is confirming it still leads, or waiting for its commit index.
    Waiting,
    /// Answered: the register's value after `index`.
    Answered {
        /// The value read.
        value: i64,
        /// The last entry applied in the state the answer came from.
        index: Index,
        /// When.
        at: Time,
    },
    /// The server stopped leading (or stopped) before it could answer.
    Failed {
        /// When.
        at: Time,
        /// The leader it knew of then, to ask instead.
        leader: Option<NodeId>,
    },
    /// Not the leader (or handing over): try `leader`.
    Redirect {
        /// The leader the server knows of.
        leader: Option<NodeId>,
    },
    /// The server is stopped.
    Down,
}

/// A client's read of the register and its fate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReadRequest {
    /// When it was asked.
    pub at: Time,
    /// Of which server.
    pub node: NodeId,
    /// The highest index of a write acknowledged to a client before it was asked: a
    /// linearizable answer includes it.
    pub floor: Index,
    /// What became of it.
    pub state: ReadState,
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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
    /// The leader committed the entries after `from`, up to `to`.
    Commit {
        /// Its commit index before.
        from: Index,
        /// Its commit index now.
        to: Index,
    },
    /// A leader or candidate went back to being a follower, in this term.
    StepDown(Term),
    /// A leader sent a round of AppendEntries on its heartbeat timer (or as it took
    /// office). `repairing`: a follower rejected an AppendEntries since the last round,
    /// so the leader is bringing that follower's log in line with its own.
    Heartbeat {
        /// A rejection arrived since the last round.
        repairing: bool,
    },
    /// The server stopped.
    Crash,
    /// The server restarted.
    Restart,
    /// With PreVote, the server asks whether it would be elected in this term.
    PreCandidate(Term),
    /// The server answered a client's read (`reads()[read]`) with `value`, or could
    /// not (`None`: it stopped leading).
    Read {
        /// Which read.
        read: usize,
        /// The value read, if answered.
        value: Option<i64>,
    },
}

impl NoteKind {
    /// True for the moments a timeline marks and can jump to (elections, leaders,
    /// commits, crashes and restarts), false for the frequent ones.
    pub fn is_marker(self) -> bool {
        !matches!(
            self,
            NoteKind::StepDown(_) | NoteKind::Heartbeat { .. } | NoteKind::PreCandidate(_)
        )
    }
}

/// One server of the simulated cluster.
#[derive(Clone, Debug)]
pub struct Server {
    /// Its clock (Raft's timers run on it).
    pub clock: super::Clock,
    /// The Raft state machine (frozen while the server is stopped).
    pub node: Node<Command>,
    /// False while stopped.
    pub alive: bool,
    /// Its replica of the register.
    pub register: Register,
    /// The wake-up currently scheduled in the queue.
    pub(super) timer: Option<Time>,
    /// How many times it was restarted.
    pub restarts: u32,
    /// What it was at the last look, for notes.
    pub(super) seen: Seen,
}

impl Server {
    /// A running server that has applied nothing yet.
    pub(super) fn new(clock: super::Clock, node: Node<Command>) -> Self {
        Server {
            clock,
            seen: Seen::of(&node),
            node,
            alive: true,
            register: Register::default(),
            timer: None,
            restarts: 0,
        }
    }

    /// When its election timer fires, in simulated time (`None` for a leader).
    pub fn election_deadline(&self) -> Option<Time> {
        self.node.election_deadline().map(|t| self.clock.global(t))
    }
}

/// What a server was at the last look: its changes become notes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Seen {
    pub(super) role: Role,
    pub(super) term: Term,
    pub(super) commit: Index,
    pub(super) heartbeat: Option<Time>,
    /// A follower rejected this leader's AppendEntries since its last round.
    pub(super) repairing: bool,
}

impl Seen {
    /// A server as it starts (or restarts).
    pub(super) fn of(node: &Node<Command>) -> Seen {
        Seen {
            role: node.role(),
            term: node.term(),
            commit: node.commit_index(),
            heartbeat: node.heartbeat_deadline(),
            repairing: false,
        }
    }
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
    /// Snapshots taken by servers compacting their logs (§7).
    #[cfg(feature = "compaction")]
    pub compactions: u64,
    /// InstallSnapshot messages delivered (a follower needed compacted entries).
    #[cfg(feature = "compaction")]
    pub installs: u64,
    /// Servers added, and removed, by a leader (membership changes started).
    #[cfg(feature = "membership")]
    pub changes: (u64, u64),
}
