//! The replicated state machine of the user's slides: one integer register, changed by
//! `Set n` and `Add n` ("[1] Set 1 validé !", "Add 2", "Add 3").

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A client command. Raft never looks inside; the register applies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "op", content = "n", deny_unknown_fields)]
pub enum Command {
    /// Replace the register's value.
    Set(i64),
    /// Add to the register's value (wrapping on overflow).
    Add(i64),
    /// Nothing: the entry a new leader appends when the no-op option is on (§8).
    Noop,
}

impl Command {
    /// The register's value after applying this command to `value`.
    pub fn apply(self, value: i64) -> i64 {
        match self {
            Command::Set(n) => n,
            Command::Add(n) => value.wrapping_add(n),
            Command::Noop => value,
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Set(n) => write!(f, "Set {n}"),
            Command::Add(n) => write!(f, "Add {n}"),
            Command::Noop => f.write_str("no-op"),
        }
    }
}

/// Why a text is not a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseCommandError(pub String);

impl fmt::Display for ParseCommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not a command: \"{}\" (expected `Set n` or `Add n`, n an integer)",
            self.0
        )
    }
}

impl std::error::Error for ParseCommandError {}

impl FromStr for Command {
    type Err = ParseCommandError;

    /// Parses `Set 1`, `add -3`, `SET 7` (case-insensitive, any spacing).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseCommandError(s.chars().take(40).collect());
        let mut words = s.split_whitespace();
        let (Some(op), Some(n), None) = (words.next(), words.next(), words.next()) else {
            return Err(err());
        };
        let n: i64 = n.parse().map_err(|_| err())?;
        match op.to_ascii_lowercase().as_str() {
            "set" => Ok(Command::Set(n)),
            "add" => Ok(Command::Add(n)),
            _ => Err(err()),
        }
    }
}

/// The register every server keeps, starting at 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Register {
    /// Current value.
    pub value: i64,
    /// Index of the last command applied.
    pub applied: u64,
}

impl Register {
    /// Applies the command at `index`.
    pub fn apply(&mut self, index: u64, command: Command) {
        self.value = command.apply(self.value);
        self.applied = index;
    }

    /// The register's state for a snapshot (§7): its value, 8 bytes little-endian.
    /// Raft keeps it as opaque bytes; the index it was taken at goes beside it.
    pub fn snapshot(&self) -> Vec<u8> {
        self.value.to_le_bytes().to_vec()
    }

    /// The value a snapshot holds (0 if its data is not one the register wrote).
    pub fn value_in(snapshot: &raft_core::Snapshot) -> i64 {
        <[u8; 8]>::try_from(snapshot.data.as_slice()).map_or(0, i64::from_le_bytes)
    }

    /// Resets the register to a snapshot's state.
    pub fn restore(&mut self, snapshot: &raft_core::Snapshot) {
        self.value = Self::value_in(snapshot);
        self.applied = snapshot.last_index;
    }
}

/// How an entry is named in messages and listings: its command, or for a
/// configuration entry the servers it makes voters (`C{1,2,3}`, `C{1,2,3}→{1,2,3,4}` for
/// a joint one, `C{1,2,3}+learners{4}` with a learner).
pub fn entry_name(e: &raft_core::Entry<Command>) -> String {
    #[cfg(feature = "membership")]
    if let Some(c) = &e.config {
        let set = |ids: &[raft_core::NodeId]| {
            let ids: Vec<String> = ids.iter().map(raft_core::NodeId::to_string).collect();
            format!("{{{}}}", ids.join(","))
        };
        let voters = if c.outgoing.is_empty() {
            format!("C{}", set(&c.voters))
        } else {
            format!("C{}→{}", set(&c.outgoing), set(&c.voters))
        };
        return if c.learners.is_empty() {
            voters
        } else {
            format!("{voters}+learners{}", set(&c.learners))
        };
    }
    e.command.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slides_sequence_leaves_four() {
        let mut r = Register::default();
        for (i, c) in ["Set 1", "Add 3"].iter().enumerate() {
            r.apply(i as u64 + 1, c.parse().unwrap());
        }
        assert_eq!(r.value, 4);
        assert_eq!(r.applied, 2);
    }

    #[test]
    fn parsing_accepts_spacing_and_case_and_rejects_the_rest() {
        assert_eq!("  add   -2 ".parse(), Ok(Command::Add(-2)));
        assert_eq!("SET 7".parse(), Ok(Command::Set(7)));
        for bad in [
            "",
            "Set",
            "Set x",
            "Mul 2",
            "Set 1 2",
            "Add 99999999999999999999",
        ] {
            assert!(bad.parse::<Command>().is_err(), "{bad}");
        }
        assert_eq!(Command::Add(3).to_string(), "Add 3");
    }

    #[test]
    fn add_wraps_instead_of_panicking() {
        assert_eq!(Command::Add(1).apply(i64::MAX), i64::MIN);
    }

    #[test]
    fn a_no_op_changes_nothing_but_counts_as_applied() {
        let mut r = Register {
            value: 4,
            applied: 2,
        };
        r.apply(3, Command::Noop);
        assert_eq!(
            r,
            Register {
                value: 4,
                applied: 3
            }
        );
        assert!(
            "no-op".parse::<Command>().is_err(),
            "clients do not send no-ops"
        );
    }
}
