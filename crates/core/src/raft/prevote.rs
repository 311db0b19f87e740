//! Keeping a server that cannot win from disrupting one that leads (dissertation
//! §9.6): PreVote and CheckQuorum.
//!
//! * **PreVote**: when its election timer fires, a server first asks the others
//!   "would you vote for me in the next term?" without raising its own term. They say
//!   yes only if its log is at least as up to date as theirs and they have not heard
//!   from a leader within the smallest election timeout. Only with a majority of yeses
//!   does it stand for real. A server cut off from the others keeps asking, keeps its
//!   term, and cannot depose the leader when it comes back.
//! * **CheckQuorum**: a leader that has not heard from a majority within an election
//!   timeout steps down; and a server that heard from a leader within the smallest
//!   election timeout ignores vote requests (neither adopting their term nor voting).

use super::{Node, Role};
use crate::config::ReadMode;
use crate::message::Body;
#[cfg(not(feature = "membership"))]
use crate::quorum;
use crate::{NodeId, Term};

impl<C: Clone> Node<C> {
    /// True if the server currently refuses to be disrupted by vote requests: with
    /// CheckQuorum, or with lease reads, which count on it (§6.4.1).
    pub(crate) fn refuses_disruption(&self) -> bool {
        #[cfg(feature = "membership")]
        if self.membership_in_play() {
            return true; // removed servers must not disrupt the cluster (§6)
        }
        self.config.check_quorum || self.config.read_mode == ReadMode::Lease
    }

    /// True if, with lease reads, this server heard from a leader within the smallest
    /// election timeout: it neither votes nor stands until then (a forced timeout
    /// included), so that the leader's lease holds.
    pub fn keeps_lease(&self) -> bool {
        self.config.read_mode == ReadMode::Lease && self.leader_is_alive()
    }

    /// True if, refusing disruption, this server heard from a leader within the
    /// smallest election timeout (a leader hears from itself).
    pub(crate) fn hears_from_leader(&self) -> bool {
        self.refuses_disruption() && self.leader_is_alive()
    }

    /// True if this server leads, or heard from a leader within the smallest election
    /// timeout.
    fn leader_is_alive(&self) -> bool {
        self.role == Role::Leader
            || self
                .leader_contact
                .is_some_and(|t| self.now < t.saturating_add(self.config.election_timeout_min))
    }

    /// The election timer fired with PreVote on: ask before standing.
    pub(crate) fn start_pre_vote(&mut self) {
        self.start_asking(Role::PreCandidate);
        if self.has_quorum_of_votes() {
            self.start_election(false);
            return;
        }
        let (last_log_index, last_log_term) = (self.log.last_index(), self.log.last_term());
        let asked = self.current_term + 1;
        for i in 0..self.peers.len() {
            let to = self.peers[i];
            if !self.is_voter(to) {
                continue;
            }
            self.send_in(
                asked,
                to,
                Body::PreVote {
                    last_log_index,
                    last_log_term,
                },
            );
        }
    }

    /// "Would you vote for me in term `term`?" Yes if that term is ahead of ours, the
    /// asker's log is at least as up to date as ours, and no leader is alive as far as
    /// we know. Nothing here changes our term or vote.
    pub(crate) fn handle_pre_vote(
        &mut self,
        from: NodeId,
        term: Term,
        last_log_index: u64,
        last_log_term: Term,
    ) {
        let granted = term > self.current_term
            && self.log.is_up_to_date(last_log_index, last_log_term)
            && !self.leader_is_alive();
        // A yes carries the asked term; a no carries ours, so that an asker behind
        // us catches up.
        let answer_term = if granted { term } else { self.current_term };
        self.send_in(answer_term, from, Body::PreVoteReply { granted });
    }

    /// A yes to our PreVote for `term`; with a majority, stand.
    pub(crate) fn handle_pre_vote_reply(&mut self, from: NodeId, term: Term) {
        if self.role != Role::PreCandidate || term != self.current_term + 1 {
            return; // stale: an earlier round of asking
        }
        if !self.votes.contains(&from) && self.is_voter(from) {
            self.votes.push(from);
        }
        if self.has_quorum_of_votes() {
            self.start_election(false);
        }
    }

    /// CheckQuorum: once per election timeout, a leader that heard from fewer than a
    /// majority (itself included) since the last check steps down.
    pub(crate) fn check_quorum(&mut self) {
        #[cfg(feature = "membership")]
        let lost = !self.configuration.quorum(|id| {
            id == self.id
                || self
                    .progress
                    .iter()
                    .any(|p| p.peer == id && p.recent_active)
        });
        #[cfg(not(feature = "membership"))]
        let lost = 1 + self.progress.iter().filter(|p| p.recent_active).count()
            < quorum::majority(self.cluster_size());
        if lost {
            self.step_down();
            return;
        }
        for p in &mut self.progress {
            p.recent_active = false;
        }
        self.quorum_deadline = self.now + self.config.election_timeout_max;
    }
}
