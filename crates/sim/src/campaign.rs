//! Randomized fault campaigns: crashes and restarts, partitions and heals, cut links,
//! loss, duplication, reordering, forced timeouts and client commands (and, in the
//! full campaign, client reads and leadership transfers), with the safety checker
//! watching every event; then a liveness check once the faults stop.

use crate::sim::{Action, ClientOutcome, ReadState};
use crate::{Command, MILLIS, NodeId, SimConfig, Simulation, Time, Trace, Violation};
use raft_core::Role;
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
    /// Reads answered.
    pub reads: usize,
    /// Snapshots taken, and InstallSnapshot messages delivered (with compaction on).
    pub snapshots: (u64, u64),
    /// Servers added, and removed (with membership changes on).
    pub changes: (u64, u64),
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
    run_campaign(seed, base, events, false, false)
}

/// As [`run_with`], with clients also reading the register and leaders asked to hand
/// over now and then: what `raft-sim check` runs for every combination of options.
pub fn run_full(seed: u64, base: &SimConfig, events: u64) -> Result<Outcome, crate::ConfigError> {
    run_campaign(seed, base, events, true, false)
}

/// As [`run_full`], with leaders also asked now and then to add a server (up to 7)
/// or to remove one (§6): membership changes under every fault.
#[cfg(feature = "membership")]
pub fn run_changing(
    seed: u64,
    base: &SimConfig,
    events: u64,
) -> Result<Outcome, crate::ConfigError> {
    run_campaign(seed, base, events, true, true)
}

