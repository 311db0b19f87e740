//! The JavaScript API for course pages: `mount(element, options)` returns a handle to
//! drive the playground, read the cluster's state and subscribe to its events. Pages
//! that embed the playground in an iframe reach the same commands through
//! `postMessage`. Options and state cross the boundary with serde-wasm-bindgen.

use crate::browser;
use crate::engine::{Engine, Msg, PageEvent};
use crate::i18n;
use crate::params::{self, NODE_CHOICES, Params};
use raft_sim::{ClientOutcome, NodeId};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// What the App and the API share: the engine, how to redraw, and who listens.
pub struct Shared {
    /// The page's state.
    pub engine: Rc<RefCell<Engine>>,
    redraw: RefCell<Option<Rc<dyn Fn()>>>,
    listeners: RefCell<Vec<(u32, String, js_sys::Function)>>,
    next_listener: Cell<u32>,
    /// Where keyboard shortcuts are heard: the mount element, or the whole document.
    pub key_scope: Option<web_sys::Element>,
    /// Forward events to the parent window (the page is in an iframe).
    pub post_to_parent: Cell<bool>,
}

impl Shared {
    /// Wraps an engine.
    pub fn new(engine: Engine, key_scope: Option<web_sys::Element>) -> Rc<Shared> {
        Rc::new(Shared {
            engine: Rc::new(RefCell::new(engine)),
            redraw: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
            next_listener: Cell::new(1),
            key_scope,
            post_to_parent: Cell::new(false),
        })
    }

    /// The App tells how to redraw it.
    pub fn set_redraw(&self, redraw: Rc<dyn Fn()>) {
        *self.redraw.borrow_mut() = Some(redraw);
    }

    /// Handles a message: updates the engine, redraws, hands out events. Returns the
    /// message's error, if it failed.
    pub fn dispatch(&self, msg: Msg) -> Result<(), String> {
        let (changed, error, events) = {
            let mut e = self.engine.borrow_mut();
            let changed = e.update(msg);
            (changed, e.last_error.clone(), std::mem::take(&mut e.events))
        };
        if changed {
            let redraw = self.redraw.borrow().clone();
            if let Some(r) = redraw {
                r();
            }
        }
        for ev in events {
            self.emit(&ev);
        }
        error.map_or(Ok(()), Err)
    }

    fn emit(&self, ev: &PageEvent) {
        let Ok(value) = to_js(ev) else {
            return;
        };
        let kind = match ev {
            PageEvent::Leader { .. } => "leader",
            PageEvent::Commit { .. } => "commit",
            PageEvent::Scene { .. } => "scene",
        };
        let targets: Vec<js_sys::Function> = self
            .listeners
            .borrow()
            .iter()
            .filter(|(_, t, _)| t == kind || t == "*")
            .map(|(_, _, f)| f.clone())
            .collect();
        for f in targets {
            let _ = f.call1(&JsValue::NULL, &value);
        }
        if self.post_to_parent.get() {
            post_to_parent(&envelope("event", value));
        }
    }
}

fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, serde_wasm_bindgen::Error> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

fn envelope(key: &str, value: JsValue) -> JsValue {
    let obj = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&obj, &"type".into(), &"raft-playground".into());
    let _ = js_sys::Reflect::set(&obj, &key.into(), &value);
    obj.into()
}

fn post_to_parent(message: &JsValue) {
    if let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) {
        let _ = parent.post_message(message, "*");
    }
}

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

/// The options of `mount`, all optional.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct MountOptions {
    nodes: Option<usize>,
    scene: Option<String>,
    seed: Option<u64>,
    lang: Option<String>,
    embed: Option<bool>,
    speed: Option<f64>,
    autoplay: Option<bool>,
    bubbles: Option<bool>,
}

