//! The page's own words for what only the page with everything has (the tour's
//! questions, the puzzles, membership changes), in English and French. They stay with
//! the features that use them, rather than in `i18n/`, until those are in the page for
//! everyone: the language files are loaded by that page too, whose weight budget has
//! no room for them (see the README).

use crate::i18n::Texts;

/// The word for `key` in the page's language (French or, for any other, English).
pub fn word(texts: &Texts, key: &str) -> &'static str {
    word_in(texts.code(), key)
}

/// The word for `key` in language `lang`.
pub fn word_in(lang: &str, key: &str) -> &'static str {
    let fr = lang == "fr";
    let (en, fr_text) = match key {
        "label" => ("Question", "Question"),
        "right" => ("Right!", "Bonne réponse\u{a0}!"),
        "wrong" => (
            "Not this time: the answer is {answer}.",
            "Pas cette fois\u{a0}: la réponse est {answer}.",
        ),
        "continue" => ("Continue", "Continuer"),
        "check" => ("Check", "Vérifier"),
        "tick" => (
            "Tick every entry you think is safe, then check.",
            "Cochez chaque entrée qui vous semble sûre, puis vérifiez.",
        ),
        "none" => ("none", "aucune"),
        "score" => (
            "Right answers: {right} of {answered}",
            "Bonnes réponses\u{a0}: {right} sur {answered}",
        ),
        "puzzle" => ("Puzzle", "Défi"),
        "puzzles" => ("Puzzles", "Défis"),
        "level" => ("level {level} of 4", "niveau {level} sur 4"),
        "pick" => ("Choose a puzzle…", "Choisir un défi…"),
        "max_actions" => (
            "At most {max} actions; done so far: {used}.",
            "Au plus {max} actions\u{a0}; actions faites\u{a0}: {used}.",
        ),
        "max_one_action" => (
            "One action only; done so far: {used}.",
            "Une seule action\u{a0}; actions faites\u{a0}: {used}.",
        ),
        "locked" => (
            "Locked: {controls}.",
            "Commandes verrouillées\u{a0}: {controls}.",
        ),
        "hint" => ("Hint", "Indice"),
        "solved" => (
            "Solved! The target holds at t = {time} ms. Actions used: {actions}.",
            "Réussi\u{a0}! L'objectif est atteint à t = {time} ms. Actions utilisées\u{a0}: {actions}.",
        ),
        "judged_ok" => (
            "This run solves the puzzle: the target holds at t = {time} ms. Actions used: {actions}.",
            "Cette partie résout le défi\u{a0}: l'objectif est atteint à t = {time} ms. Actions utilisées\u{a0}: {actions}.",
        ),
        "judged_no" => (
            "This run does not solve the puzzle: {why}.",
            "Cette partie ne résout pas le défi\u{a0}: {why}.",
        ),
        "why_other_start" => (
            "this run does not start where the puzzle does",
            "cette partie ne commence pas là où commence le défi",
        ),
        "why_locked" => (
            "action {action} uses “{control}”, which this puzzle locks",
            "l'action {action} utilise «\u{a0}{control}\u{a0}», que ce défi verrouille",
        ),
        "why_many" => (
            "{used} actions, where this puzzle allows {max}",
            "{used} actions, alors que ce défi en autorise {max}",
        ),
        "why_not_reached" => (
            "the target is never reached (at the end: {found})",
            "l'objectif n'est jamais atteint (à la fin\u{a0}: {found})",
        ),
        "copy_solution" => (
            "Copy the link to my solution",
            "Copier le lien de ma solution",
        ),
        "again" => ("Start again", "Recommencer"),
        "leave" => ("Leave the puzzle", "Quitter le défi"),
        "make" => ("Make this run a puzzle", "Faire de cette partie un défi"),
        "made" => (
            "Link to the new puzzle (its target: every log as it is now):",
            "Lien du nouveau défi (son objectif\u{a0}: chaque journal tel qu'il est maintenant)\u{a0}:",
        ),
        "refused_locked" => (
            "This puzzle locks “{control}”.",
            "Ce défi verrouille «\u{a0}{control}\u{a0}».",
        ),
        "refused_many" => (
            "This puzzle allows at most {max} actions.",
            "Ce défi autorise au plus {max} actions.",
        ),
        "refused_one" => (
            "This puzzle allows one action only.",
            "Ce défi n'autorise qu'une seule action.",
        ),
        "unknown_puzzle" => (
            "no puzzle is called \"{name}\"",
            "aucun défi ne s'appelle «\u{a0}{name}\u{a0}»",
        ),
        "bad_puzzle" => (
            "This puzzle cannot be opened: {why}",
            "Ce défi ne peut pas être ouvert\u{a0}: {why}",
        ),
        "made_nothing" => (
            "Nothing to make a puzzle of yet: every log is as it was at the start. Play a little first, for example send a command.",
            "Pas encore de défi à tirer de cette partie\u{a0}: chaque journal est comme au départ. Jouez un peu d'abord, en envoyant une commande par exemple.",
        ),
        "made_title" => ("Reach these logs", "Atteindre ces journaux"),
        "made_goal" => (
            "Get every server's log to read as the teacher's did.",
            "Amenez le journal de chaque serveur à l'état de celui du professeur.",
        ),
        "control_transfer" => ("Hand over", "Passer la main"),
        "control_cut_link" => ("Cut a link", "Couper un lien"),
        "control_restore_link" => ("Restore a link", "Rétablir un lien"),
        "control_drop" => ("Drop a message", "Perdre un message"),
        "control_network" => ("Network settings", "Réglages du réseau"),
        "add_server" => ("Add a server", "Ajouter un serveur"),
        "remove_server" => ("Remove from the cluster", "Retirer du cluster"),
        "did_add" => (
            "{leader} adds {node}: it catches up as a learner first, then joins the voters through the joint configuration.",
            "{leader} ajoute {node}\u{a0}: il rattrape d'abord le journal sans voter, puis rejoint les votants par la configuration conjointe.",
        ),
        "did_remove" => (
            "{leader} takes {node} out of the configuration, through the joint configuration.",
            "{leader} retire {node} de la configuration, en passant par la configuration conjointe.",
        ),
        "did_add_single" => (
            "{leader} adds {node}: it catches up as a learner first, then becomes a voter in one step (one server at a time).",
            "{leader} ajoute {node}\u{a0}: il rattrape d'abord le journal sans voter, puis devient votant en une seule étape (un serveur à la fois).",
        ),
        "did_remove_single" => (
            "{leader} takes {node} out of the configuration, in one step (one server at a time).",
            "{leader} retire {node} de la configuration, en une seule étape (un serveur à la fois).",
        ),
        "opt_membership" => (
            "Configuration changes (§6)",
            "Changements de configuration (§6)",
        ),
        "opt_membership_joint" => ("joint consensus", "consensus joint"),
        "opt_membership_single" => ("one server at a time", "un serveur à la fois"),
        "opt_membership_joint_why" => (
            "The leader goes through C old,new: while it is in force, a decision needs a majority of the old voters and a majority of the new ones.",
            "Le leader passe par C anc.,nouv.\u{a0}: tant qu'elle est en vigueur, une décision demande une majorité des anciens votants et une majorité des nouveaux.",
        ),
        "opt_membership_single_why" => (
            "The leader adds or removes one voter at a time, straight to C new, once an entry of its own term is committed (thesis §4.1, with the 2015 correction).",
            "Le leader ajoute ou retire un votant à la fois, directement vers C nouv., une fois validée une entrée de son propre mandat (thèse §4.1, avec la correction de 2015).",
        ),
        "no_leader_change" => (
            "No leader: only a leader changes the configuration.",
            "Aucun leader\u{a0}: seul un leader change la configuration.",
        ),
        "change_refused" => (
            "The configuration cannot change now: {why}.",
            "La configuration ne peut pas changer maintenant\u{a0}: {why}.",
        ),
        "change_full" => (
            "A cluster here has at most {max} servers.",
            "Un cluster a ici au plus {max} serveurs.",
        ),
        "change_not_leader" => (
            "only the leader changes the configuration",
            "seul le leader change la configuration",
        ),
        "change_in_progress" => (
            "another change is under way",
            "un autre changement est en cours",
        ),
        "change_not_committed" => (
            "the leader must first commit an entry of its own term (2015 correction)",
            "le leader doit d'abord valider une entrée de son propre mandat (correction de 2015)",
        ),
        "change_member" => (
            "this server is already a member",
            "ce serveur est déjà membre",
        ),
        "change_not_member" => ("this server is not a member", "ce serveur n'est pas membre"),
        "change_last_voter" => (
            "the last voter cannot leave",
            "le dernier votant ne peut pas partir",
        ),
        "joint" => (
            "Joint configuration: a decision needs {old} of the {old_n} old voters and {new} of the {new_n} new ones.",
            "Configuration conjointe\u{a0}: une décision demande {old} des {old_n} anciens votants et {new} des {new_n} nouveaux.",
        ),
        "learner" => ("learner", "non-votant"),
        "removed" => ("removed", "retiré"),
        "config_joint" => ("C old,new", "C anc.,nouv."),
        "config_new" => ("C new", "C nouv."),
        "legend_snapshot" => (
            "InstallSnapshot: the leader's snapshot, for a follower too far behind (§7)",
            "InstallSnapshot\u{a0}: l'instantané du leader, pour un suiveur trop en retard (§7)",
        ),
        "compaction" => ("Log compaction", "Compactage du journal"),
        "compaction_off" => ("off", "désactivé"),
        "compaction_past" => ("past {n} entries", "au-delà de {n} entrées"),
        "snapshot_cell" => (
            "S{node}: entries 1 to {index} are in its snapshot",
            "S{node}\u{a0}: les entrées 1 à {index} sont dans son instantané",
        ),
        "did_compaction" => (
            "Every server now snapshots its state past {n} entries.",
            "Chaque serveur fait maintenant un instantané de son état au-delà de {n} entrées.",
        ),
        "did_no_compaction" => (
            "Log compaction is off.",
            "Le compactage du journal est désactivé.",
        ),
        "scene_join" => ("Two servers join", "Deux serveurs arrivent"),
        "scene_leave" => ("The leader leaves", "Le leader s'en va"),
        "scene_single-bug" => (
            "One at a time: the 2015 bug",
            "Un par un\u{a0}: le bogue de 2015",
        ),
        "scene_single-fixed" => ("One at a time, corrected", "Un par un, corrigé"),
        "scene_snapshot" => ("Catching up by snapshot", "Rattraper par un instantané"),
        _ => ("", ""),
    };
    if fr { fr_text } else { en }
}

