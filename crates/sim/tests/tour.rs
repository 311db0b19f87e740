//! The guided tour: every scene reaches its checkpoint, and playing a scene frame by
//! frame (as the page does) gives exactly the headless result.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use raft_sim::scenario::{Progress, Runner};
use raft_sim::tour::Tour;
use raft_sim::{MILLIS, Role};

fn tour() -> Tour {
    Tour::slides().expect("tour.json parses")
}

#[test]
fn the_tour_has_the_slides_scenes_in_order() {
    let ids: Vec<String> = tour().scenes.into_iter().map(|s| s.id).collect();
    assert_eq!(
        ids,
        [
            "raft",
            "election",
            "leader-dies",
            "replication",
            "split",
            "reunion",
            "unification",
            "simultaneous",
            "disrupt",
            "prevote",
            "stale-read",
            "read-index",
            "figure8",
            "noop",
            "transfer"
        ]
    );
    // The slides' eight scenes, then the chapter beyond them, each on a fresh cluster.
    let t = tour();
    assert!(
        t.scenes[..8]
            .iter()
            .all(|s| s.chapter.is_none() && s.options.is_none())
    );
    assert_eq!(t.scenes[8].chapter.as_deref(), Some("chapter_beyond"));
    assert!(t.scenes[8..].iter().all(|s| s.options.is_some()));
}

#[test]
fn beyond_the_slides_each_scene_shows_its_point() {
    use raft_sim::Property;
    use raft_sim::ReadState;
    let t = tour();
    let at = |id: &str| t.play_through(t.index_of(id).unwrap()).unwrap();
    let term = |sim: &raft_sim::Simulation, id: u32| sim.server(id).unwrap().node.term();
    // Without PreVote, the server cut off comes back with a high term and deposes the
    // leader; with it, it never raised its term and the leader stays.
    let (sim, r) = at("disrupt");
    let old = r.server("leader").unwrap();
    assert!(term(&sim, old) >= 3 && sim.leader().is_some());
    let (sim, r) = at("prevote");
    assert!(sim.initial_config().raft.pre_vote);
    assert_eq!(sim.leader(), r.server("leader"));
    assert!(sim.servers().iter().all(|s| s.node.term() == 1));
    // A naive read from the cut-off leader returns the old value and breaks
    // linearizability; with ReadIndex, it waits, fails, and the new leader answers 3.
    let (sim, _) = at("stale-read");
    let read = sim.reads().last().unwrap();
    assert!(matches!(read.state, ReadState::Answered { value: 1, .. }));
    assert_eq!(read.floor, 2);
    assert!(
        sim.violations()
            .iter()
            .all(|v| v.property == Property::LinearizableReads)
    );
    assert!(!sim.violations().is_empty());
    let (sim, _) = at("read-index");
    let states: Vec<ReadState> = sim.reads().iter().map(|r| r.state).collect();
    assert!(matches!(
        states[..],
        [
            ReadState::Failed { .. },
            ReadState::Answered { value: 3, .. }
        ]
    ));
    assert!(sim.violations().is_empty());
    // Figure 8: the earlier term's entry waits for an entry of the leader's own term;
    // with the no-op, it is committed without a client.
    let (sim, _) = at("figure8");
    assert!(
        sim.servers()
            .iter()
            .filter(|s| s.alive)
            .all(|s| s.node.commit_index() == 2)
    );
    let (sim, r) = at("noop");
    let buddy = r.server("buddy").unwrap();
    assert_eq!(sim.server(buddy).unwrap().register.value, 1);
    assert!(
        sim.client_requests()
            .iter()
            .all(|c| c.command != raft_sim::Command::Add(2))
    );
    // Handing over: the chosen follower leads in the next term, no timeout needed.
    let (sim, r) = at("transfer");
    assert_eq!(sim.leader(), r.server("next"));
    assert_eq!(term(&sim, r.server("next").unwrap()), 2);
}

#[test]
fn every_scene_reaches_its_checkpoint() {
    let t = tour();
    for k in 0..t.scenes.len() {
        if let Err(e) = t.play_through(k) {
            panic!("{e}");
        }
    }
}

#[test]
fn the_story_is_the_slides_story() {
    let t = tour();
    let at = |id: &str| t.play_through(t.index_of(id).unwrap()).unwrap();
    let log = |sim: &raft_sim::Simulation, id: u32| -> Vec<String> {
        let n = &sim.server(id).unwrap().node;
        n.log()
            .entries()
            .iter()
            .map(|e| e.command.to_string())
            .collect()
    };
    // The split: two leaders, Add 2 uncommitted on the old side, Add 3 committed.
    let (sim, runner) = at("split");
    let name = |k: &str| runner.server(k).unwrap();
    let (old, new) = (name("old"), name("new"));
    assert_eq!(log(&sim, old), ["Set 1", "Add 2"]);
    assert_eq!(sim.server(old).unwrap().node.commit_index(), 1);
    assert_eq!(log(&sim, new), ["Set 1", "Add 3"]);
    assert!(sim.server(new).unwrap().node.term() > sim.server(old).unwrap().node.term());
    // Unification: every value is 1 + 3.
    let (sim, _) = at("unification");
    assert!(sim.servers().iter().all(|s| s.register.value == 4));
    // Simultaneous candidates: a split vote, then a later term's single leader.
    let (sim, runner) = at("simultaneous");
    let name = |k: &str| runner.server(k).unwrap();
    let (a, winner) = (name("a"), name("winner"));
    assert_eq!(sim.leaders(), vec![winner]);
    assert!(sim.server(winner).unwrap().node.term() >= sim.server(a).unwrap().node.term());
    assert_eq!(sim.server(winner).unwrap().node.role(), Role::Leader);
    assert!(sim.violations().is_empty());
}

#[test]
fn playing_a_scene_frame_by_frame_gives_the_headless_result() {
    let t = tour();
    for k in 0..t.scenes.len() {
        let (mut headless, mut r) = t.start(k).unwrap();
        r.finish(&mut headless).unwrap();

        let (mut live, mut runner) = t.start(k).unwrap();
        // Frames of uneven length, as a browser gives them.
        let mut frame = 0u64;
        loop {
            frame += 1;
            let dt = (frame * 7919) % 23 * MILLIS / 10 + 1;
            let until = live.now() + dt;
            match runner.advance(&mut live, until).clone() {
                Progress::Running => {}
                Progress::Done => break,
                Progress::Failed(e) => panic!("scene {k} failed live: {e}"),
            }
            assert!(frame < 1_000_000);
        }
        // The live run went past the end by at most one frame; compare the states
        // at the moment both finished their last step.
        let (mut again, mut r2) = t.start(k).unwrap();
        r2.finish(&mut again).unwrap();
        again.advance_to(live.now());
        assert_eq!(again.trace_hash(), live.trace_hash(), "scene {k}");
        let _ = Runner::new(Vec::new(), &live);
    }
}

#[test]
fn a_wrong_checkpoint_fails_with_its_scene_named() {
    let mut t = tour();
    let k = t.index_of("unification").unwrap();
    let step = raft_sim::json::from_str(r#"{"value": {"who": "all", "is": 5}}"#).unwrap();
    t.scenes[k].checkpoint.push(step);
    let err = t.play_through(k).unwrap_err();
    assert_eq!(err.scene, "unification");
    assert!(err.to_string().contains("expected 5"), "{err}");
}
