//! The safety panel: the five properties of the paper's Figure 3 as live badges fed
//! by the simulator's checker, each with the evidence at the current moment.

use super::Props;
use crate::engine::{Engine, Msg};
use raft_sim::Property;
use yew::prelude::*;

const FIVE: [Property; 5] = [
    Property::ElectionSafety,
    Property::LeaderAppendOnly,
    Property::LogMatching,
    Property::LeaderCompleteness,
    Property::StateMachineSafety,
];

/// The property's key in the language files (`LeaderAppendOnly`).
fn key(p: Property) -> String {
    p.name().replace([' ', '-'], "")
}

/// What shows, now, that a property holds (or how it broke).
pub fn evidence(e: &Engine, p: Property) -> Vec<String> {
    let t = &e.texts;
    let sim = e.sim();
    let name = |id: u32| format!("S{id}");
    let mut out: Vec<String> = sim
        .violations()
        .iter()
        .filter(|v| v.property == p)
        .take(3)
        .map(|v| t.fill("ev_violation", &[("what", &v.to_string())]))
        .collect();
    match p {
        Property::ElectionSafety => {
            let leaders = sim.checker().leaders();
            if leaders.is_empty() {
                out.push(t.get("ev_no_leader_yet"));
            }
            let skip = leaders.len().saturating_sub(8);
            out.extend(leaders.iter().skip(skip).map(|(term, l)| {
                t.fill(
                    "ev_leader_of_term",
                    &[("term", &term.to_string()), ("leader", &name(*l))],
                )
            }));
        }
        Property::LeaderAppendOnly => {
            let leaders = sim.leaders();
            if leaders.is_empty() {
                out.push(t.get("ev_no_leader_now"));
            }
            for l in leaders {
                if let Some(s) = sim.server(l) {
                    out.push(t.fill(
                        "ev_append_only",
                        &[
                            ("leader", &name(l)),
                            ("term", &s.node.term().to_string()),
                            ("n", &s.node.log().len().to_string()),
                        ],
                    ));
                }
            }
        }
        Property::LogMatching => {
            let servers = sim.servers();
            for (i, a) in servers.iter().enumerate() {
                for b in &servers[i + 1..] {
                    let (la, lb) = (a.node.log().entries(), b.node.log().entries());
                    let last = (0..la.len().min(lb.len()))
                        .rev()
                        .find(|&k| la[k].term == lb[k].term);
                    let (an, bn) = (name(a.node.id()), name(b.node.id()));
                    out.push(match last {
                        Some(k) => t.fill(
                            "ev_match",
                            &[
                                ("a", &an),
                                ("b", &bn),
                                ("index", &(k + 1).to_string()),
                                ("term", &la[k].term.to_string()),
                            ],
                        ),
                        None => t.fill("ev_no_match", &[("a", &an), ("b", &bn)]),
                    });
                }
            }
        }
        Property::LeaderCompleteness => {
            let committed = sim
                .servers()
                .iter()
                .max_by_key(|s| s.node.commit_index())
                .filter(|s| s.node.commit_index() > 0);
            let leader = sim.leader().and_then(|l| sim.server(l));
            match (committed, leader) {
                (None, _) => out.push(t.get("ev_nothing_committed")),
                (_, None) => out.push(t.get("ev_no_leader_now")),
                (Some(c), Some(l)) => {
                    for i in 1..=c.node.commit_index() {
                        if let (Some(en), Some(_)) = (c.node.log().get(i), l.node.log().get(i)) {
                            out.push(t.fill(
                                "ev_completeness",
                                &[
                                    ("index", &i.to_string()),
                                    ("command", &en.command.to_string()),
                                    ("term", &en.term.to_string()),
                                    ("leader", &name(l.node.id())),
                                ],
                            ));
                        }
                    }
                }
            }
        }
        Property::StateMachineSafety => {
            for s in sim.servers().iter().filter(|s| s.alive) {
                out.push(t.fill(
                    "ev_applied",
                    &[
                        ("node", &name(s.node.id())),
                        ("n", &s.node.last_applied().to_string()),
                        ("value", &s.register.value.to_string()),
                    ],
                ));
            }
        }
        _ => {}
    }
    out
}

/// The safety panel.
#[component]
pub fn Safety(props: &Props) -> Html {
    let e = props.ctx.engine.borrow();
    let send = &props.ctx.send;
    let t = &e.texts;
    let sim = e.sim();
    html! {
        <details class="panel safety" open=true>
            <summary>{ t.get("safety") }</summary>
            <p class="hint">{ t.get("safety_hint") }</p>
            <ul class="badges">
                { for FIVE.iter().map(|&p| {
                    let broken = sim.violations().iter().any(|v| v.property == p);
                    let k = key(p);
                    let open = e.property == Some(p);
                    html! {
                        <li>
                            <button class={super::class(&["badge-prop", if broken { "violated" } else { "holds" }, super::when(open, "open")])}
                                onclick={send.reform(move |_| Msg::ShowProperty(Some(p)))}
                                aria-expanded={open.to_string()} data-property={k.clone()}
                                data-holds={(!broken).to_string()}>
                                <span class="mark">{ if broken { "✗" } else { "✓" } }</span>
                                { t.get(&format!("prop_{k}")) }
                                <span class="sr-only">{ format!(" ({})", t.get(if broken { "violated" } else { "holds" })) }</span>
                            </button>
                            <span class="what">{ t.get(&format!("what_{k}")) }</span>
                            if open {
                                <ul class="evidence" data-evidence={k.clone()}>
                                    { for evidence(&e, p).into_iter().map(|line| html! { <li>{ line }</li> }) }
                                </ul>
                            }
                        </li>
                    }
                }) }
            </ul>
        </details>
    }
}
