//! "Reach this state" puzzles in the page (feature `exercises`).
//!
//! raft-sim holds the puzzles (`crates/sim/puzzles/`), their targets and limits and
//! judges runs; this module opens a puzzle's start, refuses what its limits forbid,
//! watches the target after every event and every action as the judge does, and says
//! when it holds. A run opened together with a puzzle (a solution's link) is judged
//! instead of played.

use super::narration::PageEvent;
use super::words::{word, word_in};
use super::{Engine, Msg};
use crate::i18n::{Texts, fill_in};
use raft_sim::puzzle::{Control, Puzzle, PuzzleError, Solved};
use raft_sim::{Action, MILLIS, Time};

/// The puzzle being played.
#[derive(Clone, Debug, PartialEq)]
pub struct PuzzleRun {
    /// The puzzle.
    pub puzzle: Puzzle,
    /// How the address gave it: a built-in's id, or the puzzle itself (base64url).
    pub param: String,
    /// When the target first held, and after how many of the student's actions.
    pub solved: Option<Solved>,
    /// The hint is shown.
    pub hint: bool,
    /// A run opened with the puzzle (a solution handed in): the judge's verdict.
    pub verdict: Option<Result<Solved, String>>,
}

/// What the student does with puzzles.
#[derive(Clone, Debug, PartialEq)]
pub enum PuzzleMsg {
    /// Opens a built-in puzzle by its id.
    Open(String),
    /// Goes back to the puzzle's start.
    Again,
    /// Shows the hint.
    Hint,
    /// Leaves the puzzle (the cluster stays as it is).
    Leave,
    /// "Make this run a puzzle" could not: why, in the page's language.
    CannotMake(String),
}

/// The puzzle a link names: a built-in's id, or a puzzle written in the link
/// (base64url of its JSON, as "Make this run a puzzle" writes it).
pub fn resolve(param: &str, lang: &str) -> Result<Puzzle, String> {
    if let Some(p) = raft_sim::puzzle::find(param)? {
        return Ok(p);
    }
    let text = crate::json::from_base64url(param).map_err(|_| {
        let name = crate::params::short(param);
        fill_in(word_in(lang, "unknown_puzzle"), &[("name", &name)])
    })?;
    Puzzle::from_json(&text).map_err(|e| e.to_string())
}

/// A control's name, as the page's buttons say it where it has one.
fn control_words(texts: &Texts, c: Control) -> String {
    let key = match c {
        Control::Crash => "stop",
        Control::Restart => "restart",
        Control::Partition => "split",
        Control::Heal => "heal",
        Control::AlignTimers => "align",
        Control::SpreadTimers => "spread",
        Control::Submit => "send",
        Control::Read => "read",
        Control::Timeout => "timeout_now",
        Control::Transfer => return word(texts, "control_transfer").into(),
        Control::CutLink => return word(texts, "control_cut_link").into(),
        Control::RestoreLink => return word(texts, "control_restore_link").into(),
        Control::DropMessage => return word(texts, "control_drop").into(),
        Control::SetNetwork => return word(texts, "control_network").into(),
        _ => return c.name().to_string(),
    };
    texts.get(key)
}

/// The locked controls, in words ("Stop, Split network").
pub fn locked_words(texts: &Texts, p: &Puzzle) -> String {
    let names: Vec<String> = p
        .limits
        .locked
        .iter()
        .map(|&c| control_words(texts, c))
        .collect();
    names.join(", ")
}

/// "t = 1 234.5 ms" as the page writes times: milliseconds with one decimal.
pub fn ms(t: Time) -> String {
    crate::geometry::fixed(t as f64 / MILLIS as f64, 1)
}

/// A solved puzzle in words (`key`: `solved` live, `judged_ok` for a handed-in run).
pub fn solved_words(texts: &Texts, key: &str, s: &Solved) -> String {
    fill_in(
        word(texts, key),
        &[("time", &ms(s.at)), ("actions", &s.actions.to_string())],
    )
}

/// Why a handed-in run does not solve the puzzle, in the page's language. (What the
/// judge found at the end of the run is its own, in English, as the CLI prints it.)
fn judged_words(texts: &Texts, e: &PuzzleError) -> String {
    match e {
        PuzzleError::OtherStart(_) => word(texts, "why_other_start").into(),
        PuzzleError::Locked { action, control } => fill_in(
            word(texts, "why_locked"),
            &[
                ("action", &action.to_string()),
                ("control", &control_words(texts, *control)),
            ],
        ),
        PuzzleError::TooManyActions { used, max } => fill_in(
            word(texts, "why_many"),
            &[("used", &used.to_string()), ("max", &max.to_string())],
        ),
        PuzzleError::NotReached(found) => {
            fill_in(word(texts, "why_not_reached"), &[("found", found)])
        }
        // A run that does not replay, or a puzzle that does not read: a damaged link.
        e => e.to_string(),
    }
}

