//! Reading the simulator's files: traces, the tour and scripts.
//!
//! serde writes these types. Reading them goes through a parsed [`Json`] value and
//! the [`FromJson`] decoders of this module: natively serde_json parses the text, and
//! the browser uses its own `JSON.parse` and only walks the result into a [`Json`].
//! serde's derived visitors would weigh about 20 KB gzipped in the page; these
//! decoders are a small fraction of that. Every error names the field at fault
//! (`actions[3].action.crash.node: expected a whole number …`), and unknown fields
//! are refused, so that a typo in a hand-written file does not go unnoticed.

use crate::command::Command;
use crate::config::SimConfig;
use crate::scenario::{Act, Condition, Scenario, Step, Who};
use crate::sim::{Action, TimedAction};
use crate::tour::{Scene, Tour};
use crate::trace::Trace;
use raft_core::Role;
use std::fmt;

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number, kept exact.
    Int(i128),
    /// Any other number.
    Float(f64),
    /// Text.
    Str(String),
    /// A list.
    Array(Vec<Json>),
    /// An object, its fields in file order.
    Object(Vec<(String, Json)>),
}

/// Deepest nesting a reader should accept (traces and the tour need 6 levels).
pub const MAX_DEPTH: usize = 64;

impl Json {
    /// Parses JSON text.
    pub fn parse(text: &str) -> Result<Json, String> {
        serde_json::from_str::<serde_json::Value>(text)
            .map(Json::from)
            .map_err(|e| e.to_string())
    }

    /// A field of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// What kind of value this is, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Int(_) | Json::Float(_) => "a number",
            Json::Str(_) => "text",
            Json::Array(_) => "a list",
            Json::Object(_) => "an object",
        }
    }
}

impl From<serde_json::Value> for Json {
    fn from(v: serde_json::Value) -> Json {
        use serde_json::Value as V;
        match v {
            V::Null => Json::Null,
            V::Bool(b) => Json::Bool(b),
            V::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Json::Int(u.into()),
                (_, Some(i)) => Json::Int(i.into()),
                _ => Json::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            V::String(s) => Json::Str(s),
            V::Array(a) => Json::Array(a.into_iter().map(Json::from).collect()),
            V::Object(o) => Json::Object(o.into_iter().map(|(k, v)| (k, Json::from(v))).collect()),
        }
    }
}

/// Why a value does not decode, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Path segments, innermost first (`node`, `crash`, `action`, `[3]`, `actions`).
    path: Vec<String>,
    /// What is wrong.
    message: String,
}

impl DecodeError {
    /// An error at the value being decoded.
    pub fn new(message: impl Into<String>) -> Self {
        DecodeError {
            path: Vec::new(),
            message: message.into(),
        }
    }

    /// The same error, inside field or list position `segment`.
    pub fn within(mut self, segment: impl Into<String>) -> Self {
        self.path.push(segment.into());
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, seg) in self.path.iter().rev().enumerate() {
            if k > 0 && !seg.starts_with('[') {
                f.write_str(".")?;
            }
            f.write_str(seg)?;
        }
        if !self.path.is_empty() {
            f.write_str(": ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecodeError {}

fn expected(what: &str, v: &Json) -> DecodeError {
    DecodeError::new(format!("expected {what}, found {}", v.kind()))
}

/// A type read from a [`Json`] value.
pub trait FromJson: Sized {
    /// Decodes `v`.
    fn from_json(v: &Json) -> Result<Self, DecodeError>;
}

/// Parses JSON text and decodes it (natively; the page parses with the browser).
pub fn from_str<T: FromJson>(text: &str) -> Result<T, DecodeError> {
    T::from_json(&Json::parse(text).map_err(DecodeError::new)?)
}

macro_rules! whole_numbers {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(v: &Json) -> Result<Self, DecodeError> {
                let n = match v {
                    Json::Int(i) => Some(*i),
                    Json::Float(f) if f.fract() == 0.0 && f.abs() < 1e30 => Some(*f as i128),
                    _ => None,
                };
                n.and_then(|n| <$t>::try_from(n).ok()).ok_or_else(|| {
                    DecodeError::new(format!(
                        "expected a whole number from {} to {}, found {}",
                        <$t>::MIN,
                        <$t>::MAX,
                        match v {
                            Json::Int(_) | Json::Float(_) => "another number",
                            other => other.kind(),
                        }
                    ))
                })
            }
        }
    )*};
}
whole_numbers!(u32, u64, usize, i64);

