//! The guided tour of the user's slides, as data (`tour/tour.json`): each scene's
//! steps and the checkpoint it must reach. Captions are keys of the playground's
//! language files. A scene starts where the previous one ended; the tour's fixed seed
//! makes every run of it the same.

use crate::scenario::{Condition, Runner, ScenarioError, Step};
use crate::{SimConfig, Simulation};
use serde::{Deserialize, Serialize};

/// The tour's text, embedded.
pub const TOUR_JSON: &str = include_str!("../tour/tour.json");

/// One scene.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scene {
    /// Short name, used in URLs (`?scene=split`) and caption keys.
    pub id: String,
    /// Keep the cluster still once the scene is played (the title scene). (Always
    /// written: the page reads the tour in postcard, where every field is there.)
    #[serde(default)]
    pub hold: bool,
    /// What happens.
    pub steps: Vec<Step>,
    /// What the cluster must show at the end.
    pub checkpoint: Vec<Condition>,
    /// The slides' own lines this scene must show, as a caption or a speech bubble
    /// (keys of the language files).
    #[serde(default)]
    pub slides: Vec<String>,
    /// The scene starts a new chapter of the tour, titled by this key of the language
    /// files.
    #[serde(default)]
    pub chapter: Option<String>,
    /// The scene starts on a fresh cluster (the tour's seed) whose servers run with
    /// these Raft options, in the words `raft-sim check --options` reads
    /// (`prevote`, `read=naive`…), rather than where the previous scene ended.
    #[serde(default)]
    pub options: Option<String>,
}

impl Scene {
    /// The steps followed by the checkpoint's conditions.
    pub fn script(&self) -> Vec<Step> {
        let mut steps = self.steps.clone();
        steps.extend(self.checkpoint.iter().cloned().map(Step::Expect));
        steps
    }
}

/// The whole tour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tour {
    /// The seed every run of the tour uses.
    pub seed: u64,
    /// Number of servers.
    pub nodes: usize,
    /// The scenes, in order.
    pub scenes: Vec<Scene>,
}

/// Why a scene could not be reached.
#[derive(Clone, Debug, PartialEq)]
pub struct TourError {
    /// The scene that failed.
    pub scene: String,
    /// How.
    pub error: ScenarioError,
}

impl std::fmt::Display for TourError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "scene {}: {}", self.scene, self.error)
    }
}

impl std::error::Error for TourError {}

/// The chapter on changing the configuration and compacting the log, embedded: played
/// by the simulator's tests and CLI (the page does not show it yet).
#[cfg(all(feature = "membership", feature = "compaction", feature = "deviations"))]
pub const MEMBERSHIP_JSON: &str = include_str!("../tour/membership.json");

impl Tour {
    /// The chapter "Changing the configuration": membership changes by joint
    /// consensus and one server at a time (with and without the 2015 correction), and a
    /// follower catching up from a snapshot. It starts on its own cluster.
    #[cfg(all(feature = "membership", feature = "compaction", feature = "deviations"))]
    pub fn membership() -> Result<Tour, String> {
        crate::json::from_str(MEMBERSHIP_JSON).map_err(|e| format!("membership.json: {e}"))
    }

    /// The tour of the slides.
    pub fn slides() -> Result<Tour, String> {
        crate::json::from_str(TOUR_JSON).map_err(|e| format!("tour.json: {e}"))
    }

    /// The position of a scene.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.scenes.iter().position(|s| s.id == id)
    }

    /// A fresh cluster for the tour.
    pub fn cluster(&self) -> Result<Simulation, crate::ConfigError> {
        self.cluster_with(&raft_core::Config::default())
    }

    /// A fresh cluster for the tour, its servers running with `raft`'s options.
    pub fn cluster_with(&self, raft: &raft_core::Config) -> Result<Simulation, crate::ConfigError> {
        let config = SimConfig {
            raft: raft.clone(),
            ..SimConfig::with_nodes(self.nodes)
        };
        Simulation::new(config, self.seed)
    }

    /// The cluster at the start of scene `k`, every earlier scene played (headless),
    /// with a runner ready to play scene `k` and remembering the earlier names.
    pub fn start(&self, k: usize) -> Result<(Simulation, Runner), TourError> {
        self.start_with(k, &raft_core::Config::default())
    }

    /// The same, the servers running with `raft`'s options.
    pub fn start_with(
        &self,
        k: usize,
        raft: &raft_core::Config,
    ) -> Result<(Simulation, Runner), TourError> {
        let fail = |scene: &str, error| TourError {
            scene: scene.to_string(),
            error,
        };
        let setup = |scene: &str, message: String| fail(scene, ScenarioError { step: 0, message });
        let fresh = |options: &Option<String>| -> Result<Option<Simulation>, String> {
            let Some(words) = options else {
                return Ok(None);
            };
            let configs = crate::campaign::parse_options(words, raft)?;
            let [one] = &configs[..] else {
                return Err(format!(
                    "options \"{words}\" name more than one configuration"
                ));
            };
            self.cluster_with(one).map(Some).map_err(|e| e.to_string())
        };
        let mut sim = self
            .cluster_with(raft)
            .map_err(|e| setup("setup", e.to_string()))?;
        let mut runner = Runner::new(Vec::new(), &sim);
        for scene in self.scenes.iter().take(k) {
            if let Some(s) = fresh(&scene.options).map_err(|e| setup(&scene.id, e))? {
                sim = s;
                runner = Runner::new(Vec::new(), &sim);
            }
            runner = Runner::continuing(scene.script(), &sim, &runner);
            runner.finish(&mut sim).map_err(|e| fail(&scene.id, e))?;
        }
        let Some(scene) = self.scenes.get(k) else {
            return Ok((sim.clone(), Runner::continuing(Vec::new(), &sim, &runner)));
        };
        if let Some(s) = fresh(&scene.options).map_err(|e| setup(&scene.id, e))? {
            sim = s;
            runner = Runner::new(Vec::new(), &sim);
        }
        Ok((
            sim.clone(),
            Runner::continuing(scene.script(), &sim, &runner),
        ))
    }

    /// Plays scenes `0..=k` headless and returns the cluster at the end of scene `k`.
    pub fn play_through(&self, k: usize) -> Result<(Simulation, Runner), TourError> {
        self.play_through_with(k, &raft_core::Config::default())
    }

    /// The same, the servers running with `raft`'s options.
    pub fn play_through_with(
        &self,
        k: usize,
        raft: &raft_core::Config,
    ) -> Result<(Simulation, Runner), TourError> {
        let (mut sim, mut runner) = self.start_with(k, raft)?;
        let id = self.scenes.get(k).map_or("?", |s| s.id.as_str());
        runner.finish(&mut sim).map_err(|error| TourError {
            scene: id.to_string(),
            error,
        })?;
        Ok((sim, runner))
    }
}
