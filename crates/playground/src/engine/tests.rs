//! The page's state, driven as the page drives it.

use super::*;
use crate::params::Params;

fn engine(nodes: usize, seed: u64) -> Engine {
    let params = Params {
        seed: Some(seed),
        nodes,
        speed: 1.0,
        speed_given: true,
        ..Params::default()
    };
    Engine::new(&params, vec![], Texts::new("en"), false, || 7)
}

/// Plays `ms` of real time at the engine's speed, frame by frame.
fn play(e: &mut Engine, ms: f64) {
    let start = e.clock.wall;
    let mut t = 1e6 + start;
    e.clock.restart();
    e.update(Msg::Frame(t));
    while e.clock.wall < start + ms {
        t += 16.0;
        e.update(Msg::Frame(t));
    }
}

#[test]
fn the_page_starts_just_before_the_first_election_and_elects_quickly() {
    let mut e = engine(5, 1);
    assert!(e.sim().leader().is_none());
    play(&mut e, 400.0);
    assert!(
        e.sim().leader().is_some(),
        "a leader within 400 ms of real time at speed 1"
    );
    assert!(e.status()[0].contains("is leader in term"));
}

#[test]
fn speed_scales_simulated_time_and_pause_stops_it() {
    let mut e = engine(3, 2);
    e.speed = 0.02;
    let (t0, wall0) = (e.sim().now(), e.clock.wall);
    play(&mut e, 1_000.0);
    let dt = e.sim().now() - t0;
    // Exactly the real time played times the speed, to the microsecond.
    let want = (e.clock.wall - wall0) * 0.02 * MILLIS as f64;
    assert!((dt as f64 - want).abs() <= 1.0, "{dt} µs, expected {want}");
    e.update(Msg::TogglePlay);
    let t1 = e.sim().now();
    play(&mut e, 1_000.0);
    assert_eq!(e.sim().now(), t1);
    let events = e.sim().stats().events;
    e.update(Msg::Step);
    assert_eq!(e.sim().stats().events, events + 1, "one event, no more");
    assert!(!e.playing);
    let t2 = e.sim().now();
    // A hidden tab's long gap counts as one short frame.
    e.update(Msg::TogglePlay);
    e.update(Msg::Frame(1e9));
    e.update(Msg::Frame(2e9));
    assert!(e.sim().now() - t2 <= (clock::MAX_FRAME_MS * 0.02 * MILLIS as f64) as Time + 1);
}

#[test]
fn faster_and_slower_walk_the_speed_list_and_stop_at_the_ends() {
    let mut e = engine(3, 3);
    e.speed = DEFAULT_SPEED;
    e.update(Msg::Faster);
    assert_eq!(e.speed, 0.05);
    for _ in 0..20 {
        e.update(Msg::Faster);
    }
    assert_eq!(e.speed, 1.0);
    for _ in 0..20 {
        e.update(Msg::Slower);
    }
    assert_eq!(e.speed, 0.001);
}

#[test]
fn a_follower_answers_a_client_with_a_redirect_in_words() {
    let mut e = engine(5, 4);
    play(&mut e, 600.0);
    let leader = e.sim().leader().unwrap();
    let follower = (1..=5).find(|&i| i != leader).unwrap();
    e.update(Msg::Submit(follower, "Set 1".into()));
    let f = e.feedback.clone().unwrap();
    assert!(!f.error, "a redirect is a normal Raft answer, not an error");
    assert_eq!(
        f.text,
        format!("S{follower} is not the leader: ask S{leader}.")
    );
    e.update(Msg::Submit(leader, "Set 1".into()));
    assert!(
        e.feedback
            .clone()
            .unwrap()
            .text
            .contains("appended Set 1 at index 1")
    );
    e.update(Msg::Submit(leader, "Mul 3".into()));
    assert_eq!(e.feedback.clone().unwrap().text, e.texts.get("bad_command"));
}

#[test]
fn a_refused_click_is_told_in_the_pages_language() {
    let mut e = engine(5, 4);
    e.update(Msg::SetLang("fr".into()));
    play(&mut e, 600.0);
    let leader = e.sim().leader().unwrap();
    let hash = e.sim().trace_hash();
    // "Time out now" on the leader (its key, `t`, with the leader selected).
    e.update(Msg::Timeout(leader));
    let f = e.feedback.clone().unwrap();
    assert!(f.error);
    assert_eq!(
        f.text,
        format!("S{leader} est le leader\u{a0}: un leader n'a pas de minuteur d'élection.")
    );
    assert_eq!(
        e.last_error.as_deref(),
        Some(f.text.as_str()),
        "the API is told the same"
    );
    assert_eq!(e.sim().trace_hash(), hash, "nothing done");
    // A message clicked just after it arrived.
    e.update(Msg::DropMessage(u64::MAX));
    assert_eq!(
        e.feedback.clone().unwrap().text,
        format!("Le message n°\u{a0}{} n'est plus en route.", u64::MAX)
    );
}

