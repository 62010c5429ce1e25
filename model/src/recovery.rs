//! What a repair found and did: [`Recovery`], one per repaired file. The
//! component repairs; its callers (the host's API, both command lines)
//! report it.

/// A damaged log file that a call repaired. Every intact entry is kept; the
/// bytes that could not be read are moved into a file next to the log.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Recovery {
    /// The repaired file, relative to the log directory.
    pub file: String,
    /// What was wrong, as a sentence fragment: `ends in a torn entry`.
    pub reason: String,
    /// Where the unreadable bytes went (`.damaged.<stem>.<n>` in the file's
    /// folder), relative to the log directory; `None` when nothing was
    /// unreadable (a missing closing bracket, say).
    pub moved_to: Option<String>,
    /// How many bytes were moved aside.
    pub bytes: u64,
    /// Intact entries the file still holds.
    pub kept: u64,
}

impl Recovery {
    /// The repair in one line, for people: what was wrong, where the bytes
    /// went, what was kept.
    #[must_use]
    pub fn notice(&self) -> String {
        let moved = match &self.moved_to {
            Some(to) => format!("{} unreadable bytes moved to {to}", self.bytes),
            None => "no bytes lost".to_owned(),
        };
        format!(
            "{} {}: repaired; {moved}; {} intact entries kept",
            self.file, self.reason, self.kept
        )
    }

    /// The repair as JSON — `{"file", "reason", "moved_to", "bytes", "kept",
    /// "notice"}` — the one shape `repair --format json` (both command lines)
    /// and the Python package's receipts and `repair()` print.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "file": self.file,
            "reason": self.reason,
            "moved_to": self.moved_to,
            "bytes": self.bytes,
            "kept": self.kept,
            "notice": self.notice(),
        })
    }

    /// What `repair` prints on stdout, a line each (both command lines):
    /// the repairs as one JSON array when `as_json`, else each one's
    /// [`notice`](Self::notice), or that there was nothing to repair.
    #[must_use]
    pub fn report_lines(recovered: &[Recovery], as_json: bool) -> Vec<String> {
        if as_json {
            let repairs: Vec<serde_json::Value> = recovered.iter().map(Self::to_json).collect();
            vec![serde_json::Value::from(repairs).to_string()]
        } else if recovered.is_empty() {
            vec!["nothing to repair: every log file is whole".to_owned()]
        } else {
            recovered.iter().map(Self::notice).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Recovery;

    fn torn() -> Recovery {
        Recovery {
            file: "audit_log.json".into(),
            reason: "ends in a torn entry".into(),
            moved_to: Some(".damaged.audit_log.1".into()),
            bytes: 12,
            kept: 3,
        }
    }

    #[test]
    fn the_json_lists_the_fields_then_the_notice_in_order() {
        let json = torn().to_json().to_string();
        assert_eq!(
            json,
            r#"{"file":"audit_log.json","reason":"ends in a torn entry","moved_to":".damaged.audit_log.1","bytes":12,"kept":3,"notice":"audit_log.json ends in a torn entry: repaired; 12 unreadable bytes moved to .damaged.audit_log.1; 3 intact entries kept"}"#
        );
    }

    #[test]
    fn the_report_is_a_notice_a_line_or_says_there_was_nothing() {
        assert_eq!(
            Recovery::report_lines(&[], false),
            ["nothing to repair: every log file is whole"]
        );
        assert_eq!(Recovery::report_lines(&[], true), ["[]"]);
        assert_eq!(
            Recovery::report_lines(&[torn(), torn()], false),
            [torn().notice(), torn().notice()]
        );
    }
}