const OPTIONS: &str = "nodes, scene, seed, lang, embed, speed, autoplay, bubbles";

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
    let o: MountOptions = crate::json::from_js(options).map_err(|e| {
        if e.message.starts_with("unknown field") {
            format!(
                "raft-playground: unknown option `{}` (known: {OPTIONS})",
                e.path
            )
        } else {
            format!("raft-playground: option `{}`: {}", e.path, e.message)
        }
    })?;
    if let Some(n) = o.nodes {
        if !NODE_CHOICES.contains(&n) {
            return Err(format!(
                "raft-playground: option `nodes`: must be 3, 5 or 7, not {n}"
            ));
        }
        p.nodes = n;
    }
    if let Some(scene) = o.scene {
        let ids = crate::json::scene_ids();
        if !ids.contains(&scene) {
            return Err(format!(
                "raft-playground: option `scene`: no scene \"{scene}\" (scenes: {})",
                ids.join(", ")
            ));
        }
        p.scene = Some(scene);
    }
    p.seed = o.seed;
    if p.seed.is_some_and(|s| s > params::MAX_SEED) {
        return Err(format!(
            "raft-playground: option `seed`: at most {} (2^53 - 1)",
            params::MAX_SEED
        ));
    }
    if let Some(lang) = o.lang {
        if !i18n::codes().contains(&lang.as_str()) {
            return Err(format!(
                "raft-playground: option `lang`: must be one of {}",
                i18n::codes().join(", ")
            ));
        }
        p.lang = Some(lang);
    }
    if let Some(embed) = o.embed {
        p.embed = embed;
    }
    if let Some(speed) = o.speed {
        p.speed = params::speed(speed)
            .ok_or("raft-playground: option `speed`: must be between 0.001 and 1")?;
        p.speed_given = true;
    }
    if let Some(a) = o.autoplay {
        p.autoplay = a;
    }
    Ok((p, o.bubbles))
}

/// The language for a page: the parameter, else the browser's.
pub fn language(p: &Params) -> String {
    p.lang
        .clone()
        .unwrap_or_else(|| i18n::pick(&browser::preferred_languages()).to_string())
}

/// A playground mounted by a course page.
#[wasm_bindgen]
pub struct Playground {
    shared: Rc<Shared>,
    app: Option<yew::AppHandle<crate::view::App>>,
}

fn js_err(e: String) -> JsError {
    JsError::new(&e)
}

/// Runs one command on a playground (the API and postMessage share it). `args` are
/// the command's arguments.
fn command(shared: &Shared, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let id = |k: usize| -> Result<NodeId, String> {
        args.get(k)
            .and_then(|v| v.as_f64())
            .filter(|f| f.fract() == 0.0 && *f >= 1.0 && *f <= 9.0)
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
            let playing = shared.engine.borrow().playing;
            if playing != (name == "play") {
                shared.dispatch(Msg::TogglePlay)?;
            }
            Ok(JsValue::UNDEFINED)
        }
        "step" => done(shared.dispatch(Msg::Step)),
        "goToScene" => {
            let scene = text(0)?;
            let k = shared
                .engine
                .borrow()
                .scene_ids
                .iter()
                .position(|s| *s == scene)
                .ok_or_else(|| format!("raft-playground: goToScene: no scene \"{scene}\""))?;
            done(shared.dispatch(Msg::TourGo(k)))
        }
        "stop" => done(shared.dispatch(Msg::Crash(id(0)?))),
        "restart" => done(shared.dispatch(Msg::Restart(id(0)?))),
        "timeout" => done(shared.dispatch(Msg::Timeout(id(0)?))),
        "send" => {
            let (node, cmd) = (id(0)?, text(1)?);
            let before = shared.engine.borrow().sim().client_requests().len();
            shared.dispatch(Msg::Submit(node, cmd))?;
            let e = shared.engine.borrow();
            let outcome: Option<ClientOutcome> =
                e.sim().client_requests().get(before).map(|r| r.outcome);
            to_js(&outcome).map_err(|e| e.to_string())
        }
        "partition" => {
            let islands: Vec<Vec<NodeId>> = args
                .first()
                .cloned()
                .map(|v| crate::json::from_js::<Vec<Vec<NodeId>>>(&v).map_err(|e| e.to_string()))
                .transpose()
                .map_err(|e| format!("raft-playground: partition: {e}"))?
                .ok_or(
                    "raft-playground: partition: expected islands, such as [[1, 2], [3, 4, 5]]",
                )?;
            done(shared.dispatch(Msg::Partition(islands)))
        }
        "heal" => done(shared.dispatch(Msg::Heal)),
        "getState" => to_js(&state_of(&shared.engine.borrow())).map_err(|e| e.to_string()),
        other => Err(format!("raft-playground: unknown command `{other}`")),
    }
}

