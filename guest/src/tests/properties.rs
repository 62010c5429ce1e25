//! Property tests (issue 5): truncation, redaction and entry formatting keep
//! their promises for arbitrary Unicode text and arbitrary JSON.
//!
//! - Output is always valid JSON on one line, and every string in it is the
//!   input's text cut on a character boundary (a prefix by characters).
//! - Limits hold: `arg_max_chars` plus the documented ` …[N chars total]`
//!   marker with the right N, `snippet_chars`, and `max_entry_bytes` for the
//!   stored (sealed) entry, which says `"truncated": true` when it was cut.
//! - Values under secret-looking keys (any case, any `-`/`_` spelling, at any
//!   depth, in arrays of objects too) never reach the output.
//! - A whole append through [`FsStorage`] writes one line that reads back as
//!   the receipt's entry, and whose link re-computes from its canonical form.
//!
//! Failure persistence is off so that nothing is written into the repository;
//! a failure prints the minimal case, which can be pinned as a unit test.

use std::sync::mpsc;
use std::time::Duration;

use crate::chain::{self, Chain};
use crate::entry;
use crate::json_text;
use crate::redact::{self, MARKER, Redactor};
use crate::settings::{Settings, SettingsUpdate};
use crate::skill_log::{self, SkillRun};
use crate::storage::fs::FsStorage;
use crate::stored_line;
use crate::tool_log::{self, ToolCall};
use crate::truncate;
use crate::validate;
use auditlog_model::invisible;
use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{Map, Value, json};
use unicode_normalization::UnicodeNormalization;

/// Strings are not cut below this many characters while fitting (`truncate`'s
/// `MIN_KEPT_CHARS`, as documented there).
const MIN_KEPT_CHARS: usize = 32;
/// The fields [`truncate::fit`] may cut in the direct `fit` property.
const FIT_FIELDS: &[&str] = &["args", "result_snippet", "errors"];

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------

/// Characters that tend to break text handling: escapes, controls, combining
/// marks, joiners, line separators, multi-byte and astral characters, and the
/// marker's own punctuation.
const TRICKY: &[char] = &[
    '"',
    '\\',
    '/',
    '\n',
    '\r',
    '\t',
    '\0',
    '\u{1}',
    '\u{1f}',
    '\u{7f}',
    '\u{85}',
    '\u{a0}',
    '\u{301}',
    '\u{200d}',
    '\u{2028}',
    '\u{2029}',
    '\u{feff}',
    '\u{fffd}',
    'é',
    'ß',
    'İ',
    '€',
    '…',
    '😀',
    '👩',
    '\u{1f3fd}',
    '\u{10ffff}',
    '[',
    ']',
    '{',
    '}',
    ':',
    '=',
    '&',
    ' ',
    '0',
];

fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        2 => prop::char::range('a', 'z'),
        2 => prop::sample::select(TRICKY),
    ]
}

/// Arbitrary Unicode text of at most `max_chars` characters.
fn text(max_chars: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any_char(), 0..=max_chars).prop_map(|c| c.into_iter().collect())
}

/// Text as found in values: mostly short, sometimes long enough to be cut,
/// sometimes already ending in something that looks like a cut marker
/// (with leading zeros, so the claimed total can be long).
fn value_text() -> BoxedStrategy<String> {
    prop_oneof![
        6 => text(40),
        2 => text(700),
        1 => (text(40), "0{0,40}[0-9]{1,5}|[1-9][0-9]{0,19}")
            .prop_map(|(kept, n)| format!("{kept} …[{n} chars total]")),
    ]
    .boxed()
}

/// A float that survives a trip through JSON text exactly.
fn exact_float() -> impl Strategy<Value = Value> {
    (any::<i32>(), 0..6i32).prop_map(|(m, e)| Value::from(f64::from(m) / 10f64.powi(e)))
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => exact_float(),
        6 => value_text().prop_map(Value::String),
    ]
}

/// A key input accepts: no invisible character, in NFC (so that keys that
/// differ in bytes differ to the strict reading too).
fn key() -> impl Strategy<Value = String> {
    prop_oneof![3 => text(12), 1 => "[a-z_]{1,10}"].prop_map(|k| visible(&k).nfc().collect())
}

/// Arbitrary JSON: up to 4 levels, about 48 nodes.
fn json() -> BoxedStrategy<Value> {
    leaf()
        .prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((key(), inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
        .boxed()
}

fn json_object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((key(), json()), 0..6).prop_map(|kv| kv.into_iter().collect())
}

/// A key of a stored line: mostly the ones queries read.
fn row_key() -> impl Strategy<Value = String> {
    const READ: &[&str] = &[
        "ts",
        "timestamp",
        "skill",
        "tool",
        "user",
        "status",
        "duration_ms",
    ];
    prop_oneof![
        4 => prop::sample::select(READ).prop_map(str::to_owned),
        1 => key(),
    ]
}

/// A value in a stored line: mostly what the component writes there.
fn row_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => "[a-z0-9:._-]{0,24}".prop_map(Value::String),
        2 => any::<u64>().prop_map(Value::from),
        2 => json(),
    ]
}

/// What damages a line in `rows_are_read_as_serde_json_reads_them`: `""`
/// cuts it there; anything else is inserted.
const STRAY: &[&str] = &[
    "", "\"", "\\", "\\u", "\\x", ",", ":", "}", "{", "]", "[", " ", "\t", "0", "-", "e", "n",
    "\\u00e9", "\u{1}", "é",
];

/// `word` with each letter's case and a `-`/`_` before it chosen by `spelling`.
fn spell(word: &str, spelling: &[(bool, &str)]) -> String {
    let mut out = String::new();
    for (c, (upper, sep)) in word.chars().zip(spelling) {
        out.push_str(sep);
        out.push(if *upper { c.to_ascii_uppercase() } else { c });
    }
    out
}

