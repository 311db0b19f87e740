//! Runs as data: (config, seed, actions) serialized as versioned JSON, to export,
//! import and replay. Importing checks everything and never panics.

use crate::sim::{Action, ReplayError, TimedAction};
use crate::{SimConfig, Simulation};
use raft_core::Time;
use serde::de::{self, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The `format` field of every trace file.
pub const FORMAT: &str = "raft-playground-trace";
/// The trace version this build writes and reads.
pub const VERSION: u32 = 1;
/// Largest trace accepted, in bytes.
pub const MAX_BYTES: usize = 8 << 20;
/// Most actions accepted in one trace.
pub const MAX_ACTIONS: usize = 100_000;
/// The largest seed: runs travel as JSON (trace files, shared links), whose numbers
/// are exact only up to 2^53 − 1 in a browser.
pub const MAX_SEED: u64 = (1 << 53) - 1;
/// Latest end time accepted: one simulated day.
pub const MAX_END: Time = 24 * 3_600 * 1_000_000;

/// A run, fully defined: replaying it gives the same events, bit for bit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trace {
    /// Always [`FORMAT`].
    pub format: String,
    /// The version it was written with.
    pub version: u32,
    /// The cluster and network.
    pub config: SimConfig,
    /// The seed.
    pub seed: u64,
    /// The user's actions, in order.
    pub actions: Vec<TimedAction>,
    /// The moment the run was saved at (µs).
    pub end: Time,
    /// Queue events processed at `end` (optional; without it the replay runs every
    /// event up to `end`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<u64>,
    /// The trace hash at `end`, as hex, to check a replay against (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

/// Why a trace cannot be loaded. Each message says what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceError {
    /// Bigger than [`MAX_BYTES`].
    TooLarge(usize),
    /// Not JSON, or not a trace.
    Syntax(String),
    /// Not a trace of this program.
    WrongFormat(String),
    /// Written by a newer version.
    FutureVersion(u32),
    /// An invalid field.
    Invalid(String),
    /// It does not replay.
    Replay(String),
    /// It replays, but differently than when it was saved.
    HashMismatch {
        /// Hash in the file.
        expected: String,
        /// Hash of the replay.
        actual: String,
    },
}

impl fmt::Display for TraceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraceError::TooLarge(n) => {
                write!(f, "the file is too large ({n} bytes; at most {MAX_BYTES})")
            }
            TraceError::Syntax(e) => write!(f, "not a valid trace file: {e}"),
            TraceError::WrongFormat(s) => write!(f, "not a Raft playground trace (format {s})"),
            TraceError::FutureVersion(v) => write!(
                f,
                "this trace was written by a newer version (format version {v}; this one reads {VERSION})"
            ),
            TraceError::Invalid(e) => write!(f, "invalid trace: {e}"),
            TraceError::Replay(e) => write!(f, "the trace does not replay: {e}"),
            TraceError::HashMismatch { expected, actual } => write!(
                f,
                "the trace replays differently than it was recorded (hash {actual}, expected {expected})"
            ),
        }
    }
}

impl std::error::Error for TraceError {}

/// Formats a trace hash.
pub fn hex(hash: u64) -> String {
    format!("{hash:016x}")
}

