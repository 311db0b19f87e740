//! Predict, then reveal: questions asked at a point of the tour, before the simulation
//! shows what happens (`tour/questions.json`). The data hold the question and the
//! explanation, never the answer: the answer is computed from the simulation at that
//! point, by running its deterministic future where the question is about the future
//! (who will win, what an option predicts).

use crate::puzzle::Text;
use crate::scenario::{Condition, Runner, Who};
use crate::tour::{Tour, TourError};
use crate::{Index, MILLIS, NodeId, Role, Simulation, Term, Time};
use serde::{Deserialize, Serialize};

/// What the file says it is.
pub const FORMAT: &str = "raft-playground-questions";
/// The version of the format this program writes and reads.
pub const VERSION: u32 = 1;
/// How long the future is run for a [`Ask::Winner`] question at most.
const WINNER_WITHIN: Time = 5_000 * MILLIS;

/// The tour's questions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questions {
    /// Always [`FORMAT`].
    pub format: String,
    /// The version it was written with.
    pub version: u32,
    /// The questions, in the order of the tour.
    pub questions: Vec<Question>,
}

/// One question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The tour scene it is asked in.
    pub scene: String,
    /// Asked before this step of the scene is played (0: before anything happens).
    pub at: usize,
    /// What kind of answer it takes.
    pub ask: Ask,
    /// The question. `{name}` stands for a server or a term the tour remembered
    /// (`{old}`, `{term}`).
    pub prompt: Text,
    /// Shown with the answer: why, with the rule of Raft and its section.
    pub explain: Text,
}

/// The kinds of question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Ask {
    /// How many servers make a majority of the cluster (answered with a number).
    Majority,
    /// Click the server that will win the next election.
    Winner,
    /// Click the entries of this server's log that are safe to apply: those committed.
    SafeEntries(Who),
    /// Pick one option. An option is right if its condition holds (`if`), or does not
    /// (`unless`), once the scene has played to its end.
    Choice(Vec<Choice>),
}

/// An option of a [`Ask::Choice`] question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// What it says.
    pub text: Text,
    /// Right if this holds at the end of the scene.
    // (Written even when absent: the page embeds the questions in postcard, which
    // has no field names to tell a skipped field by.)
    #[serde(default, rename = "if")]
    pub when: Option<Condition>,
    /// Right if this does not hold at the end of the scene.
    #[serde(default)]
    pub unless: Option<Condition>,
}

/// A computed answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A number of servers.
    Count(usize),
    /// A server.
    Server(NodeId),
    /// Log indices, in order.
    Entries(Vec<Index>),
    /// The position of the right option (from 0).
    Option(usize),
}

/// The tour's questions, embedded.
pub const QUESTIONS_JSON: &str = include_str!("../tour/questions.json");

impl Questions {
    /// The tour's questions.
    pub fn tour() -> Result<Questions, String> {
        let what = |e: &dyn std::fmt::Display| format!("questions.json: {e}");
        crate::trace::read_envelope(QUESTIONS_JSON, FORMAT, VERSION).map_err(|e| what(&e))?;
        crate::json::from_str(QUESTIONS_JSON).map_err(|e| what(&e))
    }
}

impl Question {
    /// The answer, on the cluster at the question's point, with the scene's runner
    /// ready to play the rest of it (`runner`, its steps from the question on).
    pub fn answer(&self, sim: &Simulation, runner: &Runner) -> Result<Answer, String> {
        match &self.ask {
            Ask::Majority => Ok(Answer::Count(raft_core::quorum::majority(sim.len()))),
            Ask::Winner => winner(sim, runner).map(Answer::Server),
            Ask::SafeEntries(who) => safe_entries(sim, runner, who).map(Answer::Entries),
            Ask::Choice(options) => {
                let (end, runner) = play_to_end(sim, runner)?;
                let right: Vec<usize> = options
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.right(&end, &runner))
                    .map(|(k, _)| k)
                    .collect();
                match right[..] {
                    [k] => Ok(Answer::Option(k)),
                    _ => Err(format!(
                        "{} options are right at the end of the scene, not one",
                        right.len()
                    )),
                }
            }
        }
    }
}

