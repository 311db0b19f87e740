//! The JavaScript API for course pages: `mount(element, options)` returns a handle to
//! drive the playground, read the cluster's state and subscribe to its events. Pages
//! that embed the playground in an iframe reach the same commands through
//! `postMessage` ([`crate::bridge`]). Options and state cross the boundary with
//! serde-wasm-bindgen.

use crate::engine::{Engine, Msg};
use crate::i18n;
use crate::params::{self, NODE_CHOICES, Params};
use crate::store::Store;
use raft_sim::{ClientOutcome, MILLIS, NodeId};
use serde::Serialize;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// One entry of a log, as a course page sees it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EntryState {
    index: u64,
    term: u64,
    command: String,
    committed: bool,
}

/// One server, as a course page sees it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ServerState {
    id: NodeId,
    role: &'static str,
    alive: bool,
    term: u64,
    voted_for: Option<NodeId>,
    leader: Option<NodeId>,
    commit_index: u64,
    last_applied: u64,
    value: i64,
    log: Vec<EntryState>,
}

/// The cluster, as a course page sees it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ClusterState {
    time_ms: f64,
    events: u64,
    seed: u64,
    playing: bool,
    speed: f64,
    scene: Option<String>,
    scene_state: Option<&'static str>,
    leader: Option<NodeId>,
    servers: Vec<ServerState>,
    in_flight: Vec<MessageState>,
    islands: Vec<Vec<NodeId>>,
}

#[derive(Serialize)]
struct MessageState {
    kind: &'static str,
    from: NodeId,
    to: NodeId,
    term: u64,
}

fn state_of(e: &Engine) -> ClusterState {
    let sim = e.sim();
    let guide = e.guide.as_ref().filter(|g| g.active);
    ClusterState {
        time_ms: sim.now() as f64 / 1000.0,
        events: sim.stats().events,
        seed: e.seed,
        playing: e.playing,
        speed: e.speed,
        scene: guide.map(|g| g.scene_id().to_string()),
        scene_state: guide.map(|g| g.state().name()),
        leader: sim.leader(),
        servers: sim
            .servers()
            .iter()
            .map(|s| {
                let n = &s.node;
                let commit = n.commit_index();
                ServerState {
                    id: n.id(),
                    role: if s.alive { n.role().name() } else { "stopped" },
                    alive: s.alive,
                    term: n.term(),
                    voted_for: n.voted_for(),
                    leader: n.leader(),
                    commit_index: commit,
                    last_applied: n.last_applied(),
                    value: s.register.value,
                    log: n
                        .log()
                        .entries()
                        .iter()
                        .enumerate()
                        .map(|(i, en)| EntryState {
                            index: i as u64 + 1,
                            term: en.term,
                            command: en.command.to_string(),
                            committed: (i as u64) < commit,
                        })
                        .collect(),
                }
            })
            .collect(),
        in_flight: sim
            .in_flight()
            .map(|m| MessageState {
                kind: m.msg.kind().name(),
                from: m.msg.from,
                to: m.msg.to,
                term: m.msg.term,
            })
            .collect(),
        islands: sim.network().islands().to_vec(),
    }
}

/// The options `mount` knows.
const OPTIONS: [&str; 8] = [
    "nodes", "scene", "seed", "lang", "embed", "speed", "autoplay", "bubbles",
];

/// One option's value, if given (`undefined` and `null` are not given).
fn given(options: &JsValue, name: &str) -> Option<JsValue> {
    let v = js_sys::Reflect::get(options, &name.into()).unwrap_or(JsValue::UNDEFINED);
    (!v.is_undefined() && !v.is_null()).then_some(v)
}

/// An option that must be of one JavaScript type (read by `read`), naming it and the
/// type in the error. (Options are values, not a file: their types are checked here,
/// without serde, which would bring a number parser into the page for them.)
fn option<T>(
    options: &JsValue,
    name: &str,
    what: &str,
    read: impl Fn(&JsValue) -> Option<T>,
) -> Result<Option<T>, String> {
    match given(options, name) {
        None => Ok(None),
        Some(v) => read(&v)
            .map(Some)
            .ok_or_else(|| format!("raft-playground: option `{name}`: expected {what}")),
    }
}

/// A whole number from 0 to 2^53 − 1, as JavaScript holds them exactly.
fn whole(v: &JsValue) -> Option<u64> {
    v.as_f64()
        .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n <= params::MAX_SEED as f64)
        .map(|n| n as u64)
}