fn spelling() -> impl Strategy<Value = Vec<(bool, &'static str)>> {
    prop::collection::vec(
        (
            any::<bool>(),
            prop::sample::select(vec!["", "", "", "-", "_"]),
        ),
        16,
    )
}

/// A secret-looking key: a built-in word in any case and `-`/`_` spelling,
/// inside arbitrary text (`X-Api-Key`, `db_PassWord`, `ü-t_OKEN✓`, ...),
/// sometimes a long one.
fn secret_key() -> impl Strategy<Value = String> {
    (
        prop::sample::select(redact::keys::SECRET_KEYS.to_vec()),
        spelling(),
        prop_oneof![9 => text(4), 1 => text(300)],
        text(4),
    )
        .prop_map(|(word, spelling, prefix, suffix)| {
            format!("{prefix}{}{suffix}", spell(word, &spelling))
        })
}

/// A secret-looking word as it appears in text: only word characters around it.
fn secret_word() -> impl Strategy<Value = String> {
    (
        prop::sample::select(redact::keys::SECRET_KEYS.to_vec()),
        spelling(),
        "[A-Za-z0-9_-]{0,4}",
        "[A-Za-z0-9_-]{0,4}",
    )
        .prop_map(|(word, spelling, prefix, suffix)| {
            format!("{prefix}{}{suffix}", spell(word, &spelling))
        })
}

/// A distinctive secret, unlikely to occur anywhere by chance.
fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{12}".prop_map(|t| format!("zq{t}qz"))
}

/// A value to hide under a secret key, and the token it holds.
fn secret_value() -> impl Strategy<Value = (String, Value)> {
    (token(), json(), 0..4u8).prop_map(|(token, other, shape)| {
        let value = match shape {
            0 => Value::String(token.clone()),
            1 => json!([other, token]),
            2 => json!({ "inner": token, "other": other }),
            _ => Value::String(format!("Bearer {token}")),
        };
        (token, value)
    })
}

/// Puts `key: value` into the `n`-th object of `value` (depth first).
fn insert_at(value: &mut Value, n: &mut usize, key: &str, secret: &Value) -> bool {
    match value {
        Value::Object(map) => {
            if *n == 0 {
                map.insert(key.to_owned(), secret.clone());
                return true;
            }
            *n -= 1;
            map.values_mut().any(|v| insert_at(v, n, key, secret))
        }
        Value::Array(items) => items.iter_mut().any(|v| insert_at(v, n, key, secret)),
        _ => false,
    }
}

fn count_objects(value: &Value) -> usize {
    match value {
        Value::Object(map) => 1 + map.values().map(count_objects).sum::<usize>(),
        Value::Array(items) => items.iter().map(count_objects).sum(),
        _ => 0,
    }
}

/// An arbitrary object with secrets planted at any depth, some in arrays of
/// objects, sometimes many of them; also the planted (key, token) pairs.
fn object_with_secrets() -> impl Strategy<Value = (Map<String, Value>, Vec<(String, String)>)> {
    (
        json_object(),
        prop_oneof![4 => 0..5usize, 1 => 5..60usize].prop_flat_map(|n| {
            prop::collection::vec(
                (any::<usize>(), any::<bool>(), secret_key(), secret_value()),
                n,
            )
        }),
    )
        .prop_map(|(object, plants)| {
            let mut root = Value::Object(object);
            let mut secrets = Vec::new();
            for (at, in_list, key, (token, value)) in plants {
                let planted = if in_list {
                    json!([{ "n": 1 }, { key.clone(): value }, { "n": 2 }])
                } else {
                    value
                };
                let host = if in_list { "list" } else { key.as_str() };
                let mut n = at % count_objects(&root);
                insert_at(&mut root, &mut n, host, &planted);
                secrets.push((key, token));
            }
            let Value::Object(object) = root else {
                unreachable!()
            };
            (object, secrets)
        })
}

/// Text with a `key=value`-style secret inside, as documented for `Redactor::text`.
fn text_with_secret() -> impl Strategy<Value = (String, String)> {
    (
        text(30),
        secret_word(),
        prop::sample::select(vec![
            "=", ":", ": ", " = ", " : ", "=\"", "='", "\":\"", "\": \"", "':'",
        ]),
        prop::sample::select(vec!["", "", "Bearer ", "basic "]),
        token(),
        prop::sample::select(vec!["", "\"", "'", "&", ";", ",", "}"]),
        text(30),
    )
        .prop_map(|(before, key, sep, scheme, token, close, after)| {
            let text = format!("{before} {key}{sep}{scheme}{token}{close} {after}");
            (text, token)
        })
}

/// An object with or without planted secrets, as input may send it: no key
/// holds an invisible character.
fn object_maybe_secrets() -> impl Strategy<Value = (Map<String, Value>, Vec<(String, String)>)> {
    prop_oneof![
        2 => object_with_secrets(),
        1 => json_object().prop_map(|object| (object, Vec::new())),
    ]
    .prop_map(|(object, secrets)| {
        let Value::Object(object) = visible_keys(Value::Object(object)) else {
            unreachable!()
        };
        let secrets = secrets
            .into_iter()
            .map(|(key, token)| (visible(&key), token));
        (object, secrets.collect())
    })
}

/// `key` without the invisible characters input refuses in keys.
fn visible(key: &str) -> String {
    key.chars()
        .filter(|&c| !invisible::hides_in_json(c))
        .collect()
}

/// `value` with [`visible`] keys at every depth.
fn visible_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| (visible(&key), visible_keys(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(visible_keys).collect()),
        other => other,
    }
}

