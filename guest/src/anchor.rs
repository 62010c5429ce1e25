//! Retention anchors: where a log's chain may start once retention has
//! dropped its oldest entries.
//!
//! An anchor names the last entry retention dropped (`seq`, `link`), so the
//! first remaining entry, `seq + 1`, is checked against `link`. Retention
//! saves the anchor *before* it deletes or blanks anything, and a writer can
//! stop part-way: some of the entries it was dropping are then still there,
//! and the first of them follows an entry that is already gone. So the anchor
//! also lists, in `starts`, every place such a leftover run can begin — for
//! the tool log the first entry of each file retention is deleting, for the
//! skill log the first entry being blanked — with the link of the entry
//! before it. Whichever of those files or lines a crash left behind, their
//! first entry is checked against a link the anchor vouches for, and every
//! later one against its predecessor. Nothing is taken on trust.
//!
//! In keyed mode `mac` authenticates the whole anchor under the chain's key:
//! without the key nobody can move it (to hide entries cut from the head) or
//! add a start (to slip an invented entry in before the chain). In plain mode
//! anyone who can write the directory can recompute an anchor, as they can
//! recompute a plain chain: plain mode detects accidents and edits by tools
//! that do not know the format, and the same structural checks apply, but it
//! cannot stop a deliberate forgery.
//!
//! Retention drops the oldest entries, and a migrated log's oldest are its
//! legacy entries (see [`crate::legacy`]): the anchor then also carries, in
//! `legacy`, the digest of every legacy entry dropped so far, so that an
//! adoption's digest still adds up over what is left. In the tool log it
//! names the last file folded in (`through_file`): legacy entries in a file
//! a stopped retention left behind are already counted. When retention drops
//! the adoption entry that covered them too, `legacy.adopted` keeps its
//! `seq` and count, so the log stays adopted. The MAC covers all of it.
//!
//! An anchor without `starts` is the format earlier versions wrote (its MAC
//! covers `anchor:<seq>` only) and is read as before.

use serde::{Deserialize, Serialize};

use crate::chain::{self, Chain, Link};
use crate::entry;
use crate::legacy::{self, Adopted, Digest};
use crate::stored_line;

/// The last entry retention dropped, and where leftover entries it was
/// dropping may start (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// The last dropped entry's `seq`.
    pub seq: u64,
    /// Its link, in hex.
    pub link: String,
    /// Dropped entries that may still be present, each with the link of the
    /// entry before it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub starts: Vec<Start>,
    /// The legacy entries retention dropped, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy: Option<Dropped>,
    /// In keyed mode, the chain's link of the anchor's message after `link`
    /// (the message: see the module documentation), in hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

/// The legacy entries retention dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dropped {
    /// Their digest, from the log's first legacy entry.
    pub digest: Digest,
    /// In a tool log, the last file whose legacy entries are folded in (its
    /// name, `YYYY-MM-DD[.N].jsonl`): those in it and earlier files are
    /// counted already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub through_file: Option<String>,
    /// The last adoption entry retention dropped that covered every legacy
    /// entry before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted: Option<DroppedAdoption>,
    /// In a tool log, each file the last retention was deleting (and the
    /// files earlier ones left behind), a plain file and its `.gz` apart,
    /// with the digest of its own legacy entries: a file a stopped retention
    /// leaves behind must hold exactly those, so that none can be added to
    /// a file dated before `through_file` (whose legacy entries count as
    /// dropped already). Empty once the retention finished: no such file
    /// may hold any. `None` in anchors written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<FoldedFile>>,
}

/// A tool-log file retention folded into [`Dropped`], and its own legacy
/// entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoldedFile {
    /// Its name, `YYYY-MM-DD[.N].jsonl`.
    pub file: String,
    /// The digest of its legacy entries alone, in order.
    pub legacy: Digest,
}

/// An adoption entry retention dropped (see [`Adopted`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DroppedAdoption {
    /// Its `seq`.
    pub seq: u64,
    /// How many legacy entries it covered.
    pub legacy_entries: u64,
}

