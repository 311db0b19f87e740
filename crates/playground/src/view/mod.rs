//! The components. They only draw the engine's state and send [`Msg`]s.

mod controls;
mod diagram;
mod logs;
mod panels;
mod ring;
mod safety;
mod timeline;
mod tour;
mod widgets;

use crate::api::Shared;
use crate::browser::{self, Animation, KeyListener};
use crate::engine::{Engine, Msg};
use crate::i18n;
use crate::params;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What every component receives: the engine, the frame it is drawing, and where
/// to send the user's intents.
#[derive(Clone)]
pub struct Ctx {
    /// The page's state.
    pub engine: Rc<RefCell<Engine>>,
    /// Changes whenever something must be redrawn.
    pub frame: u64,
    /// Where clicks go.
    pub send: Callback<Msg>,
}

impl Ctx {
    /// The same context, redrawn only when `version` changes (for the parts of the
    /// page that do not move at every frame).
    pub(crate) fn at(&self, version: u64) -> Ctx {
        Ctx {
            frame: version,
            ..self.clone()
        }
    }
}

/// A class attribute from its parts, empty ones left out: a plain string, cheaper
/// than yew's `classes!` (which hashes every class) on what is redrawn at every frame.
pub(crate) fn class(parts: &[&str]) -> String {
    let mut s = String::new();
    for p in parts.iter().filter(|p| !p.is_empty()) {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(p);
    }
    s
}

/// `name` when `on`, else nothing (a part for [`class`]).
pub(crate) fn when(on: bool, name: &str) -> &str {
    if on { name } else { "" }
}

/// A cheap fingerprint of what a component draws.
fn version(parts: impl IntoIterator<Item = u64>) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    for p in parts {
        h.write_u64(p);
    }
    h.finish()
}

fn str_hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// What the log table shows: every server's log, commit, role and value, and the
/// leader's progress.
fn logs_version(e: &Engine) -> u64 {
    let sim = e.sim();
    let mut parts = vec![str_hash(e.texts.code()), e.embed as u64];
    for s in sim.servers() {
        let n = &s.node;
        parts.extend([
            s.alive as u64,
            n.role() as u64,
            n.term(),
            n.commit_index(),
            n.log().last_index(),
            n.log().last_term(),
            s.register.value as u64,
        ]);
        // A truncated and rewritten log keeps its length: the terms tell.
        parts.extend(n.log().entries().iter().rev().take(12).map(|en| en.term));
        parts.extend(
            n.progress()
                .iter()
                .flat_map(|p| [p.next_index, p.match_index]),
        );
    }
    version(parts)
}

impl PartialEq for Ctx {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.engine, &other.engine) && self.frame == other.frame
    }
}

/// Properties of every component: just the context.
#[derive(Properties, PartialEq, Clone)]
pub struct Props {
    /// The context.
    pub ctx: Ctx,
}

/// The App's only property: the state it shares with the JavaScript API.
#[derive(Properties, Clone)]
pub struct AppProps {
    /// Engine, redraw hook and listeners.
    pub shared: Rc<Shared>,
}

impl PartialEq for AppProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.shared, &other.shared)
    }
}

/// The engine of the stand-alone page, from the address's parameters.
pub fn engine_from_url() -> Engine {
    let langs = i18n::codes();
    let scenes = crate::json::scene_ids();
    let scene_refs: Vec<&str> = scenes.iter().map(String::as_str).collect();
    let (params, notices) = params::parse(&browser::query_pairs(), &langs, &scene_refs);
    let lang = crate::api::language(&params);
    Engine::new(
        &params,
        notices,
        &lang,
        browser::reduced_motion(),
        browser::random_seed,
    )
}

/// Maps a key press to an intent. Keys typed into a field are left alone, and Space
/// or Enter on a focused button or link press that button.
fn key_to_msg(e: &web_sys::KeyboardEvent, engine: &Engine) -> Option<Msg> {
    let key = e.key();
    let tag = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|el| el.tag_name().to_ascii_lowercase())
        .unwrap_or_default();
    let typing = matches!(tag.as_str(), "input" | "select" | "textarea");
    if key == "Escape" {
        return Some(Msg::Escape);
    }
    if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
        return None;
    }
    let on_control = matches!(tag.as_str(), "button" | "a" | "summary")
        || e.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| el.get_attribute("role").as_deref() == Some("button"));
    if on_control && (key == " " || key == "Enter") {
        return None;
    }
    let selected = engine.selected;
    Some(match key.as_str() {
        " " => Msg::TogglePlay,
        "." => Msg::Step,
        "+" | "=" => Msg::Faster,
        "-" | "_" => Msg::Slower,
        "r" => Msg::Reset(None),
        "p" => Msg::ToggleSplit,
        "Enter" if engine.split.is_some() => Msg::ApplySplit,
        "h" => Msg::Heal,
        "," => Msg::StepBack,
        "a" => Msg::Align,
        "s" => Msg::Spread,
        "b" => Msg::ToggleBubbles,
        "?" => Msg::ToggleHelp,
        "ArrowRight" if engine.in_tour() => Msg::TourNext,
        "ArrowLeft" if engine.in_tour() => Msg::TourBack,
        "k" => {
            let id = selected?;
            let alive = engine.sim().server(id).is_some_and(|s| s.alive);
            if alive {
                Msg::Crash(id)
            } else {
                Msg::Restart(id)
            }
        }
        "t" => Msg::Timeout(selected?),
        k if k.len() == 1 => {
            let d: u32 = k.parse().ok()?;
            if d >= 1 && d as usize <= engine.sim().len() {
                Msg::Select(Some(d))
            } else {
                return None;
            }
        }
        _ => return None,
    })
}

