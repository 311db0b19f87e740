//! The replicated log (§5.3) and the election restriction's up-to-date rule (§5.4.1).

use crate::{Index, Term};
use alloc::vec::Vec;

/// One log entry: the term in which a leader created it and the client's command.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Entry<C> {
    /// Term of the leader that created the entry.
    pub term: Term,
    /// The command, opaque to Raft.
    pub command: C,
}

/// A log of entries with 1-based indices. Index 0 is the empty prefix, of term 0.
/// Two logs are equal when their entries are.
#[derive(Clone, Debug)]
pub struct Log<C> {
    entries: Vec<Entry<C>>,
    /// How many times entries were removed: an observer that saw the log at some
    /// count and sees the same count again knows that only appends happened since.
    truncations: u64,
}

impl<C: PartialEq> PartialEq for Log<C> {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl<C: Eq> Eq for Log<C> {}

impl<C: core::hash::Hash> core::hash::Hash for Log<C> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.entries.hash(state);
    }
}

impl<C> Default for Log<C> {
    fn default() -> Self {
        Log {
            entries: Vec::new(),
            truncations: 0,
        }
    }
}

/// Converts a log index to a vector position, `None` for index 0 or beyond `usize`.
fn pos(index: Index) -> Option<usize> {
    usize::try_from(index.checked_sub(1)?).ok()
}

impl<C> Log<C> {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// A log holding `entries`, the first at index 1.
    pub fn from_entries(entries: Vec<Entry<C>>) -> Self {
        Log {
            entries,
            truncations: 0,
        }
    }

    /// How many times entries were removed from this log (see [`Log::truncate_from`]).
    pub fn truncations(&self) -> u64 {
        self.truncations
    }

    /// Index of the last entry, 0 if the log is empty.
    pub fn last_index(&self) -> Index {
        self.entries.len() as Index
    }

    /// Term of the last entry, 0 if the log is empty.
    pub fn last_term(&self) -> Term {
        self.entries.last().map_or(0, |e| e.term)
    }

    /// All entries; `entries()[i]` has index `i + 1`.
    pub fn entries(&self) -> &[Entry<C>] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the log holds no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry at `index`, if any.
    pub fn get(&self, index: Index) -> Option<&Entry<C>> {
        self.entries.get(pos(index)?)
    }

    /// Term of the entry at `index`: `Some(0)` for index 0, `None` past the end.
    pub fn term_at(&self, index: Index) -> Option<Term> {
        if index == 0 {
            Some(0)
        } else {
            self.get(index).map(|e| e.term)
        }
    }

    /// True when the log holds an entry at `index` whose term is `term`
    /// (the AppendEntries consistency check, §5.3).
    pub fn matches(&self, index: Index, term: Term) -> bool {
        self.term_at(index) == Some(term)
    }

    /// Up to `max` entries starting at `from` (which may be one past the end).
    pub fn slice_from(&self, from: Index, max: usize) -> &[Entry<C>] {
        let start = pos(from).unwrap_or(0).min(self.entries.len());
        let end = start.saturating_add(max).min(self.entries.len());
        &self.entries[start..end]
    }

    /// §5.4.1: is a log ending with (`last_log_index`, `last_log_term`) at least as
    /// up to date as this one? Compare the last terms; with equal terms the longer
    /// log wins.
    pub fn is_up_to_date(&self, last_log_index: Index, last_log_term: Term) -> bool {
        (last_log_term, last_log_index) >= (self.last_term(), self.last_index())
    }

    /// First index holding `term`, searching backwards from `at` (which holds it).
    /// Used for the rejection hint of §5.3.
    pub fn first_index_of_term(&self, term: Term, at: Index) -> Index {
        let mut i = at.min(self.last_index());
        while i > 1 && self.term_at(i - 1) == Some(term) {
            i -= 1;
        }
        i
    }

    /// Last index holding `term`, if the log has any entry of that term.
    pub fn last_index_of_term(&self, term: Term) -> Option<Index> {
        // Terms never decrease along a log, so a binary search finds the boundary.
        let after = self.entries.partition_point(|e| e.term <= term);
        (after > 0 && self.entries[after - 1].term == term).then_some(after as Index)
    }

    /// Removes the entry at `index` and every entry after it.
    pub fn truncate_from(&mut self, index: Index) {
        if let Some(p) = pos(index)
            && p < self.entries.len()
        {
            self.entries.truncate(p);
            self.truncations += 1;
        }
    }

    /// Appends one entry at `last_index() + 1`.
    pub fn push(&mut self, entry: Entry<C>) {
        self.entries.push(entry);
    }

    /// The entries as a vector (for persistence).
    pub fn into_entries(self) -> Vec<Entry<C>> {
        self.entries
    }

    /// True when terms never decrease along the log and none exceeds `max_term`.
    pub fn terms_are_monotonic(&self, max_term: Term) -> bool {
        self.entries.windows(2).all(|w| w[0].term <= w[1].term)
            && self
                .entries
                .iter()
                .all(|e| e.term >= 1 && e.term <= max_term)
    }
}
