//! Where the log directory must be: the checks of `--dir` before a command
//! opens it.

use auditlog::{AuditLog, AuditLogBuilder};

use super::{Cli, Failure};

impl Cli {
    /// Opens the log directory for a one-shot read (`recent`, `stats`,
    /// `verify`): read-only, and refused when the directory does not exist,
    /// rather than created — a read writes nothing, and a mistyped path is
    /// not an empty log that verifies.
    pub(super) fn open_to_read(&self) -> Result<AuditLog, Failure> {
        self.require_dir("a read creates nothing")?;
        self.open(AuditLogBuilder::read_only)
    }

    /// [`Cli::open`] for upkeep of logs that are there (`repair`, `adopt`,
    /// `rotate`): refuses a directory that does not exist, as
    /// reads do, instead of creating one to find nothing in.
    pub(super) fn open_existing(&self) -> Result<AuditLog, Failure> {
        self.require_dir("only recording creates one")?;
        self.open(|builder| builder)
    }

    /// Refuses a `--dir` that is not a directory: a mistyped path must not
    /// pass for an empty log. `why`: why the command does not create it.
    fn require_dir(&self, why: &str) -> Result<(), Failure> {
        if self.dir.is_dir() {
            return Ok(());
        }
        Err(Failure::input(
            &self.option("dir", "--dir"),
            format!(
                "{} does not exist or is not a directory: nothing was recorded there, and {why} (check the path, or AUDITLOG_DIR)",
                self.dir.display()
            ),
        ))
    }

    /// Refuses a `--dir` that is a file, or lies under one, so that no
    /// directory can be there: a write would otherwise fail creating it
    /// (`File exists`, exit 1) without naming the option.
    pub(super) fn refuse_dir_that_cannot_be_one(&self) -> Result<(), Failure> {
        // The nearest part of the path that exists decides.
        let Some(existing) = self
            .dir
            .ancestors()
            .find(|path| !path.as_os_str().is_empty() && std::fs::metadata(path).is_ok())
        else {
            return Ok(());
        };
        if existing.is_dir() {
            return Ok(());
        }
        let why = if existing == self.dir {
            format!("{} is not a directory", self.dir.display())
        } else {
            format!(
                "{} is not a directory, so {} cannot be created under it",
                existing.display(),
                self.dir.display()
            )
        };
        Err(Failure::input(
            &self.option("dir", "--dir"),
            format!("{why} (check the path, or AUDITLOG_DIR)"),
        ))
    }

    /// Refuses a file the log directory would hold: the chain key and the
    /// checkpoint must live where a writer of the logs cannot reach them.
    pub(super) fn refuse_inside_log_dir(
        &self,
        option: &str,
        path: &std::path::Path,
    ) -> Result<(), Failure> {
        auditlog::key_file::refuse_inside(&self.dir, path)
            .map_err(|reason| Failure::input(option, reason))
    }
}
