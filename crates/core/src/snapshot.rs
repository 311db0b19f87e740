//! Log compaction (§7): a snapshot of the state machine replaces the committed prefix
//! of the log.
//!
//! Raft never looks inside a state machine: the caller hands the node its state as
//! bytes ([`crate::Node::compact`]) and gets them back to restore
//! ([`crate::Node::restore_snapshot`]) after a crash or when the leader sent its own
//! (the InstallSnapshot RPC of Figure 13, [`crate::Body::InstallSnapshot`], sent in
//! one message: the paper's `offset` and `done` split it into chunks, which a
//! simulator does not need).

use crate::{Index, Term};
use alloc::vec::Vec;
use core::fmt;

/// A snapshot: the state machine after applying every entry up to `last_index`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Snapshot {
    /// The last included index: the index of the last entry the snapshot replaces.
    pub last_index: Index,
    /// The last included term: the term of that entry.
    pub last_term: Term,
    /// The state machine's state, as the caller encoded it.
    pub data: Vec<u8>,
    /// The configuration in force at `last_index` (§6, §7), with the `membership`
    /// feature, if a configuration entry set it (the entries that held it are gone);
    /// `None`: the one the servers started with.
    #[cfg(feature = "membership")]
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub config: Option<crate::membership::Configuration>,
}

impl Snapshot {
    /// A snapshot of `data`, the state after every entry up to `last_index` (of term
    /// `last_term`).
    pub fn new(last_index: Index, last_term: Term, data: Vec<u8>) -> Self {
        Snapshot {
            last_index,
            last_term,
            data,
            #[cfg(feature = "membership")]
            config: None,
        }
    }
}

/// Why [`crate::Node::compact`] refused to take a snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompactError {
    /// Only applied entries can be compacted: the state machine has not applied this
    /// index yet (or a snapshot waits to be restored).
    NotApplied,
    /// A snapshot already covers this index.
    AlreadyCompacted,
}

impl fmt::Display for CompactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CompactError::NotApplied => "the state machine has not applied that index yet",
            CompactError::AlreadyCompacted => "a snapshot already covers that index",
        })
    }
}