/// Extra words for the redactor, as a caller might configure them.
fn extra_words() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[a-zA-Z][a-zA-Z_-]{2,7}", 0..2)
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        1u32..=600,
        0u32..=400,
        prop_oneof![3 => 1_024u32..=4_096, 1 => 4_096u32..=131_072],
        any::<bool>(),
        extra_words(),
    )
        .prop_map(|(arg_max, snippet, max_bytes, keyed, words)| {
            Settings::default()
                .updated(&SettingsUpdate {
                    arg_max_chars: Some(arg_max),
                    snippet_chars: Some(snippet),
                    max_entry_bytes: Some(max_bytes),
                    chain_key: keyed.then(|| b"property-test-chain-key".to_vec()),
                    redact_keys: Some(words),
                    ..SettingsUpdate::default()
                })
                .expect("settings in range")
        })
}

/// A name that passes validation: any characters but controls, whitespace,
/// slashes and `..`; not `.`-led for users; not auditlog's reserved prefix.
/// Short, long, or long in four-byte characters.
fn name(field: &'static str) -> impl Strategy<Value = String> {
    let name_char = any_char()
        .prop_filter("not allowed in names", |c| {
            !c.is_control() && !c.is_whitespace() && !matches!(c, '/' | '\\')
        })
        .boxed();
    prop_oneof![
        prop::collection::vec(name_char.clone(), 1..=12),
        prop::collection::vec(name_char, 100..=128),
        prop::collection::vec(prop::char::range('\u{10000}', '\u{10ffff}'), 64..=128),
    ]
    .prop_map(|c| c.into_iter().collect::<String>())
    .prop_filter("valid name", move |n| {
        let valid = if field == "user" {
            validate::user(n).is_ok()
        } else {
            validate::name(field, n).is_ok()
        };
        valid && !n.starts_with("auditlog.")
    })
}

/// Arbitrary text that sometimes holds a secret, and the secret's token.
fn text_maybe_secret(max_chars: usize) -> impl Strategy<Value = (String, Option<String>)> {
    prop_oneof![
        2 => text(max_chars).prop_map(|t| (t, None)),
        1 => value_text().prop_map(|t| (t, None)),
        1 => text_with_secret().prop_map(|(t, token)| (t, Some(token))),
    ]
}

struct ToolInput {
    call: ToolCall,
    args: Map<String, Value>,
    tokens: Vec<String>,
}

impl std::fmt::Debug for ToolInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.call.fmt(f)
    }
}

fn tool_input() -> impl Strategy<Value = ToolInput> {
    (
        name("user"),
        name("tool"),
        prop::sample::select(validate::TOOL_STATUSES.to_vec()),
        object_maybe_secrets(),
        text_maybe_secret(1_000),
    )
        .prop_map(|(user, tool, status, (args, secrets), (result, secret))| {
            let mut tokens: Vec<String> = secrets.into_iter().map(|(_, t)| t).collect();
            tokens.extend(secret);
            ToolInput {
                call: ToolCall {
                    user,
                    tool,
                    args: Value::Object(args.clone()).to_string(),
                    status: status.to_owned(),
                    output: result,
                },
                args,
                tokens,
            }
        })
}

struct SkillInput {
    run: SkillRun,
    metadata: Option<Map<String, Value>>,
    tokens: Vec<String>,
}

impl std::fmt::Debug for SkillInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.run.fmt(f)
    }
}

fn skill_input() -> impl Strategy<Value = SkillInput> {
    (
        name("skill"),
        "[a-z][a-z0-9_-]{0,31}",
        prop::option::of(any::<u64>()),
        prop::option::of(prop::collection::vec(text_maybe_secret(200), 0..4)),
        prop::option::of(object_maybe_secrets()),
        any::<bool>(),
    )
        .prop_map(|(skill, status, duration_ms, errors, metadata, pretty)| {
            let mut tokens = Vec::new();
            let errors = errors.map(|errors| {
                errors
                    .into_iter()
                    .map(|(text, token)| {
                        tokens.extend(token);
                        text
                    })
                    .collect()
            });
            let metadata = metadata.map(|(object, secrets)| {
                tokens.extend(secrets.into_iter().map(|(_, t)| t));
                object
            });
            let text = metadata.as_ref().map(|m| {
                if pretty {
                    serde_json::to_string_pretty(m).unwrap()
                } else {
                    serde_json::to_string(m).unwrap()
                }
            });
            SkillInput {
                run: SkillRun {
                    skill,
                    status,
                    duration_ms,
                    errors,
                    metadata: text,
                },
                metadata,
                tokens,
            }
        })
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

fn fail(message: String) -> TestCaseError {
    TestCaseError::fail(message)
}

/// `text` split into what was kept and the total its ` …[N chars total]`
/// marker claims, if it ends in one written by `truncate` (plain digits).
fn parse_marker(text: &str) -> Option<(&str, usize)> {
    let rest = text.strip_suffix(" chars total]")?;
    let (kept, number) = rest.rsplit_once(" …[")?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((kept, number.parse().ok()?))
}

/// As `truncate` reads a marker when it cuts a string again (any `usize`).
fn trusted_marker(text: &str) -> (&str, Option<usize>) {
    let parsed = text.strip_suffix(" chars total]").and_then(|rest| {
        let (kept, number) = rest.rsplit_once(" …[")?;
        Some((kept, number.parse::<usize>().ok()?))
    });
    match parsed {
        Some((kept, total)) => (kept, Some(total)),
        None => (text, None),
    }
}

/// `prefix` is `text`'s first characters, cut on a character boundary.
fn check_prefix(text: &str, prefix: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        text.is_char_boundary(prefix.len()) && text.starts_with(prefix),
        "{prefix:?} is not a prefix of {text:?}"
    );
    Ok(())
}

