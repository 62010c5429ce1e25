//! [`AuditLog`]: one log directory served by one instance of the component.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cap_std::ambient_authority;
use cap_std::fs::Dir;
use serde_json::Value;
use wasmtime::Store;
use wasmtime_wasi::HostWallClock;

use crate::bindings::Auditlog;
use crate::bindings::audit::log::types::{
    self as wit, Adoption, Filter, LogEnd, Query, Recovery, Rotation, RotationAction, Settings,
    SkillRun, Source, ToolCall, VerifyReport,
};
use crate::config::{CONFIG_FILE, Config, Policy};
use crate::durability::{GroupFlush, SyncMode};
use crate::entry::Entry;
use crate::error::{Error, Result};
use crate::runtime::{Limits, Runtime, State};
use crate::storage::DirStorage;

/// A source of the current time for entries' timestamps.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// What [`AuditLog::append_skill`] stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillReceipt {
    /// The stored entry.
    pub entry: Entry,
    /// The skill log's absolute path.
    pub path: PathBuf,
    /// Entries in the skill log after the append.
    pub total_entries: u64,
    /// Damage found in the log and repaired before the append (usually none).
    pub recovered: Vec<Recovery>,
    /// Housekeeping after the entry was stored that did not get done
    /// (retention, the index), one sentence each; the next append retries
    /// it. The entry is stored whatever these say.
    pub warnings: Vec<String>,
}

/// What [`AuditLog::append_tool`] stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolReceipt {
    /// The stored entry.
    pub entry: Entry,
    /// The day file's absolute path.
    pub path: PathBuf,
    /// Damage found in the day file and repaired before the append (usually none).
    pub recovered: Vec<Recovery>,
    /// Housekeeping after the entry was stored that did not get done (the
    /// rotation policy: retention, compression), one sentence each; it is
    /// retried the next time the policy runs. The entry is stored whatever
    /// these say.
    pub warnings: Vec<String>,
}

/// A page of entries from [`AuditLog::recent`].
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T = Value> {
    /// Entries, newest first.
    pub entries: Vec<T>,
    /// Pass as [`Query::cursor`] for the next page; `None` when there is no more.
    pub next_cursor: Option<String>,
}

/// Counts and durations for one skill or tool, in [`Stats::by_name`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NameStats {
    /// Entries.
    pub count: u64,
    /// Entries whose status is neither `success` nor `ok`.
    pub errors: u64,
    /// Mean `duration_ms`, if any entry has one.
    pub avg_ms: Option<f64>,
    /// Median `duration_ms` (nearest rank).
    pub p50_ms: Option<u64>,
    /// 95th percentile `duration_ms` (nearest rank).
    pub p95_ms: Option<u64>,
    /// Largest `duration_ms`.
    pub max_ms: Option<u64>,
}

/// Totals from [`AuditLog::stats`]; serialises to the documented stats JSON.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Stats {
    /// Runs: entries with a name (`skill` or `tool`) and a `status`.
    pub total: u64,
    /// Runs whose status is neither `success` nor `ok`.
    pub errors: u64,
    /// `errors / total`; 0 when there are no runs.
    pub error_rate: f64,
    /// Foreign entries: of another schema (no name or no `status`), counted
    /// here and in no other field.
    pub other: u64,
    /// Entries per status.
    pub by_status: BTreeMap<String, u64>,
    /// Per skill or tool name.
    pub by_name: BTreeMap<String, NameStats>,
    /// Entries per user (tool logs).
    pub by_user: BTreeMap<String, u64>,
    /// Entries per UTC day (`YYYY-MM-DD`).
    pub by_day: BTreeMap<String, u64>,
}

impl From<wit::Summary> for Stats {
    fn from(s: wit::Summary) -> Self {
        let counts =
            |list: Vec<wit::KeyCount>| list.into_iter().map(|c| (c.key, c.count)).collect();
        Self {
            total: s.total,
            errors: s.errors,
            error_rate: s.error_rate,
            other: s.other,
            by_status: counts(s.by_status),
            by_name: s
                .by_name
                .into_iter()
                .map(|n| {
                    let stats = NameStats {
                        count: n.count,
                        errors: n.errors,
                        avg_ms: n.avg_ms,
                        p50_ms: n.p50_ms,
                        p95_ms: n.p95_ms,
                        max_ms: n.max_ms,
                    };
                    (n.name, stats)
                })
                .collect(),
            by_user: counts(s.by_user),
            by_day: counts(s.by_day),
        }
    }
}

