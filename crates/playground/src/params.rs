//! URL parameters (`?seed=7&nodes=3&speed=0.02&lang=fr`): parsed without trusting
//! anything, with a polite notice for whatever is ignored.

/// Server counts the ring offers.
pub const NODE_CHOICES: [usize; 3] = [3, 5, 7];

/// The largest seed (runs travel as JSON, exact only up to 2^53 − 1).
pub use raft_sim::MAX_SEED;

/// The default speed: one simulated millisecond every 50 real ones, slow enough to
/// follow a message with the eye.
pub const DEFAULT_SPEED: f64 = 1.0 / 50.0;

/// The parameters the page understood.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Fixed seed, or a fresh random one when `None`.
    pub seed: Option<u64>,
    /// Number of servers.
    pub nodes: usize,
    /// Simulated time per real time (1 = real time).
    pub speed: f64,
    /// Interface language, if given and known.
    pub lang: Option<String>,
    /// Open the guided tour at this scene.
    pub scene: Option<String>,
    /// Start playing at once (default) or paused.
    pub autoplay: bool,
    /// Embedded in a course page: no page chrome, compact controls.
    pub embed: bool,
    /// True if `speed` was given (the tour then keeps it).
    pub speed_given: bool,
    /// A shared run (base64url of a trace), checked when it is opened.
    pub run: Option<String>,
    /// In an iframe: the only origins whose `postMessage` commands are obeyed (any
    /// embedding page's when empty).
    pub origins: Vec<String>,
    /// In an iframe: this frame's name in the events it posts.
    pub frame: Option<String>,
    /// The Raft options (`options=prevote,noop,checkquorum,read=lease`, as
    /// `raft-sim check --options` reads them).
    pub raft: raft_sim::raft_core::Config,
    /// `panel=figure16`: the Figure 16 panel opens, and its experiment runs.
    pub figure16: bool,
    /// `quiz=0` turns off the tour's questions (on by default).
    #[cfg(feature = "exercises")]
    pub quiz: bool,
    /// `puzzle=ID` (a built-in) or a puzzle written in the link: the page opens it.
    #[cfg(feature = "exercises")]
    pub puzzle: Option<String>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            seed: None,
            nodes: 5,
            speed: DEFAULT_SPEED,
            lang: None,
            scene: None,
            autoplay: true,
            embed: false,
            speed_given: false,
            run: None,
            origins: Vec::new(),
            frame: None,
            raft: raft_sim::raft_core::Config::default(),
            figure16: false,
            #[cfg(feature = "exercises")]
            quiz: true,
            #[cfg(feature = "exercises")]
            puzzle: None,
        }
    }
}

/// A parameter that was ignored, and why (a text key, with its arguments).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The parameter's name, shortened.
    pub name: String,
    /// Its value, shortened.
    pub value: String,
    /// Key of the reason in the language files.
    pub why: &'static str,
}

/// `s` for a message: at most 40 characters, no control characters.
pub(crate) fn short(s: &str) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// A plain decimal such as `50`, `0.02` or `.5`. Read digit by digit rather than
/// with `f64::from_str`, whose tables would weigh kilobytes in the wasm.
fn decimal(s: &str) -> Option<f64> {
    let s = s.trim();
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = int.bytes().chain(frac.bytes());
    if int.len() + frac.len() == 0 || int.len() + frac.len() > 15 {
        return None;
    }
    let mut n: u64 = 0;
    for d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(d - b'0');
    }
    Some(n as f64 / 10f64.powi(frac.len() as i32))
}

/// A speed as a decimal (`0.02`) or a fraction (`1/50`), within 1/1000 … 1.
pub fn parse_speed(s: &str) -> Option<f64> {
    let v = match s.split_once('/') {
        Some((a, b)) => decimal(a)? / decimal(b)?,
        None => decimal(s)?,
    };
    speed(v)
}

/// A speed if it is within 1/1000 … 1.
pub fn speed(v: f64) -> Option<f64> {
    (v.is_finite() && (0.001 - 1e-12..=1.0 + 1e-12).contains(&v))
        .then(|| crate::geometry::bound(v, 0.001, 1.0))
}

/// `https://host` or `http://host:port`: a scheme, a host, an optional port, no path.
fn is_origin(s: &str) -> bool {
    let Some(rest) = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
    else {
        return false;
    };
    let (host, port) = rest.split_once(':').unwrap_or((rest, "80"));
    let host_ok = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    !host.is_empty()
        && host.chars().all(host_ok)
        && !port.is_empty()
        && port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
}

