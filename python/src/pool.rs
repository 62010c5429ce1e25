//! Instances of the component for one log directory: one shared by every
//! append, and one per thread querying at the same time.
//!
//! Python threads release the GIL while they call. Their appends all go to
//! one [`AuditLog`], whose group commit writes the appends that arrive while
//! another is being written together, in one call into the component: more
//! entries per second than an instance per thread, on few cores, and an
//! instance that knows where each user's file ends. Queries (and the
//! upkeep calls) each take an [`AuditLog`] of their own from here instead,
//! so they never wait behind appends: the logs share the compiled component
//! (the host's `Runtime`), and the host's file locks (`flock` on a file each
//! instance opens itself) keep their writes apart exactly as they do
//! between processes.
//!
//! A thread gets back the log it used last when that one is idle: an
//! instance keeps the files it reads open and knows their ends, which
//! another instance's appends make stale.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};

use auditlog::{AuditLog, AuditLogBuilder, Result, SettingsUpdate};

/// Open logs for one directory: one for appends, and as many for queries as
/// there are concurrent callers.
pub struct Pool {
    builder: AuditLogBuilder,
    dir: PathBuf,
    /// The log every append goes to; opened again after [`Pool::close`].
    appends: Mutex<Option<Arc<AuditLog>>>,
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
            appends: Mutex::new(Some(Arc::new(first))),
            idle: Mutex::new(Vec::new()),
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

    /// A pool for the same directory and settings with nothing open yet
    /// (each log opens on first use): a forked child's, which must not use
    /// the logs, lock files and mutexes it inherited.
    pub fn unopened(&self) -> Self {
        Self {
            builder: self.builder.clone(),
            dir: self.dir.clone(),
            appends: Mutex::new(None),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// The log directory (absolute).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs `call` on the log appends share (see the module's doc).
    ///
    /// # Errors
    /// What `call` returns, or [`AuditLogBuilder::open`]'s error.
    pub fn append<T>(&self, call: impl FnOnce(&AuditLog) -> Result<T>) -> Result<T> {
        let shared = lock(&self.appends).clone();
        let log = match shared {
            Some(log) => log,
            None => {
                let log = Arc::new(self.builder.clone().open()?);
                Arc::clone(lock(&self.appends).get_or_insert(log))
            }
        };
        call(&log)
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
        *lock(&self.appends) = None;
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<(ThreadId, AuditLog)>> {
        lock(&self.idle)
    }
}

/// `mutex` locked: a panic in a call cannot leave what these hold (a list
/// of logs, an optional log) inconsistent.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
