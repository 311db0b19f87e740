//! "Reach this state" puzzles: a starting run, a target the cluster must show (every
//! condition at once), and limits on how a student may get there (how many actions,
//! which controls are locked). A run solves a puzzle if it starts as the puzzle does
//! and the target holds after some event or action of it, reached within the limits.
//!
//! The built-in puzzles are files under `crates/sim/puzzles/`, each with a stored
//! solution (`solutions/<id>.json`: script steps played from the start); a test plays
//! every solution and judges the run it makes. A teacher makes a new puzzle from any
//! run ([`Puzzle::from_run`]): its target is every server's log at the end of it.

use crate::scenario::{Condition, Runner, Script, Step, Who};
use crate::sim::{Action, ReplayError};
use crate::{Simulation, Time, Trace, TraceError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// What a puzzle file says it is.
pub const FORMAT: &str = "raft-playground-puzzle";
/// The version of the puzzle format this program writes and reads.
pub const VERSION: u32 = 1;
/// The hardest level.
pub const MAX_LEVEL: u8 = 4;

/// A text in each language it is written in (`{"en": "…", "fr": "…"}`); English is
/// always there, and stands in for a language the text lacks.
pub type Text = BTreeMap<String, String>;

/// One puzzle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Puzzle {
    /// Always [`FORMAT`].
    pub format: String,
    /// The version it was written with.
    pub version: u32,
    /// Short name, used in links (`?puzzle=split-vote`).
    pub id: String,
    /// From 1 (a first try) to [`MAX_LEVEL`].
    pub level: u8,
    /// Its title.
    pub title: Text,
    /// What the student must get the cluster to show, in words.
    pub goal: Text,
    /// A nudge, shown on request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Text>,
    /// Shown once solved: the rule of Raft behind it, with the paper's section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<Text>,
    /// Where the student starts: the cluster at the end of this run.
    pub start: Trace,
    /// What the cluster must show, every condition at once.
    pub target: Vec<Condition>,
    /// How it may be reached.
    #[serde(default)]
    pub limits: Limits,
}

/// Limits on a solution.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// At most this many actions after the start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_actions: Option<usize>,
    /// Controls the student may not use.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locked: Vec<Control>,
}

/// A control of the playground: one kind of [`Action`], named as in trace files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Control {
    /// Stopping a server.
    Crash,
    /// Restarting a stopped server.
    Restart,
    /// Making a server time out now.
    Timeout,
    /// Aligning election timers.
    AlignTimers,
    /// Spreading election timers apart.
    SpreadTimers,
    /// Splitting the network.
    Partition,
    /// Cutting one link.
    CutLink,
    /// Restoring one link.
    RestoreLink,
    /// Healing the network.
    Heal,
    /// Losing a message in flight.
    DropMessage,
    /// Sending a client command.
    Submit,
    /// Reading the register.
    Read,
    /// Handing leadership over.
    Transfer,
    /// Changing latency, loss, duplication and reordering.
    SetNetwork,
    /// Delivering a message now (the exhaustive search's runs).
    Deliver,
    /// Firing a leader's heartbeat timer (the exhaustive search's runs).
    Heartbeat,
    /// Adding a server.
    AddServer,
    /// Removing a server.
    RemoveServer,
    /// Changing the snapshot threshold.
    SetSnapshotThreshold,
}

impl Control {
    /// The control an action is made with.
    pub fn of(action: &Action) -> Control {
        match action {
            Action::Crash { .. } => Control::Crash,
            Action::Restart { .. } => Control::Restart,
            Action::Timeout { .. } => Control::Timeout,
            Action::AlignTimers { .. } => Control::AlignTimers,
            Action::SpreadTimers { .. } => Control::SpreadTimers,
            Action::Partition { .. } => Control::Partition,
            Action::CutLink { .. } => Control::CutLink,
            Action::RestoreLink { .. } => Control::RestoreLink,
            Action::Heal => Control::Heal,
            Action::DropMessage { .. } => Control::DropMessage,
            Action::Submit { .. } => Control::Submit,
            Action::Read { .. } => Control::Read,
            Action::Transfer { .. } => Control::Transfer,
            Action::SetNetwork { .. } => Control::SetNetwork,
            #[cfg(feature = "deliver")]
            Action::Deliver { .. } => Control::Deliver,
            #[cfg(feature = "deliver")]
            Action::Heartbeat { .. } => Control::Heartbeat,
            #[cfg(feature = "membership")]
            Action::AddServer { .. } => Control::AddServer,
            #[cfg(feature = "membership")]
            Action::RemoveServer { .. } => Control::RemoveServer,
            #[cfg(feature = "compaction")]
            Action::SetSnapshotThreshold { .. } => Control::SetSnapshotThreshold,
        }
    }

