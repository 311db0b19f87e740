//! The Raft options beyond Figure 2 in the simulated cluster: client reads and the
//! read checker, leadership transfer, PreVote against a disruptive server, the no-op,
//! and servers whose clocks drift.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use raft_sim::raft_core::{Config, ReadMode};
use raft_sim::{
    Action, ClientOutcome, Command, MILLIS, Property, ReadState, Role, SimConfig, Simulation,
};

fn sim_with(raft: Config, seed: u64) -> Simulation {
    let config = SimConfig {
        raft,
        ..SimConfig::with_nodes(5)
    };
    Simulation::new(config, seed).unwrap()
}

fn until_leader(sim: &mut Simulation) -> u32 {
    assert!(
        sim.run_until(3_000 * MILLIS, MILLIS, |s| s.leader().is_some()),
        "no leader"
    );
    sim.leader().unwrap()
}

/// A write acknowledged to its client (it waits for it).
fn write(sim: &mut Simulation, node: u32, command: Command) {
    let outcome = sim.apply(Action::Submit { node, command }).unwrap();
    assert!(
        matches!(outcome, Some(ClientOutcome::Accepted { .. })),
        "{outcome:?}"
    );
    let k = sim.client_requests().len() - 1;
    assert!(
        sim.run_until(2_000 * MILLIS, MILLIS, |s| s.client_requests()[k]
            .committed_at
            .is_some()),
        "not acknowledged"
    );
}

fn read(sim: &mut Simulation, node: u32) -> usize {
    sim.apply(Action::Read { node }).unwrap();
    sim.reads().len() - 1
}

/// The leader and one follower are cut off; the other three elect a leader and
/// acknowledge `Add 2`. Returns (old leader, new leader).
fn stale_leader(sim: &mut Simulation) -> (u32, u32) {
    let old = until_leader(sim);
    write(sim, old, Command::Set(1));
    let buddy = if old == 1 { 2 } else { 1 };
    sim.apply(Action::Partition {
        islands: vec![vec![old, buddy]],
    })
    .unwrap();
    assert!(
        sim.run_until(3_000 * MILLIS, MILLIS, |s| s
            .leaders()
            .iter()
            .any(|&l| l != old)),
        "the majority elected no leader"
    );
    let new = sim.leaders().into_iter().find(|&l| l != old).unwrap();
    write(sim, new, Command::Add(2));
    assert_eq!(
        sim.server(old).unwrap().node.role(),
        Role::Leader,
        "still believes"
    );
    (old, new)
}

#[test]
fn s6_4_a_naive_read_from_a_stale_leader_is_caught_by_the_checker() {
    let mut sim = sim_with(
        Config {
            read_mode: ReadMode::Naive,
            ..Config::default()
        },
        7,
    );
    let (old, _) = stale_leader(&mut sim);
    let k = read(&mut sim, old);
    let r = &sim.reads()[k];
    assert!(
        matches!(
            r.state,
            ReadState::Answered {
                value: 1,
                index: 1,
                ..
            }
        ),
        "answered at once with the old value: {r:?}"
    );
    assert_eq!(
        r.floor, 2,
        "Add 2 (index 2) was acknowledged before the read"
    );
    let v = sim
        .violations()
        .iter()
        .find(|v| v.property == Property::LinearizableReads)
        .expect("the checker saw the stale read");
    assert_eq!(v.nodes, [old]);
    assert!(v.detail.contains("index 2"), "{}", v.detail);
}

#[test]
fn s6_4_a_read_index_read_at_a_stale_leader_waits_then_fails_and_the_new_leader_answers() {
    let mut sim = sim_with(Config::default(), 7);
    let (old, new) = stale_leader(&mut sim);
    let k = read(&mut sim, old);
    sim.advance_by(1_000 * MILLIS);
    assert_eq!(
        sim.reads()[k].state,
        ReadState::Waiting,
        "no majority confirms it"
    );
    sim.apply(Action::Heal).unwrap();
    assert!(sim.run_until(1_000 * MILLIS, MILLIS, |s| s.reads()[k].state
        != ReadState::Waiting));
    assert!(
        matches!(sim.reads()[k].state, ReadState::Failed { .. }),
        "deposed, it gives up: {:?}",
        sim.reads()[k].state
    );
    let again = read(&mut sim, new);
    assert!(
        sim.run_until(1_000 * MILLIS, MILLIS, |s| s.reads()[again].state
            != ReadState::Waiting)
    );
    assert!(matches!(
        sim.reads()[again].state,
        ReadState::Answered { value: 3, .. }
    ));
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
}

#[test]
fn s6_4_reads_elsewhere_than_at_the_leader_are_redirected() {
    let mut sim = sim_with(Config::default(), 3);
    let leader = until_leader(&mut sim);
    sim.advance_by(100 * MILLIS); // the followers have heard from it
    let other = if leader == 1 { 2 } else { 1 };
    let k = read(&mut sim, other);
    assert_eq!(
        sim.reads()[k].state,
        ReadState::Redirect {
            leader: Some(leader)
        }
    );
    sim.apply(Action::Crash { node: other }).unwrap();
    let k = read(&mut sim, other);
    assert_eq!(sim.reads()[k].state, ReadState::Down);
}

