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
        ActionError::Membership(why) => {
            return crate::i18n::fill_in(
                super::words::word(texts, "change_refused"),
                &[("why", why)],
            );
        }
        // (The variants of features the page leaves out are reached when the tests
        // unify raft-sim's features.)
        #[allow(unreachable_patterns)]
        _ => return e.to_string(),
    };
    texts.fill(key, &[("node", &name(*node))])
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
        assert_ne!(
            refusal(&fr, &ActionError::NodeDown(3)),
            ActionError::NodeDown(3).to_string(),
            "not the simulator's English"
        );
    }
}
