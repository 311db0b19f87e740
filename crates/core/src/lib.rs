//! # raft-core
//!
//! The Raft consensus algorithm as a pure, deterministic state machine, exactly as
//! Figure 2 of the paper (Ongaro & Ousterhout, *In Search of an Understandable
//! Consensus Algorithm*, 2014) describes it.
//!
//! * `#![no_std]` with `alloc` only: no clock, no threads, no I/O, no global randomness.
//! * Time is an input ([`Time`], simulated microseconds); randomness comes from a
//!   per-node PRNG seeded by the caller. The same inputs give the same outputs,
//!   bit for bit, on every target.
//! * Commands are generic: a [`Node`] never interprets them; committed entries are
//!   handed back in order with [`Node::apply_committed`].
//! * Everything a visualization needs is observable through accessors; every
//!   outgoing message is plain data ([`Message`]).
//!
//! One file per paper concept: [`log`] (the replicated log and its up-to-date
//! rule), [`message`] (the RPCs and their replies), [`progress`] (the leader's
//! nextIndex / matchIndex per follower, and its flow control), [`quorum`]
//! (majorities) and [`raft`] (roles, timers and every receiver rule of Figure 2),
//! with what goes beyond Figure 2 beside it, each an option of [`Config`], off by
//! default: `raft/prevote.rs` (PreVote and CheckQuorum, dissertation §9.6),
//! `raft/transfer.rs` (leadership transfer, §3.10), `raft/read.rs` (ReadIndex and
//! lease reads, §6.4), `raft/compaction.rs` with [`snapshot`] (log compaction and
//! InstallSnapshot, §7), and the leader's no-op (§8) in [`Node::with_no_op`]. For
//! teaching, [`deviation`] names rules of the paper that can be switched off one at a
//! time (none is, by default).
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

pub mod config;
pub mod deviation;
pub mod log;
#[cfg(feature = "membership")]
pub mod membership;
pub mod message;
pub mod progress;
pub mod quorum;
pub mod raft;
pub mod snapshot;

pub use config::{Config, ConfigError, ReadMode};
pub use deviation::Deviation;
pub use log::{Entry, Log};
#[cfg(feature = "membership")]
pub use membership::{Change, ChangeError, Configuration, MembershipMode};
pub use message::{Body, Message, MessageKind};
pub use progress::{Progress, ProgressState};
pub use raft::{
    Node, NotLeader, Persistent, ReadId, ReadOutcome, RestoreError, Role, StepError, TransferError,
};
pub use snapshot::{CompactError, Snapshot};

/// A server's identity. Any value except that each server of a cluster has its own.
pub type NodeId = u32;
/// A Raft term (§5.1): starts at 0, only ever grows.
pub type Term = u64;
/// A log index (§5.3): the first entry has index 1; index 0 means "before the log".
pub type Index = u64;
/// Simulated time, in microseconds. The node never reads a clock: every call that
/// depends on time receives `now`.
pub type Time = u64;

/// One simulated millisecond, in [`Time`] units.
pub const MILLIS: Time = 1_000;
