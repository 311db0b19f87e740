//! `raft-sim replay`: what happened in a saved run (a file the page exported, a
//! counterexample): its actions, the cluster at its end, and what the checker saw.

use raft_sim::{MILLIS, Time, Trace, campaign};
use std::path::Path;
use std::process::ExitCode;

fn ms(t: Time) -> String {
    format!("{}.{:03}", t / MILLIS, t % MILLIS)
}

pub fn run(path: &Path) -> ExitCode {
    let trace = match std::fs::read_to_string(path)
        .map_err(|e| e.to_string())
        .and_then(|text| Trace::from_json(&text).map_err(|e| e.to_string()))
    {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    let raft = &trace.config.raft;
    let bugs: Vec<&str> = raft.deviations.iter().map(|d| d.name()).collect();
    println!(
        "{} servers, seed {}, {}{}",
        trace.config.nodes,
        trace.seed,
        campaign::describe(raft),
        if bugs.is_empty() {
            String::new()
        } else {
            format!("; rules switched off: {}", bugs.join(", "))
        }
    );
    for a in &trace.actions {
        let action = serde_json::to_string(&a.action).unwrap_or_default();
        println!("t={:>10} ms  {action}", ms(a.at));
    }
    let sim = match trace.replay(None) {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    println!("at t={} ms:", ms(sim.now()));
    crate::print_cluster(&sim);
    match sim.violations() {
        [] => println!("no violation: the checker saw every property hold"),
        violations => {
            for v in violations {
                println!("{v}");
            }
        }
    }
    ExitCode::SUCCESS
}
