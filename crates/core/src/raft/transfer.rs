//! Leadership transfer (dissertation §3.10): the leader brings a chosen follower's
//! log up to date, then tells it to stand at once (TimeoutNow); the follower's
//! RequestVote says so, and voters grant it even while they still hear from the old
//! leader. The leader takes no new entries meanwhile, and gives up if the transfer
//! has not happened within an election timeout.

use super::{Node, NotLeader, Role};
use crate::message::Body;
use crate::{NodeId, Term, Time};
use core::fmt;

/// Why leadership cannot be handed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferError {
    /// Only a leader hands over.
    NotLeader,
    /// The target is not another member of the cluster.
    NotAPeer,
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransferError::NotLeader => "only the leader can hand over leadership",
            TransferError::NotAPeer => "leadership goes to another member of the cluster",
        })
    }
}

/// A handover under way.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Transfer {
    /// Who is to lead next.
    pub(crate) target: NodeId,
    /// When the leader gives up.
    pub(crate) until: Time,
    /// TimeoutNow was sent.
    pub(crate) told: bool,
}

impl<C: Clone> Node<C> {
    /// Starts handing leadership to `target`: it is sent what it misses, then
    /// TimeoutNow. Asked again for the same target, it carries on; for another, it
    /// starts over.
    pub fn transfer_leadership(&mut self, now: Time, target: NodeId) -> Result<(), TransferError> {
        self.observe(now);
        if self.role != Role::Leader {
            return Err(TransferError::NotLeader);
        }
        let Some(i) = self.progress.iter().position(|p| p.peer == target) else {
            return Err(TransferError::NotAPeer);
        };
        // Leadership goes to a voter only (§6), not to a learner.
        #[cfg(feature = "membership")]
        if !self.configuration.is_voter(target) {
            return Err(TransferError::NotAPeer);
        }
        if self.transferring_to() != Some(target) {
            self.transfer = Some(Transfer {
                target,
                until: self.now + self.config.election_timeout_max,
                told: false,
            });
        }
        // Once TimeoutNow may be on its way, a vote can be granted despite the
        // lease: the lease is over for this term.
        self.reads.end_lease();
        if self.progress[i].match_index >= self.log.last_index() {
            self.tell_to_stand(target);
        } else if self.config.flow_control {
            self.heartbeat_to(i);
        } else {
            self.send_append_entries(i);
        }
        Ok(())
    }

    /// A proposal (or a read) is refused while handing over.
    pub(crate) fn accepts_client(&self) -> Result<(), NotLeader> {
        if self.role != Role::Leader || self.transfer.is_some() {
            return Err(NotLeader {
                leader_hint: self.leader_id.filter(|&l| l != self.id),
                transferring: self.transferring_to(),
            });
        }
        Ok(())
    }

    /// After a successful AppendEntries reply from progress `i`: if it is the target
    /// and now holds the whole log, it is told to stand.
    pub(crate) fn continue_transfer(&mut self, i: usize) {
        let p = &self.progress[i];
        let waiting = self.transfer.is_some_and(|t| t.target == p.peer && !t.told);
        if waiting && p.match_index >= self.log.last_index() {
            let target = p.peer;
            self.tell_to_stand(target);
        }
    }

    fn tell_to_stand(&mut self, target: NodeId) {
        if let Some(t) = &mut self.transfer {
            t.told = true;
        }
        self.send(target, Body::TimeoutNow);
    }

    /// Gives up a transfer that did not happen within an election timeout.
    pub(crate) fn expire_transfer(&mut self) {
        if self.transfer.is_some_and(|t| self.now >= t.until) {
            self.transfer = None;
        }
    }

    /// The leader of `term` said "stand now": stand, skipping PreVote, and say so.
    pub(crate) fn handle_timeout_now(&mut self, term: Term) {
        #[cfg(feature = "membership")]
        if !self.may_stand() {
            return;
        }
        if term == self.current_term && self.role != Role::Leader {
            self.start_election(true);
        }
    }
}
