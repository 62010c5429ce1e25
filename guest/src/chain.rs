//! Tamper evidence: every entry carries `seq` and a link to the entry before
//! it, so that a modified, removed, inserted or reordered entry is detected.
//!
//! The link is `hash = SHA-256(prev || canonical(entry))`, or in keyed mode
//! `mac = HMAC-SHA-256(key, prev || canonical(entry))`, where `prev` is the
//! previous entry's link (32 zero bytes before the first entry) and
//! `canonical` is the entry without its link field (the other mode's field,
//! which a genuine entry never has, is covered like any other), as compact JSON with the
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

/// How many of a log's last entries a keyed writer tries its key on
/// before refusing it ([`Chain::opens_one_of`]): an edited entry or a few
/// leave writes going; only a key that opens none of them is refused.
pub const KEY_TRIES: usize = 8;

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

    /// In keyed mode, refuses a key that opens none of the log's last sealed
    /// entries. `newest_first`: the stored objects of up to
    /// [`KEY_TRIES`] + 1 of them, newest first; `before`: the `seq` and link
    /// before the oldest of those, where known (an earlier file's last
    /// entry, retention's anchor, or `(0, GENESIS)` for a log's start). Each
    /// is checked from the link before it, where their `seq`s follow.
    ///
    /// One that opens shows the key is the log's: any after it that do not
    /// were modified since, which `verify` names — refusing then would let
    /// one edited line stop every write. None opening means another key
    /// (key files swapped, or the wrong one passed), whose entries would
    /// stop every keyed `verify` there, the right key's after them included.
    /// Nothing to check against refuses nothing; plain chains are never
    /// checked (their links hold no secret).
    ///
    /// # Errors
    /// [`AuditError::Invalid`] naming `key`, saying what to do.
    pub fn opens_one_of(
        &self,
        newest_first: &[&[u8]],
        before: Option<(u64, Link)>,
    ) -> Result<(), AuditError> {
        if !self.is_keyed() {
            return Ok(());
        }
        let entries: Vec<Option<Map<String, Value>>> = newest_first
            .iter()
            .map(|json| serde_json::from_slice(json).ok())
            .collect();
        let seal = |entry: &Map<String, Value>| -> Option<(u64, Link)> {
            let seq = entry.get(SEQ).and_then(Value::as_u64)?;
            let mac = entry.get(MAC).and_then(Value::as_str).and_then(from_hex)?;
            Some((seq, mac))
        };
        let mut tried = 0;
        for (k, entry) in entries.iter().enumerate().take(KEY_TRIES) {
            let Some((entry, (seq, mac))) = entry.as_ref().and_then(|e| Some((e, seal(e)?))) else {
                continue;
            };
            let prev = match entries.get(k + 1) {
                Some(older) => older.as_ref().and_then(seal),
                None => before,
            };
            let Some((_, prev)) = prev.filter(|&(prev_seq, _)| prev_seq + 1 == seq) else {
                continue;
            };
            if mac == self.link(&prev, &self.canonical(entry)) {
                return Ok(());
            }
            tried += 1;
        }
        if tried == 0 {
            return Ok(());
        }
        let newest = entries
            .iter()
            .flatten()
            .find_map(|entry| entry.get(SEQ).and_then(Value::as_u64))
            .map_or_else(String::new, |seq| format!(" (seq {seq})"));
        let nor = match tried {
            1 => String::new(),
            n => format!(", nor do the {} before it", n - 1),
        };
        Err(AuditError::invalid(
            "key",
            format!(
                "the log's last entry{newest} does not check out under this key{nor}: it was written with another key, or modified since (`auditlog verify` with the right key says which); pass --key-file with the key the log was written with"
            ),
        ))
    }

    /// `entry`'s canonical form in this chain: without [`field`](Self::field).
    pub fn canonical(&self, entry: &Map<String, Value>) -> Vec<u8> {
        canonical(entry, self.field())
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
        let link = self.link(prev, &self.canonical(entry));
        entry.insert(self.field().to_owned(), Value::String(to_hex(&link)));
        link
    }
}

/// The largest `seq` a writer continues a chain from: 2^53, the largest
/// whole number every JSON reader (JavaScript's too) reads exactly. No log
/// reaches it by appending; a larger one was edited in, and counting on
/// from it would wrap to 0 at 2^64.
pub const MAX_SEQ: u64 = 1 << 53;

