//! [`AuditLog`]: one log directory served by one instance of the component.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cap_std::ambient_authority;
use cap_std::fs::Dir;
use serde_json::Value;
use wasmtime::Store;
use wasmtime_wasi::HostWallClock;

use crate::SettingsUpdate;
use crate::bindings::Auditlog;
use auditlog_model::{
    Adoption, Filter, LogEnd, Query, Recovery, Rotation, SkillRun, Source, Stats, ToolCall,
    VerifyReport,
};

use crate::bindings::audit::log::types as wit;
use crate::config::{CONFIG_FILE, Config, Policy};
use crate::durability::{self, SyncMode};
use crate::entry::Entry;
use crate::error::{Error, Result};
use crate::group::Group;
use crate::runtime::{Limits, Runtime, State};
use crate::storage::DirStorage;
use writers::{ToolWriters, group_panicked};

mod builder;
mod created_dir;
mod types;
mod wit_convert;
mod writers;

#[cfg(test)]
mod group_tests;

pub use builder::AuditLogBuilder;
pub use types::{Page, SkillReceipt, ToolReceipt};

/// A source of the current time for entries' timestamps.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// The audit logs in one directory.
///
/// Safe to share between threads, and meant to be shared: appends that arrive
/// while others are being written are written together with them (group
/// commit), tool appends for different users run on a few instances of the
/// component in parallel, and every other call runs on an instance of its
/// own. The component takes the storage's file locks, so several processes
/// can also write the same directory. If the component traps, its instance
/// is discarded and the next call gets a fresh one.
///
/// ```no_run
/// use auditlog::{AuditLog, SkillRun};
///
/// let log = AuditLog::builder("./audit").max_entries(1000).open()?;
/// let receipt = log.append_skill(&SkillRun::new("workflow.compose", "success").duration_ms(1234))?;
/// println!("{} entries", receipt.total_entries);
/// # Ok::<(), auditlog::Error>(())
/// ```
pub struct AuditLog {
    dir: PathBuf,
    builder: AuditLogBuilder,
    policy: Policy,
    runtime: Arc<Runtime>,
    /// The instance for every call but tool appends.
    instance: Slot,
    /// The instances [`append_tool`](Self::append_tool) calls go to, by user.
    tool_writers: ToolWriters,
    /// Concurrent [`append_skill`](Self::append_skill) calls, written together.
    skill_group: Group<wit::SkillRun, Result<SkillReceipt>>,
    /// The directory, if opening created it: removed when the log is dropped
    /// if nothing was written in it. Last, so the instances go first.
    _created: Option<created_dir::CreatedDir>,
}

struct Instance {
    store: Store<State>,
    bindings: Auditlog,
}

struct SystemClock(Clock);

/// Where an instance lives: none until the first call, and none again after
/// a trap.
type Slot = Mutex<Option<Instance>>;

type Guard<'a> = MutexGuard<'a, Option<Instance>>;

impl AuditLog {
    /// Options for the logs in `dir`.
    pub fn builder(dir: impl Into<PathBuf>) -> AuditLogBuilder {
        AuditLogBuilder {
            dir: dir.into(),
            settings: SettingsUpdate::default(),
            key_file: None,
            read_config_file: true,
            runtime: None,
            clock: None,
            sync: SyncMode::Never,
            read_only: false,
            limits: Limits {
                call_timeout: AuditLogBuilder::DEFAULT_CALL_TIMEOUT,
                memory: AuditLogBuilder::DEFAULT_MEMORY_LIMIT,
            },
        }
    }

    /// The logs in `dir` with default settings and the embedded component.
    ///
    /// # Errors
    /// As [`AuditLogBuilder::open`].
    pub fn open(dir: impl Into<PathBuf>) -> Result<Self> {
        Self::builder(dir).open()
    }

    /// The log directory (absolute).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The rotation policy in force, each setting with where it came from.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The compiled component and its engine.
    pub(crate) fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// The time and memory limits calls run under.
    pub(crate) fn limits(&self) -> Limits {
        self.builder.limits
    }

    /// Appends one skill run to `audit_log.json`.
    ///
    /// Calls from several threads at once share writes: a call that arrives
    /// while another is writing joins the next write (group commit), which
    /// stores its run in order with the others of its group, in one call
    /// into the component. Each caller still gets its own receipt, whose
    /// `total_entries` counts the log once its group was written, or its
    /// own error: a refused run fails alone.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming a refused field; [`Error::Storage`],
    /// [`Error::Corrupt`] or [`Error::Trap`] otherwise. Nothing is written on error.
    pub fn append_skill(&self, run: &SkillRun) -> Result<SkillReceipt> {
        self.skill_group.submit(
            wit_convert::skill_run(run),
            |runs| self.write_skill_group(runs),
            group_panicked,
        )
    }

