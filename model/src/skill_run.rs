//! One run of a skill as a caller describes it: [`SkillRun`], with a builder,
//! and its reading from the seed script's arguments (`audit_log.py skill
//! status [duration_ms] [errors_json] [metadata_json]`).

use serde_json::Value;

use crate::AuditError;

/// One run of a skill, as the skill log stores it (`audit_log.json`). The
/// component checks every field when it is appended.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SkillRun {
    /// The skill's name, e.g. `workflow.compose`: a safe token.
    pub skill: String,
    /// How the run ended: a short lowercase word (`success`, `failed`, ...).
    pub status: String,
    /// How long the run took, in milliseconds.
    pub duration_ms: Option<u64>,
    /// Error messages; `None` leaves the field out of the entry.
    pub errors: Option<Vec<String>>,
    /// Additional context: the text of a JSON object; `None` leaves the field out.
    pub metadata: Option<String>,
}

impl SkillRun {
    /// A run of `skill` that ended with `status`, without optional fields.
    pub fn new(skill: impl Into<String>, status: impl Into<String>) -> Self {
        Self {
            skill: skill.into(),
            status: status.into(),
            duration_ms: None,
            errors: None,
            metadata: None,
        }
    }

    /// With `duration_ms`.
    #[must_use]
    pub fn duration_ms(mut self, ms: u64) -> Self {
        self.duration_ms = Some(ms);
        self
    }

    /// With error messages.
    #[must_use]
    pub fn errors(mut self, errors: Vec<String>) -> Self {
        self.errors = Some(errors);
        self
    }

    /// With metadata, a JSON object.
    #[must_use]
    pub fn metadata(mut self, metadata: &Value) -> Self {
        self.metadata = Some(metadata.to_string());
        self
    }

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
                    format!(
                        "must be a non-negative whole number of milliseconds, got {}",
                        crate::invisible::refused(text)
                    ),
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
fn error_list(text: &str) -> Result<Vec<String>, AuditError> {
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
