//! The guided tour as the page plays it: which scene, its runner, and whether the
//! user has left it to play freely. The scenes themselves are raft-sim's tour data.

use raft_sim::scenario::{Progress, Runner};
use raft_sim::timeline::Timeline;
use raft_sim::tour::Tour;
use raft_sim::{Simulation, Time};

/// The speed the tour plays at unless the URL says otherwise.
pub const TOUR_SPEED: f64 = 1.0 / 30.0;

/// How a scene is going.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SceneState {
    /// Steps remain.
    Playing,
    /// Every step ran and the checkpoint holds.
    Reached,
    /// A step or the checkpoint failed (a bug: the tests play every scene).
    Failed(String),
}

impl SceneState {
    /// `data-scene-state` value.
    pub fn name(&self) -> &'static str {
        match self {
            SceneState::Playing => "playing",
            SceneState::Reached => "reached",
            SceneState::Failed(_) => "failed",
        }
    }
}

/// The tour being played.
pub struct Guide {
    /// The scenes.
    pub tour: Tour,
    /// The current scene.
    pub scene: usize,
    /// Its runner.
    pub runner: Runner,
    /// False once the user chose to play freely; the cluster is then theirs.
    pub active: bool,
}

impl Guide {
    /// Starts scene `k`: the cluster as it is at the start of that scene.
    pub fn start(tour: Tour, k: usize) -> Result<(Guide, Simulation), String> {
        let k = k.min(tour.scenes.len().saturating_sub(1));
        let (sim, runner) = tour.start(k).map_err(|e| e.to_string())?;
        Ok((
            Guide {
                tour,
                scene: k,
                runner,
                active: true,
            },
            sim,
        ))
    }

    /// The current scene's id.
    pub fn scene_id(&self) -> &str {
        self.tour
            .scenes
            .get(self.scene)
            .map_or("", |s| s.id.as_str())
    }

    /// Number of scenes.
    pub fn len(&self) -> usize {
        self.tour.scenes.len()
    }

    /// How the scene is going.
    pub fn state(&self) -> SceneState {
        match self.runner.progress() {
            Progress::Running => SceneState::Playing,
            Progress::Done => SceneState::Reached,
            Progress::Failed(e) => SceneState::Failed(e.to_string()),
        }
    }

    /// Plays the scene up to simulated time `until`. Once the scene is over, the
    /// cluster keeps running (or stays still for a scene that holds).
    pub fn advance(&mut self, timeline: &mut Timeline, until: Time) {
        let hold = self.tour.scenes.get(self.scene).is_some_and(|s| s.hold);
        match self.runner.progress() {
            Progress::Running => {
                self.runner.advance(timeline, until);
            }
            _ if hold => {}
            _ => {
                let _ = timeline.advance_to(until);
            }
        }
    }

    /// The caption key of the current step, and the servers remembered so far, as
    /// (placeholder, "S3") pairs.
    pub fn caption(&self) -> (Option<String>, Vec<(String, String)>) {
        let names = self
            .runner
            .names()
            .iter()
            .map(|(k, v)| (k.clone(), format!("S{v}")))
            .collect();
        (self.runner.caption().map(str::to_string), names)
    }
}
