//! `auditlog.AuditLog`: the host library's [`auditlog::AuditLog`] for Python,
//! method by method as the CLI's commands, with the GIL released around
//! every call into the host.
//!
//! Safe across `os.fork()`: see [`crate::process`].

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use auditlog::{Error, Recovery, Rotation};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::calls::{Selected, query, skill_run, tool_call};
use crate::checkpoint::{self, Checkpoint};
use crate::errors::{invalid, to_py};
use crate::pool::Pool;
use crate::process::{Process, lock};
use crate::results;
use crate::selection::{logs_source, selection};
use crate::settings;
use crate::values::{Entries, Returned, flag, optional_text, words};

/// The audit logs in one directory (created if missing), written and read by
/// the auditlog component inside this process — the same component, file
/// locks and behaviour as the ``auditlog`` CLI.
///
/// ``AuditLog(dir, **settings)`` takes the CLI's global options and settings
/// as keywords (``None`` leaves one unset): ``max_entries``,
/// ``arg_max_chars``, ``snippet_chars``, ``max_entry_bytes``, ``chain_key``
/// (bytes), ``redact_keys`` (list of str), ``sync_data``, and the tool logs'
/// rotation policy ``max_file_bytes``, ``max_days``, ``max_user_bytes``,
/// ``compress``, ``compress_grace`` (these also come from
/// ``DIR/auditlog.toml``; a keyword wins);
/// the host's ``key_file``, ``sync`` ("never" | "batch" | "always"),
/// ``timeout_ms``, ``memory_limit_mb``, ``component`` (a component file to
/// run instead of the built-in one), ``read_config_file`` (default True),
/// ``read_only`` and ``now`` (an RFC 3339 time to stamp entries with, for
/// tests and replays). An unknown keyword is a ``TypeError``; a refused value
/// an ``InvalidInput``.
///
/// Safe to share between threads, and threads record in parallel: each call
/// releases the GIL, and concurrent calls run on instances of their own.
/// Safe across ``os.fork()`` too: a forked child's first call opens
/// instances of its own. Every failure raises an ``auditlog.AuditLogError``
/// (see ``auditlog.errors``) and leaves the log as it was.
#[pyclass(name = "AuditLog", module = "auditlog", frozen)]
pub struct PyAuditLog {
    /// This process's pools (see the module's doc). Locked only while the
    /// GIL is held, and never across a release of it, so it is never locked
    /// at an `os.fork()` (whose caller holds the GIL).
    current: Mutex<Arc<Process>>,
}

#[pymethods]
impl PyAuditLog {
    #[new]
    #[pyo3(signature = (dir, **settings))]
    fn new(py: Python<'_>, dir: PathBuf, settings: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let builder = settings::builder(py, dir, settings)?;
        let pool = py
            .detach(|| Pool::open(builder))
            .map_err(|e| to_py(py, e))?;
        Ok(Self {
            current: Mutex::new(Arc::new(Process::new(pool))),
        })
    }

