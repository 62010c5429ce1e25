//! Cutting long values down to size, always on a character boundary.

use serde_json::{Map, Value};

use auditlog_model::invisible;

use crate::redact::{self, MARKER};

/// Bytes kept free for the fields added after fitting: `seq`, the link and `truncated`.
const SEAL_BYTES: usize = 128;
/// Strings are not cut below this many characters while fitting.
const MIN_KEPT_CHARS: usize = 32;

/// The first `max` characters of `text` (all of it if it is shorter).
pub fn prefix_chars(text: &str, max: usize) -> &str {
    // A text of at most `max` bytes has at most `max` characters.
    let bytes = text.as_bytes();
    if bytes.len() <= max {
        return text;
    }
    // Leading ASCII bytes are as many characters: skip them eight at a time
    // (one load and test each, even in wasm), and count only the rest.
    let (chunks, _) = bytes[..max].as_chunks::<8>();
    let ascii = 8 * chunks
        .iter()
        .take_while(|chunk| u64::from_ne_bytes(**chunk) & 0x8080_8080_8080_8080 == 0)
        .count();
    let mut rest = text[ascii..].chars();
    if let Some(skip) = (max - ascii).checked_sub(1) {
        rest.nth(skip);
    }
    &text[..text.len() - rest.as_str().len()]
}

/// [`prefix_chars`], except that a cut falling inside a redaction marker
/// keeps only what comes before the marker: a stored value shows `[REDACTED]`
/// whole or not at all, and never more than `max` characters.
pub fn kept_prefix(text: &str, max: usize) -> &str {
    let kept = prefix_chars(text, max);
    let end = kept.len();
    if end == text.len() {
        return kept;
    }
    // A marker the cut splits starts fewer than its length of bytes before
    // the cut; the marker is ASCII, so any match starts on a character.
    let from = end.saturating_sub(MARKER.len() - 1);
    let to = (end + MARKER.len() - 1).min(text.len());
    text.as_bytes()[from..to]
        .windows(MARKER.len())
        .position(|window| window == MARKER.as_bytes())
        .map_or(kept, |at| &text[..from + at])
}

/// `text` itself if it has at most `max` characters; otherwise its first `max`
/// characters (fewer if the cut would split a `[REDACTED]`: [`kept_prefix`])
/// followed by ` …[N chars total]`, N being its length in characters.
pub fn cut_string(text: &str, max: usize) -> Option<String> {
    let kept = kept_prefix(text, max);
    if kept.len() == text.len() {
        return None;
    }
    let total = text.chars().count();
    Some(format!("{kept} …[{total} chars total]"))
}