#[test]
fn with_lease_reads_a_follower_under_the_lease_does_not_time_out_and_the_page_says_why() {
    let mut e = engine(5, 4);
    let raft = raft_sim::raft_core::Config {
        read_mode: raft_sim::raft_core::ReadMode::Lease,
        ..e.sim().initial_config().raft.clone()
    };
    e.update(Msg::SetRaft(raft));
    play(&mut e, 600.0);
    let leader = e.sim().leader().unwrap();
    let follower = (1..=5).find(|&i| i != leader).unwrap();
    let hash = e.sim().trace_hash();
    e.update(Msg::Timeout(follower));
    let f = e.feedback.clone().unwrap();
    assert!(f.error);
    assert!(
        f.text.starts_with(&format!(
            "S{follower} heard from the leader less than 150 ms ago"
        )),
        "{}",
        f.text
    );
    assert_eq!(e.sim().trace_hash(), hash, "nothing done");
    // Without the lease, the same click makes it stand.
    let mut plain = engine(5, 4);
    play(&mut plain, 600.0);
    let leader = plain.sim().leader().unwrap();
    let follower = (1..=5).find(|&i| i != leader).unwrap();
    plain.update(Msg::Timeout(follower));
    assert!(!plain.feedback.clone().unwrap().error);
}

#[test]
fn impossible_clicks_say_why_and_change_nothing() {
    let mut e = engine(3, 5);
    let hash = e.sim().trace_hash();
    e.update(Msg::Restart(1));
    assert_eq!(e.feedback.clone().unwrap().text, "S1 is already running.");
    e.update(Msg::DropMessage(123_456));
    e.update(Msg::Crash(9));
    e.update(Msg::Escape); // nothing to close: nothing changes
    assert_eq!(e.sim().trace_hash(), hash);
}

#[test]
fn the_split_mode_builds_islands_and_applies_them() {
    let mut e = engine(5, 6);
    e.update(Msg::SplitMode);
    assert_eq!(e.split, Some(vec![0, 0, 0, 1, 1]));
    e.update(Msg::Select(Some(3))); // clicking a server in split mode moves it
    assert_eq!(e.split, Some(vec![0, 0, 1, 1, 1]));
    assert_eq!(e.selected, None);
    e.update(Msg::ApplySplit);
    assert_eq!(e.sim().network().islands(), &[vec![1, 2], vec![3, 4, 5]]);
    assert!(
        e.status()
            .iter()
            .any(|l| l == "S1 and S2 cannot reach a majority.")
    );
    e.update(Msg::Heal);
    assert!(e.sim().network().is_whole());
}

#[test]
fn links_toggle_and_the_status_names_stopped_servers() {
    let mut e = engine(3, 7);
    e.update(Msg::ToggleLink(1, 2));
    assert!(e.sim().network().is_cut(1, 2) && e.sim().network().is_cut(2, 1));
    e.update(Msg::ToggleLink(2, 1));
    assert!(e.sim().network().is_whole());
    e.update(Msg::Crash(2));
    e.update(Msg::Crash(3));
    let status = e.status();
    assert!(
        status.contains(&"S2 and S3 are stopped.".to_string()),
        "{status:?}"
    );
    assert!(
        status.contains(&"S1 cannot reach a majority.".to_string()),
        "{status:?}"
    );
}

#[test]
fn reset_keeps_or_changes_the_seed_and_nodes_change_the_ring() {
    let mut e = engine(5, 8);
    play(&mut e, 300.0);
    e.update(Msg::Reset(None));
    assert_eq!(e.seed, 7, "a fresh seed from the random source");
    e.update(Msg::Reset(Some(99)));
    assert_eq!(e.seed, 99);
    e.update(Msg::SetNodes(7));
    assert_eq!(e.sim().len(), 7);
    e.update(Msg::SetNodes(4));
    assert_eq!(e.sim().len(), 7, "only 3, 5 or 7");
}

