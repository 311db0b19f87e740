//! What a leader knows of each follower (Figure 2, "volatile state on leaders"), and
//! how it paces replication to it.
//!
//! Figure 2 alone resends everything from nextIndex whenever it sends, and moves
//! nextIndex only on replies: with many proposals in flight the work grows with the
//! square of their number. With flow control (on by default, as etcd-io/raft's
//! tracker does it) a follower is in one of two states:
//!
//! * **probe**: the leader does not know where the follower's log matches its own; it
//!   sends one AppendEntries from nextIndex and waits for the answer (or the next
//!   heartbeat) before sending again;
//! * **replicate**: the follower is known to match up to matchIndex; the leader sends
//!   each new entry once, advances nextIndex as it sends (optimistically), and keeps
//!   at most a window of such messages unanswered. A rejection falls back to probe.

use crate::{Index, NodeId};
use alloc::vec::Vec;

/// How a leader is sending to a follower.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ProgressState {
    /// Where the logs match is unknown: one message at a time.
    Probe,
    /// The logs match up to matchIndex: new entries are streamed.
    Replicate,
}

/// A leader's view of one follower's log.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Progress {
    /// The follower.
    pub peer: NodeId,
    /// Index of the next entry to send to that server (initialized to the leader's
    /// last log index + 1).
    pub next_index: Index,
    /// Index of the highest entry known to be replicated on that server
    /// (initialized to 0, increases monotonically).
    pub match_index: Index,
    /// Probe or replicate (always probe without flow control).
    pub state: ProgressState,
    /// In probe: a message was sent and is awaiting its answer.
    pub paused: bool,
    /// In replicate: the last index carried by each unanswered message, oldest first.
    pub inflight: Vec<Index>,
    /// The follower answered since the leader last checked (CheckQuorum).
    #[cfg_attr(feature = "serde", serde(default))]
    pub recent_active: bool,
    /// The latest round of confirmation the follower acknowledged (reads, §6.4).
    #[cfg_attr(feature = "serde", serde(default))]
    pub acked_round: u64,
}

impl Progress {
    /// A fresh record for a leader whose log ends at `last_index`.
    pub fn new(peer: NodeId, last_index: Index) -> Self {
        Progress {
            peer,
            next_index: last_index + 1,
            match_index: 0,
            state: ProgressState::Probe,
            paused: false,
            inflight: Vec::new(),
            recent_active: false,
            acked_round: 0,
        }
    }

    /// The follower answered an AppendEntries of round `round`.
    pub fn heard(&mut self, round: u64) {
        self.recent_active = true;
        self.acked_round = self.acked_round.max(round);
    }

    /// A successful AppendEntries showed the follower matches up to `index`.
    /// Returns true if `match_index` grew.
    pub fn acknowledge(&mut self, index: Index) -> bool {
        let grew = index > self.match_index;
        self.match_index = self.match_index.max(index);
        self.next_index = self.next_index.max(self.match_index + 1);
        self.inflight.retain(|&last| last > self.match_index);
        self.paused = false;
        grew
    }

    /// A rejection suggested retrying from `hint`. Never goes below
    /// `match_index + 1` and always moves back by at least one entry when it can.
    /// Falls back to probing. Returns true if `next_index` moved.
    pub fn back_off(&mut self, hint: Index) -> bool {
        let floor = self.match_index + 1;
        let target = if hint < self.next_index {
            hint
        } else {
            self.next_index.saturating_sub(1)
        };
        let next = target.max(floor);
        let moved = next != self.next_index;
        self.next_index = next;
        self.probe();
        moved
    }

    /// Back to probing from `next_index` (after a rejection), nothing in flight.
    pub fn probe(&mut self) {
        self.state = ProgressState::Probe;
        self.paused = false;
        self.inflight.clear();
    }

    /// Streams from here on: the logs match up to `match_index`.
    pub fn replicate(&mut self) {
        self.state = ProgressState::Replicate;
        self.paused = false;
        self.next_index = self.match_index + 1;
        self.inflight.clear();
    }

    /// True if a message carrying entries may be sent now (`window`: the most
    /// unanswered messages in replicate).
    pub fn can_send(&self, window: usize) -> bool {
        match self.state {
            ProgressState::Probe => !self.paused,
            ProgressState::Replicate => self.inflight.len() < window,
        }
    }

    /// A message carrying entries up to `last` was sent.
    pub fn sent(&mut self, last: Index) {
        match self.state {
            ProgressState::Probe => self.paused = true,
            ProgressState::Replicate => {
                self.inflight.push(last);
                self.next_index = last + 1;
            }
        }
    }
}
