//! The safety panel: the five properties of the paper's Figure 3, and linearizable
//! reads, as live badges fed by the simulator's checker, each with the evidence, now,
//! that raft-sim gives.

use crate::engine::status::{name, names, property_key};
use crate::engine::{Engine, Msg};
use crate::i18n::Texts;
use raft_sim::{Evidence, Property};
use yew::prelude::*;

/// The properties always shown (Figure 3 and reads).
const SHOWN: [Property; 6] = [
    Property::ElectionSafety,
    Property::LeaderAppendOnly,
    Property::LogMatching,
    Property::LeaderCompleteness,
    Property::StateMachineSafety,
    Property::LinearizableReads,
];

/// The checker's other invariants, shown only once broken (as some of the bugs of
/// "Break Raft" break them first).
const SHOWN_IF_BROKEN: [Property; 3] = [
    Property::CommittedOnMajority,
    Property::TermMonotonic,
    Property::CommitMonotonic,
];

/// One line of evidence in words.
fn words(t: &Texts, e: &Evidence) -> String {
    let s = |n: &dyn ToString| n.to_string();
    match e {
        Evidence::Violation(v) => {
            // In the page's language: when, who, where (the checker's own sentence is
            // English, for the command line).
            let mut place = Vec::new();
            if !v.nodes.is_empty() {
                place.push(names(t, &v.nodes));
            }
            if let Some(i) = v.index {
                place.push(format!("index {i}"));
            }
            if let Some(term) = v.term {
                place.push(format!("{} {term}", t.get("term")));
            }
            let time = (v.time / raft_sim::MILLIS).to_string();
            t.fill(
                "ev_violation",
                &[("time", &time), ("where", &place.join(", "))],
            )
        }
        Evidence::NoLeaderYet => t.get("ev_no_leader_yet"),
        Evidence::LeaderOfTerm { term, leader } => t.fill(
            "ev_leader_of_term",
            &[("term", &s(term)), ("leader", &name(*leader))],
        ),
        Evidence::NoLeaderNow => t.get("ev_no_leader_now"),
        Evidence::AppendOnly {
            leader,
            term,
            entries,
        } => t.fill(
            "ev_append_only",
            &[
                ("leader", &name(*leader)),
                ("term", &s(term)),
                ("n", &s(entries)),
            ],
        ),
        Evidence::Match { a, b, upto } => match upto {
            Some((index, term)) => t.fill(
                "ev_match",
                &[
                    ("a", &name(*a)),
                    ("b", &name(*b)),
                    ("index", &s(index)),
                    ("term", &s(term)),
                ],
            ),
            None => t.fill("ev_no_match", &[("a", &name(*a)), ("b", &name(*b))]),
        },
        Evidence::NothingCommitted => t.get("ev_nothing_committed"),
        Evidence::Completeness {
            index,
            command,
            term,
            leader,
        } => t.fill(
            "ev_completeness",
            &[
                ("index", &s(index)),
                ("command", &s(command)),
                ("term", &s(term)),
                ("leader", &name(*leader)),
            ],
        ),
        Evidence::NoReadYet => t.get("ev_no_read_yet"),
        Evidence::Read {
            read,
            node,
            value,
            index,
            floor,
        } => t.fill(
            if index >= floor {
                "ev_read"
            } else {
                "ev_read_stale"
            },
            &[
                ("k", &s(&(read + 1))),
                ("node", &name(*node)),
                ("value", &s(value)),
                ("index", &s(index)),
                ("floor", &s(floor)),
            ],
        ),
        Evidence::Applied {
            node,
            applied,
            value,
        } => t.fill(
            "ev_applied",
            &[
                ("node", &name(*node)),
                ("n", &s(applied)),
                ("value", &s(value)),
            ],
        ),
    }
}

/// What the safety panel shows.
#[derive(Clone, PartialEq)]
pub struct SafetyView {
    texts: Texts,
    /// Each property shown, and whether it was broken.
    shown: Vec<(Property, bool)>,
    /// The property opened, and its evidence in words.
    open: Option<(Property, Vec<String>)>,
}

/// The panel's view of the run.
pub fn view(e: &Engine) -> SafetyView {
    let sim = e.sim();
    let broken = |p: Property| sim.violations().iter().any(|v| v.property == p);
    let shown = SHOWN
        .iter()
        .map(|&p| (p, broken(p)))
        .chain(
            SHOWN_IF_BROKEN
                .iter()
                .filter(|&&p| broken(p))
                .map(|&p| (p, true)),
        )
        .collect();
    let open = e.property.map(|p| {
        let lines = sim
            .evidence(p)
            .iter()
            .map(|ev| words(&e.texts, ev))
            .collect();
        (p, lines)
    });
    SafetyView {
        texts: e.texts.clone(),
        shown,
        open,
    }
}

/// The safety panel (drawn by [`super::below::Below`]).
pub fn panel(v: &SafetyView, send: &Callback<Msg>) -> Html {
    let t = &v.texts;
    html! {
        <details class="panel safety" open=true>
            <summary>{ t.get("safety") }</summary>
            <p class="hint">{ t.get("safety_hint") }</p>
            <ul class="badges">
                { for v.shown.iter().map(|&(p, broken)| {
                    let k = property_key(p);
                    let evidence = v.open.as_ref().filter(|(o, _)| *o == p).map(|(_, l)| l);
                    html! {
                        <li>
                            <button class={super::class(&["badge-prop", if broken { "violated" } else { "holds" }, super::when(evidence.is_some(), "open")])}
                                onclick={send.reform(move |_| Msg::ShowProperty(Some(p)))}
                                aria-expanded={evidence.is_some().to_string()} data-property={k.clone()}
                                data-holds={(!broken).to_string()}>
                                <span class="mark">{ if broken { "✗" } else { "✓" } }</span>
                                { t.get(&format!("prop_{k}")) }
                                <span class="sr-only">{ format!(" ({})", t.get(if broken { "violated" } else { "holds" })) }</span>
                            </button>
                            <span class="what">{ t.get(&format!("what_{k}")) }</span>
                            if let Some(lines) = evidence {
                                <ul class="evidence" data-evidence={k.clone()}>
                                    { for lines.iter().map(|line| html! { <li>{ line.clone() }</li> }) }
                                </ul>
                            }
                        </li>
                    }
                }) }
            </ul>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use raft_sim::Violation;

    #[test]
    fn a_violation_is_told_in_the_pages_language() {
        let v = Evidence::Violation(Violation {
            property: Property::ElectionSafety,
            time: 1_168_205,
            nodes: vec![1, 2],
            index: None,
            term: Some(5),
            detail: "S1 and S2 are both leaders of term 5".into(),
        });
        assert_eq!(
            words(&Texts::new("fr"), &v),
            "Violation à 1168 ms (S1 et S2, mandat 5)."
        );
        assert_eq!(
            words(&Texts::new("en"), &v),
            "Violation at 1168 ms (S1 and S2, term 5)."
        );
    }
}
