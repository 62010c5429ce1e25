//! Writing one user's entries: staged in their day file in one write
//! (after moving a torn tail aside and planning rotation), then finished
//! (the file kept, the policy applied) or undone.

use super::*;

/// A user's entries, written to their day file, with what is left to do
/// after: keep the file for the next append, apply the rotation policy.
pub(super) struct Staged<F> {
    user: String,
    active: DayFile,
    file: F,
    /// The user's journal, if the append opened it (see [`Journal`]).
    journal: Option<Journal<F>>,
    /// The file's size before the entries (after a torn tail was moved aside).
    start: u64,
    /// Its size after them.
    end: u64,
    /// The chain's last `seq` and link after them.
    last: (u64, Link),
    /// The time they were stamped with.
    stamp: DateTime<Utc>,
    /// A torn tail moved aside first: where to, its bytes, where it began.
    torn: Option<(String, Vec<u8>, u64)>,
    plan: rotation::Plan,
    /// What the anchor file held before the plan's anchor was saved.
    anchor_before: rotation::AnchorBefore,
    /// The receipts, the first carrying the repairs.
    receipts: Vec<ToolReceipt>,
}

impl<F: File> Staged<F> {
    /// Keeps the file for the next append and applies the rotation policy:
    /// the entries are stored, so what fails now is a warning on the first
    /// receipt.
    pub(super) fn finish<S: Storage<File = F>>(
        self,
        storage: &S,
        settings: &Settings,
        now: DateTime<Utc>,
        kept: &OpenFiles<F>,
    ) -> Vec<ToolReceipt> {
        let Self {
            user,
            active,
            file,
            journal,
            start,
            end,
            last,
            stamp,
            plan,
            anchor_before,
            mut receipts,
            ..
        } = self;
        anchor_before.keep();
        // Kept only where the storage can tell a kept file was replaced;
        // then the journal is opened, once, if the append did not need it.
        let journal = match journal {
            Some(journal) => Some(journal),
            None if kept.can_keep(&file) => Journal::open(storage, &user).ok(),
            None => None,
        };
        if let Some(journal) = journal {
            kept.keep(Active {
                user: user.clone(),
                file: active,
                handle: file,
                size: end,
                journal,
                last,
                last_time: Some(stamp),
            });
        }
        if let Err(e) = rotation::carry_out(storage, settings, now, &user, plan, &[active])
            && let Some(first) = receipts.first_mut()
        {
            first.warnings.push(format!(
                "{}: the rotation policy did not finish ({e}); it is retried the next time it runs",
                day_files::user_dir(&user)
            ));
        }
        // A new file closed the one before it: summarise that (see
        // `crate::summary`); the entries are stored whatever happens here.
        if start == 0
            && let Err(e) = summary::refresh(storage, &settings.chain, &user, Refresh::Missing)
            && let Some(first) = receipts.first_mut()
        {
            first.warnings.push(format!(
                "{}: the summaries of closed files were not all written ({e}); they are retried by the next rotate",
                day_files::user_dir(&user)
            ));
        }
        receipts
    }

    /// Takes the entries back: the file as it was before the call.
    pub(super) fn undo<S: Storage<File = F>>(self, storage: &S) {
        self.anchor_before.restore(storage, &self.user);
        undo_append(
            storage,
            &self.file,
            &self.active.path(&self.user),
            self.start,
            self.torn,
        );
    }
}

/// Cuts `file` (at `path`) back to `start` and puts a torn tail moved aside
/// back; removes the file if that leaves it empty and it held nothing
/// before (a new day file).
pub(super) fn undo_append<S: Storage>(
    storage: &S,
    file: &S::File,
    path: &str,
    start: u64,
    torn: Option<(String, Vec<u8>, u64)>,
) {
    let _ = file.set_size(start);
    match torn {
        // Put the torn bytes back where they were: the next call tries again.
        Some((aside, bytes, start))
            if file.append(&bytes).is_ok() && file.size() == Ok(start + bytes.len() as u64) =>
        {
            let _ = storage.remove_file(&aside);
        }
        Some(_) => {}
        // No empty day file stays behind where the entries were not
        // written: it holds nothing, and readers would take it for a segment.
        None if start == 0 && file.size() == Ok(0) => {
            let _ = storage.remove_file(path);
        }
        None => {}
    }
}