/// True for a message that leaves the puzzle: another run, the tour, a bug.
pub fn leaves_puzzle(msg: &Msg) -> bool {
    matches!(
        msg,
        Msg::Reset(_)
            | Msg::SetNodes(_)
            | Msg::ImportRun(_)
            | Msg::TourGo(_)
            | Msg::TourNext
            | Msg::TourBack
            | Msg::TourReplay
            | Msg::TourReturn
            | Msg::Break(_)
            | Msg::BreakRestored(_)
    )
}

impl PuzzleRun {
    /// The student's actions so far, of the run's `actions` (the puzzle's start holds
    /// the first ones).
    pub fn done(&self, actions: usize) -> usize {
        actions.saturating_sub(self.puzzle.start.actions.len())
    }
}

impl Engine {
    /// Opens the puzzle a link names, at its start, or, with `run` (a solution's
    /// link), that run judged against it.
    pub(super) fn open_puzzle(
        &mut self,
        param: &str,
        run: Option<&str>,
    ) -> Result<(), (&'static str, String)> {
        let puzzle = resolve(param, self.texts.code()).map_err(|why| ("bad_puzzle", why))?;
        let verdict = match run {
            Some(run) => {
                // A damaged solution's link is told as a damaged run's is.
                self.open_run_param(run)
                    .map_err(|why| ("import_error", why))?;
                let trace = self.timeline.trace();
                Some(
                    puzzle
                        .judge(&trace)
                        .map_err(|e| judged_words(&self.texts, &e)),
                )
            }
            None => {
                self.open_trace(&puzzle.start)
                    .map_err(|why| ("bad_puzzle", why))?;
                None
            }
        };
        self.puzzle = Some(PuzzleRun {
            puzzle,
            param: param.to_string(),
            solved: None,
            hint: false,
            verdict,
        });
        Ok(())
    }

    pub(super) fn on_puzzle(&mut self, msg: PuzzleMsg) {
        match msg {
            PuzzleMsg::Open(id) => {
                // Refused as a link's puzzle is (the texts are there: said now).
                if let Err(refusal) = self.open_puzzle(&id, None) {
                    self.deferred = Some(refusal);
                    self.refuse_deferred();
                }
            }
            PuzzleMsg::Again => {
                if let Some(p) = self.puzzle.take() {
                    let param = p.param.clone();
                    if self.open_puzzle(&param, None).is_err() {
                        self.puzzle = Some(p);
                    }
                }
            }
            PuzzleMsg::Hint => {
                if let Some(p) = self.puzzle.as_mut() {
                    p.hint = true;
                }
            }
            PuzzleMsg::Leave => self.puzzle = None,
            PuzzleMsg::CannotMake(why) => self.refuse(why),
        }
    }

    /// True while a puzzle waits for its target (and the run is played, not judged).
    pub(super) fn puzzle_watching(&self) -> bool {
        self.puzzle
            .as_ref()
            .is_some_and(|p| p.solved.is_none() && p.verdict.is_none())
    }

    /// Whether the puzzle lets the student do `action` now; why not, in words.
    pub(super) fn puzzle_allows(&self, action: &Action) -> Result<(), String> {
        let Some(p) = self.puzzle.as_ref().filter(|_| self.puzzle_watching()) else {
            return Ok(());
        };
        let done = p.done(self.sim().actions().len());
        p.puzzle.allows(done, action).map_err(|e| match e {
            PuzzleError::Locked { control, .. } => fill_in(
                word(&self.texts, "refused_locked"),
                &[("control", &control_words(&self.texts, control))],
            ),
            PuzzleError::TooManyActions { max: 1, .. } => word(&self.texts, "refused_one").into(),
            PuzzleError::TooManyActions { max, .. } => fill_in(
                word(&self.texts, "refused_many"),
                &[("max", &max.to_string())],
            ),
            other => other.to_string(),
        })
    }

    /// Checks the target now; says so the first time it holds.
    pub(super) fn puzzle_check(&mut self) {
        if !self.puzzle_watching() {
            return;
        }
        let actions = self.sim().actions().len();
        let now = self.sim().now();
        let reached = self
            .puzzle
            .as_ref()
            .is_some_and(|p| p.puzzle.reached(self.sim()).is_ok());
        let Some(p) = self.puzzle.as_mut().filter(|_| reached) else {
            return;
        };
        let solved = Solved {
            at: now,
            actions: p.done(actions),
        };
        p.solved = Some(solved);
        self.narrator.events.push(PageEvent::PuzzleSolved {
            puzzle: p.puzzle.id.clone(),
            time_ms: now as f64 / MILLIS as f64,
            actions: solved.actions,
        });
        self.playing = false;
    }

