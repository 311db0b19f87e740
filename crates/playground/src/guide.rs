//! The guided tour as the page plays it: which scene, its runner, and whether the
//! user has left it to play freely. The scenes themselves are raft-sim's tour data.

use crate::i18n::Texts;
use raft_sim::scenario::{Named, Progress, Runner};
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
    /// When the caption on screen appeared (real ms), to give it time to be read.
    shown_at: Option<f64>,
    /// The page's number of the tour's first scene (a chapter played as a tour of
    /// its own follows the slides' scenes, in the page with everything).
    pub offset: usize,
}

/// How long a caption stays up at least before the next one replaces it, in real
/// milliseconds: about 25 characters a second, between 2.5 and 9 seconds.
pub fn reading_ms(text: &str) -> f64 {
    crate::geometry::bound(text.chars().count() as f64 * 40.0, 2_500.0, 9_000.0)
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
                shown_at: None,
                offset: 0,
            },
            sim,
        ))
    }

    /// The scene's number among all the page's scenes (from 0).
    pub fn number(&self) -> usize {
        self.offset + self.scene
    }

    /// The current scene's id.
    pub fn scene_id(&self) -> &str {
        self.tour
            .scenes
            .get(self.scene)
            .map_or("", |s| s.id.as_str())
    }

    /// How the scene is going.
    pub fn state(&self) -> SceneState {
        match self.runner.progress() {
            Progress::Running => SceneState::Playing,
            Progress::Done => SceneState::Reached,
            Progress::Failed(e) => SceneState::Failed(e.to_string()),
        }
    }

    /// Plays the scene up to simulated time `until`, showing at most `says` new
    /// captions. Once the scene is over, the cluster keeps running (or stays still for
    /// a scene that holds).
    pub fn advance(&mut self, timeline: &mut Timeline, until: Time, says: usize) {
        let hold = self.tour.scenes.get(self.scene).is_some_and(|s| s.hold);
        match self.runner.progress() {
            Progress::Running => {
                self.runner.advance_paced(timeline, until, says);
            }
            _ if hold => {}
            _ => {
                let _ = timeline.advance_to(until);
            }
        }
    }

    /// Plays the scene up to `until` showing at most one new caption (the API's
    /// `advance`), which then gets its reading time from `wall` on, should frames
    /// play on after it.
    pub fn advance_one(&mut self, timeline: &mut Timeline, until: Time, wall: f64) {
        let before = self.runner.captions_shown();
        self.advance(timeline, until, 1);
        if self.runner.captions_shown() != before {
            self.shown_at = Some(wall);
        }
    }

    /// Plays the scene as the page does at each frame: up to `until`, but a new
    /// caption only once the one on screen has been up for its reading time (`wall`
    /// is the real time now, in ms). Until then the cluster waits at that step.
    pub fn play(&mut self, timeline: &mut Timeline, until: Time, wall: f64, texts: &Texts) {
        let read = match (self.shown_at, self.caption(texts)) {
            (Some(at), Some(text)) => wall - at >= reading_ms(&text),
            _ => true,
        };
        let before = self.runner.captions_shown();
        self.advance(timeline, until, usize::from(read));
        if self.runner.captions_shown() != before {
            self.shown_at = Some(wall);
        }
    }

    /// The current caption in words: its names filled in (servers as "S1, S3 and
    /// S4", terms as numbers), in the form for its count.
    pub fn caption(&self, texts: &Texts) -> Option<String> {
        let key = self.runner.caption()?;
        Some(
            self.with_names(texts, |args| match self.runner.caption_count() {
                Some(n) => texts.count(key, n, args),
                None => texts.fill(key, args),
            }),
        )
    }

    /// `f` given what the tour remembers, in words, by name (servers as "S1, S3 and
    /// S4", terms as numbers), as a text's arguments.
    pub fn with_names<R>(&self, texts: &Texts, f: impl FnOnce(&[(&str, &str)]) -> R) -> R {
        let names: Vec<(&str, String)> = self
            .runner
            .names()
            .iter()
            .map(|(k, v)| {
                let text = match v {
                    Named::Servers(ids) => crate::engine::status::names(texts, ids),
                    Named::Term(t) => t.to_string(),
                };
                (k.as_str(), text)
            })
            .collect();
        let args: Vec<(&str, &str)> = names.iter().map(|(n, s)| (*n, s.as_str())).collect();
        f(&args)
    }

    /// The key of the current caption.
    pub fn caption_key(&self) -> Option<&str> {
        self.runner.caption()
    }
}