/// The audit logs in one directory.
///
/// Safe to share between threads: calls are serialised on one instance of the
/// component, and the component takes the storage's file locks, so several
/// processes can also write the same directory. If the component traps, its
/// instance is discarded and the next call gets a fresh one.
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
    instance: Mutex<Option<Instance>>,
    flush: GroupFlush,
}

struct Instance {
    store: Store<State>,
    bindings: Auditlog,
}

/// Options for [`AuditLog`]; start with [`AuditLog::builder`].
///
/// The rotation policy — [`max_file_bytes`](Self::max_file_bytes),
/// [`max_days`](Self::max_days), [`max_user_bytes`](Self::max_user_bytes),
/// [`compress`](Self::compress) and [`max_entries`](Self::max_entries) — is
/// also read from the log directory's configuration file `auditlog.toml`
/// (see [`Config`]) when [`open`](Self::open) finds one; a value set here
/// wins over the file's. [`read_config_file(false)`](Self::read_config_file)
/// ignores the file.
#[derive(Clone)]
pub struct AuditLogBuilder {
    dir: PathBuf,
    settings: Settings,
    key_file: Option<PathBuf>,
    read_config_file: bool,
    runtime: Option<Arc<Runtime>>,
    clock: Option<Clock>,
    limits: Limits,
    sync: SyncMode,
    read_only: bool,
}

impl AuditLogBuilder {
    /// The default [`call_timeout`](Self::call_timeout): 30 seconds. Generous
    /// on purpose: `stats` over a million entries takes about 3 s on a
    /// 2-core machine, and the limit is there to stop a runaway component,
    /// not a slow query.
    pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(30);

    /// The default [`memory_limit`](Self::memory_limit): 256 MiB. A call's
    /// inputs are copied into the component whole (a tool's result, for one),
    /// and rewriting the skill log reads its live part into memory.
    pub const DEFAULT_MEMORY_LIMIT: usize = 256 * 1024 * 1024;

    /// Longest wall-clock time one call may run inside the component
    /// (default [`DEFAULT_CALL_TIMEOUT`](Self::DEFAULT_CALL_TIMEOUT)),
    /// measured to within 10 ms and including the time it waits for file
    /// locks. A call that runs longer is stopped with [`Error::Timeout`], its
    /// instance is discarded and the next call gets a fresh one.
    pub fn call_timeout(mut self, limit: Duration) -> Self {
        self.limits.call_timeout = limit;
        self
    }

    /// Largest size, in bytes, of the component's memory (default
    /// [`DEFAULT_MEMORY_LIMIT`](Self::DEFAULT_MEMORY_LIMIT)). A call that
    /// tries to grow it further is stopped with [`Error::OutOfMemory`], its
    /// instance is discarded and the next call gets a fresh one; a limit
    /// below what the component needs to start makes [`open`](Self::open) fail
    /// the same way.
    pub fn memory_limit(mut self, bytes: usize) -> Self {
        self.limits.memory = bytes;
        self
    }

    /// How many entries the skill log keeps (default 10,000).
    pub fn max_entries(mut self, n: u32) -> Self {
        self.settings.max_entries = Some(n);
        self
    }

    /// Size roll-over of the tool log: once a user's file for the day holds
    /// at least `bytes`, later entries of that day go to a new numbered
    /// segment (`YYYY-MM-DD.1.jsonl`, `YYYY-MM-DD.2.jsonl`, …). 0 (the
    /// default) turns it off.
    pub fn max_file_bytes(mut self, bytes: u64) -> Self {
        self.settings.max_file_bytes = Some(bytes);
        self
    }

    /// Retention by age: each user's tool log keeps its last `days` UTC
    /// days, today included, judged by the entries' own timestamps. 0 (the
    /// default) keeps every day.
    pub fn max_days(mut self, days: u32) -> Self {
        self.settings.max_days = Some(days);
        self
    }

