//! What a leader knows of each follower (Figure 2, "volatile state on leaders").

use crate::{Index, NodeId};

/// A leader's view of one follower's log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
}

impl Progress {
    /// A fresh record for a leader whose log ends at `last_index`.
    pub fn new(peer: NodeId, last_index: Index) -> Self {
        Progress {
            peer,
            next_index: last_index + 1,
            match_index: 0,
        }
    }

    /// A successful AppendEntries showed the follower matches up to `index`.
    /// Returns true if `match_index` grew.
    pub fn acknowledge(&mut self, index: Index) -> bool {
        let grew = index > self.match_index;
        self.match_index = self.match_index.max(index);
        self.next_index = self.next_index.max(self.match_index + 1);
        grew
    }

    /// A rejection suggested retrying from `hint`. Never goes below
    /// `match_index + 1` and always moves back by at least one entry when it can.
    /// Returns true if `next_index` moved.
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
        moved
    }
}
