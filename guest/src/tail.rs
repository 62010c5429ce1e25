//! Reading a file's lines a chunk at a time: backwards from the end, so the
//! newest entries cost the same however large the file is, and forwards, so a
//! whole file can be checked without holding it in memory.

use crate::storage::{File, StorageError};

/// Bytes read by the first step back; each further step reads twice as many,
/// up to [`CHUNK`], so reading one line costs little and reading many costs
/// few calls.
const FIRST_CHUNK: u64 = 4 * 1024;
/// Most bytes read per step when walking backwards.
const CHUNK: u64 = 64 * 1024;

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
                return Ok(Some((self.pos + i as u64 + 1, &self.buf[i + 1..end])));
            }
            if self.pos == self.start {
                self.done = true;
                return Ok(Some((self.start, &self.buf[..self.unread])));
            }
            self.read_chunk()?;
        }
    }

    /// Puts the chunk before `pos` in front of the unread bytes.
    fn read_chunk(&mut self) -> Result<(), StorageError> {
        let from = self.pos.saturating_sub(self.step).max(self.start);
        self.step = (self.step * 2).min(CHUNK);
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
            returned: 0,
        }
    }

    /// The next line, or `None` at the end. A final line without `\n` is
    /// returned too.
    ///
    /// # Errors
    /// Whatever reading the file returns.
    pub fn next_line(&mut self) -> Result<Option<&[u8]>, StorageError> {
        loop {
            let from = self.returned;
            if let Some(i) = memchr::memchr(b'\n', &self.buf[from..]) {
                self.returned = from + i + 1;
                return Ok(Some(&self.buf[from..from + i]));
            }
            if self.pos >= self.end {
                self.returned = self.buf.len();
                return Ok((from < self.buf.len()).then(|| &self.buf[from..]));
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
            self.returned = 0;
            self.buf.extend_from_slice(&chunk);
        }
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
        while let Some(line) = lines.next_line().unwrap() {
            out.push(String::from_utf8(line.to_vec()).unwrap());
        }
        assert_eq!(out, ["a", long.as_str(), "", "last"]);
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
