//! The auditlog component: every behaviour of the audit logs, in one place.
//!
//! Built for `wasm32-wasip2`, this crate is the component that implements the
//! `audit:log/log@0.1.0` interface and reaches files only through the host's
//! `audit:log/storage@0.1.0` handles (see `wit/auditlog.wit`). Everything else
//! — validation, truncation, formatting, retention and queries — lives in plain
//! modules that are generic over a [`storage::Storage`], so `cargo test -p
//! auditlog-guest` runs them natively against a temporary directory.
//!
//! Built with the `portable` feature, the same behaviour is the component of
//! world `portable`: files through WASI's filesystem and the `auditlog`
//! command line as `wasi:cli/run`, for runtimes that do not provide the
//! storage interface (the wasmtime CLI, Python, Node).
//!
//! The two logs come from the seeds the project started with:
//! - the skill log, a JSON array `audit_log.json` ([`skill_log`]);
//! - the tool log, `<user>/tool_audit/YYYY-MM-DD.jsonl` ([`tool_log`]).

pub mod adopt;
pub mod anchor;
pub mod chain;
pub mod clock;
pub mod day_files;
pub mod digest;
pub mod engine;
pub mod entry;
pub mod error;
pub mod invisible;
pub mod json_text;
pub mod legacy;
pub mod legacy_lines;
pub mod newest_first;
pub mod open_files;
pub mod query;
pub mod recovery;
pub mod redact;
pub mod rotation;
pub mod settings;
pub mod skill_log;
pub mod stats;
pub mod storage;
pub mod stored_line;
pub mod strict_json;
pub mod tail;
pub mod tool_log;
pub mod truncate;
pub mod validate;
pub mod verify;

#[cfg(target_arch = "wasm32")]
#[allow(missing_docs, unsafe_code, clippy::all)]
mod bindings;
#[cfg(target_arch = "wasm32")]
mod component;

pub use engine::Engine;
pub use error::AuditError;
