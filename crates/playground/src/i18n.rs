//! Every text of the interface, one JSON file per language under `i18n/`.
//!
//! A text that depends on a count has a form for one and a form for more
//! (`{"one": "{list} est arrêté.", "other": "{list} sont arrêtés."}`); each language
//! file says which counts take the "one" form (`"_one": "0 1"` in French, `"1"` in
//! English). Project Fluent does this and more, but weighed 45 KB gzipped in the page
//! (measured), more than the whole of this module and its tables.

include!(concat!(env!("OUT_DIR"), "/languages.rs"));

/// The language every other one falls back to.
pub const DEFAULT: &str = "en";

/// The texts of a language, in the order of [`KEYS`].
fn table(code: &str) -> Option<&'static [&'static str]> {
    LANGUAGES.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
}

fn lookup(code: &str, key: &str) -> Option<&'static str> {
    let i = KEYS.binary_search(&key).ok()?;
    table(code)
        .and_then(|t| t.get(i).copied())
        .filter(|s| !s.is_empty())
}

/// `template` with each `{name}` placeholder of `args` replaced by its value, in one
/// pass (values are not searched again); other braces are kept as they are.
pub fn fill_in(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let (_, v) = args.iter().find(|(n, _)| *n == name)?;
            Some((v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Codes of the languages available, sorted.
pub fn codes() -> Vec<&'static str> {
    LANGUAGES.iter().map(|(c, _)| *c).collect()
}

/// A language's own name ("Français").
pub fn name(code: &str) -> String {
    Texts::new(code).get("_name")
}

/// The language for a browser's preferred languages (`fr-CA` → `fr`).
pub fn pick(preferred: &[String]) -> &'static str {
    let codes = codes();
    for p in preferred {
        let base = p
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if let Some(c) = codes.iter().find(|c| **c == base) {
            return c;
        }
    }
    DEFAULT
}

/// The texts of one language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Texts {
    code: &'static str,
}

impl Texts {
    /// The texts of `code`, or of English if there is no such language.
    pub fn new(code: &str) -> Self {
        let code = LANGUAGES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(c, _)| *c)
            .unwrap_or(DEFAULT);
        Texts { code }
    }

    /// The language code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    fn raw(&self, key: &str) -> Option<&'static str> {
        lookup(self.code, key).or_else(|| lookup(DEFAULT, key))
    }

    /// The text for `key`, falling back to English, then to the key itself. A text
    /// with forms per count gives its form for more than one.
    pub fn get(&self, key: &str) -> String {
        match self.raw(key) {
            Some(t) => t
                .split_once('\u{1}')
                .map_or(t, |(_, other)| other)
                .to_string(),
            None => key.to_string(),
        }
    }

    /// True if `n` takes the "one" form in this language.
    fn is_one(&self, n: usize) -> bool {
        let counts = lookup(self.code, "_one").unwrap_or("1");
        counts.split_whitespace().any(|c| c == n.to_string())
    }

    /// The form of `key` for a count of `n`, with its placeholders filled in.
    pub fn count(&self, key: &str, n: usize, args: &[(&str, &str)]) -> String {
        let t = self.raw(key).unwrap_or(key);
        let form = match t.split_once('\u{1}') {
            Some((one, _)) if self.is_one(n) => one,
            Some((_, other)) => other,
            None => t,
        };
        fill_in(form, args)
    }

    /// The text for `key` with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill_in(&self.get(key), args)
    }

    /// "S1, S2 and S3".
    pub fn list(&self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} {} {last}", init.join(", "), self.get("and")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_english_key() {
        for (code, t) in LANGUAGES {
            assert_eq!(t.len(), KEYS.len(), "{code}");
            for (key, text) in KEYS.iter().zip(t.iter()) {
                assert!(!text.is_empty(), "{code} lacks {key}");
                let en = lookup("en", key).unwrap();
                for name in [
                    "node",
                    "term",
                    "index",
                    "command",
                    "leader",
                    "list",
                    "seed",
                    "n",
                    "total",
                    "why",
                    "candidate",
                    "old",
                    "buddy",
                    "new",
                    "gone",
                    "a",
                    "b",
                    "winner",
                    "won",
                    "stood",
                    "origin",
                    "latency",
                    "loss",
                    "value",
                    "what",
                ] {
                    let p = format!("{{{name}}}");
                    assert_eq!(text.contains(&p), en.contains(&p), "{code}.{key}: {p}");
                }
            }
        }
        assert!(codes().contains(&"fr"));
    }

    #[test]
    fn the_slides_lines_are_there_in_both_languages() {
        let fr = Texts::new("fr");
        assert_eq!(fr.get("bubble_vote"), "Votez pour moi\u{a0}!");
        assert_eq!(
            fr.get("bubble_heartbeat"),
            "C'est toujours moi le chef\u{a0}!"
        );
        assert_eq!(
            fr.fill("bubble_commit", &[("index", "1"), ("command", "Set 1")]),
            "C'est toujours moi le chef, [1] Set 1 validé\u{a0}!"
        );
        assert_eq!(Texts::new("en").get("bubble_vote"), "Vote for me!");
    }

    #[test]
    fn every_caption_and_scene_of_the_tour_has_its_text() {
        let tour = crate::json::tour().unwrap();
        for code in codes() {
            for scene in &tour.scenes {
                let title = format!("scene_{}", scene.id);
                assert!(lookup(code, &title).is_some(), "{code}: {title}");
                let captions = scene.steps.iter().filter_map(|s| s.caption());
                for key in captions.chain(scene.slides.iter().map(String::as_str)) {
                    assert!(lookup(code, key).is_some(), "{code}: {key}");
                }
            }
        }
    }

    #[test]
    fn placeholders_are_filled_once_and_other_braces_kept() {
        assert_eq!(
            fill_in("{a} and {b} {c} {", &[("a", "{b}"), ("b", "S2")]),
            "{b} and S2 {c} {"
        );
        assert_eq!(fill_in("no braces", &[("a", "x")]), "no braces");
        assert_eq!(fill_in("{a}{a}}", &[("a", "é")]), "éé}");
    }

    #[test]
    fn browser_languages_pick_the_closest_and_fall_back_to_english() {
        assert_eq!(pick(&["fr-CA".into(), "en".into()]), "fr");
        assert_eq!(pick(&["de-DE".into(), "en-GB".into()]), "en");
        assert_eq!(pick(&["zz".into()]), "en");
        assert_eq!(Texts::new("zz").code(), "en");
        let en = Texts::new("en");
        assert_eq!(
            en.list(&["S1".into(), "S2".into(), "S3".into()]),
            "S1, S2 and S3"
        );
    }
}
