//! The auditlog component: every behaviour of the audit logs, in one place.
//!
//! Built for `wasm32-wasip2`, this crate is the component that implements the
//! `audit:log/log@0.1.0` interface and reaches files only through the host's
//! `audit:log/storage@0.1.0` handles (see `wit/auditlog.wit`). Everything else
//! — validation, truncation, formatting, retention and queries — lives in plain
//! modules that are generic over a `Storage`, so `cargo test -p
//! auditlog-guest` runs them natively against a temporary directory.
//!
//! Built with the `portable` feature, the same behaviour is the component of
//! world `portable`: files through WASI's filesystem and the `auditlog`
//! command line as `wasi:cli/run`, for runtimes that do not provide the
//! storage interface (the wasmtime CLI, Python, Node).
//!
//! The two logs come from the seeds the project started with: the skill log,
//! a JSON array `audit_log.json`, and the tool log,
//! `<user>/tool_audit/YYYY-MM-DD.jsonl`.
//!
//! Natively, the public face is the facade, [`Engine`] over an
//! [`FsStorage`], with the model's types (`auditlog-model`) it takes and
//! returns, and the rule the host shows entries by ([`read_stored_line`],
//! [`SEAL_KEYS`]). Every module is private; `guest/tests/public_surface.rs`
//! keeps it so.

mod adopt;
mod anchor;
mod chain;
mod clock;
mod day_files;
mod digest;
mod engine;
mod entry;
mod error;
mod json_text;
mod legacy;
mod newest_first;
mod open_files;
mod query;
mod recovery;
mod redact;
mod rotation;
mod settings;
mod skill_log;
mod stats;
mod storage;
mod stored_line;
mod summary;
mod tail;
mod tool_log;
mod truncate;
mod verify;

// Rules shared with the host, written once in the model; `crate::validate`
// and the like keep naming them here.
#[cfg(all(target_arch = "wasm32", feature = "portable"))]
use auditlog_model::legacy_lines;
use auditlog_model::{strict_json, validate};

#[cfg(test)]
mod tests;

#[cfg(target_arch = "wasm32")]
#[allow(missing_docs, unsafe_code, clippy::all)]
mod bindings;
#[cfg(target_arch = "wasm32")]
mod component;

pub use chain::SEAL_KEYS;
pub use engine::Engine;
pub use error::AuditError;
pub use storage::fs::FsStorage;
pub use stored_line::{Row, read as read_stored_line};

/// `message` with its secrets redacted, as every refusal leaving the
/// component is: a refusal quotes the value it refused, and goes where logs
/// are not kept from secrets (stderr, an application log, an HTTP answer).
/// For the host's own refusals too — of command-line and HTTP parameters —
/// so that one rule covers every surface.
pub fn redact_message(message: &str) -> String {
    redact::Redactor::builtin()
        .text(message)
        .unwrap_or_else(|| message.to_owned())
}
