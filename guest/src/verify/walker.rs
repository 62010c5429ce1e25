//! The walk along one log's chain: each entry's `seq`, link, place and time
//! against the one before it, legacy entries counted, and the first problem.

use super::*;

/// Walks one log's entries in order, remembering the last good one.
pub(super) struct Walker<'a> {
    pub(super) chain: &'a Chain,
    pub(super) log: String,
    pub(super) checkpoint: Option<&'a LogEnd>,
    pub(super) checkpoint_seen: bool,
    /// The last entry's `seq` (0 before the first).
    pub(super) seq: u64,
    pub(super) link: Link,
    pub(super) entries: u64,
    /// The file being walked, relative to the log directory.
    pub(super) file: String,
    pub(super) problem: Option<Problem>,
    /// Where retention left the chain, if it dropped anything.
    pub(super) anchor: Option<anchor::Checked>,
    /// The furthest `through_seq` a retention entry in the chain records,
    /// and where that entry is.
    pub(super) retained: Option<(u64, String)>,
    /// The last entry's time.
    pub(super) time: Option<DateTime<Utc>>,
    /// The legacy entries so far.
    pub(super) legacy: Legacy,
    /// Legacy entries after the chain started that no adoption covers yet.
    pub(super) unsealed: Vec<UnsealedEntry>,
    /// Whether a sealed entry was seen (the chain has started).
    pub(super) started: bool,
    /// Whether legacy entries of the file being walked are already in the
    /// digest (retention folded them in, then stopped before deleting it).
    pub(super) legacy_counted: bool,
    /// The digest of such a file's own legacy entries, to match the one
    /// retention recorded for it.
    pub(super) leftover: crate::legacy::Digest,
    /// The last entries of the tool-log file being walked, to name one
    /// delivered twice.
    pub(super) recent: super::repeats::Recent,
    /// Whether the user's log had no file and no retention anchor: no log.
    pub(super) no_log: bool,
    /// For a skill log in another layout, walked as laid out in memory, the
    /// file's line where each entry starts (see
    /// [`skill_log::file_line`]); empty otherwise.
    pub(super) file_lines: Vec<u64>,
}

impl<'a> Walker<'a> {
    pub(super) fn new(chain: &'a Chain, log: String, checkpoint: Option<&'a LogEnd>) -> Self {
        Self {
            chain,
            log,
            checkpoint,
            checkpoint_seen: false,
            seq: 0,
            link: chain::GENESIS,
            entries: 0,
            file: String::new(),
            problem: None,
            anchor: None,
            retained: None,
            time: None,
            legacy: Legacy::default(),
            unsealed: Vec::new(),
            started: false,
            legacy_counted: false,
            leftover: crate::legacy::Digest::default(),
            recent: super::repeats::Recent::default(),
            no_log: false,
            file_lines: Vec::new(),
        }
    }

    /// The line of the file being walked that the walk's line `line` is.
    fn file_line(&self, line: u64) -> u64 {
        skill_log::file_line(&self.file_lines, line)
    }

    pub(super) fn fail(&mut self, line: u64, seq: Option<u64>, reason: impl Into<String>) {
        self.problem = Some(Problem {
            file: self.file.clone(),
            line: self.file_line(line),
            seq,
            reason: reason.into(),
        });
    }

