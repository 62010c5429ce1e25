//! [`Entry`]: a stored entry as a receipt carries it.
//!
//! The component returns each entry it wrote as JSON text. Most callers of an
//! append never look at it, and building a [`Value`] for every entry of a
//! batch was a sixth of the host's time per entry (measured with the
//! benchmark's batched figure), so the text is only checked on arrival and
//! parsed the first time someone reads a field.

use std::fmt;
use std::ops::Deref;
use std::sync::OnceLock;

use serde::de::IgnoredAny;
use serde_json::Value;

use crate::error::{Error, Result};

/// A stored entry: its JSON text exactly as written to the log (without the
/// line's `\n`), and a [`Value`] parsed from it on first use.
///
/// Reads like a `Value` (`entry["seq"]`, `entry.get("hash")`) through
/// [`Deref`]; prints as its JSON text; serialises as the object it holds.
#[derive(Clone)]
pub struct Entry {
    text: String,
    value: OnceLock<Value>,
}

impl Entry {
    /// Takes an entry's text from the component.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when the text is not a JSON object (a component
    /// that breaks its contract).
    pub(crate) fn from_component(text: String) -> Result<Self> {
        let not_entry = |reason: String| {
            Error::Corrupt(format!(
                "the component returned an entry that is not a JSON object: {reason}"
            ))
        };
        if !text.trim_start().starts_with('{') {
            return Err(not_entry(format!(
                "it starts with {:?}",
                text.chars().next()
            )));
        }
        serde_json::from_str::<IgnoredAny>(&text).map_err(|e| not_entry(e.to_string()))?;
        Ok(Self {
            text,
            value: OnceLock::new(),
        })
    }

    /// The entry's JSON text, as stored.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The entry as a JSON value (an object), parsed on the first call.
    pub fn value(&self) -> &Value {
        self.value.get_or_init(|| {
            serde_json::from_str(&self.text).expect("checked to be a JSON object on arrival")
        })
    }

    /// The entry as a JSON value, owned.
    pub fn into_value(self) -> Value {
        match self.value.into_inner() {
            Some(value) => value,
            None => {
                serde_json::from_str(&self.text).expect("checked to be a JSON object on arrival")
            }
        }
    }
}

impl Deref for Entry {
    type Target = Value;

    fn deref(&self) -> &Value {
        self.value()
    }
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Entry").field(&self.text).finish()
    }
}

/// Entries are equal when their JSON values are, however the text is spaced.
impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text || self.value() == other.value()
    }
}

impl PartialEq<Value> for Entry {
    fn eq(&self, other: &Value) -> bool {
        self.value() == other
    }
}

impl PartialEq<Entry> for Value {
    fn eq(&self, other: &Entry) -> bool {
        self == other.value()
    }
}

impl From<Entry> for Value {
    fn from(entry: Entry) -> Self {
        entry.into_value()
    }
}

impl serde::Serialize for Entry {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_entry_reads_prints_and_serialises_as_its_json_object() {
        let text = r#"{"seq":1,"tool":"file_read","args":{"path":"/a"}}"#;
        let entry = Entry::from_component(text.to_owned()).unwrap();
        assert_eq!(entry.to_string(), text);
        assert_eq!(entry["seq"], 1);
        assert_eq!(entry.get("args").unwrap()["path"], "/a");
        assert_eq!(
            serde_json::to_string(&json!({ "e": entry })).unwrap(),
            format!(r#"{{"e":{text}}}"#)
        );
        let spaced = Entry::from_component(text.replace(',', ", ")).unwrap();
        assert_eq!(entry, spaced);
        assert_eq!(
            Value::from(spaced),
            json!({"seq": 1, "tool": "file_read", "args": {"path": "/a"}})
        );
    }

    #[test]
    fn text_that_is_not_a_json_object_is_refused_on_arrival() {
        for text in ["", "[1]", "\"x\"", "{\"seq\":1", "{} {}", "{\"a\":tru}"] {
            let error = Entry::from_component(text.to_owned()).unwrap_err();
            assert!(
                matches!(&error, Error::Corrupt(m) if m.contains("not a JSON object")),
                "{text:?}: {error}"
            );
        }
    }
}
