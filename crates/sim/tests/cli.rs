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
    let dir = std::env::temp_dir().join(format!("raft-sim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
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
    let dir = std::env::temp_dir().join(format!("raft-sim-solve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
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
}