    /// Retention by size: each user's tool log keeps at most `bytes` of
    /// files (as stored, compressed or not), the oldest deleted first; the
    /// file being written is never deleted. 0 (the default) is no bound.
    pub fn max_user_bytes(mut self, bytes: u64) -> Self {
        self.settings.max_user_bytes = Some(bytes);
        self
    }

    /// Gzip closed tool-log files: a segment once the next one starts, a
    /// day's last file once that day is two days past (default false).
    /// Readers see through compression.
    pub fn compress(mut self, compress: bool) -> Self {
        self.settings.compress = Some(compress);
        self
    }

    /// Whether [`open`](Self::open) reads the rotation policy from
    /// `<dir>/auditlog.toml` (default true). Settings made on the builder
    /// win over the file's either way.
    pub fn read_config_file(mut self, read: bool) -> Self {
        self.read_config_file = read;
        self
    }

    /// Longest string value kept in a tool call's `args`, in characters (default 500).
    pub fn arg_max_chars(mut self, n: u32) -> Self {
        self.settings.arg_max_chars = Some(n);
        self
    }

    /// Characters of a tool result kept as `result_snippet` (default 300).
    pub fn snippet_chars(mut self, n: u32) -> Self {
        self.settings.snippet_chars = Some(n);
        self
    }

    /// Runs this component instead of the embedded one.
    pub fn runtime(mut self, runtime: Arc<Runtime>) -> Self {
        self.runtime = Some(runtime);
        self
    }

    /// Largest stored entry in bytes (default 102,400); bigger entries are cut
    /// field by field and marked `"truncated": true`.
    pub fn max_entry_bytes(mut self, bytes: u32) -> Self {
        self.settings.max_entry_bytes = Some(bytes);
        self
    }

    /// Links entries with HMAC-SHA-256 under `key` (at least 16 bytes; an
    /// empty key is refused on [`open`](Self::open), not taken as "no key")
    /// instead of SHA-256, so that editing the files cannot produce a chain
    /// that verifies. Keep the key outside the log directory.
    pub fn chain_key(mut self, key: Vec<u8>) -> Self {
        self.settings.chain_key = Some(key);
        self
    }

    /// Links entries with HMAC-SHA-256 under the key in the file at `path`,
    /// read when the log is opened: refused if the file resolves into the
    /// log directory (through `..` or a symbolic link), has another hard
    /// link, or holds fewer than [`key_file::MIN_KEY_BYTES`] bytes besides
    /// surrounding whitespace (see [`key_file::read`]).
    ///
    /// [`key_file::MIN_KEY_BYTES`]: crate::key_file::MIN_KEY_BYTES
    /// [`key_file::read`]: crate::key_file::read
    pub fn chain_key_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.key_file = Some(path.into());
        self
    }

    /// Words that make a key secret, besides the built-in ones.
    pub fn redact_keys(mut self, words: Vec<String>) -> Self {
        self.settings.redact_keys = Some(words);
        self
    }

    /// Opens the logs for reading only: the component's storage refuses
    /// every change (appends, repairs and rotations then fail with
    /// [`Error::Storage`]), so that queries, stats and verification never
    /// write and work on a read-only directory. A directory that does not
    /// exist is still created, empty, so that a reader started before the
    /// first writer (a server) sees the entries written later.
    pub fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }

    /// Stamps entries with `clock` instead of the system time (for tests and replays).
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// When appended entries are flushed to stable storage (default
    /// [`SyncMode::Never`]); see [`SyncMode`] for the trade-off.
    pub fn sync(mut self, mode: SyncMode) -> Self {
        self.sync = mode;
        self.settings.sync_data = Some(mode == SyncMode::Always);
        self
    }

    /// Creates the directory if needed, reads its `auditlog.toml` (unless
    /// told not to) and opens the logs in it.
    ///
    /// # Errors
    /// [`Error::Directory`] if the directory cannot be created or opened;
    /// [`Error::Config`] if `auditlog.toml` cannot be read, holds an unknown
    /// key or a value of the wrong type, or a value the component refuses;
    /// [`Error::Component`] if the component cannot be loaded;
    /// [`Error::Invalid`] if a setting is out of range, the chain key is
    /// empty or the key file is refused (`key_file`, see
    /// [`key_file::read`](crate::key_file::read)); [`Error::Timeout`] or
    /// [`Error::OutOfMemory`] if the component cannot start within the limits.
    pub fn open(mut self) -> Result<AuditLog> {
        let directory_error = |source| Error::Directory {
            path: self.dir.clone(),
            source,
        };
        std::fs::create_dir_all(&self.dir).map_err(directory_error)?;
        let dir = std::fs::canonicalize(&self.dir).map_err(directory_error)?;
        if self.settings.chain_key.as_ref().is_some_and(Vec::is_empty) {
            return Err(Error::invalid(
                "chain_key",
                "is empty: pass at least 16 bytes of key, or none for plain SHA-256 links",
            ));
        }
        if let Some(path) = &self.key_file {
            let key = crate::key_file::read(path, &dir)
                .map_err(|reason| Error::invalid("key_file", reason))?;
            self.settings.chain_key = Some(key);
        }
        let config = if self.read_config_file {
            Config::load(&dir)?.map(|config| (dir.join(CONFIG_FILE), config))
        } else {
            None
        };
        let policy = Policy::resolve(&mut self.settings, config);
        let runtime = match &self.runtime {
            Some(runtime) => Arc::clone(runtime),
            None => Runtime::embedded()?,
        };
        let log = AuditLog {
            dir,
            builder: self,
            policy,
            runtime,
            instance: Mutex::new(None),
            flush: GroupFlush::default(),
        };
        // Instantiate now, so a bad setting or component fails here.
        drop(log.lock()?);
        Ok(log)
    }
}

