//! The smaller panels: URL notices, the server menu, the status line, the legend and
//! the keyboard help.

use super::Shape;
use super::ring::{PALETTE, term_color};
use super::widgets::Button;
use crate::engine::status::name;
use crate::engine::{Engine, Msg};
use crate::geometry::fixed;
use crate::i18n::Texts;
use crate::shortcuts::{self, Command};
use raft_sim::{NodeId, Role, Term};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Notices about ignored URL parameters (a plain function: nothing to draw almost
/// always, and a component would cost more wasm than it saves).
pub fn notices(e: &Engine, send: &Callback<Msg>) -> Html {
    if e.notices.is_empty() {
        return html! {};
    }
    let t = &e.texts;
    html! {
        <div class="notices" role="status">
            <ul>
                { for e.notices.iter().map(|n| {
                    let why = match n.why {
                        "why_lang" => t.fill("why_lang", &[("list", &crate::i18n::codes().join(", "))]),
                        "why_scene" => t.fill("why_scene", &[("list", &e.scene_ids.join(", "))]),
                        key => t.get(key),
                    };
                    html! { <li class="notice">{ t.fill("notice_ignored", &[("name", &n.name), ("value", &n.value), ("why", &why)]) }</li> }
                }) }
            </ul>
            { Button::new("dismiss", t.get("dismiss"), Msg::DismissNotices).view(send) }
        </div>
    }
}

/// What the open server menu shows.
#[derive(Clone, PartialEq)]
pub struct MenuView {
    texts: Texts,
    id: NodeId,
    n: usize,
    alive: bool,
    role: &'static str,
    leader: bool,
    term: Term,
    /// A leader's possible successors (the other live servers).
    successors: Vec<NodeId>,
    /// The membership buttons: (a server can be added, this one can be taken out).
    #[cfg(feature = "membership")]
    change: (bool, bool),
}

/// The menu of the selected server, if one is open.
pub fn menu_view(e: &Engine) -> Option<MenuView> {
    let id = e.selected?;
    let s = e.sim().server(id)?;
    Some(MenuView {
        texts: e.texts.clone(),
        id,
        n: e.sim().len(),
        alive: s.alive,
        role: if s.alive {
            s.node.role().name()
        } else {
            "stopped"
        },
        leader: s.alive && s.node.role() == Role::Leader,
        term: s.node.term(),
        successors: if s.alive && s.node.role() == Role::Leader {
            e.sim()
                .servers()
                .iter()
                .filter(|o| o.alive && o.node.id() != id)
                .map(|o| o.node.id())
                .collect()
        } else {
            Vec::new()
        },
        #[cfg(feature = "membership")]
        change: {
            let leader = e.sim().leader();
            let member = crate::engine::membership::member(e.sim(), id);
            (
                leader == Some(id) && e.can_add_server(),
                leader.is_some() && member != "removed",
            )
        },
    })
}

/// The leader's "Add a server"; any member's "Remove from the cluster" (the leader's
/// own too: it steps down once `C_new` commits).
#[cfg(feature = "membership")]
fn membership_buttons(v: &MenuView, send: &Callback<Msg>) -> Html {
    use crate::engine::membership::MembershipMsg;
    use crate::engine::words::word;
    let t = &v.texts;
    html! {
        <>
            if v.change.0 {
                { Button::new("add-server", word(t, "add_server").into(), Msg::Membership(MembershipMsg::Add)).view(send) }
            }
            if v.change.1 {
                { Button::new("remove-server", word(t, "remove_server").into(), Msg::Membership(MembershipMsg::Remove(v.id))).view(send) }
            }
        </>
    }
}

#[cfg(not(feature = "membership"))]
fn membership_buttons(_: &MenuView, _: &Callback<Msg>) -> Html {
    html! {}
}

/// Props of [`ServerMenu`].
#[derive(Properties, PartialEq)]
pub struct MenuProps {
    /// What it shows (`None`: closed).
    pub view: Option<MenuView>,
    /// Where clicks go.
    pub send: Callback<Msg>,
}

/// The menu of the selected server.
#[component]
pub fn ServerMenu(props: &MenuProps) -> Html {
    let send = &props.send;
    let input = use_node_ref();
    // The field is left to the user: a value set at each frame would overwrite what is
    // being typed. It starts as "Set 1" whenever a menu opens.
    {
        let input = input.clone();
        use_effect_with(props.view.as_ref().map(|v| v.id), move |selected| {
            if selected.is_some()
                && let Some(i) = input.cast::<HtmlInputElement>()
            {
                i.set_value("Set 1");
            }
        });
    }
    let Some(v) = &props.view else {
        return html! {};
    };
    let (t, id) = (&v.texts, v.id);
    let (x, y) = crate::geometry::server_pos(id, v.n);
    // Open towards the centre so that the menu stays on the ring.
    let left = crate::geometry::bound(x / crate::geometry::SIZE * 100.0, 8.0, 62.0);
    let top = crate::geometry::bound(y / crate::geometry::HEIGHT * 100.0, 8.0, 58.0);
    let on_submit = {
        let send = send.clone();
        let input = input.clone();
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            if let Some(i) = input.cast::<HtmlInputElement>() {
                send.emit(Msg::Submit(id, i.value()));
            }
        })
    };
    html! {
        <div class="menu" role="dialog" aria-label={t.fill("server_menu", &[("node", &name(id))])}
            data-menu={id.to_string()} style={format!("left:{}%;top:{}%", fixed(left, 0), fixed(top, 0))}>
            <h2>
                <span class="swatch" style={format!("background:{}", term_color(v.term))}></span>
                { format!("S{id} · {} · {} {}", t.get(v.role), t.get("term"), v.term) }
            </h2>
            <div class="menu-actions">
                if v.alive {
                    { Button::new("stop", t.get("stop"), Msg::Crash(id)).shortcut(Command::StopRestart, t).autofocus().view(send) }
                    { Button::new("timeout", t.get("timeout_now"), Msg::Timeout(id)).shortcut(Command::Timeout, t).disabled(v.leader).view(send) }
                    { Button::new("read", t.get("read"), Msg::Read(id)).title(t.get("read_hint")).view(send) }
                } else {
                    { Button::new("restart", t.get("restart"), Msg::Restart(id)).shortcut(Command::StopRestart, t).autofocus().view(send) }
                }
                { membership_buttons(v, send) }
            </div>
            <form class="command" onsubmit={on_submit}>
                <label>
                    <span>{ t.get("command") }</span>
                    <input ref={input} type="text" placeholder={t.get("command_placeholder")}
                        data-control="command" maxlength="40" />
                </label>
                <button type="submit" data-action="send">{ t.get("send") }</button>
            </form>
            if !v.successors.is_empty() {
                <div class="transfer" role="group" aria-label={t.get("transfer")}>
                    <span>{ t.get("transfer") }</span>
                    { for v.successors.iter().map(|&to| {
                        Button::new("transfer", name(to), Msg::Transfer(id, to))
                            .title(t.fill("transfer_to", &[("node", &name(to))]))
                            .view(send)
                    }) }
                </div>
            }
            { Button::new("close", "×".into(), Msg::Select(None)).aria_label(t.get("close")).view(send) }
        </div>
    }
}

