//! Scripted scenarios as data: steps that wait, act on servers named by role ("the
//! leader", "a follower") or by id, and check what the cluster must show. The guided
//! tour and `raft-sim scenario NAME` both run them on the real simulator.

use crate::sim::{Action, ActionError, ClientOutcome};
use crate::{Command, MILLIS, NodeId, Role, SimConfig, Simulation, Time};
use litemap::LiteMap;
use serde::Serialize;
use std::fmt;

/// What a script plays on: a simulation, or a timeline wrapped around one.
pub trait Drive {
    /// The simulation as it is now.
    fn sim(&self) -> &Simulation;
    /// Lets simulated time run to `t`.
    fn advance_to(&mut self, t: Time);
    /// Does an action now.
    fn apply(&mut self, action: Action) -> Result<Option<ClientOutcome>, ActionError>;
}

impl Drive for Simulation {
    fn sim(&self) -> &Simulation {
        self
    }
    fn advance_to(&mut self, t: Time) {
        Simulation::advance_to(self, t);
    }
    fn apply(&mut self, action: Action) -> Result<Option<ClientOutcome>, ActionError> {
        Simulation::apply(self, action)
    }
}

/// A server named in a script.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
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
                "unknown server \"{s}\" (use leader, candidate, S1…S9, follower1…, $name or all)"
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
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
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
}

/// Something the cluster must show.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
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
}

/// One step of a script.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
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
}

/// A named script on a cluster.
#[derive(Clone, Debug, PartialEq, Serialize)]
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

/// A running script: resolves names and remembers servers.
#[derive(Debug, Default, Clone)]
pub struct Script {
    names: LiteMap<String, NodeId>,
}

impl Script {
    /// The servers `who` names now (all live ones for [`Who::All`]).
    pub fn resolve(&self, sim: &Simulation, who: &Who) -> Result<Vec<NodeId>, String> {
        let live = || {
            sim.servers()
                .iter()
                .filter(|s| s.alive)
                .map(|s| s.node.id())
        };
        match who {
            Who::Leader => sim
                .leader()
                .map(|l| vec![l])
                .ok_or_else(|| "there is no leader".into()),
            Who::Server(id) if (*id as usize) <= sim.len() => Ok(vec![*id]),
            Who::Server(id) => Err(format!("there is no server S{id}")),
            Who::Follower(k) => live()
                .filter(|&id| {
                    sim.server(id)
                        .is_some_and(|s| s.node.role() != Role::Leader)
                })
                .nth(k.saturating_sub(1))
                .map(|id| vec![id])
                .ok_or_else(|| format!("there is no follower number {k}")),
            Who::Candidate => live()
                .find(|&id| {
                    sim.server(id)
                        .is_some_and(|s| s.node.role() == Role::Candidate)
                })
                .map(|id| vec![id])
                .ok_or_else(|| "there is no candidate".into()),
            Who::Named(n) => self
                .names
                .get(n)
                .map(|&id| vec![id])
                .ok_or_else(|| format!("no server was remembered as ${n}")),
            Who::All => Ok(live().collect()),
        }
    }

    fn one(&self, sim: &Simulation, who: &Who) -> Result<NodeId, String> {
        let ids = self.resolve(sim, who)?;
        match ids[..] {
            [id] => Ok(id),
            _ => Err(format!("{who} must name one server")),
        }
    }

    /// Does one action.
    pub fn act(&mut self, d: &mut impl Drive, act: &Act) -> Result<(), String> {
        let sim = d.sim();
        let action = match act {
            Act::Crash(w) => Action::Crash {
                node: self.one(sim, w)?,
            },
            Act::Restart(w) => Action::Restart {
                node: self.one(sim, w)?,
            },
            Act::Timeout(w) => Action::Timeout {
                node: self.one(sim, w)?,
            },
            Act::Align(ws) | Act::Spread(ws) => {
                let mut nodes = Vec::new();
                for w in ws {
                    nodes.extend(self.resolve(sim, w)?);
                }
                if matches!(act, Act::Align(_)) {
                    Action::AlignTimers { nodes }
                } else {
                    Action::SpreadTimers { nodes }
                }
            }
            Act::Partition(islands) => {
                let mut out = Vec::new();
                for island in islands {
                    let mut ids = Vec::new();
                    for w in island {
                        ids.extend(self.resolve(sim, w)?);
                    }
                    out.push(ids);
                }
                Action::Partition { islands: out }
            }
            Act::Heal => Action::Heal,
            Act::Submit { to, command } => {
                let command: Command = command.parse().map_err(|e| format!("{e}"))?;
                Action::Submit {
                    node: self.one(sim, to)?,
                    command,
                }
            }
            Act::Remember { name, who } => {
                let id = self.one(sim, who)?;
                self.names.insert(name.clone(), id);
                return Ok(());
            }
        };
        d.apply(action).map(|_| ()).map_err(|e| e.to_string())
    }

