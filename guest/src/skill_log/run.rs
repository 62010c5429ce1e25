//! A skill run from the seed script's arguments (`audit_log.py skill status
//! [duration_ms] [errors_json] [metadata_json]`).

use super::*;

impl SkillRun {
    /// A run from the seed's `audit_log.py` arguments, as text:
    /// `skill status [duration_ms] [errors_json] [metadata_json]`, where an
    /// empty or missing optional argument leaves the field out. The one
    /// reading of them, behind every command line that takes them (the
    /// export `record-seed`, which the host's `auditlog record`, the
    /// portable component's `record` and `python/audit_log.py` call).
    ///
    /// # Errors
    /// [`AuditError::Invalid`] naming `args` (fewer than two or more than
    /// five), `duration_ms` (not a whole number) or `errors` (not a JSON
    /// array of strings); the rest is checked on append.
    pub fn from_seed_args<S: AsRef<str>>(args: &[S]) -> Result<Self, AuditError> {
        let [skill, status, optional @ ..] = args else {
            return Err(AuditError::invalid("args", SEED_ARGS));
        };
        if optional.len() > 3 {
            return Err(AuditError::invalid("args", SEED_ARGS));
        }
        let given = |i: usize| {
            optional
                .get(i)
                .map(AsRef::as_ref)
                .filter(|text: &&str| !text.is_empty())
        };
        let duration_ms = match given(0) {
            None => None,
            Some(text) => Some(text.trim().parse::<u64>().map_err(|_| {
                AuditError::invalid(
                    "duration_ms",
                    format!("must be a non-negative whole number of milliseconds, got {text:?}"),
                )
            })?),
        };
        let errors = match given(1) {
            None => None,
            Some(text) => Some(error_list(text)?),
        };
        Ok(Self {
            skill: skill.as_ref().to_owned(),
            status: status.as_ref().to_owned(),
            duration_ms,
            errors,
            metadata: given(2).map(str::to_owned),
        })
    }
}

/// Why a seed argument list of the wrong length is refused.
const SEED_ARGS: &str =
    "must be SKILL STATUS [DURATION_MS] [ERRORS_JSON] [METADATA_JSON]: two to five arguments";

/// `errors_json` as a list of messages.
pub(super) fn error_list(text: &str) -> Result<Vec<String>, AuditError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| AuditError::invalid("errors", format!("is not valid JSON: {e}")))?;
    let Value::Array(items) = value else {
        return Err(AuditError::invalid(
            "errors",
            "must be a JSON array of strings",
        ));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::String(s) => Ok(s),
            _ => Err(AuditError::invalid(
                "errors",
                format!("must be a JSON array of strings; item {i} is not a string"),
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(args: &[&str]) -> String {
        match SkillRun::from_seed_args(args) {
            Err(AuditError::Invalid { field, .. }) => field,
            other => panic!("{args:?} was not refused: {other:?}"),
        }
    }

    #[test]
    fn empty_or_missing_optional_arguments_are_left_out() {
        let run = SkillRun::from_seed_args(&["a", "ok", " +7 ", "", ""]).unwrap();
        assert_eq!(run.duration_ms, Some(7));
        assert_eq!((run.errors, run.metadata), (None, None));
        let run = SkillRun::from_seed_args(&["a", "ok", "", "[\"x\"]", "{}"]).unwrap();
        assert_eq!(run.duration_ms, None);
        assert_eq!(run.errors, Some(vec!["x".to_owned()]));
        assert_eq!(run.metadata.as_deref(), Some("{}"));
    }

    #[test]
    fn refusals_name_the_argument() {
        assert_eq!(field(&[]), "args");
        assert_eq!(field(&["a"]), "args");
        assert_eq!(field(&["a", "ok", "1", "[]", "{}", "extra"]), "args");
        assert_eq!(field(&["a", "ok", "-1"]), "duration_ms");
        assert_eq!(field(&["a", "ok", "1", "[1]"]), "errors");
    }
}
