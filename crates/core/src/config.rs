//! Timing parameters of a node (§5.2, §5.6).

use crate::{Deviation, MILLIS, Time};
#[cfg(feature = "deviations")]
use alloc::vec::Vec;
use core::fmt;

/// How a node times its elections and heartbeats.
///
/// The defaults are those of the paper's §9.3 and of the user's slides: an election
/// timeout drawn uniformly in 150–300 ms, redrawn at every reset, and a heartbeat
/// every 50 ms (well under the smallest timeout, as §5.6 requires).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct Config {
    /// Smallest election timeout (inclusive).
    pub election_timeout_min: Time,
    /// Largest election timeout (inclusive).
    pub election_timeout_max: Time,
    /// Interval between a leader's AppendEntries rounds (heartbeats).
    pub heartbeat_interval: Time,
    /// Most entries carried by one AppendEntries message.
    pub max_entries_per_message: usize,
    /// Flow control (see [`crate::progress`]): probe a follower until its log is
    /// known to match, then stream new entries once each, with at most
    /// `max_inflight` messages unanswered. Off, the leader follows Figure 2 to the
    /// letter and resends from nextIndex whenever it sends. A run saved before this
    /// option existed reads back with it off, as it ran.
    #[cfg_attr(feature = "serde", serde(default = "off"))]
    pub flow_control: bool,
    /// With flow control, the most AppendEntries carrying entries that may wait for
    /// an answer from one follower.
    #[cfg_attr(feature = "serde", serde(default = "default_inflight"))]
    pub max_inflight: usize,
    /// A new leader appends an entry of its own term at once (§8), so that it can
    /// commit everything before it without waiting for a client (Figure 8).
    #[cfg_attr(feature = "serde", serde(default = "off"))]
    pub no_op: bool,
    /// PreVote (dissertation §9.6): before standing, a server asks "would you vote
    /// for me?" without raising its term; servers still hearing from a leader say no.
    #[cfg_attr(feature = "serde", serde(default = "off"))]
    pub pre_vote: bool,
    /// CheckQuorum (dissertation §9.6): a leader that has not heard from a majority
    /// within an election timeout steps down, and a server that hears from a leader
    /// ignores vote requests for an election timeout.
    #[cfg_attr(feature = "serde", serde(default = "off"))]
    pub check_quorum: bool,
    /// How a leader answers reads (dissertation §6.4).
    #[cfg_attr(feature = "serde", serde(default))]
    pub read_mode: ReadMode,
    /// The most a server's clock may drift from another's, in millionths, as the
    /// leader assumes it for its lease (`ReadMode::Lease`).
    #[cfg_attr(feature = "serde", serde(default = "default_drift"))]
    pub clock_drift_bound_ppm: u32,
    /// Rules of Raft switched off, for teaching (see [`crate::deviation`]). Empty, as
    /// by default, the node follows the paper. Only with the `deviations` feature:
    /// without it, no rule can be switched off.
    #[cfg(feature = "deviations")]
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub deviations: Vec<Deviation>,
    /// How the leader changes the membership (§6: joint consensus, by default; or one
    /// server at a time). Only with the `membership` feature.
    #[cfg(feature = "membership")]
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "crate::membership::MembershipMode::is_joint"
        )
    )]
    pub membership: crate::membership::MembershipMode,
}

/// How a leader answers a read (dissertation §6.4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ReadMode {
    /// ReadIndex: the leader notes its commit index, confirms with a round of
    /// heartbeats that it still leads, and answers once that index is applied.
    #[default]
    ReadIndex,
    /// A lease: while a majority answered within the last election timeout (less the
    /// drift bound), no other leader can exist, and the leader answers at once.
    Lease,
    /// Unsafe, for teaching: the leader answers from its state machine at once, even
    /// if a newer leader has committed more elsewhere.
    Naive,
}

#[cfg(feature = "serde")]
fn default_drift() -> u32 {
    Config::default().clock_drift_bound_ppm
}

#[cfg(feature = "serde")]
fn off() -> bool {
    false
}

#[cfg(feature = "serde")]
fn default_inflight() -> usize {
    Config::default().max_inflight
}

impl Default for Config {
    fn default() -> Self {
        Config {
            election_timeout_min: 150 * MILLIS,
            election_timeout_max: 300 * MILLIS,
            heartbeat_interval: 50 * MILLIS,
            max_entries_per_message: 64,
            flow_control: true,
            max_inflight: 4,
            no_op: false,
            pre_vote: false,
            check_quorum: false,
            read_mode: ReadMode::ReadIndex,
            clock_drift_bound_ppm: 10_000,
            #[cfg(feature = "deviations")]
            deviations: Vec::new(),
            #[cfg(feature = "membership")]
            membership: crate::membership::MembershipMode::Joint,
        }
    }
}

/// Why a [`Config`] or a cluster membership cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// The election timeout range is empty or starts at zero.
    BadElectionTimeout,
    /// The heartbeat interval is zero.
    BadHeartbeat,
    /// `max_entries_per_message` is zero.
    BadBatch,
    /// `max_inflight` is zero.
    BadWindow,
    /// The clock drift bound is 100 % or more.
    BadDrift,
    /// The node appears in its own peer list.
    SelfInPeers,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConfigError::BadElectionTimeout => "election timeout must satisfy 0 < min <= max",
            ConfigError::BadHeartbeat => "heartbeat interval must be positive",
            ConfigError::BadBatch => "max_entries_per_message must be at least 1",
            ConfigError::BadWindow => "max_inflight must be at least 1",
            ConfigError::BadDrift => "clock_drift_bound_ppm must be under 1000000",
            ConfigError::SelfInPeers => "a node cannot be its own peer",
        })
    }
}

impl Config {
    /// A configuration with the given election timeout range, in milliseconds,
    /// and the default heartbeat.
    pub fn with_timeout_ms(min: u64, max: u64) -> Self {
        Config {
            election_timeout_min: min * MILLIS,
            election_timeout_max: max * MILLIS,
            ..Config::default()
        }
    }

    /// Whether the rule `d` removes is switched off.
    pub fn deviates(&self, d: Deviation) -> bool {
        #[cfg(feature = "deviations")]
        return self.deviations.contains(&d);
        #[cfg(not(feature = "deviations"))]
        {
            let _ = d;
            false
        }
    }

    /// Checks that the values can drive a node.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.election_timeout_min == 0 || self.election_timeout_min > self.election_timeout_max {
            return Err(ConfigError::BadElectionTimeout);
        }
        if self.heartbeat_interval == 0 {
            return Err(ConfigError::BadHeartbeat);
        }
        if self.max_entries_per_message == 0 {
            return Err(ConfigError::BadBatch);
        }
        if self.max_inflight == 0 {
            return Err(ConfigError::BadWindow);
        }
        if self.clock_drift_bound_ppm >= 1_000_000 {
            return Err(ConfigError::BadDrift);
        }
        Ok(())
    }
}