/// `out` is `orig` as [`truncate::cut_string`] documents it for `max`.
fn check_cut(orig: &str, out: &str, max: usize) -> Result<(), TestCaseError> {
    let total = orig.chars().count();
    if total <= max {
        prop_assert_eq!(out, orig);
        return Ok(());
    }
    let (kept, n) = parse_marker(out).ok_or_else(|| fail(format!("no marker in {out:?}")))?;
    prop_assert_eq!(n, total, "marker total of {:?}", out);
    let short_by = max - kept.chars().count();
    prop_assert!(
        short_by == 0 || orig[kept.len()..].starts_with("[REDACTED]") && short_by < 10,
        "{:?} keeps {} characters of {}",
        out,
        kept.chars().count(),
        max
    );
    check_prefix(orig, kept)
}

/// `out` has `orig`'s shape (same keys in the same order, same array lengths,
/// same scalars), and `strings` accepts each pair of strings.
fn check_shape(
    orig: &Value,
    out: &Value,
    strings: &mut dyn FnMut(&str, &str) -> Result<(), TestCaseError>,
) -> Result<(), TestCaseError> {
    match (orig, out) {
        (Value::String(a), Value::String(b)) => strings(a, b),
        (Value::Array(a), Value::Array(b)) => {
            prop_assert_eq!(a.len(), b.len());
            a.iter()
                .zip(b)
                .try_for_each(|(a, b)| check_shape(a, b, strings))
        }
        (Value::Object(a), Value::Object(b)) => {
            prop_assert!(a.keys().eq(b.keys()), "keys changed: {a:?} -> {b:?}");
            a.values()
                .zip(b.values())
                .try_for_each(|(a, b)| check_shape(a, b, strings))
        }
        (a, b) => {
            prop_assert_eq!(a, b);
            Ok(())
        }
    }
}

/// Every string in `value`, at any depth.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Every value under a secret-looking key, at any depth, is the marker (cut
/// to the string limit, perhaps), null, a boolean, or a number counting.
fn check_secret_keys(value: &Value, redactor: &Redactor) -> Result<(), TestCaseError> {
    match value {
        Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            if redactor.is_secret_key(k) {
                let marker = v.as_str().is_some_and(|s| {
                    s == MARKER || parse_marker(s).is_some_and(|(kept, _)| MARKER.starts_with(kept))
                });
                let harmless =
                    v.is_null() || v.is_boolean() || v.is_number() && redact::keys::is_counter(k);
                prop_assert!(marker || harmless, "{k:?} kept {v:?}");
                Ok(())
            } else {
                check_secret_keys(v, redactor)
            }
        }),
        Value::Array(items) => items
            .iter()
            .try_for_each(|v| check_secret_keys(v, redactor)),
        _ => Ok(()),
    }
}

