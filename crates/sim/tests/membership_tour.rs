//! The chapter "Changing the configuration" (`tour/membership.json`): every scene
//! reaches its checkpoint headless; its captions are written in English and French;
//! the single-server change without the 2015 rule elects two leaders in one term, and
//! with it the same actions stay safe; a follower far behind catches up from a
//! snapshot.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use raft_sim::Property;
use raft_sim::tour::Tour;
use std::collections::BTreeMap;

fn chapter() -> Tour {
    Tour::membership().unwrap()
}

#[test]
fn every_scene_reaches_its_checkpoint() {
    let tour = chapter();
    assert_eq!(tour.scenes.len(), 5);
    assert!(tour.scenes[0].chapter.is_some());
    for k in 0..tour.scenes.len() {
        tour.play_through(k).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn every_caption_is_written_in_english_and_french() {
    let texts: BTreeMap<String, BTreeMap<String, String>> =
        serde_json::from_str(include_str!("../tour/membership-texts.json")).unwrap();
    let tour = chapter();
    for (k, scene) in tour.scenes.iter().enumerate() {
        let (_, runner) = tour.play_through(k).unwrap();
        let keys = scene
            .steps
            .iter()
            .filter_map(|s| s.caption())
            .chain(scene.chapter.as_deref());
        for key in keys {
            for lang in ["en", "fr"] {
                let text = texts[lang]
                    .get(key)
                    .unwrap_or_else(|| panic!("{key}: no {lang} text"));
                for name in text.split('{').skip(1).filter_map(|s| s.split_once('}')) {
                    // Configurations are written C{1,2,3}: only letters name a server.
                    if name.0.chars().all(|c| c.is_ascii_lowercase()) {
                        assert!(runner.server(name.0).is_some(), "{key}: {{{}}}", name.0);
                    }
                }
            }
            let fr = &texts["fr"][key];
            let chars: Vec<char> = fr.chars().collect();
            for (i, c) in chars.iter().enumerate() {
                if matches!(c, ':' | '?' | '!' | ';') {
                    assert_eq!(chars[i - 1], '\u{a0}', "{key}: {fr}");
                }
            }
        }
    }
    let used: usize = tour
        .scenes
        .iter()
        .map(|s| {
            s.steps.iter().filter(|x| x.caption().is_some()).count()
                + usize::from(s.chapter.is_some())
        })
        .sum();
    assert_eq!(texts["en"].len(), used, "no text left unused");
}

#[test]
fn without_the_2015_rule_two_leaders_share_a_term_and_with_it_none_do() {
    let tour = chapter();
    let (bug, _) = tour
        .play_through(tour.index_of("single-bug").unwrap())
        .unwrap();
    let two = bug
        .violations()
        .iter()
        .find(|v| v.property == Property::ElectionSafety)
        .expect("Election Safety broken");
    assert_eq!(two.nodes, vec![1, 2], "{two}");
    let (fixed, _) = tour
        .play_through(tour.index_of("single-fixed").unwrap())
        .unwrap();
    assert!(fixed.violations().is_empty(), "{:?}", fixed.violations());
    // The same actions up to the refused removal: both runs elect S2 in the same term.
    let term_of_s2 = |sim: &raft_sim::Simulation| {
        sim.checker()
            .leaders()
            .iter()
            .find(|(_, l)| **l == 2)
            .map(|(t, _)| *t)
    };
    assert_eq!(term_of_s2(&bug), term_of_s2(&fixed));
}

#[test]
fn the_server_left_behind_catches_up_from_a_snapshot() {
    let tour = chapter();
    let k = tour.index_of("snapshot").unwrap();
    let (start, _) = tour.start(k).unwrap();
    let (end, runner) = tour.play_through(k).unwrap();
    let behind = runner.server("behind").unwrap();
    assert_eq!(start.stats().installs, 0);
    assert!(
        end.stats().installs >= 1,
        "InstallSnapshot delivered: {:?}",
        end.stats()
    );
    let s = end.server(behind).unwrap();
    assert!(s.node.log().snapshot_index() >= 6);
    assert_eq!(s.register.value, 8);
}
