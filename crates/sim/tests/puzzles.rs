//! The "reach this state" puzzles: every built-in one can be solved (its stored solution
//! reaches the target within its limits), none is solved before the student acts, and
//! a run that breaks a limit, starts elsewhere or misses the target is not a solution.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

mod common;

use common::check_text;
use raft_sim::puzzle::{self, Control, Puzzle, PuzzleError};
use raft_sim::scenario::Condition;
use raft_sim::{Action, TimedAction};
use raft_sim::{MILLIS, Trace};

fn builtin() -> Vec<Puzzle> {
    puzzle::builtin().expect("every puzzle file reads")
}

fn solved_run(id: &str) -> (Puzzle, Trace) {
    let p = puzzle::find(id).unwrap().expect("the puzzle exists");
    let s = puzzle::solution(id).unwrap().expect("it has a solution");
    let run = s.play(&p).unwrap_or_else(|e| panic!("{id}: {e}"));
    (p, run)
}

#[test]
fn there_are_ten_puzzles_or_more_from_easy_to_hard_in_french_and_english() {
    let all = builtin();
    assert!(all.len() >= 10, "{} puzzles", all.len());
    let levels: Vec<u8> = all.iter().map(|p| p.level).collect();
    assert!(levels.windows(2).all(|w| w[0] <= w[1]), "{levels:?}");
    assert_eq!(levels.first(), Some(&1));
    assert!(levels.last() >= Some(&3));
    let mut ids: Vec<&str> = all.iter().map(|p| p.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "ids are unique");
    for p in &all {
        let texts = [
            Some(&p.title),
            Some(&p.goal),
            p.hint.as_ref(),
            p.explain.as_ref(),
        ];
        for t in texts {
            let t = t.unwrap_or_else(|| panic!("{}: every text is written", p.id));
            check_text(t, &p.id);
        }
    }
}

#[test]
fn no_puzzle_is_solved_at_its_start() {
    for p in builtin() {
        let sim = p.cluster().unwrap_or_else(|e| panic!("{}: {e}", p.id));
        assert!(
            p.reached(&sim).is_err(),
            "{}: solved before any action",
            p.id
        );
    }
}

#[test]
fn every_stored_solution_solves_its_puzzle_within_its_limits() {
    for p in builtin() {
        let (p, run) = solved_run(&p.id);
        let solved = p.judge(&run).unwrap_or_else(|e| panic!("{}: {e}", p.id));
        let moves = run.actions.len() - p.start.actions.len();
        assert!(solved.actions <= moves, "{}", p.id);
        assert!(solved.at >= p.start.end && solved.at <= run.end, "{}", p.id);
        if let Some(max) = p.limits.max_actions {
            assert!(moves <= max, "{}: {moves} actions", p.id);
        }
        for a in &run.actions[p.start.actions.len()..] {
            assert!(
                !p.limits.locked.contains(&Control::of(&a.action)),
                "{}",
                p.id
            );
        }
        // The run, written and read back as a trace file, still solves it.
        let back = Trace::from_json(&run.to_json()).unwrap();
        assert_eq!(p.judge(&back), Ok(solved), "{}", p.id);
    }
}

#[test]
fn a_run_that_stops_at_the_start_does_not_solve_it() {
    let (p, _) = solved_run("two-leaders");
    let idle = Trace {
        end: p.start.end + 5_000 * MILLIS,
        ..p.start.clone()
    };
    assert!(matches!(p.judge(&idle), Err(PuzzleError::NotReached(_))));
}

#[test]
fn a_locked_control_or_one_action_too_many_is_refused() {
    // "depose" locks crash and allows one action.
    let (p, run) = solved_run("depose");
    let crash = TimedAction {
        at: p.start.end,
        after: run.actions.last().map_or(0, |a| a.after),
        action: Action::Crash { node: 1 },
    };
    let mut locked = run.clone();
    locked.actions.insert(p.start.actions.len(), crash.clone());
    assert_eq!(
        p.judge(&locked),
        Err(PuzzleError::Locked {
            action: 1,
            control: Control::Crash
        })
    );
    assert!(p.allows(0, &crash.action).is_err());
    let timeout = Action::Timeout { node: 3 };
    assert!(p.allows(0, &timeout).is_ok());
    assert!(matches!(
        p.allows(1, &timeout),
        Err(PuzzleError::TooManyActions { used: 2, max: 1 })
    ));
    // One action too many before the target holds is refused; after, it is not counted.
    let first = run.actions[p.start.actions.len()].clone();
    let mut before = run.clone();
    let start = p.cluster().unwrap();
    let other = (1..=5)
        .find(|&id| id != 2 && start.leader() != Some(id))
        .unwrap();
    let extra = TimedAction {
        action: Action::Timeout { node: other },
        ..first.clone()
    };
    before.actions.insert(p.start.actions.len(), extra);
    let judged = p.judge(&before);
    assert!(
        matches!(judged, Err(PuzzleError::TooManyActions { used: 2, max: 1 })),
        "{judged:?}"
    );
    let mut after = run.clone();
    after.actions.push(crash_at_end(&run));
    assert_eq!(p.judge(&after), p.judge(&run));
}

