//! The tour's question on screen (feature `exercises`): the prompt, a button per
//! possible answer, then whether it was right, the explanation and the way on.

use super::{class, when};
use crate::engine::quiz::{self, QuizMsg, text};
use crate::engine::{Engine, Msg};
use crate::guide::Guide;
use raft_sim::quiz::{Answer, Ask};
use raft_sim::scenario::Who;
use yew::prelude::*;

/// The question's look, drawn with it (the page's style sheet is shared with the
/// build without the exercises, whose weight budget it would otherwise take).
pub const STYLE: &str = "\
.question{border-top:1px solid var(--line);margin-top:.4rem;padding-top:.4rem}\
.question p{margin:.3rem 0}\
.question .hint{color:var(--muted);font-size:.9rem}\
.question .choices{display:flex;flex-wrap:wrap;gap:.4rem;margin:.4rem 0}\
.question .choice{min-width:2.6rem}\
.question .choice.chosen{outline:2px solid var(--accent)}\
.question .choice.right{background:#0a7d45;color:#fff;border-color:#0a7d45;opacity:1}\
.question .choice.wrong{background:var(--danger);color:#fff;border-color:var(--danger);opacity:1}\
.question .verdict{font-weight:700}\
.question .verdict.right{color:#0a7d45}\
.question .verdict.wrong{color:var(--danger)}\
.tour-head .score{font-size:.9rem;font-variant-numeric:tabular-nums;color:var(--muted)}\
.tour .narration:empty:has(~.question){display:none}\
.app.embed .question{margin-top:.15rem;padding-top:.15rem;font-size:.85rem}\
.app.embed .question p{margin:.15rem 0}\
.app.embed .question .choices{margin:.15rem 0;gap:.25rem}\
.app.embed .question button{padding:.1rem .45rem;font-size:.85rem}\
@media (prefers-color-scheme:dark){.question .verdict.right{color:#5fd49a}}";

/// What the question panel shows.
#[derive(Clone, PartialEq)]
pub struct QuestionView {
    index: usize,
    /// `majority`, `winner`, `safe_entries` or `choice` (its `data-ask`).
    kind: &'static str,
    label: &'static str,
    prompt: String,
    /// Shown under the prompt (how to answer by ticking).
    hint: Option<&'static str>,
    /// Each possible answer: its words and the answer it gives.
    choices: Vec<(String, Answer)>,
    /// The entries ticked (a question on safe entries).
    ticked: Vec<u64>,
    answer: Answer,
    given: Option<Answer>,
    /// Once answered: right or not, in words.
    verdict: String,
    explain: String,
    check: &'static str,
    go_on: &'static str,
}

/// The question on screen, if one is.
pub fn view(e: &Engine, g: &Guide) -> Option<QuestionView> {
    let (asked, q) = e.quiz.current()?;
    let t = &e.texts;
    let sim = e.sim();
    let servers = || sim.servers().iter().map(|s| s.node.id());
    let (kind, choices): (_, Vec<(String, Answer)>) = match &q.ask {
        Ask::Majority => (
            "majority",
            (1..=sim.len())
                .map(|k| (k.to_string(), Answer::Count(k)))
                .collect(),
        ),
        Ask::Winner => (
            "winner",
            servers()
                .map(|id| (crate::engine::status::name(id), Answer::Server(id)))
                .collect(),
        ),
        Ask::SafeEntries(who) => ("safe_entries", entries(e, g, who)),
        Ask::Choice(options) => (
            "choice",
            options
                .iter()
                .enumerate()
                .map(|(k, o)| (quiz::words(t, g, &o.text), Answer::Option(k)))
                .collect(),
        ),
    };
    let verdict = match &asked.given {
        None => String::new(),
        Some(given) if *given == asked.answer => text(t, "right").to_string(),
        Some(_) => crate::i18n::fill_in(
            text(t, "wrong"),
            &[("answer", &quiz::answer_words(t, g, q, &asked.answer))],
        ),
    };
    Some(QuestionView {
        index: asked.index,
        kind,
        label: text(t, "label"),
        prompt: quiz::words(t, g, &q.prompt),
        hint: matches!(q.ask, Ask::SafeEntries(_)).then(|| text(t, "tick")),
        choices,
        ticked: asked.ticked.clone(),
        answer: asked.answer.clone(),
        given: asked.given.clone(),
        verdict,
        explain: quiz::words(t, g, &q.explain),
        check: text(t, "check"),
        go_on: text(t, "continue"),
    })
}

