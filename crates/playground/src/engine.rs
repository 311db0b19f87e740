//! The page's state: the simulation and how it is being watched (playing, speed, the
//! open menu, the split being drawn). Every click becomes a [`Msg`]; every `Msg` that
//! changes the cluster becomes a raft-sim [`Action`]. Nothing here decides anything
//! about Raft: it only reads what raft-sim and raft-core expose.

use crate::guide::{Guide, TOUR_SPEED};
use crate::i18n::Texts;
use crate::params::{DEFAULT_SPEED, NODE_CHOICES, Notice, Params};
use raft_sim::Property;
use raft_sim::raft_core::Body;
use raft_sim::timeline::{Mark, Timeline};
use raft_sim::{
    Action, ClientOutcome, Command, MILLIS, MsgId, NodeId, Role, SimConfig, Simulation, Term, Time,
};

/// Speeds offered, simulated time per real time.
pub const SPEEDS: [f64; 10] = [1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001];

/// Latencies offered (largest one-way latency in ms; the smallest is half of it).
pub const LATENCIES: [u64; 6] = [2, 10, 20, 40, 80, 150];

/// Loss probabilities offered, in percent.
pub const LOSSES: [u32; 6] = [0, 5, 10, 20, 30, 50];

/// Longest real time one frame may account for (a hidden tab, a slow frame).
const MAX_FRAME_MS: f64 = 100.0;

/// How long a speech bubble stays up, in real milliseconds.
const BUBBLE_MS: f64 = 1_200.0;

/// Something the user asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// An animation frame at this time (ms, from `performance.now()`).
    Frame(f64),
    /// Play or pause.
    TogglePlay,
    /// Process exactly one event.
    Step,
    /// Next speed up.
    Faster,
    /// Next speed down.
    Slower,
    /// A speed from [`SPEEDS`].
    SetSpeed(usize),
    /// Start again, with this seed or a fresh one.
    Reset(Option<u64>),
    /// Start again with this many servers.
    SetNodes(usize),
    /// Largest latency, ms.
    SetLatency(u64),
    /// Loss, percent.
    SetLoss(u32),
    /// Open (or close) a server's menu.
    Select(Option<NodeId>),
    /// Stop a server.
    Crash(NodeId),
    /// Restart a server.
    Restart(NodeId),
    /// Make a server time out now.
    Timeout(NodeId),
    /// A client command typed for a server.
    Submit(NodeId, String),
    /// Enter or leave split mode.
    ToggleSplit,
    /// In split mode: move a server to the other island.
    SplitToggle(NodeId),
    /// In split mode: cut the network as drawn.
    ApplySplit,
    /// Split the network into these islands (from the API).
    Partition(Vec<Vec<NodeId>>),
    /// Restore every link.
    Heal,
    /// Cut or restore the link between two servers.
    ToggleLink(NodeId, NodeId),
    /// Lose a message in flight.
    DropMessage(MsgId),
    /// Make the followers time out together.
    Align,
    /// Make the followers time out one by one.
    Spread,
    /// Show or hide the keyboard help.
    ToggleHelp,
    /// Speech bubbles on or off.
    ToggleBubbles,
    /// Change the interface language.
    SetLang(String),
    /// Hide the URL notices.
    DismissNotices,
    /// Close whatever is open (menu, split mode, help).
    Escape,
    /// Open the guided tour at scene k.
    TourGo(usize),
    /// Next scene.
    TourNext,
    /// Previous scene.
    TourBack,
    /// Play the current scene again from its start.
    TourReplay,
    /// Leave the tour and keep the cluster to play with.
    TourLeave,
    /// Come back to the tour, at the scene that was left.
    TourReturn,
    /// Move to a simulated time (the timeline slider).
    Seek(Time),
    /// Go back to just after the previous event.
    StepBack,
    /// Jump to a notable moment, forward or back.
    Jump(Mark, bool),
    /// Undo the last fork of the past.
    UndoFork,
    /// Highlight a message in both views (or none).
    Hover(Option<MsgId>),
    /// Open a saved run (the text of a trace file).
    ImportRun(String),
    /// Show the evidence of a safety property (or close it).
    ShowProperty(Option<Property>),
}

impl Msg {
    /// True for the clicks that change the cluster or move through time: during the
    /// tour they mean "let me play" first.
    fn changes_cluster(&self) -> bool {
        matches!(
            self,
            Msg::Seek(_)
                | Msg::StepBack
                | Msg::Jump(..)
                | Msg::UndoFork
                | Msg::ImportRun(_)
                | Msg::Crash(_)
                | Msg::Restart(_)
                | Msg::Timeout(_)
                | Msg::Submit(..)
                | Msg::ApplySplit
                | Msg::Partition(_)
                | Msg::Heal
                | Msg::ToggleLink(..)
                | Msg::DropMessage(_)
                | Msg::Align
                | Msg::Spread
                | Msg::SetLatency(_)
                | Msg::SetLoss(_)
                | Msg::Reset(_)
                | Msg::SetNodes(_)
        )
    }
}

/// What the last click did, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feedback {
    /// The text.
    pub text: String,
    /// True for a refusal or an error.
    pub error: bool,
}

