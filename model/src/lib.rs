//! The plain types and rules that every part of auditlog shares.
//!
//! The component (`guest/`), the wasmtime host and its CLI (`host/`) and the
//! portable component's command line all need the same answers to the same
//! questions: which log does a caller's selection name, which settings exist
//! and what are their limits, what does `stats` return, how is a refusal
//! worded, what does a caller append ([`SkillRun`], [`ToolCall`]) and what
//! do `verify`, `adopt` and `repair` report ([`VerifyReport`], [`Adoption`],
//! [`Recovery`]), which names and JSON input are accepted ([`validate`],
//! [`reserved`], [`strict_json`]), how text is escaped for a terminal
//! ([`invisible`]). Each answer is written once, here, in a crate with no I/O and no
//! WebAssembly, so both sides of the component boundary can link it.
//!
//! The wrappers in other languages (`js/`, `python/`) do not copy these rules:
//! they ask the component, which exports them (`select`, `settings-schema` in
//! `wit/auditlog.wit`).

mod adoption;
pub mod directory;
mod error;
mod filter;
pub mod invisible;
pub mod legacy_lines;
mod recovery;
pub mod reserved;
mod rotation;
/// The seed script's call: its response JSON and exit status.
pub mod seed;
mod selection;
pub mod settings;
mod skill_run;
mod stats;
pub mod strict_json;
mod tool_call;
pub mod validate;
mod verify;

#[cfg(feature = "cli")]
pub mod cli;

pub use adoption::Adoption;
pub use error::AuditError;
pub use filter::{DEFAULT_LIMIT, Filter, MAX_LIMIT, MAX_QUERY_DAYS, Query, Source};
pub use recovery::Recovery;
pub use rotation::{Rotation, RotationAction};
pub use selection::{LogChoiceWords, Selection};
pub use skill_run::SkillRun;
pub use stats::{MAX_NAMES, NameStats, OTHER_NAMES, Stats};
pub use tool_call::ToolCall;
pub use verify::{
    LegacyEntries, LogEnd, MAX_UNSEALED_LISTED, Problem, UnsealedEntry, VerifyReport,
};