/// Stopping S1 at the end of `run`.
fn crash_at_end(run: &Trace) -> TimedAction {
    TimedAction {
        at: run.end,
        after: run.events.unwrap(),
        action: Action::Crash { node: 1 },
    }
}

#[test]
fn a_run_from_another_start_is_not_a_solution() {
    let (p, run) = solved_run("split-vote");
    let other_seed = Trace {
        seed: run.seed + 1,
        ..run.clone()
    };
    assert!(matches!(
        p.judge(&other_seed),
        Err(PuzzleError::OtherStart(_))
    ));
    let (q, catch_up) = solved_run("catch-up");
    let mut skipped = catch_up.clone();
    skipped.actions.remove(0);
    assert!(matches!(q.judge(&skipped), Err(PuzzleError::OtherStart(_))));
}

#[test]
fn an_entry_is_lost_only_if_it_was_never_committed() {
    // The committed Set 1 of "commit-one-down" is never lost; the uncommitted Set 1 of
    // "lost-entry" is.
    let (_, run) = solved_run("commit-one-down");
    let sim = run.replay(None).unwrap();
    let lost = Condition::Lost(Some("Set 1".into()));
    let script = raft_sim::scenario::Script::default();
    assert!(script.holds(&sim, &lost).is_err());
    let (_, run) = solved_run("lost-entry");
    let sim = run.replay(None).unwrap();
    assert!(script.holds(&sim, &lost).is_ok());
    assert!(
        script.holds(&sim, &Condition::Safe).is_ok(),
        "and nothing unsafe happened"
    );
}

#[test]
fn a_teacher_makes_a_puzzle_of_a_run_and_the_run_solves_it() {
    let (_, run) = solved_run("target-logs");
    let made = Puzzle::from_run("my-logs", &run).unwrap();
    assert!(made.target.len() >= 6, "terms and commands of each server");
    assert_eq!(made.start.actions, vec![]);
    let solved = made.judge(&run).unwrap();
    assert!(solved.at <= run.end);
    // It travels as a file.
    let back = Puzzle::from_json(&made.to_json()).unwrap();
    assert_eq!(back, made);
    // A run that changed no log makes no puzzle.
    let idle = Trace {
        actions: vec![],
        end: 0,
        events: None,
        hash: None,
        ..run
    };
    assert!(matches!(
        Puzzle::from_run("idle", &idle),
        Err(PuzzleError::NothingToReach)
    ));
}

#[test]
fn other_files_and_bad_puzzles_get_clear_messages() {
    let p = builtin().remove(0);
    let json = p.to_json();
    let trace = p.start.to_json();
    let e = Puzzle::from_json(&trace).unwrap_err();
    assert!(e.to_string().contains("raft-playground-trace"), "{e}");
    let future = json.replace("\"version\": 1,", "\"version\": 9,");
    assert_eq!(
        Puzzle::from_json(&future),
        Err(PuzzleError::FutureVersion(9))
    );
    for (bad, says) in [
        ("\"level\": 1", "\"level\": 7"),
        ("\"id\": \"elect-s3\"", "\"id\": \"Elect S3\""),
    ] {
        let text = json.replacen(bad, says, 1);
        assert_ne!(text, json);
        assert!(
            matches!(Puzzle::from_json(&text), Err(PuzzleError::Invalid(_))),
            "{says}"
        );
    }
    let unknown = json.replacen("\"level\"", "\"levle\"", 1);
    assert!(matches!(
        Puzzle::from_json(&unknown),
        Err(PuzzleError::Syntax(_))
    ));
    assert!(matches!(
        Puzzle::from_json("[1, 2]"),
        Err(PuzzleError::Syntax(_))
    ));
}

#[test]
fn a_puzzle_played_in_the_page_from_its_link_is_judged_from_the_exported_run() {
    // The page opens the start as a run (a `run=` link) into a timeline, the student
    // acts on it, and "Export run" writes the timeline's trace.
    use raft_sim::scenario::Runner;
    use raft_sim::timeline::{DEFAULT_INTERVAL, Timeline};
    for p in builtin() {
        let solution = puzzle::solution(&p.id).unwrap().unwrap();
        let mut page = Timeline::from_trace(&p.start, DEFAULT_INTERVAL, 1_000 * MILLIS).unwrap();
        Runner::new(solution.steps.clone(), page.sim())
            .finish(&mut page)
            .unwrap_or_else(|e| panic!("{}: {e}", p.id));
        let exported = Trace::from_json(&page.trace().to_json()).unwrap();
        let solved = p
            .judge(&exported)
            .unwrap_or_else(|e| panic!("{}: {e}", p.id));
        let (_, headless) = solved_run(&p.id);
        assert_eq!(
            Ok(solved),
            p.judge(&headless),
            "{}: the same as headless",
            p.id
        );
    }
}
