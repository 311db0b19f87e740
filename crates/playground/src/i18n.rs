//! Every text of the interface, one JSON file per language under `i18n/`.

use std::collections::HashMap;
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/languages.rs"));

/// The language every other one falls back to.
pub const DEFAULT: &str = "en";

type Table = HashMap<String, String>;

fn tables() -> &'static Vec<(String, Table)> {
    static TABLES: OnceLock<Vec<(String, Table)>> = OnceLock::new();
    TABLES.get_or_init(|| {
        LANGUAGE_FILES
            .iter()
            .filter_map(|(code, text)| {
                serde_json::from_str::<Table>(text)
                    .ok()
                    .map(|t| (code.to_string(), t))
            })
            .collect()
    })
}

/// Codes of the languages available, sorted.
pub fn codes() -> Vec<&'static str> {
    tables().iter().map(|(c, _)| c.as_str()).collect()
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
        let code = tables()
            .iter()
            .find(|(c, _)| c == code)
            .map(|(c, _)| c.as_str())
            .unwrap_or(DEFAULT);
        Texts { code }
    }

    /// The language code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The text for `key`, falling back to English, then to the key itself.
    pub fn get(&self, key: &str) -> String {
        let find = |code: &str| {
            tables()
                .iter()
                .find(|(c, _)| c == code)
                .and_then(|(_, t)| t.get(key))
                .cloned()
        };
        find(self.code)
            .or_else(|| find(DEFAULT))
            .unwrap_or_else(|| key.to_string())
    }

    /// The text for `key` with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get(key);
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
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
        let en = &tables().iter().find(|(c, _)| c == "en").unwrap().1;
        for (code, table) in tables() {
            for key in en.keys() {
                assert!(table.contains_key(key), "{code} lacks {key}");
            }
            for (key, text) in table {
                assert!(en.contains_key(key), "{code} has {key}, unknown in English");
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
                ] {
                    let p = format!("{{{name}}}");
                    assert_eq!(text.contains(&p), en[key].contains(&p), "{code}.{key}: {p}");
                }
            }
        }
        assert!(codes().contains(&"fr"));
    }

    #[test]
    fn the_slides_lines_are_there_in_both_languages() {
        let fr = Texts::new("fr");
        assert_eq!(fr.get("bubble_vote"), "Votez pour moi !");
        assert_eq!(fr.get("bubble_heartbeat"), "C'est toujours moi le chef !");
        assert_eq!(
            fr.fill("bubble_commit", &[("index", "1"), ("command", "Set 1")]),
            "C'est toujours moi le chef, [1] Set 1 validé !"
        );
        assert_eq!(Texts::new("en").get("bubble_vote"), "Vote for me!");
    }

    #[test]
    fn every_caption_and_scene_of_the_tour_has_its_text() {
        let tour = raft_sim::tour::Tour::slides().unwrap();
        let en = &tables().iter().find(|(c, _)| c == "en").unwrap().1;
        for scene in &tour.scenes {
            assert!(
                en.contains_key(&format!("scene_{}", scene.id)),
                "{}",
                scene.id
            );
            for step in &scene.steps {
                if let raft_sim::scenario::Step::Say(key) = step {
                    assert!(en.contains_key(key), "{key}");
                }
            }
        }
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
