//! The replicated log (§5.3), the election restriction's up-to-date rule (§5.4.1), and
//! the prefix a snapshot replaces (log compaction, §7).

use crate::{Index, Term};
use alloc::vec::Vec;

/// One log entry: the term in which a leader created it and the client's command.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Entry<C> {
    /// Term of the leader that created the entry.
    pub term: Term,
    /// The command, opaque to Raft (a configuration entry carries the no-op).
    pub command: C,
    /// A configuration entry (§6): the cluster's membership from this entry on. Only
    /// with the `membership` feature.
    #[cfg(feature = "membership")]
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub config: Option<crate::membership::Configuration>,
}

impl<C> Entry<C> {
    /// An entry of `term` carrying a client's `command`.
    pub fn new(term: Term, command: C) -> Self {
        Entry {
            term,
            command,
            #[cfg(feature = "membership")]
            config: None,
        }
    }
}

/// A log of entries with 1-based indices. Index 0 is the empty prefix, of term 0.
///
/// After log compaction (§7) the entries up to [`Log::snapshot_index`] are gone,
/// replaced by a snapshot; the log keeps that last included index and its term, and
/// the entries after it. Two logs are equal when their snapshot points and retained
/// entries are.
#[derive(Clone, Debug)]
pub struct Log<C> {
    /// The retained entries: `entries[i]` has index `snapshot_index + 1 + i`.
    entries: Vec<Entry<C>>,
    /// The last index a snapshot replaced (0 without a snapshot).
    #[cfg(feature = "compaction")]
    snapshot_index: Index,
    /// The term of that entry (0 without a snapshot).
    #[cfg(feature = "compaction")]
    snapshot_term: Term,
    /// How many times entries were removed: an observer that saw the log at some
    /// count and sees the same count again knows that only appends happened since.
    truncations: u64,
}

impl<C: PartialEq> PartialEq for Log<C> {
    fn eq(&self, other: &Self) -> bool {
        self.snapshot_index() == other.snapshot_index()
            && self.snapshot_term() == other.snapshot_term()
            && self.entries == other.entries
    }
}

impl<C: Eq> Eq for Log<C> {}

impl<C: core::hash::Hash> core::hash::Hash for Log<C> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.snapshot_index().hash(state);
        self.snapshot_term().hash(state);
        self.entries.hash(state);
    }
}

