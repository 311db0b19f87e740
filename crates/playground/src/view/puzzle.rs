//! The puzzle panel (feature `exercises`): the goal, the limits, the hint, the moment
//! the target holds and the link to the solution; without a puzzle, the list of
//! puzzles and "Make this run a puzzle".

use super::timeline::EngineRef;
use super::widgets::Button;
use crate::browser;
use crate::engine::puzzle::{self, PuzzleMsg};
use crate::engine::words::word;
use crate::engine::{Engine, Msg};
use crate::i18n::{Texts, fill_in};
use raft_sim::puzzle::text as in_lang;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The panel's look, drawn with it (the page's style sheet is shared with the build
/// without the exercises; its frame is the tour panel's).
const STYLE: &str = "\
.puzzle-bar{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap;margin:.2rem 0 .5rem}\
.puzzle-bar .label{font-weight:700}\
.puzzle .goal{font-size:1.05rem;margin:.35rem 0}\
.puzzle .limit,.puzzle .hint{color:var(--muted);margin:.2rem 0}\
.puzzle .verdict{font-weight:700;margin:.35rem 0}\
.puzzle .verdict.right{color:#0a7d45}\
.puzzle .verdict.wrong{color:var(--danger)}\
.puzzle input[type=text],.puzzle-bar input[type=text]{width:100%;box-sizing:border-box}\
.app.embed .puzzle{font-size:.85rem}\
.app.embed .puzzle .puzzle-pick{display:none}\
.app.embed .puzzle .goal{font-size:.95rem;margin:.15rem 0}\
.app.embed .puzzle p{margin:.1rem 0}\
.app.embed .puzzle button{padding:.1rem .45rem;font-size:.85rem}\
@media (prefers-color-scheme:dark){.puzzle .verdict.right{color:#5fd49a}}";

/// What the panel shows of the puzzle being played.
#[derive(Clone, PartialEq)]
pub struct PuzzleView {
    id: String,
    level: u8,
    title: String,
    goal: String,
    /// "At most 1 actions (used: 0)."
    max_actions: Option<String>,
    /// "Locked: Stop."
    locked: Option<String>,
    /// The hint, once asked for (`Some("")`: there is one, not shown yet).
    hint: Option<String>,
    /// "Solved! …" and the explanation, once the target holds.
    solved: Option<(String, String)>,
    /// The judge's verdict on a run opened with the puzzle: right or not, in words.
    verdict: Option<(bool, String)>,
}

/// Props of [`PuzzlePanel`].
#[derive(Properties, PartialEq)]
pub struct PuzzleProps {
    pub texts: Texts,
    /// The puzzle being played, if one is.
    pub view: Option<PuzzleView>,
    /// Each built-in puzzle: id, level and title.
    pub list: std::rc::Rc<Vec<(String, u8, String)>>,
    /// The bar is shown without a puzzle (not in the tour, not embedded).
    pub bar: bool,
    pub engine: EngineRef,
    pub send: Callback<Msg>,
}

/// What the panel shows (`None`: no puzzle).
pub fn view(e: &Engine) -> Option<PuzzleView> {
    let p = e.puzzle.as_ref()?;
    let t = &e.texts;
    let lang = t.code();
    let used = p.done(e.sim().actions().len());
    Some(PuzzleView {
        id: p.puzzle.id.clone(),
        level: p.puzzle.level,
        title: in_lang(&p.puzzle.title, lang).to_string(),
        goal: in_lang(&p.puzzle.goal, lang).to_string(),
        max_actions: p.puzzle.limits.max_actions.map(|max| {
            let key = if max == 1 {
                "max_one_action"
            } else {
                "max_actions"
            };
            fill_in(
                word(t, key),
                &[("max", &max.to_string()), ("used", &used.to_string())],
            )
        }),
        locked: (!p.puzzle.limits.locked.is_empty()).then(|| {
            fill_in(
                word(t, "locked"),
                &[("controls", &puzzle::locked_words(t, &p.puzzle))],
            )
        }),
        hint: p.puzzle.hint.as_ref().map(|h| {
            if p.hint {
                in_lang(h, lang).to_string()
            } else {
                String::new()
            }
        }),
        solved: p.solved.map(|s| {
            let explain = p.puzzle.explain.as_ref().map_or("", |x| in_lang(x, lang));
            (puzzle::solved_words(t, "solved", &s), explain.to_string())
        }),
        verdict: p.verdict.as_ref().map(|v| match v {
            Ok(s) => (true, puzzle::solved_words(t, "judged_ok", s)),
            Err(why) => (false, fill_in(word(t, "judged_no"), &[("why", why)])),
        }),
    })
}

/// The built-in puzzles for the list (read once).
pub fn list(lang: &str) -> Vec<(String, u8, String)> {
    raft_sim::puzzle::builtin()
        .unwrap_or_default()
        .iter()
        .map(|p| (p.id.clone(), p.level, in_lang(&p.title, lang).to_string()))
        .collect()
}