/// Opens `user`'s day file for `now` and appends `entries` to it in one
/// write (see [`write_user`]); call under the user's lock. If it fails, the
/// file is as it was.
pub(super) fn stage<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    user: &str,
    entries: Vec<Map<String, Value>>,
    kept: &OpenFiles<S::File>,
) -> Result<Staged<S::File>, AuditError> {
    let today = now.date_naive();
    let (active, file, mut size, known_last, mut journal) =
        match still_active(settings, user, today, kept) {
            Ok(kept) => (
                kept.file,
                kept.handle,
                kept.size,
                Some((kept.last, kept.last_time)),
                Some(kept.journal),
            ),
            Err(mut journal) => {
                let (active, file, size) =
                    open_active(storage, settings, user, today, &mut journal)?;
                if let Some(journal) = &mut journal {
                    journal.reread();
                }
                (active, file, size, None, journal)
            }
        };
    let path = active.path(user);
    let mut recovered = Vec::new();
    let mut torn = None;
    let mut unfinished_line = false;
    let prepared = (|| -> Result<_, AuditError> {
        if known_last.is_none() && size > 0 && file.read_at(size - 1, 1)? != b"\n" {
            // A writer in the other mode is refused before it repairs anything.
            last_seal(storage, settings, user, &active, &file, size)?;
            let (start, bytes) = torn_tail(&file, size, &path)?;
            if is_entry(&bytes) {
                // A whole entry that only lacks its newline: the append
                // finishes the line, in the same write as its entries.
                unfinished_line = true;
            } else {
                let aside = recovery::move_aside(storage, &path, &bytes)?;
                if let Err(e) = file.set_size(start) {
                    let _ = storage.remove_file(&aside);
                    return Err(e.into());
                }
                torn = Some((aside.clone(), bytes.clone(), start));
                size = start;
                recovered.push(Recovery {
                    file: path.clone(),
                    reason: "ends in a torn entry".to_owned(),
                    moved_to: Some(aside),
                    bytes: bytes.len() as u64,
                    kept: count_lines(&file, start)?,
                });
            }
        }
        let last = match known_last {
            Some(last) => last,
            None => last_seal(storage, settings, user, &active, &file, size)?,
        };
        // A new file (a new day or segment) is when the policy is applied.
        let plan = if size == 0 && settings.rotation.is_active() {
            let files = day_files::list(storage, user)?;
            rotation::plan(storage, settings, now, user, &files, &[active])?
        } else {
            rotation::Plan::default()
        };
        Ok((last, plan))
    })();
    let ((mut last, last_time), plan) = match prepared {
        Ok(prepared) => prepared,
        Err(e) => {
            undo_append(storage, &file, &path, size, torn);
            undo_notes(&mut journal);
            return Err(e);
        }
    };
    let stamp = clock::chained(now, last_time, Some(active.day));
    let mut bytes = recovery_lines(&recovered, user, stamp, settings, &mut last);
    if unfinished_line {
        bytes.insert(0, '\n');
    }
    if let Some(record) = plan.record(user, stamp) {
        let (seq, prev) = last;
        let (line, link) = entry::seal(record, &settings.chain, seq + 1, &prev);
        last = (seq + 1, link);
        bytes.push_str(&line);
        bytes.push('\n');
    }
    let mut lines = Vec::with_capacity(entries.len());
    for mut entry in entries {
        if stamp != now {
            entry.insert("ts".into(), Value::String(clock::tool_timestamp(stamp)));
        }
        let (seq, prev) = last;
        let (line, link) = entry::seal(entry, &settings.chain, seq + 1, &prev);
        last = (seq + 1, link);
        bytes.push_str(&line);
        bytes.push('\n');
        lines.push(line);
    }
    let anchor_before = match rotation::save_planned_anchor(storage, user, &plan) {
        Ok(before) => before,
        Err(e) => {
            undo_append(storage, &file, &path, size, torn);
            undo_notes(&mut journal);
            return Err(e);
        }
    };
    if let Err(e) = append_or_restore(&file, size, bytes.as_bytes(), settings.sync_data) {
        anchor_before.restore(storage, user);
        undo_append(storage, &file, &path, size, torn);
        undo_notes(&mut journal);
        return Err(e);
    }
    if let Some(journal) = &mut journal {
        journal.settle();
    }
    let mut recovered = Some(recovered);
    let receipts = lines
        .into_iter()
        .map(|entry| ToolReceipt {
            entry,
            path: path.clone(),
            recovered: recovered.take().unwrap_or_default(),
            warnings: Vec::new(),
        })
        .collect();
    Ok(Staged {
        user: user.to_owned(),
        active,
        file,
        journal,
        start: size,
        end: size + bytes.len() as u64,
        last,
        stamp,
        torn,
        plan,
        anchor_before,
        receipts,
    })
}
