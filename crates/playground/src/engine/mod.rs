//! The page's state: the run and how it is being watched (playing, speed, the open
//! menu, the split being drawn). Every click becomes a [`Msg`]; every `Msg` that
//! changes the cluster becomes a raft-sim [`Action`]. Nothing here decides anything
//! about Raft: it reads the facts raft-sim publishes and puts them into words.

mod breaking;
mod clock;
#[cfg(feature = "compaction")]
pub mod compaction;
pub mod figure16;
#[cfg(feature = "membership")]
pub mod membership;
mod msg;
mod narration;
#[cfg(feature = "exercises")]
pub mod puzzle;
#[cfg(feature = "exercises")]
pub mod quiz;
mod refusal;
mod share;
pub mod status;
#[cfg(any(feature = "exercises", feature = "membership", feature = "compaction"))]
pub mod words;

pub use breaking::{Breaking, bugs_in, with_bug};
pub use clock::Clock;
pub use msg::Msg;
pub use narration::{Narrator, PageEvent};

use crate::guide::{Guide, TOUR_SPEED};
use crate::i18n::Texts;
use crate::params::{DEFAULT_SPEED, MAX_SEED, NODE_CHOICES, Notice, Params};
use crate::shortcuts::Command;
use raft_sim::raft_core::Config as RaftConfig;
use raft_sim::timeline::Timeline;
use raft_sim::{
    Action, ClientOutcome, MILLIS, MsgId, NodeId, NoteKind, Property, ReadState, SimConfig,
    Simulation, Time,
};
use status::name;

/// Speeds offered, simulated time per real time.
pub const SPEEDS: [f64; 10] = [1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001];

/// Latencies offered (largest one-way latency in ms; the smallest is half of it).
pub const LATENCIES: [u64; 6] = [2, 10, 20, 40, 80, 150];

/// Loss probabilities offered, in percent.
pub const LOSSES: [u32; 6] = [0, 5, 10, 20, 30, 50];

/// How long what an action did stays on screen, in real milliseconds.
pub const FEEDBACK_MS: f64 = 8_000.0;

/// Distance between the timeline's checkpoints (simulated time).
pub const CHECKPOINT_INTERVAL: Time = raft_sim::timeline::DEFAULT_INTERVAL;
/// How much message history the space-time diagram can show (simulated time).
pub const HISTORY_WINDOW: Time = 1_000 * MILLIS;

/// How far ahead a jump looks for the next moment of a kind (simulated time).
const LOOK_AHEAD: Time = 10_000 * MILLIS;

/// What the last click did, in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Feedback {
    /// The text.
    pub text: String,
    /// True for a refusal or an error (a normal Raft answer such as a redirect is not).
    pub error: bool,
    /// Until when it stays up (real ms).
    pub until: f64,
}

