//! The timeline: a slider over the run, step back and forward, jumps to notable
//! moments, undo of the last fork, and sharing (link, export, import).

use super::widgets::Button;
use crate::browser;
use crate::engine::{Engine, Msg};
use crate::geometry::fixed;
use crate::i18n::Texts;
use crate::shortcuts::Command;
use raft_sim::MILLIS;
use raft_sim::timeline::Mark;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The timeline bar (redrawn at every frame; its tools only when they change).
pub fn bar(e: &Engine, send: &Callback<Msg>, engine: Rc<RefCell<Engine>>) -> Html {
    let t = &e.texts;
    let tl = &e.timeline;
    let (start, now, head) = (tl.start(), tl.now(), tl.head().max(tl.now()));
    let on_seek = send.reform(|ev: InputEvent| {
        let v = ev.target_unchecked_into::<HtmlInputElement>().value();
        Msg::Seek(v.parse::<u64>().unwrap_or(0))
    });
    let ms = |x: u64| format!("{} ms", fixed(x as f64 / MILLIS as f64, 1));
    html! {
        <section class="timeline" aria-label={t.get("timeline")}>
            <div class="timeline-row">
                { Button::new("step-back", format!("◀ {}", t.get("step_back")), Msg::StepBack)
                    .shortcut(Command::StepBack, t).title(t.get("key_back")).view(send) }
                <label class="slider wide">
                    <span class="sr-only">{ t.get("timeline") }</span>
                    <input type="range" min={start.to_string()} max={head.to_string()} step="1"
                        value={now.to_string()} oninput={on_seek} data-control="timeline"
                        aria-valuetext={ms(now)} />
                </label>
                <output class="clock" data-now={now.to_string()} data-head={head.to_string()}>
                    { format!("{} / {}", ms(now), ms(head)) }
                </output>
            </div>
            <TimelineTools texts={t.clone()} can_undo={tl.can_undo()} forked={now < head}
                engine={EngineRef(engine)} send={send.clone()} />
        </section>
    }
}

/// The engine, compared by identity (the tools read it only when clicked).
#[derive(Clone)]
pub struct EngineRef(pub(super) Rc<RefCell<Engine>>);

impl PartialEq for EngineRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Props of [`TimelineTools`].
#[derive(Properties, PartialEq)]
pub struct ToolsProps {
    texts: Texts,
    /// The last fork can be undone.
    can_undo: bool,
    /// The moment shown is before the furthest one simulated.
    forked: bool,
    engine: EngineRef,
    send: Callback<Msg>,
}

/// The jumps, the undo and the sharing tools (redrawn only when they change).
#[component]
pub fn TimelineTools(props: &ToolsProps) -> Html {
    let (t, send) = (&props.texts, &props.send);
    let link = use_state(|| None::<String>);
    // The link and the file are made on click, not at every frame.
    let on_copy = {
        let link = link.clone();
        let engine = props.engine.0.clone();
        Callback::from(move |_| {
            let e = engine.borrow();
            let url = browser::page_url(&format!("run={}", e.run_param()), e.texts.code());
            browser::copy_to_clipboard(&url);
            link.set(Some(url));
        })
    };
    let on_export = {
        let engine = props.engine.0.clone();
        Callback::from(move |_| {
            let e = engine.borrow();
            let name = format!("raft-run-seed{}-{}ms.json", e.seed, e.sim().now() / MILLIS);
            browser::download(&name, &e.export_json());
        })
    };
    let on_import = {
        let send = send.clone();
        Callback::from(move |ev: Event| {
            let input: HtmlInputElement = ev.target_unchecked_into();
            let send = send.clone();
            browser::read_file(&input, move |text| send.emit(Msg::ImportRun(text)));
            input.set_value("");
        })
    };
    html! {
        <>
            <div class="timeline-row">
                { Button::new("prev-leader", format!("« {}", t.get("prev_leader")), Msg::Jump(Mark::LeaderChange, false)).view(send) }
                { Button::new("next-election", format!("{} »", t.get("next_election")), Msg::Jump(Mark::Election, true)).view(send) }
                { Button::new("next-commit", format!("{} »", t.get("next_commit")), Msg::Jump(Mark::Commit, true)).view(send) }
                if props.can_undo {
                    { Button::new("undo-fork", format!("↶ {}", t.get("undo_fork")), Msg::UndoFork).view(send) }
                } else if props.forked {
                    <span class="hint">{ t.get("forked_hint") }</span>
                }
                <span class="spacer"></span>
                <button onclick={on_copy} data-action="copy-link">{ t.get("copy_link") }</button>
                <button onclick={on_export} data-action="export">{ t.get("export") }</button>
                <label class="file">
                    <span class="button-like">{ t.get("import") }</span>
                    <input type="file" accept=".json,application/json" onchange={on_import} data-control="import" />
                </label>
            </div>
            if let Some(url) = &*link {
                <p class="share">
                    <label>{ t.get("link_ready") }{ " " }
                        <input type="text" readonly=true value={url.clone()} data-control="share-link" size="60" />
                    </label>
                </p>
            }
        </>
    }
}
