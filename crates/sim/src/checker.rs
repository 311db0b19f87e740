//! The safety checker: after every event, the properties of the paper's Figure 3, plus
//! monotonic terms and commit indices and the durability of committed entries.
//!
//! With log compaction (§7) a server's log starts after its snapshot. The checker
//! reads such a log as the committed entries its snapshot replaced followed by the
//! entries it holds, and checks each snapshot, when it is taken or installed, against
//! the committed prefix it replaces: the same last term, and the register's value
//! after those entries (State Machine Safety).

use crate::Command;
#[cfg(feature = "compaction")]
use crate::Register;
use fnv::FnvHasher;
use litemap::LiteMap;
#[cfg(feature = "compaction")]
use raft_core::Snapshot;
use raft_core::{Entry, Index, Node, NodeId, Role, Term, Time};
use serde::Serialize;
use std::fmt;
use std::hash::Hasher;

/// A property the checker watches.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
pub enum Property {
    /// At most one leader can be elected in a given term (§5.2).
    ElectionSafety,
    /// A leader never overwrites or deletes entries in its log; it only appends (§5.3).
    LeaderAppendOnly,
    /// If two logs contain an entry with the same index and term, the logs are identical
    /// in all entries up through that index (§5.3).
    LogMatching,
    /// If an entry is committed in a term, it is in the log of every leader of every
    /// later term (§5.4).
    LeaderCompleteness,
    /// If a server has applied an entry at an index, no other server ever applies a
    /// different entry at that index (§5.4.3).
    StateMachineSafety,
    /// A server's currentTerm never decreases, crashes included.
    TermMonotonic,
    /// A live server's commitIndex never decreases.
    CommitMonotonic,
    /// A committed entry stays stored on a majority of servers.
    CommittedOnMajority,
    /// A read returns a state that includes every write acknowledged before the read
    /// was asked (dissertation §6.4).
    LinearizableReads,
}

impl Property {
    /// Every property, in the order the paper lists them.
    pub const ALL: [Property; 9] = [
        Property::ElectionSafety,
        Property::LeaderAppendOnly,
        Property::LogMatching,
        Property::LeaderCompleteness,
        Property::StateMachineSafety,
        Property::TermMonotonic,
        Property::CommitMonotonic,
        Property::CommittedOnMajority,
        Property::LinearizableReads,
    ];

    /// Name as the paper writes it.
    pub fn name(self) -> &'static str {
        match self {
            Property::ElectionSafety => "Election Safety",
            Property::LeaderAppendOnly => "Leader Append-Only",
            Property::LogMatching => "Log Matching",
            Property::LeaderCompleteness => "Leader Completeness",
            Property::StateMachineSafety => "State Machine Safety",
            Property::TermMonotonic => "Term Monotonic",
            Property::CommitMonotonic => "Commit Monotonic",
            Property::CommittedOnMajority => "Committed On Majority",
            Property::LinearizableReads => "Linearizable Reads",
        }
    }
}

/// A broken property, as data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Which property.
    pub property: Property,
    /// Simulated time at which it was seen.
    pub time: Time,
    /// The servers involved.
    pub nodes: Vec<NodeId>,
    /// The log index involved, if any.
    pub index: Option<Index>,
    /// The term involved, if any.
    pub term: Option<Term>,
    /// What was seen, in words.
    pub detail: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} violated at t={} µs", self.property.name(), self.time)?;
        let nodes: Vec<String> = self.nodes.iter().map(|n| format!("S{n}")).collect();
        if !nodes.is_empty() {
            write!(f, " by {}", nodes.join(", "))?;
        }
        if let Some(i) = self.index {
            write!(f, " at index {i}")?;
        }
        if let Some(t) = self.term {
            write!(f, " in term {t}")?;
        }
        write!(f, ": {}", self.detail)
    }
}

/// What the checker remembers of one server.
#[derive(Clone, Debug, Default)]
struct Shadow {
    entries: Vec<Entry<Command>>,
    /// The log's truncation count when last seen (`None`: compare every entry).
    truncations: Option<u64>,
    /// prefix[i] identifies entries[..=i]: equal prefixes, equal values.
    prefix: Vec<u64>,
    term: Term,
    commit: Index,
    role: Option<Role>,
    /// The log's snapshot index when last seen.
    #[cfg(feature = "compaction")]
    base: Index,
}