/// The page's state.
pub struct Engine {
    /// The cluster, with its past and recorded future.
    pub timeline: Timeline,
    /// Its seed.
    pub seed: u64,
    /// Simulated time advances while true.
    pub playing: bool,
    /// Simulated time per real time.
    pub speed: f64,
    /// The open server menu.
    pub selected: Option<NodeId>,
    /// The split being drawn: the island (0 = A, 1 = B) of each server, S1 first.
    pub split: Option<Vec<u8>>,
    /// The keyboard help is open.
    pub help: bool,
    /// Speech bubbles are on.
    pub bubbles_on: bool,
    /// The user prefers reduced motion.
    pub reduced_motion: bool,
    /// Interface texts.
    pub texts: Texts,
    /// A language whose texts the page must fetch (then sent back as `Msg::Texts`).
    pub wanted_lang: Option<String>,
    /// Why no language's texts could be loaded, if so.
    pub texts_error: Option<String>,
    /// A refusal to say once the language's texts are there: its text key and why.
    deferred: Option<(&'static str, String)>,
    /// Ignored URL parameters.
    pub notices: Vec<Notice>,
    /// The last action's result.
    pub feedback: Option<Feedback>,
    /// Bubbles on screen and events for the page's listeners.
    pub narrator: Narrator,
    /// Largest one-way latency (ms).
    pub latency_ms: u64,
    /// Loss (percent).
    pub loss_pct: u32,
    /// The guided tour, once opened.
    pub guide: Option<Guide>,
    /// The tour's scene ids (empty if the tour data is missing).
    pub scene_ids: Vec<String>,
    /// Embedded in a course page.
    pub embed: bool,
    /// The error of the last message, if it failed.
    pub last_error: Option<String>,
    /// The message highlighted in the ring and the diagram.
    pub hover: Option<MsgId>,
    /// The safety property whose evidence is shown.
    pub property: Option<Property>,
    /// How many indices the log table is scrolled back from the newest (0: newest).
    pub log_back: u64,
    /// Real and simulated time.
    pub clock: Clock,
    /// The counterexample on screen ("Break Raft"), if one is.
    pub breaking: Option<Breaking>,
    /// The paper's Figure 16, run in the page (shared with the view, which compares it
    /// by pointer at every frame rather than copying it).
    pub figure16: std::rc::Rc<figure16::Figure16>,
    /// The Figure 16 panel opens with the page (`panel=figure16`).
    pub figure16_open: bool,
    /// The tour's questions and what was answered (predict, then reveal).
    #[cfg(feature = "exercises")]
    pub quiz: quiz::Quiz,
    /// The puzzle being played, if one is.
    #[cfg(feature = "exercises")]
    pub puzzle: Option<puzzle::PuzzleRun>,
    /// The violations the page has already told of.
    violations_seen: usize,
    scene_reported: bool,
    random_seed: fn() -> u64,
}

fn config(nodes: usize, latency_ms: u64, loss_pct: u32, raft: &RaftConfig) -> SimConfig {
    SimConfig {
        nodes,
        raft: raft.clone(),
        latency_min: latency_ms * MILLIS / 2,
        latency_max: latency_ms * MILLIS,
        loss: loss_pct as f64 / 100.0,
        ..SimConfig::default()
    }
}

/// The texts with what only the page with everything adds to them (see
/// [`words::full_page_texts`]).
#[cfg(feature = "full")]
fn with_full_page_texts(texts: Texts) -> Texts {
    let more = words::full_page_texts(texts.code());
    texts.with(more)
}

#[cfg(not(feature = "full"))]
fn with_full_page_texts(texts: Texts) -> Texts {
    texts
}

/// A timeline around `sim`.
pub fn timeline_of(sim: Simulation) -> Timeline {
    Timeline::starting_from(sim, CHECKPOINT_INTERVAL, HISTORY_WINDOW)
}

/// A cluster that starts just before its first election timeout, so that the first
/// election begins as soon as the page shows.
fn fresh(nodes: usize, seed: u64, latency_ms: u64, loss_pct: u32, raft: &RaftConfig) -> Timeline {
    let make = |c: SimConfig| Simulation::new(c, seed);
    let sim = match make(config(nodes, latency_ms, loss_pct, raft)) {
        Ok(s) => s,
        // The menus only offer valid settings; fall back to the defaults anyway.
        Err(_) => match make(SimConfig::default()) {
            Ok(s) => s,
            Err(e) => unreachable_config(e),
        },
    };
    let first = sim
        .servers()
        .iter()
        .filter_map(|s| s.election_deadline())
        .min()
        .unwrap_or(0);
    let mut t = timeline_of(sim);
    let _ = t.advance_to(first.saturating_sub(40 * MILLIS));
    let _ = t.take_notes();
    t
}

#[cold]
#[allow(clippy::panic)] // the default configuration is valid by construction
fn unreachable_config(e: raft_sim::ConfigError) -> ! {
    // The default configuration is valid by construction (tested in raft-sim).
    panic!("default configuration refused: {e}")
}

impl Engine {
    /// The page at start: URL parameters applied, a fresh seed unless one was given.
    pub fn new(
        params: &Params,
        notices: Vec<Notice>,
        texts: Texts,
        reduced_motion: bool,
        random_seed: fn() -> u64,
    ) -> Self {
        let seed = params.seed.unwrap_or_else(random_seed);
        let (latency_ms, loss_pct) = (20, 0);
        let mut engine = Engine {
            timeline: fresh(params.nodes, seed, latency_ms, loss_pct, &params.raft),
            seed,
            playing: true,
            speed: params.speed,
            selected: None,
            split: None,
            help: false,
            bubbles_on: !reduced_motion,
            reduced_motion,
            wanted_lang: (!texts.is_loaded()).then(|| texts.code().to_string()),
            texts_error: None,
            deferred: None,
            texts: with_full_page_texts(texts),
            notices,
            feedback: None,
            narrator: Narrator::default(),
            latency_ms,
            loss_pct,
            guide: None,
            scene_ids: crate::json::scene_ids(),
            embed: params.embed,
            last_error: None,
            hover: None,
            property: None,
            log_back: 0,
            clock: Clock::default(),
            breaking: None,
            figure16: std::rc::Rc::new(figure16::Figure16 {
                running: params.figure16,
                ..Default::default()
            }),
            figure16_open: params.figure16,
            #[cfg(feature = "exercises")]
            quiz: quiz::Quiz::new(params.quiz),
            #[cfg(feature = "exercises")]
            puzzle: None,
            violations_seen: 0,
            scene_reported: false,
            random_seed,
        };
        #[cfg(feature = "exercises")]
        if let Some(p) = &params.puzzle {
            if let Err(refusal) = engine.open_puzzle(p, params.run.as_deref()) {
                engine.deferred = Some(refusal);
                engine.refuse_deferred();
            }
            engine.playing = false;
            return engine;
        }
        if let Some(run) = &params.run {
            if let Err(why) = engine.open_run_param(run) {
                // Said once the language's texts are there.
                engine.deferred = Some(("import_error", why));
                engine.refuse_deferred();
            }
        } else if let Some(scene) = &params.scene
            && let Some(k) = engine.scene_ids.iter().position(|id| id == scene)
        {
            if !params.speed_given {
                engine.speed = TOUR_SPEED;
            }
            engine.go_to_scene(k);
        }
        engine.playing = params.autoplay && params.run.is_none();
        engine
    }

