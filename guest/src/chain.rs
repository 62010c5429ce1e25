//! Tamper evidence: every entry carries `seq` and a link to the entry before
//! it, so that a modified, removed, inserted or reordered entry is detected.
//!
//! The link is `hash = SHA-256(prev || canonical(entry))`, or in keyed mode
//! `mac = HMAC-SHA-256(key, prev || canonical(entry))`, where `prev` is the
//! previous entry's link (32 zero bytes before the first entry) and
//! `canonical` is the entry without its link field, as compact JSON with the
//! keys of every object sorted (so a re-serialisation that keeps the values
//! keeps the link valid). The key never reaches the log directory: the host
//! passes it in, and the entry only names the mode by the field it uses.

use serde_json::{Map, Value};

use crate::error::AuditError;
use crate::{digest, json_text};

/// A link: the output of SHA-256 or HMAC-SHA-256.
pub type Link = digest::Digest;

/// The link before the first entry.
pub const GENESIS: Link = [0; 32];

/// The field holding the sequence number.
pub const SEQ: &str = "seq";
/// The field holding a plain SHA-256 link.
pub const HASH: &str = "hash";
/// The field holding a keyed HMAC-SHA-256 link.
pub const MAC: &str = "mac";
/// The fields of an entry's seal: an entry with any of them claims it.
pub const SEAL_KEYS: [&str; 3] = [SEQ, HASH, MAC];

/// How links are computed: plain SHA-256, or HMAC with a key only the host has.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Chain {
    key: Option<Vec<u8>>,
}

impl std::fmt::Debug for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.key.is_some() {
            "Chain(keyed)"
        } else {
            "Chain(sha256)"
        })
    }
}

impl Chain {
    /// Plain SHA-256 links.
    pub fn plain() -> Self {
        Self { key: None }
    }

    /// HMAC-SHA-256 links under `key`.
    pub fn keyed(key: Vec<u8>) -> Self {
        Self { key: Some(key) }
    }

    /// Whether links are keyed.
    pub fn is_keyed(&self) -> bool {
        self.key.is_some()
    }

    /// The name of the field this chain's links go in.
    pub fn field(&self) -> &'static str {
        if self.is_keyed() { MAC } else { HASH }
    }

    /// Refuses to continue a chain whose last entry was sealed in the other
    /// mode (`last_keyed`: whether it has a `mac`; `None` before the first
    /// sealed entry). A chain is keyed or plain from its first entry to its
    /// last: a writer without the key would add entries no keyed `verify`
    /// accepts, and a keyed writer after plain entries would vouch for
    /// entries anyone could have recomputed.
    ///
    /// # Errors
    /// [`AuditError::Invalid`] naming `key`, saying what to do.
    pub fn may_follow(&self, last_keyed: Option<bool>) -> Result<(), AuditError> {
        match (last_keyed, self.is_keyed()) {
            (Some(true), false) => Err(AuditError::invalid(
                "key",
                "this log is keyed (its entries carry \"mac\"): pass --key-file with the key it was written with",
            )),
            (Some(false), true) => Err(AuditError::invalid(
                "key",
                "this log is not keyed (its entries carry \"hash\"): write it without --key-file, or start a keyed log in a new directory",
            )),
            _ => Ok(()),
        }
    }

    /// Refuses a keyed chain whose key does not open the log's last sealed
    /// entry, `last` (its stored object) after `prev` (the link before it):
    /// an entry sealed under another key (key files swapped, or the wrong
    /// one passed) would stop every keyed `verify` there, the entries after
    /// it the right key writes included. Plain chains are not checked: their
    /// links hold no secret, so a mismatch there tells nothing of the writer.
    ///
    /// # Errors
    /// [`AuditError::Invalid`] naming `key`, saying what to do.
    pub fn may_extend(&self, prev: &Link, last: &[u8]) -> Result<(), AuditError> {
        if !self.is_keyed() {
            return Ok(());
        }
        let entry: Option<Map<String, Value>> = serde_json::from_slice(last).ok();
        let opens = entry.is_some_and(|entry| {
            let stored = entry.get(MAC).and_then(Value::as_str).and_then(from_hex);
            stored == Some(self.link(prev, &canonical(&entry)))
        });
        if opens {
            return Ok(());
        }
        let seq = serde_json::from_slice::<Map<String, Value>>(last)
            .ok()
            .and_then(|entry| entry.get(SEQ).and_then(Value::as_u64))
            .map_or_else(String::new, |seq| format!(" (seq {seq})"));
        Err(AuditError::invalid(
            "key",
            format!(
                "the log's last entry{seq} does not check out under this key: it was written with another key, or modified since (`auditlog verify` with the right key says which); pass --key-file with the key the log was written with"
            ),
        ))
    }

    /// The link of an entry whose canonical form is `canonical`, after `prev`.
    pub fn link(&self, prev: &Link, canonical: &[u8]) -> Link {
        match &self.key {
            None => digest::sha256(&[prev, canonical]),
            Some(key) => digest::hmac_sha256(key, &[prev, canonical]),
        }
    }

    /// Adds `seq` and the link after `prev` to `entry`; returns the link.
    pub fn seal(&self, entry: &mut Map<String, Value>, seq: u64, prev: &Link) -> Link {
        entry.remove(HASH);
        entry.remove(MAC);
        entry.insert(SEQ.to_owned(), Value::from(seq));
        let link = self.link(prev, &canonical(entry));
        entry.insert(self.field().to_owned(), Value::String(to_hex(&link)));
        link
    }
}

