//! Scripted scenarios as data: steps that wait, act on servers named by role ("the
//! leader", "a follower") or by id, and check what the cluster must show. The guided
//! tour and `raft-sim scenario NAME` both run them on the real simulator.
//!
//! This module holds the model (the types a script file is made of); [`script`]
//! interprets one step at a time, and [`runner`] plays a whole script in simulated time.

mod runner;
mod script;

pub use runner::{Progress, Runner};
pub use script::{Drive, Script};

use raft_core::NodeId;
#[cfg(feature = "exercises")]
use raft_core::Term;

use crate::{Role, SimConfig, Simulation};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A server named in a script.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Who {
    /// The live leader of the highest term.
    Leader,
    /// A server by id (`"S3"`).
    Server(NodeId),
    /// The k-th live follower in id order, from 1 (`"follower2"`).
    Follower(usize),
    /// The live candidate with the lowest id (`"candidate"`).
    Candidate,
    /// A server remembered earlier (`"$old_leader"`).
    Named(String),
    /// Every live server (`"all"`), for conditions.
    All,
}

impl TryFrom<String> for Who {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let bad = || {
            format!(
                "unknown server \"{s}\" (use leader, candidate, S1…S{}, follower1…, $name or all)",
                crate::MAX_NODES
            )
        };
        if s == "leader" {
            Ok(Who::Leader)
        } else if s == "all" {
            Ok(Who::All)
        } else if s == "candidate" {
            Ok(Who::Candidate)
        } else if let Some(name) = s.strip_prefix('$') {
            Ok(Who::Named(name.to_string()))
        } else if let Some(k) = s.strip_prefix("follower") {
            k.parse()
                .ok()
                .filter(|&k| k >= 1)
                .map(Who::Follower)
                .ok_or_else(bad)
        } else if let Some(id) = s.strip_prefix('S') {
            id.parse()
                .ok()
                .filter(|&id| id >= 1)
                .map(Who::Server)
                .ok_or_else(bad)
        } else {
            Err(bad())
        }
    }
}

impl From<Who> for String {
    fn from(w: Who) -> String {
        match w {
            Who::Leader => "leader".into(),
            Who::Server(id) => format!("S{id}"),
            Who::Follower(k) => format!("follower{k}"),
            Who::Candidate => "candidate".into(),
            Who::Named(n) => format!("${n}"),
            Who::All => "all".into(),
        }
    }
}

impl fmt::Display for Who {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from(self.clone()))
    }
}

/// An action of a script, on servers named by [`Who`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Act {
    /// Stop a server.
    Crash(Who),
    /// Restart a stopped server.
    Restart(Who),
    /// Make a server time out now.
    Timeout(Who),
    /// Make these servers time out at the same moment.
    Align(Vec<Who>),
    /// Space these servers' timeouts apart.
    Spread(Vec<Who>),
    /// Split the network; servers listed nowhere form one more island.
    Partition(Vec<Vec<Who>>),
    /// Restore every link.
    Heal,
    /// A client sends a command (`"Set 1"`) to a server.
    Submit {
        /// The server.
        to: Who,
        /// The command, as text.
        command: String,
    },
    /// Remember which server `who` is now, as `$name`.
    Remember {
        /// The name.
        name: String,
        /// The server.
        who: Who,
    },
    /// Remember the servers that stood for election in `who`'s current term, as
    /// `$name` (a caption then names them as they really were).
    RememberCandidates {
        /// The name.
        name: String,
        /// Whose term.
        term_of: Who,
    },
    /// Remember `who`'s current term, as `$name` (a number in captions).
    RememberTerm {
        /// The name.
        name: String,
        /// The server.
        who: Who,
    },
    /// A client reads the register at a server.
    Read(Who),
    /// The leader hands leadership over.
    Transfer {
        /// The leader.
        from: Who,
        /// The server to lead next.
        to: Who,
    },
    // Membership changes and compaction (after the others, so that the page's
    // embedded tour reads the same without them).
    /// The leader adds a new server, S(n+1), as a learner (§6).
    #[cfg(feature = "membership")]
    AddServer(Who),
    /// The leader takes a server out of the configuration (§6).
    #[cfg(feature = "membership")]
    RemoveServer {
        /// The leader.
        from: Who,
        /// The server leaving.
        server: Who,
    },
    /// Every server snapshots past this many entries after its last snapshot (§7);
    /// `null`: no more compaction.
    #[cfg(feature = "compaction")]
    SnapshotThreshold(Option<usize>),
}

/// What became of a read, as a script checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ReadIs {
    /// Not answered yet.
    Waiting,
    /// Given up (the server stopped leading).
    Failed,
    /// Answered with this value.
    Answered(i64),
}

/// What a name remembers: servers, or a term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Named {
    /// One server or several.
    Servers(Vec<NodeId>),
    /// A term.
    Term(u64),
}

