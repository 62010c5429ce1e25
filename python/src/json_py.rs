//! JSON between Python objects and text, on the path every append takes:
//! a call's `args` dict to JSON text, and the stored entry's text back to a
//! dict — each in one walk, with no `serde_json::Value` in between and no
//! Python code run.
//!
//! Out: [`plain_json`] writes the plain types (`dict` with `str` keys,
//! `list`, `tuple`, `str`, `int`, `float`, `bool`, `None`) exactly as
//! `json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",",
//! ":"))` does, and gives up on anything else (a subclass, a non-`str` key,
//! NaN, a lone surrogate, an `int` beyond 64 bits, deep nesting), for the
//! encoder itself to write or refuse with its own message.
//!
//! In: [`entry_object`] parses with `serde_json` straight into `dict`,
//! `list`, `str`, `int`, `float`, `bool` and `None`, numbers as
//! [`crate::values::to_python`] gives them for the same text.

use std::fmt;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Deeper than this, [`plain_json`] leaves the value to the encoder (which
/// also finds circular references).
const MAX_DEPTH: usize = 64;

/// `value` as compact JSON text (see the module's doc), or `None` when it is
/// not made of the plain types only.
pub fn plain_json(value: &Bound<'_, PyAny>) -> Option<String> {
    let mut out = String::with_capacity(128);
    write_value(value, &mut out, 0)?;
    Some(out)
}

fn write_value(value: &Bound<'_, PyAny>, out: &mut String, depth: usize) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Ok(text) = value.cast_exact::<PyString>() {
        write_str(&text.to_cow().ok()?, out);
    } else if let Ok(dict) = value.cast_exact::<PyDict>() {
        out.push('{');
        for (i, (key, item)) in dict.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_str(&key.cast_exact::<PyString>().ok()?.to_cow().ok()?, out);
            out.push(':');
            write_value(&item, out, depth + 1)?;
        }
        out.push('}');
    } else if let Ok(list) = value.cast_exact::<PyList>() {
        write_items(list.iter(), out, depth)?;
    } else if let Ok(tuple) = value.cast_exact::<PyTuple>() {
        write_items(tuple.iter(), out, depth)?;
    } else if value.is_none() {
        out.push_str("null");
    } else if let Ok(flag) = value.cast_exact::<PyBool>() {
        out.push_str(if flag.is_true() { "true" } else { "false" });
    } else if value.is_exact_instance_of::<PyInt>() {
        match value.extract::<i64>() {
            Ok(n) => out.push_str(&n.to_string()),
            Err(_) => out.push_str(&value.extract::<u64>().ok()?.to_string()),
        }
    } else if let Ok(float) = value.cast_exact::<PyFloat>() {
        if !float.value().is_finite() {
            return None;
        }
        // Python's own shortest form (`1e+16`, `0.1`), as `float.__repr__`.
        out.push_str(&float.repr().ok()?.to_cow().ok()?);
    } else {
        return None;
    }
    Some(())
}

fn write_items<'py>(
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    out: &mut String,
    depth: usize,
) -> Option<()> {
    out.push('[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_value(&item, out, depth + 1)?;
    }
    out.push(']');
    Some(())
}

/// `text` quoted as `json` quotes it with `ensure_ascii=False`: `"`, `\`,
/// and the control characters escaped, everything else as it is.
fn write_str(text: &str, out: &mut String) {
    out.push('"');
    let mut plain = 0;
    for (i, b) in text.bytes().enumerate() {
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[plain..i]);
        if escaped.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(escaped);
        }
        plain = i + 1;
    }
    out.push_str(&text[plain..]);
    out.push('"');
}

/// A stored entry's JSON text as a `dict` (see the module's doc); text that
/// is not JSON (the host never returns such) as a `str`, kept rather than
/// lost.
pub fn entry_object<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let mut parser = serde_json::Deserializer::from_str(text);
    match ToPython(py)
        .deserialize(&mut parser)
        .and_then(|value| parser.end().map(|()| value))
    {
        Ok(value) => Ok(value),
        Err(_) => Ok(PyString::new(py, text).into_any()),
    }
}

/// Builds the Python object of the JSON value it is given.
#[derive(Clone, Copy)]
struct ToPython<'py>(Python<'py>);

impl<'de, 'py> DeserializeSeed<'de> for ToPython<'py> {
    type Value = Bound<'py, PyAny>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// A Python error while building, as the parser's error.
fn failed<E: de::Error>(error: PyErr) -> E {
    E::custom(error)
}

impl<'de, 'py> Visitor<'de> for ToPython<'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.0.None().into_bound(self.0))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.0, v).to_owned().into_any())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        let Ok(n) = v.into_pyobject(self.0);
        Ok(n.into_any())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        let Ok(n) = v.into_pyobject(self.0);
        Ok(n.into_any())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(PyFloat::new(self.0, v).into_any())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(PyString::new(self.0, v).into_any())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let list = PyList::empty(self.0);
        while let Some(item) = seq.next_element_seed(self)? {
            list.append(item).map_err(failed)?;
        }
        Ok(list.into_any())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.0);
        while let Some(key) = map.next_key_seed(self)? {
            let value = map.next_value_seed(self)?;
            dict.set_item(key, value).map_err(failed)?;
        }
        Ok(dict.into_any())
    }
}
