//! The messages of Figure 2: the RequestVote and AppendEntries RPCs and their replies;
//! beyond it, PreVote, TimeoutNow and InstallSnapshot (Figure 13).

use crate::{Entry, Index, NodeId, Term};
use alloc::vec::Vec;

/// One message between two servers. Every message carries its sender's current term
/// (§5.1): a receiver with a smaller term adopts it, a receiver with a larger term
/// rejects the message.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Message<C> {
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// The sender's current term.
    pub term: Term,
    /// What the message says.
    pub body: Body<C>,
}

/// The content of a [`Message`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Body<C> {
    /// A candidate asks for a vote (§5.2). The candidate is the sender.
    RequestVote {
        /// Index of the candidate's last log entry.
        last_log_index: Index,
        /// Term of the candidate's last log entry.
        last_log_term: Term,
        /// The leader asked the candidate to stand (leadership transfer, dissertation
        /// §3.10): voters grant it even while they hear from that leader.
        #[cfg_attr(feature = "serde", serde(default))]
        transfer: bool,
    },
    /// "Would you vote for me?" (PreVote, dissertation §9.6): asked before an election,
    /// with the term the sender would stand in as the message's term; nobody changes
    /// term or vote for it.
    PreVote {
        /// Index of the asker's last log entry.
        last_log_index: Index,
        /// Term of the asker's last log entry.
        last_log_term: Term,
    },
    /// The answer to a PreVote: its term is the asked term if granted, else the
    /// receiver's own.
    PreVoteReply {
        /// True: the receiver would vote for the asker.
        granted: bool,
    },
    /// The leader hands over: "stand for election now" (dissertation §3.10).
    TimeoutNow,
    /// The answer to a RequestVote.
    RequestVoteReply {
        /// True means the receiver voted for the candidate.
        vote_granted: bool,
    },
    /// A leader replicates entries, or, with none, sends a heartbeat (§5.3).
    AppendEntries {
        /// Index of the entry just before the new ones.
        prev_log_index: Index,
        /// Term of that entry.
        prev_log_term: Term,
        /// Entries to store, the first at `prev_log_index + 1`; empty for a heartbeat.
        entries: Vec<Entry<C>>,
        /// The leader's commitIndex.
        leader_commit: Index,
        /// The leader's round of confirmation this message belongs to (ReadIndex,
        /// dissertation §6.4), echoed in the reply; 0 outside any.
        #[cfg_attr(feature = "serde", serde(default))]
        round: u64,
    },
    /// The answer to an AppendEntries.
    AppendEntriesReply {
        /// True if the follower held an entry matching `prev_log_index`/`prev_log_term`.
        success: bool,
        /// On success, the index up to which the follower's log now matches the
        /// leader's (`prev_log_index + entries.len()`); 0 otherwise.
        match_index: Index,
        /// On a consistency failure, the term of the follower's conflicting entry, or
        /// `None` if its log is too short (the accelerated backtracking of §5.3).
        conflict_term: Option<Term>,
        /// On a consistency failure, the first index of `conflict_term` in the
        /// follower's log, or its last index + 1 when the log is too short.
        conflict_index: Index,
        /// The round of the AppendEntries answered.
        #[cfg_attr(feature = "serde", serde(default))]
        round: u64,
    },
    /// The leader sends its snapshot to a follower that needs entries it has
    /// compacted away (Figure 13, in one chunk). The follower answers with an
    /// [`Body::AppendEntriesReply`] matching up to `last_included_index`. Only with the
    /// `compaction` feature.
    #[cfg(feature = "compaction")]
    InstallSnapshot {
        /// The snapshot replaces all entries up through and including this index.
        last_included_index: Index,
        /// Term of that entry.
        last_included_term: Term,
        /// The state machine's state, opaque to Raft.
        data: Vec<u8>,
        /// The configuration in force at `last_included_index` (with the
        /// `membership` feature).
        #[cfg(feature = "membership")]
        #[cfg_attr(feature = "serde", serde(default))]
        config: Option<crate::membership::Configuration>,
        /// The leader's round of confirmation (as in AppendEntries), echoed back.
        #[cfg_attr(feature = "serde", serde(default))]
        round: u64,
    },
}

/// The kinds of message, for drawing and counting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum MessageKind {
    /// [`Body::RequestVote`].
    RequestVote,
    /// [`Body::RequestVoteReply`].
    RequestVoteReply,
    /// [`Body::AppendEntries`].
    AppendEntries,
    /// [`Body::AppendEntriesReply`].
    AppendEntriesReply,
    /// [`Body::PreVote`].
    PreVote,
    /// [`Body::PreVoteReply`].
    PreVoteReply,
    /// [`Body::TimeoutNow`].
    TimeoutNow,
    /// `Body::InstallSnapshot` (with the `compaction` feature).
    #[cfg(feature = "compaction")]
    InstallSnapshot,
}

impl MessageKind {
    /// Short, stable name (used in traces and as `data-kind` in the page).
    pub fn name(self) -> &'static str {
        match self {
            MessageKind::RequestVote => "RequestVote",
            MessageKind::RequestVoteReply => "RequestVoteReply",
            MessageKind::AppendEntries => "AppendEntries",
            MessageKind::AppendEntriesReply => "AppendEntriesReply",
            MessageKind::PreVote => "PreVote",
            MessageKind::PreVoteReply => "PreVoteReply",
            MessageKind::TimeoutNow => "TimeoutNow",
            #[cfg(feature = "compaction")]
            MessageKind::InstallSnapshot => "InstallSnapshot",
        }
    }
}

impl<C> Message<C> {
    /// The kind of this message.
    pub fn kind(&self) -> MessageKind {
        match self.body {
            Body::RequestVote { .. } => MessageKind::RequestVote,
            Body::RequestVoteReply { .. } => MessageKind::RequestVoteReply,
            Body::AppendEntries { .. } => MessageKind::AppendEntries,
            Body::AppendEntriesReply { .. } => MessageKind::AppendEntriesReply,
            Body::PreVote { .. } => MessageKind::PreVote,
            Body::PreVoteReply { .. } => MessageKind::PreVoteReply,
            Body::TimeoutNow => MessageKind::TimeoutNow,
            #[cfg(feature = "compaction")]
            Body::InstallSnapshot { .. } => MessageKind::InstallSnapshot,
        }
    }

    /// True for an AppendEntries that carries no entry.
    pub fn is_heartbeat(&self) -> bool {
        matches!(&self.body, Body::AppendEntries { entries, .. } if entries.is_empty())
    }
}