    /// The simulation at the current moment.
    pub fn sim(&self) -> &Simulation {
        self.timeline.sim()
    }

    /// True while the guided tour drives the cluster.
    pub fn in_tour(&self) -> bool {
        self.guide.as_ref().is_some_and(|g| g.active)
    }

    /// Index in [`SPEEDS`] closest to the current speed.
    pub fn speed_index(&self) -> usize {
        SPEEDS
            .iter()
            .enumerate()
            .min_by(|a, b| {
                // How many times faster or slower (no logarithm: smaller wasm).
                let d = |s: f64| (s / self.speed).max(self.speed / s);
                d(*a.1).total_cmp(&d(*b.1))
            })
            .map_or(0, |(i, _)| i)
    }

    /// The island of a server while a split is drawn, or in the current partition.
    pub fn island_of(&self, id: NodeId) -> Option<usize> {
        match &self.split {
            Some(s) => s.get(id as usize - 1).map(|&i| i as usize),
            None => self.timeline.sim().network().island_of(id),
        }
    }

    /// The status line, sentence by sentence.
    pub fn status(&self) -> Vec<String> {
        #[allow(unused_mut)]
        let mut lines = status::lines(&self.sim().status(), &self.texts, self.playing);
        #[cfg(feature = "membership")]
        lines.extend(self.joint_line());
        lines
    }

    // ----- feedback --------------------------------------------------------------------

    /// Shows what a click did (`error` styles it as a warning).
    fn say(&mut self, text: String, error: bool) {
        self.feedback = Some(Feedback {
            text,
            error,
            until: self.clock.wall + FEEDBACK_MS,
        });
    }

    /// Says a refusal kept for when the texts are there, if they are now.
    fn refuse_deferred(&mut self) {
        if self.texts.is_loaded()
            && let Some((key, why)) = self.deferred.take()
        {
            let text = self.texts.fill(key, &[("why", &why)]);
            self.refuse(text);
        }
    }

    /// Shows why a click was refused; the API reports it as an error.
    fn refuse(&mut self, text: String) {
        self.last_error = Some(text.clone());
        self.say(text, true);
    }

    /// Does an action on the cluster; says `done` (filled in) if it worked, why not
    /// otherwise.
    fn act(&mut self, action: Action, done: Option<String>) -> Option<ClientOutcome> {
        #[cfg(feature = "exercises")]
        if let Err(why) = self.puzzle_allows(&action) {
            self.refuse(why);
            return None;
        }
        match self.timeline.apply(action) {
            Ok(outcome) => {
                if let Some(text) = done {
                    self.say(text, false);
                }
                #[cfg(feature = "exercises")]
                self.puzzle_check();
                outcome
            }
            Err(e) => {
                self.refuse(refusal::refusal(&self.texts, &e));
                None
            }
        }
    }

    // ----- runs and the tour -----------------------------------------------------------

    /// The tour that scene `k` (of all the page's) belongs to, its number there, and
    /// the page's number of that tour's first scene.
    #[cfg(not(feature = "full"))]
    fn tour_of(&mut self, k: usize) -> Result<(raft_sim::tour::Tour, usize, usize), String> {
        let tour = match self.guide.take() {
            Some(g) => Ok(g.tour),
            None => crate::json::tour(),
        };
        tour.map(|t| (t, k, 0))
    }

    /// The same, with the chapter "Changing the configuration" after the slides.
    #[cfg(feature = "full")]
    fn tour_of(&mut self, k: usize) -> Result<(raft_sim::tour::Tour, usize, usize), String> {
        let slides = crate::json::tour()?;
        let n = slides.scenes.len();
        if k < n {
            return Ok((slides, k, 0));
        }
        crate::json::membership_tour().map(|t| (t, k - n, n))
    }