/// A speech bubble.
#[derive(Clone, Debug, PartialEq)]
pub struct Bubble {
    /// Who speaks.
    pub node: NodeId,
    /// What it says.
    pub text: String,
    /// Until when (real ms).
    pub until: f64,
}

/// Something a course page may want to hear about.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum PageEvent {
    /// A server became leader.
    Leader {
        /// The server.
        leader: NodeId,
        /// Its term.
        term: Term,
    },
    /// The leader committed an entry.
    Commit {
        /// Log index.
        index: u64,
        /// The entry's term.
        term: Term,
        /// The command, as text.
        command: String,
    },
    /// A tour scene reached its checkpoint.
    Scene {
        /// The scene's id.
        scene: String,
        /// `reached` (or `failed`).
        state: String,
    },
}

/// What the view remembers of a server between frames, to notice changes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Seen {
    role: Option<Role>,
    term: Term,
    commit: u64,
    heartbeat: Option<Time>,
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
    /// Split mode: the island (0 = A, 1 = B) of each server, S1 first.
    pub split: Option<Vec<u8>>,
    /// The keyboard help is open.
    pub help: bool,
    /// Speech bubbles are on.
    pub bubbles_on: bool,
    /// The user prefers reduced motion.
    pub reduced_motion: bool,
    /// Interface texts.
    pub texts: Texts,
    /// Ignored URL parameters.
    pub notices: Vec<Notice>,
    /// The last action's result.
    pub feedback: Option<Feedback>,
    /// Bubbles on screen.
    pub bubbles: Vec<Bubble>,
    /// Largest one-way latency (ms).
    pub latency_ms: u64,
    /// Loss (percent).
    pub loss_pct: u32,
    /// Frames drawn (changes whenever the view must be redrawn).
    pub frame: u64,
    /// The guided tour, once opened.
    pub guide: Option<Guide>,
    /// The tour's scene ids (empty if the tour data is missing).
    pub scene_ids: Vec<String>,
    /// Embedded in a course page.
    pub embed: bool,
    /// Events not yet handed to the page's listeners.
    pub events: Vec<PageEvent>,
    /// The error of the last message, if it failed.
    pub last_error: Option<String>,
    /// The message highlighted in the ring and the diagram.
    pub hover: Option<MsgId>,
    /// The safety property whose evidence is shown.
    pub property: Option<Property>,
    scene_reported: bool,
    last_frame: Option<f64>,
    wall: f64,
    seen: Vec<Seen>,
    random_seed: fn() -> u64,
}

fn config(nodes: usize, latency_ms: u64, loss_pct: u32) -> SimConfig {
    SimConfig {
        nodes,
        latency_min: latency_ms * MILLIS / 2,
        latency_max: latency_ms * MILLIS,
        loss: loss_pct as f64 / 100.0,
        ..SimConfig::default()
    }
}

/// Distance between the timeline's checkpoints (simulated time).
pub const CHECKPOINT_INTERVAL: Time = 5_000 * MILLIS;
/// How much message history the space-time diagram can show (simulated time).
pub const HISTORY_WINDOW: Time = 1_000 * MILLIS;

/// A timeline around `sim`.
pub fn timeline_of(sim: Simulation) -> Timeline {
    Timeline::starting_from(sim, CHECKPOINT_INTERVAL, HISTORY_WINDOW)
}

