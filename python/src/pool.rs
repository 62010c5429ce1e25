//! Instances of the component for one log directory, one per thread calling
//! at the same time.
//!
//! The host's [`AuditLog`] serialises its calls on one instance. Python
//! threads release the GIL while they call, so to let them record in
//! parallel each concurrent caller takes an [`AuditLog`] of its own from
//! here: they share the compiled component (the host's `Runtime`), and the
//! host's file locks (`flock` on a file each instance opens itself) keep
//! their appends from interleaving exactly as they do between processes.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use auditlog::{AuditLog, AuditLogBuilder, Result};

/// Open logs for one directory; grows to the number of concurrent callers.
pub struct Pool {
    builder: AuditLogBuilder,
    dir: PathBuf,
    idle: Mutex<Vec<AuditLog>>,
}

impl Pool {
    /// Opens the first log (so that a bad directory, setting or
    /// `auditlog.toml` fails here), keeping `builder` for the others.
    ///
    /// # Errors
    /// As [`AuditLogBuilder::open`].
    pub fn open(builder: AuditLogBuilder) -> Result<Self> {
        let first = builder.clone().open()?;
        Ok(Self {
            builder,
            dir: first.dir().to_owned(),
            idle: Mutex::new(vec![first]),
        })
    }

    /// The log directory (absolute).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs `call` on an idle log, opening one when every log is busy, and
    /// gives the log back afterwards.
    ///
    /// # Errors
    /// What `call` returns, or [`AuditLogBuilder::open`]'s error.
    pub fn with<T>(&self, call: impl FnOnce(&AuditLog) -> Result<T>) -> Result<T> {
        let idle = self.idle().pop();
        let log = match idle {
            Some(log) => log,
            None => self.builder.clone().open()?,
        };
        let result = call(&log);
        self.idle().push(log);
        result
    }

    /// Drops every idle log; the next call opens one again.
    pub fn close(&self) {
        self.idle().clear();
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<AuditLog>> {
        // A panic in a call cannot leave the list itself inconsistent.
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
