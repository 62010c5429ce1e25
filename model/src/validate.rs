//! Input checks. Each refusal names the field and says why.

use serde_json::{Map, Value};
use unicode_normalization::UnicodeNormalization;

use crate::AuditError;
use crate::directory::ROOT_FILES;
use crate::{invisible, strict_json};

/// Longest skill, tool or user name, in characters.
pub const MAX_NAME_CHARS: usize = 128;
/// Longest skill status, in characters.
pub const MAX_SKILL_STATUS_CHARS: usize = 32;
/// Largest JSON text accepted for `args`, `metadata` or one error message, in bytes.
pub const MAX_JSON_BYTES: usize = 1 << 20;
/// The statuses a tool call may end with.
pub const TOOL_STATUSES: [&str; 3] = ["ok", "error", "denied"];

/// Checks a skill, tool or user name: 1 to [`MAX_NAME_CHARS`] characters, no
/// whitespace, no `/`, `\`, `..`, NUL or other control characters, and not `.`.
/// A name is also what it looks like: no character that shows nothing or
/// turns the text around it ([`crate::invisible`]: zero-width spaces, byte
/// order marks, direction overrides, variation selectors, …), and one
/// spelling only, Unicode's composed form (NFC), so `é` cannot also be
/// written `e` + U+0301.
///
/// # Errors
/// [`AuditError::Invalid`] for `field`, saying which rule the name breaks and
/// naming a refused character by its code point.
pub fn name(field: &str, value: &str) -> Result<(), AuditError> {
    let reason = if value.is_empty() {
        Some("must not be empty".to_owned())
    } else if value.chars().count() > MAX_NAME_CHARS {
        Some(format!("must be at most {MAX_NAME_CHARS} characters"))
    } else if value.contains(['/', '\\']) {
        Some("must not contain '/' or '\\'".to_owned())
    } else if value == "." || value.contains("..") {
        Some("must not be '.' or contain '..'".to_owned())
    } else if value.chars().any(char::is_control) {
        Some("must not contain NUL or control characters".to_owned())
    } else if value.chars().any(char::is_whitespace) {
        Some("must not contain whitespace".to_owned())
    } else if let Some((c, what)) = value
        .chars()
        .find_map(|c| invisible::describe(c).map(|what| (c, what)))
    {
        Some(format!(
            "must not contain U+{:04X} {what}: it shows as nothing, or as no agreed \
             character, or turns the text around it, so the name would look like another",
            u32::from(c)
        ))
    } else if !value.is_ascii() && !unicode_normalization::is_nfc(value) {
        return Err(AuditError::invalid(field, not_composed(value)));
    } else {
        None
    };
    match reason {
        Some(reason) => Err(AuditError::invalid(
            field,
            format!("{reason}, got {}", invisible::refused(value)),
        )),
        None => Ok(()),
    }
}

/// Why `value`, not in NFC, is refused: both spellings, with the combining
/// characters of the given one as code points so that they differ on screen.
fn not_composed(value: &str) -> String {
    let composed: String = value.nfc().collect();
    let given = invisible::refused_escaping(value, |c| {
        unicode_normalization::char::canonical_combining_class(c) != 0
    });
    format!(
        "must be in Unicode's composed form (NFC), {}: {given} looks the same but is \
         another name",
        invisible::refused(&composed)
    )
}

/// Whether `value` is `all` in some case or width.
fn reads_as_all(value: &str) -> bool {
    // `ａｌｌ` is 9 bytes; anything longer cannot fold to three letters.
    value.len() <= 12 && crate::reserved::folded_case_and_width(value).eq("all".chars())
}

/// Longest user name in bytes: it names a directory, and file systems allow 255.
pub const MAX_USER_BYTES: usize = 255;