impl FromJson for f64 {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        match v {
            Json::Int(i) => Ok(*i as f64),
            Json::Float(f) => Ok(*f),
            other => Err(expected("a number", other)),
        }
    }
}

impl FromJson for bool {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        match v {
            Json::Bool(b) => Ok(*b),
            other => Err(expected("true or false", other)),
        }
    }
}

impl FromJson for String {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        match v {
            Json::Str(s) => Ok(s.clone()),
            other => Err(expected("text", other)),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        match v {
            Json::Array(items) => items
                .iter()
                .enumerate()
                .map(|(k, item)| T::from_json(item).map_err(|e| e.within(format!("[{k}]"))))
                .collect(),
            other => Err(expected("a list", other)),
        }
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        match v {
            Json::Null => Ok(None),
            v => T::from_json(v).map(Some),
        }
    }
}

/// The fields of an object, checked against the names a type knows.
pub struct Fields<'a>(&'a [(String, Json)]);

impl<'a> Fields<'a> {
    /// The fields of `v`, which must be an object with no field outside `known`.
    pub fn of(v: &'a Json, known: &[&str]) -> Result<Self, DecodeError> {
        let Json::Object(fields) = v else {
            return Err(expected("an object", v));
        };
        if let Some((k, _)) = fields.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            return Err(DecodeError::new(format!(
                "unknown field `{k}` (expected {})",
                known.join(", ")
            )));
        }
        Ok(Fields(fields))
    }

    fn raw(&self, key: &str) -> Option<&'a Json> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// An optional field (missing or `null` gives `None`).
    pub fn opt<T: FromJson>(&self, key: &str) -> Result<Option<T>, DecodeError> {
        match self.raw(key) {
            None | Some(Json::Null) => Ok(None),
            Some(v) => T::from_json(v).map(Some).map_err(|e| e.within(key)),
        }
    }

    /// A required field.
    pub fn req<T: FromJson>(&self, key: &str) -> Result<T, DecodeError> {
        match self.raw(key) {
            None => Err(DecodeError::new(format!("missing field `{key}`"))),
            Some(v) => T::from_json(v).map_err(|e| e.within(key)),
        }
    }

    /// A field with a default.
    pub fn or<T: FromJson>(&self, key: &str, default: T) -> Result<T, DecodeError> {
        Ok(self.opt(key)?.unwrap_or(default))
    }
}

/// The tag and content of an enum written as `"tag"` (no content) or
/// `{"tag": content}`.
fn variant(v: &Json) -> Result<(&str, Option<&Json>), DecodeError> {
    match v {
        Json::Str(tag) => Ok((tag, None)),
        Json::Object(fields) if fields.len() == 1 => Ok((&fields[0].0, Some(&fields[0].1))),
        other => Err(expected("a name or an object with one field", other)),
    }
}

/// Decodes an enum: `decode` gets the tag and the content, and returns `None` for
/// an unknown tag; errors are placed inside the tag.
fn decode_enum<T>(
    v: &Json,
    names: &str,
    decode: impl FnOnce(&str, Content) -> Result<Option<T>, DecodeError>,
) -> Result<T, DecodeError> {
    let (tag, content) = variant(v)?;
    match decode(tag, Content(content)) {
        Ok(Some(t)) => Ok(t),
        Ok(None) => Err(DecodeError::new(format!(
            "unknown `{tag}` (expected one of {names})"
        ))),
        Err(e) => Err(e.within(tag)),
    }
}

/// The content of an enum variant.
struct Content<'a>(Option<&'a Json>);

impl<'a> Content<'a> {
    fn value<T: FromJson>(&self) -> Result<T, DecodeError> {
        T::from_json(self.0.unwrap_or(&Json::Null))
    }

    fn fields(&self, known: &[&str]) -> Result<Fields<'a>, DecodeError> {
        Fields::of(self.0.unwrap_or(&Json::Null), known)
    }

    /// A variant without content.
    fn none<T>(&self, t: T) -> Result<Option<T>, DecodeError> {
        match self.0 {
            None => Ok(Some(t)),
            Some(v) => Err(expected("no content", v)),
        }
    }
}

