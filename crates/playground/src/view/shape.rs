//! The kind of a message for drawing: its shape on the ring and in the legend.

use raft_sim::raft_core::Body;

/// The kind of a message for drawing: its shape and its name in the legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// RequestVote: a filled circle.
    Vote,
    /// Vote granted: a check.
    Granted,
    /// Vote denied: a cross.
    Denied,
    /// AppendEntries with entries: a filled square with the count.
    Append(usize),
    /// Empty AppendEntries: a small dot.
    Heartbeat,
    /// AppendEntries accepted: a hollow square.
    AppendOk,
    /// AppendEntries rejected: a hollow square with a cross.
    AppendFail,
    /// PreVote ("would you vote for me?"): a dashed circle with a question mark.
    PreVote,
    /// PreVote answered yes: a dashed circle with a check.
    PreVoteYes,
    /// PreVote answered no: a dashed circle with a cross.
    PreVoteNo,
    /// TimeoutNow (leadership transfer): a filled diamond.
    TimeoutNow,
    /// InstallSnapshot (§7): two stacked squares, the state instead of entries.
    #[cfg(feature = "compaction")]
    Snapshot,
}

impl Shape {
    /// The shape of a message body.
    pub fn of<C>(body: &Body<C>) -> Shape {
        match body {
            Body::RequestVote { .. } => Shape::Vote,
            Body::RequestVoteReply { vote_granted: true } => Shape::Granted,
            Body::RequestVoteReply {
                vote_granted: false,
            } => Shape::Denied,
            Body::AppendEntries { entries, .. } if entries.is_empty() => Shape::Heartbeat,
            Body::AppendEntries { entries, .. } => Shape::Append(entries.len()),
            Body::AppendEntriesReply { success: true, .. } => Shape::AppendOk,
            Body::AppendEntriesReply { success: false, .. } => Shape::AppendFail,
            Body::PreVote { .. } => Shape::PreVote,
            Body::PreVoteReply { granted: true } => Shape::PreVoteYes,
            Body::PreVoteReply { granted: false } => Shape::PreVoteNo,
            Body::TimeoutNow => Shape::TimeoutNow,
            #[cfg(feature = "compaction")]
            Body::InstallSnapshot { .. } => Shape::Snapshot,
            // InstallSnapshot without the page's `compaction` (raft-core's is on when
            // the whole workspace builds together, for the tests): the page never sees
            // one.
            #[allow(unreachable_patterns)]
            _ => Shape::Append(0),
        }
    }
}
