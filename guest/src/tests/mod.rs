//! Tests across the crate's modules, run natively: property tests of the
//! entry pipeline and whole appends, and the tool log's rotation through the
//! facade with an injected clock, and `stats` from summaries against
//! `stats` from lines. (Unit tests sit beside their code.)

use chrono::{DateTime, Utc};

use crate::settings::Settings;
use crate::storage::Storage;
use auditlog_model::ToolCall;

mod properties;
mod rotation;
mod summaries;

/// Appends a call of `tool` for `user` that ended in `status`, at `when`,
/// with default settings; for tests that need entries, not a pipeline.
pub(crate) fn append_call(
    storage: &impl Storage,
    user: &str,
    tool: &str,
    status: &str,
    when: DateTime<Utc>,
) {
    let call = ToolCall::new(user, tool, status);
    crate::tool_log::append(
        storage,
        &Settings::default(),
        when,
        &call,
        &Default::default(),
    )
    .unwrap();
}