    /// Its name in files (`cut_link`).
    pub fn name(self) -> &'static str {
        match self {
            Control::Crash => "crash",
            Control::Restart => "restart",
            Control::Timeout => "timeout",
            Control::AlignTimers => "align_timers",
            Control::SpreadTimers => "spread_timers",
            Control::Partition => "partition",
            Control::CutLink => "cut_link",
            Control::RestoreLink => "restore_link",
            Control::Heal => "heal",
            Control::DropMessage => "drop_message",
            Control::Submit => "submit",
            Control::Read => "read",
            Control::Transfer => "transfer",
            Control::SetNetwork => "set_network",
            Control::Deliver => "deliver",
            Control::Heartbeat => "heartbeat",
            Control::AddServer => "add_server",
            Control::RemoveServer => "remove_server",
            Control::SetSnapshotThreshold => "set_snapshot_threshold",
        }
    }
}

/// A solved puzzle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Solved {
    /// When the target first held (simulated µs).
    pub at: Time,
    /// The actions the solution took after the start.
    pub actions: usize,
}

/// Why a puzzle does not read, or a run does not solve it.
#[derive(Clone, Debug, PartialEq)]
pub enum PuzzleError {
    /// Not JSON, or not a puzzle.
    Syntax(String),
    /// Not a puzzle of this program.
    WrongFormat(String),
    /// Written by a newer version.
    FutureVersion(u32),
    /// Reads, but makes no sense.
    Invalid(String),
    /// The run does not start where the puzzle does.
    OtherStart(String),
    /// An action the puzzle forbids (`action` counts from 1 after the start).
    Locked {
        /// Which action.
        action: usize,
        /// Its control.
        control: Control,
    },
    /// More actions than the puzzle allows.
    TooManyActions {
        /// The run's.
        used: usize,
        /// The limit.
        max: usize,
    },
    /// The run does not replay.
    Replay(String),
    /// The run never shows the target; the first condition that failed at its end.
    NotReached(String),
    /// A puzzle made of a run whose logs are as they were at its start: its target
    /// holds before any action.
    NothingToReach,
}

impl fmt::Display for PuzzleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PuzzleError::Syntax(e) => write!(f, "not a puzzle file: {e}"),
            PuzzleError::WrongFormat(s) => {
                write!(f, "not a Raft playground puzzle (format {s})")
            }
            PuzzleError::FutureVersion(v) => write!(
                f,
                "this puzzle was written by a newer version of the playground (format version {v}; this one reads up to {VERSION})"
            ),
            PuzzleError::Invalid(e) => write!(f, "this puzzle cannot be played: {e}"),
            PuzzleError::OtherStart(e) => write!(f, "this run is not of this puzzle: {e}"),
            PuzzleError::Locked { action, control } => write!(
                f,
                "action {action} uses {}, which this puzzle locks",
                control.name()
            ),
            PuzzleError::TooManyActions { used, max } => {
                write!(f, "{used} actions, but this puzzle allows {max}")
            }
            PuzzleError::Replay(e) => write!(f, "the run does not replay: {e}"),
            PuzzleError::NotReached(e) => write!(f, "the target is never reached ({e})"),
            PuzzleError::NothingToReach => f.write_str(
                "this puzzle cannot be played: every log is as it was at the start: there is nothing to reach",
            ),
        }
    }
}

impl std::error::Error for PuzzleError {}

/// `t` in `lang`, else in English, else in any language it has.
pub fn text<'a>(t: &'a Text, lang: &str) -> &'a str {
    t.get(lang)
        .or_else(|| t.get("en"))
        .or_else(|| t.values().next())
        .map_or("", String::as_str)
}

