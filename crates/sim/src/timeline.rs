//! Time travel, built on determinism: a run is (config, seed, actions), so any moment
//! can be rebuilt by replaying from the nearest earlier checkpoint. Checkpoints are
//! taken every `interval` of simulated time, and thinned as they age: the last
//! [`DENSE`] are all kept, the [`DENSE`] before every second grid point, the next
//! every fourth, and older ones every eighth ([`MAX_SPACING`]). Nothing else is
//! stored, so memory grows with the checkpoints only, eight times slower over a long
//! run, and a seek never replays more than `MAX_SPACING` intervals.
//!
//! Moving back and playing forward again replays the recorded future (its actions
//! happen again at their times). Acting in the past forks: the old future is
//! discarded, and the last fork can be undone.

use crate::sim::{Action, ActionError, ClientOutcome, Note, NoteKind, ReplayError};
use crate::{SimConfig, Simulation, Time, TimedAction, Trace, TraceError};

/// Default distance between checkpoints: 5 simulated seconds.
pub const DEFAULT_INTERVAL: Time = 5_000_000;

/// Checkpoints kept at every grid point, counting back from the newest.
pub const DENSE: u64 = 24;
/// The widest spacing of old checkpoints, in grid intervals (a power of two).
pub const MAX_SPACING: u64 = 8;

/// How far apart checkpoints `age` grid points behind the newest are kept: 1, then
/// doubling every [`DENSE`] grid points, up to [`MAX_SPACING`].
pub fn spacing(age: u64) -> u64 {
    (1u64 << (age / DENSE).min(MAX_SPACING.trailing_zeros() as u64)).min(MAX_SPACING)
}

/// A checkpoint: the simulation at a grid time, and how many actions it had applied.
#[derive(Clone, Debug)]
struct Checkpoint {
    sim: Simulation,
    applied: usize,
    /// Its grid point: `start + grid * interval`.
    grid: u64,
}

/// What a fork threw away, to undo it.
#[derive(Clone, Debug)]
struct Saved {
    actions: Vec<TimedAction>,
    checkpoints: Vec<Checkpoint>,
    head: Time,
    markers: Vec<Note>,
    at: Time,
    events: u64,
}

/// Which notable moment to jump to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A server standing for election.
    Election,
    /// A leader committing.
    Commit,
    /// A new leader.
    LeaderChange,
}

impl Mark {
    fn matches(self, kind: NoteKind) -> bool {
        matches!(
            (self, kind),
            (Mark::Election, NoteKind::Candidate(_))
                | (Mark::Commit, NoteKind::Commit { .. })
                | (Mark::LeaderChange, NoteKind::Leader(_))
        )
    }
}

/// A run that can be moved through in time.
#[derive(Clone, Debug)]
pub struct Timeline {
    sim: Simulation,
    checkpoints: Vec<Checkpoint>,
    interval: Time,
    actions: Vec<TimedAction>,
    head: Time,
    markers: Vec<Note>,
    undo: Option<Box<Saved>>,
    history_window: Time,
    fresh: Vec<Note>,
}

/// Most notes kept for a view that does not take them.
const MAX_FRESH: usize = 10_000;

impl Timeline {
    /// A fresh run at time 0, with checkpoints every `interval` and message trips
    /// kept for `history_window` (for drawing).
    pub fn new(
        config: SimConfig,
        seed: u64,
        interval: Time,
        history_window: Time,
    ) -> Result<Timeline, crate::ConfigError> {
        let sim = Simulation::new(config, seed)?;
        Ok(Timeline::starting_from(sim, interval, history_window))
    }

    /// A timeline whose time 0 is `sim` as it is (which must be at time 0 with no
    /// action yet, or the replays of checkpoint 0 will not match).
    pub fn starting_from(mut sim: Simulation, interval: Time, history_window: Time) -> Timeline {
        sim.set_history_window(history_window);
        sim.set_notes(true);
        let first = Checkpoint {
            sim: sim.snapshot(),
            applied: sim.actions().len(),
            grid: 0,
        };
        Timeline {
            head: sim.now(),
            actions: sim.actions().to_vec(),
            sim,
            checkpoints: vec![first],
            interval: interval.max(1),
            markers: Vec::new(),
            undo: None,
            history_window,
            fresh: Vec::new(),
        }
    }

