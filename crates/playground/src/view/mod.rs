//! The components. They draw what the engine holds and send [`Msg`]s; each part that
//! does not move at every frame is a component whose props compare equal when what it
//! draws has not changed, so that Yew leaves it alone.

mod below;
mod bugs;
mod controls;
mod diagram;
mod figure16;
mod logs;
mod options;
mod panels;
#[cfg(feature = "exercises")]
mod puzzle;
#[cfg(feature = "exercises")]
mod quiz;
mod ring;
mod safety;
mod shape;
mod side;
mod timeline;
mod tour;
mod widgets;

use crate::browser::{self, Animation};
use crate::engine::Msg;
use crate::shortcuts;
use crate::store::Store;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

pub use shape::Shape;

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

/// The App's only property: the store it shares with the JavaScript API.
#[derive(Properties, Clone)]
pub struct AppProps {
    /// Engine, redraw hook and listeners.
    pub store: Rc<Store>,
}

impl PartialEq for AppProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.store, &other.store)
    }
}

/// Mounts the playground into `root`.
pub fn mount(root: web_sys::Element, store: Rc<Store>) -> yew::AppHandle<App> {
    yew::Renderer::<App>::with_root_and_props(root, AppProps { store }).render()
}

/// Maps a key press to an intent. Keys typed into a field are left alone, and Space
/// or Enter on a focused button or link press that button.
fn key_to_msg(e: &web_sys::KeyboardEvent) -> Option<Msg> {
    let key = e.key();
    let target = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let tag = target
        .as_ref()
        .map(|el| el.tag_name().to_ascii_lowercase())
        .unwrap_or_default();
    let command = shortcuts::command_of(&key)?;
    if command == shortcuts::Command::Escape {
        return Some(Msg::Key(command, None));
    }
    let typing = matches!(tag.as_str(), "input" | "select" | "textarea");
    if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
        return None;
    }
    let on_control = matches!(tag.as_str(), "button" | "a" | "summary")
        || target.is_some_and(|el| el.get_attribute("role").as_deref() == Some("button"));
    if on_control && (key == " " || key == "Enter") {
        return None;
    }
    Some(Msg::Key(command, key.parse().ok()))
}

/// What only the page with everything draws above the ring: its style, the puzzle
/// panel (or the puzzles bar) and the compaction threshold.
#[cfg(feature = "full")]
fn full_page(
    e: &crate::engine::Engine,
    send: &Callback<Msg>,
    engine: &Rc<std::cell::RefCell<crate::engine::Engine>>,
    list: Rc<Vec<(String, u8, String)>>,
) -> Html {
    let bar = !e.embed && !e.in_tour();
    // The puzzles bar and the compaction threshold share a row where there is room.
    html! {
        <div class="full-bars">
            <style>{ FULL_STYLE }</style>
            <puzzle::PuzzlePanel texts={e.texts.clone()} view={puzzle::view(e)} {list}
                {bar} engine={timeline::EngineRef(engine.clone())} send={send.clone()} />
            if bar { { compaction_control(e, send) } }
        </div>
    }
}

/// "Log compaction: off / past 3 entries…" (§7), in the page with everything.
#[cfg(feature = "full")]
fn compaction_control(e: &crate::engine::Engine, send: &Callback<Msg>) -> Html {
    use crate::engine::compaction::THRESHOLDS;
    use crate::engine::words::word;
    let t = &e.texts;
    let mut options = vec![("off".to_string(), word(t, "compaction_off").to_string())];
    options.extend(THRESHOLDS.iter().map(|n| {
        let words = crate::i18n::fill_in(word(t, "compaction_past"), &[("n", &n.to_string())]);
        (n.to_string(), words)
    }));
    html! {
        <div class="puzzle-bar compaction-bar">
            { widgets::Choice {
                control: "compaction",
                label: word(t, "compaction").into(),
                hidden_label: false,
                options,
                selected: e.compaction().map_or("off".into(), |n| n.to_string()),
                msg: |v| Msg::Compaction(v.parse().ok()),
            }.view(send, "compaction") }
        </div>
    }
}

/// The look of what only the page with everything draws on the ring and in the logs
/// (the style sheet is shared with the page for everyone): a learner's circle pale and
/// dotted, a removed server faded, a configuration entry framed, the old and new
/// voters' outlines while the configuration is joint.
#[cfg(feature = "full")]
const FULL_STYLE: &str = "\
.server.learner .body{fill-opacity:.45;stroke-dasharray:1.5 3;stroke-width:2.5}\
.server.removed{opacity:.3}\
.logs td.entry.config{outline:2px solid var(--accent);outline-offset:-5px}\
.logs td.entry.config .c{font-weight:700}\
.quorum{fill:none;stroke-linejoin:round;stroke-linecap:round;opacity:.14}\
.quorum.old{stroke:#0072B2}\
.quorum.new{stroke:#D55E00;opacity:.2}\
.compaction-bar label{display:flex;gap:.5rem;align-items:center}\
.full-bars{display:flex;flex-wrap:wrap;column-gap:2rem;align-items:center}\
.full-bars>.puzzle,.full-bars>.puzzle-bar:has(input[type=text]){flex-basis:100%}\
.logs td.snapshot{background:color-mix(in srgb,var(--muted) 25%,transparent);border:2px solid var(--muted);text-align:center;color:var(--muted)}";