impl Dropped {
    /// Folds in one entry's JSON as retention drops it: a legacy entry
    /// into the digest; an adoption entry that covers every legacy entry
    /// folded so far is kept (as `verify` would have accepted it), so the
    /// entries it covered stay adopted once it is gone. Returns whether
    /// `json` is a legacy entry.
    pub fn fold(&mut self, json: &[u8]) -> bool {
        if stored_line::is_legacy(json) {
            self.digest.add(json);
            return true;
        }
        let name = legacy::ADOPT_NAME.as_bytes();
        if json.windows(name.len()).any(|w| w == name)
            && let Some((seq, _)) = entry::seal_of(json)
            && let Ok(entry) = serde_json::from_slice(json)
            && let Some(adopted) = Adopted::of_entry(&entry)
            && adopted.covers(&self.digest)
        {
            self.adopted = Some(DroppedAdoption {
                seq,
                legacy_entries: adopted.legacy_entries,
            });
        }
        false
    }
}

/// A dropped entry that may begin a leftover run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Start {
    /// The entry's `seq`.
    pub seq: u64,
    /// The link of the entry before it, in hex.
    pub prev: String,
}

/// An anchor that checked out: the links it vouches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The last dropped entry's `seq`: every entry up to it was dropped.
    pub through: u64,
    /// `(seq, link of the entry before it)` for each entry the chain may
    /// start at, `through + 1` included.
    prevs: Vec<(u64, Link)>,
    /// The legacy entries retention dropped.
    pub legacy: Dropped,
}

impl Checked {
    /// The link of the entry before `seq`, if the chain may start there.
    pub fn prev_of(&self, seq: u64) -> Option<Link> {
        self.prevs
            .iter()
            .find(|(start, _)| *start == seq)
            .map(|(_, prev)| *prev)
    }
}

impl Anchor {
    /// An anchor for the last dropped entry `(seq, link)` and the `starts`
    /// (`(seq, link before it)`) of leftover runs, with a MAC in keyed mode.
    pub fn new(chain: &Chain, seq: u64, link: &Link, starts: &[(u64, Link)]) -> Self {
        let starts: Vec<Start> = starts
            .iter()
            .filter(|(start, _)| *start >= 1 && *start <= seq)
            .map(|(start, prev)| Start {
                seq: *start,
                prev: chain::to_hex(prev),
            })
            .collect();
        let mac = chain
            .is_keyed()
            .then(|| chain::to_hex(&Self::mac_of(chain, seq, link, &starts, None)));
        Self {
            seq,
            link: chain::to_hex(link),
            starts,
            legacy: None,
            mac,
        }
    }

    /// The same anchor, also vouching for the legacy entries retention
    /// dropped (`None` when it dropped none).
    #[must_use]
    pub fn with_legacy(mut self, chain: &Chain, legacy: Option<Dropped>) -> Self {
        let legacy = legacy.filter(|dropped| dropped.digest.entries > 0);
        if let Some(link) = chain::from_hex(&self.link) {
            self.mac = chain.is_keyed().then(|| {
                chain::to_hex(&Self::mac_of(
                    chain,
                    self.seq,
                    &link,
                    &self.starts,
                    legacy.as_ref(),
                ))
            });
        }
        self.legacy = legacy;
        self
    }

    /// What authenticates an anchor: the chain's link, after `link`, of
    /// `anchor:<seq>` followed by `;<seq>:<prev>` for each start,
    /// `;legacy:<entries>:<sha256>:<through_file>` for dropped legacy entries,
    /// `;adopted:<seq>:<entries>` for a dropped adoption and, when the
    /// folded files are recorded, `;files` then `;file:<name>:<entries>:<sha256>`
    /// for each.
    fn mac_of(
        chain: &Chain,
        seq: u64,
        link: &Link,
        starts: &[Start],
        legacy: Option<&Dropped>,
    ) -> Link {
        let mut message = format!("anchor:{seq}");
        for start in starts {
            message.push_str(&format!(";{}:{}", start.seq, start.prev));
        }
        if let Some(dropped) = legacy {
            message.push_str(&format!(
                ";legacy:{}:{}:{}",
                dropped.digest.entries,
                dropped.digest.sha256,
                dropped.through_file.as_deref().unwrap_or("")
            ));
            if let Some(adopted) = dropped.adopted {
                message.push_str(&format!(
                    ";adopted:{}:{}",
                    adopted.seq, adopted.legacy_entries
                ));
            }
            if let Some(files) = &dropped.files {
                message.push_str(";files");
                for folded in files {
                    message.push_str(&format!(
                        ";file:{}:{}:{}",
                        folded.file, folded.legacy.entries, folded.legacy.sha256
                    ));
                }
            }
        }
        chain.link(link, message.as_bytes())
    }