    /// Whether `condition` holds now; `Err` explains why not.
    pub fn holds(&self, sim: &Simulation, condition: &Condition) -> Result<(), String> {
        let server = |id: NodeId| sim.server(id).ok_or_else(|| format!("no server S{id}"));
        match condition {
            Condition::Leader(None) => sim
                .leader()
                .map(|_| ())
                .ok_or_else(|| "no leader yet".into()),
            Condition::Leader(Some(w)) => {
                let id = self.one(sim, w)?;
                let s = server(id)?;
                (s.alive && s.node.role() == Role::Leader)
                    .then_some(())
                    .ok_or_else(|| format!("S{id} is not the leader"))
            }
            Condition::Leaders(n) => {
                let l = sim.leaders();
                (l.len() == *n)
                    .then_some(())
                    .ok_or_else(|| format!("{} leaders, expected {n}", l.len()))
            }
            Condition::Role { who, is } => {
                for id in self.resolve(sim, who)? {
                    let r = server(id)?.node.role();
                    if r != *is {
                        return Err(format!("S{id} is {}, expected {}", r.name(), is.name()));
                    }
                }
                Ok(())
            }
            Condition::TermAbove { who, than } => {
                let (a, b) = (self.one(sim, who)?, self.one(sim, than)?);
                let (ta, tb) = (server(a)?.node.term(), server(b)?.node.term());
                (ta > tb)
                    .then_some(())
                    .ok_or_else(|| format!("S{a} is in term {ta}, not above S{b}'s {tb}"))
            }
            Condition::TermAtLeast { who, term } => {
                for id in self.resolve(sim, who)? {
                    let t = server(id)?.node.term();
                    if t < *term {
                        return Err(format!("S{id} is in term {t}, expected at least {term}"));
                    }
                }
                Ok(())
            }
            Condition::Log {
                who,
                commands,
                committed,
            } => {
                let want: Vec<Command> = commands
                    .iter()
                    .map(|c| c.parse::<Command>().map_err(|e| e.to_string()))
                    .collect::<Result<_, _>>()?;
                for id in self.resolve(sim, who)? {
                    let node = &server(id)?.node;
                    let entries = node.log().entries();
                    let upto = if *committed {
                        node.commit_index() as usize
                    } else {
                        entries.len()
                    };
                    let have: Vec<Command> = entries[..upto].iter().map(|e| e.command).collect();
                    if have != want {
                        let show = |v: &[Command]| {
                            v.iter()
                                .map(|c| c.to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        };
                        let what = if *committed { "committed log" } else { "log" };
                        return Err(format!(
                            "S{id}'s {what} is [{}], expected [{}]",
                            show(&have),
                            show(&want)
                        ));
                    }
                }
                Ok(())
            }
            Condition::Value { who, is } => {
                for id in self.resolve(sim, who)? {
                    let v = server(id)?.register.value;
                    if v != *is {
                        return Err(format!("S{id} holds {v}, expected {is}"));
                    }
                }
                Ok(())
            }
            Condition::Safe => match sim.violations().first() {
                None => Ok(()),
                Some(v) => Err(v.to_string()),
            },
        }
    }

    /// The servers remembered so far, by name.
    pub fn names(&self) -> &LiteMap<String, NodeId> {
        &self.names
    }
}

/// Where a [`Runner`] is.
#[derive(Clone, Debug, PartialEq)]
pub enum Progress {
    /// Steps remain.
    Running,
    /// Every step passed.
    Done,
    /// A step failed: which, and why.
    Failed(ScenarioError),
}

/// Plays steps on a simulation, either all at once (headless) or a little at each
/// animation frame (live), with exactly the same result: conditions are checked on a
/// 1 ms grid from the start of their step, and actions happen at step boundaries, so
/// how time is cut into frames never changes what happens.
#[derive(Clone, Debug)]
pub struct Runner {
    steps: Vec<Step>,
    pos: usize,
    step_start: Time,
    next_check: Time,
    script: Script,
    caption: Option<String>,
    progress: Progress,
}

impl Runner {
    /// A runner for `steps`, starting at the simulation's current time.
    pub fn new(steps: Vec<Step>, sim: &Simulation) -> Self {
        let now = sim.now();
        Runner {
            steps,
            pos: 0,
            step_start: now,
            next_check: now,
            script: Script::default(),
            caption: None,
            progress: Progress::Running,
        }
    }

    /// A runner that keeps the names remembered by an earlier one.
    pub fn continuing(steps: Vec<Step>, sim: &Simulation, before: &Runner) -> Self {
        let mut r = Runner::new(steps, sim);
        r.script = before.script.clone();
        r
    }

