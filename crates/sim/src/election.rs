//! The Raft paper's Figure 16 experiment: five servers; crash the leader at a random
//! point within its heartbeat interval; measure how long until a new leader exists.
//! As in the paper, the heartbeat interval is half the smallest election timeout.

use crate::sim::Action;
use crate::{MILLIS, NodeId, Role, SimConfig, Simulation, StepEvent, Time};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg32;

/// The election timeout ranges (ms) of the top graph of the paper's Figure 16.
pub const PAPER_RANGES: [(u64, u64); 6] = [
    (150, 150),
    (150, 151),
    (150, 155),
    (150, 175),
    (150, 200),
    (150, 300),
];

/// What the paper reports in its text about Figure 16: (timeout range in ms, time in
/// ms, cumulative share of trials, what it is), for charts to mark.
pub const PAPER_REPORTED: [((u64, u64), f64, f64, &str); 3] = [
    ((150, 155), 287.0, 0.5, "median"),
    ((150, 200), 513.0, 1.0, "worst"),
    ((12, 24), 152.0, 1.0, "worst"),
];

/// One experiment: an election timeout range and a network.
#[derive(Clone, Debug, PartialEq)]
pub struct Experiment {
    /// Smallest election timeout (µs).
    pub timeout_min: Time,
    /// Largest election timeout (µs).
    pub timeout_max: Time,
    /// Smallest one-way latency (µs).
    pub latency_min: Time,
    /// Largest one-way latency (µs).
    pub latency_max: Time,
    /// Trials that take longer than this count as "did not finish".
    pub cap: Time,
    /// Servers ask with PreVote before standing (dissertation §9.6).
    pub pre_vote: bool,
}

impl Experiment {
    /// The paper's setting for a timeout range in ms: a broadcast time (one round
    /// trip) of about 15 ms, so one-way latencies of 5–10 ms, and a 10 s cap.
    pub fn paper(min_ms: u64, max_ms: u64) -> Self {
        Experiment {
            timeout_min: min_ms * MILLIS,
            timeout_max: max_ms * MILLIS,
            latency_min: 5 * MILLIS,
            latency_max: 10 * MILLIS,
            cap: 10_000 * MILLIS,
            pre_vote: false,
        }
    }

    fn config(&self) -> SimConfig {
        let mut config = SimConfig::with_nodes(5);
        config.raft.election_timeout_min = self.timeout_min;
        config.raft.election_timeout_max = self.timeout_max;
        config.raft.heartbeat_interval = (self.timeout_min / 2).max(1);
        config.raft.pre_vote = self.pre_vote;
        config.latency_min = self.latency_min;
        config.latency_max = self.latency_max;
        config
    }

    /// One trial: the time from the leader's crash to the next leader, or `None` if
    /// it took longer than the cap (or no first leader appeared).
    pub fn trial(&self, seed: u64) -> Result<Option<Time>, crate::ConfigError> {
        let config = self.config();
        let heartbeat = config.raft.heartbeat_interval;
        let mut sim = Simulation::new(config, seed)?;
        sim.set_checking(false);
        let mut rng = Pcg32::seed_from_u64(seed ^ 0xf16);
        // A first leader, then a few heartbeats so that every follower has heard it.
        if !run_until_leader(&mut sim, self.cap) {
            return Ok(None);
        }
        sim.advance_by(3 * heartbeat);
        let Some(old) = sim.leader() else {
            return Ok(None);
        };
        // Crash it at a uniformly random point of its heartbeat interval.
        sim.advance_by(rng.random_range(0..heartbeat));
        if sim.leader() != Some(old) {
            return Ok(None);
        }
        let old_term = sim.server(old).map_or(0, |s| s.node.term());
        let crashed_at = sim.now();
        sim.apply(Action::Crash { node: old })
            .map_err(|e| crate::ConfigError(e.to_string()))?;
        let end = crashed_at + self.cap;
        while let Some(ev) = sim.step() {
            if sim.now() > end {
                return Ok(None);
            }
            let node: Option<NodeId> = match ev {
                StepEvent::Delivered { to, .. } => Some(to),
                StepEvent::Timer { node, .. } => Some(node),
                StepEvent::Dropped { .. } => None,
            };
            if let Some(s) = node.and_then(|id| sim.server(id))
                && s.node.role() == Role::Leader
                && s.node.term() > old_term
            {
                return Ok(Some(sim.now() - crashed_at));
            }
        }
        Ok(None)
    }

    /// `trials` trials with seeds `first_seed..`, calling `progress` after each.
    pub fn run(
        &self,
        trials: u64,
        first_seed: u64,
        mut progress: impl FnMut(u64),
    ) -> Result<Vec<Option<Time>>, crate::ConfigError> {
        let mut out = Vec::with_capacity(trials as usize);
        for k in 0..trials {
            out.push(self.trial(first_seed.wrapping_add(k))?);
            progress(k + 1);
        }
        Ok(out)
    }
}

fn run_until_leader(sim: &mut Simulation, cap: Time) -> bool {
    let end = sim.now() + cap;
    while sim.leader().is_none() {
        if sim.step().is_none() || sim.now() > end {
            return false;
        }
    }
    true
}

/// Summary statistics of a set of trials.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Trials run.
    pub trials: usize,
    /// Trials that did not finish within the cap.
    pub unfinished: usize,
    /// Fastest (µs).
    pub min: Time,
    /// Median (µs).
    pub median: Time,
    /// 90th percentile (µs).
    pub p90: Time,
    /// 99th percentile (µs).
    pub p99: Time,
    /// Slowest finished trial (µs).
    pub max: Time,
    /// Mean of the finished trials (µs).
    pub mean: Time,
}

/// Percentiles count unfinished trials as slower than every finished one.
pub fn summarize(results: &[Option<Time>]) -> Summary {
    let mut done: Vec<Time> = results.iter().flatten().copied().collect();
    done.sort_unstable();
    let unfinished = results.len() - done.len();
    let at = |q: f64| -> Time {
        if results.is_empty() {
            return 0;
        }
        let rank = ((q * results.len() as f64).ceil() as usize).clamp(1, results.len()) - 1;
        done.get(rank).copied().unwrap_or(Time::MAX)
    };
    Summary {
        trials: results.len(),
        unfinished,
        min: done.first().copied().unwrap_or(Time::MAX),
        median: at(0.5),
        p90: at(0.9),
        p99: at(0.99),
        max: done.last().copied().unwrap_or(Time::MAX),
        mean: if done.is_empty() {
            Time::MAX
        } else {
            done.iter().sum::<Time>() / done.len() as Time
        },
    }
}

/// The cumulative distribution: for each finished time (µs), the fraction of all
/// trials done by then.
pub fn cdf(results: &[Option<Time>]) -> Vec<(Time, f64)> {
    let mut done: Vec<Time> = results.iter().flatten().copied().collect();
    done.sort_unstable();
    let n = results.len().max(1) as f64;
    done.iter()
        .enumerate()
        .map(|(i, &t)| (t, (i + 1) as f64 / n))
        .collect()
}