/// Checks a user name: a [`name`] that also names a directory, so it may not
/// start with `.` nor be named like a file the log directory holds
/// ([`ROOT_FILES`]: `auditlog.toml`, `audit_log.json`, in any case or
/// width), and not `all` in any case or width (`ALL`, `ａｌｌ`), which
/// in queries means every user.
///
/// # Errors
/// [`AuditError::Invalid`] for `user`.
pub fn user(value: &str) -> Result<(), AuditError> {
    name("user", value)?;
    if reads_as_all(value) {
        return Err(AuditError::invalid(
            "user",
            format!(
                "\"all\" is reserved in any case or width: in queries it means every user \
                 (--all-users, user=all, source all-users), got {}; choose another name",
                invisible::refused(value)
            ),
        ));
    }
    if value.len() > MAX_USER_BYTES {
        return Err(AuditError::invalid(
            "user",
            format!(
                "must be at most {MAX_USER_BYTES} bytes of UTF-8 (it names a directory), got {}",
                value.len()
            ),
        ));
    }
    if value.starts_with('.') {
        return Err(AuditError::invalid(
            "user",
            format!("must not start with '.', got {}", invisible::refused(value)),
        ));
    }
    if let Some(file) = ROOT_FILES
        .iter()
        .find(|file| crate::reserved::folded_case_and_width(value).eq(file.chars()))
    {
        return Err(AuditError::invalid(
            "user",
            format!(
                "names a file of the log directory itself ({file}), in some case or width, \
                 got {}; choose another name",
                invisible::refused(value)
            ),
        ));
    }
    Ok(())
}

/// Checks the name of a user directory that is already in the log root, as
/// `--all-users` listings and cursors meet it: only that it is one safe
/// directory name (what [`user`] requires of a path: not empty, at most
/// [`MAX_USER_BYTES`], no `/`, `\\` or control characters, no leading `.`),
/// not the rules for new names. A log written before a rule was added (a
/// name that is not in NFC, say) is still read, listed and verified, not
/// hidden.
///
/// # Errors
/// [`AuditError::Invalid`] for `user`.
pub fn existing_user(value: &str) -> Result<(), AuditError> {
    let safe = !value.is_empty()
        && value.len() <= MAX_USER_BYTES
        && !value.starts_with('.')
        && !value.contains(['/', '\\'])
        && !value.chars().any(char::is_control);
    if safe {
        Ok(())
    } else {
        Err(AuditError::invalid(
            "user",
            format!(
                "is not a user directory's name, got {}",
                invisible::refused(value)
            ),
        ))
    }
}

/// Checks a skill run's status: a short lowercase word such as `success`.
///
/// # Errors
/// [`AuditError::Invalid`] for `status`.
pub fn skill_status(value: &str) -> Result<(), AuditError> {
    let mut chars = value.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        && value.len() <= MAX_SKILL_STATUS_CHARS;
    if well_formed {
        Ok(())
    } else {
        Err(AuditError::invalid(
            "status",
            format!(
                "must be a lowercase word of 1 to {MAX_SKILL_STATUS_CHARS} characters \
                 (a-z, 0-9, '_', '-'; e.g. success, failed, timeout), got {}",
                invisible::refused(value)
            ),
        ))
    }
}

/// Checks a tool call's status: exactly `ok`, `error` or `denied`.
///
/// # Errors
/// [`AuditError::Invalid`] for `status`.
pub fn tool_status(value: &str) -> Result<(), AuditError> {
    if TOOL_STATUSES.contains(&value) {
        Ok(())
    } else {
        Err(AuditError::invalid(
            "status",
            format!(
                "must be one of ok, error, denied, got {}",
                invisible::refused(value)
            ),
        ))
    }
}

/// Parses `text` as a JSON object, strictly (see [`crate::strict_json`]).
///
/// # Errors
/// [`AuditError::Invalid`] for `field` when `text` is too large, is not JSON,
/// or is JSON of another type; for `field.key…` when a key is repeated or a
/// number would not be stored as given.
pub fn json_object(field: &str, text: &str) -> Result<Map<String, Value>, AuditError> {
    json_object_showing(field, text, |steps| strict_json::render(field, steps))
}