#[test]
fn s3_10_a_transfer_makes_the_target_leader_before_any_timeout() {
    let mut sim = sim_with(Config::default(), 11);
    let leader = until_leader(&mut sim);
    let target = leader % 5 + 1;
    let term = sim.server(leader).unwrap().node.term();
    sim.apply(Action::Transfer {
        node: leader,
        to: target,
    })
    .unwrap();
    let start = sim.now();
    assert!(sim.run_until(500 * MILLIS, MILLIS, |s| s.leader() == Some(target)));
    assert!(
        sim.now() - start < Config::default().election_timeout_min,
        "faster than any election timeout"
    );
    assert_eq!(sim.server(target).unwrap().node.term(), term + 1);
    assert_eq!(
        sim.apply(Action::Transfer {
            node: leader,
            to: target
        }),
        Err(raft_sim::ActionError::NotLeader(leader))
    );
    assert_eq!(
        sim.apply(Action::Transfer {
            node: target,
            to: target
        }),
        Err(raft_sim::ActionError::TransferToSelf(target))
    );
}

/// A follower is cut off for two seconds, then comes back. Returns how many times
/// the healthy side's leader changed.
fn disruption(raft: Config) -> (u32, u64, u64) {
    let mut sim = sim_with(raft, 5);
    let leader = until_leader(&mut sim);
    let loner = leader % 5 + 1;
    let others: Vec<u32> = (1..=5).filter(|&n| n != loner).collect();
    sim.apply(Action::Partition {
        islands: vec![others],
    })
    .unwrap();
    sim.advance_by(2_000 * MILLIS);
    let loner_term = sim.server(loner).unwrap().node.term();
    sim.apply(Action::Heal).unwrap();
    sim.advance_by(1_000 * MILLIS);
    let term = sim.server(leader).unwrap().node.term();
    (sim.leader().unwrap(), loner_term, term)
}

#[test]
fn s9_6_prevote_keeps_a_returning_server_from_deposing_the_leader() {
    let (_, loner_term, term) = disruption(Config::default());
    assert!(loner_term > 3, "cut off, it stood again and again");
    assert!(term >= loner_term, "its return forced a new election");
    let (leader, loner_term, term) = disruption(Config {
        pre_vote: true,
        ..Config::default()
    });
    assert_eq!(
        loner_term, 1,
        "with PreVote it asked, and never raised its term"
    );
    assert_eq!(term, 1, "the leader of term 1 still leads");
    assert!((1..=5).contains(&leader));
}

#[test]
fn s8_the_no_op_shows_in_the_log_and_changes_no_value() {
    let mut sim = sim_with(
        Config {
            no_op: true,
            ..Config::default()
        },
        2,
    );
    let leader = until_leader(&mut sim);
    write(&mut sim, leader, Command::Set(5));
    let node = &sim.server(leader).unwrap().node;
    assert_eq!(node.log().get(1).unwrap().command, Command::Noop);
    assert_eq!(node.log().get(2).unwrap().command, Command::Set(5));
    assert_eq!(sim.server(leader).unwrap().register.value, 5);
}

#[test]
fn servers_with_drifting_clocks_time_out_by_their_own_clocks() {
    let config = SimConfig {
        clock_drift_ppm: 200_000,
        ..SimConfig::with_nodes(3)
    };
    let sim = Simulation::new(config, 1).unwrap();
    let ppm: Vec<i64> = sim.servers().iter().map(|s| s.clock.ppm()).collect();
    assert_eq!(ppm, [-100_000, 0, 100_000]);
    for s in sim.servers() {
        let local = s.node.election_deadline().unwrap();
        let global = s.election_deadline().unwrap();
        assert_eq!(s.clock.local(global), local.max(s.clock.local(global)));
        assert!(s.clock.local(global) >= local && s.clock.local(global.saturating_sub(1)) < local);
    }
    // The fast clock's timer fires earlier in simulated time than its own reading says.
    let fast = &sim.servers()[2];
    assert!(fast.election_deadline().unwrap() < fast.node.election_deadline().unwrap());
}

#[test]
fn full_campaigns_hold_for_every_safe_combination_and_naive_reads_go_stale() {
    let mut stale = 0;
    for raft in raft_sim::campaign::combinations(&Config::default()) {
        let naive = raft.read_mode == ReadMode::Naive;
        let base = SimConfig {
            clock_drift_ppm: raft.clock_drift_bound_ppm,
            raft: raft.clone(),
            ..SimConfig::with_nodes(5)
        };
        for seed in 1..=3 {
            let o = raft_sim::campaign::run_full(seed, &base, 3_000).unwrap();
            let name = raft_sim::campaign::describe(&raft);
            assert!(o.liveness.is_ok(), "{name}, seed {seed}: {:?}", o.liveness);
            assert!(o.reads > 0, "{name}, seed {seed}: no read answered");
            for v in &o.violations {
                assert!(
                    naive && v.property == Property::LinearizableReads,
                    "{name}, seed {seed}: {v}"
                );
                stale += 1;
            }
        }
    }
    assert!(stale > 0, "naive reads never went stale");
}
