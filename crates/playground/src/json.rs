//! JSON in and out. In the browser the page uses the browser's own parser and
//! printer (`JSON.parse`, `JSON.stringify`) through serde-wasm-bindgen, which keeps
//! serde_json out of the wasm; natively (the unit tests) it uses serde_json.

use raft_sim::tour::{TOUR_JSON, Tour};
use raft_sim::{MAX_BYTES, Trace, TraceError};
use serde::Serialize;
use serde::de::DeserializeOwned;

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use wasm_bindgen::JsValue;

    pub fn parse_value(text: &str) -> Result<JsValue, String> {
        js_sys::JSON::parse(text).map_err(|e| {
            js_sys::Error::from(e)
                .message()
                .as_string()
                .unwrap_or_else(|| "bad JSON".into())
        })
    }

    pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
        serde_wasm_bindgen::from_value(parse_value(text)?).map_err(|e| e.to_string())
    }

    pub fn stringify<T: Serialize>(v: &T, pretty: bool) -> String {
        let value = v
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .unwrap_or(JsValue::NULL);
        let text = if pretty {
            js_sys::JSON::stringify_with_replacer_and_space(&value, &JsValue::NULL, &2.into())
        } else {
            js_sys::JSON::stringify(&value)
        };
        text.ok().and_then(|t| t.as_string()).unwrap_or_default()
    }

    pub fn trace(text: &str) -> Result<Trace, TraceError> {
        let value = parse_value(text).map_err(TraceError::Syntax)?;
        if !value.is_object() || js_sys::Array::is_array(&value) {
            return Err(TraceError::Syntax("expected an object".into()));
        }
        let get = |k: &str| js_sys::Reflect::get(&value, &k.into()).unwrap_or(JsValue::UNDEFINED);
        let present = |v: &JsValue| !v.is_undefined() && !v.is_null();
        let format = get("format");
        let format = present(&format).then(|| {
            format.as_string().ok_or_else(|| {
                js_sys::JSON::stringify(&format)
                    .ok()
                    .and_then(|s| s.as_string())
                    .unwrap_or_default()
            })
        });
        let version = get("version");
        let version = present(&version).then(|| {
            version
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
                .ok_or(())
        });
        Trace::check_envelope(format, version)?;
        let trace: Trace =
            serde_wasm_bindgen::from_value(value).map_err(|e| TraceError::Syntax(e.to_string()))?;
        trace.validate()?;
        Ok(trace)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::*;

    pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    pub fn stringify<T: Serialize>(v: &T, pretty: bool) -> String {
        if pretty {
            serde_json::to_string_pretty(v).unwrap_or_default()
        } else {
            serde_json::to_string(v).unwrap_or_default()
        }
    }

    pub fn trace(text: &str) -> Result<Trace, TraceError> {
        Trace::from_json(text)
    }
}

/// Reads a value from JSON text.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    imp::parse(text)
}

/// Writes a value as JSON text (indented if `pretty`).
pub fn stringify<T: Serialize>(v: &T, pretty: bool) -> String {
    imp::stringify(v, pretty)
}

/// Reads and checks a trace file (the same checks as `Trace::from_json`).
pub fn trace(text: &str) -> Result<Trace, TraceError> {
    if text.len() > MAX_BYTES {
        return Err(TraceError::TooLarge(text.len()));
    }
    imp::trace(text)
}

/// The tour of the slides.
pub fn tour() -> Result<Tour, String> {
    parse(TOUR_JSON).map_err(|e| format!("tour.json: {e}"))
}