    /// The log directory, absolute.
    #[getter]
    fn dir(&self, py: Python<'_>) -> PathBuf {
        self.here(py).pool.dir().to_owned()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "AuditLog({:?})",
            self.here(py).pool.dir().display().to_string()
        )
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, pyo3::types::PyTuple>) {
        self.close(py);
    }

    /// Drops the component instances; a later call opens one again.
    fn close(&self, py: Python<'_>) {
        self.here(py).close();
    }

    /// Appends one skill run to ``audit_log.json`` and returns the stored
    /// entry: ``{"timestamp", "skill", "status", "duration_ms"?, "errors"?,
    /// "metadata"?, "redacted"?, "truncated"?, "seq", "hash" | "mac"}``.
    ///
    /// ``errors`` is a list of str; ``metadata`` a dict (key order kept) or
    /// the text of a JSON object. Raises ``InvalidInput`` (nothing written),
    /// ``StorageError``, ``CorruptLog`` or ``ComponentError``.
    #[pyo3(signature = (skill, status, duration_ms=None, errors=None, metadata=None))]
    fn record<'py>(
        &self,
        py: Python<'py>,
        skill: &Bound<'py, PyAny>,
        status: &Bound<'py, PyAny>,
        duration_ms: Selected<'py>,
        errors: Selected<'py>,
        metadata: Selected<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let run = skill_run(py, skill, status, duration_ms, errors, metadata)?;
        append(py, &self.here(py).pool, move |log| {
            log.append_skill(&run).map(|r| r.entry)
        })
    }

    /// As :meth:`record`, returning the receipt: ``{"entry", "path",
    /// "total_entries", "recovered": [repairs made first], "warnings":
    /// [housekeeping that did not get done]}``.
    #[pyo3(signature = (skill, status, duration_ms=None, errors=None, metadata=None))]
    fn append_skill<'py>(
        &self,
        py: Python<'py>,
        skill: &Bound<'py, PyAny>,
        status: &Bound<'py, PyAny>,
        duration_ms: Selected<'py>,
        errors: Selected<'py>,
        metadata: Selected<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let run = skill_run(py, skill, status, duration_ms, errors, metadata)?;
        append(py, &self.here(py).pool, move |log| {
            log.append_skill(&run).map(|r| results::skill_receipt(&r))
        })
    }

    /// Appends one tool call to ``USER/tool_audit/YYYY-MM-DD.jsonl`` (UTC)
    /// and returns the stored entry, as ``auditlog tool`` prints it: ``{"ts",
    /// "user", "tool", "args", "status", "result_chars", "result_snippet",
    /// "redacted"?, "truncated"?, "seq", "hash" | "mac"}``.
    ///
    /// ``status`` is ``ok``, ``error`` or ``denied``; ``args`` a dict or the
    /// text of a JSON object (default ``{}``), each string in it longer than
    /// 500 characters cut to 500 plus `` …[N chars total]``; of ``result``
    /// only its length and first 300 characters are kept —
    /// ``arg_max_chars`` and ``snippet_chars`` change those two for this
    /// call, as ``auditlog tool --arg-max-chars N --snippet-chars N``.
    /// Raises as :meth:`record`.
    #[pyo3(signature = (user, tool, status, args=None, result=None, *, arg_max_chars=None, snippet_chars=None))]
    #[allow(clippy::too_many_arguments)]
    fn tool<'py>(
        &self,
        py: Python<'py>,
        user: &Bound<'py, PyAny>,
        tool: &Bound<'py, PyAny>,
        status: &Bound<'py, PyAny>,
        args: Selected<'py>,
        result: Selected<'py>,
        arg_max_chars: Selected<'py>,
        snippet_chars: Selected<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let call = tool_call(py, user, tool, status, args, result)?;
        let here = self.here(py);
        let pool = here.cut_pool(py, arg_max_chars, snippet_chars)?;
        append(py, pool.as_deref().unwrap_or(&here.pool), move |log| {
            log.append_tool(&call).map(|r| r.entry)
        })
    }

    /// As :meth:`tool`, returning the receipt: ``{"entry", "path",
    /// "recovered", "warnings"}``.
    #[pyo3(signature = (user, tool, status, args=None, result=None, *, arg_max_chars=None, snippet_chars=None))]
    #[allow(clippy::too_many_arguments)]
    fn append_tool<'py>(
        &self,
        py: Python<'py>,
        user: &Bound<'py, PyAny>,
        tool: &Bound<'py, PyAny>,
        status: &Bound<'py, PyAny>,
        args: Selected<'py>,
        result: Selected<'py>,
        arg_max_chars: Selected<'py>,
        snippet_chars: Selected<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let call = tool_call(py, user, tool, status, args, result)?;
        let here = self.here(py);
        let pool = here.cut_pool(py, arg_max_chars, snippet_chars)?;
        append(py, pool.as_deref().unwrap_or(&here.pool), move |log| {
            log.append_tool(&call).map(|r| results::tool_receipt(&r))
        })
    }

    /// The newest entries that pass the filters, newest first, as ``auditlog
    /// recent --format json`` prints them: a list of dicts.
    ///
    /// Name one log: ``skills=True``, ``user="alice"`` or ``all_users=True``
    /// (every user's tool log, merged by time). Filters: ``skill`` (skill
    /// log) or ``tool`` (tool logs), ``status``, ``since <= time < until``
    /// (RFC 3339 text, a date or an aware datetime), ``days`` (today and the
    /// days before; tool logs default to 7 unless ``since`` is given).
    /// ``limit`` is 1 to 10,000 (default 200): the list holds that many
    /// when as many match, large entries included (the component answers
    /// at most 32 MiB a page; the rest is fetched through its cursor). To
    /// page yourself use :meth:`recent_page`.
    #[pyo3(signature = (*, skills=None, user=None, all_users=None, skill=None, tool=None,
        status=None, since=None, until=None, days=None, limit=None, cursor=None),
        text_signature = "($self, *, skills=False, user=None, all_users=False, skill=None, tool=None, status=None, since=None, until=None, days=None, limit=200, cursor=None)")]
    #[allow(clippy::too_many_arguments)]
    fn recent<'py>(
        &self,
        py: Python<'py>,
        skills: Selected<'py>,
        user: Selected<'py>,
        all_users: Selected<'py>,
        skill: Selected<'py>,
        tool: Selected<'py>,
        status: Selected<'py>,
        since: Selected<'py>,
        until: Selected<'py>,
        days: Selected<'py>,
        limit: Selected<'py>,
        cursor: Selected<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let selected = [user, skill, tool, status, since, until, days];
        let mut query = query(py, skills, all_users, selected, limit, cursor)?;
        self.run(py, move |log| {
            // A page also stops once its entries pass the component's byte
            // budget: the list goes on through the cursors to `limit`.
            let wanted = query.limit.map_or(usize::MAX, |n| n as usize);
            let mut entries = Vec::new();
            loop {
                let page = log.recent_json(&query)?;
                entries.extend(page.entries);
                match page.next_cursor {
                    Some(next) if entries.len() < wanted => {
                        query.limit = u32::try_from(wanted - entries.len()).ok();
                        query.cursor = Some(next);
                    }
                    _ => return Ok(Entries(entries)),
                }
            }
        })
    }

    /// As :meth:`recent`, with the cursor of the next page: ``{"entries":
    /// [...], "next_cursor": str | None}`` (``None`` on the last page). Pass
    /// ``next_cursor`` back as ``cursor`` with the same filters.
    #[pyo3(signature = (*, skills=None, user=None, all_users=None, skill=None, tool=None,
        status=None, since=None, until=None, days=None, limit=None, cursor=None),
        text_signature = "($self, *, skills=False, user=None, all_users=False, skill=None, tool=None, status=None, since=None, until=None, days=None, limit=200, cursor=None)")]
    #[allow(clippy::too_many_arguments)]
    fn recent_page<'py>(
        &self,
        py: Python<'py>,
        skills: Selected<'py>,
        user: Selected<'py>,
        all_users: Selected<'py>,
        skill: Selected<'py>,
        tool: Selected<'py>,
        status: Selected<'py>,
        since: Selected<'py>,
        until: Selected<'py>,
        days: Selected<'py>,
        limit: Selected<'py>,
        cursor: Selected<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let selected = [user, skill, tool, status, since, until, days];
        let query = query(py, skills, all_users, selected, limit, cursor)?;
        let page = self.call(py, move |log| log.recent_json(&query))?;
        let next_cursor = page.next_cursor.clone();
        let entries = Entries(page.entries).to_object(py)?;
        let dict = PyDict::new(py);
        dict.set_item("entries", entries)?;
        dict.set_item("next_cursor", next_cursor)?;
        Ok(dict.into_any())
    }

    /// Totals over every entry the filters (as :meth:`recent`'s) select, as
    /// ``auditlog stats --format json`` prints them: ``{"total", "errors",
    /// "error_rate", "other", "by_status", "by_name": {name: {"count",
    /// "errors", "avg_ms", "p50_ms", "p95_ms", "max_ms"}}, "by_user",
    /// "by_day"}``.
    #[pyo3(signature = (*, skills=None, user=None, all_users=None, skill=None, tool=None,
        status=None, since=None, until=None, days=None),
        text_signature = "($self, *, skills=False, user=None, all_users=False, skill=None, tool=None, status=None, since=None, until=None, days=None)")]
    #[allow(clippy::too_many_arguments)]
    fn stats<'py>(
        &self,
        py: Python<'py>,
        skills: Selected<'py>,
        user: Selected<'py>,
        all_users: Selected<'py>,
        skill: Selected<'py>,
        tool: Selected<'py>,
        status: Selected<'py>,
        since: Selected<'py>,
        until: Selected<'py>,
        days: Selected<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let selected = [user, skill, tool, status, since, until, days];
        let filter = selection(py, skills, all_users, selected)?;
        self.run(py, move |log| {
            log.stats(&filter).map(|s| results::stats(&s))
        })
    }

    /// Checks the hash chains of the logs named (none named: the skill log
    /// and every user's) and returns ``{"ok", "entries", "ends", "legacy",
    /// "unsealed", "unsealed_total", "problem": None | {"file", "line",
    /// "seq", "reason"}}``; a failed verification is ``ok`` False, not an
    /// exception. ``checkpoint`` is an earlier report's ``ends``, or the path
    /// of a checkpoint file as ``auditlog verify --checkpoint`` keeps it
    /// (read, and rewritten with the new ends when verification passes).
    #[pyo3(signature = (*, skills=None, user=None, all_users=None, checkpoint=None),
        text_signature = "($self, *, skills=False, user=None, all_users=False, checkpoint=None)")]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        skills: Selected<'py>,
        user: Selected<'py>,
        all_users: Selected<'py>,
        checkpoint: Selected<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let source = logs_source(py, skills, user, all_users)?;
        let checkpoint = checkpoint::parse(py, self.here(py).pool.dir(), checkpoint.as_ref())?;
        self.run(py, move |log| {
            let report = log.verify(source.as_ref(), checkpoint.ends())?;
            if let (Checkpoint::File(path, old), None) = (&checkpoint, &report.problem) {
                auditlog::checkpoint_file::write(path, old, &report.ends)
                    .map_err(|e| Error::Storage(e.to_string()))?;
            }
            Ok(results::verify_report(&report))
        })
    }

    /// Repairs every damaged file of the logs named (none named: all):
    /// intact entries kept, unreadable bytes moved aside, each repair
    /// recorded. Returns the repairs as ``auditlog repair --format json``
    /// prints them: ``[{"file", "reason", "moved_to", "bytes", "kept",
    /// "notice"}]``; none for healthy logs.
    #[pyo3(signature = (*, skills=None, user=None, all_users=None),
        text_signature = "($self, *, skills=False, user=None, all_users=False)")]
    fn repair<'py>(
        &self,
        py: Python<'py>,
        skills: Selected<'py>,
        user: Selected<'py>,
        all_users: Selected<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let source = logs_source(py, skills, user, all_users)?;
        self.run(py, move |log| {
            let repairs = log.repair(source.as_ref())?;
            Ok(Value::Array(
                repairs.iter().map(Recovery::to_json).collect(),
            ))
        })
    }

    /// Seals the legacy entries (written by another writer, such as the seed
    /// scripts) of the logs named (none named: all), as ``auditlog adopt``.
    /// Returns one ``{"log", "entries", "first_time", "last_time",
    /// "sealed_as", "adopted_at"}`` per log (``sealed_as`` None: nothing
    /// new). Raises ``CorruptLog`` for a damaged log (``repair()`` first).
    #[pyo3(signature = (*, skills=None, user=None, all_users=None),
        text_signature = "($self, *, skills=False, user=None, all_users=False)")]
    fn adopt<'py>(
        &self,
        py: Python<'py>,
        skills: Selected<'py>,
        user: Selected<'py>,
        all_users: Selected<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let source = logs_source(py, skills, user, all_users)?;
        self.run(py, move |log| {
            let adoptions = log.adopt(source.as_ref())?;
            Ok(Value::Array(
                adoptions.iter().map(results::adoption).collect(),
            ))
        })
    }

    /// Applies the rotation policy now to one user's tool log (``user``) or
    /// every user's (the default), as ``auditlog rotate``: gzips closed files
    /// when ``compress`` is on and deletes what retention no longer keeps.
    /// Returns ``[{"file", "action": "compressed" | "deleted", "bytes"}]``,
    /// as ``auditlog rotate --format json`` prints it.
    #[pyo3(signature = (*, user=None, all_users=None),
        text_signature = "($self, *, user=None, all_users=False)")]
    fn rotate<'py>(
        &self,
        py: Python<'py>,
        user: Selected<'py>,
        all_users: Selected<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let all_users = flag(py, "all_users", all_users)?;
        let source = match (optional_text(py, "user", user.as_ref())?, all_users) {
            (Some(_), true) => {
                return Err(invalid(py, "source", "name only one of user and all_users"));
            }
            (Some(user), false) => auditlog::Source::User(user),
            (None, _) => auditlog::Source::AllUsers,
        };
        self.run(py, move |log| {
            let rotations = log.rotate(Some(&source))?;
            Ok(Value::Array(
                rotations.iter().map(Rotation::to_json).collect(),
            ))
        })
    }

    /// The seed script's call (``audit_log.py SKILL STATUS [DURATION_MS]
    /// [ERRORS_JSON] [METADATA_JSON]``) answered by the component, as
    /// ``auditlog record``: ``args`` its positional arguments, ``log_path``
    /// the skill log's path as the response shows it (default: this
    /// directory's ``audit_log.json``). Returns ``{"exit_code": 0 | 1 | 2,
    /// "response": the response JSON text, "report": [lines for stderr]}``; a
    /// refused input is an answer, not an exception.
    #[pyo3(signature = (args, log_path=None))]
    fn record_seed<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyAny>,
        log_path: Selected<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let args = words(py, "args", args)?;
        let log_path = match optional_text(py, "log_path", log_path.as_ref())? {
            Some(path) => path,
            None => self
                .here(py)
                .pool
                .dir()
                .join("audit_log.json")
                .display()
                .to_string(),
        };
        append(py, &self.here(py).pool, move |log| {
            log.record_seed(&args, &log_path)
                .map(|a| results::seed_answer(&a))
        })
    }
}

