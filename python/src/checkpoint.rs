//! `verify(checkpoint=...)`: where each log's chain ended last time, either
//! as a list of `{"log", "seq", "link"}` (an earlier report's `ends`) or as
//! the CLI's checkpoint file (`auditlog verify --checkpoint FILE`: read,
//! then rewritten with the new ends when verification passes).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use auditlog::LogEnd;
use auditlog::input_file::{self, InputError, Kinds, MAX_CHECKPOINT_BYTES};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use serde_json::{Value, json};

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
    let ends = read(&path).map_err(|reason| invalid(py, FIELD, reason))?;
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

/// The ends a checkpoint file holds (`{"logs": {LOG: {"seq", "link"}}}`);
/// none when it does not exist yet. Read as the CLI reads it: a regular file
/// of at most [`MAX_CHECKPOINT_BYTES`].
fn read(path: &Path) -> Result<Vec<LogEnd>, String> {
    let bytes = match input_file::read(path, Kinds::Regular, MAX_CHECKPOINT_BYTES) {
        Err(InputError::Open { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Vec::new());
        }
        Err(e) => return Err(e.to_string()),
        Ok(bytes) => bytes,
    };
    let not_checkpoint =
        |e: &dyn std::fmt::Display| format!("{} is not a checkpoint file: {e}", path.display());
    let file: Value = serde_json::from_slice(&bytes).map_err(|e| not_checkpoint(&e))?;
    let logs = file
        .get("logs")
        .and_then(Value::as_object)
        .ok_or_else(|| not_checkpoint(&"missing field `logs`"))?;
    logs.iter()
        .map(|(log, end)| {
            let seq = end.get("seq").and_then(Value::as_u64);
            let link = end.get("link").and_then(Value::as_str);
            match (seq, link) {
                (Some(seq), Some(link)) => Ok(LogEnd {
                    log: log.clone(),
                    seq,
                    link: link.to_owned(),
                }),
                _ => Err(not_checkpoint(&format!("{log}: needs seq and link"))),
            }
        })
        .collect()
}

/// Writes `ends` over those of the file at `path` (keeping the other logs'),
/// through a temporary file renamed into place, as the CLI does.
pub fn write(path: &Path, old: &[LogEnd], ends: &[LogEnd]) -> Result<(), String> {
    let mut logs: BTreeMap<&str, Value> = old
        .iter()
        .map(|end| (end.log.as_str(), json!({"seq": end.seq, "link": end.link})))
        .collect();
    for end in ends {
        logs.insert(&end.log, json!({"seq": end.seq, "link": end.link}));
    }
    let text = serde_json::to_string_pretty(&json!({ "logs": logs }))
        .expect("a checkpoint always serialises");
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text + "\n")
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| format!("cannot write the checkpoint {}: {e}", path.display()))
}