/// An entry known to be committed.
#[derive(Clone, Debug)]
struct Committed {
    entry: Entry<Command>,
    /// The term of the server that first reported it committed.
    in_term: Term,
    /// The register's value once every committed entry up to this one is applied.
    #[cfg(feature = "compaction")]
    value: i64,
    /// The configuration in force where it was first seen committed: a majority of
    /// its voters (of both, while joint) must keep it (§6).
    #[cfg(feature = "membership")]
    by: raft_core::Configuration,
}

/// Watches a cluster's servers and records every violation.
#[derive(Clone, Debug)]
pub struct Checker {
    shadows: Vec<Shadow>,
    leaders: LiteMap<Term, NodeId>,
    /// (index, term) → (prefix identity, first server seen holding it).
    identities: LiteMap<(Index, Term), (u64, NodeId)>,
    committed: Vec<Committed>,
    violations: Vec<Violation>,
}

fn chain(prev: u64, e: &Entry<Command>) -> u64 {
    let mut h = FnvHasher::with_key(prev);
    h.write_u64(e.term);
    match e.command {
        Command::Set(n) => {
            h.write_u8(0);
            h.write_i64(n)
        }
        Command::Add(n) => {
            h.write_u8(1);
            h.write_i64(n)
        }
        Command::Noop => h.write_u8(2),
    }
    h.finish()
}

impl Checker {
    /// A checker for servers S1…Sn that have never run.
    pub fn new(n: usize) -> Self {
        Checker {
            shadows: vec![Shadow::default(); n],
            leaders: LiteMap::new(),
            identities: LiteMap::new(),
            committed: Vec::new(),
            violations: Vec::new(),
        }
    }

    /// A server joins the cluster (membership changes): it is watched too.
    pub fn add_server(&mut self) {
        self.shadows.push(Shadow::default());
    }

    /// Every violation seen so far, in order.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Entries known committed so far (index i + 1 at position i).
    pub fn committed_len(&self) -> usize {
        self.committed.len()
    }

    /// The entry known committed at `index`, if it is known.
    pub fn committed_entry(&self, index: Index) -> Option<&Entry<Command>> {
        let pos = usize::try_from(index).ok()?.checked_sub(1)?;
        self.committed.get(pos).map(|c| &c.entry)
    }

    /// The leader elected in each term so far.
    pub fn leaders(&self) -> &LiteMap<Term, NodeId> {
        &self.leaders
    }

    /// Feeds into `h` everything the checker remembers of the run's past that its
    /// servers' current state does not show: the leader of each term, the entries
    /// known committed (and when), the identity of every (index, term) ever stored,
    /// and how many violations it saw. Two runs whose servers are in the same state
    /// and whose checkers hash alike get the same verdicts from then on, which lets a
    /// model checker merge them.
    pub fn hash_history<H: Hasher>(&self, h: &mut H) {
        for (term, leader) in self.leaders.iter() {
            h.write_u64(*term);
            h.write_u32(*leader);
        }
        h.write_usize(self.committed.len());
        for c in &self.committed {
            h.write_u64(chain(c.in_term, &c.entry));
        }
        for ((index, term), (identity, _)) in self.identities.iter() {
            h.write_u64(*index);
            h.write_u64(*term);
            h.write_u64(*identity);
        }
        h.write_usize(self.violations.len());
    }

    fn violation(
        &mut self,
        property: Property,
        time: Time,
        nodes: Vec<NodeId>,
        index: Option<Index>,
        term: Option<Term>,
        detail: String,
    ) {
        self.violations.push(Violation {
            property,
            time,
            nodes,
            index,
            term,
            detail,
        });
    }

    /// Server `node` answered read `read` from a state machine that has applied up
    /// to `served`; writes up to index `floor` had been acknowledged to clients before
    /// the read was asked. Linearizable if `served >= floor` (State Machine Safety,
    /// checked apart, makes the entries up to `served` the committed ones).
    pub fn read_answered(
        &mut self,
        now: Time,
        node: NodeId,
        read: usize,
        floor: Index,
        served: Index,
    ) {
        if served < floor {
            self.violation(
                Property::LinearizableReads,
                now,
                vec![node],
                Some(served),
                None,
                format!(
                    "read #{} answered with the state after index {served}, but the write at index {floor} had been acknowledged before it was asked",
                    read + 1
                ),
            );
        }
    }

