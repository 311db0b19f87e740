//! The ring of servers, the links between them and the messages on the wire (SVG).

use super::{Shape, class, when};
use crate::engine::{Engine, Msg};
use crate::geometry::{self, HEIGHT, SIZE, along, fixed, num, server_pos, server_radius};
use raft_sim::{InFlight, MILLIS, NodeId, Role, Server, Simulation, Term, Time};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The Okabe–Ito palette (colour-blind safe), one colour per term, cycling.
pub const PALETTE: [&str; 8] = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999",
];

/// The colour of a term (term 0 has none).
pub fn term_color(term: Term) -> &'static str {
    if term == 0 {
        "var(--term0)"
    } else {
        PALETTE[((term - 1) % PALETTE.len() as u64) as usize]
    }
}

/// Text colour readable on a term's colour.
pub fn term_ink(term: Term) -> &'static str {
    match (term.max(1) - 1) % 8 {
        4 | 5 => "#ffffff",
        _ if term == 0 => "var(--ink)",
        _ => "#111111",
    }
}

fn role_name(s: &Server) -> &'static str {
    if s.alive {
        s.node.role().name()
    } else {
        "stopped"
    }
}

/// Where a message's shape stands on its arrow when motion is reduced.
const REDUCED_AT: f64 = 0.66;

/// Real time a lost message takes to fade, in ms.
const FADE_MS: f64 = 800.0;

/// The ring.
pub fn ring(e: &Engine, send: &Callback<Msg>) -> Html {
    let sim = e.sim();
    let n = sim.len();
    let label = e.texts.get("title");
    html! {
        <svg onclick={on_ring_click(send)} onkeydown={on_ring_key(send)}
             onmouseover={on_hover(send)} onmouseout={on_unhover(send)} class="ring" viewBox={format!("0 0 {} {}", num(SIZE), num(HEIGHT))} role="group" aria-label={label}>
            <defs>
                <marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" class="arrowhead" />
                </marker>
            </defs>
            <Backdrop view={backdrop_view(e)} />
            { quorums(e, n) }
            { messages(e, send) }
            { for sim.servers().iter().map(|s| server(e, s, n)) }
            { bubbles(e, n) }
        </svg>
    }
}

/// What the backdrop shows: the islands (drawn or current) and every link, cut or not.
#[derive(Clone, PartialEq)]
pub struct BackdropView {
    /// Number of servers.
    n: usize,
    /// The island of each server, S1 first, while there is a split (drawn or real).
    islands: Option<Vec<usize>>,
    /// The split is being drawn, not applied.
    draft: bool,
    /// Cut links (a, b), a < b.
    cut: Vec<(NodeId, NodeId)>,
}

fn backdrop_view(e: &Engine) -> BackdropView {
    let sim = e.sim();
    let n = sim.len();
    let net = sim.network();
    let islands: Vec<Option<usize>> = sim.ids().map(|id| e.island_of(id)).collect();
    let mut cut = Vec::new();
    for a in 1..=n as NodeId {
        for b in a + 1..=n as NodeId {
            if net.is_cut(a, b) || net.is_cut(b, a) {
                cut.push((a, b));
            }
        }
    }
    BackdropView {
        n,
        islands: islands
            .iter()
            .all(Option::is_some)
            .then(|| islands.into_iter().flatten().collect()),
        draft: e.split.is_some(),
        cut,
    }
}

/// Props of [`Backdrop`].
#[derive(Properties, PartialEq)]
struct BackdropProps {
    view: BackdropView,
}

/// The islands and the links: they change only when the network does, so they are
/// not redrawn at every frame.
#[component]
fn Backdrop(props: &BackdropProps) -> Html {
    let v = &props.view;
    html! { <>{ islands(v) }{ links(v) }</> }
}

/// The element under an event that carries `attr`, and its value.
pub fn target_with(ev: &Event, attr: &str) -> Option<String> {
    let el: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let found = el.closest(&format!("[{attr}]")).ok()??;
    found.get_attribute(attr)
}

