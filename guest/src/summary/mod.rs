//! Summaries of closed tool-log files, so that `stats` need not read every
//! line of a long window (issue 20).
//!
//! A *closed* file is one of a user's files that appends no longer write:
//! every file but the user's newest (entries always go to the newest file,
//! whatever the clock says; see [`crate::tool_log`]), compressed or not. A
//! closed file gets a summary beside it,
//! `<user>/tool_audit/.summary.YYYY-MM-DD[.N][.gz].json` (a dot-file, out of
//! the log's globs): per hour of its day,
//! the runs by tool and status, with their `duration_ms` values kept exactly
//! (as value and count) so that percentiles come out the same, the foreign
//! entries, and the span of bytes holding the hour's lines.
//!
//! **Trust.** A summary names the user and file it covers and what that file
//! was when it was summarised: for a plain file its length and the SHA-256
//! of its first and last (up to) 4 KiB — the last entry's `seq` and link
//! among them — and for a gzipped file its length and the SHA-256 of all its
//! bytes. It is sealed like the chain: its second line holds `mac`, an HMAC
//! under the chain's key of its first line's bytes, in keyed mode; `hash`, a
//! plain SHA-256 of them, otherwise. The seal is checked before the summary
//! is parsed, over the bytes as stored (and only if it is at most
//! [`MAX_BYTES`]). [`load`] returns a summary only if all of that checks out
//! against the file as it is now and it claims no more than the file can hold
//! (`Summary::well_formed`); otherwise `stats` reads the file's lines, as it
//! would without a summary.
//! A summary is never trusted more than the lines: it answers exactly what
//! reading them would. (A same-length edit in the middle of a closed plain
//! file is not seen by this cheap check, and in plain mode anyone who can
//! write the directory can seal a summary: `verify` builds each summary
//! `stats` would use again from the lines and names one that differs — in
//! keyed mode also those sealed with the plain hash, which readers without
//! the key use.)
//!
//! **Writing.** Summaries are written under the user's lock, through a
//! temporary file renamed into place (`build`, `write`, [`refresh`]): by the
//! append that starts a new file (for the files it closed), by `rotate`
//! (every closed file without a valid one: logs written before summaries
//! existed, files compressed or repaired since) and by `repair`. `stats`
//! never writes one: it is a read, and reads write nothing. A crash leaves at
//! worst a temporary (ignored, removed by the next refresh) or a torn
//! summary (its seal fails; rebuilt by the next `rotate`). Writing a summary
//! never fails an append: its errors are warnings at most.
//!
//! **Size.** Tools and statuses are listed once and runs point into the
//! lists, so a day of 7 tools with 2 statuses in every hour is about 5 KB:
//! `stats` over a week of 100 users reads and parses 600 of them.

use serde::{Deserialize, Serialize};

use crate::chain::{self, Chain, Link};
use crate::day_files::{self, DayFile};
use crate::digest;
use crate::storage::{File, OpenFlags, Storage, StorageError};

mod build;

#[cfg(test)]
pub use build::write;
pub use build::{Refresh, build, refresh};

/// The format's version; a summary of another is ignored (and rebuilt).
pub const VERSION: u32 = 1;

/// How many bytes of each end of a plain file its summary covers.
const EDGE_BYTES: u64 = 4096;

/// The largest summary that is written or read: far above a real one (a day
/// of 7 tools is about 5 KB; one of 100,000 distinct durations about 2 MB),
/// so that a file named like a summary cannot make `stats` read and parse
/// without bound. A larger one is ignored (its file's lines are read).
pub const MAX_BYTES: u64 = 16 << 20;

/// The most bytes a gzipped file inflates to per byte of it: DEFLATE's
/// limit, about 1032 to 1. Bounds where a summary of one may say its hours
/// end.
const MAX_INFLATION: u64 = 1032;

/// The summary of one closed file (see the module documentation), stored
/// as one line of JSON followed by a line with its seal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// [`VERSION`].
    pub version: u32,
    /// The user whose file it covers.
    pub user: String,
    /// The file's name, `YYYY-MM-DD[.N].jsonl[.gz]`.
    pub file: String,
    /// What the file was when it was summarised.
    pub covers: Covers,
    /// The tools its runs name, each once, in order; [`Runs`] point here.
    pub names: Vec<String>,
    /// The statuses its runs have, each once, in order.
    pub statuses: Vec<String>,
    /// The hours of the file's day that have entries, in order.
    pub hours: Vec<Hour>,
}

