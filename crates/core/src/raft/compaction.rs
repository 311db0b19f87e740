//! Log compaction (§7): a server replaces the applied prefix of its log with a
//! snapshot of its state machine; a leader sends its snapshot to a follower that needs
//! entries it no longer holds (InstallSnapshot, Figure 13).

use super::{AppendReply, Node, StepError};
use crate::log::Entry;
use crate::message::Body;
use crate::snapshot::{CompactError, Snapshot};
use crate::{Index, NodeId, Term};
use alloc::vec::Vec;

impl<C: Clone> Node<C> {
    /// The latest snapshot, if this server took or received one.
    pub fn snapshot(&self) -> Option<&Snapshot> {
        self.snapshot.as_ref()
    }

    /// Takes a snapshot (§7, "each server takes snapshots independently"): `data` is
    /// the state machine's state after applying every entry up to `index`, which must
    /// be applied already. The log then holds only the entries after `index`.
    pub fn compact(&mut self, index: Index, data: Vec<u8>) -> Result<(), CompactError> {
        if index <= self.log.snapshot_index() {
            return Err(CompactError::AlreadyCompacted);
        }
        if index > self.last_applied || self.restore_pending {
            return Err(CompactError::NotApplied);
        }
        let Some(last_term) = self.log.get(index).map(|e| e.term) else {
            return Err(CompactError::NotApplied);
        };
        if self.unsynced_from.is_some_and(|first| first <= index) {
            self.unsynced_from = None;
        }
        #[cfg_attr(not(feature = "membership"), allow(unused_mut))]
        let mut snapshot = Snapshot::new(index, last_term, data);
        #[cfg(feature = "membership")]
        {
            snapshot.config = self.configuration_at(index);
        }
        // Whatever the log held up to `index` (held: checked above), the snapshot
        // now does.
        self.log.compact(index);
        self.snapshot = Some(snapshot);
        Ok(())
    }

    /// Hands a snapshot newer than the state machine (received from the leader, or
    /// found on restart) to `restore`, once; lastApplied becomes its last index. Call
    /// it before [`Node::apply_committed`], which applies nothing while one waits.
    pub fn restore_snapshot(&mut self, restore: impl FnOnce(&Snapshot)) {
        if !self.restore_pending {
            return;
        }
        self.restore_pending = false;
        if let Some(snapshot) = &self.snapshot {
            restore(snapshot);
            self.last_applied = snapshot.last_index;
        }
    }

    /// Sends the snapshot to follower `i` (its nextIndex is at or before the
    /// snapshot's last index). Returns that index.
    pub(super) fn send_snapshot(&mut self, i: usize) -> Index {
        let peer = self.progress[i].peer;
        let Some(snapshot) = &self.snapshot else {
            return 0; // unreachable: the log was compacted, so a snapshot exists
        };
        let (last_index, last_term) = (snapshot.last_index, snapshot.last_term);
        let body = Body::InstallSnapshot {
            last_included_index: last_index,
            last_included_term: last_term,
            data: snapshot.data.clone(),
            round: self.reads.round,
            #[cfg(feature = "membership")]
            config: snapshot.config.clone(),
        };
        self.send(peer, body);
        last_index
    }

    /// An AppendEntries reaching back before this server's snapshot: the entries up
    /// to the snapshot's last index are committed, so the leader's are the same (Log
    /// Matching, Leader Completeness), and only what follows is checked. Returns the
    /// request from the snapshot on, or `None` once answered (all it carried is in
    /// the snapshot).
    pub(super) fn after_snapshot(
        &mut self,
        leader: NodeId,
        prev_log_index: Index,
        prev_log_term: Term,
        mut entries: Vec<Entry<C>>,
        round: u64,
    ) -> Option<(Index, Term, Vec<Entry<C>>)> {
        let base = self.log.snapshot_index();
        if prev_log_index >= base {
            return Some((prev_log_index, prev_log_term, entries));
        }
        let last_sent = prev_log_index + entries.len() as Index;
        let covered = (base - prev_log_index).min(entries.len() as Index);
        entries.drain(..covered as usize);
        if entries.is_empty() {
            let reply = AppendReply {
                success: true,
                match_index: last_sent.min(base),
                conflict_term: None,
                conflict_index: 0,
                round,
            };
            self.reply_append(leader, reply);
            return None;
        }
        Some((base, self.log.snapshot_term(), entries))
    }

    /// Figure 13, InstallSnapshot receiver implementation.
    pub(super) fn handle_install_snapshot(
        &mut self,
        leader: NodeId,
        term: Term,
        snapshot: Snapshot,
        round: u64,
    ) -> Result<(), StepError> {
        let reply = |success, match_index| AppendReply {
            success,
            match_index,
            conflict_term: None,
            conflict_index: 0,
            round,
        };
        // 1. Reply immediately if term < currentTerm.
        if term < self.current_term {
            self.reply_append(leader, reply(false, 0));
            return Ok(());
        }
        self.follow(leader)?;
        let index = snapshot.last_index;
        // A snapshot of entries already known committed brings nothing new: they are
        // held (in the log or an own snapshot) and match the leader's.
        if index > self.commit_index {
            // 6. If an existing entry has the same index and term as the snapshot's
            //    last included entry, retain the entries following it; 7. otherwise
            //    discard the entire log. 8. Reset the state machine from the snapshot.
            self.log.install(index, snapshot.last_term);
            self.unsynced_from = None;
            self.commit_index = index;
            self.snapshot = Some(snapshot);
            self.restore_pending = true;
            // The configuration in force: the latest in the log kept, or the
            // snapshot's.
            #[cfg(feature = "membership")]
            self.log_changed_from(0);
        }
        self.reply_append(leader, reply(true, index));
        Ok(())
    }
}
