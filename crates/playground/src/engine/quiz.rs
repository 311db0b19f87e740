//! Predict, then reveal: the tour's questions asked in the page (feature `exercises`).
//!
//! raft-sim holds the questions (`tour/questions.json`) and computes each answer from
//! the cluster at the question's point; this module stops the tour's runner there,
//! keeps what the student answered, and scores it. While a question is on screen the
//! cluster stays still, so that the answer is a prediction; once answered, the
//! explanation shows and the scene plays on when the student continues.

use super::narration::PageEvent;
pub use super::words::word as text;
use super::{Engine, Msg};
use crate::guide::Guide;
use crate::i18n::{Texts, fill_in};
use raft_sim::quiz::{Answer, Ask, Question, Questions};
use raft_sim::{Index, Simulation};

/// The questions and what was answered.
#[derive(Clone, Debug, PartialEq)]
pub struct Quiz {
    /// Questions are asked (`quiz=0` turns them off).
    pub on: bool,
    questions: Vec<Question>,
    /// The question on screen, if one is.
    pub asked: Option<Asked>,
    /// The question the runner holds for, by index, before it is on screen.
    armed: Option<usize>,
    /// For each question, whether its last answer was right (`None`: not answered).
    pub results: Vec<Option<bool>>,
}

/// A question on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Asked {
    /// Its index among the questions.
    pub index: usize,
    /// The answer, computed from the cluster at this point.
    pub answer: Answer,
    /// The entries ticked so far (a question on safe entries).
    pub ticked: Vec<Index>,
    /// What the student answered, once they have.
    pub given: Option<Answer>,
}

/// What the student does with a question.
#[derive(Clone, Debug, PartialEq)]
pub enum QuizMsg {
    /// Answers it.
    Answer(Answer),
    /// Ticks an entry, or unticks it (a question on safe entries).
    Tick(Index),
    /// Answers a question on safe entries with the entries ticked.
    Check,
    /// Goes on with the scene after the explanation.
    Continue,
}

impl Quiz {
    /// The tour's questions (none if they do not read: a test reads them).
    pub fn new(on: bool) -> Self {
        let questions = embedded().map(|q| q.questions).unwrap_or_default();
        Quiz {
            on,
            results: vec![None; questions.len()],
            questions,
            asked: None,
            armed: None,
        }
    }

    /// The question on screen, with its data.
    pub fn current(&self) -> Option<(&Asked, &Question)> {
        let a = self.asked.as_ref()?;
        Some((a, self.questions.get(a.index)?))
    }

    /// (right, answered) so far.
    pub fn score(&self) -> (usize, usize) {
        let answered = self.results.iter().flatten();
        (answered.clone().filter(|r| **r).count(), answered.count())
    }

    /// Makes the scene's runner hold at the first question of the scene after
    /// `after` (a question index; `None`: from the scene's start), if any.
    fn arm(&mut self, guide: &mut Guide, after: Option<usize>) {
        self.asked = None;
        let scene = guide.scene_id();
        let from = guide.runner.position();
        let next = self
            .questions
            .iter()
            .enumerate()
            .filter(|(i, q)| q.scene == scene && q.at >= from && after.is_none_or(|a| *i > a))
            .min_by_key(|(i, q)| (q.at, *i))
            .map(|(i, q)| (i, q.at));
        self.armed = next.filter(|_| self.on).map(|(i, _)| i);
        guide
            .runner
            .hold_before(self.armed.map(|i| self.questions[i].at));
    }

    /// Puts the armed question on screen once the runner holds at it: its answer
    /// worked out from the cluster now (and its future). A question whose answer
    /// cannot be worked out is skipped (the tests make sure none is).
    fn ask_if_held(&mut self, guide: &mut Guide, sim: &Simulation) {
        let Some(i) = self.armed.filter(|_| self.asked.is_none()) else {
            return;
        };
        if !guide.runner.holding() {
            return;
        }
        match self.questions[i].answer(sim, &guide.runner) {
            Ok(answer) => {
                self.asked = Some(Asked {
                    index: i,
                    answer,
                    ticked: Vec::new(),
                    given: None,
                });
            }
            Err(_) => self.arm(guide, Some(i)),
        }
    }
}

/// The tour's questions, compiled by build.rs from `tour/questions.json` into postcard.
fn embedded() -> Option<Questions> {
    const QUESTIONS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/questions.postcard"));
    postcard::from_bytes(QUESTIONS).ok()
}

/// A question's text in the page's language (English where it lacks one), the names
/// the tour remembers filled in.
pub fn words(
    texts: &Texts,
    guide: &Guide,
    text: &std::collections::BTreeMap<String, String>,
) -> String {
    let template = raft_sim::puzzle::text(text, texts.code());
    guide.with_names(texts, |args| fill_in(template, args))
}