/// The status line, in words, for eyes and screen readers.
pub fn status(e: &Engine) -> Html {
    let lines = e.status();
    html! {
        <div class="status-box">
            if e.split.is_some() { <p class="hint">{ e.texts.get("split_hint") }</p> }
            <p class="status" role="status" aria-live="polite" data-status="">
                { for lines.iter().map(|l| html! { <span class="line">{ l.clone() }{ " " }</span> }) }
            </p>
            if let Some(f) = &e.feedback {
                <p class={super::class(&["feedback", super::when(f.error, "error")])} role="status" data-feedback="">{ f.text.clone() }</p>
            }
            <p class="meta">
                { format!("{} {} · t = {} ms", e.texts.get("seed"), e.seed, fixed(e.sim().now() as f64 / 1000.0, 1)) }
            </p>
        </div>
    }
}

fn icon(svg: Html) -> Html {
    html! { <svg class="icon" viewBox="-10 -10 20 20" aria-hidden="true">{ svg }</svg> }
}

/// What each shape means (drawn by [`super::side::Side`]).
pub fn legend(t: &Texts, raft: &raft_sim::raft_core::Config) -> Html {
    // The same shapes as on the ring, in the colour of term 2.
    let c = PALETTE[1];
    let mut shapes = vec![
        (Shape::Vote, "legend_request_vote"),
        (Shape::Granted, "legend_vote_granted"),
        (Shape::Denied, "legend_vote_denied"),
        (Shape::Append(2), "legend_append"),
        (Shape::Heartbeat, "legend_heartbeat"),
        (Shape::AppendOk, "legend_append_ok"),
        (Shape::AppendFail, "legend_append_fail"),
    ];
    if raft.pre_vote {
        shapes.extend([
            (Shape::PreVote, "legend_pre_vote"),
            (Shape::PreVoteYes, "legend_pre_vote_yes"),
            (Shape::PreVoteNo, "legend_pre_vote_no"),
        ]);
    }
    shapes.push((Shape::TimeoutNow, "legend_timeout_now"));
    let mut items: Vec<(Html, String)> = shapes
        .into_iter()
        .map(|(shape, key)| (icon(super::ring::shape(shape, 2)), t.get(key)))
        .collect();
    #[cfg(feature = "compaction")]
    items.push((
        icon(super::ring::shape(Shape::Snapshot, 2)),
        crate::engine::words::word(t, "legend_snapshot").into(),
    ));
    items.extend([
        (
            icon(html! { <circle r="6" style={format!("fill:{c};opacity:0.3")} /> }),
            t.get("legend_lost"),
        ),
        (
            icon(html! { <path class="timer" d="M0,-8 A8,8 0 1 1 -8,0" /> }),
            t.get("legend_timer"),
        ),
        (
            icon(html! { <line class="cut-sample" x1="-9" y1="0" x2="9" y2="0" /> }),
            t.get("legend_cut"),
        ),
    ]);
    html! {
        <details class="legend" open=true>
            <summary>{ t.get("legend") }</summary>
            <ul>
                { for items.into_iter().map(|(i, label)| html! { <li>{ i }<span>{ label }</span></li> }) }
            </ul>
            <p class="roles">
                <span class="role-sample follower">{ t.get("follower") }</span>
                if raft.pre_vote { <span class="role-sample pre-candidate">{ t.get("pre-candidate") }</span> }
                <span class="role-sample candidate">{ t.get("candidate") }</span>
                <span class="role-sample leader">{ t.get("leader") }</span>
                <span class="role-sample stopped">{ t.get("stopped") }</span>
            </p>
            if raft.flow_control {
                <p class="hint">{ t.fill("legend_flow", &[("n", &raft.max_inflight.to_string())]) }</p>
            }
            if raft.no_op {
                <p class="hint">{ t.get("legend_noop") }</p>
            }
            <p class="hint">{ t.get("legend_click") }</p>
        </details>
    }
}

/// The keyboard shortcuts, behind "?" (a plain function, like [`notices`]).
pub fn help(e: &Engine, send: &Callback<Msg>) -> Html {
    if !e.help {
        return html! {};
    }
    let t = &e.texts;
    html! {
        <div class="help" role="dialog" aria-modal="true" aria-label={t.get("help")}>
            <h2>{ t.get("help") }</h2>
            <dl>
                { for shortcuts::help_lines(t).into_iter().map(|(keys, what)| {
                    html! { <><dt><kbd>{ keys }</kbd></dt><dd>{ what }</dd></> }
                }) }
            </dl>
            { Button::new("close-help", t.get("close"), Msg::ToggleHelp).autofocus().view(send) }
        </div>
    }
}
