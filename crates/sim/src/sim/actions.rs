//! The user's actions on the cluster, and how the simulation carries them out.

use super::types::{
    ClientOutcome, ClientRequest, DropReason, MsgId, NoteKind, ReadRequest, ReadState, Seen,
};
use super::{Simulation, node_seed};
use crate::{Command, Register, SimConfig};
use raft_core::{Node, NodeId, Role, Time};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One of the user's actions on the cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Stop a server: it keeps only its persistent state.
    Crash {
        /// The server.
        node: NodeId,
    },
    /// Start a stopped server again from its persistent state.
    Restart {
        /// The server.
        node: NodeId,
    },
    /// Make a server's election timer fire now.
    Timeout {
        /// The server.
        node: NodeId,
    },
    /// Make a leader's heartbeat timer fire now: it sends a round of AppendEntries.
    /// (The exhaustive search's runs and counterexamples use it, with the `deliver`
    /// feature; the page's build leaves it out.)
    #[cfg(feature = "deliver")]
    Heartbeat {
        /// The leader.
        node: NodeId,
    },
    /// Give the chosen followers and candidates the same election deadline (the
    /// earliest of theirs), so that they stand together.
    AlignTimers {
        /// The servers (leaders and stopped servers are skipped).
        nodes: Vec<NodeId>,
    },
    /// Space the chosen servers' election deadlines evenly over the timeout range, so
    /// that one times out well before the next.
    SpreadTimers {
        /// The servers (leaders and stopped servers are skipped).
        nodes: Vec<NodeId>,
    },
    /// Split the network into islands; servers listed nowhere form one more island.
    Partition {
        /// The islands.
        islands: Vec<Vec<NodeId>>,
    },
    /// Cut the link from one server to another (both ways unless `one_way`).
    CutLink {
        /// One end.
        from: NodeId,
        /// The other end.
        to: NodeId,
        /// Cut only the direction from `from` to `to`.
        one_way: bool,
    },
    /// Restore a link cut by [`Action::CutLink`] (both ways unless `one_way`).
    RestoreLink {
        /// One end.
        from: NodeId,
        /// The other end.
        to: NodeId,
        /// Restore only the direction from `from` to `to`.
        one_way: bool,
    },
    /// Restore full connectivity.
    Heal,
    /// Lose one message in flight.
    DropMessage {
        /// The message.
        id: MsgId,
    },
    /// A message in flight arrives now, ahead of its time. With `keep`, a copy
    /// arrives and the message goes on travelling (a duplicate). (The exhaustive
    /// search's runs and counterexamples use it, with the `deliver` feature; the page's
    /// build leaves it out.)
    #[cfg(feature = "deliver")]
    Deliver {
        /// The message.
        id: MsgId,
        /// Deliver a copy and leave the message in flight.
        keep: bool,
    },
    /// A client sends a command to a server.
    Submit {
        /// The server.
        node: NodeId,
        /// The command.
        command: Command,
    },
    /// A client reads the register at a server (dissertation §6.4).
    Read {
        /// The server.
        node: NodeId,
    },
    /// A new server, S(n+1), joins: the leader adds it as a learner, and makes it a
    /// voter once it has caught up (§6, dissertation §4.2.1). At most 9 servers.
    #[cfg(feature = "membership")]
    AddServer {
        /// The leader.
        node: NodeId,
    },
    /// The leader takes a server out of the configuration (§6); the server goes on
    /// running until stopped.
    #[cfg(feature = "membership")]
    RemoveServer {
        /// The leader.
        node: NodeId,
        /// The server leaving.
        server: NodeId,
    },
    /// From now on, every server snapshots its register past this many entries after
    /// its last snapshot (log compaction, §7); `None`: no more compaction.
    #[cfg(feature = "compaction")]
    SetSnapshotThreshold {
        /// The threshold (at least 1).
        threshold: Option<usize>,
    },
    /// The leader hands leadership over (dissertation §3.10).
    Transfer {
        /// The leader.
        node: NodeId,
        /// The server to lead next.
        to: NodeId,
    },
    /// Change the network's behaviour from now on.
    SetNetwork {
        /// Smallest latency (µs).
        latency_min: Time,
        /// Largest latency (µs).
        latency_max: Time,
        /// Loss probability.
        loss: f64,
        /// Duplication probability.
        duplicate: f64,
        /// Reordering probability.
        reorder: f64,
    },
}

