//! The simulator's clock, queue and network, and one scenario per fault of the slides.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use raft_sim::{
    Action, ClientOutcome, Command, DropReason, MILLIS, MessageKind, Role, SimConfig, Simulation,
    StepEvent,
};

fn sim(nodes: usize, seed: u64) -> Simulation {
    Simulation::new(SimConfig::with_nodes(nodes), seed).unwrap()
}

fn until_leader(sim: &mut Simulation) -> u32 {
    assert!(
        sim.run_until(3_000 * MILLIS, MILLIS, |s| s.leader().is_some()),
        "no leader"
    );
    sim.leader().unwrap()
}

fn log(sim: &Simulation, id: u32) -> Vec<String> {
    let n = &sim.server(id).unwrap().node;
    n.log()
        .entries()
        .iter()
        .map(|e| e.command.to_string())
        .collect()
}

fn submit(sim: &mut Simulation, node: u32, c: Command) -> ClientOutcome {
    sim.apply(Action::Submit { node, command: c })
        .unwrap()
        .unwrap()
}

// ----- clock, queue, network ------------------------------------------------------------

#[test]
fn step_processes_exactly_one_event_in_time_order() {
    let mut s = sim(5, 3);
    let mut last = 0;
    for _ in 0..500 {
        let before = s.stats().events;
        let ev = s.step().expect("timers keep the queue busy");
        assert_eq!(s.stats().events, before + 1);
        assert!(s.now() >= last, "time went back");
        last = s.now();
        if let StepEvent::Delivered { id, .. } = ev {
            assert!(s.message(id).is_none(), "a delivered message left the wire");
        }
    }
}

#[test]
fn advance_to_runs_every_event_up_to_the_time_and_no_further() {
    let mut s = sim(3, 4);
    s.advance_to(400 * MILLIS);
    assert_eq!(s.now(), 400 * MILLIS);
    assert!(s.next_event_time().unwrap() > 400 * MILLIS);
    for m in s.in_flight() {
        assert!(m.deliver_at > 400 * MILLIS || m.lost.is_some_and(|(t, _)| t > 400 * MILLIS));
    }
}

#[test]
fn latencies_stay_in_the_configured_range_and_messages_travel_visibly() {
    let mut s = sim(5, 5);
    let mut seen = 0;
    for _ in 0..2_000 {
        s.step();
        for m in s.in_flight() {
            let latency = m.deliver_at - m.sent_at;
            assert!((10 * MILLIS..=20 * MILLIS).contains(&latency), "{latency}");
            let p = m.progress(s.now());
            assert!((0.0..=1.0).contains(&p));
            seen += 1;
        }
    }
    assert!(seen > 100);
}

#[test]
fn a_partition_drops_messages_at_the_cut_and_says_why() {
    let mut s = sim(5, 6);
    let leader = until_leader(&mut s);
    s.apply(Action::Partition {
        islands: vec![vec![leader]],
    })
    .unwrap();
    s.advance_by(200 * MILLIS);
    let drops: Vec<_> = s.recent_drops().collect();
    assert!(!drops.is_empty());
    for d in &drops {
        assert_eq!(d.reason, DropReason::Partition);
        assert!(d.flight.msg.from == leader || d.flight.msg.to == leader);
        // Lost half-way, where the cut is drawn.
        let mid = d.flight.sent_at + (d.flight.deliver_at - d.flight.sent_at) / 2;
        assert!(d.at <= d.flight.deliver_at && (d.at == mid || d.at == d.flight.deliver_at));
    }
}

#[test]
fn loss_duplication_and_reordering_happen_at_the_configured_rates() {
    let config = SimConfig {
        loss: 0.2,
        duplicate: 0.1,
        reorder: 0.2,
        ..SimConfig::default()
    };
    let mut s = Simulation::new(config, 7).unwrap();
    s.advance_to(20_000 * MILLIS);
    let st = s.stats();
    let lost = s
        .recent_drops()
        .filter(|d| d.reason == DropReason::Loss)
        .count();
    assert!(st.sent > 2_000);
    let rate = st.dropped as f64 / st.sent as f64;
    assert!((0.12..0.3).contains(&rate), "loss rate {rate}");
    assert!(lost > 0);
    assert_eq!(s.violations(), &[]);
}

