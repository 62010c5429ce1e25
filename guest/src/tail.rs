//! Reading a file's lines a chunk at a time: backwards from the end, so the
//! newest entries cost the same however large the file is, and forwards, so a
//! whole file can be checked without holding it in memory.
//!
//! Neither holds a line longer than [`MAX_LINE_BYTES`]: such a line, which
//! can be no entry, is passed over a chunk at a time and returned as
//! [`OVERLONG_LINE`], so that one huge line of garbage is named as damage
//! rather than exhausting the component's memory.

use crate::storage::{File, StorageError};

/// The longest line the readers return as it is: 4 MiB, four times the
/// largest entry a writer stores (`max_entry_bytes` is at most 1 MiB), and
/// past any entry the seed scripts wrote. Reading back over a line holds
/// up to three times its length, so this keeps a read within a few tens of
/// MiB of the component's memory whatever the file holds.
pub const MAX_LINE_BYTES: usize = 4 << 20;

/// What the readers return for a line longer than [`MAX_LINE_BYTES`]: no
/// JSON (it starts with NUL), so every caller reads it as a damaged line.
/// Its offset is the line's own; its length is not.
pub const OVERLONG_LINE: &[u8] = b"\0(a line of more than 4 MiB)";

/// Bytes read by the first step back; each further step reads twice as many,
/// up to [`CHUNK`], so reading one line costs little and reading many costs
/// few calls.
const FIRST_CHUNK: u64 = 4 * 1024;
/// Most bytes read per step when walking backwards.
const CHUNK: u64 = 64 * 1024;

/// `line`, or [`OVERLONG_LINE`] if it is longer than [`MAX_LINE_BYTES`]
/// (whichever way it was read, the same line gives the same answer).
fn within_cap(line: &[u8]) -> &[u8] {
    if line.len() > MAX_LINE_BYTES {
        OVERLONG_LINE
    } else {
        line
    }
}

/// The lines of `file[start..end]`, last line first, without their `\n`.
///
/// Lines are lent out of one buffer, so walking a file allocates per chunk,
/// not per line.
pub struct ReverseLines<F: File> {
    file: F,
    start: u64,
    /// Bytes before this offset have not been read yet.
    pos: u64,
    /// Read from `pos` on; `buf[..unread]` is not yet returned.
    buf: Vec<u8>,
    unread: usize,
    /// Whether the first chunk has been read (and its final `\n` dropped).
    started: bool,
    /// Whether the first line of the range has been returned.
    done: bool,
    /// Bytes the next step reads.
    step: u64,
}

impl<F: File> ReverseLines<F> {
    /// Lines of `file[start..end]`, newest first.
    pub fn new(file: F, start: u64, end: u64) -> Self {
        Self {
            file,
            start,
            pos: end.max(start),
            buf: Vec::new(),
            unread: 0,
            started: false,
            done: end <= start,
            step: FIRST_CHUNK,
        }
    }

    /// The next line towards the start of the range and the offset where it
    /// starts, or `None` past the range's start. A `\n` that ends the range
    /// terminates the last line; it does not start an empty one.
    ///
    /// # Errors
    /// Whatever reading the file returns.
    pub fn next_line(&mut self) -> Result<Option<(u64, &[u8])>, StorageError> {
        if self.done {
            return Ok(None);
        }
        if !self.started {
            self.started = true;
            self.read_chunk()?;
            if self.buf[..self.unread].last() == Some(&b'\n') {
                self.unread -= 1;
            }
        }
        loop {
            if let Some(i) = memchr::memrchr(b'\n', &self.buf[..self.unread]) {
                let end = self.unread;
                self.unread = i;
                return Ok(Some((
                    self.pos + i as u64 + 1,
                    within_cap(&self.buf[i + 1..end]),
                )));
            }
            if self.unread > MAX_LINE_BYTES {
                let start = self.pass_over_line()?;
                return Ok(Some((start, OVERLONG_LINE)));
            }
            if self.pos == self.start {
                self.done = true;
                return Ok(Some((self.start, within_cap(&self.buf[..self.unread]))));
            }
            self.read_chunk()?;
        }
    }