#[wasm_bindgen]
impl Playground {
    /// Plays.
    pub fn play(&self) -> Result<(), JsError> {
        command(&self.shared, "play", &[])
            .map(|_| ())
            .map_err(js_err)
    }
    /// Pauses.
    pub fn pause(&self) -> Result<(), JsError> {
        command(&self.shared, "pause", &[])
            .map(|_| ())
            .map_err(js_err)
    }
    /// Processes one event.
    pub fn step(&self) -> Result<(), JsError> {
        command(&self.shared, "step", &[])
            .map(|_| ())
            .map_err(js_err)
    }
    /// Opens the tour at a scene (`"split"`).
    #[wasm_bindgen(js_name = goToScene)]
    pub fn go_to_scene(&self, scene: String) -> Result<(), JsError> {
        command(&self.shared, "goToScene", &[scene.into()])
            .map(|_| ())
            .map_err(js_err)
    }
    /// Stops a server.
    pub fn stop(&self, server: JsValue) -> Result<(), JsError> {
        command(&self.shared, "stop", &[server])
            .map(|_| ())
            .map_err(js_err)
    }
    /// Restarts a stopped server.
    pub fn restart(&self, server: JsValue) -> Result<(), JsError> {
        command(&self.shared, "restart", &[server])
            .map(|_| ())
            .map_err(js_err)
    }
    /// Makes a server time out now.
    pub fn timeout(&self, server: JsValue) -> Result<(), JsError> {
        command(&self.shared, "timeout", &[server])
            .map(|_| ())
            .map_err(js_err)
    }
    /// A client sends a command (`"Set 1"`, `"Add 2"`) to a server; returns what it
    /// answered (`{type: "accepted", index, term}`, `{type: "redirect", leader}` or
    /// `{type: "down"}`).
    pub fn send(&self, server: JsValue, command_text: JsValue) -> Result<JsValue, JsError> {
        command(&self.shared, "send", &[server, command_text]).map_err(js_err)
    }
    /// Splits the network into islands (`[[1, 2], [3, 4, 5]]`).
    pub fn partition(&self, islands: JsValue) -> Result<(), JsError> {
        command(&self.shared, "partition", &[islands])
            .map(|_| ())
            .map_err(js_err)
    }
    /// Restores every link.
    pub fn heal(&self) -> Result<(), JsError> {
        command(&self.shared, "heal", &[])
            .map(|_| ())
            .map_err(js_err)
    }
    /// The cluster as a plain object: servers (role, term, log, value…), messages in
    /// flight, islands, time, seed, scene.
    pub fn state(&self) -> Result<JsValue, JsError> {
        command(&self.shared, "getState", &[]).map_err(js_err)
    }
    /// Calls `callback(event)` for `"leader"`, `"commit"`, `"scene"` or `"*"` events;
    /// returns an id for `off`.
    pub fn on(&self, event: String, callback: js_sys::Function) -> Result<u32, JsError> {
        if !["leader", "commit", "scene", "*"].contains(&event.as_str()) {
            return Err(JsError::new(&format!(
                "raft-playground: on: unknown event `{event}` (leader, commit, scene or *)"
            )));
        }
        let id = self.shared.next_listener.get();
        self.shared.next_listener.set(id + 1);
        self.shared
            .listeners
            .borrow_mut()
            .push((id, event, callback));
        Ok(id)
    }
    /// Stops calling the listener `id`.
    pub fn off(&self, id: u32) {
        self.shared
            .listeners
            .borrow_mut()
            .retain(|(i, _, _)| *i != id);
    }
    /// Removes the playground from the page.
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.shared.listeners.borrow_mut().clear();
    }
}

