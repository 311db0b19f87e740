//! `raft-sim`: the simulator without a browser. Safety campaigns, the paper's
//! Figure 16 election experiment, and scripted scenarios.

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use raft_sim::election::{self, Experiment};
use raft_sim::{MILLIS, Time, campaign, scenario};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "raft-sim",
    version,
    about = "A deterministic Raft cluster simulator"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Randomized fault campaigns with the safety checker on every event, then a
    /// liveness check once the faults stop.
    Check {
        /// Number of seeds to run.
        #[arg(long, default_value_t = 100)]
        seeds: u64,
        /// Events per seed (fault phase).
        #[arg(long, default_value_t = 10_000)]
        events: u64,
        /// Servers per cluster.
        #[arg(long, default_value_t = 5, value_parser = nodes)]
        nodes: u8,
        /// First seed.
        #[arg(long, default_value_t = 1)]
        first_seed: u64,
        /// Write the trace of the first failing seed to this file.
        #[arg(long)]
        save_failure: Option<std::path::PathBuf>,
    },
    /// The Raft paper's Figure 16: time to elect a new leader after the leader crashes.
    Election {
        /// Trials per timeout range.
        #[arg(long, default_value_t = 1000)]
        trials: u64,
        /// Election timeout range in ms, `MIN-MAX` (repeatable; default: the paper's
        /// six ranges of its top graph).
        #[arg(long = "timeout", value_parser = parse_range)]
        timeouts: Vec<(u64, u64)>,
        /// One-way network latency range in ms.
        #[arg(long, default_value = "5-10", value_parser = parse_range)]
        latency: (u64, u64),
        /// First seed.
        #[arg(long, default_value_t = 1)]
        first_seed: u64,
        /// Print the cumulative distribution as CSV (range,ms,fraction).
        #[arg(long)]
        csv: bool,
    },
    /// Print the trace hash of one campaign run (to compare targets).
    Hash {
        /// The seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Events in the fault phase.
        #[arg(long, default_value_t = 3_000)]
        events: u64,
        /// Servers.
        #[arg(long, default_value_t = 5, value_parser = nodes)]
        nodes: u8,
    },
    /// Run a named scenario or tour scene and print each server's log and value.
    Scenario {
        /// The scenario's or tour scene's name (`list` to list them).
        name: String,
    },
}

/// A number of servers, from 1 to [`raft_sim::MAX_NODES`].
fn nodes(s: &str) -> Result<u8, String> {
    match s.parse::<u8>() {
        Ok(n) if (1..=raft_sim::MAX_NODES as u8).contains(&n) => Ok(n),
        _ => Err(format!(
            "a number of servers from 1 to {}",
            raft_sim::MAX_NODES
        )),
    }
}