/// [`json_object`], a refusal's place inside the value shown by `place`
/// (given its steps from the top): the component shows a key that holds a
/// secret, or lies under one, redacted.
///
/// # Errors
/// As [`json_object`].
pub fn json_object_showing(
    field: &str,
    text: &str,
    place: impl FnOnce(&[strict_json::Step]) -> String,
) -> Result<Map<String, Value>, AuditError> {
    if text.len() > MAX_JSON_BYTES {
        return Err(AuditError::invalid(
            field,
            format!(
                "is {} bytes; at most {MAX_JSON_BYTES} are accepted",
                text.len()
            ),
        ));
    }
    match strict_json::parse(field, text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(AuditError::invalid(
            field,
            format!("must be a JSON object, got {}", json_type(&other)),
        )),
        Err(refusal) => {
            let at = match refusal.steps() {
                [] => field.to_owned(),
                steps => place(steps),
            };
            Err(AuditError::invalid(&at, refusal.to_string()))
        }
    }
}

/// Checks a skill run's error messages: at most [`MAX_JSON_BYTES`] bytes in all.
///
/// # Errors
/// [`AuditError::Invalid`] for `errors`.
pub fn error_messages(errors: &[String]) -> Result<(), AuditError> {
    let total: usize = errors.iter().map(String::len).sum();
    if total > MAX_JSON_BYTES {
        return Err(AuditError::invalid(
            "errors",
            format!("hold {total} bytes; at most {MAX_JSON_BYTES} are accepted"),
        ));
    }
    Ok(())
}