    /// Checks one stored entry (the JSON of line `line`); `next_seq` is the
    /// `seq` of the entry after it, if known, to tell a swap from a removal.
    pub(super) fn entry(
        &mut self,
        line: u64,
        json: &[u8],
        place: Place<'_>,
        next_seq: Option<u64>,
    ) {
        let read = std::str::from_utf8(json)
            .map_err(|_| Unreadable::NotAnEntry)
            .and_then(|text| stored_line::read_strictly(text, place));
        let (entry, time) = match read {
            Ok(read) => read,
            Err(why) => {
                self.fail(line, seq_of(json), why.to_string());
                return;
            }
        };
        if !stored_line::claims_seal(&entry) {
            self.legacy_entry(line, json, &entry, time, place);
            return;
        }
        let Some(seq) = entry.get(SEQ).and_then(Value::as_u64) else {
            self.fail(
                line,
                None,
                "has no seq: it was not sealed when written, or was edited",
            );
            return;
        };
        let field = self.chain.field();
        let other = if field == MAC { HASH } else { MAC };
        let Some(stored) = entry
            .get(field)
            .and_then(Value::as_str)
            .and_then(chain::from_hex)
        else {
            let reason = if entry.contains_key(other) {
                format!(
                    "is sealed with {other:?}, not {field:?}: verify with the key it was written with (or without one)"
                )
            } else {
                format!("has no {field:?}: modified")
            };
            self.fail(line, Some(seq), reason);
            return;
        };
        if self.entries == 0 && self.seq == 0 {
            // The first entry: it follows the genesis link (seq 1, when
            // retention dropped nothing) or one the retention anchor vouches
            // for; its own link is checked below like every other's.
            match &self.anchor {
                None if seq == 1 => {}
                Some(anchor) => match anchor.prev_of(seq) {
                    Some(prev) => {
                        self.seq = seq - 1;
                        self.link = prev;
                    }
                    None if seq <= anchor.through => {
                        self.fail(
                            line,
                            Some(seq),
                            format!("is an entry retention dropped (it dropped up to seq {}), but not one it left behind: put back from a copy, edited, or inserted", anchor.through),
                        );
                        return;
                    }
                    None => {
                        self.fail(
                            line,
                            Some(seq),
                            format!("is the first entry but retention dropped only up to seq {}: entries {} to {} were removed", anchor.through, anchor.through + 1, seq - 1),
                        );
                        return;
                    }
                },
                None => {
                    self.fail(line, Some(seq), format!("is the first entry, but the chain starts at seq 1: entries 1 to {} were removed", seq - 1));
                    return;
                }
            }
        }
        if seq <= self.seq {
            let reason = match self.recent.earlier(seq, &stored) {
                Some((first, prev))
                    if self.chain.link(&prev, &self.chain.canonical(&entry)) == stored =>
                {
                    format!(
                        "comes after seq {}: it repeats line {first} (the same entry, seq {seq}): delivered twice, as a log shipper may after a crash",
                        self.seq
                    )
                }
                _ => format!(
                    "comes after seq {}: entries were reordered, or this one was inserted",
                    self.seq
                ),
            };
            self.fail(line, Some(seq), reason);
            return;
        }
        if seq > self.seq + 1 {
            let reason = if next_seq == Some(self.seq + 1) {
                format!("comes before seq {}: entries were reordered", self.seq + 1)
            } else if seq == self.seq + 2 {
                format!(
                    "follows seq {}: entry {} was removed",
                    self.seq,
                    self.seq + 1
                )
            } else {
                format!(
                    "follows seq {}: entries {} to {} were removed",
                    self.seq,
                    self.seq + 1,
                    seq - 1
                )
            };
            self.fail(line, Some(seq), reason);
            return;
        }
        let expected = self.chain.link(&self.link, &self.chain.canonical(&entry));
        if expected != stored {
            // Under another key every entry fails, the first one first.
            let reason = if self.chain.is_keyed() && self.entries == 0 {
                "does not match its link: modified (or the entry before it was replaced), or the log was written with another key than --key-file's"
            } else {
                "does not match its link: modified (or the entry before it was replaced)"
            };
            self.fail(line, Some(seq), reason);
            return;
        }
        if let Err(why) =
            stored_line::placed(entry.get("user").and_then(Value::as_str), time, place)
        {
            self.fail(line, Some(seq), why.to_string());
            return;
        }
        // Tool writers never stamp an entry before the one before it
        // (`clock::chained`); the skill log keeps the clock's reading.
        if let (Place::Day { .. }, Some(last)) = (place, self.time)
            && time < last
        {
            self.fail(
                line,
                Some(seq),
                format!(
                    "is stamped {}, before the entry before it ({}): its time was changed, or an older writer's clock stepped back",
                    clock::tool_timestamp(time),
                    clock::tool_timestamp(last)
                ),
            );
            return;
        }
        if let Some(end) = self.checkpoint
            && end.seq == seq
        {
            self.checkpoint_seen = true;
            if chain::from_hex(&end.link) != Some(stored) {
                self.fail(
                    line,
                    Some(seq),
                    "differs from the entry the checkpoint recorded at this seq: modified",
                );
                return;
            }
        }
        if let Some(adopted) = Adopted::of_entry(&entry) {
            if !adopted.covers(&self.legacy.digest) {
                self.fail(
                    line,
                    Some(seq),
                    format!(
                        "is the adoption of {} legacy entries, but the {} legacy entries before it do not match the digest it recorded: a legacy entry was changed, removed, added or reordered after adoption",
                        adopted.legacy_entries, self.legacy.digest.entries
                    ),
                );
                return;
            }
            self.legacy.adopted = Some((seq, adopted.legacy_entries));
            self.unsealed.clear();
        }
        self.note_retention(line, &entry);
        if let Place::Day { .. } = place {
            self.recent.note(seq, line, self.link, stored);
        }
        self.started = true;
        self.seq = seq;
        self.link = stored;
        self.time = Some(time);
        self.entries += 1;
    }

