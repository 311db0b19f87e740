//! A run of the model, played in the simulator: every step becomes a simulator
//! action at its own millisecond (a forced timeout or heartbeat, a client command, a
//! message delivered ahead of its time, a crash and restart), so that the run is an
//! ordinary trace that replays, bit for bit, to the same violation.

use super::model::{RaftModel, Step, plain};
use crate::{Action, MILLIS, Simulation, Time};

/// Why a run of the model could not be played in the simulator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlayError {
    /// The step that could not be played (0-based).
    pub step: usize,
    /// Why.
    pub reason: String,
}

impl std::fmt::Display for PlayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "step {}: {}", self.step + 1, self.reason)
    }
}

/// Plays `steps` in a fresh simulation of `model`'s cluster, one per millisecond.
pub fn play(model: &RaftModel, steps: &[Step]) -> Result<Simulation, PlayError> {
    let fail = |step: usize, reason: String| PlayError { step, reason };
    let mut sim = Simulation::new(model.sim_config(), 1).map_err(|e| fail(0, e.to_string()))?;
    for (k, step) in steps.iter().enumerate() {
        sim.advance_to((k as Time + 1) * MILLIS);
        let actions = match step {
            Step::Timeout(node) => vec![Action::Timeout { node: *node }],
            Step::Heartbeat(node) => vec![Action::Heartbeat { node: *node }],
            Step::Propose(node, command) => vec![Action::Submit {
                node: *node,
                command: *command,
            }],
            Step::Read(node) => vec![Action::Read { node: *node }],
            Step::Deliver(m) | Step::Duplicate(m) => {
                let flight = sim.in_flight().find(|f| plain(f.msg.clone()) == *m);
                let Some(flight) = flight else {
                    return Err(fail(k, format!("no {} in flight", m.kind().name())));
                };
                let keep = matches!(step, Step::Duplicate(_));
                vec![Action::Deliver {
                    id: flight.id,
                    keep,
                }]
            }
            Step::Restart(node) => vec![
                Action::Crash { node: *node },
                Action::Restart { node: *node },
            ],
        };
        for action in actions {
            sim.apply(action).map_err(|e| fail(k, e.to_string()))?;
        }
        // Timers made to fire now do so before the next step.
        sim.advance_to(sim.now());
    }
    Ok(sim)
}

pub use crate::bugs::play_actions;