    fn go_to_scene(&mut self, k: usize) {
        let started = self.tour_of(k).and_then(|(t, local, offset)| {
            Guide::start(t, local).map(|(mut g, sim)| {
                g.offset = offset;
                (g, sim)
            })
        });
        match started {
            Ok((guide, sim)) => {
                self.start_run(timeline_of(sim), guide.tour.seed);
                self.guide = Some(guide);
                self.playing = true;
                #[cfg(feature = "exercises")]
                self.quiz_scene_started();
            }
            Err(e) => self.refuse(e),
        }
    }

    fn leave_tour(&mut self) {
        if let Some(g) = self.guide.as_mut() {
            g.active = false;
        }
    }

    /// After moving through time: nothing of the old moment lingers.
    fn after_travel(&mut self) {
        self.narrator.bubbles.clear();
        let _ = self.timeline.take_notes();
        self.selected = None;
        self.split = None;
        self.hover = None;
        self.scene_reported = false;
        self.violations_seen = self.timeline.sim().violations().len();
        self.clock.restart();
        #[cfg(feature = "exercises")]
        self.puzzle_after_travel();
    }

    /// Puts a new run on screen, with nothing of the old one's view left.
    fn start_run(&mut self, timeline: Timeline, seed: u64) {
        self.timeline = timeline;
        self.seed = seed;
        self.feedback = None;
        self.breaking = None;
        self.after_travel();
    }

    fn reset(&mut self, seed: u64, nodes: usize) {
        let raft = self.sim().initial_config().raft.clone();
        let timeline = fresh(nodes, seed, self.latency_ms, self.loss_pct, &raft);
        self.start_run(timeline, seed);
    }

    /// Reports a scene that has just reached its checkpoint.
    fn check_scene(&mut self) {
        if self.scene_reported {
            return;
        }
        if let Some(g) = self.guide.as_ref().filter(|g| g.active) {
            let state = g.state();
            if state != crate::guide::SceneState::Playing {
                self.scene_reported = true;
                self.narrator.events.push(PageEvent::Scene {
                    scene: g.scene_id().to_string(),
                    state: state.name().to_string(),
                });
            }
        }
    }

    /// Plays simulated time up to `until` (through the tour's scene while it runs),
    /// then tells what happened. `paced`: the frame loop plays, and the tour shows a
    /// new caption only once the one on screen has been up long enough to read; the
    /// API's `advance` shows at most one new caption per call instead.
    fn play_to(&mut self, until: Time, paced: bool) {
        let wall = self.clock.wall;
        match self.guide.as_mut().filter(|g| g.active) {
            Some(g) if paced => g.play(&mut self.timeline, until, wall, &self.texts),
            Some(g) => g.advance_one(&mut self.timeline, until, wall),
            None => {
                let until = self.counterexample_stop(until);
                #[cfg(feature = "exercises")]
                if self.puzzle_watching() {
                    self.puzzle_advance(until);
                }
                let _ = self.timeline.advance_to(until);
            }
        }
        self.after_play();
    }

    fn after_play(&mut self) {
        let notes = self.timeline.take_notes();
        // A read answered (or given up) later than it was asked: say so where the
        // status is read, as well as in a bubble.
        for note in &notes {
            if let NoteKind::Read { value, .. } = note.kind {
                let node = name(note.node);
                let text = match value {
                    Some(v) => self
                        .texts
                        .fill("did_read", &[("node", &node), ("value", &v.to_string())]),
                    None => self.texts.fill("read_failed", &[("node", &node)]),
                };
                self.say(text, value.is_none());
            }
        }
        let wall = self.clock.wall;
        self.narrator.hear(
            &notes,
            self.timeline.sim(),
            &self.texts,
            wall,
            self.bubbles_on,
        );
        self.check_scene();
        #[cfg(feature = "exercises")]
        {
            self.quiz_after_play();
            self.puzzle_check();
        }
        // Last, so that a broken property is what the status line says.
        self.after_breaking();
    }

    // ----- messages --------------------------------------------------------------------