/// The entries of the server a question on safe entries is about: "[1] Set 1"…
fn entries(e: &Engine, g: &Guide, who: &Who) -> Vec<(String, Answer)> {
    let sim = e.sim();
    let ids = g.runner.script().resolve(sim, who).unwrap_or_default();
    let Some(log) = ids
        .first()
        .and_then(|&id| sim.server(id))
        .map(|s| s.node.log())
    else {
        return Vec::new();
    };
    (1..=log.last_index())
        .filter_map(|i| {
            let entry = log.get(i)?;
            Some((format!("[{i}] {}", entry.command), Answer::Entries(vec![i])))
        })
        .collect()
}

/// The score line, once a question was answered.
pub fn score(e: &Engine) -> Option<String> {
    let (right, answered) = e.quiz.score();
    (answered > 0).then(|| {
        crate::i18n::fill_in(
            text(&e.texts, "score"),
            &[
                ("right", &right.to_string()),
                ("answered", &answered.to_string()),
            ],
        )
    })
}

impl QuestionView {
    /// Is `a` (one choice) part of `of`?
    fn within(a: &Answer, of: &Answer) -> bool {
        match (a, of) {
            (Answer::Entries(one), Answer::Entries(all)) => one.iter().all(|i| all.contains(i)),
            _ => a == of,
        }
    }

    /// The panel.
    pub fn view(&self, send: &Callback<Msg>) -> Html {
        let answered = self.given.is_some();
        let ticking = self.kind == "safe_entries";
        let choices = self.choices.iter().enumerate().map(|(k, (words, a))| {
            let ticked = match a {
                Answer::Entries(one) => one.iter().all(|i| self.ticked.contains(i)),
                _ => false,
            };
            let chosen = ticked
                || self
                    .given
                    .as_ref()
                    .is_some_and(|g| !ticking && g == a);
            let right = answered && Self::within(a, &self.answer);
            let wrong = answered && chosen && !right;
            let msg = match a {
                Answer::Entries(one) if ticking => QuizMsg::Tick(one.first().copied().unwrap_or(0)),
                _ => QuizMsg::Answer(a.clone()),
            };
            let onclick = send.reform(move |_: MouseEvent| Msg::Quiz(msg.clone()));
            html! {
                <button class={class(&["choice", when(chosen, "chosen"), when(right, "right"), when(wrong, "wrong")])}
                    data-choice={k.to_string()} disabled={answered} {onclick}
                    aria-pressed={ticking.then_some(if ticked { "true" } else { "false" })}>
                    { words.clone() }
                </button>
            }
        });
        let right = self.given.as_ref() == Some(&self.answer);
        html! {
            <div class="question" data-question={self.index.to_string()} data-ask={self.kind}
                data-answered={answered.to_string()} role="group" aria-label={self.label}>
                <p class="prompt"><strong>{ self.label }{ " · " }</strong>{ self.prompt.clone() }</p>
                if let Some(h) = self.hint { <p class="hint">{ h }</p> }
                <div class="choices">{ for choices }</div>
                if ticking && !answered {
                    <button class="primary" data-action="quiz-check"
                        onclick={send.reform(|_: MouseEvent| Msg::Quiz(QuizMsg::Check))}>{ self.check }</button>
                }
                if answered {
                    <p class={class(&["verdict", if right { "right" } else { "wrong" }])} aria-live="polite"
                        data-right={right.to_string()}>{ self.verdict.clone() }</p>
                    <p class="explain">{ self.explain.clone() }</p>
                    <button class="primary" data-action="quiz-continue" autofocus=true
                        onclick={send.reform(|_: MouseEvent| Msg::Quiz(QuizMsg::Continue))}>{ self.go_on }{ " ▶" }</button>
                }
            </div>
        }
    }
}