impl Choice {
    fn right(&self, sim: &Simulation, runner: &Runner) -> bool {
        let holds = |c: &Condition| runner.script().holds(sim, c).is_ok();
        match (&self.when, &self.unless) {
            (Some(c), None) => holds(c),
            (None, Some(c)) => !holds(c),
            _ => false,
        }
    }
}

/// The rest of the scene played headless: the cluster and the runner at its end.
fn play_to_end(sim: &Simulation, runner: &Runner) -> Result<(Simulation, Runner), String> {
    let (mut sim, mut runner) = (sim.clone(), runner.clone());
    runner.finish(&mut sim).map_err(|e| e.to_string())?;
    Ok((sim, runner))
}

/// The first server elected in a term after the current ones, playing the rest of the
/// scene (and then letting the cluster run) until one is.
fn winner(sim: &Simulation, runner: &Runner) -> Result<NodeId, String> {
    let top =
        |s: &Simulation| -> Term { s.servers().iter().map(|x| x.node.term()).max().unwrap_or(0) };
    let term_now = top(sim);
    let elected = |s: &Simulation| {
        s.servers()
            .iter()
            .filter(|x| x.alive && x.node.role() == Role::Leader && x.node.term() > term_now)
            .min_by_key(|x| x.node.term())
            .map(|x| x.node.id())
    };
    let (mut sim, mut runner) = (sim.clone(), runner.clone());
    // (The page holds its runner at the question: the future plays past it.)
    runner.hold_before(None);
    let end = sim.now().saturating_add(WINNER_WITHIN);
    while sim.now() < end {
        let next = sim.now() + MILLIS;
        runner.advance(&mut sim, next);
        if sim.now() < next {
            sim.advance_to(next);
        }
        if let Some(id) = elected(&sim) {
            return Ok(id);
        }
    }
    Err("no server is elected in the next 5 s".into())
}

/// The entries of `who`'s log that are committed: some server has committed an entry of
/// the same index and term (by Log Matching, the same entry and all before it).
fn safe_entries(sim: &Simulation, runner: &Runner, who: &Who) -> Result<Vec<Index>, String> {
    let ids = runner.script().resolve(sim, who)?;
    let [id] = ids[..] else {
        return Err(format!("{who} must name one server"));
    };
    let server = sim.server(id).ok_or_else(|| format!("no server S{id}"))?;
    let log = server.node.log();
    Ok((1..=log.last_index())
        .filter(|&i| {
            let term = log.term_at(i);
            sim.servers().iter().any(|s| {
                s.node.commit_index() >= i && term.is_some() && s.node.log().term_at(i) == term
            })
        })
        .collect())
}

/// Each question of `questions` with the cluster and runner at its point of the tour,
/// played headless (in the order of the tour).
pub fn at_their_points(
    tour: &Tour,
    questions: &Questions,
) -> Result<Vec<(Question, Simulation, Runner)>, String> {
    let mut out = Vec::new();
    for q in &questions.questions {
        let k = tour
            .index_of(&q.scene)
            .ok_or_else(|| format!("no tour scene {:?}", q.scene))?;
        let (mut sim, runner) = tour.start(k).map_err(|e: TourError| e.to_string())?;
        let script = tour.scenes[k].script();
        if q.at > script.len() {
            return Err(format!(
                "scene {} has {} steps; a question cannot come before step {}",
                q.scene,
                script.len(),
                q.at
            ));
        }
        let mut before = Runner::continuing(script[..q.at].to_vec(), &sim, &runner);
        before.finish(&mut sim).map_err(|e| e.to_string())?;
        let rest = Runner::continuing(script[q.at..].to_vec(), &sim, &before);
        out.push((q.clone(), sim, rest));
    }
    Ok(out)
}
