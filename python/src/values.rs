//! Python values in (checked for their Python type at the boundary, each
//! refusal an `InvalidInput` naming the field) and JSON values out.
//!
//! Out: the host's serde values (stats, receipts) -> Python objects with
//! `pythonize`, and stored entries' JSON text -> dicts in one walk
//! ([`json_py::entry_object`]; a page of them as [`Entries`], which gives
//! the GIL up now and then), rather than JSON text that Python parses
//! again; key order is kept (the workspace's `preserve_order`, and dicts
//! keep insertion order), so a dict reads as the CLI's JSON does.

use std::time::{Duration, Instant};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyDict, PyInt, PyList, PyString, PyTuple};
use serde_json::Value;

use crate::errors::invalid;
use crate::json_py;

/// `value` as text (a `str` that is valid UTF-8: no lone surrogates).
pub fn text(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    let Ok(string) = value.cast::<PyString>() else {
        return Err(invalid(py, field, must(value, "a string")));
    };
    string
        .to_cow()
        .map(std::borrow::Cow::into_owned)
        .map_err(|_| invalid(py, field, "is not valid UTF-8 text"))
}

/// `value` as a whole number from `min` to `max`; any other, however
/// large or negative, refused alike: [`range_reason`].
pub fn between(
    py: Python<'_>,
    field: &str,
    value: &Bound<'_, PyAny>,
    min: u64,
    max: u64,
) -> PyResult<u64> {
    match whole(py, field, value)? {
        Some(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(invalid(py, field, range_reason(min, max, value))),
    }
}

/// `must be between MIN and MAX, got VALUE` (`at least MIN` when nothing
/// but the type bounds it above).
pub fn range_reason(min: u64, max: u64, value: impl std::fmt::Display) -> String {
    if max == u64::MAX {
        format!("must be at least {min}, got {value}")
    } else {
        format!("must be between {min} and {max}, got {value}")
    }
}

/// `value`, an `int` (a `bool` is not one), as a `u64`; `None` when it is
/// negative or larger.
pub fn whole(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>) -> PyResult<Option<u64>> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(invalid(py, field, must(value, "a whole number")));
    }
    Ok(value.extract::<u64>().ok())
}

/// A flag argument (`skills`, `all_users`): `True` or `False`, `None` or
/// left out being `False`.
pub fn flag(py: Python<'_>, field: &str, value: Option<Bound<'_, PyAny>>) -> PyResult<bool> {
    if_given(value, |value| boolean(py, field, value)).map(Option::unwrap_or_default)
}

/// `value` as a `bool`: `True` or `False` only (not `1`, not `"yes"`).
pub fn boolean(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    match value.cast::<PyBool>() {
        Ok(b) => Ok(b.is_true()),
        Err(_) => Err(invalid(py, field, must(value, "True or False"))),
    }
}

/// A list (or tuple) of strings; a lone string is refused, not split.
pub fn words(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    let items = if let Ok(list) = value.cast::<PyList>() {
        list.iter().collect::<Vec<_>>()
    } else if let Ok(tuple) = value.cast::<PyTuple>() {
        tuple.iter().collect()
    } else {
        return Err(invalid(py, field, must(value, "a list of strings")));
    };
    items.iter().map(|item| text(py, field, item)).collect()
}

/// `must be WHAT, got TYPE`.
pub fn must(value: &Bound<'_, PyAny>, what: &str) -> String {
    let type_name = value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |name| name.to_string());
    format!("must be {what}, got {type_name}")
}