#[test]
fn a_message_can_be_dropped_by_hand_and_only_while_in_flight() {
    let mut s = sim(3, 8);
    let leader = until_leader(&mut s);
    s.advance_to(s.now() + 1);
    while s.in_flight().next().is_none() {
        s.step();
    }
    let id = s.in_flight().next().unwrap().id;
    s.apply(Action::DropMessage { id }).unwrap();
    assert!(s.message(id).is_none());
    assert_eq!(s.recent_drops().last().unwrap().reason, DropReason::Dropped);
    assert!(s.apply(Action::DropMessage { id }).is_err(), "already gone");
    assert!(s.apply(Action::DropMessage { id: 999_999 }).is_err());
    let _ = leader;
}

#[test]
fn a_message_can_be_delivered_ahead_of_time_once_or_as_a_duplicate() {
    // Messages that would take an hour arrive only when delivered by hand.
    let mut config = SimConfig::with_nodes(3);
    config.latency_min = 3_600_000 * MILLIS;
    config.latency_max = config.latency_min;
    let mut s = Simulation::new(config, 4).unwrap();
    s.apply(Action::Timeout { node: 1 }).unwrap();
    s.advance_by(MILLIS);
    let votes: Vec<u64> = s.in_flight().map(|m| m.id).collect();
    assert_eq!(votes.len(), 2, "two RequestVote in flight");
    // A copy reaches S2; the original goes on travelling.
    s.apply(Action::Deliver {
        id: votes[0],
        keep: true,
    })
    .unwrap();
    assert!(s.message(votes[0]).is_some());
    assert_eq!(s.server(2).unwrap().node.voted_for(), Some(1));
    let reply = s
        .in_flight()
        .find(|m| m.msg.from == 2)
        .map(|m| m.id)
        .unwrap();
    s.apply(Action::Deliver {
        id: reply,
        keep: false,
    })
    .unwrap();
    assert!(s.message(reply).is_none());
    assert_eq!(s.leader(), Some(1));
    // Only a leader has a heartbeat to send; S1's round goes to both followers.
    assert!(s.apply(Action::Heartbeat { node: 2 }).is_err());
    let before = s.in_flight().count();
    s.apply(Action::Heartbeat { node: 1 }).unwrap();
    s.advance_by(MILLIS);
    assert!(s.in_flight().count() >= before + 2);
    assert!(
        s.apply(Action::Deliver {
            id: 999_999,
            keep: false
        })
        .is_err()
    );
}

#[test]
fn impossible_clicks_are_refused_with_a_reason_and_change_nothing() {
    let mut s = sim(3, 9);
    let leader = until_leader(&mut s);
    let hash = s.trace_hash();
    let cases = [
        Action::Restart { node: 1 },
        Action::Crash { node: 4 },
        Action::Timeout { node: leader },
        Action::Partition {
            islands: vec![vec![1, 2], vec![2, 3]],
        },
        Action::Submit {
            node: 0,
            command: Command::Set(1),
        },
        Action::SetNetwork {
            latency_min: 10,
            latency_max: 5,
            loss: 0.0,
            duplicate: 0.0,
            reorder: 0.0,
        },
        Action::SetNetwork {
            latency_min: 1,
            latency_max: 5,
            loss: 1.5,
            duplicate: 0.0,
            reorder: 0.0,
        },
    ];
    for a in cases {
        let err = s.apply(a.clone()).expect_err("must be refused");
        assert!(!err.to_string().is_empty());
        assert_eq!(s.trace_hash(), hash, "{a:?} changed the run");
    }
    assert!(s.actions().is_empty());
    s.apply(Action::Crash { node: 2 }).unwrap();
    assert!(s.apply(Action::Crash { node: 2 }).is_err());
    assert_eq!(
        submit(&mut s, 2, Command::Set(1)),
        ClientOutcome::Down,
        "a stopped server does not answer"
    );
}

