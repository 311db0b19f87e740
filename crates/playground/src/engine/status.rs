//! The status line: the simulator's facts ([`raft_sim::Status`]) in words.

use crate::i18n::Texts;
use raft_sim::{NodeId, Property, Status};

/// "S3".
pub fn name(id: NodeId) -> String {
    format!("S{id}")
}

/// A safety property's key in the language files (`LeaderAppendOnly`: its texts are
/// `prop_LeaderAppendOnly` and `what_LeaderAppendOnly`).
pub fn property_key(p: Property) -> String {
    p.name().replace([' ', '-'], "")
}

/// A safety property's name in the page's language.
pub fn property_name(texts: &Texts, p: Property) -> String {
    texts.get(&format!("prop_{}", property_key(p)))
}

/// "S1, S2 and S3".
pub fn names(texts: &Texts, ids: &[NodeId]) -> String {
    texts.list(&ids.iter().map(|&i| name(i)).collect::<Vec<_>>())
}

/// The status, sentence by sentence.
pub fn lines(status: &Status, texts: &Texts, playing: bool) -> Vec<String> {
    let t = texts;
    let mut lines = Vec::new();
    match status.leaders[..] {
        [(leader, term)] => lines.push(t.fill(
            "status_leader",
            &[("leader", &name(leader)), ("term", &term.to_string())],
        )),
        [] if !status.candidates.is_empty() => lines.push(t.count(
            "status_candidates",
            status.candidates.len(),
            &[
                ("list", &names(t, &status.candidates)),
                ("term", &status.candidate_term.to_string()),
            ],
        )),
        [] if status.elected_before => lines.push(t.get("status_leaderless")),
        [] => lines.push(t.get("status_no_leader")),
        // Two leaders of one term: only a Raft with a rule switched off gets there.
        [(_, term), ..] if status.leaders.iter().all(|&(_, t)| t == term) => lines.push(t.fill(
            "status_leaders_one_term",
            &[
                (
                    "list",
                    &names(
                        t,
                        &status.leaders.iter().map(|&(l, _)| l).collect::<Vec<_>>(),
                    ),
                ),
                ("term", &term.to_string()),
            ],
        )),
        _ => {
            let list: Vec<String> = status
                .leaders
                .iter()
                .map(|&(l, term)| format!("{} ({} {term})", name(l), t.get("term")))
                .collect();
            lines.push(t.fill("status_leaders", &[("list", &t.list(&list))]));
        }
    }
    if !status.pre_candidates.is_empty() {
        lines.push(t.count(
            "status_pre_candidates",
            status.pre_candidates.len(),
            &[("list", &names(t, &status.pre_candidates))],
        ));
    }
    for group in &status.minorities {
        lines.push(t.count(
            "status_minority",
            group.len(),
            &[("list", &names(t, group))],
        ));
    }
    if !status.stopped.is_empty() {
        let list = names(t, &status.stopped);
        lines.push(t.count("status_stopped", status.stopped.len(), &[("list", &list)]));
    }
    if let Some((index, command)) = status.committed {
        lines.push(t.fill(
            "status_committed",
            &[
                ("index", &index.to_string()),
                ("command", &command.to_string()),
            ],
        ));
    }
    if !playing {
        lines.push(t.get("status_paused"));
    }
    lines
}
