//! Time travel: any moment rebuilt from a checkpoint equals the straight run, forks
//! and their undo, stepping back, jumping to notable moments, traces in and out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use raft_sim::timeline::{DENSE, MAX_SPACING, Mark, Timeline};
use raft_sim::{Action, Command, MILLIS, NoteKind, SimConfig, Simulation, Trace, hex};

const INTERVAL: u64 = 500 * MILLIS;
const WINDOW: u64 = 300 * MILLIS;

fn timeline(seed: u64) -> Timeline {
    Timeline::new(SimConfig::default(), seed, INTERVAL, WINDOW).unwrap()
}

/// A run with faults and client commands, some of them between two events of the
/// same instant.
fn eventful(seed: u64) -> Timeline {
    let mut t = timeline(seed);
    t.advance_to(400 * MILLIS).unwrap();
    let leader = t.sim().leader().unwrap_or(1);
    t.apply(Action::Submit {
        node: leader,
        command: Command::Set(1),
    })
    .unwrap();
    for _ in 0..5 {
        t.step().unwrap();
    }
    t.apply(Action::Crash { node: leader }).unwrap();
    t.advance_to(1_300 * MILLIS).unwrap();
    t.apply(Action::Partition {
        islands: vec![vec![1, 2]],
    })
    .unwrap();
    t.advance_to(2_100 * MILLIS).unwrap();
    t.apply(Action::Restart { node: leader }).unwrap();
    t.apply(Action::Heal).unwrap();
    let l = t.sim().leader().unwrap_or(1);
    t.apply(Action::Submit {
        node: l,
        command: Command::Add(2),
    })
    .unwrap();
    t.advance_to(4_000 * MILLIS).unwrap();
    t
}

/// The hash of the straight run (no timeline) at time `at`.
fn straight_hash(t: &Timeline, at: u64) -> u64 {
    let trace = t.trace();
    trace.replay(Some(at)).unwrap().trace_hash()
}

fn logs(sim: &Simulation) -> Vec<Vec<String>> {
    sim.servers()
        .iter()
        .map(|s| {
            s.node
                .log()
                .entries()
                .iter()
                .map(|e| format!("{}@{}", e.command, e.term))
                .collect()
        })
        .collect()
}

#[test]
fn a_seek_anywhere_equals_the_straight_run_by_trace_hash() {
    let mut t = eventful(3);
    assert!(t.checkpoints() >= 8);
    let end_hash = t.sim().trace_hash();
    // Random order, backwards and forwards, on and off the grid.
    for &ms in &[2_500, 10, 1_300, 3_999, 400, 0, 1_750, 4_000, 2_100, 999] {
        let at = ms * MILLIS;
        t.seek(at).unwrap();
        assert_eq!(t.now(), at);
        assert_eq!(t.sim().trace_hash(), straight_hash(&t, at), "at {ms} ms");
    }
    // Playing forward again replays the recorded future: same end.
    t.seek(1_000 * MILLIS).unwrap();
    t.advance_to(4_000 * MILLIS).unwrap();
    assert_eq!(t.sim().trace_hash(), end_hash);
    assert_eq!(t.sim().actions().len(), 6);
}

#[test]
fn after_a_seek_the_drawn_history_is_the_straight_runs() {
    let mut t = eventful(4);
    t.seek(2_600 * MILLIS).unwrap();
    let ids: Vec<u64> = t.sim().history().map(|h| h.id).collect();
    let mut straight = t.trace().replay(Some(2_600 * MILLIS)).unwrap();
    let _ = &mut straight;
    // Rebuild the straight run's history with the same window.
    let mut s = Simulation::new(SimConfig::default(), 4).unwrap();
    s.set_history_window(WINDOW);
    for a in t.trace().actions.iter().filter(|a| a.at <= 2_600 * MILLIS) {
        s.replay_action(a).unwrap();
    }
    s.advance_to(2_600 * MILLIS);
    let expected: Vec<u64> = s.history().map(|h| h.id).collect();
    assert!(!expected.is_empty());
    assert_eq!(ids, expected);
    assert!(
        t.sim()
            .history()
            .all(|h| h.ended_at + WINDOW >= 2_600 * MILLIS)
    );
}

