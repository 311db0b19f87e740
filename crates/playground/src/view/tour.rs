//! The guided tour's narration and navigation, above the ring.

use super::widgets::{Button, Choice};
use crate::engine::{Engine, Msg};
use crate::guide::SceneState;
use crate::i18n::Texts;
use crate::shortcuts::Command;
use yew::prelude::*;

/// What the tour panel shows.
#[derive(Clone, PartialEq)]
pub struct TourView {
    texts: Texts,
    /// False once the user plays freely (the panel offers the way back).
    active: bool,
    scene: usize,
    scene_ids: Vec<String>,
    /// The caption, its names filled in.
    caption: String,
    /// Its key in the language files.
    caption_key: String,
    state: SceneState,
    /// The title key of the chapter the scene belongs to, after the slides' own.
    chapter: Option<String>,
    /// The question on screen (predict, then reveal) and the score.
    #[cfg(feature = "exercises")]
    question: Option<super::quiz::QuestionView>,
    #[cfg(feature = "exercises")]
    score: Option<String>,
}

/// The tour panel's view of the engine (`None` outside the tour).
pub fn view(e: &Engine) -> Option<TourView> {
    let g = e.guide.as_ref()?;
    let caption = g.caption(&e.texts).unwrap_or_default();
    let caption_key = g.caption_key().unwrap_or_default().to_string();
    Some(TourView {
        texts: e.texts.clone(),
        active: g.active,
        scene: g.number(),
        scene_ids: e.scene_ids.clone(),
        caption,
        caption_key,
        state: g.state(),
        chapter: g.tour.scenes[..=g.scene.min(g.tour.scenes.len().saturating_sub(1))]
            .iter()
            .rev()
            .find_map(|s| s.chapter.clone()),
        #[cfg(feature = "exercises")]
        question: super::quiz::view(e, g),
        #[cfg(feature = "exercises")]
        score: super::quiz::score(e),
    })
}

/// Props of [`TourPanel`].
#[derive(Properties, PartialEq)]
pub struct TourProps {
    /// What it shows (`None`: no tour).
    pub view: Option<TourView>,
    /// Where clicks go.
    pub send: Callback<Msg>,
}

/// The narration panel (in the tour), or the way back to it (after "let me play").
#[component]
pub fn TourPanel(props: &TourProps) -> Html {
    let send = &props.send;
    let Some(v) = &props.view else {
        return html! {};
    };
    let t = &v.texts;
    if !v.active {
        return html! {
            <section class="tour left" aria-label={t.get("tour_label")}>
                <p>{ t.get("tour_left") }</p>
                { Button::new("tour-return", t.get("tour_return"), Msg::TourReturn).primary().view(send) }
            </section>
        };
    }
    let k = v.scene;
    let total = v.scene_ids.len();
    let id = v.scene_ids.get(k).cloned().unwrap_or_default();
    let title = t.get(&format!("scene_{id}"));
    let state = &v.state;
    html! {
        <section class="tour" aria-label={t.get("tour_label")} data-scene={id.clone()}
            data-scene-state={state.name()}>
            <div class="tour-head">
                if let Some(c) = &v.chapter {
                    <span class="chapter" data-chapter={c.clone()}>{ t.get(c) }</span>
                }
                <span class="count">{ t.fill("tour_scene_of", &[("n", &(k + 1).to_string()), ("total", &total.to_string())]) }</span>
                <h2>{ title }</h2>
                if *state == SceneState::Reached {
                    <span class="reached" data-checkpoint="reached">{ "✓ " }{ t.get("tour_reached") }</span>
                }
                { score(v) }
            </div>
            <p class="narration" aria-live="polite" data-narration="" data-caption={v.caption_key.clone()}>{ v.caption.clone() }</p>
            if let SceneState::Failed(why) = state {
                <p class="feedback error">{ t.fill("tour_failed", &[("why", why)]) }</p>
            }
            { question(v, send) }
            <nav class="tour-nav" aria-label={t.get("tour_scenes")}>
                { Button::new("tour-back", t.get("tour_back"), Msg::TourBack).icon("◀", false)
                    .quiet_shortcut(Command::PrevScene).disabled(k == 0).view(send) }
                { Button::new("tour-replay", t.get("tour_replay"), Msg::TourReplay).icon("↺", false).view(send) }
                { Button::new("tour-next", t.get("tour_next"), Msg::TourNext).icon("▶", true)
                    .quiet_shortcut(Command::NextScene).primary().disabled(k + 1 >= total).view(send) }
                { Choice {
                    control: "scene",
                    label: t.get("tour_scenes"),
                    hidden_label: true,
                    options: v.scene_ids.iter().enumerate().map(|(i, sid)| {
                        (i.to_string(), format!("{}. {}", i + 1, t.get(&format!("scene_{sid}"))))
                    }).collect(),
                    selected: k.to_string(),
                    msg: |v| Msg::TourGo(v.parse().unwrap_or(0)),
                }.view(send, "scene-pick") }
                { Button::new("tour-leave", t.get("tour_leave"), Msg::TourLeave).view(send) }
            </nav>
        </section>
    }
}

#[cfg(feature = "exercises")]
fn score(v: &TourView) -> Html {
    html! {
        <>
            <style>{ super::quiz::STYLE }</style>
            if let Some(s) = &v.score { <span class="score" data-score="">{ s.clone() }</span> }
        </>
    }
}

#[cfg(feature = "exercises")]
fn question(v: &TourView, send: &Callback<Msg>) -> Html {
    v.question.as_ref().map_or(html! {}, |q| q.view(send))
}

#[cfg(not(feature = "exercises"))]
fn score(_: &TourView) -> Html {
    html! {}
}

#[cfg(not(feature = "exercises"))]
fn question(_: &TourView, _: &Callback<Msg>) -> Html {
    html! {}
}
