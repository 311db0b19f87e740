//! `raft-sim`: the simulator without a browser. Safety campaigns, the paper's
//! Figure 16 election experiment, scripted scenarios and puzzles.

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use raft_sim::election::{self, Experiment};
use raft_sim::raft_core::{Deviation, MembershipMode, ReadMode};
use raft_sim::{MILLIS, Property, SimConfig, Time, campaign, scenario};
use std::process::ExitCode;

mod chart;
mod explore;
mod puzzle;
mod quiz;
mod replay;

// The search allocates and frees millions of small states a second.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// liveness check once the faults stop; by default over every combination of the
    /// Raft options, with clients reading and leaders handing over.
    Check {
        /// Number of seeds to run (per combination of options).
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
        /// `all` (every combination of options, 48), `default` (today's defaults, no
        /// reads nor transfers: the campaign of earlier versions), or a comma-separated
        /// list among figure2, flow, noop, prevote, checkquorum,
        /// read=read-index|lease|naive.
        #[arg(long, default_value = "all")]
        options: String,
        /// How much the servers' clock rates differ, in millionths (default: the
        /// drift bound leases assume, 10000, except with `--options default`, 0).
        #[arg(long, value_parser = drift)]
        drift: Option<u32>,
        /// Log compaction (§7): each server takes a snapshot whenever its log holds
        /// more than this many entries after the last one (default: never).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        snapshot_threshold: Option<u32>,
        /// Membership changes (§6): leaders are asked now and then to add a server (up
        /// to 7) or to remove one, by joint consensus (`joint`) or one server at a time
        /// (`single`). Default: the membership never changes.
        #[arg(long, value_parser = membership_mode)]
        membership: Option<MembershipMode>,
        /// Switch off one rule of Raft (a named deviation, see `raft-sim explore --bug
        /// list`, or change-before-commit-in-term): the campaigns then look for the
        /// violations it causes.
        #[arg(long, value_parser = deviation)]
        deviation: Option<Deviation>,
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
        /// Servers ask with PreVote before standing (dissertation §9.6).
        #[arg(long)]
        prevote: bool,
        /// Also draw the cumulative distribution as the paper's Figure 16, in this SVG
        /// file (the paper's reported points marked).
        #[arg(long)]
        svg: Option<std::path::PathBuf>,
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
    /// Exhaustive search of a small cluster: every order of deliveries, duplicates,
    /// losses, timeouts and crashes within the bounds, the safety checker on every
    /// state. With `--bug`, the shortest run to a violation, replayed in the
    /// simulator and written as a trace.
    Explore {
        /// A deviation from Raft to switch on, or naive-read (`list` lists them);
        /// without it, the paper's Raft is checked.
        #[arg(long)]
        bug: Option<String>,
        /// Servers in the cluster (2 to 5).
        #[arg(long)]
        servers: Option<usize>,
        /// No server stands for election beyond this term.
        #[arg(long)]
        max_term: Option<u64>,
        /// A leader takes no command once its log holds this many entries.
        #[arg(long)]
        max_log: Option<usize>,
        /// Client commands in the whole run.
        #[arg(long)]
        commands: Option<u8>,
        /// Crashes, each followed at once by a restart.
        #[arg(long)]
        restarts: Option<u8>,
        /// Messages delivered twice.
        #[arg(long)]
        duplicates: Option<u8>,
        /// Messages in flight on one link; one sent over a full link is lost.
        #[arg(long)]
        link_capacity: Option<usize>,
        /// Raft options, as `check` takes them, among those that do not depend on
        /// time: figure2 (no flow control), flow, noop.
        #[arg(long)]
        options: Option<String>,
        /// Client reads at the leader (answered naively only with --bug naive-read;
        /// ReadIndex and leases need clocks the model leaves out).
        #[arg(long)]
        reads: Option<u8>,
        /// Search threads (default: 1 with --bug, so that the run found is a shortest
        /// one; all cores otherwise).
        #[arg(long)]
        threads: Option<usize>,
        /// Where to write the counterexample's trace (default: NAME.json).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// "Reach this state" puzzles: list them, show one, judge a run against one, play
    /// a stored solution, or make a puzzle of a run.
    Puzzle {
        #[command(subcommand)]
        command: puzzle::PuzzleCmd,
    },
    /// Replays a saved run (a file the page exported, a counterexample): prints its
    /// actions, the cluster at its end and every violation the checker saw.
    Replay {
        /// The run (a trace file).
        run: std::path::PathBuf,
    },
    /// The tour's questions, each with the answer the simulation computes at its point.
    Quiz {
        /// The language of the texts (en or fr).
        #[arg(long, default_value = "en")]
        lang: String,
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

/// A clock drift in millionths, at most [`raft_sim::MAX_DRIFT_PPM`].
fn deviation(s: &str) -> Result<Deviation, String> {
    Deviation::from_name(s).ok_or_else(|| format!("`{s}`: see `raft-sim explore --bug list`"))
}

fn membership_mode(s: &str) -> Result<MembershipMode, String> {
    match s {
        "joint" => Ok(MembershipMode::Joint),
        "single" => Ok(MembershipMode::SingleServer),
        _ => Err(format!("`{s}`: joint or single")),
    }
}

fn drift(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(d) if d <= raft_sim::MAX_DRIFT_PPM => Ok(d),
        _ => Err(format!(
            "a drift in millionths from 0 to {}",
            raft_sim::MAX_DRIFT_PPM
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
            options,
            drift,
            snapshot_threshold,
            membership,
            deviation,
        } => {
            let run = Campaigns {
                seeds,
                events,
                nodes: nodes as usize,
                first: first_seed,
                save: save_failure,
                snapshot_threshold: snapshot_threshold.map(|t| t as usize),
                membership,
                deviation,
                exercised: std::cell::Cell::new(Exercised::default()),
            };
            if options.trim() == "default" {
                run.check(drift)
            } else {
                match campaign::parse_options(&options, &raft_sim::raft_core::Config::default()) {
                    Ok(configs) => run.check_options(&configs, drift),
                    Err(e) => {
                        eprintln!("error: {e}");
                        ExitCode::from(2)
                    }
                }
            }
        }
        Cmd::Election {
            trials,
            timeouts,
            latency,
            first_seed,
            csv,
            prevote,
            svg,
        } => run_election(trials, timeouts, latency, first_seed, csv, prevote, svg),
        Cmd::Scenario { name } => run_scenario(&name),
        Cmd::Puzzle { command } => puzzle::run(command),
        Cmd::Quiz { lang } => quiz::run(&lang),
        Cmd::Replay { run } => replay::run(&run),
        Cmd::Explore {
            bug,
            servers,
            max_term,
            max_log,
            commands,
            restarts,
            duplicates,
            link_capacity,
            reads,
            options,
            threads,
            out,
        } => {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            let known = bug.as_deref().and_then(raft_sim::explore::Bug::from_name);
            let b = raft_sim::explore::bounds_for(known);
            let threads = threads.unwrap_or(if bug.is_some() { 1 } else { cores });
            explore::Explore {
                bug,
                options,
                bounds: raft_sim::explore::Bounds {
                    servers: servers.unwrap_or(b.servers),
                    max_term: max_term.unwrap_or(b.max_term),
                    max_log: max_log.unwrap_or(b.max_log),
                    commands: commands.unwrap_or(b.commands),
                    restarts: restarts.unwrap_or(b.restarts),
                    duplicates: duplicates.unwrap_or(b.duplicates),
                    link_capacity: link_capacity.unwrap_or(b.link_capacity),
                    reads: reads.unwrap_or(b.reads),
                },
                threads,
                out,
            }
            .run()
        }
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

/// What `check` runs: seeds, their size, the cluster, where a failure goes.
struct Campaigns {
    seeds: u64,
    events: u64,
    nodes: usize,
    first: u64,
    save: Option<std::path::PathBuf>,
    snapshot_threshold: Option<usize>,
    membership: Option<MembershipMode>,
    deviation: Option<Deviation>,
    /// What the runs so far exercised of compaction and membership changes.
    exercised: std::cell::Cell<Exercised>,
}

/// Snapshots taken and InstallSnapshot messages delivered; servers added and removed.
#[derive(Clone, Copy, Default)]
struct Exercised {
    snapshots: (u64, u64),
    changes: (u64, u64),
}

/// What the seeds of one combination of options gave.
#[derive(Default)]
struct Tally {
    events: u64,
    reads: usize,
    /// Violations of each property, in `Property::ALL`'s order.
    broken: Vec<(Property, usize)>,
    /// Seeds whose cluster did not recover.
    stuck: usize,
    /// Seeds that failed: a violation (other than a stale naive read), or stuck.
    failed: Vec<u64>,
}

impl Tally {
    fn violations(&self) -> usize {
        self.broken.iter().map(|(_, k)| k).sum()
    }
}

impl Campaigns {
    fn seeds(&self) -> std::ops::Range<u64> {
        self.first..self.first.saturating_add(self.seeds)
    }

    /// The options that run the same compaction and membership changes again.
    fn compaction_words(&self) -> String {
        let mut words = self
            .snapshot_threshold
            .map_or_else(String::new, |t| format!(" --snapshot-threshold {t}"));
        match self.membership {
            Some(MembershipMode::Joint) => words.push_str(" --membership joint"),
            Some(MembershipMode::SingleServer) => words.push_str(" --membership single"),
            None => {}
        }
        if let Some(d) = self.deviation {
            words.push_str(&format!(" --deviation {d}"));
        }
        words
    }

    /// A cluster of `raft` servers with the drift given and this campaign's
    /// compaction, membership mode and deviation.
    fn config(&self, raft: raft_sim::raft_core::Config, drift: u32) -> SimConfig {
        let mut config = SimConfig {
            raft,
            clock_drift_ppm: drift,
            snapshot_threshold: self.snapshot_threshold,
            ..SimConfig::with_nodes(self.nodes)
        };
        if let Some(mode) = self.membership {
            config.raft.membership = mode;
        }
        config.raft.deviations.extend(self.deviation);
        config
    }

    /// One seed: with membership changes if asked, else the full campaign (reads and
    /// transfers) or that of earlier versions. Counts what it exercised.
    fn run(
        &self,
        seed: u64,
        config: &SimConfig,
        full: bool,
    ) -> Result<campaign::Outcome, raft_sim::ConfigError> {
        let outcome = match (self.membership, full) {
            (Some(_), _) => campaign::run_changing(seed, config, self.events),
            (None, true) => campaign::run_full(seed, config, self.events),
            (None, false) => campaign::run_with(seed, config, self.events),
        }?;
        let mut seen = self.exercised.get();
        seen.snapshots.0 += outcome.snapshots.0;
        seen.snapshots.1 += outcome.snapshots.1;
        seen.changes.0 += outcome.changes.0;
        seen.changes.1 += outcome.changes.1;
        self.exercised.set(seen);
        Ok(outcome)
    }

    /// The campaign of earlier versions: today's defaults, no reads nor transfers.
    fn check(&self, drift: Option<u32>) -> ExitCode {
        let config = self.config(raft_sim::raft_core::Config::default(), drift.unwrap_or(0));
        let progress = bar(self.seeds, "seeds");
        let (mut total_events, mut violations, mut failures) = (0u64, 0usize, Vec::new());
        for seed in self.seeds() {
            let outcome = match self.run(seed, &config, false) {
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
                let again = format!(
                    "--options default --drift {}{}",
                    config.clock_drift_ppm,
                    self.compaction_words()
                );
                progress.suspend(|| self.report(seed, &outcome, &again));
                self.save(&failures, &outcome);
                failures.push(seed);
            }
            progress.inc(1);
        }
        progress.finish_and_clear();
        println!(
            "checked {} seeds, {total_events} events, {violations} violations",
            self.seeds
        );
        self.print_exercised();
        if failures.is_empty() {
            ExitCode::SUCCESS
        } else {
            eprintln!("{} seed(s) failed: {failures:?}", failures.len());
            ExitCode::FAILURE
        }
    }

    /// Every configuration given, with clients reading and leaders handing over; a
    /// line per configuration. Naive reads are expected to break read
    /// linearizability and only that: the line says so, and it fails the run only if
    /// something else broke.
    fn check_options(
        &self,
        configs: &[raft_sim::raft_core::Config],
        drift: Option<u32>,
    ) -> ExitCode {
        let progress = bar(self.seeds * configs.len() as u64, "runs");
        println!(
            "{} seeds x {} events per combination, {} servers, clock rates differing by up to {}",
            self.seeds,
            self.events,
            self.nodes,
            drift.map_or_else(
                || "the drift bound leases assume".into(),
                |d| format!("{d} ppm")
            )
        );
        println!(
            "{:<46} {:>10} {:>8} {:>10}  verdict",
            "options", "events", "reads", "violations"
        );
        let (mut failures, mut total) = (Vec::new(), Tally::default());
        let mut naive_stale = (0usize, 0usize);
        for raft in configs {
            let config = self.config(raft.clone(), drift.unwrap_or(raft.clock_drift_bound_ppm));
            let naive = raft.read_mode == ReadMode::Naive;
            let mut tally = Tally {
                broken: Property::ALL.iter().map(|&p| (p, 0)).collect(),
                ..Tally::default()
            };
            for seed in self.seeds() {
                let outcome = match self.run(seed, &config, true) {
                    Ok(o) => o,
                    Err(e) => {
                        progress.finish_and_clear();
                        eprintln!("error: {e}");
                        return ExitCode::from(2);
                    }
                };
                tally.events += outcome.events;
                tally.reads += outcome.reads;
                for v in &outcome.violations {
                    if let Some(slot) = tally.broken.iter_mut().find(|(p, _)| *p == v.property) {
                        slot.1 += 1;
                    }
                }
                if outcome.liveness.is_err() {
                    tally.stuck += 1;
                }
                let stale_only = outcome.liveness.is_ok()
                    && outcome
                        .violations
                        .iter()
                        .all(|v| v.property == Property::LinearizableReads);
                if naive && !outcome.violations.is_empty() && stale_only {
                    naive_stale.0 += 1;
                } else if !outcome.ok() {
                    let again = format!(
                        "--options {} --drift {}{}",
                        campaign::option_words(raft),
                        config.clock_drift_ppm,
                        self.compaction_words()
                    );
                    progress.suspend(|| self.report(seed, &outcome, &again));
                    self.save(&failures, &outcome);
                    failures.push(seed);
                    tally.failed.push(seed);
                }
                progress.inc(1);
            }
            if naive {
                naive_stale.1 += self.seeds as usize;
            }
            // Seeds where naive reads were stale and nothing else broke are not failures.
            let verdict = if !tally.failed.is_empty() {
                let what: Vec<String> = tally
                    .broken
                    .iter()
                    .filter(|(_, k)| *k > 0)
                    .map(|(p, k)| format!("{} x{k}", p.name()))
                    .chain(
                        (tally.stuck > 0).then(|| format!("not live in {} seed(s)", tally.stuck)),
                    )
                    .collect();
                format!("FAILED: {}", what.join(", "))
            } else if naive && tally.violations() > 0 {
                "stale reads, as expected: naive reads are unsafe".to_string()
            } else if naive {
                "no stale read in these seeds (naive reads are unsafe all the same)".to_string()
            } else {
                "ok".to_string()
            };
            progress.suspend(|| {
                println!(
                    "{:<46} {:>10} {:>8} {:>10}  {verdict}",
                    campaign::describe(raft),
                    tally.events,
                    tally.reads,
                    tally.violations()
                );
            });
            total.events += tally.events;
            total.reads += tally.reads;
        }
        progress.finish_and_clear();
        println!(
            "{} combination(s), {} events, {} reads answered",
            configs.len(),
            total.events,
            total.reads
        );
        self.print_exercised();
        if naive_stale.1 > 0 {
            println!(
                "naive reads were stale in {} of {} runs, as the checker's Linearizable Reads shows",
                naive_stale.0, naive_stale.1
            );
        }
        if failures.is_empty() {
            println!("every safe combination held every property");
            ExitCode::SUCCESS
        } else {
            eprintln!("{} run(s) failed", failures.len());
            ExitCode::FAILURE
        }
    }

    fn report(&self, seed: u64, outcome: &campaign::Outcome, options: &str) {
        eprintln!("seed {seed} FAILED");
        for v in outcome.violations.iter().take(5) {
            eprintln!("  {v}");
        }
        if let Err(e) = &outcome.liveness {
            eprintln!("  liveness: {e}");
        }
        eprintln!(
            "  reproduce: raft-sim check {options} --seeds 1 --first-seed {seed} --events {} --nodes {}",
            self.events, self.nodes
        );
    }

    /// With compaction or membership changes on, how much of them the campaigns saw.
    fn print_exercised(&self) {
        let Exercised { snapshots, changes } = self.exercised.get();
        if self.snapshot_threshold.is_some() {
            println!(
                "log compaction: {} snapshots taken, {} InstallSnapshot messages delivered",
                snapshots.0, snapshots.1
            );
        }
        if self.membership.is_some() {
            println!(
                "membership changes: {} servers added, {} removed",
                changes.0, changes.1
            );
        }
    }

    /// Writes the first failure's trace, if asked to.
    fn save(&self, failures: &[u64], outcome: &campaign::Outcome) {
        if failures.is_empty()
            && let Some(path) = &self.save
            && let Err(e) = std::fs::write(path, outcome.trace.to_json())
        {
            eprintln!("  could not write {}: {e}", path.display());
        }
    }
}

fn run_election(
    trials: u64,
    timeouts: Vec<(u64, u64)>,
    latency: (u64, u64),
    first: u64,
    csv: bool,
    prevote: bool,
    svg: Option<std::path::PathBuf>,
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
            pre_vote: prevote,
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
    if let Some(path) = svg {
        let title = format!(
            "Time to elect a new leader: 5 servers, latency {}–{} ms, {trials} trials per range{}",
            latency.0,
            latency.1,
            if prevote { ", PreVote on" } else { "" }
        );
        if let Err(e) = std::fs::write(&path, chart::figure16(&rows, &title)) {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::from(2);
        }
        eprintln!("chart written to {}", path.display());
    }
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
        "Figure 16: time to elect a new leader after a crash (5 servers, latency {}-{} ms, heartbeat = min timeout / 2, {trials} trials each{})",
        latency.0,
        latency.1,
        if prevote { ", PreVote on" } else { "" }
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

pub(crate) fn print_cluster(sim: &raft_sim::Simulation) {
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
                format!("{}:{}@t{}{mark}", i + 1, raft_sim::entry_name(e), e.term)
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
    let loaded = (
        scenario::builtin(),
        raft_sim::tour::Tour::slides(),
        raft_sim::tour::Tour::membership(),
    );
    let (all, slides, chapter) = match loaded {
        (Ok(all), Ok(slides), Ok(chapter)) => (all, slides, chapter),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if name == "list" {
        for s in &all {
            println!("{}", s.name);
        }
        for s in &slides.scenes {
            println!("{} (tour scene)", s.id);
        }
        for s in &chapter.scenes {
            println!(
                "{} (chapter \"changing the configuration\", not in the page yet)",
                s.id
            );
        }
        return ExitCode::SUCCESS;
    }
    let found = [&slides, &chapter]
        .into_iter()
        .find_map(|t| t.index_of(name).map(|k| (t, k)));
    if let Some((tour, k)) = found {
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
        names.extend(slides.scenes.iter().map(|s| s.id.clone()));
        names.extend(chapter.scenes.iter().map(|s| s.id.clone()));
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
