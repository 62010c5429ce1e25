//! The skill log as a reader sees it: the open view of its bytes, and what
//! an inspection found.

use super::*;

/// The skill log opened for reading, and where its live entries are.
pub struct Opened<F> {
    /// The log's bytes in the one-entry-per-line layout.
    pub file: LogView<F>,
    /// Offset of the first live entry's line.
    pub head: u64,
    /// The length of the bytes.
    pub size: u64,
    /// The rewrite generation (entries' offsets change when it does).
    pub generation: u64,
}

/// The skill log's bytes as a reader sees them, in the one-entry-per-line
/// layout. A reader never rewrites the file: a file in another layout (the
/// seed's pretty-printed array) is laid out in memory, the way the next
/// append will lay it out on disk, so offsets and cursors stay the same.
pub enum LogView<F> {
    /// The file itself, already in the layout.
    File(F),
    /// The file's entries, laid out one a line in memory.
    LaidOut {
        /// The laid-out bytes.
        bytes: Vec<u8>,
        /// The line of the file where each entry starts, in order.
        file_lines: Vec<u64>,
    },
}

impl<F> LogView<F> {
    /// For a laid-out view, the line of the file where each entry starts
    /// (see [`file_line`]); empty for the file itself.
    pub fn file_lines(&self) -> &[u64] {
        match self {
            Self::File(_) => &[],
            Self::LaidOut { file_lines, .. } => file_lines,
        }
    }
}

/// The line of the file that line `line` of a view shows, given the view's
/// [`LogView::file_lines`]: the same line, or for a laid-out view the one
/// where its entry starts (the view's line 1 is the array's `[`, each entry
/// a line after it).
pub fn file_line(file_lines: &[u64], line: u64) -> u64 {
    line.checked_sub(2)
        .and_then(|i| file_lines.get(usize::try_from(i).ok()?))
        .copied()
        .unwrap_or(line)
}

impl<F: File> File for LogView<F> {
    fn size(&self) -> Result<u64, StorageError> {
        match self {
            Self::File(file) => file.size(),
            Self::LaidOut { bytes, .. } => Ok(bytes.len() as u64),
        }
    }

    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, StorageError> {
        match self {
            Self::File(file) => file.read_at(offset, len),
            Self::LaidOut { bytes, .. } => {
                let start = usize::try_from(offset)
                    .unwrap_or(usize::MAX)
                    .min(bytes.len());
                let end = start.saturating_add(usize::try_from(len).unwrap_or(usize::MAX));
                Ok(bytes[start..end.min(bytes.len())].to_vec())
            }
        }
    }

    fn append(&self, _: &[u8]) -> Result<(), StorageError> {
        Err(read_only_view())
    }

    fn write_at(&self, _: u64, _: &[u8]) -> Result<(), StorageError> {
        Err(read_only_view())
    }

    fn set_size(&self, _: u64) -> Result<(), StorageError> {
        Err(read_only_view())
    }

    fn sync_data(&self) -> Result<(), StorageError> {
        Ok(())
    }
}

/// The skill log's lock, held while reading if any writer ever made one,
/// and the log if there is one.
pub type Reading<S> = (
    Option<<S as Storage>::Lock>,
    Option<Opened<<S as Storage>::File>>,
);

/// The skill log's lock (see [`Reading`]) and what [`inspect`] found.
pub type Inspection<S> = (Option<<S as Storage>::Lock>, Found<<S as Storage>::File>);

/// What mends a damaged log, for the messages that report one.
pub const MENDED_BY: &str =
    "the next append, or `auditlog repair`, keeps its intact entries and moves the rest aside";

/// What [`inspect`] found.
pub enum Found<F> {
    /// No log yet.
    Nothing,
    /// A log in the documented format.
    Whole(Opened<F>),
    /// A damaged log, and what is wrong with it, as a sentence fragment
    /// ("holds a line that is not an entry").
    Damaged(String),
}