/// Mounts a playground into `element`. Options (all optional): `nodes` (3, 5, 7),
/// `scene` (a tour scene id), `seed`, `lang` (`"en"`, `"fr"`), `embed` (boolean),
/// `speed` (0.001 to 1), `autoplay` (boolean), `bubbles` (boolean). A wrong option
/// throws an error that names it.
#[wasm_bindgen]
pub fn mount(element: web_sys::Element, options: JsValue) -> Result<Playground, JsError> {
    let (params, bubbles) = parse_options(&options).map_err(js_err)?;
    let lang = language(&params);
    let mut engine = Engine::new(
        &params,
        Vec::new(),
        &lang,
        browser::reduced_motion(),
        browser::random_seed,
    );
    if let Some(b) = bubbles {
        engine.bubbles_on = b && !engine.reduced_motion;
    }
    let shared = Shared::new(engine, Some(element.clone()));
    let app = yew::Renderer::<crate::view::App>::with_root_and_props(
        element,
        crate::view::AppProps {
            shared: shared.clone(),
        },
    )
    .render();
    Ok(Playground {
        shared,
        app: Some(app),
    })
}

/// In an iframe: answers `postMessage` commands from the parent page
/// (`{type: "raft-playground", command: "stop", args: [3], id: 1}`) with
/// `{type: "raft-playground", reply: 1, ok: true, result}`, and forwards events as
/// `{type: "raft-playground", event: {...}}`.
pub fn listen_to_parent(
    shared: Rc<Shared>,
) -> Option<wasm_bindgen::closure::Closure<dyn FnMut(web_sys::MessageEvent)>> {
    let w = web_sys::window()?;
    let parent = w.parent().ok().flatten()?;
    if js_sys::Object::is(&parent, &w) {
        return None;
    }
    let handler = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
        move |ev: web_sys::MessageEvent| {
            let data = ev.data();
            let get =
                |k: &str| js_sys::Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
            if !data.is_object() || get("type").as_string().as_deref() != Some("raft-playground") {
                return;
            }
            let Some(name) = get("command").as_string() else {
                return;
            };
            let raw_args = get("args");
            let args: Vec<JsValue> = if js_sys::Array::is_array(&raw_args) {
                js_sys::Array::from(&raw_args).iter().collect()
            } else {
                Vec::new()
            };
            let reply = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&reply, &"type".into(), &"raft-playground".into());
            let _ = js_sys::Reflect::set(&reply, &"reply".into(), &get("id"));
            match command(&shared, &name, &args) {
                Ok(result) => {
                    let _ = js_sys::Reflect::set(&reply, &"ok".into(), &true.into());
                    let _ = js_sys::Reflect::set(&reply, &"result".into(), &result);
                }
                Err(e) => {
                    let _ = js_sys::Reflect::set(&reply, &"ok".into(), &false.into());
                    let _ = js_sys::Reflect::set(&reply, &"error".into(), &e.into());
                }
            }
            post_to_parent(&reply.into());
        },
    );
    w.add_event_listener_with_callback("message", handler.as_ref().unchecked_ref())
        .ok()?;
    Some(handler)
}

/// Browser benchmark of time travel (`web/bench/timeline-bench.mjs`): a timeline at
/// the playground's default settings (5 servers, checkpoints every 5 s, 1 s of
/// drawn history) run for `hours` of simulated time, then `seeks` seeks to
/// pseudo-random moments. Returns the growth of the wasm memory and each seek's
/// duration in ms. Only in builds with the `bench` feature, which the benchmark
/// makes for itself.
#[cfg(feature = "bench")]
#[wasm_bindgen]
pub fn bench_timeline(hours: f64, seeks: u32) -> Result<JsValue, JsError> {
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
    let sim = raft_sim::Simulation::new(raft_sim::SimConfig::default(), 1)
        .map_err(|e| JsError::new(&e.to_string()))?;
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
    to_js(&Bench {
        simulated_ms: end as f64 / 1000.0,
        checkpoints: t.checkpoints(),
        memory_before: before,
        memory_after: memory(),
        run_ms,
        seek_ms,
    })
    .map_err(|e| JsError::new(&e.to_string()))
}
