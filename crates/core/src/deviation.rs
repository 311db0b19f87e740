//! Named deviations from Raft, for teaching: each one removes a single rule of the
//! paper, so that a student can see which safety property breaks without it.
//!
//! Every deviation is off unless listed in [`crate::Config::deviations`]; with the
//! list empty (the default) a node follows the paper exactly. They are not options
//! to run a cluster with: each one is a known bug.

use core::fmt;

/// One rule of Raft, switched off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Deviation {
    /// A voter grants its vote without checking that the candidate's log is at least
    /// as up to date as its own (§5.4.1): a leader can be elected without a
    /// committed entry (Leader Completeness).
    VoteWithoutLogCheck,
    /// A leader commits an entry of an earlier term as soon as a majority stores it,
    /// instead of only entries of its own term (§5.4.2, Figure 8): a later leader
    /// can overwrite it (Leader Completeness, then State Machine Safety).
    CommitEarlierTerm,
    /// votedFor is not kept on stable storage: a server that restarts can vote a
    /// second time in the same term (Figure 2, persistent state): two leaders in one
    /// term (Election Safety).
    ForgetVote,
    /// A follower acknowledges AppendEntries before its new entries reach stable
    /// storage (Figure 2: "updated on stable storage before responding"): a crash
    /// loses an entry the leader counted as committed (Leader Completeness).
    AckBeforePersist,
    /// A server grants its vote to every candidate of a term that asks, not only to
    /// the first (§5.2): two leaders in one term (Election Safety).
    VoteTwice,
    /// A follower accepts AppendEntries without checking that its entry at
    /// prevLogIndex has prevLogTerm (§5.3): it tells the leader its log matches when
    /// it does not, and the leader counts a replica that does not exist (Committed On
    /// Majority); logs with the same entry at an index can differ before it (Log
    /// Matching).
    SkipConsistencyCheck,
    /// A leader that sees a higher term adopts it but goes on leading (§5.1: it must
    /// convert to follower): two leaders in one term (Election Safety).
    LeaderIgnoresHigherTerm,
    /// One server at a time, a new leader changes the configuration before it has
    /// committed an entry of its own term (the correction Ongaro published in 2015 to
    /// dissertation §4.1): a configuration of an earlier term can still elect another
    /// leader in the same term (Election Safety). With the `membership` feature only,
    /// and not in [`Deviation::ALL`], which the exhaustive search goes through (its
    /// model has no membership changes yet).
    #[cfg(feature = "membership")]
    ChangeBeforeCommitInTerm,
}

impl Deviation {
    /// Every deviation, in the order the paper's rules come.
    pub const ALL: [Deviation; 7] = [
        Deviation::VoteTwice,
        Deviation::ForgetVote,
        Deviation::LeaderIgnoresHigherTerm,
        Deviation::SkipConsistencyCheck,
        Deviation::VoteWithoutLogCheck,
        Deviation::CommitEarlierTerm,
        Deviation::AckBeforePersist,
    ];

    /// The name used in files, URLs and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Deviation::VoteWithoutLogCheck => "vote-without-log-check",
            Deviation::CommitEarlierTerm => "commit-earlier-term",
            Deviation::ForgetVote => "forget-vote",
            Deviation::AckBeforePersist => "ack-before-persist",
            Deviation::VoteTwice => "vote-twice",
            Deviation::SkipConsistencyCheck => "skip-consistency-check",
            Deviation::LeaderIgnoresHigherTerm => "leader-ignores-higher-term",
            #[cfg(feature = "membership")]
            Deviation::ChangeBeforeCommitInTerm => "change-before-commit-in-term",
        }
    }

    /// The deviation with this name.
    pub fn from_name(name: &str) -> Option<Deviation> {
        #[cfg(feature = "membership")]
        if name == Deviation::ChangeBeforeCommitInTerm.name() {
            return Some(Deviation::ChangeBeforeCommitInTerm);
        }
        Deviation::ALL.into_iter().find(|d| d.name() == name)
    }

    /// Where the paper states the rule this deviation removes.
    pub fn section(self) -> &'static str {
        match self {
            Deviation::VoteWithoutLogCheck => "§5.4.1",
            Deviation::CommitEarlierTerm => "§5.4.2",
            Deviation::ForgetVote => "Figure 2",
            Deviation::AckBeforePersist => "Figure 2",
            Deviation::VoteTwice => "§5.2",
            Deviation::SkipConsistencyCheck => "§5.3",
            Deviation::LeaderIgnoresHigherTerm => "§5.1",
            #[cfg(feature = "membership")]
            Deviation::ChangeBeforeCommitInTerm => "dissertation §4.1 (2015 correction)",
        }
    }

    /// The rule it removes, in a few words.
    pub fn rule(self) -> &'static str {
        match self {
            Deviation::VoteWithoutLogCheck => {
                "vote only for a candidate whose log is at least as up to date"
            }
            Deviation::CommitEarlierTerm => {
                "count replicas only for entries of the leader's own term"
            }
            Deviation::ForgetVote => "keep votedFor on stable storage",
            Deviation::AckBeforePersist => "store new entries before acknowledging them",
            Deviation::VoteTwice => "grant at most one vote per term",
            Deviation::SkipConsistencyCheck => {
                "append only after prevLogIndex and prevLogTerm match"
            }
            Deviation::LeaderIgnoresHigherTerm => "a leader seeing a higher term steps down",
            #[cfg(feature = "membership")]
            Deviation::ChangeBeforeCommitInTerm => {
                "change the configuration only after committing an entry of the leader's term"
            }
        }
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
