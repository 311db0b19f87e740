//! The bugs a student can put into Raft, for the "Break Raft" panel, the exhaustive
//! search and their tests: a rule of the paper switched off (a [`Deviation`] of
//! raft-core) or the naive read; the counterexample each one ships with
//! (`counterexamples/<name>.json`, found by `raft-sim explore --bug <name>`); and the
//! same schedule played with the rule restored.

use crate::{Property, Simulation, TimedAction, Trace};
use raft_core::{Config, Deviation, ReadMode};
use std::fmt;

/// What the search can put into the cluster: a rule of the paper switched off, or
/// the naive read (an option of raft-core, unsafe, for teaching).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bug {
    /// A named deviation of raft-core.
    Rule(Deviation),
    /// The leader answers reads from its state machine at once (`ReadMode::Naive`).
    NaiveRead,
}

impl Bug {
    /// Every bug, the deviations in raft-core's order, then the naive read.
    pub const ALL: [Bug; 8] = [
        Bug::Rule(Deviation::ALL[0]),
        Bug::Rule(Deviation::ALL[1]),
        Bug::Rule(Deviation::ALL[2]),
        Bug::Rule(Deviation::ALL[3]),
        Bug::Rule(Deviation::ALL[4]),
        Bug::Rule(Deviation::ALL[5]),
        Bug::Rule(Deviation::ALL[6]),
        Bug::NaiveRead,
    ];

    /// The name used on the command line and for its counterexample's file.
    pub fn name(self) -> &'static str {
        match self {
            Bug::Rule(d) => d.name(),
            Bug::NaiveRead => "naive-read",
        }
    }

    /// The bug with this name.
    pub fn from_name(name: &str) -> Option<Bug> {
        Bug::ALL.into_iter().find(|b| b.name() == name)
    }

    /// The rule it removes.
    pub fn rule(self) -> &'static str {
        match self {
            Bug::Rule(d) => d.rule(),
            Bug::NaiveRead => "answer a read only once a majority confirms the leader still leads",
        }
    }

    /// Where the rule is stated.
    pub fn section(self) -> &'static str {
        match self {
            Bug::Rule(d) => d.section(),
            Bug::NaiveRead => "dissertation §6.4",
        }
    }

    /// Puts the bug into a configuration.
    pub fn configure(self, config: &mut Config) {
        match self {
            Bug::Rule(d) => config.deviations = vec![d],
            Bug::NaiveRead => config.read_mode = ReadMode::Naive,
        }
    }

    /// Takes the bug out of a configuration again (the naive read becomes ReadIndex).
    pub fn restore(self, config: &mut Config) {
        match self {
            Bug::Rule(d) => config.deviations.retain(|&x| x != d),
            Bug::NaiveRead => config.read_mode = ReadMode::ReadIndex,
        }
    }

    /// Whether a configuration has it.
    pub fn is_in(self, config: &Config) -> bool {
        match self {
            Bug::Rule(d) => config.deviations.contains(&d),
            Bug::NaiveRead => config.read_mode == ReadMode::Naive,
        }
    }

    /// The property it breaks first.
    pub fn expected(self) -> Property {
        match self {
            Bug::Rule(
                Deviation::VoteTwice | Deviation::ForgetVote | Deviation::LeaderIgnoresHigherTerm,
            ) => Property::ElectionSafety,
            Bug::Rule(Deviation::VoteWithoutLogCheck | Deviation::CommitEarlierTerm) => {
                Property::LeaderCompleteness
            }
            Bug::Rule(Deviation::AckBeforePersist | Deviation::SkipConsistencyCheck) => {
                Property::CommittedOnMajority
            }
            Bug::NaiveRead => Property::LinearizableReads,
            // Not searched: the model has no membership changes (not in `Bug::ALL`).
            #[cfg(feature = "membership")]
            Bug::Rule(Deviation::ChangeBeforeCommitInTerm) => Property::LeaderCompleteness,
        }
    }
}

impl fmt::Display for Bug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Plays recorded actions at their times in a fresh simulation of `config`, skipping
/// those that cannot be done there (a message that was never sent, a heartbeat from a
/// server that does not lead): the same schedule, under other rules. Returns the
/// simulation and how many actions were skipped.
pub fn play_actions(
    config: crate::SimConfig,
    seed: u64,
    actions: &[TimedAction],
) -> Result<(Simulation, usize), crate::ConfigError> {
    let mut sim = Simulation::new(config, seed)?;
    let mut skipped = 0;
    for timed in actions {
        sim.advance_to(timed.at);
        if sim.apply(timed.action.clone()).is_err() {
            skipped += 1;
        }
    }
    sim.advance_to(sim.now());
    Ok((sim, skipped))
}

/// The run of `trace`'s schedule with `bug` taken out of its configuration: the
/// actions that can still be done, at their times (see [`play_actions`]), as a trace
/// of its own; and how many could not.
pub fn restored(trace: &Trace, bug: Bug) -> Result<(Trace, usize), crate::ConfigError> {
    let mut config = trace.config.clone();
    bug.restore(&mut config.raft);
    let (sim, skipped) = play_actions(config, trace.seed, &trace.actions)?;
    Ok((Trace::of(&sim), skipped))
}
