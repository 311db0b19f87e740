//! The messages of Figure 2: the RequestVote and AppendEntries RPCs and their replies.

use crate::{Entry, Index, NodeId, Term};
use alloc::vec::Vec;

/// One message between two servers. Every message carries its sender's current term
/// (§5.1): a receiver with a smaller term adopts it, a receiver with a larger term
/// rejects the message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Body<C> {
    /// A candidate asks for a vote (§5.2). The candidate is the sender.
    RequestVote {
        /// Index of the candidate's last log entry.
        last_log_index: Index,
        /// Term of the candidate's last log entry.
        last_log_term: Term,
    },
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
    },
}

/// The four kinds of message, for drawing and counting.
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
}

impl MessageKind {
    /// Short, stable name (used in traces and as `data-kind` in the page).
    pub fn name(self) -> &'static str {
        match self {
            MessageKind::RequestVote => "RequestVote",
            MessageKind::RequestVoteReply => "RequestVoteReply",
            MessageKind::AppendEntries => "AppendEntries",
            MessageKind::AppendEntriesReply => "AppendEntriesReply",
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
        }
    }

    /// True for an AppendEntries that carries no entry.
    pub fn is_heartbeat(&self) -> bool {
        matches!(&self.body, Body::AppendEntries { entries, .. } if entries.is_empty())
    }
}