fn flag(s: &str) -> Option<bool> {
    match s.trim() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Parses the query's (name, value) pairs. `languages` are the known language codes,
/// `scenes` the tour's scene ids.
pub fn parse(
    pairs: &[(String, String)],
    languages: &[&str],
    scenes: &[&str],
) -> (Params, Vec<Notice>) {
    let mut p = Params::default();
    let mut notices = Vec::new();
    for (name, value) in pairs {
        let mut ignore = |why| {
            notices.push(Notice {
                name: short(name),
                value: short(value),
                why,
            })
        };
        match name.as_str() {
            "seed" => match value.trim().parse::<u64>() {
                Ok(s) if s <= MAX_SEED => p.seed = Some(s),
                _ => ignore("why_seed"),
            },
            "nodes" => match value.trim().parse::<usize>() {
                Ok(n) if NODE_CHOICES.contains(&n) => p.nodes = n,
                _ => ignore("why_nodes"),
            },
            "speed" => match parse_speed(value) {
                Some(s) => {
                    p.speed = s;
                    p.speed_given = true;
                }
                None => ignore("why_speed"),
            },
            "scene" => match scenes.iter().find(|id| **id == value.trim()) {
                Some(id) => p.scene = Some(id.to_string()),
                None => ignore("why_scene"),
            },
            "autoplay" => match flag(value) {
                Some(b) => p.autoplay = b,
                None => ignore("why_flag"),
            },
            "run" => p.run = Some(value.clone()),
            "options" => match raft_sim::campaign::parse_options(value, &p.raft).as_deref() {
                Ok([one]) => p.raft = one.clone(),
                _ => ignore("why_options"),
            },
            "panel" => match value.trim() {
                "figure16" => p.figure16 = true,
                _ => ignore("why_panel"),
            },
            #[cfg(feature = "exercises")]
            "puzzle" => p.puzzle = Some(value.trim().to_string()),
            #[cfg(feature = "exercises")]
            "quiz" => match flag(value) {
                Some(b) => p.quiz = b,
                None => ignore("why_flag"),
            },
            "embed" => match flag(value) {
                Some(b) => p.embed = b,
                None => ignore("why_flag"),
            },
            "lang" => match languages.iter().find(|l| **l == value.trim()) {
                Some(l) => p.lang = Some(l.to_string()),
                None => ignore("why_lang"),
            },
            "origin" => {
                let list: Vec<String> = value.split(',').map(|o| o.trim().to_string()).collect();
                if list.iter().all(|o| is_origin(o)) {
                    p.origins = list;
                } else {
                    ignore("why_origin");
                }
            }
            "frame" => {
                let ok = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
                if !value.is_empty() && value.len() <= 40 && value.chars().all(ok) {
                    p.frame = Some(value.clone());
                } else {
                    ignore("why_frame");
                }
            }
            _ => ignore("why_unknown"),
        }
    }
    (p, notices)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> (Params, Vec<Notice>) {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        parse(&pairs, &["en", "fr"], &["raft", "split"])
    }

    #[test]
    fn good_parameters_are_taken() {
        let (p, n) = q(&[
            ("seed", "42"),
            ("nodes", "7"),
            ("speed", "1/100"),
            ("lang", "fr"),
        ]);
        assert!(n.is_empty());
        assert_eq!(p.seed, Some(42));
        assert_eq!(p.nodes, 7);
        assert!((p.speed - 0.01).abs() < 1e-12);
        assert_eq!(p.lang.as_deref(), Some("fr"));
        assert_eq!(q(&[("speed", "1")]).0.speed, 1.0);
    }

    #[test]
    fn bad_parameters_are_ignored_with_a_notice_and_defaults_kept() {
        let (p, n) = q(&[
            ("nodes", "999"),
            ("seed", "<script>alert(1)</script>"),
            ("speed", "NaN"),
            ("speed", "5"),
            ("lang", "xx"),
            ("scenery", "1"),
        ]);
        assert_eq!(p, Params::default());
        let whys: Vec<&str> = n.iter().map(|n| n.why).collect();
        assert_eq!(
            whys,
            [
                "why_nodes",
                "why_seed",
                "why_speed",
                "why_speed",
                "why_lang",
                "why_unknown"
            ]
        );
        assert_eq!(
            n[1].value, "<script>alert(1)</script>",
            "kept as text, shown as text"
        );
    }

    #[test]
    fn speeds_are_read_as_decimals_or_fractions() {
        for (text, want) in [
            ("0.02", 0.02),
            (".5", 0.5),
            (" 1/50 ", 0.02),
            ("2/100", 0.02),
            ("1", 1.0),
        ] {
            let got = parse_speed(text).unwrap_or_else(|| panic!("{text} refused"));
            assert!((got - want).abs() < 1e-12, "{text}: {got}");
        }
        for bad in [
            "", ".", "1/0", "0", "-0.5", "1e-2", "0x10", "1/", "2", "0.0001", "1.5.2", "inf",
        ] {
            assert_eq!(parse_speed(bad), None, "{bad} accepted");
        }
    }

    #[test]
    fn origins_and_frame_names_are_checked() {
        let (p, n) = q(&[
            ("origin", "https://cours.example.edu,http://localhost:8000"),
            ("frame", "left-1"),
        ]);
        assert!(n.is_empty());
        assert_eq!(
            p.origins,
            ["https://cours.example.edu", "http://localhost:8000"]
        );
        assert_eq!(p.frame.as_deref(), Some("left-1"));
        for bad in [
            "*",
            "cours.example.edu",
            "https://a.edu/path",
            "javascript:alert(1)",
            "https://",
        ] {
            let (p, n) = q(&[("origin", bad)]);
            assert!(p.origins.is_empty(), "{bad}");
            assert_eq!(n[0].why, "why_origin");
        }
        assert_eq!(q(&[("frame", "<b>")]).1[0].why, "why_frame");
    }

    #[test]
    fn long_values_are_shortened() {
        let long = "x".repeat(5000);
        let (_, n) = q(&[("seed", &long)]);
        assert_eq!(n[0].value.chars().count(), 41);
    }
}
