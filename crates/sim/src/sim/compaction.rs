//! Log compaction in the simulated world (§7): a server's register is its state
//! machine, and a snapshot holds the register's value. A server takes one when its
//! log holds more entries than the configuration's threshold; it restores one when its
//! leader sent it, or after a restart.

use super::Simulation;
use raft_core::{NodeId, Snapshot};

impl Simulation {
    /// Before server `i` applies entries: a snapshot newer than its register (from
    /// the leader, or its own after a restart) resets the register. Returns it, for
    /// the checker.
    pub(super) fn restore_snapshot(&mut self, i: usize) -> Option<Snapshot> {
        let server = &mut self.servers[i];
        let register = &mut server.register;
        let mut restored = None;
        server.node.restore_snapshot(|s| {
            register.restore(s);
            restored = Some(s.clone());
        });
        restored
    }

    /// After server `i` applied entries: with a threshold set, and more entries held
    /// than it, the applied ones are compacted into a snapshot. Returns it, for the
    /// checker.
    pub(super) fn compact_if_due(&mut self, i: usize) -> Option<Snapshot> {
        let threshold = self.config.snapshot_threshold?;
        let server = &mut self.servers[i];
        let node = &mut server.node;
        let upto = node.last_applied();
        if node.log().len() <= threshold || upto <= node.log().snapshot_index() {
            return None;
        }
        node.compact(upto, server.register.snapshot()).ok()?;
        self.stats.compactions += 1;
        self.servers[i].node.snapshot().cloned()
    }

    /// The snapshots server `id` took or restored since the last look, for the checker
    /// (which then looks at the compacted log again).
    pub(super) fn check_snapshots(&mut self, id: NodeId, snapshots: [Option<Snapshot>; 2]) {
        if self.check {
            for s in snapshots.iter().flatten() {
                self.checker.snapshot(self.now, id, s);
            }
            if snapshots[1].is_some() {
                self.checker
                    .observe(self.now, &self.servers[id as usize - 1].node);
            }
        }
    }
}