#[test]
fn acting_in_the_past_forks_and_the_fork_can_be_undone() {
    let mut t = eventful(5);
    let end = t.head();
    let end_hash = t.sim().trace_hash();
    let old_logs = logs(t.sim());
    t.seek(1_500 * MILLIS).unwrap();
    t.apply(Action::Crash { node: 3 })
        .unwrap_or_else(|_| t.apply(Action::Crash { node: 4 }).map(|_| None).unwrap());
    assert_eq!(t.head(), 1_500 * MILLIS, "the old future is gone");
    assert!(t.can_undo());
    assert_eq!(
        t.sim().actions().len(),
        4,
        "Set 1, crash, partition, and the new crash"
    );
    t.advance_to(end).unwrap();
    assert_ne!(t.sim().trace_hash(), end_hash, "a different future");
    // Undo: back to the moment of the fork, with the old future.
    assert!(t.undo_fork().unwrap());
    assert_eq!(t.now(), 1_500 * MILLIS);
    assert_eq!(t.head(), end);
    t.seek(end).unwrap();
    assert_eq!(t.sim().trace_hash(), end_hash);
    assert_eq!(logs(t.sim()), old_logs);
    assert!(!t.undo_fork().unwrap(), "only the last fork");
}

#[test]
fn a_refused_action_in_the_past_does_not_fork() {
    let mut t = eventful(6);
    let head = t.head();
    t.seek(500 * MILLIS).unwrap();
    assert!(t.apply(Action::Restart { node: 5 }).is_err());
    assert_eq!(t.head(), head);
    assert!(!t.can_undo());
}

#[test]
fn stepping_back_returns_to_the_previous_event_exactly() {
    let mut t = eventful(7);
    t.seek(380 * MILLIS).unwrap();
    // From an event on (380 ms itself is between two events).
    t.step().unwrap();
    let mut hashes = Vec::new();
    for _ in 0..40 {
        hashes.push((t.sim().stats().events, t.sim().trace_hash(), t.now()));
        t.step().unwrap();
    }
    for (events, hash, now) in hashes.into_iter().rev() {
        t.step_back().unwrap();
        assert_eq!(t.sim().stats().events, events);
        assert_eq!(t.now(), now);
        assert_eq!(t.sim().trace_hash(), hash, "after event {events}");
    }
}