/// The panel, or the bar without a puzzle.
#[component]
pub fn PuzzlePanel(props: &PuzzleProps) -> Html {
    let (t, send) = (&props.texts, &props.send);
    let link = use_state(|| None::<String>);
    let picker = {
        let selected = props
            .view
            .as_ref()
            .map(|v| v.id.clone())
            .unwrap_or_default();
        let send = send.clone();
        let onchange = Callback::from(move |ev: Event| {
            let select: HtmlSelectElement = ev.target_unchecked_into();
            let id = select.value();
            if !id.is_empty() {
                send.emit(Msg::Puzzle(PuzzleMsg::Open(id)));
            }
        });
        html! {
            <label class="puzzle-pick">
                <span class="sr-only">{ word(t, "puzzles") }</span>
                <select data-control="puzzle" {onchange}>
                    <option value="" selected={selected.is_empty()}>{ word(t, "pick") }</option>
                    { for props.list.iter().map(|(id, level, title)| html! {
                        <option value={id.clone()} selected={*id == selected}>{ format!("{level} · {title}") }</option>
                    }) }
                </select>
            </label>
        }
    };
    let Some(v) = &props.view else {
        if !props.bar {
            return html! {};
        }
        let on_make = {
            let (engine, link, send) = (props.engine.0.clone(), link.clone(), props.send.clone());
            Callback::from(move |_: MouseEvent| {
                let made = engine.borrow().make_puzzle().map(|param| {
                    browser::page_url(&format!("puzzle={param}"), engine.borrow().texts.code())
                });
                match made {
                    Ok(url) => {
                        browser::copy_to_clipboard(&url);
                        link.set(Some(url));
                    }
                    Err(why) => {
                        link.set(None);
                        send.emit(Msg::Puzzle(PuzzleMsg::CannotMake(why)));
                    }
                }
            })
        };
        return html! {
            <section class="puzzle-bar" aria-label={word(t, "puzzles")}>
                <style>{ STYLE }</style>
                <span class="label">{ word(t, "puzzles") }</span>
                { picker }
                <button data-action="make-puzzle" onclick={on_make}>{ word(t, "make") }</button>
                if let Some(url) = &*link {
                    <label class="share">{ word(t, "made") }{ " " }
                        <input type="text" readonly=true value={url.clone()} data-control="puzzle-link" size="40" />
                    </label>
                }
            </section>
        };
    };
    let on_copy = {
        let (engine, link) = (props.engine.0.clone(), link.clone());
        Callback::from(move |_: MouseEvent| {
            let e = engine.borrow();
            let Some(p) = &e.puzzle else { return };
            let url = browser::page_url(
                &format!("puzzle={}&run={}", p.param, e.run_param()),
                e.texts.code(),
            );
            browser::copy_to_clipboard(&url);
            link.set(Some(url));
        })
    };
    let level = fill_in(word(t, "level"), &[("level", &v.level.to_string())]);
    html! {
        <section class="tour puzzle" aria-label={word(t, "puzzle")} data-puzzle={v.id.clone()}
            data-solved={v.solved.is_some().to_string()}>
            <style>{ STYLE }</style>
            <div class="tour-head">
                <span class="chapter">{ word(t, "puzzle") }{ " · " }{ level }</span>
                <h2>{ v.title.clone() }</h2>
                { picker }
            </div>
            <p class="goal" data-goal="">{ v.goal.clone() }</p>
            if let Some(m) = &v.max_actions { <p class="limit" data-limit="actions">{ m.clone() }</p> }
            if let Some(l) = &v.locked { <p class="limit" data-limit="locked">{ l.clone() }</p> }
            if let Some(h) = &v.hint {
                if h.is_empty() {
                    { Button::new("puzzle-hint", word(t, "hint").to_string(), Msg::Puzzle(PuzzleMsg::Hint)).view(send) }
                } else {
                    <p class="hint" data-hint="">{ format!("{} · {h}", word(t, "hint")) }</p>
                }
            }
            if let Some((ok, text)) = &v.verdict {
                <p class={if *ok { "verdict right" } else { "verdict wrong" }} data-verdict={ok.to_string()} role="status">{ text.clone() }</p>
            }
            if let Some((text, explain)) = &v.solved {
                <p class="verdict right" data-solved-text="" role="status">{ text.clone() }</p>
                if !explain.is_empty() { <p class="explain">{ explain.clone() }</p> }
                <button class="primary" data-action="copy-solution" onclick={on_copy}>{ word(t, "copy_solution") }</button>
                if let Some(url) = &*link {
                    <input type="text" readonly=true value={url.clone()} data-control="solution-link" size="40" />
                }
            }
            <nav class="tour-nav">
                { Button::new("puzzle-again", word(t, "again").to_string(), Msg::Puzzle(PuzzleMsg::Again)).icon("↺", false).view(send) }
                { Button::new("puzzle-leave", word(t, "leave").to_string(), Msg::Puzzle(PuzzleMsg::Leave)).view(send) }
            </nav>
        </section>
    }
}