/// Cuts every string value in `value`, at any depth, to `max` characters with
/// [`cut_string`]. Object keys are left alone.
pub fn cut_strings(value: &mut Value, max: usize) {
    match value {
        Value::String(s) => {
            if let Some(cut) = cut_string(s, max) {
                *s = cut;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| cut_strings(v, max)),
        Value::Object(map) => map.values_mut().for_each(|v| cut_strings(v, max)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Cuts `entry` until it serialises to at most `max_bytes` bytes (with room for
/// its seal): the longest string under one of `fields` is cut in half, again and
/// again; a field that still does not fit becomes a `"[cut: N bytes]"` note.
/// Returns whether anything was cut. Never leaves invalid JSON, never splits a
/// character.
pub fn fit(entry: &mut Map<String, Value>, fields: &[&str], max_bytes: usize) -> bool {
    let budget = max_bytes.saturating_sub(SEAL_BYTES);
    if json_len_bound(entry) <= budget {
        return false;
    }
    let mut cut = false;
    loop {
        let size = json_len(entry);
        if size <= budget {
            return cut;
        }
        cut = true;
        let longest = fields
            .iter()
            .filter_map(|f| entry.get(*f).and_then(longest_len).map(|len| (len, *f)))
            .max();
        let shrunk = match longest {
            Some((len, field)) if len > 2 * MIN_KEPT_CHARS => {
                let text = entry
                    .get_mut(field)
                    .and_then(longest_string)
                    .expect("the field holds the string just measured");
                let (kept, total) = split_marker(text);
                let total = total.unwrap_or_else(|| kept.chars().count());
                let keep = (kept.chars().count() / 2).max(MIN_KEPT_CHARS);
                let shorter = format!("{} …[{total} chars total]", kept_prefix(kept, keep));
                // A string already ending in a marker and keeping no more than
                // the minimum would come back unchanged: make a note instead.
                let shrinks = shorter.len() < text.len();
                if shrinks {
                    *text = shorter;
                }
                shrinks
            }
            _ => false,
        };
        if !shrunk {
            let biggest = fields
                .iter()
                .filter(|f| {
                    entry.get(**f).is_some_and(|v| {
                        !v.is_string() || v.as_str().is_some_and(|s| !s.starts_with("[cut: "))
                    })
                })
                .max_by_key(|f| serde_json::to_vec(&entry[**f]).map_or(0, |v| v.len()))
                .copied();
            let Some(field) = biggest else { return cut };
            let bytes = serde_json::to_vec(&entry[field]).map_or(0, |v| v.len());
            entry.insert(
                field.to_owned(),
                Value::String(format!("[cut: {bytes} bytes]")),
            );
        }
    }
}

/// A string cut earlier, split into what was kept and its original length.
fn split_marker(text: &str) -> (&str, Option<usize>) {
    let parsed = text.strip_suffix(" chars total]").and_then(|rest| {
        let (kept, number) = rest.rsplit_once(" …[")?;
        Some((kept, number.parse().ok()?))
    });
    match parsed {
        Some((kept, total)) => (kept, Some(total)),
        None => (text, None),
    }
}

/// The length in characters of the longest string anywhere in `value`.
fn longest_len(value: &Value) -> Option<usize> {
    match value {
        Value::String(s) => Some(s.chars().count()),
        Value::Array(items) => items.iter().filter_map(longest_len).max(),
        Value::Object(map) => map.values().filter_map(longest_len).max(),
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

/// The longest string anywhere in `value`.
fn longest_string(value: &mut Value) -> Option<&mut String> {
    match value {
        Value::String(s) => Some(s),
        Value::Array(items) => items
            .iter_mut()
            .filter_map(longest_string)
            .max_by_key(|s| s.chars().count()),
        Value::Object(map) => map
            .values_mut()
            .filter_map(longest_string)
            .max_by_key(|s| s.chars().count()),
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

/// At least the length of `map` as compact JSON, found without escaping a
/// character: a character takes at most 6 bytes escaped (`\u001f`) and a
/// number at most 24 digits and signs. Usually far below the bound, so most
/// entries are never measured exactly.
fn json_len_bound(map: &Map<String, Value>) -> usize {
    fn string(text: &str) -> usize {
        2 + 6 * text.len()
    }
    fn value(v: &Value) -> usize {
        match v {
            Value::Null | Value::Bool(_) => 5,
            Value::Number(_) => 24,
            Value::String(text) => string(text),
            Value::Array(items) => 2 + items.iter().map(|item| value(item) + 1).sum::<usize>(),
            Value::Object(map) => object(map),
        }
    }
    fn object(map: &Map<String, Value>) -> usize {
        2 + map
            .iter()
            .map(|(k, v)| string(k) + 2 + value(v))
            .sum::<usize>()
    }
    object(map)
}

/// The length of `value` as compact JSON, counted without building the text.
fn json_len(value: &impl serde::Serialize) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    serde_json::to_writer(&mut counter, value).map_or(usize::MAX, |()| counter.0)
}

/// The most characters [`window`] reads past [`redact::LOOKAHEAD_CHARS`] to finish
/// a word: 64 Ki, past any credential however long.
const WORD_CHARS: usize = 64 * 1024;

/// What of `text` is redacted before it is cut to its first `keep`
/// characters: those, the [`redact::LOOKAHEAD_CHARS`] after them, and the rest of
/// a word of credential characters ([`invisible::in_credential`]) still
/// open there (up to [`WORD_CHARS`] more), so that a token longer than the
/// look-ahead that crosses the cut is still seen whole.
pub fn window(text: &str, keep: usize) -> &str {
    let window = prefix_chars(text, keep + redact::LOOKAHEAD_CHARS);
    let rest = &text[window.len()..];
    let word = rest
        .char_indices()
        .take(WORD_CHARS)
        .find(|&(_, c)| !invisible::in_credential(c))
        .map_or_else(|| prefix_chars(rest, WORD_CHARS).len(), |(at, _)| at);
    &text[..window.len() + word]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_values_are_kept() {
        assert_eq!(cut_string("abc", 3), None);
        assert_eq!(prefix_chars("abc", 10), "abc");
    }

    #[test]
    fn long_values_keep_the_seed_marker() {
        let long = "é".repeat(600);
        let cut = cut_string(&long, 500).unwrap();
        assert_eq!(cut, format!("{} …[600 chars total]", "é".repeat(500)));
    }

    #[test]
    fn never_splits_a_character() {
        let text = "a😀b😀c";
        assert_eq!(prefix_chars(text, 2), "a😀");
        assert_eq!(prefix_chars(text, 0), "");
    }

    #[test]
    fn prefixes_agree_with_counting_characters() {
        let texts = [
            "plain ascii text that runs past a few chunks".to_owned(),
            format!("{}é{}", "a".repeat(15), "b".repeat(20)),
            format!("{}😀", "x".repeat(16)),
            "ünïcödé ".repeat(5),
            "€".repeat(20),
        ];
        for text in &texts {
            for max in 0..=text.len() + 1 {
                let expected = text
                    .char_indices()
                    .nth(max)
                    .map_or(text.as_str(), |(end, _)| &text[..end]);
                assert_eq!(prefix_chars(text, max), expected, "{text:?} {max}");
            }
        }
    }

    /// A token longer than the look-ahead that crosses the cut is read to
    /// its end, so that redaction sees it whole; a window ends at the first
    /// character no credential holds.
    #[test]
    fn a_window_reads_a_word_across_its_end_to_the_words_end() {
        let token = format!("pypi-{}", "A".repeat(3000));
        let text = format!("{} {token} after", "x".repeat(290));
        let seen = window(&text, 300);
        assert!(seen.ends_with(&token), "{}", seen.len());
        let words = "word ".repeat(600);
        let seen = window(&words, 300).len();
        assert!(
            (1324..=1328).contains(&seen) && words[..seen].ends_with('d'),
            "{seen}"
        );
        assert_eq!(window("short", 300), "short");
        let endless = "z".repeat(200_000);
        assert_eq!(
            window(&endless, 300).len(),
            300 + redact::LOOKAHEAD_CHARS + WORD_CHARS
        );
    }

    #[test]
    fn a_redaction_marker_is_kept_whole_or_not_at_all() {
        let text = "token=[REDACTED] and more";
        for max in 0..text.len() {
            let kept = kept_prefix(text, max);
            assert!(kept.chars().count() <= max, "{max}: {kept:?}");
            let marker_from = "token=".len();
            let marker_to = marker_from + MARKER.len();
            if (marker_from + 1..marker_to).contains(&max) {
                assert_eq!(kept, "token=", "{max}");
            } else {
                assert_eq!(kept, prefix_chars(text, max), "{max}");
            }
        }
        assert_eq!(
            cut_string("[REDACTED]", 5).unwrap(),
            " …[10 chars total]".to_owned()
        );
        assert_eq!(cut_string("[REDACTED]", 10), None);
        assert_eq!(
            cut_string("é[REDACTED]x", 11).unwrap(),
            "é[REDACTED] …[12 chars total]"
        );
    }

    #[test]
    fn cuts_at_any_depth_but_not_keys() {
        let key = "k".repeat(20);
        let mut v =
            json!({ key.clone(): "x".repeat(20), "n": [1, {"deep": "y".repeat(11)}], "b": true });
        cut_strings(&mut v, 10);
        assert_eq!(v[&key], format!("{} …[20 chars total]", "x".repeat(10)));
        assert_eq!(
            v["n"][1]["deep"],
            format!("{} …[11 chars total]", "y".repeat(10))
        );
        assert_eq!(v["n"][0], 1);
        assert_eq!(v["b"], true);
    }

    #[test]
    fn oversized_entries_are_cut_to_fit_and_stay_valid_json() {
        let mut entry = json!({
            "ts": "2025-10-23T12:00:00Z",
            "args": {"a": "α".repeat(60_000), "b": "b".repeat(30_000), "n": [1, 2, 3]},
            "result_snippet": "short",
        })
        .as_object()
        .unwrap()
        .clone();
        assert!(fit(&mut entry, &["args", "result_snippet"], 20_000));
        let text = serde_json::to_string(&entry).unwrap();
        assert!(text.len() <= 20_000 - SEAL_BYTES, "{}", text.len());
        assert!(
            entry["args"]["a"]
                .as_str()
                .unwrap()
                .ends_with("…[60000 chars total]")
        );
        assert_eq!(entry["args"]["n"], json!([1, 2, 3]));
        assert_eq!(entry["ts"], "2025-10-23T12:00:00Z");
    }

    #[test]
    fn many_small_values_become_a_note() {
        let many: Map<String, Value> = (0..5_000)
            .map(|i| (format!("k{i}"), Value::from(i)))
            .collect();
        let mut entry = json!({"ts": "t", "args": many})
            .as_object()
            .unwrap()
            .clone();
        assert!(fit(&mut entry, &["args"], 4_096));
        assert!(entry["args"].as_str().unwrap().starts_with("[cut: "));
        let mut small = json!({"ts": "t", "args": {"a": 1}})
            .as_object()
            .unwrap()
            .clone();
        assert!(!fit(&mut small, &["args"], 4_096));
    }
}