    /// Handles one message. Returns true if the view must be redrawn.
    pub fn update(&mut self, msg: Msg) -> bool {
        if let Msg::Frame(t) = msg {
            // Nothing moves before the page can say what happens.
            return self.texts.is_loaded() && self.on_frame(t);
        }
        self.last_error = None;
        #[cfg(feature = "exercises")]
        if let Some(m) = self.quiz_click(&msg) {
            return self.update(m);
        }
        #[cfg(feature = "exercises")]
        if puzzle::leaves_puzzle(&msg) {
            self.puzzle = None;
        }
        if self.in_tour() && msg.changes_cluster() {
            self.leave_tour();
        }
        if msg.changes_cluster() {
            self.notices.clear();
        }
        match msg {
            Msg::Frame(_) => {}
            Msg::Key(command, digit) => {
                if let Some(m) = self.msg_for(command, digit) {
                    return self.update(m);
                }
                return false;
            }
            Msg::TogglePlay
            | Msg::Step
            | Msg::Advance(_)
            | Msg::Faster
            | Msg::Slower
            | Msg::SetSpeed(_) => self.on_time(msg),
            Msg::Reset(_)
            | Msg::BadSeed
            | Msg::SetNodes(_)
            | Msg::SetLatency(_)
            | Msg::SetLoss(_)
            | Msg::Crash(_)
            | Msg::Restart(_)
            | Msg::Timeout(_)
            | Msg::Submit(..)
            | Msg::Read(_)
            | Msg::Transfer(..)
            | Msg::SetRaft(_)
            | Msg::ApplySplit
            | Msg::Partition(_)
            | Msg::Heal
            | Msg::ToggleLink(..)
            | Msg::DropMessage(_)
            | Msg::Align
            | Msg::Spread => self.on_cluster(msg),
            Msg::TourGo(_)
            | Msg::TourNext
            | Msg::TourBack
            | Msg::TourReplay
            | Msg::TourLeave
            | Msg::TourReturn => self.on_tour(msg),
            Msg::Seek(_) | Msg::StepBack | Msg::Jump(..) | Msg::UndoFork | Msg::ImportRun(_) => {
                self.on_travel(msg)
            }
            Msg::Break(_) | Msg::BreakRestored(_) => self.on_breaking(msg),
            Msg::Figure16(_) => self.on_figure16(msg),
            #[cfg(feature = "exercises")]
            Msg::Quiz(q) => self.on_quiz(q),
            #[cfg(feature = "exercises")]
            Msg::Puzzle(p) => self.on_puzzle(p),
            #[cfg(feature = "membership")]
            Msg::Membership(m) => self.on_membership(m),
            #[cfg(feature = "compaction")]
            Msg::Compaction(n) => self.on_compaction(n),
            _ => self.on_view(msg),
        }
        true
    }

    /// The message a shortcut means now (`digit` for the digits).
    fn msg_for(&self, command: Command, digit: Option<NodeId>) -> Option<Msg> {
        let alive = |id: NodeId| self.sim().server(id).is_some_and(|s| s.alive);
        Some(match command {
            Command::Play => Msg::TogglePlay,
            Command::Step => Msg::Step,
            Command::StepBack => Msg::StepBack,
            Command::Faster => Msg::Faster,
            Command::Slower => Msg::Slower,
            Command::NewSeed => Msg::Reset(None),
            Command::Split => Msg::SplitMode,
            Command::ApplySplit if self.split.is_some() => Msg::ApplySplit,
            Command::ApplySplit => return None,
            Command::Heal => Msg::Heal,
            Command::Align => Msg::Align,
            Command::Spread => Msg::Spread,
            Command::Bubbles => Msg::ToggleBubbles,
            Command::Help => Msg::ToggleHelp,
            Command::Escape => Msg::Escape,
            Command::PrevScene if self.in_tour() => Msg::TourBack,
            Command::NextScene if self.in_tour() => Msg::TourNext,
            Command::PrevScene | Command::NextScene => return None,
            Command::StopRestart => {
                let id = self.selected?;
                if alive(id) {
                    Msg::Crash(id)
                } else {
                    Msg::Restart(id)
                }
            }
            Command::Timeout => Msg::Timeout(self.selected?),
            Command::Select => {
                let id = digit.filter(|&d| d >= 1 && d as usize <= self.sim().len())?;
                Msg::Select(Some(id))
            }
        })
    }

    fn on_frame(&mut self, t: f64) -> bool {
        let dt = self.clock.frame(t, self.speed, self.playing);
        let mut changed = self.narrator.expire(self.clock.wall);
        changed |= self.figure16_frame();
        if self
            .feedback
            .as_ref()
            .is_some_and(|f| f.until <= self.clock.wall)
        {
            self.feedback = None;
            changed = true;
        }
        if !self.playing {
            return changed;
        }
        let until = self.timeline.sim().now().saturating_add(dt);
        self.play_to(until, true);
        true
    }

