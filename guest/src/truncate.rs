//! Cutting long values down to size, always on a character boundary.

use serde_json::Value;

/// The first `max` characters of `text` (all of it if it is shorter).
pub fn prefix_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// `text` itself if it has at most `max` characters; otherwise its first `max`
/// characters followed by ` …[N chars total]`, N being its length in characters.
pub fn cut_string(text: &str, max: usize) -> Option<String> {
    let kept = prefix_chars(text, max);
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
}
