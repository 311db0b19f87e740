//! Majorities (§5.2, §5.3).

use crate::Index;
use alloc::vec::Vec;

/// Number of servers that form a majority of a cluster of `voters` servers.
pub fn majority(voters: usize) -> usize {
    voters / 2 + 1
}

/// The largest index stored by a majority, given each server's highest stored index
/// (the leader included): the largest N such that a majority of matchIndex[i] ≥ N
/// (Figure 2). 0 when there are no servers. Counting rather than sorting: clusters
/// are small, and it keeps a sort out of the browser build.
pub fn committed_index(matched: Vec<Index>) -> Index {
    let q = majority(matched.len());
    matched
        .iter()
        .copied()
        .filter(|&n| matched.iter().filter(|&&m| m >= n).count() >= q)
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn majority_of_odd_and_even_clusters() {
        assert_eq!(majority(1), 1);
        assert_eq!(majority(2), 2);
        assert_eq!(majority(3), 2);
        assert_eq!(majority(4), 3);
        assert_eq!(majority(5), 3);
    }

    #[test]
    fn committed_index_is_the_majority_floor() {
        assert_eq!(committed_index(vec![5, 1, 3]), 3);
        assert_eq!(committed_index(vec![5, 1, 1, 4, 2]), 2);
        assert_eq!(committed_index(vec![7]), 7);
        assert_eq!(committed_index(vec![]), 0);
    }
}