fn is_note(value: &Value) -> bool {
    value
        .as_str()
        .and_then(|s| s.strip_prefix("[cut: "))
        .and_then(|s| s.strip_suffix(" bytes]"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A string `fit` may have cut: kept, or a longer-than-minimum character
/// prefix of what `orig` kept, with the total `orig` had (or claimed).
fn check_fit_cut(orig: &str, out: &str) -> Result<(), TestCaseError> {
    if out == orig {
        return Ok(());
    }
    let (orig_kept, claimed) = trusted_marker(orig);
    let total = claimed.unwrap_or_else(|| orig.chars().count());
    let (kept, n) = parse_marker(out).ok_or_else(|| fail(format!("no marker in {out:?}")))?;
    prop_assert_eq!(n, total, "marker total of {:?}", out);
    // Shorter than before, but never below the minimum (a marker claiming a
    // total may be rewritten with the same text kept).
    let (kept_chars, orig_chars) = (kept.chars().count(), orig_kept.chars().count());
    prop_assert!(
        kept_chars <= orig_chars && kept_chars >= MIN_KEPT_CHARS.min(orig_chars),
        "kept {kept_chars} characters of {orig:?}"
    );
    check_prefix(orig_kept, kept)
}

/// `line` is one line of JSON that parses back to an object and re-serialises
/// to itself.
fn parse_line(line: &str) -> Result<Map<String, Value>, TestCaseError> {
    prop_assert!(!line.contains(['\n', '\r']), "not one line: {line:?}");
    let map: Map<String, Value> =
        serde_json::from_str(line).map_err(|e| fail(format!("{e}: {line}")))?;
    prop_assert_eq!(serde_json::to_string(&map).unwrap(), line);
    Ok(map)
}

/// `entry` carries `seq` and a link that re-computes from its canonical form.
fn check_seal(entry: &Map<String, Value>, chain: &Chain, seq: u64) -> Result<(), TestCaseError> {
    prop_assert_eq!(&entry[chain::SEQ], &Value::from(seq));
    let hex = entry[chain.field()].as_str().unwrap_or_default();
    let link = chain::from_hex(hex).ok_or_else(|| fail(format!("bad link {hex:?}")))?;
    prop_assert_eq!(chain.link(&chain::GENESIS, &chain.canonical(entry)), link);
    Ok(())
}

fn is_truncated(entry: &Map<String, Value>) -> bool {
    entry.get(entry::TRUNCATED) == Some(&Value::Bool(true))
}

fn check_keys(
    entry: &Map<String, Value>,
    seed: &[&str],
    chain: &Chain,
) -> Result<(), TestCaseError> {
    let mut expected: Vec<&str> = seed.to_vec();
    if entry.contains_key(entry::REDACTED) {
        expected.push(entry::REDACTED);
    }
    if entry.contains_key(entry::TRUNCATED) {
        prop_assert!(is_truncated(entry));
        expected.push(entry::TRUNCATED);
    }
    expected.extend([chain::SEQ, chain.field()]);
    prop_assert!(
        entry.keys().eq(expected.iter().copied()),
        "keys {:?}",
        entry.keys()
    );
    Ok(())
}

/// Runs `fit` on another thread, so that a loop that never ends fails the
/// property instead of hanging the suite.
fn fit_within(
    mut entry: Map<String, Value>,
    max_bytes: usize,
) -> Result<(Map<String, Value>, bool), TestCaseError> {
    let (tx, rx) = mpsc::channel();
    let shown = format!(
        "{} bytes of JSON into {max_bytes}",
        Value::Object(entry.clone())
    );
    std::thread::spawn(move || {
        let cut = truncate::fit(&mut entry, FIT_FIELDS, max_bytes);
        let _ = tx.send((entry, cut));
    });
    rx.recv_timeout(Duration::from_secs(10))
        .map_err(|_| fail(format!("fit did not finish: {shown}")))
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 10, 23, 12, 0, 0).unwrap()
}

// ---------------------------------------------------------------------------
// Reading lines: 4,096 cases (about a second), since a disagreement needs a
// stray byte in the right place
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(4096))]

    /// Queries read a stored line's fields exactly as `serde_json` would,
    /// whatever the line: an entry, one with fields of other types or
    /// repeated, pretty-printed, cut short or with a stray byte.
    #[test]
    fn rows_are_read_as_serde_json_reads_them(
        (members, pretty, damage) in (
            prop::collection::vec((row_key(), row_value()), 0..9),
            any::<bool>(),
            prop::option::of((any::<prop::sample::Index>(), prop::sample::select(STRAY))),
        )
    ) {
        let members: Vec<String> = members
            .iter()
            .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), v))
            .collect();
        let mut line = format!("{{{}}}", members.join(if pretty { " , " } else { "," }));
        if let Some((at, stray)) = damage {
            let mut at = at.index(line.len() + 1);
            while !line.is_char_boundary(at) {
                at -= 1;
            }
            match stray {
                "" => line.truncate(at),
                stray => line.insert_str(at, stray),
            }
        }
        prop_assert_eq!(stored_line::read(&line), stored_line::read_with_serde_json(&line), "{}", line);
    }

    /// Nothing hidden (issue 15): a line `verify` accepts where it was found
    /// is one queries read and accept there too, with the same time —
    /// whatever was done to it: fields replaced by others of any type,
    /// keys repeated, members added, a stray byte.
    #[test]
    fn a_line_verify_accepts_is_one_queries_return(
        (skills, edits, extra, damage) in (
            any::<bool>(),
            prop::collection::vec((0usize..8, row_key(), row_value()), 0..3),
            prop::collection::vec((row_key(), row_value()), 0..3),
            prop::option::of((any::<prop::sample::Index>(), prop::sample::select(STRAY))),
        )
    ) {
        let (time_key, name_key) = if skills { ("timestamp", "skill") } else { ("ts", "tool") };
        let mut members: Vec<(String, Value)> = vec![
            (time_key.into(), json!("2025-10-23T12:00:00Z")),
            ("user".into(), json!("amy")),
            (name_key.into(), json!("t")),
            ("args".into(), json!({"k": "v", "n": [1, 2.5]})),
            ("status".into(), json!("ok")),
            ("seq".into(), json!(7)),
            ("hash".into(), json!("00ff")),
        ];
        for (at, key, value) in edits {
            let at = at.min(members.len() - 1);
            members[at] = (key, value);
        }
        members.extend(extra);
        let members: Vec<String> = members
            .iter()
            .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), v))
            .collect();
        let mut line = format!("{{{}}}", members.join(","));
        if let Some((at, stray)) = damage {
            let mut at = at.index(line.len() + 1);
            while !line.is_char_boundary(at) {
                at -= 1;
            }
            match stray {
                "" => line.truncate(at),
                stray => line.insert_str(at, stray),
            }
        }
        let place = if skills {
            stored_line::Place::Skills
        } else {
            stored_line::Place::Day {
                user: "amy",
                day: chrono::NaiveDate::from_ymd_opt(2025, 10, 23).unwrap(),
            }
        };
        let verified = stored_line::read_strictly(&line, place).and_then(|(entry, time)| {
            stored_line::placed(entry.get("user").and_then(Value::as_str), time, place)
        });
        if verified.is_ok() {
            let read = stored_line::read(&line);
            prop_assert!(read.is_some(), "queries cannot read {}", line);
            let checked = stored_line::check(&read.unwrap(), place, crate::clock::parse_instant);
            prop_assert!(checked.is_ok(), "queries skip {}: {:?}", line, checked);
        }
    }
}

