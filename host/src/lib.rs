//! The wasmtime host for the auditlog component.
//!
//! The component (built from `guest/`, embedded in this crate) implements the
//! `audit:log/log@0.1.0` interface; this crate runs it and implements
//! `audit:log/storage@0.1.0` for it: file handles confined to the one log
//! directory it is given, with nothing else granted — no environment, no
//! network, no other paths.
//!
//! ```no_run
//! use auditlog::{AuditLog, Filter, Query, Source, ToolCall};
//!
//! let log = AuditLog::open("./audit")?;
//! log.append_tool(&ToolCall::new("alice", "file_read", "ok").output("hello"))?;
//! let newest = log.recent(&Query::new(Filter::new(Source::User("alice".into()))).limit(10))?;
//! assert_eq!(newest.entries[0]["tool"], "file_read");
//! let stats = log.stats(&Filter::new(Source::AllUsers))?;
//! println!("{} calls, {:.0}% errors", stats.total, stats.error_rate * 100.0);
//! # Ok::<(), auditlog::Error>(())
//! ```
//!
//! The tool logs' rotation policy — size roll-over into numbered segments,
//! retention by days and by bytes, gzip of closed files — comes from the
//! [`AuditLogBuilder`] and from the log directory's `auditlog.toml`
//! ([`Config`]); [`AuditLog::rotate`] applies it on demand.

mod bindings;
mod cache;
pub mod checkpoint_file;
mod config;
mod digest;
mod durability;
mod entry;
mod error;
mod group;
pub mod http;
pub mod input_file;
pub mod key_file;
mod log;
mod runtime;
pub mod secret_file;
mod skill;
mod storage;

pub use auditlog_model::settings::{SettingSpec, SettingsUpdate};
pub use auditlog_model::{
    Adoption, Filter, LegacyEntries, LogEnd, NameStats, Problem, Query, Recovery, Rotation,
    RotationAction, Selection, SkillRun, Source, Stats, ToolCall, UnsealedEntry, VerifyReport,
};
/// The former name of [`SettingsUpdate`] (once the WIT record itself).
#[deprecated(note = "use SettingsUpdate")]
pub type Settings = SettingsUpdate;
pub use config::{CONFIG_FILE, Config, Origin, Policy, Setting, SkillLogConfig, ToolLogConfig};
pub use durability::SyncMode;
pub use entry::Entry;
pub use error::{Error, Result};
pub use log::{AuditLog, AuditLogBuilder, Clock, Page, SkillReceipt, ToolReceipt};
pub use runtime::{EMBEDDED_COMPONENT, PORTABLE_COMPONENT, Runtime};
pub use skill::SkillOutcome;
