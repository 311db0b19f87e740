//! Interpreting a script: resolving the servers it names, doing its actions and
//! checking its conditions on a simulation.

use super::{Act, Condition, Named, ReadIs, Who};
#[cfg(feature = "exercises")]
use crate::Term;
use crate::sim::{Action, ActionError, ClientOutcome, ReadState};
use crate::{Command, NodeId, Role, Simulation, Time};
use litemap::LiteMap;

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

/// A running script: resolves names and remembers servers.
#[derive(Debug, Default, Clone)]
pub struct Script {
    names: LiteMap<String, Named>,
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
            Who::Named(n) => match self.names.get(n) {
                Some(Named::Servers(ids)) => Ok(ids.clone()),
                _ => Err(format!("no server was remembered as ${n}")),
            },
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
    pub fn act(&mut self, d: &mut dyn Drive, act: &Act) -> Result<(), String> {
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
                self.names.insert(name.clone(), Named::Servers(vec![id]));
                return Ok(());
            }
            Act::RememberCandidates { name, term_of } => {
                let term = self.term_of(sim, term_of)?;
                let mut ids = sim.candidates_in(term).to_vec();
                crate::sort_few_by_key(&mut ids, |&id| id);
                self.names.insert(name.clone(), Named::Servers(ids));
                return Ok(());
            }
            Act::RememberTerm { name, who } => {
                let term = self.term_of(sim, who)?;
                self.names.insert(name.clone(), Named::Term(term));
                return Ok(());
            }
            Act::Read(w) => Action::Read {
                node: self.one(sim, w)?,
            },
            Act::Transfer { from, to } => Action::Transfer {
                node: self.one(sim, from)?,
                to: self.one(sim, to)?,
            },
            #[cfg(feature = "membership")]
            Act::AddServer(w) => Action::AddServer {
                node: self.one(sim, w)?,
            },
            #[cfg(feature = "membership")]
            Act::RemoveServer { from, server } => Action::RemoveServer {
                node: self.one(sim, from)?,
                server: self.one(sim, server)?,
            },
            #[cfg(feature = "compaction")]
            Act::SnapshotThreshold(threshold) => Action::SetSnapshotThreshold {
                threshold: *threshold,
            },
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
                // A script names the leader's no-op "no-op", as the page writes it.
                let want: Vec<Command> = commands
                    .iter()
                    .map(|c| match c.as_str() {
                        "no-op" => Ok(Command::Noop),
                        c => c.parse::<Command>().map_err(|e| e.to_string()),
                    })
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
            Condition::Broken(p) => sim
                .violations()
                .iter()
                .any(|v| v.property == *p)
                .then_some(())
                .ok_or_else(|| format!("{} holds", p.name())),
            Condition::TermAtMost { who, term } => {
                for id in self.resolve(sim, who)? {
                    let t = server(id)?.node.term();
                    if t > *term {
                        return Err(format!("S{id} is in term {t}, expected at most {term}"));
                    }
                }
                Ok(())
            }
            Condition::LastRead(want) => {
                let is = match sim.reads().last().map(|r| r.state) {
                    Some(ReadState::Waiting) => Some(ReadIs::Waiting),
                    Some(ReadState::Failed { .. }) => Some(ReadIs::Failed),
                    Some(ReadState::Answered { value, .. }) => Some(ReadIs::Answered(value)),
                    _ => None,
                };
                let name = |r: Option<ReadIs>| match r {
                    None => "none".to_string(),
                    Some(ReadIs::Waiting) => "waiting".to_string(),
                    Some(ReadIs::Failed) => "failed".to_string(),
                    Some(ReadIs::Answered(v)) => format!("answered {v}"),
                };
                (is == Some(*want)).then_some(()).ok_or_else(|| {
                    format!(
                        "the last read is {}, expected {}",
                        name(is),
                        name(Some(*want))
                    )
                })
            }
            #[cfg(feature = "exercises")]
            Condition::Terms { who, terms } => {
                for id in self.resolve(sim, who)? {
                    let have: Vec<Term> = server(id)?
                        .node
                        .log()
                        .entries()
                        .iter()
                        .map(|e| e.term)
                        .collect();
                    if have != *terms {
                        let show = |v: &[Term]| {
                            v.iter().map(Term::to_string).collect::<Vec<_>>().join(", ")
                        };
                        return Err(format!(
                            "S{id}'s log has terms [{}], expected [{}]",
                            show(&have),
                            show(terms)
                        ));
                    }
                }
                Ok(())
            }
            #[cfg(feature = "exercises")]
            Condition::Lost(command) => {
                let command: Option<Command> = command
                    .as_deref()
                    .map(str::parse)
                    .transpose()
                    .map_err(|e| format!("{e}"))?;
                let lost = sim.client_requests().iter().find(|r| {
                    let ClientOutcome::Accepted { index, term } = r.outcome else {
                        return false;
                    };
                    command.is_none_or(|c| c == r.command)
                        && sim.servers().iter().all(|s| {
                            let log = s.node.log();
                            index > log.snapshot_index() && log.term_at(index) != Some(term)
                        })
                });
                match (lost, command) {
                    (Some(_), _) => Ok(()),
                    (None, Some(c)) => Err(format!("every accepted \"{c}\" is still in a log")),
                    (None, None) => Err("every accepted entry is still in a log".into()),
                }
            }
            #[cfg(feature = "exercises")]
            Condition::NoMajority => {
                let majority = raft_core::quorum::majority(sim.len());
                match sim
                    .servers()
                    .iter()
                    .filter(|s| s.alive)
                    .find(|s| sim.reachable(s.node.id()).len() >= majority)
                {
                    None => Ok(()),
                    Some(s) => Err(format!("S{} reaches a majority", s.node.id())),
                }
            }
            #[cfg(feature = "exercises")]
            Condition::Stopped(n) => {
                let stopped = sim.stopped().len();
                (stopped == *n)
                    .then_some(())
                    .ok_or_else(|| format!("{stopped} servers are stopped, expected {n}"))
            }
            #[cfg(feature = "membership")]
            Condition::Voters { who, are } => {
                for id in self.resolve(sim, who)? {
                    let c = server(id)?.node.configuration();
                    if c.is_joint() || c.voters != *are {
                        return Err(format!(
                            "S{id}'s voters are {:?}, expected {are:?}",
                            c.voters
                        ));
                    }
                }
                Ok(())
            }
            #[cfg(feature = "membership")]
            Condition::Joint(who) => {
                for id in self.resolve(sim, who)? {
                    if !server(id)?.node.configuration().is_joint() {
                        return Err(format!("S{id}'s configuration is not joint"));
                    }
                }
                Ok(())
            }
            #[cfg(feature = "compaction")]
            Condition::SnapshotAtLeast { who, index } => {
                for id in self.resolve(sim, who)? {
                    let at = server(id)?.node.log().snapshot_index();
                    if at < *index {
                        return Err(format!(
                            "S{id}'s snapshot reaches index {at}, expected {index}"
                        ));
                    }
                }
                Ok(())
            }
            #[cfg(feature = "exercises")]
            Condition::SplitVote => {
                let now = sim
                    .servers()
                    .iter()
                    .map(|s| s.node.term())
                    .max()
                    .unwrap_or(0);
                (1..now)
                    .any(|t| {
                        sim.candidates_in(t).len() >= 2 && !sim.checker().leaders().contains_key(&t)
                    })
                    .then_some(())
                    .ok_or_else(|| "no election has ended in a split vote".into())
            }
        }
    }

    fn term_of(&self, sim: &Simulation, who: &Who) -> Result<u64, String> {
        let id = self.one(sim, who)?;
        sim.server(id)
            .map(|s| s.node.term())
            .ok_or_else(|| format!("no server S{id}"))
    }

    /// What was remembered so far, by name.
    pub fn names(&self) -> &LiteMap<String, Named> {
        &self.names
    }
}