    /// Where it is.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// The last caption shown by a `say` step.
    pub fn caption(&self) -> Option<&str> {
        self.caption.as_deref()
    }

    /// The names remembered so far.
    pub fn names(&self) -> &LiteMap<String, NodeId> {
        self.script.names()
    }

    /// The index of the step being played.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Number of steps.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// True when there are no steps at all.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The time the next thing happens (a check, the end of a wait), if still running.
    pub fn next_boundary(&self) -> Option<Time> {
        match (&self.progress, self.steps.get(self.pos)) {
            (Progress::Running, Some(Step::Wait(ms))) => {
                Some(self.step_start.saturating_add(ms.saturating_mul(MILLIS)))
            }
            (Progress::Running, Some(Step::Until { .. })) => Some(self.next_check),
            _ => None,
        }
    }

    fn next_step(&mut self, sim: &Simulation) {
        self.pos += 1;
        self.step_start = sim.now();
        self.next_check = sim.now();
        if self.pos >= self.steps.len() {
            self.progress = Progress::Done;
        }
    }

    fn fail(&mut self, message: String) {
        self.progress = Progress::Failed(ScenarioError {
            step: self.pos,
            message,
        });
    }

    /// Plays steps until simulated time `until` (leaving the simulation there) or the
    /// end. Returns where it is.
    pub fn advance(&mut self, d: &mut impl Drive, until: Time) -> &Progress {
        if self.steps.is_empty() {
            self.progress = Progress::Done;
        }
        while self.progress == Progress::Running {
            let Some(step) = self.steps.get(self.pos).cloned() else {
                self.progress = Progress::Done;
                break;
            };
            match step {
                Step::Wait(ms) => {
                    let target = self.step_start.saturating_add(ms.saturating_mul(MILLIS));
                    if until < target {
                        d.advance_to(until);
                        return &self.progress;
                    }
                    d.advance_to(target);
                    self.next_step(d.sim());
                }
                Step::Until {
                    condition,
                    within_ms,
                } => {
                    let deadline = self
                        .step_start
                        .saturating_add(within_ms.saturating_mul(MILLIS));
                    if d.sim().now() >= self.next_check {
                        match self.script.holds(d.sim(), &condition) {
                            Ok(()) => {
                                self.next_step(d.sim());
                                continue;
                            }
                            Err(why) if self.next_check >= deadline => {
                                self.fail(format!("not within {within_ms} ms: {why}"));
                                continue;
                            }
                            Err(_) => self.next_check = (self.next_check + MILLIS).min(deadline),
                        }
                    }
                    if until < self.next_check {
                        d.advance_to(until);
                        return &self.progress;
                    }
                    d.advance_to(self.next_check);
                }
                Step::Do(act) => match self.script.act(d, &act) {
                    Ok(()) => self.next_step(d.sim()),
                    Err(e) => self.fail(e),
                },
                Step::Expect(c) => match self.script.holds(d.sim(), &c) {
                    Ok(()) => self.next_step(d.sim()),
                    Err(e) => self.fail(e),
                },
                Step::Say(key) => {
                    self.caption = Some(key);
                    self.next_step(d.sim());
                }
            }
        }
        if until != Time::MAX && self.progress != Progress::Running {
            let now = d.sim().now();
            d.advance_to(until.max(now));
        }
        &self.progress
    }

    /// Plays every remaining step (headless).
    pub fn finish(&mut self, d: &mut impl Drive) -> Result<(), ScenarioError> {
        match self.advance(d, Time::MAX) {
            Progress::Failed(e) => Err(e.clone()),
            _ => Ok(()),
        }
    }
}

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

/// The built-in scenarios, by name.
pub fn builtin() -> Vec<Scenario> {
    let parse = |text: &str| crate::json::from_str::<Scenario>(text);
    [REPLICATION].iter().filter_map(|t| parse(t).ok()).collect()
}

/// Finds a built-in scenario.
pub fn find(name: &str) -> Option<Scenario> {
    builtin().into_iter().find(|s| s.name == name)
}

/// Elect a leader, then commit `Set 1` ("[1] Set 1 validé !").
const REPLICATION: &str = r#"{
  "name": "replication",
  "nodes": 5,
  "seed": 1,
  "steps": [
    {"until": {"condition": {"leader": null}, "within_ms": 2000}},
    {"do": {"submit": {"to": "leader", "command": "Set 1"}}},
    {"until": {"condition": {"log": {"who": "all", "commands": ["Set 1"], "committed": true}}, "within_ms": 1000}},
    {"expect": {"value": {"who": "all", "is": 1}}},
    {"expect": "safe"}
  ]
}"#;
