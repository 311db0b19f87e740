//! Determinism, traces (export, import, replay) and hostile trace files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use raft_sim::{Action, Command, MILLIS, SimConfig, Simulation, Trace, TraceError, campaign, hex};

fn scripted(seed: u64) -> Simulation {
    let mut s = Simulation::new(SimConfig::with_nodes(5), seed).unwrap();
    s.advance_to(400 * MILLIS);
    let leader = s.leader().unwrap_or(1);
    s.apply(Action::Submit {
        node: leader,
        command: Command::Set(1),
    })
    .unwrap();
    // A few single steps, so that actions fall between events of the same instant.
    for _ in 0..7 {
        s.step();
    }
    s.apply(Action::Partition {
        islands: vec![vec![leader, leader % 5 + 1]],
    })
    .unwrap();
    s.advance_by(700 * MILLIS);
    s.apply(Action::Crash { node: leader }).unwrap();
    s.apply(Action::Heal).unwrap();
    s.advance_by(500 * MILLIS);
    s.apply(Action::Restart { node: leader }).unwrap();
    s.advance_by(500 * MILLIS);
    s
}

#[test]
fn the_same_config_seed_and_actions_give_the_same_trace() {
    let (a, b) = (scripted(1), scripted(1));
    assert_eq!(a.trace_hash(), b.trace_hash());
    assert_eq!(a.stats(), b.stats());
    assert_ne!(
        a.trace_hash(),
        scripted(2).trace_hash(),
        "another seed, another run"
    );
}

#[test]
fn a_trace_replays_to_the_same_state_bit_for_bit() {
    let original = scripted(3);
    let json = Trace::of(&original).to_json();
    let trace = Trace::from_json(&json).unwrap();
    let replayed = trace.replay(None).unwrap();
    assert_eq!(replayed.trace_hash(), original.trace_hash());
    assert_eq!(replayed.now(), original.now());
    for (a, b) in original.servers().iter().zip(replayed.servers()) {
        assert_eq!(a.node.persistent(), b.node.persistent());
        assert_eq!(a.register, b.register);
        assert_eq!(a.alive, b.alive);
    }
    // Replaying to an earlier moment stops there.
    let early = trace.replay(Some(500 * MILLIS)).unwrap();
    assert_eq!(early.now(), 500 * MILLIS);
}

#[test]
fn a_campaign_run_is_reproducible_from_its_seed() {
    let a = campaign::run(42, 5, 3_000).unwrap();
    let b = campaign::run(42, 5, 3_000).unwrap();
    assert_eq!(a.trace.hash, b.trace.hash);
    assert!(a.ok(), "{:?} {:?}", a.violations, a.liveness);
    // And its trace replays to the same hash.
    let replayed = a.trace.replay(None).unwrap();
    assert_eq!(Some(hex(replayed.trace_hash())), a.trace.hash);
}

fn import_error(text: &str) -> String {
    match Trace::from_json(text).and_then(|t| t.replay(None).map(|_| t)) {
        Ok(_) => panic!("accepted: {text:.80}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn malformed_hostile_or_future_traces_are_refused_with_a_clear_message() {
    let good = Trace::of(&scripted(4)).to_json();
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "not a valid trace file"),
        ("not json".into(), "not a valid trace file"),
        ("[]".into(), "not a valid trace file"),
        ("{}".into(), "not a Raft playground trace"),
        (r#"{"format":"something-else","version":1}"#.into(), "not a Raft playground trace"),
        (r#"{"format":"raft-playground-trace","version":99}"#.into(), "newer version"),
        (r#"{"format":"raft-playground-trace","version":"1"}"#.into(), "version"),
        (good[..good.len() / 2].to_string(), "not a valid trace file"),
        (good.replace("\"nodes\": 5", "\"nodes\": 999"), "nodes must be between 1 and 9"),
        (good.replace("\"seed\":", "\"unknown_field\": 1, \"seed\":"), "unknown field"),
        (good.replace("\"loss\": 0.0", "\"loss\": 7.0"), "loss must be a probability"),
        (
            good.replace("\"node\": 1", "\"node\": 42").replace("\"node\": 2", "\"node\": 42").replace("\"node\": 3", "\"node\": 42").replace("\"node\": 4", "\"node\": 42").replace("\"node\": 5", "\"node\": 42"),
            "names S42",
        ),
        (good.replace("\"hash\": \"", "\"hash\": \"ff"), "replays differently"),
        (format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)), "not a valid trace file"),
        ("\"".repeat(9 << 20), "too large"),
        (
            r#"{"format":"raft-playground-trace","version":1,"config":{},"seed":1,"actions":[],"end":99999999999999999999}"#.into(),
            "not a valid trace file",
        ),
    ];
    for (text, expected) in cases {
        let err = import_error(&text);
        assert!(
            err.contains(expected),
            "{err:?} should mention {expected:?}"
        );
    }
}

#[test]
fn actions_out_of_order_or_after_the_end_are_refused() {
    let mut t = Trace::of(&scripted(5));
    t.actions.swap(0, 1);
    t.hash = None;
    assert!(matches!(t.validate(), Err(TraceError::Invalid(_))));
    let mut t = Trace::of(&scripted(5));
    t.end = 1;
    assert!(t.validate().is_err());
}

#[test]
fn a_trace_that_does_not_replay_as_recorded_is_refused() {
    let mut t = Trace::of(&scripted(6));
    // Claim an action happened after more events than there were by then.
    t.actions.last_mut().unwrap().after += 1_000_000;
    t.hash = None;
    let err = t.replay(None).unwrap_err().to_string();
    assert!(err.contains("does not replay"), "{err}");
}
