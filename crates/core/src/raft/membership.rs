//! Membership changes on a server (§6; dissertation chapter 4): the configuration in
//! force is the latest one in the log; the leader adds servers as learners, makes them
//! voters once caught up, removes servers, and moves from `C_old,new` to `C_new`.

use super::{Node, Role};
use crate::log::Entry;
use crate::membership::{Change, ChangeError, Configuration, MembershipMode};
use crate::progress::Progress;
use crate::{Config, ConfigError, Index, NodeId, Time};

impl<C: Clone> Node<C> {
    /// A new server joining a running cluster: it knows no member and waits for a
    /// leader to send it the log (and with it the configuration). It never stands for
    /// election before a configuration names it a voter.
    pub fn joining(id: NodeId, config: Config, seed: u64, now: Time) -> Result<Self, ConfigError> {
        let mut node = Self::new(id, [], config, seed, now)?;
        node.initial_configuration = Configuration::default();
        node.set_configuration(Configuration::default(), 0);
        Ok(node)
    }

    /// A server that joined a running cluster (see [`Node::joining`]), rebuilt after
    /// a crash from its persistent state: its configuration is the latest in its log,
    /// and none (it waits for a leader) if its log holds none yet.
    pub fn rejoin(
        id: NodeId,
        config: Config,
        state: crate::Persistent<C>,
        seed: u64,
        now: Time,
    ) -> Result<Self, crate::RestoreError> {
        let mut node = Self::restart(id, [], config, state, seed, now)?;
        node.initial_configuration = Configuration::default();
        if node.config_index == 0 {
            node.set_configuration(Configuration::default(), 0);
        }
        Ok(node)
    }

    /// The configuration in force on this server: the latest one in its log (§6: a
    /// server uses it as soon as the entry is appended, committed or not).
    pub fn configuration(&self) -> &Configuration {
        &self.configuration
    }

    /// Index of the entry that holds the configuration in force (0: the one the server
    /// started with).
    pub fn configuration_index(&self) -> Index {
        self.config_index
    }

    /// The learner the leader will make a voter once it has caught up.
    pub fn promoting(&self) -> Option<NodeId> {
        self.promoting
    }

    /// Once the configuration has changed, or while joining, messages from servers
    /// not (yet) known are taken, and RequestVote is disregarded while a leader is
    /// heard from (§6).
    pub(crate) fn membership_in_play(&self) -> bool {
        self.config_index > 0 || self.configuration.voters.is_empty()
    }

    /// True if this server votes in its configuration (its own vote counts).
    pub(crate) fn votes_here(&self) -> bool {
        self.configuration.is_voter(self.id)
    }

    /// True if this server may stand for election: a voter of its configuration, or
    /// one that configuration leaves out while it is not known committed: "it might
    /// still be needed until the C_new entry is committed" (dissertation §4.2.2; its
    /// own vote does not count). A learner and a server still joining never stand.
    pub(crate) fn may_stand(&self) -> bool {
        self.votes_here()
            || (self.config_index > self.commit_index
                && !self.configuration.learners.contains(&self.id)
                && !self.configuration.voters.is_empty())
    }

    /// The highest value a majority of the voters has reached (of both
    /// configurations while joint): a leader's matchIndex per follower for commitment,
    /// or the round each acknowledged for reads. `own` is this server's, counted only
    /// if it votes; `of` reads a follower's from its progress record.
    pub(crate) fn reached_by_voters(&self, own: u64, of: impl Fn(&Progress) -> u64) -> u64 {
        self.configuration.committed_index(|id| {
            if id == self.id {
                own
            } else {
                self.progress.iter().find(|p| p.peer == id).map_or(0, &of)
            }
        })
    }

    /// Asks the leader to change the membership: `Add` makes a new server a learner
    /// (it becomes a voter once caught up), `Remove` takes a server out (through
    /// `C_old,new` in joint mode). Returns the index of the configuration entry.
    pub fn change_membership(&mut self, now: Time, change: Change) -> Result<Index, ChangeError> {
        self.observe(now);
        if self.role != Role::Leader {
            return Err(ChangeError::NotLeader);
        }
        if self.change_in_progress() {
            return Err(ChangeError::InProgress);
        }
        let mut next = self.configuration.clone();
        match change {
            Change::Add(id) => {
                if self.configuration.contains(id) {
                    return Err(ChangeError::AlreadyMember);
                }
                next.learners.push(id);
                next.learners.sort_unstable();
                let index = self.append_configuration(next)?;
                self.promoting = Some(id);
                Ok(index)
            }
            Change::Remove(id) if self.configuration.learners.contains(&id) => {
                next.learners.retain(|&l| l != id);
                self.append_configuration(next)
            }
            Change::Remove(id) => {
                if !self.configuration.voters.contains(&id) {
                    return Err(ChangeError::NotMember);
                }
                if self.configuration.voters.len() == 1 {
                    return Err(ChangeError::LastVoter);
                }
                self.check_2015_rule()?;
                let mut voters = self.configuration.voters.clone();
                voters.retain(|&v| v != id);
                self.append_configuration(self.next_voters(voters))
            }
        }
    }

    /// A change is under way: its entry is not committed yet, the configuration is
    /// joint, or a learner is catching up to be promoted.
    fn change_in_progress(&self) -> bool {
        self.config_index > self.commit_index
            || self.configuration.is_joint()
            || self.promoting.is_some()
    }

