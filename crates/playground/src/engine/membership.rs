//! Membership changes in the page (feature `membership`, paper §6): the leader adds a
//! server or takes one out, and the page tells each server's place in the
//! configuration and what a decision needs while the joint configuration is in force.
//! raft-core decides everything; this module only asks and tells.

use super::Engine;
use super::status::name;
use super::words::word;
use crate::i18n::fill_in;
use raft_sim::raft_core::membership::Configuration;
use raft_sim::raft_core::quorum::majority;
use raft_sim::{Action, MAX_NODES, NodeId, Simulation};

/// What a membership click asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum MembershipMsg {
    /// The leader adds a new server.
    Add,
    /// The leader takes this server out.
    Remove(NodeId),
}

/// The configuration the cluster is heading for: the leader's (the newest there is),
/// else, without a leader, that of the live server with the longest log.
pub fn configuration(sim: &Simulation) -> Option<&Configuration> {
    let leader = sim.leader().and_then(|id| sim.server(id));
    let s = leader.or_else(|| {
        sim.servers()
            .iter()
            .filter(|s| s.alive)
            .max_by_key(|s| (s.node.term(), s.node.log().last_index()))
    })?;
    Some(s.node.configuration())
}

/// A server's place in that configuration: `voter`, `learner` or `removed`. A server
/// the leader's configuration leaves out but whose own includes it (two leaders with
/// different configurations: the single-server bug) is told by its own.
pub fn member(sim: &Simulation, id: NodeId) -> &'static str {
    let place = |c: &Configuration| {
        if c.is_voter(id) {
            Some("voter")
        } else if c.contains(id) {
            Some("learner")
        } else {
            None
        }
    };
    let own = || sim.server(id).and_then(|s| place(s.node.configuration()));
    match configuration(sim) {
        Some(c) => place(c).or_else(own).unwrap_or("removed"),
        None => own().unwrap_or("voter"),
    }
}

impl Engine {
    pub(super) fn on_membership(&mut self, msg: MembershipMsg) {
        let t = self.texts.clone();
        let Some(leader) = self.sim().leader() else {
            self.refuse(word(&t, "no_leader_change").into());
            return;
        };
        // One server at a time goes straight to C_new; the feedback says which way.
        let joint = self.sim().config().raft.membership.is_joint();
        let (action, key, node) = match msg {
            MembershipMsg::Add => (
                Action::AddServer { node: leader },
                if joint { "did_add" } else { "did_add_single" },
                self.sim().len() as NodeId + 1,
            ),
            MembershipMsg::Remove(server) => (
                Action::RemoveServer {
                    node: leader,
                    server,
                },
                if joint {
                    "did_remove"
                } else {
                    "did_remove_single"
                },
                server,
            ),
        };
        let done = fill_in(
            word(&t, key),
            &[("leader", &name(leader)), ("node", &name(node))],
        );
        self.act(action, Some(done));
    }

    /// While the joint configuration is in force, what a decision needs.
    pub(super) fn joint_line(&self) -> Option<String> {
        let c = configuration(self.sim()).filter(|c| c.is_joint())?;
        let (old_n, new_n) = (c.outgoing.len(), c.voters.len());
        Some(fill_in(
            word(&self.texts, "joint"),
            &[
                ("old", &majority(old_n).to_string()),
                ("old_n", &old_n.to_string()),
                ("new", &majority(new_n).to_string()),
                ("new_n", &new_n.to_string()),
            ],
        ))
    }

