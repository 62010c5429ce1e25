//! The files of one user's tool log: a file per UTC day, `YYYY-MM-DD.jsonl`,
//! continued in numbered segments `YYYY-MM-DD.1.jsonl`, `YYYY-MM-DD.2.jsonl`,
//! … once a file passes the size bound, each possibly gzipped (`….gz`).
//!
//! Entries run in file order: by day, then by segment. Only the newest
//! segment of a day is ever written; a segment is never renamed while it is
//! current, so a reader or writer in another process never loses its place.
//! Compression writes `<name>.gz` beside the file (through a temporary and a
//! rename) before removing it. When both exist every reader reads them as
//! one segment (see [`parts`]), and compression writes that whole.

use std::io::Write;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::chain::{self, Chain, Link};
use crate::entry;
use crate::error::AuditError;
use crate::storage::{self, File, OpenFlags, Storage, StorageError};
use crate::stored_line;
use crate::tail::ReverseLines;
use crate::validate;

mod gzip;

use gzip::inflate;
pub use gzip::{Inflate, MAX_INFLATED_BYTES, inflate_bytes};

/// One file of a user's tool log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DayFile {
    /// The UTC day of its entries.
    pub day: NaiveDate,
    /// 0 for `YYYY-MM-DD.jsonl`, `n` for `YYYY-MM-DD.n.jsonl`.
    pub segment: u32,
    /// Whether it is gzipped.
    pub compressed: bool,
}

impl DayFile {
    /// The first file of `day`, not compressed.
    pub fn first(day: NaiveDate) -> Self {
        Self::plain(day, 0)
    }

    /// Segment `segment` of `day`, not compressed.
    pub fn plain(day: NaiveDate, segment: u32) -> Self {
        Self {
            day,
            segment,
            compressed: false,
        }
    }

    /// Its file name.
    pub fn name(&self) -> String {
        let mut name = String::with_capacity(24);
        self.push_name(&mut name);
        name
    }

    /// Its path in `user`'s log, relative to the log directory.
    pub fn path(&self, user: &str) -> String {
        let mut path = String::with_capacity(user.len() + TOOL_DIR.len() + 26);
        path.push_str(user);
        path.push('/');
        path.push_str(TOOL_DIR);
        path.push('/');
        self.push_name(&mut path);
        path
    }

    /// Writes its name at the end of `out`: digit by digit rather than with
    /// `format!` (or chrono's `%Y-%m-%d`, which parses its pattern each
    /// time), as every append names its file.
    fn push_name(&self, out: &mut String) {
        let (year, month, day) = (self.day.year(), self.day.month(), self.day.day());
        // `NaiveDate` years outside 0..=9999 have no name in this layout's
        // pattern; `parse` never yields one and the clock check refuses them.
        push_digits(out, u32::try_from(year).unwrap_or(0), 4);
        out.push('-');
        push_digits(out, month, 2);
        out.push('-');
        push_digits(out, day, 2);
        if self.segment > 0 {
            out.push('.');
            push_digits(out, self.segment, 1);
        }
        out.push_str(".jsonl");
        if self.compressed {
            out.push_str(".gz");
        }
    }

    /// The file a name stands for, if it is one of these.
    pub fn parse(name: &str) -> Option<Self> {
        let (name, compressed) = match name.strip_suffix(".gz") {
            Some(plain) => (plain, true),
            None => (name, false),
        };
        let stem = name.strip_suffix(".jsonl")?;
        let (day, segment) = match stem.split_once('.') {
            None => (stem, 0),
            Some((day, n)) => {
                let canonical =
                    !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit());
                (day, n.parse().ok().filter(|_| canonical)?)
            }
        };
        if day.len() != 10 {
            return None;
        }
        let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
        Some(Self {
            day,
            segment,
            compressed,
        })
    }

    /// The same segment, gzipped.
    pub fn gzipped(&self) -> Self {
        Self {
            compressed: true,
            ..*self
        }
    }

    /// The files that may hold this segment: itself and, for a plain file,
    /// the `.gz` beside it, which [`open`] reads with it.
    pub fn with_copy(&self) -> Vec<Self> {
        if self.compressed {
            vec![*self]
        } else {
            vec![*self, self.gzipped()]
        }
    }

    /// Whether `self` and `other` are the same segment, compressed or not.
    pub fn same_segment(&self, other: &Self) -> bool {
        (self.day, self.segment) == (other.day, other.segment)
    }
}

