//! The log table: one row per server, one cell per index, the newest indices in view.

use super::ring::{term_color, term_ink};
use super::{class, when};
use crate::engine::Engine;
use crate::i18n::Texts;
use raft_sim::{Command, Index, NodeId, Role, Term};
use yew::prelude::*;

/// Most indices shown at once; older ones scroll off to the left.
const WINDOW: u64 = 10;
/// The same, when embedded in a small frame.
const EMBED_WINDOW: u64 = 5;

/// One cell: an index of one server's log.
#[derive(Clone, Debug, PartialEq)]
struct Cell {
    index: Index,
    /// The entry there, if any: its term and command.
    entry: Option<(Term, Command)>,
    committed: bool,
    /// The leader's nextIndex for this follower is here.
    next: bool,
    /// The leader's matchIndex for this follower is here.
    matched: bool,
    /// The server's commit index is here.
    commit_edge: bool,
}

/// One server's row.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    id: NodeId,
    role: &'static str,
    alive: bool,
    leader: bool,
    commit: Index,
    value: i64,
    cells: Vec<Cell>,
}

/// What the log table shows: the indices in view and every server's row.
#[derive(Clone, Debug, PartialEq)]
pub struct LogTable {
    texts: Texts,
    first: Index,
    last: Index,
    rows: Vec<Row>,
}

/// The table as it is now: only the indices in view are read, so that the work does
/// not grow with the length of the logs.
pub fn table(e: &Engine) -> LogTable {
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
    let rows = sim
        .servers()
        .iter()
        .map(|s| {
            let n = &s.node;
            let id = n.id();
            let commit = n.commit_index();
            let progress = leader
                .and_then(|l| l.node.progress().iter().find(|p| p.peer == id))
                .map(|p| (p.next_index, p.match_index));
            let cells = (first..=last)
                .map(|index| Cell {
                    index,
                    entry: n.log().get(index).map(|e| (e.term, e.command)),
                    committed: index <= commit,
                    next: progress.is_some_and(|(next, _)| next == index),
                    matched: progress.is_some_and(|(_, m)| m == index),
                    commit_edge: index == commit,
                })
                .collect();
            Row {
                id,
                role: if s.alive { n.role().name() } else { "stopped" },
                alive: s.alive,
                leader: s.alive && n.role() == Role::Leader,
                commit,
                value: s.register.value,
                cells,
            }
        })
        .collect();
    LogTable {
        texts: e.texts.clone(),
        first,
        last,
        rows,
    }
}

/// Props of [`Logs`].
#[derive(Properties, PartialEq)]
pub struct LogsProps {
    /// What it shows.
    pub table: LogTable,
}

/// The logs of every server.
#[component]
pub fn Logs(props: &LogsProps) -> Html {
    let LogTable {
        texts: t,
        first,
        last,
        rows,
    } = &props.table;
    let (first, last) = (*first, *last);
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
                    { for rows.iter().map(|r| {
                        let id = r.id;
                        html! {
                            <tr class={class(&["log-row", &format!("role-{}", r.role), when(!r.alive, "dead")])}
                                data-server={id.to_string()} data-commit-index={r.commit.to_string()}>
                                <th scope="row" class="who">
                                    <span class="name">{ format!("S{id}") }</span>
                                    if r.leader { <span class="crown-mini" title={t.get("leader")}>{ "♛" }</span> }
                                    <span class="role-word">{ t.get(r.role) }</span>
                                </th>
                                { for r.cells.iter().map(|c| cell(t, id, c)) }
                                <td class="val"><span class="badge" data-value={r.value.to_string()}
                                    title={t.get("value")}>{ r.value }</span></td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </section>
    }
}

fn cell(t: &Texts, id: NodeId, c: &Cell) -> Html {
    let i = c.index;
    let markers = html! { <>
        if c.next { <span class="next" title={t.get("next_index")}>{ "▸" }</span> }
        if c.matched { <span class="match" title={t.get("match_index")}>{ "●" }</span> }
    </> };
    let edge = when(c.commit_edge, "commit-edge");
    match c.entry {
        Some((term, command)) => {
            let title = format!(
                "S{id} [{i}] {command} ({} {term}) {}",
                t.get("term"),
                t.get(if c.committed {
                    "committed"
                } else {
                    "uncommitted"
                })
            );
            html! {
                <td class={class(&["entry", if c.committed { "committed" } else { "uncommitted" }, edge])}
                    data-server={id.to_string()} data-index={i.to_string()} data-term={term.to_string()}
                    data-committed={c.committed.to_string()} data-command={command.to_string()}
                    style={format!("--term:{};--term-ink:{}", term_color(term), term_ink(term))} title={title}>
                    <span class="t">{ term }</span>
                    <span class="c">{ command.to_string() }</span>
                    { markers }
                </td>
            }
        }
        None => html! {
            <td class={class(&["empty", edge])} data-index={i.to_string()}>{ markers }</td>
        },
    }
}