    /// Drops the unread bytes, the end of an overlong line, and reads back
    /// to where that line starts, a chunk at a time and holding none but
    /// the last; returns that offset, the unread bytes being those before it.
    fn pass_over_line(&mut self) -> Result<u64, StorageError> {
        self.buf.clear();
        self.unread = 0;
        while self.pos > self.start {
            let from = self.pos.saturating_sub(CHUNK).max(self.start);
            let chunk = self.file.read_at(from, self.pos - from)?;
            if chunk.len() as u64 != self.pos - from {
                return Err(StorageError::Io("file shrank while being read".into()));
            }
            self.pos = from;
            if let Some(i) = memchr::memrchr(b'\n', &chunk) {
                self.buf = chunk;
                self.unread = i;
                return Ok(from + i as u64 + 1);
            }
        }
        self.done = true;
        Ok(self.start)
    }

    /// Puts the chunk before `pos` in front of the unread bytes. A step
    /// reads at least as many bytes as are unread, so that a long line is
    /// copied a few times, not once per chunk.
    fn read_chunk(&mut self) -> Result<(), StorageError> {
        let from = self.pos.saturating_sub(self.step).max(self.start);
        self.step = (self.step * 2).min(CHUNK.max(self.unread as u64));
        let mut chunk = self.file.read_at(from, self.pos - from)?;
        if chunk.len() as u64 != self.pos - from {
            return Err(StorageError::Io("file shrank while being read".into()));
        }
        chunk.extend_from_slice(&self.buf[..self.unread]);
        self.unread = chunk.len();
        self.buf = chunk;
        self.pos = from;
        Ok(())
    }
}

/// The lines of a file from its start, without their `\n`, read a chunk at a
/// time and lent out of one buffer.
pub struct ForwardLines<F: File> {
    file: F,
    /// Bytes before this offset have been read.
    pos: u64,
    end: u64,
    buf: Vec<u8>,
    /// The offset in the file of `buf[0]`.
    base: u64,
    /// `buf[..returned]` has been returned.
    returned: usize,
}

impl<F: File> ForwardLines<F> {
    /// Lines of `file[0..end]`.
    pub fn new(file: F, end: u64) -> Self {
        Self {
            file,
            pos: 0,
            end,
            buf: Vec::new(),
            base: 0,
            returned: 0,
        }
    }

    /// The next line and the offset where it starts, or `None` at the end.
    /// A final line without `\n` is returned too.
    ///
    /// # Errors
    /// Whatever reading the file returns.
    pub fn next_line(&mut self) -> Result<Option<(u64, &[u8])>, StorageError> {
        loop {
            let from = self.returned;
            let at = self.base + from as u64;
            if let Some(i) = memchr::memchr(b'\n', &self.buf[from..]) {
                self.returned = from + i + 1;
                return Ok(Some((at, within_cap(&self.buf[from..from + i]))));
            }
            if self.buf.len() - from > MAX_LINE_BYTES {
                self.pass_over_line()?;
                return Ok(Some((at, OVERLONG_LINE)));
            }
            if self.pos >= self.end {
                self.returned = self.buf.len();
                return Ok((from < self.buf.len()).then(|| (at, within_cap(&self.buf[from..]))));
            }
            let chunk = self
                .file
                .read_at(self.pos, CHUNK.min(self.end - self.pos))?;
            if chunk.is_empty() {
                self.end = self.pos;
                continue;
            }
            self.pos += chunk.len() as u64;
            self.buf.drain(..from);
            self.base += from as u64;
            self.returned = 0;
            self.buf.extend_from_slice(&chunk);
        }
    }

