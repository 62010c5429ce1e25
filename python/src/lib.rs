//! `auditlog._native`: the Python extension module of the `auditlog`
//! package (`pip install ./python`), the host library under PyO3.
//!
//! It links the host crate `auditlog` — the embedded component, its
//! wasmtime build and its cross-process file locks are the CLI's — and turns
//! each of its calls into a method of `auditlog.AuditLog`, with the GIL
//! released while the host works. The Python half of the package
//! (`python/auditlog/`) re-exports it and adds the exceptions, the asyncio
//! API and the seeds' drop-ins.

use pyo3::prelude::*;

mod calls;
mod checkpoint;
mod errors;
mod json_py;
mod log;
mod pool;
mod process;
mod results;
mod selection;
mod settings;
mod values;

/// The seed script's answer for a failure before the component could answer
/// (the log directory cannot be opened, a setting is refused), as ``auditlog
/// record`` prints it: ``{"exit_code", "response", "report"}``. ``field``
/// names the refused input, if the input was at fault (exit code 2, else 1).
#[pyfunction]
#[pyo3(signature = (message, field, log_path))]
fn seed_failure<'py>(
    py: Python<'py>,
    message: &str,
    field: Option<&str>,
    log_path: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let answer = auditlog_model::seed::Answer::failed(message, field, log_path);
    values::to_python(py, &results::seed_answer(&answer))
}

/// Every keyword ``AuditLog(dir, **settings)`` takes, as a list of str.
#[pyfunction]
fn setting_names() -> Vec<&'static str> {
    settings::names()
}

/// The native half of the ``auditlog`` package; import ``auditlog`` instead.
#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<log::PyAuditLog>()?;
    module.add_function(wrap_pyfunction!(seed_failure, module)?)?;
    module.add_function(wrap_pyfunction!(setting_names, module)?)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
