//! Helpers shared by the exercise tests.

/// French typography: a no-break space before each : ? ! and ;.
pub fn french(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, ':' | '?' | '!' | ';'))
        .all(|(i, _)| i > 0 && chars[i - 1] == '\u{a0}')
}
