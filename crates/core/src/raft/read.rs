//! Reads (dissertation §6.4). A read must see every write acknowledged before it
//! was asked; a leader's state machine alone does not promise that, since a newer
//! leader may have committed more elsewhere. Three ways to answer, by
//! [`ReadMode`]:
//!
//! * **ReadIndex**: the leader notes its commit index (once it has committed an
//!   entry of its own term, so that the index is the cluster's), sends a round of
//!   heartbeats, and answers when a majority has acknowledged that round (it was
//!   still the leader after the read arrived) and the noted index is committed.
//! * **Lease**: a round acknowledged by a majority tells the leader that no other
//!   leader can be elected for an election timeout after the round was sent (voters
//!   refuse votes that long), less the clock drift bound. Within that lease it
//!   answers at once; outside it, as ReadIndex.
//! * **Naive**: the leader answers from its state machine at once. Unsafe, for
//!   teaching.
//!
//! Rounds are numbered: every AppendEntries carries the number of the latest round
//! and every reply echoes it, so that a reply proves the follower took a message
//! sent after the round began.

use super::{Node, NotLeader};
use crate::config::ReadMode;
#[cfg(not(feature = "membership"))]
use crate::quorum;
use crate::{Index, Time};
use alloc::vec::Vec;

/// The caller's name for one read, given to [`Node::read`] and handed back in its
/// [`ReadOutcome`].
pub type ReadId = u64;

/// What became of a read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReadOutcome {
    /// Answer it from the state machine once it has applied `index`.
    Ready {
        /// The read.
        id: ReadId,
        /// The read index.
        index: Index,
    },
    /// The leader stopped leading before it could answer; ask the new one.
    Failed {
        /// The read.
        id: ReadId,
    },
}

/// Rounds older than this many unconfirmed ones are forgotten (a lease is then not
/// extended by them, which is the safe side).
const ROUNDS_KEPT: usize = 64;

/// A leader's rounds of confirmation and the reads waiting on them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Reads {
    /// The latest round started (carried by every AppendEntries).
    pub(crate) round: u64,
    /// When each round not yet confirmed was started, oldest first.
    started: Vec<(u64, Time)>,
    /// The latest round a majority has acknowledged.
    confirmed: u64,
    /// The lease holds until then (exclusive).
    lease_until: Time,
    /// No lease for the rest of this term (a transfer began).
    lease_over: bool,
    /// Reads waiting for a round (and for their index to be committed).
    waiting: Vec<Waiting>,
    /// Outcomes not yet taken.
    outcomes: Vec<ReadOutcome>,
}

#[derive(Clone, Copy, Debug)]
struct Waiting {
    id: ReadId,
    round: u64,
    /// None until the leader has committed an entry of its term.
    index: Option<Index>,
}

impl Reads {
    /// A new term of office: rounds and lease start afresh.
    pub(crate) fn take_office(&mut self) {
        let outcomes = core::mem::take(&mut self.outcomes);
        *self = Reads {
            outcomes,
            ..Reads::default()
        };
    }

    /// The lease ends now, for the rest of the term.
    pub(crate) fn end_lease(&mut self) {
        self.lease_over = true;
        self.lease_until = 0;
    }
}

impl<C: Clone> Node<C> {
    /// A client read arrives (dissertation §6.4). Only the leader answers, and not
    /// while handing over; the outcome comes later (or at once) from
    /// [`Node::take_reads`].
    pub fn read(&mut self, now: Time, id: ReadId) -> Result<(), NotLeader> {
        self.observe(now);
        self.accepts_client()?;
        let index = self.knows_commit_index().then_some(self.commit_index);
        match self.config.read_mode {
            ReadMode::Naive => {
                let index = self.commit_index;
                self.reads.outcomes.push(ReadOutcome::Ready { id, index });
                return Ok(());
            }
            ReadMode::Lease if self.now < self.reads.lease_until => {
                if let Some(index) = index {
                    self.reads.outcomes.push(ReadOutcome::Ready { id, index });
                    return Ok(());
                }
            }
            _ => {}
        }
        self.start_round();
        let round = self.reads.round;
        self.reads.waiting.push(Waiting { id, round, index });
        for i in 0..self.progress.len() {
            self.send_heartbeat(i);
        }
        self.advance_reads();
        Ok(())
    }

