//! The host's call types from a method's Python arguments: a [`SkillRun`],
//! a [`ToolCall`], a [`Query`].

use auditlog::{Query, SkillRun, ToolCall};
use pyo3::prelude::*;

use crate::selection::{Selected as Filters, selection};
use crate::values::{json_object, optional_text, text, uint, words};

/// An optional argument, as PyO3 passes it (`None` when left out).
pub type Selected<'py> = Option<Bound<'py, PyAny>>;

/// `recent`'s page size when none is given, as the CLI's `--limit`.
const DEFAULT_LIMIT: u32 = 200;

/// The arguments of `record` as a [`SkillRun`].
pub fn skill_run(
    py: Python<'_>,
    skill: &Bound<'_, PyAny>,
    status: &Bound<'_, PyAny>,
    duration_ms: Selected<'_>,
    errors: Selected<'_>,
    metadata: Selected<'_>,
) -> PyResult<SkillRun> {
    Ok(SkillRun {
        skill: text(py, "skill", skill)?,
        status: text(py, "status", status)?,
        duration_ms: match duration_ms.filter(|d| !d.is_none()) {
            Some(ms) => Some(uint(py, "duration_ms", &ms, u64::MAX)?),
            None => None,
        },
        errors: match errors.filter(|e| !e.is_none()) {
            Some(errors) => Some(words(py, "errors", &errors)?),
            None => None,
        },
        metadata: match metadata.filter(|m| !m.is_none()) {
            Some(metadata) => Some(json_object(py, "metadata", &metadata)?),
            None => None,
        },
    })
}

/// The arguments of `tool` as a [`ToolCall`].
pub fn tool_call(
    py: Python<'_>,
    user: &Bound<'_, PyAny>,
    tool: &Bound<'_, PyAny>,
    status: &Bound<'_, PyAny>,
    args: Selected<'_>,
    result: Selected<'_>,
) -> PyResult<ToolCall> {
    Ok(ToolCall {
        user: text(py, "user", user)?,
        tool: text(py, "tool", tool)?,
        args: match args.filter(|a| !a.is_none()) {
            Some(args) => json_object(py, "args", &args)?,
            None => "{}".to_owned(),
        },
        status: text(py, "status", status)?,
        output: optional_text(py, "result", result.as_ref())?.unwrap_or_default(),
    })
}

/// The arguments of `recent` as a [`Query`].
pub fn query(
    py: Python<'_>,
    skills: bool,
    all_users: bool,
    selected: Filters<'_>,
    limit: Selected<'_>,
    cursor: Selected<'_>,
) -> PyResult<Query> {
    Ok(Query {
        filter: selection(py, skills, all_users, selected)?,
        limit: match limit.filter(|l| !l.is_none()) {
            Some(limit) => {
                Some(u32::try_from(uint(py, "limit", &limit, u32::MAX.into())?).unwrap_or(u32::MAX))
            }
            None => Some(DEFAULT_LIMIT),
        },
        cursor: optional_text(py, "cursor", cursor.as_ref())?,
    })
}
