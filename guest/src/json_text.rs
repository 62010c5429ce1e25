//! Compact JSON text of entries, byte for byte what `serde_json` writes, made
//! for the append path: an entry is written twice per append (its line, and
//! its canonical form for the chain), and `serde_json` escapes strings one
//! byte at a time, which a wasm compiler does not vectorise. Here runs of
//! bytes that need no escaping are found eight at a time and copied whole.

use serde_json::{Map, Value};

/// `map` as compact JSON, keys in their stored order.
pub fn object_to_string(map: &Map<String, Value>) -> String {
    let mut out = Vec::with_capacity(512);
    write_object(&mut out, map, false, |_| true);
    String::from_utf8(out).expect("JSON text of valid strings is UTF-8")
}

/// Appends `value` to `out` as compact JSON; every object's keys sorted when
/// `sorted`, else in their stored order.
pub fn write_value(out: &mut Vec<u8>, value: &Value, sorted: bool) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(number) => {
            serde_json::to_writer(&mut *out, number).expect("numbers serialise");
        }
        Value::String(text) => write_str(out, text),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(out, item, sorted);
            }
            out.push(b']');
        }
        Value::Object(map) => write_object(out, map, sorted, |_| true),
    }
}

/// Appends the members of `map` whose key passes `keep` to `out`, as a
/// compact JSON object; keys (at every depth) sorted when `sorted`.
pub fn write_object(
    out: &mut Vec<u8>,
    map: &Map<String, Value>,
    sorted: bool,
    keep: impl Fn(&str) -> bool,
) {
    out.push(b'{');
    let mut first = true;
    let mut member = |out: &mut Vec<u8>, key: &str, value: &Value| {
        if !first {
            out.push(b',');
        }
        first = false;
        write_str(out, key);
        out.push(b':');
        write_value(out, value, sorted);
    };
    if sorted {
        let mut members: Vec<(&String, &Value)> = map.iter().filter(|(k, _)| keep(k)).collect();
        members.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (key, value) in members {
            member(out, key, value);
        }
    } else {
        for (key, value) in map.iter().filter(|(k, _)| keep(k)) {
            member(out, key, value);
        }
    }
    out.push(b'}');
}

/// Appends `text` to `out` as a JSON string, escaped as `serde_json` does:
/// `\"`, `\\`, `\b`, `\t`, `\n`, `\f`, `\r`, and `\u00XX` for other control
/// characters; everything else as it is.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        at = skip_plain(bytes, at);
        let Some(&byte) = bytes.get(at) else { break };
        out.extend_from_slice(&bytes[copied..at]);
        escape(out, byte);
        at += 1;
        copied = at;
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

/// The index of the first byte at or after `at` that needs escaping (a
/// control character, `"` or `\`), or `bytes.len()`: also where a JSON
/// string being read ends or needs a closer look.
pub(crate) fn skip_plain(bytes: &[u8], mut at: usize) -> usize {
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        if needs_escape_in(word) {
            break;
        }
        at += 8;
    }
    while at < bytes.len() && !needs_escape(bytes[at]) {
        at += 1;
    }
    at
}

const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of each of a word's eight bytes.
pub(crate) const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any of the eight bytes of `word` is `byte`.
pub(crate) fn has_byte(word: u64, byte: u8) -> bool {
    let v = word ^ (ONES * u64::from(byte));
    v.wrapping_sub(ONES) & !v & HIGHS != 0
}

/// Whether any of the eight bytes of `word` is a control character, `"` or `\`.
fn needs_escape_in(word: u64) -> bool {
    // A byte below 0x20 (bytes of 0x80 and above never count: they are UTF-8).
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    control != 0 || has_byte(word, b'"') || has_byte(word, b'\\')
}

fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

fn escape(out: &mut Vec<u8>, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match byte {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x08 => out.extend_from_slice(b"\\b"),
        b'\t' => out.extend_from_slice(b"\\t"),
        b'\n' => out.extend_from_slice(b"\\n"),
        0x0c => out.extend_from_slice(b"\\f"),
        b'\r' => out.extend_from_slice(b"\\r"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(byte >> 4)],
            HEX[usize::from(byte & 0xf)],
        ]),
    }
}

/// `text` (valid JSON) without the whitespace between its tokens: the same
/// value, every string, number and key exactly as written. Used to lay out
/// another writer's entries one a line without re-encoding them (a number
/// beyond 64 bits stays digit for digit; `\u00e9` stays an escape).
pub fn compact(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for &byte in text {
        if in_string {
            out.push(byte);
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
        } else if !matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
            out.push(byte);
            in_string = byte == b'"';
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_escape_as_serde_json_does() {
        let mut texts: Vec<String> = (0u8..128).map(|b| char::from(b).to_string()).collect();
        texts.extend(
            [
                "",
                "plain text longer than eight bytes",
                "a\"b\\c\nd\te\u{1}f\u{7f}g/h",
                "é ünïcödé and \u{2028} and 😀 ",
                "twelve bytes\"",
                "\"\"\"\"\"\"\"\"\"\"",
                "0123456\u{1f}89abcdef\\",
            ]
            .map(str::to_owned),
        );
        for text in texts {
            let mut out = Vec::new();
            write_str(&mut out, &text);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&text).unwrap(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn values_write_as_serde_json_does_in_stored_or_sorted_order() {
        let value = json!({
            "ts": "2025-01-01T00:00:00Z", "b": [1, -2, 3.5, 1e300, null, true, false, {}],
            "a": {"z": "\u{0}", "y": [[]], "x": u64::MAX}, "": "empty key"
        });
        let mut stored = Vec::new();
        write_value(&mut stored, &value, false);
        assert_eq!(stored, serde_json::to_vec(&value).unwrap());
        let mut sorted = Vec::new();
        write_value(&mut sorted, &value, true);
        assert_eq!(
            String::from_utf8(sorted).unwrap(),
            r#"{"":"empty key","a":{"x":18446744073709551615,"y":[[]],"z":"\u0000"},"b":[1,-2,3.5,1e+300,null,true,false,{}],"ts":"2025-01-01T00:00:00Z"}"#
        );
    }

    #[test]
    fn compacting_removes_only_the_space_between_tokens() {
        let text = "{\n  \"a b\": [1, 2.50, 123456789012345678901234567890],\n  \"c\": \"x \\\" \\\\\\u00e9 \\n\",\r\n\t\"d\" : { }\n}";
        assert_eq!(
            String::from_utf8(compact(text.as_bytes())).unwrap(),
            r#"{"a b":[1,2.50,123456789012345678901234567890],"c":"x \" \\\u00e9 \n","d":{}}"#
        );
    }

    #[test]
    fn objects_leave_out_what_keep_refuses() {
        let map = json!({"a": 1, "hash": "h", "b": 2})
            .as_object()
            .unwrap()
            .clone();
        let mut out = Vec::new();
        write_object(&mut out, &map, true, |k| k != "hash");
        assert_eq!(out, br#"{"a":1,"b":2}"#);
    }
}