/// `user`'s files, oldest first; one per segment (the plain one when it has
/// a `.gz` beside it, which [`open`] reads with it). None for an unknown
/// user.
///
/// # Errors
/// Storage errors from listing the directory.
pub fn list<S: Storage>(storage: &S, user: &str) -> Result<Vec<DayFile>, AuditError> {
    Ok(one_per_segment(&every_file(storage, user)?))
}

/// Of `files` (as [`every_file`] lists them), one per segment: the plain
/// one when both are there.
pub fn one_per_segment(files: &[DayFile]) -> Vec<DayFile> {
    let mut files = files.to_vec();
    // Plain sorts before compressed within a segment: keep the first of each.
    files.dedup_by(|later, kept| later.same_segment(kept));
    files
}

/// Every file of `user`'s tool log, plain and compressed, sorted; none for
/// an unknown user.
///
/// # Errors
/// Storage errors from listing the directory.
pub fn every_file<S: Storage>(storage: &S, user: &str) -> Result<Vec<DayFile>, AuditError> {
    let names = match storage.list_dir(&user_dir(user)) {
        Err(StorageError::NotFound) => return Ok(Vec::new()),
        other => other?,
    };
    let mut files: Vec<DayFile> = names.iter().filter_map(|n| DayFile::parse(n)).collect();
    files.sort_unstable();
    Ok(files)
}

/// A file's contents for reading: the file itself, or a gzipped file
/// inflated into memory.
pub enum Contents<F> {
    /// A plain file, read in place.
    Disk(F),
    /// A gzipped file's inflated bytes.
    Inflated(Vec<u8>),
}

impl<F: File> File for Contents<F> {
    fn size(&self) -> Result<u64, StorageError> {
        match self {
            Self::Disk(file) => file.size(),
            Self::Inflated(bytes) => Ok(bytes.len() as u64),
        }
    }

    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, StorageError> {
        match self {
            Self::Disk(file) => file.read_at(offset, len),
            Self::Inflated(bytes) => {
                let start = usize::try_from(offset)
                    .unwrap_or(usize::MAX)
                    .min(bytes.len());
                let end = start.saturating_add(usize::try_from(len).unwrap_or(usize::MAX));
                Ok(bytes[start..end.min(bytes.len())].to_vec())
            }
        }
    }

    fn append(&self, data: &[u8]) -> Result<(), StorageError> {
        match self {
            Self::Disk(file) => file.append(data),
            Self::Inflated(_) => Err(read_only()),
        }
    }

    fn write_at(&self, offset: u64, data: &[u8]) -> Result<(), StorageError> {
        match self {
            Self::Disk(file) => file.write_at(offset, data),
            Self::Inflated(_) => Err(read_only()),
        }
    }

    fn set_size(&self, len: u64) -> Result<(), StorageError> {
        match self {
            Self::Disk(file) => file.set_size(len),
            Self::Inflated(_) => Err(read_only()),
        }
    }

    fn sync_data(&self) -> Result<(), StorageError> {
        match self {
            Self::Disk(file) => file.sync_data(),
            Self::Inflated(_) => Ok(()),
        }
    }
}

fn read_only() -> StorageError {
    StorageError::Io("a compressed log file is read-only".into())
}

/// Opens `file` of `user` for reading, inflating it if it is gzipped. A
/// plain file compressed since it was listed is read from its `.gz` (the
/// same entries); `None` if it is gone (deleted since it was listed). A
/// plain file with a `.gz` beside it is read together with it, as
/// [`parts`] joins them.
///
/// # Errors
/// [`AuditError::Corrupt`] for a gzipped file that does not inflate (every
/// member, and nothing after them);
/// storage errors.
pub fn open<S: Storage>(
    storage: &S,
    user: &str,
    file: &DayFile,
) -> Result<Option<Contents<S::File>>, AuditError> {
    let Some(mut parts) = parts(storage, user, file)? else {
        return Ok(None);
    };
    let (_, last) = parts.pop().expect("a segment has a part");
    let Some((_, Contents::Inflated(mut joined))) = parts.pop() else {
        return Ok(Some(last));
    };
    if joined.last().is_some_and(|&b| b != b'\n') {
        joined.push(b'\n');
    }
    joined.extend_from_slice(&read_all(&last)?);
    Ok(Some(Contents::Inflated(joined)))
}

/// One file a segment is read from, and what it holds (see [`parts`]).
pub type Part<F> = (DayFile, Contents<F>);

