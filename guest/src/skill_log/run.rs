//! A skill run from the seed script's arguments (`audit_log.py skill status
//! [duration_ms] [errors_json] [metadata_json]`).

use super::*;

impl SkillRun {
    /// A run from the seed's `audit_log.py` arguments, as text:
    /// `skill status [duration_ms] [errors_json] [metadata_json]`, where an
    /// empty or missing optional argument leaves the field out. Used by every
    /// command line that takes them (the host's and the portable component's).
    ///
    /// # Errors
    /// [`AuditError::Invalid`] naming `duration_ms` (not a whole number) or
    /// `errors` (not a JSON array of strings); the rest is checked on append.
    pub fn from_seed_args(
        skill: &str,
        status: &str,
        duration_ms: Option<&str>,
        errors_json: Option<&str>,
        metadata_json: Option<&str>,
    ) -> Result<Self, AuditError> {
        fn given(arg: Option<&str>) -> Option<&str> {
            arg.filter(|text| !text.is_empty())
        }
        let duration_ms = match given(duration_ms) {
            None => None,
            Some(text) => Some(text.trim().parse::<u64>().map_err(|_| {
                AuditError::invalid(
                    "duration_ms",
                    format!("must be a non-negative whole number of milliseconds, got {text:?}"),
                )
            })?),
        };
        let errors = match given(errors_json) {
            None => None,
            Some(text) => Some(error_list(text)?),
        };
        Ok(Self {
            skill: skill.to_owned(),
            status: status.to_owned(),
            duration_ms,
            errors,
            metadata: given(metadata_json).map(str::to_owned),
        })
    }
}

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
