//! Names reserved for auditlog's own entries (`auditlog.recovery`,
//! `auditlog.adopt`, ...): a caller's skill or tool may not read as one.

use unicode_normalization::UnicodeNormalization;

use crate::AuditError;

/// Refuses a caller's skill or tool name that claims to be auditlog's own:
/// `auditlog` followed by anything but a letter, digit, `_` or `-`, in any
/// spelling that reads the same — any case, compatibility forms such as
/// fullwidth `ａｕｄｉｔｌｏｇ．x` (folded by NFKC), and the Cyrillic, Greek and
/// Latin letters most often taken for its letters (`аuditlog.x` with a
/// Cyrillic `а`, `auditIog.x` with a capital `I`). Invisible characters are
/// refused before this, by [`crate::validate::name`].
///
/// # Errors
/// [`AuditError::Invalid`] naming `field`.
pub fn refuse_reserved(field: &str, name: &str) -> Result<(), AuditError> {
    let folded: String = folded_case_and_width(name).map(look_alike).collect();
    let reserved: String = "auditlog".chars().map(look_alike).collect();
    let claims = folded
        .strip_prefix(&reserved)
        .and_then(|rest| rest.chars().next())
        .is_some_and(|next| !(next.is_alphanumeric() || next == '_' || next == '-'));
    if claims {
        return Err(AuditError::invalid(
            field,
            format!(
                "names that read as \"auditlog.\" are reserved for auditlog's own entries, \
                 got {}",
                crate::invisible::refused(name)
            ),
        ));
    }
    Ok(())
}

/// `name` as it reads whatever its case or width: Unicode's compatibility
/// form (NFKC: fullwidth `ａ` is `a`), lowercased. Reserved words are
/// compared in this form.
pub fn folded_case_and_width(name: &str) -> impl Iterator<Item = char> + '_ {
    name.nfkc().flat_map(char::to_lowercase)
}

/// One letter for each group of lowercase letters that look alike in the
/// word `auditlog` (after Unicode's confusables.txt).
fn look_alike(c: char) -> char {
    match c {
        'а' | 'ɑ' | 'α' | '⍺' => 'a',
        'υ' | 'ս' | 'ʋ' | 'ᴜ' => 'u',
        'ԁ' | 'ɗ' => 'd',
        'i' | 'l' | '1' | '|' | 'ı' | 'і' | 'ӏ' | 'ɩ' | 'ι' | 'ǀ' | 'ℓ' => 'l',
        'т' | 'τ' => 't',
        'о' | 'ο' | 'օ' | 'ᴏ' | '0' | 'σ' => 'o',
        'ɡ' | 'ց' | 'ɢ' => 'g',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_are_refused() {
        for imitation in [
            "auditlog.recovery",
            "Auditlog.recovery",
            "AUDITLOG.retention",
            "auditlog\u{FF0E}recovery",
            "\u{FF41}uditlog.recovery",
            "auditlog\u{2024}recovery",
            "auditlog\u{3002}recovery",
            "auditlog\u{B7}recovery",
            "auditlog:recovery",
            "\u{430}uditlog.recovery",
            "audit\u{456}og.recovery",
            "auditIog.recovery",
            "audit1og.recovery",
            "auditl\u{3BF}g.recovery",
        ] {
            let refused = refuse_reserved("skill", imitation).unwrap_err().to_string();
            assert!(
                refused.starts_with("skill: names that read as \"auditlog.\" are reserved"),
                "{imitation:?}: {refused}"
            );
        }
        for free in [
            "workflow.auditlog",
            "auditlog",
            "auditlog-tests",
            "auditlog_x",
            "auditlogs.x",
            "audit.log",
        ] {
            assert!(refuse_reserved("skill", free).is_ok(), "{free}");
        }
    }
}