/// An answer in words.
pub fn answer_words(texts: &Texts, guide: &Guide, q: &Question, a: &Answer) -> String {
    match a {
        Answer::Count(n) => n.to_string(),
        Answer::Server(id) => super::status::name(*id),
        Answer::Entries(e) if e.is_empty() => text(texts, "none").to_string(),
        Answer::Entries(e) => texts.list(&e.iter().map(ToString::to_string).collect::<Vec<_>>()),
        Answer::Option(k) => match &q.ask {
            Ask::Choice(options) => options
                .get(*k)
                .map(|o| words(texts, guide, &o.text))
                .unwrap_or_default(),
            _ => String::new(),
        },
    }
}

impl Engine {
    /// After the tour starts a scene: hold at its first question.
    pub(super) fn quiz_scene_started(&mut self) {
        if let Some(g) = self.guide.as_mut() {
            self.quiz.arm(g, None);
        }
    }

    /// After time is played in the tour: a question comes up where the runner holds.
    pub(super) fn quiz_after_play(&mut self) {
        if let Some(g) = self.guide.as_mut().filter(|g| g.active) {
            self.quiz.ask_if_held(g, self.timeline.sim());
        }
    }

    /// A click on a server while a "which server" question waits answers it.
    pub(super) fn quiz_click(&self, msg: &Msg) -> Option<Msg> {
        let (a, q) = self.quiz.current()?;
        match (msg, &q.ask) {
            (Msg::Select(Some(id)), Ask::Winner) if a.given.is_none() && self.in_tour() => {
                Some(Msg::Quiz(QuizMsg::Answer(Answer::Server(*id))))
            }
            _ => None,
        }
    }

    pub(super) fn on_quiz(&mut self, msg: QuizMsg) {
        if !self.in_tour() {
            return;
        }
        let Some(asked) = self.quiz.asked.as_mut() else {
            return;
        };
        let open = asked.given.is_none();
        match msg {
            // (Kept in order by where each goes in, without a sort's code.)
            QuizMsg::Tick(i) if open => match asked.ticked.binary_search(&i) {
                Ok(k) => {
                    asked.ticked.remove(k);
                }
                Err(k) => asked.ticked.insert(k, i),
            },
            QuizMsg::Check if open => {
                let given = Answer::Entries(asked.ticked.clone());
                self.answer(given);
            }
            QuizMsg::Answer(given) if open => self.answer(given),
            QuizMsg::Continue if !open => {
                let i = asked.index;
                if let Some(g) = self.guide.as_mut() {
                    self.quiz.arm(g, Some(i));
                }
            }
            _ => {}
        }
    }

