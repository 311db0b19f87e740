//! The control bar: play, step, speed, seed, servers, network, split and timers.

use super::Props;
use crate::engine::{LATENCIES, LOSSES, Msg, SPEEDS};
use crate::i18n;
use crate::params::NODE_CHOICES;
use web_sys::{HtmlInputElement, HtmlSelectElement};
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
    let on_speed = send.reform(|ev: InputEvent| {
        let v = ev.target_unchecked_into::<HtmlInputElement>().value();
        // The slider runs from slowest (left) to fastest (right).
        Msg::SetSpeed(SPEEDS.len() - 1 - v.parse::<usize>().unwrap_or(0).min(SPEEDS.len() - 1))
    });
    let on_latency = send.reform(|ev: InputEvent| {
        let v = ev.target_unchecked_into::<HtmlInputElement>().value();
        Msg::SetLatency(LATENCIES[v.parse::<usize>().unwrap_or(0).min(LATENCIES.len() - 1)])
    });
    let on_loss = send.reform(|ev: InputEvent| {
        let v = ev.target_unchecked_into::<HtmlInputElement>().value();
        Msg::SetLoss(LOSSES[v.parse::<usize>().unwrap_or(0).min(LOSSES.len() - 1)])
    });
    let on_nodes = send.reform(|ev: Event| {
        let v = ev.target_unchecked_into::<HtmlSelectElement>().value();
        Msg::SetNodes(v.parse().unwrap_or(5))
    });
    let on_lang = send
        .reform(|ev: Event| Msg::SetLang(ev.target_unchecked_into::<HtmlSelectElement>().value()));
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
                <button onclick={send.reform(|_| Msg::ToggleSplit)} aria-pressed={splitting.to_string()}
                    data-action="split" aria-keyshortcuts="p">
                    { if splitting { t.get("cancel") } else { t.get("split") } } <kbd>{ "p" }</kbd>
                </button>
                if splitting {
                    <button class="primary" onclick={send.reform(|_| Msg::ApplySplit)} data-action="apply-split">
                        { t.get("apply_split") } <kbd>{ "Enter" }</kbd>
                    </button>
                }
                <button onclick={send.reform(|_| Msg::Heal)} data-action="heal" aria-keyshortcuts="h">
                    { t.get("heal") } <kbd>{ "h" }</kbd>
                </button>
                <button onclick={send.reform(|_| Msg::Align)} data-action="align" title={t.get("align_hint")}
                    aria-keyshortcuts="a">
                    { t.get("align") } <kbd>{ "a" }</kbd>
                </button>
                <button onclick={send.reform(|_| Msg::Spread)} data-action="spread" title={t.get("spread_hint")}
                    aria-keyshortcuts="s">
                    { t.get("spread") } <kbd>{ "s" }</kbd>
                </button>
            </div>
            <div class="group">
                <label class="slider">
                    <span>{ t.get("latency") }</span>
                    <input type="range" min="0" max={(LATENCIES.len() - 1).to_string()} value={latency_i.to_string()}
                        oninput={on_latency} data-control="latency"
                        aria-valuetext={format!("{}–{} ms", e.latency_ms / 2, e.latency_ms)} />
                    <output>{ format!("{}–{} ms", e.latency_ms / 2, e.latency_ms) }</output>
                </label>
                <label class="slider">
                    <span>{ t.get("loss") }</span>
                    <input type="range" min="0" max={(LOSSES.len() - 1).to_string()} value={loss_i.to_string()}
                        oninput={on_loss} data-control="loss" aria-valuetext={format!("{} %", e.loss_pct)} />
                    <output>{ format!("{} %", e.loss_pct) }</output>
                </label>
                <label>
                    <span>{ t.get("servers") }</span>
                    <select onchange={on_nodes} data-control="nodes">
                        { for NODE_CHOICES.iter().map(|&k| html! {
                            <option value={k.to_string()} selected={k == e.sim().len()}>{ k }</option>
                        }) }
                    </select>
                </label>
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
                <button onclick={send.reform(|_| Msg::Reset(None))} data-action="new-seed" aria-keyshortcuts="r">
                    { t.get("new_seed") } <kbd>{ "r" }</kbd>
                </button>
                <button onclick={send.reform(|_| Msg::ToggleBubbles)} aria-pressed={e.bubbles_on.to_string()}
                    data-action="bubbles" aria-keyshortcuts="b">
                    { t.get("bubbles") } <kbd>{ "b" }</kbd>
                </button>
                <label>
                    <span>{ t.get("language") }</span>
                    <select onchange={on_lang} data-control="lang">
                        { for i18n::codes().into_iter().map(|c| html! {
                            <option value={c} selected={c == t.code()}>{ i18n::name(c) }</option>
                        }) }
                    </select>
                </label>
                <button onclick={send.reform(|_| Msg::ToggleHelp)} data-action="help" aria-keyshortcuts="?"
                    aria-label={t.get("help")}>
                    { "?" }
                </button>
            </div>
    </> };
    html! {
        <div class="controls" role="toolbar" aria-label="controls">
            <div class="group">
                <button class="primary" onclick={send.reform(|_| Msg::TogglePlay)} aria-keyshortcuts="Space"
                    data-action="play">
                    { if e.playing { t.get("pause") } else { t.get("play") } } <kbd>{ "Space" }</kbd>
                </button>
                <button onclick={send.reform(|_| Msg::Step)} aria-keyshortcuts="." data-action="step"
                    title={t.get("step_hint")}>
                    { t.get("step") } <kbd>{ "." }</kbd>
                </button>
                <label class="slider">
                    <span>{ t.get("speed") }</span>
                    <input type="range" min="0" max={(SPEEDS.len() - 1).to_string()}
                        value={(SPEEDS.len() - 1 - speed_i).to_string()} oninput={on_speed}
                        aria-valuetext={speed_label(e.speed, &t.get("speed_real"))} data-control="speed" />
                    <output>{ speed_label(e.speed, &t.get("speed_real")) }</output>
                </label>
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