    /// Plays up to `until` one event at a time, checking the target after each (as
    /// the judge does: a state that lasts less than a frame still counts).
    pub(super) fn puzzle_advance(&mut self, until: Time) {
        while self.puzzle_watching() && self.sim().next_event_time().is_some_and(|t| t <= until) {
            if self.timeline.step().is_err() {
                break;
            }
            self.puzzle_check();
        }
        let _ = self.timeline.advance_to(until);
    }

    /// After moving through time: a solution found later than the moment now shown
    /// is found again when the run gets there.
    pub(super) fn puzzle_after_travel(&mut self) {
        let now = self.sim().now();
        if let Some(p) = self.puzzle.as_mut()
            && p.solved.is_some_and(|s| s.at > now)
        {
            p.solved = None;
        }
    }

    /// A puzzle whose target is every log as it is now, from this run's start; its
    /// link's parameter (base64url of its JSON).
    pub fn make_puzzle(&self) -> Result<String, String> {
        let mut p = Puzzle::from_run("made", &self.timeline.trace()).map_err(|e| match e {
            PuzzleError::NothingToReach => word(&self.texts, "made_nothing").to_string(),
            // Only a bug makes a run that does not replay.
            e => e.to_string(),
        })?;
        for (text, key) in [(&mut p.title, "made_title"), (&mut p.goal, "made_goal")] {
            text.clear();
            for lang in ["en", "fr"] {
                text.insert(lang.into(), word_in(lang, key).into());
            }
        }
        Ok(crate::json::base64url(&crate::json::stringify(&p, false)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Params;
    use raft_sim::puzzle::{builtin, solution};

    fn opened(param: &str, run: Option<String>) -> Engine {
        let params = Params {
            puzzle: Some(param.to_string()),
            run,
            ..Params::default()
        };
        Engine::new(&params, vec![], Texts::new("fr"), false, || 7)
    }

    /// Each built-in puzzle's stored solution, as raft-sim plays it headless.
    fn solutions() -> Vec<(Puzzle, raft_sim::Trace)> {
        builtin()
            .unwrap()
            .into_iter()
            .map(|p| {
                let run = solution(&p.id).unwrap().unwrap().play(&p).unwrap();
                (p, run)
            })
            .collect()
    }

    #[test]
    fn puzzle_each_opens_at_its_start_and_a_solutions_link_is_judged_as_the_cli_judges_it() {
        for (p, run) in solutions() {
            let e = opened(&p.id, None);
            let r = e.puzzle.as_ref().expect("opened");
            assert_eq!((r.solved, &r.verdict), (None, &None), "{}", p.id);
            assert!(!e.playing, "{}: paused at the start", p.id);
            assert_eq!(
                e.sim().trace_hash(),
                p.cluster().unwrap().trace_hash(),
                "{}",
                p.id
            );
            let param = crate::json::base64url(&crate::json::stringify(&run, false));
            let judged = opened(&p.id, Some(param));
            let verdict = judged.puzzle.as_ref().unwrap().verdict.clone();
            assert_eq!(verdict, Some(Ok(p.judge(&run).unwrap())), "{}", p.id);
        }
        // Another puzzle's solution is not a solution of this one.
        let (a, run_a) = &solutions()[0];
        let other = builtin()
            .unwrap()
            .into_iter()
            .find(|p| p.start != a.start)
            .unwrap();
        let param = crate::json::base64url(&crate::json::stringify(run_a, false));
        let judged = opened(&other.id, Some(param));
        assert_eq!(
            judged.puzzle.unwrap().verdict,
            Some(Err(
                "cette partie ne commence pas là où commence le défi".into()
            ))
        );
        // A run of the right start that does nothing: the target is never reached.
        let (p, run) = &solutions()[0];
        let idle = raft_sim::Trace {
            actions: run.actions[..p.start.actions.len()].to_vec(),
            end: run.end,
            events: None,
            hash: None,
            ..run.clone()
        };
        let param = crate::json::base64url(&crate::json::stringify(&idle, false));
        let judged = opened(&p.id, Some(param));
        let Some(Err(why)) = judged.puzzle.unwrap().verdict else {
            panic!("judged solved")
        };
        assert!(
            why.starts_with("l'objectif n'est jamais atteint (à la fin"),
            "{why}"
        );
    }

    /// Plays the student's actions of `run` through the engine, each at the point
    /// where it was done (stepping event by event up to it), then plays on until the
    /// engine says the target holds.
    fn play_through(e: &mut Engine, p: &Puzzle, run: &raft_sim::Trace) {
        for m in &run.actions[p.start.actions.len()..] {
            while e.sim().processed() < m.after {
                e.update(Msg::Step);
            }
            if e.sim().now() < m.at {
                let _ = e.timeline.advance_to(m.at);
            }
            assert_eq!(e.sim().processed(), m.after, "{}", p.id);
            e.act(m.action.clone(), None);
            if e.puzzle.as_ref().unwrap().solved.is_some() {
                return;
            }
        }
        let mut t = 0.0;
        e.playing = true;
        e.speed = 0.05;
        while e.puzzle.as_ref().unwrap().solved.is_none() {
            t += 16.0;
            e.update(Msg::Frame(t));
            assert!(t < 3_600_000.0, "{}: never solved", p.id);
        }
    }

    #[test]
    fn puzzle_played_live_is_solved_at_the_moment_the_judge_finds() {
        for (p, run) in solutions() {
            let mut e = opened(&p.id, None);
            play_through(&mut e, &p, &run);
            let r = e.puzzle.as_ref().unwrap();
            assert_eq!(r.solved, Some(p.judge(&run).unwrap()), "{}", p.id);
            assert!(!e.playing, "{}: paused on the solution", p.id);
            assert!(e.narrator.events.iter().any(|ev| matches!(ev,
                PageEvent::PuzzleSolved { puzzle, .. } if *puzzle == p.id)));
            // The run handed in from here is judged solved.
            assert!(p.judge(&e.timeline.trace()).is_ok(), "{}", p.id);
        }
    }

    #[test]
    fn puzzle_limits_refuse_a_locked_control_and_one_action_too_many() {
        let mut e = opened("depose", None);
        let p = e.puzzle.as_ref().unwrap().puzzle.clone();
        assert!(p.limits.locked.contains(&Control::Crash));
        assert_eq!(p.limits.max_actions, Some(1));
        let before = e.sim().actions().len();
        let followers: Vec<_> = e
            .sim()
            .servers()
            .iter()
            .filter(|s| s.node.role() != raft_sim::Role::Leader)
            .map(|s| s.node.id())
            .collect();
        let (a, b) = (followers[0], followers[1]);
        e.update(Msg::Crash(1));
        assert_eq!(e.sim().actions().len(), before, "refused");
        assert_eq!(
            e.feedback.as_ref().unwrap().text,
            "Ce défi verrouille «\u{a0}Arrêter\u{a0}»."
        );
        e.update(Msg::Timeout(a));
        assert_eq!(e.sim().actions().len(), before + 1, "{:?}", e.feedback);
        e.update(Msg::Timeout(b));
        assert_eq!(e.sim().actions().len(), before + 1, "one action only");
        assert_eq!(
            e.feedback.as_ref().unwrap().text,
            "Ce défi n'autorise qu'une seule action."
        );
        // Start again: the start, and the actions counted from zero.
        e.update(Msg::Puzzle(PuzzleMsg::Again));
        assert_eq!(e.sim().actions().len(), before);
        e.update(Msg::Timeout(b));
        assert_eq!(e.sim().actions().len(), before + 1);
        // Leaving it, nothing is refused any more.
        e.update(Msg::Puzzle(PuzzleMsg::Leave));
        e.update(Msg::Crash(1));
        assert_eq!(e.sim().actions().len(), before + 2);
    }

    #[test]
    fn puzzle_made_from_a_run_opens_from_its_link_and_that_run_solves_it() {
        let (p, run) = solutions()
            .into_iter()
            .find(|(p, _)| p.id == "commit-one-down")
            .unwrap();
        let mut e = opened(&p.id, None);
        // At the start there is nothing to reach: said in the page's language.
        assert_eq!(
            e.make_puzzle().unwrap_err(),
            word(&e.texts, "made_nothing"),
            "{}",
            e.texts.code()
        );
        assert!(
            e.make_puzzle()
                .unwrap_err()
                .starts_with("Pas encore de défi")
        );
        play_through(&mut e, &p, &run);
        let param = e.make_puzzle().unwrap();
        let made = resolve(&param, "en").unwrap();
        assert_eq!(
            made.title.get("fr").map(String::as_str),
            Some("Atteindre ces journaux")
        );
        let trace = e.timeline.trace();
        assert!(
            made.judge(&trace).is_ok(),
            "the run it was made of solves it"
        );
        let e2 = opened(&param, None);
        assert_eq!(e2.puzzle.as_ref().unwrap().puzzle, made);
        // A damaged or unknown puzzle is named, and the page stays usable.
        let bad = opened("no-such-puzzle", None);
        assert!(bad.puzzle.is_none());
        assert!(bad.feedback.unwrap().text.contains("no-such-puzzle"));
    }

    #[test]
    fn puzzle_a_new_run_or_the_tour_leaves_it() {
        let mut e = opened("elect-s3", None);
        e.update(Msg::Reset(Some(3)));
        assert!(e.puzzle.is_none());
        let mut e = opened("elect-s3", None);
        e.update(Msg::TourGo(0));
        assert!(e.puzzle.is_none());
        assert!(e.in_tour());
    }
}
