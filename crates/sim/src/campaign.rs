//! Randomized fault campaigns: crashes and restarts, partitions and heals, cut links,
//! loss, duplication, reordering, forced timeouts and client commands, with the safety
//! checker watching every event; then a liveness check once the faults stop.

use crate::sim::{Action, ClientOutcome};
use crate::{Command, MILLIS, NodeId, SimConfig, Simulation, Time, Trace, Violation};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg32;

/// How long after the faults stop a leader must exist and every acknowledged command
/// must be applied on every server.
pub const LIVENESS_BOUND: Time = 10_000 * MILLIS;

/// The outcome of one seed.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The seed.
    pub seed: u64,
    /// Events processed (fault phase and liveness phase).
    pub events: u64,
    /// Safety violations.
    pub violations: Vec<Violation>,
    /// `Err` with an explanation if the cluster did not recover in time.
    pub liveness: Result<(), String>,
    /// Commands acknowledged to clients.
    pub acknowledged: usize,
    /// The run, for replaying it.
    pub trace: Trace,
}

impl Outcome {
    /// True if safe and live.
    pub fn ok(&self) -> bool {
        self.violations.is_empty() && self.liveness.is_ok()
    }
}

/// Runs one campaign of about `events` events on `nodes` servers.
pub fn run(seed: u64, nodes: usize, events: u64) -> Result<Outcome, crate::ConfigError> {
    run_with(seed, &SimConfig::with_nodes(nodes), events)
}

/// Runs one campaign of about `events` events on the cluster of `base` (its servers
/// and Raft options; the network's faults are drawn from the seed).
pub fn run_with(seed: u64, base: &SimConfig, events: u64) -> Result<Outcome, crate::ConfigError> {
    let mut rng = Pcg32::seed_from_u64(seed ^ 0x5eed_cafe_f00d_d00d);
    let nodes = base.nodes;
    let config = SimConfig {
        loss: [0.0, 0.01, 0.05, 0.2][rng.random_range(0..4usize)],
        duplicate: [0.0, 0.02, 0.1][rng.random_range(0..3usize)],
        reorder: [0.0, 0.05, 0.2][rng.random_range(0..3usize)],
        ..base.clone()
    };
    let mut sim = Simulation::new(config.clone(), seed)?;
    let n = nodes as NodeId;
    let mut next_value = 1;
    while sim.stats().events < events {
        let pause = rng.random_range(5..400) * MILLIS;
        sim.advance_by(pause);
        let action = random_action(&mut rng, &sim, n, &mut next_value);
        // Impossible actions (say, restarting a running server) are simply refused.
        let _ = sim.apply(action);
    }

    // Faults stop: heal, restart everyone, clean network.
    let _ = sim.apply(Action::Heal);
    for id in 1..=n {
        let _ = sim.apply(Action::Restart { node: id });
    }
    let _ = sim.apply(Action::SetNetwork {
        latency_min: config.latency_min,
        latency_max: config.latency_max,
        loss: 0.0,
        duplicate: 0.0,
        reorder: 0.0,
    });
    let liveness = check_liveness(&mut sim);
    let acknowledged = sim
        .client_requests()
        .iter()
        .filter(|r| r.committed_at.is_some())
        .count();
    Ok(Outcome {
        seed,
        events: sim.stats().events,
        violations: sim.violations().to_vec(),
        liveness,
        acknowledged,
        trace: Trace::of(&sim),
    })
}

fn random_action(rng: &mut Pcg32, sim: &Simulation, n: NodeId, next: &mut i64) -> Action {
    let node = rng.random_range(1..=n);
    match rng.random_range(0..100u32) {
        0..=34 => {
            // Clients mostly find the leader, sometimes ask someone else.
            let target = match sim.leader() {
                Some(l) if rng.random_bool(0.8) => l,
                _ => node,
            };
            *next += 1;
            let command = if rng.random_bool(0.3) {
                Command::Set(*next)
            } else {
                Command::Add(*next)
            };
            Action::Submit {
                node: target,
                command,
            }
        }
        35..=46 => match sim.leader() {
            Some(l) if rng.random_bool(0.6) => Action::Crash { node: l },
            _ => Action::Crash { node },
        },
        47..=60 => {
            let down = sim.stopped();
            match down.len() {
                0 => Action::Timeout { node },
                k => Action::Restart {
                    node: down[rng.random_range(0..k)],
                },
            }
        }
        61..=70 => {
            let mut island: Vec<NodeId> = (1..=n).filter(|_| rng.random_bool(0.5)).collect();
            island.sort_unstable();
            Action::Partition {
                islands: vec![island],
            }
        }
        71..=80 => Action::Heal,
        81..=85 => Action::CutLink {
            from: node,
            to: rng.random_range(1..=n),
            one_way: rng.random_bool(0.5),
        },
        86..=90 => Action::Timeout { node },
        91..=93 => Action::AlignTimers { nodes: vec![] },
        94..=95 => Action::SpreadTimers { nodes: vec![] },
        _ => {
            let ids: Vec<u64> = sim.in_flight().map(|m| m.id).collect();
            if ids.is_empty() {
                Action::Heal
            } else {
                Action::DropMessage {
                    id: ids[rng.random_range(0..ids.len())],
                }
            }
        }
    }
}

/// After the faults: within [`LIVENESS_BOUND`], a leader is elected and every
/// acknowledged command is applied on every server. Clients keep the leader busy with
/// `Add 0` (changing nothing) so that it commits an entry of its own term.
fn check_liveness(sim: &mut Simulation) -> Result<(), String> {
    let start = sim.now();
    let deadline = start + LIVENESS_BOUND;
    while sim.now() < deadline {
        sim.advance_by(100 * MILLIS);
        let Some(leader) = sim.leader() else {
            continue;
        };
        if all_acknowledged_applied(sim) {
            return Ok(());
        }
        let term = sim.server(leader).map_or(0, |s| s.node.term());
        let pending = sim.client_requests().iter().any(|r| {
            r.node == leader
                && r.committed_at.is_none()
                && matches!(r.outcome, ClientOutcome::Accepted { term: t, .. } if t == term)
        });
        if !pending {
            let _ = sim.apply(Action::Submit {
                node: leader,
                command: Command::Add(0),
            });
        }
    }
    let leader = sim.leader();
    Err(match leader {
        None => format!(
            "no leader {} ms after the faults stopped",
            LIVENESS_BOUND / MILLIS
        ),
        Some(l) => format!(
            "S{l} leads, but acknowledged commands are still not applied everywhere {} ms after the faults stopped",
            LIVENESS_BOUND / MILLIS
        ),
    })
}

fn all_acknowledged_applied(sim: &Simulation) -> bool {
    let acked: Vec<(u64, u64)> = sim
        .client_requests()
        .iter()
        .filter(|r| r.committed_at.is_some())
        .filter_map(|r| match r.outcome {
            ClientOutcome::Accepted { index, term } => Some((index, term)),
            _ => None,
        })
        .collect();
    sim.servers().iter().filter(|s| s.alive).all(|s| {
        acked.iter().all(|&(index, term)| {
            s.register.applied >= index && s.node.log().term_at(index) == Some(term)
        })
    })
}