// ---------------------------------------------------------------------------
// Properties of the parts: 256 cases each
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    /// `prefix_chars` keeps exactly the first `max` characters.
    #[test]
    fn prefix_chars_is_a_character_prefix(text in value_text(), max in 0usize..800) {
        let kept = truncate::prefix_chars(&text, max);
        check_prefix(&text, kept)?;
        prop_assert!(kept.chars().eq(text.chars().take(max)));
    }

    /// The append path's JSON writer writes exactly what `serde_json` does,
    /// and with sorted keys exactly the chain's canonical form of it.
    #[test]
    fn json_text_is_serde_json_text(value in json()) {
        let mut stored = Vec::new();
        json_text::write_value(&mut stored, &value, false);
        prop_assert_eq!(stored, serde_json::to_vec(&value).unwrap());
        let mut sorted = Vec::new();
        json_text::write_value(&mut sorted, &value, true);
        let reparsed: Value = serde_json::from_slice(&sorted).unwrap();
        prop_assert_eq!(&reparsed, &value);
        if let Value::Object(map) = &value
            && !map.contains_key(chain::HASH)
            && !map.contains_key(chain::MAC)
        {
            prop_assert_eq!(chain::canonical(map, chain::HASH), sorted);
        }
    }

    /// `cut_string`: nothing for short text, else `max` characters and the
    /// marker with the text's length in characters.
    #[test]
    fn cut_string_keeps_max_chars_and_the_right_total(text in value_text(), max in 0usize..800) {
        match truncate::cut_string(&text, max) {
            None => prop_assert!(text.chars().count() <= max),
            Some(cut) => check_cut(&text, &cut, max)?,
        }
    }

    /// `cut_strings` cuts every string at any depth and touches nothing else;
    /// the result is still valid JSON.
    #[test]
    fn cut_strings_cuts_every_string_and_nothing_else(value in json(), max in 0usize..100) {
        let mut cut = value.clone();
        truncate::cut_strings(&mut cut, max);
        check_shape(&value, &cut, &mut |a, b| check_cut(a, b, max))?;
        let text = serde_json::to_string(&cut).unwrap();
        prop_assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), cut);
    }

    /// `fit` leaves room for the seal (unless every field it may cut is
    /// already a `[cut: N bytes]` note), cuts only those fields, and only to
    /// character prefixes no shorter than its minimum, with the right total.
    #[test]
    fn fit_bounds_the_entry_and_cuts_on_char_boundaries(
        ts in text(10),
        args in json_object(),
        snippet in value_text(),
        errors in prop::option::of(prop::collection::vec(value_text(), 0..4)),
        max_bytes in 128usize..6_000,
    ) {
        let mut orig = Map::new();
        orig.insert("ts".into(), Value::String(ts));
        orig.insert("args".into(), Value::Object(args));
        orig.insert("result_snippet".into(), Value::String(snippet));
        if let Some(errors) = errors {
            orig.insert("errors".into(), Value::from(errors));
        }
        let (mut out, cut) = fit_within(orig.clone(), max_bytes)?;
        prop_assert_eq!(cut, out != orig, "`fit` says whether it cut");
        prop_assert!(orig.keys().eq(out.keys()));
        prop_assert_eq!(&orig["ts"], &out["ts"]);
        for field in FIT_FIELDS.iter().filter(|f| orig.contains_key(**f)) {
            if !is_note(&out[*field]) || orig[*field] == out[*field] {
                check_shape(&orig[*field], &out[*field], &mut check_fit_cut)?;
            }
        }
        let gave_up = FIT_FIELDS.iter().all(|f| out.get(*f).is_none_or(is_note));
        if cut {
            out.insert(entry::TRUNCATED.into(), Value::Bool(true));
        }
        let (line, _) = entry::seal(out, &Chain::plain(), u64::MAX, &chain::GENESIS);
        parse_line(&line)?;
        prop_assert!(gave_up || line.len() <= max_bytes, "{} > {max_bytes}: {line}", line.len());
    }

    /// Values under secret-looking keys never survive redaction, at any depth
    /// and however the key is spelt; everything else keeps its shape.
    #[test]
    fn redaction_hides_every_secret_value(
        (object, secrets) in object_with_secrets(),
        extra in extra_words(),
    ) {
        let redactor = Redactor::new(&extra);
        for (key, _) in &secrets {
            prop_assert!(redactor.is_secret_key(key), "{key:?} is not secret-looking");
        }
        let orig = Value::Object(object);
        let mut out = orig.clone();
        let mut paths = Vec::new();
        redactor.value(&mut out, "args", &mut paths);
        let text = serde_json::to_string(&out).unwrap();
        for (key, token) in &secrets {
            prop_assert!(!text.contains(token.as_str()), "{key:?}'s {token} in {text}");
        }
        check_secret_keys(&out, &redactor)?;
        prop_assert!(out == orig || !paths.is_empty());
        prop_assert!(paths.iter().all(|p| p.starts_with("args")));
        // The same shape, secret keys aside; changed strings hold the marker.
        fn walk(
            orig: &Value,
            out: &Value,
            redactor: &Redactor,
        ) -> Result<(), TestCaseError> {
            match (orig, out) {
                (Value::Object(a), Value::Object(b)) => {
                    // A key that holds a secret itself is renamed, in place.
                    prop_assert_eq!(a.len(), b.len());
                    for (ka, kb) in a.keys().zip(b.keys()) {
                        prop_assert!(ka == kb || redactor.text(ka).is_some() && kb.contains(MARKER));
                    }
                    for ((k, a), b) in a.iter().zip(b.values()) {
                        if a.is_null() || !redactor.is_secret_key(k) {
                            walk(a, b, redactor)?;
                        }
                    }
                    Ok(())
                }
                (Value::Array(a), Value::Array(b)) => {
                    prop_assert_eq!(a.len(), b.len());
                    // A list of pairs is read as the mapping it stands for:
                    // a pair with a secret-looking name is a secret key's.
                    let pairs = redact::lists::are_pairs(a);
                    a.iter().zip(b).try_for_each(|(a, b)| match a {
                        Value::Array(pair)
                            if pairs && pair[0].as_str().is_some_and(|n| redactor.is_secret_key(n)) =>
                        {
                            Ok(())
                        }
                        _ => walk(a, b, redactor),
                    })
                }
                (Value::String(a), Value::String(b)) => {
                    prop_assert!(a == b || b.contains(MARKER), "{a:?} -> {b:?}");
                    Ok(())
                }
                (a, b) => {
                    prop_assert_eq!(a, b);
                    Ok(())
                }
            }
        }
        walk(&orig, &out, &redactor)?;
    }

    /// `key=value` / `key: value` secrets and bearer credentials in text are
    /// replaced, whatever surrounds them; multi-byte text stays whole.
    #[test]
    fn redaction_hides_secrets_in_text((text, token) in text_with_secret()) {
        let redactor = Redactor::default();
        let out = redactor.text(&text);
        let out = out.ok_or_else(|| fail(format!("nothing redacted in {text:?}")))?;
        prop_assert!(!out.contains(token.as_str()), "{text:?} -> {out:?}");
        prop_assert!(out.contains(MARKER));
    }

    /// An entry as `tool_log::append` builds it, cleaned and sealed: one line
    /// of valid JSON within `max_entry_bytes`, secrets gone, `truncated` set
    /// whenever it was cut, and its link re-computes.
    #[test]
    fn cleaned_and_sealed_entries_keep_their_limits(
        (args, secrets) in object_with_secrets(),
        (snippet, snippet_secret) in text_maybe_secret(400),
        settings in settings(),
        seq in any::<u64>(),
    ) {
        let mut orig = Map::new();
        orig.insert("ts".into(), Value::from("2025-10-23T12:00:00Z"));
        orig.insert("user".into(), Value::from("alice"));
        orig.insert("tool".into(), Value::from("file_read"));
        orig.insert("args".into(), Value::Object(args));
        orig.insert("status".into(), Value::from("ok"));
        orig.insert("result_chars".into(), Value::from(snippet.chars().count()));
        orig.insert("result_snippet".into(), Value::from(snippet));
        let fields = ["args", "result_snippet"];
        let mut cleaned = orig.clone();
        entry::clean(&mut cleaned, &settings, &fields, &fields);
        let (line, _) = entry::seal(cleaned, &settings.chain, seq, &chain::GENESIS);
        let stored = parse_line(&line)?;
        check_seal(&stored, &settings.chain, seq)?;
        prop_assert!(
            line.len() <= settings.max_entry_bytes as usize,
            "{} bytes > max_entry_bytes {}: {line}", line.len(), settings.max_entry_bytes
        );
        for token in secrets.iter().map(|(_, t)| t).chain(&snippet_secret) {
            prop_assert!(!line.contains(token.as_str()), "{token} in {line}");
        }
        check_secret_keys(&stored["args"], &settings.redactor)?;
        // Cut means marked: compare with redaction alone.
        let mut redacted = orig.clone();
        for field in fields {
            settings.redactor.value(redacted.get_mut(field).unwrap(), field, &mut Vec::new());
        }
        if fields.iter().any(|f| redacted[*f] != stored[*f]) {
            prop_assert!(is_truncated(&stored), "cut but not marked: {line}");
        }
    }
}

