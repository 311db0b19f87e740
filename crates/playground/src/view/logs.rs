//! The log table: one row per server, one cell per index.

use super::ring::{term_color, term_ink};
use super::{Props, class, when};
use raft_sim::{Index, NodeId, Role};
use yew::prelude::*;

/// Most indices shown at once; older ones scroll off to the left.
const WINDOW: u64 = 10;
/// The same, when embedded in a small frame.
const EMBED_WINDOW: u64 = 5;

/// The logs of every server.
#[component]
pub fn Logs(props: &Props) -> Html {
    let e = props.ctx.engine.borrow();
    let t = &e.texts;
    let sim = e.sim();
    let leader = sim.leader().and_then(|l| sim.server(l));
    let longest = sim
        .servers()
        .iter()
        .map(|s| s.node.log().last_index())
        .max()
        .unwrap_or(0);
    // A fixed number of columns, so that cells keep their size; the newest entries
    // (and the leader's nextIndex just after them) stay in view.
    let window = if e.embed { EMBED_WINDOW } else { WINDOW };
    let newest = longest + u64::from(leader.is_some());
    let first = newest.saturating_sub(window - 1).max(1);
    let last = first + window - 1;
    let progress = |follower: NodeId| {
        leader.and_then(|l| {
            l.node
                .progress()
                .iter()
                .find(|p| p.peer == follower)
                .copied()
        })
    };
    html! {
        <section class="logs" aria-label={t.get("logs")}>
            <h2>{ t.get("logs") }</h2>
            <table>
                <thead>
                    <tr>
                        <th scope="col" class="who">{ t.get("index") }</th>
                        { for (first..=last).map(|i| html! {
                            <th scope="col" class="idx">{ if i == first && first > 1 { format!("…{i}") } else { i.to_string() } }</th>
                        }) }
                        <th scope="col" class="val">{ t.get("value") }</th>
                    </tr>
                </thead>
                <tbody>
                    { for sim.servers().iter().map(|s| {
                        let n = &s.node;
                        let id = n.id();
                        let commit = n.commit_index();
                        let role = if s.alive { n.role().name() } else { "stopped" };
                        let p = progress(id);
                        let is_leader = s.alive && n.role() == Role::Leader;
                        html! {
                            <tr class={class(&["log-row", &format!("role-{role}"), when(!s.alive, "dead")])}
                                data-server={id.to_string()} data-commit-index={commit.to_string()}>
                                <th scope="row" class="who">
                                    <span class="name">{ format!("S{id}") }</span>
                                    if is_leader { <span class="crown-mini" title={t.get("leader")}>{ "♛" }</span> }
                                    <span class="role-word">{ t.get(role) }</span>
                                </th>
                                { for (first..=last).map(|i| cell(&e, id, i, commit, p.map(|p| (p.next_index, p.match_index)))) }
                                <td class="val"><span class="badge" data-value={s.register.value.to_string()}
                                    title={t.get("value")}>{ s.register.value }</span></td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </section>
    }
}

fn cell(
    e: &crate::engine::Engine,
    id: NodeId,
    i: Index,
    commit: Index,
    progress: Option<(Index, Index)>,
) -> Html {
    let t = &e.texts;
    let node = e.sim().server(id).map(|s| &s.node);
    let entry = node.and_then(|n| n.log().get(i));
    let next = progress.is_some_and(|(next, _)| next == i);
    let matched = progress.is_some_and(|(_, m)| m == i);
    let markers = html! { <>
        if next { <span class="next" title={t.get("next_index")}>{ "▸" }</span> }
        if matched { <span class="match" title={t.get("match_index")}>{ "●" }</span> }
    </> };
    let edge = (i == commit).then_some("commit-edge");
    match entry {
        Some(en) => {
            let committed = i <= commit;
            let title = format!(
                "S{id} [{i}] {} ({} {}) {}",
                en.command,
                t.get("term"),
                en.term,
                t.get(if committed {
                    "committed"
                } else {
                    "uncommitted"
                })
            );
            html! {
                <td class={class(&["entry", if committed { "committed" } else { "uncommitted" }, edge.unwrap_or("")])}
                    data-server={id.to_string()} data-index={i.to_string()} data-term={en.term.to_string()}
                    data-committed={committed.to_string()} data-command={en.command.to_string()}
                    style={format!("--term:{};--term-ink:{}", term_color(en.term), term_ink(en.term))} title={title}>
                    <span class="t">{ en.term }</span>
                    <span class="c">{ en.command.to_string() }</span>
                    { markers }
                </td>
            }
        }
        None => html! {
            <td class={class(&["empty", edge.unwrap_or("")])} data-index={i.to_string()}>{ markers }</td>
        },
    }
}