fn parse_range(s: &str) -> Result<(u64, u64), String> {
    let bad = || format!("expected MIN-MAX in ms, such as 150-300, not {s:?}");
    let (a, b) = s.split_once('-').ok_or_else(bad)?;
    let a: u64 = a.trim().parse().map_err(|_| bad())?;
    let b: u64 = b.trim().parse().map_err(|_| bad())?;
    if a == 0 || a > b || b > 3_600_000 {
        return Err(format!("need 0 < MIN <= MAX <= 3600000, got {a}-{b}"));
    }
    Ok((a, b))
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template(&format!(
        "{{spinner}} {what} {{bar:30}} {{pos}}/{{len}} ({{elapsed}}, eta {{eta}})"
    ))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

fn ms(t: Time) -> String {
    if t == Time::MAX {
        ">cap".into()
    } else {
        format!("{:.1}", t as f64 / MILLIS as f64)
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Cmd::Check {
            seeds,
            events,
            nodes,
            first_seed,
            save_failure,
        } => check(seeds, events, nodes as usize, first_seed, save_failure),
        Cmd::Election {
            trials,
            timeouts,
            latency,
            first_seed,
            csv,
        } => run_election(trials, timeouts, latency, first_seed, csv),
        Cmd::Scenario { name } => run_scenario(&name),
        Cmd::Hash {
            seed,
            events,
            nodes,
        } => match campaign::run(seed, nodes as usize, events) {
            Ok(o) => {
                println!("{}", o.trace.hash.unwrap_or_default());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}

fn check(
    seeds: u64,
    events: u64,
    nodes: usize,
    first: u64,
    save: Option<std::path::PathBuf>,
) -> ExitCode {
    let progress = bar(seeds, "seeds");
    let (mut total_events, mut violations, mut failures) = (0u64, 0usize, Vec::new());
    for seed in first..first.saturating_add(seeds) {
        let outcome = match campaign::run(seed, nodes, events) {
            Ok(o) => o,
            Err(e) => {
                progress.finish_and_clear();
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        total_events += outcome.events;
        violations += outcome.violations.len();
        if !outcome.ok() {
            progress.suspend(|| {
                eprintln!("seed {seed} FAILED");
                for v in outcome.violations.iter().take(5) {
                    eprintln!("  {v}");
                }
                if let Err(e) = &outcome.liveness {
                    eprintln!("  liveness: {e}");
                }
                eprintln!(
                    "  reproduce: raft-sim check --seeds 1 --first-seed {seed} --events {events} --nodes {nodes}"
                );
            });
            if failures.is_empty()
                && let Some(path) = &save
                && let Err(e) = std::fs::write(path, outcome.trace.to_json())
            {
                eprintln!("  could not write {}: {e}", path.display());
            }
            failures.push(seed);
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    println!("checked {seeds} seeds, {total_events} events, {violations} violations");
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        let live = failures.len();
        eprintln!("{live} seed(s) failed: {failures:?}");
        ExitCode::FAILURE
    }
}

fn run_election(
    trials: u64,
    timeouts: Vec<(u64, u64)>,
    latency: (u64, u64),
    first: u64,
    csv: bool,
) -> ExitCode {
    if trials == 0 {
        eprintln!("error: --trials must be at least 1");
        return ExitCode::from(2);
    }
    let ranges = if timeouts.is_empty() {
        election::PAPER_RANGES.to_vec()
    } else {
        timeouts
    };
    let progress = bar(trials * ranges.len() as u64, "trials");
    let mut rows = Vec::new();
    for &(lo, hi) in &ranges {
        let exp = Experiment {
            latency_min: latency.0 * MILLIS,
            latency_max: latency.1 * MILLIS,
            ..Experiment::paper(lo, hi)
        };
        let results = match exp.run(trials, first, |_| progress.inc(1)) {
            Ok(r) => r,
            Err(e) => {
                progress.finish_and_clear();
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        rows.push(((lo, hi), results));
    }
    progress.finish_and_clear();
    if csv {
        println!("timeout_ms,downtime_ms,cumulative_fraction");
        for ((lo, hi), results) in &rows {
            for (t, f) in election::cdf(results) {
                println!("{lo}-{hi},{},{f:.4}", ms(t));
            }
        }
        return ExitCode::SUCCESS;
    }
    println!(
        "Figure 16: time to elect a new leader after a crash (5 servers, latency {}-{} ms, heartbeat = min timeout / 2, {trials} trials each)",
        latency.0, latency.1
    );
    println!(
        "{:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>11}",
        "timeout", "min", "median", "mean", "p90", "p99", "max", "over 10 s"
    );
    for ((lo, hi), results) in &rows {
        let s = election::summarize(results);
        println!(
            "{:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>11}",
            format!("{lo}-{hi}"),
            ms(s.min),
            ms(s.median),
            ms(s.mean),
            ms(s.p90),
            ms(s.p99),
            ms(s.max),
            s.unfinished
        );
    }
    println!("(times in ms; unfinished trials count as slowest in the percentiles)");
    ExitCode::SUCCESS
}

fn print_cluster(sim: &raft_sim::Simulation) {
    for s in sim.servers() {
        let n = &s.node;
        let log: Vec<String> = n
            .log()
            .entries()
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let mark = if (i as u64) < n.commit_index() {
                    ""
                } else {
                    "*"
                };
                format!("{}:{}@t{}{mark}", i + 1, e.command, e.term)
            })
            .collect();
        println!(
            "S{} {:<9} term {:>2}  value {:>4}  log [{}]{}",
            n.id(),
            if s.alive { n.role().name() } else { "down" },
            n.term(),
            s.register.value,
            log.join(", "),
            if log.iter().any(|l| l.ends_with('*')) {
                "  (* uncommitted)"
            } else {
                ""
            }
        );
    }
}

fn run_scenario(name: &str) -> ExitCode {
    let (all, tour) = match (scenario::builtin(), raft_sim::tour::Tour::slides()) {
        (Ok(all), Ok(tour)) => (all, tour),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if name == "list" {
        for s in &all {
            println!("{}", s.name);
        }
        for s in &tour.scenes {
            println!("{} (tour scene)", s.id);
        }
        return ExitCode::SUCCESS;
    }
    if let Some(k) = tour.index_of(name) {
        return match tour.play_through(k) {
            Ok((sim, _)) => {
                println!(
                    "tour scene {name} (seed {}): checkpoint reached at t={} ms",
                    tour.seed,
                    sim.now() / MILLIS
                );
                print_cluster(&sim);
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("tour failed at {e}");
                ExitCode::FAILURE
            }
        };
    }
    let mut names: Vec<String> = all.iter().map(|s| s.name.clone()).collect();
    let Some(sc) = all.into_iter().find(|s| s.name == name) else {
        names.extend(tour.scenes.iter().map(|s| s.id.clone()));
        eprintln!(
            "error: no scenario named {name:?}; known: {}",
            names.join(", ")
        );
        return ExitCode::from(2);
    };
    match sc.run() {
        Ok(sim) => {
            println!(
                "scenario {} (seed {}): ok at t={} ms",
                sc.name,
                sc.seed,
                sim.now() / MILLIS
            );
            print_cluster(&sim);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("scenario {} failed at {e}", sc.name);
            ExitCode::FAILURE
        }
    }
}
