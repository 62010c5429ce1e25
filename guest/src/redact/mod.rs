//! Keeping secrets off the disk. Before an entry is written, every string in
//! it, and every object key, is searched; what looks like a secret becomes
//! `"[REDACTED]"`. The entry lists where something was redacted (its
//! `redacted` field), never what.
//!
//! - The value under a secret-looking key ([`keys`]) at any depth is replaced
//!   whole, unless it is null or a boolean, or a number under a key naming a
//!   count (`tokens_used`).
//! - Inside any string ([`text`]): credentials of well-known formats
//!   ([`formats`]), PEM private-key blocks, passwords in URLs and command
//!   lines, HTTP authorization credentials, and values after secret-looking
//!   keys in `key=value`, `key: value`, JSON and URL-encoded forms.
//! - Escaped text is searched again decoded ([`escapes`]); a list's strings
//!   are read together as one line, and an object's `value` under the name
//!   beside it ([`lists`]).
//! - A key that holds a secret itself (`{"ghp_…": 1}`, `"password=x"`) is
//!   renamed to its redacted text, numbered if that name is taken.

use std::fmt;

use auditlog_model::strict_json::{self, Step};
use serde_json::{Map, Value};

mod blocks;
mod escapes;
pub mod formats;
pub mod keys;
pub(crate) mod lists;
mod look_alikes;
pub mod text;

use keys::{AsciiWords, CLASS, NON_ASCII, SEPARATOR};

/// How many characters after the end of a text about to be cut (a result
/// snippet) are redacted with it: more than any bounded credential format
/// holds, so that one crossing the cut is still seen whole.
pub const LOOKAHEAD_CHARS: usize = 1024;

/// What a redacted value becomes.
pub const MARKER: &str = "[REDACTED]";

/// The words to look for: the built-in ones and the caller's.
#[derive(Clone, PartialEq, Eq)]
pub struct Redactor {
    /// Every word, normalised: what a non-ASCII key is searched for.
    words: Vec<String>,
    /// The words an ASCII key can contain, indexed (boxed: 3 KiB of tables).
    ascii: Box<AsciiWords>,
}

impl Default for Redactor {
    fn default() -> Self {
        Self::new(&[])
    }
}

impl Redactor {
    /// The redactor of the built-in words alone, made once: for refusals
    /// and the names reads are asked for, where no settings are at hand.
    pub fn builtin() -> &'static Self {
        static BUILTIN: std::sync::OnceLock<Redactor> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(Self::default)
    }
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("words", &self.words)
            .finish_non_exhaustive()
    }
}

impl Redactor {
    /// The built-in words ([`keys::SECRET_KEYS`], and those of
    /// [`keys::OTHER_LANGUAGES`] found anywhere in a key) plus `extra`
    /// (compared the same way: anywhere in a key, in any case, without `-`
    /// and `_`).
    pub fn new(extra: &[String]) -> Self {
        let words: Vec<String> = keys::SECRET_KEYS
            .iter()
            .copied()
            .chain(keys::other_languages(keys::Found::Inside))
            .map(keys::normalise)
            .chain(extra.iter().map(|w| keys::normalise(w)))
            .filter(|w| !w.is_empty())
            .collect();
        let ascii = Box::new(AsciiWords::new(&words));
        Self { words, ascii }
    }

    /// Whether `key` looks like it holds a secret (see [`keys`]).
    pub fn is_secret_key(&self, key: &str) -> bool {
        self.contains_word(key)
            || keys::is_whole_secret(key)
            || if key.is_ascii() {
                keys::has_secret_part(key)
            } else {
                keys::has_secret_part(&keys::compatible(key))
            }
    }

    /// Whether `key`, lowercased and without `-` and `_`, contains one of the
    /// words.
    fn contains_word(&self, key: &str) -> bool {
        // The usual key, an ASCII one, is searched where it is. Non-ASCII
        // keys (which can lowercase into ASCII, as `K` into `k`) are
        // normalised into a new string.
        let class = key
            .bytes()
            .fold(0, |class, b| class | CLASS[usize::from(b)]);
        if class & NON_ASCII != 0 {
            let key = keys::normalise(key);
            return self.words.iter().any(|w| key.contains(w.as_str()));
        }
        self.ascii.in_key(key.as_bytes(), class & SEPARATOR != 0)
    }

