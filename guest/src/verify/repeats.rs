//! Entries delivered twice: a line that is an earlier entry of the same file
//! again — its `seq`, its link and its content — as an at-least-once
//! transport writes into a central copy when a log shipper (rsyslog over
//! RELP) resends what it had sent just before it was killed.
//!
//! Only the last [`WINDOW`] sealed entries of the file being walked are
//! remembered: a shipper resends what was in flight, a few lines; a repeat
//! of anything older is named as an insertion, as before.

use std::collections::VecDeque;

use crate::chain::Link;

/// How many of a file's last sealed entries a repeat is looked for among.
pub(super) const WINDOW: usize = 4_096;

/// One sealed entry the walk accepted.
#[derive(Debug, Clone, Copy)]
struct Seen {
    seq: u64,
    line: u64,
    /// The link of the entry before it, which its own link covers.
    prev: Link,
    link: Link,
}

/// The last sealed entries of the file being walked, `seq` increasing.
#[derive(Debug, Default)]
pub(super) struct Recent {
    entries: VecDeque<Seen>,
}

impl Recent {
    /// Forgets the entries of the file walked before.
    pub(super) fn start_file(&mut self) {
        self.entries.clear();
    }

    /// Remembers the entry `seq` on line `line`, sealed with `link` over
    /// `prev`.
    pub(super) fn note(&mut self, seq: u64, line: u64, prev: Link, link: Link) {
        if self.entries.len() == WINDOW {
            self.entries.pop_front();
        }
        self.entries.push_back(Seen {
            seq,
            line,
            prev,
            link,
        });
    }

    /// The line of the entry `seq` of this file and the link before it, if
    /// that entry is remembered and was sealed with `link`: a line with the
    /// same `seq` and link whose content that link covers (the caller
    /// checks) is that entry again.
    pub(super) fn earlier(&self, seq: u64, link: &Link) -> Option<(u64, Link)> {
        let at = self.entries.binary_search_by_key(&seq, |e| e.seq).ok()?;
        let seen = self.entries[at];
        (seen.link == *link).then_some((seen.line, seen.prev))
    }
}
