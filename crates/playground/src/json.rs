//! JSON in and out. Every format is read by the serde derives of raft-sim's types,
//! which refuse unknown fields: natively through serde_json, in the page through the
//! browser's `JSON.parse` and serde-wasm-bindgen (see `raft_sim::json`). Values go out
//! through serde-wasm-bindgen and the browser's `JSON.stringify`.

use raft_sim::json::DecodeError;
use raft_sim::tour::Tour;
use raft_sim::{Trace, TraceError};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Writes a value as JSON text (indented if `pretty`): by the browser's
/// `JSON.stringify` in the page (through serde-wasm-bindgen), by serde_json natively.
#[cfg(target_arch = "wasm32")]
pub fn stringify<T: Serialize>(v: &T, pretty: bool) -> String {
    use wasm_bindgen::JsValue;
    let value = to_js(v).unwrap_or(JsValue::NULL);
    let text = if pretty {
        js_sys::JSON::stringify_with_replacer_and_space(&value, &JsValue::NULL, &2.into())
    } else {
        js_sys::JSON::stringify(&value)
    };
    text.ok().and_then(|t| t.as_string()).unwrap_or_default()
}

/// Writes a value as JSON text (indented if `pretty`).
#[cfg(not(target_arch = "wasm32"))]
pub fn stringify<T: Serialize>(v: &T, pretty: bool) -> String {
    if pretty {
        serde_json::to_string_pretty(v).unwrap_or_default()
    } else {
        serde_json::to_string(v).unwrap_or_default()
    }
}

/// A value as JavaScript sees it (plain objects, JSON-compatible).
pub fn to_js<T: Serialize + ?Sized>(
    v: &T,
) -> Result<wasm_bindgen::JsValue, serde_wasm_bindgen::Error> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

/// Decodes a value handed over by JavaScript (API options and arguments): written
/// out by `JSON.stringify`, read back by the same serde definitions as every file, so
/// that unknown fields are refused here too.
pub fn from_js<T: DeserializeOwned + Serialize>(
    v: &wasm_bindgen::JsValue,
) -> Result<T, DecodeError> {
    let text = js_sys::JSON::stringify(v)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| DecodeError {
            path: String::new(),
            message: "not a value JSON can hold".into(),
        })?;
    raft_sim::json::from_str(&text)
}

#[cfg(target_arch = "wasm32")]
mod base64 {
    /// base64url without padding, by the browser's `btoa` (on the UTF-8 bytes).
    pub fn encode(text: &str) -> String {
        let binary: String = text.bytes().map(char::from).collect();
        let b64 = web_sys::window()
            .and_then(|w| w.btoa(&binary).ok())
            .unwrap_or_default();
        b64.trim_end_matches('=')
            .replace('+', "-")
            .replace('/', "_")
    }

    /// Bytes from base64url (padding optional), by the browser's `atob`.
    pub fn decode(s: &str) -> Option<Vec<u8>> {
        let url_safe = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=';
        if !s.bytes().all(url_safe) {
            return None;
        }
        let b64 = s.replace('-', "+").replace('_', "/");
        let binary = web_sys::window()?.atob(&b64).ok()?;
        binary.chars().map(|c| u8::try_from(c).ok()).collect()
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod base64 {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    pub fn encode(text: &str) -> String {
        URL_SAFE_NO_PAD.encode(text)
    }

    pub fn decode(s: &str) -> Option<Vec<u8>> {
        URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok()
    }
}

/// `text` as base64url without padding (what a `?run=` link carries). The page uses
/// the browser's `btoa`, natively the base64 crate.
pub fn base64url(text: &str) -> String {
    base64::encode(text)
}

/// The text a base64url string carries, or why not.
pub fn from_base64url(s: &str) -> Result<String, &'static str> {
    let bytes = base64::decode(s.trim()).ok_or("not base64url")?;
    String::from_utf8(bytes).map_err(|_| "not text")
}

/// Reads and checks a trace file.
pub fn trace(text: &str) -> Result<Trace, TraceError> {
    Trace::from_json(text)
}

/// The tour of the slides (`crates/sim/tour/tour.json`, read by build.rs and embedded
/// in postcard).
pub fn tour() -> Result<Tour, String> {
    const TOUR: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/tour.postcard"));
    // (postcard's error texts would weigh more than they could ever tell: the bytes
    // were written by build.rs from the same types, and a test reads them back.)
    postcard::from_bytes(TOUR).map_err(|_| "the embedded tour does not read".to_string())
}

/// The chapter "Changing the configuration" (`crates/sim/tour/membership.json`), in
/// the page with everything.
#[cfg(feature = "full")]
pub fn membership_tour() -> Result<Tour, String> {
    const TOUR: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/membership.postcard"));
    postcard::from_bytes(TOUR).map_err(|_| "the embedded chapter does not read".to_string())
}

/// The chapter's captions in each language (`membership-texts.json`): (language,
/// key, text).
#[cfg(feature = "full")]
pub fn membership_texts() -> Vec<(String, String, String)> {
    type ByLanguage =
        std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>;
    const TEXTS: &str = include_str!("../../sim/tour/membership-texts.json");
    raft_sim::json::from_str::<ByLanguage>(TEXTS)
        .unwrap_or_default()
        .into_iter()
        .flat_map(|(lang, t)| t.into_iter().map(move |(k, v)| (lang.clone(), k, v)))
        .collect()
}

/// The ids of a tour's scenes.
fn ids_of(tour: Result<Tour, String>) -> Vec<String> {
    tour.map(|t| t.scenes.into_iter().map(|s| s.id).collect())
        .unwrap_or_default()
}

thread_local! {
    static SCENE_IDS: Vec<String> = {
        #[allow(unused_mut)]
        let mut ids = ids_of(tour());
        #[cfg(feature = "full")]
        ids.extend(ids_of(membership_tour()));
        ids
    };
}

/// The ids of the tour's scenes, in order (read from the tour once); in the page with
/// everything, the chapter "Changing the configuration" follows the slides'.
pub fn scene_ids() -> Vec<String> {
    SCENE_IDS.with(Clone::clone)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_embedded_tour_is_the_tour_file() {
        assert_eq!(super::tour(), raft_sim::tour::Tour::slides());
    }

    #[cfg(feature = "full")]
    #[test]
    fn membership_the_embedded_chapter_is_the_chapter_file() {
        assert_eq!(super::membership_tour(), raft_sim::tour::Tour::membership());
        assert_eq!(super::membership_texts().len(), 2 * 22);
    }

    #[test]
    fn base64url_round_trips_and_refuses_other_alphabets() {
        let text = "{\"a\":\"Set 1 — ✓\"}";
        let b = super::base64url(text);
        assert!(!b.contains(['+', '/', '=']));
        assert_eq!(super::from_base64url(&b).as_deref(), Ok(text));
        assert_eq!(super::from_base64url("a+b/"), Err("not base64url"));
        assert_eq!(super::from_base64url("__8"), Err("not text"));
    }
}
