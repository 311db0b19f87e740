//! The command line on files: replaying a saved run, and judging a puzzle's run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use std::process::Command;

fn raft_sim(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_raft-sim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

/// A fresh folder for one test's files.
fn scratch(test: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("raft-sim-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn replay_shows_a_counterexample_to_its_violation() {
    let (code, out) = raft_sim(&["replay", "counterexamples/vote-twice.json"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("rules switched off: vote-twice"), "{out}");
    assert!(out.contains("{\"timeout\":{\"node\":1}}"), "{out}");
    assert!(out.contains("Election Safety violated"), "{out}");
    assert_eq!(
        out.matches(" leader ").count(),
        2,
        "two leaders at the end: {out}"
    );
}

#[test]
fn replay_and_puzzle_check_refuse_what_is_not_a_run() {
    let dir = scratch("cli");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"format\": \"something-else\", \"version\": 1}").unwrap();
    let bad = bad.to_str().unwrap();
    let (code, out) = raft_sim(&["replay", bad]);
    assert_eq!(code, 2);
    assert!(out.contains("not a Raft playground trace"), "{out}");
    let (code, out) = raft_sim(&["puzzle", "check", "split-vote", bad]);
    assert_eq!(code, 2);
    assert!(out.contains("not a Raft playground trace"), "{out}");
    let (code, out) = raft_sim(&["puzzle", "check", "no-such-puzzle", bad]);
    assert_eq!(code, 2);
    assert!(out.contains("no puzzle \"no-such-puzzle\""), "{out}");
}

#[test]
fn a_stored_solution_is_written_and_judged_solved() {
    let dir = scratch("solve");
    let run = dir.join("run.json");
    let run = run.to_str().unwrap();
    let (code, out) = raft_sim(&["puzzle", "solve", "two-leaders", "--out", run]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = raft_sim(&["puzzle", "check", "two-leaders", run]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("solved: the target holds at t="), "{out}");
    let (code, out) = raft_sim(&["puzzle", "check", "split-vote", run]);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("not solved: "), "{out}");
    let (code, out) = raft_sim(&["replay", run]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no violation"), "{out}");
    // A class's runs at once: a line each, and exit code 1 if one does not solve it.
    let other = dir.join("other.json");
    let other = other.to_str().unwrap();
    let (code, _) = raft_sim(&["puzzle", "solve", "split-vote", "--out", other]);
    assert_eq!(code, 0);
    let (code, out) = raft_sim(&["puzzle", "check", "two-leaders", run, other]);
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with(&format!("{run}: solved: ")), "{out}");
    assert!(
        lines[1].starts_with(&format!("{other}: not solved: ")),
        "{out}"
    );
}

#[test]
fn the_election_experiment_draws_figure_16_with_the_papers_points() {
    let dir = scratch("chart");
    let svg = dir.join("f16.svg");
    let (code, out) = raft_sim(&[
        "election",
        "--trials",
        "40",
        "--timeout",
        "150-155",
        "--timeout",
        "150-300",
        "--svg",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg ") && text.ends_with("</svg>\n"));
    assert_eq!(
        text.matches("<path class=\"cdf\"").count(),
        2,
        "a line per range"
    );
    assert!(text.contains("data-range=\"150-155\""));
    // 150–155 ms is a range the paper reports on (its median, 287 ms); 150–300 is not.
    assert_eq!(text.matches("<path class=\"paper\"").count(), 1);
    assert!(text.contains("median 287 ms"));
    // Every line climbs: the last point of each path is higher (smaller y) than the first.
    for d in text
        .split("class=\"cdf\"")
        .skip(1)
        .filter_map(|s| s.split("d=\"").nth(1))
    {
        let d = d.split('"').next().unwrap();
        let first: f64 = d
            .split(',')
            .nth(1)
            .unwrap()
            .split('H')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let last: f64 = d.rsplit('V').next().unwrap().parse().unwrap();
        assert!(last < first, "{d}");
    }
}
