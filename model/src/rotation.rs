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
}