    /// Server `id` took a snapshot, or restored one (from the leader, or its own after
    /// a restart): it must hold the committed prefix it replaces.
    #[cfg(feature = "compaction")]
    pub fn snapshot(&mut self, now: Time, id: NodeId, snapshot: &Snapshot) {
        let index = snapshot.last_index;
        let value = Register::value_in(snapshot);
        let known = index
            .checked_sub(1)
            .and_then(|i| self.committed.get(i as usize));
        let detail = match known {
            None => format!("a snapshot up to index {index}, which is not known committed"),
            Some(c) if c.entry.term != snapshot.last_term => format!(
                "a snapshot whose last entry has term {} where {} (term {}) was committed",
                snapshot.last_term,
                crate::entry_name(&c.entry),
                c.entry.term
            ),
            Some(c) if c.value != value => format!(
                "a snapshot holding the value {value} where the committed entries up to index {index} give {}",
                c.value
            ),
            Some(_) => return,
        };
        self.violation(
            Property::StateMachineSafety,
            now,
            vec![id],
            Some(index),
            Some(snapshot.last_term),
            detail,
        );
    }

    /// A server crashed and restarted: its volatile state (commit index, role) is gone.
    pub fn restarted(&mut self, id: NodeId) {
        if let Some(s) = self.shadows.get_mut(id as usize - 1) {
            s.commit = 0;
            s.role = None;
            s.truncations = None;
        }
    }

    /// Checks every property that a change of server `node` could break.
    pub fn observe(&mut self, now: Time, node: &Node<Command>) {
        let id = node.id();
        let Some(slot) = (id as usize)
            .checked_sub(1)
            .filter(|&i| i < self.shadows.len())
        else {
            return;
        };
        let mut shadow = std::mem::take(&mut self.shadows[slot]);
        let (term, role) = (node.term(), node.role());

        if term < shadow.term {
            self.violation(
                Property::TermMonotonic,
                now,
                vec![id],
                None,
                Some(term),
                format!("term went from {} back to {term}", shadow.term),
            );
        }
        if node.commit_index() < shadow.commit {
            self.violation(
                Property::CommitMonotonic,
                now,
                vec![id],
                Some(node.commit_index()),
                Some(term),
                format!(
                    "commitIndex went from {} back to {}",
                    shadow.commit,
                    node.commit_index()
                ),
            );
        }

        // The log: find where it changed since the last look. With no removal since
        // (the same truncation count, no new snapshot, and no shorter), only appends
        // happened: the work stays proportional to what changed, however long the log.
        // Entries a snapshot replaced read as the committed ones (the snapshot is
        // checked against them when taken or installed).
        let held = node.log().entries();
        #[cfg(feature = "compaction")]
        let (base, committed) = (
            node.log().snapshot_index() as usize,
            std::mem::take(&mut self.committed),
        );
        #[cfg(feature = "compaction")]
        let entry_at = |k: usize| {
            if k < base {
                committed.get(k).map(|c| &c.entry)
            } else {
                held.get(k - base)
            }
        };
        // Without the `compaction` feature no server compacts.
        #[cfg(not(feature = "compaction"))]
        let (base, entry_at) = (0, |k: usize| held.get(k));
        let length = base + held.len();
        #[cfg(feature = "compaction")]
        let same_base = std::mem::replace(&mut shadow.base, base as Index) == base as Index;
        #[cfg(not(feature = "compaction"))]
        let same_base = true;
        let appended_only = shadow.truncations == Some(node.log().truncations())
            && same_base
            && length >= shadow.entries.len();
        let same = if appended_only {
            shadow.entries.len()
        } else {
            shadow
                .entries
                .iter()
                .enumerate()
                .take_while(|&(k, a)| entry_at(k) == Some(a))
                .count()
        };
        shadow.truncations = Some(node.log().truncations());
        let removed = shadow.entries.len() > same;
        if removed
            && shadow.role == Some(Role::Leader)
            && role == Role::Leader
            && shadow.term == term
        {
            self.violation(
                Property::LeaderAppendOnly,
                now,
                vec![id],
                Some(same as Index + 1),
                Some(term),
                format!(
                    "the leader's log lost entries from index {} (had {}, has {length})",
                    same + 1,
                    shadow.entries.len(),
                ),
            );
        }
        shadow.entries.truncate(same);
        shadow.prefix.truncate(same);
        for k in same..length {
            let Some(e) = entry_at(k) else {
                break;
            };
            let index = k as Index + 1;
            let prev = shadow.prefix.last().copied().unwrap_or(0);
            let identity = chain(prev, e);
            shadow.entries.push(e.clone());
            shadow.prefix.push(identity);
            match self.identities.get(&(index, e.term)) {
                Some(&(known, holder)) if known != identity => self.violation(
                    Property::LogMatching,
                    now,
                    vec![holder, id],
                    Some(index),
                    Some(e.term),
                    "same index and term but different entries up to there".into(),
                ),
                Some(_) => {}
                None => {
                    self.identities.insert((index, e.term), (identity, id));
                }
            }
        }
        #[cfg(feature = "compaction")]
        {
            self.committed = committed;
        }
        let became_leader =
            role == Role::Leader && (shadow.role != Some(Role::Leader) || shadow.term != term);
        shadow.term = shadow.term.max(term);
        shadow.role = Some(role);
        let old_commit = shadow.commit;
        shadow.commit = shadow.commit.max(node.commit_index());
        self.shadows[slot] = shadow;

        if removed && (same as usize) < self.committed.len() {
            for index in same + 1..=self.committed.len() {
                self.check_majority(now, index as Index);
            }
        }

        // Newly committed entries must agree with what was committed before.
        for index in old_commit + 1..=node.commit_index() {
            let Some(entry) = node.log().get(index) else {
                continue;
            };
            let pos = index as usize - 1;
            if let Some(c) = self.committed.get(pos) {
                if c.entry != *entry {
                    let detail = format!(
                        "committed {} (term {}) where {} (term {}) was committed",
                        crate::entry_name(entry),
                        entry.term,
                        crate::entry_name(&c.entry),
                        c.entry.term
                    );
                    self.violation(
                        Property::StateMachineSafety,
                        now,
                        vec![id],
                        Some(index),
                        Some(entry.term),
                        detail,
                    );
                }
            } else if pos == self.committed.len() {
                self.committed.push(Committed {
                    entry: entry.clone(),
                    in_term: term,
                    #[cfg(feature = "compaction")]
                    value: entry
                        .command
                        .apply(self.committed.last().map_or(0, |c| c.value)),
                    #[cfg(feature = "membership")]
                    by: node.configuration().clone(),
                });
                self.check_majority(now, index);
            }
        }

        if role == Role::Leader {
            match self.leaders.get(&term) {
                Some(&other) if other != id => self.violation(
                    Property::ElectionSafety,
                    now,
                    vec![other, id],
                    None,
                    Some(term),
                    format!("S{other} and S{id} are both leaders of term {term}"),
                ),
                Some(_) => {}
                None => {
                    self.leaders.insert(term, id);
                }
            }
        }
        if became_leader {
            // Entries its snapshot replaced are the committed ones (checked apart).
            let base = node.log().snapshot_index();
            let missing = self.committed.iter().enumerate().find(|(i, c)| {
                let index = *i as Index + 1;
                c.in_term < term && index > base && node.log().get(index) != Some(&c.entry)
            });
            if let Some((i, c)) = missing {
                let detail = format!(
                    "new leader lacks {} (term {}), committed in term {}",
                    crate::entry_name(&c.entry),
                    c.entry.term,
                    c.in_term
                );
                self.violation(
                    Property::LeaderCompleteness,
                    now,
                    vec![id],
                    Some(i as Index + 1),
                    Some(term),
                    detail,
                );
            }
        }
    }