/// The JSON type of `value`, as a user would name it.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(result: Result<(), AuditError>) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn ordinary_names_pass() {
        for ok in [
            "workflow.compose",
            "file_read",
            "mcp:github.list",
            "ünïcode-tool",
            "a",
        ] {
            name("tool", ok).unwrap();
        }
        user("alice").unwrap();
    }

    #[test]
    fn names_that_could_escape_or_confuse_are_refused() {
        for (bad, why) in [
            ("", "must not be empty"),
            ("../bob", "'/'"),
            ("a\\b", "'/'"),
            ("..", "'..'"),
            ("a..b", "'..'"),
            (".", "'.'"),
            ("a\0b", "control"),
            ("a\nb", "control"),
            ("a b", "whitespace"),
        ] {
            let message = reason(name("skill", bad));
            assert!(message.starts_with("skill: "), "{message}");
            assert!(message.contains(why), "{bad:?}: {message}");
        }
        assert!(reason(name("tool", &"x".repeat(129))).contains("at most 128"));
        assert!(reason(user(".hidden")).starts_with("user: must not start with '.'"));
    }

    #[test]
    fn names_that_look_like_other_names_are_refused_naming_the_character() {
        for (bad, code) in [
            ("auditlog\u{200B}.recovery", "U+200B ZERO WIDTH SPACE"),
            ("\u{FEFF}alice", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
            ("file\u{202E}txt.exe", "U+202E RIGHT-TO-LEFT OVERRIDE"),
            ("a\u{2066}b", "U+2066 LEFT-TO-RIGHT ISOLATE"),
            ("a\u{200D}b", "U+200D ZERO WIDTH JOINER"),
            ("a\u{2060}b", "U+2060 WORD JOINER"),
            ("a\u{AD}b", "U+00AD SOFT HYPHEN"),
            ("a\u{34F}b", "U+034F COMBINING GRAPHEME JOINER"),
            ("a\u{3164}", "U+3164 HANGUL FILLER"),
            ("a\u{115F}", "U+115F HANGUL CHOSEONG FILLER"),
            ("a\u{FFA0}", "U+FFA0 HALFWIDTH HANGUL FILLER"),
            ("a\u{2800}", "U+2800 BRAILLE PATTERN BLANK"),
            ("a\u{FE0F}", "U+FE0F a variation selector"),
            ("a\u{E0061}", "U+E0061 a tag character"),
            ("a\u{E000}", "U+E000 a private-use character"),
        ] {
            let message = reason(name("tool", bad));
            assert!(
                message.starts_with(&format!("tool: must not contain {code}")),
                "{bad:?}: {message}"
            );
            assert!(!message.contains(bad), "shown escaped: {message}");
        }
        assert_eq!(
            reason(name("user", "Jose\u{301}")),
            "user: must be in Unicode's composed form (NFC), \"José\": \"Jose\\u{301}\" looks \
             the same but is another name"
        );
        assert!(reason(user("alice\u{200B}")).starts_with("user: must not contain U+200B"));
    }

    #[test]
    fn names_in_other_scripts_pass_when_composed() {
        for ok in [
            "日本語",
            "José",
            "ünïcode-tool",
            "Ελληνικά",
            "emoji😀",
            "한국어",
        ] {
            name("skill", ok).unwrap();
        }
    }

    #[test]
    fn all_is_reserved_in_any_case_or_width() {
        for taken in [
            "all",
            "ALL",
            "All",
            "aLl",
            "\u{FF41}\u{FF4C}\u{FF4C}",
            "\u{FF21}LL",
        ] {
            let refused = reason(user(taken));
            assert!(
                refused.starts_with("user: \"all\" is reserved"),
                "{taken:?}: {refused}"
            );
        }
        for free in ["alla", "ball", "all-users", "al", "\u{430}ll"] {
            user(free).unwrap();
        }
    }

    /// A user directory named like the config file made every command on
    /// the log directory fail; one named like the skill log failed on its
    /// lock file.
    #[test]
    fn users_named_like_a_file_of_the_log_directory_are_refused() {
        for taken in [
            "auditlog.toml",
            "AUDITLOG.TOML",
            "audit_log.json",
            "Audit_Log.JSON",
            "\u{FF41}udit_log.json",
        ] {
            let refused = reason(user(taken));
            assert!(
                refused.starts_with("user: names a file of the log directory itself"),
                "{taken:?}: {refused}"
            );
        }
        for free in [
            "auditlog.toml2",
            "audit_log",
            "my-auditlog.toml",
            "audit_log.jsonl",
        ] {
            user(free).unwrap();
        }
    }

    #[test]
    fn user_directories_written_under_older_rules_are_still_read() {
        for listed in ["alice", "alice\u{200B}", "cafe\u{301}", "all"] {
            existing_user(listed).unwrap();
        }
        for unsafe_name in ["", ".", "..", ".hidden", "a/b", "a\\b", "a\nb", "a\0b"] {
            assert!(existing_user(unsafe_name).is_err(), "{unsafe_name:?}");
        }
        assert!(existing_user(&"u".repeat(MAX_USER_BYTES + 1)).is_err());
    }

    #[test]
    fn statuses() {
        for ok in [
            "success",
            "failed",
            "timeout",
            "partial_success",
            "http-500",
        ] {
            skill_status(ok).unwrap();
        }
        for bad in ["", "Success", "1xx", "two words", &"x".repeat(33)] {
            assert!(reason(skill_status(bad)).starts_with("status: must be a lowercase word"));
        }
        for ok in TOOL_STATUSES {
            tool_status(ok).unwrap();
        }
        assert_eq!(
            reason(tool_status("maybe")),
            "status: must be one of ok, error, denied, got \"maybe\""
        );
    }

    #[test]
    fn json_objects() {
        assert_eq!(json_object("args", r#"{"a":1}"#).unwrap().len(), 1);
        let not_object = json_object("metadata", "[1]").unwrap_err().to_string();
        assert_eq!(not_object, "metadata: must be a JSON object, got an array");
        let broken = json_object("args", "{").unwrap_err().to_string();
        assert!(broken.starts_with("args: is not valid JSON"), "{broken}");
        let huge = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_JSON_BYTES));
        assert!(
            json_object("args", &huge)
                .unwrap_err()
                .to_string()
                .contains("at most")
        );
    }
}
