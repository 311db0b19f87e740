//! Exhaustive search of small clusters (`raft-sim explore`), native only.
//!
//! [`model`] turns raft-core servers, an adversarial network and the simulator's
//! safety checker into a [stateright] model; the search visits, breadth first,
//! every state reachable within [`Bounds`]. With no deviation from the paper, no
//! reachable state breaks a property. With a [`Bug`] in (a [`Deviation`] of raft-core,
//! or the naive read), the first violation found is on a shortest run to it, which
//! [`replay::play`] turns into an ordinary simulator trace.

pub mod model;
pub mod replay;

pub use crate::bugs::Bug;
pub use model::{Bounds, RaftModel, State, Step};
pub use raft_core::Deviation;

use crate::{Command, Violation};
use raft_core::{Body, Message, NodeId};
use stateright::{Checker, HasDiscoveries, Model};
use std::time::{Duration, Instant};

/// The bounds a search uses unless told otherwise: for the paper's Raft, the
/// space checked in CI; for a deviation, the smallest bounds that hold its
/// counterexample (what it needs: terms, commands, a crash).
pub fn bounds_for(bug: Option<Bug>) -> Bounds {
    let b = Bounds {
        servers: 3,
        max_term: 2,
        max_log: 1,
        commands: 1,
        restarts: 0,
        duplicates: 0,
        link_capacity: 1,
        reads: 0,
    };
    let d = match bug {
        None => return Bounds { restarts: 1, ..b },
        Some(Bug::NaiveRead) => return Bounds { reads: 1, ..b },
        Some(Bug::Rule(d)) => Some(d),
    };
    match d {
        None => b,
        Some(Deviation::VoteTwice) => Bounds {
            max_term: 1,
            commands: 0,
            ..b
        },
        Some(Deviation::ForgetVote) => Bounds {
            max_term: 1,
            commands: 0,
            restarts: 1,
            ..b
        },
        Some(Deviation::LeaderIgnoresHigherTerm) => Bounds { commands: 0, ..b },
        Some(Deviation::SkipConsistencyCheck) => Bounds { commands: 2, ..b },
        Some(Deviation::VoteWithoutLogCheck) => b,
        Some(Deviation::CommitEarlierTerm) => Bounds {
            max_term: 4,
            commands: 2,
            ..b
        },
        Some(Deviation::AckBeforePersist) => Bounds {
            max_term: 1,
            restarts: 1,
            ..b
        },
        #[cfg(feature = "membership")]
        Some(Deviation::ChangeBeforeCommitInTerm) => b,
    }
}

/// A step of a scripted start, resolved against the state it is taken in.
#[derive(Clone, Copy, Debug)]
enum Scripted {
    Timeout(NodeId),
    Propose(NodeId, i64),
    /// The first message in flight from one server to another.
    Deliver(NodeId, NodeId),
}

/// Where the search for `bug` starts. Every deviation's search starts from a fresh
/// cluster but one: Figure 8's (§5.4.2) takes at least four elections, too deep for
/// a breadth-first search from scratch, so it starts where the paper's figure
/// starts: S1 led term 1 and took Set 1, which it replicated nowhere; S2 led term 2
/// with S3's vote and took Set 2, likewise. The search finds the shortest way on.
pub fn start_for(model: &RaftModel, bug: Option<Bug>) -> Vec<Step> {
    use Scripted::*;
    let script: &[Scripted] = match bug {
        Some(Bug::Rule(Deviation::CommitEarlierTerm)) => &[
            Timeout(1),
            Deliver(1, 2),
            Deliver(2, 1),
            Propose(1, 1),
            Timeout(2),
            Deliver(2, 3),
            Deliver(3, 2),
            Propose(2, 2),
        ],
        _ => &[],
    };
    let mut steps = Vec::new();
    let mut state = model.fresh();
    for s in script {
        let Some(now) = state.take() else { break };
        let step = match *s {
            Timeout(id) => Step::Timeout(id),
            Propose(id, n) => Step::Propose(id, Command::Set(n)),
            Deliver(from, to) => match now.network.iter().find(|m| (m.from, m.to) == (from, to)) {
                Some(m) => Step::Deliver(m.clone()),
                None => break,
            },
        };
        state = model.take(&now, step.clone());
        steps.push(step);
    }
    steps
}

