//! Every text of the interface, one JSON file per language under `i18n/`.
//!
//! A text that depends on a count has a form for one and a form for more
//! (`{"one": "{list} est arrêté.", "other": "{list} sont arrêtés."}`); each language
//! file says which counts take the "one" form (`"_one": "0 1"` in French, `"1"` in
//! English). Project Fluent does this and more, but weighed 45 KB gzipped in the page
//! (measured), more than the whole of this module and its tables.
//!
//! The page loads only the language it shows: `i18n/<code>.json` is fetched next to the
//! script (and again when the language changes), so that a page never carries the
//! texts of languages it does not show. Native builds (the tests) compile every file in.

include!(concat!(env!("OUT_DIR"), "/languages.rs"));

use std::collections::BTreeMap;
use std::rc::Rc;

/// The language every other one falls back to.
pub const DEFAULT: &str = "en";

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
    NAMES.iter().map(|(c, _)| *c).collect()
}

/// A language's own name ("Français").
pub fn name(code: &str) -> String {
    NAMES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_string(), |(_, n)| n.to_string())
}

/// A known language code, or English.
fn known(code: &str) -> &'static str {
    NAMES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(DEFAULT, |(c, _)| c)
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

/// One language's texts by key; a text with forms per count is `one\u{1}other`.
type Table = BTreeMap<String, String>;

/// The texts of one language (or, until they are loaded, none: see
/// [`Texts::is_loaded`]).
#[derive(Clone, Debug)]
pub struct Texts {
    code: &'static str,
    table: Rc<Table>,
}

impl PartialEq for Texts {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code && Rc::ptr_eq(&self.table, &other.table)
    }
}

impl Texts {
    /// The texts of `code` (English if there is no such language) from a file's
    /// entries: (key, text) pairs, with forms per count joined by `\u{1}`.
    pub fn from_entries(code: &str, entries: impl IntoIterator<Item = (String, String)>) -> Self {
        // Inserted one by one: collecting would sort first, and bring a sort into
        // the page for nothing.
        let mut table = Table::new();
        for (k, v) in entries {
            table.insert(k, v);
        }
        Texts {
            code: known(code),
            table: Rc::new(table),
        }
    }

    /// No texts yet for `code`: the page waits for them.
    pub fn pending(code: &str) -> Self {
        Texts::from_entries(code, [])
    }

    /// These texts with `more` added: (key, text) of a part of the page that only
    /// the page with everything has (an empty table stays empty: not loaded yet).
    #[cfg(feature = "full")]
    pub fn with(&self, more: impl IntoIterator<Item = (String, String)>) -> Self {
        if !self.is_loaded() {
            return self.clone();
        }
        let mut table = (*self.table).clone();
        for (k, v) in more {
            table.insert(k, v);
        }
        Texts {
            code: self.code,
            table: Rc::new(table),
        }
    }

    /// True once the language's texts are there.
    pub fn is_loaded(&self) -> bool {
        !self.table.is_empty()
    }

    /// The texts of `code`, or of English if there is no such language (compiled in:
    /// native builds and tests only).
    #[cfg(any(test, not(target_arch = "wasm32")))]
    pub fn new(code: &str) -> Self {
        let code = known(code);
        let table = LANGUAGES
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(&[][..], |(_, t)| *t);
        Texts::from_entries(
            code,
            KEYS.iter()
                .zip(table.iter())
                .filter(|(_, t)| !t.is_empty())
                .map(|(k, t)| (k.to_string(), t.to_string())),
        )
    }

    /// The language code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    fn raw(&self, key: &str) -> Option<&str> {
        self.table.get(key).map(String::as_str)
    }

    /// The text for `key`, or the key itself. A text with forms per count gives its
    /// form for more than one.
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
        let counts = self.raw("_one").unwrap_or("1");
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

/// Fetching a language's file, once per page.
#[cfg(target_arch = "wasm32")]
mod fetch {
    use super::Texts;
    use std::cell::RefCell;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    thread_local! {
        static LOADED: RefCell<Vec<Texts>> = const { RefCell::new(Vec::new()) };
    }

    /// The texts of `code`, fetched from `i18n/<code>.json` next to the script (or
    /// from an earlier fetch).
    pub async fn load(code: &str) -> Result<Texts, String> {
        let code = super::known(code);
        if let Some(t) = LOADED.with(|l| l.borrow().iter().find(|t| t.code() == code).cloned()) {
            return Ok(t);
        }
        let url = crate::browser::asset(&format!("i18n/{code}.json"));
        let failed = |e: JsValue| {
            format!(
                "{url}: {}",
                e.as_string().unwrap_or_else(|| "unreadable".into())
            )
        };
        let window = web_sys::window().ok_or("no window")?;
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url))
            .await
            .map_err(failed)?
            .dyn_into()
            .map_err(failed)?;
        if !response.ok() {
            return Err(format!("{url}: HTTP {}", response.status()));
        }
        let json = JsFuture::from(response.json().map_err(failed)?)
            .await
            .map_err(failed)?;
        let texts = Texts::from_entries(code, entries(&json));
        if !texts.is_loaded() {
            return Err(format!("{url}: no texts"));
        }
        LOADED.with(|l| l.borrow_mut().push(texts.clone()));
        Ok(texts)
    }

    /// A language file's (key, text) pairs: a text is a string, or an object with its
    /// forms `one` and `other`.
    fn entries(json: &JsValue) -> Vec<(String, String)> {
        let Some(object) = json.dyn_ref::<js_sys::Object>() else {
            return Vec::new();
        };
        let form = |v: &JsValue, k: &str| {
            js_sys::Reflect::get(v, &k.into())
                .ok()
                .and_then(|f| f.as_string())
        };
        js_sys::Object::entries(object)
            .iter()
            .filter_map(|pair| {
                let pair: js_sys::Array = pair.dyn_into().ok()?;
                let key = pair.get(0).as_string()?;
                let value = pair.get(1);
                let text = match value.as_string() {
                    Some(t) => t,
                    None => format!("{}\u{1}{}", form(&value, "one")?, form(&value, "other")?),
                };
                Some((key, text))
            })
            .collect()
    }
}

#[cfg(target_arch = "wasm32")]
pub use fetch::load;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_english_key() {
        let english = Texts::new("en");
        for (code, t) in LANGUAGES {
            assert_eq!(t.len(), KEYS.len(), "{code}");
            for (key, text) in KEYS.iter().zip(t.iter()) {
                assert!(!text.is_empty(), "{code} lacks {key}");
                let en = english.raw(key).unwrap();
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
                    "loner",
                    "next",
                    "to",
                    "k",
                    "floor",
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
                let t = Texts::new(code);
                assert!(t.raw(&title).is_some(), "{code}: {title}");
                let captions = scene.steps.iter().filter_map(|s| s.caption());
                for key in captions.chain(scene.slides.iter().map(String::as_str)) {
                    assert!(t.raw(key).is_some(), "{code}: {key}");
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