    /// Rebuilds a saved run (see [`Trace`]) and puts the timeline at its end.
    pub fn from_trace(
        trace: &Trace,
        interval: Time,
        history_window: Time,
    ) -> Result<Timeline, TraceError> {
        trace.validate()?;
        let sim = Simulation::new(trace.config.clone(), trace.seed)
            .map_err(|e| TraceError::Invalid(e.to_string()))?;
        let mut t = Timeline::starting_from(sim, interval, history_window);
        t.actions = trace.actions.clone();
        let arrived = match trace.events {
            Some(events) => t.seek_point(trace.end, events),
            None => t.play(Stop::Time(trace.end)),
        };
        arrived.map_err(|e| TraceError::Replay(e.to_string()))?;
        if let Some(expected) = &trace.hash {
            let actual = crate::hex(t.sim.trace_hash());
            if *expected != actual {
                return Err(TraceError::HashMismatch {
                    expected: expected.clone(),
                    actual,
                });
            }
        }
        Ok(t)
    }

    /// The run up to now, as a trace (the recorded future beyond now is left out).
    pub fn trace(&self) -> Trace {
        Trace::of(&self.sim)
    }

    /// The simulation at the current moment.
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    /// The current time.
    pub fn now(&self) -> Time {
        self.sim.now()
    }

    /// The furthest moment this future has been simulated to.
    pub fn head(&self) -> Time {
        self.head
    }

    /// The start of the timeline.
    pub fn start(&self) -> Time {
        self.checkpoints.first().map_or(0, |c| c.sim.now())
    }

    /// Notable moments (elections, leaders, commits, crashes) up to the head.
    pub fn markers(&self) -> &[Note] {
        &self.markers
    }

    /// Number of checkpoints kept.
    pub fn checkpoints(&self) -> usize {
        self.checkpoints.len()
    }

    /// True if the last fork can be undone.
    pub fn can_undo(&self) -> bool {
        self.undo.is_some()
    }

    /// Plays forward to time `t` (replaying the recorded future where there is one).
    pub fn advance_to(&mut self, t: Time) -> Result<(), ReplayError> {
        self.play(Stop::Time(t.max(self.sim.now())))
    }

    /// Plays forward by exactly one event (and the recorded actions due before it).
    pub fn step(&mut self) -> Result<(), ReplayError> {
        let target = self.sim.stats().events + 1;
        self.play(Stop::Events(target))
    }

    /// Goes back to just after the previous event.
    pub fn step_back(&mut self) -> Result<(), ReplayError> {
        let events = self.sim.stats().events;
        if events == 0 {
            return Ok(());
        }
        // A checkpoint strictly before the previous event, so that replaying ends on
        // that event (and at its time).
        let k = self
            .checkpoints
            .iter()
            .rposition(|c| c.sim.stats().events + 1 < events)
            .unwrap_or(0);
        self.restore(k);
        self.play(Stop::Events(events - 1))
    }

    /// Moves to time `t`: back by replaying from a checkpoint, forward by playing.
    pub fn seek(&mut self, t: Time) -> Result<(), ReplayError> {
        let t = t.max(self.start());
        let from = t.saturating_sub(self.history_window);
        // Back, or far ahead within the recorded run: start from the checkpoint before
        // `t` (early enough for the drawn history to be complete at `t`).
        let nearer = self
            .checkpoints
            .iter()
            .rev()
            .find(|c| c.sim.now() <= from)
            .is_some_and(|c| c.sim.now() > self.sim.now());
        if t < self.sim.now() || nearer {
            self.restore_before(from, u64::MAX);
        }
        self.play(Stop::Time(t))
    }