impl FromJson for raft_core::Config {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        const F: [&str; 4] = [
            "election_timeout_min",
            "election_timeout_max",
            "heartbeat_interval",
            "max_entries_per_message",
        ];
        let f = Fields::of(v, &F)?;
        Ok(raft_core::Config {
            election_timeout_min: f.req(F[0])?,
            election_timeout_max: f.req(F[1])?,
            heartbeat_interval: f.req(F[2])?,
            max_entries_per_message: f.req(F[3])?,
        })
    }
}

impl FromJson for SimConfig {
    /// Every field may be left out (its default is taken).
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        const F: [&str; 7] = [
            "nodes",
            "raft",
            "latency_min",
            "latency_max",
            "loss",
            "duplicate",
            "reorder",
        ];
        let f = Fields::of(v, &F)?;
        let d = SimConfig::default();
        Ok(SimConfig {
            nodes: f.or(F[0], d.nodes)?,
            raft: f.or(F[1], d.raft)?,
            latency_min: f.or(F[2], d.latency_min)?,
            latency_max: f.or(F[3], d.latency_max)?,
            loss: f.or(F[4], d.loss)?,
            duplicate: f.or(F[5], d.duplicate)?,
            reorder: f.or(F[6], d.reorder)?,
        })
    }
}

impl FromJson for Command {
    /// `{"op": "Set", "n": 1}`.
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let f = Fields::of(v, &["op", "n"])?;
        let n = f.req("n")?;
        match f.req::<String>("op")?.as_str() {
            "Set" => Ok(Command::Set(n)),
            "Add" => Ok(Command::Add(n)),
            other => Err(DecodeError::new(format!(
                "unknown command `{other}` (expected Set or Add)"
            ))
            .within("op")),
        }
    }
}

impl FromJson for Action {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        const NAMES: &str = "crash, restart, timeout, align_timers, spread_timers, partition, \
                             cut_link, restore_link, heal, drop_message, submit, set_network";
        decode_enum(v, NAMES, |tag, c| {
            let node = || c.fields(&["node"])?.req("node");
            let nodes = || c.fields(&["nodes"])?.req("nodes");
            let link = || -> Result<_, DecodeError> {
                let f = c.fields(&["from", "to", "one_way"])?;
                Ok((f.req("from")?, f.req("to")?, f.or("one_way", false)?))
            };
            Ok(Some(match tag {
                "crash" => Action::Crash { node: node()? },
                "restart" => Action::Restart { node: node()? },
                "timeout" => Action::Timeout { node: node()? },
                "align_timers" => Action::AlignTimers { nodes: nodes()? },
                "spread_timers" => Action::SpreadTimers { nodes: nodes()? },
                "partition" => Action::Partition {
                    islands: c.fields(&["islands"])?.req("islands")?,
                },
                "cut_link" => {
                    let (from, to, one_way) = link()?;
                    Action::CutLink { from, to, one_way }
                }
                "restore_link" => {
                    let (from, to, one_way) = link()?;
                    Action::RestoreLink { from, to, one_way }
                }
                "heal" => return c.none(Action::Heal),
                "drop_message" => Action::DropMessage {
                    id: c.fields(&["id"])?.req("id")?,
                },
                "submit" => {
                    let f = c.fields(&["node", "command"])?;
                    Action::Submit {
                        node: f.req("node")?,
                        command: f.req("command")?,
                    }
                }
                "set_network" => {
                    const F: [&str; 5] =
                        ["latency_min", "latency_max", "loss", "duplicate", "reorder"];
                    let f = c.fields(&F)?;
                    Action::SetNetwork {
                        latency_min: f.req(F[0])?,
                        latency_max: f.req(F[1])?,
                        loss: f.req(F[2])?,
                        duplicate: f.or(F[3], 0.0)?,
                        reorder: f.or(F[4], 0.0)?,
                    }
                }
                _ => return Ok(None),
            }))
        })
    }
}

impl FromJson for TimedAction {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let f = Fields::of(v, &["at", "after", "action"])?;
        Ok(TimedAction {
            at: f.req("at")?,
            after: f.req("after")?,
            action: f.req("action")?,
        })
    }
}

impl FromJson for Trace {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        const F: [&str; 8] = [
            "format", "version", "config", "seed", "actions", "end", "events", "hash",
        ];
        let f = Fields::of(v, &F)?;
        Ok(Trace {
            format: f.req(F[0])?,
            version: f.req(F[1])?,
            config: f.req(F[2])?,
            seed: f.req(F[3])?,
            actions: f.req(F[4])?,
            end: f.req(F[5])?,
            events: f.opt(F[6])?,
            hash: f.opt(F[7])?,
        })
    }
}