/// One listener for the whole ring (created once per render, not once per element):
/// a server opens its menu, a link is cut or restored, a message is dropped.
fn on_ring_click(send: &Callback<Msg>) -> Callback<MouseEvent> {
    let send = send.clone();
    Callback::from(move |ev: MouseEvent| {
        let ev: &Event = ev.as_ref();
        if let Some(id) = target_with(ev, "data-drop").and_then(|v| v.parse().ok()) {
            send.emit(Msg::DropMessage(id));
        } else if let Some(id) = target_with(ev, "data-server").and_then(|v| v.parse().ok()) {
            send.emit(Msg::Select(Some(id)));
        } else if let Some(link) = target_with(ev, "data-link")
            && let Some((a, b)) = link.split_once('-')
            && let (Ok(a), Ok(b)) = (a.parse(), b.parse())
        {
            send.emit(Msg::ToggleLink(a, b));
        }
    })
}

fn on_ring_key(send: &Callback<Msg>) -> Callback<KeyboardEvent> {
    let send = send.clone();
    Callback::from(move |k: KeyboardEvent| {
        if k.key() == "Enter" || k.key() == " " {
            let ev: &Event = k.as_ref();
            if let Some(id) = target_with(ev, "data-server").and_then(|v| v.parse().ok()) {
                k.prevent_default();
                send.emit(Msg::Select(Some(id)));
            }
        }
    })
}

/// Highlights the message under the pointer (in the ring or the diagram).
pub fn on_hover(send: &Callback<Msg>) -> Callback<MouseEvent> {
    let send = send.clone();
    Callback::from(move |ev: MouseEvent| {
        let ev: &Event = ev.as_ref();
        if let Some(id) = target_with(ev, "data-id").and_then(|v| v.parse().ok()) {
            send.emit(Msg::Hover(Some(id)));
        }
    })
}

/// Ends the highlight when the pointer leaves a message.
pub fn on_unhover(send: &Callback<Msg>) -> Callback<MouseEvent> {
    let send = send.clone();
    Callback::from(move |ev: MouseEvent| {
        let ev: &Event = ev.as_ref();
        if target_with(ev, "data-id").is_some() {
            send.emit(Msg::Hover(None));
        }
    })
}

fn islands(v: &BackdropView) -> Html {
    let Some(of) = &v.islands else {
        return html! {};
    };
    let mut groups: Vec<(usize, Vec<NodeId>)> = Vec::new();
    for (k, &i) in of.iter().enumerate() {
        let id = k as NodeId + 1;
        match groups.iter_mut().find(|(g, _)| *g == i) {
            Some((_, g)) => g.push(id),
            None => groups.push((i, vec![id])),
        }
    }
    if groups.len() < 2 && !v.draft {
        return html! {};
    }
    let n = v.n;
    html! {
        <g class={class(&["islands", when(v.draft, "draft")])}>
            { for groups.iter().map(|(i, ids)| {
                let pts: Vec<(f64, f64)> = ids.iter().map(|&id| server_pos(id, n)).collect();
                let width = 2.0 * server_radius(n) + 34.0;
                html! {
                    <path class={format!("island island-{}", i % 4)} d={geometry::hull(&pts)}
                        style={format!("stroke-width:{}", num(width))} />
                }
            }) }
        </g>
    }
}

fn links(v: &BackdropView) -> Html {
    let n = v.n as NodeId;
    let mut out = Vec::new();
    for a in 1..=n {
        for b in a + 1..=n {
            let (p, q) = (server_pos(a, n as usize), server_pos(b, n as usize));
            let cut = v.cut.contains(&(a, b));
            out.push(html! {
                <g class={class(&["link", when(cut, "cut")])} data-link={format!("{a}-{b}")}
                   data-cut={cut.to_string()}>
                    <line class="wire" x1={num(p.0)} y1={num(p.1)} x2={num(q.0)} y2={num(q.1)} />
                    <line class="hit" x1={num(p.0)} y1={num(p.1)} x2={num(q.0)} y2={num(q.1)}>
                        <title>{ format!("S{a} – S{b}") }</title>
                    </line>
                </g>
            });
        }
    }
    html! { <g class="links">{ for out }</g> }
}