/// Turns `mount`'s options into the page's parameters; any unknown or bad option is
/// an error that names it.
fn parse_options(options: &JsValue) -> Result<(Params, Option<bool>), String> {
    let mut p = Params::default();
    if options.is_undefined() || options.is_null() {
        return Ok((p, None));
    }
    if !options.is_object() || js_sys::Array::is_array(options) {
        return Err("raft-playground: options must be an object".into());
    }
    let object: &js_sys::Object = options.unchecked_ref();
    for key in js_sys::Object::keys(object).iter() {
        let key = key.as_string().unwrap_or_default();
        if !OPTIONS.contains(&key.as_str()) {
            return Err(format!(
                "raft-playground: unknown option `{key}` (known: {})",
                OPTIONS.join(", ")
            ));
        }
    }
    if let Some(n) = option(options, "nodes", "a whole number", whole)?.map(|n| n as usize) {
        if !NODE_CHOICES.contains(&n) {
            return Err(format!(
                "raft-playground: option `nodes`: must be 3, 5 or 7, not {n}"
            ));
        }
        p.nodes = n;
    }
    if let Some(scene) = option(options, "scene", "a text", JsValue::as_string)? {
        let ids = crate::json::scene_ids();
        if !ids.contains(&scene) {
            return Err(format!(
                "raft-playground: option `scene`: no scene \"{scene}\" (scenes: {})",
                ids.join(", ")
            ));
        }
        p.scene = Some(scene);
    }
    p.seed = option(options, "seed", "a whole number from 0 to 2^53 - 1", whole)?;
    if p.seed.is_some_and(|s| s > params::MAX_SEED) {
        return Err(format!(
            "raft-playground: option `seed`: at most {} (2^53 - 1)",
            params::MAX_SEED
        ));
    }
    if let Some(lang) = option(options, "lang", "a text", JsValue::as_string)? {
        if !i18n::codes().contains(&lang.as_str()) {
            return Err(format!(
                "raft-playground: option `lang`: must be one of {}",
                i18n::codes().join(", ")
            ));
        }
        p.lang = Some(lang);
    }
    if let Some(embed) = option(options, "embed", "true or false", JsValue::as_bool)? {
        p.embed = embed;
    }
    if let Some(speed) = option(options, "speed", "a number", JsValue::as_f64)? {
        p.speed = params::speed(speed)
            .ok_or("raft-playground: option `speed`: must be between 0.001 and 1")?;
        p.speed_given = true;
    }
    if let Some(a) = option(options, "autoplay", "true or false", JsValue::as_bool)? {
        p.autoplay = a;
    }
    Ok((
        p,
        option(options, "bubbles", "true or false", JsValue::as_bool)?,
    ))
}

/// A playground mounted by a course page.
#[wasm_bindgen]
pub struct Playground {
    store: Rc<Store>,
    app: Option<yew::AppHandle<crate::view::App>>,
}

fn js_err(e: String) -> JsError {
    JsError::new(&e)
}

/// The events a listener can ask for.
#[cfg(not(feature = "exercises"))]
pub const EVENTS: &[&str] = &["leader", "commit", "scene", "*"];
/// The events a listener can ask for (with the exercises: `answer` too).
#[cfg(feature = "exercises")]
pub const EVENTS: &[&str] = &["leader", "commit", "scene", "answer", "puzzle-solved", "*"];
#[cfg(not(feature = "exercises"))]
const EVENT_WORDS: &str = "leader, commit, scene or *";
#[cfg(feature = "exercises")]
const EVENT_WORDS: &str = "leader, commit, scene, answer, puzzle-solved or *";

