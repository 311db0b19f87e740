//! The log table: one row per server, one cell per index, the newest indices in view.

use super::ring::{term_color, term_ink};
use super::widgets::Button;
use super::{class, when};
use crate::engine::{Engine, Msg};
use crate::i18n::Texts;
use raft_sim::{Command, Index, NodeId, Role, Term};
use yew::prelude::*;

/// Most indices shown at once; older ones scroll off to the left (and narrow tables
/// hide the oldest of these, see style.css).
const WINDOW: u64 = 10;
/// The same, when embedded in a small frame.
const EMBED_WINDOW: u64 = 4;

/// A command as a narrow cell writes it: `Set 1` as `S1`, `Add -2` as `A-2`.
fn short(command: Command) -> String {
    match command {
        Command::Set(n) => format!("S{n}"),
        Command::Add(n) => format!("A{n}"),
        Command::Noop => "–".into(),
    }
}

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
    /// A configuration entry (§6): joint (`C_old,new`) or not (`C_new`), and its voters.
    #[cfg(feature = "membership")]
    config: Option<(bool, Vec<NodeId>, Vec<NodeId>)>,
    /// The server's snapshot covers this index (§7), if it has one.
    #[cfg(feature = "compaction")]
    snapshot: Option<Index>,
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
    /// The column a narrow table keeps first (the newest entry in view).
    keep_to: Index,
    /// The newest index of any log: the window ends there unless scrolled back.
    newest: Index,
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
    let end = newest.saturating_sub(e.log_back).max(1);
    let first = end.saturating_sub(window - 1).max(1);
    let last = first + window - 1;
    // Which columns a narrow table keeps: the newest entries first, then older ones,
    // and the empty columns after the last entry (the leader's nextIndex) last.
    let keep_to = longest.saturating_sub(e.log_back).max(1);
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
                    #[cfg(feature = "compaction")]
                    snapshot: Some(n.log().snapshot_index()).filter(|&s| index <= s),
                    #[cfg(feature = "membership")]
                    config: n
                        .log()
                        .get(index)
                        .and_then(|e| e.config.as_ref())
                        .map(|c| (c.is_joint(), c.voters.clone(), c.learners.clone())),
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
        keep_to,
        newest,
        rows,
    }
}

/// Props of [`Logs`].
#[derive(Properties, PartialEq)]
pub struct LogsProps {
    /// What it shows.
    pub table: LogTable,
    /// Where clicks go.
    pub send: Callback<Msg>,
}

