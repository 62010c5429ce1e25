//! Which log a call reads, from the CLI's keywords: `skills`, `user`,
//! `all_users` and the filters, turned into a [`Filter`] by the model's one
//! rule ([`Selection::filter`]), as both command lines do.

use auditlog::{Filter, Selection, Source};
use auditlog_model::{LogChoiceWords, MAX_QUERY_DAYS};
use pyo3::prelude::*;

use crate::errors::{invalid, to_py};
use crate::values::{between, flag, if_given, optional_text, time};

/// `user`, `skill`, `tool`, `status`, `since`, `until`, `days`, in that order.
pub type Selected<'py> = [Option<Bound<'py, PyAny>>; 7];

/// The filter `recent` and `stats` apply.
///
/// # Errors
/// `InvalidInput` for a value of the wrong type or out of range, or the
/// model's refusal (no
/// log or several named, `skill` with tool logs, `tool` with the skill log).
pub fn selection(
    py: Python<'_>,
    skills: Option<Bound<'_, PyAny>>,
    all_users: Option<Bound<'_, PyAny>>,
    selected: Selected<'_>,
) -> PyResult<Filter> {
    let [user, skill, tool, status, since, until, days] = selected;
    let selection = Selection {
        skills: flag(py, "skills", skills)?,
        user: optional_text(py, "user", user.as_ref())?,
        all_users: flag(py, "all_users", all_users)?,
        skill: optional_text(py, "skill", skill.as_ref())?,
        tool: optional_text(py, "tool", tool.as_ref())?,
        status: optional_text(py, "status", status.as_ref())?,
        since: time(py, "since", since.as_ref())?,
        until: time(py, "until", until.as_ref())?,
        days: if_given(days, |days| {
            between(py, "days", days, 1, MAX_QUERY_DAYS.into())
        })?
        .map(|days| u32::try_from(days).unwrap_or(u32::MAX)),
    };
    selection
        .filter()
        .map_err(|e| to_py(py, auditlog::Error::from(e)))
}

/// The logs `verify`, `repair` and `adopt` work on: one named, or `None`
/// for the skill log and every user's.
///
/// # Errors
/// `InvalidInput` when more than one is named or `user` is not text.
pub fn logs_source(
    py: Python<'_>,
    skills: Option<Bound<'_, PyAny>>,
    user: Option<Bound<'_, PyAny>>,
    all_users: Option<Bound<'_, PyAny>>,
) -> PyResult<Option<Source>> {
    let skills = flag(py, "skills", skills)?;
    let user = optional_text(py, "user", user.as_ref())?;
    let all_users = flag(py, "all_users", all_users)?;
    Ok(match (skills, user, all_users) {
        (false, None, false) => None,
        (true, None, false) => Some(Source::Skills),
        (false, Some(user), false) => Some(Source::User(user)),
        (false, None, true) => Some(Source::AllUsers),
        _ => {
            let words = LogChoiceWords::PLAIN;
            return Err(invalid(py, words.several_field, words.several));
        }
    })
}