    /// Moves to a point recorded as (time, queue events processed).
    fn seek_point(&mut self, t: Time, processed: u64) -> Result<(), ReplayError> {
        if (t, processed) < (self.sim.now(), self.sim.processed()) {
            self.restore_before(t.saturating_sub(self.history_window), processed);
        }
        self.play(Stop::Time(t.saturating_sub(1)))?;
        while let Some(a) = self.actions.get(self.sim.actions().len()).cloned() {
            if (a.at, a.after) > (t, processed) {
                break;
            }
            self.sim.replay_action(&a)?;
            self.absorb_notes();
        }
        self.sim.run_to_point(t, processed)?;
        self.absorb_notes();
        Ok(())
    }

    /// Restores the last checkpoint at or before time `t` and `processed` events.
    fn restore_before(&mut self, t: Time, processed: u64) {
        let k = self
            .checkpoints
            .iter()
            .rposition(|c| c.sim.now() <= t && c.sim.processed() <= processed)
            .unwrap_or(0);
        self.restore(k);
    }

    fn restore(&mut self, k: usize) {
        if let Some(c) = self.checkpoints.get(k) {
            self.sim = c.sim.clone();
            self.sim.set_history_window(self.history_window);
        }
    }

    /// Finds the next (or previous) moment of a kind, from now. Looking forward, the
    /// future is simulated up to `look_ahead` if needed. Returns its time.
    pub fn find(&mut self, mark: Mark, forward: bool, look_ahead: Time) -> Option<Time> {
        let now = self.sim.now();
        if forward {
            let known = self
                .markers
                .iter()
                .find(|n| n.at > now && mark.matches(n.kind))
                .map(|n| n.at);
            if known.is_some() {
                return known;
            }
            // Simulate ahead, then come back, leaving the recorded run as it was: the
            // look-ahead is forgotten (its checkpoints and marks too).
            let (here, events) = (self.sim.now(), self.sim.processed());
            let newest = self.checkpoints.last().map_or(0, |c| c.grid);
            let kept = (self.head, self.markers.len(), newest);
            let limit = self.head.max(now).saturating_add(look_ahead);
            let mut t = self.head.max(now);
            while t < limit {
                t = (t + self.interval).min(limit);
                if self.play(Stop::Time(t)).is_err() {
                    break;
                }
                if self
                    .markers
                    .iter()
                    .any(|n| n.at > now && mark.matches(n.kind))
                {
                    break;
                }
            }
            let found = self
                .markers
                .iter()
                .find(|n| n.at > now && mark.matches(n.kind))
                .map(|n| n.at);
            let _ = self.seek_point(here, events);
            self.head = kept.0;
            self.markers.truncate(kept.1);
            self.checkpoints.retain(|c| c.grid <= kept.2);
            found
        } else {
            self.markers
                .iter()
                .rev()
                .find(|n| n.at < now && mark.matches(n.kind))
                .map(|n| n.at)
        }
    }

    /// Does an action now. In the past, this forks: the recorded future after now is
    /// discarded (and kept for [`Timeline::undo_fork`]).
    pub fn apply(&mut self, action: Action) -> Result<Option<ClientOutcome>, ActionError> {
        let forking = self.sim.actions().len() < self.actions.len() || self.sim.now() < self.head;
        let saved = forking.then(|| Saved {
            actions: self.actions.clone(),
            checkpoints: self.checkpoints.clone(),
            head: self.head,
            markers: self.markers.clone(),
            at: self.sim.now(),
            events: self.sim.processed(),
        });
        let outcome = self.sim.apply(action)?;
        if let Some(saved) = saved {
            let now = saved.at;
            let applied = self.sim.actions().len() - 1;
            self.actions.truncate(applied);
            let processed = saved.events;
            self.checkpoints.retain(|c| {
                (c.sim.now(), c.sim.processed()) <= (now, processed) && c.applied <= applied
            });
            self.markers.retain(|m| m.at <= now);
            self.head = now;
            self.undo = Some(Box::new(saved));
        }
        if let Some(a) = self.sim.actions().last() {
            self.actions.push(a.clone());
        }
        self.absorb_notes();
        Ok(outcome)
    }

