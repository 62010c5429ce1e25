//! What every entry goes through before it is written: secrets redacted, size
//! bounded, then sealed into the chain (see [`crate::chain`]).

use serde_json::{Map, Value};

use crate::chain::{self, Chain, Link};
use crate::error::AuditError;
use crate::json_text;
use crate::settings::Settings;
use crate::truncate;

/// Room for every field an entry can have: seven or six of the caller's,
/// `redacted`, `truncated`, `seq` and the link. A map built this big never
/// grows (and rehashes) on the way to the disk.
pub const FIELDS: usize = 11;

/// The field listing where something was redacted.
pub const REDACTED: &str = "redacted";
/// The field saying the entry was cut to fit `max_entry_bytes`.
pub const TRUNCATED: &str = "truncated";

/// Redacts the values of `redact` fields and cuts the `fit` fields until the
/// entry fits `settings.max_entry_bytes`, noting both in the entry.
pub fn clean(entry: &mut Map<String, Value>, settings: &Settings, redact: &[&str], fit: &[&str]) {
    self::redact(entry, settings, redact);
    bound(entry, settings, fit);
}

/// Redacts the values of `fields` (see [`crate::redact`]), listing where in
/// the entry's `redacted` field. Done before any cutting: a secret cut in
/// half is no longer recognisable, and its first half would be kept.
pub fn redact(entry: &mut Map<String, Value>, settings: &Settings, fields: &[&str]) {
    let mut paths = Vec::new();
    for field in fields {
        if let Some(value) = entry.get_mut(*field) {
            settings.redactor.value(value, field, &mut paths);
        }
    }
    if !paths.is_empty() {
        entry.insert(REDACTED.to_owned(), Value::from(paths));
    }
}

/// Refuses `value` of `field` if it holds a secret (see [`crate::redact`])
/// where one cannot be redacted: a user name names a directory, and users
/// redacted to one name would share a log. The message does not repeat the
/// value.
///
/// # Errors
/// [`AuditError::Invalid`] for `field`.
pub fn refuse_secret(settings: &Settings, field: &str, value: &str) -> Result<(), AuditError> {
    refuse_secret_by(&settings.redactor, field, value)
}

/// Checks a user name a read asks for (`--user`, `user=`): a user as
/// [`validate::user`] has it, and not one holding a secret, which no write
/// accepts ([`refuse_secret`], by the built-in rules): so that no answer —
/// "there is no log for user …" — repeats it.
///
/// # Errors
/// [`AuditError::Invalid`] for `user`.
pub fn read_user(user: &str) -> Result<(), AuditError> {
    crate::validate::user(user)?;
    refuse_secret_by(crate::redact::Redactor::builtin(), "user", user)
}

fn refuse_secret_by(
    redactor: &crate::redact::Redactor,
    field: &str,
    value: &str,
) -> Result<(), AuditError> {
    match redactor.text(value) {
        None => Ok(()),
        Some(_) => Err(AuditError::invalid(
            field,
            "holds what looks like a secret (a credential of a known format, or a value after \
             a secret-looking name); it names a directory, so it is refused rather than redacted",
        )),
    }
}

/// Cuts the `fit` fields until the entry fits `settings.max_entry_bytes`,
/// noting it in the entry.
pub fn bound(entry: &mut Map<String, Value>, settings: &Settings, fit: &[&str]) {
    // The list of redacted paths is cut like any other field: a caller who
    // names thousands of secret keys cannot push the entry past its bound.
    let fit: Vec<&str> = fit.iter().copied().chain([REDACTED]).collect();
    if truncate::fit(entry, &fit, settings.max_entry_bytes as usize) {
        entry.insert(TRUNCATED.to_owned(), Value::Bool(true));
    }
}

/// Seals `entry` as number `seq` after `prev`; returns its line and link.
pub fn seal(mut entry: Map<String, Value>, chain: &Chain, seq: u64, prev: &Link) -> (String, Link) {
    let link = chain.seal(&mut entry, seq, prev);
    let line = json_text::object_to_string(&entry);
    (line, link)
}

/// The `seq` and link of a stored entry's JSON, if it has them.
pub fn seal_of(json: &[u8]) -> Option<(u64, Link)> {
    #[derive(serde::Deserialize)]
    struct Sealed {
        seq: Option<u64>,
        hash: Option<String>,
        mac: Option<String>,
    }
    let sealed: Sealed = serde_json::from_slice(json).ok()?;
    let link = sealed.mac.or(sealed.hash)?;
    Some((sealed.seq?, chain::from_hex(&link)?))
}