/// Runs one command on a playground (the API and postMessage share it). `args` are
/// the command's arguments.
pub fn command(store: &Store, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
    if store.is_destroyed() {
        return Err(format!(
            "raft-playground: {name}: this playground was destroyed"
        ));
    }
    let id = |k: usize| -> Result<NodeId, String> {
        args.get(k)
            .and_then(|v| v.as_f64())
            .filter(|f| f.fract() == 0.0 && *f >= 1.0 && *f <= raft_sim::MAX_NODES as f64)
            .map(|f| f as NodeId)
            .ok_or_else(|| format!("raft-playground: {name}: expected a server number"))
    };
    let text = |k: usize| -> Result<String, String> {
        args.get(k)
            .and_then(|v| v.as_string())
            .ok_or_else(|| format!("raft-playground: {name}: expected a text"))
    };
    let done = |r: Result<(), String>| r.map(|()| JsValue::UNDEFINED);
    match name {
        "play" | "pause" => {
            let playing = store.engine.borrow().playing;
            if playing != (name == "play") {
                store.dispatch(Msg::TogglePlay)?;
            }
            Ok(JsValue::UNDEFINED)
        }
        "step" => done(store.dispatch(Msg::Step)),
        "advance" => {
            let ms = args
                .first()
                .and_then(|v| v.as_f64())
                .filter(|ms| ms.is_finite() && (0.0..=3_600_000.0).contains(ms))
                .ok_or("raft-playground: advance: expected milliseconds, from 0 to 3600000")?;
            done(store.dispatch(Msg::Advance((ms * MILLIS as f64).round() as u64)))
        }
        "goToScene" => {
            let scene = text(0)?;
            let k = store
                .engine
                .borrow()
                .scene_ids
                .iter()
                .position(|s| *s == scene)
                .ok_or_else(|| format!("raft-playground: goToScene: no scene \"{scene}\""))?;
            done(store.dispatch(Msg::TourGo(k)))
        }
        "stop" => done(store.dispatch(Msg::Crash(id(0)?))),
        "restart" => done(store.dispatch(Msg::Restart(id(0)?))),
        "timeout" => done(store.dispatch(Msg::Timeout(id(0)?))),
        "send" => {
            let (node, cmd) = (id(0)?, text(1)?);
            let before = store.engine.borrow().sim().client_requests().len();
            store.dispatch(Msg::Submit(node, cmd))?;
            let e = store.engine.borrow();
            let outcome: Option<ClientOutcome> =
                e.sim().client_requests().get(before).map(|r| r.outcome);
            crate::json::to_js(&outcome).map_err(|e| e.to_string())
        }
        "partition" => {
            let islands: Vec<Vec<NodeId>> = args
                .first()
                .map(|v| crate::json::from_js::<Vec<Vec<NodeId>>>(v).map_err(|e| e.to_string()))
                .transpose()
                .map_err(|e| format!("raft-playground: partition: {e}"))?
                .ok_or(
                    "raft-playground: partition: expected islands, such as [[1, 2], [3, 4, 5]]",
                )?;
            done(store.dispatch(Msg::Partition(islands)))
        }
        "heal" => done(store.dispatch(Msg::Heal)),
        "getState" => {
            crate::json::to_js(&state_of(&store.engine.borrow())).map_err(|e| e.to_string())
        }
        other => Err(format!("raft-playground: unknown command `{other}`")),
    }
}

fn run(store: &Store, name: &str, args: &[JsValue]) -> Result<(), JsError> {
    command(store, name, args).map(|_| ()).map_err(js_err)
}

#[wasm_bindgen]
impl Playground {
    /// Plays.
    pub fn play(&self) -> Result<(), JsError> {
        run(&self.store, "play", &[])
    }
    /// Pauses.
    pub fn pause(&self) -> Result<(), JsError> {
        run(&self.store, "pause", &[])
    }
    /// Processes one event.
    pub fn step(&self) -> Result<(), JsError> {
        run(&self.store, "step", &[])
    }
    /// Lets `ms` simulated milliseconds pass at once, playing or paused.
    pub fn advance(&self, ms: JsValue) -> Result<(), JsError> {
        run(&self.store, "advance", &[ms])
    }
    /// Opens the tour at a scene (`"split"`).
    #[wasm_bindgen(js_name = goToScene)]
    pub fn go_to_scene(&self, scene: String) -> Result<(), JsError> {
        run(&self.store, "goToScene", &[scene.into()])
    }
    /// Stops a server.
    pub fn stop(&self, server: JsValue) -> Result<(), JsError> {
        run(&self.store, "stop", &[server])
    }
    /// Restarts a stopped server.
    pub fn restart(&self, server: JsValue) -> Result<(), JsError> {
        run(&self.store, "restart", &[server])
    }
    /// Makes a server time out now.
    pub fn timeout(&self, server: JsValue) -> Result<(), JsError> {
        run(&self.store, "timeout", &[server])
    }
    /// A client sends a command (`"Set 1"`, `"Add 2"`) to a server; returns what it
    /// answered (`{type: "accepted", index, term}`, `{type: "redirect", leader}` or
    /// `{type: "down"}`).
    pub fn send(&self, server: JsValue, command_text: JsValue) -> Result<JsValue, JsError> {
        command(&self.store, "send", &[server, command_text]).map_err(js_err)
    }
    /// Splits the network into islands (`[[1, 2], [3, 4, 5]]`).
    pub fn partition(&self, islands: JsValue) -> Result<(), JsError> {
        run(&self.store, "partition", &[islands])
    }
    /// Restores every link.
    pub fn heal(&self) -> Result<(), JsError> {
        run(&self.store, "heal", &[])
    }
    /// The cluster as a plain object: servers (role, term, log, value…), messages in
    /// flight, islands, time, seed, scene.
    pub fn state(&self) -> Result<JsValue, JsError> {
        command(&self.store, "getState", &[]).map_err(js_err)
    }
    /// Calls `callback(event)` for `"leader"`, `"commit"`, `"scene"` or `"*"` events;
    /// returns an id for `off`.
    pub fn on(&self, event: String, callback: js_sys::Function) -> Result<u32, JsError> {
        if self.store.is_destroyed() {
            return Err(JsError::new(
                "raft-playground: on: this playground was destroyed",
            ));
        }
        if !EVENTS.contains(&event.as_str()) {
            return Err(JsError::new(&format!(
                "raft-playground: on: unknown event `{event}` ({EVENT_WORDS})"
            )));
        }
        Ok(self.store.listen(event, callback))
    }
    /// Stops calling the listener `id`.
    pub fn off(&self, id: u32) {
        self.store.unlisten(id);
    }
    /// Removes the playground from the page; every later call throws.
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.store.destroy();
    }
}