    /// One server at a time (dissertation §4.1, corrected in 2015): a leader changes
    /// the voters only once it has committed an entry of its own term, so that no
    /// configuration of an earlier term can still be in force with another leader.
    fn check_2015_rule(&self) -> Result<(), ChangeError> {
        let single = self.config.membership == MembershipMode::SingleServer;
        let own_term_committed = self.log.term_at(self.commit_index) == Some(self.current_term);
        if single
            && !own_term_committed
            && !self.deviates(crate::Deviation::ChangeBeforeCommitInTerm)
        {
            return Err(ChangeError::NotYetCommittedInTerm);
        }
        Ok(())
    }

    /// The configuration that gives `voters` the vote: through `C_old,new` in joint
    /// mode, at once one server at a time.
    fn next_voters(&self, voters: alloc::vec::Vec<NodeId>) -> Configuration {
        let mut next = Configuration::of(voters);
        next.learners = self.configuration.learners.clone();
        if self.config.membership == MembershipMode::Joint {
            next.outgoing = self.configuration.voters.clone();
        }
        next
    }

    /// The leader appends a configuration entry (carrying the no-op command), which
    /// takes effect at once, and sends it.
    fn append_configuration(&mut self, next: Configuration) -> Result<Index, ChangeError> {
        let Some(command) = self.no_op.clone() else {
            return Err(ChangeError::NoNoOp);
        };
        let mut entry = Entry::new(self.current_term, command);
        entry.config = Some(next.clone());
        self.log.push(entry);
        let index = self.log.last_index();
        self.set_configuration(next, index);
        self.maybe_commit();
        self.broadcast_append_entries(false);
        Ok(index)
    }

    /// Puts `configuration` (held by the entry at `index`) in force: the peers are its
    /// other members, and a leader keeps a progress record for each.
    pub(crate) fn set_configuration(&mut self, configuration: Configuration, index: Index) {
        let members = configuration.members();
        self.peers = members.into_iter().filter(|&m| m != self.id).collect();
        self.configuration = configuration;
        self.config_index = index;
        if self.role == Role::Leader {
            let last = self.log.last_index();
            let mut progress = alloc::vec::Vec::with_capacity(self.peers.len());
            for &p in &self.peers {
                match self.progress.iter().position(|r| r.peer == p) {
                    Some(k) => progress.push(self.progress.swap_remove(k)),
                    None => progress.push(Progress::new(p, last)),
                }
            }
            self.progress = progress;
        }
    }

    /// The log changed from index `from` on (entries removed or appended there; 0:
    /// anywhere, after a restart or a snapshot): the configuration in force is the
    /// latest one in the log.
    pub(crate) fn log_changed_from(&mut self, from: Index) {
        // If the entry in force went, look further back.
        let anywhere = from == 0 || self.config_index >= from;
        let floor = if anywhere {
            self.log.first_index()
        } else {
            from
        };
        if let Some((c, index)) = self.latest_configuration(self.log.last_index(), floor) {
            // (The same index may now hold another entry: compare the configuration.)
            if index != self.config_index || c != self.configuration {
                self.set_configuration(c, index);
            }
        } else if anywhere {
            let (c, index) = self.base_configuration();
            self.set_configuration(c, index);
        }
    }

    /// The latest configuration entry from `from` down to `floor`, with its index.
    fn latest_configuration(&self, from: Index, floor: Index) -> Option<(Configuration, Index)> {
        let mut index = from;
        while index >= floor && index > 0 {
            if let Some(c) = self.log.get(index).and_then(|e| e.config.clone()) {
                return Some((c, index));
            }
            index -= 1;
        }
        None
    }

    /// The configuration before the log's first entry: the snapshot's, or the one
    /// the server started with.
    fn base_configuration(&self) -> (Configuration, Index) {
        #[cfg(feature = "compaction")]
        if let Some(c) = self.snapshot.as_ref().and_then(|s| s.config.clone()) {
            return (c, self.log.snapshot_index());
        }
        (self.initial_configuration.clone(), 0)
    }

    /// The configuration in force at `index`, if a configuration entry up to there
    /// set it (for a snapshot up to it); `None` if it is still the one the server
    /// started with, so that a snapshot of an unchanged cluster does not count as a
    /// membership change.
    #[cfg(feature = "compaction")]
    pub(crate) fn configuration_at(&self, index: Index) -> Option<Configuration> {
        match self.latest_configuration(index, self.log.first_index()) {
            Some((c, _)) => Some(c),
            None => self.snapshot.as_ref().and_then(|s| s.config.clone()),
        }
    }

    /// After the commit index moved, the leader goes on with a change: from
    /// `C_old,new` to `C_new`; a leader that is not in `C_new` steps down once it
    /// commits (§6).
    pub(crate) fn after_commit(&mut self) {
        if self.role != Role::Leader || self.config_index > self.commit_index {
            return;
        }
        if self.configuration.is_joint() {
            let mut next = self.configuration.clone();
            next.outgoing.clear();
            let _ = self.append_configuration(next);
        } else if !self.votes_here() {
            self.step_down();
        }
    }

    /// A learner being added has caught up with the leader's commit index: the leader
    /// makes it a voter.
    pub(crate) fn maybe_promote(&mut self, i: usize) {
        let Some(id) = self.promoting else {
            return;
        };
        let p = &self.progress[i];
        if p.peer != id
            || p.match_index < self.commit_index
            || self.config_index > self.commit_index
            || self.check_2015_rule().is_err()
        {
            return;
        }
        self.promoting = None;
        let mut voters = self.configuration.voters.clone();
        voters.push(id);
        let mut next = self.next_voters(voters);
        next.learners.retain(|&l| l != id);
        let _ = self.append_configuration(next);
    }
}
