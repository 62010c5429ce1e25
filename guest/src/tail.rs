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
pub struct ReverseLines<F: File> {
    file: F,
    start: u64,
    /// Bytes before this offset have not been read yet.
    pos: u64,
    /// Read but not yet returned.
    buf: Vec<u8>,
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
    pub fn next_line(&mut self) -> Result<Option<(u64, Vec<u8>)>, StorageError> {
        if self.done {
            return Ok(None);
        }
        if !self.started {
            self.started = true;
            self.read_chunk()?;
            if self.buf.last() == Some(&b'\n') {
                self.buf.pop();
            }
        }
        loop {
            if let Some(i) = self.buf.iter().rposition(|&b| b == b'\n') {
                let line = self.buf.split_off(i + 1);
                self.buf.truncate(i);
                return Ok(Some((self.pos + i as u64 + 1, line)));
            }
            if self.pos == self.start {
                self.done = true;
                return Ok(Some((self.start, std::mem::take(&mut self.buf))));
            }
            self.read_chunk()?;
        }
    }

    /// Prepends the chunk before `pos` to `buf`.
    fn read_chunk(&mut self) -> Result<(), StorageError> {
        let from = self.pos.saturating_sub(self.step).max(self.start);
        self.step = (self.step * 2).min(CHUNK);
        let mut chunk = self.file.read_at(from, self.pos - from)?;
        if chunk.len() as u64 != self.pos - from {
            return Err(StorageError::Io("file shrank while being read".into()));
        }
        chunk.extend_from_slice(&self.buf);
        self.buf = chunk;
        self.pos = from;
        Ok(())
    }
}

/// The lines of a file from its start, without their `\n`, read a chunk at a
/// time.
pub struct ForwardLines<F: File> {
    file: F,
    /// Bytes before this offset have been read.
    pos: u64,
    end: u64,
    buf: Vec<u8>,
}

impl<F: File> ForwardLines<F> {
    /// Lines of `file[0..end]`.
    pub fn new(file: F, end: u64) -> Self {
        Self {
            file,
            pos: 0,
            end,
            buf: Vec::new(),
        }
    }

    /// The next line, or `None` at the end. A final line without `\n` is
    /// returned too.
    ///
    /// # Errors
    /// Whatever reading the file returns.
    pub fn next_line(&mut self) -> Result<Option<Vec<u8>>, StorageError> {
        loop {
            if let Some(i) = self.buf.iter().position(|&b| b == b'\n') {
                let rest = self.buf.split_off(i + 1);
                let mut line = std::mem::replace(&mut self.buf, rest);
                line.pop();
                return Ok(Some(line));
            }
            if self.pos >= self.end {
                return Ok((!self.buf.is_empty()).then(|| std::mem::take(&mut self.buf)));
            }
            let chunk = self
                .file
                .read_at(self.pos, CHUNK.min(self.end - self.pos))?;
            if chunk.is_empty() {
                self.end = self.pos;
                continue;
            }
            self.pos += chunk.len() as u64;
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
            assert_eq!(
                &content[offset as usize..end],
                line.as_slice(),
                "offset of {line:?}"
            );
            out.push(String::from_utf8(line).unwrap());
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
            out.push(String::from_utf8(line).unwrap());
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
