//! The control bar: play, step, speed, seed, servers, network, split and timers.

use super::Props;
use super::widgets::{Button, Choice, Slider};
use crate::engine::{LATENCIES, LOSSES, Msg, SPEEDS};
use crate::i18n;
use crate::params::NODE_CHOICES;
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn speed_label(s: f64, real: &str) -> String {
    if s >= 1.0 {
        real.to_string()
    } else {
        format!("1/{}", (1.0 / s).round() as u64)
    }
}

/// The control bar.
#[component]
pub fn Controls(props: &Props) -> Html {
    let e = props.ctx.engine.borrow();
    let send = &props.ctx.send;
    let t = &e.texts;
    let speed_i = e.speed_index();
    let seed_ref = use_node_ref();
    // The seed field shows the current seed, but only changes when the seed does, so
    // that typing a new one is not undone by the next frame.
    {
        let seed_ref = seed_ref.clone();
        use_effect_with(e.seed, move |seed| {
            if let Some(i) = seed_ref.cast::<HtmlInputElement>() {
                i.set_value(&seed.to_string());
            }
        });
    }
    let on_seed = {
        let send = send.clone();
        let seed_ref = seed_ref.clone();
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            if let Some(input) = seed_ref.cast::<HtmlInputElement>()
                && let Ok(seed) = input.value().trim().parse::<u64>()
            {
                send.emit(Msg::Reset(Some(seed)));
            }
        })
    };
    let latency_i = LATENCIES
        .iter()
        .position(|&l| l == e.latency_ms)
        .unwrap_or(0);
    let loss_i = LOSSES.iter().position(|&l| l == e.loss_pct).unwrap_or(0);
    let splitting = e.split.is_some();
    let rest = html! { <>
            <div class="group">
                { Button::new("split", t.get(if splitting { "cancel" } else { "split" }), Msg::ToggleSplit)
                    .key("p").pressed(splitting).view(send) }
                if splitting {
                    { Button::new("apply-split", t.get("apply_split"), Msg::ApplySplit).key("Enter").primary().view(send) }
                }
                { Button::new("heal", t.get("heal"), Msg::Heal).key("h").view(send) }
                { Button::new("align", t.get("align"), Msg::Align).key("a").title(t.get("align_hint")).view(send) }
                { Button::new("spread", t.get("spread"), Msg::Spread).key("s").title(t.get("spread_hint")).view(send) }
            </div>
            <div class="group">
                { Slider {
                    control: "latency",
                    label: t.get("latency"),
                    max: LATENCIES.len() - 1,
                    value: latency_i,
                    text: format!("{}–{} ms", e.latency_ms / 2, e.latency_ms),
                    msg: |i| Msg::SetLatency(LATENCIES[i.min(LATENCIES.len() - 1)]),
                }.view(send) }
                { Slider {
                    control: "loss",
                    label: t.get("loss"),
                    max: LOSSES.len() - 1,
                    value: loss_i,
                    text: format!("{} %", e.loss_pct),
                    msg: |i| Msg::SetLoss(LOSSES[i.min(LOSSES.len() - 1)]),
                }.view(send) }
                { Choice {
                    control: "nodes",
                    label: t.get("servers"),
                    hidden_label: false,
                    options: NODE_CHOICES.iter().map(|k| (k.to_string(), k.to_string())).collect(),
                    selected: e.sim().len().to_string(),
                    msg: |v| Msg::SetNodes(v.parse().unwrap_or(5)),
                }.view(send, "") }
            </div>
            <div class="group">
                <form class="seed" onsubmit={on_seed}>
                    <label>
                        <span>{ t.get("seed") }</span>
                        <input ref={seed_ref} type="text" inputmode="numeric" size="8"
                            data-control="seed" />
                    </label>
                    <button type="submit" data-action="reset">{ t.get("reset") }</button>
                </form>
                { Button::new("new-seed", t.get("new_seed"), Msg::Reset(None)).key("r").view(send) }
                { Button::new("bubbles", t.get("bubbles"), Msg::ToggleBubbles).key("b").pressed(e.bubbles_on).view(send) }
                { Choice {
                    control: "lang",
                    label: t.get("language"),
                    hidden_label: false,
                    options: i18n::codes().into_iter().map(|c| (c.to_string(), i18n::name(c))).collect(),
                    selected: t.code().to_string(),
                    msg: Msg::SetLang,
                }.view(send, "") }
                { Button::new("help", "?".into(), Msg::ToggleHelp).shortcut("?").aria_label(t.get("help")).view(send) }
            </div>
    </> };
    html! {
        <div class="controls" role="toolbar" aria-label="controls">
            <div class="group">
                { Button::new("play", t.get(if e.playing { "pause" } else { "play" }), Msg::TogglePlay)
                    .key("Space").primary().view(send) }
                { Button::new("step", t.get("step"), Msg::Step).key(".").title(t.get("step_hint")).view(send) }
                { Slider {
                    control: "speed",
                    label: t.get("speed"),
                    max: SPEEDS.len() - 1,
                    // The slider runs from slowest (left) to fastest (right).
                    value: SPEEDS.len() - 1 - speed_i,
                    text: speed_label(e.speed, &t.get("speed_real")),
                    msg: |i| Msg::SetSpeed(SPEEDS.len() - 1 - i.min(SPEEDS.len() - 1)),
                }.view(send) }
            </div>
            if e.embed {
                <details class="more">
                    <summary>{ t.get("more") }</summary>
                    { rest }
                </details>
            } else {
                { rest }
            }
        </div>
    }
}
