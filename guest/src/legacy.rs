//! Legacy entries: lines of a log we write that do not claim our seal (no
//! `seq`, `hash` or `mac`), written by another writer — the seed scripts
//! before the migration, or while both still run during it.
//!
//! Queries return them as they are ([`crate::stored_line::check`]); `verify` counts
//! those before the chain starts and names those after it, and the chain
//! continues across them by `seq`. `auditlog adopt` seals what is there:
//! one entry in the log's own chain (skill or tool [`ADOPT_NAME`]) records
//! how many legacy entries the log holds, the time of the first and last,
//! and a [`Digest`] of their exact text, so that from then on `verify` also
//! proves the adopted entries unchanged.
//!
//! The digest runs over every legacy entry in log order: `d₀` is 32 zero
//! bytes and `dᵢ = SHA-256(dᵢ₋₁ ‖ textᵢ)`, where `textᵢ` is the entry's JSON
//! exactly as its line holds it (the skill log's line without its indent and
//! comma). Retention drops the oldest entries, legacy ones first; the
//! retention anchor then carries the digest of what it dropped, so the rest
//! still adds up (see [`crate::anchor`]).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::chain::{self, Link};

/// The name (`skill` or `tool`) of the entry that records an adoption.
pub const ADOPT_NAME: &str = "auditlog.adopt";

/// A running digest over legacy entries, in log order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    /// Legacy entries folded in.
    pub entries: u64,
    /// `dₙ` in hex (see the module documentation).
    pub sha256: String,
}

impl Default for Digest {
    fn default() -> Self {
        Self {
            entries: 0,
            sha256: chain::to_hex(&chain::GENESIS),
        }
    }
}

impl Digest {
    /// Folds in the next legacy entry, `text` as its line holds it.
    pub fn add(&mut self, text: &[u8]) {
        let state: Link = chain::from_hex(&self.sha256).unwrap_or(chain::GENESIS);
        self.sha256 = chain::to_hex(&crate::digest::sha256(&[&state, text]));
        self.entries += 1;
    }
}

/// What an adoption entry records, in its `metadata` (skill log) or `args`
/// (tool log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adopted {
    /// Legacy entries in the log when it was adopted, retention's included.
    pub legacy_entries: u64,
    /// Their [`Digest`], in hex.
    pub legacy_sha256: String,
    /// The time of the first legacy entry still in the log, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_time: Option<String>,
    /// The time of the last, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_time: Option<String>,
}

impl Adopted {
    /// The record in an adoption entry, or `None` if `entry` is not one.
    pub fn of_entry(entry: &Map<String, Value>) -> Option<Self> {
        let name = entry
            .get("skill")
            .or_else(|| entry.get("tool"))
            .and_then(Value::as_str)?;
        if name != ADOPT_NAME {
            return None;
        }
        let fields = entry.get("metadata").or_else(|| entry.get("args"))?;
        serde_json::from_value(fields.clone()).ok()
    }

    /// Whether it records exactly `digest`.
    pub fn covers(&self, digest: &Digest) -> bool {
        self.legacy_entries == digest.entries && self.legacy_sha256 == digest.sha256
    }

    /// The record as the fields of an entry's `metadata` or `args`.
    pub fn fields(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => unreachable!("a record of numbers and strings serialises to an object"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_depends_on_every_entry_and_their_order() {
        let digest = |texts: &[&str]| {
            let mut d = Digest::default();
            for text in texts {
                d.add(text.as_bytes());
            }
            d
        };
        let base = digest(&[r#"{"a":1}"#, r#"{"b":2}"#]);
        assert_eq!(base.entries, 2);
        assert_ne!(base, digest(&[r#"{"b":2}"#, r#"{"a":1}"#]));
        assert_ne!(base, digest(&[r#"{"a":1}"#, r#"{"b":3}"#]));
        assert_ne!(base, digest(&[r#"{"a":1}"#, r#"{"b": 2}"#]));
        assert_ne!(base.sha256, digest(&[r#"{"a":1}"#]).sha256);
        assert_eq!(base, digest(&[r#"{"a":1}"#, r#"{"b":2}"#]));
    }

    #[test]
    fn an_adoption_record_reads_back_from_its_entry() {
        let adopted = Adopted {
            legacy_entries: 3,
            legacy_sha256: "ab".into(),
            first_time: Some("2025-10-01T09:00:00+00:00".into()),
            last_time: None,
        };
        let mut entry = Map::new();
        entry.insert("skill".into(), Value::from(ADOPT_NAME));
        entry.insert("metadata".into(), Value::Object(adopted.fields()));
        assert_eq!(Adopted::of_entry(&entry), Some(adopted));
        entry.insert("skill".into(), Value::from("my.skill"));
        assert_eq!(Adopted::of_entry(&entry), None);
    }
}
