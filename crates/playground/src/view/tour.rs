//! The guided tour's narration and navigation, above the ring.

use super::Props;
use super::widgets::{Button, Choice};
use crate::engine::Msg;
use crate::guide::SceneState;
use yew::prelude::*;

/// The narration panel (in the tour), or the way back to it (after "let me play").
#[component]
pub fn TourPanel(props: &Props) -> Html {
    let e = props.ctx.engine.borrow();
    let send = &props.ctx.send;
    let t = &e.texts;
    let Some(g) = &e.guide else {
        return html! {};
    };
    if !g.active {
        return html! {
            <section class="tour left" aria-label={t.get("tour_label")}>
                <p>{ t.get("tour_left") }</p>
                { Button::new("tour-return", t.get("tour_return"), Msg::TourReturn).primary().view(send) }
            </section>
        };
    }
    let k = g.scene;
    let total = g.len();
    let id = g.scene_id().to_string();
    let title = t.get(&format!("scene_{id}"));
    let (caption, names) = g.caption();
    let names: Vec<(&str, &str)> = names
        .iter()
        .map(|(n, s)| (n.as_str(), s.as_str()))
        .collect();
    let text = caption
        .map(|key| crate::i18n::fill_in(&t.get(&key), &names))
        .unwrap_or_default();
    let state = g.state();
    html! {
        <section class="tour" aria-label={t.get("tour_label")} data-scene={id.clone()}
            data-scene-state={state.name()}>
            <div class="tour-head">
                <span class="count">{ t.fill("tour_scene_of", &[("n", &(k + 1).to_string()), ("total", &total.to_string())]) }</span>
                <h2>{ title }</h2>
                if state == SceneState::Reached {
                    <span class="reached" data-checkpoint="reached">{ "✓ " }{ t.get("tour_reached") }</span>
                }
            </div>
            <p class="narration" aria-live="polite" data-narration="">{ text }</p>
            if let SceneState::Failed(why) = &state {
                <p class="feedback error">{ t.fill("tour_failed", &[("why", why)]) }</p>
            }
            <nav class="tour-nav" aria-label={t.get("tour_scenes")}>
                { Button::new("tour-back", format!("◀ {}", t.get("tour_back")), Msg::TourBack)
                    .shortcut("ArrowLeft").disabled(k == 0).view(send) }
                { Button::new("tour-replay", format!("↺ {}", t.get("tour_replay")), Msg::TourReplay).view(send) }
                { Button::new("tour-next", format!("{} ▶", t.get("tour_next")), Msg::TourNext)
                    .shortcut("ArrowRight").primary().disabled(k + 1 >= total).view(send) }
                { Choice {
                    control: "scene",
                    label: t.get("tour_scenes"),
                    hidden_label: true,
                    options: e.scene_ids.iter().enumerate().map(|(i, sid)| {
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