    /// Appends many skill runs in one call into the component: every run is
    /// checked first (a refusal names `runs[i].field` and writes nothing),
    /// then all go to `audit_log.json` in one write and retention runs once.
    /// Receipts come back in the order of `runs`; each gives the entries
    /// after the whole batch, and the first lists any repair.
    ///
    /// # Errors
    /// As [`AuditLog::append_skill`].
    pub fn append_skills(&self, runs: &[SkillRun]) -> Result<Vec<SkillReceipt>> {
        let runs: Vec<wit::SkillRun> = runs.iter().map(wit_convert::skill_run).collect();
        let receipts = self.call(|i| {
            i.bindings
                .audit_log_log()
                .call_append_skills(&mut i.store, &runs)
        })?;
        receipts
            .into_iter()
            .map(|receipt| self.skill_receipt(receipt))
            .collect()
    }

    /// The seed script's call (`audit_log.py SKILL STATUS [DURATION_MS]
    /// [ERRORS_JSON] [METADATA_JSON]`) answered whole by the component
    /// (`record-seed`): `args` are its positional arguments, `log_path` the
    /// skill log's path as the response shows it. A refused input or a
    /// failure inside the component is an answer, not an error.
    ///
    /// # Errors
    /// [`Error::Trap`] (or a limit) when the component could not answer;
    /// [`Error::Flush`] when the entry was written but not flushed.
    pub fn record_seed(
        &self,
        args: &[String],
        log_path: &str,
    ) -> Result<auditlog_model::seed::Answer> {
        let answer = self.call(|i| {
            i.bindings
                .audit_log_log()
                .call_record_seed(&mut i.store, args, log_path)
                .map(Ok)
        })?;
        Ok(auditlog_model::seed::Answer {
            exit_code: answer.exit_code,
            response: answer.response,
            report: answer.report,
        })
    }

    /// Appends one tool call to `<user>/tool_audit/YYYY-MM-DD.jsonl`.
    ///
    /// Calls from several threads at once share writes, as
    /// [`append_skill`](Self::append_skill)'s do: one call into the
    /// component and one write for each group, each caller with its own
    /// receipt or error. Users are spread over a few instances of the
    /// component (one per core, up to 4), each user always on the same one,
    /// so appends for different users also run in parallel, and none waits
    /// behind a query.
    ///
    /// # Errors
    /// As [`AuditLog::append_skill`].
    pub fn append_tool(&self, call: &ToolCall) -> Result<ToolReceipt> {
        let writer = self.tool_writers.of(&call.user);
        writer.group.submit(
            wit_convert::tool_call(call),
            |calls| self.write_tool_group(writer, calls),
            group_panicked,
        )
    }

    /// Appends many tool calls in one call into the component: every call is
    /// checked first (a refusal names `calls[i].field` and writes nothing),
    /// then each user's entries go to their day file in one write. Receipts
    /// come back in the order of `calls`.
    ///
    /// # Errors
    /// As [`AuditLog::append_tool`]; on a storage error nothing is written:
    /// users written before the failing one are cut back.
    pub fn append_tools(&self, calls: &[ToolCall]) -> Result<Vec<ToolReceipt>> {
        let calls: Vec<wit::ToolCall> = calls.iter().map(wit_convert::tool_call).collect();
        let receipts = self.call(|i| {
            i.bindings
                .audit_log_log()
                .call_append_tools(&mut i.store, &calls)
        })?;
        receipts
            .into_iter()
            .map(|receipt| self.tool_receipt(receipt))
            .collect()
    }

    /// A skill receipt from the component's, with the log's absolute path.
    fn skill_receipt(&self, receipt: wit::SkillReceipt) -> Result<SkillReceipt> {
        Ok(SkillReceipt {
            entry: Entry::from_component(receipt.entry)?,
            path: self.dir.join(&receipt.path),
            total_entries: receipt.total_entries,
            recovered: receipt
                .recovered
                .into_iter()
                .map(wit_convert::recovery)
                .collect(),
            warnings: receipt.warnings,
        })
    }

    /// A tool receipt from the component's, with the day file's absolute path.
    fn tool_receipt(&self, receipt: wit::ToolReceipt) -> Result<ToolReceipt> {
        Ok(ToolReceipt {
            entry: Entry::from_component(receipt.entry)?,
            path: self.dir.join(&receipt.path),
            recovered: receipt
                .recovered
                .into_iter()
                .map(wit_convert::recovery)
                .collect(),
            warnings: receipt.warnings,
        })
    }