    /// Drops the buffered start of an overlong line and reads on to its
    /// `\n`, a chunk at a time and holding none but the last; the bytes
    /// after that `\n` are buffered for the next line.
    fn pass_over_line(&mut self) -> Result<(), StorageError> {
        self.buf.clear();
        self.returned = 0;
        self.base = self.pos;
        while self.pos < self.end {
            let chunk = self
                .file
                .read_at(self.pos, CHUNK.min(self.end - self.pos))?;
            if chunk.is_empty() {
                self.end = self.pos;
                break;
            }
            self.pos += chunk.len() as u64;
            if let Some(i) = memchr::memchr(b'\n', &chunk) {
                self.buf = chunk;
                self.returned = i + 1;
                break;
            }
            self.base = self.pos;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::fs::FsStorage;
    use crate::storage::{OpenFlags, Storage};

    fn lines_of(content: &[u8], start: u64, end: u64) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), content).unwrap();
        let storage = FsStorage::new(dir.path());
        let file = storage.open("f", OpenFlags::READ).unwrap();
        let mut lines = ReverseLines::new(file, start, end);
        let mut out = Vec::new();
        while let Some((offset, line)) = lines.next_line().unwrap() {
            let end = offset as usize + line.len();
            assert_eq!(&content[offset as usize..end], line, "offset of {line:?}");
            out.push(String::from_utf8(line.to_vec()).unwrap());
        }
        out
    }

    #[test]
    fn newest_first() {
        assert_eq!(lines_of(b"a\nbb\nccc\n", 0, 9), ["ccc", "bb", "a"]);
        assert_eq!(lines_of(b"a\nbb\nccc", 0, 8), ["ccc", "bb", "a"]);
        assert_eq!(lines_of(b"a\n\nb\n", 0, 5), ["b", "", "a"]);
        assert_eq!(lines_of(b"\n", 0, 1), [""]);
        assert!(lines_of(b"", 0, 0).is_empty());
    }

    #[test]
    fn forwards_in_order_across_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let long = "y".repeat(CHUNK as usize + 5);
        let content = format!("a\n{long}\n\nlast");
        std::fs::write(dir.path().join("f"), &content).unwrap();
        let file = FsStorage::new(dir.path())
            .open("f", OpenFlags::READ)
            .unwrap();
        let mut lines = ForwardLines::new(file, content.len() as u64);
        let mut out = Vec::new();
        while let Some((at, line)) = lines.next_line().unwrap() {
            let at = at as usize;
            assert_eq!(&content.as_bytes()[at..at + line.len()], line);
            out.push(String::from_utf8(line.to_vec()).unwrap());
        }
        assert_eq!(out, ["a", long.as_str(), "", "last"]);
    }

    /// One huge line of garbage is passed over, not held: both readers
    /// return it as [`OVERLONG_LINE`] at its own offset, and the lines
    /// around it as they are; a line of exactly the cap is returned whole.
    #[test]
    fn a_line_past_the_cap_is_returned_as_overlong_at_its_offset() {
        let dir = tempfile::tempdir().unwrap();
        let huge = "x".repeat(MAX_LINE_BYTES + 3 * CHUNK as usize + 5);
        let at_cap = "y".repeat(MAX_LINE_BYTES);
        for content in [
            format!("a\n{huge}\nb\n{at_cap}\n{huge}"),
            format!("{huge}\n\nb\n"),
        ] {
            std::fs::write(dir.path().join("f"), &content).unwrap();
            let storage = FsStorage::new(dir.path());
            let open = || storage.open("f", OpenFlags::READ).unwrap();
            let expected: Vec<(usize, &[u8])> = {
                let mut at = 0;
                content
                    .split('\n')
                    .map(|line| {
                        let start = at;
                        at += line.len() + 1;
                        let shown = if line.len() > MAX_LINE_BYTES {
                            OVERLONG_LINE
                        } else {
                            line.as_bytes()
                        };
                        (start, shown)
                    })
                    .filter(|&(start, _)| start < content.len())
                    .collect()
            };
            let mut forward = ForwardLines::new(open(), content.len() as u64);
            let mut read = Vec::new();
            while let Some((at, line)) = forward.next_line().unwrap() {
                read.push((at as usize, line.to_vec()));
            }
            let want: Vec<(usize, Vec<u8>)> =
                expected.iter().map(|&(at, l)| (at, l.to_vec())).collect();
            assert_eq!(read, want);
            let mut backward = ReverseLines::new(open(), 0, content.len() as u64);
            let mut read = Vec::new();
            while let Some((at, line)) = backward.next_line().unwrap() {
                read.push((at as usize, line.to_vec()));
            }
            read.reverse();
            assert_eq!(read, want);
        }
    }

    #[test]
    fn respects_the_range() {
        assert_eq!(lines_of(b"[\na\nb\n]\n", 2, 6), ["b", "a"]);
    }

    #[test]
    fn lines_longer_than_a_chunk() {
        let long = "x".repeat(CHUNK as usize * 2 + 7);
        let content = format!("first\n{long}\nlast\n");
        let len = content.len() as u64;
        assert_eq!(
            lines_of(content.as_bytes(), 0, len),
            ["last", &long, "first"]
        );
    }
}