// ---------------------------------------------------------------------------
// The whole append path through FsStorage: 64 cases each
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(64))]

    /// A tool call that passes validation is stored as one line of valid JSON
    /// that reads back as the receipt's entry, within every limit.
    #[test]
    fn tool_appends_store_one_bounded_line(input in tool_input(), settings in settings()) {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        let call = &input.call;
        let receipt = tool_log::append(&storage, &settings, now(), call, &Default::default())
            .map_err(|e| fail(format!("refused: {e}")))?;
        prop_assert_eq!(&receipt.path, &crate::day_files::day_path(&call.user, now().date_naive()));
        let written = std::fs::read_to_string(dir.path().join(&receipt.path)).unwrap();
        prop_assert_eq!(&written, &format!("{}\n", receipt.entry));
        let stored = parse_line(&receipt.entry)?;
        check_seal(&stored, &settings.chain, 1)?;
        check_keys(
            &stored,
            &["ts", "user", "tool", "args", "status", "result_chars", "result_snippet"],
            &settings.chain,
        )?;
        let max_bytes = settings.max_entry_bytes as usize;
        prop_assert!(
            receipt.entry.len() <= max_bytes,
            "{} bytes > max_entry_bytes {max_bytes}: {}", receipt.entry.len(), receipt.entry
        );
        prop_assert_eq!(&stored["ts"], "2025-10-23T12:00:00Z");
        prop_assert_eq!(&stored["user"], call.user.as_str());
        prop_assert_eq!(&stored["tool"], call.tool.as_str());
        prop_assert_eq!(&stored["status"], call.status.as_str());
        prop_assert_eq!(&stored["result_chars"], &Value::from(call.output.chars().count()));
        for token in &input.tokens {
            prop_assert!(!written.contains(token.as_str()), "{token} in {written}");
        }
        check_secret_keys(&stored["args"], &settings.redactor)?;

        let arg_max = settings.arg_max_chars as usize;
        let snippet_max = settings.snippet_chars as usize;
        let args = Value::Object(input.args.clone());
        let truncated = is_truncated(&stored);
        // Cut means marked: compare with the documented cuts and redaction alone.
        // Redacted first, then cut: no secret is kept in part.
        let mut model = args.clone();
        settings.redactor.value(&mut model, "args", &mut Vec::new());
        truncate::cut_strings(&mut model, arg_max);
        let snippet = truncate::prefix_chars(&call.output, snippet_max);
        let window = truncate::window(&call.output, snippet_max);
        let redacted = settings.redactor.text(window).unwrap_or_else(|| window.to_owned());
        let model_snippet = truncate::kept_prefix(&redacted, snippet_max).to_owned();
        if stored["args"] != model || stored["result_snippet"] != model_snippet.as_str() {
            prop_assert!(truncated, "cut but not marked: {}", receipt.entry);
        }
        // Without redaction the limits can be read off the stored text.
        if !stored.contains_key(entry::REDACTED) {
            if !truncated {
                check_shape(&args, &stored["args"], &mut |a, b| check_cut(a, b, arg_max))?;
                prop_assert_eq!(&stored["result_snippet"], snippet);
            }
            let mut all = Vec::new();
            strings(&stored["args"], &mut all);
            for s in &all {
                let kept = parse_marker(s).map_or(s.as_str(), |(kept, _)| kept);
                prop_assert!(kept.chars().count() <= arg_max, "{s:?} over {arg_max}");
            }
            if !is_note(&stored["result_snippet"]) {
                let s = stored["result_snippet"].as_str().unwrap();
                let kept = parse_marker(s).map_or(s, |(kept, _)| kept);
                prop_assert!(kept.chars().count() <= snippet_max);
                check_prefix(&call.output, kept)?;
            }
        }
    }

    /// A skill run that passes validation is stored as one line of the JSON
    /// array, valid JSON that reads back as the receipt's entry.
    #[test]
    fn skill_appends_store_one_bounded_line(input in skill_input(), settings in settings()) {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        let run = &input.run;
        let receipt = skill_log::append(&storage, &settings, now(), run)
            .map_err(|e| fail(format!("refused: {e}")))?;
        let written =
            std::fs::read_to_string(dir.path().join(skill_log::LOG_PATH)).unwrap();
        prop_assert_eq!(&written, &format!("[\n  {}\n]\n", receipt.entry));
        let array: Vec<Value> = serde_json::from_str(&written).unwrap();
        let stored = parse_line(&receipt.entry)?;
        prop_assert_eq!(&array, &vec![Value::Object(stored.clone())]);
        check_seal(&stored, &settings.chain, 1)?;
        let mut seed = vec!["timestamp", "skill", "status"];
        seed.extend(run.duration_ms.map(|_| "duration_ms"));
        seed.extend(run.errors.as_ref().map(|_| "errors"));
        seed.extend(run.metadata.as_ref().map(|_| "metadata"));
        check_keys(&stored, &seed, &settings.chain)?;
        let max_bytes = settings.max_entry_bytes as usize;
        prop_assert!(
            receipt.entry.len() <= max_bytes,
            "{} bytes > max_entry_bytes {max_bytes}: {}", receipt.entry.len(), receipt.entry
        );
        prop_assert_eq!(&stored["timestamp"], "2025-10-23T12:00:00.000Z");
        prop_assert_eq!(&stored["skill"], run.skill.as_str());
        prop_assert_eq!(&stored["status"], run.status.as_str());
        if let Some(ms) = run.duration_ms {
            prop_assert_eq!(&stored["duration_ms"], &Value::from(ms));
        }
        for token in &input.tokens {
            prop_assert!(!written.contains(token.as_str()), "{token} in {written}");
        }
        if let Some(metadata) = stored.get("metadata") {
            check_secret_keys(metadata, &settings.redactor)?;
        }
        // Cut means marked: compare with redaction alone.
        let mut model = Map::new();
        if let Some(errors) = &run.errors {
            model.insert("errors".into(), Value::from(errors.clone()));
        }
        if let Some(metadata) = &input.metadata {
            model.insert("metadata".into(), Value::Object(metadata.clone()));
        }
        for (field, value) in &mut model {
            settings.redactor.value(value, field, &mut Vec::new());
            if stored[field.as_str()] != *value {
                prop_assert!(is_truncated(&stored), "cut but not marked: {}", receipt.entry);
            }
        }
    }
}