/// The logs of every server.
#[component]
pub fn Logs(props: &LogsProps) -> Html {
    let LogTable {
        texts: t,
        first,
        last,
        keep_to,
        newest,
        rows,
    } = &props.table;
    let (first, last, newest) = (*first, *last, *newest);
    // The order in which a narrow table hides columns (see style.css), 0 kept
    // longest: the entries in view from the newest back, then the empty columns
    // after them (where the leader's nextIndex shows).
    let entries = keep_to.saturating_sub(first) + 1;
    let age = |i: Index| -> String {
        if i <= *keep_to {
            (keep_to - i).to_string()
        } else {
            (entries + i - keep_to - 1).to_string()
        }
    };
    let send = &props.send;
    let older = first > 1;
    let newer = last < newest;
    html! {
        <section class="logs" aria-label={t.get("logs")}>
            <div class="logs-head">
                <h2>{ t.get("logs") }</h2>
                if older || newer {
                    <span class="scroll">
                        { Button::new("logs-older", "◀".into(), Msg::ScrollLogs(1)).aria_label(t.get("logs_older")).disabled(!older).view(send) }
                        { Button::new("logs-newer", "▶".into(), Msg::ScrollLogs(-1)).aria_label(t.get("logs_newer")).disabled(!newer).view(send) }
                        if newer {
                            { Button::new("logs-newest", t.get("logs_newest"), Msg::ScrollLogs(i64::MIN)).view(send) }
                        }
                    </span>
                }
            </div>
            <table data-first={first.to_string()} data-last={last.to_string()}>
                <thead>
                    <tr>
                        <th scope="col" class="who">{ t.get("index") }</th>
                        { for (first..=last).map(|i| html! {
                            <th scope="col" class="idx" data-age={age(i)}>{ if i == first && older { format!("…{i}") } else { i.to_string() } }</th>
                        }) }
                        <th scope="col" class="val"><span class="full">{ t.get("value") }</span><span class="short" aria-hidden="true">{ "=" }</span></th>
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
                                { for r.cells.iter().map(|c| cell(t, id, c, age(c.index))) }
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

/// A configuration entry as the paper writes it, `Cₒ,ₙ` (joint) or `Cₙ`, and in words
/// with its voters for the tooltip ("C new {1,2,3}"), with membership changes.
#[cfg(feature = "membership")]
fn config_words(t: &Texts, c: &Cell) -> Option<(&'static str, String)> {
    use crate::engine::words::word;
    let (joint, voters, learners) = c.config.as_ref()?;
    let list = |ids: &[NodeId]| {
        ids.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    let (mark, key) = if *joint {
        ("C\u{2092},\u{2099}", "config_joint")
    } else {
        ("C\u{2099}", "config_new")
    };
    let mut words = format!("{} {{{}}}", word(t, key), list(voters));
    if !learners.is_empty() {
        words.push_str(&format!(" + {} {{{}}}", word(t, "learner"), list(learners)));
    }
    Some((mark, words))
}

#[cfg(not(feature = "membership"))]
fn config_words(_: &Texts, _: &Cell) -> Option<(&'static str, String)> {
    None
}

/// A compacted index's tooltip, if the server's snapshot covers it (§7).
#[cfg(feature = "compaction")]
fn snapshot_title(t: &Texts, id: NodeId, c: &Cell) -> Option<String> {
    let upto = c.snapshot?;
    Some(crate::i18n::fill_in(
        crate::engine::words::word(t, "snapshot_cell"),
        &[("node", &id.to_string()), ("index", &upto.to_string())],
    ))
}

#[cfg(not(feature = "compaction"))]
fn snapshot_title(_: &Texts, _: NodeId, _: &Cell) -> Option<String> {
    None
}

fn cell(t: &Texts, id: NodeId, c: &Cell, age: String) -> Html {
    let i = c.index;
    // The leader's markers have a line of their own under the entry, so that they
    // never cover its text.
    let markers = html! {
        <span class="marks" aria-hidden="true">
            if c.next { <span class="next" title={t.get("next_index")}>{ "▸" }</span> }
            if c.matched { <span class="match" title={t.get("match_index")}>{ "●" }</span> }
        </span>
    };
    let edge = when(c.commit_edge, "commit-edge");
    match c.entry {
        Some((term, command)) => {
            let noop = command == Command::Noop;
            let config = config_words(t, c);
            let is_config = config.is_some();
            let (mark, text) = match config {
                Some((mark, words)) => (Some(mark), words),
                None if noop => (None, t.get("no_op")),
                None => (None, command.to_string()),
            };
            let noop = noop && !is_config;
            let title = format!(
                "S{id} [{i}] {text} ({} {term}) {}",
                t.get("term"),
                t.get(if c.committed {
                    "committed"
                } else {
                    "uncommitted"
                })
            );
            html! {
                <td class={class(&["entry", if c.committed { "committed" } else { "uncommitted" }, edge, when(noop, "noop"), when(is_config, "config")])}
                    data-server={id.to_string()} data-index={i.to_string()} data-term={term.to_string()}
                    data-committed={c.committed.to_string()} data-command={command.to_string()} data-age={age}
                    style={format!("--term:{};--term-ink:{}", term_color(term), term_ink(term))} title={title}>
                    <span class="t">{ term }</span>
                    if let Some(mark) = mark {
                        <span class="c">{ mark }</span>
                    } else {
                        <span class="c"><span class="full">{ text }</span><span class="short" aria-hidden="true">{ short(command) }</span></span>
                    }
                    { markers }
                </td>
            }
        }
        None => match snapshot_title(t, id, c) {
            Some(title) => html! {
                <td class={class(&["snapshot", edge])} data-server={id.to_string()} data-index={i.to_string()}
                    data-age={age} title={title}>{ "▣" }{ markers }</td>
            },
            None => html! {
                <td class={class(&["empty", edge])} data-index={i.to_string()} data-age={age}>{ markers }</td>
            },
        },
    }
}