/// The handle of a playground mounted by the page itself (the stand-alone page puts
/// it on `window.raftPlayground`, to drive from the console or a test).
pub fn handle(store: Rc<Store>) -> Playground {
    Playground { store, app: None }
}

/// Mounts a playground into `element`. Options (all optional): `nodes` (3, 5, 7),
/// `scene` (a tour scene id), `seed`, `lang` (`"en"`, `"fr"`), `embed` (boolean),
/// `speed` (0.001 to 1), `autoplay` (boolean), `bubbles` (boolean). A wrong option
/// throws an error that names it.
#[wasm_bindgen]
pub fn mount(element: web_sys::Element, options: JsValue) -> Result<Playground, JsError> {
    let (params, bubbles) = parse_options(&options).map_err(js_err)?;
    let store = Store::new(
        crate::page::engine_for(&params, Vec::new(), bubbles),
        Some(element.clone()),
    );
    let app = crate::view::mount(element, store.clone());
    Ok(Playground {
        store,
        app: Some(app),
    })
}

/// Browser benchmark of time travel (`web/bench/timeline-bench.mjs`): a timeline at
/// the playground's default settings (5 servers, checkpoints every 5 s, 1 s of
/// drawn history) run for `hours` of simulated time, then `seeks` seeks to
/// pseudo-random moments. Returns the growth of the wasm memory and each seek's
/// duration in ms. Only in builds with the `bench` feature, which the benchmark
/// makes for itself.
#[cfg(feature = "bench")]
#[wasm_bindgen]
pub fn bench_timeline(hours: f64, seeks: u32, servers: u32) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Bench {
        simulated_ms: f64,
        checkpoints: usize,
        memory_before: f64,
        memory_after: f64,
        run_ms: f64,
        seek_ms: Vec<f64>,
    }
    let memory = || {
        wasm_bindgen::memory()
            .dyn_into::<js_sys::WebAssembly::Memory>()
            .map(|m| {
                m.buffer()
                    .unchecked_into::<js_sys::ArrayBuffer>()
                    .byte_length() as f64
            })
            .unwrap_or(0.0)
    };
    let now = || {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    };
    let before = memory();
    let config = raft_sim::SimConfig::with_nodes(servers as usize);
    let sim = raft_sim::Simulation::new(config, 1).map_err(|e| JsError::new(&e.to_string()))?;
    let mut t = crate::engine::timeline_of(sim);
    let end = (hours * 3_600_000.0 * raft_sim::MILLIS as f64) as u64;
    let start = now();
    t.advance_to(end)
        .map_err(|e| JsError::new(&e.to_string()))?;
    let run_ms = now() - start;
    let mut seek_ms = Vec::new();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..seeks {
        // A fixed pseudo-random walk over the run (xorshift), the same every time.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let target = x % end.max(1);
        let s = now();
        t.seek(target).map_err(|e| JsError::new(&e.to_string()))?;
        seek_ms.push(now() - s);
    }
    crate::json::to_js(&Bench {
        simulated_ms: end as f64 / 1000.0,
        checkpoints: t.checkpoints(),
        memory_before: before,
        memory_after: memory(),
        run_ms,
        seek_ms,
    })
    .map_err(|e| JsError::new(&e.to_string()))
}