/// An action as recorded: when it happened, and after how many queue events, so that
/// a replay applies it at exactly the same point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimedAction {
    /// Simulated time.
    pub at: Time,
    /// Queue events processed before it.
    pub after: u64,
    /// The action.
    pub action: Action,
}

/// Why an action could not be done. The simulation is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionError {
    /// No server has that id.
    NoSuchNode(NodeId),
    /// The server is already stopped.
    AlreadyDown(NodeId),
    /// The server is already running.
    AlreadyUp(NodeId),
    /// The server is stopped.
    NodeDown(NodeId),
    /// A leader has no election timer.
    IsLeader(NodeId),
    /// A server appears in two islands.
    TwoIslands(NodeId),
    /// No message with that id is in flight.
    NoSuchMessage(MsgId),
    /// The network settings are invalid.
    BadNetwork(String),
    /// The server's persistent state cannot be restored (a bug, or a deviation).
    Restore(String),
    /// Only the leader can do that.
    NotLeader(NodeId),
    /// A leader hands over to another server.
    TransferToSelf(NodeId),
    /// A membership change was refused; the reason says why.
    #[cfg(feature = "membership")]
    Membership(MembershipRefusal),
    /// A snapshot threshold of 0 entries.
    #[cfg(feature = "compaction")]
    ZeroThreshold,
}

/// Why a membership change was refused.
#[cfg(feature = "membership")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MembershipRefusal {
    /// The cluster already has [`MAX_NODES`](crate::MAX_NODES) servers.
    Full,
    /// The leader did not start the change: raft-core's reason.
    Refused(NodeId, raft_core::ChangeError),
    /// The new server could not be made (its configuration).
    NewServer(String),
}

#[cfg(feature = "membership")]
impl fmt::Display for MembershipRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MembershipRefusal::Full => {
                write!(f, "a cluster has at most {} servers", crate::MAX_NODES)
            }
            MembershipRefusal::Refused(leader, why) => write!(f, "S{leader}: {why}"),
            MembershipRefusal::NewServer(why) => f.write_str(why),
        }
    }
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::NoSuchNode(n) => write!(f, "there is no server S{n}"),
            ActionError::AlreadyDown(n) => write!(f, "S{n} is already stopped"),
            ActionError::AlreadyUp(n) => write!(f, "S{n} is already running"),
            ActionError::NodeDown(n) => write!(f, "S{n} is stopped"),
            ActionError::IsLeader(n) => write!(f, "S{n} is the leader: it has no election timer"),
            ActionError::TwoIslands(n) => write!(f, "S{n} cannot be on two islands"),
            ActionError::NoSuchMessage(id) => write!(f, "message #{id} is not in flight"),
            ActionError::BadNetwork(why) => write!(f, "bad network settings: {why}"),
            ActionError::Restore(why) => write!(f, "cannot restart from disk: {why}"),
            ActionError::NotLeader(n) => write!(f, "S{n} is not the leader"),
            #[cfg(feature = "membership")]
            ActionError::Membership(why) => write!(f, "no membership change: {why}"),
            #[cfg(feature = "compaction")]
            ActionError::ZeroThreshold => {
                f.write_str("a snapshot threshold is at least 1 entry (none: no compaction)")
            }
            ActionError::TransferToSelf(n) => {
                write!(f, "S{n} cannot hand leadership over to itself")
            }
        }
    }
}

impl std::error::Error for ActionError {}

impl Simulation {
    pub(super) fn check_node(&self, id: NodeId) -> Result<usize, ActionError> {
        match (id as usize).checked_sub(1) {
            Some(i) if i < self.servers.len() => Ok(i),
            _ => Err(ActionError::NoSuchNode(id)),
        }
    }

    pub(super) fn live_node(&self, id: NodeId) -> Result<usize, ActionError> {
        let i = self.check_node(id)?;
        if self.servers[i].alive {
            Ok(i)
        } else {
            Err(ActionError::NodeDown(id))
        }
    }

    /// Does `action` now. On success the action is recorded (for traces and replays);
    /// on error nothing changes. A [`Action::Submit`] returns the client's outcome.
    pub fn apply(&mut self, action: Action) -> Result<Option<ClientOutcome>, ActionError> {
        let outcome = self.perform(&action)?;
        let code = self.actions.len() as u64;
        self.mix(&[self.now, 4, code]);
        self.actions.push(TimedAction {
            at: self.now,
            after: self.processed,
            action,
        });
        Ok(outcome)
    }

