//! "Break Raft": a rule of the paper switched off, in the live cluster or in the
//! counterexample the exhaustive search found for it, played to the violation, then
//! played again with the rule restored.

use super::status::property_name;
use super::{CHECKPOINT_INTERVAL, Engine, HISTORY_WINDOW, Msg};
use raft_sim::bugs::{self, Bug};
use raft_sim::raft_core::{Config as RaftConfig, ReadMode};
use raft_sim::timeline::Timeline;
use raft_sim::{MILLIS, Time, Trace};

include!(concat!(env!("OUT_DIR"), "/counterexamples.rs"));

/// Simulated time per real time while a counterexample plays: its steps are a
/// millisecond apart, so two of them a second.
pub const COUNTEREXAMPLE_SPEED: f64 = 0.002;

/// The counterexample on screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Breaking {
    /// Its bug.
    pub bug: Bug,
    /// True once replayed with the rule restored.
    pub restored: bool,
    /// Its steps (the actions of the schedule).
    pub steps: usize,
    /// The steps that could not happen with the rule restored.
    pub skipped: usize,
    /// When it ends: the violation, with the bug in.
    pub end: Time,
}

/// The bugs switched on in a configuration.
pub fn bugs_in(raft: &RaftConfig) -> Vec<Bug> {
    Bug::ALL.into_iter().filter(|b| b.is_in(raft)).collect()
}

/// `raft` with `bug` switched on or off, the other bugs kept.
pub fn with_bug(raft: &RaftConfig, bug: Bug, on: bool) -> RaftConfig {
    let mut c = raft.clone();
    match (bug, on) {
        (Bug::Rule(d), true) if !c.deviations.contains(&d) => c.deviations.push(d),
        (Bug::NaiveRead, true) => c.read_mode = ReadMode::Naive,
        (_, true) => {}
        (_, false) => bug.restore(&mut c),
    }
    c
}

/// The counterexample shipped for `bug`.
pub fn counterexample(bug: Bug) -> Result<Trace, String> {
    let i = Bug::ALL.iter().position(|&b| b == bug).unwrap_or(0);
    crate::json::trace(COUNTEREXAMPLES[i]).map_err(|e| e.to_string())
}

impl Engine {
    pub(super) fn on_breaking(&mut self, msg: Msg) {
        let result = match msg {
            Msg::Break(bug) => self.play_counterexample(bug, false),
            Msg::BreakRestored(restored) => match self.breaking {
                Some(b) => self.play_counterexample(b.bug, restored),
                None => Ok(()),
            },
            _ => Ok(()),
        };
        if let Err(why) = result {
            self.refuse(why);
        }
    }

    /// Puts `bug`'s counterexample on screen from its start and plays it slowly (with
    /// the rule restored if `restored`).
    fn play_counterexample(&mut self, bug: Bug, restored: bool) -> Result<(), String> {
        let trace = counterexample(bug)?;
        let (steps, end) = (trace.actions.len(), trace.end);
        let (run, skipped) = if restored {
            bugs::restored(&trace, bug).map_err(|e| e.to_string())?
        } else {
            (trace, 0)
        };
        let mut timeline = Timeline::from_trace(&run, CHECKPOINT_INTERVAL, HISTORY_WINDOW)
            .map_err(|e| e.to_string())?;
        // From its start, before the page takes it: the violations it has told of are
        // then those of the start (none), whether or not a frame comes before a step.
        let _ = timeline.seek(0);
        self.start_run(timeline, run.seed);
        let c = self.timeline.sim().config();
        self.latency_ms = c.latency_max / MILLIS;
        self.loss_pct = (c.loss * 100.0).round() as u32;
        self.breaking = Some(Breaking {
            bug,
            restored,
            steps,
            skipped,
            end: end.max(run.end),
        });
        self.speed = COUNTEREXAMPLE_SPEED;
        self.playing = true;
        self.property = Some(bug.expected());
        Ok(())
    }

    /// Where a counterexample stops playing: its end.
    pub(super) fn counterexample_stop(&self, until: Time) -> Time {
        match self.breaking {
            Some(b) if self.timeline.sim().now() < b.end => until.min(b.end),
            _ => until,
        }
    }

    /// Stops playing at a counterexample's end, and when safety breaks: says which
    /// property, so that a student who broke it sees it at once.
    pub(super) fn after_breaking(&mut self) {
        let sim = self.timeline.sim();
        if self.breaking.is_some_and(|b| sim.now() >= b.end) {
            self.playing = false;
        }
        let seen = std::mem::replace(&mut self.violations_seen, sim.violations().len());
        if self.in_tour() {
            return;
        }
        let Some(v) = sim.violations().get(seen) else {
            return;
        };
        let property = property_name(&self.texts, v.property);
        self.property = Some(v.property);
        self.playing = false;
        let text = self.texts.fill("broken", &[("property", &property)]);
        self.say(text, true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bug_has_its_counterexample_and_it_breaks_what_it_says() {
        for bug in Bug::ALL {
            let trace = counterexample(bug).unwrap();
            assert!(bug.is_in(&trace.config.raft), "{bug}");
            let sim = trace.replay(None).unwrap();
            assert_eq!(
                sim.violations().first().map(|v| v.property),
                Some(bug.expected()),
                "{bug}"
            );
        }
    }

    #[test]
    fn a_bug_is_switched_on_and_off_alone() {
        let base = RaftConfig::default();
        let one = with_bug(&base, Bug::ALL[0], true);
        let two = with_bug(&one, Bug::NaiveRead, true);
        assert_eq!(bugs_in(&two), vec![Bug::ALL[0], Bug::NaiveRead]);
        assert_eq!(
            with_bug(&two, Bug::ALL[0], true),
            two,
            "on twice is on once"
        );
        assert_eq!(
            bugs_in(&with_bug(&two, Bug::ALL[0], false)),
            vec![Bug::NaiveRead]
        );
        assert_eq!(
            with_bug(&with_bug(&two, Bug::NaiveRead, false), Bug::ALL[0], false),
            base
        );
    }
}