    /// True if a server can still be added.
    pub fn can_add_server(&self) -> bool {
        self.sim().len() < MAX_NODES
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Msg;
    use crate::i18n::Texts;
    use crate::params::Params;

    fn engine(nodes: usize, lang: &str) -> Engine {
        let params = Params {
            seed: Some(4),
            nodes,
            speed: 1.0,
            speed_given: true,
            ..Params::default()
        };
        Engine::new(&params, vec![], Texts::new(lang), false, || 7)
    }

    /// Plays frames (16 ms at real time) until `done`, recording each status seen.
    fn until(e: &mut Engine, what: &str, done: impl Fn(&Engine) -> bool) -> Vec<String> {
        let mut seen = Vec::new();
        let mut t = e.clock.wall + 1e6;
        e.playing = true;
        e.clock.restart();
        for _ in 0..3_000 {
            if done(e) {
                return seen;
            }
            t += 16.0;
            e.update(Msg::Frame(t));
            seen.extend(e.status());
        }
        panic!("never: {what}");
    }

    fn voters(e: &Engine) -> Vec<NodeId> {
        configuration(e.sim())
            .filter(|c| !c.is_joint())
            .map(|c| c.voters.clone())
            .unwrap_or_default()
    }

    #[test]
    fn membership_the_leader_adds_two_servers_through_the_joint_configuration() {
        let mut e = engine(3, "fr");
        until(&mut e, "a leader", |e| e.sim().leader().is_some());
        e.update(Msg::Membership(MembershipMsg::Add));
        assert_eq!(e.sim().len(), 4);
        assert_eq!(
            member(e.sim(), 4),
            "learner",
            "a learner first (dissertation §4.2.1)"
        );
        assert!(e.feedback.as_ref().unwrap().text.contains("ajoute S4"));
        let seen = until(&mut e, "S4 a voter", |e| voters(e) == [1, 2, 3, 4]);
        assert!(
            seen.iter().any(|l| l.starts_with("Configuration conjointe\u{a0}: une décision demande 2 des 3 anciens votants et 3 des 4 nouveaux.")),
            "the joint configuration told while in force"
        );
        assert_eq!(member(e.sim(), 4), "voter");
        // Once C_new is committed, the next change can start.
        until(&mut e, "C_new committed", |e| {
            let leader = e.sim().leader().and_then(|l| e.sim().server(l)).unwrap();
            leader.node.commit_index() >= leader.node.log().last_index()
        });
        e.update(Msg::Membership(MembershipMsg::Add));
        assert_eq!(e.sim().len(), 5, "{:?}", e.feedback);
        until(&mut e, "five voters", |e| voters(e) == [1, 2, 3, 4, 5]);
        assert!(e.sim().violations().is_empty());
    }

    #[test]
    fn membership_a_leader_taken_out_steps_down_once_c_new_commits() {
        let mut e = engine(5, "en");
        until(&mut e, "a leader", |e| e.sim().leader().is_some());
        let old = e.sim().leader().unwrap();
        e.update(Msg::Membership(MembershipMsg::Remove(old)));
        assert!(
            e.feedback
                .as_ref()
                .unwrap()
                .text
                .contains(&format!("takes S{old} out"))
        );
        until(&mut e, "a new leader among the four", |e| {
            e.sim().leader().is_some_and(|l| l != old) && voters(e).len() == 4
        });
        assert_eq!(member(e.sim(), old), "removed");
        assert!(!voters(&e).contains(&old));
        assert!(e.sim().violations().is_empty());
    }

    #[test]
    fn membership_one_server_at_a_time_from_the_address() {
        let (params, notices) = crate::params::parse(
            &[
                ("nodes".into(), "3".into()),
                ("seed".into(), "4".into()),
                ("speed".into(), "1".into()),
                ("options".into(), "membership=single".into()),
            ],
            &["en"],
            &[],
        );
        assert!(notices.is_empty(), "{notices:?}");
        let mut e = Engine::new(&params, vec![], Texts::new("en"), false, || 7);
        until(&mut e, "a leader", |e| e.sim().leader().is_some());
        e.update(Msg::Membership(MembershipMsg::Add));
        let seen = until(&mut e, "S4 a voter", |e| voters(e) == [1, 2, 3, 4]);
        assert!(
            !seen.iter().any(|l| l.starts_with("Joint configuration")),
            "one server at a time: never joint"
        );
        assert!(e.sim().violations().is_empty());
    }

    #[test]
    fn membership_refusals_are_told_in_words() {
        let mut e = engine(3, "fr");
        assert!(e.sim().leader().is_none());
        e.update(Msg::Membership(MembershipMsg::Add));
        assert_eq!(e.sim().len(), 3);
        assert_eq!(
            e.feedback.as_ref().unwrap().text,
            "Aucun leader\u{a0}: seul un leader change la configuration."
        );
        until(&mut e, "a leader", |e| e.sim().leader().is_some());
        e.update(Msg::Membership(MembershipMsg::Add));
        // A second change while the first is under way is refused by raft-core.
        e.update(Msg::Membership(MembershipMsg::Add));
        assert_eq!(e.sim().len(), 4, "one change at a time");
        assert!(
            e.feedback
                .as_ref()
                .unwrap()
                .text
                .starts_with("La configuration ne peut pas changer maintenant\u{a0}: "),
            "{:?}",
            e.feedback
        );
    }
}

#[cfg(test)]
mod chapter_tests {
    use crate::engine::{Engine, Msg};
    use crate::guide::SceneState;
    use crate::i18n::Texts;
    use crate::params::Params;

