//! Every file format is defined once by serde derives: what serde writes reads back
//! exactly, and a hand-written file that is wrong gets an error naming the field.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use proptest::prelude::*;
use raft_sim::json::from_str;
use raft_sim::raft_core::ReadMode;
use raft_sim::scenario::{Act, Condition, Step, Who};
use raft_sim::tour::Tour;
use raft_sim::{Action, Command, Role, SimConfig, TimedAction, Trace};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Writes with serde, reads with `raft_sim::json`.
fn round_trip<T: Serialize + DeserializeOwned>(v: &T) -> T {
    let text = serde_json::to_string(v).unwrap();
    from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![
        Just(Who::Leader),
        Just(Who::Candidate),
        Just(Who::All),
        (1u32..10).prop_map(Who::Server),
        (1usize..5).prop_map(Who::Follower),
        "[a-z_]{1,8}".prop_map(Who::Named),
    ]
}

/// A probability as the product writes them: a whole number of millionths.
fn millionth() -> impl Strategy<Value = f64> {
    (0u32..=1_000_000).prop_map(|k| f64::from(k) / 1e6)
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        any::<i64>().prop_map(Command::Set),
        any::<i64>().prop_map(Command::Add),
        Just(Command::Noop)
    ]
}

fn action() -> impl Strategy<Value = Action> {
    let node = 1u32..10;
    let nodes = prop::collection::vec(1u32..10, 0..5);
    prop_oneof![
        node.clone().prop_map(|node| Action::Crash { node }),
        node.clone().prop_map(|node| Action::Restart { node }),
        node.clone().prop_map(|node| Action::Timeout { node }),
        nodes
            .clone()
            .prop_map(|nodes| Action::AlignTimers { nodes }),
        nodes
            .clone()
            .prop_map(|nodes| Action::SpreadTimers { nodes }),
        prop::collection::vec(nodes, 0..3).prop_map(|islands| Action::Partition { islands }),
        (node.clone(), node.clone(), any::<bool>())
            .prop_map(|(from, to, one_way)| Action::CutLink { from, to, one_way }),
        (node.clone(), node.clone(), any::<bool>())
            .prop_map(|(from, to, one_way)| Action::RestoreLink { from, to, one_way }),
        Just(Action::Heal),
        any::<u64>().prop_map(|id| Action::DropMessage { id }),
        (any::<u64>(), any::<bool>()).prop_map(|(id, keep)| Action::Deliver { id, keep }),
        node.clone().prop_map(|node| Action::Heartbeat { node }),
        (node.clone(), command()).prop_map(|(node, command)| Action::Submit { node, command }),
        node.clone().prop_map(|node| Action::Read { node }),
        (node.clone(), node).prop_map(|(node, to)| Action::Transfer { node, to }),
        (
            any::<u64>(),
            any::<u64>(),
            millionth(),
            millionth(),
            millionth()
        )
            .prop_map(|(latency_min, latency_max, loss, duplicate, reorder)| {
                Action::SetNetwork {
                    latency_min,
                    latency_max,
                    loss,
                    duplicate,
                    reorder,
                }
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_probability_reads_back_to_the_same_millionth(p in 0.0..=1.0f64) {
        let c = SimConfig { loss: p, ..SimConfig::default() };
        let back: SimConfig = round_trip(&c);
        prop_assert!((back.loss - p).abs() <= f64::EPSILON, "{} read as {}", p, back.loss);
        prop_assert_eq!(back.as_run(), c.as_run());
    }

    #[test]
    fn every_trace_serde_writes_reads_back_equal(
        actions in prop::collection::vec((any::<u64>(), any::<u64>(), action()), 0..20),
        seed in any::<u64>(),
        nodes in 1usize..10,
        loss in millionth(),
        events in any::<Option<u64>>(),
        options in any::<(bool, bool, bool, bool, u8, u32, u32)>(),
    ) {
        let mut config = SimConfig::with_nodes(nodes);
        config.loss = loss;
        let (flow_control, no_op, pre_vote, check_quorum, mode, bound, drift) = options;
        config.raft = raft_sim::raft_core::Config {
            flow_control,
            no_op,
            pre_vote,
            check_quorum,
            read_mode: [ReadMode::ReadIndex, ReadMode::Lease, ReadMode::Naive][usize::from(mode % 3)],
            clock_drift_bound_ppm: bound,
            ..config.raft
        };
        config.clock_drift_ppm = drift;
        let trace = Trace {
            format: raft_sim::FORMAT.into(),
            version: raft_sim::VERSION,
            config,
            seed,
            actions: actions
                .into_iter()
                .map(|(at, after, action)| TimedAction { at, after, action })
                .collect(),
            end: seed / 3,
            events,
            hash: events.map(|e| format!("{e:016x}")),
        };
        prop_assert_eq!(round_trip(&trace), trace);
    }

    #[test]
    fn every_condition_and_act_reads_back_equal(w in who(), v in who(), n in any::<u64>(), x in any::<i64>()) {
        let steps = vec![
            Step::Wait(n),
            Step::Say("tour_raft_1".into()),
            Step::Do(Act::Crash(w.clone())),
            Step::Do(Act::Restart(v.clone())),
            Step::Do(Act::Timeout(w.clone())),
            Step::Do(Act::Align(vec![w.clone(), v.clone()])),
            Step::Do(Act::Spread(vec![v.clone()])),
            Step::Do(Act::Partition(vec![vec![w.clone()], vec![v.clone(), Who::Server(3)]])),
            Step::Do(Act::Heal),
            Step::Do(Act::Submit { to: w.clone(), command: format!("Add {x}") }),
            Step::Do(Act::Remember { name: "old".into(), who: v.clone() }),
            Step::Expect(Condition::Leader(None)),
            Step::Expect(Condition::Leader(Some(w.clone()))),
            Step::Expect(Condition::Leaders(n as usize)),
            Step::Expect(Condition::Role { who: w.clone(), is: Role::Candidate }),
            Step::Expect(Condition::TermAbove { who: w.clone(), than: v.clone() }),
            Step::Expect(Condition::TermAtLeast { who: v.clone(), term: n }),
            Step::Expect(Condition::Log { who: w.clone(), commands: vec!["Set 1".into()], committed: n % 2 == 0 }),
            Step::Expect(Condition::Value { who: w.clone(), is: x }),
            Step::Until { condition: Condition::Safe, within_ms: n },
        ];
        prop_assert_eq!(round_trip(&steps), steps);
    }
}

#[test]
fn the_tour_reads_back_equal() {
    let tour = Tour::slides().unwrap();
    assert_eq!(round_trip(&tour), tour);
}

fn error<T: DeserializeOwned + serde::Serialize + std::fmt::Debug>(text: &str) -> String {
    from_str::<T>(text).unwrap_err().to_string()
}

#[test]
fn errors_name_the_field_at_fault() {
    assert_eq!(
        error::<Vec<Action>>(r#"["heal", {"crash": {"node": "S1"}}]"#),
        "[1].crash.node: invalid type: string \"S1\", expected u32 at line 1 column 32"
    );
    let unknown = error::<Action>(r#"{"crsh": {"node": 1}}"#);
    assert!(
        unknown.starts_with("unknown variant `crsh`, expected one of `crash`, `restart`"),
        "{unknown}"
    );
    assert!(
        error::<Action>(r#"{"crash": {"node": 1, "why": 2}}"#)
            .starts_with("crash.why: unknown field `why`, expected `node`")
    );
    assert!(
        error::<TimedAction>(r#"{"at": 1, "action": "heal"}"#).starts_with("missing field `after`")
    );
    assert!(
        error::<Action>(r#"{"submit": {"node": 1, "command": {"op": "Mul", "n": 2}}}"#)
            .starts_with(
                "submit.command.op: unknown variant `Mul`, expected one of `Set`, `Add`, `Noop`"
            )
    );
    assert!(
        error::<Step>(
            r#"{"until": {"condition": {"role": {"who": "S0", "is": "leader"}}, "within_ms": 5}}"#
        )
        .starts_with(
            "until.condition.role.who: unknown server \"S0\" (use leader, candidate, S1…S9, follower1…, $name or all)"
        )
    );
    assert!(error::<SimConfig>(r#"{"loss": "high"}"#).starts_with("loss: invalid type: string"));
    assert!(error::<u64>("-1").starts_with("invalid value: integer `-1`, expected u64"));
    assert!(error::<u32>("1.5").starts_with("invalid type: floating point `1.5`, expected u32"));
    let eof = error::<u64>("[");
    assert!(eof.contains("EOF") || eof.contains("expected u64"), "{eof}");
    assert!(error::<u64>("1 2").contains("trailing characters"));
}

#[test]
fn configurations_may_leave_fields_out() {
    let c: SimConfig = from_str(r#"{"nodes": 3, "loss": 1}"#).unwrap();
    assert_eq!(c.nodes, 3);
    assert_eq!(c.loss, 1.0);
    assert_eq!(c.raft, SimConfig::default().raft);
    assert_eq!(c.clock_drift_ppm, 0, "exact clocks unless said");
    let r: raft_sim::raft_core::Config = from_str(r#"{"heartbeat_interval": 7}"#).unwrap();
    assert_eq!(r.heartbeat_interval, 7);
    // A run saved before the options existed ran without them, and reads back so.
    assert!(!r.flow_control && !r.no_op && !r.pre_vote && !r.check_quorum);
    assert_eq!(r.read_mode, ReadMode::ReadIndex);
    assert_eq!(
        r.election_timeout_min,
        SimConfig::default().raft.election_timeout_min
    );
}

#[test]
fn every_built_in_scenario_file_reads() {
    let all = raft_sim::scenario::builtin().expect("every file of crates/sim/scenarios reads");
    assert!(all.iter().any(|s| s.name == "replication"));
}