    /// Undoes the last fork: the old future comes back, and the timeline returns to
    /// the moment of the fork.
    pub fn undo_fork(&mut self) -> Result<bool, ReplayError> {
        let Some(saved) = self.undo.take() else {
            return Ok(false);
        };
        self.actions = saved.actions;
        self.checkpoints = saved.checkpoints;
        self.head = saved.head;
        self.markers = saved.markers;
        self.restore_before(saved.at.saturating_sub(self.history_window), saved.events);
        self.seek_point(saved.at, saved.events)?;
        Ok(true)
    }

    fn absorb_notes(&mut self) {
        let notes = self.sim.take_notes();
        for &n in &notes {
            // Markers are in time order: a note of the recorded past is known already.
            let known = self
                .markers
                .iter()
                .rev()
                .take_while(|m| m.at >= n.at)
                .any(|m| *m == n);
            if n.kind.is_marker() && n.at >= self.head && !known {
                self.markers.push(n);
            }
        }
        if self.fresh.len() + notes.len() > MAX_FRESH {
            self.fresh.clear();
        }
        self.fresh.extend(notes);
        self.head = self.head.max(self.sim.now());
    }

    /// The notes of everything played since the last call (elections, commits,
    /// heartbeats, crashes), for a view to narrate. Moving through time produces the
    /// notes of the moments replayed; a view that jumps drops them.
    pub fn take_notes(&mut self) -> Vec<Note> {
        std::mem::take(&mut self.fresh)
    }

    /// The grid point after the newest checkpoint.
    fn next_grid_point(&self) -> u64 {
        self.checkpoints.last().map_or(0, |c| c.grid + 1)
    }

    fn next_grid(&self) -> Time {
        self.start() + self.next_grid_point() * self.interval
    }

    /// A checkpoint whenever the run has passed the next grid time (any state on the
    /// recorded path will do: replaying from it gives the same future); then older
    /// ones are thinned. The first is always kept.
    fn checkpoint_if_due(&mut self) {
        if self.sim.now() >= self.next_grid() {
            let grid = self.next_grid_point();
            self.checkpoints.push(Checkpoint {
                sim: self.sim.snapshot(),
                applied: self.sim.actions().len(),
                grid,
            });
            self.checkpoints
                .retain(|c| c.grid == 0 || c.grid % spacing(grid - c.grid) == 0);
        }
    }

    /// The core loop: applies the recorded actions at their points, takes
    /// checkpoints on the grid, and stops at a time or after a number of events.
    fn play(&mut self, stop: Stop) -> Result<(), ReplayError> {
        loop {
            self.checkpoint_if_due();
            let next = self.actions.get(self.sim.actions().len()).cloned();
            match stop {
                Stop::Time(t) => {
                    let grid = self.next_grid();
                    match next {
                        Some(a) if a.at <= t && a.at <= grid => {
                            self.sim.replay_action(&a)?;
                            self.absorb_notes();
                        }
                        _ => {
                            let until = t.min(grid);
                            self.sim.advance_to(until);
                            self.absorb_notes();
                            if until >= t {
                                return Ok(());
                            }
                        }
                    }
                }
                Stop::Events(n) => {
                    if self.sim.stats().events >= n {
                        return Ok(());
                    }
                    match next {
                        Some(a) if a.after <= self.sim.processed() => {
                            self.sim.replay_action(&a)?;
                            self.absorb_notes();
                        }
                        _ => {
                            let limit = next.map_or(u64::MAX, |a| a.after);
                            let popped = self.sim.pop_until(n, limit);
                            self.absorb_notes();
                            if !popped {
                                return Ok(());
                            }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Stop {
    Time(Time),
    Events(u64),
}

impl crate::scenario::Drive for Timeline {
    fn sim(&self) -> &Simulation {
        &self.sim
    }
    fn advance_to(&mut self, t: Time) {
        // Forward play cannot fail: it only replays this timeline's own actions.
        let _ = Timeline::advance_to(self, t);
    }
    fn apply(&mut self, action: Action) -> Result<Option<ClientOutcome>, ActionError> {
        Timeline::apply(self, action)
    }
}
