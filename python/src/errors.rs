//! The host library's [`Error`] as the Python exceptions of
//! `auditlog.errors`, one class per variant, each carrying the message the
//! CLI prints.

use auditlog::Error;
use pyo3::call::PyCallArgs;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

/// The module that defines the exception classes (pure Python, so that
/// `InvalidInput` can also be a `ValueError`).
const ERRORS_MODULE: &str = "auditlog.errors";

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The exception `class` of `auditlog.errors` raised with `args`.
fn raise<'py>(py: Python<'py>, class: &str, args: impl PyCallArgs<'py>) -> PyErr {
    let made = ERRORS
        .get_or_try_init(py, || py.import(ERRORS_MODULE).map(Bound::unbind))
        .and_then(|module| module.bind(py).getattr(class))
        .and_then(|class| class.call1(args));
    match made {
        Ok(exception) => PyErr::from_value(exception),
        Err(error) => error,
    }
}

/// `InvalidInput(field, reason)`: an input refused before or by the host.
pub fn invalid(py: Python<'_>, field: &str, reason: impl Into<String>) -> PyErr {
    raise(py, "InvalidInput", (field, reason.into()))
}

/// The exception for a host library error, with the CLI's message.
pub fn to_py(py: Python<'_>, error: Error) -> PyErr {
    let message = error.to_string();
    match error {
        Error::Invalid { field, reason } => invalid(py, &field, reason),
        Error::Config {
            path,
            key,
            line,
            reason,
        } => raise(
            py,
            "ConfigError",
            (message, path.display().to_string(), key, line, reason),
        ),
        Error::Storage(detail) => raise(py, "StorageError", (detail, message)),
        Error::Directory { path, source } => raise(
            py,
            "DirectoryError",
            (path.display().to_string(), source.to_string(), message),
        ),
        Error::Corrupt(detail) => raise(py, "CorruptLog", (detail, message)),
        Error::Flush(detail) => raise(py, "FlushError", (detail, message)),
        Error::Timeout { limit } => raise(
            py,
            "TimeLimitExceeded",
            (
                u64::try_from(limit.as_millis()).unwrap_or(u64::MAX),
                message,
            ),
        ),
        Error::OutOfMemory { limit } => raise(py, "MemoryLimitExceeded", (limit, message)),
        Error::Component(_) | Error::Trap(_) => raise(py, "ComponentError", (message,)),
        // The host may grow variants; each is still an AuditLogError.
        #[allow(unreachable_patterns)]
        _ => raise(py, "AuditLogError", (message,)),
    }
}