/// A summary's seal, the second line of its file.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Seal {
    /// In plain mode: SHA-256 of the first line, in hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hash: Option<String>,
    /// In keyed mode: HMAC-SHA-256 of the first line under the chain's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mac: Option<String>,
}

/// What a summarised file was, cheap to check again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Covers {
    /// A plain file: its length and the SHA-256 (hex) of its first and last
    /// [`EDGE_BYTES`] bytes (all of it when shorter).
    Plain {
        /// Its length in bytes.
        bytes: u64,
        /// SHA-256 of its first bytes.
        head: String,
        /// SHA-256 of its last bytes.
        tail: String,
    },
    /// A gzipped file: its length and the SHA-256 (hex) of all its bytes.
    Gzip {
        /// Its length in bytes.
        bytes: u64,
        /// SHA-256 of its bytes.
        sha256: String,
    },
}

/// The entries of one hour of a summarised file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hour {
    /// The hour of the file's UTC day, 0 to 23.
    pub hour: u32,
    /// Where the first of its lines starts (in the inflated bytes of a
    /// gzipped file).
    pub start: u64,
    /// Where the line after the last of its lines starts.
    pub end: u64,
    /// Foreign entries (not runs: see [`crate::stats`]).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub other: u64,
    /// Runs by tool and status.
    pub runs: Vec<Runs>,
}

/// The runs of one tool with one status in an [`Hour`], as a JSON array
/// `[name, status, count, durations]`: the tool and status by their place in
/// [`Summary::names`] and [`Summary::statuses`], and their `duration_ms`
/// values, ascending, each with how many runs have it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Runs(pub usize, pub usize, pub u64, pub Vec<(u64, u64)>);

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Where the summary of `user`'s `file` is kept.
pub fn path(user: &str, file: &DayFile) -> String {
    format!("{}/{}", day_files::user_dir(user), name(file))
}

/// The name of `file`'s summary in its directory: [`PREFIX`], the file's
/// day and segment (`YYYY-MM-DD[.N]`), `.gz` if it is gzipped, [`SUFFIX`] —
/// without `.jsonl`, so that no glob for the log's files takes it for one.
fn name(file: &DayFile) -> String {
    let day = file.day.format("%Y-%m-%d");
    let segment = match file.segment {
        0 => String::new(),
        n => format!(".{n}"),
    };
    let gz = if file.compressed { ".gz" } else { "" };
    format!("{PREFIX}{day}{segment}{gz}{SUFFIX}")
}

/// How a summary's name starts and ends.
const PREFIX: &str = ".summary.";
const SUFFIX: &str = ".json";

/// The file a summary's name in the directory covers, if it is one.
fn covered(name: &str) -> Option<DayFile> {
    let stem = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (stem, gz) = match stem.strip_suffix(".gz") {
        Some(plain) => (plain, ".gz"),
        None => (stem, ""),
    };
    let file = DayFile::parse(&format!("{stem}.jsonl{gz}"))?;
    (self::name(&file) == name).then_some(file)
}

/// What separates a summary's seal from a chain link under the same key.
fn domain() -> Link {
    chain::sha256(b"audit:log summary v1")
}

impl Summary {
    /// Its file's bytes: its JSON on one line, then its seal under `chain`
    /// (in the field of `chain`'s mode) on the next.
    pub fn encode(&self, chain: &Chain) -> Vec<u8> {
        let mut bytes = serde_json::to_vec(self).expect("a summary serialises");
        let link = Some(chain::to_hex(&chain.link(&domain(), &bytes)));
        let seal = if chain.is_keyed() {
            Seal {
                mac: link,
                ..Seal::default()
            }
        } else {
            Seal {
                hash: link,
                ..Seal::default()
            }
        };
        bytes.push(b'\n');
        serde_json::to_writer(&mut bytes, &seal).expect("a seal serialises");
        bytes.push(b'\n');
        bytes
    }