#[test]
fn jumps_find_the_next_election_the_next_commit_and_the_previous_leader_change() {
    let mut t = timeline(8);
    t.advance_to(400 * MILLIS).unwrap();
    let first = t.sim().leader().unwrap();
    t.apply(Action::Submit {
        node: first,
        command: Command::Set(1),
    })
    .unwrap();
    t.advance_to(1_000 * MILLIS).unwrap();
    t.apply(Action::Crash { node: first }).unwrap();
    t.advance_to(2_000 * MILLIS).unwrap();
    assert_ne!(t.sim().leader(), Some(first));
    t.seek(0).unwrap();
    let election = t.find(Mark::Election, true, 10_000 * MILLIS).unwrap();
    let first_candidate = t
        .markers()
        .iter()
        .find(|n| matches!(n.kind, NoteKind::Candidate(_)))
        .unwrap();
    assert_eq!(election, first_candidate.at);
    assert_eq!(t.now(), 0, "finding does not move");
    let commit = t.find(Mark::Commit, true, 10_000 * MILLIS).unwrap();
    t.seek(commit).unwrap();
    let leader = t.sim().leader().unwrap();
    assert_eq!(t.sim().server(leader).unwrap().node.commit_index(), 1);
    t.seek(2_000 * MILLIS).unwrap();
    let change = t.find(Mark::LeaderChange, false, 0).unwrap();
    assert!(change > 1_000 * MILLIS, "the election after the crash");
    t.seek(change).unwrap();
    let l = t.sim().leader().unwrap();
    let note = t.markers().iter().rev().find(|n| n.at == change).unwrap();
    assert_eq!(note.node, l);
    // Far in the future of a quiet cluster, the search gives up.
    let mut quiet = timeline(9);
    quiet.advance_to(1_000 * MILLIS).unwrap();
    let (head, checkpoints, markers) = (quiet.head(), quiet.checkpoints(), quiet.markers().len());
    assert_eq!(quiet.find(Mark::Commit, true, 2_000 * MILLIS), None);
    assert_eq!(quiet.now(), 1_000 * MILLIS);
    // Looking ahead leaves no trace: the recorded run ends where it did.
    assert_eq!(quiet.head(), head, "the head did not move");
    assert_eq!(quiet.checkpoints(), checkpoints);
    assert_eq!(quiet.markers().len(), markers);
    assert_eq!(quiet.trace().end, 1_000 * MILLIS);
    // A jump that finds its moment goes there, and the run then reaches that far.
    let mut t = timeline(9);
    t.advance_to(100 * MILLIS).unwrap();
    let election = t.find(Mark::Election, true, 2_000 * MILLIS).unwrap();
    assert_eq!(t.head(), 100 * MILLIS, "only looked");
    t.seek(election).unwrap();
    assert_eq!(t.head(), election);
}

#[test]
fn a_run_exported_mid_instant_imports_to_the_same_moment() {
    let mut t = eventful(10);
    t.seek(1_000 * MILLIS).unwrap();
    for _ in 0..3 {
        t.step().unwrap();
    }
    let json = t.trace().to_json();
    let back = Timeline::from_trace(&Trace::from_json(&json).unwrap(), INTERVAL, WINDOW).unwrap();
    assert_eq!(back.now(), t.now());
    assert_eq!(back.sim().trace_hash(), t.sim().trace_hash());
    assert_eq!(Some(hex(back.sim().trace_hash())), t.trace().hash);
    // A tampered trace is refused, whole.
    let bad = json.replace("\"seed\": 10", "\"seed\": 11");
    let err = Timeline::from_trace(&Trace::from_json(&bad).unwrap(), INTERVAL, WINDOW).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("replays differently") || msg.contains("does not replay"),
        "{msg}"
    );
}

#[test]
fn an_hour_keeps_recent_checkpoints_dense_old_ones_sparse_and_seeks_anywhere_in_it() {
    let mut t = Timeline::new(SimConfig::default(), 11, 5_000 * MILLIS, 2_000 * MILLIS).unwrap();
    t.advance_to(3_600_000 * MILLIS).unwrap();
    // Grid points 0 s, 5 s, … 3595 s (0 … 719): the first, the newest DENSE, every
    // second one of the DENSE before, every fourth of the DENSE before those, and
    // every MAX_SPACING-th one older.
    let newest = 719;
    let kept = (0..=newest)
        .filter(|&g: &u64| {
            let age = newest - g;
            let every = match age / DENSE {
                0 => 1,
                1 => 2,
                2 => 4,
                _ => MAX_SPACING,
            };
            g == 0 || g % every == 0
        })
        .count();
    assert_eq!(t.checkpoints(), kept);
    assert!(t.checkpoints() < 720 / 5, "{} checkpoints", t.checkpoints());
    let hash = t.sim().trace_hash();
    // Every moment is still there, far back (thinned) or near (dense), on and off the
    // grid, bit for bit the straight run's.
    for ms in [7_000, 1_234_567, 1_800_000, 3_472_500, 3_580_001, 60_000] {
        let at = ms * MILLIS;
        t.seek(at).unwrap();
        assert_eq!(t.sim().trace_hash(), straight_hash(&t, at), "at {ms} ms");
    }
    t.seek(3_600_000 * MILLIS).unwrap();
    assert_eq!(t.sim().trace_hash(), hash);
}