    /// A page of the newest entries matching `query`, newest first.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming a refused parameter; [`Error::Storage`],
    /// [`Error::Corrupt`] or [`Error::Trap`] otherwise.
    pub fn recent(&self, query: &Query) -> Result<Page> {
        let page = self.recent_json(query)?;
        Ok(Page {
            entries: page
                .entries
                .iter()
                .map(|text| parse_entry(text))
                .collect::<Result<_>>()?,
            next_cursor: page.next_cursor,
        })
    }

    /// As [`AuditLog::recent`], each entry as the JSON text stored in the log.
    ///
    /// # Errors
    /// As [`AuditLog::recent`].
    pub fn recent_json(&self, query: &Query) -> Result<Page<String>> {
        let query = wit_convert::query(query);
        let page = self.call(|i| i.bindings.audit_log_log().call_recent(&mut i.store, &query))?;
        Ok(Page {
            entries: page.entries,
            next_cursor: page.next_cursor,
        })
    }

    /// Checks the chains of the logs `source` names (`None`: the skill log and
    /// every user's), and that each still reaches the ends in `checkpoint`.
    ///
    /// # Errors
    /// Storage and component errors; a broken chain is not an error but the
    /// report's `problem`.
    pub fn verify(&self, source: Option<&Source>, checkpoint: &[LogEnd]) -> Result<VerifyReport> {
        let source = source.map(wit_convert::source);
        let checkpoint: Vec<wit::LogEnd> = checkpoint.iter().map(wit_convert::log_end).collect();
        self.call(|i| {
            i.bindings
                .audit_log_log()
                .call_verify(&mut i.store, source.as_ref(), &checkpoint)
        })
        .map(wit_convert::verify_report)
    }

    /// Seals the legacy entries of the logs `source` names (`None`: the
    /// skill log and every user's) — entries without `seq` and link that
    /// another writer (the seed scripts) left there: for each log whose
    /// legacy entries no adoption covers yet, appends one entry (skill or
    /// tool `auditlog.adopt`) recording how many there are, the time of the
    /// first and last, and a digest of their exact text, so that
    /// [`verify`](Self::verify) from then on also proves them unchanged.
    /// Idempotent: a log already adopted as it is gets nothing written.
    /// Returns one [`Adoption`] per log.
    ///
    /// # Errors
    /// [`Error::Corrupt`] naming the file and line when a log does not
    /// verify or is damaged (nothing is written; run
    /// [`repair`](Self::repair) first); [`Error::Invalid`] for a bad user
    /// name; [`Error::Storage`] when a write fails — always, when there is
    /// something to adopt, on a log opened
    /// [`read_only`](AuditLogBuilder::read_only).
    pub fn adopt(&self, source: Option<&Source>) -> Result<Vec<Adoption>> {
        let source = source.map(wit_convert::source);
        self.call(|i| {
            i.bindings
                .audit_log_log()
                .call_adopt(&mut i.store, source.as_ref())
        })
        .map(|done| done.into_iter().map(wit_convert::adoption).collect())
    }

    /// Reads the logs `source` names (`None`: the skill log and every
    /// user's) in full and repairs every damaged file: intact entries are
    /// kept, unreadable bytes moved to `.damaged.<stem>.<n>` in its folder
    /// (`audit_log.json` → `.damaged.audit_log.1`), out of log globs, and
    /// each repair recorded as an entry in its log. Appends repair damage at
    /// the end of the file they write on their own; this also finds damage
    /// in the middle.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a bad user name; [`Error::Storage`] when a file
    /// cannot be read or rewritten.
    pub fn repair(&self, source: Option<&Source>) -> Result<Vec<Recovery>> {
        let source = source.map(wit_convert::source);
        self.call(|i| {
            i.bindings
                .audit_log_log()
                .call_repair(&mut i.store, source.as_ref())
        })
        .map(|done| done.into_iter().map(wit_convert::recovery).collect())
    }

    /// Applies the rotation policy ([`policy`](Self::policy)) to the tool
    /// logs of `source` now (`None` or [`Source::AllUsers`]: every user's;
    /// [`Source::Skills`]: nothing): gzips closed files when
    /// [`compress`](AuditLogBuilder::compress) is on and deletes the files
    /// retention no longer keeps, recording each deletion so that
    /// [`verify`](Self::verify) tells it from one by someone else. Appends
    /// do the same for their user when they start a new file; this is for
    /// cron and for logs nobody writes to. Returns what changed, oldest file
    /// first; nothing when the logs are within the policy.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a bad user name; [`Error::Storage`] when a file
    /// cannot be read, written or deleted.
    pub fn rotate(&self, source: Option<&Source>) -> Result<Vec<Rotation>> {
        let source = source.map(wit_convert::source);
        self.call(|i| {
            i.bindings
                .audit_log_log()
                .call_rotate(&mut i.store, source.as_ref())
        })
        .map(|done| done.into_iter().map(wit_convert::rotation).collect())
    }