    /// Redacts `value` in place: values under secret keys at any depth,
    /// secrets inside every string and key. Pushes the path of each
    /// redaction (e.g. `args.headers.Authorization`, `errors[1]`) to `paths`.
    pub fn value(&self, value: &mut Value, path: &str, paths: &mut Vec<String>) {
        self.value_at(value, &Path::Root(path), paths);
    }

    /// As [`Redactor::value`], for an object.
    pub fn object(&self, map: &mut Map<String, Value>, path: &str, paths: &mut Vec<String>) {
        self.object_at(map, &Path::Root(path), paths);
    }

    fn value_at(&self, value: &mut Value, path: &Path<'_>, paths: &mut Vec<String>) {
        match value {
            Value::Object(map) => self.object_at(map, path, paths),
            Value::Array(items) if lists::are_pairs(items) => self.pairs(items, path, paths),
            Value::Array(items) => {
                let across = self.across_items(items);
                for ((i, item), across) in items.iter_mut().enumerate().zip(across) {
                    let listed = paths.len();
                    self.value_at(item, &Path::Index(path, i), paths);
                    if across && paths.len() == listed {
                        paths.push(Path::Index(path, i).to_string());
                    }
                }
            }
            Value::String(text) => {
                if let Some(clean) = self.text(text) {
                    *text = clean;
                    paths.push(path.to_string());
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    fn object_at(&self, map: &mut Map<String, Value>, path: &Path<'_>, paths: &mut Vec<String>) {
        if map.keys().any(|key| self.text(key).is_some()) {
            self.rename_keys(map, path, paths);
            return;
        }
        let named = self
            .named_value(map)
            .map(|(name, field)| (name.to_owned(), field.to_owned()));
        for (key, value) in map.iter_mut() {
            let judged_as = match &named {
                Some((name, field)) if field == key => name,
                _ => key,
            };
            self.under_key(judged_as, value, &Path::Key(path, key), paths);
        }
    }

    /// Redacts `value`, found under `key` at `here`: whole if the key is
    /// secret-looking and the value could hold a secret, else inside.
    fn under_key(&self, key: &str, value: &mut Value, here: &Path<'_>, paths: &mut Vec<String>) {
        let harmless = match value {
            Value::Null | Value::Bool(_) => true,
            Value::Number(_) => keys::is_counter(key),
            _ => false,
        };
        if !harmless && self.is_secret_key(key) {
            *value = Value::String(MARKER.to_owned());
            paths.push(here.to_string());
        } else {
            self.value_at(value, here, paths);
        }
    }

    /// [`Redactor::object_at`] for a map some of whose keys hold secrets:
    /// those are renamed to their redacted text, numbered (` (2)`, ` (3)` …)
    /// where that name is taken, in the same order, and listed in `paths`
    /// under their new names. Values are judged by their original keys.
    #[inline(never)]
    fn rename_keys(&self, map: &mut Map<String, Value>, path: &Path<'_>, paths: &mut Vec<String>) {
        let old = std::mem::take(map);
        let clean: Vec<Option<String>> = old.keys().map(|key| self.text(key)).collect();
        let mut taken: std::collections::HashSet<String> = old
            .keys()
            .zip(&clean)
            .filter(|(_, clean)| clean.is_none())
            .map(|(key, _)| key.clone())
            .collect();
        // For each redacted text, the number to try next (1: the text
        // itself): every lower one is taken, so each is tried once.
        let mut next: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for ((key, mut value), clean) in old.into_iter().zip(clean) {
            let name = match clean {
                None => key.clone(),
                Some(clean) => {
                    let n = next.entry(clean.clone()).or_insert(1);
                    let name = loop {
                        let name = match *n {
                            1 => clean.clone(),
                            n => format!("{clean} ({n})"),
                        };
                        *n += 1;
                        if !taken.contains(&name) {
                            break name;
                        }
                    };
                    taken.insert(name.clone());
                    paths.push(Path::Key(path, &name).to_string());
                    name
                }
            };
            self.under_key(&key, &mut value, &Path::Key(path, &name), paths);
            map.insert(name, value);
        }
    }

    /// The place `steps` lead to inside the value `prefix` names, as a
    /// refusal shows it: a key that holds a secret as its redacted text, as
    /// [`Redactor::object`] renames it, and what lies under a
    /// secret-looking key as [`MARKER`], as its value is stored.
    pub fn place(&self, prefix: &str, steps: &[Step]) -> String {
        let mut shown = Vec::with_capacity(steps.len());
        for (i, step) in steps.iter().enumerate() {
            let Step::Key(key) = step else {
                shown.push(step.clone());
                continue;
            };
            shown.push(Step::Key(self.text(key).unwrap_or_else(|| key.clone())));
            if self.is_secret_key(key) && i + 1 < steps.len() {
                shown.push(Step::Key(MARKER.to_owned()));
                break;
            }
        }
        strict_json::render(prefix, &shown)
    }

    /// `text` with every secret in it replaced by [`MARKER`], or `None` if
    /// it holds none.
    pub fn text(&self, text: &str) -> Option<String> {
        let cuts = self.cuts(text);
        (!cuts.is_empty()).then(|| lists::with_cuts(text, &cuts))
    }

    /// The spans of `text` that hold secrets, in order, not overlapping:
    /// as it is written, and once its escapes are decoded ([`escapes`]).
    fn cuts(&self, text: &str) -> Vec<(usize, usize)> {
        let mut cuts = text::secrets(self, text);
        let Some(decoded) = escapes::Decoded::new(text) else {
            return cuts;
        };
        let more = text::secrets(self, &decoded.text);
        if more.is_empty() {
            return cuts;
        }
        cuts.extend(more.into_iter().map(|cut| decoded.original(cut)));
        text::merged(cuts)
    }
}

/// Where a value sits, written out (as `args.list[0].key`) only when a
/// redaction there is recorded.
enum Path<'a> {
    /// The path the caller gave.
    Root(&'a str),
    /// The value under a key of the object at a path.
    Key(&'a Path<'a>, &'a str),
    /// An item of the array at a path.
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Path::Root(root) => f.write_str(root),
            // A key right under an empty path is not preceded by a dot.
            Path::Key(parent, key) if parent.is_empty() => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

impl Path<'_> {
    /// Whether the path is written out as nothing at all.
    fn is_empty(&self) -> bool {
        match *self {
            Path::Root(root) => root.is_empty(),
            Path::Key(parent, key) => key.is_empty() && parent.is_empty(),
            Path::Index(..) => false,
        }
    }
}

/// `text` redacted by the default rules, or as it was: for the tests of
/// each kind of secret.
#[cfg(test)]
pub(crate) fn clean(text: &str) -> String {
    Redactor::default()
        .text(text)
        .unwrap_or_else(|| text.to_owned())
}

/// Asserts each input is redacted to its expected text, `#` standing for
/// the marker.
#[cfg(test)]
#[track_caller]
pub(crate) fn expect(cases: &[(&str, &str)]) {
    for (input, expected) in cases {
        let expected = expected.replace('#', MARKER);
        assert_eq!(clean(input), expected, "{input:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secret_keys_at_any_depth_are_replaced_and_listed() {
        let mut args = json!({
            "password": "hunter2",
            "user": "alice",
            "nested": {"X-Api-Key": "k-123", "list": [{"refresh_token": 42}]},
            "Authorization": {"scheme": "Bearer", "value": "abc"},
            "note": null,
        });
        let mut paths = Vec::new();
        Redactor::default().value(&mut args, "args", &mut paths);
        assert_eq!(
            args,
            json!({
                "password": "[REDACTED]",
                "user": "alice",
                "nested": {"X-Api-Key": "[REDACTED]", "list": [{"refresh_token": "[REDACTED]"}]},
                "Authorization": "[REDACTED]",
                "note": null,
            })
        );
        assert_eq!(
            paths,
            [
                "args.password",
                "args.nested.X-Api-Key",
                "args.nested.list[0].refresh_token",
                "args.Authorization"
            ]
        );
    }

    #[test]
    fn keys_that_hold_secrets_are_renamed_uniquely() {
        let mut args = json!({
            "ghp_wWXw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx": 1,
            "[REDACTED]": "taken",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc": {"password": "x", "n": 2},
            "password=hunter2": "v",
            "plain": "kept",
        });
        let mut paths = Vec::new();
        Redactor::default().value(&mut args, "args", &mut paths);
        assert_eq!(
            serde_json::to_string(&args).unwrap(),
            r#"{"[REDACTED] (2)":1,"[REDACTED]":"taken","[REDACTED] (3)":{"password":"[REDACTED]","n":2},"password=[REDACTED]":"[REDACTED]","plain":"kept"}"#
        );
        assert_eq!(
            paths,
            [
                "args.[REDACTED] (2)",
                "args.[REDACTED] (3)",
                "args.[REDACTED] (3).password",
                "args.password=[REDACTED]",
                "args.password=[REDACTED]",
            ]
        );
    }

    /// Each renamed key tries each number once: 20,000 keys that are
    /// tokens took 30 s in the component when each counted up from 1.
    #[test]
    fn many_keys_that_hold_secrets_are_renamed_in_one_pass() {
        let keys: Map<String, Value> = (0..20_000)
            .map(|i| (format!("ghp_{i:036}"), Value::from(i)))
            .collect();
        let mut value = Value::Object(keys);
        let started = std::time::Instant::now();
        Redactor::default().value(&mut value, "args", &mut Vec::new());
        let took = started.elapsed();
        assert!(took.as_secs() < 5, "{took:?}");
        assert_eq!(value["[REDACTED] (20000)"], 19_999);
    }

    #[test]
    fn counts_flags_and_nulls_under_secret_keys_are_kept() {
        let mut usage = json!({
            "tokens_used": 1234, "max_tokens": 4096, "token_count": 12,
            "usage": {"prompt_tokens": 10, "total_tokens": 22},
            "password_required": true, "session": null,
            "token": 123456, "token_count_text": "12 of them",
        });
        let mut paths = Vec::new();
        Redactor::default().value(&mut usage, "", &mut paths);
        assert_eq!(paths, ["token", "token_count_text"]);
        assert_eq!(usage["tokens_used"], 1234);
        assert_eq!(usage["usage"]["total_tokens"], 22);
        assert_eq!(usage["password_required"], true);
    }

    /// The "No secrets at rest" section of docs/security.md, which documents the rules.
    fn readme_rules() -> &'static str {
        let readme = include_str!("../../../docs/security.md");
        let start = readme.find("**No secrets at rest.**").expect("the section");
        let end = start
            + readme[start..]
                .find("- **Bounded entries.**")
                .expect("its end");
        &readme[start..end]
    }

    #[test]
    fn the_readme_lists_every_rule_of_the_tables() {
        let rules = readme_rules();
        let words = keys::SECRET_KEYS
            .iter()
            .chain(&keys::SECRET_PARTS)
            .chain(&keys::ORDINARY_KEYS)
            .chain(&keys::COUNTER_WORDS)
            .chain(keys::OTHER_LANGUAGES.iter().map(|(word, _)| word));
        for word in words {
            assert!(
                rules.contains(&format!(" {word}")),
                "docs/security.md lacks the word {word}"
            );
        }
        for format in formats::FORMATS {
            let row = rules
                .lines()
                .find(|line| line.starts_with(&format!("    | {} |", format.name)))
                .unwrap_or_else(|| panic!("docs/security.md lacks the format {}", format.name));
            for prefix in format.prefixes {
                assert!(
                    row.contains(&format!("`{prefix}`")),
                    "{}: {prefix}",
                    format.name
                );
            }
        }
        for shape in formats::SHAPES.iter().chain(&formats::HASHES) {
            assert!(
                rules.contains(shape),
                "docs/security.md lacks the shape {shape}"
            );
        }
        for gate in text::GATED_FLAGS {
            for flag in gate.flags {
                assert!(rules.contains(&format!("`{flag}")), "{flag}");
            }
            for command in gate.commands {
                assert!(rules.contains(command), "{command}");
            }
        }
        let bare = text::BARE.iter().flat_map(|command| command.words);
        let slashed = text::SLASH_FLAGS.iter().flat_map(|(commands, _)| *commands);
        let readers = text::READERS.iter().map(|(reader, _)| reader);
        for command in bare
            .chain(slashed)
            .chain(readers)
            .chain(&text::CONNECT_STRINGS)
        {
            assert!(rules.contains(command), "docs/security.md lacks {command}");
        }
        for flag in text::READERS.iter().filter_map(|(_, flag)| *flag) {
            assert!(rules.contains(flag), "docs/security.md lacks {flag}");
        }
        for (_, flags) in text::SLASH_FLAGS {
            for flag in flags {
                assert!(rules.contains(&format!("`/{flag}:")), "{flag}");
            }
        }
        let lookahead = LOOKAHEAD_CHARS.to_string();
        let lookahead = format!("{},{}", &lookahead[..1], &lookahead[1..]);
        assert!(
            rules.contains(&lookahead),
            "docs/security.md lacks the lookahead"
        );
    }

    /// The attack: a repeated key is refused naming where it is, and the
    /// place quoted a key that is itself a credential, or one under
    /// `password`, in clear.
    #[test]
    fn a_refusal_shows_a_place_as_its_value_would_be_stored() {
        use auditlog_model::validate::json_object_showing;
        let redactor = Redactor::default();
        let ghp = format!("ghp_{}", "Ab1".repeat(12));
        let field_of = |text: &str| match json_object_showing("args", text, |steps| {
            redactor.place("args", steps)
        }) {
            Err(crate::error::AuditError::Invalid { field, .. }) => field,
            other => panic!("{text}: {other:?}"),
        };
        for (text, secret) in [
            (format!(r#"{{"{ghp}":1,"{ghp}":2}}"#), ghp.as_str()),
            (
                r#"{"password":{"Hunter2Secret9":1,"Hunter2Secret9":2}}"#.to_owned(),
                "Hunter2Secret9",
            ),
            (
                r#"{"x":[{"Bearer Hunter2Secret9":1,"Bearer Hunter2Secret9":2}]}"#.to_owned(),
                "Hunter2Secret9",
            ),
            (
                r#"{"token=Hunter2Secret9":{"a":1,"a":2}}"#.to_owned(),
                "Hunter2Secret9",
            ),
            (
                r#"{"db":{"apiKey":{"n":[1,{"k":1,"k":2}]}}}"#.to_owned(),
                "\"k\"",
            ),
        ] {
            let field = field_of(&text);
            assert!(!field.contains(secret), "{text}: {field}");
            assert!(
                field.starts_with("args") && field.contains(MARKER),
                "{text}: {field}"
            );
        }
        // A place that holds no secret is shown as it is.
        assert_eq!(field_of(r#"{"a":[0,{"b":1,"b":2}]}"#), "args.a[1].b");
        assert_eq!(field_of(r#"{"password":1,"password":2}"#), "args.password");
    }

    #[test]
    fn paths_under_an_empty_path_start_without_a_dot() {
        let r = Redactor::default();
        let mut value = json!({
            "": {"a": {"token": 1}, "": {"b": "token=x"}},
            "l": [{"password": 1}, "Bearer x", [{"secret": "s"}]],
        });
        let mut paths = Vec::new();
        r.value(&mut value, "", &mut paths);
        assert_eq!(
            paths,
            ["a.token", "b", "l[0].password", "l[1]", "l[2][0].secret"]
        );
        let mut items = json!(["token=x", {"k": "Basic abc"}]);
        let mut paths = Vec::new();
        r.value(&mut items, "", &mut paths);
        assert_eq!(paths, ["[0]", "[1].k"]);
    }

    #[test]
    fn secrets_inside_text() {
        let r = Redactor::default();
        let cases = [
            (
                "Authorization: Bearer eyJhbGciOi.x.y",
                "Authorization: Bearer [REDACTED]",
            ),
            (
                "curl -H 'Authorization: Bearer abc123' https://x",
                "curl -H 'Authorization: Bearer [REDACTED]' https://x",
            ),
            (
                "GET /?api_key=SEKRIT&page=2",
                "GET /?api_key=[REDACTED]&page=2",
            ),
            ("password = \"hunter2\" ok", "password = \"[REDACTED]\" ok"),
            (
                "{\"token\": \"t-1\", \"n\": 1}",
                "{\"token\": \"[REDACTED]\", \"n\": 1}",
            ),
            (
                "failed: DB_PASSWORD=p@ss; retry",
                "failed: DB_PASSWORD=[REDACTED]; retry",
            ),
            ("use bearer XYZ now", "use bearer [REDACTED] now"),
        ];
        for (input, expected) in cases {
            assert_eq!(r.text(input).as_deref(), Some(expected), "{input}");
        }
        assert_eq!(r.text("nothing secret here: tokens are words"), None);
        assert_eq!(r.text("token"), None);
    }

    #[test]
    fn extra_words_are_honoured() {
        let r = Redactor::new(&["ssn".to_owned(), "Card-Number".to_owned()]);
        assert!(r.is_secret_key("customer_SSN"));
        assert!(r.is_secret_key("cardnumber"));
        assert!(!r.is_secret_key("name"));
        assert_eq!(r.text("ssn=123-45-6789").as_deref(), Some("ssn=[REDACTED]"));
    }

    #[test]
    fn keys_match_in_any_case_spelling_and_script() {
        let r = Redactor::default();
        for key in [
            "PASSWORD",
            "X-Api-Key",
            "db_Pass-wd",
            "my-session-id",
            "to\u{212A}en",
            "ｐａｓｓｗｏｒｄ",
            "ｄｂ＿ｐａｓｓ",
            "раssword",
            "db_раss",
            "ΑΡΙ_ΚΕΥ",
            // Words joined by punctuation of other scripts, as by `-`.
            "db\u{2013}pass",
            "db\u{b7}pass",
            "signing\u{2013}key",
            "api\u{2010}key",
            "db\u{3000}pass",
        ] {
            assert!(r.is_secret_key(key), "{key}");
        }
        // A word with a combining mark stays one word.
        assert!(!r.is_secret_key("cafe\u{301}pass\u{301}e"));
        for key in [
            "otp",
            "totp_code",
            "mfaCode",
            "jwt",
            "cvv2",
            "card_cvc",
            "pin_code",
        ] {
            assert!(r.is_secret_key(key), "{key}");
        }
        for key in ["passcode", "user_passcode", "pw", "root_pw", "dbPw", "PW"] {
            assert!(r.is_secret_key(key), "{key}");
        }
        for key in ["footprint", "hotpath", "pinned", "cvs_root", "pwm", "npw"] {
            assert!(!r.is_secret_key(key), "{key}");
        }
        assert_eq!(
            r.text("login passcode=4711abc pw: hunter2").as_deref(),
            Some("login passcode=[REDACTED] pw: [REDACTED]")
        );
        let long = format!("{}Token", "x".repeat(128));
        assert!(r.is_secret_key(&long));
        for key in ["", "tok", "name", "api", "tokn", "passw-ord-less"] {
            assert_eq!(r.is_secret_key(key), key == "passw-ord-less", "{key}");
        }
    }

    #[test]
    fn keys_with_characters_that_draw_nothing_inside_are_secret_looking() {
        let r = Redactor::default();
        for key in [
            "pass\u{200B}word",
            "to\u{AD}ken",
            "api\u{2060}key",
            "\u{FEFF}secret",
            "db_pa\u{200D}ss",
            "x-a\u{200C}uth",
            "signing\u{FE0F}_key",
            "pass\u{E0020}word",
            "ｐａｓ\u{200B}ｓ",
            "па\u{200B}роль",
        ] {
            assert!(r.is_secret_key(key), "{key:?}");
        }
        for key in ["na\u{200B}me", "sort\u{200B}_key", "pass\u{200B}port"] {
            assert!(!r.is_secret_key(key), "{key:?}");
        }
        // As the name beside a value, and a pair's name.
        let mut args = json!({
            "env": [{"name": "DB_PASS\u{200B}WORD", "value": "s3cr3t"}],
            "headers": [["X-Api\u{2060}-Key", "s3cr3t"]],
        });
        let mut paths = Vec::new();
        r.value(&mut args, "args", &mut paths);
        assert!(!args.to_string().contains("s3cr3t"), "{args}");
    }

    #[test]
    fn the_word_for_password_in_other_languages_is_secret_looking() {
        let r = Redactor::default();
        for key in [
            "пароль",
            "Пароль",
            "ПАРОЛЬ_БД",
            "Passwort",
            "db_passwort",
            "contraseña",
            "CONTRASEÑA",
            "contrasena",
            "mot_de_passe",
            "motDePasse",
            "senha",
            "nova_senha",
            "senhaAtual",
            "wachtwoord",
            "hasło",
            "HASŁO",
            "haslo",
            "nowe_haslo",
            "密码",
            "数据库密码",
            "密碼",
            "パスワード",
            "비밀번호",
            "parola",
            "Parola",
            "parolă",
        ] {
            assert!(r.is_secret_key(key), "{key}");
        }
        // Ordinary words that hold one, or that one is part of.
        for key in [
            "parola_chiave",
            "parolaChiave",
            "resenha",
            "hasLoaded",
            "hasLocation",
            "parolacce",
            "Пароход",
            "sort_key",
            "primary_key",
            "public_key",
            "passport",
        ] {
            assert!(!r.is_secret_key(key), "{key}");
        }
        for word in keys::ORDINARY_KEYS {
            for key in [
                format!("{word}_key"),
                format!("my-{word}-Key"),
                format!("{word}Key"),
            ] {
                assert!(!r.is_secret_key(&key), "{key}");
            }
        }
        // A word that only ends like one of them is not one.
        for key in ["has3_key", "gis3Key", "xi18n_key"] {
            assert!(r.is_secret_key(key), "{key}");
        }
    }

    /// Whether `key` is secret-looking as the module documents it, the slow
    /// and obvious way.
    fn reference(extra: &[String], key: &str) -> bool {
        let plain = |s: &str| -> String {
            s.chars()
                .filter(|c| !matches!(c, '-' | '_'))
                .flat_map(char::to_lowercase)
                .collect()
        };
        let key = plain(key);
        keys::SECRET_KEYS
            .iter()
            .copied()
            .chain(keys::other_languages(keys::Found::Inside))
            .map(keys::normalise)
            .chain(extra.iter().map(|w| plain(w)))
            .any(|w| !w.is_empty() && key.contains(&w))
    }

    #[test]
    fn is_secret_key_agrees_with_the_reference() {
        // A xorshift generator: deterministic, and no dependency.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % n as u64).unwrap()
        };
        let pieces = [
            "pass",
            "Word",
            "wd",
            "tok",
            "EN",
            "api",
            "Key",
            "sec",
            "ret",
            "sess",
            "ion",
            "coo",
            "kie",
            "cred",
            "ential",
            "auth",
            "orization",
            "priv",
            "ate",
            "acc",
            "ess",
            "a",
            "b",
            "x",
            "X",
            "s",
            "k",
            "z",
            "1",
            "-",
            "_",
            "--",
            "_-",
            " ",
            ".",
            "\0",
            "\u{212A}",
            "\u{17F}",
            "\u{130}",
            "é",
            "ß",
            "😀",
            "İ",
        ];
        let extras: Vec<Vec<String>> = [
            &[][..],
            &["x"],
            &["X"],
            &["k"],
            &["ab"],
            &["Ab", "z"],
            &["a-b", "_s_"],
            &["-", "_"],
            &["\u{212A}ey"],
            &["é", "ss"],
            &["İ", "\u{17F}"],
            &["a\0"],
        ]
        .iter()
        .map(|words| words.iter().map(|w| (*w).to_owned()).collect())
        .collect();
        for extra in &extras {
            let redactor = Redactor::new(extra);
            for _ in 0..4_000 {
                let mut key = String::new();
                let target = next(150);
                while key.len() < target {
                    key.push_str(pieces[next(pieces.len())]);
                }
                assert_eq!(
                    redactor.contains_word(&key),
                    reference(extra, &key),
                    "{extra:?} {key:?}"
                );
                // Text asks about each of its words the same way.
                if key.bytes().all(|b| CLASS[usize::from(b)] & keys::WORD != 0) {
                    let text = format!("{key}=v");
                    let cut = redactor
                        .text(&text)
                        .is_some_and(|t| t.ends_with("=[REDACTED]"));
                    assert_eq!(cut, redactor.is_secret_key(&key), "{extra:?} {key:?}");
                }
            }
            // Keys of about 128 bytes, with the word at either end, with
            // and without separators.
            for len in 125_usize..=131 {
                for word in ["token", "Tok_en", "x", "ab", "a-B", "ke"] {
                    for sep in ["", "-"] {
                        let pad = "q".repeat(len.saturating_sub(word.len() + sep.len()));
                        for key in [format!("{word}{sep}{pad}"), format!("{pad}{sep}{word}")] {
                            assert_eq!(
                                redactor.contains_word(&key),
                                reference(extra, &key),
                                "{extra:?} {key:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn multibyte_text_keeps_its_characters() {
        let r = Redactor::default();
        assert_eq!(
            r.text("ünïcödé password=geheim ok").as_deref(),
            Some("ünïcödé password=[REDACTED] ok")
        );
        assert_eq!(
            r.text("İstanbul token=x"),
            Some("İstanbul token=[REDACTED]".to_owned())
        );
    }
}