impl Puzzle {
    /// Reads and checks a puzzle (it is not played: see [`Puzzle::cluster`]).
    pub fn from_json(text: &str) -> Result<Puzzle, PuzzleError> {
        crate::trace::read_envelope(text, FORMAT, VERSION).map_err(|e| match e {
            TraceError::WrongFormat(s) => PuzzleError::WrongFormat(s),
            TraceError::FutureVersion(v) => PuzzleError::FutureVersion(v),
            TraceError::Invalid(s) => PuzzleError::Invalid(s),
            other => PuzzleError::Syntax(other.to_string()),
        })?;
        let syntax = |e: crate::json::DecodeError| PuzzleError::Syntax(e.to_string());
        let puzzle: Puzzle = crate::json::from_str(text).map_err(syntax)?;
        puzzle.validate()?;
        Ok(puzzle)
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks what the types cannot say: texts in English, a level in range, a target,
    /// a start that is a valid run.
    pub fn validate(&self) -> Result<(), PuzzleError> {
        let invalid = |s: String| Err(PuzzleError::Invalid(s));
        if self.id.is_empty()
            || !self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return invalid(format!(
                "its id \"{}\" must be lowercase letters, digits and dashes",
                self.id
            ));
        }
        if !(1..=MAX_LEVEL).contains(&self.level) {
            return invalid(format!("its level must be from 1 to {MAX_LEVEL}"));
        }
        let texts = [("title", Some(&self.title)), ("goal", Some(&self.goal))];
        let optional = [
            ("hint", self.hint.as_ref()),
            ("explain", self.explain.as_ref()),
        ];
        for (name, t) in texts.iter().chain(optional.iter()) {
            if let Some(t) = t
                && t.get("en").is_none_or(String::is_empty)
            {
                return invalid(format!("its {name} has no English text"));
            }
        }
        if self.target.is_empty() {
            return invalid("it has no target".into());
        }
        self.start
            .validate()
            .map_err(|e| PuzzleError::Invalid(format!("its start: {e}")))
    }

    /// The cluster where the student starts.
    pub fn cluster(&self) -> Result<Simulation, PuzzleError> {
        self.start
            .replay(None)
            .map_err(|e: TraceError| PuzzleError::Invalid(format!("its start: {e}")))
    }

    /// Whether the target holds on `sim` now; `Err` names a condition that does not.
    pub fn reached(&self, sim: &Simulation) -> Result<(), String> {
        let script = Script::default();
        self.target.iter().try_for_each(|c| script.holds(sim, c))
    }

    /// Whether the student may do `action` now, having done `done` actions since the
    /// start (the page asks before it acts).
    pub fn allows(&self, done: usize, action: &Action) -> Result<(), PuzzleError> {
        let control = Control::of(action);
        if self.limits.locked.contains(&control) {
            return Err(PuzzleError::Locked {
                action: done + 1,
                control,
            });
        }
        match self.limits.max_actions {
            Some(max) if done >= max => Err(PuzzleError::TooManyActions {
                used: done + 1,
                max,
            }),
            _ => Ok(()),
        }
    }

    /// Judges a run: it must start as the puzzle does, and show the target after some
    /// event or action past the start, keeping to the puzzle's limits until then (what
    /// the student does once the target holds does not count).
    pub fn judge(&self, run: &Trace) -> Result<Solved, PuzzleError> {
        run.validate()
            .map_err(|e| PuzzleError::Replay(e.to_string()))?;
        let other = |s: &str| Err(PuzzleError::OtherStart(s.into()));
        if run.config != self.start.config {
            return other("its cluster or network is configured differently");
        }
        if run.seed != self.start.seed {
            return other("its seed differs");
        }
        let start = &self.start.actions;
        if !run.actions.starts_with(start) {
            return other("its first actions differ");
        }
        let moves = &run.actions[start.len()..];
        if moves.first().is_some_and(|a| a.at < self.start.end) {
            return other("it acts before the puzzle's start");
        }
        let replay = |e: ReplayError| PuzzleError::Replay(e.to_string());
        let mut sim = self.cluster()?;
        if let Some(at) = self.reached_at(&sim) {
            return Err(PuzzleError::Invalid(format!(
                "its target already holds at the start ({} ms)",
                at / crate::MILLIS
            )));
        }
        for (k, m) in moves.iter().enumerate() {
            if let Some(at) = self
                .run_watching(&mut sim, m.at, Some(m.after))
                .map_err(replay)?
            {
                return Ok(Solved { at, actions: k });
            }
            // What the student did once the target held does not count.
            self.allows(k, &m.action)?;
            sim.replay_action(m).map_err(replay)?;
            if let Some(at) = self.reached_at(&sim) {
                return Ok(Solved { at, actions: k + 1 });
            }
        }
        if run.end >= sim.now()
            && let Some(at) = self
                .run_watching(&mut sim, run.end, run.events)
                .map_err(replay)?
        {
            return Ok(Solved {
                at,
                actions: moves.len(),
            });
        }
        Err(PuzzleError::NotReached(
            self.reached(&sim).err().unwrap_or_default(),
        ))
    }

    /// The time now, if the target holds now.
    fn reached_at(&self, sim: &Simulation) -> Option<Time> {
        self.reached(sim).is_ok().then(|| sim.now())
    }

