//! Helpers shared by the exercise tests.

use raft_sim::puzzle::Text;

/// French typography: a no-break space before each : ? ! and ;.
fn french(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, ':' | '?' | '!' | ';'))
        .all(|(i, _)| i > 0 && chars[i - 1] == '\u{a0}')
}

/// A text of an exercise is written in English and French, the French with its
/// typography; `what` names it in a failure.
pub fn check_text(t: &Text, what: &str) {
    for lang in ["en", "fr"] {
        assert!(
            t.get(lang).is_some_and(|s| !s.is_empty()),
            "{what}: no {lang} text"
        );
    }
    let fr = &t["fr"];
    assert!(french(fr), "{what}: {fr}");
}