/// As [`text`], `None` staying `None`.
pub fn optional_text(
    py: Python<'_>,
    field: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<String>> {
    match value {
        Some(value) if !value.is_none() => text(py, field, value).map(Some),
        _ => Ok(None),
    }
}

/// `convert(value)` for an optional argument; `None` when it was left out
/// or passed as `None`.
pub fn if_given<'py, T>(
    value: Option<Bound<'py, PyAny>>,
    convert: impl FnOnce(&Bound<'py, PyAny>) -> PyResult<T>,
) -> PyResult<Option<T>> {
    value
        .filter(|v| !v.is_none())
        .as_ref()
        .map(convert)
        .transpose()
}

/// `json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",",
/// ":")).encode`, made once: what the wasmtime-py loader calls per object,
/// without building keyword arguments on every call.
static ENCODE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A JSON object's text: a mapping encoded as Python's `json` encodes it
/// (key order kept, NaN refused; plain dicts by [`json_py::plain_json`],
/// anything else by the encoder itself), or a `str` passed on as JSON text
/// for the component to check, as the wasmtime-py loader does.
pub fn json_object(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    if value.is_instance_of::<PyString>() {
        return text(py, field, value);
    }
    if !value.is_instance_of::<PyDict>()
        && !value.getattr("keys").is_ok_and(|keys| keys.is_callable())
    {
        return Err(invalid(py, field, must(value, "a JSON object (a dict)")));
    }
    if let Some(text) = json_py::plain_json(value) {
        return Ok(text);
    }
    let encode = ENCODE.get_or_try_init(py, || {
        let kwargs = PyDict::new(py);
        kwargs.set_item("ensure_ascii", false)?;
        kwargs.set_item("allow_nan", false)?;
        kwargs.set_item("separators", (",", ":"))?;
        let encoder = py
            .import("json")?
            .getattr("JSONEncoder")?
            .call((), Some(&kwargs))?;
        encoder.getattr("encode").map(Bound::unbind)
    })?;
    match encode.bind(py).call1((value,)) {
        Ok(encoded) => text(py, field, &encoded),
        Err(e) => Err(invalid(
            py,
            field,
            format!("cannot be encoded as JSON: {}", e.value(py)),
        )),
    }
}

/// A time bound (`since`, `until`): RFC 3339 text, a date (its UTC midnight)
/// or a `datetime` that carries its time zone (as the same instant in UTC:
/// RFC 3339 has no offsets with seconds, which some zones have had).
pub fn time(
    py: Python<'_>,
    field: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<String>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if value.is_instance_of::<PyDateTime>() {
        if value.call_method0("utcoffset")?.is_none() {
            return Err(invalid(
                py,
                field,
                "a datetime must carry a time zone (e.g. timezone.utc)",
            ));
        }
        let utc = py.import("datetime")?.getattr("timezone")?.getattr("utc")?;
        let instant = value.call_method1("astimezone", (utc,)).map_err(|e| {
            invalid(
                py,
                field,
                format!("cannot be converted to UTC: {}", e.value(py)),
            )
        })?;
        return text(py, field, &instant.call_method0("isoformat")?).map(Some);
    }
    if value.is_instance_of::<PyDate>() {
        return text(py, field, &value.call_method0("isoformat")?).map(Some);
    }
    if value.is_instance_of::<PyString>() {
        return text(py, field, value).map(Some);
    }
    Err(invalid(
        py,
        field,
        must(value, "RFC 3339 text, a date or an aware datetime"),
    ))
}

/// What the host returns to a method, as the Python objects the method
/// returns.
pub trait Returned: Send {
    /// `self` as Python objects.
    fn to_object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

impl Returned for Value {
    fn to_object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, self)
    }
}

/// A stored entry: a dict built straight from its text.
impl Returned for auditlog::Entry {
    fn to_object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_py::entry_object(py, self.as_str())
    }
}

/// Stored entries' texts: a list of dicts, built with the GIL given up for
/// [`GIL_PAUSE`] every [`YIELD_GIL_EVERY`], so that building a large page
/// (10,000 entries take tens of milliseconds) holds no other thread up for
/// long: an event loop whose executor thread builds it keeps ticking.
pub struct Entries(pub Vec<String>);

/// How long building [`Entries`] holds the GIL at a time.
const YIELD_GIL_EVERY: Duration = Duration::from_millis(2);

/// How long building [`Entries`] leaves the GIL to others: long enough for
/// a waiting thread to take it (a bare release and re-take is won by the
/// releasing thread, and the waiter starves).
const GIL_PAUSE: Duration = Duration::from_micros(50);

impl Returned for Entries {
    fn to_object<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let list = PyList::empty(py);
        let mut held = Instant::now();
        for entry in &self.0 {
            list.append(json_py::entry_object(py, entry)?)?;
            if held.elapsed() >= YIELD_GIL_EVERY {
                py.detach(|| std::thread::sleep(GIL_PAUSE));
                held = Instant::now();
            }
        }
        Ok(list.into_any())
    }
}

/// A JSON value as Python objects (`dict`, `list`, `str`, `int`, `float`,
/// `bool`, `None`).
pub fn to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value).map_err(PyErr::from)
}
