//! `verify(checkpoint=...)`: where each log's chain ended last time, either
//! as a list of `{"log", "seq", "link"}` (an earlier report's `ends`) or as
//! the CLI's checkpoint file (`auditlog verify --checkpoint FILE`: read,
//! then rewritten with the new ends when verification passes).

use std::path::{Path, PathBuf};

use auditlog::LogEnd;
use auditlog::checkpoint_file;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

use crate::errors::invalid;
use crate::values::{between, text};

const FIELD: &str = "checkpoint";

/// What the caller passed as `checkpoint`.
pub enum Checkpoint {
    /// Ends given in the call.
    Ends(Vec<LogEnd>),
    /// The CLI's checkpoint file, with the ends it holds.
    File(PathBuf, Vec<LogEnd>),
}

impl Checkpoint {
    /// The ends to verify against.
    pub fn ends(&self) -> &[LogEnd] {
        match self {
            Self::Ends(ends) | Self::File(_, ends) => ends,
        }
    }
}

/// `checkpoint` as passed: `None`, a list of ends, or a path (`str` or
/// `os.PathLike`) to a checkpoint file outside the log directory `log_dir`.
pub fn parse(
    py: Python<'_>,
    log_dir: &Path,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Checkpoint> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(Checkpoint::Ends(Vec::new()));
    };
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let ends = value
            .try_iter()?
            .map(|end| end.and_then(|end| log_end(py, &end)))
            .collect::<PyResult<_>>()?;
        return Ok(Checkpoint::Ends(ends));
    }
    let Ok(path) = value.extract::<PathBuf>() else {
        return Err(invalid(
            py,
            FIELD,
            "must be a list of {log, seq, link} or a checkpoint file's path",
        ));
    };
    auditlog::key_file::refuse_inside(log_dir, &path)
        .map_err(|reason| invalid(py, FIELD, reason))?;
    let ends = checkpoint_file::read(&path).map_err(|e| invalid(py, FIELD, e.to_string()))?;
    Ok(Checkpoint::File(path, ends))
}

fn log_end(py: Python<'_>, end: &Bound<'_, PyAny>) -> PyResult<LogEnd> {
    let item = |key: &str| {
        end.get_item(key)
            .map_err(|_| invalid(py, FIELD, format!("each end must be a dict with {key:?}")))
    };
    Ok(LogEnd {
        log: text(py, FIELD, &item("log")?)?,
        seq: between(py, FIELD, &item("seq")?, 0, u64::MAX)?,
        link: text(py, FIELD, &item("link")?)?,
    })
}