struct SystemClock(Clock);

impl HostWallClock for SystemClock {
    fn resolution(&self) -> Duration {
        Duration::from_millis(1)
    }

    fn now(&self) -> Duration {
        (self.0)().duration_since(UNIX_EPOCH).unwrap_or_default()
    }
}

type Guard<'a> = MutexGuard<'a, Option<Instance>>;

impl AuditLog {
    /// Options for the logs in `dir`.
    pub fn builder(dir: impl Into<PathBuf>) -> AuditLogBuilder {
        AuditLogBuilder {
            dir: dir.into(),
            settings: no_settings(),
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
    /// # Errors
    /// [`Error::Invalid`] naming a refused field; [`Error::Storage`],
    /// [`Error::Corrupt`] or [`Error::Trap`] otherwise. Nothing is written on error.
    pub fn append_skill(&self, run: &SkillRun) -> Result<SkillReceipt> {
        let receipt = self.call(|i| {
            i.bindings
                .audit_log_log()
                .call_append_skill(&mut i.store, run)
        })?;
        self.skill_receipt(receipt)
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
        let receipts = self.call(|i| {
            i.bindings
                .audit_log_log()
                .call_append_skills(&mut i.store, runs)
        })?;
        receipts
            .into_iter()
            .map(|receipt| self.skill_receipt(receipt))
            .collect()
    }

    /// Appends one tool call to `<user>/tool_audit/YYYY-MM-DD.jsonl`.
    ///
    /// # Errors
    /// As [`AuditLog::append_skill`].
    pub fn append_tool(&self, call: &ToolCall) -> Result<ToolReceipt> {
        let receipt = self.call(|i| {
            i.bindings
                .audit_log_log()
                .call_append_tool(&mut i.store, call)
        })?;
        self.tool_receipt(receipt)
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
        let receipts = self.call(|i| {
            i.bindings
                .audit_log_log()
                .call_append_tools(&mut i.store, calls)
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
            recovered: receipt.recovered,
            warnings: receipt.warnings,
        })
    }

    /// A tool receipt from the component's, with the day file's absolute path.
    fn tool_receipt(&self, receipt: wit::ToolReceipt) -> Result<ToolReceipt> {
        Ok(ToolReceipt {
            entry: Entry::from_component(receipt.entry)?,
            path: self.dir.join(&receipt.path),
            recovered: receipt.recovered,
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
        let page = self.call(|i| i.bindings.audit_log_log().call_recent(&mut i.store, query))?;
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
        self.call(|i| {
            i.bindings
                .audit_log_log()
                .call_verify(&mut i.store, source, checkpoint)
        })
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
        self.call(|i| i.bindings.audit_log_log().call_adopt(&mut i.store, source))
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
        self.call(|i| i.bindings.audit_log_log().call_repair(&mut i.store, source))
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
        self.call(|i| i.bindings.audit_log_log().call_rotate(&mut i.store, source))
    }

    /// Totals over every entry matching `filter`.
    ///
    /// # Errors
    /// As [`AuditLog::recent`].
    pub fn stats(&self, filter: &Filter) -> Result<Stats> {
        Ok(self
            .call(|i| i.bindings.audit_log_log().call_stats(&mut i.store, filter))?
            .into())
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
        let mut guard = self.lock()?;
        let instance = guard.as_mut().expect("lock() always leaves an instance");
        let limits = self.builder.limits;
        limits.arm(&mut instance.store);
        match f(instance) {
            Ok(result) => {
                let unsynced = instance.store.data_mut().storage.take_unsynced();
                drop(guard);
                let value = result.map_err(Error::from)?;
                self.flush.flush(unsynced).map_err(Error::Flush)?;
                Ok(value)
            }
            Err(trap) => {
                let error = limits.trap_error(&mut instance.store, &trap);
                *guard = None;
                Err(error)
            }
        }
    }

    /// The instance, created (and configured) if there is none.
    fn lock(&self) -> Result<Guard<'_>> {
        // A panic while holding the lock cannot leave the instance half-used in
        // a way that matters: the next call discards it on trap anyway.
        let mut guard = self
            .instance
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
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
            .call_configure(&mut store, &self.builder.settings)
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

/// Settings that change nothing: every field `None`.
pub(crate) fn no_settings() -> Settings {
    Settings {
        max_entries: None,
        arg_max_chars: None,
        snippet_chars: None,
        max_entry_bytes: None,
        chain_key: None,
        redact_keys: None,
        sync_data: None,
        max_file_bytes: None,
        max_days: None,
        max_user_bytes: None,
        compress: None,
    }
}

impl RotationAction {
    /// `compressed` or `deleted`, as the command line prints it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Compressed => "compressed",
            Self::Deleted => "deleted",
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

impl SkillRun {
    /// A run of `skill` that ended with `status`, without optional fields.
    pub fn new(skill: impl Into<String>, status: impl Into<String>) -> Self {
        Self {
            skill: skill.into(),
            status: status.into(),
            duration_ms: None,
            errors: None,
            metadata: None,
        }
    }

    /// With `duration_ms`.
    pub fn duration_ms(mut self, ms: u64) -> Self {
        self.duration_ms = Some(ms);
        self
    }

    /// With error messages.
    pub fn errors(mut self, errors: Vec<String>) -> Self {
        self.errors = Some(errors);
        self
    }

    /// With metadata, a JSON object.
    pub fn metadata(mut self, metadata: &Value) -> Self {
        self.metadata = Some(metadata.to_string());
        self
    }
}

impl ToolCall {
    /// A call of `tool` for `user` that ended with `status`, with no arguments
    /// and an empty result.
    pub fn new(
        user: impl Into<String>,
        tool: impl Into<String>,
        status: impl Into<String>,
    ) -> Self {
        Self {
            user: user.into(),
            tool: tool.into(),
            args: "{}".into(),
            status: status.into(),
            output: String::new(),
        }
    }

    /// With arguments, a JSON object.
    pub fn args(mut self, args: &Value) -> Self {
        self.args = args.to_string();
        self
    }

    /// With the tool's result.
    pub fn output(mut self, output: impl Into<String>) -> Self {
        self.output = output.into();
        self
    }
}

impl Filter {
    /// Every entry of `source` in its default window (a tool log's last 7 days,
    /// every retained entry of the skill log); set the other fields to narrow it.
    pub fn new(source: Source) -> Self {
        Self {
            source,
            name: None,
            status: None,
            since: None,
            until: None,
            days: None,
        }
    }
}

impl Query {
    /// The first page (200 entries) of `filter`.
    pub fn new(filter: Filter) -> Self {
        Self {
            filter,
            limit: None,
            cursor: None,
        }
    }

    /// At most `limit` entries.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }
}
