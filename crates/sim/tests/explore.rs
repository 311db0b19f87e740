//! The exhaustive search: each deviation's shipped counterexample replays to the
//! property it breaks, the same schedule with the rule restored stays safe, and the
//! search itself finds shortest counterexamples and no violation of the paper's Raft.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use raft_sim::explore::{self, Bounds, Bug, Deviation, RaftModel, Step, replay};
use raft_sim::raft_core::ReadMode;
use raft_sim::{Property, Trace};

fn shipped(d: Bug) -> Trace {
    let path = format!(
        "{}/counterexamples/{}.json",
        env!("CARGO_MANIFEST_DIR"),
        d.name()
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Trace::from_json(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_bug_ships_a_counterexample_that_replays_to_the_property_it_breaks() {
    for d in Bug::ALL {
        let trace = shipped(d);
        let raft = &trace.config.raft;
        match d {
            Bug::Rule(rule) => assert_eq!(raft.deviations, vec![rule], "{d}"),
            Bug::NaiveRead => {
                assert!(raft.deviations.is_empty());
                assert_eq!(raft.read_mode, ReadMode::Naive);
            }
        }
        // The replay checks the recorded trace hash: bit for bit the run found.
        let sim = trace.replay(None).unwrap_or_else(|e| panic!("{d}: {e}"));
        let first = sim
            .violations()
            .first()
            .unwrap_or_else(|| panic!("{d}: safe"));
        assert_eq!(first.property, d.expected(), "{d}: {first}");
    }
}

#[test]
fn the_same_schedule_with_the_rule_restored_stays_safe() {
    for d in Bug::ALL {
        let trace = shipped(d);
        let mut config = trace.config.clone();
        d.restore(&mut config.raft);
        let (sim, skipped) = replay::play_actions(config, trace.seed, &trace.actions).unwrap();
        assert_eq!(sim.violations(), &[], "{d}");
        // Every step still happens: only the rule differs (the page says so).
        assert_eq!(skipped, 0, "{d}: steps skipped");
    }
}

#[test]
fn the_search_finds_a_shortest_counterexample_and_it_plays_in_the_simulator() {
    let d = Bug::Rule(Deviation::VoteTwice);
    let model = RaftModel::new(explore::bounds_for(Some(d)), Some(d));
    let outcome = explore::search(model.clone(), 1, |_, _| {});
    let cx = outcome
        .counterexample
        .expect("vote-twice breaks Election Safety");
    assert_eq!(cx.violation.property, Property::ElectionSafety);
    // Two candidates stand, each gets the other's vote: six steps, no fewer.
    assert_eq!(cx.steps.len(), 6);
    assert_eq!(
        cx.steps
            .iter()
            .filter(|s| matches!(s, Step::Timeout(_)))
            .count(),
        2
    );
    let sim = replay::play(&model, &cx.steps).unwrap();
    assert_eq!(
        sim.violations().first().map(|v| v.property),
        Some(Property::ElectionSafety)
    );
    // The shipped run is the one the search finds.
    let trace = shipped(d);
    assert_eq!(Trace::of(&sim).actions, trace.actions);
}

#[test]
fn the_papers_raft_breaks_nothing_in_a_small_space_and_the_space_is_not_trivial() {
    let bounds = Bounds {
        servers: 3,
        max_term: 2,
        max_log: 1,
        commands: 0,
        restarts: 0,
        duplicates: 0,
        link_capacity: 1,
        reads: 0,
    };
    let outcome = explore::search(RaftModel::new(bounds, None), 2, |_, _| {});
    assert!(outcome.counterexample.is_none());
    // Two elections, with every order of their messages.
    assert!(outcome.unique > 5_000, "{} states", outcome.unique);
    assert!(outcome.depth >= 10);
}

#[test]
fn figure_8s_search_starts_where_the_paper_starts() {
    let d = Bug::Rule(Deviation::CommitEarlierTerm);
    let model = RaftModel::new(explore::bounds_for(Some(d)), Some(d));
    let start = explore::start_for(&model, Some(d));
    assert_eq!(start.len(), 8);
    let mut with_start = model.clone();
    with_start.start = start;
    let s = with_start.first_state().unwrap();
    // S1 holds Set 1 of term 1, S2 Set 2 of term 2, S3 nothing; S2 leads term 2.
    let terms: Vec<Vec<u64>> = s
        .nodes
        .iter()
        .map(|n| n.log().entries().iter().map(|e| e.term).collect())
        .collect();
    assert_eq!(terms, vec![vec![1], vec![2], vec![]]);
    assert_eq!(s.nodes[1].role(), raft_sim::Role::Leader);
}

#[test]
fn a_run_that_does_not_fit_the_simulator_is_refused_with_the_step_that_failed() {
    let model = RaftModel::new(Bounds::default(), None);
    let fresh = model.fresh().unwrap();
    assert!(fresh.network.is_empty());
    // A heartbeat from a server that does not lead cannot be played.
    let err = replay::play(&model, &[Step::Timeout(1), Step::Heartbeat(2)]).unwrap_err();
    assert_eq!(err.step, 1);
    assert!(err.to_string().contains("S2"), "{err}");
}

/// What the model and the simulator must agree on about one server.
fn server_view(n: &raft_sim::raft_core::Node<raft_sim::Command>) -> String {
    format!(
        "S{} term {} vote {:?} {:?} commit {} log {:?}",
        n.id(),
        n.term(),
        n.voted_for(),
        n.role(),
        n.commit_index(),
        n.log().entries()
    )
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Any run of the model, played in the simulator, leaves every server in the
    /// state the model says: the trace a counterexample becomes is the run the search
    /// found, step for step.
    #[test]
    fn any_run_of_the_model_plays_the_same_in_the_simulator(
        choices in proptest::collection::vec(0usize..1000, 0..40)
    ) {
        // Three terms, two commands, a crash, a duplicate, two messages a link.
        let model = RaftModel::new(Bounds::default(), None);
        let mut state = model.fresh().unwrap();
        let mut taken = Vec::new();
        for c in choices {
            let steps = model.steps(&state);
            if steps.is_empty() {
                break;
            }
            let step = steps[c % steps.len()].clone();
            if let Some(next) = model.take(&state, step.clone()) {
                state = next;
                taken.push(step);
            }
        }
        let sim = replay::play(&model, &taken).unwrap();
        for (node, server) in state.nodes.iter().zip(sim.servers()) {
            proptest::prop_assert_eq!(server_view(node), server_view(&server.node));
        }
        proptest::prop_assert!(sim.violations().is_empty());
        proptest::prop_assert!(state.broken().is_none());
    }
}

#[test]
fn alike_servers_are_explored_once() {
    let model = RaftModel::new(Bounds::default(), None);
    let fresh = model.fresh().unwrap();
    // Three servers alike: only S1's timeout and S1's crash are taken.
    assert_eq!(
        model.steps(&fresh),
        vec![Step::Timeout(1), Step::Restart(1)]
    );
    // S1 stands: S2 and S3 are still alike, S1 is not.
    let next = model.take(&fresh, Step::Timeout(1)).unwrap();
    let steps = model.steps(&next);
    assert!(steps.contains(&Step::Timeout(1)) && steps.contains(&Step::Timeout(2)));
    assert!(!steps.contains(&Step::Timeout(3)));
    let receivers: Vec<u32> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Deliver(m) => Some(m.to),
            _ => None,
        })
        .collect();
    assert_eq!(receivers, vec![2], "S1's RequestVote to S2 only");
    // Once S2 has voted, the three differ and every step is open.
    let vote = steps
        .iter()
        .find(|s| matches!(s, Step::Deliver(_)))
        .unwrap()
        .clone();
    let after = model.take(&next, vote).unwrap();
    assert!(model.steps(&after).contains(&Step::Timeout(3)));
}