impl FromJson for Role {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        match String::from_json(v)?.as_str() {
            "follower" => Ok(Role::Follower),
            "candidate" => Ok(Role::Candidate),
            "leader" => Ok(Role::Leader),
            other => Err(DecodeError::new(format!(
                "unknown role `{other}` (expected follower, candidate or leader)"
            ))),
        }
    }
}

impl FromJson for Who {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        Who::try_from(String::from_json(v)?).map_err(DecodeError::new)
    }
}

impl FromJson for Act {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        const NAMES: &str =
            "crash, restart, timeout, align, spread, partition, heal, submit, remember";
        decode_enum(v, NAMES, |tag, c| {
            Ok(Some(match tag {
                "crash" => Act::Crash(c.value()?),
                "restart" => Act::Restart(c.value()?),
                "timeout" => Act::Timeout(c.value()?),
                "align" => Act::Align(c.value()?),
                "spread" => Act::Spread(c.value()?),
                "partition" => Act::Partition(c.value()?),
                "heal" => return c.none(Act::Heal),
                "submit" => {
                    let f = c.fields(&["to", "command"])?;
                    Act::Submit {
                        to: f.req("to")?,
                        command: f.req("command")?,
                    }
                }
                "remember" => {
                    let f = c.fields(&["name", "who"])?;
                    Act::Remember {
                        name: f.req("name")?,
                        who: f.req("who")?,
                    }
                }
                _ => return Ok(None),
            }))
        })
    }
}

impl FromJson for Condition {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        const NAMES: &str = "leader, leaders, role, term_above, term_at_least, log, value, safe";
        decode_enum(v, NAMES, |tag, c| {
            Ok(Some(match tag {
                "leader" => Condition::Leader(c.value()?),
                "leaders" => Condition::Leaders(c.value()?),
                "role" => {
                    let f = c.fields(&["who", "is"])?;
                    Condition::Role {
                        who: f.req("who")?,
                        is: f.req("is")?,
                    }
                }
                "term_above" => {
                    let f = c.fields(&["who", "than"])?;
                    Condition::TermAbove {
                        who: f.req("who")?,
                        than: f.req("than")?,
                    }
                }
                "term_at_least" => {
                    let f = c.fields(&["who", "term"])?;
                    Condition::TermAtLeast {
                        who: f.req("who")?,
                        term: f.req("term")?,
                    }
                }
                "log" => {
                    let f = c.fields(&["who", "commands", "committed"])?;
                    Condition::Log {
                        who: f.req("who")?,
                        commands: f.req("commands")?,
                        committed: f.or("committed", false)?,
                    }
                }
                "value" => {
                    let f = c.fields(&["who", "is"])?;
                    Condition::Value {
                        who: f.req("who")?,
                        is: f.req("is")?,
                    }
                }
                "safe" => return c.none(Condition::Safe),
                _ => return Ok(None),
            }))
        })
    }
}

impl FromJson for Step {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        decode_enum(v, "wait, until, do, expect, say", |tag, c| {
            Ok(Some(match tag {
                "wait" => Step::Wait(c.value()?),
                "until" => {
                    let f = c.fields(&["condition", "within_ms"])?;
                    Step::Until {
                        condition: f.req("condition")?,
                        within_ms: f.req("within_ms")?,
                    }
                }
                "do" => Step::Do(c.value()?),
                "expect" => Step::Expect(c.value()?),
                "say" => Step::Say(c.value()?),
                _ => return Ok(None),
            }))
        })
    }
}

impl FromJson for Scene {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let f = Fields::of(v, &["id", "hold", "steps", "checkpoint"])?;
        Ok(Scene {
            id: f.req("id")?,
            hold: f.or("hold", false)?,
            steps: f.req("steps")?,
            checkpoint: f.or("checkpoint", Vec::new())?,
        })
    }
}

impl FromJson for Tour {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let f = Fields::of(v, &["seed", "nodes", "scenes"])?;
        Ok(Tour {
            seed: f.req("seed")?,
            nodes: f.req("nodes")?,
            scenes: f.req("scenes")?,
        })
    }
}

impl FromJson for Scenario {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let f = Fields::of(v, &["name", "nodes", "seed", "steps"])?;
        Ok(Scenario {
            name: f.req("name")?,
            nodes: f.req("nodes")?,
            seed: f.req("seed")?,
            steps: f.req("steps")?,
        })
    }
}