    /// Totals over every entry matching `filter`.
    ///
    /// # Errors
    /// As [`AuditLog::recent`].
    pub fn stats(&self, filter: &Filter) -> Result<Stats> {
        let filter = wit_convert::filter(filter);
        let summary =
            self.call(|i| i.bindings.audit_log_log().call_stats(&mut i.store, &filter))?;
        Ok(wit_convert::stats(summary))
    }

    /// Runs `f` on the instance under the time limit, then flushes what it
    /// wrote as the [`SyncMode`] asks; a trap (a limit included) discards the
    /// instance.
    fn call<T>(
        &self,
        f: impl FnOnce(
            &mut Instance,
        )
            -> wasmtime::Result<Result<T, crate::bindings::audit::log::types::AuditError>>,
    ) -> Result<T> {
        self.call_on(&self.instance, f)
    }

    /// As [`call`](Self::call), on the instance in `slot`.
    fn call_on<T>(
        &self,
        slot: &Slot,
        f: impl FnOnce(
            &mut Instance,
        )
            -> wasmtime::Result<Result<T, crate::bindings::audit::log::types::AuditError>>,
    ) -> Result<T> {
        let mut guard = self.lock(slot)?;
        let instance = guard.as_mut().expect("lock() always leaves an instance");
        let limits = self.builder.limits;
        limits.arm(&mut instance.store);
        match f(instance) {
            Ok(result) => {
                let unsynced = instance.store.data_mut().storage.take_unsynced();
                drop(guard);
                let value = result.map_err(Error::from)?;
                durability::flush(&unsynced).map_err(Error::Flush)?;
                Ok(value)
            }
            Err(trap) => {
                let error = limits.trap_error(&mut instance.store, &trap);
                *guard = None;
                Err(error)
            }
        }
    }

    /// The instance in `slot`, created (and configured) if there is none.
    fn lock<'a>(&self, slot: &'a Slot) -> Result<Guard<'a>> {
        // A panic while holding the lock cannot leave the instance half-used in
        // a way that matters: the next call discards it on trap anyway.
        let mut guard = slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if guard.is_none() {
            *guard = Some(self.instantiate()?);
        }
        Ok(guard)
    }

    fn instantiate(&self) -> Result<Instance> {
        let dir = Dir::open_ambient_dir(&self.dir, ambient_authority()).map_err(|source| {
            Error::Directory {
                path: self.dir.clone(),
                source,
            }
        })?;
        // Nothing of the host's (see `empty_wasi`) but, in tests, the clock.
        let mut wasi = crate::runtime::empty_wasi();
        if let Some(clock) = &self.builder.clock {
            wasi.wall_clock(SystemClock(Arc::clone(clock)));
        }
        let storage = match self.builder.sync {
            SyncMode::Never => DirStorage::new(dir),
            SyncMode::Batch | SyncMode::Always => DirStorage::new(dir).tracking_writes(),
        };
        let storage = if self.builder.read_only {
            storage.read_only()
        } else {
            storage
        };
        let state = State::new(wasi.build(), storage);
        let limits = self.builder.limits;
        let (mut store, bindings) = self.runtime.instantiate(state, limits)?;
        limits.arm(&mut store);
        bindings
            .audit_log_log()
            .call_configure(
                &mut store,
                &auditlog_model::convert_settings!(self.builder.settings.clone() => wit::Settings),
            )
            .map_err(|trap| limits.trap_error(&mut store, &trap))?
            .map_err(|error| self.config_error(error.into()))?;
        Ok(Instance { store, bindings })
    }

    /// `error`, refusing a setting whose value came from `auditlog.toml`, as
    /// an [`Error::Config`] naming the file and the key.
    fn config_error(&self, error: Error) -> Error {
        match (&error, &self.policy.config_file) {
            (Error::Invalid { field, reason }, Some(path)) => match self.policy.file_key(field) {
                Some(key) => Error::Config {
                    path: path.clone(),
                    key: Some(key.to_owned()),
                    line: None,
                    reason: reason.clone(),
                },
                None => error,
            },
            _ => error,
        }
    }
}

fn parse_entry(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        Error::Corrupt(format!(
            "the component returned an entry that is not JSON: {e}"
        ))
    })
}
