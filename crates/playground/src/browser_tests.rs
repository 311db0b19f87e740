//! The helpers that only the browser has, tested in the browser (wasm-bindgen-test
//! under Debian's chromium, see `scripts/test.sh wasm`): base64 by `btoa`/`atob`,
//! trigonometry from JavaScript's `Math`, JSON through `JSON.stringify`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure stops it

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn base64url_by_the_browser_round_trips_utf8_and_refuses_other_alphabets() {
    let text = "{\"a\":\"Set 1 — ✓ élu\"}";
    let b = crate::json::base64url(text);
    assert!(!b.contains(['+', '/', '=']));
    assert_eq!(crate::json::from_base64url(&b).as_deref(), Ok(text));
    assert_eq!(crate::json::from_base64url("a+b/"), Err("not base64url"));
    assert_eq!(crate::json::from_base64url("__8"), Err("not text"));
}

#[wasm_bindgen_test]
fn servers_sit_on_the_ring_with_the_browser_trigonometry() {
    for n in [3usize, 5, 7] {
        let (x, y) = crate::geometry::server_pos(1, n);
        assert!((x - crate::geometry::CENTER.0).abs() < 1e-9, "S1 on top");
        assert!(y < crate::geometry::CENTER.1);
        // Every server as far from the centre as S1.
        let r = |id| {
            let (x, y) = crate::geometry::server_pos(id, n);
            ((x - crate::geometry::CENTER.0).powi(2) + (y - crate::geometry::CENTER.1).powi(2))
                .sqrt()
        };
        for id in 2..=n as u32 {
            assert!((r(id) - r(1)).abs() < 1e-9);
        }
    }
}

#[wasm_bindgen_test]
fn a_trace_written_by_the_page_reads_back_and_replays() {
    let sim = raft_sim::Simulation::new(raft_sim::SimConfig::default(), 5).unwrap();
    let mut t = crate::engine::timeline_of(sim);
    let _ = t.advance_to(800 * raft_sim::MILLIS);
    let text = crate::json::stringify(&t.trace(), true);
    let back = crate::json::trace(&text).unwrap();
    assert_eq!(back, t.trace());
    assert_eq!(
        back.replay(None).unwrap().trace_hash(),
        t.sim().trace_hash()
    );
}

/// A trace of one crash, as the page writes it (pretty JSON).
fn crash_trace_text() -> String {
    let sim = raft_sim::Simulation::new(raft_sim::SimConfig::default(), 5).unwrap();
    let mut t = crate::engine::timeline_of(sim);
    let _ = t.advance_to(400 * raft_sim::MILLIS);
    t.apply(raft_sim::Action::Crash { node: 2 }).unwrap();
    let _ = t.advance_to(800 * raft_sim::MILLIS);
    crate::json::stringify(&t.trace(), true)
}

#[wasm_bindgen_test]
fn a_field_the_format_does_not_know_is_refused_where_it_is() {
    let text = crash_trace_text();
    assert!(crate::json::trace(&text).is_ok());
    // At the top, and deep inside an action: the error names the field and where.
    let top = text.replacen("\"seed\":", "\"sead\": 7, \"seed\":", 1);
    let e = crate::json::trace(&top).unwrap_err().to_string();
    assert!(e.contains("unknown field `sead`"), "{e}");
    let deep = text.replacen("\"node\": 2", "\"node\": 2, \"nod\": 3", 1);
    assert_ne!(deep, text, "the crash is in the trace");
    let e = crate::json::trace(&deep).unwrap_err().to_string();
    assert!(e.contains("unknown field `nod`"), "{e}");
    assert!(e.contains("actions[0]"), "{e}");
    // A key with nothing in it (what a field skipped when empty looks like) passes.
    let empty = text.replacen("\"seed\":", "\"sead\": null, \"seed\":", 1);
    assert!(crate::json::trace(&empty).is_ok());
}

#[wasm_bindgen_test]
fn text_that_is_not_json_or_not_a_trace_gets_a_message() {
    let e = crate::json::trace("{\"format\": ").unwrap_err().to_string();
    assert!(!e.is_empty());
    let text = crash_trace_text().replacen("\"seed\":", "\"seed\": \"five\", \"x\":", 1);
    let e = crate::json::trace(&text).unwrap_err().to_string();
    assert!(e.contains("invalid type"), "{e}");
    let islands = js_sys::JSON::parse("[[1, 2], [3, \"4\"]]").unwrap();
    assert!(crate::json::from_js::<Vec<Vec<raft_sim::NodeId>>>(&islands).is_err());
    let islands = js_sys::JSON::parse("[[1, 2], [3, 4, 5]]").unwrap();
    assert_eq!(
        crate::json::from_js::<Vec<Vec<raft_sim::NodeId>>>(&islands),
        Ok(vec![vec![1, 2], vec![3, 4, 5]])
    );
}