/// How a message of this kind and term is drawn (the legend draws the same).
pub fn shape(kind: Shape, term: Term) -> Html {
    let c = term_color(term);
    let cross = "M-4,-4 L4,4 M4,-4 L-4,4";
    match kind {
        Shape::Vote => html! { <circle class="fill" r="7" style={format!("fill:{c}")} /> },
        Shape::Granted => html! { <>
            <circle class="hollow" r="7.5" style={format!("stroke:{c}")} />
            <path class="mark" d="M-4,0 L-1,3.5 L4.5,-3.5" />
        </> },
        Shape::Denied => html! { <>
            <circle class="hollow" r="7.5" style={format!("stroke:{c}")} />
            <path class="mark" d={cross} />
        </> },
        Shape::Append(k) => html! { <>
            <rect class="fill" x="-8" y="-8" width="16" height="16" rx="2" style={format!("fill:{c}")} />
            <text class="count" dy="0.35em" style={format!("fill:{}", term_ink(term))}>{ k }</text>
        </> },
        Shape::Heartbeat => html! { <circle class="fill" r="4" style={format!("fill:{c}")} /> },
        Shape::AppendOk => html! {
            <rect class="hollow" x="-6.5" y="-6.5" width="13" height="13" rx="2" style={format!("stroke:{c}")} />
        },
        Shape::AppendFail => html! { <>
            <rect class="hollow" x="-6.5" y="-6.5" width="13" height="13" rx="2" style={format!("stroke:{c}")} />
            <path class="mark" d={cross} />
        </> },
        Shape::PreVote => html! { <>
            <circle class="hollow dashed" r="7.5" style={format!("stroke:{c}")} />
            <path class="mark" d="M-2.5,-2.5 A2.5,2.5 0 1 1 0,0 L0,1.5 M0,3.5 L0,4.5" />
        </> },
        Shape::PreVoteYes => html! { <>
            <circle class="hollow dashed" r="7.5" style={format!("stroke:{c}")} />
            <path class="mark" d="M-4,0 L-1,3.5 L4.5,-3.5" />
        </> },
        Shape::PreVoteNo => html! { <>
            <circle class="hollow dashed" r="7.5" style={format!("stroke:{c}")} />
            <path class="mark" d={cross} />
        </> },
        Shape::TimeoutNow => html! {
            <path class="fill" d="M0,-9 L9,0 L0,9 L-9,0 Z" style={format!("fill:{c}")} />
        },
        #[cfg(feature = "compaction")]
        Shape::Snapshot => html! { <>
            <rect class="fill" x="-9" y="-9" width="13" height="13" rx="2" style={format!("fill:{c}")} />
            <rect class="fill" x="-4" y="-4" width="13" height="13" rx="2" style={format!("fill:{c};stroke:var(--panel);stroke-width:1.5")} />
        </> },
    }
}

fn message(
    sim: &Simulation,
    m: &InFlight,
    now: Time,
    opacity: f64,
    send: Option<&Callback<Msg>>,
    reduced: bool,
    hover: bool,
) -> Html {
    let n = sim.len();
    let (from, to) = (m.msg.from, m.msg.to);
    let (a, b) = (server_pos(from, n), server_pos(to, n));
    let margin = server_radius(n) + 2.0;
    let kind = m.msg.kind();
    let id = m.id;
    // Live messages can be clicked to drop them (one listener on the ring handles it).
    let drop_id = send.map(|_| id.to_string());
    let class = class(&[
        "msg",
        if send.is_some() { "live" } else { "lost" },
        when(hover, "hover"),
    ]);
    if reduced {
        // Nothing moves: an arrow from sender to receiver, and the message's own shape
        // standing still on it, two thirds of the way, so kinds stay apart.
        let (p, q) = (along(a, b, 0.0, margin), along(a, b, 1.0, margin));
        let (sx, sy) = along(a, b, REDUCED_AT, margin);
        return html! {
            <g key={id.to_string()} {class} data-kind={kind.name()} data-from={from.to_string()} data-to={to.to_string()}
               data-id={id.to_string()} data-drop={drop_id} style={format!("opacity:{}", fixed(opacity, 2))}>
                <line class="arrow" x1={num(p.0)} y1={num(p.1)} x2={num(q.0)} y2={num(q.1)}
                    style={format!("stroke:{}", term_color(m.msg.term))} marker-end="url(#arrowhead)" />
                <g class="shape" transform={format!("translate({},{})", num(sx), num(sy))}>
                    <circle class="hit" r="12" />
                    { shape(Shape::of(&m.msg.body), m.msg.term) }
                </g>
            </g>
        };
    }
    let (x, y) = along(a, b, m.progress(now), margin);
    let scale = 0.6 + 0.4 * opacity;
    html! {
        <g key={id.to_string()} {class} data-kind={kind.name()} data-from={from.to_string()} data-to={to.to_string()}
           transform={format!("translate({},{}) scale({})", num(x), num(y), fixed(scale, 2))}
           style={format!("opacity:{}", fixed(opacity, 2))}
           data-id={id.to_string()} data-drop={drop_id}>
            <circle class="hit" r="12" />
            { shape(Shape::of(&m.msg.body), m.msg.term) }
        </g>
    }
}