    /// The committed entry at `index` must be stored by a majority (crashed servers
    /// count: their log is on stable storage).
    fn check_majority(&mut self, now: Time, index: Index) {
        let Some(c) = self.committed.get(index as usize - 1) else {
            return;
        };
        let holds = |s: &Shadow| s.entries.get(index as usize - 1) == Some(&c.entry);
        let holders = self.shadows.iter().filter(|s| holds(s)).count();
        #[cfg(not(feature = "membership"))]
        let kept = holders > self.shadows.len() / 2;
        // Servers that joined later count as they catch up; a majority of the
        // configuration that committed it must hold it.
        #[cfg(feature = "membership")]
        let kept = c.by.quorum(|id| {
            self.shadows
                .get((id as usize).wrapping_sub(1))
                .is_some_and(holds)
        });
        if !kept {
            let detail = format!(
                "committed {} (term {}) is now on {holders} of {} servers",
                crate::entry_name(&c.entry),
                c.entry.term,
                self.shadows.len()
            );
            let term = Some(c.entry.term);
            self.violation(
                Property::CommittedOnMajority,
                now,
                Vec::new(),
                Some(index),
                term,
                detail,
            );
        }
    }

    /// Checks an entry being applied to a server's state machine against what was
    /// committed at that index.
    pub fn applied(&mut self, now: Time, id: NodeId, index: Index, command: Command) {
        let known = self
            .committed
            .get(index as usize - 1)
            .map(|c| c.entry.command);
        if known.is_some_and(|k| k != command) {
            self.violation(
                Property::StateMachineSafety,
                now,
                vec![id],
                Some(index),
                None,
                format!(
                    "applied {command} where {} was committed",
                    known.map_or(String::new(), |k| k.to_string())
                ),
            );
        }
    }
}
