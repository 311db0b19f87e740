//! Cluster membership changes (§6 of the paper; chapter 4 of the dissertation).
//!
//! A configuration is carried by a log entry and takes effect on a server as soon as
//! the entry is in its log, committed or not. Two ways to change it:
//!
//! * **joint consensus** (§6): the leader appends `C_old,new`; while it is in force,
//!   elections and commitment need a majority of the old voters *and* a majority of the
//!   new ones; once it commits, the leader appends `C_new`;
//! * **one server at a time** (dissertation §4.1): adding or removing a single voter
//!   leaves any majority of the old configuration overlapping any majority of the new
//!   one, so `C_new` is appended directly, with the correction published in 2015: a
//!   leader changes the configuration only once it has committed an entry of its own
//!   term (a deviation switches that rule off, for teaching).
//!
//! A new server first joins as a learner (dissertation §4.2.1): it receives the log but
//! neither votes nor counts in a majority; the leader makes it a voter once it has
//! caught up. A leader that is not in `C_new` steps down once `C_new` commits, and a
//! server that heard from a leader within the smallest election timeout disregards
//! RequestVote, so that removed servers cannot disrupt the cluster (§6).

use crate::quorum;
use crate::{Index, NodeId};
use alloc::vec::Vec;
use core::fmt;

/// Who the cluster's members are: the voters (`C_new`, or the only configuration),
/// the voters of the configuration being left while joint (`C_old`), and the learners.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Configuration {
    /// The voters (of `C_new` while joint), sorted.
    pub voters: Vec<NodeId>,
    /// While joint (`C_old,new`): the voters of `C_old`, sorted; empty otherwise.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub outgoing: Vec<NodeId>,
    /// Members that receive the log without voting, sorted.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub learners: Vec<NodeId>,
}

/// Sorts and removes repeats.
fn sorted(mut ids: Vec<NodeId>) -> Vec<NodeId> {
    // Insertion sort: configurations are small (the simulator has at most 9 servers).
    for i in 1..ids.len() {
        let mut j = i;
        while j > 0 && ids[j - 1] > ids[j] {
            ids.swap(j - 1, j);
            j -= 1;
        }
    }
    ids.dedup();
    ids
}

impl Configuration {
    /// A configuration of these voters, with no learner.
    pub fn of(voters: impl IntoIterator<Item = NodeId>) -> Self {
        Configuration {
            voters: sorted(voters.into_iter().collect()),
            ..Configuration::default()
        }
    }

    /// True while joint (`C_old,new`).
    pub fn is_joint(&self) -> bool {
        !self.outgoing.is_empty()
    }

    /// True if `id` votes (in `C_old` or `C_new`).
    pub fn is_voter(&self, id: NodeId) -> bool {
        self.voters.contains(&id) || self.outgoing.contains(&id)
    }

    /// True if `id` is a member: a voter of either configuration or a learner.
    pub fn contains(&self, id: NodeId) -> bool {
        self.is_voter(id) || self.learners.contains(&id)
    }

    /// Every member, sorted.
    pub fn members(&self) -> Vec<NodeId> {
        let mut all = self.voters.clone();
        all.extend_from_slice(&self.outgoing);
        all.extend_from_slice(&self.learners);
        sorted(all)
    }

    /// True if the servers for which `yes` holds form a majority of the voters, and,
    /// while joint, also a majority of the old voters (§6).
    pub fn quorum(&self, yes: impl Fn(NodeId) -> bool) -> bool {
        let majority = |set: &[NodeId]| {
            set.is_empty()
                || set.iter().filter(|&&id| yes(id)).count() >= quorum::majority(set.len())
        };
        majority(&self.voters) && majority(&self.outgoing)
    }

    /// The largest index stored by a majority of the voters (and, while joint, by a
    /// majority of the old voters too), given each voter's highest stored index.
    pub fn committed_index(&self, matched: impl Fn(NodeId) -> Index) -> Index {
        let of =
            |set: &[NodeId]| quorum::committed_index(set.iter().map(|&id| matched(id)).collect());
        if self.is_joint() {
            of(&self.voters).min(of(&self.outgoing))
        } else {
            of(&self.voters)
        }
    }
}

/// How a leader changes the configuration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum MembershipMode {
    /// Through `C_old,new` (§6).
    #[default]
    Joint,
    /// One voter at a time, straight to `C_new` (dissertation §4.1, with the 2015
    /// correction).
    SingleServer,
}

impl MembershipMode {
    /// True for joint consensus (the default).
    pub fn is_joint(&self) -> bool {
        *self == MembershipMode::Joint
    }
}

/// A change asked of the leader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Change {
    /// A new server: it joins as a learner, and becomes a voter once caught up.
    Add(NodeId),
    /// A voter or learner leaves the cluster.
    Remove(NodeId),
}

/// Why the leader did not start a configuration change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeError {
    /// Only the leader changes the configuration.
    NotLeader,
    /// Another change is under way (a configuration entry not yet committed, the
    /// joint configuration, or a learner catching up): one at a time.
    InProgress,
    /// One server at a time (2015 correction): this leader has not yet committed an
    /// entry of its own term.
    NotYetCommittedInTerm,
    /// The server is already a member.
    AlreadyMember,
    /// The server is not a member.
    NotMember,
    /// The last voter cannot leave.
    LastVoter,
    /// A configuration entry carries the caller's no-op command (see
    /// `Node::with_no_op`), and none was given.
    NoNoOp,
}

impl fmt::Display for ChangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChangeError::NotLeader => "only the leader changes the configuration",
            ChangeError::InProgress => "another configuration change is under way",
            ChangeError::NotYetCommittedInTerm => {
                "the leader must first commit an entry of its own term"
            }
            ChangeError::AlreadyMember => "the server is already a member",
            ChangeError::NotMember => "the server is not a member",
            ChangeError::LastVoter => "the last voter cannot leave",
            ChangeError::NoNoOp => "configuration entries need the no-op command",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn joint_majorities_need_both_configurations() {
        let joint = Configuration {
            voters: vec![1, 4, 5],
            outgoing: vec![1, 2, 3],
            learners: vec![],
        };
        assert!(joint.quorum(|id| [1, 2, 4].contains(&id)));
        assert!(
            !joint.quorum(|id| [1, 2, 3].contains(&id)),
            "no majority of C_new"
        );
        assert!(
            !joint.quorum(|id| [1, 4, 5].contains(&id)),
            "no majority of C_old"
        );
        let matched = |id: NodeId| [0, 9, 9, 2, 5, 1][id as usize];
        assert_eq!(
            joint.committed_index(matched),
            5,
            "C_new: 9,5,1 -> 5; C_old: 9,9,2 -> 9"
        );
        assert_eq!(joint.members(), [1, 2, 3, 4, 5]);
    }

    #[test]
    fn learners_neither_vote_nor_count() {
        let c = Configuration {
            voters: vec![1, 2, 3],
            outgoing: vec![],
            learners: vec![4],
        };
        assert!(!c.is_voter(4) && c.contains(4));
        assert!(!c.quorum(|id| [1, 4].contains(&id)));
        assert_eq!(
            c.committed_index(|id| if id == 4 { 9 } else { u64::from(id) }),
            2
        );
    }
}
