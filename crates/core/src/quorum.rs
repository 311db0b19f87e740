//! Majorities (§5.2, §5.3).

use crate::Index;
use alloc::vec::Vec;

/// Number of servers that form a majority of a cluster of `voters` servers.
pub fn majority(voters: usize) -> usize {
    voters / 2 + 1
}

/// The largest index stored by a majority, given each server's highest stored index
/// (the leader included). 0 when there are no servers.
pub fn committed_index(mut matched: Vec<Index>) -> Index {
    if matched.is_empty() {
        return 0;
    }
    let q = majority(matched.len());
    matched.sort_unstable_by(|a, b| b.cmp(a));
    matched[q - 1]
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
