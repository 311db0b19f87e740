//! The space-time diagram: one vertical lifeline per server, time going down, each
//! message an arrow from its sending to its delivery (lost ones stop short), with
//! elections, new leaders, commits and crashes marked. It shows the last
//! [`WINDOW`] of simulated time, in step with the ring and the timeline.

use super::{class, when};
use crate::engine::{Engine, Msg};
use crate::geometry::num;
use raft_sim::{MILLIS, MessageKind, NodeId, NoteKind, Time};
use yew::prelude::*;

/// Classes for the term colours (see style.css), cheaper than inline styles.
const TERM_CLASSES: [&str; 8] = ["tc0", "tc1", "tc2", "tc3", "tc4", "tc5", "tc6", "tc7"];

/// Simulated time shown.
pub const WINDOW: Time = 100 * MILLIS;
const W: f64 = 400.0;
const H: f64 = 260.0;
const TOP: f64 = 22.0;
/// How far short of its receiver's lifeline a lost message stops.
const LOST_GAP: f64 = 9.0;

/// The diagram.
pub fn diagram(e: &Engine, send: &Callback<Msg>) -> Html {
    let sim = e.sim();
    let n = sim.len();
    let now = sim.now();
    let from = now.saturating_sub(WINDOW);
    let x = |id: NodeId| -> f64 {
        let margin = 30.0;
        if n <= 1 {
            W / 2.0
        } else {
            margin + (id as f64 - 1.0) * (W - 2.0 * margin) / (n as f64 - 1.0)
        }
    };
    // Lines sit at absolute times; only the group's offset moves as time passes, so
    // that a frame redraws little more than the messages still in flight.
    let scale = (H - TOP - 4.0) / WINDOW as f64;
    let y = |t: Time| -> f64 { t as f64 * scale };
    let offset = TOP - from as f64 * scale;
    let hover = e.hover;
    let arrow = |id: u64,
                 to: NodeId,
                 kind: MessageKind,
                 term: u64,
                 (x1, y1): (f64, f64),
                 (x2, y2): (f64, f64),
                 lost: bool,
                 live: bool| {
        // Few attributes and no per-element listener: this is drawn at every frame.
        let vote = matches!(
            kind,
            MessageKind::RequestVote
                | MessageKind::RequestVoteReply
                | MessageKind::PreVote
                | MessageKind::PreVoteReply
        );
        let class = class(&[
            "trip",
            TERM_CLASSES[((term.max(1) - 1) % 8) as usize],
            when(vote, "vote"),
            when(lost, "lost"),
            when(live, "live"),
            when(hover == Some(id), "hover"),
        ]);
        // One element per trip (a lost one also gets its cross).
        let line = html! {
            <line key={id} {class} data-id={id.to_string()} data-kind={kind.name()} data-to={to.to_string()}
                x1={num(x1)} y1={num(y1)} x2={num(x2)} y2={num(y2)}
                marker-end={if lost { "" } else { "url(#trip-head)" }} />
        };
        if lost {
            let cross = format!(
                "M{a},{b} l4,4 m0,-4 l-4,4",
                a = num(x2 - 2.0),
                b = num(y2 - 2.0)
            );
            html! { <>{ line }<path key={format!("x{id}")} class="x" d={cross} /></> }
        } else {
            line
        }
    };
    let trips = sim.history().filter(|h| h.ended_at >= from).map(|h| {
        let (x1, x2) = (x(h.from), x(h.to));
        // A lost message stops just short of its receiver's lifeline, never on a
        // third server's (lifelines are 60 px apart at the closest).
        let end_x = if h.lost.is_some() {
            x2 - (x2 - x1).signum() * LOST_GAP
        } else {
            x2
        };
        arrow(
            h.id,
            h.to,
            h.kind,
            h.term,
            (x1, y(h.sent_at.max(from))),
            (end_x, y(h.ended_at)),
            h.lost.is_some(),
            false,
        )
    });
    let flying = sim.in_flight().map(|m| {
        let (x1, x2) = (x(m.msg.from), x(m.msg.to));
        let p = m.progress(now);
        arrow(
            m.id,
            m.msg.to,
            m.msg.kind(),
            m.msg.term,
            (x1, y(m.sent_at.max(from))),
            (x1 + (x2 - x1) * p, y(now)),
            false,
            true,
        )
    });
    let marks = e
        .timeline
        .markers()
        .iter()
        .filter(|m| m.at >= from && m.at <= now)
        .filter_map(|m| {
            let (cx, cy) = (x(m.node), y(m.at));
            let (class, label) = match m.kind {
                NoteKind::Candidate(t) => ("mark candidate", format!("T{t}")),
                NoteKind::Leader(t) => ("mark leader", format!("♛{t}")),
                NoteKind::Commit { to, .. } => ("mark commit", format!("[{to}]")),
                NoteKind::Crash => ("mark crash", "✕".to_string()),
                NoteKind::Restart => ("mark restart", "↺".to_string()),
                NoteKind::Read { value: Some(v), .. } => ("mark read", format!("R={v}")),
                NoteKind::Read { value: None, .. } => ("mark read", "R✕".to_string()),
                NoteKind::StepDown(_) | NoteKind::Heartbeat { .. } | NoteKind::PreCandidate(_) => {
                    return None;
                }
            };
            Some(html! {
                <g class={class} data-note={label.clone()}>
                    <circle cx={num(cx)} cy={num(cy)} r="3.5" />
                    <text x={num(cx + 6.0)} y={num(cy + 3.5)}>{ label }</text>
                </g>
            })
        });
    let t = &e.texts;
    html! {
        <details class="panel diagram" open=true>
            <summary>{ t.get("diagram") }</summary>
            <p class="hint">{ t.get("diagram_hint") }</p>
            <svg onmouseover={super::ring::on_hover(send)} onmouseout={super::ring::on_unhover(send)}
                viewBox={format!("0 0 {} {}", num(W), num(H))} role="img" aria-label={t.get("diagram")} data-diagram="">
                <defs>
                    <marker id="trip-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto">
                        <path d="M0,0 L10,5 L0,10 z" class="arrowhead" />
                    </marker>
                </defs>
                { for sim.servers().iter().map(|s| {
                    let id = s.node.id();
                    html! {
                        <g class={class(&["lifeline", when(!s.alive, "dead")])} data-lifeline={id.to_string()}>
                            <text x={num(x(id))} y="13">{ format!("S{id}") }</text>
                            <line x1={num(x(id))} y1={num(TOP)} x2={num(x(id))} y2={num(H - 2.0)} />
                        </g>
                    }
                }) }
                <text class="time" x="2" y={num(H - 4.0)}>{ format!("{} ms", now / MILLIS) }</text>
                <clipPath id="diagram-clip"><rect x="0" y={num(TOP)} width={num(W)} height={num(H - TOP)} /></clipPath>
                <g clip-path="url(#diagram-clip)">
                    <g transform={format!("translate(0,{})", num(offset))}>
                        { for trips }
                        { for flying }
                        { for marks }
                    </g>
                </g>
            </svg>
        </details>
    }
}
