//! `AuditLog(dir, **settings)`: the keyword arguments, checked for their
//! Python types, as an [`AuditLogBuilder`].
//!
//! The settings are the model's table (`auditlog_model::settings::SETTINGS`,
//! the fields of [`SettingsUpdate`]), so a setting added there is accepted
//! here with no change; the others are the CLI's own global options.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use auditlog::{AuditLog, AuditLogBuilder, Runtime, SettingsUpdate, SyncMode};
use auditlog_model::settings::{SETTINGS, SettingKind};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyString};
use serde_json::{Map, Value};

use crate::errors::{invalid, to_py};
use crate::values::{must, text, uint, words};

/// The CLI's global options that are not settings of the component, as
/// keyword arguments.
const HOST_OPTIONS: [&str; 8] = [
    "component",
    "timeout_ms",
    "memory_limit_mb",
    "key_file",
    "sync",
    "read_config_file",
    "read_only",
    "now",
];

/// The builder for `dir` with `settings` (the keyword arguments) applied.
///
/// # Errors
/// `TypeError` for an unknown keyword; `InvalidInput` for a value of the
/// wrong type or out of range.
pub fn builder(
    py: Python<'_>,
    dir: PathBuf,
    settings: Option<&Bound<'_, PyDict>>,
) -> PyResult<AuditLogBuilder> {
    let mut builder = AuditLog::builder(dir);
    let mut update = Map::new();
    for (key, value) in settings.into_iter().flatten() {
        let name: String = key.extract()?;
        if value.is_none() {
            continue;
        }
        if let Some(spec) = SETTINGS.iter().find(|spec| spec.name == name) {
            update.insert(name.clone(), setting(py, &name, spec.kind, &value)?);
        } else if HOST_OPTIONS.contains(&name.as_str()) {
            builder = host_option(py, builder, &name, &value)?;
        } else {
            return Err(PyTypeError::new_err(format!(
                "AuditLog() got an unexpected keyword argument '{name}'"
            )));
        }
    }
    let update: SettingsUpdate = serde_json::from_value(Value::Object(update))
        .map_err(|e| invalid(py, "settings", e.to_string()))?;
    Ok(builder.settings(update))
}

/// One setting's value as JSON, checked for the setting's kind.
fn setting(
    py: Python<'_>,
    name: &str,
    kind: SettingKind,
    value: &Bound<'_, PyAny>,
) -> PyResult<Value> {
    Ok(match kind {
        SettingKind::U32 => Value::from(uint(py, name, value, u32::MAX.into())?),
        SettingKind::U64 => Value::from(uint(py, name, value, u64::MAX)?),
        SettingKind::Bool => Value::from(boolean(py, name, value)?),
        SettingKind::Bytes => match value.cast::<PyBytes>() {
            Ok(bytes) => Value::from(bytes.as_bytes().to_vec()),
            Err(_) => return Err(invalid(py, name, must(value, "bytes"))),
        },
        SettingKind::Words => Value::from(words(py, name, value)?),
    })
}

fn boolean(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    match value.cast::<PyBool>() {
        Ok(b) => Ok(b.is_true()),
        Err(_) => Err(invalid(py, field, must(value, "True or False"))),
    }
}

fn host_option(
    py: Python<'_>,
    builder: AuditLogBuilder,
    name: &str,
    value: &Bound<'_, PyAny>,
) -> PyResult<AuditLogBuilder> {
    Ok(match name {
        "component" => {
            let path = path(py, name, value)?;
            let bytes = std::fs::read(&path)
                .map_err(|e| invalid(py, name, format!("cannot read {}: {e}", path.display())))?;
            let runtime = py
                .detach(|| Runtime::new(&bytes))
                .map_err(|e| to_py(py, e))?;
            builder.runtime(Arc::new(runtime))
        }
        "timeout_ms" => match uint(py, name, value, u64::MAX)? {
            0 => return Err(invalid(py, name, "must be at least 1, got 0")),
            ms => builder.call_timeout(Duration::from_millis(ms)),
        },
        "memory_limit_mb" => match uint(py, name, value, 4096)? {
            0 => return Err(invalid(py, name, "must be between 1 and 4096, got 0")),
            mib => builder.memory_limit(usize::try_from(mib * 1024 * 1024).unwrap_or(usize::MAX)),
        },
        "key_file" => builder.chain_key_file(path(py, name, value)?),
        "sync" => {
            let mode = text(py, name, value)?;
            let mode = mode.parse::<SyncMode>().map_err(|_| {
                invalid(
                    py,
                    name,
                    format!("must be one of never, batch, always, got {mode:?}"),
                )
            })?;
            builder.sync(mode)
        }
        "read_config_file" => builder.read_config_file(boolean(py, name, value)?),
        "read_only" if boolean(py, name, value)? => builder.read_only(),
        "read_only" => builder,
        "now" => {
            let now = text(py, name, value)?;
            // As the CLI's hidden `--now`, with its parser and message.
            let now: SystemTime = chrono::DateTime::parse_from_rfc3339(&now)
                .map_err(|e| invalid(py, name, format!("not an RFC 3339 time ({e}), got {now:?}")))?
                .into();
            builder.clock(move || now)
        }
        _ => unreachable!("every HOST_OPTIONS name has an arm"),
    })
}

/// A `str` or `os.PathLike` as a path.
fn path(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>) -> PyResult<PathBuf> {
    if value.is_instance_of::<PyString>() {
        return Ok(PathBuf::from(text(py, field, value)?));
    }
    value
        .extract::<PathBuf>()
        .map_err(|_| invalid(py, field, must(value, "a path (str or os.PathLike)")))
}