impl<C> Default for Log<C> {
    fn default() -> Self {
        Log {
            entries: Vec::new(),
            #[cfg(feature = "compaction")]
            snapshot_index: 0,
            #[cfg(feature = "compaction")]
            snapshot_term: 0,
            truncations: 0,
        }
    }
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
            ..Log::default()
        }
    }

    /// A log whose entries up to `snapshot_index` (of term `snapshot_term`) were
    /// replaced by a snapshot, holding `entries` after it.
    #[cfg(feature = "compaction")]
    pub fn after_snapshot(
        snapshot_index: Index,
        snapshot_term: Term,
        entries: Vec<Entry<C>>,
    ) -> Self {
        Log {
            entries,
            snapshot_index,
            snapshot_term,
            truncations: 0,
        }
    }

    /// The vector position of `index`, `None` if a snapshot replaced it, for index 0
    /// or beyond `usize`.
    fn pos(&self, index: Index) -> Option<usize> {
        usize::try_from(index.checked_sub(self.snapshot_index() + 1)?).ok()
    }

    /// The last index a snapshot replaced (0 if none did; always 0 without the
    /// `compaction` feature).
    pub fn snapshot_index(&self) -> Index {
        #[cfg(feature = "compaction")]
        return self.snapshot_index;
        #[cfg(not(feature = "compaction"))]
        return 0;
    }

    /// The term of the last entry a snapshot replaced (0 if none did).
    pub fn snapshot_term(&self) -> Term {
        #[cfg(feature = "compaction")]
        return self.snapshot_term;
        #[cfg(not(feature = "compaction"))]
        return 0;
    }

    /// Index of the first entry still held (`snapshot_index() + 1`).
    pub fn first_index(&self) -> Index {
        self.snapshot_index() + 1
    }

    /// How many times entries were removed from this log (see [`Log::truncate_from`]).
    pub fn truncations(&self) -> u64 {
        self.truncations
    }

    /// Index of the last entry (or of the snapshot's last one), 0 if the log is empty.
    pub fn last_index(&self) -> Index {
        self.snapshot_index() + self.entries.len() as Index
    }

    /// Term of the last entry (or of the snapshot's last one), 0 if the log is empty.
    pub fn last_term(&self) -> Term {
        self.entries.last().map_or(self.snapshot_term(), |e| e.term)
    }

    /// The entries still held; `entries()[i]` has index `first_index() + i` (`i + 1`
    /// without a snapshot).
    pub fn entries(&self) -> &[Entry<C>] {
        &self.entries
    }

    /// Number of entries still held (those after the snapshot).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the log holds no entry after its snapshot.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry at `index`, if held (not past the end, not replaced by a snapshot).
    pub fn get(&self, index: Index) -> Option<&Entry<C>> {
        self.entries.get(self.pos(index)?)
    }

    /// Term of the entry at `index`: `Some(0)` for index 0, the snapshot's term for
    /// its last index, `None` past the end or before the snapshot's last index.
    pub fn term_at(&self, index: Index) -> Option<Term> {
        if index == self.snapshot_index() {
            Some(self.snapshot_term())
        } else {
            self.get(index).map(|e| e.term)
        }
    }

    /// True when the log holds an entry at `index` whose term is `term`
    /// (the AppendEntries consistency check, §5.3).
    pub fn matches(&self, index: Index, term: Term) -> bool {
        self.term_at(index) == Some(term)
    }

    /// Up to `max` entries starting at `from` (which may be one past the end; from
    /// the first held entry if `from` is before it).
    pub fn slice_from(&self, from: Index, max: usize) -> &[Entry<C>] {
        let start = self.pos(from).unwrap_or(0).min(self.entries.len());
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

    /// Last index holding `term`, if the log has any entry of that term (the
    /// snapshot's last entry included).
    pub fn last_index_of_term(&self, term: Term) -> Option<Index> {
        // Terms never decrease along a log, so a binary search finds the boundary.
        let after = self.entries.partition_point(|e| e.term <= term);
        if after > 0 {
            let index = self.snapshot_index() + after as Index;
            (self.entries[after - 1].term == term).then_some(index)
        } else {
            let index = self.snapshot_index();
            (index > 0 && self.snapshot_term() == term).then_some(index)
        }
    }

    /// Removes the entry at `index` and every entry after it (never the entries a
    /// snapshot replaced: they are committed).
    pub fn truncate_from(&mut self, index: Index) {
        if let Some(p) = self.pos(index)
            && p < self.entries.len()
        {
            self.entries.truncate(p);
            self.truncations += 1;
        }
    }

    /// Log compaction (§7): a snapshot now replaces every entry up to `index`, which
    /// must be held. Returns false, changing nothing, if it is not.
    #[cfg(feature = "compaction")]
    pub fn compact(&mut self, index: Index) -> bool {
        let Some(term) = self.get(index).map(|e| e.term) else {
            return false;
        };
        let p = self.pos(index).map_or(0, |p| p + 1);
        self.entries.drain(..p);
        self.snapshot_index = index;
        self.snapshot_term = term;
        true
    }

    /// A snapshot received from the leader replaces the log up to `index` (Figure 13,
    /// receiver steps 6 and 7): if an entry at `index` has `term`, the entries after it
    /// are kept; otherwise the whole log is discarded.
    #[cfg(feature = "compaction")]
    pub fn install(&mut self, index: Index, term: Term) {
        if index <= self.snapshot_index {
            return;
        }
        match self.pos(index) {
            Some(p) if self.entries.get(p).is_some_and(|e| e.term == term) => {
                self.entries.drain(..=p);
            }
            _ => {
                if !self.entries.is_empty() {
                    self.truncations += 1;
                }
                self.entries.clear();
            }
        }
        self.snapshot_index = index;
        self.snapshot_term = term;
    }

    /// Appends one entry at `last_index() + 1`.
    pub fn push(&mut self, entry: Entry<C>) {
        self.entries.push(entry);
    }

    /// The entries as a vector (for persistence).
    pub fn into_entries(self) -> Vec<Entry<C>> {
        self.entries
    }

    /// True when terms never decrease along the log (from the snapshot's last term)
    /// and none exceeds `max_term`.
    pub fn terms_are_monotonic(&self, max_term: Term) -> bool {
        self.entries.windows(2).all(|w| w[0].term <= w[1].term)
            && self
                .entries
                .iter()
                .all(|e| e.term >= self.snapshot_term().max(1) && e.term <= max_term)
            && self.snapshot_term() <= max_term
            && (self.snapshot_index() == 0) == (self.snapshot_term() == 0)
    }
}
