//! The paper's Figure 16, run in the page: raft-sim's election experiment (five
//! servers, the leader crashed at a random point of its heartbeat interval, the time
//! until a new leader), a few trials at each frame so that the page never stalls, for
//! the paper's six timeout ranges and one the student chooses.

use super::{Engine, Msg};
use raft_sim::election::{Experiment, PAPER_RANGES};
use raft_sim::{MILLIS, Time};
use std::rc::Rc;

/// Trials per timeout range (the paper ran 1000).
pub const TRIALS: u64 = 200;
/// One-way latencies offered, ms (the smallest is half): the paper's broadcast time of
/// about 15 ms is 5–10 ms; a fast network is 1–2 ms.
pub const LATENCIES: [u64; 4] = [2, 10, 20, 40];
/// The largest timeout of the student's range, ms: from 150 (no randomness) to this.
pub const MAX_TIMEOUT: u64 = 400;
/// Work per frame: trials run until this much real time has gone (ms).
const BUDGET_MS: f64 = 8.0;

/// One timeout range's trials so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Range16 {
    /// Election timeout range (ms).
    pub timeout: (u64, u64),
    /// Times to a new leader (µs) of the trials that had one, sorted.
    pub done: Vec<Time>,
    /// Trials without a leader within the cap (10 s).
    pub unfinished: u64,
}

impl Range16 {
    fn new(timeout: (u64, u64)) -> Self {
        Range16 {
            timeout,
            done: Vec::new(),
            unfinished: 0,
        }
    }

    /// Trials run.
    pub fn trials(&self) -> u64 {
        self.done.len() as u64 + self.unfinished
    }

    /// The cumulative share of all trials run that had a leader by each time: (µs,
    /// share), in order.
    pub fn cdf(&self) -> impl Iterator<Item = (Time, f64)> + '_ {
        let n = self.trials().max(1) as f64;
        self.done
            .iter()
            .enumerate()
            .map(move |(i, &t)| (t, (i + 1) as f64 / n))
    }
}

/// The experiment in the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figure16 {
    /// The largest one-way latency (ms); the smallest is half of it.
    pub latency_ms: u64,
    /// The paper's six ranges, then the student's.
    pub ranges: Vec<Range16>,
    /// Trials still running.
    pub running: bool,
}

impl Default for Figure16 {
    fn default() -> Self {
        let mut ranges: Vec<Range16> = PAPER_RANGES.iter().map(|&r| Range16::new(r)).collect();
        ranges.push(Range16::new((150, 250)));
        Figure16 {
            latency_ms: 10,
            ranges,
            running: false,
        }
    }
}

/// What a click on the panel asks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum F16 {
    /// Run (again, from the start) or go on.
    Run,
    /// Stop for now.
    Stop,
    /// Another latency (ms, one of [`LATENCIES`]): the trials start again.
    Latency(u64),
    /// The student's range: 150 to this (ms); its trials start again.
    Range(u64),
}

impl Figure16 {
    /// Trials to run in all, and run so far.
    pub fn progress(&self) -> (u64, u64) {
        let done = self.ranges.iter().map(Range16::trials).sum();
        (TRIALS * self.ranges.len() as u64, done)
    }

    fn experiment(&self, timeout: (u64, u64)) -> Experiment {
        let mut e = Experiment::paper(timeout.0, timeout.1);
        e.latency_min = self.latency_ms * MILLIS / 2;
        e.latency_max = self.latency_ms * MILLIS;
        e
    }

    /// Runs the next trial (seeds 1, 2, … in each range, as the CLI numbers them).
    /// False once every range has its trials.
    pub fn step(&mut self) -> bool {
        let Some(k) = self.ranges.iter().position(|r| r.trials() < TRIALS) else {
            self.running = false;
            return false;
        };
        let seed = self.ranges[k].trials() + 1;
        let result = self.experiment(self.ranges[k].timeout).trial(seed);
        let r = &mut self.ranges[k];
        match result {
            Ok(Some(t)) => {
                let at = r.done.partition_point(|&d| d <= t);
                r.done.insert(at, t);
            }
            _ => r.unfinished += 1,
        }
        true
    }

    fn clear(&mut self) {
        for r in &mut self.ranges {
            *r = Range16::new(r.timeout);
        }
    }

    /// Applies a click.
    pub fn apply(&mut self, what: F16) {
        match what {
            F16::Run => {
                if self.progress().1 == self.progress().0 {
                    self.clear();
                }
                self.running = true;
            }
            F16::Stop => self.running = false,
            F16::Latency(ms) if LATENCIES.contains(&ms) && ms != self.latency_ms => {
                self.latency_ms = ms;
                self.clear();
                self.running = true;
            }
            F16::Range(hi) if (150..=MAX_TIMEOUT).contains(&hi) => {
                if let Some(r) = self.ranges.last_mut().filter(|r| r.timeout.1 != hi) {
                    *r = Range16::new((150, hi));
                    self.running = true;
                }
            }
            _ => {}
        }
    }
}

/// Real time now, in ms (to share a frame between the experiment and the drawing).
#[cfg(target_arch = "wasm32")]
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

#[cfg(not(target_arch = "wasm32"))]
fn now_ms() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

impl Engine {
    pub(super) fn on_figure16(&mut self, msg: Msg) {
        if let Msg::Figure16(what) = msg {
            Rc::make_mut(&mut self.figure16).apply(what);
        }
    }

    /// Runs trials for a part of this frame. True if any ran.
    pub(super) fn figure16_frame(&mut self) -> bool {
        if !self.figure16.running {
            return false;
        }
        // (A copy is made here only while the view still holds the last frame's.)
        let f = Rc::make_mut(&mut self.figure16);
        let start = now_ms();
        while f.step() && now_ms() - start < BUDGET_MS {}
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_runs_the_clis_experiment_trial_for_trial() {
        let mut f = Figure16::default();
        f.apply(F16::Range(300));
        f.apply(F16::Run);
        // Only the widest paper range and the student's, to keep the test short.
        f.ranges.drain(..5);
        while f.step() {}
        assert!(!f.running);
        assert_eq!(f.progress(), (2 * TRIALS, 2 * TRIALS));
        let cli = Experiment::paper(150, 300).run(TRIALS, 1, |_| {}).unwrap();
        let summary = raft_sim::election::summarize(&cli);
        for r in &f.ranges {
            assert_eq!(r.timeout, (150, 300));
            assert_eq!(r.done.len(), TRIALS as usize - summary.unfinished);
            let cdf: Vec<(Time, f64)> = r.cdf().collect();
            assert_eq!(cdf, raft_sim::election::cdf(&cli));
        }
        // A new latency starts again; the same one keeps what ran.
        f.apply(F16::Latency(10));
        assert_eq!(f.progress().1, 2 * TRIALS);
        f.apply(F16::Latency(2));
        assert_eq!(f.progress().1, 0);
        assert!(f.running, "and runs again");
        f.apply(F16::Latency(3));
        assert_eq!(f.latency_ms, 2, "not offered: ignored");
        f.apply(F16::Range(1000));
        assert_eq!(f.ranges[1].timeout, (150, 300), "out of range: ignored");
    }
}