/// Refuses to continue a chain whose last entry has a `seq` past
/// [`MAX_SEQ`].
///
/// # Errors
/// [`AuditError::Corrupt`] saying so.
pub fn continues_from(seq: u64) -> Result<(), AuditError> {
    if seq > MAX_SEQ {
        return Err(AuditError::Corrupt(format!(
            "the log's last entry has seq {seq}, past 2^53, which no log reaches by appending: it was edited (`auditlog verify` names it)"
        )));
    }
    Ok(())
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

/// `entry` without its link field `link_field` ([`HASH`] or [`MAC`]), as
/// compact JSON with sorted keys. Only the chain's own link field is left
/// out: a field of the other name is part of what the link covers, so one
/// added to a sealed entry (a `hash` beside a `mac`, holding anything) is a
/// modification like any other.
pub fn canonical(entry: &Map<String, Value>, link_field: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    json_text::write_object(&mut out, entry, true, |key| key != link_field);
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

/// A link from its hexadecimal form: 64 hexadecimal digits, in either
/// case, and nothing else (no sign, which `from_str_radix` would take).
pub fn from_hex(text: &str) -> Option<Link> {
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
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
            String::from_utf8(canonical(&entry, HASH)).unwrap(),
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

    /// `n` entries sealed under `key` from the start, stored, newest first.
    fn sealed(key: &Chain, n: u64) -> Vec<Vec<u8>> {
        let mut link = GENESIS;
        let mut stored: Vec<Vec<u8>> = (1..=n)
            .map(|seq| {
                let mut entry = object(json!({"ts": format!("t{seq}"), "user": "u"}));
                link = key.seal(&mut entry, seq, &link);
                serde_json::to_vec(&entry).unwrap()
            })
            .collect();
        stored.reverse();
        stored
    }

    fn opens(chain: &Chain, newest_first: &[Vec<u8>]) -> Result<(), AuditError> {
        let lines: Vec<&[u8]> = newest_first.iter().map(Vec::as_slice).collect();
        chain.opens_one_of(&lines, Some((0, GENESIS)))
    }

    #[test]
    fn a_keyed_chain_extends_only_what_its_key_sealed() {
        let key = Chain::keyed(b"0123456789abcdef".to_vec());
        let other = Chain::keyed(b"fedcba9876543210".to_vec());
        let two = sealed(&key, 2);
        assert_eq!(opens(&key, &two), Ok(()));
        assert_eq!(opens(&Chain::plain(), &two), Ok(()));
        let refused = opens(&other, &two).unwrap_err().to_string();
        assert!(
            refused.starts_with(
                "key: the log's last entry (seq 2) does not check out under this key, nor do the 1 before it"
            ),
            "{refused}"
        );
        // Only the newest, checked from a link that is not its own.
        let newest: &[u8] = &two[0];
        assert!(key.opens_one_of(&[newest], Some((1, GENESIS))).is_err());
        // Nothing to check it from: nothing refused.
        assert_eq!(other.opens_one_of(&[newest], None), Ok(()));
        assert_eq!(other.opens_one_of(&[newest], Some((5, GENESIS))), Ok(()));
    }

    #[test]
    fn edited_last_entries_do_not_make_the_right_key_look_wrong() {
        let key = Chain::keyed(b"0123456789abcdef".to_vec());
        let mut log = sealed(&key, KEY_TRIES as u64 + 3);
        let edit = |line: &mut Vec<u8>| {
            let text = String::from_utf8(line.clone()).unwrap();
            *line = text
                .replacen("\"user\":\"u\"", "\"user\":\"x\"", 1)
                .into_bytes();
        };
        // The newest few edited: an older one still opens under the key.
        for line in &mut log[..KEY_TRIES - 1] {
            edit(line);
        }
        assert_eq!(opens(&key, &log[..KEY_TRIES + 1]), Ok(()));
        // Every entry tried edited: refused, and told to verify.
        edit(&mut log[KEY_TRIES - 1]);
        let refused = opens(&key, &log[..KEY_TRIES + 1]).unwrap_err().to_string();
        assert!(refused.contains("nor do the 7 before it"), "{refused}");
        assert!(refused.contains("auditlog verify"), "{refused}");
    }

    #[test]
    fn hex_round_trips() {
        let link: Link = core::array::from_fn(|i| i as u8 * 7);
        assert_eq!(from_hex(&to_hex(&link)), Some(link));
        assert_eq!(from_hex("zz"), None);
    }
}