/// Whether the stored entry `json` is sealed with a `mac` (`Some(true)`) or
/// a `hash` (`Some(false)`); `None` if it is not sealed.
pub fn is_keyed_seal(json: &[u8]) -> Option<bool> {
    #[derive(serde::Deserialize)]
    struct Seal {
        hash: Option<serde::de::IgnoredAny>,
        mac: Option<serde::de::IgnoredAny>,
    }
    let seal: Seal = serde_json::from_slice(json).ok()?;
    match (seal.mac, seal.hash) {
        (Some(_), _) => Some(true),
        (None, Some(_)) => Some(false),
        (None, None) => None,
    }
}

/// `entry` without its link fields, as compact JSON with sorted keys.
pub fn canonical(entry: &Map<String, Value>) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    json_text::write_object(&mut out, entry, true, |key| key != HASH && key != MAC);
    out
}

/// The SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> Link {
    digest::sha256(&[bytes])
}

/// Lowercase hexadecimal.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        hex.push(char::from(DIGITS[usize::from(b >> 4)]));
        hex.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    hex
}

/// A link from its hexadecimal form.
pub fn from_hex(text: &str) -> Option<Link> {
    if text.len() != 64 {
        return None;
    }
    let mut link = [0; 32];
    for (i, byte) in link.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(link)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn canonical_sorts_keys_at_every_depth_and_drops_the_link() {
        let entry = object(
            json!({"b": 1, "a": {"z": [1, {"y": 2, "x": "é"}], "c": null}, "hash": "00", "seq": 3}),
        );
        assert_eq!(
            String::from_utf8(canonical(&entry)).unwrap(),
            r#"{"a":{"c":null,"z":[1,{"x":"é","y":2}]},"b":1,"seq":3}"#
        );
    }

    #[test]
    fn links_depend_on_content_predecessor_and_key() {
        let plain = Chain::plain();
        let keyed = Chain::keyed(b"k".to_vec());
        let a = plain.link(&GENESIS, b"{}");
        assert_ne!(a, plain.link(&GENESIS, b"{ }"));
        assert_ne!(a, plain.link(&a, b"{}"));
        assert_ne!(a, keyed.link(&GENESIS, b"{}"));
        assert_ne!(
            keyed.link(&GENESIS, b"{}"),
            Chain::keyed(b"j".to_vec()).link(&GENESIS, b"{}")
        );
        // SHA-256 of 32 zero bytes followed by "{}".
        let mut input = vec![0u8; 32];
        input.extend_from_slice(b"{}");
        assert_eq!(a, sha256(&input));
    }

    #[test]
    fn seal_adds_seq_and_the_mode_field_last() {
        let mut entry = object(json!({"ts": "t", "user": "u"}));
        let link = Chain::keyed(b"k".to_vec()).seal(&mut entry, 7, &GENESIS);
        let keys: Vec<&str> = entry.keys().map(String::as_str).collect();
        assert_eq!(keys, ["ts", "user", "seq", "mac"]);
        assert_eq!(from_hex(entry["mac"].as_str().unwrap()), Some(link));
    }

    #[test]
    fn a_chain_keeps_the_mode_it_started_in() {
        let keyed = Chain::keyed(b"k".to_vec());
        let plain = Chain::plain();
        for chain in [&keyed, &plain] {
            assert_eq!(chain.may_follow(None), Ok(()));
        }
        assert_eq!(keyed.may_follow(Some(true)), Ok(()));
        assert_eq!(plain.may_follow(Some(false)), Ok(()));
        let refused = plain.may_follow(Some(true)).unwrap_err().to_string();
        assert!(refused.starts_with("key: this log is keyed"), "{refused}");
        assert!(refused.contains("--key-file"), "{refused}");
        let refused = keyed.may_follow(Some(false)).unwrap_err().to_string();
        assert!(
            refused.starts_with("key: this log is not keyed"),
            "{refused}"
        );
        assert_eq!(is_keyed_seal(br#"{"seq":1,"mac":"00"}"#), Some(true));
        assert_eq!(is_keyed_seal(br#"{"seq":1,"hash":"00"}"#), Some(false));
        assert_eq!(is_keyed_seal(br#"{"skill":"legacy"}"#), None);
    }

    #[test]
    fn a_keyed_chain_extends_only_what_its_key_sealed() {
        let key = Chain::keyed(b"0123456789abcdef".to_vec());
        let other = Chain::keyed(b"fedcba9876543210".to_vec());
        let mut first = object(json!({"ts": "t", "user": "u"}));
        let link = key.seal(&mut first, 1, &GENESIS);
        let mut second = object(json!({"ts": "t2", "user": "u"}));
        key.seal(&mut second, 2, &link);
        let stored = serde_json::to_vec(&second).unwrap();
        assert_eq!(key.may_extend(&link, &stored), Ok(()));
        assert_eq!(Chain::plain().may_extend(&link, &stored), Ok(()));
        let refused = other.may_extend(&link, &stored).unwrap_err().to_string();
        assert!(
            refused
                .starts_with("key: the log's last entry (seq 2) does not check out under this key"),
            "{refused}"
        );
        assert!(
            key.may_extend(&GENESIS, &stored).is_err(),
            "another predecessor"
        );
        let mut edited = second.clone();
        edited.insert("ts".into(), "t3".into());
        let edited = serde_json::to_vec(&edited).unwrap();
        assert!(key.may_extend(&link, &edited).is_err(), "modified");
    }

    #[test]
    fn hex_round_trips() {
        let link: Link = core::array::from_fn(|i| i as u8 * 7);
        assert_eq!(from_hex(&to_hex(&link)), Some(link));
        assert_eq!(from_hex("zz"), None);
    }
}