/// The files `file`'s segment is read from, in order, each with what it
/// holds; `None` if it is gone. One file, unless both a plain file and the
/// `.gz` beside it are there; then, so that no entry in either is lost or
/// hidden:
/// - a compression interrupted after its rename leaves the same bytes in
///   both (or, compressing such a pair, the `.gz` ending with the plain
///   file's), and a writer may have appended to the plain file since: when
///   one holds the other's bytes and more, the longer one;
/// - a writer that does not know of compression (the seed's, during a
///   migration) starts a new plain file after the segment was compressed:
///   otherwise the `.gz`, then the plain file.
///
/// # Errors
/// As [`open`].
pub fn parts<S: Storage>(
    storage: &S,
    user: &str,
    file: &DayFile,
) -> Result<Option<Vec<Part<S::File>>>, AuditError> {
    let path = file.path(user);
    let handle = match storage.open(&path, OpenFlags::READ) {
        Err(StorageError::NotFound) if file.compressed => return Ok(None),
        Err(StorageError::NotFound) => return parts(storage, user, &file.gzipped()),
        other => other?,
    };
    if file.compressed {
        let inflated = Contents::Inflated(inflate(&handle, &path)?);
        return Ok(Some(vec![(*file, inflated)]));
    }
    let copy = file.gzipped();
    let copy_path = copy.path(user);
    let copied = match storage.open(&copy_path, OpenFlags::READ) {
        Err(StorageError::NotFound) => return Ok(Some(vec![(*file, Contents::Disk(handle))])),
        other => inflate(&other?, &copy_path)?,
    };
    let plain = read_all(&handle)?;
    Ok(Some(match Pair::of(&copied, &plain) {
        Pair::Plain => vec![(*file, Contents::Inflated(plain))],
        Pair::Copy => vec![(copy, Contents::Inflated(copied))],
        Pair::Both => vec![
            (copy, Contents::Inflated(copied)),
            (*file, Contents::Inflated(plain)),
        ],
    }))
}

/// Which of a segment's `.gz` and plain file are read (see [`parts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pair {
    /// The plain file: it holds the copy's bytes and maybe more.
    Plain,
    /// The copy: it holds the plain file's bytes and more.
    Copy,
    /// The copy, then the plain file.
    Both,
}

impl Pair {
    /// Which of `copy` (inflated) and `plain` are read: the one that holds
    /// the other's bytes, at its start (an interrupted compression, then
    /// appends) or at its end (a compression of the pair that stopped
    /// before it removed the plain file); else both.
    pub fn of(copy: &[u8], plain: &[u8]) -> Self {
        if plain.starts_with(copy) {
            Self::Plain
        } else if copy.starts_with(plain) || copy.ends_with(plain) {
            Self::Copy
        } else {
            Self::Both
        }
    }
}

/// All of `file`'s entries' bytes (inflated if it is gzipped); `None` if it
/// is gone.
///
/// # Errors
/// As [`open`].
pub fn read_whole<S: Storage>(
    storage: &S,
    user: &str,
    file: &DayFile,
) -> Result<Option<Vec<u8>>, AuditError> {
    match open(storage, user, file)? {
        None => Ok(None),
        Some(Contents::Inflated(bytes)) => Ok(Some(bytes)),
        Some(Contents::Disk(handle)) => read_all(&handle).map(Some),
    }
}

/// All of `file`'s bytes.
fn read_all<F: File>(file: &F) -> Result<Vec<u8>, AuditError> {
    let size = file.size()?;
    let bytes = file.read_at(0, size)?;
    if bytes.len() as u64 != size {
        return Err(StorageError::Io("file shrank while being read".into()).into());
    }
    Ok(bytes)
}

/// Gzips plain `file` of `user` into `<name>.gz` (written to a temporary,
/// flushed, then renamed into place) and removes the plain file. A `.gz`
/// already beside it is replaced by what both hold, as [`open`] reads them,
/// so nothing in either is lost. Returns the size of what was compressed.
/// On failure nothing changes but a leftover temporary, which the next
/// compression overwrites.
///
/// # Errors
/// [`AuditError::Corrupt`] for a `.gz` beside it that does not inflate;
/// storage errors.
pub fn compress<S: Storage>(storage: &S, user: &str, file: &DayFile) -> Result<u64, AuditError> {
    let path = file.path(user);
    let Some(plain) = read_whole(storage, user, file)? else {
        return Ok(0);
    };
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(&plain)
        .map_err(|e| StorageError::Io(format!("gzip: {e}")))?;
    let packed = encoder
        .finish()
        .map_err(|e| StorageError::Io(format!("gzip: {e}")))?;
    let gz = file.gzipped().path(user);
    storage::replace_file(storage, &gz, &format!("{gz}.tmp"), &packed, true)?;
    storage.remove_file(&path)?;
    Ok(plain.len() as u64)
}

