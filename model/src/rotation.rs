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