    fn answer(&mut self, given: Answer) {
        let Some(asked) = self.quiz.asked.as_mut() else {
            return;
        };
        let right = given == asked.answer;
        asked.given = Some(given);
        let i = asked.index;
        self.quiz.results[i] = Some(right);
        let q = &self.quiz.questions[i];
        self.narrator.events.push(PageEvent::Answer {
            scene: q.scene.clone(),
            question: i,
            right,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Params;
    use raft_sim::tour::Tour;

    fn touring(scene: &str, quiz: bool) -> Engine {
        let params = Params {
            scene: Some(scene.to_string()),
            quiz,
            ..Params::default()
        };
        Engine::new(&params, vec![], Texts::new("fr"), false, || 7)
    }

    /// Plays frames until the scene reaches its checkpoint, answering each question
    /// with `answer` (given the question and its right answer); returns each question
    /// asked with its computed answer.
    fn play_scene(
        e: &mut Engine,
        answer: impl Fn(&Question, &Answer) -> Msg,
    ) -> Vec<(usize, Answer)> {
        let mut asked = Vec::new();
        let mut t = 0.0;
        while e.guide.as_ref().unwrap().state() == crate::guide::SceneState::Playing {
            t += 16.0;
            e.update(Msg::Frame(t));
            if let Some((a, q)) = e.quiz.current().filter(|(a, _)| a.given.is_none()) {
                let (i, right, q) = (a.index, a.answer.clone(), q.clone());
                // The cluster stays still while the question waits, frames or steps.
                let (now, events) = (e.sim().now(), e.sim().stats().events);
                for _ in 0..50 {
                    t += 16.0;
                    e.update(Msg::Frame(t));
                }
                e.update(Msg::Step);
                e.update(Msg::TogglePlay);
                assert_eq!((e.sim().now(), e.sim().stats().events), (now, events));
                asked.push((i, right.clone()));
                e.update(answer(&q, &right));
                assert!(e.quiz.current().unwrap().0.given.is_some(), "answered");
                e.update(Msg::Quiz(QuizMsg::Continue));
            }
            assert!(t < 2_000_000.0, "the scene never ended");
        }
        asked
    }

    #[test]
    fn quiz_the_embedded_questions_are_the_questions_file() {
        assert_eq!(embedded(), Some(Questions::tour().unwrap()));
    }

    #[test]
    fn quiz_every_question_comes_up_at_its_point_with_the_answer_worked_out_headless() {
        let tour = Tour::slides().unwrap();
        let questions = Questions::tour().unwrap();
        let headless: Vec<(usize, Answer)> = raft_sim::quiz::at_their_points(&tour, &questions)
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, (q, sim, runner))| (i, q.answer(sim, runner).unwrap()))
            .collect();
        let mut seen = Vec::new();
        for scene in &tour.scenes {
            let mut e = touring(&scene.id, true);
            seen.extend(play_scene(&mut e, |_, right| {
                Msg::Quiz(QuizMsg::Answer(right.clone()))
            }));
            let (right, answered) = e.quiz.score();
            assert_eq!(right, answered, "every answer given was the right one");
        }
        assert_eq!(seen, headless);
        assert_eq!(seen.len(), questions.questions.len());
    }

    #[test]
    fn quiz_a_wrong_answer_scores_nothing_and_the_scene_goes_on() {
        let mut e = touring("raft", true);
        let asked = play_scene(&mut e, |_, _| Msg::Quiz(QuizMsg::Answer(Answer::Count(2))));
        assert_eq!(asked, vec![(0, Answer::Count(3))], "three of five");
        assert_eq!(e.quiz.score(), (0, 1));
        assert_eq!(e.quiz.results[0], Some(false));
        let events: Vec<_> = e.narrator.events.iter().map(PageEvent::name).collect();
        assert!(events.contains(&"answer"), "{events:?}");
        assert!(e.narrator.events.contains(&PageEvent::Answer {
            scene: "raft".into(),
            question: 0,
            right: false
        }));
    }

    /// Plays frames until a question waits for its answer.
    fn until_asked(e: &mut Engine) {
        let mut t = e.clock.wall;
        while e.quiz.current().is_none_or(|(a, _)| a.given.is_some()) {
            t += 16.0;
            e.update(Msg::Frame(t));
            assert!(t < 600_000.0, "no question came");
        }
    }

    #[test]
    fn quiz_entries_are_ticked_then_checked() {
        let mut e = touring("reunion", true);
        until_asked(&mut e);
        let (a, q) = e.quiz.current().unwrap();
        let Ask::SafeEntries(_) = q.ask else {
            panic!("{:?}", q.ask)
        };
        let Answer::Entries(safe) = a.answer.clone() else {
            panic!("{:?}", a.answer)
        };
        assert!(!safe.is_empty());
        let extra = safe.iter().max().unwrap() + 1;
        for &i in safe.iter().chain([&extra]) {
            e.update(Msg::Quiz(QuizMsg::Tick(i)));
        }
        e.update(Msg::Quiz(QuizMsg::Tick(extra)));
        assert_eq!(
            e.quiz.current().unwrap().0.ticked,
            safe,
            "ticked, the extra unticked"
        );
        e.update(Msg::Quiz(QuizMsg::Check));
        assert_eq!(
            e.quiz.current().unwrap().0.given,
            Some(Answer::Entries(safe))
        );
        assert_eq!(e.quiz.score(), (1, 1));
        // Answered: ticks change nothing any more.
        e.update(Msg::Quiz(QuizMsg::Tick(extra)));
        assert!(!e.quiz.current().unwrap().0.ticked.contains(&extra));
        // The next question of the same moment follows.
        e.update(Msg::Quiz(QuizMsg::Continue));
        until_asked(&mut e);
        assert!(matches!(e.quiz.current().unwrap().1.ask, Ask::Choice(_)));
    }

    #[test]
    fn quiz_clicking_a_server_answers_which_server_will_win() {
        let mut e = touring("election", true);
        let mut t = 0.0;
        while e.quiz.current().is_none() {
            t += 16.0;
            e.update(Msg::Frame(t));
            assert!(t < 600_000.0);
        }
        let Some((a, q)) = e.quiz.current() else {
            unreachable!()
        };
        assert_eq!(q.ask, Ask::Winner);
        let Answer::Server(winner) = a.answer else {
            panic!("{:?}", a.answer)
        };
        e.update(Msg::Select(Some(winner)));
        assert_eq!(e.selected, None, "no menu opened: the click answered");
        assert_eq!(
            e.quiz.current().unwrap().0.given,
            Some(Answer::Server(winner))
        );
        assert_eq!(e.quiz.score(), (1, 1));
        // Answered: a click on a server opens its menu again.
        e.update(Msg::Select(Some(winner)));
        assert_eq!(e.selected, Some(winner));
    }

    #[test]
    fn quiz_off_asks_nothing_and_the_tour_plays_through() {
        for scene in ["raft", "election", "reunion"] {
            let mut e = touring(scene, false);
            assert!(play_scene(&mut e, |_, _| unreachable!()).is_empty());
            assert_eq!(e.quiz.score(), (0, 0));
        }
    }
}
