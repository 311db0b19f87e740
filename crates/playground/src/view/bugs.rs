//! "Break Raft": a switch for each rule a student can take out of Raft, one sentence
//! on what goes wrong without it (with the paper's section), and the counterexample
//! the exhaustive search found for it; and the warning, always in view, that names
//! the rules switched off in the run on screen.

use crate::engine::status::property_name;
use crate::engine::{Breaking, Engine, Msg, bugs_in, with_bug};
use crate::i18n::Texts;
use raft_sim::bugs::Bug;
use raft_sim::raft_core::Config;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What is on screen of a counterexample, in words.
fn told(t: &Texts, b: &Breaking) -> String {
    let (key, skipped) = match b.restored {
        true => ("bug_restored", b.skipped.to_string()),
        false => ("bug_playing", String::new()),
    };
    t.fill(
        key,
        &[
            ("bug", &t.get(&format!("bug_{}", b.bug.name()))),
            ("steps", &b.steps.to_string()),
            ("skipped", &skipped),
            ("property", &property_name(t, b.bug.expected())),
        ],
    )
}

/// The "Break Raft" panel (drawn by [`super::side::Side`]).
pub fn panel(t: &Texts, raft: &Config, breaking: Option<&Breaking>, send: &Callback<Msg>) -> Html {
    let row = |bug: Bug| {
        let name = bug.name();
        let on = bug.is_in(raft);
        let onchange = {
            let (send, raft) = (send.clone(), raft.clone());
            Callback::from(move |ev: Event| {
                let on = ev.target_unchecked_into::<HtmlInputElement>().checked();
                send.emit(Msg::SetRaft(with_bug(&raft, bug, on)));
            })
        };
        html! {
            <li data-bug={name}>
                <label>
                    <input type="checkbox" checked={on} {onchange} data-option={format!("bug-{name}")} />
                    { t.get(&format!("bug_{name}")) }
                </label>
                <span class="why">{ t.get(&format!("bug_{name}_why")) }</span>
                <button type="button" class="watch" data-watch={name}
                    onclick={send.reform(move |_| Msg::Break(bug))}>{ t.get("bug_watch") }</button>
            </li>
        }
    };
    html! {
        <details class="options bugs" data-panel="bugs" open={breaking.is_some()}>
            <summary>{ t.get("bugs") }</summary>
            <p class="hint">{ t.get("bugs_hint") }</p>
            if let Some(b) = breaking {
                <div class="counterexample" role="status" data-counterexample={b.bug.name()}
                    data-restored={b.restored.to_string()}>
                    <p>{ told(t, b) }</p>
                    <button type="button" data-action="restore" onclick={send.reform({
                        let restored = !b.restored;
                        move |_| Msg::BreakRestored(restored)
                    })}>
                        { t.get(if b.restored { "bug_again" } else { "bug_restore" }) }
                    </button>
                </div>
            }
            <ul>
                { for Bug::ALL.into_iter().map(row) }
            </ul>
        </details>
    }
}

/// The warning that names the rules switched off in the run on screen (empty when
/// Raft is whole): shown in the embed too, so that nobody takes a broken Raft for
/// the real one.
pub fn banner(e: &Engine) -> Html {
    let t = &e.texts;
    let bugs = bugs_in(&e.sim().initial_config().raft);
    if bugs.is_empty() {
        return Html::default();
    }
    let names: Vec<String> = bugs
        .iter()
        .map(|b| t.get(&format!("bug_{}", b.name())))
        .collect();
    let ids: Vec<&str> = bugs.iter().map(|b| b.name()).collect();
    let text = t.count("bugs_on", bugs.len(), &[("list", &t.list(&names))]);
    // (In the embed it is cut to one line: the whole text is its title.)
    html! {
        <p class="bugs-on" data-bugs-on={ids.join(" ")} title={text.clone()}>{ format!("⚠ {text}") }</p>
    }
}