    /// The outcomes of reads since the last call, in the order they were decided.
    pub fn take_reads(&mut self) -> Vec<ReadOutcome> {
        core::mem::take(&mut self.reads.outcomes)
    }

    /// Reads waiting for their answer at this leader.
    pub fn reads_waiting(&self) -> usize {
        self.reads.waiting.len()
    }

    /// Until when this leader's lease holds (in its own time), if it holds at `now`.
    pub fn lease(&self, now: Time) -> Option<Time> {
        let now = self.now.max(now);
        (self.role == super::Role::Leader && now < self.reads.lease_until)
            .then_some(self.reads.lease_until)
    }

    /// True if the leader's commit index is the cluster's: it committed an entry of
    /// its own term, or everything in its log is committed (Leader Completeness: no
    /// committed entry lies beyond its log).
    fn knows_commit_index(&self) -> bool {
        self.commit_index == self.log.last_index()
            || self.log.term_at(self.commit_index) == Some(self.current_term)
    }

    /// Starts a new round of confirmation; the next AppendEntries carry it.
    pub(crate) fn start_round(&mut self) {
        let r = &mut self.reads;
        r.round += 1;
        if r.started.len() == ROUNDS_KEPT {
            r.started.remove(0);
        }
        r.started.push((r.round, self.now));
    }

    /// After an answer or a commit: confirm rounds, extend the lease, answer reads.
    pub(crate) fn advance_reads(&mut self) {
        if self.role != super::Role::Leader {
            return;
        }
        // A round is confirmed by a majority of the voters (of both configurations
        // while joint): learners and the servers removed do not count.
        #[cfg(feature = "membership")]
        let confirmed = self.reached_by_voters(self.reads.round, |p| p.acked_round);
        #[cfg(not(feature = "membership"))]
        let confirmed = {
            let mut acked: Vec<u64> = self.progress.iter().map(|p| p.acked_round).collect();
            acked.push(self.reads.round);
            quorum::committed_index(acked)
        };
        if confirmed > self.reads.confirmed {
            self.reads.confirmed = confirmed;
            let sent = self
                .reads
                .started
                .iter()
                .rev()
                .find(|&&(r, _)| r <= confirmed)
                .map(|&(_, t)| t);
            self.reads.started.retain(|&(r, _)| r > confirmed);
            if let Some(sent) = sent
                && !self.reads.lease_over
            {
                let until = sent.saturating_add(self.lease_length());
                self.reads.lease_until = self.reads.lease_until.max(until);
            }
        }
        let known = self.knows_commit_index().then_some(self.commit_index);
        let (confirmed, commit) = (self.reads.confirmed, self.commit_index);
        let Reads {
            waiting, outcomes, ..
        } = &mut self.reads;
        waiting.retain_mut(|w| {
            if w.index.is_none() {
                w.index = known;
            }
            match w.index {
                Some(index) if w.round <= confirmed && index <= commit => {
                    outcomes.push(ReadOutcome::Ready { id: w.id, index });
                    false
                }
                _ => true,
            }
        });
    }

    /// How long after a round is sent its acknowledgement by a majority keeps other
    /// leaders out, as this leader may count on it: the smallest election timeout,
    /// less the clock drift bound.
    /// (In u64: a timeout so long that `t * ppm` saturates gives no lease, the safe
    /// side; and the browser build carries no 128-bit division.)
    fn lease_length(&self) -> Time {
        let t = self.config.election_timeout_min;
        let drift = t.saturating_mul(Time::from(self.config.clock_drift_bound_ppm)) / 1_000_000;
        t.saturating_sub(drift)
    }

    /// Stepping down: every waiting read fails.
    pub(crate) fn fail_reads(&mut self) {
        let Reads {
            waiting, outcomes, ..
        } = &mut self.reads;
        outcomes.extend(waiting.drain(..).map(|w| ReadOutcome::Failed { id: w.id }));
        self.reads.started.clear();
        self.reads.lease_until = 0;
    }
}
