//! The keyboard shortcuts, in one table: the key handler, the labels on the buttons
//! and the help all read it.

use crate::i18n::Texts;

/// What a shortcut does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Play or pause.
    Play,
    /// One event forward.
    Step,
    /// One event back.
    StepBack,
    /// Faster.
    Faster,
    /// Slower.
    Slower,
    /// Start again with a new seed.
    NewSeed,
    /// Draw a split of the network (or cancel it).
    Split,
    /// Apply the split drawn.
    ApplySplit,
    /// Heal the network.
    Heal,
    /// Align the followers' timers.
    Align,
    /// Spread the followers' timers.
    Spread,
    /// Speech bubbles on or off.
    Bubbles,
    /// The keyboard help.
    Help,
    /// Close what is open.
    Escape,
    /// Previous scene of the tour.
    PrevScene,
    /// Next scene of the tour.
    NextScene,
    /// Stop the open server, or restart it.
    StopRestart,
    /// Make the open server time out.
    Timeout,
    /// Open server n's menu (digits).
    Select,
}

/// One shortcut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shortcut {
    /// What it does.
    pub command: Command,
    /// The `KeyboardEvent.key` values that trigger it.
    pub keys: &'static [&'static str],
    /// How it is written on buttons and in the help: the key itself, or the text key
    /// of its name (`key_name_space`).
    pub label: &'static str,
    /// The help's line it belongs to (a text key; shortcuts sharing one are listed
    /// together).
    pub help: &'static str,
}

const fn s(
    command: Command,
    keys: &'static [&'static str],
    label: &'static str,
    help: &'static str,
) -> Shortcut {
    Shortcut {
        command,
        keys,
        label,
        help,
    }
}

/// Every shortcut, in the order the help lists them.
pub const SHORTCUTS: &[Shortcut] = &[
    s(Command::Play, &[" "], "key_name_space", "key_play"),
    s(Command::Step, &["."], ".", "key_step"),
    s(Command::StepBack, &[","], ",", "key_back"),
    s(Command::Faster, &["+", "="], "+", "key_faster"),
    s(Command::Slower, &["-", "_"], "−", "key_faster"),
    s(Command::NewSeed, &["r"], "r", "key_reset"),
    s(Command::Select, &[], "1 … 7", "key_select"),
    s(Command::StopRestart, &["k"], "k", "key_timer"),
    s(Command::Timeout, &["t"], "t", "key_timer"),
    s(Command::Split, &["p"], "p", "key_split"),
    s(
        Command::ApplySplit,
        &["Enter"],
        "key_name_enter",
        "key_split",
    ),
    s(Command::Heal, &["h"], "h", "key_heal"),
    s(Command::Align, &["a"], "a", "key_align"),
    s(Command::Spread, &["s"], "s", "key_spread"),
    s(Command::Bubbles, &["b"], "b", "key_bubbles"),
    s(Command::PrevScene, &["ArrowLeft"], "←", "key_tour"),
    s(Command::NextScene, &["ArrowRight"], "→", "key_tour"),
    s(Command::Help, &["?"], "?", "key_help"),
    s(
        Command::Escape,
        &["Escape"],
        "key_name_escape",
        "key_escape",
    ),
];

/// The shortcut of `command`.
pub fn of(command: Command) -> Option<&'static Shortcut> {
    SHORTCUTS.iter().find(|s| s.command == command)
}

/// The command of a key, if it has one (digits open a server's menu).
pub fn command_of(key: &str) -> Option<Command> {
    if key.len() == 1 && key.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Command::Select);
    }
    SHORTCUTS
        .iter()
        .find(|s| s.keys.contains(&key))
        .map(|s| s.command)
}

/// How a shortcut's key is written, in the interface's language.
pub fn label(texts: &Texts, shortcut: &Shortcut) -> String {
    if shortcut.label.starts_with("key_name_") {
        texts.get(shortcut.label)
    } else {
        shortcut.label.to_string()
    }
}

/// The `aria-keyshortcuts` value of a shortcut (its first key, as browsers name it).
pub fn aria(shortcut: &Shortcut) -> &'static str {
    match shortcut.keys.first() {
        Some(&" ") => "Space",
        Some(k) => k,
        None => "",
    }
}

/// The help's lines: the keys (joined with " / ") and what they do.
pub fn help_lines(texts: &Texts) -> Vec<(String, String)> {
    let mut lines: Vec<(&str, Vec<String>)> = Vec::new();
    for s in SHORTCUTS {
        let key = label(texts, s);
        match lines.iter_mut().find(|(h, _)| *h == s.help) {
            Some((_, keys)) => keys.push(key),
            None => lines.push((s.help, vec![key])),
        }
    }
    lines
        .into_iter()
        .map(|(help, keys)| (keys.join(" / "), texts.get(help)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_one_command_and_every_command_is_listed() {
        let mut seen: Vec<&str> = Vec::new();
        for s in SHORTCUTS {
            for k in s.keys {
                assert!(!seen.contains(k), "{k} twice");
                seen.push(k);
            }
        }
        assert_eq!(command_of(" "), Some(Command::Play));
        assert_eq!(command_of("="), Some(Command::Faster));
        assert_eq!(command_of("3"), Some(Command::Select));
        assert_eq!(command_of("x"), None);
    }

    #[test]
    fn the_help_names_keys_in_the_language_and_the_tour_arrows_in_order() {
        let fr = Texts::new("fr");
        let lines = help_lines(&fr);
        assert_eq!(lines[0].0, "Espace");
        let tour = lines.iter().find(|(k, _)| k.contains('←')).unwrap();
        assert_eq!(tour.0, "← / →");
        assert!(
            tour.1.starts_with("scène précédente / suivante"),
            "{}",
            tour.1
        );
        assert!(lines.iter().any(|(k, _)| k == "p / Entrée"));
        assert!(lines.iter().any(|(k, _)| k == "Échap"));
    }
}