fn messages(e: &Engine, send: &Callback<Msg>) -> Html {
    let sim = e.sim();
    let now = sim.now();
    let fade: Time = ((FADE_MS * e.speed) * MILLIS as f64).max(1.0) as Time;
    let lost = sim
        .recent_drops()
        .filter(|d| now.saturating_sub(d.at) < fade)
        .map(|d| {
            let age = now.saturating_sub(d.at) as f64 / fade as f64;
            // Frozen where it was lost.
            let mut frozen = d.flight.clone();
            let p = d.flight.progress(d.at);
            let span = frozen.deliver_at.saturating_sub(frozen.sent_at);
            frozen.sent_at = now.saturating_sub((p * span as f64) as Time);
            frozen.deliver_at = frozen.sent_at + span;
            message(
                sim,
                &frozen,
                now,
                (1.0 - age).max(0.05),
                None,
                e.reduced_motion,
                false,
            )
        });
    html! {
        <g class="messages">
            { for lost }
            { for sim.in_flight().map(|m| {
                message(sim, m, now, 1.0, Some(send), e.reduced_motion, e.hover == Some(m.id))
            }) }
        </g>
    }
}

fn server(e: &Engine, s: &Server, n: usize) -> Html {
    let node = &s.node;
    let id = node.id();
    let (x, y) = server_pos(id, n);
    let r = server_radius(n);
    let term = node.term();
    let role = role_name(s);
    let t = &e.texts;
    let now = e.sim().now();
    let max = node.config().election_timeout_max.max(1);
    let timer = match (s.alive, s.election_deadline()) {
        (true, Some(d)) => geometry::timer_dash(d.saturating_sub(now) as f64 / max as f64),
        _ => None,
    };
    let votes = if s.alive && matches!(node.role(), Role::Candidate | Role::PreCandidate) {
        node.votes().len()
    } else {
        0
    };
    let label = format!(
        "S{id}: {}, {} {term}{}",
        t.get(role),
        t.get("term"),
        if votes > 0 {
            format!(", {votes} {}", t.get("votes"))
        } else {
            String::new()
        }
    );
    let island = e.island_of(id).map(|i| format!("island-{}", i % 4));
    let selected = e.selected == Some(id);
    let member = member(e, id);
    #[cfg(feature = "membership")]
    let label = match member {
        Some(m @ ("learner" | "removed")) => {
            format!("{label}, {}", crate::engine::words::word(t, m))
        }
        _ => label,
    };
    // The id sits just outside the circle, away from the centre.
    let (lx, ly) = geometry::label_offset(id, n);
    html! {
        <g class={class(&["server", &format!("role-{role}"), when(selected, "selected"), island.as_deref().unwrap_or(""), member.unwrap_or("")])}
           data-server={id.to_string()} data-role={role} data-term={term.to_string()} data-member={member}
           data-alive={s.alive.to_string()} transform={format!("translate({},{})", num(x), num(y))}
           tabindex="0" role="button">
            // Its name, for screen readers (and a tooltip): a title rather than an
            // aria-label, whose text would have to begin with what the circle shows.
            <title>{ label }</title>
            <circle class="focus-ring" r={num(r + 11.0)} />
            <circle class="timer-track" r={num(r + 6.0)} />
            // Drawn clockwise from the top, by its dash (see `geometry::timer_dash`).
            if let Some(dash) = timer {
                <circle class="timer" r={num(r + 6.0)} pathLength="100" transform="rotate(-90)" style={dash} />
            }
            <circle class="body" r={num(r)} style={format!("fill:{}", term_color(term))} />
            if s.alive && node.role() == Role::Leader {
                <path class="crown" d={format!("M-11,{y0} L-11,{y1} L-5.5,{y2} L0,{y1} L5.5,{y2} L11,{y1} L11,{y0} Z",
                    y0 = num(-r + 10.0), y1 = num(-r - 4.0), y2 = num(-r + 3.0))} />
            }
            <text class="term-num" dy="0.35em" style={format!("fill:{}", term_ink(term))} aria-hidden="true">{ term }</text>
            <text class="id" x={num(lx)} y={num(ly)}>{ format!("S{id}") }</text>
            if votes > 0 {
                <g class="votes">
                    { for (0..votes).map(|k| {
                        let vx = (k as f64 - (votes as f64 - 1.0) / 2.0) * 7.0;
                        html! { <circle class="vote" cx={num(vx)} cy={num(r * 0.58)} r="2.6" /> }
                    }) }
                </g>
            }
            if !s.alive {
                <path class="dead-cross" d={format!("M{a},{a} L{b},{b} M{b},{a} L{a},{b}", a = num(-r * 0.6), b = num(r * 0.6))} />
            }
        </g>
    }
}