/// `n` in decimal, zero-padded to at least `width` digits.
fn push_digits(out: &mut String, n: u32, width: usize) {
    let mut digits = [0u8; 10];
    let mut len = 0;
    let mut rest = n;
    while len < width || rest > 0 {
        digits[len] = b'0' + (rest % 10) as u8;
        rest /= 10;
        len += 1;
    }
    out.extend(digits[..len].iter().rev().map(|&d| char::from(d)));
}

/// The directory under a user's directory that holds their day files.
pub const TOOL_DIR: &str = "tool_audit";

/// The directory holding `user`'s day files.
pub fn user_dir(user: &str) -> String {
    format!("{user}/{TOOL_DIR}")
}

/// `user`'s lock file, `USER/tool_audit/.lock`: writers of their tool log
/// hold it (see [`crate::storage::Storage::lock`]), and it is the journal
/// of the files they start (see [`crate::open_files::Journal`]).
pub fn lock_path(user: &str) -> String {
    format!("{user}/{TOOL_DIR}/.lock")
}

/// The first file of `user` for `day`, `USER/tool_audit/YYYY-MM-DD.jsonl`
/// (see [`crate::day_files`] for its segments).
#[cfg(test)]
pub fn day_path(user: &str, day: NaiveDate) -> String {
    DayFile::first(day).path(user)
}

/// Users with a tool log: directories in the root whose name is a safe user
/// directory name ([`validate::existing_user`]).
///
/// # Errors
/// [`AuditError::Storage`] when the root cannot be listed.
pub fn users<S: Storage>(storage: &S) -> Result<Vec<String>, AuditError> {
    let mut users: Vec<String> = match storage.list_dir("") {
        Err(StorageError::NotFound) => return Ok(Vec::new()),
        other => other?,
    }
    .into_iter()
    .filter(|name| validate::existing_user(name).is_ok())
    .filter(|name| storage.list_dir(&user_dir(name)).is_ok())
    .collect();
    users.sort_unstable();
    Ok(users)
}

/// A chain's last `seq` and link, and its entry's time if it has one.
pub type Last = ((u64, Link), Option<DateTime<Utc>>);

/// The `seq` and link of the last sealed line of `file[..size]`, which
/// `chain` may follow.
pub fn last_seal_in<F: File>(
    file: &F,
    size: u64,
    chain: &Chain,
) -> Result<(u64, Link), AuditError> {
    Ok(last_entry_in(file, size, chain)?.0)
}

/// The `seq`, link and time of the last sealed line of `file[..size]`,
/// which `chain` may follow.
pub fn last_entry_in<F: File>(file: &F, size: u64, chain: &Chain) -> Result<Last, AuditError> {
    let mut lines = ReverseLines::new(file, 0, size);
    while let Some((_, line)) = lines.next_line()? {
        if let Some(seal) = entry::seal_of(line) {
            chain.may_follow(chain::is_keyed_seal(line))?;
            chain::continues_from(seal.0)?;
            let time = std::str::from_utf8(line)
                .ok()
                .and_then(stored_line::read)
                .and_then(|row| row.ts.as_deref().and_then(crate::clock::parse_instant));
            return Ok((seal, time));
        }
    }
    Ok(((0, chain::GENESIS), None))
}

