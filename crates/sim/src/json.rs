//! Reading the simulator's files (traces, the tour, scenarios) with serde: each format
//! is defined once, by the `Serialize`/`Deserialize` derives of its types, which refuse
//! unknown fields. Errors name the field at fault (`actions[3].action.crash.node:
//! invalid type …`), by serde_path_to_error.
//!
//! Natively the text is parsed by serde_json; the page parses with the browser's
//! `JSON.parse` and hands the value to [`decode`] through serde-wasm-bindgen.

use serde::Deserialize;
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

/// Parses JSON text and decodes it.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    let mut d = serde_json::Deserializer::from_str(text);
    let value = decode(&mut d)?;
    d.end().map_err(|e| DecodeError {
        path: String::new(),
        message: e.to_string(),
    })?;
    Ok(value)
}