/// A cluster that starts just before its first election timeout, so that the first
/// election begins as soon as the page shows.
fn fresh(nodes: usize, seed: u64, latency_ms: u64, loss_pct: u32) -> Timeline {
    let make = |c: SimConfig| Simulation::new(c, seed);
    let sim = match make(config(nodes, latency_ms, loss_pct)) {
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
        .filter_map(|s| s.node.election_deadline())
        .min()
        .unwrap_or(0);
    let mut t = timeline_of(sim);
    let _ = t.advance_to(first.saturating_sub(40 * MILLIS));
    t
}

#[cold]
fn unreachable_config(e: raft_sim::ConfigError) -> ! {
    // The default configuration is valid by construction (tested in raft-sim).
    panic!("default configuration refused: {e}")
}

impl Engine {
    /// The page at start: URL parameters applied, a fresh seed unless one was given.
    pub fn new(
        params: &Params,
        notices: Vec<Notice>,
        lang: &str,
        reduced_motion: bool,
        random_seed: fn() -> u64,
    ) -> Self {
        let seed = params.seed.unwrap_or_else(random_seed);
        let (latency_ms, loss_pct) = (20, 0);
        let timeline = fresh(params.nodes, seed, latency_ms, loss_pct);
        let scene_ids = crate::json::scene_ids();
        let mut engine = Engine {
            seen: Vec::new(),
            timeline,
            seed,
            playing: true,
            speed: params.speed,
            selected: None,
            split: None,
            help: false,
            bubbles_on: !reduced_motion,
            reduced_motion,
            texts: Texts::new(lang),
            notices,
            feedback: None,
            bubbles: Vec::new(),
            latency_ms,
            loss_pct,
            frame: 0,
            last_frame: None,
            wall: 0.0,
            random_seed,
            guide: None,
            scene_ids,
            embed: params.embed,
            events: Vec::new(),
            last_error: None,
            hover: None,
            property: None,
            scene_reported: false,
        };
        engine.prime();
        engine.playing = params.autoplay;
        if let Some(run) = &params.run {
            if let Err(why) = engine.open_run_param(run) {
                let why = engine.texts.fill("import_error", &[("why", &why)]);
                engine.refuse(why);
            }
        } else if let Some(scene) = &params.scene
            && let Some(k) = engine.scene_ids.iter().position(|id| id == scene)
        {
            if !params.speed_given {
                engine.speed = TOUR_SPEED;
            }
            engine.go_to_scene(k);
            engine.playing = params.autoplay;
        }
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

    fn go_to_scene(&mut self, k: usize) {
        let tour = match self.guide.take() {
            Some(g) => Ok(g.tour),
            None => crate::json::tour(),
        };
        match tour.and_then(|t| Guide::start(t, k)) {
            Ok((guide, sim)) => {
                self.start_run(timeline_of(sim), guide.tour.seed);
                self.guide = Some(guide);
                self.playing = true;
            }
            Err(e) => self.refuse(e),
        }
    }

    /// After moving through time: nothing of the old moment lingers.
    fn after_travel(&mut self) {
        self.bubbles.clear();
        self.selected = None;
        self.split = None;
        self.hover = None;
        self.prime();
    }

    /// The run up to now, for a link: base64url of its compact JSON.
    pub fn run_param(&self) -> String {
        crate::json::base64url(&crate::json::stringify(&self.timeline.trace(), false))
    }

    /// Opens a run shared in a link, or says why not (and keeps the current run).
    pub fn open_run_param(&mut self, param: &str) -> Result<(), String> {
        if param.len() > raft_sim::MAX_BYTES {
            return Err("the link is too long".into());
        }
        let text = crate::json::from_base64url(param)
            .map_err(|why| format!("the link is damaged ({why})"))?;
        self.open_run(&text)
    }

    /// The run up to now, as a readable trace file.
    pub fn export_json(&self) -> String {
        crate::json::stringify(&self.timeline.trace(), true)
    }

    /// Replaces the run with a saved one, or says why not (and keeps the current run).
    pub fn open_run(&mut self, text: &str) -> Result<(), String> {
        let trace = crate::json::trace(text).map_err(|e| e.to_string())?;
        let timeline = Timeline::from_trace(&trace, CHECKPOINT_INTERVAL, HISTORY_WINDOW)
            .map_err(|e| e.to_string())?;
        self.start_run(timeline, trace.seed);
        let c = self.timeline.sim().config();
        self.latency_ms = c.latency_max / MILLIS;
        self.loss_pct = (c.loss * 100.0).round() as u32;
        self.guide = None;
        self.playing = false;
        Ok(())
    }

    fn leave_tour(&mut self) {
        if let Some(g) = self.guide.as_mut() {
            g.active = false;
        }
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

    /// "S3".
    pub fn name(id: NodeId) -> String {
        format!("S{id}")
    }

    /// Shows what a click did (`error` styles it as a warning).
    fn say(&mut self, text: String, error: bool) {
        self.feedback = Some(Feedback { text, error });
    }

    /// Shows why a click was refused; the API reports it as an error.
    fn refuse(&mut self, text: String) {
        self.last_error = Some(text.clone());
        self.say(text, true);
    }

    /// Remembers every server as it is, so that only later changes raise bubbles
    /// and events.
    fn prime(&mut self) {
        self.seen = self
            .timeline
            .sim()
            .servers()
            .iter()
            .map(|s| Seen {
                role: s.alive.then(|| s.node.role()),
                term: s.node.term(),
                commit: s.node.commit_index(),
                heartbeat: s.node.heartbeat_deadline(),
            })
            .collect();
        self.scene_reported = false;
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
                self.events.push(PageEvent::Scene {
                    scene: g.scene_id().to_string(),
                    state: state.name().to_string(),
                });
            }
        }
    }

    fn act(&mut self, action: Action) -> Option<ClientOutcome> {
        match self.timeline.apply(action) {
            Ok(outcome) => outcome,
            Err(e) => {
                self.refuse(e.to_string());
                None
            }
        }
    }

    /// Puts a new run on screen, with nothing of the old one's view left.
    fn start_run(&mut self, timeline: Timeline, seed: u64) {
        self.timeline = timeline;
        self.seed = seed;
        self.feedback = None;
        self.last_frame = None;
        self.after_travel();
    }

    fn reset(&mut self, seed: u64, nodes: usize) {
        let timeline = fresh(nodes, seed, self.latency_ms, self.loss_pct);
        self.start_run(timeline, seed);
    }

    /// Handles one message. Returns true if the view must be redrawn.
    pub fn update(&mut self, msg: Msg) -> bool {
        if !matches!(msg, Msg::Frame(_)) {
            self.last_error = None;
        }
        if self.in_tour() && msg.changes_cluster() {
            self.leave_tour();
        }
        let redraw = match msg {
            Msg::Frame(t) => return self.on_frame(t),
            Msg::TogglePlay => {
                self.playing = !self.playing;
                self.last_frame = None;
                true
            }
            Msg::Step => {
                self.playing = false;
                match self.guide.as_mut().filter(|g| g.active) {
                    // In the tour, a step goes to the next event through the scene's
                    // runner, so that the scene's actions still happen on time.
                    Some(g) => {
                        if let Some(t) = self.timeline.sim().next_event_time() {
                            g.advance(&mut self.timeline, t);
                        }
                    }
                    None => {
                        let _ = self.timeline.step();
                    }
                }
                self.notice_changes();
                self.check_scene();
                true
            }
            Msg::Faster => {
                self.speed = SPEEDS[self.speed_index().saturating_sub(1)];
                true
            }
            Msg::Slower => {
                self.speed = SPEEDS[(self.speed_index() + 1).min(SPEEDS.len() - 1)];
                true
            }
            Msg::SetSpeed(i) => {
                self.speed = SPEEDS.get(i).copied().unwrap_or(DEFAULT_SPEED);
                true
            }
            Msg::Reset(seed) => {
                let seed = seed.unwrap_or_else(self.random_seed);
                let nodes = self.timeline.sim().len();
                self.reset(seed, nodes);
                true
            }
            Msg::SetNodes(n) => {
                if NODE_CHOICES.contains(&n) && n != self.timeline.sim().len() {
                    let seed = self.seed;
                    self.reset(seed, n);
                }
                true
            }
            Msg::SetLatency(ms) => {
                if LATENCIES.contains(&ms) {
                    self.latency_ms = ms;
                    self.apply_network();
                }
                true
            }
            Msg::SetLoss(pct) => {
                if LOSSES.contains(&pct) {
                    self.loss_pct = pct;
                    self.apply_network();
                }
                true
            }
            Msg::Select(id) => {
                self.selected = id.filter(|&i| i >= 1 && i as usize <= self.timeline.sim().len());
                if self.split.is_some()
                    && let Some(i) = self.selected.take()
                {
                    return self.update(Msg::SplitToggle(i));
                }
                true
            }
            Msg::Crash(id) => {
                self.act(Action::Crash { node: id });
                true
            }
            Msg::Restart(id) => {
                self.act(Action::Restart { node: id });
                true
            }
            Msg::Timeout(id) => {
                self.act(Action::Timeout { node: id });
                true
            }
            Msg::Submit(id, text) => {
                self.submit(id, &text);
                true
            }
            Msg::ToggleSplit => {
                self.split = match self.split {
                    Some(_) => None,
                    None => Some(self.initial_split()),
                };
                self.selected = None;
                true
            }
            Msg::SplitToggle(id) => {
                if let Some(s) = self.split.as_mut()
                    && let Some(island) = s.get_mut(id as usize - 1)
                {
                    *island = 1 - *island;
                }
                true
            }
            Msg::ApplySplit => {
                if let Some(split) = self.split.take() {
                    let island = |k: u8| -> Vec<NodeId> {
                        (1..=split.len() as NodeId)
                            .filter(|&id| split[id as usize - 1] == k)
                            .collect()
                    };
                    self.act(Action::Partition {
                        islands: vec![island(0), island(1)],
                    });
                }
                true
            }
            Msg::Partition(islands) => {
                self.split = None;
                self.act(Action::Partition { islands });
                true
            }
            Msg::Heal => {
                self.split = None;
                self.act(Action::Heal);
                true
            }
            Msg::ToggleLink(a, b) => {
                let action = if self.timeline.sim().network().is_cut(a, b)
                    || self.timeline.sim().network().is_cut(b, a)
                {
                    if self.timeline.sim().network().island_of(a)
                        != self.timeline.sim().network().island_of(b)
                    {
                        self.refuse(self.texts.get("split_hint"));
                        return true;
                    }
                    Action::RestoreLink {
                        from: a,
                        to: b,
                        one_way: false,
                    }
                } else {
                    Action::CutLink {
                        from: a,
                        to: b,
                        one_way: false,
                    }
                };
                self.act(action);
                true
            }
            Msg::DropMessage(id) => {
                self.act(Action::DropMessage { id });
                true
            }
            Msg::Align => {
                self.act(Action::AlignTimers { nodes: vec![] });
                true
            }
            Msg::Spread => {
                self.act(Action::SpreadTimers { nodes: vec![] });
                true
            }
            Msg::ToggleHelp => {
                self.help = !self.help;
                true
            }
            Msg::ToggleBubbles => {
                self.bubbles_on = !self.bubbles_on;
                self.bubbles.clear();
                true
            }
            Msg::SetLang(code) => {
                self.texts = Texts::new(&code);
                true
            }
            Msg::DismissNotices => {
                self.notices.clear();
                true
            }
            Msg::Escape => {
                self.selected = None;
                self.split = None;
                self.help = false;
                true
            }
            Msg::TourGo(k) => {
                self.go_to_scene(k);
                true
            }
            Msg::TourNext | Msg::TourBack | Msg::TourReplay | Msg::TourReturn => {
                let (k, len) = self
                    .guide
                    .as_ref()
                    .map_or((0, self.scene_ids.len()), |g| (g.scene, g.len()));
                let target = match msg {
                    Msg::TourNext => (k + 1).min(len.saturating_sub(1)),
                    Msg::TourBack => k.saturating_sub(1),
                    _ => k,
                };
                self.go_to_scene(target);
                true
            }
            Msg::TourLeave => {
                self.leave_tour();
                true
            }
            Msg::Seek(t) => {
                self.playing = false;
                if let Err(e) = self.timeline.seek(t) {
                    self.refuse(e.to_string());
                }
                self.after_travel();
                true
            }
            Msg::StepBack => {
                self.playing = false;
                if let Err(e) = self.timeline.step_back() {
                    self.refuse(e.to_string());
                }
                self.after_travel();
                true
            }
            Msg::Jump(mark, forward) => {
                self.playing = false;
                match self.timeline.find(mark, forward, 10_000 * MILLIS) {
                    Some(t) => {
                        if let Err(e) = self.timeline.seek(t) {
                            self.refuse(e.to_string());
                        }
                        self.after_travel();
                    }
                    None => self.say(self.texts.get("none_found"), true),
                }
                true
            }
            Msg::UndoFork => {
                match self.timeline.undo_fork() {
                    Ok(true) => self.say(self.texts.get("fork_undone"), false),
                    Ok(false) => {}
                    Err(e) => self.refuse(e.to_string()),
                }
                self.after_travel();
                true
            }
            Msg::Hover(id) => {
                self.hover = id;
                true
            }
            Msg::ImportRun(text) => {
                match self.open_run(&text) {
                    Ok(()) => {
                        let seed = self.seed.to_string();
                        self.say(self.texts.fill("imported", &[("seed", &seed)]), false);
                    }
                    Err(why) => self.refuse(self.texts.fill("import_error", &[("why", &why)])),
                }
                true
            }
            Msg::ShowProperty(p) => {
                self.property = if self.property == p { None } else { p };
                true
            }
        };
        if redraw {
            self.frame += 1;
        }
        redraw
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
        let c = config(self.timeline.sim().len(), self.latency_ms, self.loss_pct);
        self.act(Action::SetNetwork {
            latency_min: c.latency_min,
            latency_max: c.latency_max,
            loss: c.loss,
            duplicate: 0.0,
            reorder: 0.0,
        });
    }

    fn submit(&mut self, id: NodeId, text: &str) {
        let Ok(command) = text.parse::<Command>() else {
            self.refuse(self.texts.get("bad_command"));
            return;
        };
        let node = Self::name(id);
        let Some(outcome) = self.act(Action::Submit { node: id, command }) else {
            return;
        };
        let t = &self.texts;
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
                t.fill("redirect", &[("node", &node), ("leader", &Self::name(l))]),
                true,
            ),
            ClientOutcome::Redirect { leader: None } => {
                (t.fill("redirect_none", &[("node", &node)]), true)
            }
            ClientOutcome::Down => (t.fill("down", &[("node", &node)]), true),
        };
        self.say(text, error);
    }

    fn on_frame(&mut self, t: f64) -> bool {
        let dt = self.last_frame.map_or(0.0, |last| {
            crate::geometry::bound(t - last, 0.0, MAX_FRAME_MS)
        });
        self.last_frame = Some(t);
        self.wall += dt;
        let before = self.bubbles.len();
        self.bubbles.retain(|b| b.until > self.wall);
        if !self.playing {
            if self.bubbles.len() != before {
                self.frame += 1;
                return true;
            }
            return false;
        }
        let sim_dt = (dt * self.speed * MILLIS as f64).round() as Time;
        let until = self.timeline.sim().now().saturating_add(sim_dt);
        match self.guide.as_mut().filter(|g| g.active) {
            Some(g) => g.advance(&mut self.timeline, until),
            None => {
                let _ = self.timeline.advance_to(until);
            }
        }
        self.notice_changes();
        self.check_scene();
        self.frame += 1;
        true
    }

    /// Compares every server with the last frame, to raise speech bubbles.
    fn notice_changes(&mut self) {
        let now_wall = self.wall;
        let mut raise: Vec<(NodeId, String)> = Vec::new();
        for (i, s) in self.timeline.sim().servers().iter().enumerate() {
            let n = &s.node;
            let seen = Seen {
                role: s.alive.then(|| n.role()),
                term: n.term(),
                commit: n.commit_index(),
                heartbeat: n.heartbeat_deadline(),
            };
            let old = self.seen[i];
            let id = n.id();
            if seen.role != old.role {
                // A bubble belongs to the role that spoke it.
                self.bubbles.retain(|b| b.node != id);
            }
            if seen.role == Some(Role::Leader) {
                if old.role != Some(Role::Leader) || old.term != seen.term {
                    self.events.push(PageEvent::Leader {
                        leader: id,
                        term: seen.term,
                    });
                }
                for index in old.commit.max(if old.term == seen.term {
                    0
                } else {
                    seen.commit
                }) + 1..=seen.commit
                {
                    if let Some(e) = n.log().get(index) {
                        self.events.push(PageEvent::Commit {
                            index,
                            term: e.term,
                            command: e.command.to_string(),
                        });
                    }
                }
            }
            if seen.role == Some(Role::Candidate)
                && (old.role != Some(Role::Candidate) || old.term != seen.term)
            {
                raise.push((id, self.texts.get("bubble_vote")));
            } else if seen.role == Some(Role::Leader) {
                if old.role == Some(Role::Leader) && seen.commit > old.commit {
                    let command = n
                        .log()
                        .get(seen.commit)
                        .map(|e| e.command.to_string())
                        .unwrap_or_default();
                    raise.push((
                        id,
                        self.texts.fill(
                            "bubble_commit",
                            &[("index", &seen.commit.to_string()), ("command", &command)],
                        ),
                    ));
                } else if seen.heartbeat != old.heartbeat {
                    let rejected = self.timeline.sim().in_flight().any(|m| {
                        m.msg.to == id
                            && matches!(m.msg.body, Body::AppendEntriesReply { success: false, .. })
                    });
                    let key = if rejected {
                        "bubble_check"
                    } else {
                        "bubble_heartbeat"
                    };
                    raise.push((id, self.texts.get(key)));
                }
            }
            self.seen[i] = seen;
        }
        if !self.bubbles_on {
            return;
        }
        for (node, text) in raise {
            let commit = text.contains('[');
            match self.bubbles.iter_mut().find(|b| b.node == node) {
                // A commit announcement is not covered by a plain heartbeat.
                Some(b) if !commit && b.text.contains('[') => {}
                Some(b) => {
                    b.text = text;
                    b.until = now_wall + BUBBLE_MS;
                }
                None => self.bubbles.push(Bubble {
                    node,
                    text,
                    until: now_wall + BUBBLE_MS,
                }),
            }
        }
    }

    /// The status line, sentence by sentence.
    pub fn status(&self) -> Vec<String> {
        let t = &self.texts;
        let sim = self.sim();
        let names = |ids: &[NodeId]| -> String {
            t.list(&ids.iter().map(|&i| Self::name(i)).collect::<Vec<_>>())
        };
        let mut lines = Vec::new();
        let mut leaders: Vec<(NodeId, Term)> = sim
            .leaders()
            .into_iter()
            .filter_map(|l| sim.server(l).map(|s| (l, s.node.term())))
            .collect();
        raft_sim::sort_few_by_key(&mut leaders, |&(_, term)| std::cmp::Reverse(term));
        match leaders[..] {
            [(l, term)] => lines.push(t.fill(
                "status_leader",
                &[("leader", &Self::name(l)), ("term", &term.to_string())],
            )),
            [] => {
                let candidates: Vec<&raft_sim::Server> = sim
                    .servers()
                    .iter()
                    .filter(|s| s.alive && s.node.role() == Role::Candidate)
                    .collect();
                match candidates.iter().map(|s| s.node.term()).max() {
                    Some(term) => {
                        let ids: Vec<NodeId> = candidates.iter().map(|s| s.node.id()).collect();
                        lines.push(t.fill(
                            "status_candidates",
                            &[("list", &names(&ids)), ("term", &term.to_string())],
                        ));
                    }
                    None => lines.push(t.get("status_no_leader")),
                }
            }
            _ => {
                let list: Vec<String> = leaders
                    .iter()
                    .map(|&(l, term)| format!("{} ({} {term})", Self::name(l), t.get("term")))
                    .collect();
                lines.push(t.fill("status_leaders", &[("list", &t.list(&list))]));
            }
        }
        // Groups of live servers that cannot reach a majority.
        let majority = sim.len() / 2 + 1;
        let islands: Vec<Vec<NodeId>> = if sim.network().islands().is_empty() {
            vec![sim.ids().collect()]
        } else {
            sim.network().islands().to_vec()
        };
        for island in islands {
            let live: Vec<NodeId> = island
                .into_iter()
                .filter(|&id| sim.server(id).is_some_and(|s| s.alive))
                .collect();
            if !live.is_empty() && live.len() < majority {
                lines.push(t.fill("status_minority", &[("list", &names(&live))]));
            }
        }
        let down = sim.stopped();
        if !down.is_empty() {
            lines.push(t.fill("status_stopped", &[("list", &names(&down))]));
        }
        if let Some(&(l, _)) = leaders.first()
            && let Some(s) = sim.server(l)
        {
            let c = s.node.commit_index();
            if let Some(e) = s.node.log().get(c) {
                lines.push(t.fill(
                    "status_committed",
                    &[
                        ("index", &c.to_string()),
                        ("command", &e.command.to_string()),
                    ],
                ));
            }
        }
        if !self.playing {
            lines.push(t.get("status_paused"));
        }
        lines
    }

    /// The number of servers on each island while a split is being drawn, or of
    /// the current partition.
    pub fn island_of(&self, id: NodeId) -> Option<usize> {
        match &self.split {
            Some(s) => s.get(id as usize - 1).map(|&i| i as usize),
            None => self.timeline.sim().network().island_of(id),
        }
    }
}