#[cfg(not(feature = "full"))]
fn full_page(
    _: &crate::engine::Engine,
    _: &Callback<Msg>,
    _: &Rc<std::cell::RefCell<crate::engine::Engine>>,
) -> Html {
    html! {}
}

/// The whole playground.
#[component]
pub fn App(props: &AppProps) -> Html {
    let store = props.store.clone();
    let redraw = use_force_update();
    store.set_redraw(Rc::new(move || redraw.force_update()));
    // One callback for the life of the App, so that props holding it compare equal.
    let send = {
        let store = store.clone();
        use_memo((), move |_| {
            Callback::from(move |msg: Msg| {
                // Errors are shown in the page by the engine itself.
                let _ = store.dispatch(msg);
            })
        })
    };
    let send: Callback<Msg> = (*send).clone();

    {
        let send = send.clone();
        let scope = store.key_scope.clone();
        use_effect_with((), move |_| {
            let frames = Animation::start({
                let send = send.clone();
                move |t| send.emit(Msg::Frame(t))
            });
            let keys = browser::on_keys(scope, move |e: &web_sys::KeyboardEvent| {
                if let Some(msg) = key_to_msg(e) {
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

    let engine = store.engine.clone();
    let e = engine.borrow();
    #[cfg(feature = "full")]
    let puzzles = use_memo(e.texts.code(), |lang| puzzle::list(lang));
    // The URL names the tour's scene, so that a link opens the class on that step.
    // (Only for the page itself: a course page that mounts the playground keeps its
    // own address.)
    let scene_in_url = (
        store.key_scope.is_none(),
        e.guide
            .as_ref()
            .filter(|g| g.active)
            .map(|g| g.scene_id().to_string()),
    );
    use_effect_with(scene_in_url, |(page, scene)| {
        if *page {
            browser::set_scene_in_url(scene.as_deref());
        }
    });
    let lang = e.texts.code();
    // The stand-alone page (or a frame) speaks the interface's language; a course
    // page that mounts the playground keeps its own.
    let document = store
        .key_scope
        .is_none()
        .then(|| (lang, e.texts.get("title")));
    let first = use_mut_ref(|| true);
    use_effect_with(document, move |d| {
        if let Some((lang, title)) = d {
            browser::set_document_language(lang, title);
            // A language chosen in the page stays chosen on reload.
            if !std::mem::replace(&mut *first.borrow_mut(), false) {
                browser::set_url_param("lang", Some(lang));
            }
        }
    });
    // What a panic would say (in English until the language's texts are there).
    let panic_text = if e.texts.is_loaded() {
        e.texts.get("panic")
    } else {
        String::new()
    };
    browser::remember(e.seed, &panic_text);
    if !e.texts.is_loaded() {
        // Until the language's texts arrive (or cannot: then say why, in English, the
        // only language left).
        return html! {
            <main class="app loading" aria-busy="true">
                if let Some(why) = &e.texts_error {
                    <p class="load-error" role="alert">{ format!("The playground could not load its texts: {why}") }</p>
                }
            </main>
        };
    }
    let t = &e.texts;
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
            } else {
                <h1 class="sr-only">{ t.get("title") }</h1>
            }
            { panels::notices(&e, &send) }
            <tour::TourPanel view={tour::view(&e)} send={send.clone()} />
            { full_page(&e, &send, &engine, #[cfg(feature = "full")] puzzles) }
            <div class="stage">
                <div class="ring-wrap">
                    { ring::ring(&e, &send) }
                    <panels::ServerMenu view={panels::menu_view(&e)} send={send.clone()} />
                    { panels::status(&e) }
                    { bugs::banner(&e) }
                </div>
                <div class="side">
                    <logs::Logs table={logs::table(&e)} send={send.clone()} />
                    if !e.embed {
                        <side::Side texts={t.clone()} raft={e.sim().initial_config().raft.clone()} breaking={e.breaking} send={send.clone()} />
                    }
                </div>
            </div>
            <controls::Controls view={controls::view(&e)} send={send.clone()} />
            if !e.embed {
                { timeline::bar(&e, &send, engine.clone()) }
                <div class="panels">
                    { diagram::diagram(&e, &send) }
                    <below::Below safety={safety::view(&e)} figure16={figure16::view(&e)} send={send.clone()} />
                </div>
            }
            { panels::help(&e, &send) }
        </main>
    }
}
