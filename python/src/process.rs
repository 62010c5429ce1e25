//! The pools of an `AuditLog` in one process, and what makes it safe across
//! `os.fork()`.
//!
//! The component instances (and the lock files they keep open) belong to
//! the process that opened them. A lock taken with `flock` belongs to the
//! open file, which a forked child shares with its parent, so a child using
//! its parent's instances would exclude nobody and write after stale ends.
//! Each `AuditLog` therefore keeps its pools in a [`Process`] tagged with
//! the process id, and the first call in a forked child replaces it by a
//! fresh one (nothing open; instances open on demand) — abandoning the
//! inherited one rather than dropping it, since a lock another thread of
//! the parent held at the fork stays locked in the child for ever.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use auditlog::SettingsUpdate;
use pyo3::prelude::*;

use crate::calls::Selected;
use crate::errors::to_py;
use crate::pool::Pool;
use crate::settings::cut_length;
use crate::values::if_given;

/// The pools of an `AuditLog` in one process.
pub struct Process {
    /// The process they were opened in.
    pid: u32,
    /// The pool calls run on.
    pub pool: Pool,
    /// Pools with `tool`'s own `arg_max_chars` and `snippet_chars`, opened
    /// when a call first asks for that pair.
    cut: Mutex<CutPools>,
}

impl Process {
    pub fn new(pool: Pool) -> Self {
        Self {
            pid: std::process::id(),
            pool,
            cut: Mutex::default(),
        }
    }

    /// Drops the component instances of every pool; a later call opens one
    /// again.
    pub fn close(&self) {
        self.pool.close();
        lock(&self.cut).clear();
    }

    /// Whether these pools were opened in another process (this one's parent).
    pub fn inherited(&self) -> bool {
        self.pid != std::process::id()
    }
}

impl Process {
    /// The pool with `tool`'s own cut lengths, `None` when the call gives
    /// neither.
    pub fn cut_pool(
        &self,
        py: Python<'_>,
        arg_max_chars: Selected<'_>,
        snippet_chars: Selected<'_>,
    ) -> PyResult<Option<Arc<Pool>>> {
        let chars =
            |field: &str, value: Selected<'_>| if_given(value, |n| cut_length(py, field, n));
        let key = (
            chars("arg_max_chars", arg_max_chars)?,
            chars("snippet_chars", snippet_chars)?,
        );
        if key == (None, None) {
            return Ok(None);
        }
        if let Some(pool) = lock(&self.cut).get(&key) {
            return Ok(Some(Arc::clone(pool)));
        }
        let update = SettingsUpdate {
            arg_max_chars: key.0,
            snippet_chars: key.1,
            ..SettingsUpdate::default()
        };
        let pool = py
            .detach(|| self.pool.with_settings(update))
            .map_err(|e| to_py(py, e))?;
        let pool = Arc::new(pool);
        lock(&self.cut).insert(key, Arc::clone(&pool));
        Ok(Some(pool))
    }
}

/// `mutex` locked: a panic in a call cannot leave what these hold (pools by
/// key, the current pools) inconsistent.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `tool`'s pools by (`arg_max_chars`, `snippet_chars`).
type CutPools = HashMap<(Option<u32>, Option<u32>), Arc<Pool>>;