#[test]
fn candidates_and_leaders_speak_the_slides_lines_in_french() {
    let mut e = engine(5, 9);
    e.update(Msg::SetLang("fr".into()));
    let mut said = Vec::new();
    let mut t = 0.0;
    for _ in 0..200 {
        t += 16.0;
        e.update(Msg::Frame(t));
        said.extend(e.narrator.bubbles.iter().map(|b| b.text.clone()));
    }
    assert!(
        said.iter().any(|s| s == "Votez pour moi\u{a0}!"),
        "{said:?}"
    );
    assert!(
        said.iter()
            .any(|s| s == "C'est toujours moi le chef\u{a0}!"),
        "{said:?}"
    );
    let leader = e.sim().leader().unwrap();
    e.update(Msg::Submit(leader, "Set 1".into()));
    let mut commit = false;
    for _ in 0..100 {
        t += 16.0;
        e.update(Msg::Frame(t));
        commit |= e
            .narrator
            .bubbles
            .iter()
            .any(|b| b.text == "C'est toujours moi le chef, [1] Set 1 validé\u{a0}!");
    }
    assert!(commit);
    e.update(Msg::ToggleBubbles);
    assert!(e.narrator.bubbles.is_empty());
}

fn touring(scene: &str) -> Engine {
    let params = Params {
        scene: Some(scene.to_string()),
        ..Params::default()
    };
    Engine::new(&params, vec![], Texts::new("fr"), false, || 7)
}

#[test]
fn a_scene_in_the_url_opens_the_tour_there_at_the_tour_speed() {
    let e = touring("split");
    let g = e.guide.as_ref().unwrap();
    assert!(e.in_tour());
    assert_eq!(g.scene_id(), "split");
    assert_eq!(e.speed, crate::guide::TOUR_SPEED);
    assert_eq!(e.seed, g.tour.seed);
    // Set 1 is committed everywhere at the start of the split.
    assert!(e.sim().servers().iter().all(|s| s.node.commit_index() == 1));
}

#[test]
fn a_scene_played_frame_by_frame_reaches_its_checkpoint() {
    let mut e = touring("replication");
    e.speed = 0.2;
    let mut t = 0.0;
    while e.guide.as_ref().unwrap().state() == crate::guide::SceneState::Playing {
        t += 16.0;
        e.update(Msg::Frame(t));
        assert!(t < 60_000.0, "the scene never ended");
    }
    assert_eq!(
        e.guide.as_ref().unwrap().state(),
        crate::guide::SceneState::Reached
    );
    assert!(e.sim().servers().iter().all(|s| s.register.value == 1));
    let g = e.guide.as_ref().unwrap();
    assert_eq!(g.caption_key(), Some("tour_replication_4"));
    assert!(
        !g.caption(&e.texts).unwrap().contains('{'),
        "names filled in"
    );
}

#[test]
fn next_back_replay_and_let_me_play() {
    let mut e = touring("raft");
    e.update(Msg::TourBack);
    assert_eq!(
        e.guide.as_ref().unwrap().scene,
        0,
        "no scene before the first"
    );
    e.update(Msg::TourNext);
    e.update(Msg::TourNext);
    assert_eq!(e.guide.as_ref().unwrap().scene_id(), "leader-dies");
    for _ in 0..20 {
        e.update(Msg::TourNext);
    }
    assert_eq!(
        e.guide.as_ref().unwrap().scene_id(),
        "transfer",
        "no scene after the last"
    );
    e.update(Msg::TourReplay);
    assert_eq!(e.guide.as_ref().unwrap().scene_id(), "transfer");
    // A click that changes the cluster leaves the tour, and keeps the cluster.
    let hash_before = e.sim().trace_hash();
    e.update(Msg::Crash(1));
    assert!(!e.in_tour());
    assert_ne!(e.sim().trace_hash(), hash_before);
    e.update(Msg::TourReturn);
    assert!(e.in_tour());
    assert_eq!(e.guide.as_ref().unwrap().scene_id(), "transfer");
    e.update(Msg::TourLeave);
    assert!(!e.in_tour());
}