    fn on_time(&mut self, msg: Msg) {
        match msg {
            Msg::TogglePlay => {
                self.playing = !self.playing;
                self.clock.restart();
            }
            Msg::Step => {
                self.playing = false;
                match self.guide.as_mut().filter(|g| g.active) {
                    // In the tour, a step goes to the next event through the scene's
                    // runner, so that the scene's actions still happen on time.
                    Some(g) => {
                        if let Some(t) = self.timeline.sim().next_event_time() {
                            g.advance(&mut self.timeline, t, 1);
                        }
                    }
                    None => {
                        let _ = self.timeline.step();
                    }
                }
                self.after_play();
            }
            Msg::Advance(dt) => {
                let until = self.timeline.sim().now().saturating_add(dt);
                self.play_to(until, false);
            }
            Msg::Faster => self.speed = SPEEDS[self.speed_index().saturating_sub(1)],
            Msg::Slower => self.speed = SPEEDS[(self.speed_index() + 1).min(SPEEDS.len() - 1)],
            Msg::SetSpeed(i) => self.speed = SPEEDS.get(i).copied().unwrap_or(DEFAULT_SPEED),
            _ => {}
        }
    }

    fn on_cluster(&mut self, msg: Msg) {
        let t = self.texts.clone();
        match msg {
            Msg::Reset(seed) => match seed.unwrap_or_else(self.random_seed) {
                seed if seed > MAX_SEED => self.refuse(t.get("seed_too_big")),
                seed => {
                    let nodes = self.timeline.sim().len();
                    self.reset(seed, nodes);
                }
            },
            Msg::BadSeed => self.refuse(t.get("seed_too_big")),
            Msg::SetNodes(n) if NODE_CHOICES.contains(&n) && n != self.timeline.sim().len() => {
                self.reset(self.seed, n);
            }
            Msg::SetLatency(ms) if LATENCIES.contains(&ms) => {
                self.latency_ms = ms;
                self.apply_network();
            }
            Msg::SetLoss(pct) if LOSSES.contains(&pct) => {
                self.loss_pct = pct;
                self.apply_network();
            }
            Msg::Crash(id) => {
                let done = t.fill("did_crash", &[("node", &name(id))]);
                self.act(Action::Crash { node: id }, Some(done));
            }
            Msg::Restart(id) => {
                let done = t.fill("did_restart", &[("node", &name(id))]);
                self.act(Action::Restart { node: id }, Some(done));
            }
            Msg::Timeout(id) => {
                // Under a lease a server does not stand, even forced (the action would
                // change nothing): say so rather than that it timed out.
                let keeps_lease = self
                    .sim()
                    .server(id)
                    .is_some_and(|s| s.alive && s.node.keeps_lease());
                if keeps_lease {
                    let min = self.sim().config().raft.election_timeout_min / MILLIS;
                    let min = min.to_string();
                    self.refuse(t.fill("lease_kept", &[("node", &name(id)), ("min", &min)]));
                } else {
                    let done = t.fill("did_timeout", &[("node", &name(id))]);
                    self.act(Action::Timeout { node: id }, Some(done));
                }
            }
            Msg::Submit(id, text) => self.submit(id, &text),
            Msg::Read(id) => self.read(id),
            Msg::Transfer(id, to) => {
                let done = t.fill("did_transfer", &[("node", &name(id)), ("to", &name(to))]);
                self.act(Action::Transfer { node: id, to }, Some(done));
            }
            Msg::SetRaft(raft) => match raft.validate() {
                Err(e) => self.refuse(e.to_string()),
                Ok(()) if raft == self.sim().initial_config().raft => {}
                Ok(()) => {
                    let n = self.sim().len();
                    let timeline = fresh(n, self.seed, self.latency_ms, self.loss_pct, &raft);
                    self.start_run(timeline, self.seed);
                    self.say(t.get("did_options"), false);
                }
            },
            Msg::ApplySplit => {
                if let Some(split) = self.split.take() {
                    let island = |k: u8| -> Vec<NodeId> {
                        (1..=split.len() as NodeId)
                            .filter(|&id| split[id as usize - 1] == k)
                            .collect()
                    };
                    self.partition(vec![island(0), island(1)]);
                }
            }
            Msg::Partition(islands) => {
                self.split = None;
                self.partition(islands);
            }
            Msg::Heal => {
                self.split = None;
                self.act(Action::Heal, Some(t.get("did_heal")));
            }
            Msg::ToggleLink(a, b) => self.toggle_link(a, b),
            Msg::DropMessage(id) => {
                self.act(Action::DropMessage { id }, Some(t.get("did_drop")));
            }
            Msg::Align | Msg::Spread => {
                let align = msg == Msg::Align;
                let who = self.timer_servers();
                let action = if align {
                    Action::AlignTimers { nodes: vec![] }
                } else {
                    Action::SpreadTimers { nodes: vec![] }
                };
                let done = if who.is_empty() {
                    t.get("did_none_timer")
                } else {
                    let key = if align { "did_align" } else { "did_spread" };
                    t.fill(key, &[("list", &status::names(&t, &who))])
                };
                self.act(action, Some(done));
            }
            _ => {}
        }
    }

