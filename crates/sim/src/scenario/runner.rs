//! Playing a script in simulated time, all at once or frame by frame.

use super::script::{Drive, Script};
use super::{Named, ScenarioError, Step};
use crate::{MILLIS, Simulation, Time};
use litemap::LiteMap;

/// Where a [`Runner`] is.
#[derive(Clone, Debug, PartialEq)]
pub enum Progress {
    /// Steps remain.
    Running,
    /// Every step passed.
    Done,
    /// A step failed: which, and why.
    Failed(ScenarioError),
}

/// Plays steps on a simulation, either all at once (headless) or a little at each
/// animation frame (live), with exactly the same result: conditions are checked on a
/// 1 ms grid from the start of their step, and actions happen at step boundaries, so
/// how time is cut into frames never changes what happens.
#[derive(Clone, Debug)]
pub struct Runner {
    steps: Vec<Step>,
    pos: usize,
    step_start: Time,
    next_check: Time,
    script: Script,
    caption: Option<String>,
    /// The name the caption's form counts, if it has one.
    count: Option<String>,
    /// Captions shown so far.
    shown: usize,
    progress: Progress,
    /// A step it waits before, with the simulation still (a question is asked there).
    #[cfg(feature = "exercises")]
    hold_before: Option<usize>,
}

impl Runner {
    /// A runner for `steps`, starting at the simulation's current time.
    pub fn new(steps: Vec<Step>, sim: &Simulation) -> Self {
        let now = sim.now();
        Runner {
            steps,
            pos: 0,
            step_start: now,
            next_check: now,
            script: Script::default(),
            caption: None,
            count: None,
            shown: 0,
            progress: Progress::Running,
            #[cfg(feature = "exercises")]
            hold_before: None,
        }
    }

    /// A runner that keeps the names remembered by an earlier one.
    pub fn continuing(steps: Vec<Step>, sim: &Simulation, before: &Runner) -> Self {
        let mut r = Runner::new(steps, sim);
        r.script = before.script.clone();
        r
    }

    /// Where it is.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// How many captions were shown so far (a new one changes it).
    pub fn captions_shown(&self) -> usize {
        self.shown
    }

    /// The last caption shown by a `say` step.
    pub fn caption(&self) -> Option<&str> {
        self.caption.as_deref()
    }

    /// What was remembered so far, by name.
    pub fn names(&self) -> &LiteMap<String, Named> {
        self.script.names()
    }

    /// The script's state: the names it resolves (to check a condition as the script
    /// would).
    pub fn script(&self) -> &Script {
        &self.script
    }

    /// The one server remembered as `name`, if that is what it holds.
    pub fn server(&self, name: &str) -> Option<raft_core::NodeId> {
        match self.script.names().get(name) {
            Some(Named::Servers(ids)) if ids.len() == 1 => Some(ids[0]),
            _ => None,
        }
    }

    /// The caption's count: how many servers its counted name holds (for captions
    /// with forms per count), if it has one.
    pub fn caption_count(&self) -> Option<usize> {
        match self.script.names().get(self.count.as_deref()?) {
            Some(Named::Servers(ids)) => Some(ids.len()),
            _ => None,
        }
    }

    /// The index of the step being played.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Makes it wait before step `k` (`None`: go on), however far it is asked to play:
    /// the simulation stays at the moment that step would start, as if paused. The
    /// page asks a question there (see `quiz`).
    #[cfg(feature = "exercises")]
    pub fn hold_before(&mut self, k: Option<usize>) {
        self.hold_before = k;
    }

    /// True while it waits before the step it was told to hold at.
    #[cfg(feature = "exercises")]
    pub fn holding(&self) -> bool {
        self.progress == Progress::Running && self.hold_before == Some(self.pos)
    }

    /// Number of steps.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// True when there are no steps at all.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The time the next thing happens (a check, the end of a wait), if still running.
    pub fn next_boundary(&self) -> Option<Time> {
        match (&self.progress, self.steps.get(self.pos)) {
            (Progress::Running, Some(Step::Wait(ms))) => {
                Some(self.step_start.saturating_add(ms.saturating_mul(MILLIS)))
            }
            (Progress::Running, Some(Step::Until { .. })) => Some(self.next_check),
            _ => None,
        }
    }

