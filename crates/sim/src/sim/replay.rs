//! Replaying a recorded run: each action at exactly its recorded point.

use super::Simulation;
use super::actions::{ActionError, TimedAction};
use raft_core::Time;
use std::fmt;

impl Simulation {
    /// Applies a recorded action at exactly its recorded point: first the events that
    /// preceded it, then the clock, then the action.
    pub fn replay_action(&mut self, timed: &TimedAction) -> Result<(), ReplayError> {
        self.run_to_point(timed.at, timed.after)?;
        self.apply(timed.action.clone())
            .map(|_| ())
            .map_err(ReplayError::Action)
    }

    /// Moves to a point recorded as (time, events processed): processes exactly the
    /// events that had been processed then, and sets the clock.
    pub fn run_to_point(&mut self, at: Time, after: u64) -> Result<(), ReplayError> {
        if after < self.processed || at < self.now {
            return Err(ReplayError::OutOfOrder);
        }
        while self.processed < after {
            let Some(q) = self.queue.pop() else {
                return Err(ReplayError::Diverged);
            };
            if q.at > at {
                return Err(ReplayError::Diverged);
            }
            self.processed += 1;
            self.process(q);
        }
        if self.next_event_time().is_some_and(|t| t < at) {
            return Err(ReplayError::Diverged);
        }
        self.now = at;
        self.forget_old_drops();
        Ok(())
    }
}

/// Why a recorded run cannot be replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayError {
    /// Actions are not in time order.
    OutOfOrder,
    /// The run does not go the way it was recorded (events missing or late).
    Diverged,
    /// An action failed.
    Action(ActionError),
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::OutOfOrder => f.write_str("actions are not in time order"),
            ReplayError::Diverged => f.write_str("the run does not replay as recorded"),
            ReplayError::Action(e) => write!(f, "an action cannot be done: {e}"),
        }
    }
}

impl std::error::Error for ReplayError {}
