//! The Figure 16 panel: the paper's election experiment run in the page, drawn as the
//! paper draws it (the cumulative share of trials with a new leader against the time
//! without one, log scale), a line per election timeout range, the paper's reported
//! figures marked; the latency and one range of the student's own to change.

use crate::engine::figure16::{F16, Figure16, LATENCIES, MAX_TIMEOUT, TRIALS};
use crate::engine::{Engine, Msg};
use crate::geometry::{bound, log10, num};
use crate::i18n::Texts;
use raft_sim::MILLIS;
use raft_sim::election::PAPER_REPORTED;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

const LEFT: f64 = 46.0;
const RIGHT: f64 = 470.0;
const TOP: f64 = 26.0;
const BOTTOM: f64 = 250.0;
/// The grid's times (ms), from 10 ms to the 10 s cap.
const GRID: [u64; 10] = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

/// The log scale: 10 ms to 10 s.
fn x(ms: f64) -> f64 {
    LEFT + (log10(bound(ms, 10.0, 10_000.0)) - 1.0) / 3.0 * (RIGHT - LEFT)
}

fn y(share: f64) -> f64 {
    BOTTOM - share * (BOTTOM - TOP)
}

/// What the panel shows.
#[derive(Clone, PartialEq)]
pub struct Figure16View {
    texts: Texts,
    f: Rc<Figure16>,
    open: bool,
}

/// The panel's view of the engine.
pub fn view(e: &Engine) -> Figure16View {
    Figure16View {
        texts: e.texts.clone(),
        f: e.figure16.clone(),
        open: e.figure16_open,
    }
}

/// The chart: the grid as one path, every label in one list, every line (the ranges,
/// their legend, the paper's diamonds) in another: each kind of element written in
/// `html!` weighs its own code.
fn chart(t: &Texts, f: &Figure16) -> Html {
    let ms = |us: u64| us as f64 / MILLIS as f64;
    let mut grid = String::new();
    // (x, y, text-anchor, text)
    let mut labels: Vec<(f64, f64, &str, String)> = Vec::new();
    for v in GRID {
        let gx = x(v as f64);
        grid += &format!("M{},{}V{}", num(gx), num(TOP), num(BOTTOM));
        let label = if v >= 1000 {
            format!("{} s", v / 1000)
        } else {
            v.to_string()
        };
        labels.push((gx, BOTTOM + 16.0, "middle", label));
    }
    for pct in [0u32, 50, 100] {
        let gy = y(f64::from(pct) / 100.0);
        grid += &format!("M{},{}H{}", num(LEFT), num(gy), num(RIGHT));
        labels.push((LEFT - 5.0, gy + 4.0, "end", format!("{pct}%")));
    }
    labels.push(((LEFT + RIGHT) / 2.0, 284.0, "middle", t.get("f16_x")));
    labels.push((LEFT - 30.0, 12.0, "start", t.get("f16_y")));
    let last = f.ranges.len().saturating_sub(1);
    // (class, path, range)
    let mut lines: Vec<(String, String, String)> = Vec::new();
    for (k, r) in f.ranges.iter().enumerate() {
        let mut d = String::new();
        for (i, (time, share)) in r.cdf().enumerate() {
            if i == 0 {
                d += &format!("M{},{}", num(x(ms(time))), num(y(0.0)));
            }
            d += &format!("H{}V{}", num(x(ms(time))), num(y(share)));
        }
        let class = format!("r{k}{}", if k == last { " mine" } else { "" });
        let range = format!("{}-{}", r.timeout.0, r.timeout.1);
        // The legend: a stroke of the line's colour, the range, the trials over 10 s.
        let ly = TOP + 6.0 + 20.0 * k as f64;
        lines.push((
            format!("key {class}"),
            format!("M492,{}h22", num(ly)),
            range.clone(),
        ));
        let mut label = format!("{}–{} ms", r.timeout.0, r.timeout.1);
        if r.unfinished > 0 {
            let n = r.unfinished.to_string();
            label += &format!(": {}", t.fill("f16_over", &[("n", &n)]));
        }
        labels.push((520.0, ly + 4.0, "start", label));
        lines.push((format!("cdf {class}"), d, range));
    }
    let mut marked = false;
    for &(range, at, share, _) in &PAPER_REPORTED {
        if let Some(k) = f.ranges[..last].iter().position(|r| r.timeout == range) {
            let d = format!("M{},{}l5,5l-5,5l-5,-5z", num(x(at)), num(y(share) - 5.0));
            lines.push((format!("paper r{k}"), d, format!("{}-{}", range.0, range.1)));
            marked = true;
        }
    }
    if marked {
        let ly = TOP + 6.0 + 20.0 * f.ranges.len() as f64;
        lines.push((
            "paper".into(),
            format!("M503,{}l5,5l-5,5l-5,-5z", num(ly - 5.0)),
            String::new(),
        ));
        labels.push((520.0, ly + 4.0, "start", t.get("f16_paper")));
    }
    html! {
        <svg class="chart" viewBox="0 0 720 290" role="img" aria-label={t.get("f16")}>
            <path class="grid" d={grid} />
            { for labels.into_iter().map(|(lx, ly, anchor, text)| html! {
                <text x={num(lx)} y={num(ly)} text-anchor={anchor}>{ text }</text>
            }) }
            { for lines.into_iter().map(|(class, d, range)| html! {
                <path class={class} d={d} data-range={range} />
            }) }
        </svg>
    }
}