/// The last `n` sealed lines of `file[..size]`, newest first (fewer when
/// the file holds fewer).
///
/// # Errors
/// Whatever reading the file returns.
pub fn last_sealed_lines_in<F: File>(
    file: &F,
    size: u64,
    n: usize,
) -> Result<Vec<Vec<u8>>, AuditError> {
    let mut lines = ReverseLines::new(file, 0, size);
    let mut sealed = Vec::new();
    while sealed.len() < n
        && let Some((_, line)) = lines.next_line()?
    {
        if entry::seal_of(line).is_some() {
            sealed.push(line.to_vec());
        }
    }
    Ok(sealed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::fs::FsStorage;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 10, d).unwrap()
    }

    #[test]
    fn names_round_trip_and_strangers_are_ignored() {
        for file in [
            DayFile::first(day(3)),
            DayFile::plain(day(3), 12),
            DayFile {
                day: day(4),
                segment: 2,
                compressed: true,
            },
        ] {
            assert_eq!(DayFile::parse(&file.name()), Some(file), "{}", file.name());
        }
        assert_eq!(DayFile::plain(day(3), 12).name(), "2025-10-03.12.jsonl");
        for stranger in [
            "2025-10-03.jsonl.tmp",
            "2025-10-03.01.jsonl",
            "2025-10-03..jsonl",
            "2025-10-3.jsonl",
            "2025-10-03.jsonl.damaged.1",
            ".damaged.2025-10-03.1",
            ".lock",
            ".retention",
        ] {
            assert_eq!(DayFile::parse(stranger), None, "{stranger}");
        }
    }

    #[test]
    fn listing_orders_by_day_then_segment_and_prefers_plain() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("amy/tool_audit");
        std::fs::create_dir_all(&logs).unwrap();
        for name in [
            "2025-10-04.jsonl",
            "2025-10-03.2.jsonl",
            "2025-10-03.jsonl.gz",
            "2025-10-03.1.jsonl",
            "2025-10-03.1.jsonl.gz",
            "2025-10-03.jsonl.gz.tmp",
            ".lock",
        ] {
            std::fs::write(logs.join(name), "").unwrap();
        }
        let names: Vec<String> = list(&FsStorage::new(dir.path()), "amy")
            .unwrap()
            .iter()
            .map(DayFile::name)
            .collect();
        assert_eq!(
            names,
            [
                "2025-10-03.jsonl.gz",
                "2025-10-03.1.jsonl",
                "2025-10-03.2.jsonl",
                "2025-10-04.jsonl"
            ]
        );
    }

    #[test]
    fn a_damaged_member_loses_only_what_it_held() {
        let member = |text: &str| {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(text.as_bytes()).unwrap();
            encoder.finish().unwrap()
        };
        let (one, two, three) = (member("a\nb\n"), member("c\n"), member("d\ne\n"));
        let mut packed = [one.as_slice(), &two, &three].concat();
        assert_eq!(inflate_bytes(&packed).unwrap(), b"a\nb\nc\nd\ne\n");
        // The middle member's CRC, in its trailer.
        let crc = one.len() + two.len() - 8;
        packed[crc] ^= 0xff;
        let Err(Inflate::Damaged { salvaged, .. }) = inflate_bytes(&packed) else {
            panic!("damaged")
        };
        let lines: Vec<&[u8]> = salvaged.split(|&b| b == b'\n').collect();
        assert!(
            lines.contains(&b"d".as_slice()) && lines.contains(&b"e".as_slice()),
            "{salvaged:?}"
        );
        assert!(salvaged.starts_with(b"a\nb\n"), "{salvaged:?}");
        // Cut short: what inflated before the cut.
        let Err(Inflate::Damaged { salvaged: cut, .. }) = inflate_bytes(&one[..one.len() - 4])
        else {
            panic!("cut")
        };
        assert!(cut.starts_with(b"a\nb"), "{cut:?}");
    }

    #[test]
    fn a_pair_is_read_so_that_no_entry_is_lost_or_read_twice() {
        let (a, b) = (b"{\"a\":1}\n".as_slice(), b"{\"b\":2}\n".as_slice());
        let ab = [a, b].concat();
        // An interrupted compression, then an append to the plain file.
        assert_eq!(Pair::of(a, a), Pair::Plain);
        assert_eq!(Pair::of(a, &ab), Pair::Plain);
        // The copy holds more than the plain file, at its start or, when a
        // compression of a pair stopped before removing the plain file, at
        // its end.
        assert_eq!(Pair::of(&ab, a), Pair::Copy);
        assert_eq!(Pair::of(&ab, b), Pair::Copy);
        // The seed's writer started the plain file again.
        assert_eq!(Pair::of(a, b), Pair::Both);
    }

    #[test]
    fn compression_replaces_the_file_and_reads_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("amy/tool_audit");
        std::fs::create_dir_all(&logs).unwrap();
        let content = "{\"a\":1}\n".repeat(500);
        std::fs::write(logs.join("2025-10-03.1.jsonl"), &content).unwrap();
        let storage = FsStorage::new(dir.path());
        let file = DayFile::plain(day(3), 1);
        assert_eq!(
            compress(&storage, "amy", &file).unwrap(),
            content.len() as u64
        );
        let listed = list(&storage, "amy").unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].compressed);
        assert!(!logs.join("2025-10-03.1.jsonl").exists());
        assert!(
            std::fs::metadata(logs.join("2025-10-03.1.jsonl.gz"))
                .unwrap()
                .len()
                < 200
        );
        let contents = open(&storage, "amy", &listed[0]).unwrap().unwrap();
        let size = contents.size().unwrap();
        assert_eq!(contents.read_at(0, size).unwrap(), content.as_bytes());
    }
}
