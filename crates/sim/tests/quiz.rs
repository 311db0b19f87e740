//! The tour's questions: each scene of the slides asks at least one, in English and
//! French; each answer is computed from the simulation at the question's point, and
//! checked here against the tour played to the end of the scene by another path.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

mod common;

use common::check_text;
use raft_sim::quiz::{self, Answer, Ask, Choice, Questions};
use raft_sim::scenario::Condition;
use raft_sim::tour::Tour;
use raft_sim::{Simulation, Term};

/// The slides' eight scenes come first in the tour.
const SLIDE_SCENES: usize = 8;

fn points() -> Vec<(quiz::Question, Simulation, raft_sim::scenario::Runner)> {
    let tour = Tour::slides().unwrap();
    quiz::at_their_points(&tour, &Questions::tour().unwrap()).unwrap()
}

/// The tour played to the end of `scene`, headless, as the tour's own tests do.
fn end_of(scene: &str) -> (Simulation, raft_sim::scenario::Runner) {
    let tour = Tour::slides().unwrap();
    tour.play_through(tour.index_of(scene).unwrap()).unwrap()
}

#[test]
fn every_scene_of_the_slides_asks_a_question_in_both_languages() {
    let tour = Tour::slides().unwrap();
    let q = Questions::tour().unwrap();
    for scene in &tour.scenes[..SLIDE_SCENES] {
        assert!(
            q.questions.iter().any(|x| x.scene == scene.id),
            "scene {} asks nothing",
            scene.id
        );
    }
    for x in &q.questions {
        let mut texts = vec![&x.prompt, &x.explain];
        if let Ask::Choice(options) = &x.ask {
            texts.extend(options.iter().map(|o| &o.text));
        }
        for t in texts {
            check_text(t, &x.scene);
        }
    }
}

#[test]
fn the_names_in_the_texts_are_what_the_tour_remembers_at_that_point() {
    for (q, _, runner) in points() {
        let mut texts = vec![&q.prompt, &q.explain];
        if let Ask::Choice(options) = &q.ask {
            texts.extend(options.iter().map(|o| &o.text));
        }
        for text in texts.iter().flat_map(|t| t.values()) {
            for name in text.split('{').skip(1).filter_map(|s| s.split_once('}')) {
                assert!(
                    runner.names().get(name.0).is_some(),
                    "{}: {{{}}} is not a name remembered there",
                    q.scene,
                    name.0
                );
            }
        }
    }
}

#[test]
fn every_answer_is_computed_and_matches_what_the_tour_then_shows() {
    for (q, sim, runner) in points() {
        let answer = q
            .answer(&sim, &runner)
            .unwrap_or_else(|e| panic!("{} (before step {}): {e}", q.scene, q.at));
        let (end, end_runner) = end_of(&q.scene);
        match (&q.ask, answer) {
            (Ask::Majority, Answer::Count(k)) => {
                let n = sim.len();
                assert!(2 * k > n && 2 * (k - 1) <= n, "{k} of {n}");
            }
            (Ask::Winner, Answer::Server(id)) => {
                // The leader of the first term, after the question's, that elected one
                // (the checker's record of the scene played through).
                let now: Term = sim.servers().iter().map(|s| s.node.term()).max().unwrap();
                let first = end
                    .checker()
                    .leaders()
                    .iter()
                    .find(|(t, _)| **t > now)
                    .map(|(_, l)| *l);
                assert_eq!(first, Some(id), "{}", q.scene);
            }
            (Ask::SafeEntries(who), Answer::Entries(safe)) => {
                // Safe are the entries the checker knows committed, no more, no fewer.
                let id = runner.script().resolve(&sim, who).unwrap()[0];
                let log = sim.server(id).unwrap().node.log().clone();
                assert!((safe.len() as u64) < log.last_index(), "not the whole log");
                for i in 1..=log.last_index() {
                    let committed = sim
                        .checker()
                        .committed_entry(i)
                        .is_some_and(|e| Some(e.term) == log.term_at(i));
                    assert_eq!(committed, safe.contains(&i), "{}: entry {i}", q.scene);
                }
            }
            (Ask::Choice(options), Answer::Option(k)) => {
                assert!(options.len() >= 2);
                for (j, o) in options.iter().enumerate() {
                    let holds = |c: &Condition| end_runner.script().holds(&end, c).is_ok();
                    let right = match o {
                        Choice { when: Some(c), .. } => holds(c),
                        Choice {
                            unless: Some(c), ..
                        } => !holds(c),
                        _ => panic!("an option without a condition"),
                    };
                    assert_eq!(right, j == k, "{}: option {j}", q.scene);
                }
            }
            (ask, answer) => panic!("{ask:?} answered with {answer:?}"),
        }
    }
}

#[test]
fn a_choice_with_no_right_option_or_two_is_refused() {
    let (q, sim, runner) = points()
        .into_iter()
        .find(|(q, _, _)| matches!(q.ask, Ask::Choice(_)))
        .unwrap();
    let Ask::Choice(options) = &q.ask else {
        unreachable!()
    };
    let mut both = q.clone();
    let mut twice = options.clone();
    twice.push(twice[0].clone());
    let right = q.answer(&sim, &runner).unwrap();
    let Answer::Option(k) = right else {
        panic!("{right:?}")
    };
    twice.push(options[k].clone());
    both.ask = Ask::Choice(twice);
    assert!(both.answer(&sim, &runner).is_err());
    let mut none = q.clone();
    none.ask = Ask::Choice(
        options
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .map(|(_, o)| o.clone())
            .collect(),
    );
    assert!(none.answer(&sim, &runner).is_err());
}
