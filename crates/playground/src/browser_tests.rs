//! The helpers that only the browser has, tested in the browser (wasm-bindgen-test
//! under Debian's chromium, see `scripts/test.sh wasm`): base64 by `btoa`/`atob`,
//! trigonometry from JavaScript's `Math`, JSON through `JSON.stringify`.

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
