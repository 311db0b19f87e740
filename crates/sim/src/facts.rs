//! Facts about the cluster, worked out here so that a view only turns them into words
//! and shapes: who leads, who stands, who cannot reach a majority, what is committed,
//! and the evidence, now, for each safety property of the paper's Figure 3.

use crate::checker::{Property, Violation};
use crate::{Command, Simulation};
use raft_core::quorum;
use raft_core::{Index, NodeId, Role, Term};

/// The cluster at a glance.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Status {
    /// Live leaders, the highest term first (two during a split).
    pub leaders: Vec<(NodeId, Term)>,
    /// Live candidates, by id.
    pub candidates: Vec<NodeId>,
    /// The highest term among the candidates.
    pub candidate_term: Term,
    /// Live pre-candidates (PreVote: asking whether they would be elected), by id.
    pub pre_candidates: Vec<NodeId>,
    /// Groups of live servers that cannot reach a majority of the cluster, each group
    /// the servers that reach the same others.
    pub minorities: Vec<Vec<NodeId>>,
    /// Stopped servers.
    pub stopped: Vec<NodeId>,
    /// The last entry the leader of the highest term has committed.
    pub committed: Option<(Index, Command)>,
    /// How many servers make a majority.
    pub majority: usize,
    /// Some leader has been elected before (so a cluster without one lost it).
    pub elected_before: bool,
}

impl Simulation {
    /// The cluster at a glance.
    pub fn status(&self) -> Status {
        let mut leaders: Vec<(NodeId, Term)> = self
            .servers()
            .iter()
            .filter(|s| s.alive && s.node.role() == Role::Leader)
            .map(|s| (s.node.id(), s.node.term()))
            .collect();
        crate::sort_few_by_key(&mut leaders, |&(_, term)| std::cmp::Reverse(term));
        let candidates: Vec<&crate::Server> = self
            .servers()
            .iter()
            .filter(|s| s.alive && s.node.role() == Role::Candidate)
            .collect();
        let committed = leaders.first().and_then(|&(l, _)| {
            let node = &self.server(l)?.node;
            let c = node.commit_index();
            node.log().get(c).map(|e| (c, e.command))
        });
        Status {
            pre_candidates: self
                .servers()
                .iter()
                .filter(|s| s.alive && s.node.role() == Role::PreCandidate)
                .map(|s| s.node.id())
                .collect(),
            candidate_term: candidates.iter().map(|s| s.node.term()).max().unwrap_or(0),
            candidates: candidates.iter().map(|s| s.node.id()).collect(),
            minorities: self.minorities(),
            stopped: self.stopped(),
            committed,
            majority: quorum::majority(self.len()),
            elected_before: !self.checker().leaders().is_empty(),
            leaders,
        }
    }

    /// The live servers that `id` can exchange messages with (itself included).
    pub fn reachable(&self, id: NodeId) -> Vec<NodeId> {
        let net = self.network();
        self.servers()
            .iter()
            .filter(|s| s.alive)
            .map(|s| s.node.id())
            .filter(|&o| o == id || (!net.is_cut(id, o) && !net.is_cut(o, id)))
            .collect()
    }

    /// Groups of live servers that cannot reach a majority of the cluster: a leader
    /// among them cannot commit, a candidate cannot win.
    pub fn minorities(&self) -> Vec<Vec<NodeId>> {
        let majority = quorum::majority(self.len());
        let mut groups: Vec<(Vec<NodeId>, Vec<NodeId>)> = Vec::new();
        for s in self.servers().iter().filter(|s| s.alive) {
            let id = s.node.id();
            let reach = self.reachable(id);
            if reach.len() >= majority {
                continue;
            }
            match groups.iter_mut().find(|(r, _)| *r == reach) {
                Some((_, members)) => members.push(id),
                None => groups.push((reach, vec![id])),
            }
        }
        groups.into_iter().map(|(_, members)| members).collect()
    }