    /// The live followers and candidates, whose election timers Align and Spread set.
    fn timer_servers(&self) -> Vec<NodeId> {
        self.sim()
            .servers()
            .iter()
            .filter(|s| s.alive && s.election_deadline().is_some())
            .map(|s| s.node.id())
            .collect()
    }

    fn partition(&mut self, islands: Vec<Vec<NodeId>>) {
        let t = self.texts.clone();
        let groups: Vec<String> = islands
            .iter()
            .filter(|i| !i.is_empty())
            .map(|i| format!("{{{}}}", status::names(&t, i)))
            .collect();
        let done = t.fill("did_partition", &[("list", &groups.join(" | "))]);
        self.act(Action::Partition { islands }, Some(done));
    }

    fn toggle_link(&mut self, a: NodeId, b: NodeId) {
        let net = self.timeline.sim().network();
        let cut = net.is_cut(a, b) || net.is_cut(b, a);
        if cut && net.island_of(a) != net.island_of(b) {
            self.refuse(self.texts.get("split_hint"));
            return;
        }
        let (one_way, from, to) = (false, a, b);
        let (action, key) = if cut {
            (Action::RestoreLink { from, to, one_way }, "did_restore")
        } else {
            (Action::CutLink { from, to, one_way }, "did_cut")
        };
        let done = self.texts.fill(key, &[("a", &name(a)), ("b", &name(b))]);
        self.act(action, Some(done));
    }

    fn on_tour(&mut self, msg: Msg) {
        match msg {
            Msg::TourGo(k) => self.go_to_scene(k),
            Msg::TourLeave => self.leave_tour(),
            _ => {
                let len = self.scene_ids.len();
                let k = self.guide.as_ref().map_or(0, Guide::number);
                let target = match msg {
                    Msg::TourNext => (k + 1).min(len.saturating_sub(1)),
                    Msg::TourBack => k.saturating_sub(1),
                    _ => k,
                };
                self.go_to_scene(target);
            }
        }
    }