/// The kind of a message for drawing: its shape and its name in the legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// RequestVote: a filled circle.
    Vote,
    /// Vote granted: a check.
    Granted,
    /// Vote denied: a cross.
    Denied,
    /// AppendEntries with entries: a filled square with the count.
    Append(usize),
    /// Empty AppendEntries: a small dot.
    Heartbeat,
    /// AppendEntries accepted: a hollow square.
    AppendOk,
    /// AppendEntries rejected: a hollow square with a cross.
    AppendFail,
}

impl Shape {
    /// The shape of a message body.
    pub fn of<C>(body: &Body<C>) -> Shape {
        match body {
            Body::RequestVote { .. } => Shape::Vote,
            Body::RequestVoteReply { vote_granted: true } => Shape::Granted,
            Body::RequestVoteReply {
                vote_granted: false,
            } => Shape::Denied,
            Body::AppendEntries { entries, .. } if entries.is_empty() => Shape::Heartbeat,
            Body::AppendEntries { entries, .. } => Shape::Append(entries.len()),
            Body::AppendEntriesReply { success: true, .. } => Shape::AppendOk,
            Body::AppendEntriesReply { success: false, .. } => Shape::AppendFail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine(nodes: usize, seed: u64) -> Engine {
        let params = Params {
            seed: Some(seed),
            nodes,
            speed: 1.0,
            speed_given: true,
            ..Params::default()
        };
        Engine::new(&params, vec![], "en", false, || 7)
    }

    /// Plays `ms` of real time at the engine's speed, frame by frame.
    fn play(e: &mut Engine, ms: f64) {
        let start = e.wall;
        let mut t = e.last_frame.unwrap_or(0.0);
        e.update(Msg::Frame(t));
        while e.wall < start + ms {
            t += 16.0;
            e.update(Msg::Frame(t));
        }
    }

    #[test]
    fn the_page_starts_just_before_the_first_election_and_elects_quickly() {
        let mut e = engine(5, 1);
        assert!(e.sim().leader().is_none());
        play(&mut e, 400.0);
        assert!(
            e.sim().leader().is_some(),
            "a leader within 400 ms of real time at speed 1"
        );
        assert!(e.status()[0].contains("is leader in term"));
    }

    #[test]
    fn speed_scales_simulated_time_and_pause_stops_it() {
        let mut e = engine(3, 2);
        e.speed = 0.02;
        let t0 = e.sim().now();
        play(&mut e, 1_000.0);
        let dt = e.sim().now() - t0;
        assert!((19 * MILLIS..=21 * MILLIS).contains(&dt), "{dt}");
        e.update(Msg::TogglePlay);
        let t1 = e.sim().now();
        play(&mut e, 1_000.0);
        assert_eq!(e.sim().now(), t1);
        let events = e.sim().stats().events;
        e.update(Msg::Step);
        assert_eq!(e.sim().stats().events, events + 1, "one event, no more");
        assert!(!e.playing);
        let t2 = e.sim().now();
        // A hidden tab's long gap counts as one short frame.
        e.update(Msg::TogglePlay);
        e.update(Msg::Frame(1e9));
        e.update(Msg::Frame(2e9));
        assert!(e.sim().now() - t2 <= (MAX_FRAME_MS * 0.02 * MILLIS as f64) as Time + 1);
    }

    #[test]
    fn faster_and_slower_walk_the_speed_list_and_stop_at_the_ends() {
        let mut e = engine(3, 3);
        e.speed = DEFAULT_SPEED;
        e.update(Msg::Faster);
        assert_eq!(e.speed, 0.05);
        for _ in 0..20 {
            e.update(Msg::Faster);
        }
        assert_eq!(e.speed, 1.0);
        for _ in 0..20 {
            e.update(Msg::Slower);
        }
        assert_eq!(e.speed, 0.001);
    }

    #[test]
    fn a_follower_answers_a_client_with_a_redirect_in_words() {
        let mut e = engine(5, 4);
        play(&mut e, 600.0);
        let leader = e.sim().leader().unwrap();
        let follower = (1..=5).find(|&i| i != leader).unwrap();
        e.update(Msg::Submit(follower, "Set 1".into()));
        let f = e.feedback.clone().unwrap();
        assert!(f.error);
        assert_eq!(
            f.text,
            format!("S{follower} is not the leader: ask S{leader}.")
        );
        e.update(Msg::Submit(leader, "Set 1".into()));
        assert!(
            e.feedback
                .clone()
                .unwrap()
                .text
                .contains("appended Set 1 at index 1")
        );
        e.update(Msg::Submit(leader, "Mul 3".into()));
        assert_eq!(e.feedback.clone().unwrap().text, e.texts.get("bad_command"));
    }

    #[test]
    fn impossible_clicks_say_why_and_change_nothing() {
        let mut e = engine(3, 5);
        let hash = e.sim().trace_hash();
        e.update(Msg::Restart(1));
        assert_eq!(e.feedback.clone().unwrap().text, "S1 is already running");
        e.update(Msg::DropMessage(123_456));
        e.update(Msg::Crash(9));
        e.update(Msg::SplitToggle(2)); // not in split mode: nothing
        assert_eq!(e.sim().trace_hash(), hash);
    }

    #[test]
    fn the_split_mode_builds_islands_and_applies_them() {
        let mut e = engine(5, 6);
        e.update(Msg::ToggleSplit);
        assert_eq!(e.split, Some(vec![0, 0, 0, 1, 1]));
        e.update(Msg::Select(Some(3))); // clicking a server in split mode moves it
        assert_eq!(e.split, Some(vec![0, 0, 1, 1, 1]));
        assert_eq!(e.selected, None);
        e.update(Msg::ApplySplit);
        assert_eq!(e.sim().network().islands(), &[vec![1, 2], vec![3, 4, 5]]);
        assert!(
            e.status()
                .iter()
                .any(|l| l == "S1 and S2 cannot reach a majority.")
        );
        e.update(Msg::Heal);
        assert!(e.sim().network().is_whole());
    }

    #[test]
    fn links_toggle_and_the_status_names_stopped_servers() {
        let mut e = engine(3, 7);
        e.update(Msg::ToggleLink(1, 2));
        assert!(e.sim().network().is_cut(1, 2) && e.sim().network().is_cut(2, 1));
        e.update(Msg::ToggleLink(2, 1));
        assert!(e.sim().network().is_whole());
        e.update(Msg::Crash(2));
        e.update(Msg::Crash(3));
        let status = e.status();
        assert!(
            status.contains(&"S2 and S3 stopped.".to_string()),
            "{status:?}"
        );
        assert!(
            status.contains(&"S1 cannot reach a majority.".to_string()),
            "{status:?}"
        );
    }

    #[test]
    fn reset_keeps_or_changes_the_seed_and_nodes_change_the_ring() {
        let mut e = engine(5, 8);
        play(&mut e, 300.0);
        e.update(Msg::Reset(None));
        assert_eq!(e.seed, 7, "a fresh seed from the random source");
        e.update(Msg::Reset(Some(99)));
        assert_eq!(e.seed, 99);
        e.update(Msg::SetNodes(7));
        assert_eq!(e.sim().len(), 7);
        e.update(Msg::SetNodes(4));
        assert_eq!(e.sim().len(), 7, "only 3, 5 or 7");
    }

    #[test]
    fn candidates_and_leaders_speak_the_slides_lines_in_french() {
        let mut e = engine(5, 9);
        e.update(Msg::SetLang("fr".into()));
        let mut said = Vec::new();
        let mut t = 0.0;
        for _ in 0..200 {
            t += 16.0;
            e.update(Msg::Frame(t));
            said.extend(e.bubbles.iter().map(|b| b.text.clone()));
        }
        assert!(said.iter().any(|s| s == "Votez pour moi !"), "{said:?}");
        assert!(
            said.iter().any(|s| s == "C'est toujours moi le chef !"),
            "{said:?}"
        );
        let leader = e.sim().leader().unwrap();
        e.update(Msg::Submit(leader, "Set 1".into()));
        let mut commit = false;
        for _ in 0..100 {
            t += 16.0;
            e.update(Msg::Frame(t));
            commit |= e
                .bubbles
                .iter()
                .any(|b| b.text == "C'est toujours moi le chef, [1] Set 1 validé !");
        }
        assert!(commit);
        e.update(Msg::ToggleBubbles);
        assert!(e.bubbles.is_empty());
    }

    fn touring(scene: &str) -> Engine {
        let params = Params {
            scene: Some(scene.to_string()),
            ..Params::default()
        };
        Engine::new(&params, vec![], "fr", false, || 7)
    }

    #[test]
    fn a_scene_in_the_url_opens_the_tour_there_at_the_tour_speed() {
        let e = touring("split");
        let g = e.guide.as_ref().unwrap();
        assert!(e.in_tour());
        assert_eq!(g.scene_id(), "split");
        assert_eq!(e.speed, crate::guide::TOUR_SPEED);
        assert_eq!(e.seed, g.tour.seed);
        // Set 1 is committed everywhere at the start of the split.
        assert!(e.sim().servers().iter().all(|s| s.node.commit_index() == 1));
    }

    #[test]
    fn a_scene_played_frame_by_frame_reaches_its_checkpoint() {
        let mut e = touring("replication");
        e.speed = 0.2;
        let mut t = 0.0;
        while e.guide.as_ref().unwrap().state() == crate::guide::SceneState::Playing {
            t += 16.0;
            e.update(Msg::Frame(t));
            assert!(t < 60_000.0, "the scene never ended");
        }
        assert_eq!(
            e.guide.as_ref().unwrap().state(),
            crate::guide::SceneState::Reached
        );
        assert!(e.sim().servers().iter().all(|s| s.register.value == 1));
        let (caption, names) = e.guide.as_ref().unwrap().caption();
        assert_eq!(caption.as_deref(), Some("tour_replication_4"));
        assert!(names.iter().any(|(n, _)| n == "leader"));
    }

    #[test]
    fn next_back_replay_and_let_me_play() {
        let mut e = touring("raft");
        e.update(Msg::TourBack);
        assert_eq!(
            e.guide.as_ref().unwrap().scene,
            0,
            "no scene before the first"
        );
        e.update(Msg::TourNext);
        e.update(Msg::TourNext);
        assert_eq!(e.guide.as_ref().unwrap().scene_id(), "leader-dies");
        for _ in 0..20 {
            e.update(Msg::TourNext);
        }
        assert_eq!(
            e.guide.as_ref().unwrap().scene_id(),
            "simultaneous",
            "no scene after the last"
        );
        e.update(Msg::TourReplay);
        assert_eq!(e.guide.as_ref().unwrap().scene_id(), "simultaneous");
        // A click that changes the cluster leaves the tour, and keeps the cluster.
        let hash_before = e.sim().trace_hash();
        e.update(Msg::Crash(1));
        assert!(!e.in_tour());
        assert_ne!(e.sim().trace_hash(), hash_before);
        e.update(Msg::TourReturn);
        assert!(e.in_tour());
        assert_eq!(e.guide.as_ref().unwrap().scene_id(), "simultaneous");
        e.update(Msg::TourLeave);
        assert!(!e.in_tour());
    }
}