/// While the joint configuration is in force, the old and the new voters each inside
/// an outline: a decision needs a majority of each (paper §6).
#[cfg(feature = "membership")]
fn quorums(e: &Engine, n: usize) -> Html {
    use crate::engine::membership::configuration;
    let Some(c) = configuration(e.sim()).filter(|c| c.is_joint()) else {
        return html! {};
    };
    let outline = |ids: &[raft_sim::NodeId], which: &str, width: f64| {
        let pts: Vec<(f64, f64)> = ids.iter().map(|&id| server_pos(id, n)).collect();
        html! {
            <path class={format!("quorum {which}")} data-quorum={which.to_string()}
                data-voters={ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")}
                d={geometry::hull(&pts)} style={format!("stroke-width:{}", num(width))} />
        }
    };
    let r = server_radius(n);
    html! {
        <g class="quorums" aria-hidden="true">
            { outline(&c.outgoing, "old", 2.0 * r + 44.0) }
            { outline(&c.voters, "new", 2.0 * r + 24.0) }
        </g>
    }
}

#[cfg(not(feature = "membership"))]
fn quorums(_: &Engine, _: usize) -> Html {
    html! {}
}

/// The server's place in the configuration (`voter`, `learner`, `removed`), with
/// membership changes.
#[cfg(feature = "membership")]
fn member(e: &Engine, id: raft_sim::NodeId) -> Option<&'static str> {
    Some(crate::engine::membership::member(e.sim(), id))
}

#[cfg(not(feature = "membership"))]
fn member(_: &Engine, _: raft_sim::NodeId) -> Option<&'static str> {
    None
}

fn bubbles(e: &Engine, n: usize) -> Html {
    if !e.bubbles_on || e.reduced_motion {
        return html! {};
    }
    html! {
        <g class="bubbles" aria-hidden="true">
            { for e.narrator.bubbles.iter().filter(|b| e.sim().server(b.node).is_some_and(|s| s.alive)).map(|b| {
                let geometry::BubbleLayout { lines, at: (x, y), size: (w, h) } = geometry::bubble(&b.text, b.node, n);
                html! {
                    <g class="bubble" data-speaker={b.node.to_string()} transform={format!("translate({},{})", num(x), num(y))}>
                        <rect width={num(w)} height={num(h)} rx="7" />
                        { for lines.iter().enumerate().map(|(i, l)| html! {
                            <text x={num(w / 2.0)} y={num(15.0 + i as f64 * 14.0)}>{ l.clone() }</text>
                        }) }
                    </g>
                }
            }) }
        </g>
    }
}
