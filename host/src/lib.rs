//! The wasmtime host for the auditlog component.
//!
//! The component (built from `guest/`, embedded in this crate) implements the
//! `audit:log/log@0.1.0` interface; this crate runs it and implements
//! `audit:log/storage@0.1.0` for it: file handles confined to the one log
//! directory it is given, with nothing else granted — no environment, no
//! network, no other paths.
//!
//! ```no_run
//! use auditlog::{AuditLog, RecentQuery, Source, ToolCall};
//!
//! let log = AuditLog::open("./audit")?;
//! log.append_tool(&ToolCall::new("alice", "file_read", "ok").output("hello"))?;
//! let newest = log.recent(&RecentQuery { source: Source::User("alice".into()), limit: Some(10), days: None })?;
//! assert_eq!(newest[0]["tool"], "file_read");
//! # Ok::<(), auditlog::Error>(())
//! ```

mod bindings;
mod error;
mod log;
mod runtime;
mod storage;

pub use bindings::audit::log::types::{RecentQuery, Settings, SkillRun, Source, ToolCall};
pub use error::{Error, Result};
pub use log::{AuditLog, AuditLogBuilder, Clock, SkillReceipt, ToolReceipt};
pub use runtime::{EMBEDDED_COMPONENT, Runtime};