/// The texts of language `lang` that only the page with everything has and that the
/// shared code reads by key like the others: the chapter "Changing the configuration"
/// (its captions from `membership-texts.json`, its scenes' titles) for the tour, and
/// `bad_puzzle` for a refusal said once the language's texts are there.
#[cfg(feature = "full")]
pub fn full_page_texts(lang: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = crate::json::membership_texts()
        .into_iter()
        .filter(|(l, _, _)| l == lang)
        .map(|(_, k, v)| (k, v))
        .collect();
    for id in ["join", "leave", "single-bug", "single-fixed", "snapshot"] {
        let key = format!("scene_{id}");
        out.push((key.clone(), word_in(lang, &key).into()));
    }
    out.push(("bad_puzzle".into(), word_in(lang, "bad_puzzle").into()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiz_and_puzzle_words_exist_in_both_languages_with_french_spacing() {
        let keys = [
            "label",
            "right",
            "wrong",
            "continue",
            "check",
            "tick",
            "none",
            "score",
            "puzzle",
            "puzzles",
            "level",
            "pick",
            "max_actions",
            "max_one_action",
            "refused_one",
            "locked",
            "hint",
            "solved",
            "judged_ok",
            "judged_no",
            "why_other_start",
            "why_locked",
            "why_many",
            "why_not_reached",
            "copy_solution",
            "again",
            "leave",
            "make",
            "made",
            "made_nothing",
            "refused_locked",
            "refused_many",
            "bad_puzzle",
            "unknown_puzzle",
            "made_title",
            "made_goal",
        ];
        for lang in ["en", "fr"] {
            let t = Texts::new(lang);
            for k in keys {
                let w = word(&t, k);
                assert!(!w.is_empty(), "{lang} {k}");
                if lang == "fr" {
                    for p in [':', '!', '?', ';', '»'] {
                        assert!(
                            !w.contains(&format!(" {p}")),
                            "{k}: a plain space before {p}"
                        );
                    }
                }
            }
        }
        assert_eq!(word(&Texts::new("en"), "nope"), "");
    }
}
