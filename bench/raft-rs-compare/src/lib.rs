//! Two 3-node clusters driven identically in one thread: propose at the leader, then
//! deliver every message FIFO in memory until nothing is left; count what the leader
//! commits. One is raft-core, the other the `raft` crate (raft-rs) with MemStorage.

use std::collections::VecDeque;

/// raft-core's cluster.
pub struct Core {
    nodes: Vec<raft_core::Node<u64>>,
    queue: VecDeque<raft_core::Message<u64>>,
    /// Sum of applied commands (so that applying is not optimized away).
    pub applied: u64,
}

impl Core {
    /// Three nodes with a leader (node 1).
    pub fn new(n: u32) -> Core {
        let nodes = (1..=n)
            .map(|id| {
                let peers = (1..=n).filter(move |&p| p != id);
                raft_core::Node::new(id, peers, raft_core::Config::default(), id as u64, 0)
                    .expect("config")
            })
            .collect();
        let mut c = Core {
            nodes,
            queue: VecDeque::new(),
            applied: 0,
        };
        c.nodes[0].set_election_deadline(0);
        c.nodes[0].tick(0);
        c.collect(0);
        c.run();
        assert_eq!(c.nodes[0].role(), raft_core::Role::Leader);
        c
    }

    fn collect(&mut self, i: usize) {
        let node = &mut self.nodes[i];
        self.queue.extend(node.drain_messages());
        let applied = &mut self.applied;
        node.apply_committed(|_, c| *applied = applied.wrapping_add(*c));
    }

    fn run(&mut self) {
        while let Some(m) = self.queue.pop_front() {
            let to = (m.to - 1) as usize;
            self.nodes[to].step(0, m).expect("valid");
            self.collect(to);
        }
    }

    /// Proposes `batch` commands and delivers until quiet; the leader's commit index.
    pub fn commit(&mut self, batch: u64) -> u64 {
        self.nodes[0].propose_batch(0, 0..batch).expect("leader");
        self.collect(0);
        self.run();
        self.nodes[0].commit_index()
    }

    /// Proposes `count` commands one at a time (each sent as it is proposed, before
    /// any reply), then delivers until quiet; the leader's commit index.
    pub fn commit_each(&mut self, count: u64) -> u64 {
        for k in 0..count {
            self.nodes[0].propose(0, k).expect("leader");
            self.collect(0);
        }
        self.run();
        self.nodes[0].commit_index()
    }
}

/// raft-rs's cluster, with MemStorage and the Ready loop its documentation describes.
pub struct RaftRs {
    nodes: Vec<raft::RawNode<raft::storage::MemStorage>>,
    queue: VecDeque<raft::eraftpb::Message>,
    /// Sum of applied entry indices.
    pub applied: u64,
}

impl RaftRs {
    /// Three nodes with a leader (node 1).
    pub fn new(n: u64) -> RaftRs {
        let logger = slog::Logger::root(slog::Discard, slog::o!());
        let ids: Vec<u64> = (1..=n).collect();
        let nodes = ids
            .iter()
            .map(|&id| {
                let storage = raft::storage::MemStorage::new_with_conf_state((ids.clone(), vec![]));
                let cfg = raft::Config {
                    id,
                    election_tick: 10,
                    heartbeat_tick: 3,
                    max_inflight_msgs: 256,
                    max_size_per_msg: 1024 * 1024,
                    ..Default::default()
                };
                raft::RawNode::new(&cfg, storage, &logger).expect("config")
            })
            .collect();
        let mut c = RaftRs {
            nodes,
            queue: VecDeque::new(),
            applied: 0,
        };
        c.nodes[0].campaign().expect("campaign");
        c.run();
        assert_eq!(c.nodes[0].raft.state, raft::StateRole::Leader);
        c
    }

    fn on_ready(&mut self, i: usize) {
        let node = &mut self.nodes[i];
        if !node.has_ready() {
            return;
        }
        let mut rd = node.ready();
        self.queue.extend(rd.take_messages());
        let store = node.store().clone();
        if !rd.entries().is_empty() {
            store.wl().append(rd.entries()).expect("append");
        }
        if let Some(hs) = rd.hs() {
            store.wl().set_hardstate(hs.clone());
        }
        self.queue.extend(rd.take_persisted_messages());
        for e in rd.take_committed_entries() {
            self.applied = self.applied.wrapping_add(e.index);
        }
        let mut light = node.advance(rd);
        if let Some(commit) = light.commit_index() {
            store.wl().mut_hard_state().commit = commit;
        }
        self.queue.extend(light.take_messages());
        for e in light.take_committed_entries() {
            self.applied = self.applied.wrapping_add(e.index);
        }
        node.advance_apply();
    }

    fn run(&mut self) {
        loop {
            for i in 0..self.nodes.len() {
                self.on_ready(i);
            }
            if self.queue.is_empty() {
                break;
            }
            while let Some(m) = self.queue.pop_front() {
                let to = (m.to - 1) as usize;
                self.nodes[to].step(m).expect("step");
                self.on_ready(to);
            }
        }
    }

    /// Proposes `batch` commands and delivers until quiet; the leader's commit index.
    pub fn commit(&mut self, batch: u64) -> u64 {
        for k in 0..batch {
            self.nodes[0]
                .propose(vec![], k.to_le_bytes().to_vec())
                .expect("leader");
        }
        self.run();
        self.nodes[0].raft.raft_log.committed
    }

    /// Proposes `count` commands one at a time (each handed to the Ready loop, and so
    /// sent, as it is proposed, before any reply), then delivers until quiet.
    pub fn commit_each(&mut self, count: u64) -> u64 {
        for k in 0..count {
            self.nodes[0]
                .propose(vec![], k.to_le_bytes().to_vec())
                .expect("leader");
            self.on_ready(0);
        }
        self.run();
        self.nodes[0].raft.raft_log.committed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_commit_every_proposal() {
        let (mut a, mut b) = (Core::new(3), RaftRs::new(3));
        let (a0, b0) = (a.commit(0), b.commit(0));
        assert_eq!(a.commit(64) - a0, 64);
        assert_eq!(b.commit(64) - b0, 64);
        assert_eq!(a.commit(1) - a0, 65);
        assert_eq!(b.commit(1) - b0, 65);
        assert_eq!(a.commit_each(64) - a0, 129);
        assert_eq!(b.commit_each(64) - b0, 129);
    }
}
