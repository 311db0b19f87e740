//! Which links carry messages: partitions into islands and single cut links.

use raft_core::NodeId;
use serde::Serialize;

/// The state of every link between servers. Messages are decided lost or not by the
/// simulator; this only says whether a link is up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Network {
    /// The islands of the current partition (empty when there is none). Servers in
    /// different islands cannot talk.
    islands: Vec<Vec<NodeId>>,
    /// Single links cut by hand, one way each: (from, to), sorted.
    cut: Vec<(NodeId, NodeId)>,
}

impl Network {
    /// True when a message from `from` to `to` cannot pass.
    pub fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        if from == to {
            return false;
        }
        if self.cut.binary_search(&(from, to)).is_ok() {
            return true;
        }
        if self.islands.is_empty() {
            return false;
        }
        self.island_of(from) != self.island_of(to)
    }

    /// The island a server is on (its position in [`Network::islands`]), or `None`
    /// when there is no partition.
    pub fn island_of(&self, id: NodeId) -> Option<usize> {
        self.islands.iter().position(|i| i.contains(&id))
    }

    /// The current partition's islands, each sorted; empty without a partition.
    pub fn islands(&self) -> &[Vec<NodeId>] {
        &self.islands
    }

    /// Links cut one way by hand.
    pub fn cut_links(&self) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
        self.cut.iter().copied()
    }

    /// True when nothing is cut.
    pub fn is_whole(&self) -> bool {
        self.islands.is_empty() && self.cut.is_empty()
    }

    /// Splits the servers `1..=n` into the given islands; servers listed nowhere form
    /// one more island together. The caller checks that no server appears twice.
    pub fn partition(&mut self, n: usize, islands: &[Vec<NodeId>]) {
        let mut listed: Vec<Vec<NodeId>> = islands
            .iter()
            .filter(|i| !i.is_empty())
            .map(|i| {
                let mut i = i.clone();
                crate::sort_few_by_key(&mut i, |&id| id);
                i
            })
            .collect();
        let rest: Vec<NodeId> = (1..=n as NodeId)
            .filter(|id| !listed.iter().any(|i| i.contains(id)))
            .collect();
        if !rest.is_empty() {
            listed.push(rest);
        }
        self.islands = if listed.len() > 1 { listed } else { Vec::new() };
    }

    /// Cuts the link from `from` to `to`.
    pub fn cut(&mut self, from: NodeId, to: NodeId) {
        if let Err(at) = self.cut.binary_search(&(from, to)) {
            self.cut.insert(at, (from, to));
        }
    }

    /// Restores the link from `from` to `to` (it may still be split by a partition).
    pub fn restore(&mut self, from: NodeId, to: NodeId) {
        if let Ok(at) = self.cut.binary_search(&(from, to)) {
            self.cut.remove(at);
        }
    }

    /// Restores full connectivity.
    pub fn heal(&mut self) {
        self.islands.clear();
        self.cut.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partition_cuts_exactly_the_links_between_islands() {
        let mut net = Network::default();
        net.partition(5, &[vec![2, 1]]);
        assert_eq!(net.islands(), &[vec![1, 2], vec![3, 4, 5]]);
        assert!(!net.is_cut(1, 2));
        assert!(!net.is_cut(3, 5));
        assert!(net.is_cut(1, 3) && net.is_cut(5, 2));
        net.heal();
        assert!(net.is_whole());
        assert!(!net.is_cut(1, 3));
    }

    #[test]
    fn a_single_link_can_be_cut_one_way() {
        let mut net = Network::default();
        net.cut(1, 2);
        assert!(net.is_cut(1, 2));
        assert!(!net.is_cut(2, 1));
        net.restore(1, 2);
        assert!(net.is_whole());
    }

    #[test]
    fn one_island_is_no_partition() {
        let mut net = Network::default();
        net.partition(3, &[vec![1, 2, 3]]);
        assert!(net.is_whole());
    }
}
