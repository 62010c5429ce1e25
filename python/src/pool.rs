//! Instances of the component for one log directory, one per thread calling
//! at the same time.
//!
//! The host's [`AuditLog`] serialises its calls on one instance. Python
//! threads release the GIL while they call, so to let them record in
//! parallel each concurrent caller takes an [`AuditLog`] of its own from
//! here: they share the compiled component (the host's `Runtime`), and the
//! host's file locks (`flock` on a file each instance opens itself) keep
//! their appends from interleaving exactly as they do between processes.
//!
//! A thread gets back the log it used last when that one is idle: an
//! instance keeps the files it writes open and knows their ends, which
//! another instance's appends make stale, so a thread that keeps writing the
//! same user's log does not make each instance read that file's tail again.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::thread::{self, ThreadId};

use auditlog::{AuditLog, AuditLogBuilder, Result, SettingsUpdate};

/// Open logs for one directory; grows to the number of concurrent callers.
pub struct Pool {
    builder: AuditLogBuilder,
    dir: PathBuf,
    /// Idle logs, each with the thread that used it last.
    idle: Mutex<Vec<(ThreadId, AuditLog)>>,
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
            idle: Mutex::new(vec![(thread::current().id(), first)]),
        })
    }

    /// A pool for the same directory with `update` over this one's settings
    /// (the CLI's per-command options, such as `tool --arg-max-chars`).
    ///
    /// # Errors
    /// As [`AuditLogBuilder::open`].
    pub fn with_settings(&self, update: SettingsUpdate) -> Result<Self> {
        Self::open(self.builder.clone().settings(update))
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
        let me = thread::current().id();
        let idle = {
            let mut idle = self.idle();
            let mine = idle.iter().rposition(|(last, _)| *last == me);
            match mine {
                Some(at) => Some(idle.swap_remove(at).1),
                None => idle.pop().map(|(_, log)| log),
            }
        };
        let log = match idle {
            Some(log) => log,
            None => self.builder.clone().open()?,
        };
        let result = call(&log);
        self.idle().push((me, log));
        result
    }

    /// Drops every idle log; the next call opens one again.
    pub fn close(&self) {
        self.idle().clear();
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<(ThreadId, AuditLog)>> {
        // A panic in a call cannot leave the list itself inconsistent.
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