    /// Counts a legacy entry (`entry`, the JSON `json` of line `line`): in
    /// its place (a tool entry in its user's log, on its file's day), folded
    /// into the legacy digest, and listed if the chain has started (another
    /// writer's, which the chain does not vouch for).
    pub(super) fn legacy_entry(
        &mut self,
        line: u64,
        json: &[u8],
        entry: &Map<String, Value>,
        time: DateTime<Utc>,
        place: Place<'_>,
    ) {
        if let Err(why) =
            stored_line::placed(entry.get("user").and_then(Value::as_str), time, place)
        {
            self.fail(line, None, why.to_string());
            return;
        }
        if self.legacy_counted {
            self.leftover.add(json);
            return;
        }
        self.legacy.digest.add(json);
        self.legacy.total += 1;
        let written = entry
            .get("ts")
            .or_else(|| entry.get("timestamp"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        if self.legacy.first_time.is_none() {
            self.legacy.first_time.clone_from(&written);
        }
        self.legacy.last_time = written;
        if self.started {
            self.unsealed.push(UnsealedEntry {
                file: self.file.clone(),
                line: self.file_line(line),
            });
        } else {
            self.legacy.before_chain += 1;
        }
    }

    /// The log as a path: the skill log's file, or the user's directory.
    pub(super) fn log_file(&self) -> String {
        if self.log == skill_log::LOG_PATH {
            self.log.clone()
        } else {
            day_files::user_dir(&self.log)
        }
    }

    /// Remembers the furthest retention the (verified) chain records.
    pub(super) fn note_retention(&mut self, line: u64, entry: &Map<String, Value>) {
        if entry.get("tool").and_then(Value::as_str) != Some(rotation::RETENTION_NAME) {
            return;
        }
        let Some(through) = entry
            .get("args")
            .and_then(|args| args.get("through_seq"))
            .and_then(Value::as_u64)
        else {
            return;
        };
        if self
            .retained
            .as_ref()
            .is_none_or(|(seen, _)| *seen < through)
        {
            let line = self.file_line(line);
            self.retained = Some((through, format!("{} line {line}", self.file)));
        }
    }

    /// Checks that the retention anchor reaches as far as the retentions the
    /// chain records: retention saves the anchor before it records itself,
    /// so an anchor that stops short was replaced by an older copy (to make
    /// deleted files put back verify) or removed.
    ///
    /// Without any anchor, a chain that verified started at seq 1: it holds
    /// every entry retention deleted, each checked by its link, so nothing
    /// is missing. That is a shipped copy (a central collector keeps what
    /// the machine's retention deletes, and gets no `.retention`), which
    /// verifies.
    pub(super) fn check_retentions(&mut self, anchor_file: String) {
        let Some((recorded, at)) = self.retained.clone() else {
            return;
        };
        if self.anchor.is_none() {
            return;
        }
        let through = self.anchor.as_ref().map_or(0, |a| a.through);
        if through < recorded {
            self.file = anchor_file;
            self.fail(
                0,
                None,
                format!("stops at seq {through}, but the retention recorded at {at} deleted up to seq {recorded}: an older copy, or removed"),
            );
        }
    }

    /// Checks that the skill log's head — from its index, which anyone can
    /// rewrite — sits where retention stopped, so that queries (which start
    /// at the head) return exactly the live entries: an entry before it must
    /// be one retention dropped (still there if a writer stopped before
    /// blanking it), and none from it on may be. Records the problem and
    /// returns false otherwise.
    pub(super) fn head_holds(&mut self, line: u64, before_head: bool, json: &[u8]) -> bool {
        let through = self.anchor.as_ref().map_or(0, |a| a.through);
        let seq = serde_json::from_slice::<Map<String, Value>>(json)
            .ok()
            .and_then(|entry| entry.get(SEQ)?.as_u64());
        match (before_head, seq) {
            (true, Some(seq)) if seq <= through => true,
            (true, _) => {
                self.fail(
                    line,
                    seq,
                    "lies before the log's head, in the space retention blanked, but is not an entry retention dropped: written there by hand (queries skip it)",
                );
                false
            }
            (false, Some(seq)) if seq <= through => {
                self.fail(
                    line,
                    Some(seq),
                    format!("is an entry retention dropped (up to seq {through}), yet the index counts it as live: the index was edited"),
                );
                false
            }
            (false, _) => true,
        }
    }

    pub(super) fn check_checkpoint(&mut self) {
        let Some(end) = self.checkpoint else { return };
        if self.seq == 0 && self.entries == 0 && self.anchor.is_none() {
            self.file = self.log_file();
            self.fail(
                0,
                None,
                format!(
                    "the checkpoint recorded seq {}, but the log is empty: its files were deleted",
                    end.seq
                ),
            );
        } else if self.seq < end.seq {
            self.file = if self.file.is_empty() {
                self.log_file()
            } else {
                self.file.clone()
            };
            self.fail(
                0,
                None,
                format!(
                    "ends at seq {} but the checkpoint recorded seq {}: entries were cut from the end",
                    self.seq, end.seq
                ),
            );
        } else if !self.checkpoint_seen
            && self.entries > 0
            && self.anchor.as_ref().is_none_or(|a| a.through < end.seq)
        {
            self.fail(
                0,
                None,
                format!("the checkpoint's seq {} is not in the log", end.seq),
            );
        }
    }
}