fn run_campaign(
    seed: u64,
    base: &SimConfig,
    events: u64,
    full: bool,
    changing: bool,
) -> Result<Outcome, crate::ConfigError> {
    let mut rng = Pcg32::seed_from_u64(seed ^ 0x5eed_cafe_f00d_d00d);
    let config = SimConfig {
        loss: [0.0, 0.01, 0.05, 0.2][rng.random_range(0..4usize)],
        duplicate: [0.0, 0.02, 0.1][rng.random_range(0..3usize)],
        reorder: [0.0, 0.05, 0.2][rng.random_range(0..3usize)],
        ..base.clone()
    };
    let mut sim = Simulation::new(config.clone(), seed)?;
    let mut next_value = 1;
    while sim.stats().events < events {
        let pause = rng.random_range(5..400) * MILLIS;
        sim.advance_by(pause);
        // Servers may have joined.
        let n = sim.servers().len() as NodeId;
        let change = changing && rng.random_range(0..20u32) == 0;
        let action = match full.then(|| read_or_transfer(&mut rng, &sim, n)) {
            _ if change => change_membership(&mut rng, &sim),
            Some(Some(action)) => Some(action),
            _ => None,
        };
        let action = match action {
            Some(action) => action,
            None => random_action(&mut rng, &sim, n, &mut next_value),
        };
        // Impossible actions (say, restarting a running server) are simply refused.
        let _ = sim.apply(action);
    }

    // Faults stop: heal, restart everyone, clean network.
    let _ = sim.apply(Action::Heal);
    for id in 1..=sim.servers().len() as NodeId {
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
    let reads = sim
        .reads()
        .iter()
        .filter(|r| matches!(r.state, ReadState::Answered { .. }))
        .count();
    Ok(Outcome {
        seed,
        events: sim.stats().events,
        violations: sim.violations().to_vec(),
        liveness,
        acknowledged,
        reads,
        #[cfg(feature = "compaction")]
        snapshots: (sim.stats().compactions, sim.stats().installs),
        #[cfg(not(feature = "compaction"))]
        snapshots: (0, 0),
        #[cfg(feature = "membership")]
        changes: sim.stats().changes,
        #[cfg(not(feature = "membership"))]
        changes: (0, 0),
        trace: Trace::of(&sim),
    })
}

/// One time in five, a client read (mostly at whoever leads, stale leaders
/// included) or, more rarely, a leader asked to hand over.
fn read_or_transfer(rng: &mut Pcg32, sim: &Simulation, n: NodeId) -> Option<Action> {
    let roll = rng.random_range(0..100u32);
    let node = rng.random_range(1..=n);
    let leading: Vec<NodeId> = sim
        .servers()
        .iter()
        .filter(|s| s.alive && s.node.role() == Role::Leader)
        .map(|s| s.node.id())
        .collect();
    let pick = |rng: &mut Pcg32| match leading.len() {
        0 => node,
        k => leading[rng.random_range(0..k)],
    };
    match roll {
        0..=16 => {
            let at = if rng.random_bool(0.8) {
                pick(rng)
            } else {
                node
            };
            Some(Action::Read { node: at })
        }
        17..=19 => Some(Action::Transfer {
            node: pick(rng),
            to: node,
        }),
        _ => None,
    }
}

/// A leader asked to add a server (up to 7) or to remove one of its voters.
#[cfg(feature = "membership")]
fn change_membership(rng: &mut Pcg32, sim: &Simulation) -> Option<Action> {
    let leader = sim.leader()?;
    let voters = sim.server(leader)?.node.configuration().voters.clone();
    if sim.servers().len() < 7 && rng.random_bool(0.5) {
        Some(Action::AddServer { node: leader })
    } else {
        let server = voters[rng.random_range(0..voters.len())];
        Some(Action::RemoveServer {
            node: leader,
            server,
        })
    }
}

#[cfg(not(feature = "membership"))]
fn change_membership(_: &mut Pcg32, _: &Simulation) -> Option<Action> {
    None
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
    // With membership changes, only the leader's members must have them: a removed
    // server stops hearing from the cluster.
    #[cfg(feature = "membership")]
    let member = |s: &&crate::Server| {
        sim.leader()
            .and_then(|l| sim.server(l))
            .is_none_or(|l| l.node.configuration().contains(s.node.id()))
    };
    #[cfg(not(feature = "membership"))]
    let member = |_: &&crate::Server| true;
    sim.servers()
        .iter()
        .filter(|s| s.alive)
        .filter(member)
        .all(|s| {
            acked.iter().all(|&(index, term)| {
                // An entry a snapshot replaced is committed (the checker checks the
                // snapshot against it).
                let log = s.node.log();
                s.register.applied >= index
                    && (index <= log.snapshot_index() || log.term_at(index) == Some(term))
            })
        })
}

/// Every combination of the Raft options: flow control, the no-op, PreVote and
/// CheckQuorum on or off, and each read mode (48 in all), the rest as `base`.
pub fn combinations(base: &raft_core::Config) -> Vec<raft_core::Config> {
    use raft_core::ReadMode;
    let mut out = Vec::new();
    for bits in 0..16u8 {
        for read_mode in [ReadMode::ReadIndex, ReadMode::Lease, ReadMode::Naive] {
            out.push(raft_core::Config {
                flow_control: bits & 1 != 0,
                no_op: bits & 2 != 0,
                pre_vote: bits & 4 != 0,
                check_quorum: bits & 8 != 0,
                read_mode,
                ..base.clone()
            });
        }
    }
    out
}

/// The options of `c` in a few words: `flow+noop+prevote+checkquorum, lease reads`;
/// `figure2` when none of the first four is on.
pub fn describe(c: &raft_core::Config) -> String {
    let on: Vec<&str> = [
        (c.flow_control, "flow"),
        (c.no_op, "noop"),
        (c.pre_vote, "prevote"),
        (c.check_quorum, "checkquorum"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    let mode = match c.read_mode {
        raft_core::ReadMode::ReadIndex => "read-index",
        raft_core::ReadMode::Lease => "lease",
        raft_core::ReadMode::Naive => "naive",
    };
    let options = if on.is_empty() {
        "figure2".to_string()
    } else {
        on.join("+")
    };
    format!("{options}, {mode} reads")
}

/// The words [`parse_options`] reads back as `c`'s options.
pub fn option_words(c: &raft_core::Config) -> String {
    let mut words = vec!["figure2"];
    for (on, name) in [
        (c.flow_control, "flow"),
        (c.no_op, "noop"),
        (c.pre_vote, "prevote"),
        (c.check_quorum, "checkquorum"),
    ] {
        if on {
            words.push(name);
        }
    }
    words.push(match c.read_mode {
        raft_core::ReadMode::ReadIndex => "read=read-index",
        raft_core::ReadMode::Lease => "read=lease",
        raft_core::ReadMode::Naive => "read=naive",
    });
    words.join(",")
}

/// Reads a list of options, as `raft-sim check --options` takes it: `all` (every
/// combination), `default`, or words joined by commas among `figure2` (every option
/// off), `flow`, `noop`, `prevote`, `checkquorum` and `read=read-index|lease|naive`.
/// With the `membership` feature also `membership=joint|single`, and with `deviations`
/// `bug=NAME` (a rule switched off).
pub fn parse_options(s: &str, base: &raft_core::Config) -> Result<Vec<raft_core::Config>, String> {
    use raft_core::ReadMode;
    match s.trim() {
        "all" => return Ok(combinations(base)),
        "default" => return Ok(vec![base.clone()]),
        _ => {}
    }
    let mut c = base.clone();
    for word in s.split(',').map(str::trim) {
        match word {
            "figure2" => {
                c.flow_control = false;
                c.no_op = false;
                c.pre_vote = false;
                c.check_quorum = false;
            }
            "flow" => c.flow_control = true,
            "noop" => c.no_op = true,
            "prevote" => c.pre_vote = true,
            "checkquorum" => c.check_quorum = true,
            "read=read-index" => c.read_mode = ReadMode::ReadIndex,
            "read=lease" => c.read_mode = ReadMode::Lease,
            "read=naive" => c.read_mode = ReadMode::Naive,
            #[cfg(feature = "membership")]
            "membership=joint" => c.membership = raft_core::MembershipMode::Joint,
            #[cfg(feature = "membership")]
            "membership=single" => c.membership = raft_core::MembershipMode::SingleServer,
            #[cfg(feature = "deviations")]
            bug if bug.starts_with("bug=") => {
                let name = &bug["bug=".len()..];
                let d = raft_core::Deviation::from_name(name)
                    .ok_or_else(|| format!("unknown rule \"{name}\" in \"{bug}\""))?;
                if !c.deviations.contains(&d) {
                    c.deviations.push(d);
                }
            }
            other => {
                return Err(format!(
                    "unknown option \"{other}\": use all, default, or a comma-separated list of figure2, flow, noop, prevote, checkquorum, read=read-index|lease|naive"
                ));
            }
        }
    }
    Ok(vec![c])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_combination_once() {
        let all = combinations(&raft_core::Config::default());
        assert_eq!(all.len(), 48);
        let names: std::collections::BTreeSet<String> = all.iter().map(describe).collect();
        assert_eq!(names.len(), 48);
        assert!(names.contains("figure2, naive reads"));
        assert!(names.contains("flow+noop+prevote+checkquorum, lease reads"));
    }

    #[test]
    fn options_read_from_words() {
        let base = raft_core::Config::default();
        let c = &parse_options("figure2, prevote, read=lease", &base).unwrap()[0];
        assert_eq!(describe(c), "prevote, lease reads");
        assert_eq!(parse_options("all", &base).unwrap().len(), 48);
        assert!(
            parse_options("prevote,fast", &base)
                .unwrap_err()
                .contains("\"fast\"")
        );
        for c in combinations(&base) {
            assert_eq!(parse_options(&option_words(&c), &base).unwrap(), [c]);
        }
    }
}