    /// What shows, now, that property `p` holds, or how it broke.
    pub fn evidence(&self, p: Property) -> Vec<Evidence> {
        let mut out: Vec<Evidence> = self
            .violations()
            .iter()
            .filter(|v| v.property == p)
            .take(3)
            .cloned()
            .map(Evidence::Violation)
            .collect();
        match p {
            Property::ElectionSafety => {
                let leaders = self.checker().leaders();
                if leaders.is_empty() {
                    out.push(Evidence::NoLeaderYet);
                }
                let skip = leaders.len().saturating_sub(8);
                out.extend(
                    leaders
                        .iter()
                        .skip(skip)
                        .map(|(&term, &leader)| Evidence::LeaderOfTerm { term, leader }),
                );
            }
            Property::LeaderAppendOnly => {
                let leaders = self.leaders();
                if leaders.is_empty() {
                    out.push(Evidence::NoLeaderNow);
                }
                out.extend(leaders.into_iter().filter_map(|l| {
                    let node = &self.server(l)?.node;
                    Some(Evidence::AppendOnly {
                        leader: l,
                        term: node.term(),
                        entries: node.log().last_index(),
                    })
                }));
            }
            Property::LogMatching => {
                let servers = self.servers();
                for (i, a) in servers.iter().enumerate() {
                    for b in &servers[i + 1..] {
                        let (la, lb) = (a.node.log(), b.node.log());
                        // Log Matching: the last index where both hold the same term
                        // is where the two logs agree up to.
                        let upto = (1..=la.last_index().min(lb.last_index()))
                            .rev()
                            .find_map(|k| {
                                let t = la.term_at(k)?;
                                (lb.term_at(k) == Some(t)).then_some((k, t))
                            });
                        out.push(Evidence::Match {
                            a: a.node.id(),
                            b: b.node.id(),
                            upto,
                        });
                    }
                }
            }
            Property::LeaderCompleteness => {
                let holder = self
                    .servers()
                    .iter()
                    .max_by_key(|s| s.node.commit_index())
                    .filter(|s| s.node.commit_index() > 0);
                let leader = self.leader().and_then(|l| self.server(l));
                match (holder, leader) {
                    (None, _) => out.push(Evidence::NothingCommitted),
                    (_, None) => out.push(Evidence::NoLeaderNow),
                    (Some(c), Some(l)) => {
                        for index in 1..=c.node.commit_index() {
                            if let (Some(e), Some(_)) =
                                (c.node.log().get(index), l.node.log().get(index))
                            {
                                out.push(Evidence::Completeness {
                                    index,
                                    command: e.command,
                                    term: e.term,
                                    leader: l.node.id(),
                                });
                            }
                        }
                    }
                }
            }
            Property::StateMachineSafety => {
                out.extend(
                    self.servers()
                        .iter()
                        .filter(|s| s.alive)
                        .map(|s| Evidence::Applied {
                            node: s.node.id(),
                            applied: s.node.last_applied(),
                            value: s.register.value,
                        }),
                );
            }
            Property::LinearizableReads => {
                let answered: Vec<Evidence> = self
                    .reads()
                    .iter()
                    .enumerate()
                    .filter_map(|(k, r)| match r.state {
                        crate::ReadState::Answered { value, index, .. } => Some(Evidence::Read {
                            read: k,
                            node: r.node,
                            value,
                            index,
                            floor: r.floor,
                        }),
                        _ => None,
                    })
                    .collect();
                if answered.is_empty() {
                    out.push(Evidence::NoReadYet);
                }
                let skip = answered.len().saturating_sub(8);
                out.extend(answered.into_iter().skip(skip));
            }
            _ => {}
        }
        out
    }
}

/// One line of evidence for a safety property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// The property was broken: how.
    Violation(Violation),
    /// Election Safety: no leader has been elected yet.
    NoLeaderYet,
    /// Election Safety: the one leader of a term.
    LeaderOfTerm {
        /// The term.
        term: Term,
        /// Its leader.
        leader: NodeId,
    },
    /// No server leads now.
    NoLeaderNow,
    /// Leader Append-Only: a leader's log, only ever grown in its term.
    AppendOnly {
        /// The leader.
        leader: NodeId,
        /// Its term.
        term: Term,
        /// Entries in its log.
        entries: Index,
    },
    /// Log Matching: two servers' logs are identical up to `upto` (index, term), or
    /// share no entry.
    Match {
        /// One server.
        a: NodeId,
        /// The other.
        b: NodeId,
        /// The last index where both hold an entry of the same term, and that term.
        upto: Option<(Index, Term)>,
    },
    /// Leader Completeness: nothing is committed yet.
    NothingCommitted,
    /// Leader Completeness: a committed entry, held by the current leader.
    Completeness {
        /// Its index.
        index: Index,
        /// Its command.
        command: Command,
        /// Its term.
        term: Term,
        /// The leader holding it.
        leader: NodeId,
    },
    /// Linearizable Reads: no read answered yet.
    NoReadYet,
    /// Linearizable Reads: a read answered, and the writes it had to include.
    Read {
        /// Which read (`reads()[read]`).
        read: usize,
        /// The server that answered.
        node: NodeId,
        /// The value read.
        value: i64,
        /// The last entry applied in the state it was read from.
        index: Index,
        /// The last write acknowledged before it was asked.
        floor: Index,
    },
    /// State Machine Safety: what a server has applied.
    Applied {
        /// The server.
        node: NodeId,
        /// Entries applied.
        applied: Index,
        /// Its register's value.
        value: i64,
    },
}
