//! The control bar: play, step, speed, seed, servers, network, split and timers.

use super::widgets::{Button, Choice, Slider};
use crate::engine::{Engine, LATENCIES, LOSSES, Msg, SPEEDS};
use crate::i18n::{self, Texts};
use crate::params::NODE_CHOICES;
use crate::shortcuts::Command;
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn speed_label(s: f64, real: &str) -> String {
    if s >= 1.0 {
        real.to_string()
    } else {
        format!("1/{}", (1.0 / s).round() as u64)
    }
}

/// What the control bar shows.
#[derive(Clone, PartialEq)]
pub struct ControlsView {
    texts: Texts,
    playing: bool,
    speed: f64,
    speed_i: usize,
    latency_ms: u64,
    loss_pct: u32,
    splitting: bool,
    seed: u64,
    nodes: usize,
    bubbles_on: bool,
    embed: bool,
}

/// The control bar's view of the engine.
pub fn view(e: &Engine) -> ControlsView {
    ControlsView {
        texts: e.texts.clone(),
        playing: e.playing,
        speed: e.speed,
        speed_i: e.speed_index(),
        latency_ms: e.latency_ms,
        loss_pct: e.loss_pct,
        splitting: e.split.is_some(),
        seed: e.seed,
        nodes: e.sim().len(),
        bubbles_on: e.bubbles_on,
        embed: e.embed,
    }
}

/// Props of [`Controls`].
#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    /// What it shows.
    pub view: ControlsView,
    /// Where clicks go.
    pub send: Callback<Msg>,
}

/// The control bar.
#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    let e = &props.view;
    let send = &props.send;
    let t = &e.texts;
    let speed_i = e.speed_i;
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
            if let Some(input) = seed_ref.cast::<HtmlInputElement>() {
                match input.value().trim().parse::<u64>() {
                    Ok(seed) => send.emit(Msg::Reset(Some(seed))),
                    Err(_) => send.emit(Msg::BadSeed),
                }
            }
        })
    };
    let latency_i = LATENCIES
        .iter()
        .position(|&l| l == e.latency_ms)
        .unwrap_or(0);
    let loss_i = LOSSES.iter().position(|&l| l == e.loss_pct).unwrap_or(0);
    let splitting = e.splitting;
    let rest = html! { <>
            <div class="group">
                { Button::new("split", t.get(if splitting { "cancel" } else { "split" }), Msg::SplitMode)
                    .shortcut(Command::Split, t).pressed(splitting).view(send) }
                if splitting {
                    { Button::new("apply-split", t.get("apply_split"), Msg::ApplySplit).shortcut(Command::ApplySplit, t).primary().view(send) }
                }
                { Button::new("heal", t.get("heal"), Msg::Heal).shortcut(Command::Heal, t).view(send) }
                { Button::new("align", t.get("align"), Msg::Align).shortcut(Command::Align, t).title(t.get("align_hint")).view(send) }
                { Button::new("spread", t.get("spread"), Msg::Spread).shortcut(Command::Spread, t).title(t.get("spread_hint")).view(send) }
            </div>
            <div class="group">
                { Slider {
                    control: "latency",
                    label: t.get("latency"),
                    max: LATENCIES.len() - 1,
                    value: latency_i,
                    text: format!("{}–{}\u{a0}ms", e.latency_ms / 2, e.latency_ms),
                    msg: |i| Msg::SetLatency(LATENCIES[i.min(LATENCIES.len() - 1)]),
                }.view(send) }
                { Slider {
                    control: "loss",
                    label: t.get("loss"),
                    max: LOSSES.len() - 1,
                    value: loss_i,
                    text: t.fill("percent", &[("n", &e.loss_pct.to_string())]),
                    msg: |i| Msg::SetLoss(LOSSES[i.min(LOSSES.len() - 1)]),
                }.view(send) }
                { Choice {
                    control: "nodes",
                    label: t.get("servers"),
                    hidden_label: false,
                    options: NODE_CHOICES.iter().map(|k| (k.to_string(), k.to_string())).collect(),
                    selected: e.nodes.to_string(),
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
                { Button::new("new-seed", t.get("new_seed"), Msg::Reset(None)).shortcut(Command::NewSeed, t).view(send) }
                { Button::new("bubbles", t.get("bubbles"), Msg::ToggleBubbles).shortcut(Command::Bubbles, t).pressed(e.bubbles_on).view(send) }
                { Choice {
                    control: "lang",
                    label: t.get("language"),
                    hidden_label: false,
                    options: i18n::codes().into_iter().map(|c| (c.to_string(), i18n::name(c))).collect(),
                    selected: t.code().to_string(),
                    msg: Msg::SetLang,
                }.view(send, "") }
                { Button::new("help", "?".into(), Msg::ToggleHelp).quiet_shortcut(Command::Help).aria_label(t.get("help")).view(send) }
            </div>
    </> };
    html! {
        <div class="controls" role="toolbar" aria-label={t.get("controls")}>
            <div class="group">
                { Button::new("play", t.get(if e.playing { "pause" } else { "play" }), Msg::TogglePlay)
                    .shortcut(Command::Play, t).primary().view(send) }
                { Button::new("step", t.get("step"), Msg::Step).shortcut(Command::Step, t).title(t.get("step_hint")).view(send) }
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
                    <div class="more-panel">{ rest }</div>
                </details>
            } else {
                { rest }
            }
        </div>
    }
}