    fn on_travel(&mut self, msg: Msg) {
        self.playing = false;
        let result = match msg {
            Msg::Seek(t) => self.timeline.seek(t),
            Msg::StepBack => self.timeline.step_back(),
            Msg::Jump(mark, forward) => match self.timeline.find(mark, forward, LOOK_AHEAD) {
                Some(t) => self.timeline.seek(t),
                None => {
                    self.say(self.texts.get("none_found"), true);
                    Ok(())
                }
            },
            Msg::UndoFork => match self.timeline.undo_fork() {
                Ok(true) => {
                    self.say(self.texts.get("fork_undone"), false);
                    Ok(())
                }
                other => other.map(|_| ()),
            },
            Msg::ImportRun(file) => {
                match file.and_then(|text| self.open_run(&text)) {
                    Ok(()) => {
                        let seed = self.seed.to_string();
                        self.say(self.texts.fill("imported", &[("seed", &seed)]), false);
                    }
                    Err(why) => self.refuse(self.texts.fill("import_error", &[("why", &why)])),
                }
                return;
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            self.refuse(e.to_string());
        }
        self.after_travel();
    }

    fn on_view(&mut self, msg: Msg) {
        match msg {
            Msg::Select(id) => {
                let id = id.filter(|&i| i >= 1 && i as usize <= self.timeline.sim().len());
                match (&mut self.split, id) {
                    (Some(s), Some(i)) => {
                        if let Some(island) = s.get_mut(i as usize - 1) {
                            *island = 1 - *island;
                        }
                    }
                    _ => self.selected = id,
                }
            }
            Msg::SplitMode => {
                self.split = match self.split {
                    Some(_) => None,
                    None => Some(self.initial_split()),
                };
                self.selected = None;
            }
            Msg::ToggleHelp => self.help = !self.help,
            Msg::ToggleBubbles => {
                self.bubbles_on = !self.bubbles_on;
                self.narrator.bubbles.clear();
            }
            // Natively the texts are compiled in; the page fetches them (the store
            // sees `wanted_lang` and comes back with `Msg::Texts`).
            #[cfg(not(target_arch = "wasm32"))]
            Msg::SetLang(code) => self.texts = with_full_page_texts(Texts::new(&code)),
            #[cfg(target_arch = "wasm32")]
            Msg::SetLang(code) => self.wanted_lang = Some(code),
            Msg::Texts(texts) => {
                self.texts = with_full_page_texts(texts);
                self.refuse_deferred();
            }
            Msg::TextsFailed(why) => self.texts_error = Some(why),
            Msg::DismissNotices => self.notices.clear(),
            Msg::Escape => {
                self.selected = None;
                self.split = None;
                self.help = false;
            }
            Msg::Hover(id) => self.hover = id,
            Msg::ScrollLogs(steps) => {
                let newest = self
                    .sim()
                    .servers()
                    .iter()
                    .map(|s| s.node.log().last_index())
                    .max();
                let step = if self.embed { 2 } else { 5 };
                self.log_back = match steps {
                    i64::MIN => 0,
                    n => self
                        .log_back
                        .saturating_add_signed(n.saturating_mul(step))
                        .min(newest.unwrap_or(0)),
                };
            }
            Msg::ShowProperty(p) => {
                self.property = if self.property == p { None } else { p };
            }
            _ => {}
        }
    }

    fn initial_split(&self) -> Vec<u8> {
        // Start from the current partition if there is one, else everyone on island A
        // except the second half of the ring.
        let n = self.timeline.sim().len();
        (1..=n as NodeId)
            .map(|id| match self.timeline.sim().network().island_of(id) {
                Some(i) => (i % 2) as u8,
                None => u8::from(id as usize > n.div_ceil(2)),
            })
            .collect()
    }

    fn apply_network(&mut self) {
        let sim = self.timeline.sim();
        let c = config(
            sim.len(),
            self.latency_ms,
            self.loss_pct,
            &sim.initial_config().raft,
        );
        let done = self.texts.fill(
            "did_network",
            &[
                (
                    "latency",
                    &format!("{}–{}\u{a0}ms", self.latency_ms / 2, self.latency_ms),
                ),
                (
                    "loss",
                    &self
                        .texts
                        .fill("percent", &[("n", &self.loss_pct.to_string())]),
                ),
            ],
        );
        self.act(
            Action::SetNetwork {
                latency_min: c.latency_min,
                latency_max: c.latency_max,
                loss: c.loss,
                duplicate: 0.0,
                reorder: 0.0,
            },
            Some(done),
        );
    }

    /// A client read at `id`: answered now, waiting, or redirected.
    fn read(&mut self, id: NodeId) {
        if let Err(e) = self.timeline.apply(Action::Read { node: id }) {
            self.refuse(refusal::refusal(&self.texts, &e));
            return;
        }
        let Some(r) = self.sim().reads().last() else {
            return;
        };
        let t = &self.texts;
        let node = name(id);
        let (text, error) = match r.state {
            ReadState::Answered { value, .. } => (
                t.fill(
                    "did_read",
                    &[("node", &node), ("value", &value.to_string())],
                ),
                false,
            ),
            ReadState::Waiting => (t.fill("read_waiting", &[("node", &node)]), false),
            ReadState::Redirect { leader: Some(l) } => (
                t.fill("redirect", &[("node", &node), ("leader", &name(l))]),
                false,
            ),
            ReadState::Redirect { leader: None } => {
                (t.fill("redirect_none", &[("node", &node)]), false)
            }
            ReadState::Failed { .. } => (t.fill("read_failed", &[("node", &node)]), true),
            ReadState::Down => (t.fill("down", &[("node", &node)]), true),
        };
        self.say(text, error);
    }

    fn submit(&mut self, id: NodeId, text: &str) {
        let Ok(command) = text.parse() else {
            self.refuse(self.texts.get("bad_command"));
            return;
        };
        let Some(outcome) = self.act(Action::Submit { node: id, command }, None) else {
            return;
        };
        let t = &self.texts;
        let node = name(id);
        let (text, error) = match outcome {
            ClientOutcome::Accepted { index, term } => (
                t.fill(
                    "accepted",
                    &[
                        ("node", &node),
                        ("command", &command.to_string()),
                        ("index", &index.to_string()),
                        ("term", &term.to_string()),
                    ],
                ),
                false,
            ),
            ClientOutcome::Redirect { leader: Some(l) } => (
                t.fill("redirect", &[("node", &node), ("leader", &name(l))]),
                false,
            ),
            ClientOutcome::Redirect { leader: None } => {
                (t.fill("redirect_none", &[("node", &node)]), false)
            }
            ClientOutcome::Down => (t.fill("down", &[("node", &node)]), true),
        };
        self.say(text, error);
    }
}

#[cfg(test)]
mod tests;
