//! Reading the simulator's files (traces, the tour, scenarios) with serde: each format
//! is defined once, by the `Serialize`/`Deserialize` derives of its types, which refuse
//! unknown fields. Errors name the field at fault (`actions[3].action.crash.node:
//! invalid type …`), by serde_path_to_error.
//!
//! Natively the text is parsed by serde_json and decoded by [`decode`]; the page
//! parses with the browser's `JSON.parse` and decodes the value with serde-wasm-bindgen
//! (see the `browser` module below).

use serde::Deserialize;
#[cfg(not(target_arch = "wasm32"))]
use serde::Serialize;
#[cfg(not(target_arch = "wasm32"))]
use serde::de::DeserializeOwned;
use std::fmt;

/// Why a value does not decode, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Where: `actions[3].action.crash.node`; empty for the whole value.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() || self.path == "." {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes a value from any serde deserializer, naming the path of an error.
#[cfg(feature = "paths")]
pub fn decode<'de, T, D>(d: D) -> Result<T, DecodeError>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
    D::Error: fmt::Display,
{
    serde_path_to_error::deserialize(d).map_err(|e| DecodeError {
        path: e.path().to_string(),
        message: e.inner().to_string(),
    })
}

/// Decodes a value from any serde deserializer (without the `paths` feature, as in
/// the page, errors give a line and column instead of the field's path).
#[cfg(not(feature = "paths"))]
pub fn decode<'de, T, D>(d: D) -> Result<T, DecodeError>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
    D::Error: fmt::Display,
{
    T::deserialize(d).map_err(|e| DecodeError {
        path: String::new(),
        message: e.to_string(),
    })
}

/// Parses JSON text and decodes it, refusing fields the types do not know.
#[cfg(not(target_arch = "wasm32"))]
pub fn from_str<T: DeserializeOwned + Serialize>(text: &str) -> Result<T, DecodeError> {
    lenient(text)
}

/// Parses JSON text and decodes it; a type that does not refuse unknown fields
/// (`deny_unknown_fields`) skips them (the envelope of a file).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn lenient<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    let mut d = serde_json::Deserializer::from_str(text);
    let value = decode(&mut d)?;
    d.end().map_err(|e| DecodeError {
        path: String::new(),
        message: e.to_string(),
    })?;
    Ok(value)
}

#[cfg(target_arch = "wasm32")]
pub use browser::from_str;
#[cfg(target_arch = "wasm32")]
pub(crate) use browser::lenient;

/// In the page, the browser's `JSON.parse` reads the text and serde-wasm-bindgen
/// decodes the value: the serde derives are then compiled for one reader that calls
/// the browser, not for serde_json's parser as well (7 KB gzipped less, measured).
/// serde-wasm-bindgen looks up only the fields a type knows, so unknown fields are
/// found another way: the decoded value is written back out and every key of the
/// input must be there again ([`unknown_key`]), which also names where it was.
#[cfg(target_arch = "wasm32")]
mod browser {
    use super::DecodeError;
    use serde::Serialize;
    use serde::de::DeserializeOwned;
    use wasm_bindgen::{JsCast, JsValue};

    fn error(path: String, message: String) -> DecodeError {
        DecodeError { path, message }
    }

    /// The message of a JavaScript error (what `JSON.parse` or serde-wasm-bindgen
    /// threw), without the "Error: " its text starts with.
    fn message(e: JsValue) -> String {
        match e.dyn_into::<js_sys::Error>() {
            Ok(e) => String::from(e.message()),
            Err(e) => e.as_string().unwrap_or_else(|| "not JSON".into()),
        }
    }

    fn parse<T: DeserializeOwned>(text: &str) -> Result<(JsValue, T), DecodeError> {
        let value = js_sys::JSON::parse(text).map_err(|e| error(String::new(), message(e)))?;
        let decoded = serde_wasm_bindgen::from_value(value.clone())
            .map_err(|e| error(String::new(), message(e.into())))?;
        Ok((value, decoded))
    }

    /// Parses JSON text and decodes it, refusing fields the types do not know.
    pub fn from_str<T: DeserializeOwned + Serialize>(text: &str) -> Result<T, DecodeError> {
        let (input, decoded) = parse::<T>(text)?;
        let output = decoded
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| error(String::new(), message(e.into())))?;
        let mut path = String::new();
        match unknown_key(&input, &output, &mut path) {
            Some(key) => Err(error(path, format!("unknown field `{key}`"))),
            None => Ok(decoded),
        }
    }

    /// Parses JSON text and decodes it; unknown fields are skipped.
    pub(crate) fn lenient<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
        parse(text).map(|(_, decoded)| decoded)
    }

    /// The first key of `input` that the value decoded from it does not write back
    /// (`output`), with `path` set to the object holding it (`actions[3].action.crash`).
    /// A field skipped when empty (`null`, `[]`) is not written back either, so such a
    /// key counts only when it carries something.
    pub(super) fn unknown_key(
        input: &JsValue,
        output: &JsValue,
        path: &mut String,
    ) -> Option<String> {
        let len = path.len();
        if js_sys::Array::is_array(input) {
            let (input, output) = (js_sys::Array::from(input), js_sys::Array::from(output));
            for (i, item) in input.iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                if let Some(key) = unknown_key(&item, &output.get(i as u32), path) {
                    return Some(key);
                }
                path.truncate(len);
            }
        } else if input.is_object() {
            let (object, written) = (js_sys::Object::from(input.clone()), output.is_object());
            for key in js_sys::Object::keys(&object).iter() {
                let value = js_sys::Reflect::get(input, &key).unwrap_or(JsValue::NULL);
                let name = key.as_string().unwrap_or_default();
                let back = written
                    .then(|| js_sys::Reflect::get(output, &key).ok())
                    .flatten()
                    .filter(|v| !v.is_undefined());
                let Some(back) = back else {
                    let empty = value.is_null()
                        || js_sys::Array::is_array(&value)
                            && js_sys::Array::from(&value).length() == 0;
                    if empty {
                        continue;
                    }
                    return Some(name);
                };
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&name);
                if let Some(key) = unknown_key(&value, &back, path) {
                    return Some(key);
                }
                path.truncate(len);
            }
        }
        None
    }
}
