//! [`AuditLogBuilder`]: how an [`AuditLog`] is opened — its directory, limits,
//! key, clock, durability and policy.

use super::created_dir::CreatedDir;
use super::*;

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
    pub(super) dir: PathBuf,
    pub(super) settings: SettingsUpdate,
    pub(super) key_file: Option<PathBuf>,
    pub(super) read_config_file: bool,
    pub(super) runtime: Option<Arc<Runtime>>,
    pub(super) clock: Option<Clock>,
    pub(super) limits: Limits,
    pub(super) sync: SyncMode,
    pub(super) read_only: bool,
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

    /// With [`compress`](Self::compress), gzip a closed file only once its
    /// last entry is `seconds` old, so that a log shipper following the
    /// plain file that is behind still reads it whole; 0 (the default)
    /// compresses as soon as a file is closed.
    pub fn compress_grace(mut self, seconds: u32) -> Self {
        self.settings.compress_grace = Some(seconds);
        self
    }

    /// Every value `update` sets, over what was set before (a field it
    /// leaves `None` keeps its value): for callers that hold settings as
    /// data, such as the command line's flags.
    pub fn settings(mut self, update: SettingsUpdate) -> Self {
        self.settings = std::mem::take(&mut self.settings).overlaid(update);
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

    /// Creates the directory if needed (not when
    /// [`read_only`](Self::read_only): a read creates nothing), reads its
    /// `auditlog.toml` (unless told not to) and opens the logs in it. A
    /// directory created here is removed again, if still empty, when the
    /// open fails or the log is dropped having written nothing in it.
    ///
    /// # Errors
    /// [`Error::Directory`] if the directory cannot be created or opened, or
    /// does not exist for a read-only log;
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
        let created = if self.read_only {
            if !self.dir.is_dir() {
                return Err(directory_error(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "does not exist or is not a directory, and a read creates nothing",
                )));
            }
            None
        } else {
            CreatedDir::create(&self.dir).map_err(directory_error)?
        };
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
        let flushing = self.sync != SyncMode::Never;
        let log = AuditLog {
            dir,
            builder: self,
            policy,
            runtime,
            instance: Mutex::new(None),
            tool_writers: ToolWriters::per_core(flushing),
            skill_group: writers::group(flushing),
            _created: created,
        };
        // Instantiate now, so a bad setting or component fails here.
        drop(log.lock(&log.instance)?);
        Ok(log)
    }
}

impl HostWallClock for SystemClock {
    fn resolution(&self) -> Duration {
        Duration::from_millis(1)
    }

    fn now(&self) -> Duration {
        (self.0)().duration_since(UNIX_EPOCH).unwrap_or_default()
    }
}