    fn next_step(&mut self, sim: &Simulation) {
        self.pos += 1;
        self.step_start = sim.now();
        self.next_check = sim.now();
        if self.pos >= self.steps.len() {
            self.progress = Progress::Done;
        }
    }

    fn fail(&mut self, message: String) {
        self.progress = Progress::Failed(ScenarioError {
            step: self.pos,
            message,
        });
    }

    /// Plays steps until simulated time `until` (leaving the simulation there) or the
    /// end. Returns where it is.
    pub fn advance(&mut self, d: &mut dyn Drive, until: Time) -> &Progress {
        self.advance_paced(d, until, usize::MAX)
    }

    /// Like [`Runner::advance`], but shows at most `says` captions: it stops at the
    /// next caption beyond them, with the simulation left at that step (a page lets
    /// a caption be read before the next one replaces it). Where it stops changes
    /// nothing of what happens, only when the rest is played.
    pub fn advance_paced(&mut self, d: &mut dyn Drive, until: Time, mut says: usize) -> &Progress {
        if self.steps.is_empty() {
            self.progress = Progress::Done;
        }
        while self.progress == Progress::Running {
            #[cfg(feature = "exercises")]
            if self.holding() {
                return &self.progress;
            }
            let Some(step) = self.steps.get(self.pos).cloned() else {
                self.progress = Progress::Done;
                break;
            };
            match step {
                Step::Wait(ms) => {
                    let target = self.step_start.saturating_add(ms.saturating_mul(MILLIS));
                    if until < target {
                        d.advance_to(until);
                        return &self.progress;
                    }
                    d.advance_to(target);
                    self.next_step(d.sim());
                }
                Step::Until {
                    condition,
                    within_ms,
                } => {
                    let deadline = self
                        .step_start
                        .saturating_add(within_ms.saturating_mul(MILLIS));
                    if d.sim().now() >= self.next_check {
                        match self.script.holds(d.sim(), &condition) {
                            Ok(()) => {
                                self.next_step(d.sim());
                                continue;
                            }
                            Err(why) if self.next_check >= deadline => {
                                self.fail(format!("not within {within_ms} ms: {why}"));
                                continue;
                            }
                            Err(_) => self.next_check = (self.next_check + MILLIS).min(deadline),
                        }
                    }
                    if until < self.next_check {
                        d.advance_to(until);
                        return &self.progress;
                    }
                    d.advance_to(self.next_check);
                }
                Step::Do(act) => match self.script.act(d, &act) {
                    Ok(()) => self.next_step(d.sim()),
                    Err(e) => self.fail(e),
                },
                #[cfg(feature = "membership")]
                Step::Attempt(act) => {
                    // Refused or not, the script goes on.
                    let _ = self.script.act(d, &act);
                    self.next_step(d.sim());
                }
                Step::Expect(c) => match self.script.holds(d.sim(), &c) {
                    Ok(()) => self.next_step(d.sim()),
                    Err(e) => self.fail(e),
                },
                Step::Say(_) | Step::SayCount { .. } if says == 0 => return &self.progress,
                Step::Say(key) => {
                    says -= 1;
                    self.shown += 1;
                    self.caption = Some(key);
                    self.count = None;
                    self.next_step(d.sim());
                }
                Step::SayCount { key, count } => {
                    says -= 1;
                    self.shown += 1;
                    self.caption = Some(key);
                    self.count = Some(count);
                    self.next_step(d.sim());
                }
            }
        }
        if until != Time::MAX && self.progress != Progress::Running {
            let now = d.sim().now();
            d.advance_to(until.max(now));
        }
        &self.progress
    }

    /// Plays every remaining step (headless), past any step it was told to hold at.
    pub fn finish(&mut self, d: &mut dyn Drive) -> Result<(), ScenarioError> {
        #[cfg(feature = "exercises")]
        self.hold_before(None);
        match self.advance(d, Time::MAX) {
            Progress::Failed(e) => Err(e.clone()),
            _ => Ok(()),
        }
    }
}