    /// The chapter "Changing the configuration", each scene played as the page plays
    /// it (16 ms frames at the tour's speed) to its checkpoint, in both languages.
    #[test]
    fn membership_the_chapter_plays_in_the_page_scene_by_scene_to_its_checkpoints() {
        let slides = crate::json::tour().unwrap().scenes.len();
        let chapter = crate::json::membership_tour().unwrap();
        for lang in ["fr", "en"] {
            for (j, scene) in chapter.scenes.iter().enumerate() {
                let params = Params {
                    lang: Some(lang.into()),
                    quiz: false,
                    ..Params::default()
                };
                let mut e = Engine::new(&params, vec![], Texts::new(lang), false, || 7);
                e.update(Msg::TourGo(slides + j));
                let g = e.guide.as_ref().unwrap();
                assert_eq!(g.scene_id(), scene.id);
                assert_eq!(g.number(), slides + j);
                let mut captions = Vec::new();
                let mut t = 0.0;
                while e.guide.as_ref().unwrap().state() == SceneState::Playing {
                    t += 16.0;
                    e.update(Msg::Frame(t));
                    let g = e.guide.as_ref().unwrap();
                    if let Some(c) = g.caption(&e.texts)
                        && captions.last() != Some(&c)
                    {
                        captions.push(c);
                    }
                    assert!(t < 3_000_000.0, "{lang} {}: never ended", scene.id);
                }
                let g = e.guide.as_ref().unwrap();
                assert_eq!(g.state(), SceneState::Reached, "{lang} {}", scene.id);
                assert!(!captions.is_empty(), "{lang} {}", scene.id);
                for c in &captions {
                    // (Sets are written `{S1, S3}`, `C{1,2,3}`: only a name left unfilled,
                    // `{leader}`, would be a fault.)
                    let unfilled = c
                        .split('{')
                        .skip(1)
                        .any(|rest| rest.starts_with(|ch: char| ch.is_ascii_lowercase()));
                    assert!(!unfilled && !c.starts_with("members_"), "{lang}: {c}");
                }
                let title = e.texts.get(&format!("scene_{}", scene.id));
                assert!(
                    !title.starts_with("scene_"),
                    "{lang}: a title for {}",
                    scene.id
                );
                if scene.id == "single-bug" {
                    assert!(
                        !e.sim().violations().is_empty(),
                        "without the 2015 rule, two leaders of one term"
                    );
                } else {
                    assert!(e.sim().violations().is_empty(), "{lang} {}", scene.id);
                }
            }
        }
        // The chapter's title, in French.
        let e = Engine::new(&Params::default(), vec![], Texts::new("fr"), false, || 7);
        assert_eq!(
            e.texts.get("chapter_membership"),
            "Changer la configuration"
        );
    }
}