/// The whole playground.
#[component]
pub fn App(props: &AppProps) -> Html {
    let shared = props.shared.clone();
    let engine = shared.engine.clone();
    let redraw = use_force_update();
    {
        let redraw = redraw.clone();
        shared.set_redraw(Rc::new(move || redraw.force_update()));
    }
    let send = {
        let shared = shared.clone();
        Callback::from(move |msg: Msg| {
            // Errors are shown in the page by the engine itself.
            let _ = shared.dispatch(msg);
        })
    };

    {
        let send = send.clone();
        let engine = engine.clone();
        let scope = shared.key_scope.clone();
        use_effect_with((), move |_| {
            let frames = Animation::start({
                let send = send.clone();
                move |t| send.emit(Msg::Frame(t))
            });
            let keys = KeyListener::start(scope, move |e: web_sys::KeyboardEvent| {
                let msg = key_to_msg(&e, &engine.borrow());
                if let Some(msg) = msg {
                    e.prevent_default();
                    send.emit(msg);
                }
            });
            move || {
                drop(frames);
                drop(keys);
            }
        });
    }

    // After each render: the frame that caused it is measured to here.
    use_effect(browser::frame_rendered);

    // The URL names the tour's scene, so that a link opens the class on that step.
    let scene_in_url = {
        let e = engine.borrow();
        e.guide
            .as_ref()
            .filter(|g| g.active)
            .map(|g| g.scene_id().to_string())
    };
    use_effect_with(scene_in_url, |scene| {
        browser::set_scene_in_url(scene.as_deref())
    });

    let e = engine.borrow();
    browser::remember(e.seed, &e.texts.get("panic"));
    let ctx = Ctx {
        engine: engine.clone(),
        frame: e.frame,
        send: send.clone(),
    };
    let t = &e.texts;
    let lang = t.code();
    let lang_v = str_hash(lang);
    let logs_v = logs_version(&e);
    let controls_v = version([
        lang_v,
        e.playing as u64,
        e.speed.to_bits(),
        e.latency_ms,
        e.loss_pct as u64,
        e.split.is_some() as u64,
        e.seed,
        e.sim().len() as u64,
        e.bubbles_on as u64,
        e.embed as u64,
    ]);
    let safety_v = version([
        lang_v,
        e.sim().violations().len() as u64,
        e.property.map_or(99, |p| p as u64),
        if e.property.is_some() { logs_v } else { 0 },
        e.sim().checker().leaders().len() as u64,
        e.sim().leaders().len() as u64,
    ]);
    let menu_v = version([
        lang_v,
        e.selected.map_or(0, |id| id as u64 + 1),
        e.selected.and_then(|id| e.sim().server(id)).map_or(0, |s| {
            version([s.alive as u64, s.node.role() as u64, s.node.term()])
        }),
    ]);
    let tour_v = e.guide.as_ref().map_or(0, |g| {
        let (caption, names) = g.caption();
        version([
            lang_v,
            g.scene as u64,
            g.active as u64,
            str_hash(g.state().name()),
            str_hash(&caption.unwrap_or_default()),
            names.len() as u64,
        ])
    });
    let main_class = class(&["app", when(e.embed, "embed"), when(e.in_tour(), "touring")]);
    html! {
        <main class={main_class} lang={lang} data-sim-time={e.sim().now().to_string()} data-seed={e.seed.to_string()}
            data-playing={e.playing.to_string()}>
            if !e.embed {
                <header class="top">
                    <h1>{ t.get("title") }</h1>
                    <p class="subtitle">{ t.get("subtitle") }</p>
                    if e.guide.is_none() && !e.scene_ids.is_empty() {
                        { widgets::Button::new("tour-start", t.get("tour"), Msg::TourGo(0)).primary().view(&send) }
                    }
                </header>
            }
            { panels::notices(&e, &send) }
            <tour::TourPanel ctx={ctx.at(tour_v)} />
            <div class="stage">
                <div class="ring-wrap">
                    { ring::ring(&ctx) }
                    <panels::ServerMenu ctx={ctx.at(menu_v)} />
                    { panels::status(&e) }
                </div>
                <div class="side">
                    <logs::Logs ctx={ctx.at(logs_v)} />
                    if !e.embed { <panels::Legend ctx={ctx.at(lang_v)} /> }
                </div>
            </div>
            <controls::Controls ctx={ctx.at(controls_v)} />
            if !e.embed {
                { timeline::bar(&ctx, version([
                    lang_v,
                    e.timeline.can_undo() as u64,
                    (e.timeline.now() < e.timeline.head()) as u64,
                ])) }
                <div class="panels">
                    { diagram::diagram(&ctx) }
                    <safety::Safety ctx={ctx.at(safety_v)} />
                </div>
            }
            { panels::help(&e, &send) }
        </main>
    }
}