impl PyAuditLog {
    /// This process's pools: after a fork, in the child, fresh ones in place
    /// of the inherited ones, which are abandoned — never dropped, so that
    /// nothing they hold (a lock another parent thread held, a lock file) is
    /// touched. Takes the GIL as `py`, which keeps [`Self::current`]
    /// unlocked at any fork.
    fn here(&self, _py: Python<'_>) -> Arc<Process> {
        let mut current = lock(&self.current);
        if current.inherited() {
            std::mem::forget(Arc::clone(&current));
            *current = Arc::new(Process::new(current.pool.unopened()));
        }
        Arc::clone(&current)
    }

    /// Runs `call` on a log of its own with the GIL released, and its
    /// result as Python objects.
    fn run<'py, T: Returned>(
        &self,
        py: Python<'py>,
        call: impl FnOnce(&auditlog::AuditLog) -> auditlog::Result<T> + Send,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.call(py, call)?.to_object(py)
    }

    /// As [`run`](Self::run), returning what `call` returns.
    fn call<T: Send>(
        &self,
        py: Python<'_>,
        call: impl FnOnce(&auditlog::AuditLog) -> auditlog::Result<T> + Send,
    ) -> PyResult<T> {
        let here = self.here(py);
        py.detach(|| here.pool.with(call)).map_err(|e| to_py(py, e))
    }
}

impl Drop for PyAuditLog {
    /// Drops this process's pools; abandons inherited ones (see
    /// [`PyAuditLog::here`]).
    fn drop(&mut self) {
        let current = self
            .current
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        if current.inherited() {
            std::mem::forget(Arc::clone(current));
        }
    }
}

/// Runs `call` on the log appends share in `pool`, where concurrent appends
/// are written together, with the GIL released; its result as Python
/// objects.
fn append<'py, T: Returned>(
    py: Python<'py>,
    pool: &Pool,
    call: impl FnOnce(&auditlog::AuditLog) -> auditlog::Result<T> + Send,
) -> PyResult<Bound<'py, PyAny>> {
    let value = py.detach(|| pool.append(call)).map_err(|e| to_py(py, e))?;
    value.to_object(py)
}
