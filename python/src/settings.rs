//! `AuditLog(dir, **settings)`: the keyword arguments, checked for their
//! Python types, as an [`AuditLogBuilder`].
//!
//! The settings are the model's table (`auditlog_model::settings::SETTINGS`,
//! the fields of [`SettingsUpdate`]), so a setting added there is accepted
//! here with no change; the others are the CLI's own global options.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use auditlog::input_file::{self, Kinds, MAX_COMPONENT_BYTES};
use auditlog::{AuditLog, AuditLogBuilder, Runtime, SettingsUpdate, SyncMode};
use auditlog_model::settings::{SETTINGS, SettingKind, SettingSpec, Value as Checked};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use serde_json::{Map, Value};

use crate::errors::{invalid, to_py};
use crate::values::{between, boolean, must, range_reason, text, whole, words};

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

/// Every keyword `AuditLog(dir, **settings)` takes: the settings, then the
/// host's options.
pub fn names() -> Vec<&'static str> {
    SETTINGS
        .iter()
        .map(|spec| spec.name)
        .chain(HOST_OPTIONS)
        .collect()
}

/// The largest `memory_limit_mb`, as the CLI's `--memory-limit-mb`.
const MAX_MEMORY_LIMIT_MB: u64 = 4096;

/// The builder for `dir` with `settings` (the keyword arguments) applied.
///
/// # Errors
/// `TypeError` for an unknown keyword; `InvalidInput` for a value of the
/// wrong type or out of range, and for a `read_only` log whose directory
/// does not exist (a read creates nothing).
pub fn builder(
    py: Python<'_>,
    dir: PathBuf,
    settings: Option<&Bound<'_, PyDict>>,
) -> PyResult<AuditLogBuilder> {
    let mut builder = AuditLog::builder(&dir);
    let mut update = Map::new();
    let mut read_only = false;
    for (key, value) in settings.into_iter().flatten() {
        let name: String = key.extract()?;
        if value.is_none() {
            continue;
        }
        if let Some(spec) = SETTINGS.iter().find(|spec| spec.name == name) {
            update.insert(name.clone(), setting(py, spec, &value)?);
        } else if name == "read_only" {
            read_only = boolean(py, &name, &value)?;
        } else if HOST_OPTIONS.contains(&name.as_str()) {
            builder = host_option(py, builder, &name, &value)?;
        } else {
            return Err(PyTypeError::new_err(format!(
                "AuditLog() got an unexpected keyword argument '{name}'"
            )));
        }
    }
    if read_only {
        // As the CLI's reads: a missing directory is refused, not created.
        if !dir.is_dir() {
            return Err(invalid(
                py,
                "dir",
                format!(
                    "{} does not exist or is not a directory: nothing was recorded there, and a read creates nothing",
                    dir.display()
                ),
            ));
        }
        builder = builder.read_only();
    }
    let update: SettingsUpdate = serde_json::from_value(Value::Object(update))
        .map_err(|e| invalid(py, "settings", e.to_string()))?;
    Ok(builder.settings(update))
}

/// One setting's value as JSON, checked for the setting's kind (its bounds
/// are the component's to check).
fn setting(py: Python<'_>, spec: &SettingSpec, value: &Bound<'_, PyAny>) -> PyResult<Value> {
    let name = spec.name;
    Ok(match spec.kind {
        SettingKind::U32 => Value::from(number(py, spec, u32::MAX.into(), value)?),
        SettingKind::U64 => Value::from(number(py, spec, u64::MAX, value)?),
        SettingKind::Bool => Value::from(boolean(py, name, value)?),
        SettingKind::Bytes => match value.cast::<PyBytes>() {
            Ok(bytes) => Value::from(bytes.as_bytes().to_vec()),
            Err(_) => return Err(invalid(py, name, must(value, "bytes"))),
        },
        SettingKind::Words => Value::from(words(py, name, value)?),
    })
}

/// A number setting's value, up to `kind_max`. A number its kind cannot
/// hold (negative, too large) is refused as the setting's own check refuses
/// any number outside its bounds, naming the value given.
fn number(
    py: Python<'_>,
    spec: &SettingSpec,
    kind_max: u64,
    value: &Bound<'_, PyAny>,
) -> PyResult<u64> {
    match whole(py, spec.name, value)? {
        Some(n) if n <= kind_max => Ok(n),
        _ => Err(invalid(py, spec.name, out_of_bounds(spec, kind_max, value))),
    }
}

/// What `spec`'s check says of a number outside its bounds, with `shown` as
/// the number: its reason for a number of its kind that it refuses (one
/// below or above its bounds, or 0), else the kind's range.
fn out_of_bounds(spec: &SettingSpec, kind_max: u64, shown: &Bound<'_, PyAny>) -> String {
    let below = spec.min().and_then(|min| min.checked_sub(1));
    let above = spec.max().and_then(|max| max.checked_add(1));
    [Some(0), below, above]
        .into_iter()
        .flatten()
        .filter(|&n| n <= kind_max)
        .find_map(|n| {
            let reason = spec.check(&Checked::Number(n)).err()?.reason;
            let said = reason.strip_suffix(&format!("got {n}"))?;
            Some(format!("{said}got {shown}"))
        })
        .unwrap_or_else(|| range_reason(0, kind_max, shown))
}

/// `tool`'s per-call `arg_max_chars` or `snippet_chars` (`field`), as the
/// setting of that name takes it.
pub fn cut_length(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>) -> PyResult<u32> {
    let spec = SETTINGS
        .iter()
        .find(|spec| spec.name == field)
        .expect("arg_max_chars and snippet_chars are settings");
    let n = number(py, spec, u32::MAX.into(), value)?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
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
            let bytes = input_file::read(&path, Kinds::Regular, MAX_COMPONENT_BYTES)
                .map_err(|e| invalid(py, name, e.to_string()))?;
            let runtime = py
                .detach(|| Runtime::new(&bytes))
                .map_err(|e| to_py(py, e))?;
            builder.runtime(Arc::new(runtime))
        }
        "timeout_ms" => builder.call_timeout(Duration::from_millis(between(
            py,
            name,
            value,
            1,
            u64::MAX,
        )?)),
        "memory_limit_mb" => {
            let mib = between(py, name, value, 1, MAX_MEMORY_LIMIT_MB)?;
            builder.memory_limit(usize::try_from(mib * 1024 * 1024).unwrap_or(usize::MAX))
        }
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
        "now" => {
            let now = text(py, name, value)?;
            // As the CLI's hidden `--now`, with its parser and message.
            let now: SystemTime = chrono::DateTime::parse_from_rfc3339(&now)
                .map_err(|e| invalid(py, name, format!("not an RFC 3339 time ({e}), got {now:?}")))?
                .into();
            builder.clock(move || now)
        }
        _ => unreachable!("every HOST_OPTIONS name but read_only has an arm"),
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