    fn perform(&mut self, action: &Action) -> Result<Option<ClientOutcome>, ActionError> {
        let now = self.now;
        match *action {
            Action::Crash { node } => {
                let i = self.check_node(node)?;
                let s = &mut self.servers[i];
                if !s.alive {
                    return Err(ActionError::AlreadyDown(node));
                }
                s.alive = false;
                s.timer = None;
                let _ = s.node.drain_messages().count();
                let _ = s.node.take_reads();
                self.fail_reads_at(node);
                self.note(node, NoteKind::Crash);
            }
            Action::Restart { node } => {
                let i = self.check_node(node)?;
                let s = &self.servers[i];
                if s.alive {
                    return Err(ActionError::AlreadyUp(node));
                }
                let life = s.restarts + 1;
                // The cluster it started in (its log says how the membership changed
                // since); a server that joined later starts again as joining.
                let first = self.initial.nodes as NodeId;
                let peers = (1..=first).filter(|&p| p != node);
                let state = s.node.persistent();
                let seed = node_seed(self.seed, node, life);
                let local = s.clock.local(now);
                let raft = self.config.raft.clone();
                #[cfg(feature = "membership")]
                let rebuilt = if node > first {
                    Node::rejoin(node, raft, state, seed, local)
                } else {
                    Node::restart(node, peers, raft, state, seed, local)
                };
                #[cfg(not(feature = "membership"))]
                let rebuilt = Node::restart(node, peers, raft, state, seed, local);
                let rebuilt = rebuilt
                    .map_err(|e| ActionError::Restore(e.to_string()))?
                    .with_no_op(Command::Noop);
                let s = &mut self.servers[i];
                s.node = rebuilt;
                s.alive = true;
                s.register = Register::default();
                s.restarts = life;
                s.timer = None;
                s.seen = Seen::of(&s.node);
                self.note(node, NoteKind::Restart);
                self.checker.restarted(node);
                self.settle(node);
            }
            Action::Timeout { node } => {
                let i = self.live_node(node)?;
                let s = &mut self.servers[i];
                if s.node.role() == Role::Leader {
                    return Err(ActionError::IsLeader(node));
                }
                s.node.set_election_deadline(s.clock.local(now));
                self.settle(node);
            }
            #[cfg(feature = "deliver")]
            Action::Heartbeat { node } => {
                let i = self.live_node(node)?;
                let s = &mut self.servers[i];
                if s.node.role() != Role::Leader {
                    return Err(ActionError::NotLeader(node));
                }
                s.node.set_heartbeat_deadline(s.clock.local(now));
                self.settle(node);
            }
            Action::AlignTimers { ref nodes } => {
                let chosen = self.timer_nodes(nodes)?;
                let at = chosen
                    .iter()
                    .filter_map(|&i| self.servers[i].election_deadline())
                    .min()
                    .unwrap_or(now)
                    .max(now);
                for i in chosen {
                    let s = &mut self.servers[i];
                    s.node.set_election_deadline(s.clock.local(at));
                    self.settle(i as NodeId + 1);
                }
            }
            Action::SpreadTimers { ref nodes } => {
                let mut chosen = self.timer_nodes(nodes)?;
                crate::sort_few_by_key(&mut chosen, |&i| (self.servers[i].election_deadline(), i));
                let (lo, hi) = (
                    self.config.raft.election_timeout_min,
                    self.config.raft.election_timeout_max,
                );
                let gap = (hi - lo) / chosen.len().max(1) as Time;
                for (k, i) in chosen.into_iter().enumerate() {
                    let at = now + lo + gap * k as Time;
                    let s = &mut self.servers[i];
                    s.node.set_election_deadline(s.clock.local(at));
                    self.settle(i as NodeId + 1);
                }
            }
            Action::Partition { ref islands } => {
                let mut seen = Vec::new();
                for &id in islands.iter().flatten() {
                    self.check_node(id)?;
                    if seen.contains(&id) {
                        return Err(ActionError::TwoIslands(id));
                    }
                    seen.push(id);
                }
                self.network.partition(self.servers.len(), islands);
            }
            Action::CutLink { from, to, one_way } | Action::RestoreLink { from, to, one_way } => {
                self.check_node(from)?;
                self.check_node(to)?;
                let cut = matches!(action, Action::CutLink { .. });
                let mut links = vec![(from, to)];
                if !one_way {
                    links.push((to, from));
                }
                for (a, b) in links {
                    if cut {
                        self.network.cut(a, b);
                    } else {
                        self.network.restore(a, b);
                    }
                }
            }
            Action::Heal => self.network.heal(),
            Action::DropMessage { id } => {
                let flight = self
                    .in_flight
                    .remove(id)
                    .ok_or(ActionError::NoSuchMessage(id))?;
                self.record_drop(flight, DropReason::Dropped);
            }
            #[cfg(feature = "deliver")]
            Action::Deliver { id, keep } => {
                let flight = match keep {
                    true => self.message(id).cloned(),
                    false => self.in_flight.remove(id),
                };
                self.arrive(flight.ok_or(ActionError::NoSuchMessage(id))?);
            }
            Action::Submit { node, command } => {
                let i = self.check_node(node)?;
                let server = &mut self.servers[i];
                let outcome = if !server.alive {
                    ClientOutcome::Down
                } else {
                    match server.node.propose(server.clock.local(now), command) {
                        Ok(index) => ClientOutcome::Accepted {
                            index,
                            term: server.node.term(),
                        },
                        Err(e) => ClientOutcome::Redirect {
                            leader: e.leader_hint,
                        },
                    }
                };
                if matches!(outcome, ClientOutcome::Accepted { .. }) {
                    self.pending.push(self.clients.len());
                }
                self.clients.push(ClientRequest {
                    at: now,
                    node,
                    command,
                    outcome,
                    committed_at: None,
                });
                if server.alive {
                    self.settle(node);
                }
                return Ok(Some(outcome));
            }
            Action::Read { node } => {
                let i = self.check_node(node)?;
                let id = self.reads.len();
                let server = &mut self.servers[i];
                let state = if !server.alive {
                    ReadState::Down
                } else {
                    match server.node.read(server.clock.local(now), id as u64) {
                        Ok(()) => ReadState::Waiting,
                        Err(e) => ReadState::Redirect {
                            leader: e.leader_hint,
                        },
                    }
                };
                self.reads.push(ReadRequest {
                    at: now,
                    node,
                    floor: self.acknowledged,
                    state,
                });
                if self.servers[i].alive {
                    self.settle(node);
                }
            }
            #[cfg(feature = "membership")]
            Action::AddServer { node } => {
                self.add_server(node)?;
            }
            #[cfg(feature = "membership")]
            Action::RemoveServer { node, server } => self.remove_server(node, server)?,
            #[cfg(feature = "compaction")]
            Action::SetSnapshotThreshold { threshold } => {
                if threshold == Some(0) {
                    return Err(ActionError::ZeroThreshold);
                }
                self.config.snapshot_threshold = threshold;
            }
            Action::Transfer { node, to } => {
                let i = self.live_node(node)?;
                self.check_node(to)?;
                if to == node {
                    return Err(ActionError::TransferToSelf(node));
                }
                let s = &mut self.servers[i];
                s.node
                    .transfer_leadership(s.clock.local(now), to)
                    .map_err(|_| ActionError::NotLeader(node))?;
                self.settle(node);
            }
            Action::SetNetwork {
                latency_min,
                latency_max,
                loss,
                duplicate,
                reorder,
            } => {
                let config = SimConfig {
                    latency_min,
                    latency_max,
                    loss,
                    duplicate,
                    reorder,
                    ..self.config.clone()
                };
                config
                    .validate()
                    .map_err(|e| ActionError::BadNetwork(e.to_string()))?;
                self.config = config.as_run();
            }
        }
        Ok(None)
    }

    /// The live non-leaders among `ids` (all servers if `ids` is empty).
    fn timer_nodes(&self, ids: &[NodeId]) -> Result<Vec<usize>, ActionError> {
        let mut chosen = Vec::new();
        let all: Vec<NodeId> = self.ids().collect();
        for &id in if ids.is_empty() { &all[..] } else { ids } {
            let i = self.check_node(id)?;
            let s = &self.servers[i];
            if s.alive && s.node.role() != Role::Leader && !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        Ok(chosen)
    }
}