/// Something the cluster must show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// Some live server is leader (this one, if given).
    Leader(Option<Who>),
    /// Exactly this many live leaders (two during a split).
    Leaders(usize),
    /// A server has a role.
    Role {
        /// The server.
        who: Who,
        /// The role.
        is: Role,
    },
    /// A server's term is above another's.
    TermAbove {
        /// The server.
        who: Who,
        /// The other one.
        than: Who,
    },
    /// A server's term is at least this.
    TermAtLeast {
        /// The server(s).
        who: Who,
        /// The smallest term.
        term: u64,
    },
    /// A server's log holds exactly these commands (committed ones if `committed`,
    /// otherwise the whole log).
    Log {
        /// The server(s).
        who: Who,
        /// The commands, as text.
        commands: Vec<String>,
        /// Compare only the committed prefix.
        #[serde(default)]
        committed: bool,
    },
    /// A server's state machine holds this value.
    Value {
        /// The server(s).
        who: Who,
        /// The value.
        is: i64,
    },
    /// The checker has seen no violation.
    Safe,
    /// The checker has seen this property broken.
    Broken(crate::Property),
    /// A server's term is at most this.
    TermAtMost {
        /// The servers.
        who: Who,
        /// The term.
        term: u64,
    },
    /// The last client read is in this state.
    LastRead(ReadIs),
    // The conditions of puzzles (after the others, so that the page's embedded tour
    // reads the same without them).
    /// A server's log holds entries of exactly these terms, in order: a target log as
    /// RaftScope's exercises give one.
    #[cfg(feature = "exercises")]
    Terms {
        /// The server(s).
        who: Who,
        /// The terms of its entries, from index 1.
        terms: Vec<Term>,
    },
    /// An entry a leader accepted from a client (of this command, if given) is in no
    /// server's log any more: overwritten everywhere before it was committed (§5.3).
    #[cfg(feature = "exercises")]
    Lost(Option<String>),
    /// No live server can reach a majority of the cluster: no leader can be elected and
    /// nothing can be committed (§5.2).
    #[cfg(feature = "exercises")]
    NoMajority,
    /// Exactly this many servers are stopped.
    #[cfg(feature = "exercises")]
    Stopped(usize),
    /// An election ended without a winner: in a term that is over (some server is in a
    /// later one), two or more servers stood and none was elected (a split vote, §5.2).
    #[cfg(feature = "exercises")]
    SplitVote,
    /// The configuration in force at a server has exactly these voters and is not
    /// joint (§6).
    #[cfg(feature = "membership")]
    Voters {
        /// The server(s).
        who: Who,
        /// The voters, sorted.
        are: Vec<NodeId>,
    },
    /// The configuration in force at a server is joint, `C_old,new` (§6).
    #[cfg(feature = "membership")]
    Joint(Who),
    /// A server's snapshot covers the log up to this index at least (§7).
    #[cfg(feature = "compaction")]
    SnapshotAtLeast {
        /// The server(s).
        who: Who,
        /// The index.
        index: u64,
    },
}

/// One step of a script.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    /// Let simulated time pass (ms).
    Wait(u64),
    /// Run until the condition holds, failing after `within_ms`.
    Until {
        /// The condition.
        condition: Condition,
        /// How long to wait at most (ms).
        within_ms: u64,
    },
    /// Do something.
    Do(Act),
    /// Check something now.
    Expect(Condition),
    /// Show a caption (a key of the interface's language files); nothing happens.
    Say(String),
    /// Show a caption whose form depends on how many servers a remembered name holds
    /// ("S4 stands" / "S1, S3 and S4 stand").
    SayCount {
        /// The caption's key.
        key: String,
        /// The name whose servers are counted.
        count: String,
    },
    // After the others, so that the page's embedded tour (postcard, written without
    // this feature) reads the same with it.
    /// Do something that may be refused (the refusal is the lesson): the script goes
    /// on either way. (Membership scenes use it; the page's tour does not.)
    #[cfg(feature = "membership")]
    Attempt(Act),
}

impl Step {
    /// The caption key, for a step that shows one.
    pub fn caption(&self) -> Option<&str> {
        match self {
            Step::Say(key) | Step::SayCount { key, .. } => Some(key),
            _ => None,
        }
    }
}

/// A named script on a cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name (`replication`).
    pub name: String,
    /// Number of servers.
    pub nodes: usize,
    /// The seed, fixed so that the scenario always unfolds the same way.
    pub seed: u64,
    /// The steps.
    pub steps: Vec<Step>,
}

/// Why a scenario failed.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioError {
    /// Which step (from 0).
    pub step: usize,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "step {}: {}", self.step + 1, self.message)
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// Runs every step on a fresh cluster; returns the cluster at the end.
    pub fn run(&self) -> Result<Simulation, ScenarioError> {
        let mut sim =
            Simulation::new(SimConfig::with_nodes(self.nodes), self.seed).map_err(|e| {
                ScenarioError {
                    step: 0,
                    message: e.to_string(),
                }
            })?;
        Runner::new(self.steps.clone(), &sim).finish(&mut sim)?;
        Ok(sim)
    }
}

/// The built-in scenarios' files (`crates/sim/scenarios/`).
const BUILTIN: [(&str, &str); 1] = [(
    "replication.json",
    include_str!("../../scenarios/replication.json"),
)];

/// The built-in scenarios. A file that does not read is an error naming it (a test
/// reads them all).
pub fn builtin() -> Result<Vec<Scenario>, String> {
    BUILTIN
        .iter()
        .map(|(file, text)| {
            crate::json::from_str::<Scenario>(text).map_err(|e| format!("scenarios/{file}: {e}"))
        })
        .collect()
}

/// Finds a built-in scenario.
pub fn find(name: &str) -> Result<Option<Scenario>, String> {
    Ok(builtin()?.into_iter().find(|s| s.name == name))
}