/// Letters and digits only, lower case, "œ" as "oe": how a slide's line is found in
/// a caption or a bubble whatever its spaces and capitals.
fn plain(s: &str) -> String {
    s.replace('œ', "oe")
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '<' || *c == '[')
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a class sees of scene `id` in `lang`, played as the page plays it (16 ms
/// frames at the tour's speed) until its checkpoint and a little after: each caption
/// with how long it stayed up (real ms), and every speech bubble.
fn watch(id: &str, lang: &str) -> (Engine, Vec<(String, String, f64)>, Vec<String>) {
    let params = Params {
        scene: Some(id.to_string()),
        lang: Some(lang.to_string()),
        ..Params::default()
    };
    let mut e = Engine::new(&params, vec![], Texts::new(lang), false, || 7);
    let mut shown: Vec<(String, String, f64)> = Vec::new();
    let mut bubbles = Vec::new();
    let (mut t, mut after) = (0.0, 0);
    while after < 120 {
        t += 16.0;
        e.update(Msg::Frame(t));
        let g = e.guide.as_ref().unwrap();
        if let (Some(key), Some(text)) = (g.caption_key(), g.caption(&e.texts))
            && shown
                .last()
                .is_none_or(|(k, txt, _)| k != key || *txt != text)
        {
            shown.push((key.to_string(), text, e.clock.wall));
        }
        bubbles.extend(e.narrator.bubbles.iter().map(|b| b.text.clone()));
        if g.state() != crate::guide::SceneState::Playing {
            after += 1;
        }
        assert!(t < 600_000.0, "scene {id} never ended");
    }
    assert_eq!(
        e.guide.as_ref().unwrap().state(),
        crate::guide::SceneState::Reached
    );
    // Each caption's time on screen: until the next one came.
    let mut timed = Vec::new();
    for (k, (key, text, at)) in shown.iter().enumerate() {
        let until = shown.get(k + 1).map_or(e.clock.wall, |n| n.2);
        timed.push((key.clone(), text.clone(), until - at));
    }
    (e, timed, bubbles)
}

#[test]
fn every_caption_of_every_scene_is_shown_long_enough_to_read_and_the_slides_lines_appear() {
    let tour = crate::json::tour().unwrap();
    for lang in ["fr", "en"] {
        for scene in &tour.scenes {
            let (e, captions, bubbles) = watch(&scene.id, lang);
            let keys: Vec<&str> = scene.steps.iter().filter_map(|s| s.caption()).collect();
            let seen: Vec<&str> = captions.iter().map(|(k, _, _)| k.as_str()).collect();
            assert_eq!(seen, keys, "{lang} {}: every caption, in order", scene.id);
            for (key, text, ms) in &captions[..captions.len().saturating_sub(1)] {
                let need = crate::guide::reading_ms(text);
                assert!(
                    *ms >= need,
                    "{lang} {}: {key} up {ms} ms, needs {need}",
                    scene.id
                );
            }
            let said: Vec<String> = captions
                .iter()
                .map(|(_, t, _)| plain(t))
                .chain(bubbles.iter().map(|b| plain(b)))
                .collect();
            for line in &scene.slides {
                let want = plain(&e.texts.get(line));
                assert!(
                    said.iter().any(|s| s.contains(&want)),
                    "{lang} {}: the slides' line {line:?} ({want}) is never said",
                    scene.id
                );
            }
        }
    }
}

#[test]
fn the_simultaneous_candidates_are_named_as_the_run_had_them() {
    for lang in ["en", "fr"] {
        let (e, captions, _) = watch("simultaneous", lang);
        let g = e.guide.as_ref().unwrap();
        let winner = g.runner.server("winner").unwrap();
        let won = e.sim().server(winner).unwrap().node.term();
        // Who stood in the winning term, from the timeline's own election marks.
        let mut stood: Vec<u32> = e
            .timeline
            .markers()
            .iter()
            .filter(|m| m.kind == raft_sim::NoteKind::Candidate(won))
            .map(|m| m.node)
            .collect();
        stood.sort_unstable();
        stood.dedup();
        let last = &captions.last().unwrap().1;
        // The servers the caption names: every "S" followed by a digit.
        let mut named: Vec<u32> = last
            .split('S')
            .skip(1)
            .filter_map(|rest| rest.chars().next()?.to_digit(10))
            .collect();
        named.sort_unstable();
        named.dedup();
        assert_eq!(named, stood, "{lang}: {last}");
        assert!(stood.contains(&winner));
        assert!(
            last.contains(&won.to_string()),
            "{lang}: {last} names term {won}"
        );
    }
}

#[test]
fn a_counterexample_plays_slowly_to_its_violation_and_safety_holds_with_the_rule_restored() {
    use raft_sim::bugs::Bug;
    let mut e = engine(5, 4);
    e.update(Msg::SetLang("fr".into()));
    for bug in Bug::ALL {
        e.update(Msg::Break(bug));
        let b = e
            .breaking
            .unwrap_or_else(|| panic!("{bug}: {:?}", e.feedback));
        assert_eq!((b.bug, b.restored, b.skipped), (bug, false, 0));
        assert_eq!(e.sim().now(), 0, "{bug}: from its start");
        assert!(e.playing && e.speed < 0.01, "{bug}: playing, slowly");
        assert!(bugs_in(&e.sim().initial_config().raft).contains(&bug));
        // Two steps a second: a real second later, not yet broken.
        play(&mut e, 1_000.0);
        assert!(e.playing && e.sim().violations().is_empty(), "{bug}");
        for _ in 0..120 {
            if e.playing {
                play(&mut e, 500.0);
            }
        }
        assert!(!e.playing, "{bug}: it stops at the violation");
        let first = e.sim().violations().first().map(|v| v.property);
        assert_eq!(first, Some(bug.expected()), "{bug}");
        assert_eq!(e.property, first, "{bug}: its evidence is open");
        let said = e.feedback.clone().unwrap();
        assert!(
            said.text.starts_with("Sûreté violée\u{a0}: "),
            "{}",
            said.text
        );
        assert!(
            said.text
                .contains(&status::property_name(&e.texts, bug.expected()))
        );
        // The same schedule with the rule restored: nothing breaks.
        e.update(Msg::BreakRestored(true));
        let b = e.breaking.unwrap();
        assert!(b.restored && b.skipped < b.steps, "{bug}: {b:?}");
        assert!(!bugs_in(&e.sim().initial_config().raft).contains(&bug));
        assert_eq!(e.sim().now(), 0);
        play(&mut e, 60_000.0);
        assert!(
            !e.playing && e.sim().now() == b.end,
            "{bug}: stops at the end"
        );
        assert_eq!(e.sim().violations(), &[], "{bug} restored");
    }
    // A run of another kind ends the counterexample.
    e.update(Msg::Reset(Some(3)));
    assert_eq!(e.breaking, None);
}

#[test]
fn a_student_who_switches_a_rule_off_is_told_when_safety_breaks() {
    use raft_sim::bugs::Bug;
    let mut e = engine(3, 4);
    let raft = with_bug(&e.sim().initial_config().raft, Bug::NaiveRead, true);
    e.update(Msg::SetRaft(raft));
    assert_eq!(
        bugs_in(&e.sim().initial_config().raft),
        vec![Bug::NaiveRead]
    );
    play(&mut e, 600.0);
    let old = e.sim().leader().unwrap();
    // A write, then the old leader cut off: a new leader commits a second write, and
    // the old leader, asked to read, answers with what it has.
    e.update(Msg::Submit(old, "Set 1".into()));
    play(&mut e, 300.0);
    let others: Vec<NodeId> = (1..=3).filter(|&n| n != old).collect();
    e.update(Msg::Partition(vec![vec![old], others.clone()]));
    play(&mut e, 1_500.0);
    let new = e.sim().leader().unwrap();
    assert_ne!(new, old, "a new leader among the others");
    e.update(Msg::Submit(new, "Set 2".into()));
    play(&mut e, 300.0);
    assert!(
        e.playing
            && e.feedback
                .as_ref()
                .is_none_or(|f| !f.text.starts_with("Safety"))
    );
    e.update(Msg::Read(old));
    play(&mut e, 300.0);
    assert_eq!(
        e.sim().violations().first().map(|v| v.property),
        Some(Property::LinearizableReads)
    );
    assert!(!e.playing, "paused at the violation");
    assert_eq!(
        e.feedback.clone().unwrap().text,
        "Safety broken: Linearizable Reads. The safety panel shows where."
    );
}

#[test]
fn a_counterexample_stepped_with_no_frame_between_still_says_what_broke() {
    use raft_sim::bugs::Bug;
    let mut e = engine(3, 4);
    for bug in Bug::ALL {
        e.update(Msg::Break(bug));
        e.update(Msg::TogglePlay);
        // As the JavaScript API or a test does it: no animation frame in between.
        e.update(Msg::Advance(100 * MILLIS));
        assert_eq!(
            e.sim().violations().first().map(|v| v.property),
            Some(bug.expected()),
            "{bug}"
        );
        let said = e.feedback.clone().map(|f| f.text).unwrap_or_default();
        assert!(said.starts_with("Safety broken: "), "{bug}: {said:?}");
    }
}
