//! What defines a simulated cluster, besides its seed and the user's actions.

use raft_core::{MILLIS, Time};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Most servers a simulated cluster may have.
pub const MAX_NODES: usize = 9;

/// The cluster and its network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimConfig {
    /// Number of servers, S1…Sn (1 to [`MAX_NODES`]).
    pub nodes: usize,
    /// The servers' Raft timing.
    pub raft: raft_core::Config,
    /// Smallest one-way message latency (µs).
    pub latency_min: Time,
    /// Largest one-way message latency (µs).
    pub latency_max: Time,
    /// Probability that a message is lost.
    pub loss: f64,
    /// Probability that a message is delivered twice.
    pub duplicate: f64,
    /// Probability that a message is held back (by up to twice the largest latency),
    /// so that later messages overtake it.
    pub reorder: f64,
    /// How much the servers' clocks may differ in rate, in millionths: S1 runs slow by
    /// half of it, Sn fast by half, the others evenly between (0: exact clocks).
    /// Leases count on `raft.clock_drift_bound_ppm` covering it.
    pub clock_drift_ppm: u32,
    /// Log compaction (§7): a server takes a snapshot of its register, replacing the
    /// applied part of its log, whenever it holds more than this many entries after
    /// its last snapshot. `None` (the default): logs are never compacted. Only with
    /// the `compaction` feature.
    #[cfg(feature = "compaction")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_threshold: Option<usize>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            nodes: 5,
            raft: raft_core::Config::default(),
            latency_min: 10 * MILLIS,
            latency_max: 20 * MILLIS,
            loss: 0.0,
            duplicate: 0.0,
            reorder: 0.0,
            clock_drift_ppm: 0,
            #[cfg(feature = "compaction")]
            snapshot_threshold: None,
        }
    }
}

/// The most clock drift a run may have: 20 %.
pub const MAX_DRIFT_PPM: u32 = 200_000;

/// Why a configuration cannot run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

fn probability(name: &str, p: f64) -> Result<(), ConfigError> {
    if (0.0..=1.0).contains(&p) {
        Ok(())
    } else {
        Err(ConfigError(format!(
            "{name} must be a probability between 0 and 1"
        )))
    }
}

/// Probabilities count to the millionth: the simulator draws with each one rounded
/// to a multiple of 10⁻⁶. A probability read back from JSON one unit in the last
/// place away (a parser may be) then draws exactly as the one written.
pub fn to_millionth(p: f64) -> f64 {
    (p * 1e6).round() / 1e6
}

impl SimConfig {
    /// The configuration the simulator runs: its probabilities to the millionth.
    pub fn as_run(&self) -> SimConfig {
        SimConfig {
            loss: to_millionth(self.loss),
            duplicate: to_millionth(self.duplicate),
            reorder: to_millionth(self.reorder),
            ..self.clone()
        }
    }

    /// A default configuration with `nodes` servers.
    pub fn with_nodes(nodes: usize) -> Self {
        SimConfig {
            nodes,
            ..SimConfig::default()
        }
    }

    /// Checks every field, with a message that names the bad one.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=MAX_NODES).contains(&self.nodes) {
            return Err(ConfigError(format!(
                "nodes must be between 1 and {MAX_NODES}, not {}",
                self.nodes
            )));
        }
        self.raft
            .validate()
            .map_err(|e| ConfigError(format!("raft: {e}")))?;
        // Keep every time well inside u64 arithmetic: an hour is plenty.
        let hour = 3_600_000 * MILLIS;
        if self.raft.election_timeout_max > hour || self.raft.heartbeat_interval > hour {
            return Err(ConfigError("raft timers must be at most one hour".into()));
        }
        if self.latency_min > self.latency_max || self.latency_max > hour {
            return Err(ConfigError(
                "latency must satisfy latency_min <= latency_max <= 1 hour".into(),
            ));
        }
        probability("loss", self.loss)?;
        probability("duplicate", self.duplicate)?;
        probability("reorder", self.reorder)?;
        #[cfg(feature = "compaction")]
        if self.snapshot_threshold == Some(0) {
            return Err(ConfigError(
                "snapshot_threshold must be at least 1 (leave it out to never compact)".into(),
            ));
        }
        if self.clock_drift_ppm > MAX_DRIFT_PPM {
            return Err(ConfigError(format!(
                "clock_drift_ppm must be at most {MAX_DRIFT_PPM} (20 %)"
            )));
        }
        Ok(())
    }
}
