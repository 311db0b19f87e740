//! `raft-sim explore`: the exhaustive search, and the counterexample of a deviation
//! as steps, as a checked replay in the simulator and as a trace file.

use indicatif::{ProgressBar, ProgressStyle};
use raft_sim::explore::{self, Bounds, Bug, RaftModel, replay};
use raft_sim::{Trace, hex};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// The options of `raft-sim explore`.
pub struct Explore {
    pub bug: Option<String>,
    pub options: Option<String>,
    pub bounds: Bounds,
    pub threads: usize,
    pub out: Option<PathBuf>,
}

fn spinner() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn list() -> ExitCode {
    println!("Bugs (each removes one rule of Raft):");
    for b in Bug::ALL {
        println!(
            "  {:<28} {} ({}); breaks {}",
            b.name(),
            b.rule(),
            b.section(),
            b.expected().name()
        );
    }
    ExitCode::SUCCESS
}

/// The Raft options the model can hold: those that do not depend on time.
fn options(words: &str) -> Result<raft_sim::raft_core::Config, String> {
    let base = raft_sim::raft_core::Config::default();
    let configs = raft_sim::campaign::parse_options(words, &base)?;
    match configs.as_slice() {
        [c] if c.pre_vote || c.check_quorum || c.read_mode != base.read_mode => Err(
            "PreVote, CheckQuorum and the read modes count time, which the model leaves out: use figure2, flow or noop".into(),
        ),
        [c] => Ok(c.clone()),
        _ => Err("one combination at a time: a comma-separated list of figure2, flow, noop".into()),
    }
}

impl Explore {
    pub fn run(self) -> ExitCode {
        let deviation = match self.bug.as_deref() {
            Some("list") => return list(),
            Some(name) => match Bug::from_name(name) {
                Some(d) => Some(d),
                None => {
                    eprintln!("error: no bug named {name:?} (`--bug list` lists them)");
                    return ExitCode::from(2);
                }
            },
            None => None,
        };
        let b = &self.bounds;
        if !(2..=5).contains(&b.servers) || b.max_term == 0 || b.max_log == 0 {
            eprintln!("error: need 2 to 5 servers, --max-term and --max-log at least 1");
            return ExitCode::from(2);
        }
        let config = match self.options.as_deref().map(options) {
            None => raft_sim::raft_core::Config::default(),
            Some(Ok(config)) => config,
            Some(Err(e)) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        let mut model = RaftModel::with_config(self.bounds.clone(), config, deviation);
        model.start = explore::start_for(&model, deviation);
        println!(
            "{} servers ({}), terms up to {}, logs up to {} entries, {} commands, {} read(s), {} crash(es), {} duplicate(s); {}",
            b.servers,
            raft_sim::campaign::describe(&model.config),
            b.max_term,
            b.max_log,
            b.commands,
            b.reads,
            b.restarts,
            b.duplicates,
            match deviation {
                Some(d) => format!("{d}: {} ({}) removed", d.rule(), d.section()),
                None => "Raft as the paper has it".into(),
            }
        );
        let bar = spinner();
        let outcome = explore::search(model.clone(), self.threads, |unique, depth| {
            bar.set_message(format!("{unique} states, depth {depth}"));
        });
        bar.finish_and_clear();
        println!(
            "explored {} distinct states ({} generated), {} steps deep, in {:.1} s",
            outcome.unique,
            outcome.states,
            outcome.depth,
            outcome.elapsed.as_secs_f64()
        );
        let Some(cx) = outcome.counterexample else {
            return match deviation {
                None => {
                    println!("no violation of any property in the whole bounded space");
                    ExitCode::SUCCESS
                }
                Some(d) => {
                    println!("no violation found within these bounds: raise them to find {d}'s");
                    ExitCode::FAILURE
                }
            };
        };
        let found = cx.steps.len() - cx.scripted;
        if cx.scripted > 0 {
            println!("the search starts after {} scripted steps:", cx.scripted);
        } else {
            println!("shortest run to a violation ({found} steps):");
        }
        for (k, step) in cx.steps.iter().enumerate() {
            if cx.scripted > 0 && k == cx.scripted {
                println!("then the shortest way on to a violation ({found} steps):");
            }
            println!("  {:>2}. {}", k + 1, explore::describe(step));
        }
        println!(
            "  => {}: {}",
            cx.violation.property.name(),
            cx.violation.detail
        );
        let sim = match replay::play(&model, &cx.steps) {
            Ok(sim) => sim,
            Err(e) => {
                eprintln!("error: the run does not play in the simulator: {e}");
                return ExitCode::FAILURE;
            }
        };
        let replayed = sim.violations().first().map(|v| v.property);
        if replayed != Some(cx.violation.property) {
            eprintln!(
                "error: in the simulator the run breaks {:?}, not {}",
                replayed.map(|p| p.name()),
                cx.violation.property.name()
            );
            return ExitCode::FAILURE;
        }
        let trace = Trace::of(&sim);
        let path = self.out.unwrap_or_else(|| {
            PathBuf::from(format!(
                "{}.json",
                deviation.map_or("counterexample", |d| d.name())
            ))
        });
        if let Err(e) = std::fs::write(&path, trace.to_json()) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!(
            "the simulator replays it to the same violation (trace hash {}); trace written to {}",
            hex(sim.trace_hash()),
            path.display()
        );
        match deviation {
            Some(_) => ExitCode::SUCCESS,
            // A violation of the paper's Raft is a bug in raft-core.
            None => ExitCode::FAILURE,
        }
    }
}
