//! Log compaction in the page (feature `compaction`, paper §7): the threshold past
//! which every server snapshots its state. raft-core takes the snapshots and sends
//! InstallSnapshot; the logs and the ring draw them.

use super::Engine;
use super::words::word;
use crate::i18n::fill_in;
use raft_sim::Action;

/// Thresholds offered (entries past which a server snapshots), besides off.
pub const THRESHOLDS: [usize; 3] = [3, 5, 10];

impl Engine {
    pub(super) fn on_compaction(&mut self, threshold: Option<usize>) {
        let threshold = threshold.filter(|n| THRESHOLDS.contains(n));
        let done = match threshold {
            Some(n) => fill_in(
                word(&self.texts, "did_compaction"),
                &[("n", &n.to_string())],
            ),
            None => word(&self.texts, "did_no_compaction").into(),
        };
        self.act(Action::SetSnapshotThreshold { threshold }, Some(done));
    }

    /// The threshold in force.
    pub fn compaction(&self) -> Option<usize> {
        self.sim().config().snapshot_threshold
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{Engine, Msg};
    use crate::i18n::Texts;
    use crate::params::Params;

    #[test]
    fn compaction_servers_snapshot_past_the_threshold_and_a_late_one_gets_install_snapshot() {
        let params = Params {
            seed: Some(4),
            nodes: 3,
            speed: 1.0,
            speed_given: true,
            ..Params::default()
        };
        let mut e = Engine::new(&params, vec![], Texts::new("fr"), false, || 7);
        let mut t = 1e6;
        let mut frames = |e: &mut Engine, n: usize| {
            e.playing = true;
            for _ in 0..n {
                t += 16.0;
                e.update(Msg::Frame(t));
            }
        };
        frames(&mut e, 60);
        let leader = e.sim().leader().expect("a leader");
        let late = if leader == 3 { 2 } else { 3 };
        e.update(Msg::Compaction(Some(3)));
        assert_eq!(e.compaction(), Some(3));
        assert_eq!(
            e.feedback.as_ref().unwrap().text,
            "Chaque serveur fait maintenant un instantané de son état au-delà de 3 entrées."
        );
        e.update(Msg::Crash(late));
        for k in 1..=8 {
            e.update(Msg::Submit(leader, format!("Add {k}")));
            frames(&mut e, 10);
        }
        let snap = |e: &Engine, id| e.sim().server(id).unwrap().node.log().snapshot_index();
        assert!(snap(&e, leader) >= 3, "the leader compacted its log");
        assert_eq!(snap(&e, late), 0);
        e.update(Msg::Restart(late));
        frames(&mut e, 60);
        assert!(
            e.sim().stats().installs >= 1,
            "InstallSnapshot sent to the late server"
        );
        assert!(snap(&e, late) >= 3);
        let value = |e: &Engine, id| e.sim().server(id).unwrap().register.value;
        assert_eq!(value(&e, late), value(&e, leader));
        assert!(e.sim().violations().is_empty());
        // A threshold the page does not offer is taken as off.
        e.update(Msg::Compaction(Some(7)));
        assert_eq!(e.compaction(), None);
    }
}