    /// Processes events one at a time up to the point (`at`, `after` events; every
    /// event up to `at` without a count), checking the target after each; the time it
    /// first held, if it did.
    fn run_watching(
        &self,
        sim: &mut Simulation,
        at: Time,
        after: Option<u64>,
    ) -> Result<Option<Time>, ReplayError> {
        loop {
            let more = match after {
                Some(after) => sim.processed() < after,
                None => sim.next_event_time().is_some_and(|t| t <= at),
            };
            if !more {
                break;
            }
            let t = sim.next_event_time().ok_or(ReplayError::Diverged)?;
            sim.run_to_point(t, sim.processed() + 1)?;
            if let Some(t) = self.reached_at(sim) {
                return Ok(Some(t));
            }
        }
        sim.run_to_point(at, sim.processed())?;
        Ok(None)
    }

    /// A puzzle whose target is every server's log (its entries' terms and commands)
    /// at the end of `run`, from the start of `run` (its configuration and seed, before
    /// any action). Texts are left for the teacher to write (English placeholders).
    pub fn from_run(id: &str, run: &Trace) -> Result<Puzzle, PuzzleError> {
        let end = run
            .replay(None)
            .map_err(|e| PuzzleError::Replay(e.to_string()))?;
        let mut target = Vec::new();
        for s in end.servers() {
            let who = Who::Server(s.node.id());
            let entries = s.node.log().entries();
            target.push(Condition::Terms {
                who: who.clone(),
                terms: entries.iter().map(|e| e.term).collect(),
            });
            target.push(Condition::Log {
                who,
                commands: entries.iter().map(|e| e.command.to_string()).collect(),
                committed: false,
            });
        }
        let placeholder = |s: &str| Text::from([("en".to_string(), s.to_string())]);
        let puzzle = Puzzle {
            format: FORMAT.into(),
            version: VERSION,
            id: id.into(),
            level: 2,
            title: placeholder("Reach these logs"),
            goal: placeholder("Get every server's log to hold these entries."),
            hint: None,
            explain: None,
            start: Trace {
                actions: Vec::new(),
                end: 0,
                events: None,
                hash: None,
                ..run.clone()
            },
            target,
            limits: Limits::default(),
        };
        puzzle.validate()?;
        if puzzle.reached(&puzzle.cluster()?).is_ok() {
            return Err(PuzzleError::NothingToReach);
        }
        Ok(puzzle)
    }
}

/// A puzzle's stored solution: script steps played from its start.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Solution {
    /// The puzzle's id.
    pub puzzle: String,
    /// The steps.
    pub steps: Vec<Step>,
}

impl Solution {
    /// Plays the steps from the puzzle's start; the run they make.
    pub fn play(&self, puzzle: &Puzzle) -> Result<Trace, PuzzleError> {
        let mut sim = puzzle.cluster()?;
        Runner::new(self.steps.clone(), &sim)
            .finish(&mut sim)
            .map_err(|e| PuzzleError::Replay(format!("the solution's {e}")))?;
        Ok(Trace::of(&sim))
    }
}

macro_rules! builtin {
    ($($id:literal),* $(,)?) => {
        [$((
            $id,
            include_str!(concat!("../puzzles/", $id, ".json")),
            include_str!(concat!("../puzzles/solutions/", $id, ".json")),
        )),*]
    };
}

/// The built-in puzzles' files and their solutions, easiest first.
const BUILTIN: [(&str, &str, &str); 11] = builtin!(
    "elect-s3",
    "commit-one-down",
    "catch-up",
    "depose",
    "split-vote",
    "two-leaders",
    "no-majority",
    "leaderless-term",
    "lost-entry",
    "target-logs",
    "stale-read",
);

/// The built-in puzzles, easiest first. A file that does not read is an error naming
/// it (a test reads them all).
pub fn builtin() -> Result<Vec<Puzzle>, String> {
    BUILTIN
        .iter()
        .map(|(id, text, _)| Puzzle::from_json(text).map_err(|e| format!("puzzles/{id}.json: {e}")))
        .collect()
}

/// A built-in puzzle by id.
pub fn find(id: &str) -> Result<Option<Puzzle>, String> {
    Ok(builtin()?.into_iter().find(|p| p.id == id))
}

/// A built-in puzzle's stored solution.
pub fn solution(id: &str) -> Result<Option<Solution>, String> {
    BUILTIN
        .iter()
        .find(|(i, _, _)| *i == id)
        .map(|(_, _, text)| {
            crate::json::from_str(text).map_err(|e| format!("puzzles/solutions/{id}.json: {e}"))
        })
        .transpose()
}
