//! What applying the tool logs' rotation policy changed: one [`Rotation`]
//! per file, as the `rotation` record of `wit/auditlog.wit` describes it.

/// What was done to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RotationAction {
    /// Gzipped into `<file>.gz`, which replaced it.
    Compressed,
    /// Deleted by retention.
    Deleted,
}

impl RotationAction {
    /// `compressed` or `deleted`, as the command lines print it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Compressed => "compressed",
            Self::Deleted => "deleted",
        }
    }
}

/// One file the policy changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    /// The file, relative to the log directory (its name before the change).
    pub file: String,
    /// What was done.
    pub action: RotationAction,
    /// Its size in bytes before the change.
    pub bytes: u64,
}

impl Rotation {
    /// The change as JSON — `{"file", "action", "bytes"}` — the one shape
    /// `rotate --format json` (both command lines) and the Python package's
    /// `rotate()` print.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "file": self.file,
            "action": self.action.name(),
            "bytes": self.bytes,
        })
    }

    /// What `rotate` prints on stdout, a line each (both command lines): the
    /// changes as one JSON array when `as_json`, else `compressed FILE (N
    /// bytes)` per file (no line when nothing changed).
    #[must_use]
    pub fn report_lines(rotations: &[Rotation], as_json: bool) -> Vec<String> {
        if as_json {
            let list: Vec<serde_json::Value> = rotations.iter().map(Self::to_json).collect();
            vec![serde_json::Value::from(list).to_string()]
        } else {
            rotations
                .iter()
                .map(|r| format!("{} {} ({} bytes)", r.action.name(), r.file, r.bytes))
                .collect()
        }
    }

    /// What `rotate` tells stderr: `2 files compressed, 1 deleted`, or
    /// `nothing to rotate`.
    #[must_use]
    pub fn summary(rotations: &[Rotation]) -> String {
        if rotations.is_empty() {
            return "nothing to rotate".to_owned();
        }
        let count = |action| rotations.iter().filter(|r| r.action == action).count();
        let compressed = count(RotationAction::Compressed);
        let files = if compressed == 1 { "file" } else { "files" };
        format!(
            "{compressed} {files} compressed, {} deleted",
            count(RotationAction::Deleted)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{Rotation, RotationAction};

    fn rotation(file: &str, action: RotationAction) -> Rotation {
        Rotation {
            file: file.into(),
            action,
            bytes: 10,
        }
    }

    #[test]
    fn lines_json_and_summary_say_what_changed() {
        let changes = [
            rotation(
                "alice/tool_audit/2025-10-20.jsonl",
                RotationAction::Compressed,
            ),
            rotation("alice/tool_audit/2025-10-01.jsonl", RotationAction::Deleted),
        ];
        assert_eq!(
            Rotation::report_lines(&changes, false),
            [
                "compressed alice/tool_audit/2025-10-20.jsonl (10 bytes)",
                "deleted alice/tool_audit/2025-10-01.jsonl (10 bytes)",
            ]
        );
        assert_eq!(
            Rotation::report_lines(&changes[..1], true),
            [r#"[{"file":"alice/tool_audit/2025-10-20.jsonl","action":"compressed","bytes":10}]"#]
        );
        assert_eq!(Rotation::summary(&changes), "1 file compressed, 1 deleted");
        assert_eq!(
            Rotation::summary(&changes[1..]),
            "0 files compressed, 1 deleted"
        );
        assert_eq!(Rotation::summary(&[]), "nothing to rotate");
        assert!(Rotation::report_lines(&[], false).is_empty());
    }
}