    /// The links this anchor vouches for, or `None` if it does not check out:
    /// a link that is not hex, a start past `seq`, a dropped adoption that
    /// could not have been (after `seq`, or of more legacy entries than were
    /// dropped), or in keyed mode a missing or wrong MAC.
    pub fn checked(&self, chain: &Chain) -> Option<Checked> {
        let link = chain::from_hex(&self.link)?;
        if let Some(legacy) = &self.legacy
            && let Some(adopted) = legacy.adopted
            && (adopted.seq == 0
                || adopted.seq > self.seq
                || adopted.legacy_entries > legacy.digest.entries)
        {
            return None;
        }
        let mut prevs = vec![(self.seq + 1, link)];
        for start in &self.starts {
            if start.seq > self.seq || start.seq == 0 {
                return None;
            }
            prevs.push((start.seq, chain::from_hex(&start.prev)?));
        }
        if chain.is_keyed() {
            let mac = chain::from_hex(self.mac.as_deref()?)?;
            if mac != Self::mac_of(chain, self.seq, &link, &self.starts, self.legacy.as_ref()) {
                return None;
            }
        }
        Some(Checked {
            through: self.seq,
            prevs,
            legacy: self.legacy.clone().unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyed() -> Chain {
        Chain::keyed(b"0123456789abcdef".to_vec())
    }

    #[test]
    fn an_anchor_vouches_for_its_starts_and_the_entry_after_it() {
        let a: Link = [1; 32];
        let b: Link = [2; 32];
        let anchor = Anchor::new(&keyed(), 9, &a, &[(4, b)]);
        let checked = anchor.checked(&keyed()).expect("checks out");
        assert_eq!(checked.through, 9);
        assert_eq!(checked.prev_of(10), Some(a));
        assert_eq!(checked.prev_of(4), Some(b));
        assert_eq!(
            checked.prev_of(1),
            None,
            "seq 1 was dropped and not left behind"
        );
        assert_eq!(checked.prev_of(5), None, "not a start");
    }

    #[test]
    fn any_change_without_the_key_breaks_a_keyed_anchor() {
        let a: Link = [1; 32];
        let b: Link = [2; 32];
        let anchor = Anchor::new(&keyed(), 9, &a, &[(4, b)]);
        type Tamper<'a> = Box<dyn Fn(&mut Anchor) + 'a>;
        let tampered: Vec<Tamper> = vec![
            Box::new(|x| x.seq += 1),
            Box::new(|x| x.link = chain::to_hex(&b)),
            Box::new(|x| x.starts[0].seq = 5),
            Box::new(|x| x.starts[0].prev = chain::to_hex(&a)),
            Box::new(|x| {
                x.starts.push(Start {
                    seq: 6,
                    prev: chain::to_hex(&a),
                })
            }),
            // Dropping the starts turns it into the old format: another message.
            Box::new(|x| x.starts.clear()),
            Box::new(|x| x.mac = None),
            // A MAC recomputed with SHA-256 (no key) under the `mac` name.
            Box::new(|x| {
                let plain = Anchor::new(&Chain::plain(), x.seq, &a, &[(4, b)]);
                x.mac = Some(chain::to_hex(&Anchor::mac_of(
                    &Chain::plain(),
                    plain.seq,
                    &a,
                    &plain.starts,
                    None,
                )));
            }),
        ];
        for (i, tamper) in tampered.iter().enumerate() {
            let mut forged = anchor.clone();
            tamper(&mut forged);
            assert_eq!(forged.checked(&keyed()), None, "change {i}");
        }
        assert_eq!(
            Anchor::new(&keyed(), 9, &a, &[]).checked(&Chain::keyed(b"another key, 16+".to_vec())),
            None
        );
    }

    #[test]
    fn the_dropped_legacy_entries_are_covered_by_the_mac() {
        let a: Link = [1; 32];
        let mut digest = Digest::default();
        digest.add(br#"{"timestamp":"2025-10-01T00:00:00Z","skill":"s","status":"success"}"#);
        let dropped = Dropped {
            digest,
            through_file: Some("2025-10-01.jsonl".into()),
            adopted: Some(DroppedAdoption {
                seq: 1,
                legacy_entries: 1,
            }),
            files: Some(vec![FoldedFile {
                file: "2025-10-01.jsonl".into(),
                legacy: Digest::default(),
            }]),
        };
        let anchor = Anchor::new(&keyed(), 1, &chain::GENESIS, &[])
            .with_legacy(&keyed(), Some(dropped.clone()));
        let checked = anchor.checked(&keyed()).expect("checks out");
        assert_eq!(checked.legacy, dropped);
        assert_eq!(checked.prev_of(2), Some(chain::GENESIS));
        type Tamper<'a> = Box<dyn Fn(&mut Anchor) + 'a>;
        let tampered: Vec<Tamper> = vec![
            Box::new(|x| x.legacy.as_mut().unwrap().digest.entries -= 1),
            Box::new(|x| x.legacy.as_mut().unwrap().digest.sha256 = chain::to_hex(&a)),
            Box::new(|x| x.legacy.as_mut().unwrap().through_file = None),
            Box::new(|x| x.legacy.as_mut().unwrap().adopted = None),
            Box::new(|x| {
                x.legacy
                    .as_mut()
                    .unwrap()
                    .adopted
                    .as_mut()
                    .unwrap()
                    .legacy_entries += 1
            }),
            Box::new(|x| x.legacy.as_mut().unwrap().files = None),
            Box::new(|x| x.legacy.as_mut().unwrap().files = Some(Vec::new())),
            Box::new(|x| {
                x.legacy.as_mut().unwrap().files.as_mut().unwrap()[0]
                    .legacy
                    .entries = 1;
            }),
            Box::new(|x| x.legacy = None),
        ];
        for (i, tamper) in tampered.iter().enumerate() {
            let mut forged = anchor.clone();
            tamper(&mut forged);
            assert_eq!(forged.checked(&keyed()), None, "change {i}");
        }
    }

    #[test]
    fn a_dropped_adoption_that_could_not_have_been_does_not_check_out() {
        let mut digest = Digest::default();
        digest.add(br#"{"timestamp":"2025-10-01T00:00:00Z","skill":"s","status":"success"}"#);
        let anchor = |seq, legacy_entries| {
            let dropped = Dropped {
                digest: digest.clone(),
                through_file: None,
                adopted: Some(DroppedAdoption {
                    seq,
                    legacy_entries,
                }),
                files: None,
            };
            Anchor::new(&Chain::plain(), 5, &chain::GENESIS, &[])
                .with_legacy(&Chain::plain(), Some(dropped))
        };
        assert!(anchor(2, 1).checked(&Chain::plain()).is_some());
        // Plain mode has no MAC: these are edits anyone could make.
        for (seq, legacy_entries) in [(2, 99), (6, 1), (0, 1)] {
            assert_eq!(
                anchor(seq, legacy_entries).checked(&Chain::plain()),
                None,
                "adopted at {seq}, {legacy_entries} entries"
            );
        }
    }

    #[test]
    fn an_anchor_in_the_earlier_format_is_read_as_before() {
        let link: Link = [3; 32];
        // What earlier versions wrote: the MAC of `anchor:<seq>` after the link.
        let mac = keyed().link(&link, b"anchor:7");
        let json = format!(
            r#"{{"seq":7,"link":"{}","mac":"{}"}}"#,
            chain::to_hex(&link),
            chain::to_hex(&mac)
        );
        let anchor: Anchor = serde_json::from_str(&json).unwrap();
        assert_eq!(anchor, Anchor::new(&keyed(), 7, &link, &[]));
        assert_eq!(anchor.checked(&keyed()).unwrap().prev_of(8), Some(link));
    }
}