// ----- the slides' faults ---------------------------------------------------------------

#[test]
fn the_first_leader_appears_within_two_seconds_and_sends_heartbeats() {
    for seed in 0..20 {
        let mut s = sim(5, seed);
        assert!(
            s.run_until(2_000 * MILLIS, MILLIS, |s| s.leader().is_some()),
            "seed {seed}"
        );
        let leader = s.leader().unwrap();
        s.advance_by(60 * MILLIS);
        let heartbeats = s
            .in_flight()
            .filter(|m| m.msg.from == leader && m.msg.kind() == MessageKind::AppendEntries)
            .count()
            + s.stats().delivered as usize;
        assert!(heartbeats > 0);
        for srv in s.servers() {
            if srv.node.id() != leader {
                assert_eq!(srv.node.leader(), Some(leader), "seed {seed}");
            }
        }
    }
}

#[test]
fn the_leader_dies_and_a_new_leader_is_elected_in_a_higher_term() {
    let mut s = sim(5, 11);
    let old = until_leader(&mut s);
    let old_term = s.server(old).unwrap().node.term();
    s.apply(Action::Crash { node: old }).unwrap();
    assert!(s.run_until(2_000 * MILLIS, MILLIS, |s| s.leader().is_some()));
    let new = s.leader().unwrap();
    assert_ne!(new, old);
    assert!(s.server(new).unwrap().node.term() > old_term);
    // The old leader comes back as a follower of the new term.
    s.apply(Action::Restart { node: old }).unwrap();
    s.advance_by(300 * MILLIS);
    let back = &s.server(old).unwrap().node;
    assert_eq!(back.role(), Role::Follower);
    assert_eq!(back.leader(), Some(new));
    assert_eq!(s.violations(), &[]);
}

#[test]
fn set_1_is_committed_and_applied_everywhere() {
    let mut s = sim(5, 12);
    let leader = until_leader(&mut s);
    assert!(matches!(
        submit(&mut s, leader, Command::Set(1)),
        ClientOutcome::Accepted { index: 1, .. }
    ));
    s.advance_by(150 * MILLIS);
    for srv in s.servers() {
        assert_eq!(srv.node.commit_index(), 1);
        assert_eq!(srv.register.value, 1);
    }
    assert!(
        s.client_requests()[0].committed_at.is_some(),
        "the client got its answer"
    );
}

#[test]
fn a_follower_redirects_the_client_to_the_leader() {
    let mut s = sim(5, 13);
    let leader = until_leader(&mut s);
    s.advance_by(100 * MILLIS);
    let follower = (1..=5).find(|&id| id != leader).unwrap();
    assert_eq!(
        submit(&mut s, follower, Command::Add(2)),
        ClientOutcome::Redirect {
            leader: Some(leader)
        }
    );
}

