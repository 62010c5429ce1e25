//! A user's retention anchor file, `<user>/tool_audit/.retention`: saved
//! before a deletion is recorded, put back if the record is not written,
//! and settled once the files it names are gone.

use super::*;

/// The file in a user's tool-log directory holding the retention anchor.
const ANCHOR_NAME: &str = ".retention";

/// What the user's anchor file held before [`save_planned_anchor`]
/// replaced it, so that a record that could not be written leaves it as it
/// was.
#[must_use = "restore it if the retention's record is not written"]
pub struct AnchorBefore(Option<Option<Vec<u8>>>);

/// Saves `plan`'s anchor, if it moves, before the entry recording the
/// retention is written: `verify` then holds the anchor to reach every
/// retention the chain records (an anchor saved after its record could be
/// missing when the record is not).
///
/// # Errors
/// Storage errors; nothing is changed then.
pub fn save_planned_anchor<S: Storage>(
    storage: &S,
    user: &str,
    plan: &Plan,
) -> Result<AnchorBefore, AuditError> {
    let Some(anchor) = &plan.anchor else {
        return Ok(AnchorBefore(None));
    };
    let path = anchor_path(user);
    let before = match storage.open(&path, OpenFlags::READ) {
        Ok(file) => Some(recovery::read_all(&file)?),
        Err(StorageError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    save_anchor(storage, user, anchor)?;
    Ok(AnchorBefore(Some(before)))
}

impl AnchorBefore {
    /// The retention's record is written: the saved anchor stays.
    pub fn keep(self) {}

    /// Puts the anchor file back as it was, as well as storage allows: the
    /// retention's record was not written.
    pub fn restore<S: Storage>(self, storage: &S, user: &str) {
        match self.0 {
            None => {}
            Some(None) => {
                let _ = storage.remove_file(&anchor_path(user));
            }
            Some(Some(bytes)) => {
                let _ = write_anchor_bytes(storage, user, &bytes);
            }
        }
    }
}

/// The retention anchor of `user`'s tool log: the last entry retention
/// deleted, if any (and the file is readable).
pub fn anchor<S: Storage>(storage: &S, user: &str) -> Option<Anchor> {
    let file = storage.open(&anchor_path(user), OpenFlags::READ).ok()?;
    let size = file.size().ok()?;
    serde_json::from_slice(&file.read_at(0, size).ok()?).ok()
}

fn anchor_path(user: &str) -> String {
    format!("{}/{ANCHOR_NAME}", day_files::user_dir(user))
}

/// Replaces the anchor: written whole to a temporary, flushed, renamed.
fn save_anchor<S: Storage>(storage: &S, user: &str, anchor: &Anchor) -> Result<(), AuditError> {
    let json = serde_json::to_vec(anchor).expect("an anchor always serialises");
    write_anchor_bytes(storage, user, &json)
}

/// Replaces `user`'s anchor file with `json`, through a flushed temporary
/// file and a rename, so that it is whole or as it was.
fn write_anchor_bytes<S: Storage>(storage: &S, user: &str, json: &[u8]) -> Result<(), AuditError> {
    let path = anchor_path(user);
    Ok(storage::replace_file(
        storage,
        &path,
        &format!("{path}.tmp"),
        json,
        true,
    )?)
}

/// Saves the anchor again without its starts once the files they name are
/// gone, so that none of them can be put back (see the module documentation).
pub(super) fn settle_anchor<S: Storage>(
    storage: &S,
    settings: &Settings,
    user: &str,
) -> Result<(), AuditError> {
    let Some(old) = anchor(storage, user) else {
        return Ok(());
    };
    let legacy_settled = old
        .legacy
        .as_ref()
        .is_none_or(|legacy| legacy.files.as_ref().is_none_or(Vec::is_empty));
    if (old.starts.is_empty() && legacy_settled) || old.checked(&settings.chain).is_none() {
        return Ok(());
    }
    let Some(link) = chain::from_hex(&old.link) else {
        return Ok(());
    };
    // A file the policy no longer dooms may still hold dropped entries.
    let through = old
        .legacy
        .as_ref()
        .and_then(|legacy| legacy.through_file.as_deref())
        .and_then(DayFile::parse);
    for file in day_files::list(storage, user)? {
        if through.is_some_and(|t| (file.day, file.segment) <= (t.day, t.segment)) {
            return Ok(());
        }
        match first_seq(storage, user, &file)? {
            Some(first) if first <= old.seq => return Ok(()),
            Some(_) => break,
            None => {}
        }
    }
    // Every file it was deleting is gone: none may come back.
    let legacy = old.legacy.clone().map(|legacy| Dropped {
        files: legacy.files.map(|_| Vec::new()),
        ..legacy
    });
    let settled =
        Anchor::new(&settings.chain, old.seq, &link, &[]).with_legacy(&settings.chain, legacy);
    save_anchor(storage, user, &settled)
}
