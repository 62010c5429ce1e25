//! The host's call types from a method's Python arguments: a [`SkillRun`],
//! a [`ToolCall`], a [`Query`].

use auditlog::{Query, SkillRun, ToolCall};
use auditlog_model::{DEFAULT_LIMIT, MAX_LIMIT};
use pyo3::prelude::*;

use crate::selection::{Selected as Filters, selection};
use crate::values::{between, if_given, json_object, optional_text, text, words};

/// An optional argument, as PyO3 passes it (`None` when left out).
pub type Selected<'py> = Option<Bound<'py, PyAny>>;

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
        duration_ms: if_given(duration_ms, |ms| {
            between(py, "duration_ms", ms, 0, u64::MAX)
        })?,
        errors: if_given(errors, |errors| words(py, "errors", errors))?,
        metadata: if_given(metadata, |metadata| json_object(py, "metadata", metadata))?,
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
        args: if_given(args, |args| json_object(py, "args", args))?
            .unwrap_or_else(|| "{}".to_owned()),
        status: text(py, "status", status)?,
        output: optional_text(py, "result", result.as_ref())?.unwrap_or_default(),
    })
}

/// The arguments of `recent` as a [`Query`].
pub fn query(
    py: Python<'_>,
    skills: Selected<'_>,
    all_users: Selected<'_>,
    selected: Filters<'_>,
    limit: Selected<'_>,
    cursor: Selected<'_>,
) -> PyResult<Query> {
    Ok(Query {
        filter: selection(py, skills, all_users, selected)?,
        limit: Some(
            if_given(limit, |limit| {
                between(py, "limit", limit, 1, MAX_LIMIT.into())
            })?
            .map_or(DEFAULT_LIMIT, |limit| {
                u32::try_from(limit).unwrap_or(u32::MAX)
            }),
        ),
        cursor: optional_text(py, "cursor", cursor.as_ref())?,
    })
}