impl Trace {
    /// The trace of a simulation up to now.
    pub fn of(sim: &Simulation) -> Trace {
        Trace {
            format: FORMAT.into(),
            version: VERSION,
            config: sim.initial_config().clone(),
            seed: sim.seed(),
            actions: sim.actions().to_vec(),
            end: sim.now(),
            events: Some(sim.processed()),
            hash: Some(hex(sim.trace_hash())),
        }
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads and checks a trace. It is not replayed: see [`Trace::replay`]. The
    /// envelope is read first, so that a file of another format or of a future
    /// version gets a clear message rather than a complaint about fields this version
    /// does not know. (The text is read in three passes rather than once into a
    /// `serde_json::Value`: the page then carries no `Value` reader.)
    pub fn from_json(text: &str) -> Result<Trace, TraceError> {
        read_envelope(text, FORMAT, VERSION)?;
        let syntax = |e: crate::json::DecodeError| TraceError::Syntax(e.to_string());
        let trace: Trace = crate::json::from_str(text).map_err(syntax)?;
        trace.validate()?;
        Ok(trace)
    }

    /// Checks every field without running anything.
    pub fn validate(&self) -> Result<(), TraceError> {
        self.config
            .validate()
            .map_err(|e| TraceError::Invalid(format!("config: {e}")))?;
        if self.actions.len() > MAX_ACTIONS {
            return Err(TraceError::Invalid(format!(
                "{} actions (at most {MAX_ACTIONS})",
                self.actions.len()
            )));
        }
        if self.seed > MAX_SEED {
            return Err(TraceError::Invalid(format!(
                "seed {} is above {MAX_SEED} (2^53 - 1), the largest JSON keeps exact",
                self.seed
            )));
        }
        if self.end > MAX_END {
            return Err(TraceError::Invalid("end is after one simulated day".into()));
        }
        #[cfg_attr(not(feature = "membership"), allow(unused_mut))]
        let mut n = self.config.nodes as u32;
        let mut last = (0, 0);
        for (k, a) in self.actions.iter().enumerate() {
            if (a.at, a.after) < last || a.at < last.0 || a.after < last.1 {
                return Err(TraceError::Invalid(format!(
                    "action {k} is out of time order"
                )));
            }
            if a.at > self.end {
                return Err(TraceError::Invalid(format!("action {k} is after the end")));
            }
            last = (a.at, a.after);
            let ids: Vec<u32> = match &a.action {
                Action::Crash { node }
                | Action::Restart { node }
                | Action::Timeout { node }
                | Action::Submit { node, .. }
                | Action::Read { node } => vec![*node],
                #[cfg(feature = "deliver")]
                Action::Heartbeat { node } => vec![*node],
                Action::Transfer { node, to } => vec![*node, *to],
                #[cfg(feature = "membership")]
                Action::AddServer { node } => {
                    n += 1; // the new server may be named from here on
                    vec![*node]
                }
                #[cfg(feature = "membership")]
                Action::RemoveServer { node, server } => vec![*node, *server],
                Action::AlignTimers { nodes } | Action::SpreadTimers { nodes } => nodes.clone(),
                Action::Partition { islands } => islands.iter().flatten().copied().collect(),
                Action::CutLink { from, to, .. } | Action::RestoreLink { from, to, .. } => {
                    vec![*from, *to]
                }
                Action::Heal | Action::DropMessage { .. } | Action::SetNetwork { .. } => vec![],
                #[cfg(feature = "compaction")]
                Action::SetSnapshotThreshold { .. } => vec![],
                #[cfg(feature = "deliver")]
                Action::Deliver { .. } => vec![],
            };
            if let Some(bad) = ids.iter().find(|&&id| id == 0 || id > n) {
                return Err(TraceError::Invalid(format!(
                    "action {k} names S{bad}, but the cluster has {n} servers"
                )));
            }
        }
        Ok(())
    }

    /// Replays the trace up to its end (or `until`, if earlier) and checks the hash
    /// when it has one and the replay reaches the end.
    pub fn replay(&self, until: Option<Time>) -> Result<Simulation, TraceError> {
        self.validate()?;
        let stop = until.map_or(self.end, |u| u.min(self.end));
        let mut sim = Simulation::new(self.config.clone(), self.seed)
            .map_err(|e| TraceError::Invalid(e.to_string()))?;
        for a in self.actions.iter().take_while(|a| a.at <= stop) {
            sim.replay_action(a)
                .map_err(|e: ReplayError| TraceError::Replay(e.to_string()))?;
        }
        match self.events {
            Some(events) if stop == self.end => sim
                .run_to_point(stop, events)
                .map_err(|e| TraceError::Replay(e.to_string()))?,
            _ => sim.advance_to(stop),
        }
        if stop == self.end
            && let Some(expected) = &self.hash
        {
            let actual = hex(sim.trace_hash());
            if *expected != actual {
                return Err(TraceError::HashMismatch {
                    expected: expected.clone(),
                    actual,
                });
            }
        }
        Ok(sim)
    }
}

/// What a file says it is, read before anything else.
#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    format: Loose,
    #[serde(default)]
    version: Loose,
}

/// Reads what a file of one of the program's formats (traces, puzzles) says it is,
/// before anything else, so that a file of another format or of a future version gets
/// a clear message rather than a complaint about fields this version does not know.
pub(crate) fn read_envelope(text: &str, format: &str, version: u32) -> Result<(), TraceError> {
    if text.len() > MAX_BYTES {
        return Err(TraceError::TooLarge(text.len()));
    }
    let syntax = |e: crate::json::DecodeError| TraceError::Syntax(e.to_string());
    let whole: Loose = crate::json::lenient(text).map_err(syntax)?;
    if !matches!(whole, Loose::Other("an object")) {
        let kind = whole.kind();
        return Err(TraceError::Syntax(format!(
            "expected an object, found {kind}"
        )));
    }
    let envelope: Envelope = crate::json::lenient(text).map_err(syntax)?;
    match &envelope.format {
        Loose::Text(s) if s == format => {}
        Loose::Text(s) => return Err(TraceError::WrongFormat(format!("\"{s}\""))),
        Loose::Missing => return Err(TraceError::WrongFormat("missing".into())),
        other => return Err(TraceError::WrongFormat(other.kind().into())),
    }
    match envelope.version {
        Loose::Whole(v) if v == u64::from(version) => Ok(()),
        Loose::Whole(v) if v > u64::from(version) => {
            Err(TraceError::FutureVersion(v.min(u32::MAX as u64) as u32))
        }
        _ => Err(TraceError::Invalid(format!("version must be {version}"))),
    }
}

/// A field read without expecting a type: text, a whole number, or what else it is.
#[derive(Default)]
enum Loose {
    #[default]
    Missing,
    Text(String),
    Whole(u64),
    Other(&'static str),
}

impl Loose {
    /// What it is, for error messages.
    fn kind(&self) -> &'static str {
        match self {
            Loose::Missing => "null",
            Loose::Text(_) => "text",
            Loose::Whole(_) => "a number",
            Loose::Other(kind) => kind,
        }
    }
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Any;
        impl<'de> Visitor<'de> for Any {
            type Value = Loose;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Loose, E> {
                Ok(Loose::Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Loose, E> {
                Ok(Loose::Whole(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Loose, E> {
                Ok(u64::try_from(v).map_or(Loose::Other("a number"), Loose::Whole))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Loose, E> {
                // The browser's numbers are all floats: whole ones are whole numbers.
                let whole = v.fract() == 0.0 && (0.0..=MAX_SEED as f64).contains(&v);
                Ok(if whole {
                    Loose::Whole(v as u64)
                } else {
                    Loose::Other("a number")
                })
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Loose, E> {
                Ok(Loose::Other("a boolean"))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Loose, E> {
                Ok(Loose::Missing)
            }
            fn visit_none<E: de::Error>(self) -> Result<Loose, E> {
                Ok(Loose::Missing)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Loose::Other("a list"))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Loose::Other("an object"))
            }
        }
        d.deserialize_any(Any)
    }
}