/// What a search found.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// States generated, repeats included.
    pub states: usize,
    /// Distinct states.
    pub unique: usize,
    /// Deepest level reached (steps from the start).
    pub depth: usize,
    /// Wall-clock time of the search.
    pub elapsed: Duration,
    /// The run to the first violation, if one is reachable.
    pub counterexample: Option<Counterexample>,
}

/// A shortest run to a violation.
#[derive(Clone, Debug)]
pub struct Counterexample {
    /// The steps, from a fresh cluster (the model's scripted start included).
    pub steps: Vec<Step>,
    /// How many of the steps are the scripted start.
    pub scripted: usize,
    /// What the checker saw at the end.
    pub violation: Violation,
}

/// Searches `model`'s space breadth first on `threads` threads (with one, the
/// counterexample is a shortest one), calling `progress` with the distinct states
/// and the depth so far about ten times a second.
pub fn search(model: RaftModel, threads: usize, mut progress: impl FnMut(usize, usize)) -> Outcome {
    let start = Instant::now();
    let scripted = model.start.clone();
    let checker = model
        .checker()
        .threads(threads.max(1))
        .finish_when(HasDiscoveries::AnyFailures)
        .spawn_bfs();
    while !checker.is_done() {
        std::thread::sleep(Duration::from_millis(100));
        progress(checker.unique_state_count(), checker.max_depth());
    }
    let checker = checker.join();
    let counterexample = checker.discovery("safety").and_then(|path| {
        let violation = path.last_state().broken()?.clone();
        let mut steps = scripted.clone();
        steps.extend(path.into_actions());
        Some(Counterexample {
            steps,
            scripted: scripted.len(),
            violation,
        })
    });
    Outcome {
        states: checker.state_count(),
        unique: checker.unique_state_count(),
        depth: checker.max_depth(),
        elapsed: start.elapsed(),
        counterexample,
    }
}

fn message(m: &Message<crate::Command>) -> String {
    let (from, to, term) = (m.from, m.to, m.term);
    let what = match &m.body {
        Body::RequestVote {
            last_log_index,
            last_log_term,
            ..
        } => format!("RequestVote (last entry {last_log_index}, term {last_log_term})"),
        Body::RequestVoteReply { vote_granted } => {
            format!("vote {}", if *vote_granted { "granted" } else { "refused" })
        }
        Body::AppendEntries {
            prev_log_index,
            prev_log_term,
            entries,
            leader_commit,
            ..
        } => {
            let list: Vec<String> = entries
                .iter()
                .map(|e| format!("{} (term {})", e.command, e.term))
                .collect();
            format!(
                "AppendEntries after {prev_log_index}/{prev_log_term} [{}], commit {leader_commit}",
                list.join(", ")
            )
        }
        Body::AppendEntriesReply {
            success,
            match_index,
            ..
        } => match success {
            true => format!("AppendEntries accepted (match {match_index})"),
            false => "AppendEntries refused".into(),
        },
        _ => m.kind().name().to_string(),
    };
    format!("S{from} → S{to}, term {term}: {what}")
}

/// One step, in words.
pub fn describe(step: &Step) -> String {
    match step {
        Step::Timeout(id) => format!("S{id} times out and stands for election"),
        Step::Heartbeat(id) => format!("S{id} sends a round of heartbeats"),
        Step::Propose(id, c) => format!("a client sends {c} to S{id}"),
        Step::Read(id) => format!("a client reads the register at S{id}"),
        Step::Deliver(m) => format!("delivered: {}", message(m)),
        Step::Duplicate(m) => format!("delivered (a copy stays in flight): {}", message(m)),
        Step::Restart(id) => format!("S{id} crashes and restarts from stable storage"),
    }
}