#[test]
fn a_split_leaves_the_minority_leader_uncommitted_while_the_majority_commits_then_heals() {
    // "Scission !": the leader and one follower on one side, three on the other.
    let mut s = sim(5, 14);
    let old = until_leader(&mut s);
    submit(&mut s, old, Command::Set(1));
    s.advance_by(200 * MILLIS);
    let buddy = (1..=5).find(|&id| id != old).unwrap();
    s.apply(Action::Partition {
        islands: vec![vec![old, buddy]],
    })
    .unwrap();
    submit(&mut s, old, Command::Add(2));
    let old_term = s.server(old).unwrap().node.term();
    // The majority elects a new leader in a higher term.
    let majority_leader = |s: &Simulation| {
        s.leaders()
            .into_iter()
            .find(|&l| l != old && s.server(l).unwrap().node.term() > old_term)
    };
    assert!(s.run_until(3_000 * MILLIS, MILLIS, |s| majority_leader(s).is_some()));
    let new = majority_leader(&s).unwrap();
    assert_eq!(s.leaders().len(), 2, "two leaders, in different terms");
    submit(&mut s, new, Command::Add(3));
    s.advance_by(300 * MILLIS);
    assert_eq!(log(&s, old), ["Set 1", "Add 2"]);
    assert_eq!(
        s.server(old).unwrap().node.commit_index(),
        1,
        "Add 2 stays uncommitted"
    );
    assert_eq!(log(&s, new), ["Set 1", "Add 3"]);
    assert_eq!(
        s.server(new).unwrap().node.commit_index(),
        2,
        "Add 3 is committed"
    );
    // "Réunion !": the old leader steps down and every log becomes [Set 1, Add 3].
    s.apply(Action::Heal).unwrap();
    s.advance_by(500 * MILLIS);
    assert_eq!(s.server(old).unwrap().node.role(), Role::Follower);
    for id in 1..=5 {
        assert_eq!(log(&s, id), ["Set 1", "Add 3"], "S{id}");
        assert_eq!(s.server(id).unwrap().node.commit_index(), 2);
        assert_eq!(s.server(id).unwrap().register.value, 4, "1 + 3");
    }
    assert_eq!(s.violations(), &[]);
}

#[test]
fn two_simultaneous_candidates_split_the_vote_and_one_leader_emerges() {
    // Four followers timing out together, the fifth stopped: two against two at best.
    let mut split_seen = false;
    for seed in 0..30 {
        let mut s = sim(5, 100 + seed);
        let leader = until_leader(&mut s);
        s.apply(Action::Crash { node: leader }).unwrap();
        // Let its last heartbeats land first: each one would redraw a timer.
        s.advance_by(25 * MILLIS);
        s.apply(Action::AlignTimers { nodes: vec![] }).unwrap();
        let term = s.servers().iter().map(|x| x.node.term()).max().unwrap();
        // Right after the aligned timeout, several candidates share the next term.
        let deadline = s
            .servers()
            .iter()
            .filter(|x| x.alive)
            .filter_map(|x| x.node.election_deadline())
            .min()
            .unwrap();
        s.advance_to(deadline);
        let candidates = s
            .servers()
            .iter()
            .filter(|x| x.alive && x.node.role() == Role::Candidate && x.node.term() == term + 1)
            .count();
        assert!(
            candidates >= 2,
            "aligned timers make several candidates (seed {seed})"
        );
        s.advance_by(100 * MILLIS);
        if s.leader().is_none() {
            split_seen = true;
        }
        assert!(s.run_until(3_000 * MILLIS, MILLIS, |s| s.leader().is_some()));
        let l = s.leader().unwrap();
        let t = s.server(l).unwrap().node.term();
        assert_eq!(s.leaders(), vec![l], "one leader");
        assert!(t > term);
        assert_eq!(s.violations(), &[]);
    }
    assert!(split_seen, "some aligned elections end in a split vote");
}

#[test]
fn spreading_timers_gives_a_clean_election() {
    for seed in 0..20 {
        let mut s = sim(5, 200 + seed);
        let leader = until_leader(&mut s);
        let term = s.server(leader).unwrap().node.term();
        s.apply(Action::Crash { node: leader }).unwrap();
        s.advance_by(25 * MILLIS);
        s.apply(Action::SpreadTimers { nodes: vec![] }).unwrap();
        assert!(s.run_until(400 * MILLIS, MILLIS, |s| s.leader().is_some()));
        let l = s.leader().unwrap();
        assert_eq!(
            s.server(l).unwrap().node.term(),
            term + 1,
            "won at the first try"
        );
    }
}

#[test]
fn forcing_a_timeout_makes_that_server_stand_now() {
    let mut s = sim(5, 15);
    let leader = until_leader(&mut s);
    let other = (1..=5).find(|&id| id != leader).unwrap();
    s.apply(Action::Timeout { node: other }).unwrap();
    s.step();
    assert_eq!(s.server(other).unwrap().node.role(), Role::Candidate);
}