    /// The summary `bytes` hold if their seal is `chain`'s, in `chain`'s mode.
    pub fn decode(bytes: &[u8], chain: &Chain) -> Option<Self> {
        let (json, seal) = bytes.split_at(memchr::memchr(b'\n', bytes)?);
        let seal: Seal = serde_json::from_slice(seal.trim_ascii()).ok()?;
        let (wanted, other) = if chain.is_keyed() {
            (seal.mac, seal.hash)
        } else {
            (seal.hash, seal.mac)
        };
        let wanted = chain::from_hex(&wanted?)?;
        if other.is_some() || wanted != chain.link(&domain(), json) {
            return None;
        }
        serde_json::from_slice(json).ok()
    }

    /// Whether its hours are in order, each inside the day with a span
    /// inside the file; whether its runs name tools and statuses it lists
    /// and have no more durations than runs (each value at least once); and
    /// whether each hour counts no more entries than its span has bytes (each
    /// is a line of its own there). A summary that claims more than its file
    /// can hold is not trusted: its counts stay bounded by the bytes on disk,
    /// whoever sealed it.
    fn well_formed(&self) -> bool {
        let most_bytes = match self.covers {
            Covers::Plain { bytes, .. } => bytes,
            Covers::Gzip { bytes, .. } => bytes.saturating_mul(MAX_INFLATION),
        };
        let runs_fit = |r: &Runs| {
            r.0 < self.names.len()
                && r.1 < self.statuses.len()
                && r.3
                    .iter()
                    .try_fold(0u64, |n, (_, times)| {
                        n.checked_add(*times).filter(|_| *times > 0)
                    })
                    .is_some_and(|durations| durations <= r.2)
        };
        let entries = |h: &Hour| h.runs.iter().try_fold(h.other, |n, r| n.checked_add(r.2));
        self.hours.windows(2).all(|w| w[0].hour < w[1].hour)
            && self.hours.iter().all(|h| {
                h.hour < 24
                    && h.start <= h.end
                    && h.end <= most_bytes
                    && h.runs.iter().all(runs_fit)
                    && entries(h).is_some_and(|n| n <= h.end - h.start)
            })
    }
}

/// What `user`'s `file` is now, for a summary to cover; `None` if it is gone,
/// or if it is a plain file with a `.gz` beside it (read together with it,
/// see [`day_files::parts`]): no summary covers such a pair, whose lines
/// are read instead until compression makes it one file.
///
/// # Errors
/// Storage errors.
pub fn covers<S: Storage>(
    storage: &S,
    user: &str,
    file: &DayFile,
) -> Result<Option<Covers>, StorageError> {
    let handle = match storage.open(&file.path(user), OpenFlags::READ) {
        Err(StorageError::NotFound) => return Ok(None),
        other => other?,
    };
    if !file.compressed {
        match storage.open(&file.gzipped().path(user), OpenFlags::READ) {
            Err(StorageError::NotFound) => {}
            Ok(_) => return Ok(None),
            Err(e) => return Err(e),
        }
    }
    let bytes = handle.size()?;
    let hex = |data: &[u8]| chain::to_hex(&digest::sha256(&[data]));
    if file.compressed {
        let all = handle.read_at(0, bytes)?;
        if all.len() as u64 != bytes {
            return Err(StorageError::Io("file shrank while being read".into()));
        }
        return Ok(Some(Covers::Gzip {
            bytes,
            sha256: hex(&all),
        }));
    }
    let edge = bytes.min(EDGE_BYTES);
    Ok(Some(Covers::Plain {
        bytes,
        head: hex(&handle.read_at(0, edge)?),
        tail: hex(&handle.read_at(bytes - edge, edge)?),
    }))
}

/// The summary of `user`'s `file` if there is one and it checks out: its
/// format, its seal under `chain`, the user and file it names, and what it
/// covers against the file as it is now. `None` otherwise, whatever the
/// reason: the caller reads the file instead.
pub fn load<S: Storage>(storage: &S, chain: &Chain, user: &str, file: &DayFile) -> Option<Summary> {
    let handle = storage.open(&path(user, file), OpenFlags::READ).ok()?;
    let size = handle.size().ok().filter(|&size| size <= MAX_BYTES)?;
    let summary = Summary::decode(&handle.read_at(0, size).ok()?, chain)?;
    let fits = summary.version == VERSION
        && summary.user == user
        && summary.file == file.name()
        && summary.well_formed();
    if !fits {
        return None;
    }
    let now = covers(storage, user, file).ok()??;
    (now == summary.covers).then_some(summary)
}
