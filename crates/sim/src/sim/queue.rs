//! The event queue: deliveries, losses and timer wake-ups in time order, ties broken
//! by insertion order; and the messages in flight, by id.

use super::types::{InFlight, MsgId};
use raft_core::{NodeId, Time};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// What happens at a queued time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum EventKind {
    /// A message reaches its receiver.
    Arrive(MsgId),
    /// A message is lost on the way.
    Lose(MsgId),
    /// A server's timer, as scheduled at that time (stale once rescheduled).
    Timer(NodeId, Time),
}

/// A queue entry, ordered by time, then by insertion (deterministic tie-breaking).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Queued {
    pub(super) at: Time,
    seq: u64,
    pub(super) kind: EventKind,
}

/// Future events, earliest first; events at the same time in the order they were
/// scheduled.
#[derive(Clone, Debug, Default)]
pub(super) struct EventQueue {
    heap: BinaryHeap<Reverse<Queued>>,
    seq: u64,
}

impl EventQueue {
    /// Schedules `kind` at time `at`.
    pub(super) fn schedule(&mut self, at: Time, kind: EventKind) {
        self.seq += 1;
        self.heap.push(Reverse(Queued {
            at,
            seq: self.seq,
            kind,
        }));
    }

    /// Takes the earliest event.
    pub(super) fn pop(&mut self) -> Option<Queued> {
        self.heap.pop().map(|Reverse(q)| q)
    }

    /// The earliest event, left in place.
    pub(super) fn peek(&self) -> Option<&Queued> {
        self.heap.peek().map(|Reverse(q)| q)
    }
}

/// The messages in flight, by id. Ids are given in sending order, so the messages sit
/// in a queue from the oldest still in flight; one delivered out of order leaves an
/// empty slot until the older ones are gone. Every operation is O(1), and no map code
/// goes into the page.
#[derive(Clone, Debug, Default)]
pub(super) struct Flights {
    /// Id of the first slot.
    base: MsgId,
    slots: VecDeque<Option<InFlight>>,
}

impl Flights {
    /// Adds a message; its id is above every id added before.
    pub(super) fn insert(&mut self, f: InFlight) {
        if self.slots.is_empty() {
            self.base = f.id;
        }
        let Some(k) = f.id.checked_sub(self.base) else {
            return;
        };
        while (self.slots.len() as u64) < k {
            self.slots.push_back(None);
        }
        if (self.slots.len() as u64) == k {
            self.slots.push_back(Some(f));
        } else if let Some(slot) = self.slots.get_mut(k as usize) {
            *slot = Some(f);
        }
    }

    pub(super) fn slot(&self, id: MsgId) -> Option<usize> {
        usize::try_from(id.checked_sub(self.base)?).ok()
    }

    pub(super) fn get(&self, id: MsgId) -> Option<&InFlight> {
        self.slots.get(self.slot(id)?)?.as_ref()
    }

    pub(super) fn remove(&mut self, id: MsgId) -> Option<InFlight> {
        let k = self.slot(id)?;
        let f = self.slots.get_mut(k)?.take();
        while let Some(None) = self.slots.front() {
            self.slots.pop_front();
            self.base += 1;
        }
        f
    }

    /// Oldest first.
    pub(super) fn iter(&self) -> impl Iterator<Item = &InFlight> {
        self.slots.iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use raft_core::Message;

    #[test]
    fn flights_find_remove_and_list_messages_by_id_in_any_order() {
        let msg = |id: MsgId| InFlight {
            id,
            msg: Message {
                from: 1,
                to: 2,
                term: 1,
                body: raft_core::Body::RequestVote {
                    last_log_index: 0,
                    last_log_term: 0,
                    transfer: false,
                },
            },
            sent_at: 0,
            deliver_at: 1,
            lost: None,
        };
        let mut f = Flights::default();
        for id in 5..10 {
            f.insert(msg(id));
        }
        assert_eq!(f.remove(7).map(|m| m.id), Some(7));
        assert!(f.remove(7).is_none() && f.get(7).is_none());
        assert_eq!(f.remove(5).map(|m| m.id), Some(5));
        assert_eq!(f.iter().map(|m| m.id).collect::<Vec<_>>(), [6, 8, 9]);
        assert_eq!(f.get(8).map(|m| m.id), Some(8));
        assert!(f.get(4).is_none() && f.get(10).is_none() && f.remove(99).is_none());
        for id in [9, 6, 8] {
            assert!(f.remove(id).is_some());
        }
        assert_eq!(f.slots.len(), 0);
        f.insert(msg(12));
        assert_eq!(f.iter().map(|m| m.id).collect::<Vec<_>>(), [12]);
    }
}
