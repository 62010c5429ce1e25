//! The seed script's call, `audit_log.py SKILL STATUS [DURATION_MS]
//! [ERRORS_JSON] [METADATA_JSON]`: the response JSON it prints and its exit
//! status, built once for every runner of it (the host's `auditlog record`,
//! the portable component's `record`, `python/audit_log.py`).
//!
//! The component answers the call whole (`record-seed` in
//! `wit/auditlog.wit`); a runner builds an answer here itself only for a
//! failure before the component could answer (a log directory that cannot
//! be opened, a refused setting).

use crate::recovery::Recovery;
use serde_json::{Value, json};

/// Exit status of a stored entry.
pub const EXIT_STORED: u8 = 0;
/// Exit status of a refused input (the response names the field).
pub const EXIT_REFUSED: u8 = 2;
/// Exit status of any other failure (storage, a damaged log, the component).
pub const EXIT_FAILED: u8 = 1;

/// What a seed call answers: what to print and how to exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// [`EXIT_STORED`], [`EXIT_REFUSED`] or [`EXIT_FAILED`].
    pub exit_code: u8,
    /// The response JSON, pretty-printed with two spaces, without a final
    /// newline: print it on stdout followed by one.
    pub response: String,
    /// Lines for stderr, each printed after the program's name and `": "`:
    /// on success the repairs made first and the housekeeping that did not
    /// get done (`"warning: ..."`), on failure the reason.
    pub report: Vec<String>,
}

/// What a successful seed call stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    /// The stored entry.
    pub entry: Value,
    /// The skill log's path, as the runner names it.
    pub path: String,
    /// Entries in the skill log after the append.
    pub total_entries: u64,
    /// Repairs made before the append (usually none).
    pub recovered: Vec<Recovery>,
    /// Housekeeping after the entry was stored that did not get done.
    pub warnings: Vec<String>,
}

impl Answer {
    /// The answer for a stored entry: `{"ok": true, "status": "success",
    /// "errors": [], "path", "details": {"status": "success", "audit_entry",
    /// "audit_log_path", "total_entries", "recovered"?, "warnings"?}}`,
    /// exit status 0.
    pub fn stored(stored: Stored) -> Self {
        let mut response = json!({
            "ok": true,
            "status": "success",
            "errors": [],
            "path": stored.path,
            "details": {
                "status": "success",
                "audit_entry": stored.entry,
                "audit_log_path": stored.path,
                "total_entries": stored.total_entries,
            },
        });
        let mut report: Vec<String> = stored.recovered.iter().map(Recovery::notice).collect();
        report.extend(stored.warnings.iter().map(|w| format!("warning: {w}")));
        if !stored.recovered.is_empty() {
            response["details"]["recovered"] =
                stored.recovered.iter().map(Recovery::to_json).collect();
        }
        if !stored.warnings.is_empty() {
            response["details"]["warnings"] = json!(stored.warnings);
        }
        Self {
            exit_code: EXIT_STORED,
            response: pretty(&response),
            report,
        }
    }

    /// The answer for a call that wrote nothing: `{"ok": false, "status":
    /// "failed", "errors": [message], "path", "details": {"error": {"error":
    /// "SkillValidationError" | "AuditLogError", "message", "details":
    /// {"field"}? }}}`. A refused input (`field` given) exits with 2, any
    /// other failure with 1.
    pub fn failed(message: &str, field: Option<&str>, path: &str) -> Self {
        let (kind, details, exit_code) = match field {
            Some(field) => (
                "SkillValidationError",
                json!({ "field": field }),
                EXIT_REFUSED,
            ),
            None => ("AuditLogError", json!({}), EXIT_FAILED),
        };
        let response = json!({
            "ok": false,
            "status": "failed",
            "errors": [message],
            "path": path,
            "details": {
                "error": { "error": kind, "message": message, "details": details },
            },
        });
        Self {
            exit_code,
            response: pretty(&response),
            report: vec![message.to_owned()],
        }
    }
}

fn pretty(response: &Value) -> String {
    serde_json::to_string_pretty(response).expect("a response always serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(answer: &Answer) -> Value {
        serde_json::from_str(&answer.response).unwrap()
    }

    #[test]
    fn a_stored_entry_answers_in_the_seeds_shape() {
        let answer = Answer::stored(Stored {
            entry: json!({"skill": "a", "status": "success"}),
            path: "/logs/audit_log.json".to_owned(),
            total_entries: 3,
            recovered: Vec::new(),
            warnings: Vec::new(),
        });
        assert_eq!(answer.exit_code, 0);
        assert!(answer.report.is_empty());
        let response = parsed(&answer);
        let keys: Vec<&str> = response
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["ok", "status", "errors", "path", "details"]);
        assert_eq!(
            response["details"],
            json!({
                "status": "success",
                "audit_entry": {"skill": "a", "status": "success"},
                "audit_log_path": "/logs/audit_log.json",
                "total_entries": 3,
            })
        );
        assert!(answer.response.starts_with("{\n  \"ok\": true,\n"));
    }

    #[test]
    fn repairs_and_warnings_are_listed_and_reported() {
        let answer = Answer::stored(Stored {
            entry: json!({}),
            path: "audit_log.json".to_owned(),
            total_entries: 1,
            recovered: vec![Recovery {
                file: "audit_log.json".to_owned(),
                reason: "ends in a torn entry".to_owned(),
                moved_to: Some(".damaged.audit_log.1".to_owned()),
                bytes: 5,
                kept: 1,
            }],
            warnings: vec!["retention waits".to_owned()],
        });
        assert_eq!(
            answer.report,
            [
                "audit_log.json ends in a torn entry: repaired; 5 unreadable bytes moved to \
                 .damaged.audit_log.1; 1 intact entries kept",
                "warning: retention waits"
            ]
        );
        let details = &parsed(&answer)["details"];
        assert_eq!(details["recovered"][0]["moved_to"], ".damaged.audit_log.1");
        assert_eq!(details["warnings"], json!(["retention waits"]));
    }

    #[test]
    fn a_refusal_names_the_field_and_exits_2() {
        let answer = Answer::failed("status: must be a word", Some("status"), "p");
        assert_eq!(answer.exit_code, 2);
        assert_eq!(answer.report, ["status: must be a word"]);
        assert_eq!(
            parsed(&answer),
            json!({
                "ok": false,
                "status": "failed",
                "errors": ["status: must be a word"],
                "path": "p",
                "details": {"error": {
                    "error": "SkillValidationError",
                    "message": "status: must be a word",
                    "details": {"field": "status"},
                }},
            })
        );
    }

    #[test]
    fn any_other_failure_exits_1() {
        let answer = Answer::failed("disk full", None, "p");
        assert_eq!(answer.exit_code, 1);
        let response = parsed(&answer);
        assert_eq!(response["details"]["error"]["error"], "AuditLogError");
        assert_eq!(response["details"]["error"]["details"], json!({}));
    }
}
