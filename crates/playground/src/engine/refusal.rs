//! Why the simulator refused an action, in the page's language. (A refusal the page
//! has no words for, which only a bug or a hand-made API call can cause, keeps the
//! simulator's English.)

use super::status::name;
use crate::i18n::Texts;
use raft_sim::ActionError;

/// The refusal, told in `texts`' language.
pub fn refusal(texts: &Texts, e: &ActionError) -> String {
    let (key, node) = match e {
        ActionError::NoSuchNode(n) => ("refused_no_server", n),
        ActionError::AlreadyDown(n) => ("refused_already_down", n),
        ActionError::AlreadyUp(n) => ("refused_already_up", n),
        ActionError::NodeDown(n) => ("refused_down", n),
        ActionError::IsLeader(n) => ("refused_leader_timer", n),
        ActionError::TwoIslands(n) => ("refused_two_islands", n),
        ActionError::NotLeader(n) => ("refused_not_leader", n),
        ActionError::TransferToSelf(n) => ("refused_transfer_self", n),
        ActionError::NoSuchMessage(id) => {
            return texts.fill("refused_no_message", &[("id", &id.to_string())]);
        }
        #[cfg(feature = "membership")]
        ActionError::Membership(why) => return membership(texts, why),
        // (The variants of features the page leaves out are reached when the tests
        // unify raft-sim's features.)
        #[allow(unreachable_patterns)]
        _ => return e.to_string(),
    };
    texts.fill(key, &[("node", &name(*node))])
}

/// Why the configuration cannot change, in the page's language: "The configuration
/// cannot change now: another change is under way."
#[cfg(feature = "membership")]
fn membership(texts: &Texts, why: &raft_sim::MembershipRefusal) -> String {
    use super::words::word;
    use raft_sim::MembershipRefusal;
    use raft_sim::raft_core::ChangeError;
    let key = match why {
        MembershipRefusal::Full => {
            let max = raft_sim::MAX_NODES.to_string();
            return crate::i18n::fill_in(word(texts, "change_full"), &[("max", &max)]);
        }
        MembershipRefusal::Refused(_, e) => match e {
            ChangeError::NotLeader => "change_not_leader",
            ChangeError::InProgress => "change_in_progress",
            ChangeError::NotYetCommittedInTerm => "change_not_committed",
            ChangeError::AlreadyMember => "change_member",
            ChangeError::NotMember => "change_not_member",
            ChangeError::LastVoter => "change_last_voter",
            // Only a page without the no-op command could meet it: a bug.
            ChangeError::NoNoOp => return why.to_string(),
        },
        // The new server's configuration is the cluster's: a bug.
        MembershipRefusal::NewServer(_) => return why.to_string(),
    };
    crate::i18n::fill_in(word(texts, "change_refused"), &[("why", word(texts, key))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_a_click_can_meet_is_told_in_the_pages_language() {
        let errors = [
            ActionError::NoSuchNode(9),
            ActionError::AlreadyDown(2),
            ActionError::AlreadyUp(2),
            ActionError::NodeDown(2),
            ActionError::IsLeader(2),
            ActionError::TwoIslands(2),
            ActionError::NotLeader(2),
            ActionError::TransferToSelf(2),
            ActionError::NoSuchMessage(41),
        ];
        for lang in ["en", "fr"] {
            let t = Texts::new(lang);
            let told: Vec<String> = errors.iter().map(|e| refusal(&t, e)).collect();
            for (e, text) in errors.iter().zip(&told) {
                assert!(!text.contains('{'), "{lang}: {text}");
                let who = if matches!(e, ActionError::NoSuchMessage(_)) {
                    "41"
                } else {
                    "S"
                };
                assert!(text.contains(who), "{lang}: {text}");
            }
            let mut distinct = told.clone();
            distinct.sort();
            distinct.dedup();
            assert_eq!(
                distinct.len(),
                told.len(),
                "{lang}: two refusals read alike"
            );
        }
        let fr = Texts::new("fr");
        assert_eq!(
            refusal(&fr, &ActionError::IsLeader(3)),
            "S3 est le leader\u{a0}: un leader n'a pas de minuteur d'élection."
        );
        #[cfg(feature = "membership")]
        {
            use raft_sim::MembershipRefusal::{Full, Refused};
            use raft_sim::raft_core::ChangeError::*;
            let told: Vec<String> = [InProgress, NotYetCommittedInTerm, AlreadyMember]
                .into_iter()
                .chain([NotMember, LastVoter, NotLeader])
                .map(|e| refusal(&fr, &ActionError::Membership(Refused(1, e))))
                .chain([refusal(&fr, &ActionError::Membership(Full))])
                .collect();
            assert_eq!(
                told[0],
                "La configuration ne peut pas changer maintenant\u{a0}: un autre changement est en cours."
            );
            assert_eq!(told[6], "Un cluster a ici au plus 9 serveurs.");
            let mut distinct = told.clone();
            distinct.sort();
            distinct.dedup();
            assert_eq!(distinct.len(), told.len(), "{told:?}");
            for text in &told {
                assert!(!text.contains('{') && !text.contains("S1"), "{text}");
                let english = ["the ", "another", "only", "server", "leader must"];
                assert!(!english.iter().any(|w| text.contains(w)), "English: {text}");
            }
        }
        assert_ne!(
            refusal(&fr, &ActionError::NodeDown(3)),
            ActionError::NodeDown(3).to_string(),
            "not the simulator's English"
        );
    }
}