/// The minimal case the `fit` property found: a string that already ends in a
/// marker, keeps no more than the minimum and is still the longest one left.
/// Cutting it again rewrites it unchanged, so `fit` must move on to a note.
#[test]
fn fit_finishes_when_the_longest_string_cannot_shrink() {
    let marked = format!("{} …[10000000000000000 chars total]", "x".repeat(32));
    let mut args: Map<String, Value> = (0..200)
        .map(|i| (format!("k{i}"), Value::from(i)))
        .collect();
    args.insert("m".into(), Value::String(marked));
    let mut entry = Map::new();
    entry.insert("args".into(), Value::Object(args));
    let (out, cut) = fit_within(entry, 1_024).expect("fit finishes");
    assert!(cut);
    assert!(is_note(&out["args"]), "{out:?}");
}

proptest! {
    #![proptest_config(config(64))]

    /// Issue 15: however two writers' clocks step back and forth across a
    /// UTC midnight (each keeping its file open, or not), a user's chain
    /// never forks, `verify` passes, and `recent` returns every entry
    /// `verify` counted. Clocks range over four days, so a writer keeping
    /// its file open meets files started by a writer days ahead.
    #[test]
    fn clocks_that_step_back_never_fork_a_chain_or_hide_an_entry(
        steps in prop::collection::vec((0usize..2, any::<bool>(), -1_440i64..4_320), 1..24),
    ) {
        use crate::open_files::OpenFiles;
        use crate::query::{self, Filter, Query, Source};
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        let settings = Settings::default();
        let writers = [OpenFiles::default(), OpenFiles::default()];
        let midnight = Utc.with_ymd_and_hms(2025, 10, 23, 0, 0, 0).unwrap();
        for (i, &(writer, keep, minutes)) in steps.iter().enumerate() {
            let call = ToolCall {
                user: "amy".into(),
                tool: format!("t{i}"),
                args: "{}".into(),
                status: "ok".into(),
                output: String::new(),
            };
            let now = midnight + chrono::Duration::minutes(minutes);
            let kept = if keep { &writers[writer] } else { &OpenFiles::default() };
            tool_log::append(&storage, &settings, now, &call, kept).unwrap();
        }
        let report = crate::verify::verify(&storage, &settings.chain, chrono::Utc::now(), None, &[]).unwrap();
        prop_assert_eq!(report.problem, None);
        prop_assert_eq!(report.entries, steps.len() as u64);
        let page = query::recent(
            &storage,
            midnight + chrono::Duration::days(5),
            &Query {
                filter: Filter {
                    since: Some("2025-10-01".into()),
                    ..Filter::new(Source::User("amy".into()))
                },
                limit: Some(1_000),
                cursor: None,
            },
        )
        .unwrap();
        prop_assert_eq!(page.entries.len(), steps.len());
    }
}
