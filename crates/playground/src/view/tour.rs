//! The guided tour's narration and navigation, above the ring.

use super::Props;
use crate::engine::Msg;
use crate::guide::SceneState;
use web_sys::HtmlSelectElement;
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
                <button class="primary" onclick={send.reform(|_| Msg::TourReturn)} data-action="tour-return">
                    { t.get("tour_return") }
                </button>
            </section>
        };
    }
    let k = g.scene;
    let total = g.len();
    let id = g.scene_id().to_string();
    let title = t.get(&format!("scene_{id}"));
    let (caption, names) = g.caption();
    let mut text = caption.map(|key| t.get(&key)).unwrap_or_default();
    for (name, server) in &names {
        text = text.replace(&format!("{{{name}}}"), server);
    }
    let state = g.state();
    let on_pick = send.reform(|ev: Event| {
        let v = ev.target_unchecked_into::<HtmlSelectElement>().value();
        Msg::TourGo(v.parse().unwrap_or(0))
    });
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
                <button onclick={send.reform(|_| Msg::TourBack)} disabled={k == 0} data-action="tour-back"
                    aria-keyshortcuts="ArrowLeft">{ "◀ " }{ t.get("tour_back") }</button>
                <button onclick={send.reform(|_| Msg::TourReplay)} data-action="tour-replay">
                    { "↺ " }{ t.get("tour_replay") }</button>
                <button class="primary" onclick={send.reform(|_| Msg::TourNext)} disabled={k + 1 >= total}
                    data-action="tour-next" aria-keyshortcuts="ArrowRight">{ t.get("tour_next") }{ " ▶" }</button>
                <label class="scene-pick">
                    <span class="sr-only">{ t.get("tour_scenes") }</span>
                    <select onchange={on_pick} data-control="scene">
                        { for e.scene_ids.iter().enumerate().map(|(i, sid)| html! {
                            <option value={i.to_string()} selected={i == k}>
                                { format!("{}. {}", i + 1, t.get(&format!("scene_{sid}"))) }
                            </option>
                        }) }
                    </select>
                </label>
                <button onclick={send.reform(|_| Msg::TourLeave)} data-action="tour-leave">{ t.get("tour_leave") }</button>
            </nav>
        </section>
    }
}
