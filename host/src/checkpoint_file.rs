//! The checkpoint file of `verify --checkpoint FILE` (and the Python
//! package's `verify(checkpoint=path)`): where each log's chain ended when
//! it last verified, `{"logs": {LOG: {"seq": N, "link": HEX}}}`, kept
//! outside the log directory so that entries cut from the end, or a log
//! deleted whole, are noticed.
//!
//! Read as every input file is ([`crate::input_file`]); written through a
//! new temporary file beside it, flushed and renamed into place, so that a
//! crash never leaves half a checkpoint and nothing planted at a fixed
//! temporary name (a symbolic link, a FIFO) is written through. Whether
//! each end's link is a link is the component's to judge, as it is for
//! ends passed in a call.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::LogEnd;
use crate::input_file::{self, InputError, Kinds, MAX_CHECKPOINT_BYTES};

/// Why a checkpoint file was not read or written.
#[derive(Debug)]
pub enum CheckpointError {
    /// It could not be read as an input file.
    Input(InputError),
    /// It was read but is not a checkpoint file.
    NotCheckpoint {
        /// The path as given.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// Writing it failed.
    Write {
        /// The path as given.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

impl CheckpointError {
    /// Whether the caller's file is at fault (refused input) rather than
    /// the system (a failed write).
    pub fn is_input(&self) -> bool {
        !matches!(self, Self::Write { .. })
    }
}

impl fmt::Display for CheckpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Input(e) => e.fmt(f),
            Self::NotCheckpoint { path, reason } => {
                write!(f, "{} is not a checkpoint file: {reason}", path.display())
            }
            Self::Write { path, source } => {
                write!(
                    f,
                    "cannot write the checkpoint {}: {source}",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for CheckpointError {}

/// The file's form.
#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    logs: BTreeMap<String, End>,
}

#[derive(Debug, Serialize, Deserialize)]
struct End {
    seq: u64,
    link: String,
}

/// The ends the checkpoint at `path` holds, in the order of their logs'
/// names; none when there is no such file yet.
///
/// # Errors
/// [`CheckpointError::Input`] when it cannot be read as an input file,
/// [`CheckpointError::NotCheckpoint`] when it is not of the form above.
pub fn read(path: &Path) -> Result<Vec<LogEnd>, CheckpointError> {
    let bytes = match input_file::read(path, Kinds::Regular, MAX_CHECKPOINT_BYTES) {
        Err(InputError::Open { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
            return Ok(Vec::new());
        }
        Err(e) => return Err(CheckpointError::Input(e)),
        Ok(bytes) => bytes,
    };
    let file: File =
        serde_json::from_slice(&bytes).map_err(|e| CheckpointError::NotCheckpoint {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    Ok(file
        .logs
        .into_iter()
        .map(|(log, end)| LogEnd {
            log,
            seq: end.seq,
            link: end.link,
        })
        .collect())
}

/// Writes `ends` over `kept` (the ends read before: those of logs this
/// verification did not cover stay) to `path`.
///
/// # Errors
/// [`CheckpointError::Write`].
pub fn write(path: &Path, kept: &[LogEnd], ends: &[LogEnd]) -> Result<(), CheckpointError> {
    let mut file = File::default();
    for end in kept.iter().chain(ends) {
        file.logs.insert(
            end.log.clone(),
            End {
                seq: end.seq,
                link: end.link.clone(),
            },
        );
    }
    let text = serde_json::to_string_pretty(&file).expect("a checkpoint always serialises");
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    tempfile::NamedTempFile::new_in(dir)
        .and_then(|mut tmp| {
            tmp.write_all(text.as_bytes())?;
            tmp.write_all(b"\n")?;
            tmp.as_file().sync_all()?;
            tmp.persist(path).map(|_| ()).map_err(|e| e.error)
        })
        .map_err(|source| CheckpointError::Write {
            path: path.to_path_buf(),
            source,
        })
}