/// The panel (drawn by [`super::below::Below`]).
pub fn panel(v: &Figure16View, send: &Callback<Msg>) -> Html {
    let (t, f) = (&v.texts, &v.f);
    let (total, done) = f.progress();
    let mine = f.ranges.last().map_or(250, |r| r.timeout.1);
    let on_latency = send.reform(|ev: Event| {
        let v = ev.target_unchecked_into::<HtmlSelectElement>().value();
        Msg::Figure16(F16::Latency(v.parse().unwrap_or(0)))
    });
    let on_range = send.reform(|ev: Event| {
        let v = ev.target_unchecked_into::<HtmlInputElement>().value();
        Msg::Figure16(F16::Range(v.parse().unwrap_or(0)))
    });
    let (label, what) = if f.running {
        (t.get("f16_stop"), F16::Stop)
    } else {
        (t.get("f16_run"), F16::Run)
    };
    let progress = t.fill(
        "f16_progress",
        &[("done", &done.to_string()), ("total", &total.to_string())],
    );
    html! {
        <details class="panel figure16" data-panel="figure16" open={v.open}>
            <summary>{ t.get("f16") }</summary>
            <p class="hint">{ t.fill("f16_hint", &[("trials", &TRIALS.to_string())]) }</p>
            <div class="f16-controls">
                <button type="button" data-action="figure16" onclick={send.reform(move |_| Msg::Figure16(what))}>{ label }</button>
                <label>{ t.get("f16_latency") }{ " " }
                    <select onchange={on_latency} data-control="f16-latency">
                        { for LATENCIES.iter().map(|&ms| html! {
                            <option value={ms.to_string()} selected={ms == f.latency_ms}>{ format!("{}–{ms} ms", ms / 2) }</option>
                        }) }
                    </select>
                </label>
                <label>{ t.fill("f16_mine", &[("max", &mine.to_string())]) }{ " " }
                    <input type="range" min="150" max={MAX_TIMEOUT.to_string()} step="5" value={mine.to_string()}
                        onchange={on_range} data-control="f16-range" />
                </label>
                <label>{ progress }{ " " }
                    <progress max={total.to_string()} value={done.to_string()} data-done={done.to_string()} data-total={total.to_string()}></progress>
                </label>
            </div>
            { chart(t, f) }
        </details>
    }
}
